// What a scan means to a porter: the VIN on any label the yard meets, a bad check digit shown rather
// than swallowed, symbology identifiers split off, and a mailbox that never loses a scan to a status.

#include "showroom/core/scan.hpp"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace scan = showroom::core::scan;
using scan::Symbology;
using scan::VinFinding;

namespace {

constexpr const char* kCoach = "1M8GDM9AXKP042788";   // check digit X, Motor Coach Industries
constexpr const char* kHonda = "1HGCM82633A004352";   // check digit 3
constexpr int kLatestYear = 2027;

VinFinding find(std::string_view payload) {
    return scan::findVin(payload, kLatestYear);
}

} // namespace

// ---- VINs in payloads --------------------------------------------------------------------------

TEST(FindVin, BareVinIsFound) {
    const VinFinding f = find(kCoach);
    EXPECT_EQ(f.kind, VinFinding::Kind::Valid);
    EXPECT_EQ(f.vin, kCoach);
}

TEST(FindVin, Code39LeadingIAndLowerCaseAndPaddingAreCleaned) {
    for (std::string_view raw : {"I1M8GDM9AXKP042788", "i1m8gdm9axkp042788", "  1M8GDM9AXKP042788\r\n", "\x02" "1M8GDM9AXKP042788\x03"}) {
        const VinFinding f = find(raw);
        EXPECT_EQ(f.kind, VinFinding::Kind::Valid) << raw;
        EXPECT_EQ(f.vin, kCoach) << raw;
    }
}

TEST(FindVin, LabelledFieldsOnStickersAndUrls) {
    for (std::string_view raw : {"VIN:1HGCM82633A004352;STOCK:A123", "STOCK:A123;VIN:1HGCM82633A004352",
                                 "vin=1hgcm82633a004352&stock=A123", "https://dealer.example/v?vin=1HGCM82633A004352",
                                 "VIN: 1HGCM82633A004352", "VIN# 1HGCM82633A004352|MILES 12", "Stock A123\nVIN 1HGCM82633A004352\n"}) {
        const VinFinding f = find(raw);
        EXPECT_EQ(f.kind, VinFinding::Kind::Valid) << raw;
        EXPECT_EQ(f.vin, kHonda) << raw;
    }
}

TEST(FindVin, VinInsideAMatrixPayloadAmongOtherFields) {
    // A window-sticker Data Matrix: fields separated by GS, the VIN bare among them.
    const VinFinding f = find("MSRP 31995\x1d" "1HGCM82633A004352\x1d" "COLOR BLUE");
    EXPECT_EQ(f.kind, VinFinding::Kind::Valid);
    EXPECT_EQ(f.vin, kHonda);
}

TEST(FindVin, AimIdentifierIsNotPartOfTheVin) {
    const VinFinding f = find("]A0I1M8GDM9AXKP042788");
    EXPECT_EQ(f.kind, VinFinding::Kind::Valid);
    EXPECT_EQ(f.vin, kCoach);
}

TEST(FindVin, WrongCheckDigitIsReportedWithTheReason) {
    // Position 9 changed from X to 5: a misprinted or mis-read label.
    const VinFinding f = find("1M8GDM9A5KP042788");
    ASSERT_EQ(f.kind, VinFinding::Kind::Invalid);
    EXPECT_EQ(f.vin, "1M8GDM9A5KP042788");
    EXPECT_NE(f.problem.find("check digit"), std::string::npos) << f.problem;
}

TEST(FindVin, ALabelledValueThatIsNotAVinIsShownNotIgnored) {
    const VinFinding f = find("VIN:1M8GDM9AXKP04278;STOCK:A1");   // one character short
    ASSERT_EQ(f.kind, VinFinding::Kind::Invalid);
    EXPECT_FALSE(f.problem.empty());
}

TEST(FindVin, ValidCandidateWinsOverAnInvalidOne) {
    const VinFinding f = find("1M8GDM9A5KP042788 1HGCM82633A004352");
    EXPECT_EQ(f.kind, VinFinding::Kind::Valid);
    EXPECT_EQ(f.vin, kHonda);
}

TEST(FindVin, PayloadsWithoutAVin) {
    for (std::string_view raw : {"", "A123", "STOCK:A123;MILES:12000", "4006381333931", "hello world",
                                 "1M8GDM9AXKP0427881" /* 18 characters, no leading I */}) {
        EXPECT_EQ(find(raw).kind, VinFinding::Kind::None) << raw;
    }
}

TEST(FindVin, ALicenceIsNotReadAsAVin) {
    const std::string licence = "@\n\x1e\rANSI 636000100002DL00410288ZV03290015DLDAQT64235789\nDCSSAMPLE\n";
    EXPECT_EQ(find(licence).kind, VinFinding::Kind::None);
    EXPECT_TRUE(scan::looksLikeLicence(licence));
    EXPECT_TRUE(scan::looksLikeLicence("]L2" + licence));
    EXPECT_FALSE(scan::looksLikeLicence(kCoach));
    EXPECT_FALSE(scan::looksLikeLicence("@home"));
}

// ---- Symbologies ------------------------------------------------------------------------------

TEST(Aim, IdentifiersMapToSymbologies) {
    EXPECT_EQ(scan::splitAim("]A0ABC").symbology, Symbology::Code39);
    EXPECT_EQ(scan::splitAim("]C1ABC").symbology, Symbology::Code128);
    EXPECT_EQ(scan::splitAim("]d2ABC").symbology, Symbology::DataMatrix);
    EXPECT_EQ(scan::splitAim("]Q1ABC").symbology, Symbology::QRCode);
    EXPECT_EQ(scan::splitAim("]L2@\n").symbology, Symbology::PDF417);
    const auto split = scan::splitAim("]Q1VIN:X");
    EXPECT_EQ(split.aim, "]Q1");
    EXPECT_EQ(split.rest, "VIN:X");
}

TEST(Aim, APayloadThatMerelyStartsWithABracketIsLeftWhole) {
    for (std::string_view raw : {"]", "]A", "]#1abc", "]a0abc", "]Aaabc"}) {
        const auto split = scan::splitAim(raw);
        EXPECT_EQ(split.symbology, Symbology::Unknown) << raw;
        EXPECT_EQ(split.rest, raw);
        EXPECT_TRUE(split.aim.empty());
    }
}

TEST(Aim, NamesRoundTrip) {
    for (Symbology s : {Symbology::Code39, Symbology::Code128, Symbology::DataMatrix, Symbology::QRCode, Symbology::PDF417})
        EXPECT_EQ(scan::symbologyFromName(scan::toString(s)), s);
    EXPECT_EQ(scan::toString(Symbology::Unknown), "Unknown");
    EXPECT_EQ(scan::symbologyFromName("code39"), Symbology::Unknown);   // names are exact, as printed
}

TEST(MakeScan, KeepsControlBytesAndStripsTheIdentifier) {
    const scan::Scan s = scan::makeScan("usb:0c2e:0b61", "]L2@\n\x1e\rANSI ", Symbology::Unknown, 42);
    EXPECT_EQ(s.symbology, Symbology::PDF417);
    EXPECT_EQ(s.bytes, "@\n\x1e\rANSI ");
    EXPECT_EQ(s.text, s.bytes);
    EXPECT_EQ(s.source, "usb:0c2e:0b61");
    EXPECT_EQ(s.timestampMs, 42);
}

TEST(MakeScan, ATransportThatKnowsTheSymbologyIsBelieved) {
    EXPECT_EQ(scan::makeScan("image:x", "ABC", Symbology::QRCode, 0).symbology, Symbology::QRCode);
}

TEST(Utf8, InvalidBytesBecomeReplacementCharacters) {
    EXPECT_EQ(scan::toValidUtf8("caf\xC3\xA9"), "caf\xC3\xA9");
    EXPECT_EQ(scan::toValidUtf8("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
    EXPECT_EQ(scan::toValidUtf8("\xC3"), "\xEF\xBF\xBD");                 // truncated sequence
    EXPECT_EQ(scan::toValidUtf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD"); // overlong '/'
    EXPECT_EQ(scan::toValidUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); // surrogate
    EXPECT_EQ(scan::toValidUtf8("\xE4\xB8\xAD\xF0\x9F\x9A\x97"), "\xE4\xB8\xAD\xF0\x9F\x9A\x97");
}

// ---- Mailbox -----------------------------------------------------------------------------------

namespace {

scan::Scan scanOf(std::string text) {
    return scan::makeScan("virtual", text, Symbology::Unknown, 0);
}

scan::ScannerStatus statusOf(scan::ScannerStatus::State state) {
    return {"usb:auto", state, ""};
}

} // namespace

TEST(ScanMailbox, DeliversInOrderFromManyThreads) {
    scan::ScanMailbox mailbox(10'000);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&mailbox, t] {
            auto sink = mailbox.sink();
            for (int i = 0; i < 500; ++i)
                sink(scanOf(std::to_string(t) + ":" + std::to_string(i)));
        });
    for (auto& t : threads)
        t.join();
    const auto events = mailbox.drain();
    ASSERT_EQ(events.size(), 2000U);
    // Each thread's scans arrive in the order it posted them.
    std::vector<int> next(4, 0);
    for (const auto& e : events) {
        const auto& s = std::get<scan::Scan>(e);
        const int t = s.text[0] - '0';
        EXPECT_EQ(s.text, std::to_string(t) + ":" + std::to_string(next[t]));
        ++next[t];
    }
    EXPECT_EQ(mailbox.dropped(), 0U);
}

TEST(ScanMailbox, WhenFullAStatusMakesRoomAndScansAreNotLost) {
    scan::ScanMailbox mailbox(3);
    mailbox.post(statusOf(scan::ScannerStatus::State::Disconnected));
    mailbox.post(scanOf("A"));
    mailbox.post(scanOf("B"));
    mailbox.post(scanOf("C"));   // the status goes
    mailbox.post(scanOf("D"));   // nothing left to give up: refused and counted
    const auto events = mailbox.drain();
    ASSERT_EQ(events.size(), 3U);
    EXPECT_EQ(std::get<scan::Scan>(events[0]).text, "A");
    EXPECT_EQ(std::get<scan::Scan>(events[2]).text, "C");
    EXPECT_EQ(mailbox.dropped(), 1U);
}

TEST(ScanMailbox, WaitReturnsAsSoonAsSomethingArrivesAndWakesTheConsumer) {
    scan::ScanMailbox mailbox;
    int wakeUps = 0;
    mailbox.setWakeUp([&wakeUps] { ++wakeUps; });
    std::thread producer([&mailbox] { mailbox.post(scanOf(kCoach)); });
    const auto events = mailbox.waitAndDrain(std::chrono::seconds(10));
    producer.join();
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(wakeUps, 1);
    EXPECT_TRUE(mailbox.waitAndDrain(std::chrono::milliseconds(1)).empty());
}
