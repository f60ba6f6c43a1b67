#pragma once
// The virtual scanner: the demo's, the tests' and `showroom scan listen virtual:FILE`'s stand-in for
// any real one. It behaves as a driver does: its own thread delivers, it reports Connected when
// started, and it can be unplugged and plugged back in.
//
// Connection string: `virtual` (scans come only from post()) or `virtual:FILE`, a script played once
// when the scanner starts, one command per line:
//     scan PAYLOAD        a scan; \r \n \t \\ and \xHH escapes give control bytes (a licence's LF, RS, CR)
//     scan@Code39 PAYLOAD the same, with the symbology the scanner reports
//     wait MS             pause (0..60000)
//     unplug / replug     the cable comes out / goes back in
//     # ...               a comment; blank lines are ignored
// A script is checked whole before anything plays: a bad line fails openVirtualScanner with its
// line number, never half-way through a demo.
//
// Thread: post(), unplug() and replug() may be called from any thread.

#include "showroom/core/result.hpp"
#include "showroom/core/scan.hpp"

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace showroom::devices {

/// One step of a virtual scanner's script.
struct VirtualStep {
    enum class Kind { Scan, Wait, Unplug, Replug };
    Kind kind = Kind::Scan;
    std::string payload;                                           ///< Scan
    core::scan::Symbology symbology = core::scan::Symbology::Unknown; ///< Scan
    int waitMs = 0;                                                ///< Wait
};

/// Parses a script (see above). InvalidInput names the line and what is wrong with it.
[[nodiscard]] core::Result<std::vector<VirtualStep>> parseVirtualScript(std::string_view script);

/// Decodes the escapes of a `scan` line (\r \n \t \\ \xHH); InvalidInput for a bad escape.
[[nodiscard]] core::Result<std::string> unescapePayload(std::string_view escaped);

class VirtualScanner final : public core::scan::ScanSource {
public:
    explicit VirtualScanner(std::string connection = "virtual", std::vector<VirtualStep> script = {});
    ~VirtualScanner() override;
    VirtualScanner(const VirtualScanner&) = delete;
    VirtualScanner& operator=(const VirtualScanner&) = delete;

    const std::string& connection() const override { return m_connection; }
    void start(core::scan::ScanSink sink) override;
    void stop() override;

    /// Queues a scan, delivered after anything queued before it. Ignored while unplugged, as a
    /// real scanner's trigger does nothing without a cable.
    void post(std::string payload, core::scan::Symbology symbology = core::scan::Symbology::Unknown);
    void unplug();
    void replug();

private:
    void run(core::scan::ScanSink sink);
    void enqueue(VirtualStep step);

    std::string m_connection;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<VirtualStep> m_queue;
    bool m_plugged = true;   ///< as far as post() can tell (the script's own unplug counts too)
    bool m_stop = false;
    std::thread m_thread;
};

/// `virtual` or `virtual:FILE`. InvalidInput for a bad script, Io when FILE cannot be read.
[[nodiscard]] core::Result<std::unique_ptr<VirtualScanner>> openVirtualScanner(std::string_view connection);

} // namespace showroom::devices
