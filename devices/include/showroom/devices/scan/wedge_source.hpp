#pragma once
// The keyboard wedge as a ScanSource, for a console: `showroom scan listen wedge` reads what a wedge
// scanner types into the terminal (or a pipe), tells scans from typing with WedgeDecoder, and posts
// the scans. The kiosk does not use this class: it feeds WedgeDecoder from SDL's key events.
//
// Connection string: `wedge[?gap_ms=40&min_length=6&suffix=enter|tab|both|none&prefix=\x02]`
// (the WedgeConfig fields; `prefix` takes the \xHH escapes of a virtual scanner script).
// On a terminal the input is switched to raw mode while reading (Enter arrives as CR, Ctrl+J as LF,
// Ctrl+] as GS) and restored by stop(). Bytes read: CR is Enter, TAB is Tab, other control bytes are
// chords, everything else is text. End of input (a closed pipe) posts Disconnected.

#include "showroom/core/result.hpp"
#include "showroom/core/scan.hpp"
#include "showroom/devices/scan/wedge_decoder.hpp"

#include <atomic>
#include <string>
#include <string_view>
#include <thread>

namespace showroom::devices {

/// Parses `wedge[?...]` into a WedgeConfig. InvalidInput names the bad option.
[[nodiscard]] core::Result<WedgeConfig> parseWedgeConnection(std::string_view connection);

class WedgeSource final : public core::scan::ScanSource {
public:
    /// Reads `fd` (not owned; 0 for stdin).
    WedgeSource(std::string connection, WedgeConfig config, int fd = 0);
    ~WedgeSource() override;
    WedgeSource(const WedgeSource&) = delete;
    WedgeSource& operator=(const WedgeSource&) = delete;

    const std::string& connection() const override { return m_connection; }
    void start(core::scan::ScanSink sink) override;
    void stop() override;

private:
    void run(core::scan::ScanSink sink);

    std::string m_connection;
    WedgeConfig m_config;
    int m_fd;
    int m_wakeFd = -1;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

} // namespace showroom::devices
