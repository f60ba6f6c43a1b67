// HQ's network reports (sync/report_replica.hpp): how long the report copy takes to build from the
// events HQ holds, how long a run's catch-up takes once a day's events arrive, against the obvious
// alternative of rebuilding the copy on every run, and each report over the network's copy.
//
// The events are made here the way core/ writes them (the payloads of sync/protocol.hpp) for
// `--stores` showrooms and ingested into a SQLite HQ through Hq::ingest, network rules included.
// usage: hq_report_bench [--stores 10] [--deals-per-store 2000]; on PostgreSQL too when
// SHOWROOM_BENCH_POSTGRES or SHOWROOM_TEST_POSTGRES names one (tests/sync/with_postgres.sh does).

#include "showroom/core/analytics.hpp"
#include "showroom/core/clock.hpp"
#include "showroom/core/reports.hpp"
#include "showroom/sync/hq.hpp"
#include "showroom/sync/report_replica.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include <unistd.h>

namespace sy = showroom::sync;
namespace core = showroom::core;
using nlohmann::json;

namespace {

using Clock = std::chrono::steady_clock;
double secondsSince(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

[[noreturn]] void die(const std::string& what) {
    std::cerr << "hq_report_bench: " << what << "\n";
    std::exit(1);
}
template <class T> T must(core::Result<T> r, const char* what) {
    if (!r) die(std::string(what) + ": " + r.error().message);
    return std::move(*r);
}
void must(core::Status s, const char* what) {
    if (!s) die(std::string(what) + ": " + s.error().message);
}

std::string two(int n) {
    return (n < 10 ? "0" : "") + std::to_string(n);
}
/// Day `d` (0 = 2025-01-01) at `hour`, as stores write times.
std::string dayTime(int d, int hour) {
    return core::formatUtc(core::parseUtc("2025-01-01").value() + static_cast<std::int64_t>(d) * 86'400 + hour * 3600);
}

/// One showroom's outbox, written as core/ writes it: a car checked in, a customer, a lead through the
/// pipeline, a deal desked and signed, a follow-up; every fourth lead is lost instead.
class StoreWriter {
public:
    StoreWriter(std::string code, int index) : m_code(std::move(code)), m_index(index) {}

    void day(int d, int deals, std::vector<sy::Event>& out) {
        for (int i = 0; i < deals; ++i) {
            const int n = m_serial++;
            const std::string id = m_code + "-" + std::to_string(n);
            const std::string vin = vinOf(n);
            const bool lost = n % 4 == 3;
            const char* models[][2] = {{"Honda", "Civic"}, {"Honda", "CR-V"}, {"Toyota", "Corolla"}, {"Ford", "F-150"}};
            const auto& m = models[n % 4];
            emit(out, d, 8, "vehicle.checked_in", "veh-" + id,
                 {{"id", "veh-" + id},   {"vin", vin},           {"stock_no", "S" + std::to_string(n)},
                  {"condition", n % 3 ? "new" : "used"}, {"year", 2025}, {"make", m[0]}, {"model", m[1]},
                  {"price", "25000.00"}, {"cost", "21000.00"},   {"status", "in_stock"},
                  {"received_at", dayTime(d, 8)}, {"features", json::array()}});
            emit(out, d, 9, "customer.added", "cus-" + id,
                 {{"id", "cus-" + id}, {"first_name", "C" + std::to_string(n)}, {"last_name", m_code},
                  {"phone", "555" + std::to_string(1'000'000 + m_index * 100'000 + n)}, {"created_at", dayTime(d, 9)}});
            emit(out, d, 9, "lead.opened", "lead-" + id,
                 {{"id", "lead-" + id}, {"customer_id", "cus-" + id}, {"stage", "inquiry"}, {"source", "web"},
                  {"salesperson_id", "staff-" + m_code}, {"created_at", dayTime(d, 9)}});
            emit(out, d, 10, "follow_up.added", "fu-" + id,
                 {{"id", "fu-" + id}, {"lead_id", "lead-" + id}, {"due_at", dayTime(d + 3, 9)}, {"note", "call"},
                  {"created_at", dayTime(d, 10)}});
            if (lost) {
                emit(out, d, 11, "lead.moved", "lead-" + id, {{"from", "inquiry"}, {"to", "lost"}, {"lost_reason", "price"}});
                continue;
            }
            ++m_sold;
            emit(out, d, 11, "lead.moved", "lead-" + id, {{"from", "inquiry"}, {"to", "visit"}});
            emit(out, d, 12, "lead.moved", "lead-" + id, {{"from", "visit"}, {"to", "quote"}});
            emit(out, d, 13, "deal.created", "deal-" + id,
                 {{"id", "deal-" + id}, {"deal_no", "D-" + std::to_string(n)}, {"customer_id", "cus-" + id},
                  {"vehicle_id", "veh-" + id}, {"lead_id", "lead-" + id}, {"salesperson_id", "staff-" + m_code},
                  {"status", "draft"}, {"kind", "cash"}, {"price", "25000.00"}, {"discount", "500.00"},
                  {"backend_gross", "900.00"}, {"created_at", dayTime(d, 13)}});
            emit(out, d, 13, "vehicle.status_changed", "veh-" + id, {{"vin", vin}, {"from", "in_stock"}, {"to", "on_hold"}});
            emit(out, d, 14, "deal.signed", "deal-" + id, {{"deal_no", "D-" + std::to_string(n)}, {"from", "draft"}, {"to", "signed"}});
            emit(out, d, 14, "vehicle.status_changed", "veh-" + id, {{"vin", vin}, {"from", "on_hold"}, {"to", "sold"}});
            emit(out, d, 14, "lead.moved", "lead-" + id, {{"from", "quote"}, {"to", "contract"}});
        }
    }

    std::int64_t sold() const { return m_sold; }

private:
    std::string vinOf(int n) const {
        char vin[18];
        std::snprintf(vin, sizeof vin, "1BNCH%02d%010d", m_index, n);
        return vin;
    }
    void emit(std::vector<sy::Event>& out, int d, int hour, const char* type, const std::string& entityId,
              json payload) {
        sy::Event e;
        e.seq = ++m_seq;
        e.eventId = m_code + "-ev-" + std::to_string(e.seq);
        e.type = type;
        e.entity = std::string(type).substr(0, std::string(type).find('.'));
        e.entityId = entityId;
        e.payload = std::move(payload);
        e.createdAt = dayTime(d, hour);
        const long long ms = core::parseUtc(e.createdAt).value() * 1000 + static_cast<long long>(m_seq % 1000);
        char stamp[64];
        std::snprintf(stamp, sizeof stamp, "%013lld.%05d@%s", ms, 0, m_code.c_str());
        e.hlc = stamp;
        out.push_back(std::move(e));
    }

    std::string m_code;
    int m_index = 0, m_serial = 0;
    std::int64_t m_seq = 0, m_sold = 0;
};

void ingest(sy::Hq& hq, const sy::StoreInfo& store, const std::vector<sy::Event>& events) {
    for (std::size_t i = 0; i < events.size(); i += sy::kMaxBatchEvents) {
        const auto end = std::min(events.size(), i + sy::kMaxBatchEvents);
        const std::vector<sy::Event> batch(events.begin() + static_cast<std::ptrdiff_t>(i),
                                           events.begin() + static_cast<std::ptrdiff_t>(end));
        auto r = must(hq.ingest(store, batch), "ingest");
        if (!r.rejected.empty()) die("HQ rejected " + r.rejected.front().eventId + ": " + r.rejected.front().reason);
    }
}

double timed(const std::function<void()>& work) {
    const auto t0 = Clock::now();
    work();
    return secondsSince(t0);
}


/// Every figure for one HQ database, from empty.
void runOn(const std::string& url, const std::string& label, int stores, int dealsPerStore,
           const std::filesystem::path& dir) {
    sy::Hq hq(must(sy::openHqStorage(url), "open HQ"));
    must(hq.migrate(), "migrate HQ");

    // A year and a half of history: one day in three, spread so each store sells dealsPerStore cars.
    constexpr int kDays = 540;
    const int perDay = std::max(1, dealsPerStore / (kDays / 3));
    std::vector<StoreWriter> writers;
    std::vector<sy::StoreInfo> infos;
    std::int64_t events = 0;
    const auto t0 = Clock::now();
    for (int s = 0; s < stores; ++s) {
        const std::string code = "S" + two(s);
        must(hq.addStore(code, "Showroom " + code), "enrol");
        writers.emplace_back(code, s);
    }
    for (const auto& s : must(hq.stores(), "stores"))
        infos.push_back(s);
    for (int s = 0; s < stores; ++s) {
        std::vector<sy::Event> out;
        for (int d = 0; d < kDays; d += 3)
            writers[static_cast<std::size_t>(s)].day(d, perDay, out);
        events += static_cast<std::int64_t>(out.size());
        ingest(hq, infos[static_cast<std::size_t>(s)], out);
    }
    std::printf("HQ on %s: %d showrooms, %lld events ingested in %.1f s\n\n", label.c_str(), stores,
                static_cast<long long>(events), secondsSince(t0));

    const std::string copyPath = (dir / ("reports-" + label + ".db")).string();
    sy::CatchUp first;
    auto copy = must(sy::ReportReplica::open(copyPath), "open copy");
    const double build = timed([&] { first = must(copy.catchUp(hq), "catch up"); });
    std::printf("%-52s %8.2f s  (%lld events, %.0f events/s, %lld skipped)\n", "build the copy from every event", build,
                static_cast<long long>(first.read), static_cast<double>(first.read) / build,
                static_cast<long long>(first.skipped));

    // A busy day at every showroom arrives; the next report run catches up.
    std::int64_t dayEvents = 0;
    for (int s = 0; s < stores; ++s) {
        std::vector<sy::Event> out;
        writers[static_cast<std::size_t>(s)].day(kDays, perDay * 3, out);
        dayEvents += static_cast<std::int64_t>(out.size());
        ingest(hq, infos[static_cast<std::size_t>(s)], out);
    }
    sy::CatchUp next;
    const double incremental = timed([&] { next = must(copy.catchUp(hq), "catch up"); });
    std::printf("%-52s %8.3f s  (%lld events)\n", "a run's catch-up after a day's events", incremental,
                static_cast<long long>(next.read));
    const double nothing = timed([&] { must(copy.catchUp(hq), "catch up"); });
    std::printf("%-52s %8.3f s\n", "a run's catch-up with nothing new", nothing);
    const std::string freshPath = (dir / ("fresh-" + label + ".db")).string();
    const double rebuild = timed([&] {
        auto fresh = must(sy::ReportReplica::open(freshPath), "open fresh copy");
        must(fresh.catchUp(hq), "rebuild");
    });
    std::printf("%-52s %8.2f s  (%.0fx the catch-up)\n\n", "alternative: rebuild the copy on every run", rebuild,
                rebuild / std::max(incremental, 1e-6));

    // The reports over the network's copy.
    auto& db = copy.db();
    const core::reports::Period year{"2025-06-01", "2026-06-01"};
    const std::string asOf = "2026-06-25T00:00:00Z";
    struct Report {
        const char* name;
        std::function<void()> run;
    };
    const std::vector<Report> reports = {
        {"sales, 12 months by month", [&] { must(core::reports::sales(db, year), "sales"); }},
        {"funnel, 12 months", [&] { must(core::reports::funnel(db, year), "funnel"); }},
        {"aging", [&] { must(core::reports::aging(db, asOf), "aging"); }},
        {"follow-ups", [&] { must(core::reports::followUps(db, asOf), "follow-ups"); }},
        {"rfm", [&] { must(core::analytics::rfm(db, asOf), "rfm"); }},
        {"forecast", [&] { must(core::analytics::forecastSales(db, asOf), "forecast"); }},
    };
    std::printf("%-52s %10s %10s\n", "report over every showroom (3 runs)", "best ms", "worst ms");
    for (const auto& r : reports) {
        double best = 1e9, worst = 0;
        for (int i = 0; i < 3; ++i) {
            const double t = timed(r.run) * 1000;
            best = std::min(best, t);
            worst = std::max(worst, t);
        }
        std::printf("%-52s %10.1f %10.1f\n", r.name, best, worst);
    }
    std::int64_t written = 0;
    for (const auto& w : writers)
        written += w.sold();
    const auto units = must(core::reports::sales(db, {"2025-01-01", "2027-01-01"}), "sales").total.units;
    std::printf("\ncheck: %lld cars sold in the copy, %lld written\n\n", static_cast<long long>(units),
                static_cast<long long>(written));
    if (units != written) die("the copy lost sales");
}

} // namespace

int main(int argc, char** argv) {
    int stores = 10, dealsPerStore = 2000;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--stores") stores = std::atoi(argv[i + 1]);
        else if (flag == "--deals-per-store") dealsPerStore = std::atoi(argv[i + 1]);
        else die("unknown flag " + flag);
    }
    const auto dir = std::filesystem::temp_directory_path() / ("hq_report_bench." + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    runOn("sqlite:" + (dir / "hq.db").string(), "SQLite", stores, dealsPerStore, dir);
    // PostgreSQL when one is given (tests/sync/with_postgres.sh starts one): its schema is emptied first.
    for (const char* name : {"SHOWROOM_BENCH_POSTGRES", "SHOWROOM_TEST_POSTGRES"}) {
        const char* url = std::getenv(name);
        if (!url || !*url) continue;
        auto storage = must(sy::openHqStorage(url), "open PostgreSQL");
        for (const char* sql : {"DROP SCHEMA public CASCADE", "CREATE SCHEMA public"})
            must(storage->query(sql), "empty PostgreSQL");
        runOn(url, "PostgreSQL", stores, dealsPerStore, dir);
        break;
    }
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    return 0;
}
