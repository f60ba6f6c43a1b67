#include "showroom/core/clock.hpp"
#include "showroom/core/db.hpp"
#include "showroom/core/deals.hpp"
#include "showroom/core/demo.hpp"
#include "showroom/core/domain.hpp"
#include "showroom/core/inventory.hpp"
#include "showroom/core/journal.hpp"
#include "showroom/core/store.hpp"
#include "showroom/core/vin.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace core = showroom::core;
namespace db = showroom::core::db;
namespace demo = showroom::core::demo;
using core::ErrorCode;
using showroom::test::TempDir;

namespace {

constexpr int kVehicles = 150;
constexpr std::uint64_t kSeed = 7;
// The caller of vin::decode passes "current calendar year + 1": the demo's today is in 2026.
constexpr int kLatestModelYear = 2027;

core::UnixSeconds asOf() {
    return core::parseUtc("2026-11-01").value();
}

demo::SeedOptions options(std::uint64_t seed = kSeed) {
    return demo::SeedOptions{.vehicles = kVehicles, .seed = seed, .asOf = asOf()};
}

struct SeededStore {
    std::string path;
    std::optional<db::Connection> conn;
    demo::SeedReport report;
};

// Seeds `path` and keeps the connection open; records a test failure when either step fails.
SeededStore seedInto(const std::string& path, const demo::SeedOptions& opts) {
    SeededStore s{path, std::nullopt, {}};
    auto conn = core::openStore(path);
    if (!conn) {
        ADD_FAILURE() << "openStore: " << conn.error().message;
        return s;
    }
    s.conn.emplace(std::move(conn).value());
    auto report = demo::seed(*s.conn, opts);
    if (!report) {
        ADD_FAILURE() << "demo::seed: " << report.error().message;
        return s;
    }
    s.report = *report;
    return s;
}

// The demo store most tests read: seeded once (seeding takes a moment), never written to by a test.
SeededStore& demoStore() {
    static TempDir dir;
    static SeededStore store = seedInto(dir.file("demo.db"), options());
    return store;
}

// Runs `sql` and returns every row's columns joined by '|'.
std::vector<std::string> rows(db::Connection& conn, std::string_view sql) {
    std::vector<std::string> out;
    auto stmt = conn.prepare(sql);
    EXPECT_TRUE(stmt.ok()) << (stmt.ok() ? "" : stmt.error().message);
    if (!stmt) return out;
    for (;;) {
        auto row = stmt->step();
        EXPECT_TRUE(row.ok()) << (row.ok() ? "" : row.error().message);
        if (!row || !*row) return out;
        std::string line;
        for (int c = 0; c < stmt->columnCount(); ++c)
            line += (c ? "|" : "") + stmt->getText(c);
        out.push_back(std::move(line));
    }
}

std::int64_t count(db::Connection& conn, std::string_view sql) {
    auto stmt = conn.prepare(sql);
    EXPECT_TRUE(stmt.ok()) << (stmt.ok() ? "" : stmt.error().message);
    if (!stmt) return -1;
    auto row = stmt->step();
    EXPECT_TRUE(row.ok() && *row) << sql;
    return row.ok() && *row ? stmt->getInt(0) : -1;
}

// ---- what was seeded ------------------------------------------------------------------------------------

TEST(DemoSeed, ReportCountsSomethingOfEveryKind) {
    auto& store = demoStore();
    ASSERT_TRUE(store.conn.has_value());
    const auto& r = store.report;
    EXPECT_EQ(r.showrooms, 3);
    EXPECT_GT(r.staff, 0);
    EXPECT_GT(r.vehicles, 0);
    EXPECT_LE(r.vehicles, kVehicles);
    EXPECT_GT(r.customers, 0);
    EXPECT_GT(r.leads, 0);
    EXPECT_GT(r.deals, 0);
    EXPECT_GT(r.payments, 0);
    EXPECT_GT(r.testDrives, 0);
    EXPECT_GT(r.followUps, 0);
}

TEST(DemoSeed, SummaryOfTheDatabaseAgreesWithTheReport) {
    auto& store = demoStore();
    ASSERT_TRUE(store.conn.has_value());
    auto summary = demo::summarize(*store.conn);
    ASSERT_TRUE(summary.ok()) << summary.error().message;
    const auto& r = store.report;
    EXPECT_EQ(summary->showrooms, r.showrooms);
    EXPECT_EQ(summary->staff, r.staff);
    EXPECT_EQ(summary->vehicles(), r.vehicles);
    EXPECT_EQ(summary->customers, r.customers);
    EXPECT_EQ(summary->leads(), r.leads);
    EXPECT_EQ(summary->deals(), r.deals);
    EXPECT_EQ(summary->payments, r.payments);
    EXPECT_EQ(summary->testDrives, r.testDrives);
    EXPECT_EQ(summary->openFollowUps, r.followUps);
    EXPECT_EQ(summary->localShowroom, "Riverside Motors Downtown");
    EXPECT_GT(summary->paymentsTotalCents, 0);
    EXPECT_GT(summary->outboxPending, 0); // the demo's changes wait for headquarters like real ones
}

TEST(DemoSeed, EveryVinDecodesAsValidWithCorrectCheckDigit) {
    auto& store = demoStore();
    ASSERT_TRUE(store.conn.has_value());
    const auto vins = rows(*store.conn, "SELECT vin FROM vehicles");
    ASSERT_EQ(static_cast<int>(vins.size()), store.report.vehicles);
    for (const auto& v : vins) {
        const auto report = core::vin::decode(v, kLatestModelYear);
        EXPECT_TRUE(report.valid) << v << ": " << (report.errors.empty() ? "" : report.errors.front());
        EXPECT_TRUE(report.checkDigitOk) << v;
    }
}

TEST(DemoSeed, EveryVinNamesAManufacturerTheDecoderKnows) {
    // A porter scanning a demo car sees the maker decoded from the VIN, and check-in takes the make from it:
    // the demo must only use WMIs that the built-in table knows.
    auto& store = demoStore();
    ASSERT_TRUE(store.conn.has_value());
    std::set<std::string> unknown;
    for (const auto& line : rows(*store.conn, "SELECT vin, make, model FROM vehicles")) {
        const auto report = core::vin::decode(line.substr(0, 17), kLatestModelYear);
        if (report.manufacturer.empty()) unknown.insert(line.substr(0, 3) + " (" + line.substr(18) + ")");
    }
    std::string list;
    for (const auto& u : unknown)
        list += "\n  " + u;
    EXPECT_TRUE(unknown.empty()) << "WMIs the VIN decoder does not know:" << list;
}

TEST(DemoSeed, ModelYearOfEveryVehicleMatchesItsVin) {
    auto& store = demoStore();
    ASSERT_TRUE(store.conn.has_value());
    for (const auto& line : rows(*store.conn, "SELECT vin, year FROM vehicles")) {
        const std::string v = line.substr(0, 17);
        const int year = std::stoi(line.substr(18));
        const auto report = core::vin::decode(v, kLatestModelYear);
        EXPECT_NE(std::find(report.modelYearCandidates.begin(), report.modelYearCandidates.end(), year),
                  report.modelYearCandidates.end())
            << v << " is listed as a " << year;
    }
}

TEST(DemoSeed, LeadsSitAtEveryPipelineStageAndAtLost) {
    auto& store = demoStore();
    ASSERT_TRUE(store.conn.has_value());
    auto summary = demo::summarize(*store.conn);
    ASSERT_TRUE(summary.ok()) << summary.error().message;
    std::vector<core::LeadStage> stages(core::pipelineStages().begin(), core::pipelineStages().end());
    stages.push_back(core::LeadStage::Lost);
    for (core::LeadStage s : stages) {
        const std::string word(toString(s));
        const auto it = summary->leadsByStage.find(word);
        EXPECT_TRUE(it != summary->leadsByStage.end() && it->second > 0) << "no lead at stage " << word;
    }
}

TEST(DemoSeed, DealsSpreadOverTheEighteenMonthsBeforeToday) {
    auto& store = demoStore();
    ASSERT_TRUE(store.conn.has_value());
    // asOf is 2026-11-01: the 18 months before it are 2025-05 .. 2026-10.
    const auto months = rows(*store.conn, "SELECT DISTINCT substr(created_at, 1, 7) FROM deals "
                                          "WHERE created_at >= '2025-05' AND created_at < '2026-11' ORDER BY 1");
    std::string list;
    for (const auto& m : months)
        list += m + " ";
    EXPECT_GE(months.size(), 15u) << "deals only in " << list;
    EXPECT_EQ(count(*store.conn, "SELECT count(*) FROM deals WHERE created_at < '2025-04'"), 0)
        << "deals older than the 18 months of history";
}

TEST(DemoSeed, NothingIsDatedAfterTheDemosToday) {
    // The demo's "today" is asOf: a deal, lead move or payment dated after it would show up in next month's
    // report and as overdue-in-reverse on the follow-up screen.
    auto& store = demoStore();
    ASSERT_TRUE(store.conn.has_value());
    const std::string today = core::formatUtc(asOf());
    const std::pair<const char*, const char*> columns[] = {
        {"deals", "created_at"},       {"deals", "signed_at"},
        {"deals", "delivered_at"},     {"leads", "created_at"},
        {"leads", "stage_changed_at"}, {"lead_stage_history", "at"},
        {"payments", "received_at"},   {"vehicles", "status_changed_at"},
        {"test_drives", "out_at"},     {"customers", "created_at"}};
    for (const auto& [table, column] : columns) {
        const std::string sql = std::string("SELECT count(*), coalesce(max(") + column + "), '') FROM " + table +
                                " WHERE " + column + " > '" + today + "'";
        const auto found = rows(*store.conn, sql);
        ASSERT_EQ(found.size(), 1u);
        EXPECT_EQ(found[0].substr(0, 2), "0|") << table << "." << column << " after " << today << ": " << found[0];
    }
}

TEST(DemoSeed, DealsAreSignedAndPaidOnlyAfterTheyAreDesked) {
    auto& store = demoStore();
    ASSERT_TRUE(store.conn.has_value());
    for (const auto& line : rows(*store.conn, "SELECT deal_no, created_at, signed_at FROM deals "
                                              "WHERE signed_at < created_at"))
        ADD_FAILURE() << "deal signed before it was created (deal_no|created_at|signed_at): " << line;
    for (const auto& line : rows(*store.conn, "SELECT d.deal_no, d.created_at, p.received_at FROM payments p "
                                              "JOIN deals d ON d.id = p.deal_id WHERE p.received_at < d.created_at"))
        ADD_FAILURE() << "payment received before its deal was created (deal_no|created_at|received_at): " << line;
    EXPECT_EQ(count(*store.conn, "SELECT count(*) FROM deals WHERE delivered_at < signed_at"), 0);
}

TEST(DemoSeed, DeliveredDealsArePaidInFull) {
    auto& store = demoStore();
    ASSERT_TRUE(store.conn.has_value());
    core::ManualClock clock(asOf());
    core::IdGenerator ids(42);
    core::Context ctx{*store.conn, clock, ids, "test"};
    core::Deals deals(ctx);
    const auto delivered = rows(*store.conn, "SELECT id FROM deals WHERE status = 'delivered'");
    ASSERT_FALSE(delivered.empty());
    for (const auto& id : delivered) {
        auto d = deals.find(id);
        ASSERT_TRUE(d.ok()) << d.error().message;
        const core::Cents paidBySql =
            count(*store.conn, "SELECT coalesce(sum(amount_cents), 0) FROM payments WHERE deal_id = '" + id + "'");
        EXPECT_EQ(d->paid, paidBySql) << d->dealNo;
        EXPECT_EQ(d->paid, core::Deals::amountDue(*d))
            << d->dealNo << " (" << (d->input.financed ? "financed" : "cash")
            << (d->input.addOns.empty() ? "" : ", with add-ons") << ") shows "
            << core::formatMoney(core::Deals::amountDue(*d) - d->paid) << " still due after delivery";
    }
}

// ---- determinism ----------------------------------------------------------------------------------------

TEST(DemoSeed, SameSeedGivesTheSameDealership) {
    auto& first = demoStore();
    ASSERT_TRUE(first.conn.has_value());
    TempDir dir;
    auto second = seedInto(dir.file("again.db"), options());
    ASSERT_TRUE(second.conn.has_value());

    const std::string vehiclesSql = "SELECT vin, price_cents FROM vehicles ORDER BY vin";
    const auto a = rows(*first.conn, vehiclesSql);
    const auto b = rows(*second.conn, vehiclesSql);
    ASSERT_FALSE(a.empty());
    EXPECT_EQ(a, b);
    EXPECT_EQ(count(*first.conn, "SELECT count(*) FROM deals"), count(*second.conn, "SELECT count(*) FROM deals"));
    const std::string dealsSql =
        "SELECT deal_no, status, created_at, total_sale_price_cents FROM deals ORDER BY deal_no";
    EXPECT_EQ(rows(*first.conn, dealsSql), rows(*second.conn, dealsSql));
}

TEST(DemoSeed, DifferentSeedGivesDifferentVins) {
    auto& first = demoStore();
    ASSERT_TRUE(first.conn.has_value());
    TempDir dir;
    auto other = seedInto(dir.file("other.db"), options(kSeed + 1));
    ASSERT_TRUE(other.conn.has_value());
    const auto a = rows(*first.conn, "SELECT vin FROM vehicles ORDER BY vin");
    const auto b = rows(*other.conn, "SELECT vin FROM vehicles ORDER BY vin");
    ASSERT_FALSE(a.empty());
    ASSERT_FALSE(b.empty());
    EXPECT_NE(a, b);
}

// ---- refusing to seed -----------------------------------------------------------------------------------

TEST(DemoSeed, DatabaseWithVehiclesIsRefusedAndLeftAsItWas) {
    TempDir dir;
    auto conn = core::openStore(dir.file("real.db"));
    ASSERT_TRUE(conn.ok()) << conn.error().message;
    core::ManualClock clock(asOf());
    core::IdGenerator ids(42);
    core::Context ctx{*conn, clock, ids, "test"};
    ASSERT_TRUE(core::ensureLocalStore(ctx, "TST", "Test Showroom", "Springfield").ok());
    core::Vehicle v;
    v.vin = demo::makeVin("1HG", 2025, 1);
    v.year = 2025;
    v.make = "Honda";
    v.model = "Accord";
    v.price = 2'899'900;
    v.status = core::VehicleStatus::InStock;
    auto added = core::Inventory(ctx).add(v);
    ASSERT_TRUE(added.ok()) << added.error().message;

    const char* tables[] = {"stores", "staff",    "vehicles",  "customers", "leads",
                            "deals",  "payments", "audit_log", "outbox",    "settings"};
    std::vector<std::int64_t> before;
    for (const char* t : tables)
        before.push_back(count(*conn, std::string("SELECT count(*) FROM ") + t));

    auto seeded = demo::seed(*conn, options());
    ASSERT_FALSE(seeded.ok());
    EXPECT_EQ(seeded.error().code, ErrorCode::Conflict);
    EXPECT_NE(seeded.error().message.find("vehicles"), std::string::npos) << seeded.error().message;

    for (std::size_t i = 0; i < std::size(tables); ++i)
        EXPECT_EQ(count(*conn, std::string("SELECT count(*) FROM ") + tables[i]), before[i]) << tables[i];
    EXPECT_EQ(rows(*conn, "SELECT vin FROM vehicles"), std::vector<std::string>{added->vin});
}

TEST(DemoSeed, VehicleCountOutsideTheLimitsIsRefused) {
    TempDir dir;
    auto conn = core::openStore(dir.file("empty.db"));
    ASSERT_TRUE(conn.ok()) << conn.error().message;
    for (int n : {0, -1, 1'000'001}) {
        auto opts = options();
        opts.vehicles = n;
        auto seeded = demo::seed(*conn, opts);
        ASSERT_FALSE(seeded.ok()) << n;
        EXPECT_EQ(seeded.error().code, ErrorCode::InvalidInput) << n;
    }
    EXPECT_EQ(count(*conn, "SELECT count(*) FROM stores"), 0);
}

// ---- makeVin --------------------------------------------------------------------------------------------

TEST(DemoVin, NorthAmericanVinIsValidAndResolvesItsModelYear) {
    for (int year : {2005, 2024, 2027}) {
        for (std::uint64_t serial : {1ULL, 42ULL, 999'999ULL}) {
            const std::string v = demo::makeVin("1HG", year, serial);
            ASSERT_EQ(v.size(), 17u) << v;
            const auto report = core::vin::decode(v, kLatestModelYear);
            EXPECT_TRUE(report.valid) << v << ": " << (report.errors.empty() ? "" : report.errors.front());
            EXPECT_TRUE(report.checkDigitOk) << v;
            EXPECT_EQ(report.manufacturer, "Honda") << v;
            EXPECT_EQ(report.modelYearCandidates, std::vector<int>{year}) << v;
            EXPECT_FALSE(report.modelYearAmbiguous) << v;
        }
    }
}

TEST(DemoVin, ChineseVinIsValidWithCorrectCheckDigit) {
    for (std::uint64_t serial : {1ULL, 42ULL, 999'999ULL}) {
        const std::string v = demo::makeVin("LGX", 2024, serial); // BYD
        ASSERT_EQ(v.size(), 17u) << v;
        const auto report = core::vin::decode(v, kLatestModelYear);
        EXPECT_TRUE(report.valid) << v << ": " << (report.errors.empty() ? "" : report.errors.front());
        EXPECT_TRUE(report.checkDigitOk) << v;
        EXPECT_EQ(report.manufacturer, "BYD") << v;
        EXPECT_EQ(report.country, "China") << v;
        EXPECT_NE(std::find(report.modelYearCandidates.begin(), report.modelYearCandidates.end(), 2024),
                  report.modelYearCandidates.end())
            << v;
    }
}

TEST(DemoVin, DifferentSerialsGiveDifferentVins) {
    std::set<std::string> seen;
    for (std::uint64_t serial = 1; serial <= 500; ++serial)
        seen.insert(demo::makeVin("1HG", 2024, serial));
    EXPECT_EQ(seen.size(), 500u);
    EXPECT_EQ(demo::makeVin("1HG", 2024, 7), demo::makeVin("1HG", 2024, 7));
}

} // namespace
