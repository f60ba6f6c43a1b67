// The libusb receipt printer port against a umockdev-emulated USB printer, as a cashier meets it: a
// receipt's bytes reach the printer exactly, paper and cover problems are read before a job, the
// printer is found among other USB devices, pulling the cable mid-job says how far the job got and
// plugging it back in needs no restart. Runs under umockdev-wrapper (see tests/CMakeLists.txt).

#include "emulated_printer.hpp"
#include "emulated_usb.hpp"

#include "showroom/devices/print/escpos.hpp"
#include "showroom/devices/print/usb_printer.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ostream>
#include <string>
#include <thread>

using namespace std::chrono_literals;
using showroom::core::ErrorCode;
using showroom::core::print::PrinterStatus;
using showroom::devices::print::parseUsbPrinter;
using showroom::devices::print::UsbPrinterOptions;
using showroom::devices::print::UsbPrinterPort;
using showroom::testing::EmulatedDeviceSpec;
using showroom::testing::EmulatedKind;
using showroom::testing::EmulatedPrinter;
using showroom::testing::EmulatedPrinterSpec;
using showroom::testing::OutFailure;
using showroom::testing::UsbTestbed;
namespace escpos = showroom::devices::escpos;

namespace {

UsbPrinterOptions epson(int timeoutMs = 2000) {
    UsbPrinterOptions o;
    o.vendorId = 0x04b8;
    o.productId = 0x0202;
    o.timeoutMs = timeoutMs;
    return o;
}

UsbPrinterOptions autoPrinter() {
    UsbPrinterOptions o;
    o.timeoutMs = 2000;
    return o;
}

// A receipt as the encoder writes it: text in two code pages, a barcode, a cut.
std::string receipt() {
    escpos::Encoder e(escpos::PrinterProfile{});
    e.initialize().align(escpos::Align::Center).bold(true).line("SHOWROOM MOTORS").bold(false);
    e.columns("Deposit R2026-000012", "€ 1.500,00").line("Käufer: Jürgen Groß").rule();
    e.barcode128("R2026-000012").feed(3).cut();
    return e.bytes();
}

// A raster image's worth of bytes in which every position is distinguishable (order shows), with no
// DLE EOT inside.
std::string rasterJob(std::size_t size) {
    std::string job = "\x1d\x76\x30";
    job.reserve(size);
    for (std::size_t i = 0; job.size() < size; ++i) {
        auto b = static_cast<unsigned char>((i * 131 + i / 251) & 0xFF);
        if (b == 0x10) b = 0x11;
        job.push_back(static_cast<char>(b));
    }
    return job;
}

PrinterStatus statusWith(void (*set)(PrinterStatus&)) {
    PrinterStatus s;
    set(s);
    return s;
}

// Waits until libusb has seen the printer go (the udev "remove" is handled on libusb's own thread).
bool waitUntilGone(UsbPrinterPort& port) {
    const auto deadline = std::chrono::steady_clock::now() + 3s;
    while (port.waitForArrival(0)) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

TEST(UsbPrinter, AReceiptArrivesByteForByteOnBulkOut) {
    UsbTestbed bed;
    EmulatedPrinter printer(bed);
    UsbPrinterPort port(epson());
    const std::string job = receipt();

    const auto sent = port.send(job);
    ASSERT_TRUE(sent.status) << sent.status.error().message;
    EXPECT_EQ(sent.written, job.size());
    EXPECT_EQ(printer.received(), job);
    EXPECT_FALSE(printer.claimed()); // the interface is held only while a job runs
    EXPECT_EQ(port.describe(), "usb 04b8:0202");
}

TEST(UsbPrinter, EveryByteValueGoesThroughUnchanged) {
    UsbTestbed bed;
    EmulatedPrinter printer(bed);
    UsbPrinterPort port(epson());
    std::string job;
    for (int i = 0; i < 256; ++i)
        job.push_back(static_cast<char>(i));
    const auto sent = port.send(job);
    ASSERT_TRUE(sent.status) << sent.status.error().message;
    EXPECT_EQ(printer.received(), job);
}

TEST(UsbPrinter, A200KbRasterJobArrivesIntactAndInOrder) {
    UsbTestbed bed;
    EmulatedPrinter printer(bed);
    UsbPrinterPort port(epson());
    const std::string job = rasterJob(200 * 1024);
    const auto sent = port.send(job);
    ASSERT_TRUE(sent.status) << sent.status.error().message;
    EXPECT_EQ(sent.written, job.size());
    const std::string got = printer.received();
    ASSERT_EQ(got.size(), job.size());
    EXPECT_TRUE(got == job) << "the bytes arrived changed or out of order";
}

struct StatusCase {
    const char* name;
    void (*set)(PrinterStatus&);
    bool ready;
    const char* blocker;
};

void PrintTo(const StatusCase& c, std::ostream* os) {
    *os << c.name;
}

class UsbPrinterStatus : public ::testing::TestWithParam<StatusCase> {};

TEST_P(UsbPrinterStatus, IsReadFromTheFourDleEotAnswers) {
    const auto& c = GetParam();
    UsbTestbed bed;
    EmulatedPrinter printer(bed);
    printer.setStatus(statusWith(c.set));
    UsbPrinterPort port(epson());

    const auto s = port.status();
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_TRUE(s->known);
    EXPECT_EQ(s->ready(), c.ready);
    EXPECT_EQ(s->blocker(), c.blocker);
    EXPECT_EQ(s->paperNearEnd, statusWith(c.set).paperNearEnd || statusWith(c.set).paperOut);
    EXPECT_EQ(printer.statusQueries(), 4);
    EXPECT_EQ(printer.received(), escpos::fullStatusRequest());
}

INSTANTIATE_TEST_SUITE_P(
    Paper, UsbPrinterStatus,
    ::testing::Values(StatusCase{"Ready", [](PrinterStatus&) {}, true, ""},
                      StatusCase{"PaperOut", [](PrinterStatus& s) { s.paperOut = true; }, false, "paper_out"},
                      StatusCase{"CoverOpen", [](PrinterStatus& s) { s.coverOpen = true; }, false, "cover_open"},
                      StatusCase{"NearEnd", [](PrinterStatus& s) { s.paperNearEnd = true; }, true, ""}),
    [](const auto& param) { return std::string(param.param.name); });

TEST(UsbPrinter, StatusAnsweredOneByteAtATimeIsStillRead) {
    UsbTestbed bed;
    EmulatedPrinter printer(bed);
    printer.setStatus(statusWith([](PrinterStatus& s) { s.coverOpen = true; }));
    printer.limitInPerTransfer(1);
    UsbPrinterPort port(epson());
    const auto s = port.status();
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_TRUE(s->coverOpen);
    EXPECT_EQ(s->blocker(), "cover_open");
}

void staleAnswersScenario(std::size_t bytesPerTransfer) {
    UsbTestbed bed;
    EmulatedPrinter printer(bed);
    printer.limitInPerTransfer(bytesPerTransfer);
    UsbPrinterPort port(epson());
    // A job whose raster data happens to hold DLE EOT 1 makes a ready printer answer unasked...
    const std::string job = std::string("\x1d\x76\x30\x00\x10\x04\x01\xff", 8);
    ASSERT_TRUE(port.send(job).status);
    printer.queueIn(std::string("\x00\xff", 2)); // ... and a little line noise
    // ... then the paper runs out: the status must say so, not repeat the stale "ready".
    printer.setStatus(statusWith([](PrinterStatus& s) { s.paperOut = true; }));
    const auto s = port.status();
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_TRUE(s->paperOut);
    EXPECT_EQ(s->blocker(), "paper_out");
}

TEST(UsbPrinter, StaleAnswersAndNoiseBeforeTheQueryAreNotTakenForTheStatus) {
    staleAnswersScenario(0);
}

TEST(UsbPrinter, StaleAnswersAreNotTakenForTheStatusWhenBytesComeOneByOne) {
    staleAnswersScenario(1);
}

TEST(UsbPrinter, AOneWayPrinterReportsAnUnknownStatusAndStillPrints) {
    UsbTestbed bed;
    EmulatedPrinterSpec spec;
    spec.inEndpoint = false;
    EmulatedPrinter printer(bed, spec);
    UsbPrinterPort port(epson());
    const auto s = port.status();
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_FALSE(s->known);
    EXPECT_TRUE(s->ready());
    EXPECT_EQ(printer.received(), ""); // nothing asked that nobody could answer
    ASSERT_TRUE(port.send(receipt()).status);
    EXPECT_EQ(printer.received(), receipt());
}

TEST(UsbPrinter, APrinterWithAnotherVidPidIsNoPrinter) {
    UsbTestbed bed;
    EmulatedPrinter printer(bed); // 04b8:0202
    UsbPrinterOptions other = epson();
    other.productId = 0x0e15;
    UsbPrinterPort port(other);

    const auto s = port.status();
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, ErrorCode::Io);
    EXPECT_NE(s.error().message.find("no printer"), std::string::npos) << s.error().message;
    EXPECT_NE(s.error().message.find("04b8:0e15"), std::string::npos) << s.error().message;
    const auto sent = port.send(receipt());
    EXPECT_FALSE(sent.status);
    EXPECT_EQ(sent.written, 0u);
    EXPECT_EQ(printer.opens(), 0);
    EXPECT_EQ(printer.received(), "");
}

TEST(UsbPrinter, AutoFindsThePrinterClassInterfaceAndLeavesAScannerAlone) {
    UsbTestbed bed;
    auto& scanner = bed.add(EmulatedDeviceSpec{EmulatedKind::KeyboardScanner, 0x0c2e, 0x0b61, 2, false});
    EmulatedPrinterSpec spec;
    spec.vendorId = 0x0519; // another brand than the default: auto does not go by vendor
    spec.productId = 0x0003;
    spec.devnum = 5;
    EmulatedPrinter printer(bed, spec);
    UsbPrinterPort port(autoPrinter());
    EXPECT_EQ(port.describe(), "usb auto");

    const auto sent = port.send(receipt());
    ASSERT_TRUE(sent.status) << sent.status.error().message;
    EXPECT_EQ(printer.received(), receipt());
    EXPECT_EQ(scanner.opens(), 0);
    EXPECT_FALSE(scanner.claimed());
}

TEST(UsbPrinter, AutoWithOnlyAScannerFindsNoPrinterAndTouchesNothing) {
    UsbTestbed bed;
    auto& scanner = bed.add(EmulatedDeviceSpec{EmulatedKind::KeyboardScanner, 0x0c2e, 0x0b61, 2, false});
    UsbPrinterPort port(autoPrinter());
    const auto s = port.status();
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message.find("no printer"), std::string::npos) << s.error().message;
    EXPECT_EQ(scanner.opens(), 0);
}

TEST(UsbPrinter, AVendorSpecificInterfaceIsUsedByVidPidButNotByAuto) {
    UsbTestbed bed;
    EmulatedPrinterSpec spec;
    spec.interfaceClass = 0xFF;
    EmulatedPrinter printer(bed, spec);
    {
        UsbPrinterPort port(autoPrinter());
        EXPECT_FALSE(port.status());
    }
    UsbPrinterPort port(epson());
    const auto s = port.status();
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_TRUE(s->ready());
}

TEST(UsbPrinter, UnplugMidJobSaysHowFarItGotAndAReplugPrintsAgainWithoutRestart) {
    UsbTestbed bed;
    EmulatedPrinter printer(bed);
    UsbPrinterPort port(epson());
    ASSERT_TRUE(port.status());
    printer.clearReceived();
    const std::string job = rasterJob(64 * 1024);
    printer.failOutAfter(10000, OutFailure::Unplug);

    const auto sent = port.send(job);
    ASSERT_FALSE(sent.status);
    EXPECT_EQ(sent.status.error().code, ErrorCode::Io);
    EXPECT_NE(sent.status.error().message.find("unplugged"), std::string::npos) << sent.status.error().message;
    EXPECT_EQ(sent.written, 10000u); // exactly what the printer took
    EXPECT_LT(sent.written, job.size());
    const std::string got = printer.received();
    EXPECT_EQ(got.size(), 10000u);
    EXPECT_TRUE(got == job.substr(0, 10000)) << "the printer got other bytes than the job's first 10000";

    // Unplugged: every call fails, none hangs, none prints.
    const auto s = port.status();
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, ErrorCode::Io);
    const auto again = port.send(receipt());
    EXPECT_FALSE(again.status);
    EXPECT_EQ(again.written, 0u);

    printer.clearReceived();
    printer.replug();
    ASSERT_TRUE(port.waitForArrival(5000));
    const auto reprint = port.send(receipt());
    ASSERT_TRUE(reprint.status) << reprint.status.error().message;
    EXPECT_EQ(printer.received(), receipt());
}

TEST(UsbPrinter, WaitForArrivalWakesWhenThePrinterIsPluggedBackIn) {
    UsbTestbed bed;
    EmulatedPrinter printer(bed);
    UsbPrinterPort port(epson());
    EXPECT_TRUE(port.waitForArrival(0)); // present: at once
    ASSERT_TRUE(port.status());

    printer.unplug();
    const auto s = port.status();
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, ErrorCode::Io);
    ASSERT_TRUE(waitUntilGone(port));
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_FALSE(port.waitForArrival(100));
    EXPECT_GE(std::chrono::steady_clock::now() - t0, 90ms);

    std::jthread plugger([&] {
        std::this_thread::sleep_for(300ms);
        printer.replug();
    });
    const auto t1 = std::chrono::steady_clock::now();
    ASSERT_TRUE(port.waitForArrival(10000));
    const auto waited = std::chrono::steady_clock::now() - t1;
    EXPECT_GE(waited, 250ms);
    EXPECT_LT(waited, 3s); // woken by the arrival, not by the timeout
    plugger.join();
    const auto back = port.status();
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_TRUE(back->ready());
}

TEST(UsbPrinter, WithoutHotplugWaitForArrivalPollsAndFindsTheReplug) {
    UsbTestbed bed;
    EmulatedPrinter printer(bed);
    UsbPrinterOptions options = epson();
    options.useHotplug = false;
    UsbPrinterPort port(options);
    ASSERT_TRUE(port.send(receipt()).status);
    printer.unplug();
    EXPECT_FALSE(port.send(receipt()).status);
    ASSERT_TRUE(waitUntilGone(port));

    std::jthread plugger([&] {
        std::this_thread::sleep_for(200ms);
        printer.replug();
    });
    const auto t0 = std::chrono::steady_clock::now();
    ASSERT_TRUE(port.waitForArrival(10000));
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
    plugger.join();
    printer.clearReceived();
    const auto sent = port.send(receipt());
    ASSERT_TRUE(sent.status) << sent.status.error().message;
    EXPECT_EQ(printer.received(), receipt());
}

TEST(UsbPrinter, AStallMidJobFailsWithWhatWentAndTheNextJobPrints) {
    UsbTestbed bed;
    EmulatedPrinter printer(bed);
    UsbPrinterPort port(epson());
    const std::string job = rasterJob(20000);
    printer.failOutAfter(5000, OutFailure::Stall);
    const auto sent = port.send(job);
    ASSERT_FALSE(sent.status);
    EXPECT_EQ(sent.status.error().code, ErrorCode::Io);
    EXPECT_NE(sent.status.error().message.find("stalled"), std::string::npos) << sent.status.error().message;
    EXPECT_EQ(sent.written, 5000u);

    printer.clearReceived();
    const auto next = port.send(receipt());
    ASSERT_TRUE(next.status) << next.status.error().message;
    EXPECT_EQ(printer.received(), receipt());
}

TEST(UsbPrinter, ASlowPrinterWithinTheTimeoutGetsTheWholeJob) {
    UsbTestbed bed;
    EmulatedPrinter printer(bed);
    printer.setOutDelay(30ms);
    UsbPrinterPort port(epson(1000));
    const std::string job = rasterJob(3 * 4096 + 100);
    const auto sent = port.send(job);
    ASSERT_TRUE(sent.status) << sent.status.error().message;
    EXPECT_EQ(printer.received(), job);
}

TEST(UsbPrinter, APrinterThatTakesNothingTimesOutWithWhatWent) {
    UsbTestbed bed;
    EmulatedPrinter printer(bed);
    UsbPrinterPort port(epson(150));
    printer.setOutDelay(2000ms);
    const auto t0 = std::chrono::steady_clock::now();
    const auto sent = port.send(rasterJob(10000));
    const auto took = std::chrono::steady_clock::now() - t0;
    ASSERT_FALSE(sent.status);
    EXPECT_EQ(sent.status.error().code, ErrorCode::Io);
    EXPECT_NE(sent.status.error().message.find("did not respond"), std::string::npos) << sent.status.error().message;
    EXPECT_EQ(sent.written, 0u);
    EXPECT_LT(took, 1500ms);

    printer.setOutDelay(0ms);
    printer.clearReceived();
    const auto next = port.send(receipt());
    ASSERT_TRUE(next.status) << next.status.error().message;
    EXPECT_EQ(printer.received(), receipt());
}

TEST(UsbPrinter, UsblpIsDetachedForTheJobAndGivenBackAfter) {
    UsbTestbed bed;
    EmulatedPrinterSpec spec;
    spec.kernelDriverBound = true;
    EmulatedPrinter printer(bed, spec);
    UsbPrinterPort port(epson());
    const auto sent = port.send(receipt());
    ASSERT_TRUE(sent.status) << sent.status.error().message;
    EXPECT_EQ(printer.received(), receipt());
    EXPECT_TRUE(printer.kernelDriverBound());
    EXPECT_FALSE(printer.claimed());
    const auto s = port.status();
    ASSERT_TRUE(s) << s.error().message;
    EXPECT_TRUE(printer.kernelDriverBound());
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
        EmulatedPrinter printer(bed);
        const std::string node = bed.rootDir() + printer.node();
        if (::chmod(node.c_str(), 0) != 0) std::_Exit(3);
        UsbPrinterPort port(epson());
        const auto sent = port.send(receipt());
        if (!sent.status) {
            std::fprintf(stderr, "failed: %s\n", sent.status.error().message.c_str());
            if (sent.written == 0 && sent.status.error().code == ErrorCode::Io) rc = 0;
        }
    }
    std::fflush(stderr);
    std::_Exit(rc);
}

TEST(UsbPrinter, PermissionDeniedNamesTheUdevRuleToInstall) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(permissionDeniedScenario(), ::testing::ExitedWithCode(0),
                "failed: permission denied on /dev/bus/usb/001/004.*config/udev/60-showroom-printers.rules");
}

TEST(UsbPrinterConnection, AcceptsAutoAndVidPid) {
    const auto a = parseUsbPrinter("auto");
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(a->vendorId, 0);
    EXPECT_EQ(a->productId, 0);
    const auto e = parseUsbPrinter("04b8:0202");
    ASSERT_TRUE(e) << e.error().message;
    EXPECT_EQ(e->vendorId, 0x04b8);
    EXPECT_EQ(e->productId, 0x0202);
    const auto upper = parseUsbPrinter("04B8:E15");
    ASSERT_TRUE(upper);
    EXPECT_EQ(upper->productId, 0x0e15);
}

TEST(UsbPrinterConnection, RefusesJunk) {
    for (const char* junk : {"", "AUTO", "04b8", "04b8:", ":0202", "04b8:0202:1", "0x04b8:0202", "04b8:02020",
                             "g4b8:0202", "04b8 :0202", "0000:0000", "usb:04b8:0202"}) {
        const auto r = parseUsbPrinter(junk);
        EXPECT_FALSE(r) << "accepted \"" << junk << "\"";
        if (!r) {
            EXPECT_EQ(r.error().code, ErrorCode::InvalidInput);
        }
    }
}

} // namespace
