#include "app.hpp"

#include "script.hpp"

#include "../platform/event_wait.hpp"
#include "../platform/window.hpp"
#include "../screens/screens.hpp"
#include "../viewmodels/kiosk_vm.hpp"
#include "../viewmodels/photo_cache.hpp"
#include "../viewmodels/staff_vm.hpp"

#include "../widgets/theme.hpp"

#include "showroom/core/money.hpp"
#include "showroom/core/scan.hpp"
#include "showroom/core/store.hpp"
#include "showroom/devices/print/print_spooler.hpp"
#include "showroom/devices/print/printer_ports.hpp"
#include "showroom/devices/print/receipt_job.hpp"
#include "showroom/devices/print/virtual_printer.hpp"
#include "showroom/devices/scan/virtual_scanner.hpp"
#include "showroom/sync/client.hpp"
#include "showroom/devices/scan/wedge_decoder.hpp"

#include <SDL.h>
#include <SDL_opengl.h>
#include <backends/imgui_impl_sdl.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <atomic>
#include <utility>
#include <chrono>
#include <ctime>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <thread>

namespace showroom::kiosk {

namespace {

std::atomic<bool> g_stop{false};
extern "C" void onSignal(int) {
    g_stop = true;
    EventWait::wakeFromSignal();
}

// A view-model value by name, for `expect` in scripts.
std::string probe(const ui::Ui& ui, const KioskViewModel& vm, const StaffViewModel& staff, const std::string& name) {
    if (name == "staff.screen") return staff.active() ? std::string(toString(staff.screen())) : "closed";
    if (name == "staff.user") return staff.signedIn() ? staff.signedIn()->name : "none";
    if (name == "staff.pin_error") return staff.pinErrorKey().empty() ? "none" : staff.pinErrorKey();
    if (name == "checkin.message") return staff.checkIn().messageKey.empty() ? "none" : staff.checkIn().messageKey;
    if (name == "checkin.make") return staff.checkIn().make;
    if (name == "desk.customer") return staff.desk().customer() ? staff.desk().customer()->fullName() : "none";
    if (name == "desk.vehicle") return staff.desk().vehicle() ? staff.desk().vehicle()->vin : "none";
    if (name == "desk.deal")
        return staff.desk().deal() ? std::string(core::toString(staff.desk().deal()->status)) : "none";
    if (name == "desk.notice") return staff.desk().notice().empty() ? "none" : staff.desk().notice().key;
    if (name == "sign.strokes") return std::to_string(staff.desk().signature().strokes().size());
    if (name == "desk.monthly")
        return staff.desk().quote() ? core::formatCents(staff.desk().quote()->monthlyPayment) : "none";
    // HQ's conflicts: the deal on the desk flagged (0/1), the open ones, resolving them.
    if (name == "deal.flagged") return staff.desk().flag() ? "1" : "0";
    if (name == "desk.sign_confirm") return staff.desk().signingNeedsConfirmation() ? "yes" : "no";
    if (name == "sync.conflicts") return std::to_string(staff.status().openConflicts);
    if (name == "conflict.may_resolve") return staff.mayResolveConflicts() ? "yes" : "no";
    if (name == "conflict.resolving") return staff.resolving().empty() ? "none" : staff.resolving();
    if (name == "conflict.notice") return staff.conflictNotice().empty() ? "none" : staff.conflictNotice().key;
    if (name == "screen") return std::string(toString(vm.screen()));
    if (name == "language") return std::string(languageCode(vm.language()));
    if (name == "results") return std::to_string(vm.results().size());
    if (name == "total") return std::to_string(vm.total());
    if (name == "search") return vm.filters().text;
    if (auto it = ui.probes.find(name); it != ui.probes.end()) return it->second;
    if (name == "detail.photos") return std::to_string(vm.vehicle() ? ui::photoCount(ui, *vm.vehicle()) : 0);
    if (name == "photos.loaded") return std::to_string(ui.photoCache ? ui.photoCache->textures() : 0);
    if (name == "compare") return std::to_string(vm.compare().size());
    if (name == "contact.error") return vm.contact().errorKey.empty() ? "none" : vm.contact().errorKey;
    if (name == "contact.name") return vm.contact().name;
    if (name == "contact.licence")
        return vm.contact().licenceChecked ? "checked " + vm.contact().licenceExpiry : std::string("none");
    if (name == "checkin.vin") return staff.checkIn().vin.empty() ? "none" : staff.checkIn().vin;
    if (name == "scanner.state") return std::string(core::scan::toString(staff.status().scannerState));
    if (name == "contact.blank")
        return vm.contact().name.empty() && vm.contact().phone.empty() && vm.contact().email.empty() ? "yes" : "no";
    if (name == "vehicle.make") return vm.vehicle() ? vm.vehicle()->make : "none";
    if (name == "vehicle.stock_no") return vm.vehicle() ? vm.vehicle()->stockNo : "none";
    if (name == "estimate.monthly")
        return vm.estimate().quote ? core::formatCents(vm.estimate().quote->monthlyPayment) : "none";
    if (name == "filters.makes") return std::to_string(vm.filters().makes.size());
    // The other showrooms: "Rivian R1T @ AIR" names a car by make, model and showroom code.
    const auto networkName = [](const core::NetworkVehicle& v) { return v.make + " " + v.model + " @ " + v.storeCode; };
    if (name == "network.count") return std::to_string(vm.networkTotal());
    if (name == "network.placement") return std::string(toString(vm.networkPlacement()));
    if (name == "network.first") return vm.network().empty() ? "none" : networkName(vm.network().front());
    if (name == "network.vehicle") return vm.networkVehicle() ? networkName(*vm.networkVehicle()) : "none";
    if (name == "network.store") return vm.networkVehicle() ? vm.networkVehicle()->storeName : "none";
    if (name == "network.asked") return vm.bringHereAsked() ? "yes" : "no";
    return "<unknown value '" + name + "'>";
}

class Player {
public:
    /// `scanner` performs a `scanner` step (posts to the virtual scanner and waits until the scan has
    /// been handled); it returns an error sentence, or "" when the scan arrived.
    Player(std::vector<ScriptStep> steps, std::string screenshotDir,
           std::function<std::string(const std::string&)> scanner)
        : m_steps(std::move(steps)), m_dir(std::move(screenshotDir)), m_scanner(std::move(scanner)) {}

    bool done() const { return m_next >= m_steps.size() && m_phase == Phase::Idle; }
    bool failed() const { return !m_error.empty(); }
    const std::string& error() const { return m_error; }

    /// Called after ImGui_ImplSDL2_NewFrame, before ImGui::NewFrame: injects this frame's input.
    /// Returns the screenshot file to write at the end of this frame, if any. Advances `nowMs`.
    std::optional<std::string> beforeFrame(ui::Ui& ui, KioskViewModel& vm, const StaffViewModel& staff,
                                           std::int64_t& nowMs) {
        ImGuiIO& io = ImGui::GetIO();
        nowMs += 16; // a script runs on its own clock: 60 frames per kiosk second
        if (m_phase == Phase::Pressing) {
            io.MousePos = m_at;
            io.MouseDown[0] = true;
            if (m_dragLeft != 0) {
                const float stepY = std::abs(m_dragLeft) > 40 ? (m_dragLeft > 0 ? 40.0f : -40.0f) : m_dragLeft;
                m_at.y += stepY;
                m_dragLeft -= stepY;
                io.MousePos = m_at;
                return std::nullopt;
            }
            m_phase = Phase::Releasing;
            return std::nullopt;
        }
        if (m_phase == Phase::Releasing) {
            io.MousePos = m_at;
            io.MouseDown[0] = false;
            m_phase = Phase::Settling;
            m_settle = 3;
            return std::nullopt;
        }
        if (m_phase == Phase::Settling) {
            if (m_keyUp != SDLK_UNKNOWN) {
                SDL_Event e{};
                e.type = SDL_KEYUP;
                e.key.keysym.sym = m_keyUp;
                e.key.keysym.scancode = SDL_GetScancodeFromKey(m_keyUp);
                SDL_PushEvent(&e);
                m_keyUp = SDLK_UNKNOWN;
            }
            io.MousePos = ImVec2(-1000, -1000);
            if (--m_settle <= 0) m_phase = Phase::Idle;
            return std::nullopt;
        }
        if (m_phase == Phase::Waiting) {
            nowMs += std::min<std::int64_t>(m_waitLeft, 250);
            m_waitLeft -= std::min<std::int64_t>(m_waitLeft, 250);
            if (m_waitLeft <= 0) m_phase = Phase::Idle;
            return std::nullopt;
        }
        // Steps find widgets in the last drawn frame: let the first frame be drawn before any step.
        if (m_framesDrawn++ == 0) return std::nullopt;
        if (m_next >= m_steps.size() || failed()) return std::nullopt;
        const ScriptStep& step = m_steps[m_next++];
        const bool input = step.kind == ScriptStep::Kind::Tap || step.kind == ScriptStep::Kind::Drag ||
                           step.kind == ScriptStep::Kind::Type || step.kind == ScriptStep::Kind::Key ||
                           step.kind == ScriptStep::Kind::Scan;
        if (input) vm.userActivity(nowMs); // a person touched the screen; waiting and checking do not
        switch (step.kind) {
        case ScriptStep::Kind::Tap:
        case ScriptStep::Kind::Drag: {
            const ui::Target* t = ui.find(step.target);
            // A screen that just opened may need a frame or two before its widgets exist.
            if (!t && ++m_retries < kMaxRetries) {
                --m_next;
                return std::nullopt;
            }
            m_retries = 0;
            if (!t) {
                m_error = "script line " + std::to_string(step.line) + ": no widget '" + step.target + "' on the " +
                          std::string(staff.active() ? toString(staff.screen()) : toString(vm.screen())) + " screen";
                return std::nullopt;
            }
            m_at = ImVec2((t->min.x + t->max.x) / 2, (t->min.y + t->max.y) / 2);
            // A finger cannot reach what the keyboard sheet covers; a script must put it away first.
            if (ui.keyboard.open() && t->id.rfind("key.", 0) != 0 && m_at.y >= ui.sheetTop) {
                m_error = "script line " + std::to_string(step.line) + ": '" + step.target +
                          "' is under the on-screen keyboard (tap key.done first)";
                return std::nullopt;
            }
            m_dragLeft = step.kind == ScriptStep::Kind::Drag ? static_cast<float>(step.number) : 0.0f;
            io.MousePos = m_at;
            io.MouseDown[0] = false;
            m_phase = Phase::Pressing;
            return std::nullopt;
        }
        case ScriptStep::Kind::Type: {
            SDL_Event e{};
            e.type = SDL_TEXTINPUT;
            std::snprintf(e.text.text, sizeof e.text.text, "%s", step.text.substr(0, sizeof e.text.text - 1).c_str());
            SDL_PushEvent(&e);
            m_phase = Phase::Settling;
            m_settle = 2;
            return std::nullopt;
        }
        case ScriptStep::Kind::Scan: {
            // One event per character, as a wedge scanner delivers them, then Enter.
            for (std::size_t i = 0; i < step.text.size();) {
                std::size_t len = 1;
                const auto lead = static_cast<unsigned char>(step.text[i]);
                if (lead >= 0xF0) len = 4;
                else if (lead >= 0xE0) len = 3;
                else if (lead >= 0xC0) len = 2;
                SDL_Event e{};
                e.type = SDL_TEXTINPUT;
                e.text.timestamp = SDL_GetTicks();
                std::snprintf(e.text.text, sizeof e.text.text, "%s", step.text.substr(i, len).c_str());
                SDL_PushEvent(&e);
                i += len;
            }
            SDL_Event enter{};
            enter.type = SDL_KEYDOWN;
            enter.key.timestamp = SDL_GetTicks();
            enter.key.keysym.sym = SDLK_RETURN;
            enter.key.keysym.scancode = SDL_SCANCODE_RETURN;
            SDL_PushEvent(&enter);
            m_phase = Phase::Settling;
            m_settle = 2;
            return std::nullopt;
        }
        case ScriptStep::Kind::Key: {
            const SDL_Keycode code = step.target == "enter" ? SDLK_RETURN : step.target == "tab" ? SDLK_TAB
                                                                                               : SDLK_BACKSPACE;
            // ImGui 1.86 keeps key state, not key events: a press and release in the same frame is
            // never seen. Press now, release after a frame.
            SDL_Event e{};
            e.type = SDL_KEYDOWN;
            e.key.keysym.sym = code;
            e.key.keysym.scancode = SDL_GetScancodeFromKey(code);
            SDL_PushEvent(&e);
            m_keyUp = code;
            m_phase = Phase::Settling;
            m_settle = 3;
            return std::nullopt;
        }
        case ScriptStep::Kind::Scanner: {
            if (std::string error = m_scanner(step.text); !error.empty()) {
                m_error = "script line " + std::to_string(step.line) + ": " + error;
                return std::nullopt;
            }
            m_phase = Phase::Settling;
            m_settle = 2;
            return std::nullopt;
        }
        case ScriptStep::Kind::Settle:
            // Background work runs in real time while the script's clock stands still.
            if (ui.photoCache && ui.photoCache->busy()) {
                if (m_settleSince == 0) m_settleSince = SDL_GetTicks64();
                if (SDL_GetTicks64() - m_settleSince < 5000) {
                    --m_next;
                    SDL_Delay(5);
                    return std::nullopt;
                }
                m_error = "script line " + std::to_string(step.line) + ": background work did not finish within 5 s";
            }
            m_settleSince = 0;
            return std::nullopt;
        case ScriptStep::Kind::Wait:
            m_waitLeft = step.number;
            m_phase = Phase::Waiting;
            return std::nullopt;
        case ScriptStep::Kind::Await: {
            const std::string got = probe(ui, vm, staff, step.target);
            if (got == step.text) {
                m_settleSince = 0;
                return std::nullopt;
            }
            if (m_settleSince == 0) m_settleSince = SDL_GetTicks64();
            if (SDL_GetTicks64() - m_settleSince < static_cast<std::uint64_t>(step.number)) {
                --m_next;   // look again next frame, after the loop has handled what arrived
                SDL_Delay(10);
                return std::nullopt;
            }
            m_settleSince = 0;
            m_error = "script line " + std::to_string(step.line) + ": " + step.target + " did not become '" + step.text +
                      "' within " + std::to_string(step.number / 1000) + " s (it is '" + got + "')";
            return std::nullopt;
        }
        case ScriptStep::Kind::Expect: {
            const std::string got = probe(ui, vm, staff, step.target);
            if (got != step.text)
                m_error = "script line " + std::to_string(step.line) + ": expected " + step.target + " = '" +
                          step.text + "', got '" + got + "'";
            return std::nullopt;
        }
        case ScriptStep::Kind::Screenshot:
            return m_dir.empty() ? std::string() : (std::filesystem::path(m_dir) / (step.target + ".png")).string();
        }
        return std::nullopt;
    }

private:
    enum class Phase { Idle, Pressing, Releasing, Settling, Waiting };
    std::vector<ScriptStep> m_steps;
    std::string m_dir;
    std::function<std::string(const std::string&)> m_scanner;
    std::size_t m_next = 0;
    std::uint64_t m_settleSince = 0;
    Phase m_phase = Phase::Idle;
    ImVec2 m_at;
    float m_dragLeft = 0;
    int m_settle = 0;
    std::int64_t m_waitLeft = 0;
    int m_framesDrawn = 0;
    int m_retries = 0;
    SDL_Keycode m_keyUp = SDLK_UNKNOWN;
    static constexpr int kMaxRetries = 30;
    std::string m_error;
};

double cpuMs(clockid_t clock) {
    timespec t{};
    clock_gettime(clock, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}
// Every thread of the process: the kiosk plus Mesa's rasteriser threads in headless runs.
double processCpuMs() { return cpuMs(CLOCK_PROCESS_CPUTIME_ID); }
// The main thread alone: what the kiosk's own code costs a frame.
double threadCpuMs() { return cpuMs(CLOCK_THREAD_CPUTIME_ID); }

std::string stats(std::vector<double> v) {
    if (v.empty()) return "n/a";
    std::sort(v.begin(), v.end());
    auto at = [&](double q) { return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))]; };
    char buf[96];
    std::snprintf(buf, sizeof buf, "median %.2f ms, p99 %.2f ms, max %.2f ms", at(0.5), at(0.99), v.back());
    return buf;
}

// `--bench`: cold start to first frame, frame cost on the browse grid with every in-stock car of
// the database loaded while a finger drags it, and the CPU an idle kiosk uses. Prints figures.
template <class Render>
int runBench(const AppOptions& o, KioskViewModel& vm, ui::Ui& ui, std::int64_t& nowMs, Render& renderFrame,
             const double& lastUiCpuMs, EventWait& waiter) {
    using Clock = std::chrono::steady_clock;
    auto ms = [](Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
    auto nothing = [] {};
    auto noShot = []() -> const std::string* { return nullptr; };
    renderFrame(nothing, noShot);
    const double firstFrame = ms(o.startTime, Clock::now());

    // A finger drags the grid up `step` px a frame, lifting every 100 frames (the list then glides).
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    struct Run {
        std::vector<double> wall, cpu, uiCpu;
    };
    auto scroll = [&](int frames, float step) {
        Run r;
        ImVec2 finger(vp->Pos.x + vp->Size.x * 0.62f, vp->Pos.y + vp->Size.y * 0.8f);
        for (int i = 0; i < frames; ++i) {
            nowMs += 16;
            const bool down = i % 100 < 80;
            if (i % 100 == 0) finger.y = vp->Pos.y + vp->Size.y * 0.8f;
            else if (down) finger.y -= step * ui.scale;
            const auto t0 = Clock::now();
            const double c0 = processCpuMs();
            renderFrame(
                [&] {
                    ImGuiIO& io = ImGui::GetIO();
                    io.MousePos = finger;
                    io.MouseDown[0] = down;
                },
                noShot);
            r.cpu.push_back(processCpuMs() - c0);
            r.wall.push_back(ms(t0, Clock::now()));
            r.uiCpu.push_back(lastUiCpuMs);
        }
        return r;
    };

    // 1. From the top of a fresh browse: pages of 48 load inside frames as the finger nears the end.
    vm.touchToStart();
    for (int i = 0; i < 3; ++i) renderFrame(nothing, noShot);
    const Run paging = scroll(600, 60.0f);
    const std::size_t pagedRows = vm.results().size();

    // 2. The grid draws only visible rows, so its cost does not grow with the rows loaded; 10,000
    //    loaded cars show that without paging through a whole 100,000-car stock first.
    auto loadStart = Clock::now();
    while (vm.canLoadMore() && vm.results().size() < 10'000) vm.loadMore();
    const double loadMs = ms(loadStart, Clock::now());
    const std::size_t loaded = vm.results().size();
    const std::int64_t total = vm.total();
    for (int i = 0; i < 3; ++i) renderFrame(nothing, noShot);
    const Run deep = scroll(600, 30.0f);

    // Idle: nothing touches the kiosk for 10 s; the loop waits for events as the real one does.
    struct Idle {
        double processPct = 0, mainThreadPct = 0;
        int frames = 0;
    };
    auto idle = [&](double seconds) {
        const double c0 = processCpuMs(), t0cpu = threadCpuMs();
        const auto t0 = Clock::now();
        Idle r;
        while (ms(t0, Clock::now()) < seconds * 1000.0) {
            nowMs = static_cast<std::int64_t>(SDL_GetTicks64());
            const std::int64_t wake = vm.tick(nowMs);
            SDL_Event e;
            const bool got = wake == 0 ? SDL_PollEvent(&e) : waiter.wait(&e, static_cast<int>(std::clamp<std::int64_t>(wake, 1, 1000)));
            if (got || wake < 50) {
                renderFrame(nothing, noShot);
                ++r.frames;
            }
        }
        r.processPct = 100.0 * (processCpuMs() - c0) / (seconds * 1000.0);
        r.mainThreadPct = 100.0 * (threadCpuMs() - t0cpu) / (seconds * 1000.0);
        return r;
    };
    // The finger lifts and leaves; the frames that show that are drawn before the idle clock starts.
    ImGui::GetIO().MousePos = ImVec2(-1000, -1000);
    for (int i = 0; i < 3 || (ui.animating && i < 300); ++i) renderFrame(nothing, noShot);
    for (SDL_Event e; SDL_PollEvent(&e);) {   // the window's own start-up events, already drawn
    }
    nowMs = static_cast<std::int64_t>(SDL_GetTicks64());
    vm.userActivity(nowMs);   // the customer has just let go: the idle countdown starts now
    const Idle browseIdle = idle(10.0);
    vm.startOver();
    const Idle attractIdle = idle(10.0);

    std::printf("showroom-kiosk bench (%dx%d, headless Mesa llvmpipe)\n", o.width, o.height);
    std::printf("  cold start to first frame:   %.0f ms (target < 1000 ms)\n", firstFrame);
    std::printf("  scrolling from the top:      %zu cars paged in over 600 frames\n", pagedRows);
    std::printf("    UI (main thread CPU):      %s (target p99 < 4 ms)\n", stats(paging.uiCpu).c_str());
    std::printf("    incl. software GL:         %s (process CPU, llvmpipe rasterising)\n", stats(paging.cpu).c_str());
    std::printf("  scrolling 10,000 loaded:     %zu of %lld%s in-stock cars loaded in %.0f ms\n", loaded,
                static_cast<long long>(total), vm.totalIsAtLeast() ? "+" : "", loadMs);
    std::printf("    UI (main thread CPU):      %s (target p99 < 4 ms)\n", stats(deep.uiCpu).c_str());
    std::printf("    incl. software GL:         %s (process CPU, llvmpipe rasterising)\n", stats(deep.cpu).c_str());
    std::printf("    frame wall time:           %s\n", stats(deep.wall).c_str());
    std::printf("  idle CPU, browse, 10 s:      %.2f %% process, %.2f %% main thread (%d frames drawn; target < 1 %%)\n",
                browseIdle.processPct, browseIdle.mainThreadPct, browseIdle.frames);
    std::printf("  idle CPU, attract, 10 s:     %.2f %% process, %.2f %% main thread (%d frames: the 0.5 s cross-fade\n"
                "                               every 7 s at 25 fps, each rasterised in software here)\n",
                attractIdle.processPct, attractIdle.mainThreadPct, attractIdle.frames);
    return 0;
}

// The control character a Ctrl chord types (Ctrl+J is LF, Ctrl+] is GS, Ctrl+^ is RS), as a
// wedge scanner in keyboard mode sends a licence's separators; nullopt for other keys.
std::optional<char> wedgeChord(const SDL_Keysym& key) {
    const SDL_Keycode sym = key.sym;
    if (sym >= SDLK_a && sym <= SDLK_z) return static_cast<char>(sym - SDLK_a + 1);
    if (sym == SDLK_RIGHTBRACKET) return '\x1d';
    if (sym == SDLK_CARET || (sym == SDLK_6 && (key.mod & KMOD_SHIFT))) return '\x1e';
    if (sym == SDLK_BACKSLASH) return '\x1c';
    if (sym == SDLK_MINUS && (key.mod & KMOD_SHIFT)) return '\x1f';
    return std::nullopt;
}

} // namespace

int runKiosk(const AppOptions& options) {
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);

    std::optional<Player> player;
    // Set once the screens exist (below); the script's `scanner` steps go through it.
    std::function<std::string(const std::string&)> scriptScanner;
    if (!options.scriptPath.empty()) {
        std::ifstream in(options.scriptPath);
        if (!in) {
            std::cerr << "showroom-kiosk: cannot read the script " << options.scriptPath << "\n";
            return 2;
        }
        std::stringstream text;
        text << in.rdbuf();
        auto steps = parseScript(text.str());
        if (!steps) {
            std::cerr << "showroom-kiosk: " << steps.error().message << "\n";
            return 2;
        }
        if (!options.screenshotDir.empty()) std::filesystem::create_directories(options.screenshotDir);
        player.emplace(std::move(*steps), options.screenshotDir,
                       [&scriptScanner](const std::string& payload) { return scriptScanner(payload); });
    }

    auto conn = core::openStore(options.dbPath);
    if (!conn) {
        std::cerr << "showroom-kiosk: " << conn.error().message << "\n";
        return 1;
    }
    core::SystemClock clock;
    core::IdGenerator ids;
    core::Context ctx{*conn, clock, ids, "kiosk"};

    auto english = Strings::load(options.assetsDir, Language::English);
    auto chinese = Strings::load(options.assetsDir, Language::Chinese);
    if (!english || !chinese) {
        std::cerr << "showroom-kiosk: " << (english ? chinese.error().message : english.error().message) << "\n";
        return 1;
    }

    auto window = Window::open({options.width, options.height, options.headless, !options.windowed && !options.headless});
    if (!window) {
        std::cerr << "showroom-kiosk: " << window.error().message << "\n";
        return 1;
    }
    // Sizes are designed for 1080 px on the short side: 1920x1080 and 1080x1920 both draw at 1.0.
    const float scale = static_cast<float>(std::min((*window)->width(), (*window)->height())) / 1080.0f;
    if (auto st = theme::loadFonts(std::max(0.5f, scale), english->allText() + chinese->allText()); !st) {
        std::cerr << "showroom-kiosk: " << st.error().message << "\n";
        return 1;
    }
    theme::apply(std::max(0.5f, scale));

    std::int64_t nowMs = SDL_GetTicks64();
    KioskConfig config;
    config.idleTimeoutMs = options.idleTimeoutMs;
    config.testDriveMinimumAge = options.testDriveMinimumAge;
    KioskViewModel vm(ctx, config, nowMs);
    StaffViewModel staff(ctx, options.staffIdleTimeoutMs);
    staff.desk().setDocuments({options.renderer, options.printer, options.contractsDir});
    if (options.printer) staff.setPrinterDescription(options.printer->describe());
    devices::WedgeDecoder wedge(options.wedge);
    std::string typedVin;
    staff.setScannerConnection(options.scannerConnection);

    // Receipts: the print spooler's thread drains the print queue to the receipt printer and posts
    // here after each change, so the payment screen and the status screen follow the job (waiting
    // for paper, printed, ...) without a touch.
    std::atomic<bool> printerChanged{true};
    const Uint32 printerEvent = SDL_RegisterEvents(1);
    std::unique_ptr<devices::print::PrintSpooler> spooler;
    if (!options.receiptPrinter.empty()) {
        auto started = devices::print::PrintSpooler::start({options.dbPath, {}, 2000, [&printerChanged, printerEvent] {
                                                                printerChanged = true;
                                                                SDL_Event e{};
                                                                e.type = printerEvent;
                                                                SDL_PushEvent(&e);
                                                            }});
        if (!started) {
            std::cerr << "showroom-kiosk: the print spooler cannot start: " << started.error().message << "\n";
            return 1;
        }
        spooler = std::move(*started);
        if (spooler->recoveredAtStart() > 0)
            std::cerr << "showroom-kiosk: " << spooler->recoveredAtStart()
                      << " receipt(s) were being printed when the kiosk stopped; they print again marked COPY / REPRINT\n";
        staff.desk().setReceiptPrinting({options.receiptPrinter, [s = spooler.get()] { s->kick(); }});
    }
    // Sync with headquarters, when this store is configured for it (`showroom sync configure`): the
    // client runs on its own thread and posts here after each round that changed something. Another
    // program already syncing this store (the lock) leaves the kiosk without a client, said once.
    std::atomic<bool> syncChanged{true};
    const Uint32 syncEvent = SDL_RegisterEvents(1);
    std::unique_ptr<sync::SyncClient> syncClient;
    std::thread syncThread;
    struct SyncStop {   // stops and joins the client however the loop ends
        std::unique_ptr<sync::SyncClient>& client;
        std::thread& thread;
        ~SyncStop() {
            if (client) client->stop();
            if (thread.joinable()) thread.join();
        }
    } syncStop{syncClient, syncThread};
    if (options.sync) {
        const auto hqUrl = core::getSetting(*conn, "hq_url", "");
        if (hqUrl && !hqUrl->empty()) {
            sync::HqConnection hq;
            hq.url = *hqUrl;
            const auto setting = [&](std::string_view key) {
                auto v = core::getSetting(*conn, key, "");
                return v ? *v : std::string();
            };
            hq.token = setting("hq_token");
            hq.caFile = setting("hq_ca");
            hq.insecure = setting("hq_insecure") == "1";
            if (auto opened = sync::SyncClient::open(options.dbPath, hq)) {
                syncClient = std::move(*opened);
                syncThread = std::thread([client = syncClient.get(), &syncChanged, syncEvent] {
                    client->run([&syncChanged, syncEvent] {
                        syncChanged = true;
                        SDL_Event e{};
                        e.type = syncEvent;
                        SDL_PushEvent(&e);
                    });
                });
            } else {
                std::cerr << "showroom-kiosk: not syncing with headquarters: " << opened.error().message << "\n";
            }
        }
    }
    auto pumpSync = [&] {
        if (!syncChanged.exchange(false)) return false;
        staff.refreshStatus();
        return true;
    };

    // What the spooler last said about the receipt printer, for the staff screens.
    auto pumpPrinter = [&] {
        if (!spooler || !printerChanged.exchange(false)) return false;
        std::string state = "unknown", message;
        for (const auto& p : spooler->printers()) {
            if (p.printer != options.receiptPrinter) continue;
            message = p.lastError;
            if (!p.waitingFor.empty()) state = p.waitingFor;
            else if (p.status && p.status->paperNearEnd) state = "paper_near_end";
            else if (p.status) state = "ready";
        }
        staff.receiptPrinterStatus(options.receiptPrinter, state, message);
        return true;
    };

    // Scanners other than the wedge run on their own threads and post here; each post wakes the
    // loop with an SDL event, so a scan shows at once on an otherwise sleeping kiosk.
    core::scan::ScanMailbox scanMailbox;
    const Uint32 scanArrived = SDL_RegisterEvents(1);
    scanMailbox.setWakeUp([scanArrived] {
        SDL_Event e{};
        e.type = scanArrived;
        SDL_PushEvent(&e);
    });
    // A scan means what the screen showing says: a VIN on check-in, a licence on a test-drive form.
    auto routeScan = [&](const std::string& bytes) {
        if (staff.active()) {
            if (staff.screen() == StaffScreen::CheckIn) staff.scan(bytes);
            staff.userActivity(nowMs);
        } else if (core::scan::looksLikeLicence(bytes)) {
            if (vm.scanLicence(bytes)) vm.userActivity(nowMs);
        }
    };
    auto handleScanEvents = [&](std::vector<core::scan::ScanEvent> events) {
        for (auto& event : events) {
            if (const auto* scan = std::get_if<core::scan::Scan>(&event)) routeScan(scan->bytes);
            else staff.scannerStatus(std::get<core::scan::ScannerStatus>(event));
        }
        return !events.empty();
    };
    scriptScanner = [&](const std::string& payload) -> std::string {
        if (!options.virtualScanner) return "'scanner' needs the kiosk started with --scanner virtual";
        options.virtualScanner->post(payload);
        // The scanner's thread delivers; wait (real time, bounded) until this scan has been handled.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (std::chrono::steady_clock::now() < deadline) {
            auto events = scanMailbox.waitAndDrain(std::chrono::milliseconds(50));
            const bool gotScan = std::any_of(events.begin(), events.end(), [](const core::scan::ScanEvent& e) {
                return std::holds_alternative<core::scan::Scan>(e);
            });
            handleScanEvents(std::move(events));
            if (gotScan) return "";
        }
        return "the virtual scanner delivered nothing within 5 s";
    };
    struct ScannerRun {   // stops the scanner's thread however the loop ends
        core::scan::ScanSource* source;
        ~ScannerRun() {
            if (source) source->stop();
        }
    } scannerRun{options.scanner};
    if (options.scanner) options.scanner->start(scanMailbox.sink());
    const bool lockedDown = !options.windowed && !options.headless;
    ui::Ui ui;
    ui.scale = std::max(0.5f, scale);
    // Photos: indexed once, decoded on the cache's thread, uploaded here a few per frame; 96 MB of
    // textures at most (about 45 full-screen photos or 400 card thumbnails).
    const PhotoFolder photoFolder(options.photosDir);
    const Uint32 photoReady = SDL_RegisterEvents(1);
    PhotoCache photoCache(
        [](const DecodedImage& img) -> std::uint64_t {
            GLuint tex = 0;
            glGenTextures(1, &tex);
            glBindTexture(GL_TEXTURE_2D, tex);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
            glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
            glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, img.width, img.height, 0, GL_RGBA, GL_UNSIGNED_BYTE, img.rgba.data());
            return tex;
        },
        [](std::uint64_t tex) {
            const auto id = static_cast<GLuint>(tex);
            glDeleteTextures(1, &id);
        },
        96u << 20,
        [photoReady] {   // decoder thread: wake the main loop so the photo shows without a touch
            SDL_Event e{};
            e.type = photoReady;
            SDL_PushEvent(&e);
        });
    if (!options.photosDir.empty()) {
        ui.photos = &photoFolder;
        ui.photoCache = &photoCache;
    }
    // The payment screen's receipt preview: the job's bytes through the virtual printer's renderer,
    // uploaded once per job.
    struct ReceiptTexture {
        std::int64_t job = -1;
        ui::Ui::Preview preview;
        ~ReceiptTexture() {
            const auto id = static_cast<GLuint>(preview.texture);
            if (id) glDeleteTextures(1, &id);
        }
    } receiptTexture;
    const auto receiptProfile = devices::print::parsePrinterConnection(options.receiptPrinter.empty() ? "virtual" : options.receiptPrinter);
    ui.receiptPreview = [&receiptTexture, &receiptProfile](std::int64_t jobId, const std::string& bytes) {
        if (receiptTexture.job == jobId) return receiptTexture.preview;
        if (receiptTexture.preview.texture) {
            const auto old = static_cast<GLuint>(receiptTexture.preview.texture);
            glDeleteTextures(1, &old);
        }
        receiptTexture.job = jobId;
        receiptTexture.preview = {};
        const auto profile = receiptProfile ? receiptProfile->profile : devices::escpos::PrinterProfile{};
        const auto paper = devices::print::renderEscPos(bytes, profile, devices::print::sharedRasterizer());
        if (paper.empty() || paper.front().paper.empty()) return receiptTexture.preview;
        const auto& dots = paper.front().paper;
        std::vector<unsigned char> rgba(static_cast<std::size_t>(dots.width) * dots.height * 4);
        for (std::size_t i = 0; i < dots.dots.size(); ++i) {
            const unsigned char v = dots.dots[i] ? 20 : 255;
            rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = v;
            rgba[i * 4 + 3] = 255;
        }
        GLuint tex = 0;
        glGenTextures(1, &tex);
        glBindTexture(GL_TEXTURE_2D, tex);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, dots.width, dots.height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
        receiptTexture.preview = {tex, dots.width, dots.height};
        return receiptTexture.preview;
    };
    screens::DrawState state;
    bool redraw = true;
    EventWait waiter;

    // One frame: input injection (scripts, bench), the screens, render, present. A screen that
    // throws is logged, its half-built windows closed, and the kiosk returns to the attract loop.
    double lastUiCpuMs = 0; // building this frame's draw lists, before the renderer: for --bench
    auto renderFrame = [&](auto&& inject, auto&& screenshotPath) {
        (*window)->beginFrame();
        inject();
        const double uiStart = threadCpuMs();
        photoCache.pump();
        ImGui::NewFrame();
        ui.strings = vm.language() == Language::Chinese ? &*chinese : &*english;
        state.nowMs = nowMs;
        if (vm.takeStaffRequest()) {
            staff.open();
            staff.userActivity(nowMs);
        }
        try {
            if (staff.active()) screens::drawStaff(ui, staff, state);
            else screens::draw(ui, vm, state);
            ui::keyboardSheet(ui);
        } catch (const std::exception& e) {
            std::cerr << "showroom-kiosk: a frame failed (" << e.what() << "); returning to the start screen\n";
            ImGui::ErrorCheckEndFrameRecover(nullptr);
            staff.signOut();
            vm.recover(nowMs);
        }
        ImGui::EndFrame();
        lastUiCpuMs = threadCpuMs() - uiStart;
        if (auto st = (*window)->endFrame(screenshotPath()); !st)
            std::cerr << "showroom-kiosk: " << st.error().message << "\n";
    };

    if (options.bench) return runBench(options, vm, ui, nowMs, renderFrame, lastUiCpuMs, waiter);

    while (!g_stop) {
        // Sleep until something happens: input, or the view-model's next timer.
        if (!player) nowMs = static_cast<std::int64_t>(SDL_GetTicks64());
        std::int64_t wake = std::min(vm.tick(nowMs), staff.tick(nowMs));
        // A wedge burst that ends on silence (a licence) is due when its keys have stopped.
        if (const auto due = wedge.deadlineMs())
            wake = std::min<std::int64_t>(wake, std::max<std::int64_t>(0, *due - static_cast<std::int64_t>(SDL_GetTicks64())));
        SDL_Event event;
        bool gotEvent = false;
        if (player || redraw || ui.animating || wake == 0) {
            gotEvent = SDL_PollEvent(&event);
        } else {
            gotEvent = waiter.wait(&event, static_cast<int>(std::clamp<std::int64_t>(wake, 1, 1000)));
            if (!gotEvent) continue; // a timer is due: tick again, and draw only if it changed something
        }
        while (gotEvent) {
            const std::int64_t eventMs = player ? nowMs : static_cast<std::int64_t>(SDL_GetTicks64());
            // On the check-in screen, keys that no text field wants belong to the wedge scanner; so
            // do they on a vehicle's page and the test-drive form, where a licence may be scanned.
            const bool scanning = staff.active() && staff.screen() == StaffScreen::CheckIn && !ui.keyboard.open();
            const bool licenceScanning = !staff.active() && !ui.keyboard.open() &&
                                         (vm.screen() == Screen::Detail || vm.screen() == Screen::Contact);
            const bool wedgeKeys = scanning || licenceScanning;
            const bool ctrl = event.type == SDL_KEYDOWN && (event.key.keysym.mod & KMOD_CTRL) != 0;
            std::vector<devices::WedgeEvent> scans;
            if (ui.keyboard.open() && (event.type == SDL_TEXTINPUT || event.type == SDL_KEYDOWN)) {
                // A physical keyboard types into the focused field exactly as the sheet's keys do.
                if (event.type == SDL_TEXTINPUT) ui.keyboard.type(event.text.text);
                else if (event.key.keysym.sym == SDLK_BACKSPACE) ui.keyboard.backspace();
                else if (event.key.keysym.sym == SDLK_RETURN || event.key.keysym.sym == SDLK_KP_ENTER) ui.keyboard.enter();
                else if (event.key.keysym.sym == SDLK_ESCAPE) ui.keyboard.close();
            } else if (wedgeKeys && event.type == SDL_TEXTINPUT) {
                scans = wedge.text(event.text.text, event.text.timestamp);
            } else if (wedgeKeys && ctrl && wedgeChord(event.key.keysym)) {
                // A licence's LF, RS and GS arrive as Ctrl chords from a scanner in keyboard mode.
                scans = wedge.control(*wedgeChord(event.key.keysym), event.key.timestamp);
            } else if (wedgeKeys && event.type == SDL_KEYDOWN &&
                       (event.key.keysym.sym == SDLK_RETURN || event.key.keysym.sym == SDLK_KP_ENTER ||
                        event.key.keysym.sym == SDLK_TAB)) {
                scans = wedge.terminator(event.key.timestamp, event.key.keysym.sym == SDLK_TAB);
            } else {
                ImGui_ImplSDL2_ProcessEvent(&event);
            }
            // A VIN typed by hand (no field focused) collects until Enter, then decodes like a scan.
            const bool enter = event.type == SDL_KEYDOWN &&
                               (event.key.keysym.sym == SDLK_RETURN || event.key.keysym.sym == SDLK_KP_ENTER);
            for (const auto& w : scans) {
                if (w.kind == devices::WedgeEvent::Kind::Scan) {
                    typedVin.clear();
                    routeScan(core::scan::makeScan("wedge", w.text, core::scan::Symbology::Unknown, eventMs).bytes);
                } else if (scanning) {
                    typedVin += w.text;
                }
            }
            if (scanning && enter && !typedVin.empty()) staff.scan(std::exchange(typedVin, std::string()));
            switch (event.type) {
            case SDL_QUIT:
                // A locked-down kiosk is closed only from staff mode, by a manager or an admin.
                if (lockedDown) {
                    staff.open();
                    staff.userActivity(eventMs);
                } else {
                    g_stop = true;
                }
                break;
            case SDL_MOUSEBUTTONDOWN:
            case SDL_FINGERDOWN:
            case SDL_KEYDOWN:
            case SDL_TEXTINPUT:
                vm.userActivity(eventMs);
                staff.userActivity(eventMs);
                break;
            default: break;
            }
            gotEvent = SDL_PollEvent(&event);
        }
        for (const auto& w : wedge.poll(static_cast<std::int64_t>(SDL_GetTicks64()))) {
            if (w.kind == devices::WedgeEvent::Kind::Scan) {
                routeScan(core::scan::makeScan("wedge", w.text, core::scan::Symbology::Unknown, nowMs).bytes);
                redraw = true;
            } else if (staff.active() && staff.screen() == StaffScreen::CheckIn) {
                typedVin += w.text;
            }
        }
        if (handleScanEvents(scanMailbox.drain())) redraw = true;
        if (pumpPrinter()) redraw = true;
        if (pumpSync()) redraw = true;

        std::optional<std::string> shot;
        renderFrame(
            [&] {
                if (player) {
                    shot = player->beforeFrame(ui, vm, staff, nowMs);
                    vm.tick(nowMs);
                    staff.tick(nowMs);
                }
            },
            [&] { return shot && !shot->empty() ? &*shot : nullptr; });
        redraw = ImGui::IsAnyItemActive() || ui.animating;

        if (staff.closeRequested()) return 0;
        if (player && player->failed()) {
            std::cerr << "showroom-kiosk: " << player->error() << "\n";
            return 1;
        }
        if (player && player->done()) return 0;
    }
    return 0;
}

} // namespace showroom::kiosk
