// Scan-to-event latency of the USB scanner driver, side by side with the loop most people write first:
// a thread calling the synchronous libusb_interrupt_transfer() with a 100 ms timeout and checking a
// stop flag in between. Both read the same umockdev-emulated keyboard-class scanner and decode with the
// same HidKeyboardDecoder; what differs is how the thread waits (event-driven async transfers with two
// reads queued vs one blocking read at a time) and how promptly it can be stopped.
//
// Latency = from the moment the scanner makes the terminating Enter report available to the moment
// the Scan is in the consumer's mailbox. The emulated bus answers in microseconds (see
// tests/support/emulated_usb.hpp), so the figures show the software path, not a real cable's 1-8 ms
// polling interval. Run: umockdev-wrapper build/release/bench/usb_scan_bench

#include "emulated_usb.hpp"

#include "showroom/devices/scan/hid_report.hpp"
#include "showroom/devices/scan/usb_scanner.hpp"

#include <libusb.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
namespace scan = showroom::core::scan;
using showroom::testing::EmulatedDevice;
using showroom::testing::EmulatedKind;
using showroom::testing::Report;

namespace {

constexpr int kScans = 100;
constexpr const char* kVin = "1M8GDM9AXKP042788";

struct Figures {
    std::vector<double> latencyMs;
    double stopMs = 0;
    int missed = 0;
};

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

bool waitForScan(scan::ScanMailbox& mailbox, Clock::time_point& arrived) {
    const auto deadline = Clock::now() + 2s;
    while (Clock::now() < deadline) {
        for (auto& e : mailbox.waitAndDrain(50ms)) {
            if (std::holds_alternative<scan::Scan>(e)) {
                arrived = Clock::now();
                return true;
            }
        }
    }
    return false;
}

// Plays kScans VIN scans; times each from its Enter report to the Scan in `mailbox`.
void playScans(EmulatedDevice& device, scan::ScanMailbox& mailbox, Figures& f) {
    auto reports = showroom::testing::keyboardReports(kVin);
    const std::vector<Report> enter(reports.end() - 2, reports.end());
    reports.resize(reports.size() - 2);
    for (int i = 0; i < kScans; ++i) {
        device.send(reports);
        while (device.reportsLeft() > 0)
            std::this_thread::sleep_for(200us);
        const auto t0 = Clock::now();
        device.send(enter);
        Clock::time_point t1;
        if (!waitForScan(mailbox, t1)) {
            ++f.missed;
            continue;
        }
        f.latencyMs.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
}

bool waitConnected(scan::ScanMailbox& mailbox) {
    const auto deadline = Clock::now() + 5s;
    while (Clock::now() < deadline)
        for (auto& e : mailbox.waitAndDrain(50ms))
            if (const auto* s = std::get_if<scan::ScannerStatus>(&e); s && s->state == scan::ScannerStatus::State::Connected)
                return true;
    return false;
}

Figures eventDriven(EmulatedDevice& device) {
    Figures f;
    scan::ScanMailbox mailbox(4096);
    auto opened = showroom::devices::UsbScanner::open("usb:0c2e:0b61");
    if (!opened) {
        std::fprintf(stderr, "%s\n", opened.error().message.c_str());
        return f;
    }
    auto& scanner = *opened.value();
    scanner.start(mailbox.sink());
    if (!waitConnected(mailbox)) {
        std::fprintf(stderr, "the driver did not connect\n");
        return f;
    }
    playScans(device, mailbox, f);
    std::this_thread::sleep_for(30ms);   // stop an idle reader, as the kiosk does at shutdown
    const auto t0 = Clock::now();
    scanner.stop();
    f.stopMs = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    return f;
}

Figures synchronousLoop(EmulatedDevice& device) {
    Figures f;
    scan::ScanMailbox mailbox(4096);
    libusb_context* ctx = nullptr;
    if (libusb_init(&ctx) != 0) return f;
    libusb_device_handle* h = libusb_open_device_with_vid_pid(ctx, 0x0c2e, 0x0b61);
    if (!h || libusb_claim_interface(h, 0) != 0) {
        std::fprintf(stderr, "the synchronous loop could not open the scanner\n");
        libusb_exit(ctx);
        return f;
    }
    std::atomic<bool> stopping{false};
    std::thread reader([&] {
        showroom::devices::HidKeyboardDecoder decoder;
        unsigned char buf[8];
        while (!stopping) {
            int n = 0;
            const int r = libusb_interrupt_transfer(h, 0x81, buf, sizeof buf, &n, 100);
            if (r == LIBUSB_ERROR_TIMEOUT) continue;
            if (r != 0) break;
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
            for (auto& payload : decoder.feed(std::span<const std::uint8_t>(buf, static_cast<std::size_t>(n)), ms))
                mailbox.post(scan::makeScan("usb:0c2e:0b61", payload, scan::Symbology::Unknown, ms));
        }
    });
    playScans(device, mailbox, f);
    std::this_thread::sleep_for(30ms);   // stop an idle reader, as the kiosk does at shutdown
    const auto t0 = Clock::now();
    stopping = true;
    reader.join();
    f.stopMs = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    libusb_release_interface(h, 0);
    libusb_close(h);
    libusb_exit(ctx);
    return f;
}

void print(const char* name, const Figures& f) {
    std::printf("%-44s %8.3f %8.3f %10.1f %7d\n", name, percentile(f.latencyMs, 0.50), percentile(f.latencyMs, 0.99),
                f.stopMs, f.missed);
}

} // namespace

int main() {
    try {
        showroom::testing::UsbTestbed bed;
        auto& device = bed.add({EmulatedKind::KeyboardScanner, 0x0c2e, 0x0b61, 2, false});
        const Figures async = eventDriven(device);
        const Figures sync = synchronousLoop(device);
        std::printf("USB keyboard-class scanner, %d VIN scans (36 reports each), umockdev-emulated bus\n", kScans);
        std::printf("%-44s %8s %8s %10s %7s\n", "reader", "p50 ms", "p99 ms", "stop() ms", "missed");
        print("UsbScanner: async transfers, event-driven", async);
        print("sync libusb_interrupt_transfer, 100 ms loop", sync);
        return async.missed + sync.missed == 0 ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "usb_scan_bench: %s (run it under umockdev-wrapper)\n", e.what());
        return 1;
    }
}
