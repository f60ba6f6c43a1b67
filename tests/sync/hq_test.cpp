// HQ's rules on each storage backend: always SQLite in a temp dir, and PostgreSQL too when
// SHOWROOM_TEST_POSTGRES names one (tests/sync/with_postgres.sh starts a throwaway server for the
// ctest entry hq_storage_postgresql). Every PostgreSQL test starts from empty tables.

#include "showroom/core/contract.hpp"
#include "showroom/sync/hq.hpp"

#include "sync_fixture.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace sy = showroom::sync; // `sync` would collide with POSIX sync()
namespace core = showroom::core;
using nlohmann::json;

namespace {

std::vector<std::string> backends() { return showroom::test::hqBackends(); }

sy::Event makeEvent(const std::string& id, const std::string& type, const std::string& entityId,
                    json payload = json::object()) {
    sy::Event e;
    e.eventId = id;
    e.seq = 1;
    e.type = type;
    e.entity = type.substr(0, type.find('.'));
    e.entityId = entityId;
    e.payload = std::move(payload);
    e.createdAt = "2026-12-01T10:00:00Z";
    return e;
}

/// Passes everything to a real backend but fails the `failOn`-th statement containing `needle`:
/// a disk or connection error in the middle of a batch.
class FailingStorage final : public sy::HqStorage {
public:
    FailingStorage(std::unique_ptr<sy::HqStorage> inner, std::string needle, int failOn)
        : m_inner(std::move(inner)), m_needle(std::move(needle)), m_failOn(failOn) {}

    std::string describe() const override { return m_inner->describe(); }
    core::Status migrate() override { return m_inner->migrate(); }
    core::Status begin() override { return m_inner->begin(); }
    core::Status commit() override { return m_inner->commit(); }
    void rollback() override { m_inner->rollback(); }
    core::Result<std::vector<sy::Row>> query(std::string_view sql,
                                             const std::vector<std::optional<std::string>>& params) override {
        if (sql.find(m_needle) != std::string_view::npos && ++m_seen == m_failOn)
            return core::fail(core::ErrorCode::Storage, "injected failure");
        return m_inner->query(sql, params);
    }

private:
    std::unique_ptr<sy::HqStorage> m_inner;
    std::string m_needle;
    int m_failOn;
    int m_seen = 0;
};

} // namespace

class HqStorage : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        m_url = showroom::test::freshHqUrl(GetParam(), m_dir);
        ASSERT_FALSE(m_url.empty());
        auto storage = open();
        ASSERT_TRUE(storage) << "cannot open " << m_url;
        hq = std::make_unique<sy::Hq>(std::move(storage));
        auto migrated = hq->migrate();
        ASSERT_TRUE(migrated.ok()) << migrated.error().message;
    }

    /// Another connection to the same database (another worker thread of the server).
    std::unique_ptr<sy::HqStorage> open() {
        auto storage = sy::openHqStorage(m_url);
        EXPECT_TRUE(storage.ok()) << storage.error().message;
        return storage ? std::move(*storage) : nullptr;
    }

    sy::StoreInfo enrol(const std::string& code, std::string* tokenOut = nullptr) {
        auto token = hq->addStore(code, "Showroom " + code);
        EXPECT_TRUE(token.ok()) << token.error().message;
        if (!token) return {};
        if (tokenOut) *tokenOut = *token;
        auto store = hq->authenticate(*token);
        EXPECT_TRUE(store.ok() && store->has_value());
        return store.ok() && store->has_value() ? **store : sy::StoreInfo{};
    }

    std::vector<sy::Row> rows(const std::string& sql) {
        auto r = hq->storage().query(sql);
        EXPECT_TRUE(r.ok()) << r.error().message;
        return r ? std::move(*r) : std::vector<sy::Row>{};
    }

    std::int64_t count(const std::string& table) {
        const auto r = rows("SELECT COUNT(*) FROM " + table);
        return r.empty() || !r[0][0] ? -1 : std::stoll(*r[0][0]);
    }

    sy::PushResponse ingest(const sy::StoreInfo& store, const std::vector<sy::Event>& events) {
        auto r = hq->ingest(store, events);
        EXPECT_TRUE(r.ok()) << r.error().message;
        return r ? std::move(*r) : sy::PushResponse{};
    }

    showroom::test::TempDir m_dir;
    std::string m_url;
    std::unique_ptr<sy::Hq> hq;
};

TEST_P(HqStorage, EnrolReturnsATokenAndKeepsOnlyItsHash) {
    std::string token;
    const auto store = enrol("DTN", &token);
    EXPECT_EQ(token.size(), 64u);
    EXPECT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos) << token;
    EXPECT_EQ(store.code, "DTN");
    EXPECT_EQ(store.name, "Showroom DTN");

    const auto all = rows("SELECT * FROM stores");
    ASSERT_EQ(all.size(), 1u);
    for (const auto& value : all[0]) {
        if (value) {
            EXPECT_EQ(value->find(token), std::string::npos) << "the token itself is stored: " << *value;
        }
    }
    const auto hash = rows("SELECT token_sha256 FROM stores");
    ASSERT_TRUE(hash[0][0]);
    EXPECT_EQ(*hash[0][0], core::sha256Hex(token));

    std::string second;
    enrol("AIR", &second);
    EXPECT_NE(second, token);
    auto listed = hq->stores();
    ASSERT_TRUE(listed.ok()) << listed.error().message;
    ASSERT_EQ(listed->size(), 2u);
    EXPECT_EQ((*listed)[0].code, "AIR");
    EXPECT_EQ((*listed)[1].code, "DTN");
    EXPECT_FALSE((*listed)[1].createdAt.empty());
}

TEST_P(HqStorage, AuthenticateFindsTheStoreOfItsTokenOnly) {
    std::string dtnToken, airToken;
    const auto dtn = enrol("DTN", &dtnToken);
    const auto air = enrol("AIR", &airToken);

    auto found = hq->authenticate(dtnToken);
    ASSERT_TRUE(found.ok() && found->has_value());
    EXPECT_EQ((*found)->id, dtn.id);
    found = hq->authenticate(airToken);
    ASSERT_TRUE(found.ok() && found->has_value());
    EXPECT_EQ((*found)->id, air.id);
    EXPECT_NE(dtn.id, air.id);

    std::string wrong = dtnToken;
    wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
    for (const std::string& bad : {wrong, std::string(), std::string(64, '0'), core::sha256Hex(dtnToken)}) {
        auto r = hq->authenticate(bad);
        ASSERT_TRUE(r.ok()) << r.error().message;
        EXPECT_FALSE(r->has_value()) << "'" << bad << "' was accepted";
    }
}

TEST_P(HqStorage, ACodeEnrolsOnce) {
    enrol("DTN");
    auto again = hq->addStore("DTN", "Another downtown");
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, core::ErrorCode::Duplicate);
    EXPECT_NE(again.error().message.find("DTN"), std::string::npos) << again.error().message;
    EXPECT_EQ(count("stores"), 1);

    auto empty = hq->addStore("", "Nameless");
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.error().code, core::ErrorCode::InvalidInput);
}

TEST_P(HqStorage, AReSentBatchIsAllDuplicatesAndStoredOnce) {
    const auto store = enrol("DTN");
    std::vector<sy::Event> batch{
        makeEvent("e-1", "vehicle.checked_in", "v-1", {{"vin", "WVWZZZ1JZXW000001"}, {"status", "available"}}),
        makeEvent("e-2", "deal.created", "d-1", {{"total_cents", 1'999'000}}),
        makeEvent("e-3", "payment.received", "p-1", {{"amount_cents", 50'000}}),
        makeEvent("e-4", "vehicle.status_changed", "v-1",
                  {{"vin", "WVWZZZ1JZXW000001"}, {"from", "in_stock"}, {"to", "on_hold"}}),
    };
    auto first = ingest(store, batch);
    EXPECT_EQ(first.accepted, (std::vector<std::string>{"e-1", "e-2", "e-3", "e-4"}));
    EXPECT_TRUE(first.duplicates.empty());
    EXPECT_TRUE(first.rejected.empty());
    EXPECT_EQ(count("events"), 4);
    EXPECT_EQ(count("changes"), 2);

    // The reply was lost; the store sends the same batch again.
    auto second = ingest(store, batch);
    EXPECT_TRUE(second.accepted.empty());
    EXPECT_EQ(second.duplicates, (std::vector<std::string>{"e-1", "e-2", "e-3", "e-4"}));
    EXPECT_EQ(count("events"), 4);
    EXPECT_EQ(count("changes"), 2);

    // The same event twice in one batch is stored once.
    auto twice = ingest(store, {makeEvent("e-5", "lead.opened", "l-1"), makeEvent("e-5", "lead.opened", "l-1")});
    EXPECT_EQ(twice.accepted, std::vector<std::string>{"e-5"});
    EXPECT_EQ(twice.duplicates, std::vector<std::string>{"e-5"});
    EXPECT_EQ(count("events"), 5);

    const auto stored = rows("SELECT store_id, seq, type, entity, entity_id, payload, created_at, received_at "
                             "FROM events WHERE event_id = 'e-2'");
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(*stored[0][0], store.id);
    EXPECT_EQ(*stored[0][1], "1");
    EXPECT_EQ(*stored[0][2], "deal.created");
    EXPECT_EQ(*stored[0][3], "deal");
    EXPECT_EQ(*stored[0][4], "d-1");
    EXPECT_EQ(json::parse(*stored[0][5]), json({{"total_cents", 1'999'000}}));
    EXPECT_EQ(*stored[0][6], "2026-12-01T10:00:00Z");
    EXPECT_EQ(stored[0][7]->size(), 20u) << *stored[0][7]; // UTC ISO "YYYY-MM-DDTHH:MM:SSZ"
}

TEST_P(HqStorage, AnEventFromAnotherStoreWithAKnownIdIsADuplicate) {
    const auto dtn = enrol("DTN");
    const auto air = enrol("AIR");
    EXPECT_EQ(ingest(dtn, {makeEvent("shared-1", "deal.created", "d-1")}).accepted.size(), 1u);
    auto fromAir = ingest(air, {makeEvent("shared-1", "deal.created", "d-9")});
    EXPECT_TRUE(fromAir.accepted.empty());
    EXPECT_EQ(fromAir.duplicates, std::vector<std::string>{"shared-1"});
    const auto stored = rows("SELECT store_id, entity_id FROM events");
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(*stored[0][0], dtn.id);
    EXPECT_EQ(*stored[0][1], "d-1");
}

TEST_P(HqStorage, TheStoreIdIsTheAuthenticatedStoresWhateverThePayloadSays) {
    const auto dtn = enrol("DTN");
    const auto air = enrol("AIR");
    ingest(dtn, {makeEvent("e-1", "vehicle.checked_in", "v-1",
                           {{"store_id", air.id}, {"store_code", "AIR"}, {"vin", "WVWZZZ1JZXW000001"}})});
    const auto event = rows("SELECT store_id FROM events WHERE event_id = 'e-1'");
    ASSERT_EQ(event.size(), 1u);
    EXPECT_EQ(*event[0][0], dtn.id);
    const auto change = rows("SELECT store_id, store_code FROM changes");
    ASSERT_EQ(change.size(), 1u);
    EXPECT_EQ(*change[0][0], dtn.id);
    EXPECT_EQ(*change[0][1], "DTN");

    // AIR is offered the vehicle as DTN's; DTN is not offered its own vehicle back.
    auto forAir = hq->changesFor(air, 0, 10);
    ASSERT_TRUE(forAir.ok()) << forAir.error().message;
    ASSERT_EQ(forAir->changes.size(), 1u);
    EXPECT_EQ(forAir->changes[0].storeCode, "DTN");
    auto forDtn = hq->changesFor(dtn, 0, 10);
    ASSERT_TRUE(forDtn.ok()) << forDtn.error().message;
    EXPECT_TRUE(forDtn->changes.empty());
}

TEST_P(HqStorage, APoisonEventIsRejectedAloneWithAReason) {
    const auto store = enrol("DTN");
    auto r = ingest(store, {
                               makeEvent("e-1", "deal.created", "d-1"),
                               makeEvent("e-2", "spaceship.launched", "s-1"),
                               makeEvent("e-3", "lead.opened", "l-1"),
                               makeEvent("e-4", "vehicle.moved", "v-1", json::array({"not", "an", "object"})),
                               makeEvent("e-5", "customer.added", "c-1"),
                               makeEvent("", "customer.added", "c-2"),
                               makeEvent("e-7", "deal.", "d-2"),
                           });
    EXPECT_EQ(r.accepted, (std::vector<std::string>{"e-1", "e-3", "e-5"}));
    EXPECT_TRUE(r.duplicates.empty());
    ASSERT_EQ(r.rejected.size(), 4u);
    EXPECT_EQ(r.rejected[0].eventId, "e-2");
    EXPECT_NE(r.rejected[0].reason.find("spaceship.launched"), std::string::npos) << r.rejected[0].reason;
    EXPECT_EQ(r.rejected[1].eventId, "e-4");
    EXPECT_NE(r.rejected[1].reason.find("payload"), std::string::npos) << r.rejected[1].reason;
    EXPECT_EQ(r.rejected[2].eventId, "");
    EXPECT_NE(r.rejected[2].reason.find("event_id"), std::string::npos) << r.rejected[2].reason;
    EXPECT_EQ(r.rejected[3].eventId, "e-7");
    EXPECT_EQ(count("events"), 3);
    EXPECT_EQ(count("changes"), 0);
}

TEST_P(HqStorage, AFailureMidBatchStoresNothing) {
    const auto store = enrol("DTN");
    const std::vector<sy::Event> batch{
        makeEvent("e-1", "vehicle.checked_in", "v-1", {{"vin", "WVWZZZ1JZXW000001"}}),
        makeEvent("e-2", "deal.created", "d-1"),
        makeEvent("e-3", "vehicle.checked_in", "v-2", {{"vin", "WVWZZZ1JZXW000002"}}),
        makeEvent("e-4", "lead.opened", "l-1"),
    };
    {
        sy::Hq failing(std::make_unique<FailingStorage>(open(), "INSERT INTO events", 3));
        auto r = failing.ingest(store, batch);
        ASSERT_FALSE(r.ok());
        EXPECT_NE(r.error().message.find("injected failure"), std::string::npos) << r.error().message;
    }
    EXPECT_EQ(count("events"), 0);
    EXPECT_EQ(count("changes"), 0);

    // The store retries the whole batch; nothing of the failed attempt is in the way.
    auto retry = ingest(store, batch);
    EXPECT_EQ(retry.accepted.size(), 4u);
    EXPECT_TRUE(retry.duplicates.empty());
    EXPECT_EQ(count("events"), 4);
    EXPECT_EQ(count("changes"), 2);
}

TEST_P(HqStorage, ChangesComeInPagesAndSkipTheAskersOwnVehicles) {
    const auto dtn = enrol("DTN");
    const auto air = enrol("AIR");
    const auto lake = enrol("LKE");
    ingest(dtn, {makeEvent("d-1", "vehicle.checked_in", "v-1", {{"vin", "VIN1"}, {"price_cents", 100}}),
                 makeEvent("d-2", "vehicle.checked_in", "v-2", {{"vin", "VIN2"}}),
                 makeEvent("d-3", "deal.created", "deal-1")});
    ingest(air, {makeEvent("a-1", "vehicle.checked_in", "v-3", {{"vin", "VIN3"}}),
                 makeEvent("a-2", "vehicle.status_changed", "v-3", {{"vin", "VIN3"}, {"from", "in_stock"}, {"to", "sold"}}),
                 makeEvent("a-3", "vehicle.checked_in", "v-4", {{"vin", "VIN4"}})});

    // LKE sees all five vehicle changes, two at a time, in order.
    std::vector<std::string> seen;
    std::int64_t cursor = 0;
    std::vector<bool> mores;
    for (int page = 0; page < 10; ++page) {
        auto r = hq->changesFor(lake, cursor, 2);
        ASSERT_TRUE(r.ok()) << r.error().message;
        EXPECT_LE(r->changes.size(), 2u);
        for (const auto& c : r->changes) {
            EXPECT_EQ(c.kind, "vehicle");
            EXPECT_GT(c.seq, cursor);
            seen.push_back(c.storeCode + ":" + c.data.value("vin", ""));
        }
        if (!r->changes.empty()) {
            EXPECT_EQ(r->cursor, r->changes.back().seq);
        }
        cursor = r->cursor;
        mores.push_back(r->more);
        if (!r->more) break;
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"DTN:VIN1", "DTN:VIN2", "AIR:VIN3", "AIR:VIN3", "AIR:VIN4"}));
    EXPECT_EQ(mores, (std::vector<bool>{true, true, false}));

    // Nothing new: an empty page that keeps the cursor.
    auto idle = hq->changesFor(lake, cursor, 2);
    ASSERT_TRUE(idle.ok()) << idle.error().message;
    EXPECT_TRUE(idle->changes.empty());
    EXPECT_EQ(idle->cursor, cursor);
    EXPECT_FALSE(idle->more);

    // DTN gets AIR's vehicles only, as HQ merged them, with the owner's code and name.
    auto forDtn = hq->changesFor(dtn, 0, 100);
    ASSERT_TRUE(forDtn.ok()) << forDtn.error().message;
    ASSERT_EQ(forDtn->changes.size(), 3u);
    for (const auto& c : forDtn->changes)
        EXPECT_EQ(c.storeCode, "AIR");
    EXPECT_EQ(forDtn->changes[0].data, json({{"vin", "VIN3"}, {"store_code", "AIR"}, {"store_name", "Showroom AIR"}}));
    EXPECT_EQ(forDtn->changes[1].data.value("status", ""), "sold");
    EXPECT_FALSE(forDtn->more);

    auto forAir = hq->changesFor(air, 0, 100);
    ASSERT_TRUE(forAir.ok()) << forAir.error().message;
    ASSERT_EQ(forAir->changes.size(), 2u);
    EXPECT_EQ(forAir->changes[0].data,
              json({{"vin", "VIN1"}, {"price_cents", 100}, {"store_code", "DTN"}, {"store_name", "Showroom DTN"}}));

    EXPECT_FALSE(hq->changesFor(air, 0, 0).ok());
}

TEST_P(HqStorage, StatsCountEventsAndDistinctEntitiesPerStore) {
    const auto dtn = enrol("DTN");
    enrol("AIR");
    ingest(dtn, {makeEvent("e-1", "deal.created", "d-1"), makeEvent("e-2", "deal.signed", "d-1"),
                 makeEvent("e-3", "deal.created", "d-2"), makeEvent("e-4", "lead.opened", "l-1"),
                 makeEvent("e-5", "vehicle.checked_in", "v-1"), makeEvent("e-6", "vehicle.status_changed", "v-1"),
                 makeEvent("e-7", "payment.received", "p-1"), makeEvent("e-8", "bogus.thing", "x-1")});
    auto stats = hq->stats();
    ASSERT_TRUE(stats.ok()) << stats.error().message;
    ASSERT_EQ(stats->size(), 2u);
    const auto& air = (*stats)[0];
    const auto& downtown = (*stats)[1];
    EXPECT_EQ(air.store.code, "AIR");
    EXPECT_EQ(air.events, 0);
    EXPECT_EQ(air.deals, 0);
    EXPECT_EQ(air.lastEventAt, "");
    EXPECT_EQ(downtown.store.code, "DTN");
    EXPECT_EQ(downtown.store.id, dtn.id);
    EXPECT_EQ(downtown.events, 7);
    EXPECT_EQ(downtown.deals, 2);
    EXPECT_EQ(downtown.leads, 1);
    EXPECT_EQ(downtown.vehicles, 1);
    EXPECT_EQ(downtown.lastEventAt.size(), 20u) << downtown.lastEventAt;
}

TEST_P(HqStorage, ConcurrentRetriesOfOneBatchStoreEachEventOnce) {
    const auto store = enrol("DTN");
    std::vector<sy::Event> batch;
    for (int i = 0; i < 300; ++i)
        batch.push_back(i % 3 == 0 ? makeEvent("e-" + std::to_string(i), "vehicle.checked_in", "v-" + std::to_string(i),
                                               {{"vin", "VIN" + std::to_string(i)}})
                                   : makeEvent("e-" + std::to_string(i), "deal.created", "d-" + std::to_string(i)));
    constexpr int kWorkers = 3;
    std::vector<std::unique_ptr<sy::Hq>> workers;
    for (int w = 0; w < kWorkers; ++w)
        workers.push_back(std::make_unique<sy::Hq>(open()));
    std::vector<core::Result<sy::PushResponse>> results(kWorkers, core::fail(core::ErrorCode::Internal, "not run"));
    {
        std::vector<std::jthread> threads;
        for (int w = 0; w < kWorkers; ++w)
            threads.emplace_back([&, w] { results[w] = workers[w]->ingest(store, batch); });
    }
    std::multiset<std::string> accepted;
    for (const auto& r : results) {
        ASSERT_TRUE(r.ok()) << r.error().message;
        EXPECT_EQ(r->accepted.size() + r->duplicates.size(), batch.size());
        accepted.insert(r->accepted.begin(), r->accepted.end());
    }
    EXPECT_EQ(accepted.size(), batch.size());
    EXPECT_EQ(std::set<std::string>(accepted.begin(), accepted.end()).size(), batch.size());
    EXPECT_EQ(count("events"), 300);
    EXPECT_EQ(count("changes"), 100);
}

TEST_P(HqStorage, MigrateAgainKeepsEverything) {
    std::string token;
    const auto store = enrol("DTN", &token);
    ingest(store, {makeEvent("e-1", "vehicle.checked_in", "v-1", {{"vin", "VIN1"}})});
    auto again = open();
    ASSERT_TRUE(again);
    sy::Hq reopened(std::move(again));
    auto migrated = reopened.migrate();
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;
    auto found = reopened.authenticate(token);
    ASSERT_TRUE(found.ok() && found->has_value());
    EXPECT_EQ(count("events"), 1);
    EXPECT_EQ(count("changes"), 1);
    // The change sequence carries on after the existing change.
    ingest(store, {makeEvent("e-2", "vehicle.moved", "v-1", {{"vin", "VIN1"}, {"from", ""}, {"to", "B4"}})});
    const auto seqs = rows("SELECT seq FROM changes ORDER BY seq");
    ASSERT_EQ(seqs.size(), 2u);
    EXPECT_LT(std::stoll(*seqs[0][0]), std::stoll(*seqs[1][0]));
}

TEST_P(HqStorage, DescribeNamesTheDatabaseWithoutAPassword) {
    if (GetParam() == "sqlite") {
        EXPECT_EQ(hq->storage().describe(), m_url);
        return;
    }
    // The test server trusts every connection, so any password gets in; it must not come back out.
    std::string url = m_url;
    const auto at = url.find('@');
    ASSERT_NE(at, std::string::npos) << url;
    url.insert(at, ":s3cret-pw");
    auto storage = sy::openHqStorage(url);
    ASSERT_TRUE(storage.ok()) << storage.error().message;
    const std::string described = (*storage)->describe();
    EXPECT_EQ(described.find("s3cret-pw"), std::string::npos) << described;
    EXPECT_NE(described.find("127.0.0.1"), std::string::npos) << described;
}

INSTANTIATE_TEST_SUITE_P(, HqStorage, ::testing::ValuesIn(backends()),
                         [](const ::testing::TestParamInfo<std::string>& backend) { return backend.param; });

TEST(HqStorageUrl, UnknownSchemesAreRefusedWithoutEchoingThem) {
    auto r = sy::openHqStorage("mysql://hq:s3cret-pw@db.example/hq");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::ErrorCode::InvalidInput);
    EXPECT_EQ(r.error().message.find("s3cret-pw"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("sqlite:PATH"), std::string::npos) << r.error().message;
    EXPECT_FALSE(sy::openHqStorage("hq.db").ok());
    EXPECT_FALSE(sy::openHqStorage("sqlite:").ok());
}

TEST(HqStorageUrl, AnUnreachablePostgresNamesHostAndPortNotThePassword) {
    auto r = sy::openHqStorage("postgresql://hq:s3cret-pw@127.0.0.1:1/hq?connect_timeout=5");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::ErrorCode::Io);
    EXPECT_EQ(r.error().message.find("s3cret-pw"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("127.0.0.1"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find(":1"), std::string::npos) << r.error().message;
}

TEST(HqStorageUrl, NotADatabaseFileIsRefused) {
    showroom::test::TempDir dir;
    showroom::test::writeFile(dir.file("hq.db"), std::string(4096, 'x'));
    auto r = sy::openHqStorage("sqlite:" + dir.file("hq.db"));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::ErrorCode::NotADatabase) << r.error().message;
}

TEST(HqRules, KnownEventTypes) {
    for (const char* type :
         {"vehicle.checked_in", "deal.signed", "payment.received", "customer.added", "lead.opened", "follow_up.done",
          "test_drive.started", "contract.signed", "inventory.imported", "staff.added", "store.created"})
        EXPECT_TRUE(sy::Hq::knownEventType(type)) << type;
    for (const char* type :
         {"", "vehicle", "vehicle.", "print_job.queued", "Vehicle.moved", "xvehicle.moved", "deals.x"})
        EXPECT_FALSE(sy::Hq::knownEventType(type)) << type;
}
