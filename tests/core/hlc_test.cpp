// The outbox's clock: stamps that never go backwards, whatever the wall clock does, and that order
// events across showrooms the same way everywhere.
#include "showroom/core/hlc.hpp"
#include "showroom/core/journal.hpp"

#include "store_fixture.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace core = showroom::core;
namespace hlc = showroom::core::hlc;

TEST(Hlc, StampsAdvanceWithTheWallClockAndCountWithinOneMillisecond) {
    hlc::Stamp s;
    s = hlc::next(s, 1'000, "DTN");
    EXPECT_EQ(s.toString(), "0000000001000.00000@DTN");
    const auto same = hlc::next(s, 1'000, "DTN");
    EXPECT_EQ(same.toString(), "0000000001000.00001@DTN");
    EXPECT_LT(s, same);
    const auto later = hlc::next(same, 2'000, "DTN");
    EXPECT_EQ(later.toString(), "0000000002000.00000@DTN");
    EXPECT_LT(same.toString(), later.toString());   // text order is causal order
}

TEST(Hlc, AWallClockSetBackTwoHoursNeverMakesAStampGoBackwards) {
    auto s = hlc::next({}, 7'200'000 + 5'000, "DTN");
    const auto afterStep = hlc::next(s, 5'000, "DTN");   // NTP stepped the clock back 2 hours
    EXPECT_LT(s, afterStep);
    EXPECT_EQ(afterStep.physicalMs, s.physicalMs);
    EXPECT_EQ(afterStep.counter, s.counter + 1);
}

TEST(Hlc, HearingOfAnotherStoreMovesPastItsStamp) {
    const auto mine = hlc::next({}, 1'000, "DTN");
    const auto theirs = hlc::next({}, 9'000, "NTH");   // their clock runs ahead
    const auto after = hlc::receive(mine, theirs, 1'001, "DTN");
    EXPECT_LT(theirs, after);
    EXPECT_EQ(after.physicalMs, 9'000);
    EXPECT_EQ(after.node, "DTN");
}

TEST(Hlc, StampsParseBackAndJunkIsRefused) {
    const auto s = hlc::next({}, 1'793'952'000'123, "DTN");
    auto back = hlc::parse(s.toString());
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->toString(), s.toString());
    for (const char* bad : {"", "x", "1793952000123.00000", "1793952000123.00000@", "179395200012.00000@DTN",
                            "1793952000123.0000a@DTN", "-793952000123.00000@DTN"})
        EXPECT_FALSE(hlc::parse(bad).ok()) << bad;
}

TEST(Hlc, EveryOutboxEventIsStampedInOrderAndTheLastStampIsKept) {
    showroom::test::Store s;
    for (int i = 0; i < 3; ++i)
        ASSERT_TRUE(core::record(s.ctx, "vehicle.moved", "vehicle", "v" + std::to_string(i), nlohmann::json::object()).ok());
    const auto stamps = showroom::test::texts(s.conn, "SELECT hlc FROM outbox WHERE type = 'vehicle.moved' ORDER BY seq");
    ASSERT_EQ(stamps.size(), 3U);
    EXPECT_LT(stamps[0], stamps[1]);
    EXPECT_LT(stamps[1], stamps[2]);
    EXPECT_NE(stamps[2].find("@TST"), std::string::npos);   // the showroom's code is the node
    EXPECT_EQ(core::getSetting(s.conn, "hlc_last").value(), stamps[2]);
    // The wall clock set back: the next stamp still sorts after.
    s.clock.set(s.clock.now() - 7'200);
    ASSERT_TRUE(core::record(s.ctx, "vehicle.moved", "vehicle", "v9", nlohmann::json::object()).ok());
    EXPECT_LT(stamps[2], core::getSetting(s.conn, "hlc_last").value());
}

TEST(Hlc, PastTheFiveDigitCounterTheStampCarriesIntoTheMillisecondsAndStillSortsAfter) {
    hlc::Stamp last{5'000, 99'999, "DTN"};
    const auto next = hlc::next(last, 1'000, "DTN");   // the wall clock far behind: only the counter moves
    EXPECT_EQ(next.toString(), "0000000005001.00000@DTN");
    EXPECT_LT(last.toString(), next.toString());
    EXPECT_TRUE(hlc::parse(next.toString()).ok());
    const auto heard = hlc::receive(last, hlc::Stamp{5'000, 99'999, "NTH"}, 1'000, "DTN");
    EXPECT_EQ(heard.toString(), "0000000005001.00000@DTN");
}
