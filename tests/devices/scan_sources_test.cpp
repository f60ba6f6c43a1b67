// Connection strings open the right driver or say what is wrong; the virtual scanner plays a demo
// script like a real scanner (statuses included); the console wedge tells a scan from typing.

#include "showroom/devices/scan/scan_sources.hpp"
#include "showroom/devices/scan/virtual_scanner.hpp"
#include "showroom/devices/scan/wedge_source.hpp"

#include "scan_collector.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace scan = showroom::core::scan;
using showroom::devices::openScanSource;
using showroom::devices::parseVirtualScript;
using showroom::devices::parseWedgeConnection;
using showroom::devices::VirtualScanner;
using showroom::devices::VirtualStep;
using showroom::devices::WedgeSource;
using State = scan::ScannerStatus::State;

namespace {

constexpr const char* kVin = "1M8GDM9AXKP042788";

using Collector = showroom::test::ScanCollector;

} // namespace

TEST(ScanSources, EachSchemeOpensItsDriverWithoutTouchingADevice) {
    for (const char* c : {"wedge", "wedge?gap_ms=30&suffix=tab", "serial:/dev/ttyACM7?baud=115200", "usb:0c2e:0b61", "usb:auto", "image:/tmp/drop", "virtual"}) {
        auto source = openScanSource(c);
        ASSERT_TRUE(source) << c << ": " << source.error().message;
        EXPECT_EQ((*source)->connection(), c);
    }
}

TEST(ScanSources, UnknownOrMalformedConnectionsSayWhy) {
    for (const char* c : {"", "scanner", "bluetooth:00:11", "serial:ttyS0", "usb:0c2e", "usb:xyz:1", "wedge?gap_ms=1", "wedgie", "virtual:/no/such/script"}) {
        auto source = openScanSource(c);
        ASSERT_FALSE(source) << c;
        EXPECT_FALSE(source.error().message.empty());
    }
    EXPECT_NE(openScanSource("bluetooth:00:11").error().message.find("serial:"), std::string::npos)
        << "the refusal lists the schemes that do work";
}

TEST(WedgeConnection, OptionsMapToTheDecoder) {
    auto c = parseWedgeConnection("wedge?gap_ms=25&min_length=3&suffix=none&prefix=\\x02");
    ASSERT_TRUE(c) << c.error().message;
    EXPECT_EQ(c->maxGapMs, 25);
    EXPECT_EQ(c->minLength, 3U);
    EXPECT_FALSE(c->enterTerminates);
    EXPECT_FALSE(c->tabTerminates);
    EXPECT_EQ(c->prefix, "\x02");
    EXPECT_FALSE(parseWedgeConnection("wedge?colour=red"));
    EXPECT_FALSE(parseWedgeConnection("wedge?suffix=space"));
}

// ---- The virtual scanner ------------------------------------------------------------------------

TEST(VirtualScript, CommandsEscapesAndSymbologies) {
    auto steps = parseVirtualScript("# demo\n\nscan@Code39 I1M8GDM9AXKP042788\nwait 250\r\nunplug\nreplug\n"
                                    "scan @\\n\\x1e\\rANSI \\\\ end\n");
    ASSERT_TRUE(steps) << steps.error().message;
    ASSERT_EQ(steps->size(), 5U);
    EXPECT_EQ((*steps)[0].symbology, scan::Symbology::Code39);
    EXPECT_EQ((*steps)[0].payload, "I1M8GDM9AXKP042788");
    EXPECT_EQ((*steps)[1].waitMs, 250);
    EXPECT_EQ((*steps)[2].kind, VirtualStep::Kind::Unplug);
    EXPECT_EQ((*steps)[4].payload, "@\n\x1e\rANSI \\ end");
}

TEST(VirtualScript, ABadLineIsRefusedWithItsNumberBeforeAnythingPlays) {
    for (const char* script : {"scan A\nwait soon\n", "scan A\nscan\n", "scan A\nscan \\q\n", "scan A\nscan@Morse X\n",
                               "scan A\nwait 999999\n", "scan A\npress trigger\n", "scan A\nscan \\x4\n"}) {
        auto steps = parseVirtualScript(script);
        ASSERT_FALSE(steps) << script;
        EXPECT_NE(steps.error().message.find("line 2"), std::string::npos) << steps.error().message;
    }
}

TEST(VirtualScanner, PlaysItsScriptWithStatusesLikeARealScanner) {
    showroom::test::TempDir dir;
    const std::string script = dir.file("demo.scan");
    showroom::test::writeFile(script, "scan@Code39 I1M8GDM9AXKP042788\nunplug\nscan lost while unplugged\nreplug\n"
                                      "scan ]Q1VIN:1HGCM82633A004352;STOCK:A1\n");
    auto source = openScanSource("virtual:" + script);
    ASSERT_TRUE(source) << source.error().message;
    Collector c;
    (*source)->start(c.mailbox.sink());
    ASSERT_TRUE(c.waitFor([&] { return c.scans().size() == 2; }));
    (*source)->stop();
    const auto scans = c.scans();
    EXPECT_EQ(scans[0].symbology, scan::Symbology::Code39);
    EXPECT_EQ(scans[0].bytes, "I1M8GDM9AXKP042788");
    EXPECT_EQ(scans[1].symbology, scan::Symbology::QRCode) << "the AIM identifier says QR";
    EXPECT_EQ(scans[1].bytes, "VIN:1HGCM82633A004352;STOCK:A1");
    EXPECT_EQ(scans[1].source, "virtual:" + script);
    EXPECT_EQ(c.states(), (std::vector<State>{State::Connected, State::Disconnected, State::Connected}));
}

TEST(VirtualScanner, PostsFromAnyThreadArriveInOrderAndStopCutsAWaitShort) {
    VirtualScanner scanner("virtual", {VirtualStep{VirtualStep::Kind::Wait, {}, {}, 60'000}});
    Collector c;
    scanner.start(c.mailbox.sink());
    ASSERT_TRUE(c.waitFor([&] { return !c.states().empty(); }));
    const auto before = std::chrono::steady_clock::now();
    scanner.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(2));

    VirtualScanner live;
    Collector c2;
    live.start(c2.mailbox.sink());
    std::thread a([&] { for (int i = 0; i < 50; ++i) live.post("A" + std::to_string(i)); });
    a.join();
    ASSERT_TRUE(c2.waitFor([&] { return c2.scans().size() == 50; }));
    for (int i = 0; i < 50; ++i)
        EXPECT_EQ(c2.scans()[static_cast<std::size_t>(i)].bytes, "A" + std::to_string(i));
}

// ---- The console wedge --------------------------------------------------------------------------

TEST(WedgeSource, ScannerBurstIsAScanAndSlowTypingIsNot) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    auto config = parseWedgeConnection("wedge");
    ASSERT_TRUE(config);
    WedgeSource source("wedge", *config, fds[0]);
    Collector c;
    source.start(c.mailbox.sink());
    auto send = [&](const std::string& s) { ASSERT_EQ(::write(fds[1], s.data(), s.size()), static_cast<ssize_t>(s.size())); };

    for (char ch : std::string("ab")) {   // a person, 150 ms a key
        send(std::string(1, ch));
        std::this_thread::sleep_for(std::chrono::milliseconds(150));
    }
    send(std::string("]A0I") + kVin + "\r");   // the scanner, all at once
    ASSERT_TRUE(c.waitFor([&] { return c.scans().size() == 1; }));
    ::close(fds[1]);   // the input ends
    ASSERT_TRUE(c.waitFor([&] { return c.states().size() == 2; }));
    source.stop();
    ::close(fds[0]);

    EXPECT_EQ(c.scans()[0].bytes, std::string("I") + kVin);
    EXPECT_EQ(c.scans()[0].symbology, scan::Symbology::Code39);
    EXPECT_EQ(c.states(), (std::vector<State>{State::Connected, State::Disconnected}));
}
