// The manager's dashboard against a real demo store (seeded as of 2026-11-01, the store clock at
// 2026-11-01T10:00:00Z): the figures a manager sees, each counted again here straight from the
// tables, the periods and what they are compared with, the store clock as "today", and who may look.

#include "viewmodels/dashboard_vm.hpp"
#include "viewmodels/staff_vm.hpp"

#include "demo_fixture.hpp"

#include "showroom/core/auth.hpp"
#include "showroom/core/demo.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <string>
#include <vector>

namespace core = showroom::core;
namespace reports = showroom::core::reports;
using showroom::kiosk::DashboardPeriod;
using showroom::kiosk::DashboardViewModel;
using showroom::kiosk::StaffScreen;
using showroom::kiosk::StaffViewModel;
using showroom::test::count;
using showroom::test::DemoStore;

namespace {

// The demo database keeps its group's history, three showrooms; a showroom's dashboard counts its own.
#define LOCAL_STORE "(SELECT value FROM settings WHERE key = 'local_store_id')"

constexpr const char* kLiveDeals = "FROM deals d JOIN vehicles v ON v.id = d.vehicle_id "
                                   "WHERE d.status IN ('signed', 'delivered') AND d.signed_at >= ? AND d.signed_at < ? "
                                   "AND d.store_id = " LOCAL_STORE;
constexpr const char* kFirstSaleMonth = "SELECT substr(min(signed_at), 1, 7) FROM deals "
                                        "WHERE status IN ('signed', 'delivered') AND store_id = " LOCAL_STORE;

std::int64_t unitsSold(DemoStore& s, const std::string& from, const std::string& to) {
    return count(s.conn, std::string("SELECT count(*) ") + kLiveDeals, from, to);
}

// Front gross + back gross, by the rule written in reports.hpp.
std::int64_t grossCents(DemoStore& s, const std::string& from, const std::string& to) {
    return count(s.conn,
                 std::string("SELECT coalesce(sum(d.price_cents - d.discount_cents - v.cost_cents - v.recon_cents + "
                             "d.backend_gross_cents), 0) ") +
                     kLiveDeals,
                 from, to);
}

std::int64_t leadsOpened(DemoStore& s, const std::string& from, const std::string& to) {
    return count(s.conn,
                 "SELECT count(*) FROM leads WHERE created_at >= ? AND created_at < ? AND store_id = " LOCAL_STORE, from,
                 to);
}

// Leads opened in the period whose history ever reached a contract or a later pipeline stage.
std::int64_t leadsThatBought(DemoStore& s, const std::string& from, const std::string& to) {
    return count(s.conn,
                 "SELECT count(*) FROM leads l WHERE l.created_at >= ? AND l.created_at < ? "
                 "AND l.store_id = " LOCAL_STORE " AND EXISTS ("
                 "SELECT 1 FROM lead_stage_history h WHERE h.lead_id = l.id AND h.to_stage IN ('contract', "
                 "'delivered', 'follow_up'))",
                 from, to);
}

void signIn(DemoStore& s, StaffViewModel& vm, core::StaffRole role) {
    vm.open();
    vm.pick(s.member(role).id);
    for (char c : core::demo::kDemoPin)
        vm.pinDigit(c);
    vm.submitPin();
    EXPECT_TRUE(vm.signedIn()) << core::toString(role) << ": " << vm.pinErrorKey();
}

} // namespace

// --- periods ----------------------------------------------------------------------------------------

TEST(DashboardPeriods, EachPeriodAndTheOneItIsComparedWith) {
    auto p = [](DashboardPeriod period, const char* today) {
        auto pair = showroom::kiosk::periodPair(period, today);
        EXPECT_TRUE(pair) << today;
        return pair ? *pair : showroom::kiosk::PeriodPair{};
    };
    auto expectPeriod = [](const reports::Period& got, const char* from, const char* to) {
        EXPECT_EQ(got.from, from);
        EXPECT_EQ(got.to, to);
    };
    auto pair = p(DashboardPeriod::ThisMonth, "2026-11-15");
    expectPeriod(pair.current, "2026-11-01", "2026-11-16");
    expectPeriod(pair.previous, "2026-10-01", "2026-10-16");
    pair = p(DashboardPeriod::LastMonth, "2026-11-15");
    expectPeriod(pair.current, "2026-10-01", "2026-11-01");
    expectPeriod(pair.previous, "2026-09-01", "2026-10-01");
    pair = p(DashboardPeriod::Last3Months, "2026-11-15");
    expectPeriod(pair.current, "2026-08-01", "2026-11-01");
    expectPeriod(pair.previous, "2026-05-01", "2026-08-01");
    pair = p(DashboardPeriod::YearToDate, "2026-11-15");
    expectPeriod(pair.current, "2026-01-01", "2026-11-16");
    expectPeriod(pair.previous, "2025-01-01", "2025-11-16");
    // Month ends: 31 March compares with all of February; 1-30 March too, never past 1 March.
    expectPeriod(p(DashboardPeriod::ThisMonth, "2027-03-31").previous, "2027-02-01", "2027-03-01");
    expectPeriod(p(DashboardPeriod::ThisMonth, "2027-03-30").previous, "2027-02-01", "2027-03-01");
    // Year to date on a leap day: the same stretch a year before ends on 28 February.
    expectPeriod(p(DashboardPeriod::YearToDate, "2028-02-29").previous, "2027-01-01", "2027-03-01");
    // Whole months compare with whole months, however long: November with all 31 days of October.
    expectPeriod(p(DashboardPeriod::LastMonth, "2026-12-07").previous, "2026-10-01", "2026-11-01");
    expectPeriod(p(DashboardPeriod::Last3Months, "2026-12-07").previous, "2026-06-01", "2026-09-01");
    expectPeriod(p(DashboardPeriod::ThisMonth, "2026-10-31").previous, "2026-09-01", "2026-10-01");
    // January: last month and the three before cross the year.
    expectPeriod(p(DashboardPeriod::LastMonth, "2027-01-05").current, "2026-12-01", "2027-01-01");
    expectPeriod(p(DashboardPeriod::Last3Months, "2027-01-05").previous, "2026-07-01", "2026-10-01");
    for (const char* bad : {"", "2026-13-01", "yesterday", "2026-11-01T10:00:00Z"}) {
        auto refused = showroom::kiosk::periodPair(DashboardPeriod::ThisMonth, bad);
        ASSERT_FALSE(refused) << bad;
        EXPECT_EQ(refused.error().code, core::ErrorCode::InvalidInput);
    }
}

TEST(DashboardPeriods, DaysUpToAMonthWeeksBeyond) {
    EXPECT_EQ(showroom::kiosk::granularityFor({"2026-10-01", "2026-11-01"}), reports::Granularity::Day);
    EXPECT_EQ(showroom::kiosk::granularityFor({"2026-08-01", "2026-11-01"}), reports::Granularity::Week);
    EXPECT_EQ(showroom::kiosk::toString(DashboardPeriod::Last3Months), "last_3_months");
    EXPECT_EQ(showroom::kiosk::allDashboardPeriods().size(), 4u);
}

// --- figures ----------------------------------------------------------------------------------------

TEST(DashboardViewModel, LastMonthShowsWhatTheTablesSay) {
    DemoStore s;
    // The showroom's busiest month with leads opened in it is "last month": the store clock stands on the
    // 10th after it.
    const std::string busiest = showroom::test::text(
        s.conn, "SELECT substr(signed_at, 1, 7) AS m FROM deals WHERE status IN ('signed', 'delivered') "
                "AND store_id = " LOCAL_STORE " AND EXISTS (SELECT 1 FROM leads l WHERE l.store_id = " LOCAL_STORE
                " AND substr(l.created_at, 1, 7) = substr(signed_at, 1, 7)) "
                "GROUP BY m ORDER BY count(*) DESC, m DESC LIMIT 1");
    const std::string from = busiest + "-01", to = core::addMonths(from, 1), before = core::addMonths(from, -1);
    s.clock.set(core::parseUtc(to.substr(0, 8) + "10T09:00:00Z").value());
    DashboardViewModel vm(s.ctx);
    ASSERT_TRUE(vm.open(s.member(core::StaffRole::Manager), DashboardPeriod::LastMonth));
    ASSERT_TRUE(vm.loaded());
    const auto& d = vm.data();
    EXPECT_EQ(d.today, to.substr(0, 8) + "10") << "today is the store clock's day";
    EXPECT_EQ(d.periods.current.from, from);
    EXPECT_EQ(d.periods.current.to, to);
    const auto& k = d.kpis;
    EXPECT_EQ(k.units, unitsSold(s, from, to));
    EXPECT_GT(k.units, 1) << busiest;
    EXPECT_EQ(k.previousUnits, unitsSold(s, before, from));
    EXPECT_EQ(k.gross, grossCents(s, from, to));
    EXPECT_NE(k.gross, 0);
    EXPECT_EQ(k.previousGross, grossCents(s, before, from));
    EXPECT_EQ(k.leads, leadsOpened(s, from, to));
    EXPECT_EQ(k.previousLeads, leadsOpened(s, before, from));
    ASSERT_GT(k.leads, 0);
    ASSERT_TRUE(k.conversion);
    EXPECT_DOUBLE_EQ(*k.conversion, static_cast<double>(leadsThatBought(s, from, to)) / static_cast<double>(k.leads));

    // Sales by day: every day of the month, empty ones too, adding up to the tile.
    ASSERT_EQ(d.granularity, reports::Granularity::Day);
    const auto days = (core::parseUtc(to).value() - core::parseUtc(from).value()) / 86'400;
    ASSERT_EQ(d.salesByTime.size(), static_cast<std::size_t>(days));
    EXPECT_EQ(d.salesByTime.front().start, from);
    std::int64_t sum = 0;
    for (const auto& b : d.salesByTime) {
        EXPECT_EQ(b.figures.units, unitsSold(s, b.start, core::formatDate(core::parseUtc(b.start).value() + 86'400)))
            << b.start;
        sum += b.figures.units;
    }
    EXPECT_EQ(sum, k.units);

    // The funnel starts with every lead opened and never grows down the stages.
    ASSERT_EQ(d.funnel.size(), 6u);
    EXPECT_EQ(d.funnel.front().stage, core::LeadStage::Inquiry);
    EXPECT_EQ(d.funnel.front().leads, k.leads);
    EXPECT_EQ(d.funnel[4].stage, core::LeadStage::Contract);
    EXPECT_EQ(d.funnel[4].leads, leadsThatBought(s, from, to));
    for (std::size_t i = 1; i < d.funnel.size(); ++i)
        EXPECT_LE(d.funnel[i].leads, d.funnel[i - 1].leads);
}

TEST(DashboardViewModel, StockAgingAndFollowUpsAreAsOfNow) {
    DemoStore s;
    DashboardViewModel vm(s.ctx);
    ASSERT_TRUE(vm.open(s.member(core::StaffRole::Manager)));
    const auto& d = vm.data();
    const std::string now(showroom::test::kNow);
    // Whole days in stock of every car in stock or on hold received by now.
    const std::string days = "(strftime('%s', '" + now + "') - strftime('%s', received_at)) / 86400";
    const std::string stock = " FROM vehicles WHERE status IN ('in_stock', 'on_hold') AND received_at <= '" + now +
                              "' AND store_id = " LOCAL_STORE;
    EXPECT_EQ(d.kpis.stockUnits, count(s.conn, "SELECT count(*)" + stock));
    ASSERT_GT(d.kpis.stockUnits, 0);
    EXPECT_LT(d.kpis.stockUnits, count(s.conn, "SELECT count(*) FROM vehicles WHERE status IN ('in_stock', 'on_hold')"))
        << "the other two showrooms' cars are theirs";
    ASSERT_TRUE(d.kpis.averageDaysInStock);
    EXPECT_NEAR(*d.kpis.averageDaysInStock * static_cast<double>(d.kpis.stockUnits),
                static_cast<double>(count(s.conn, "SELECT sum(" + days + ")" + stock)), 1e-6);
    const std::int64_t limits[][2] = {{0, 30}, {31, 60}, {61, 90}, {91, 1'000'000}};
    std::int64_t inBuckets = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        const auto& bucket = d.aging[i];
        EXPECT_EQ(bucket.units, count(s.conn, "SELECT count(*)" + stock + " AND " + days + " BETWEEN ? AND ?",
                                      limits[i][0], limits[i][1]))
            << "bucket from " << limits[i][0];
        EXPECT_EQ(bucket.capital, count(s.conn,
                                        "SELECT coalesce(sum(cost_cents + recon_cents), 0)" + stock + " AND " + days +
                                            " BETWEEN ? AND ?",
                                        limits[i][0], limits[i][1]));
        inBuckets += bucket.units;
    }
    EXPECT_EQ(inBuckets, d.kpis.stockUnits);
    // Follow-ups: open ones due before today are overdue; those due today are due today.
    const std::string open = "SELECT count(*) FROM follow_ups f JOIN leads l ON l.id = f.lead_id "
                             "WHERE f.done_at IS NULL AND l.store_id = " LOCAL_STORE;
    EXPECT_EQ(d.kpis.followUpsOverdue, count(s.conn, open + " AND f.due_at < '2026-11-01'"));
    EXPECT_EQ(d.kpis.followUpsDueToday,
              count(s.conn, open + " AND f.due_at >= '2026-11-01' AND f.due_at < '2026-11-02'"));
    EXPECT_GT(d.kpis.followUpsOverdue + d.kpis.followUpsDueToday, 0) << "the demo leaves calls to make";
}

TEST(DashboardViewModel, TheDemosEighteenMonthsGiveATrendOnlyForecast) {
    DemoStore s;
    DashboardViewModel vm(s.ctx);
    ASSERT_TRUE(vm.open(s.member(core::StaffRole::Admin)));
    const auto& f = vm.data().forecast;
    // Months from the first sale's month to October 2026, the last complete one.
    const std::string first = showroom::test::text(s.conn, kFirstSaleMonth);
    const int months = (2026 - std::stoi(first.substr(0, 4))) * 12 + (10 - std::stoi(first.substr(5, 2))) + 1;
    EXPECT_EQ(f.firstMonth, first);
    EXPECT_EQ(f.history.size(), static_cast<std::size_t>(months));
    EXPECT_EQ(std::accumulate(f.history.begin(), f.history.end(), 0.0),
              static_cast<double>(unitsSold(s, first + "-01", "2026-11-01")));
    ASSERT_GE(months, core::analytics::kMinHistoryMonths) << "the demo keeps 18 months";
    ASSERT_LT(months, core::analytics::kSeasonalHistoryMonths) << "the demo keeps 18 months";
    ASSERT_EQ(f.forecast.status, core::analytics::ForecastStatus::Ok) << f.forecast.reason;
    EXPECT_FALSE(f.forecast.seasonal) << "no season from 18 months";
    ASSERT_EQ(f.forecast.points.size(), 3u);
    EXPECT_EQ(f.months, (std::vector<std::string>{"2026-11", "2026-12", "2027-01"}));
    for (const auto& p : f.forecast.points) {
        EXPECT_LE(p.low, p.value);
        EXPECT_GE(p.high, p.value);
    }
}

TEST(DashboardViewModel, TheForecastSaysWhenTheHistoryIsTooShort) {
    // The demo's store clock set back to 11 months after its first sale: 11 complete months of history.
    DemoStore s;
    const std::string first = showroom::test::text(s.conn, kFirstSaleMonth);
    s.clock.set(core::parseUtc(core::addMonths(first + "-01", 11) + "T10:00:00Z").value());
    DashboardViewModel vm(s.ctx);
    ASSERT_TRUE(vm.open(s.member(core::StaffRole::Admin)));
    const auto& f = vm.data().forecast;
    EXPECT_EQ(f.firstMonth, first);
    EXPECT_EQ(f.history.size(), 11u);
    EXPECT_EQ(f.forecast.status, core::analytics::ForecastStatus::TooShort);
    EXPECT_EQ(f.forecast.reason, "needs 12 months of history, has 11");
    EXPECT_TRUE(f.forecast.points.empty()) << "no forecast is invented";
    EXPECT_TRUE(f.months.empty());
}

TEST(DashboardViewModel, ChangingThePeriodReloadsItsFigures) {
    DemoStore s;
    DashboardViewModel vm(s.ctx);
    ASSERT_TRUE(vm.open(s.member(core::StaffRole::Manager)));
    EXPECT_EQ(vm.period(), DashboardPeriod::ThisMonth);
    EXPECT_EQ(vm.data().periods.current.from, "2026-11-01");
    EXPECT_EQ(vm.data().kpis.units, unitsSold(s, "2026-11-01", "2026-11-02"));
    const auto aging = vm.data().aging;

    ASSERT_TRUE(vm.setPeriod(DashboardPeriod::Last3Months));
    EXPECT_EQ(vm.period(), DashboardPeriod::Last3Months);
    const auto& d = vm.data();
    EXPECT_EQ(d.periods.current.from, "2026-08-01");
    EXPECT_EQ(d.kpis.units, unitsSold(s, "2026-08-01", "2026-11-01"));
    EXPECT_EQ(d.kpis.previousUnits, unitsSold(s, "2026-05-01", "2026-08-01"));
    EXPECT_EQ(d.kpis.leads, leadsOpened(s, "2026-08-01", "2026-11-01"));
    EXPECT_EQ(d.granularity, reports::Granularity::Week);
    // ISO weeks from the one holding 1 August (Monday 27 July) to the one holding 31 October.
    ASSERT_EQ(d.salesByTime.size(), 14u);
    EXPECT_EQ(d.salesByTime.front().start, "2026-07-27");
    std::int64_t sum = 0;
    for (const auto& b : d.salesByTime)
        sum += b.figures.units;
    EXPECT_EQ(sum, d.kpis.units);
    EXPECT_EQ(d.aging[0].units, aging[0].units) << "stock does not depend on the period";

    ASSERT_TRUE(vm.setPeriod(DashboardPeriod::YearToDate));
    EXPECT_EQ(vm.data().kpis.units, unitsSold(s, "2026-01-01", "2026-11-02"));
    EXPECT_EQ(vm.data().kpis.previousUnits, unitsSold(s, "2025-01-01", "2025-11-02"));
}

TEST(DashboardViewModel, TodayIsTheStoreClockNotTheWallClock) {
    DemoStore s;
    s.clock.set(core::parseUtc("2026-12-05T08:00:00Z").value());
    DashboardViewModel vm(s.ctx);
    ASSERT_TRUE(vm.open(s.member(core::StaffRole::Manager), DashboardPeriod::LastMonth));
    EXPECT_EQ(vm.data().today, "2026-12-05");
    EXPECT_EQ(vm.data().periods.current.from, "2026-11-01");
    EXPECT_EQ(vm.data().periods.current.to, "2026-12-01");
    // The clock moves on: refresh() takes the new day.
    s.clock.set(core::parseUtc("2027-01-02T08:00:00Z").value());
    ASSERT_TRUE(vm.refresh());
    EXPECT_EQ(vm.data().periods.current.from, "2026-12-01");
    EXPECT_EQ(vm.data().kpis.followUpsOverdue,
              count(s.conn, "SELECT count(*) FROM follow_ups f JOIN leads l ON l.id = f.lead_id "
                            "WHERE f.done_at IS NULL AND f.due_at < '2027-01-02' AND l.store_id = " LOCAL_STORE));
}

// --- who may look -----------------------------------------------------------------------------------

TEST(DashboardViewModel, OnlyRolesThatViewReportsGetFigures) {
    DemoStore s;
    for (auto role : {core::StaffRole::Sales, core::StaffRole::Finance, core::StaffRole::Porter}) {
        ASSERT_FALSE(core::can(role, core::Permission::ViewReports));
        DashboardViewModel vm(s.ctx);
        auto refused = vm.open(s.member(role));
        ASSERT_FALSE(refused) << core::toString(role);
        EXPECT_EQ(refused.error().code, core::ErrorCode::Denied);
        EXPECT_FALSE(vm.loaded());
        EXPECT_EQ(vm.notice().key, "kiosk.staff.not_allowed");
        EXPECT_EQ(vm.data().kpis.units, 0);
        EXPECT_TRUE(vm.data().salesByTime.empty());
        // Nor may it switch the period or refresh its way in.
        EXPECT_FALSE(vm.setPeriod(DashboardPeriod::YearToDate));
        EXPECT_FALSE(vm.refresh());
        EXPECT_FALSE(vm.loaded());
    }
    DashboardViewModel nobody(s.ctx);
    EXPECT_FALSE(nobody.open(std::nullopt));
    for (auto role : {core::StaffRole::Manager, core::StaffRole::Admin}) {
        DashboardViewModel vm(s.ctx);
        EXPECT_TRUE(vm.open(s.member(role))) << core::toString(role);
        EXPECT_TRUE(vm.loaded());
    }
}

TEST(DashboardViewModel, StaffHomeOpensItForManagersOnlyAndSigningOutForgetsIt) {
    DemoStore s;
    {
        StaffViewModel sales(s.ctx, 600'000);
        signIn(s, sales, core::StaffRole::Sales);
        sales.go(StaffScreen::Dashboard);
        EXPECT_EQ(sales.screen(), StaffScreen::Home) << "a salesperson stays home";
        EXPECT_FALSE(sales.dashboard().loaded());
    }
    StaffViewModel manager(s.ctx, 600'000);
    signIn(s, manager, core::StaffRole::Manager);
    manager.go(StaffScreen::Dashboard);
    ASSERT_EQ(manager.screen(), StaffScreen::Dashboard);
    EXPECT_EQ(showroom::kiosk::toString(manager.screen()), "staff_dashboard");
    ASSERT_TRUE(manager.dashboard().loaded());
    EXPECT_EQ(manager.dashboard().data().kpis.units, unitsSold(s, "2026-11-01", "2026-11-02"));
    ASSERT_TRUE(manager.dashboard().setPeriod(DashboardPeriod::LastMonth));
    // Back home and in again: the period chosen stays.
    manager.go(StaffScreen::Home);
    manager.go(StaffScreen::Dashboard);
    EXPECT_EQ(manager.dashboard().period(), DashboardPeriod::LastMonth);
    EXPECT_EQ(manager.dashboard().data().kpis.units, unitsSold(s, "2026-10-01", "2026-11-01"));
    manager.signOut();
    EXPECT_FALSE(manager.dashboard().loaded()) << "nothing stays on screen for the next person";
    EXPECT_EQ(manager.dashboard().data().kpis.units, 0);
    EXPECT_FALSE(manager.dashboard().setPeriod(DashboardPeriod::ThisMonth));
}
