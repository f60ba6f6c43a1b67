// The reports against small stores written row by row, every expected figure worked out by hand in the
// comments next to it (never by the code under test).

#include "showroom/core/inventory.hpp"
#include "showroom/core/reports.hpp"

#include "store_fixture.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace core = showroom::core;
namespace reports = showroom::core::reports;
using core::Condition;
using core::ErrorCode;
using core::LeadStage;
using showroom::test::Store;

namespace {

// Rows written straight into the tables, with the exact timestamps each case needs.
struct Rows {
    core::db::Connection& db;
    std::string store;
    int serial = 0;

    explicit Rows(Store& s) : db(s.conn), store(core::localStoreId(s.conn).value()) {}

    template <class... Args> void exec(const std::string& sql, const Args&... args) {
        auto stmt = db.prepare(sql);
        ASSERT_TRUE(stmt) << sql << ": " << stmt.error().message;
        stmt->bindAll(args...);
        auto st = stmt->run();
        ASSERT_TRUE(st) << sql << ": " << st.error().message;
    }

    void staff(const std::string& id, const std::string& name) {
        exec(
            "INSERT INTO staff(id, store_id, name, role, created_at) VALUES (?, ?, ?, 'sales', '2026-01-01T00:00:00Z')",
            id, store, name);
    }
    void customer(const std::string& id, const std::string& first, const std::string& last = "") {
        exec("INSERT INTO customers(id, store_id, first_name, last_name, created_at, updated_at) "
             "VALUES (?, ?, ?, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
             id, store, first, last);
    }
    void vehicle(const std::string& id, const std::string& make, const std::string& model, const std::string& condition,
                 std::int64_t cost, std::int64_t recon, const std::string& status, const std::string& receivedAt,
                 const std::string& statusChangedAt = "2026-01-01T00:00:00Z") {
        std::string n = std::to_string(++serial);
        const std::string vin = "1HGTEST" + std::string(10 - n.size(), '0') + n;
        exec("INSERT INTO vehicles(id, store_id, vin, stock_no, condition, year, make, model, price_cents, cost_cents, "
             "recon_cents, status, received_at, status_changed_at, created_at, updated_at) "
             "VALUES (?, ?, ?, ?, ?, 2026, ?, ?, 1000000, ?, ?, ?, ?, ?, ?, ?)",
             id, store, vin, "S" + n, condition, make, model, cost, recon, status, receivedAt, statusChangedAt,
             receivedAt, receivedAt);
    }
    void deal(const std::string& id, const std::string& customerId, const std::string& vehicleId,
              std::optional<std::string> salesperson, const std::string& status, std::int64_t price,
              std::int64_t discount, std::int64_t backend, std::optional<std::string> signedAt,
              std::int64_t addons = 0) {
        exec("INSERT INTO deals(id, deal_no, store_id, customer_id, vehicle_id, salesperson_id, status, kind, "
             "price_cents, discount_cents, addons_cents, backend_gross_cents, created_at, signed_at, cancelled_at) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, 'cash', ?, ?, ?, ?, '2026-01-01T00:00:00Z', ?, ?)",
             id, "D-" + id, store, customerId, vehicleId, salesperson, status, price, discount, addons, backend,
             signedAt, status == "cancelled" ? std::optional<std::string>("2026-11-25T00:00:00Z") : std::nullopt);
    }
    void lead(const std::string& id, const std::string& customerId, const std::string& source, const std::string& stage,
              const std::string& createdAt, std::optional<std::string> salesperson = std::nullopt,
              std::optional<std::string> lostReason = std::nullopt) {
        exec("INSERT INTO leads(id, store_id, customer_id, salesperson_id, stage, source, lost_reason, "
             "stage_changed_at, "
             "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
             id, store, customerId, salesperson, stage, source, lostReason, createdAt, createdAt, createdAt);
    }
    // A lead's stage history as the CRM writes it: the opening row, then one row per move.
    void history(const std::string& leadId, std::initializer_list<std::pair<const char*, const char*>> stages) {
        std::optional<std::string> from;
        for (const auto& [stage, at] : stages) {
            exec("INSERT INTO lead_stage_history(lead_id, from_stage, to_stage, at) VALUES (?, ?, ?, ?)", leadId, from,
                 std::string(stage), std::string(at));
            from = stage;
        }
    }
    void testDrive(const std::string& id, const std::string& customerId, const std::string& vehicleId,
                   const std::string& outAt) {
        exec("INSERT INTO test_drives(id, customer_id, vehicle_id, out_at, odometer_out, created_at) "
             "VALUES (?, ?, ?, ?, 10, ?)",
             id, customerId, vehicleId, outAt, outAt);
    }
    void followUp(const std::string& id, const std::string& leadId, std::optional<std::string> assignedTo,
                  const std::string& dueAt, std::optional<std::string> doneAt = std::nullopt) {
        exec("INSERT INTO follow_ups(id, lead_id, assigned_to, due_at, note, done_at, created_at) "
             "VALUES (?, ?, ?, ?, ?, ?, '2026-10-01T00:00:00Z')",
             id, leadId, assignedTo, dueAt, "call " + id, doneAt);
    }
};

const reports::Period kNovember{"2026-11-01", "2026-12-01"};

// The November sales store. Per counted deal (cents):
//   D1 Alice, Toyota RAV4 new,        signed 11-02 (Mon, W45), delivered: 3,000,000 - 100,000 - 2,500,000 - 0
//      = front 400,000, back 80,000
//   D2 Alice, Toyota RAV4 used,       signed 11-09 (W46): 2,100,000 - 0 - 1,800,000 - 120,000 = 180,000, back 0
//   D3 Bob,   Honda Civic certified,  signed 11-30 23:30 (W49): 1,600,000 - 50,000 - 1,500,000 - 50,000 = 0,
//      back 30,000
//   D6 nobody, Ford F-150 new,        signed 11-20 (Fri, W47): 3,900,000 - 0 - 4,000,000 - 0 = -100,000 (a loss),
//      back 150,000
// Not counted: D4 cancelled, D5 signed 10-31 23:59:59, D7 draft, D8 signed 12-01 00:00 (the end is exclusive).
void salesStore(Rows& r) {
    r.staff("alice", "Alice Adams");
    r.staff("bob", "Bob Brown");
    r.customer("c1", "Carl");
    for (int i = 1; i <= 8; ++i) {
        const std::string v = "v" + std::to_string(i);
        if (i == 1) r.vehicle(v, "Toyota", "RAV4", "new", 2'500'000, 0, "delivered", "2026-10-01T00:00:00Z");
        if (i == 2) r.vehicle(v, "Toyota", "RAV4", "used", 1'800'000, 120'000, "sold", "2026-10-01T00:00:00Z");
        if (i == 3) r.vehicle(v, "Honda", "Civic", "certified", 1'500'000, 50'000, "sold", "2026-10-01T00:00:00Z");
        if (i >= 4 && i != 6) r.vehicle(v, "Honda", "Civic", "new", 1'000'000, 0, "sold", "2026-10-01T00:00:00Z");
        if (i == 6) r.vehicle(v, "Ford", "F-150", "new", 4'000'000, 0, "sold", "2026-10-01T00:00:00Z");
    }
    r.deal("d1", "c1", "v1", "alice", "delivered", 3'000'000, 100'000, 80'000, "2026-11-02T10:00:00Z");
    r.deal("d2", "c1", "v2", "alice", "signed", 2'100'000, 0, 0, "2026-11-09T15:00:00Z");
    r.deal("d3", "c1", "v3", "bob", "signed", 1'600'000, 50'000, 30'000, "2026-11-30T23:30:00Z");
    r.deal("d4", "c1", "v4", "bob", "cancelled", 1'500'000, 0, 0, "2026-11-15T10:00:00Z");
    r.deal("d5", "c1", "v5", std::nullopt, "signed", 1'500'000, 0, 0, "2026-10-31T23:59:59Z");
    r.deal("d6", "c1", "v6", std::nullopt, "signed", 3'900'000, 0, 150'000, "2026-11-20T08:00:00Z");
    r.deal("d7", "c1", "v7", "alice", "draft", 1'500'000, 0, 0, std::nullopt);
    r.deal("d8", "c1", "v8", "alice", "signed", 1'500'000, 0, 0, "2026-12-01T00:00:00Z");
}

void expectFigures(const reports::SalesFigures& f, std::int64_t units, core::Cents front, core::Cents back) {
    EXPECT_EQ(f.units, units);
    EXPECT_EQ(f.frontGross, front);
    EXPECT_EQ(f.backGross, back);
    EXPECT_EQ(f.totalGross, front + back);
}

} // namespace

TEST(ReportPeriod, RefusesAnEmptyOrBackwardPeriodAndNonDates) {
    EXPECT_TRUE(reports::validate(kNovember));
    EXPECT_EQ(reports::periodDays(kNovember).value(), 30);
    EXPECT_EQ(reports::validate({"2026-11-01", "2026-11-01"}).error().code, ErrorCode::InvalidInput);
    EXPECT_EQ(reports::validate({"2026-12-01", "2026-11-01"}).error().code, ErrorCode::InvalidInput);
    EXPECT_EQ(reports::validate({"2026-11-01T10:00:00Z", "2026-12-01"}).error().code, ErrorCode::InvalidInput);
    EXPECT_EQ(reports::validate({"2026-02-30", "2026-12-01"}).error().code, ErrorCode::InvalidInput);
    Store s;
    EXPECT_EQ(reports::sales(s.conn, {"2026-11-01", "2026-10-01"}).error().code, ErrorCode::InvalidInput);
}

TEST(ReportIsoWeek, UsesTheIsoWeekNumberingYear) {
    EXPECT_EQ(reports::isoWeek("2026-11-02").value(), "2026-W45"); // a Monday
    EXPECT_EQ(reports::isoWeek("2026-11-01").value(), "2026-W44"); // the Sunday before
    EXPECT_EQ(reports::isoWeek("2026-01-01").value(), "2026-W01"); // 2026 starts on a Thursday
    EXPECT_EQ(reports::isoWeek("2026-12-31").value(), "2026-W53"); // ... so it has 53 weeks
    EXPECT_EQ(reports::isoWeek("2027-01-01").value(), "2026-W53");
    EXPECT_EQ(reports::isoWeek("2027-01-04").value(), "2027-W01");
    EXPECT_EQ(reports::isoWeek("2024-12-30").value(), "2025-W01");
    EXPECT_FALSE(reports::isoWeek("2026-13-01"));
}

TEST(ReportSales, CountsLiveDealsSignedInThePeriodWithFrontAndBackGross) {
    Store s;
    Rows r(s);
    salesStore(r);
    auto report = reports::sales(s.conn, kNovember, reports::Granularity::Month);
    ASSERT_TRUE(report) << report.error().message;

    // revenue 2,900,000 + 2,100,000 + 1,550,000 + 3,900,000; cost 2,500,000 + 1,800,000 + 1,500,000 + 4,000,000;
    // recon 120,000 + 50,000; front 400,000 + 180,000 + 0 - 100,000; back 80,000 + 30,000 + 150,000.
    EXPECT_EQ(report->total.revenue, 10'450'000);
    EXPECT_EQ(report->total.cost, 9'800'000);
    EXPECT_EQ(report->total.recon, 170'000);
    expectFigures(report->total, 4, 480'000, 260'000);

    ASSERT_EQ(report->byTime.size(), 1u);
    EXPECT_EQ(report->byTime[0].bucket, "2026-11");
    EXPECT_EQ(report->byTime[0].start, "2026-11-01");
    expectFigures(report->byTime[0].figures, 4, 480'000, 260'000);

    // Alice 2 units (D1 + D2); then the one-unit rows by name: "" (unassigned, D6) before "Bob Brown" (D3).
    ASSERT_EQ(report->bySalesperson.size(), 3u);
    EXPECT_EQ(report->bySalesperson[0].staffId, "alice");
    EXPECT_EQ(report->bySalesperson[0].name, "Alice Adams");
    expectFigures(report->bySalesperson[0].figures, 2, 580'000, 80'000);
    EXPECT_EQ(report->bySalesperson[1].staffId, "");
    expectFigures(report->bySalesperson[1].figures, 1, -100'000, 150'000);
    EXPECT_EQ(report->bySalesperson[2].name, "Bob Brown");
    expectFigures(report->bySalesperson[2].figures, 1, 0, 30'000);

    ASSERT_EQ(report->byModel.size(), 3u);
    EXPECT_EQ(report->byModel[0].make + " " + report->byModel[0].model, "Toyota RAV4");
    expectFigures(report->byModel[0].figures, 2, 580'000, 80'000);
    EXPECT_EQ(report->byModel[1].make + " " + report->byModel[1].model, "Ford F-150");
    EXPECT_EQ(report->byModel[2].make + " " + report->byModel[2].model, "Honda Civic");
    expectFigures(report->byModel[2].figures, 1, 0, 30'000);

    // New: D1 and D6; used: D2; certified: D3.
    ASSERT_EQ(report->byCondition.size(), 3u);
    EXPECT_EQ(report->byCondition[0].condition, Condition::New);
    expectFigures(report->byCondition[0].figures, 2, 300'000, 230'000);
    EXPECT_EQ(report->byCondition[1].condition, Condition::Used);
    expectFigures(report->byCondition[1].figures, 1, 180'000, 0);
    EXPECT_EQ(report->byCondition[2].condition, Condition::Certified);
    expectFigures(report->byCondition[2].figures, 1, 0, 30'000);

    // A showroom's own database: every deal is its own.
    ASSERT_EQ(report->byShowroom.size(), 1u);
    EXPECT_EQ(report->byShowroom[0].code, "TST");
    EXPECT_EQ(report->byShowroom[0].name, "Test Showroom");
    expectFigures(report->byShowroom[0].figures, 4, 480'000, 260'000);
}

TEST(ReportSales, WeeklyAxisCoversThePeriodWithEmptyWeeks) {
    Store s;
    Rows r(s);
    salesStore(r);
    auto report = reports::sales(s.conn, kNovember, reports::Granularity::Week);
    ASSERT_TRUE(report) << report.error().message;
    // 2026-11-01 is a Sunday: its week (W44) starts Monday 10-26; 11-30 is the Monday of W49.
    ASSERT_EQ(report->byTime.size(), 6u);
    const char* weeks[] = {"2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48", "2026-W49"};
    const char* starts[] = {"2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30"};
    const std::int64_t units[] = {0, 1, 1, 1, 0, 1}; // D5 (10-31) is in W44 but outside the period
    for (std::size_t i = 0; i < 6; ++i) {
        EXPECT_EQ(report->byTime[i].bucket, weeks[i]);
        EXPECT_EQ(report->byTime[i].start, starts[i]);
        EXPECT_EQ(report->byTime[i].figures.units, units[i]) << weeks[i];
    }
    expectFigures(report->byTime[3].figures, 1, -100'000, 150'000);

    auto daily = reports::sales(s.conn, kNovember, reports::Granularity::Day);
    ASSERT_TRUE(daily);
    ASSERT_EQ(daily->byTime.size(), 30u);
    EXPECT_EQ(daily->byTime[29].bucket, "2026-11-30"); // D3 at 23:30 UTC stays on the 30th
    expectFigures(daily->byTime[29].figures, 1, 0, 30'000);
    EXPECT_EQ(daily->byTime[0].figures.units, 0);
    EXPECT_EQ(daily->byTime[1].figures.units, 1);
}

TEST(ReportSales, AnEmptyStoreHasZeroFiguresAndAFullAxis) {
    Store s;
    auto report = reports::sales(s.conn, {"2026-01-01", "2027-01-01"}, reports::Granularity::Month);
    ASSERT_TRUE(report);
    EXPECT_EQ(report->total.units, 0);
    EXPECT_EQ(report->byTime.size(), 12u);
    EXPECT_EQ(report->byTime[11].bucket, "2026-12");
    EXPECT_TRUE(report->bySalesperson.empty());
    EXPECT_EQ(report->byCondition.size(), 3u);
}

TEST(ReportFunnel, ConversionsDaysInStageTestDrivesAndLostReasons) {
    Store s;
    Rows r(s);
    for (int i = 1; i <= 10; ++i)
        r.customer("c" + std::to_string(i), "Customer", std::to_string(i));
    r.vehicle("v1", "Toyota", "RAV4", "new", 1, 0, "delivered", "2026-09-01T00:00:00Z");
    r.vehicle("v2", "Toyota", "RAV4", "new", 1, 0, "in_stock", "2026-09-01T00:00:00Z");
    r.vehicle("v3", "Toyota", "RAV4", "new", 1, 0, "in_stock", "2026-09-01T00:00:00Z");
    r.vehicle("v4", "Toyota", "RAV4", "new", 1, 0, "sold", "2026-09-01T00:00:00Z");

    // The October cohort (times UTC). Days in each stage, to the next change:
    r.lead("l1", "c1", "web", "delivered", "2026-10-01T10:00:00Z"); // inquiry 2, visit 1, test_drive 2.5, quote 1.5,
    r.history("l1", {{"inquiry", "2026-10-01T10:00:00Z"},           // contract 2
                     {"visit", "2026-10-03T10:00:00Z"},
                     {"test_drive", "2026-10-04T10:00:00Z"},
                     {"quote", "2026-10-06T22:00:00Z"},
                     {"contract", "2026-10-08T10:00:00Z"},
                     {"delivered", "2026-10-10T10:00:00Z"}});
    r.lead("l2", "c2", "web", "lost", "2026-10-02T00:00:00Z", std::nullopt, "price"); // inquiry 4, visit 2
    r.history(
        "l2",
        {{"inquiry", "2026-10-02T00:00:00Z"}, {"visit", "2026-10-06T00:00:00Z"}, {"lost", "2026-10-08T00:00:00Z"}});
    r.lead("l3", "c3", "walk_in", "quote", "2026-10-05T12:00:00Z"); // inquiry 1, skips visit and test_drive
    r.history("l3", {{"inquiry", "2026-10-05T12:00:00Z"}, {"quote", "2026-10-06T12:00:00Z"}});
    r.lead("l4", "c4", "phone", "inquiry", "2026-10-10T00:00:00Z"); // still in inquiry: no finished stay
    r.history("l4", {{"inquiry", "2026-10-10T00:00:00Z"}});
    r.lead("l5", "c5", "web", "lost", "2026-10-20T00:00:00Z", std::nullopt, "price"); // inquiry 7
    r.history("l5", {{"inquiry", "2026-10-20T00:00:00Z"}, {"lost", "2026-10-27T00:00:00Z"}});
    r.lead("l6", "c6", "walk_in", "lost", "2026-10-15T00:00:00Z", std::nullopt, "bought elsewhere");
    r.history("l6", {{"inquiry", "2026-10-15T00:00:00Z"}, // inquiry 0.25, visit 1, test_drive 4
                     {"visit", "2026-10-15T06:00:00Z"},
                     {"test_drive", "2026-10-16T06:00:00Z"},
                     {"lost", "2026-10-20T06:00:00Z"}});
    r.lead("l9", "c9", "phone", "test_drive", "2026-10-12T00:00:00Z"); // imported: no history at all
    // Outside the cohort: opened the second before and at the end.
    r.lead("l7", "c7", "web", "delivered", "2026-09-30T23:59:59Z");
    r.history("l7", {{"inquiry", "2026-09-30T23:59:59Z"}, {"delivered", "2026-10-02T00:00:00Z"}});
    r.lead("l8", "c8", "web", "inquiry", "2026-11-01T00:00:00Z");

    // Test drives in October: c1 (bought after), c6 twice (never bought), c9 (bought before the drive
    // only), c3 (bought after, but cancelled). c4 drove in November: outside.
    r.testDrive("t1", "c1", "v2", "2026-10-04T10:00:00Z");
    r.testDrive("t2", "c6", "v2", "2026-10-16T06:00:00Z");
    r.testDrive("t3", "c6", "v3", "2026-10-18T06:00:00Z");
    r.testDrive("t4", "c9", "v3", "2026-10-12T00:00:00Z");
    r.testDrive("t5", "c3", "v3", "2026-10-06T00:00:00Z");
    r.testDrive("t6", "c4", "v3", "2026-11-02T00:00:00Z");
    r.deal("d1", "c1", "v1", std::nullopt, "delivered", 100, 0, 0, "2026-10-08T10:00:00Z");
    r.deal("d2", "c9", "v4", std::nullopt, "signed", 100, 0, 0, "2026-10-05T00:00:00Z");
    r.deal("d3", "c3", "v2", std::nullopt, "cancelled", 100, 0, 0, "2026-10-20T00:00:00Z");

    auto f = reports::funnel(s.conn, {"2026-10-01", "2026-11-01"});
    ASSERT_TRUE(f) << f.error().message;
    EXPECT_EQ(f->leads, 7); // l1 l2 l3 l4 l5 l6 l9

    // Reached (a stage or any later one): inquiry 7; visit l1 l2 l3 l6 l9 = 5; test_drive l1 l3 l6 l9 = 4;
    // quote l1 l3 = 2; contract l1 = 1; delivered l1 = 1.
    const std::int64_t reached[] = {7, 5, 4, 2, 1, 1};
    ASSERT_EQ(f->reached.size(), 6u);
    for (std::size_t i = 0; i < 6; ++i)
        EXPECT_EQ(f->reached[i].leads, reached[i]) << i;
    ASSERT_EQ(f->conversions.size(), 5u);
    EXPECT_EQ(f->conversions[0].from, LeadStage::Inquiry);
    EXPECT_EQ(f->conversions[0].to, LeadStage::Visit);
    EXPECT_DOUBLE_EQ(*f->conversions[0].rate, 5.0 / 7.0);
    EXPECT_DOUBLE_EQ(*f->conversions[1].rate, 4.0 / 5.0);
    EXPECT_DOUBLE_EQ(*f->conversions[2].rate, 2.0 / 4.0);
    EXPECT_DOUBLE_EQ(*f->conversions[3].rate, 1.0 / 2.0);
    EXPECT_EQ(f->conversions[4].to, LeadStage::Delivered);
    EXPECT_DOUBLE_EQ(*f->conversions[4].rate, 1.0);

    // Now: inquiry l4; test_drive l9; quote l3; delivered l1; lost l2 l5 l6.
    ASSERT_EQ(f->byStage.size(), 8u);
    const std::int64_t now[] = {1, 0, 1, 1, 0, 1, 0, 3};
    for (std::size_t i = 0; i < 8; ++i)
        EXPECT_EQ(f->byStage[i].leads, now[i]) << i;
    EXPECT_EQ(f->byStage[7].stage, LeadStage::Lost);

    // Medians: inquiry {0.25, 1, 2, 4, 7} -> 2; visit {1, 2, 1} -> 1; test_drive {2.5, 4} -> 3.25;
    // quote {1.5} (l3 has not left quote); contract {2}.
    ASSERT_EQ(f->daysInStage.size(), 5u);
    EXPECT_EQ(f->daysInStage[0].stays, 5);
    EXPECT_DOUBLE_EQ(*f->daysInStage[0].medianDays, 2.0);
    EXPECT_EQ(f->daysInStage[1].stays, 3);
    EXPECT_DOUBLE_EQ(*f->daysInStage[1].medianDays, 1.0);
    EXPECT_DOUBLE_EQ(*f->daysInStage[2].medianDays, 3.25);
    EXPECT_EQ(f->daysInStage[3].stays, 1);
    EXPECT_DOUBLE_EQ(*f->daysInStage[3].medianDays, 1.5);
    EXPECT_DOUBLE_EQ(*f->daysInStage[4].medianDays, 2.0);

    // web l1 l2 l5 (l1 delivered); then phone l4 l9 and walk_in l3 l6 by name.
    ASSERT_EQ(f->bySource.size(), 3u);
    EXPECT_EQ(f->bySource[0].source, "web");
    EXPECT_EQ(f->bySource[0].leads, 3);
    EXPECT_EQ(f->bySource[0].delivered, 1);
    EXPECT_EQ(f->bySource[1].source, "phone");
    EXPECT_EQ(f->bySource[1].leads, 2);
    EXPECT_EQ(f->bySource[2].source, "walk_in");
    EXPECT_EQ(f->bySource[2].delivered, 0);

    ASSERT_EQ(f->lostReasons.size(), 2u);
    EXPECT_EQ(f->lostReasons[0].reason, "price");
    EXPECT_EQ(f->lostReasons[0].leads, 2);
    EXPECT_EQ(f->lostReasons[1].reason, "bought elsewhere");
    EXPECT_EQ(f->lostReasons[1].leads, 1);

    // Customers who drove in October: c1 c3 c6 c9; only c1 signed a live deal after driving.
    EXPECT_EQ(f->testDriveCustomers, 4);
    EXPECT_EQ(f->testDriveCustomersSold, 1);
    EXPECT_DOUBLE_EQ(*f->testDriveToSale, 0.25);
}

TEST(ReportFunnel, AnEmptyPeriodHasNoRates) {
    Store s;
    auto f = reports::funnel(s.conn, {"2026-10-01", "2026-11-01"});
    ASSERT_TRUE(f);
    EXPECT_EQ(f->leads, 0);
    EXPECT_FALSE(f->conversions[0].rate);
    EXPECT_FALSE(f->daysInStage[0].medianDays);
    EXPECT_FALSE(f->testDriveToSale);
}

TEST(ReportMedian, MiddleValueOrMeanOfTheTwoMiddle) {
    EXPECT_FALSE(reports::median({}));
    EXPECT_DOUBLE_EQ(*reports::median({3}), 3);
    EXPECT_DOUBLE_EQ(*reports::median({9, 1, 5}), 5);
    EXPECT_DOUBLE_EQ(*reports::median({4, 1, 3, 10}), 3.5);
}

TEST(ReportAging, BucketsDaysInStockWithCapitalPerModel) {
    Store s;
    Rows r(s);
    // As of 2026-11-01 10:00 (cents: cost + recon):
    r.vehicle("a1", "Toyota", "RAV4", "new", 2'000'000, 50'000, "in_stock", "2026-10-02T10:00:00Z"); // 30 days
    r.vehicle("a2", "Toyota", "RAV4", "new", 2'000'000, 0, "on_hold", "2026-10-02T10:00:01Z");       // 29 days
    r.vehicle("a3", "Toyota", "RAV4", "used", 1'000'000, 0, "in_stock", "2026-10-01T10:00:00Z");     // 31 days
    r.vehicle("a4", "Honda", "Civic", "new", 1'500'000, 0, "in_stock", "2026-08-03T10:00:00Z");      // 28+30+31+1 = 90
    r.vehicle("a5", "Honda", "Civic", "used", 1'200'000, 100'000, "in_stock", "2026-08-02T09:00:00Z"); // 91 days 1 h
    r.vehicle("a6", "Ford", "F-150", "new", 9'000'000, 0, "sold", "2026-01-02T00:00:00Z");
    r.vehicle("a7", "Ford", "F-150", "new", 9'000'000, 0, "incoming", "2026-01-02T00:00:00Z");
    r.vehicle("a8", "Ford", "F-150", "new", 9'000'000, 0, "in_stock", "2026-11-02T00:00:00Z"); // after as-of

    auto a = reports::aging(s.conn, "2026-11-01T10:00:00Z");
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(a->asOf, "2026-11-01T10:00:00Z");
    EXPECT_EQ(a->units, 5);
    EXPECT_EQ(a->capital, 7'850'000);
    EXPECT_EQ(a->buckets[0].units, 2); // a1 a2
    EXPECT_EQ(a->buckets[0].capital, 4'050'000);
    EXPECT_EQ(a->buckets[1].units, 1); // a3
    EXPECT_EQ(a->buckets[1].capital, 1'000'000);
    EXPECT_EQ(a->buckets[2].units, 1); // a4
    EXPECT_EQ(a->buckets[2].capital, 1'500'000);
    EXPECT_EQ(a->buckets[3].units, 1); // a5
    EXPECT_EQ(a->buckets[3].capital, 1'300'000);
    EXPECT_EQ(a->buckets[3].fromDays, 91);
    EXPECT_FALSE(a->buckets[3].toDays);

    ASSERT_EQ(a->byModel.size(), 2u);
    EXPECT_EQ(a->byModel[0].model, "RAV4"); // 5,050,000 before the Civics' 2,800,000
    EXPECT_EQ(a->byModel[0].units, 3);
    EXPECT_EQ(a->byModel[0].capital, 5'050'000);
    EXPECT_EQ(a->byModel[0].oldestDays, 31);
    EXPECT_DOUBLE_EQ(a->byModel[0].averageDays, 30.0); // (30 + 29 + 31) / 3
    EXPECT_EQ(a->byModel[0].buckets[0].units, 2);
    EXPECT_EQ(a->byModel[1].model, "Civic");
    EXPECT_EQ(a->byModel[1].capital, 2'800'000);
    EXPECT_EQ(a->byModel[1].oldestDays, 91);
    EXPECT_DOUBLE_EQ(a->byModel[1].averageDays, 90.5);
    EXPECT_EQ(a->byModel[1].buckets[2].units, 1);
    EXPECT_EQ(a->byModel[1].buckets[3].units, 1);

    ASSERT_EQ(a->byShowroom.size(), 1u);
    EXPECT_EQ(a->byShowroom[0].code, "TST");
    EXPECT_EQ(a->byShowroom[0].units, 5);
    EXPECT_EQ(a->byShowroom[0].capital, 7'850'000);
    EXPECT_EQ(a->byShowroom[0].buckets[3].units, 1);

    EXPECT_EQ(reports::aging(s.conn, "yesterday").error().code, ErrorCode::InvalidInput);
}

TEST(ReportTurnRate, UnitsSoldOverAverageInventory) {
    Store s;
    Rows r(s);
    r.customer("c1", "Carl");
    // The period 2026-11-01 .. 11-11 (10 days). Vehicle-days in stock within it:
    r.vehicle("t1", "A", "X", "new", 1, 0, "in_stock", "2026-10-01T00:00:00Z");                            // 10
    r.vehicle("t2", "A", "X", "new", 1, 0, "in_stock", "2026-11-06T00:00:00Z");                            // 5
    r.vehicle("t3", "A", "X", "new", 1, 0, "sold", "2026-09-01T00:00:00Z");                                // 3.5, sold
    r.vehicle("t4", "A", "X", "new", 1, 0, "transferred", "2026-10-01T00:00:00Z", "2026-11-03T00:00:00Z"); // 2
    r.vehicle("t5", "A", "X", "new", 1, 0, "incoming", "2026-10-01T00:00:00Z");                            // never
    r.vehicle("t6", "A", "X", "new", 1, 0, "in_stock", "2026-11-12T00:00:00Z");                            // after
    r.vehicle("t7", "A", "X", "new", 1, 0, "delivered", "2026-09-01T00:00:00Z"); // left before
    r.vehicle("t8", "A", "X", "new", 1, 0, "sold", "2026-11-08T00:00:00Z");      // 2, sold
    r.deal("d3", "c1", "t3", std::nullopt, "signed", 100, 0, 0, "2026-11-04T12:00:00Z");
    r.deal("d7", "c1", "t7", std::nullopt, "delivered", 100, 0, 0, "2026-10-20T00:00:00Z");
    r.deal("d8", "c1", "t8", std::nullopt, "signed", 100, 0, 0, "2026-11-10T00:00:00Z");

    auto turn = reports::turnRate(s.conn, {"2026-11-01", "2026-11-11"});
    ASSERT_TRUE(turn) << turn.error().message;
    EXPECT_EQ(turn->unitsSold, 2);
    EXPECT_DOUBLE_EQ(turn->averageInventory, 2.25); // 22.5 vehicle-days / 10 days
    EXPECT_NEAR(*turn->turn, 2.0 / 2.25, 1e-12);
    EXPECT_NEAR(*turn->annualised, 2.0 / 2.25 * 36.5, 1e-9);

    auto empty = reports::turnRate(s.conn, {"2020-01-01", "2020-02-01"});
    ASSERT_TRUE(empty);
    EXPECT_EQ(empty->averageInventory, 0);
    EXPECT_FALSE(empty->turn);
}

TEST(ReportFollowUps, OverdueAndDueTodayPerSalesperson) {
    Store s;
    Rows r(s);
    r.staff("alice", "Alice Adams");
    r.staff("bob", "Bob Brown");
    r.customer("ca", "Ann", "Archer");
    r.customer("cb", "Ben");
    r.customer("cn", "Nia", "Noone");
    r.lead("la", "ca", "web", "visit", "2026-10-01T00:00:00Z", "alice");
    r.lead("lb", "cb", "web", "visit", "2026-10-01T00:00:00Z", "bob");
    r.lead("ln", "cn", "web", "inquiry", "2026-10-01T00:00:00Z");
    r.followUp("f1", "la", "alice", "2026-10-30T09:00:00Z");      // Alice, overdue
    r.followUp("f2", "la", std::nullopt, "2026-11-01T00:00:00Z"); // the lead's Alice, today
    r.followUp("f3", "la", "bob", "2026-11-01T23:00:00Z");        // Bob (assigned over the lead's), today
    r.followUp("f4", "lb", "bob", "2026-10-31T23:59:59Z");        // Bob, overdue
    r.followUp("f5", "lb", "bob", "2026-11-02T00:00:00Z");        // tomorrow: not listed
    r.followUp("f6", "lb", "bob", "2026-10-01T00:00:00Z", "2026-10-02T00:00:00Z"); // done
    r.followUp("f7", "ln", std::nullopt, "2026-10-15T00:00:00Z");                  // nobody's, overdue
    r.followUp("f8", "la", "alice", "2026-10-29T00:00:00Z");                       // Alice, overdue

    auto report = reports::followUps(s.conn, "2026-11-01T10:00:00Z");
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report->day, "2026-11-01");
    EXPECT_EQ(report->overdue, 4);
    EXPECT_EQ(report->dueToday, 2);
    ASSERT_EQ(report->bySalesperson.size(), 3u);
    const auto& alice = report->bySalesperson[0];
    EXPECT_EQ(alice.name, "Alice Adams");
    EXPECT_EQ(alice.overdue, 2);
    EXPECT_EQ(alice.dueToday, 1);
    ASSERT_EQ(alice.items.size(), 3u);
    EXPECT_EQ(alice.items[0].followUpId, "f8");
    EXPECT_EQ(alice.items[1].followUpId, "f1");
    EXPECT_EQ(alice.items[2].followUpId, "f2");
    EXPECT_TRUE(alice.items[0].overdue);
    EXPECT_FALSE(alice.items[2].overdue);
    EXPECT_EQ(alice.items[0].customerName, "Ann Archer");
    const auto& bob = report->bySalesperson[1];
    EXPECT_EQ(bob.staffId, "bob");
    EXPECT_EQ(bob.overdue, 1);
    EXPECT_EQ(bob.dueToday, 1);
    const auto& nobody = report->bySalesperson[2];
    EXPECT_EQ(nobody.staffId, "");
    EXPECT_EQ(nobody.overdue, 1);
    EXPECT_EQ(nobody.items[0].customerName, "Nia Noone");

    // A day later f2, f3 and f5 are overdue or due; the report moves with the time it is given.
    auto tomorrow = reports::followUps(s.conn, "2026-11-02");
    ASSERT_TRUE(tomorrow);
    EXPECT_EQ(tomorrow->overdue, 6);
    EXPECT_EQ(tomorrow->dueToday, 1);
}

// --- whose figures ----------------------------------------------------------------------------------

TEST(ReportScope, AShowroomCountsItsOwnRowsAndACopyWithoutOneCountsEvery) {
    Store s;
    Rows r(s);
    salesStore(r); // TST: 4 November sales
    // Another showroom's rows in the same database, as the demo keeps its group's history: a November
    // sale, a car in stock, a lead opened in November and its overdue follow-up, a test drive.
    auto other = core::addShowroom(s.ctx, {"", "NTH", "Northgate", "", "", "UTC"});
    ASSERT_TRUE(other) << other.error().message;
    r.store = other->id;
    r.customer("n-c", "Nia");
    r.vehicle("n-v1", "Kia", "EV6", "new", 3'000'000, 0, "sold", "2026-10-01T00:00:00Z");
    r.vehicle("n-v2", "Kia", "EV6", "new", 3'100'000, 0, "in_stock", "2026-10-01T00:00:00Z");
    r.deal("n-d", "n-c", "n-v1", std::nullopt, "signed", 3'500'000, 0, 0, "2026-11-10T10:00:00Z");
    r.lead("n-l", "n-c", "web", "inquiry", "2026-11-03T10:00:00Z");
    r.history("n-l", {{"inquiry", "2026-11-03T10:00:00Z"}});
    r.followUp("n-f", "n-l", std::nullopt, "2026-11-20T09:00:00Z");
    r.testDrive("n-t", "n-c", "n-v2", "2026-11-04T10:00:00Z");

    const auto scope = reports::reportScope(s.conn);
    ASSERT_TRUE(scope);
    EXPECT_EQ(*scope, core::localStoreId(s.conn).value());
    auto sales = reports::sales(s.conn, kNovember);
    ASSERT_TRUE(sales);
    EXPECT_EQ(sales->total.units, 4);
    EXPECT_EQ(sales->byShowroom.size(), 1u);
    EXPECT_EQ(reports::aging(s.conn, "2026-11-01T00:00:00Z").value().units, 0);
    EXPECT_EQ(reports::funnel(s.conn, kNovember).value().leads, 0);
    EXPECT_EQ(reports::funnel(s.conn, kNovember).value().testDriveCustomers, 0);
    EXPECT_EQ(reports::followUps(s.conn, "2026-12-01").value().overdue, 0);
    EXPECT_EQ(reports::turnRate(s.conn, kNovember).value().unitsSold, 4);

    // Without a local showroom (HQ's report copy) every showroom counts.
    ASSERT_TRUE(s.conn.exec("DELETE FROM settings WHERE key = 'local_store_id'"));
    EXPECT_FALSE(reports::reportScope(s.conn).value());
    sales = reports::sales(s.conn, kNovember);
    ASSERT_TRUE(sales);
    EXPECT_EQ(sales->total.units, 5);
    ASSERT_EQ(sales->byShowroom.size(), 2u);
    EXPECT_EQ(sales->byShowroom[0].code, "TST"); // 4 units before NTH's 1
    EXPECT_EQ(sales->byShowroom[1].code, "NTH");
    EXPECT_EQ(reports::aging(s.conn, "2026-11-01T00:00:00Z").value().units, 1);
    EXPECT_EQ(reports::funnel(s.conn, kNovember).value().leads, 1);
    EXPECT_EQ(reports::funnel(s.conn, kNovember).value().testDriveCustomers, 1);
    EXPECT_EQ(reports::followUps(s.conn, "2026-12-01").value().overdue, 1);
    EXPECT_EQ(reports::turnRate(s.conn, kNovember).value().unitsSold, 5);
}
