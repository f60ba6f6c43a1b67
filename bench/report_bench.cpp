// Report generation at dealer-group scale: a store database with 100,000 vehicles (60,000 of them
// sold), 200,000 customers and 1,000,000 leads and lead-stage rows, generated in SQL; then each
// report of core/reports.hpp and core/analytics.hpp, timed (best and worst of a few runs). Beside
// the sales report, the obvious alternative: the same monthly units and gross as one SQL GROUP BY.
// Target (issue #7): every report under 1 s.
//
// usage: report_bench [RUNS]   (default 3)

#include "showroom/core/analytics.hpp"
#include "showroom/core/clock.hpp"
#include "showroom/core/db.hpp"
#include "showroom/core/inventory.hpp"
#include "showroom/core/reports.hpp"
#include "showroom/core/store.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace core = showroom::core;
namespace reports = showroom::core::reports;
namespace analytics = showroom::core::analytics;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kVehicles = 100'000;
constexpr int kCustomers = 200'000;
constexpr int kLeads = 400'000;
constexpr int kHistoryLeads = 300'000; // two stage rows each: 600,000 rows, 1,000,000 with the leads
constexpr const char* kAsOf = "2026-12-01T09:00:00Z";

// The dataset, in SQL: two years of stock received evenly, 6 in 10 sold a few weeks after arriving,
// leads spread over the same two years at every stage.
constexpr const char* kFill[] = {
    "INSERT INTO staff(id, store_id, name, role, created_at) "
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 19) "
    "SELECT 's' || i, (SELECT id FROM stores LIMIT 1), 'Salesperson ' || i, 'sales', '2024-01-01T00:00:00Z' FROM n",

    "INSERT INTO customers(id, store_id, first_name, last_name, phone, phone_key, created_at, updated_at) "
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 199999) "
    "SELECT 'c' || i, (SELECT id FROM stores LIMIT 1), 'First' || i, 'Last' || (i % 5000), '555' || i, '555' || i, "
    "'2024-12-01T00:00:00Z', '2024-12-01T00:00:00Z' FROM n",

    "INSERT INTO vehicles(id, store_id, vin, stock_no, condition, year, make, model, price_cents, cost_cents, status, "
    "received_at, status_changed_at, created_at, updated_at) "
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 99999), "
    "v(i, received) AS (SELECT i, strftime('%Y-%m-%dT%H:%M:%SZ', '2024-12-01', '+' || (i * 730 / 100000) || ' days') "
    "FROM n) "
    "SELECT 'v' || i, (SELECT id FROM stores LIMIT 1), printf('BENCH%012d', i), 'S' || i, "
    "CASE WHEN i % 3 = 0 THEN 'used' ELSE 'new' END, 2020 + i % 7, "
    "CASE i % 10 WHEN 0 THEN 'Toyota' WHEN 1 THEN 'Honda' WHEN 2 THEN 'Ford' WHEN 3 THEN 'Tesla' WHEN 4 THEN 'BMW' "
    "WHEN 5 THEN 'Kia' WHEN 6 THEN 'Mazda' WHEN 7 THEN 'Subaru' WHEN 8 THEN 'Audi' ELSE 'Lexus' END, "
    "'Model ' || (i % 7), 2200000 + (i % 1000) * 1000, 2000000 + (i % 1000) * 1000, "
    "CASE WHEN i % 10 < 6 THEN 'delivered' WHEN i % 10 = 9 THEN 'on_hold' ELSE 'in_stock' END, "
    "received, received, received, received FROM v",

    "INSERT INTO deals(id, deal_no, store_id, customer_id, vehicle_id, salesperson_id, status, kind, price_cents, "
    "discount_cents, backend_gross_cents, created_at, signed_at, delivered_at) "
    "SELECT 'd' || local_id, 'D' || local_id, store_id, 'c' || (local_id % 200000), id, 's' || (local_id % 20), "
    "'delivered', CASE WHEN local_id % 2 = 0 THEN 'finance' ELSE 'cash' END, price_cents, (local_id % 5) * 10000, "
    "(local_id % 3) * 50000, received_at, "
    "strftime('%Y-%m-%dT%H:%M:%SZ', received_at, '+' || (local_id % 45) || ' days'), "
    "strftime('%Y-%m-%dT%H:%M:%SZ', received_at, '+' || (local_id % 45 + 3) || ' days') "
    "FROM vehicles WHERE status = 'delivered'",

    "INSERT INTO leads(id, store_id, customer_id, salesperson_id, stage, source, lost_reason, stage_changed_at, "
    "created_at, updated_at) "
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 399999), "
    "l(i, at) AS (SELECT i, strftime('%Y-%m-%dT%H:%M:%SZ', '2024-12-01', '+' || (i * 730 / 400000) || ' days') FROM n) "
    "SELECT 'l' || i, (SELECT id FROM stores LIMIT 1), 'c' || (i % 200000), 's' || (i % 20), "
    "CASE i % 8 WHEN 0 THEN 'inquiry' WHEN 1 THEN 'visit' WHEN 2 THEN 'test_drive' WHEN 3 THEN 'quote' "
    "WHEN 4 THEN 'contract' WHEN 5 THEN 'delivered' WHEN 6 THEN 'follow_up' ELSE 'lost' END, "
    "CASE i % 4 WHEN 0 THEN 'walk_in' WHEN 1 THEN 'web' WHEN 2 THEN 'phone' ELSE 'kiosk' END, "
    "CASE WHEN i % 8 = 7 THEN 'Bought elsewhere' END, at, at, at FROM l",

    "INSERT INTO lead_stage_history(lead_id, from_stage, to_stage, at) "
    "SELECT id, NULL, 'inquiry', created_at FROM leads WHERE CAST(substr(id, 2) AS INTEGER) < 300000",
    "INSERT INTO lead_stage_history(lead_id, from_stage, to_stage, at) "
    "SELECT id, 'inquiry', CASE WHEN stage = 'inquiry' THEN 'visit' ELSE stage END, "
    "strftime('%Y-%m-%dT%H:%M:%SZ', created_at, '+' || (CAST(substr(id, 2) AS INTEGER) % 20) || ' days') "
    "FROM leads WHERE CAST(substr(id, 2) AS INTEGER) < 300000",

    "INSERT INTO follow_ups(id, lead_id, assigned_to, due_at, created_at) "
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 49999) "
    "SELECT 'f' || i, 'l' || (i * 8), 's' || (i % 20), "
    "strftime('%Y-%m-%dT%H:%M:%SZ', '2026-11-01', '+' || (i % 45) || ' days'), '2026-10-01T00:00:00Z' FROM n",

    "INSERT INTO test_drives(id, lead_id, customer_id, vehicle_id, out_at, in_at, odometer_out, odometer_in, "
    "created_at) "
    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 49999) "
    "SELECT 't' || i, 'l' || i, 'c' || (i % 200000), 'v' || (i * 2), "
    "strftime('%Y-%m-%dT%H:%M:%SZ', '2025-01-01', '+' || (i % 600) || ' days'), NULL, 10, NULL, "
    "'2025-01-01T00:00:00Z' FROM n",
};

double ms(Clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

struct Timing {
    double best = 1e300, worst = 0;
};

/// Runs `work` `runs` times; the best and worst wall time. Stops the program if it fails.
Timing time(int runs, const std::function<bool()>& work) {
    Timing t;
    for (int r = 0; r < runs; ++r) {
        const auto start = Clock::now();
        if (!work()) std::exit(1);
        const double took = ms(Clock::now() - start);
        t.best = std::min(t.best, took);
        t.worst = std::max(t.worst, took);
    }
    return t;
}

template <class R> bool ok(const R& result, const char* what) {
    if (result) return true;
    std::fprintf(stderr, "%s: %s\n", what, result.error().message.c_str());
    return false;
}

/// One row of the table. Call it after the timing has run: the result text is read from what the run left.
void line(const char* what, const Timing& t, const std::string& size) {
    std::printf("   %-44s %9.1f %9.1f   %-4s  %s\n", what, t.best, t.worst, t.worst < 1000 ? "ok" : "SLOW",
                size.c_str());
}

} // namespace

int main(int argc, char** argv) {
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // each figure as soon as it is measured
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / "showroom-report-bench";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "store.db").string();

    auto db = core::openStore(path);
    if (!ok(db, "open the store")) return 1;
    core::ManualClock clock(core::parseUtc(kAsOf).value());
    core::IdGenerator ids(7);
    core::Context ctx{*db, clock, ids, "bench"};
    if (!ok(core::ensureLocalStore(ctx, "BEN", "Bench Showroom", "Springfield"), "set up the store")) return 1;

    std::printf("Reports at scale: %d vehicles, %d customers, %d leads + %d stage rows (run %d times)\n", kVehicles,
                kCustomers, kLeads, 2 * kHistoryLeads, runs);
    const auto filling = Clock::now();
    {
        auto tx = core::db::Transaction::begin(*db);
        if (!ok(tx, "begin")) return 1;
        for (const char* sql : kFill)
            if (auto st = db->exec(sql); !ok(st, sql)) return 1;
        if (!ok(tx->commit(), "commit")) return 1;
    }
    if (!ok(db->exec("ANALYZE"), "analyze")) return 1;
    std::printf("   dataset generated in %.1f s\n\n", ms(Clock::now() - filling) / 1000);

    const reports::Period year{"2025-12-01", "2026-12-01"};
    const reports::Period month{"2026-11-01", "2026-12-01"};
    std::printf("   %-44s %9s %9s   %s\n", "report", "best ms", "worst ms", "     result");

    std::int64_t units = 0;
    const Timing salesTime = time(runs, [&] {
        auto r = reports::sales(*db, year, reports::Granularity::Month);
        if (r) units = r->total.units;
        return ok(r, "sales");
    });
    line("sales, 12 months by month", salesTime, std::to_string(units) + " units");
    std::int64_t sqlUnits = 0;
    const Timing groupByTime = time(runs, [&] {
        auto stmt = db->prepare(
            "SELECT substr(d.signed_at, 1, 7), count(*), "
            "sum(d.price_cents - d.discount_cents - v.cost_cents - v.recon_cents), sum(d.backend_gross_cents) "
            "FROM deals d JOIN vehicles v ON v.id = d.vehicle_id WHERE d.status IN ('signed', 'delivered') "
            "AND d.signed_at >= ? AND d.signed_at < ? GROUP BY 1 ORDER BY 1");
        if (!ok(stmt, "group by")) return false;
        stmt->bindAll(year.from + "T00:00:00Z", year.to + "T00:00:00Z");
        sqlUnits = 0;
        for (;;) {
            auto row = stmt->step();
            if (!ok(row, "group by")) return false;
            if (!*row) return true;
            sqlUnits += stmt->getInt(1);
        }
    });
    line("  alternative: one SQL GROUP BY month", groupByTime,
         std::to_string(sqlUnits) + " units (by month only: no salesperson, model or new/used split)");
    line("sales, one month by day",
         time(runs, [&] { return ok(reports::sales(*db, month, reports::Granularity::Day), "sales"); }), "");
    line("funnel, 12 months", time(runs, [&] { return ok(reports::funnel(*db, year), "funnel"); }), "");
    line("inventory aging", time(runs, [&] { return ok(reports::aging(*db, kAsOf), "aging"); }), "");
    line("turn rate, 12 months", time(runs, [&] { return ok(reports::turnRate(*db, year), "turn rate"); }), "");
    line("follow-ups due", time(runs, [&] { return ok(reports::followUps(*db, kAsOf), "follow-ups"); }), "");
    std::size_t customers = 0;
    const Timing rfmTime = time(runs, [&] {
        auto r = analytics::rfm(*db, kAsOf);
        if (r) customers = static_cast<std::size_t>(r->customers);
        return ok(r, "rfm");
    });
    line("RFM segments", rfmTime, std::to_string(customers) + " customers scored");
    std::size_t series = 0;
    const Timing forecastTime = time(runs, [&] {
        auto r = analytics::forecastSales(*db, kAsOf, 3);
        if (r) series = r->byModel.size() + 1;
        return ok(r, "forecast");
    });
    line("forecast, total and per make/model, 3 months", forecastTime, std::to_string(series) + " series");
    if (!std::getenv("SHOWROOM_BENCH_KEEP")) std::filesystem::remove_all(dir); // kept for a look with sqlite3
    return 0;
}
