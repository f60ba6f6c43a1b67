// Scan-to-event latency of the keyboard wedge: from the scanner's last key to the Scan in the
// consumer's mailbox, through the real WedgeSource thread reading a pipe (as `showroom scan listen
// wedge` reads a terminal). Side by side in one run:
//   - a VIN ended by Enter (the factory default suffix): the scan is complete at the terminator;
//   - the same VIN from a scanner set to send no suffix: the scan ends when the keys stop, so the
//     latency is the configured gap (40 ms) plus scheduling;
//   - a driver's licence (its CR and LF are payload, so it always ends on silence).
// Plus the decoder's own cost per key, which bounds what the kiosk's main thread pays.
//
// Usage: wedge_scan_bench [SCANS]

#include "showroom/core/scan.hpp"
#include "showroom/devices/scan/wedge_source.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
namespace devices = showroom::devices;
namespace scan = showroom::core::scan;

const std::string kVin = "1M8GDM9AXKP042788";
const std::string kLicence = std::string("@\n\x1e\r") + "ANSI 636000100001DL00310046" +
                             "DLDAQT64235789\nDCSSAMPLE\nDACJANE\nDBB07041990\r";

struct Figures {
    double p50 = 0, p99 = 0;
    int missed = 0;
};

Figures measure(const std::string& connection, const std::string& payload, int scans) {
    int fds[2];
    if (::pipe(fds) != 0) std::exit(1);
    auto config = devices::parseWedgeConnection(connection);
    if (!config) std::exit(1);
    devices::WedgeSource source(connection, *config, fds[0]);
    scan::ScanMailbox mailbox;
    source.start(mailbox.sink());
    (void)mailbox.waitAndDrain(std::chrono::seconds(1));   // Connected
    std::vector<double> ms;
    Figures f;
    for (int i = 0; i < scans; ++i) {
        const auto sent = Clock::now();
        if (::write(fds[1], payload.data(), payload.size()) != static_cast<ssize_t>(payload.size())) std::exit(1);
        bool got = false;
        while (!got && Clock::now() - sent < std::chrono::seconds(2)) {
            for (const auto& e : mailbox.waitAndDrain(std::chrono::milliseconds(200)))
                if (std::holds_alternative<scan::Scan>(e)) got = true;
        }
        if (!got) ++f.missed;
        else ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
        std::this_thread::sleep_for(std::chrono::milliseconds(60));   // the porter aims at the next label
    }
    source.stop();
    ::close(fds[0]);
    ::close(fds[1]);
    std::sort(ms.begin(), ms.end());
    if (!ms.empty()) {
        f.p50 = ms[ms.size() / 2];
        f.p99 = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
    }
    return f;
}

double decoderNsPerKey() {
    devices::WedgeDecoder decoder;
    const int rounds = 200'000;
    std::int64_t t = 0;
    std::size_t scans = 0;
    const auto start = Clock::now();
    for (int r = 0; r < rounds; ++r) {
        for (char c : kVin)
            scans += decoder.text(std::string_view(&c, 1), t += 3).size();
        scans += decoder.terminator(t += 3).size();
    }
    const double ns = std::chrono::duration<double, std::nano>(Clock::now() - start).count();
    if (scans != static_cast<std::size_t>(rounds)) std::printf("  (decoder lost scans: %zu of %d)\n", scans, rounds);
    return ns / (rounds * (kVin.size() + 1.0));
}

} // namespace

int main(int argc, char** argv) {
    const int scans = argc > 1 ? std::max(10, std::atoi(argv[1])) : 100;
    std::printf("Keyboard wedge, scan-to-event through WedgeSource on a pipe, %d scans each\n", scans);
    std::printf("%-44s %8s %8s %7s\n", "payload and suffix", "p50 ms", "p99 ms", "missed");
    const struct {
        const char* name;
        std::string connection, payload;
    } cases[] = {
        {"VIN + Enter (factory default)", "wedge", kVin + "\r"},
        {"VIN, no suffix (ends on 40 ms of silence)", "wedge?suffix=none", kVin},
        {"driver's licence (always ends on silence)", "wedge", kLicence},
    };
    for (const auto& c : cases) {
        const Figures f = measure(c.connection, c.payload, scans);
        std::printf("%-44s %8.3f %8.3f %7d\n", c.name, f.p50, f.p99, f.missed);
    }
    std::printf("WedgeDecoder alone: %.1f ns per key (the kiosk's main thread pays this per key event)\n",
                decoderNsPerKey());
    return 0;
}
