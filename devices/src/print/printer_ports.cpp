#include "showroom/devices/print/printer_ports.hpp"

#include "../scan/scan_util.hpp"
#include "showroom/devices/print/usb_printer.hpp"
#include "showroom/devices/print/virtual_printer.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

namespace showroom::devices::print {

namespace {

using core::ErrorCode;
using core::fail;

std::string errnoText(int err) { return std::strerror(err); }

// Reads the four answers to escpos::fullStatusRequest() from `fd` within `timeoutMs`, skipping bytes
// that are not status bytes (a printer may have sent an automatic status back earlier).
// nullopt when they did not all come.
std::optional<std::array<std::uint8_t, 4>> readStatusAnswers(int fd, int timeoutMs) {
    std::array<std::uint8_t, 4> answers{};
    std::size_t got = 0;
    const auto deadline = detail::steadyMs() + timeoutMs;
    while (got < answers.size()) {
        const auto left = deadline - detail::steadyMs();
        if (left <= 0) return std::nullopt;
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(left));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return std::nullopt;
        std::uint8_t buf[16];
        const auto n = ::read(fd, buf, sizeof buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) return std::nullopt;
        for (ssize_t i = 0; i < n && got < answers.size(); ++i)
            if (escpos::isStatusByte(buf[i])) answers[got++] = buf[i];
    }
    return answers;
}

// Writes all of `bytes` to a non-blocking descriptor; each wait for room may take `ioMs` (a slow
// printer keeps the job going as long as it keeps taking bytes). Returns what was written and the error.
core::print::SendResult writeAll(int fd, std::string_view bytes, int ioMs, bool socket) {
    core::print::SendResult r;
    while (r.written < bytes.size()) {
        const auto chunk = bytes.substr(r.written, 16 * 1024);
        const ssize_t n = socket ? ::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL)
                                 : ::write(fd, chunk.data(), chunk.size());
        if (n > 0) {
            r.written += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            pollfd p{fd, POLLOUT, 0};
            const int ready = ::poll(&p, 1, ioMs);
            if (ready == 0) {
                r.status = fail(ErrorCode::Io, "the printer took no data for " + std::to_string(ioMs / 1000) +
                                                    " s (offline, out of paper, or jammed)");
                return r;
            }
            if (ready < 0 && errno != EINTR) {
                r.status = fail(ErrorCode::Io, "waiting for the printer failed: " + errnoText(errno));
                return r;
            }
            if (ready > 0 && (p.revents & (POLLERR | POLLHUP))) {
                r.status = fail(ErrorCode::Io, "the printer closed the connection during the job");
                return r;
            }
            continue;
        }
        r.status = fail(ErrorCode::Io, (errno == EPIPE || errno == ECONNRESET)
                                           ? "the printer closed the connection during the job"
                                           : "writing to the printer failed: " + errnoText(errno));
        return r;
    }
    return r;
}

core::Result<int> parseMs(std::string_view key, std::string_view value, int lo, int hi) {
    const auto n = detail::parseInt(value);
    if (!n || *n < lo || *n > hi)
        return fail(ErrorCode::InvalidInput, std::string(key) + " must be a whole number of milliseconds from " +
                                                 std::to_string(lo) + " to " + std::to_string(hi));
    return *n;
}

} // namespace

core::Result<PrinterConnection> parsePrinterConnection(std::string_view text) {
    PrinterConnection c;
    c.text = std::string(text);
    std::string_view rest = text;
    if (const auto hash = rest.find('#'); hash != std::string_view::npos) {
        auto profile = escpos::PrinterProfile::named(rest.substr(hash + 1));
        if (!profile) return profile.error();
        c.profile = *profile;
        rest = rest.substr(0, hash);
    }
    auto after = [&rest](std::string_view prefix) { return rest.substr(prefix.size()); };
    if (rest == "virtual") {
        c.kind = PrinterConnection::Kind::Virtual;
        return c;
    }
    if (rest.starts_with("usb:")) {
        c.kind = PrinterConnection::Kind::Usb;
        c.usb = std::string(after("usb:"));
        if (auto usb = parseUsbPrinter(c.usb); !usb) return usb.error();
        return c;
    }
    if (rest.starts_with("dev:") || rest.starts_with("file:")) {
        c.kind = rest.starts_with("dev:") ? PrinterConnection::Kind::Device : PrinterConnection::Kind::File;
        c.path = std::string(after(c.kind == PrinterConnection::Kind::Device ? "dev:" : "file:"));
        if (c.path.empty()) return fail(ErrorCode::InvalidInput, "printer '" + c.text + "' names no path");
        return c;
    }
    if (!rest.starts_with("tcp:"))
        return fail(ErrorCode::InvalidInput,
                    "unknown printer '" + c.text +
                        "': use tcp:HOST[:PORT], usb:VID:PID, usb:auto, dev:/dev/usb/lp0, file:PATH or virtual");
    c.kind = PrinterConnection::Kind::Tcp;
    rest = after("tcp:");
    std::string_view query;
    if (const auto q = rest.find('?'); q != std::string_view::npos) {
        query = rest.substr(q + 1);
        rest = rest.substr(0, q);
    }
    if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) {
        const auto port = detail::parseInt(rest.substr(colon + 1));
        if (!port || *port < 1 || *port > 65535)
            return fail(ErrorCode::InvalidInput, "printer '" + c.text + "': the port must be 1..65535");
        c.port = *port;
        rest = rest.substr(0, colon);
    }
    if (rest.empty()) return fail(ErrorCode::InvalidInput, "printer '" + c.text + "' names no host");
    c.host = std::string(rest);
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto item = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        const auto eq = item.find('=');
        const auto key = item.substr(0, eq);
        const auto value = eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
        if (key == "connect_ms") {
            auto ms = parseMs(key, value, 100, 60'000);
            if (!ms) return ms.error();
            c.connectMs = *ms;
        } else if (key == "io_ms") {
            auto ms = parseMs(key, value, 100, 600'000);
            if (!ms) return ms.error();
            c.ioMs = *ms;
        } else {
            return fail(ErrorCode::InvalidInput,
                        "printer '" + c.text + "': unknown option '" + std::string(key) + "' (connect_ms, io_ms)");
        }
    }
    return c;
}

core::Result<std::unique_ptr<core::print::PrinterPort>> openPrinterPort(std::string_view connection) {
    auto c = parsePrinterConnection(connection);
    if (!c) return c.error();
    std::unique_ptr<core::print::PrinterPort> port;
    switch (c->kind) {
    case PrinterConnection::Kind::Tcp: port = std::make_unique<TcpPrinterPort>(std::move(*c)); break;
    case PrinterConnection::Kind::Device:
    case PrinterConnection::Kind::File: port = std::make_unique<DevicePrinterPort>(std::move(*c)); break;
    case PrinterConnection::Kind::Usb: port = std::make_unique<UsbPrinterPort>(parseUsbPrinter(c->usb).value()); break;
    case PrinterConnection::Kind::Virtual: port = std::make_unique<VirtualPrinterPort>(c->profile); break;
    }
    return port;
}

// ---- TCP ---------------------------------------------------------------------------------------------------------

TcpPrinterPort::TcpPrinterPort(PrinterConnection connection) : m_conn(std::move(connection)) {}

TcpPrinterPort::~TcpPrinterPort() { disconnect(); }

std::string TcpPrinterPort::describe() const { return "tcp " + m_conn.host + ":" + std::to_string(m_conn.port); }

void TcpPrinterPort::disconnect() {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
}

core::Status TcpPrinterPort::ensureConnected() {
    if (m_fd >= 0) {
        // Printers close connections left idle. Find out before using it: a FIN or an error means
        // reconnect; bytes waiting are a stale answer or an automatic status, and are dropped.
        for (;;) {
            pollfd p{m_fd, POLLIN | POLLRDHUP, 0};
            if (::poll(&p, 1, 0) <= 0) break;
            if (p.revents & (POLLERR | POLLHUP | POLLRDHUP | POLLNVAL)) {
                disconnect();
                break;
            }
            char buf[64];
            const auto n = ::recv(m_fd, buf, sizeof buf, MSG_DONTWAIT);
            if (n <= 0) {
                disconnect();
                break;
            }
        }
        if (m_fd >= 0) return {};
    }
    const std::string where = m_conn.host + ":" + std::to_string(m_conn.port);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (const int rc = ::getaddrinfo(m_conn.host.c_str(), std::to_string(m_conn.port).c_str(), &hints, &found); rc != 0)
        return fail(ErrorCode::Io, "cannot find the printer " + m_conn.host + ": " + ::gai_strerror(rc));
    std::string lastError = "no address";
    for (addrinfo* a = found; a; a = a->ai_next) {
        const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) continue;
        int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
        if (rc < 0 && errno == EINPROGRESS) {
            pollfd p{fd, POLLOUT, 0};
            rc = ::poll(&p, 1, m_conn.connectMs);
            if (rc == 0) {
                lastError = "no answer within " + std::to_string(m_conn.connectMs) + " ms";
                ::close(fd);
                continue;
            }
            int err = 0;
            socklen_t len = sizeof err;
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
            rc = err == 0 ? 0 : -1;
            errno = err;
        }
        if (rc < 0) {
            lastError = errnoText(errno);
            ::close(fd);
            continue;
        }
        // Keep-alive finds a printer that was switched off while the connection sat idle.
        const int on = 1, idle = 30, interval = 10, count = 3;
        ::setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
        ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
        ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
        ::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        m_fd = fd;
        ++m_connects;
        break;
    }
    ::freeaddrinfo(found);
    if (m_fd < 0) return fail(ErrorCode::Io, "cannot reach the printer at " + where + ": " + lastError);
    return {};
}

core::Result<core::print::PrinterStatus> TcpPrinterPort::status() {
    // After a job only an answer on the connection that carried it says the printer read it all: the
    // kernel takes a whole receipt that a printer dropping the connection never reads.
    const bool jobInFlight = std::exchange(m_unconfirmed, false);
    const auto lost = [this] {
        return fail(ErrorCode::Io, "the printer at " + m_conn.host + ":" + std::to_string(m_conn.port) +
                                       " closed the connection before confirming the job: it may not have printed "
                                       "whole");
    };
    // Twice at most: the first try may find that the printer dropped the connection just now.
    for (int attempt = 0; attempt < 2; ++attempt) {
        const int connects = m_connects;
        if (auto st = ensureConnected(); !st) return jobInFlight ? lost() : st.error();
        if (jobInFlight && m_connects != connects) return lost();
        const auto request = escpos::fullStatusRequest();
        const auto sent = writeAll(m_fd, request, m_conn.ioMs, true);
        if (!sent.status) {
            disconnect();
            if (jobInFlight) return lost();
            continue;
        }
        const auto answers = readStatusAnswers(m_fd, m_conn.ioMs);
        if (!answers) {
            disconnect();
            if (jobInFlight) return lost();
            if (attempt == 0) continue;
            return fail(ErrorCode::Io, "the printer at " + m_conn.host + ":" + std::to_string(m_conn.port) +
                                           " did not answer a status request");
        }
        return escpos::parseStatus(*answers);
    }
    return fail(ErrorCode::Io, "the printer at " + m_conn.host + ":" + std::to_string(m_conn.port) +
                                   " keeps closing the connection");
}

core::print::SendResult TcpPrinterPort::send(std::string_view bytes) {
    if (auto st = ensureConnected(); !st) return {st.error(), 0};
    auto r = writeAll(m_fd, bytes, m_conn.ioMs, true);
    if (!r.status) disconnect();
    else m_unconfirmed = r.written > 0;
    return r;
}

// ---- device path and file ---------------------------------------------------------------------------------------

std::string DevicePrinterPort::describe() const {
    return (m_conn.kind == PrinterConnection::Kind::File ? "file " : "device ") + m_conn.path;
}

core::Result<core::print::PrinterStatus> DevicePrinterPort::status() {
    core::print::PrinterStatus unknown;
    unknown.known = false;
    if (m_conn.kind == PrinterConnection::Kind::File) {
        // Nothing to ask; the file must be writable (or creatable) for the job to go anywhere.
        const int fd = ::open(m_conn.path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd < 0) return fail(ErrorCode::Io, "cannot write to " + m_conn.path + ": " + errnoText(errno));
        ::close(fd);
        return unknown;
    }
    const int fd = ::open(m_conn.path.c_str(), O_RDWR | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        if (err == ENOENT || err == ENODEV || err == ENXIO)
            return fail(ErrorCode::Io, "no printer at " + m_conn.path + " (unplugged or switched off)");
        if (err == EACCES)
            return fail(ErrorCode::Io, "no permission to use " + m_conn.path + ": add the kiosk's user to the lp group");
        return fail(ErrorCode::Io, "cannot open " + m_conn.path + ": " + errnoText(err));
    }
    const auto request = escpos::fullStatusRequest();
    auto sent = writeAll(fd, request, 1000, false);
    std::optional<std::array<std::uint8_t, 4>> answers;
    if (sent.status) answers = readStatusAnswers(fd, 500);
    ::close(fd);
    // A device that takes the query but says nothing back is one-way (a parallel port, a printer
    // without status back-channel): it may print, nobody can say.
    if (!answers) return unknown;
    return escpos::parseStatus(*answers);
}

core::print::SendResult DevicePrinterPort::send(std::string_view bytes) {
    const bool file = m_conn.kind == PrinterConnection::Kind::File;
    const int flags = file ? (O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC) : (O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    const int fd = ::open(m_conn.path.c_str(), flags, 0644);
    if (fd < 0) return {fail(ErrorCode::Io, "cannot open " + m_conn.path + ": " + errnoText(errno)), 0};
    auto r = writeAll(fd, bytes, m_conn.ioMs, false);
    if (r.status && file && ::fsync(fd) != 0)
        r.status = fail(ErrorCode::Io, "cannot flush " + m_conn.path + ": " + errnoText(errno));
    if (::close(fd) != 0 && r.status)
        r.status = fail(ErrorCode::Io, "cannot finish writing " + m_conn.path + ": " + errnoText(errno));
    return r;
}

} // namespace showroom::devices::print
