#include "showroom/devices/scan/virtual_scanner.hpp"

#include "scan_util.hpp"

#include <charconv>
#include <chrono>
#include <fstream>
#include <sstream>

namespace showroom::devices {

namespace {

using core::ErrorCode;
using core::fail;
using core::scan::ScannerStatus;


int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

} // namespace

core::Result<std::string> unescapePayload(std::string_view escaped) {
    std::string out;
    for (std::size_t i = 0; i < escaped.size(); ++i) {
        if (escaped[i] != '\\') {
            out += escaped[i];
            continue;
        }
        if (++i == escaped.size()) return fail(ErrorCode::InvalidInput, "a lone '\\' at the end");
        switch (escaped[i]) {
        case 'r': out += '\r'; break;
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case '\\': out += '\\'; break;
        case 'x': {
            const int hi = i + 1 < escaped.size() ? hexValue(escaped[i + 1]) : -1;
            const int lo = i + 2 < escaped.size() ? hexValue(escaped[i + 2]) : -1;
            if (hi < 0 || lo < 0) return fail(ErrorCode::InvalidInput, "\\x needs two hex digits");
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
            break;
        }
        default: return fail(ErrorCode::InvalidInput, std::string("unknown escape '\\") + escaped[i] + "'");
        }
    }
    return out;
}

core::Result<std::vector<VirtualStep>> parseVirtualScript(std::string_view script) {
    std::vector<VirtualStep> steps;
    int lineNo = 0;
    while (!script.empty()) {
        const std::size_t eol = script.find('\n');
        std::string_view line = script.substr(0, eol);
        script = eol == std::string_view::npos ? std::string_view() : script.substr(eol + 1);
        ++lineNo;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const std::size_t first = line.find_first_not_of(" \t");
        if (first == std::string_view::npos || line[first] == '#') continue;
        line.remove_prefix(first);
        const std::size_t space = line.find(' ');
        const std::string_view verb = line.substr(0, space);
        const std::string_view arg = space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
        const auto bad = [lineNo](const std::string& why) {
            return fail(ErrorCode::InvalidInput, "virtual scanner script, line " + std::to_string(lineNo) + ": " + why);
        };
        VirtualStep step;
        if (verb == "scan" || verb.starts_with("scan@")) {
            step.kind = VirtualStep::Kind::Scan;
            if (verb.size() > 4) {
                step.symbology = core::scan::symbologyFromName(verb.substr(5));
                if (step.symbology == core::scan::Symbology::Unknown)
                    return bad("unknown symbology '" + std::string(verb.substr(5)) + "' (Code39, Code128, ...)");
            }
            auto payload = unescapePayload(arg);
            if (!payload) return bad(payload.error().message);
            if (payload->empty()) return bad("scan needs a payload");
            step.payload = std::move(*payload);
        } else if (verb == "wait") {
            int ms = -1;
            const auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), ms);
            if (ec != std::errc() || end != arg.data() + arg.size() || ms < 0 || ms > 60'000)
                return bad("wait needs milliseconds from 0 to 60000");
            step.kind = VirtualStep::Kind::Wait;
            step.waitMs = ms;
        } else if (verb == "unplug" && arg.empty()) {
            step.kind = VirtualStep::Kind::Unplug;
        } else if (verb == "replug" && arg.empty()) {
            step.kind = VirtualStep::Kind::Replug;
        } else {
            return bad("expected 'scan PAYLOAD', 'wait MS', 'unplug' or 'replug'");
        }
        steps.push_back(std::move(step));
    }
    return steps;
}

VirtualScanner::VirtualScanner(std::string connection, std::vector<VirtualStep> script)
    : m_connection(std::move(connection)), m_queue(std::make_move_iterator(script.begin()), std::make_move_iterator(script.end())) {}

VirtualScanner::~VirtualScanner() { stop(); }

void VirtualScanner::start(core::scan::ScanSink sink) {
    m_thread = std::thread([this, sink = std::move(sink)] { run(sink); });
}

void VirtualScanner::stop() {
    if (!m_thread.joinable()) return;
    {
        const std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void VirtualScanner::enqueue(VirtualStep step) {
    {
        const std::lock_guard lock(m_mutex);
        if (step.kind == VirtualStep::Kind::Scan && !m_plugged) return;
        if (step.kind == VirtualStep::Kind::Unplug) m_plugged = false;
        if (step.kind == VirtualStep::Kind::Replug) m_plugged = true;
        m_queue.push_back(std::move(step));
    }
    m_wake.notify_all();
}

void VirtualScanner::post(std::string payload, core::scan::Symbology symbology) {
    VirtualStep step;
    step.payload = std::move(payload);
    step.symbology = symbology;
    enqueue(std::move(step));
}

void VirtualScanner::unplug() { enqueue({VirtualStep::Kind::Unplug, {}, {}, 0}); }
void VirtualScanner::replug() { enqueue({VirtualStep::Kind::Replug, {}, {}, 0}); }

void VirtualScanner::run(core::scan::ScanSink sink) {
    sink(ScannerStatus{m_connection, ScannerStatus::State::Connected, ""});
    bool connected = true;
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        if (m_queue.empty()) {
            m_wake.wait(lock, [this] { return m_stop || !m_queue.empty(); });
            continue;
        }
        VirtualStep step = std::move(m_queue.front());
        m_queue.pop_front();
        if (step.kind == VirtualStep::Kind::Wait) {
            // Waits, but stop() cuts the pause short.
            m_wake.wait_for(lock, std::chrono::milliseconds(step.waitMs), [this] { return m_stop; });
            continue;
        }
        lock.unlock();
        switch (step.kind) {
        case VirtualStep::Kind::Scan:
            if (connected) sink(core::scan::makeScan(m_connection, step.payload, step.symbology, detail::steadyMs()));
            break;
        case VirtualStep::Kind::Unplug:
            if (connected) sink(ScannerStatus{m_connection, ScannerStatus::State::Disconnected, "the virtual scanner was unplugged"});
            connected = false;
            break;
        case VirtualStep::Kind::Replug:
            if (!connected) sink(ScannerStatus{m_connection, ScannerStatus::State::Connected, ""});
            connected = true;
            break;
        case VirtualStep::Kind::Wait: break;
        }
        lock.lock();
    }
}

core::Result<std::unique_ptr<VirtualScanner>> openVirtualScanner(std::string_view connection) {
    if (connection == "virtual") return std::make_unique<VirtualScanner>();
    if (!connection.starts_with("virtual:"))
        return fail(ErrorCode::InvalidInput, "a virtual scanner is 'virtual' or 'virtual:SCRIPT'");
    const std::string path(connection.substr(8));
    std::ifstream file(path, std::ios::binary);
    if (!file) return fail(ErrorCode::Io, "cannot read the virtual scanner script " + path);
    std::ostringstream text;
    text << file.rdbuf();
    auto steps = parseVirtualScript(text.str());
    if (!steps) return steps.error();
    return std::make_unique<VirtualScanner>(std::string(connection), std::move(*steps));
}

} // namespace showroom::devices
