// HID scanner reports as a porter's scans produce them: keyboard-class scanners typing a VIN or a
// licence (with its control characters), HID POS scanners sending data reports, and the descriptor
// check that tells a scanner from an ordinary keyboard.

#include "showroom/devices/scan/hid_report.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

using showroom::core::scan::Symbology;
using showroom::devices::HidKeyboardConfig;
using showroom::devices::HidKeyboardDecoder;
using showroom::devices::HidPosDecoder;
using showroom::devices::isBarcodeScannerDescriptor;

namespace {

using Report = std::vector<std::uint8_t>;

constexpr std::uint8_t kShift = 0x02;
constexpr std::uint8_t kCtrl = 0x01;
constexpr std::uint8_t kAlt = 0x04;

Report keys(std::uint8_t modifiers, std::initializer_list<std::uint8_t> usages) {
    Report r(8, 0);
    r[0] = modifiers;
    std::size_t i = 2;
    for (auto u : usages)
        r[i++] = u;
    return r;
}
Report release() { return Report(8, 0); }

std::uint8_t letter(char c) { return static_cast<std::uint8_t>(0x04 + (c - 'a')); }
std::uint8_t digit(char c) { return c == '0' ? 0x27 : static_cast<std::uint8_t>(0x1E + (c - '1')); }

// Feeds everything, 2 ms apart, and collects the scans.
std::vector<std::string> play(HidKeyboardDecoder& d, const std::vector<Report>& reports, std::int64_t startMs = 0) {
    std::vector<std::string> scans;
    std::int64_t t = startMs;
    for (const auto& r : reports) {
        for (auto& s : d.feed(r, t))
            scans.push_back(std::move(s));
        t += 2;
    }
    return scans;
}

// The reports a keyboard-class scanner sends for `text` followed by Enter: press, release.
std::vector<Report> typed(const std::string& text) {
    std::vector<Report> out;
    for (char c : text) {
        if (c >= 'a' && c <= 'z') out.push_back(keys(0, {letter(c)}));
        else if (c >= 'A' && c <= 'Z') out.push_back(keys(kShift, {letter(static_cast<char>(c - 'A' + 'a'))}));
        else if (c >= '0' && c <= '9') out.push_back(keys(0, {digit(c)}));
        else if (c == ' ') out.push_back(keys(0, {0x2C}));
        else if (c == '\n') out.push_back(keys(kCtrl, {letter('j')}));
        else if (c == '\r') out.push_back(keys(kCtrl, {letter('m')}));
        else if (c == '\x1e') out.push_back(keys(kCtrl | kShift, {digit('6')}));
        else if (c == '\x1d') out.push_back(keys(kCtrl, {0x30}));
        else if (c == '@') out.push_back(keys(kShift, {digit('2')}));
        else ADD_FAILURE() << "no key for " << int(c);
        out.push_back(release());
    }
    out.push_back(keys(0, {0x28}));
    out.push_back(release());
    return out;
}

TEST(HidKeyboardDecoder, VinTypedByAScannerIsOneScanWithoutTheEnter) {
    HidKeyboardDecoder d;
    EXPECT_EQ(play(d, typed("1M8GDM9AXKP042788")), std::vector<std::string>{"1M8GDM9AXKP042788"});
    EXPECT_FALSE(d.collecting());
}

TEST(HidKeyboardDecoder, LicenceControlCharactersSentAsCtrlChordsSurviveExactly) {
    const std::string licence = "@\n\x1e\rANSI 636014040002DL00410278ZC03190024DLDAQD1234562\nDCSPUBLIC\x1d\r";
    HidKeyboardDecoder d;
    EXPECT_EQ(play(d, typed(licence)), std::vector<std::string>{licence});
}

TEST(HidKeyboardDecoder, KeyHeldOverSeveralReportsIsTypedOnce) {
    HidKeyboardDecoder d;
    const auto scans = play(d, {keys(0, {letter('a')}), keys(0, {letter('a')}), keys(0, {letter('a')}), release(),
                                keys(0, {0x28}), release()});
    EXPECT_EQ(scans, std::vector<std::string>{"a"});
}

TEST(HidKeyboardDecoder, SameCharacterTwiceInARowIsTypedTwice) {
    HidKeyboardDecoder d;
    const auto scans = play(d, typed("AA11"));
    EXPECT_EQ(scans, std::vector<std::string>{"AA11"});
    // Without a release report in between: the second key arrives in another slot of the same report.
    HidKeyboardDecoder d2;
    const auto rolled = play(d2, {keys(0, {letter('a')}), keys(0, {letter('a'), letter('b')}), keys(0, {letter('b')}),
                                  release(), keys(0, {0x28}), release()});
    EXPECT_EQ(rolled, std::vector<std::string>{"ab"});
}

TEST(HidKeyboardDecoder, RolloverErrorReportsAreIgnoredWithoutLosingKeys) {
    HidKeyboardDecoder d;
    const auto scans = play(d, {keys(0, {letter('x')}), keys(0, {0x01, 0x01, 0x01, 0x01, 0x01, 0x01}),
                                keys(0, {letter('x')}), release(), keys(0, {letter('y')}), release(),
                                keys(0, {0x28}), release()});
    EXPECT_EQ(scans, std::vector<std::string>{"xy"}) << "x held through the rollover report is one x";
}

TEST(HidKeyboardDecoder, ShiftedSymbolsAndKeypadFollowTheUsLayout) {
    HidKeyboardDecoder d;
    const auto scans = play(d, {keys(kShift, {digit('1')}), release(), keys(kShift, {0x38}), release(),
                                keys(0, {0x2D}), release(), keys(0, {0x59}), release(), keys(0, {0x63}), release(),
                                keys(0, {0x58}), release()});
    EXPECT_EQ(scans, std::vector<std::string>{"!?-1."});
}

TEST(HidKeyboardDecoder, AltKeypadCodesTypeTheirByte) {
    HidKeyboardDecoder d;
    // Alt + keypad 0 2 9 = GS, then "A", then Enter.
    const auto scans = play(d, {keys(kAlt, {}), keys(kAlt, {0x62}), keys(kAlt, {}), keys(kAlt, {0x5A}), keys(kAlt, {}),
                                keys(kAlt, {0x61}), keys(kAlt, {}), release(), keys(kShift, {letter('a')}), release(),
                                keys(0, {0x28}), release()});
    EXPECT_EQ(scans, std::vector<std::string>{"\x1d" "A"});
}

TEST(HidKeyboardDecoder, TabIsPayloadUnlessConfiguredAsTerminator) {
    HidKeyboardDecoder d;
    EXPECT_EQ(play(d, {keys(0, {letter('a')}), keys(0, {0x2B}), keys(0, {letter('b')}), keys(0, {0x28}), release()}),
              std::vector<std::string>{"a\tb"});
    HidKeyboardDecoder tab(HidKeyboardConfig{.tabTerminates = true});
    EXPECT_EQ(play(tab, {keys(0, {letter('a')}), keys(0, {0x2B}), release()}), std::vector<std::string>{"a"});
}

TEST(HidKeyboardDecoder, PartialScanIsDroppedOnResetAndNeverGluedToTheNext) {
    HidKeyboardDecoder d;
    EXPECT_TRUE(play(d, {keys(0, {letter('q')}), release(), keys(0, {letter('w')})}).empty());
    EXPECT_TRUE(d.collecting());
    d.reset();
    EXPECT_EQ(play(d, typed("OK")), std::vector<std::string>{"OK"});
    EXPECT_EQ(d.abandoned(), 1u);
}

TEST(HidKeyboardDecoder, PartialScanIsAbandonedAfterASilence) {
    HidKeyboardDecoder d(HidKeyboardConfig{.abandonAfterMs = 500});
    EXPECT_TRUE(play(d, {keys(0, {letter('q')}), release()}, 0).empty());
    EXPECT_EQ(play(d, typed("OK"), 5000), std::vector<std::string>{"OK"});
    EXPECT_EQ(d.abandoned(), 1u);
}

// --- HID POS ----------------------------------------------------------------------------------

Report posReport(const std::string& aim, const std::string& data, bool continued) {
    Report r(64, 0);
    r[0] = 0x02;
    r[1] = static_cast<std::uint8_t>(data.size());
    for (std::size_t i = 0; i < aim.size() && i < 3; ++i)
        r[2 + i] = static_cast<std::uint8_t>(aim[i]);
    for (std::size_t i = 0; i < data.size(); ++i)
        r[5 + i] = static_cast<std::uint8_t>(data[i]);
    r[63] = continued ? 1 : 0;
    return r;
}

TEST(HidPosDecoder, SingleReportScanCarriesPayloadAndSymbology) {
    HidPosDecoder d;
    const auto scan = d.feed(posReport("]A0", "1M8GDM9AXKP042788", false));
    ASSERT_TRUE(scan);
    EXPECT_EQ(scan->bytes, "1M8GDM9AXKP042788");
    EXPECT_EQ(scan->symbology, Symbology::Code39);
    EXPECT_EQ(scan->aim, "]A0");
}

TEST(HidPosDecoder, ContinuedReportsAreJoinedIntoOnePayload) {
    std::string licence = "@\n\x1e\rANSI 636014040002DL00410278ZC03190024DLDAQD1234562\nDCSPUBLIC\nDACJOHN\n";
    while (licence.size() < 150)
        licence += "DCGUSA\n";
    HidPosDecoder d;
    std::optional<showroom::devices::HidPosScan> scan;
    for (std::size_t off = 0; off < licence.size(); off += 56) {
        const auto part = licence.substr(off, 56);
        const bool more = off + 56 < licence.size();
        scan = d.feed(posReport("]L2", part, more));
        EXPECT_EQ(scan.has_value(), !more);
    }
    ASSERT_TRUE(scan);
    EXPECT_EQ(scan->bytes, licence);
    EXPECT_EQ(scan->symbology, Symbology::PDF417);
}

TEST(HidPosDecoder, OtherReportsAndOverlongCountsDoNotCorruptAScan) {
    HidPosDecoder d;
    Report status(64, 0);
    status[0] = 0x04;
    EXPECT_FALSE(d.feed(status));
    auto lying = posReport("]C0", "ABC", false);
    lying.resize(10);   // a short report claiming 3 bytes but holding 5 after the header
    lying[1] = 200;
    const auto scan = d.feed(lying);
    ASSERT_TRUE(scan);
    EXPECT_EQ(scan->bytes, std::string("ABC\0\0", 5));
    EXPECT_EQ(scan->symbology, Symbology::Code128);
}

TEST(HidPosDecoder, ResetDropsAHalfReceivedScan) {
    HidPosDecoder d;
    EXPECT_FALSE(d.feed(posReport("]Q1", "first half", true)));
    EXPECT_TRUE(d.collecting());
    d.reset();
    const auto scan = d.feed(posReport("]A0", "NEXT", false));
    ASSERT_TRUE(scan);
    EXPECT_EQ(scan->bytes, "NEXT");
    EXPECT_EQ(scan->symbology, Symbology::Code39);
}

TEST(HidPosDecoder, ScannerWithoutAimIdentifierGivesUnknown) {
    HidPosDecoder d;
    const auto scan = d.feed(posReport("", "12345", false));
    ASSERT_TRUE(scan);
    EXPECT_EQ(scan->symbology, Symbology::Unknown);
    EXPECT_TRUE(scan->aim.empty());
}

// --- Report descriptors ------------------------------------------------------------------------

TEST(ReportDescriptor, PosScannerIsRecognisedInBothItemSizes) {
    const std::vector<std::uint8_t> shortForm = {0x05, 0x8C, 0x09, 0x02, 0xA1, 0x01, 0x85, 0x02, 0xC0};
    const std::vector<std::uint8_t> longForm = {0x06, 0x8C, 0x00, 0x09, 0x02, 0xA1, 0x01, 0xC0};
    EXPECT_TRUE(isBarcodeScannerDescriptor(shortForm));
    EXPECT_TRUE(isBarcodeScannerDescriptor(longForm));
}

TEST(ReportDescriptor, OrdinaryKeyboardAndLookalikeBytesAreNotScanners) {
    // Boot keyboard: usage page 1 / 7 / 8; a Logical Maximum of 0x8C must not be mistaken for a page.
    const std::vector<std::uint8_t> keyboard = {0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x05, 0x07, 0x19, 0xE0, 0x29,
                                                0xE7, 0x15, 0x00, 0x25, 0x8C, 0x75, 0x01, 0x95, 0x08, 0x81, 0x02,
                                                0x05, 0x08, 0xC0};
    EXPECT_FALSE(isBarcodeScannerDescriptor(keyboard));
    EXPECT_FALSE(isBarcodeScannerDescriptor(std::vector<std::uint8_t>{0x06, 0x8C}));   // truncated
    EXPECT_FALSE(isBarcodeScannerDescriptor({}));
}

} // namespace
