// Sync with headquarters, side by side on HQ's two storage backends in one run:
//  a) one store draining a backlog (default 10,000 events) with the real SyncClient into an
//     in-process HqServer on 127.0.0.1 (plain HTTP): seconds and events/s, against the issue's
//     target of under 5 s;
//  b) HQ under 100 simulated stores at once, each enrolled with its own token and pushing its
//     batches over its own HTTP client: total events/s and per-batch latency (p50, p99), once with
//     the usual mix of events and once without vehicle events (those take HQ's change lock, which
//     makes every batch that writes network stock commit one after another).
//
// PostgreSQL is measured when SHOWROOM_BENCH_POSTGRES (or SHOWROOM_TEST_POSTGRES, which
// tests/sync/with_postgres.sh sets) names a database; HQ's tables there are dropped before each run.
//
// usage: sync_bench [BACKLOG=10000] [STORES=100] [BATCHES=10] [BATCH_EVENTS=100] [HQ_THREADS=16]
// Prints figures; asserts nothing. Build with the release preset (`make bench`).
#include "showroom/core/clock.hpp"
#include "showroom/core/db.hpp"
#include "showroom/core/inventory.hpp"
#include "showroom/core/journal.hpp"
#include "showroom/core/store.hpp"
#include "showroom/sync/client.hpp"
#include "showroom/sync/hq.hpp"
#include "showroom/sync/hq_server.hpp"
#include "showroom/sync/protocol.hpp"

#include "temp_dir.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <latch>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace core = showroom::core;
namespace sy = showroom::sync; // `sync` would collide with POSIX sync()
using Clock = std::chrono::steady_clock;

namespace {

constexpr double kBacklogTargetSeconds = 5.0;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

const char* postgresUrl() {
    for (const char* name : {"SHOWROOM_BENCH_POSTGRES", "SHOWROOM_TEST_POSTGRES"})
        if (const char* url = std::getenv(name); url && *url) return url;
    return nullptr;
}

/// An event type of the usual mix: a fifth of them are vehicle events (network stock).
const char* mixedType(int i) {
    static constexpr const char* kTypes[] = {
        "lead.opened",        "customer.created",    "deal.created",      "deal.signed",     "payment.received",
        "vehicle.checked_in", "follow_up.scheduled", "test_drive.booked", "vehicle.updated", "lead.updated"};
    return kTypes[i % 10];
}

/// The same mix without vehicle events.
const char* noVehicleType(int i) {
    static constexpr const char* kTypes[] = {"lead.opened", "customer.created", "deal.created", "deal.signed",
                                             "payment.received"};
    return kTypes[i % 5];
}

nlohmann::json payloadFor(int i) {
    return {{"n", i},
            {"vin", "1HGCM82633A" + std::to_string(100000 + i % 900000)},
            {"amount", "500.00"},
            {"note", "benchmark event with a payload of a realistic size for a showroom"}};
}

struct Backend {
    std::string label;
    std::string url; ///< "" for SQLite: a fresh file per run
};

/// A fresh, empty HQ database for one run: a new SQLite file, or PostgreSQL with its schema emptied.
std::optional<std::string> freshHq(const Backend& backend, const showroom::test::TempDir& dir, const char* name) {
    if (backend.url.empty()) return "sqlite:" + dir.file(name);
    auto storage = sy::openHqStorage(backend.url);
    if (!storage) {
        std::printf("   %s: %s\n", backend.label.c_str(), storage.error().message.c_str());
        return std::nullopt;
    }
    for (const char* sql : {"DROP SCHEMA public CASCADE", "CREATE SCHEMA public"}) {
        if (auto dropped = (*storage)->query(sql); !dropped) {
            std::printf("   %s: %s\n", backend.label.c_str(), dropped.error().message.c_str());
            return std::nullopt;
        }
    }
    return backend.url;
}

std::optional<std::unique_ptr<sy::Hq>> openHq(const std::string& url) {
    auto storage = sy::openHqStorage(url);
    if (!storage) {
        std::printf("   cannot open HQ's database: %s\n", storage.error().message.c_str());
        return std::nullopt;
    }
    auto hq = std::make_unique<sy::Hq>(std::move(*storage));
    if (auto st = hq->migrate(); !st) {
        std::printf("   cannot migrate HQ's database: %s\n", st.error().message.c_str());
        return std::nullopt;
    }
    return hq;
}

std::int64_t hqEvents(sy::Hq& hq) {
    auto rows = hq.storage().query("SELECT COUNT(*) FROM events");
    if (!rows || rows->empty() || !rows->front()[0]) return -1;
    return std::stoll(*rows->front()[0]);
}

std::unique_ptr<sy::HqServer> startServer(const std::string& storage, int threads) {
    sy::HqServerOptions options;
    options.storage = storage;
    options.insecure = true;
    options.threads = threads;
    auto server = sy::HqServer::start(options);
    if (!server) {
        std::printf("   cannot start HQ: %s\n", server.error().message.c_str());
        return nullptr;
    }
    return std::move(*server);
}

// -- a) one store's backlog ----------------------------------------------------------------------

/// A store database with `events` unsent outbox events, written as services write them.
bool writeBacklog(const std::string& path, int events) {
    auto db = core::openStore(path);
    if (!db) {
        std::printf("   cannot open the store: %s\n", db.error().message.c_str());
        return false;
    }
    core::SystemClock clock;
    core::IdGenerator ids;
    core::Context ctx{*db, clock, ids, "bench"};
    if (auto local = core::ensureLocalStore(ctx, "BEN", "Bench Showroom", "Springfield"); !local) {
        std::printf("   cannot set up the store: %s\n", local.error().message.c_str());
        return false;
    }
    auto tx = core::db::Transaction::begin(*db);
    if (!tx) return false;
    for (int i = 0; i < events; ++i) {
        const std::string type = mixedType(i);
        if (auto st = core::record(ctx, type, type.substr(0, type.find('.')), ids.uuid(), payloadFor(i)); !st) {
            std::printf("   cannot write event %d: %s\n", i, st.error().message.c_str());
            return false;
        }
    }
    return static_cast<bool>(tx->commit());
}

void benchBacklog(const Backend& backend, int backlog) {
    showroom::test::TempDir dir;
    const auto url = freshHq(backend, dir, "hq-backlog.db");
    if (!url) return;
    const std::string storePath = dir.file("store.db");
    if (!writeBacklog(storePath, backlog)) return;
    auto server = startServer(*url, 8);
    if (!server) return;
    auto hq = openHq(*url);
    if (!hq) return;
    auto token = (*hq)->addStore("BEN", "Bench Showroom");
    if (!token) {
        std::printf("   cannot enrol the store: %s\n", token.error().message.c_str());
        return;
    }
    auto client = sy::SyncClient::open(storePath, sy::HqConnection{server->url(), *token, "", true, 30'000});
    if (!client) {
        std::printf("   cannot open the sync client: %s\n", client.error().message.c_str());
        return;
    }

    const auto start = Clock::now();
    auto pushed = (*client)->push();
    const double seconds = secondsSince(start);
    if (!pushed) {
        std::printf("   %-11s push failed after %.2f s: %s\n", backend.label.c_str(), seconds,
                    pushed.error().message.c_str());
        return;
    }
    const std::int64_t atHq = hqEvents(**hq);
    std::printf("   %-11s %6lld events in %6.2f s  %8.0f events/s  (%lld batches; %lld at HQ)  %s\n",
                backend.label.c_str(), static_cast<long long>(pushed->sent), seconds,
                static_cast<double>(pushed->sent) / seconds, static_cast<long long>(pushed->batches),
                static_cast<long long>(atHq), seconds < kBacklogTargetSeconds ? "within target" : "OVER TARGET");
    server->stop();
}

// -- b) many stores at once ----------------------------------------------------------------------

struct LoadShape {
    int stores, batches, batchEvents, hqThreads;
};

struct SimulatedStore {
    std::string token;
    std::vector<std::string> bodies; ///< its batches, made before the clock starts
    std::vector<double> latenciesMs;
    int retries = 0;
    std::string firstRetry; ///< why the first retried batch was refused
    std::string failure;    ///< "" when every batch was accepted
};

void benchManyStores(const Backend& backend, const LoadShape& shape, const char* mixLabel, const char* (*typeOf)(int)) {
    showroom::test::TempDir dir;
    const auto url = freshHq(backend, dir, "hq-many.db");
    if (!url) return;
    auto server = startServer(*url, shape.hqThreads);
    if (!server) return;
    auto hq = openHq(*url);
    if (!hq) return;

    std::vector<SimulatedStore> stores(static_cast<std::size_t>(shape.stores));
    core::IdGenerator ids;
    for (int s = 0; s < shape.stores; ++s) {
        auto& store = stores[static_cast<std::size_t>(s)];
        auto token = (*hq)->addStore("S" + std::to_string(s), "Simulated showroom " + std::to_string(s));
        if (!token) {
            std::printf("   cannot enrol store %d: %s\n", s, token.error().message.c_str());
            return;
        }
        store.token = *token;
        for (int b = 0; b < shape.batches; ++b) {
            sy::PushRequest request;
            for (int e = 0; e < shape.batchEvents; ++e) {
                const int n = b * shape.batchEvents + e;
                sy::Event event;
                event.eventId = ids.uuid();
                event.seq = n + 1;
                event.type = typeOf(n);
                event.entity = event.type.substr(0, event.type.find('.'));
                event.entityId = ids.uuid();
                event.payload = payloadFor(n);
                event.createdAt = "2026-12-07T10:00:00Z";
                request.events.push_back(std::move(event));
            }
            store.bodies.push_back(sy::toJson(request).dump());
        }
    }

    const int port = server->port();
    std::latch ready(shape.stores + 1);
    const auto push = [&ready, port](SimulatedStore& store) {
        ready.arrive_and_wait(); // first, so that nothing below can leave the others waiting
        try {
            httplib::Client http("127.0.0.1", port);
            http.set_connection_timeout(30);
            http.set_read_timeout(60);
            http.set_write_timeout(60);
            const httplib::Headers headers{{"Authorization", "Bearer " + store.token}};
            for (const auto& body : store.bodies) {
                const auto sent = Clock::now();
                // A refused batch (503 while the storage is busy) is retried as a store would, with
                // the wait counted in its latency.
                for (int attempt = 0;; ++attempt) {
                    auto res = http.Post("/v1/events", headers, body, "application/json");
                    if (res && res->status == 200) break;
                    const std::string why = res ? "HTTP " + std::to_string(res->status) + " " + res->body
                                                : "no reply: " + httplib::to_string(res.error());
                    if (attempt == 20) {
                        store.failure = why;
                        return;
                    }
                    if (store.retries++ == 0) store.firstRetry = why;
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));
                }
                store.latenciesMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
            }
        } catch (const std::exception& e) {
            store.failure = e.what();
        } catch (...) {
            store.failure = "unknown exception";
        }
    };

    double seconds = 0;
    {
        std::vector<std::jthread> threads;
        threads.reserve(stores.size());
        for (auto& store : stores)
            threads.emplace_back(push, std::ref(store));
        ready.arrive_and_wait();
        const auto start = Clock::now();
        for (auto& t : threads)
            t.join();
        seconds = secondsSince(start);
    }

    std::vector<double> latencies;
    int retries = 0, failed = 0;
    std::string firstFailure, firstRetry;
    for (const auto& store : stores) {
        latencies.insert(latencies.end(), store.latenciesMs.begin(), store.latenciesMs.end());
        retries += store.retries;
        if (firstRetry.empty()) firstRetry = store.firstRetry;
        if (!store.failure.empty() && failed++ == 0) firstFailure = store.failure;
    }
    std::sort(latencies.begin(), latencies.end());
    auto at = [&](double q) {
        return latencies.empty()
                   ? 0.0
                   : latencies[std::min(latencies.size() - 1, static_cast<std::size_t>(q * latencies.size()))];
    };
    const std::int64_t atHq = hqEvents(**hq);
    std::printf("   %-16s %-11s %9.0f %9.2f %9.1f %9.1f %8d %9lld\n", mixLabel, backend.label.c_str(),
                static_cast<double>(atHq) / seconds, seconds, at(0.50), at(0.99), retries,
                static_cast<long long>(atHq));
    if (retries > 0) std::printf("      retried batches; the first because of: %s\n", firstRetry.c_str());
    if (failed > 0) std::printf("      %d store(s) gave up; first: %s\n", failed, firstFailure.c_str());
    server->stop();
}

int argOr(int argc, char** argv, int index, int fallback) {
    return argc > index ? std::max(1, std::atoi(argv[index])) : fallback;
}

} // namespace

int main(int argc, char** argv) {
    const int backlog = argOr(argc, argv, 1, 10'000);
    const LoadShape shape{argOr(argc, argv, 2, 100), argOr(argc, argv, 3, 10), argOr(argc, argv, 4, 100),
                          argOr(argc, argv, 5, 16)};

    std::vector<Backend> backends{{"SQLite", ""}};
    if (const char* url = postgresUrl()) backends.push_back({"PostgreSQL", url});

    std::printf("Sync to headquarters: in-process HQ on 127.0.0.1, plain HTTP\n");
    if (backends.size() == 1)
        std::printf("PostgreSQL: not measured (set SHOWROOM_BENCH_POSTGRES or run through tests/sync/with_postgres.sh, "
                    "which sets SHOWROOM_TEST_POSTGRES)\n");

    std::printf("\na) one store drains a %d-event backlog (SyncClient::push, %zu events a batch)   target: under "
                "%.0f s\n",
                backlog, sy::kMaxBatchEvents, kBacklogTargetSeconds);
    for (const auto& backend : backends)
        benchBacklog(backend, backlog);

    std::printf("\nb) %d stores at once, each %d batches of %d events over its own HTTP client; HQ with %d worker "
                "threads\n",
                shape.stores, shape.batches, shape.batchEvents, shape.hqThreads);
    std::printf("   %-16s %-11s %9s %9s %9s %9s %8s %9s\n", "events", "backend", "events/s", "total s", "p50 ms",
                "p99 ms", "retries", "at HQ");
    for (const auto& backend : backends)
        benchManyStores(backend, shape, "usual mix", mixedType);
    for (const auto& backend : backends)
        benchManyStores(backend, shape, "no vehicle.*", noVehicleType);
    return 0;
}
