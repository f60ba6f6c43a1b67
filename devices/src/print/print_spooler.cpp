#include "showroom/devices/print/print_spooler.hpp"

#include "showroom/core/clock.hpp"
#include "showroom/core/journal.hpp"
#include "showroom/core/store.hpp"
#include "showroom/devices/print/printer_ports.hpp"

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace showroom::devices::print {

struct PrintSpooler::State {
    Options options;
    core::db::Connection db;
    core::SystemClock clock;
    core::IdGenerator ids;
    int recovered = 0;

    mutable std::mutex mutex;
    std::condition_variable wake;
    bool kicked = false;
    bool stopping = false;
    std::map<std::string, PrinterState> printers;   // guarded by mutex
    std::map<std::string, std::unique_ptr<core::print::PrinterPort>> ports;   // spooler thread only
    std::thread thread;

    State(Options o, core::db::Connection c) : options(std::move(o)), db(std::move(c)) {}

    void publish(const std::string& printer, const PrinterState& state) {
        {
            std::lock_guard lock(mutex);
            printers[printer] = state;
        }
        if (options.onChange) options.onChange();
    }

    // Drains one printer until it is empty or has to wait. True when it waits (so: ask again later).
    bool drain(core::print::PrintQueue& queue, const std::string& printer) {
        PrinterState state;
        state.printer = printer;
        auto& port = ports[printer];
        if (!port) {
            auto opened = options.openPort(printer);
            if (!opened) {
                // A connection string that cannot work: every job for it fails now, visibly, rather
                // than waiting for ever. (The CLI and the kiosk check strings before queueing.)
                state.waitingFor = "error";
                state.lastError = opened.error().message;
                publish(printer, state);
                return true;
            }
            port = std::move(*opened);
        }
        state.description = port->describe();
        for (int jobs = 0; jobs < 1000; ++jobs) {
            auto out = queue.printNext(printer, *port);
            if (!out) {
                state.lastError = out.error().message;
                state.waitingFor = "error";
                publish(printer, state);
                return true;
            }
            if (!out->has_value()) break;
            const auto& o = **out;
            state.waitingFor = o.waitingFor;
            state.lastError = o.error;
            if (!o.waitingFor.empty() || (o.state != core::print::JobState::Printed && !o.sent)) {
                publish(printer, state);
                return true;
            }
            publish(printer, state);
            if (o.state == core::print::JobState::Queued) return true;   // a send broke: try later
        }
        // Idle: remember how the printer looked last (cheap; keeps the status screen honest).
        if (auto s = port->status(); s) state.status = *s;
        else state.lastError = s.error().message, state.waitingFor = "unreachable";
        publish(printer, state);
        return false;
    }

    void run() {
        core::Context ctx{db, clock, ids, "spooler"};
        core::print::PrintQueue queue(ctx);
        std::unique_lock lock(mutex);
        while (!stopping) {
            kicked = false;
            lock.unlock();
            bool waiting = false;
            auto work = queue.printersWithWork();
            if (work) {
                for (const auto& printer : *work) waiting = drain(queue, printer) || waiting;
            } else {
                waiting = true;   // the database was busy: look again shortly
            }
            lock.lock();
            if (stopping) break;
            const auto pause = std::chrono::milliseconds(waiting ? options.retryMs : 60'000);
            wake.wait_for(lock, pause, [this] { return kicked || stopping; });
        }
    }
};

core::Result<std::unique_ptr<PrintSpooler>> PrintSpooler::start(Options options) {
    if (!options.openPort) options.openPort = [](std::string_view c) { return openPrinterPort(c); };
    auto db = core::openStore(options.dbPath);
    if (!db) return db.error();
    auto state = std::make_shared<State>(std::move(options), std::move(*db));
    core::Context ctx{state->db, state->clock, state->ids, "spooler"};
    auto recovered = core::print::PrintQueue(ctx).recover();
    if (!recovered) return recovered.error();
    state->recovered = *recovered;
    state->thread = std::thread([s = state.get()] { s->run(); });
    return std::unique_ptr<PrintSpooler>(new PrintSpooler(std::move(state)));
}

PrintSpooler::PrintSpooler(std::shared_ptr<State> state) : m_state(std::move(state)) {}

PrintSpooler::~PrintSpooler() { stop(); }

void PrintSpooler::kick() {
    {
        std::lock_guard lock(m_state->mutex);
        m_state->kicked = true;
    }
    m_state->wake.notify_all();
}

std::vector<PrintSpooler::PrinterState> PrintSpooler::printers() const {
    std::lock_guard lock(m_state->mutex);
    std::vector<PrinterState> out;
    for (const auto& [name, state] : m_state->printers) out.push_back(state);
    return out;
}

int PrintSpooler::recoveredAtStart() const { return m_state->recovered; }

void PrintSpooler::stop() {
    {
        std::lock_guard lock(m_state->mutex);
        if (m_state->stopping && !m_state->thread.joinable()) return;
        m_state->stopping = true;
    }
    m_state->wake.notify_all();
    if (m_state->thread.joinable()) m_state->thread.join();
}

} // namespace showroom::devices::print
