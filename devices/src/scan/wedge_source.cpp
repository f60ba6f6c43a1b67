#include "showroom/devices/scan/wedge_source.hpp"

#include "scan_util.hpp"

#include "showroom/devices/scan/virtual_scanner.hpp"

#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <optional>

namespace showroom::devices {

namespace {

using core::ErrorCode;
using core::fail;
using core::scan::ScannerStatus;



// Length of the UTF-8 sequence a lead byte starts (1 for anything that is not a lead byte).
std::size_t sequenceLength(unsigned char lead) {
    return lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
}

} // namespace

core::Result<WedgeConfig> parseWedgeConnection(std::string_view connection) {
    if (!connection.starts_with("wedge") || (connection.size() > 5 && connection[5] != '?'))
        return fail(ErrorCode::InvalidInput, "a keyboard-wedge scanner is 'wedge' or 'wedge?gap_ms=40&...'");
    WedgeConfig config;
    std::string_view rest = connection.size() > 6 ? connection.substr(6) : std::string_view();
    while (!rest.empty()) {
        const std::size_t amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        const std::size_t eq = pair.find('=');
        const std::string_view key = pair.substr(0, eq);
        const std::string_view value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
        if (key == "gap_ms") {
            const auto ms = detail::parseInt(value);
            if (!ms || *ms < 5 || *ms > 500) return fail(ErrorCode::InvalidInput, "wedge: gap_ms must be 5 to 500");
            config.maxGapMs = *ms;
        } else if (key == "min_length") {
            const auto n = detail::parseInt(value);
            if (!n || *n < 1 || *n > 100) return fail(ErrorCode::InvalidInput, "wedge: min_length must be 1 to 100");
            config.minLength = static_cast<std::size_t>(*n);
        } else if (key == "suffix") {
            if (value != "enter" && value != "tab" && value != "both" && value != "none")
                return fail(ErrorCode::InvalidInput, "wedge: suffix must be enter, tab, both or none");
            config.enterTerminates = value == "enter" || value == "both";
            config.tabTerminates = value == "tab" || value == "both";
        } else if (key == "prefix") {
            auto prefix = unescapePayload(value);
            if (!prefix || prefix->empty())
                return fail(ErrorCode::InvalidInput, "wedge: prefix must be a character or an escape like \\x02");
            config.prefix = std::move(*prefix);
        } else {
            return fail(ErrorCode::InvalidInput,
                        "wedge: unknown option '" + std::string(key) + "' (gap_ms, min_length, suffix, prefix)");
        }
    }
    return config;
}

WedgeSource::WedgeSource(std::string connection, WedgeConfig config, int fd)
    : m_connection(std::move(connection)), m_config(std::move(config)), m_fd(fd) {}

WedgeSource::~WedgeSource() { stop(); }

void WedgeSource::start(core::scan::ScanSink sink) {
    m_stop = false;
    m_wakeFd = detail::openWakeFd();
    m_thread = std::thread([this, sink = std::move(sink)] { run(sink); });
}

void WedgeSource::stop() {
    if (!m_thread.joinable()) return;
    m_stop = true;
    detail::signalWakeFd(m_wakeFd);
    m_thread.join();
    ::close(m_wakeFd);
    m_wakeFd = -1;
}

void WedgeSource::run(core::scan::ScanSink sink) {
    // Raw mode on a terminal, restored however the loop ends.
    termios saved{};
    const bool tty = ::isatty(m_fd) && ::tcgetattr(m_fd, &saved) == 0;
    if (tty) {
        termios raw = saved;
        raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO | ISIG | IEXTEN);
        raw.c_iflag &= ~static_cast<tcflag_t>(ICRNL | INLCR | IGNCR | IXON);
        raw.c_cc[VMIN] = 1;
        raw.c_cc[VTIME] = 0;
        ::tcsetattr(m_fd, TCSANOW, &raw);
    }
    sink(ScannerStatus{m_connection, ScannerStatus::State::Connected, ""});

    WedgeDecoder decoder(m_config);
    std::string partial;   // a UTF-8 sequence split across reads
    auto deliver = [&](std::vector<WedgeEvent> events) {
        for (auto& e : events)
            if (e.kind == WedgeEvent::Kind::Scan)
                sink(core::scan::makeScan(m_connection, e.text, core::scan::Symbology::Unknown, detail::steadyMs()));
        // Typed text is a person at the console, not a scan: it is not posted.
    };
    char buffer[4096];
    while (!m_stop) {
        const int timeout = detail::pollTimeoutMs(decoder.deadlineMs());
        pollfd fds[2] = {{m_fd, POLLIN, 0}, {m_wakeFd, POLLIN, 0}};
        const int ready = ::poll(fds, 2, timeout);
        if (ready > 0 && (fds[0].revents & (POLLIN | POLLHUP))) {
            const ssize_t n = ::read(m_fd, buffer, sizeof buffer);
            if (n <= 0) {
                deliver(decoder.flush(detail::steadyMs()));
                sink(ScannerStatus{m_connection, ScannerStatus::State::Disconnected, "the input ended"});
                break;
            }
            const std::int64_t t = detail::steadyMs();
            partial.append(buffer, static_cast<std::size_t>(n));
            std::size_t i = 0;
            while (i < partial.size()) {
                const auto c = static_cast<unsigned char>(partial[i]);
                if (c == '\r') deliver(decoder.terminator(t));
                else if (c == '\t') deliver(decoder.terminator(t, /*isTab=*/true));
                else if (c < 0x20 || c == 0x7F) deliver(decoder.control(static_cast<char>(c), t));
                else {
                    const std::size_t len = sequenceLength(c);
                    if (i + len > partial.size()) break;   // the rest of this character is still coming
                    deliver(decoder.text(std::string_view(partial).substr(i, len), t));
                    i += len;
                    continue;
                }
                ++i;
            }
            partial.erase(0, i);
        }
        deliver(decoder.poll(detail::steadyMs()));
    }
    if (tty) ::tcsetattr(m_fd, TCSANOW, &saved);
}

} // namespace showroom::devices
