// Network stock at dealer-group scale: the kiosk's "available at another showroom" search, typed on
// every keystroke, with our query (core::searchNetworkStock over the columns migration 0005
// generates from each row's JSON when the sync client writes it) against the obvious alternative it
// replaced, re-reading every field from every row's JSON on each search, side by side in one run on
// the same database. Also what the generated columns cost the sync client: the time to write the
// rows with its upsert, against the same rows into a plain table of the 0004 shape.
//
// The store is the demo's (400 vehicles of its own); the network is 200 vehicles per other showroom
// (2,000 = 10 showrooms, 20,000 = 100), as HQ's "vehicle" changes carry them (sync/protocol.hpp):
// 70% in stock, the rest sold, on hold or incoming, one in 200 rows not JSON at all.
//
// usage: network_stock_bench [REPEATS=200] [VEHICLES...=2000 20000]
// Prints figures; asserts nothing. Build with the release preset (`make bench`).
#include "showroom/core/demo.hpp"
#include "showroom/core/demo_catalog.hpp"
#include "showroom/core/json.hpp"
#include "showroom/core/network_stock.hpp"
#include "showroom/core/store.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace core = showroom::core;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kPerShowroom = 200;
constexpr double kTargetMs = 50.0; // a keystroke's search must stay interactive

double msSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

struct Stats {
    double median, p99, max;
};

Stats stats(std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    auto at = [&](double q) {
        return samples[std::min(samples.size() - 1, static_cast<std::size_t>(q * samples.size()))];
    };
    return {at(0.5), at(0.99), samples.back()};
}

// The sync client's statement for a "vehicle" change (sync/src/client.cpp, applyVehicle).
constexpr const char* kUpsert = "INSERT INTO %s(store_code, vin, data, hq_seq) VALUES (?, ?, ?, ?) "
                                "ON CONFLICT(store_code, vin) DO UPDATE SET data = json_patch(%s.data, excluded.data), "
                                "hq_seq = excluded.hq_seq WHERE excluded.hq_seq > %s.hq_seq";

struct Row {
    std::string store, vin, data;
};

std::vector<Row> makeNetwork(int vehicles) {
    std::mt19937_64 rng(2026);
    auto pick = [&](auto span) { return span[rng() % span.size()]; };
    const auto models = core::demo::models();
    std::vector<Row> rows;
    rows.reserve(static_cast<std::size_t>(vehicles));
    for (int i = 0; i < vehicles; ++i) {
        const int showroom = i / kPerShowroom;
        char code[16];
        std::snprintf(code, sizeof code, "S%02d", showroom);
        const auto& m = models[rng() % models.size()];
        const auto& t = m.trims[rng() % m.trims.size()];
        core::Vehicle v;
        v.year = std::max(m.firstYear, 2014 + static_cast<int>(rng() % 13));
        v.vin = core::demo::makeVin(m.wmi, v.year, 100'000 + static_cast<std::uint64_t>(i));
        v.id = "hq-" + v.vin;
        v.storeId = std::string("store-") + code;
        v.stockNo = std::string(code) + "-" + std::to_string(1000 + i % kPerShowroom);
        v.condition = v.year >= 2026 ? core::Condition::New : core::Condition::Used;
        v.make = m.make;
        v.model = m.model;
        v.trim = t.name;
        v.body = m.body;
        v.fuel = m.fuel;
        v.drivetrain = t.drivetrain;
        v.transmission = t.transmission;
        v.exteriorColor = pick(core::demo::exteriorColors());
        v.interiorColor = pick(core::demo::interiorColors());
        v.odometer = v.condition == core::Condition::New ? static_cast<std::int64_t>(rng() % 20)
                                                         : static_cast<std::int64_t>(rng() % 120'000);
        v.msrp = t.msrpCents;
        v.price = t.msrpCents * static_cast<core::Cents>(60 + rng() % 45) / 100;
        for (int k = 0; k < 5; ++k)
            v.features.emplace_back(pick(core::demo::features()));
        v.photos = {v.vin + "-1.jpg", v.vin + "-2.jpg"};
        const auto roll = rng() % 100;
        v.status = roll < 70   ? core::VehicleStatus::InStock
                   : roll < 85 ? core::VehicleStatus::Sold
                   : roll < 95 ? core::VehicleStatus::OnHold
                               : core::VehicleStatus::Incoming;
        v.receivedAt = v.statusChangedAt = v.createdAt = v.updatedAt = "2026-10-01T09:00:00Z";
        nlohmann::json data = v;
        data.erase("cost"); // HQ never sends another showroom's cost
        data["store_code"] = code;
        data["store_name"] = "Riverside Motors Branch " + std::to_string(showroom);
        std::string text = data.dump();
        if (i % 200 == 199) text.resize(text.size() / 2); // a row HQ sent broken
        rows.push_back({code, v.vin, std::move(text)});
    }
    return rows;
}

// Writes the rows with the sync client's upsert in one transaction (a pull batch); milliseconds.
double fill(core::db::Connection& db, const char* table, const std::vector<Row>& rows) {
    char sql[512];
    std::snprintf(sql, sizeof sql, kUpsert, table, table, table);
    const auto start = Clock::now();
    auto tx = core::db::Transaction::begin(db).value();
    auto stmt = db.prepare(sql).value();
    std::int64_t seq = 1000;
    for (const auto& r : rows) {
        stmt.reset();
        if (auto st = stmt.bindAll(r.store, r.vin, r.data, ++seq).run(); !st) {
            std::fprintf(stderr, "insert failed: %s\n", st.error().message.c_str());
            std::exit(1);
        }
    }
    (void)tx.commit();
    return msSince(start);
}

// ---- The obvious alternative, kept here only to be measured ------------------------------------
// The query network_stock.cpp ran before migration 0005's generated columns: every field of every
// row read with json_type/json_extract on each search, the latest row per VIN picked by a window
// over the whole table. Same filters, same order, same page and total.
constexpr std::string_view kOldOffered = R"SQL(
WITH latest AS (
    SELECT store_code, vin, data FROM (
        SELECT store_code, vin, data,
               row_number() OVER (PARTITION BY vin ORDER BY hq_seq DESC, store_code) AS rn
        FROM network_vehicles)
    WHERE rn = 1
), parsed AS (
    SELECT store_code, vin,
           CASE WHEN typeof(data) = 'text' AND json_valid(data)
                THEN CASE WHEN json_type(data) = 'object' THEN data END END AS j
    FROM latest
), fields AS (
    SELECT store_code, vin,
           CASE WHEN json_type(j, '$.store_name') = 'text' THEN json_extract(j, '$.store_name') END AS store_name,
           CASE WHEN json_type(j, '$.year') = 'integer' THEN json_extract(j, '$.year') END AS year,
           CASE WHEN json_type(j, '$.make') = 'text' THEN json_extract(j, '$.make') END AS make,
           CASE WHEN json_type(j, '$.model') = 'text' THEN json_extract(j, '$.model') END AS model,
           CASE WHEN json_type(j, '$.trim') = 'text' THEN json_extract(j, '$.trim') ELSE '' END AS trim,
           CASE WHEN json_type(j, '$.body') = 'text' THEN json_extract(j, '$.body') ELSE '' END AS body,
           CASE WHEN json_type(j, '$.fuel') = 'text' THEN json_extract(j, '$.fuel') ELSE '' END AS fuel,
           CASE WHEN json_type(j, '$.condition') = 'text' THEN json_extract(j, '$.condition') END AS condition,
           CASE WHEN json_type(j, '$.odometer') = 'integer' THEN json_extract(j, '$.odometer') END AS odometer,
           CASE WHEN json_type(j, '$.exterior_color') = 'text' THEN json_extract(j, '$.exterior_color') ELSE '' END
               AS color,
           CASE WHEN json_type(j, '$.status') = 'text' THEN json_extract(j, '$.status') END AS status,
           CASE WHEN json_type(j, '$.photos') = 'array' THEN json_extract(j, '$.photos') END AS photos,
           json_type(j, '$.price') AS price_type,
           json_extract(j, '$.price') AS price_raw
    FROM parsed
    WHERE j IS NOT NULL
), offered AS (
    SELECT store_code, vin,
           coalesce(nullif(store_name, ''), (SELECT s.name FROM stores s WHERE s.code = fields.store_code), store_code)
               AS store_name,
           year, make, model, trim, body, fuel, condition, odometer, color, photos,
           CASE WHEN price_type IN ('integer', 'real') THEN CAST(round(price_raw * 100) AS INTEGER)
                WHEN price_type = 'text' AND price_raw GLOB '[0-9]*' AND price_raw NOT GLOB '*[^0-9.]*'
                     AND price_raw NOT GLOB '*.*.*' AND length(price_raw) <= 16
                THEN CAST(round(CAST(price_raw AS REAL) * 100) AS INTEGER) END AS price
    FROM fields
    WHERE status = 'in_stock' AND year IS NOT NULL AND make <> '' AND model <> ''
      AND condition IN ('new', 'used', 'certified') AND odometer >= 0
      AND store_code IS NOT (SELECT s.code FROM stores s JOIN settings t ON t.value = s.id
                             WHERE t.key = 'local_store_id')
      AND vin NOT IN (SELECT v.vin FROM vehicles v JOIN settings t ON t.key = 'local_store_id' AND t.value = v.store_id
                      WHERE v.status IN ('incoming', 'in_stock', 'on_hold'))
)
)SQL";

// The old search for the parts of a query the cases use (text words, bodies, a VIN): VINs of the
// page and the total.
struct OldPage {
    std::vector<std::string> vins;
    std::int64_t total = 0;
};

OldPage oldSearch(core::db::Connection& db, const core::NetworkStockQuery& q, const std::string& vin = {}) {
    std::string where = "price IS NOT NULL";
    std::vector<std::string> binds;
    std::string word;
    for (char c : q.text + " ") {
        if (c != ' ') {
            word += c;
            continue;
        }
        if (word.empty()) continue;
        where += " AND instr(showroom_fold(make || ' ' || model || ' ' || trim || ' ' || body || ' ' || fuel || ' ' || "
                 "color || ' ' || year), showroom_fold(?)) > 0";
        binds.push_back(word);
        word.clear();
    }
    for (std::size_t i = 0; i < q.bodies.size(); ++i) {
        where += i ? ",?" : " AND body IN (?";
        binds.push_back(q.bodies[i]);
    }
    if (!q.bodies.empty()) where += ")";
    if (!vin.empty()) {
        where += " AND vin = ?";
        binds.push_back(vin);
    }
    auto stmt = db.prepare(std::string(kOldOffered) +
                           "SELECT store_code, store_name, vin, year, make, model, trim, body, fuel, condition, "
                           "odometer, color, price, photos, count(*) OVER () FROM offered WHERE " +
                           where + " ORDER BY price, vin LIMIT ?")
                    .value();
    int i = 0;
    for (const auto& b : binds)
        stmt.bind(++i, b);
    stmt.bind(++i, std::int64_t{vin.empty() ? q.limit : 1});
    OldPage page;
    while (stmt.step().value()) {
        page.vins.push_back(stmt.getText(2));
        for (int c : {0, 1, 4, 5, 6, 7, 8, 9, 11, 13})
            (void)stmt.getOptionalText(c); // as readRow does
        page.total = stmt.getInt(14);
    }
    return page;
}
// -------------------------------------------------------------------------------------------------

struct Case {
    const char* label;
    core::NetworkStockQuery query;
    std::string vin; ///< set: findNetworkVehicle instead of a search
};

struct Outcome {
    std::vector<std::string> vins;
    std::int64_t total = 0;
};

Outcome ours(core::db::Connection& db, const Case& c) {
    Outcome out;
    if (!c.vin.empty()) {
        auto found = core::findNetworkVehicle(db, c.vin).value();
        if (found) out.vins.push_back(found->vin);
        out.total = found ? 1 : 0;
        return out;
    }
    const auto page = core::searchNetworkStock(db, c.query).value();
    for (const auto& v : page.vehicles)
        out.vins.push_back(v.vin);
    out.total = page.total;
    return out;
}

Outcome old(core::db::Connection& db, const Case& c) {
    const auto page = oldSearch(db, c.query, c.vin);
    return {page.vins, c.vin.empty() ? page.total : static_cast<std::int64_t>(page.vins.size())};
}

void run(int vehicles, int repeats, const std::filesystem::path& dir) {
    const std::string path = (dir / ("network-" + std::to_string(vehicles) + ".db")).string();
    auto conn = core::openStore(path).value();
    (void)core::demo::seed(conn, {400, 7, core::parseUtc("2026-11-01").value()}).value();

    const auto rows = makeNetwork(vehicles);
    const double ourFill = fill(conn, "network_vehicles", rows);
    (void)conn.exec("CREATE TABLE network_vehicles_plain (store_code TEXT NOT NULL, vin TEXT NOT NULL, "
                    "data TEXT NOT NULL, hq_seq INTEGER NOT NULL, PRIMARY KEY (store_code, vin))");
    const double plainFill = fill(conn, "network_vehicles_plain", rows);
    (void)conn.exec("DROP TABLE network_vehicles_plain");
    std::printf("\n%d network vehicles at %d other showrooms (+ the demo's 9), in a store of 400 vehicles\n", vehicles,
                vehicles / kPerShowroom);
    std::printf("write, the sync client's upsert, one transaction: generated columns %.0f ms (%.0f rows/s), "
                "plain JSON table %.0f ms (%.0f rows/s)\n",
                ourFill, 1000.0 * vehicles / ourFill, plainFill, 1000.0 * vehicles / plainFill);

    std::vector<Case> cases;
    auto add = [&](const char* label, std::string text, std::vector<std::string> bodies) {
        core::NetworkStockQuery q;
        q.text = std::move(text);
        q.bodies = std::move(bodies);
        cases.push_back({label, q, {}});
    };
    add("browse: body suv, no text", "", {"suv"});
    add("text: rav", "rav", {});
    add("two words: toyota hybrid", "toyota hybrid", {});
    add("no match: xj220 (worst case)", "xj220", {});
    // A VIN in stock somewhere (the detail screen): the first in-stock row of the middle showroom.
    for (std::size_t i = rows.size() / 2; i < rows.size(); ++i)
        if (rows[i].data.find("\"status\":\"in_stock\"") != std::string::npos) {
            cases.push_back({"one VIN (findNetworkVehicle)", {}, rows[i].vin});
            break;
        }

    const int oldRepeats = std::max(5, repeats / 10);
    std::printf("search, a page of 12 cheapest first plus the total count; ours %d runs, JSON per row %d runs (ms)\n",
                repeats, oldRepeats);
    std::printf("%-30s %7s %5s | %8s %8s %8s | %9s %9s %9s | %6s\n", "query", "matches", "same", "ours p50", "ours p99",
                "ours max", "JSON p50", "JSON p99", "JSON max", "p99 x");
    std::vector<double> allOurs;
    for (const auto& c : cases) {
        std::vector<double> o, j;
        Outcome a, b;
        for (int i = 0; i < repeats; ++i) {
            const auto t0 = Clock::now();
            a = ours(conn, c);
            o.push_back(msSince(t0));
        }
        for (int i = 0; i < oldRepeats; ++i) {
            const auto t0 = Clock::now();
            b = old(conn, c);
            j.push_back(msSince(t0));
        }
        allOurs.insert(allOurs.end(), o.begin(), o.end());
        const bool same = a.vins == b.vins && a.total == b.total;
        const Stats so = stats(o), sj = stats(j);
        std::printf("%-30s %7lld %5s | %8.2f %8.2f %8.2f | %9.1f %9.1f %9.1f | %5.0fx\n", c.label,
                    static_cast<long long>(a.total), same ? "yes" : "NO", so.median, so.p99, so.max, sj.median, sj.p99,
                    sj.max, sj.p99 / so.p99);
    }
    const Stats all = stats(allOurs);
    std::printf("ours over the mix: p50 %.2f ms, p99 %.2f ms (target: p99 well under %.0f ms)\n", all.median, all.p99,
                kTargetMs);
}

} // namespace

int main(int argc, char** argv) {
    const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 200;
    std::vector<int> sizes;
    for (int i = 2; i < argc; ++i)
        sizes.push_back(std::atoi(argv[i]));
    if (sizes.empty()) sizes = {2'000, 20'000};
    const auto dir = std::filesystem::temp_directory_path() / "showroom-network-bench";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    for (int vehicles : sizes)
        run(vehicles, repeats, dir);
    std::filesystem::remove_all(dir);
    return 0;
}
