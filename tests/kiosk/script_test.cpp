// Headless scenario scripts (the end-to-end journeys are written in them) and the idle timer that
// sends an abandoned kiosk back to the attract loop.

#include "app/script.hpp"
#include "viewmodels/idle_timer.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

namespace core = showroom::core;
using showroom::kiosk::IdleTimer;
using showroom::kiosk::parseScript;
using showroom::kiosk::ScriptStep;
using Kind = showroom::kiosk::ScriptStep::Kind;

namespace showroom::kiosk {
// Failures name the phase instead of printing the enum's bytes.
inline void PrintTo(IdleTimer::Phase phase, std::ostream* out) {
    *out << (phase == IdleTimer::Phase::Active ? "Active" : phase == IdleTimer::Phase::Warning ? "Warning" : "Expired");
}
} // namespace showroom::kiosk

namespace {

// The error message of a script that must be refused; "" (and a failure) when it was accepted.
std::string refusal(const std::string& script) {
    auto parsed = parseScript(script);
    if (parsed) {
        ADD_FAILURE() << "accepted: " << script;
        return "";
    }
    EXPECT_EQ(parsed.error().code, core::ErrorCode::InvalidInput) << script;
    return parsed.error().message;
}

} // namespace

// --- scripts -----------------------------------------------------------------------------------

TEST(ScriptParser, EveryCommandParses) {
    const std::string script = "tap Touch to explore\n"
                               "type Mei  Chen\n"
                               "key enter\n"
                               "key tab\n"
                               "key backspace\n"
                               "drag browse.grid -120\n"
                               "wait 1500\n"
                               "expect screen browse\n"
                               "screenshot browse-first-page\n";
    auto steps = parseScript(script);
    ASSERT_TRUE(steps) << steps.error().message;
    ASSERT_EQ(steps->size(), 9u);
    const auto& s = *steps;

    EXPECT_EQ(s[0].kind, Kind::Tap);
    EXPECT_EQ(s[0].target, "Touch to explore");
    EXPECT_EQ(s[1].kind, Kind::Type);
    EXPECT_EQ(s[1].text, "Mei  Chen");
    EXPECT_EQ(s[2].kind, Kind::Key);
    EXPECT_EQ(s[2].target, "enter");
    EXPECT_EQ(s[3].target, "tab");
    EXPECT_EQ(s[4].target, "backspace");
    EXPECT_EQ(s[5].kind, Kind::Drag);
    EXPECT_EQ(s[5].target, "browse.grid");
    EXPECT_EQ(s[5].number, -120);
    EXPECT_EQ(s[6].kind, Kind::Wait);
    EXPECT_EQ(s[6].number, 1500);
    EXPECT_EQ(s[7].kind, Kind::Expect);
    EXPECT_EQ(s[7].target, "screen");
    EXPECT_EQ(s[7].text, "browse");
    EXPECT_EQ(s[8].kind, Kind::Screenshot);
    EXPECT_EQ(s[8].target, "browse-first-page");
    for (std::size_t i = 0; i < s.size(); ++i) EXPECT_EQ(s[i].line, static_cast<int>(i) + 1);
}

TEST(ScriptParser, LabelsAndValuesMayContainSpaces) {
    auto steps = parseScript("drag Results list 300\n"
                             "expect banner No cars match\n"
                             "type 王小明\n");
    ASSERT_TRUE(steps) << steps.error().message;
    ASSERT_EQ(steps->size(), 3u);
    EXPECT_EQ((*steps)[0].target, "Results list");
    EXPECT_EQ((*steps)[0].number, 300);
    EXPECT_EQ((*steps)[1].target, "banner");
    EXPECT_EQ((*steps)[1].text, "No cars match");
    EXPECT_EQ((*steps)[2].text, "王小明");
}

TEST(ScriptParser, CommentsAndBlankLinesAreSkippedButCounted) {
    const std::string script = "# Journey: browse and book a test drive\n"
                               "\n"
                               "tap attract.start\n"
                               "   # indented comment\n"
                               "   \t \n"
                               "  wait 200  \n"
                               "\n"
                               "expect screen browse\n";
    auto steps = parseScript(script);
    ASSERT_TRUE(steps) << steps.error().message;
    ASSERT_EQ(steps->size(), 3u);
    EXPECT_EQ((*steps)[0].kind, Kind::Tap);
    EXPECT_EQ((*steps)[0].line, 3);
    EXPECT_EQ((*steps)[1].kind, Kind::Wait);
    EXPECT_EQ((*steps)[1].number, 200);
    EXPECT_EQ((*steps)[1].line, 6);
    EXPECT_EQ((*steps)[2].kind, Kind::Expect);
    EXPECT_EQ((*steps)[2].line, 8);

    auto empty = parseScript("# nothing to do\n\n");
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->empty());
}

TEST(ScriptParser, ScriptsSavedWithWindowsLineEndingsParseTheSame) {
    auto steps = parseScript("tap Book a test drive\r\ntype Mei Chen\r\nwait 100\r\nexpect screen contact\r\n");
    ASSERT_TRUE(steps) << steps.error().message;
    ASSERT_EQ(steps->size(), 4u);
    EXPECT_EQ((*steps)[0].target, "Book a test drive");
    EXPECT_EQ((*steps)[1].text, "Mei Chen");
    EXPECT_EQ((*steps)[2].number, 100);
    EXPECT_EQ((*steps)[3].text, "contact");
}

TEST(ScriptParser, MistakesNameTheirLine) {
    const std::string ok = "# header\ntap attract.start\n";   // two good lines first: the mistake is on line 3
    EXPECT_NE(refusal(ok + "press attract.start\n").find("line 3"), std::string::npos);
    EXPECT_NE(refusal(ok + "press attract.start\n").find("press"), std::string::npos) << "names the unknown command";
    EXPECT_NE(refusal(ok + "key escape\n").find("line 3"), std::string::npos);
    EXPECT_NE(refusal(ok + "key\n").find("line 3"), std::string::npos);
    EXPECT_NE(refusal(ok + "wait -5\n").find("line 3"), std::string::npos);
    EXPECT_NE(refusal(ok + "wait soon\n").find("line 3"), std::string::npos);
    EXPECT_NE(refusal(ok + "wait 1.5\n").find("line 3"), std::string::npos);
    EXPECT_NE(refusal(ok + "wait\n").find("line 3"), std::string::npos);
    EXPECT_NE(refusal(ok + "expect screen\n").find("line 3"), std::string::npos);
    EXPECT_NE(refusal(ok + "expect\n").find("line 3"), std::string::npos);
    EXPECT_NE(refusal(ok + "screenshot ../outside\n").find("line 3"), std::string::npos);
    EXPECT_NE(refusal(ok + "screenshot shots/first\n").find("line 3"), std::string::npos);
    EXPECT_NE(refusal(ok + "screenshot\n").find("line 3"), std::string::npos);
    EXPECT_NE(refusal(ok + "tap\n").find("line 3"), std::string::npos);
    EXPECT_NE(refusal(ok + "tap   \n").find("line 3"), std::string::npos);
    EXPECT_NE(refusal(ok + "drag browse.grid\n").find("line 3"), std::string::npos);
    EXPECT_NE(refusal(ok + "drag browse.grid far\n").find("line 3"), std::string::npos);
    EXPECT_NE(refusal("tap a\ntap b\ntap c\ntap d\nwait x\n").find("line 5"), std::string::npos);
}

// --- idle timer --------------------------------------------------------------------------------

TEST(IdleTimer, PhasesChangeExactlyAtTheWarningAndTheTimeout) {
    IdleTimer t(90'000, 10'000);
    t.touch(1'000);
    EXPECT_EQ(t.phase(1'000), IdleTimer::Phase::Active);
    EXPECT_EQ(t.phase(1'000 + 79'999), IdleTimer::Phase::Active);
    EXPECT_EQ(t.phase(1'000 + 80'000), IdleTimer::Phase::Warning);
    EXPECT_EQ(t.phase(1'000 + 89'999), IdleTimer::Phase::Warning);
    EXPECT_EQ(t.phase(1'000 + 90'000), IdleTimer::Phase::Expired);
    EXPECT_EQ(t.phase(1'000 + 500'000), IdleTimer::Phase::Expired);
    EXPECT_EQ(t.timeoutMs(), 90'000);

    t.touch(85'000); // "I'm still here" during the countdown
    EXPECT_EQ(t.phase(91'000), IdleTimer::Phase::Active);
    EXPECT_EQ(t.phase(85'000 + 80'000), IdleTimer::Phase::Warning);
}

TEST(IdleTimer, CountdownShowsWholeSecondsRoundedUp) {
    IdleTimer t(90'000, 10'000);
    t.touch(0);
    EXPECT_EQ(t.secondsLeft(80'000), 10);
    EXPECT_EQ(t.secondsLeft(80'001), 10);
    EXPECT_EQ(t.secondsLeft(80'999), 10);
    EXPECT_EQ(t.secondsLeft(81'000), 9);
    EXPECT_EQ(t.secondsLeft(85'500), 5);
    EXPECT_EQ(t.secondsLeft(89'999), 1) << "never shows 0 while the kiosk is still waiting";
    EXPECT_EQ(t.secondsLeft(90'000), 0);
    EXPECT_EQ(t.secondsLeft(120'000), 0);
}

TEST(IdleTimer, WakesExactlyWhenThePhaseOrTheCountdownSecondChanges) {
    IdleTimer t(90'000, 10'000);
    const std::int64_t start = 12'345;
    t.touch(start);
    // What the customer sees: the phase, and during the warning the number of seconds shown.
    auto shown = [&](std::int64_t now) {
        const auto phase = t.phase(now);
        return std::make_tuple(phase, phase == IdleTimer::Phase::Warning ? t.secondsLeft(now) : -1);
    };
    for (std::int64_t now = start; now < start + 90'000; now += 7) {
        const std::int64_t wait = t.msUntilNextChange(now);
        ASSERT_GT(wait, 0) << "at " << now - start << " ms idle";
        EXPECT_NE(shown(now + wait), shown(now)) << "woke too early, nothing changed at " << now - start << " ms idle";
        EXPECT_EQ(shown(now + wait - 1), shown(now)) << "woke too late at " << now - start << " ms idle";
    }
    EXPECT_EQ(t.msUntilNextChange(start), 80'000);
    EXPECT_EQ(t.msUntilNextChange(start + 80'000), 1'000);
    EXPECT_EQ(t.msUntilNextChange(start + 89'999), 1);
    EXPECT_EQ(t.msUntilNextChange(start + 90'000), 0) << "expired: act now";
}
