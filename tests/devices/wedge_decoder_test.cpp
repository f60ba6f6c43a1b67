// The keyboard-wedge protocol as a porter meets it: a scanner's burst becomes one scan with the exact
// payload, a person's typing comes back as typing, and no character is ever dropped, doubled or split.

#include "showroom/devices/scan/wedge_decoder.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

using showroom::devices::WedgeConfig;
using showroom::devices::WedgeDecoder;
using showroom::devices::WedgeEvent;

namespace {

constexpr const char* kVin = "1M8GDM9AXKP042788";

// Everything a decoder handed back, in order.
struct Events {
    std::vector<WedgeEvent> all;

    void add(std::vector<WedgeEvent> more) {
        for (auto& e : more)
            all.push_back(std::move(e));
    }
    std::vector<std::string> scans() const {
        std::vector<std::string> out;
        for (const auto& e : all)
            if (e.kind == WedgeEvent::Kind::Scan) out.push_back(e.text);
        return out;
    }
    std::string typed() const {
        std::string out;
        for (const auto& e : all)
            if (e.kind == WedgeEvent::Kind::Typed) out += e.text;
        return out;
    }
    std::string everything() const {
        std::string out;
        for (const auto& e : all)
            out += e.text;
        return out;
    }
};

// Splits UTF-8 text into code points, one key each.
std::vector<std::string> keys(const std::string& utf8) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < utf8.size();) {
        const auto lead = static_cast<unsigned char>(utf8[i]);
        const std::size_t n = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        out.push_back(utf8.substr(i, n));
        i += n;
    }
    return out;
}

// Types `text` one code point at a time starting at `startMs`, `gapMs` apart; returns the time of
// the last key.
std::int64_t type(WedgeDecoder& d, Events& ev, const std::string& text, std::int64_t startMs, std::int64_t gapMs) {
    std::int64_t t = startMs;
    bool first = true;
    for (const auto& k : keys(text)) {
        if (!first) t += gapMs;
        first = false;
        ev.add(d.text(k, t));
    }
    return t;
}

TEST(WedgeDecoder, FastBurstEndedByEnterIsExactlyOneScanWithThePayload) {
    WedgeDecoder d;
    Events ev;
    const auto last = type(d, ev, kVin, 1000, 5);
    EXPECT_TRUE(ev.all.empty()) << "nothing may leak out as typing while the burst is collected";
    EXPECT_TRUE(d.collecting());
    ev.add(d.terminator(last + 5));

    EXPECT_EQ(ev.scans(), std::vector<std::string>{kVin});
    EXPECT_EQ(ev.typed(), "");
    EXPECT_EQ(ev.all.size(), 1u);
    EXPECT_FALSE(d.collecting());
}

TEST(WedgeDecoder, SlowHumanTypingIsTypedTextNeverAScan) {
    WedgeDecoder d;
    Events ev;
    const auto last = type(d, ev, "HELLO", 0, 150);
    ev.add(d.terminator(last + 150));
    ev.add(d.flush(last + 5000));

    EXPECT_TRUE(ev.scans().empty());
    EXPECT_EQ(ev.typed(), "HELLO");
}

TEST(WedgeDecoder, ScanStartingAfterTwoTypedLettersKeepsBothApartAndWhole) {
    WedgeDecoder d;
    Events ev;
    const auto human = type(d, ev, "ab", 0, 150);
    const auto last = type(d, ev, kVin, human + 120, 5);
    ev.add(d.terminator(last + 5));
    ev.add(d.flush(last + 5000));

    EXPECT_EQ(ev.typed(), "ab");
    EXPECT_EQ(ev.scans(), std::vector<std::string>{kVin});
    EXPECT_EQ(ev.everything(), std::string("ab") + kVin) << "nothing dropped, doubled or reordered";
    ASSERT_FALSE(ev.all.empty());
    EXPECT_EQ(ev.all.back().kind, WedgeEvent::Kind::Scan) << "the typed letters come out before the scan";
}

TEST(WedgeDecoder, FastBurstShorterThanMinLengthIsTyped) {
    WedgeConfig config;
    config.minLength = 6;
    WedgeDecoder d(config);
    Events ev;
    auto last = type(d, ev, "12345", 0, 5);
    ev.add(d.terminator(last + 5));
    EXPECT_TRUE(ev.scans().empty());
    EXPECT_EQ(ev.typed(), "12345");

    // Exactly minLength characters is long enough.
    Events ev2;
    last = type(d, ev2, "123456", 10'000, 5);
    ev2.add(d.terminator(last + 5));
    EXPECT_EQ(ev2.scans(), std::vector<std::string>{"123456"});
    EXPECT_EQ(ev2.typed(), "");
}

TEST(WedgeDecoder, TabEndsAScanOnlyWhenConfiguredTo) {
    {
        WedgeConfig config;
        config.tabTerminates = true;
        WedgeDecoder d(config);
        Events ev;
        const auto last = type(d, ev, kVin, 0, 5);
        ev.add(d.terminator(last + 5, /*isTab=*/true));
        EXPECT_EQ(ev.scans(), std::vector<std::string>{kVin});
        EXPECT_EQ(ev.typed(), "");
    }
    {
        WedgeConfig config;
        config.tabTerminates = false;
        WedgeDecoder d(config);
        Events ev;
        const auto last = type(d, ev, kVin, 0, 5);
        ev.add(d.terminator(last + 5, /*isTab=*/true));
        ev.add(d.flush(last + 5000));
        EXPECT_TRUE(ev.scans().empty()) << "Tab must not end a scan when tabTerminates is false";
        EXPECT_EQ(ev.everything(), std::string(kVin) + "\t") << "the characters, Tab included, are handed back";
    }
}

TEST(WedgeDecoder, MultiByteCharactersStayWhole) {
    WedgeDecoder d;
    Events ev;
    const std::string payload = "ÉCOLE-中文-é42";
    auto last = type(d, ev, payload, 0, 5);
    ev.add(d.terminator(last + 5));
    EXPECT_EQ(ev.scans(), std::vector<std::string>{payload});

    // minLength counts characters, not bytes: three CJK characters (9 bytes) are a short burst.
    Events ev2;
    last = type(d, ev2, "中中中", 10'000, 5);
    ev2.add(d.terminator(last + 5));
    EXPECT_TRUE(ev2.scans().empty());
    EXPECT_EQ(ev2.typed(), "中中中");

    // Slow typing of accented letters comes back byte-for-byte.
    Events ev3;
    last = type(d, ev3, "né中", 20'000, 150);
    ev3.add(d.terminator(last + 150));
    EXPECT_EQ(ev3.typed(), "né中");
}

TEST(WedgeDecoder, TwoThousandCharacterPayloadAtTwoMilliseconds) {
    std::string payload;
    for (int i = 0; i < 2000; ++i)
        payload += static_cast<char>('A' + i % 26);
    WedgeDecoder d;
    Events ev;
    const auto last = type(d, ev, payload, 0, 2);
    ev.add(d.terminator(last + 2));
    ASSERT_EQ(ev.scans().size(), 1u);
    EXPECT_EQ(ev.scans().front().size(), 2000u);
    EXPECT_EQ(ev.scans().front(), payload);
    EXPECT_EQ(ev.typed(), "");
}

TEST(WedgeDecoder, FlushHandsBackPendingTextAsTyped) {
    WedgeDecoder d;
    Events ev;
    type(d, ev, "ABC123", 0, 5);
    ASSERT_TRUE(d.collecting());
    const auto flushed = d.flush(500);
    ASSERT_EQ(flushed.size(), 1u);
    EXPECT_EQ(flushed.front().kind, WedgeEvent::Kind::Typed);
    EXPECT_EQ(flushed.front().text, "ABC123");
    EXPECT_FALSE(d.collecting());
    EXPECT_TRUE(d.flush(600).empty()) << "a second flush must not hand the text back again";
    EXPECT_TRUE(d.terminator(605).empty()) << "nor may a following Enter turn it into a scan";
}

TEST(WedgeDecoder, GapOfExactlyMaxGapIsFastAndOneMoreIsSlow) {
    WedgeConfig config;
    config.maxGapMs = 40;
    {
        WedgeDecoder d(config);
        Events ev;
        const auto last = type(d, ev, kVin, 0, 40);
        ev.add(d.terminator(last + 40));
        EXPECT_EQ(ev.scans(), std::vector<std::string>{kVin}) << "40 ms between keys is still a scanner";
        EXPECT_EQ(ev.typed(), "");
    }
    {
        WedgeDecoder d(config);
        Events ev;
        const auto last = type(d, ev, kVin, 0, 41);
        ev.add(d.terminator(last + 41));
        ev.add(d.flush(last + 5000));
        EXPECT_TRUE(ev.scans().empty()) << "41 ms between keys is a person";
        EXPECT_EQ(ev.typed(), kVin);
    }
    {
        // A fast burst whose Enter comes maxGapMs + 1 later is not a scan either.
        WedgeDecoder d(config);
        Events ev;
        const auto last = type(d, ev, kVin, 0, 5);
        ev.add(d.terminator(last + 41));
        EXPECT_TRUE(ev.scans().empty());
        EXPECT_EQ(ev.typed(), kVin);
    }
}

TEST(WedgeDecoder, LicenceBarcodeControlCharactersStayInThePayload) {
    // An AAMVA driver's-licence PDF417 payload: LF, RS and GS separate its header and fields.
    const std::string payload = std::string("@\n\x1e") + "ANSI 636014040002DL00410278ZC03190008DL" + "DAQD1234562\n" +
                                "DCSPUBLIC\nDACJOHN\x1d" + "ZCZCAGRN\n";
    WedgeDecoder d;
    Events ev;
    std::int64_t t = 0;
    for (char c : payload) {
        ev.add(d.text(std::string(1, c), t));
        t += 3;
    }
    ev.add(d.terminator(t));
    EXPECT_TRUE(ev.scans().empty()) << "inside a licence Enter is the CR of the payload, not the end";
    ASSERT_TRUE(d.deadlineMs().has_value());
    ev.add(d.poll(*d.deadlineMs()));
    ASSERT_EQ(ev.scans().size(), 1u);
    EXPECT_EQ(ev.scans().front(), payload + "\r");
    EXPECT_NE(ev.scans().front().find('\x1d'), std::string::npos);
    EXPECT_NE(ev.scans().front().find('\x1e'), std::string::npos);
    EXPECT_EQ(ev.typed(), "");
}

TEST(WedgeDecoder, BackToBackScansAreSeparate) {
    WedgeDecoder d;
    Events ev;
    auto last = type(d, ev, kVin, 0, 5);
    ev.add(d.terminator(last + 5));
    last = type(d, ev, "2T1BURHE5JC012345", last + 300, 5);
    ev.add(d.terminator(last + 5));
    EXPECT_EQ(ev.scans(), (std::vector<std::string>{kVin, "2T1BURHE5JC012345"}));
    EXPECT_EQ(ev.typed(), "");
}

} // namespace

// ---- Licences typed as key chords, prefixes, suffixes ------------------------------------------

namespace {

// Feeds a payload as a wedge scanner in keyboard mode types it: CR as Enter, the other control
// characters as Ctrl chords, printable bytes as text; `gapMs` apart. Returns the time of the last key.
std::int64_t typeAsKeys(WedgeDecoder& d, Events& ev, const std::string& payload, std::int64_t t, std::int64_t gapMs) {
    for (char c : payload) {
        if (c == '\r') ev.add(d.terminator(t));
        else if (static_cast<unsigned char>(c) < 0x20) ev.add(d.control(c, t));
        else ev.add(d.text(std::string(1, c), t));
        t += gapMs;
    }
    return t - gapMs;
}

const std::string kLicence = std::string("@\n\x1e\r") + "ANSI 636000100002DL00410046ZV00870017" +
                             "DLDAQT64235789\nDCSSAMPLE\nDACJANE\nDBB07041990\r" + "ZVZVA01\r";

} // namespace

TEST(WedgeDecoder, LicenceWithEnterInsideArrivesByteExactWhenTheKeysStop) {
    WedgeDecoder d;
    Events ev;
    const auto last = typeAsKeys(d, ev, kLicence, 1000, 4);
    ev.add(d.terminator(last + 4)); // the scanner's own Enter suffix
    EXPECT_TRUE(ev.all.empty()) << "nothing may come out while the licence is still arriving";
    ASSERT_TRUE(d.deadlineMs().has_value());
    EXPECT_TRUE(d.poll(*d.deadlineMs() - 1).empty()) << "not before the silence is long enough";
    ev.add(d.poll(*d.deadlineMs()));
    ASSERT_EQ(ev.scans().size(), 1u);
    EXPECT_EQ(ev.scans().front(), kLicence + "\r");
    EXPECT_EQ(ev.typed(), "");
    EXPECT_FALSE(d.deadlineMs().has_value());
}

TEST(WedgeDecoder, LicenceFollowedByAVinScanAreTwoScans) {
    WedgeDecoder d;
    Events ev;
    auto last = typeAsKeys(d, ev, kLicence, 0, 4);
    // The porter scans a VIN 300 ms later: the silence ends the licence, the VIN ends with Enter.
    last = type(d, ev, kVin, last + 300, 4);
    ev.add(d.terminator(last + 4));
    ASSERT_EQ(ev.scans().size(), 2u);
    EXPECT_EQ(ev.scans()[0], kLicence);
    EXPECT_EQ(ev.scans()[1], kVin);
}

TEST(WedgeDecoder, ControlChordFromAPersonIsHandedBackNotLost) {
    WedgeDecoder d;
    Events ev;
    ev.add(d.control('\x1d', 0));
    ev.add(d.flush(1000));
    EXPECT_TRUE(ev.scans().empty());
    EXPECT_EQ(ev.typed(), "\x1d");
}

TEST(WedgeDecoder, ProgrammedPrefixMarksEvenAShortScanAndIsRemoved) {
    WedgeConfig config;
    config.prefix = "\x02";
    WedgeDecoder d(config);
    Events ev;
    ev.add(d.control('\x02', 0));
    const auto last = type(d, ev, "A12", 3, 3); // a three-character stock tag
    ev.add(d.terminator(last + 3));
    EXPECT_EQ(ev.scans(), std::vector<std::string>{"A12"});
    EXPECT_EQ(ev.typed(), "");
}

TEST(WedgeDecoder, ScannerWithoutSuffixEndsScansOnSilence) {
    WedgeConfig config;
    config.enterTerminates = false;
    config.tabTerminates = false;
    WedgeDecoder d(config);
    Events ev;
    const auto last = type(d, ev, kVin, 0, 5);
    EXPECT_TRUE(d.poll(last + 10).empty());
    ev.add(d.poll(last + 100));
    EXPECT_EQ(ev.scans(), std::vector<std::string>{kVin});
    // A person's slow keys are still typing.
    Events ev2;
    const auto t = type(d, ev2, "AB", 10'000, 200);
    ev2.add(d.poll(t + 500));
    EXPECT_TRUE(ev2.scans().empty());
    EXPECT_EQ(ev2.typed(), "AB");
}

TEST(WedgeDecoder, AimIdentifierStaysForTheScanToSplit) {
    WedgeDecoder d;
    Events ev;
    const auto last = type(d, ev, std::string("]A0I") + kVin, 0, 3);
    ev.add(d.terminator(last + 3));
    EXPECT_EQ(ev.scans(), std::vector<std::string>{std::string("]A0I") + kVin});
}

TEST(WedgeDecoder, HumanAndScannerInterleavedLoseNothing) {
    // A salesperson types slowly while the porter's scanner fires; keys from both arrive in one
    // stream. Whatever is not a scan comes back as typing, and every byte comes back exactly once.
    WedgeDecoder d;
    Events ev;
    auto t = type(d, ev, "ok", 0, 120);
    t = type(d, ev, kVin, t + 90, 6);
    ev.add(d.terminator(t + 6));
    t = type(d, ev, "zz", t + 200, 150);
    ev.add(d.flush(t + 1000));
    EXPECT_EQ(ev.scans(), std::vector<std::string>{kVin});
    EXPECT_EQ(ev.typed(), "okzz");
    EXPECT_EQ(ev.everything(), std::string("ok") + kVin + "zz");
}
