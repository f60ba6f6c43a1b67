#include "showroom/devices/scan/serial_scanner.hpp"

#include "scan_util.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>

namespace showroom::devices {

namespace {

using core::ErrorCode;
using core::fail;

struct BaudRate {
    int baud;
    speed_t speed;
};

constexpr BaudRate kBaudRates[] = {
    {110, B110},       {300, B300},       {600, B600},       {1200, B1200},     {2400, B2400},
    {4800, B4800},     {9600, B9600},     {19200, B19200},   {38400, B38400},   {57600, B57600},
    {115200, B115200}, {230400, B230400}, {460800, B460800}, {921600, B921600}, {1000000, B1000000},
    {2000000, B2000000}, {4000000, B4000000},
};

std::optional<speed_t> speedFor(int baud) {
    for (const auto& b : kBaudRates)
        if (b.baud == baud) return b.speed;
    return std::nullopt;
}



bool startsLikeLicence(std::string_view pending) {
    pending = core::scan::splitAim(pending).rest;
    return pending == "@" || core::scan::looksLikeLicence(pending);
}

// Owns one file descriptor.
class Fd {
public:
    explicit Fd(int fd = -1) : m_fd(fd) {}
    ~Fd() { reset(); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return m_fd; }
    void reset(int fd = -1) {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = fd;
    }

private:
    int m_fd;
};

} // namespace

// --- Connection string ----------------------------------------------------------------------

core::Result<SerialOptions> parseSerialConnection(std::string_view connection) {
    constexpr std::string_view kScheme = "serial:";
    if (!connection.starts_with(kScheme))
        return fail(ErrorCode::InvalidInput, "a serial scanner's connection starts with 'serial:' (serial:/dev/ttyACM0)");
    connection.remove_prefix(kScheme.size());
    const std::size_t query = connection.find('?');
    SerialOptions options;
    options.path = std::string(connection.substr(0, query));
    if (options.path.empty() || options.path.front() != '/')
        return fail(ErrorCode::InvalidInput, "serial: needs the device's absolute path, e.g. serial:/dev/ttyACM0");
    if (query == std::string_view::npos) return options;

    std::string_view rest = connection.substr(query + 1);
    while (!rest.empty()) {
        const std::size_t amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        const std::size_t eq = pair.find('=');
        const std::string_view key = pair.substr(0, eq);
        const std::string_view value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
        if (key == "baud") {
            const auto baud = detail::parseInt(value);
            if (!baud || !speedFor(*baud))
                return fail(ErrorCode::InvalidInput, "serial: baud '" + std::string(value) +
                                                         "' is not a standard rate (1200, 9600, 115200, ...)");
            options.baud = *baud;
        } else if (key == "suffix") {
            if (value == "auto") options.suffix = SerialOptions::Suffix::Auto;
            else if (value == "cr") options.suffix = SerialOptions::Suffix::Cr;
            else if (value == "lf") options.suffix = SerialOptions::Suffix::Lf;
            else if (value == "crlf") options.suffix = SerialOptions::Suffix::CrLf;
            else if (value == "none") options.suffix = SerialOptions::Suffix::None;
            else
                return fail(ErrorCode::InvalidInput,
                            "serial: suffix '" + std::string(value) + "' is not one of auto, cr, lf, crlf, none");
        } else if (key == "idle_ms") {
            const auto ms = detail::parseInt(value);
            if (!ms || *ms < 1 || *ms > 2000)
                return fail(ErrorCode::InvalidInput, "serial: idle_ms must be 1 to 2000, not '" + std::string(value) + "'");
            options.idleMs = *ms;
        } else {
            return fail(ErrorCode::InvalidInput,
                        "serial: unknown option '" + std::string(key) + "' (baud, suffix, idle_ms)");
        }
    }
    return options;
}

// --- Framing --------------------------------------------------------------------------------

std::optional<std::string> SerialFramer::completeAtSuffix() {
    using Suffix = SerialOptions::Suffix;
    for (;;) {
        if (m_suffix == Suffix::None || m_pending.empty() || startsLikeLicence(m_pending)) return std::nullopt;
        std::size_t end = std::string::npos;
        std::size_t length = 0;
        switch (m_suffix) {
        case Suffix::Auto:
            end = m_pending.find_first_of("\r\n");
            // CRLF is one suffix; a lone CR or LF is one too. An LF that arrives after its CR in the
            // next read leads the next frame and is skipped below.
            length = (end != std::string::npos && m_pending[end] == '\r' && end + 1 < m_pending.size() &&
                      m_pending[end + 1] == '\n')
                         ? 2
                         : 1;
            break;
        case Suffix::Cr: end = m_pending.find('\r'); length = 1; break;
        case Suffix::Lf: end = m_pending.find('\n'); length = 1; break;
        case Suffix::CrLf: end = m_pending.find("\r\n"); length = 2; break;
        case Suffix::None: break;
        }
        if (end == std::string::npos) return std::nullopt;
        std::string frame = m_pending.substr(0, end);
        m_pending.erase(0, end + length);
        if (!frame.empty()) return frame;
        // An empty frame is the tail of a split CRLF or a blank line: nothing scanned.
    }
}

std::vector<std::string> SerialFramer::feed(std::string_view bytes, std::int64_t ms) {
    std::vector<std::string> out = poll(ms);
    if (m_suffix == SerialOptions::Suffix::Auto && m_pending.empty()) {
        // The LF of a CRLF whose CR ended the previous frame.
        while (!bytes.empty() && (bytes.front() == '\n' || bytes.front() == '\r'))
            bytes.remove_prefix(1);
    }
    if (bytes.empty()) return out;
    m_pending.append(bytes);
    m_lastMs = ms;
    while (auto frame = completeAtSuffix())
        out.push_back(std::move(*frame));
    return out;
}

std::vector<std::string> SerialFramer::poll(std::int64_t ms) {
    std::vector<std::string> out;
    if (!m_pending.empty() && ms - m_lastMs >= m_idleMs) {
        out.push_back(std::move(m_pending));
        m_pending.clear();
    }
    return out;
}

std::optional<std::int64_t> SerialFramer::deadlineMs() const {
    if (m_pending.empty()) return std::nullopt;
    return m_lastMs + m_idleMs;
}

// --- Transport ------------------------------------------------------------------------------

SerialScanner::SerialScanner(std::string connection, SerialOptions options)
    : m_connection(std::move(connection)), m_options(std::move(options)) {}

SerialScanner::~SerialScanner() { stop(); }

void SerialScanner::start(core::scan::ScanSink sink) {
    m_stop = false;
    m_wakeFd = detail::openWakeFd();
    m_thread = std::thread([this, sink = std::move(sink)] { run(sink); });
}

void SerialScanner::stop() {
    if (!m_thread.joinable()) return;
    m_stop = true;
    detail::signalWakeFd(m_wakeFd);
    m_thread.join();
    ::close(m_wakeFd);
    m_wakeFd = -1;
}

void SerialScanner::run(core::scan::ScanSink sink) {
    using State = core::scan::ScannerStatus::State;
    const std::string& path = m_options.path;
    std::optional<State> reported;
    auto status = [&](State state, std::string message) {
        if (reported == state) return;
        reported = state;
        sink(core::scan::ScannerStatus{m_connection, state, std::move(message)});
    };
    // Sleeps up to `ms`, returning early (false) when stop() is called.
    auto pause = [&](int ms) {
        pollfd p{m_wakeFd, POLLIN, 0};
        ::poll(&p, 1, ms);
        return !m_stop;
    };

    while (!m_stop) {
        Fd port(::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC));
        if (port.get() < 0) {
            const int err = errno;
            if (err == EACCES || err == EPERM) {
                status(State::Failed, "permission denied on " + path +
                                          ": add the kiosk's user to the 'dialout' group (sudo usermod -aG dialout "
                                          "USER) and log in again");
                if (!pause(m_options.retryMs * 4)) break;
            } else if (err == ENOENT || err == ENXIO || err == ENODEV || err == EIO) {
                status(State::Disconnected, "no scanner at " + path + "; waiting for it to be plugged in");
                if (!pause(m_options.retryMs)) break;
            } else {
                status(State::Failed, "cannot open " + path + ": " + std::strerror(err));
                if (!pause(m_options.retryMs * 4)) break;
            }
            continue;
        }
        termios tio{};
        if (::tcgetattr(port.get(), &tio) != 0) {
            status(State::Failed, path + " is not a serial port");
            if (!pause(m_options.retryMs * 4)) break;
            continue;
        }
        ::cfmakeraw(&tio);   // no echo, no CR/LF translation: the payload arrives exactly as sent
        tio.c_cflag |= CLOCAL | CREAD;
        tio.c_cc[VMIN] = 0;
        tio.c_cc[VTIME] = 0;
        const speed_t speed = speedFor(m_options.baud).value_or(B9600);
        ::cfsetispeed(&tio, speed);
        ::cfsetospeed(&tio, speed);
        if (::tcsetattr(port.get(), TCSANOW, &tio) != 0) {
            status(State::Failed, "cannot configure " + path + ": " + std::strerror(errno));
            if (!pause(m_options.retryMs * 4)) break;
            continue;
        }
        ::tcflush(port.get(), TCIFLUSH);   // bytes from before we opened belong to nobody
        status(State::Connected, "");

        SerialFramer framer(m_options.suffix, m_options.idleMs);
        char buffer[4096];
        bool gone = false;
        while (!m_stop && !gone) {
            const int timeout = detail::pollTimeoutMs(framer.deadlineMs());
            pollfd fds[2] = {{port.get(), POLLIN, 0}, {m_wakeFd, POLLIN, 0}};
            const int ready = ::poll(fds, 2, timeout);
            if (ready < 0 && errno != EINTR) gone = true;
            std::vector<std::string> frames;
            if (ready > 0 && (fds[0].revents & POLLIN)) {
                const ssize_t n = ::read(port.get(), buffer, sizeof buffer);
                if (n > 0) frames = framer.feed(std::string_view(buffer, static_cast<std::size_t>(n)), detail::steadyMs());
                else if (n == 0 || (errno != EAGAIN && errno != EINTR)) gone = true;
            } else if (ready > 0 && (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))) {
                gone = true;
            }
            if (!gone) {
                auto idle = framer.poll(detail::steadyMs());
                frames.insert(frames.end(), std::make_move_iterator(idle.begin()), std::make_move_iterator(idle.end()));
            }
            for (auto& frame : frames)
                sink(core::scan::makeScan(m_connection, frame, core::scan::Symbology::Unknown, detail::steadyMs()));
        }
        if (gone) {
            framer.reset();   // half a scan is no scan
            status(State::Disconnected, "the scanner at " + path + " went away; waiting for it to come back");
            if (!pause(m_options.retryMs)) break;
        }
    }
}

} // namespace showroom::devices
