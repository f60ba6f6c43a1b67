#pragma once
// Serial barcode scanners: CDC-ACM (USB, /dev/ttyACM*) and RS-232 (/dev/ttyS*, /dev/ttyUSB*).
//
// Connection string: `serial:PATH[?baud=9600&suffix=auto&idle_ms=60]`
//   baud     110..4000000 (a CDC-ACM scanner ignores it)             default 9600
//   suffix   what ends a scan: `auto` (CR, LF or CRLF, and silence for a licence), `cr`, `lf`, `crlf`,
//            or `none` (silence only)                               default auto
//   idle_ms  silence that ends a scan when no suffix does (1..2000)  default 60
// Prefer a stable PATH such as /dev/serial/by-id/usb-Honeywell_...: it survives replugging into
// another port, and the driver reopens the same name when the scanner comes back.
//
// SerialFramer is the pure protocol (bytes + timestamps in, payloads out), tested without a port.
// A driver's-licence payload (PDF417, AAMVA) carries CR and LF inside, so once a frame starts like a
// licence (core::scan::looksLikeLicence) no suffix ends it: silence does, and the trailing suffix is
// kept, exactly as sent.
//
// SerialScanner is the transport: its own thread opens the port raw (termios), reads with poll(),
// and posts Scans and ScannerStatus changes. Unplugged or not there yet: Disconnected, and it tries
// again every `retryMs` until the path opens. Permission denied: Failed, naming the dialout group,
// and it keeps trying (slower), so fixing the group needs no restart.

#include "showroom/core/result.hpp"
#include "showroom/core/scan.hpp"

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace showroom::devices {

struct SerialOptions {
    enum class Suffix { Auto, Cr, Lf, CrLf, None };
    std::string path;
    int baud = 9600;
    Suffix suffix = Suffix::Auto;
    int idleMs = 60;
    int retryMs = 500;   ///< between attempts to reopen a missing port (not in the connection string)
};

/// Parses `serial:PATH?baud=...&suffix=...&idle_ms=...`. InvalidInput names the bad part.
[[nodiscard]] core::Result<SerialOptions> parseSerialConnection(std::string_view connection);

class SerialFramer {
public:
    explicit SerialFramer(SerialOptions::Suffix suffix = SerialOptions::Suffix::Auto, int idleMs = 60)
        : m_suffix(suffix), m_idleMs(idleMs) {}

    /// Bytes received at `ms`; returns the payloads they complete (suffix removed).
    std::vector<std::string> feed(std::string_view bytes, std::int64_t ms);
    /// Call when deadlineMs() has passed: a frame pending that long has ended.
    std::vector<std::string> poll(std::int64_t ms);
    /// When poll() is next due, or nullopt when nothing is pending.
    std::optional<std::int64_t> deadlineMs() const;
    /// Drops a partial frame (the port went away mid-scan: half a VIN must not become a scan).
    void reset() { m_pending.clear(); }

private:
    std::optional<std::string> completeAtSuffix();

    SerialOptions::Suffix m_suffix;
    int m_idleMs;
    std::string m_pending;
    std::int64_t m_lastMs = 0;
};

class SerialScanner final : public core::scan::ScanSource {
public:
    /// Does not touch the port; start() does.
    SerialScanner(std::string connection, SerialOptions options);
    ~SerialScanner() override;
    SerialScanner(const SerialScanner&) = delete;
    SerialScanner& operator=(const SerialScanner&) = delete;

    const std::string& connection() const override { return m_connection; }
    void start(core::scan::ScanSink sink) override;
    /// Returns within about 100 ms; joins the thread.
    void stop() override;

private:
    void run(core::scan::ScanSink sink);

    std::string m_connection;
    SerialOptions m_options;
    std::atomic<bool> m_stop{false};
    int m_wakeFd = -1;   ///< eventfd that interrupts poll() on stop()
    std::thread m_thread;
};

} // namespace showroom::devices
