// The libusb scanner driver against umockdev-emulated scanners, as a porter meets it: the scanner is
// found, every scan arrives with its exact bytes, unplugging and plugging back needs no restart, a
// stalled endpoint or a scanner pulled mid-scan never produces a wrong scan, and a permission problem
// says which udev rule to install. Runs under umockdev-wrapper (see tests/CMakeLists.txt).

#include "emulated_usb.hpp"

#include "showroom/devices/scan/usb_scanner.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using showroom::core::scan::Scan;
using showroom::core::scan::ScanEvent;
using showroom::core::scan::ScanMailbox;
using showroom::core::scan::ScannerStatus;
using showroom::core::scan::Symbology;
using showroom::devices::parseUsbConnection;
using showroom::devices::permissionDeniedMessage;
using showroom::devices::UsbScanner;
using showroom::devices::UsbScannerOptions;
using showroom::testing::EmulatedDeviceSpec;
using showroom::testing::EmulatedKind;
using showroom::testing::keyboardReports;
using showroom::testing::posReports;
using showroom::testing::UsbTestbed;
using State = ScannerStatus::State;

namespace {

constexpr const char* kVin = "1M8GDM9AXKP042788";
constexpr const char* kOtherVin = "1HGCM82633A004352";
constexpr auto kTimeout = 5s;

// An AAMVA-like licence: LF, RS and CR after the '@', fields separated by LF, a GS-separated subfile.
const std::string kLicence = "@\n\x1e\rANSI 636014040002DL00410278ZC03190024DLDAQD1234562\nDCSPUBLIC\nDACJOHN\n"
                             "DBB01011990\nDAG123 MAIN ST\nDAISACRAMENTO\nDAJCA\nDAK958340000\x1dZCZCAGRN\r";

// Every event a scanner posted, collected from a mailbox with bounded waits.
class Events {
public:
    showroom::core::scan::ScanSink sink() { return m_mailbox.sink(); }

    /// Waits until `pred` holds over the events so far; false after kTimeout.
    bool waitFor(const std::function<bool(const Events&)>& pred) {
        const auto deadline = std::chrono::steady_clock::now() + kTimeout;
        while (!pred(*this)) {
            if (std::chrono::steady_clock::now() >= deadline) return false;
            for (auto& e : m_mailbox.waitAndDrain(50ms))
                m_all.push_back(std::move(e));
        }
        return true;
    }
    /// Collects whatever arrives during `d` (to show that something does *not* arrive).
    void settle(std::chrono::milliseconds d) {
        const auto deadline = std::chrono::steady_clock::now() + d;
        while (std::chrono::steady_clock::now() < deadline)
            for (auto& e : m_mailbox.waitAndDrain(20ms))
                m_all.push_back(std::move(e));
    }

    std::vector<Scan> scans() const {
        std::vector<Scan> out;
        for (const auto& e : m_all)
            if (const auto* s = std::get_if<Scan>(&e)) out.push_back(*s);
        return out;
    }
    std::vector<ScannerStatus> statuses(State state) const {
        std::vector<ScannerStatus> out;
        for (const auto& e : m_all)
            if (const auto* s = std::get_if<ScannerStatus>(&e); s && s->state == state) out.push_back(*s);
        return out;
    }
    std::size_t count(State state) const { return statuses(state).size(); }
    std::string dump() const {
        std::string out;
        for (const auto& e : m_all) {
            if (const auto* s = std::get_if<Scan>(&e)) out += "  scan \"" + s->text + "\"\n";
            else {
                const auto& st = std::get<ScannerStatus>(e);
                out += "  " + std::string(showroom::core::scan::toString(st.state)) + ": " + st.message + "\n";
            }
        }
        return out;
    }

private:
    ScanMailbox m_mailbox;
    std::vector<ScanEvent> m_all;
};

auto scansAtLeast(std::size_t n) {
    return [n](const Events& e) { return e.scans().size() >= n; };
}
auto statusAtLeast(State s, std::size_t n) {
    return [s, n](const Events& e) { return e.count(s) >= n; };
}

std::unique_ptr<UsbScanner> openScanner(const std::string& connection, UsbScannerOptions options = {}) {
    auto opened = UsbScanner::open(connection, options);
    if (!opened) {
        ADD_FAILURE() << opened.error().message;
        return nullptr;
    }
    return std::move(opened.value());
}

EmulatedDeviceSpec keyboardScanner() { return {EmulatedKind::KeyboardScanner, 0x0c2e, 0x0b61, 2, false}; }
EmulatedDeviceSpec posScanner(int devnum = 3, bool driverBound = false) {
    return {EmulatedKind::PosScanner, 0x05e0, 0x1200, devnum, driverBound};
}

TEST(UsbScanner, KeyboardScannerByVidPidIsFoundAndAVinScanArrivesExactly) {
    UsbTestbed bed;
    auto& device = bed.add(keyboardScanner());
    Events events;
    auto scanner = openScanner("usb:0c2e:0b61");
    ASSERT_TRUE(scanner);
    scanner->start(events.sink());
    ASSERT_TRUE(events.waitFor(statusAtLeast(State::Connected, 1))) << events.dump();
    EXPECT_NE(events.statuses(State::Connected)[0].message.find("/dev/bus/usb/001/002"), std::string::npos);

    device.send(keyboardReports(kVin));
    ASSERT_TRUE(events.waitFor(scansAtLeast(1))) << events.dump();
    const auto scan = events.scans()[0];
    EXPECT_EQ(scan.bytes, kVin);
    EXPECT_EQ(scan.text, kVin);
    EXPECT_EQ(scan.source, "usb:0c2e:0b61");
    EXPECT_EQ(scan.symbology, Symbology::Unknown);
    EXPECT_GT(scan.timestampMs, 0);
    events.settle(100ms);
    EXPECT_EQ(events.scans().size(), 1u) << events.dump();
    EXPECT_TRUE(device.claimed());
    scanner->stop();
    EXPECT_FALSE(device.claimed()) << "the interface is released when the scanner stops";
}

TEST(UsbScanner, KeyboardScannerLicenceKeepsItsControlCharacters) {
    UsbTestbed bed;
    auto& device = bed.add(keyboardScanner());
    Events events;
    auto scanner = openScanner("usb:0c2e:0b61");
    ASSERT_TRUE(scanner);
    scanner->start(events.sink());
    ASSERT_TRUE(events.waitFor(statusAtLeast(State::Connected, 1))) << events.dump();
    device.send(keyboardReports(kLicence));
    ASSERT_TRUE(events.waitFor(scansAtLeast(1))) << events.dump();
    EXPECT_EQ(events.scans()[0].bytes, kLicence);
}

TEST(UsbScanner, PosScannerByVidPidJoinsContinuedReportsWithSymbology) {
    UsbTestbed bed;
    auto& device = bed.add(posScanner());
    Events events;
    auto scanner = openScanner("usb:05e0:1200");
    ASSERT_TRUE(scanner);
    scanner->start(events.sink());
    ASSERT_TRUE(events.waitFor(statusAtLeast(State::Connected, 1))) << events.dump();
    EXPECT_NE(events.statuses(State::Connected)[0].message.find("HID POS"), std::string::npos);

    ASSERT_GT(posReports("]L2", kLicence).size(), 2u);
    device.send(posReports("]L2", kLicence));
    device.send(posReports("]A0", kVin));
    ASSERT_TRUE(events.waitFor(scansAtLeast(2))) << events.dump();
    const auto scans = events.scans();
    EXPECT_EQ(scans[0].bytes, kLicence);
    EXPECT_EQ(scans[0].symbology, Symbology::PDF417);
    EXPECT_EQ(scans[1].bytes, kVin);
    EXPECT_EQ(scans[1].symbology, Symbology::Code39);
}

TEST(UsbScanner, AutoPicksThePosScannerAndLeavesAnOrdinaryKeyboardAlone) {
    UsbTestbed bed;
    auto& keyboard = bed.add({EmulatedKind::OrdinaryKeyboard, 0x046d, 0xc31c, 2, true});
    auto& pos = bed.add(posScanner(3, true));
    Events events;
    auto scanner = openScanner("usb:auto");
    ASSERT_TRUE(scanner);
    scanner->start(events.sink());
    ASSERT_TRUE(events.waitFor(statusAtLeast(State::Connected, 1))) << events.dump();
    EXPECT_NE(events.statuses(State::Connected)[0].message.find("05e0:1200"), std::string::npos) << events.dump();
    EXPECT_FALSE(pos.kernelDriverBound()) << "the POS scanner is taken from usbhid while it is read";

    pos.send(posReports("]A0", kVin));
    ASSERT_TRUE(events.waitFor(scansAtLeast(1))) << events.dump();
    EXPECT_EQ(events.scans()[0].bytes, kVin);
    EXPECT_EQ(events.scans()[0].source, "usb:auto");

    EXPECT_EQ(keyboard.opens(), 0) << "auto mode must not even open an ordinary keyboard";
    EXPECT_TRUE(keyboard.kernelDriverBound());
    scanner->stop();
    EXPECT_TRUE(pos.kernelDriverBound()) << "usbhid gets the scanner back when the kiosk stops";
}

TEST(UsbScanner, AutoWithOnlyAKeyboardWaitsAndTouchesNothing) {
    UsbTestbed bed;
    auto& keyboard = bed.add({EmulatedKind::OrdinaryKeyboard, 0x046d, 0xc31c, 2, true});
    Events events;
    auto scanner = openScanner("usb:auto");
    ASSERT_TRUE(scanner);
    scanner->start(events.sink());
    ASSERT_TRUE(events.waitFor(statusAtLeast(State::Disconnected, 1))) << events.dump();
    events.settle(200ms);
    EXPECT_EQ(events.count(State::Connected), 0u) << events.dump();
    EXPECT_EQ(keyboard.opens(), 0);
}

TEST(UsbScanner, UnplugAndReplugWithoutRestartingTheScanner) {
    UsbTestbed bed;
    auto& device = bed.add(keyboardScanner());
    Events events;
    auto scanner = openScanner("usb:0c2e:0b61");
    ASSERT_TRUE(scanner);
    scanner->start(events.sink());
    ASSERT_TRUE(events.waitFor(statusAtLeast(State::Connected, 1))) << events.dump();
    device.send(keyboardReports(kVin));
    ASSERT_TRUE(events.waitFor(scansAtLeast(1))) << events.dump();

    device.unplug();
    ASSERT_TRUE(events.waitFor(statusAtLeast(State::Disconnected, 1))) << events.dump();
    EXPECT_NE(events.statuses(State::Disconnected).back().message.find("unplugged"), std::string::npos);

    device.replug();
    ASSERT_TRUE(events.waitFor(statusAtLeast(State::Connected, 2))) << events.dump();
    device.send(keyboardReports(kOtherVin));
    ASSERT_TRUE(events.waitFor(scansAtLeast(2))) << events.dump();
    EXPECT_EQ(events.scans()[1].bytes, kOtherVin);
    EXPECT_EQ(events.count(State::Failed), 0u) << events.dump();
}

TEST(UsbScanner, ScannerPluggedInAfterStartIsPickedUp) {
    UsbTestbed bed;
    Events events;
    auto scanner = openScanner("usb:0c2e:0b61");
    ASSERT_TRUE(scanner);
    scanner->start(events.sink());
    ASSERT_TRUE(events.waitFor(statusAtLeast(State::Disconnected, 1))) << events.dump();
    EXPECT_NE(events.statuses(State::Disconnected)[0].message.find("waiting for usb:0c2e:0b61"), std::string::npos);

    auto& device = bed.add(keyboardScanner());
    device.replug();   // the "add" uevent a real plug-in sends
    ASSERT_TRUE(events.waitFor(statusAtLeast(State::Connected, 1))) << events.dump();
    device.send(keyboardReports(kVin));
    ASSERT_TRUE(events.waitFor(scansAtLeast(1))) << events.dump();
    EXPECT_EQ(events.scans()[0].bytes, kVin);
}

TEST(UsbScanner, WithoutHotplugAPeriodicRescanFindsTheReplug) {
    UsbTestbed bed;
    auto& device = bed.add(keyboardScanner());
    Events events;
    auto scanner = openScanner("usb:0c2e:0b61", UsbScannerOptions{.rescanInterval = 200ms, .useHotplug = false});
    ASSERT_TRUE(scanner);
    scanner->start(events.sink());
    ASSERT_TRUE(events.waitFor(statusAtLeast(State::Connected, 1))) << events.dump();
    device.unplug();
    ASSERT_TRUE(events.waitFor(statusAtLeast(State::Disconnected, 1))) << events.dump();
    device.replug();
    ASSERT_TRUE(events.waitFor(statusAtLeast(State::Connected, 2))) << events.dump();
    device.send(keyboardReports(kVin));
    ASSERT_TRUE(events.waitFor(scansAtLeast(1))) << events.dump();
    EXPECT_EQ(events.scans()[0].bytes, kVin);
}

TEST(UsbScanner, StalledEndpointIsClearedAndReadingGoesOn) {
    UsbTestbed bed;
    auto& device = bed.add(keyboardScanner());
    Events events;
    auto scanner = openScanner("usb:0c2e:0b61");
    ASSERT_TRUE(scanner);
    scanner->start(events.sink());
    ASSERT_TRUE(events.waitFor(statusAtLeast(State::Connected, 1))) << events.dump();

    device.stallNext();
    device.send(keyboardReports(kVin));
    ASSERT_TRUE(events.waitFor(scansAtLeast(1))) << events.dump();
    EXPECT_EQ(events.scans()[0].bytes, kVin);
    EXPECT_GE(device.clearHalts(), 1);
    EXPECT_EQ(events.count(State::Disconnected), 0u) << events.dump();
    EXPECT_EQ(events.count(State::Failed), 0u) << events.dump();
}

TEST(UsbScanner, EndpointThatKeepsStallingFailsWithAMessage) {
    UsbTestbed bed;
    auto& device = bed.add(keyboardScanner());
    Events events;
    auto scanner = openScanner("usb:0c2e:0b61");
    ASSERT_TRUE(scanner);
    scanner->start(events.sink());
    ASSERT_TRUE(events.waitFor(statusAtLeast(State::Connected, 1))) << events.dump();
    for (int i = 0; i < 12; ++i)
        device.stallNext();   // each call stalls the next URB the driver queues
    ASSERT_TRUE(events.waitFor(statusAtLeast(State::Failed, 1))) << events.dump();
    EXPECT_NE(events.statuses(State::Failed)[0].message.find("stalling"), std::string::npos);
}

TEST(UsbScanner, KeyboardScannerPulledMidScanPostsNoTruncatedScan) {
    UsbTestbed bed;
    auto& device = bed.add(keyboardScanner());
    Events events;
    auto scanner = openScanner("usb:0c2e:0b61");
    ASSERT_TRUE(scanner);
    scanner->start(events.sink());
    ASSERT_TRUE(events.waitFor(statusAtLeast(State::Connected, 1))) << events.dump();

    auto reports = keyboardReports(kVin);
    reports.resize(reports.size() / 2);   // the cable comes out halfway through the VIN, before Enter
    device.send(reports);
    ASSERT_TRUE(events.waitFor([&](const Events&) { return device.reportsLeft() == 0; }));
    device.unplug();
    ASSERT_TRUE(events.waitFor(statusAtLeast(State::Disconnected, 1))) << events.dump();

    device.replug();
    ASSERT_TRUE(events.waitFor(statusAtLeast(State::Connected, 2))) << events.dump();
    device.send(keyboardReports(kOtherVin));
    ASSERT_TRUE(events.waitFor(scansAtLeast(1))) << events.dump();
    events.settle(100ms);
    ASSERT_EQ(events.scans().size(), 1u) << events.dump();
    EXPECT_EQ(events.scans()[0].bytes, kOtherVin) << "the half VIN must not be glued to the next scan";
}

TEST(UsbScanner, PosScannerPulledBetweenContinuedReportsPostsNoTruncatedScan) {
    UsbTestbed bed;
    auto& device = bed.add(posScanner());
    Events events;
    auto scanner = openScanner("usb:05e0:1200");
    ASSERT_TRUE(scanner);
    scanner->start(events.sink());
    ASSERT_TRUE(events.waitFor(statusAtLeast(State::Connected, 1))) << events.dump();

    auto reports = posReports("]L2", kLicence);
    reports.pop_back();
    device.send(reports);
    ASSERT_TRUE(events.waitFor([&](const Events&) { return device.reportsLeft() == 0; }));
    device.unplug();
    ASSERT_TRUE(events.waitFor(statusAtLeast(State::Disconnected, 1))) << events.dump();
    device.replug();
    ASSERT_TRUE(events.waitFor(statusAtLeast(State::Connected, 2))) << events.dump();
    device.send(posReports("]A0", kVin));
    ASSERT_TRUE(events.waitFor(scansAtLeast(1))) << events.dump();
    events.settle(100ms);
    ASSERT_EQ(events.scans().size(), 1u) << events.dump();
    EXPECT_EQ(events.scans()[0].bytes, kVin);
}

TEST(UsbScanner, StopReturnsPromptlyWhileWaitingForScans) {
    UsbTestbed bed;
    bed.add(keyboardScanner());
    Events events;
    auto scanner = openScanner("usb:0c2e:0b61");
    ASSERT_TRUE(scanner);
    scanner->start(events.sink());
    ASSERT_TRUE(events.waitFor(statusAtLeast(State::Connected, 1))) << events.dump();
    events.settle(100ms);
    const auto t0 = std::chrono::steady_clock::now();
    scanner->stop();
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 300ms);
    scanner->stop();   // idempotent
}

// umockdev cannot make open() fail for root (CAP_DAC_OVERRIDE ignores the mode), so the test runs in a
// child process that first drops to "nobody", then makes the emulated node unreadable.
void permissionDeniedScenario() {
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) {
        std::fprintf(stderr, "cannot drop root privileges\n");
        std::_Exit(2);
    }
    int rc = 1;
    {
        UsbTestbed bed;
        auto& device = bed.add(keyboardScanner());
        const std::string node = bed.rootDir() + device.node();
        if (::chmod(node.c_str(), 0) != 0) std::_Exit(3);
        Events events;
        auto opened = UsbScanner::open("usb:0c2e:0b61");
        if (!opened) std::_Exit(4);
        opened.value()->start(events.sink());
        if (events.waitFor(statusAtLeast(State::Failed, 1))) {
            const auto message = events.statuses(State::Failed)[0].message;
            std::fprintf(stderr, "failed: %s\n", message.c_str());
            if (message == permissionDeniedMessage("/dev/bus/usb/001/002")) rc = 0;
        } else {
            std::fprintf(stderr, "no Failed status:\n%s", events.dump().c_str());
        }
        opened.value()->stop();
    }
    std::fflush(stderr);
    std::_Exit(rc);
}

TEST(UsbScanner, PermissionDeniedNamesTheUdevRuleToInstall) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(permissionDeniedScenario(), ::testing::ExitedWithCode(0), "failed: permission denied on /dev/bus/usb/001/002");
}

TEST(UsbScannerMessages, PermissionMessageNamesNodeRuleAndSteps) {
    const auto m = permissionDeniedMessage("/dev/bus/usb/001/002");
    EXPECT_NE(m.find("/dev/bus/usb/001/002"), std::string::npos);
    EXPECT_NE(m.find("config/udev/60-showroom-scanners.rules"), std::string::npos);
    EXPECT_NE(m.find("/etc/udev/rules.d/"), std::string::npos);
    EXPECT_NE(m.find("udevadm control --reload"), std::string::npos);
}

TEST(UsbScannerConnection, ParsesVidPidAndAuto) {
    const auto m = parseUsbConnection("usb:0C2E:b61");
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_FALSE(m->autoDetect);
    EXPECT_EQ(m->vendorId, 0x0c2e);
    EXPECT_EQ(m->productId, 0x0b61);
    const auto a = parseUsbConnection("usb:auto");
    ASSERT_TRUE(a);
    EXPECT_TRUE(a->autoDetect);
}

TEST(UsbScannerConnection, RefusesMalformedStringsWithAReason) {
    for (const char* bad : {"usb:", "usb:0c2e", "usb:0c2e:", "usb:xyz:0001", "usb:12345:0001", "serial:/dev/ttyACM0",
                            "usb:0c2e:0b61:9", "USB:0c2e:0b61"}) {
        const auto r = parseUsbConnection(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, showroom::core::ErrorCode::InvalidInput) << bad;
        EXPECT_NE(r.error().message.find(bad), std::string::npos) << r.error().message;
    }
    EXPECT_FALSE(UsbScanner::open("usb:nope"));
}

} // namespace
