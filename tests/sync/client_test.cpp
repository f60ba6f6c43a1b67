// The store's sync client against a real HQ (HqServer in-process on 127.0.0.1, SQLite storage),
// over plain HTTP (insecure) and TLS (certificates made with openssl for the run), plus the
// `showroom sync` CLI as a child process. Where HQ cannot be made to misbehave on purpose (a batch
// refused as a whole), a tiny scripted HTTP server on loopback stands in for it.
#include "store_fixture.hpp"
#include "sync_fixture.hpp"
#include "temp_dir.hpp"

#include "showroom/core/journal.hpp"
#include "showroom/sync/client.hpp"
#include "showroom/sync/hq.hpp"
#include "showroom/sync/hq_server.hpp"
#include "showroom/sync/protocol.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>

namespace showroom::sync {
namespace {

using test::count;
using test::hqCount;
using test::enrol;
using test::writePoison;
using test::unsent;
using test::text;

// -- helpers ------------------------------------------------------------------------------------

// Appends `n` events the way services do (core::record), with ids of their own so two stores
// never share one.
void writeEvents(test::Store& store, core::IdGenerator& ids, int n, const std::string& type = "lead.opened") {
    core::Context ctx{store.conn, store.clock, ids, "test"};
    for (int i = 0; i < n; ++i) {
        const std::string id = ids.uuid();
        auto st =
            core::record(ctx, type, type.substr(0, type.find('.')), id, {{"n", i}, {"vin", "VIN" + std::to_string(i)}});
        ASSERT_TRUE(st) << st.error().message;
    }
}

struct Ran {
    int code = -1;
    std::string out;
};

// Runs the showroom CLI as a child (bounded by `timeout`), stdout captured, stderr dropped.
Ran runCli(const std::string& args) {
    const std::string command = "timeout 60 " + std::string(SHOWROOM_CLI) + " " + args + " 2>/dev/null";
    Ran r;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return r;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe))
        r.out.append(buf, n);
    const int status = ::pclose(pipe);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

nlohmann::json parsed(const std::string& out) {
    auto j = nlohmann::json::parse(out, nullptr, false);
    if (j.is_discarded()) ADD_FAILURE() << "not JSON: " << out;
    return j;
}

// A scripted HTTP/1.1 server on 127.0.0.1: one request per connection, answered by `answer`
// (status, body); status 0 hangs up without a reply.
class ScriptedHq {
public:
    using Answer = std::function<std::pair<int, std::string>(const std::string& body)>;

    explicit ScriptedHq(Answer answer) : m_answer(std::move(answer)) {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(m_fd, 16) != 0 ||
            ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
            ADD_FAILURE() << "scripted HQ cannot listen";
        m_port = ntohs(addr.sin_port);
        m_thread = std::jthread([this](std::stop_token stop) { serve(stop); });
    }
    ~ScriptedHq() {
        m_thread.request_stop();
        m_thread.join();
        ::close(m_fd);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    int requests() const { return m_requests; }

private:
    void serve(const std::stop_token& stop) {
        while (!stop.stop_requested()) {
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, 50) <= 0) continue;
            const int c = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
            if (c < 0) continue;
            timeval tv{2, 0};
            ::setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
            std::string in;
            char buf[65536];
            std::size_t headerEnd = std::string::npos;
            std::size_t length = 0;
            for (;;) {
                const auto n = ::recv(c, buf, sizeof buf, 0);
                if (n <= 0) break;
                in.append(buf, static_cast<std::size_t>(n));
                if (headerEnd == std::string::npos && (headerEnd = in.find("\r\n\r\n")) != std::string::npos) {
                    std::string lower = in.substr(0, headerEnd);
                    for (auto& ch : lower)
                        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
                    if (auto at = lower.find("content-length:"); at != std::string::npos)
                        length = std::stoul(lower.substr(at + 15));
                    headerEnd += 4;
                }
                if (headerEnd != std::string::npos && in.size() >= headerEnd + length) break;
            }
            ++m_requests;
            const auto [status, body] = m_answer(headerEnd == std::string::npos ? "" : in.substr(headerEnd));
            if (status != 0) {
                const std::string reply =
                    "HTTP/1.1 " + std::to_string(status) +
                    " X\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n" + body;
                (void)!::send(c, reply.data(), reply.size(), MSG_NOSIGNAL);
            }
            ::close(c);
        }
    }

    Answer m_answer;
    int m_fd = -1;
    int m_port = 0;
    std::atomic<int> m_requests{0};
    std::jthread m_thread;
};

// -- fixture ------------------------------------------------------------------------------------

class SyncClientTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_storage = showroom::test::integrationHqUrl(m_hqDir);
        m_token = enrol(m_storage, "TST");
        startHq(0);
    }

    void startHq(int port) {
        auto server = HqServer::start({m_storage, "127.0.0.1", port, "", "", /*insecure*/ true});
        ASSERT_TRUE(server) << server.error().message;
        m_server = std::move(*server);
    }

    HqConnection hq(const std::string& token) const { return {m_server->url(), token, "", true, 5'000}; }
    HqConnection hq() const { return hq(m_token); }

    std::unique_ptr<SyncClient> client(const HqConnection& c) {
        auto opened = SyncClient::open(m_store.conn.path(), c);
        if (!opened) {
            ADD_FAILURE() << opened.error().message;
            return nullptr;
        }
        return std::move(*opened);
    }

    std::int64_t hqEvents() { return hqCount(m_storage, "SELECT count(*) FROM events"); }

    test::Store m_store;
    core::IdGenerator m_ids; // unseeded: no two fixtures write the same event id
    test::TempDir m_hqDir;
    std::string m_storage;
    std::string m_token;
    std::unique_ptr<HqServer> m_server;
};

// -- push ---------------------------------------------------------------------------------------

TEST_F(SyncClientTest, PushDrainsTheOutboxAndHqHasEachEventOnce) {
    writeEvents(m_store, m_ids, 1'200); // three batches
    auto c = client(hq());
    ASSERT_TRUE(c);
    auto r = c->push();
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->sent, 1'200);
    EXPECT_EQ(r->duplicates, 0);
    EXPECT_EQ(r->batches, 3);
    EXPECT_EQ(unsent(m_store), 0);
    EXPECT_EQ(hqEvents(), 1'200);
    EXPECT_EQ(hqCount(m_storage, "SELECT count(DISTINCT event_id) FROM events"), 1'200);

    auto again = c->push();
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->sent, 0);
    EXPECT_EQ(again->batches, 0);
    EXPECT_EQ(hqEvents(), 1'200);
}

TEST_F(SyncClientTest, EventsReachHqWithTheirClockStampsInOrder) {
    writeEvents(m_store, m_ids, 5);
    auto c = client(hq());
    ASSERT_TRUE(c);
    ASSERT_TRUE(c->push());
    // Every event carries the stamp the store gave it; ordered by the store's sequence, the stamps
    // are in order too, and they name the showroom.
    EXPECT_EQ(hqCount(m_storage, "SELECT count(*) FROM events WHERE hlc LIKE '%@TST'"), 5);
    EXPECT_EQ(hqCount(m_storage, "SELECT count(*) FROM events a JOIN events b ON b.seq = a.seq + 1 "
                                 "WHERE b.hlc <= a.hlc"),
              0);
}

TEST_F(SyncClientTest, ReplyLostAfterHqCommittedIsAnsweredDuplicateOnRetry) {
    writeEvents(m_store, m_ids, 30);
    auto c = client(hq());
    ASSERT_TRUE(c);
    ASSERT_TRUE(c->push());
    // As if the reply never arrived: the store still thinks nothing went up.
    ASSERT_TRUE(m_store.conn.exec("UPDATE outbox SET sent_at = NULL"));
    auto r = c->push();
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->sent, 30);
    EXPECT_EQ(r->duplicates, 30);
    EXPECT_EQ(unsent(m_store), 0);
    EXPECT_EQ(hqEvents(), 30);
}

TEST_F(SyncClientTest, PoisonEventIsQuarantinedWithHqsReasonAndTheRestFlow) {
    writeEvents(m_store, m_ids, 10);
    writePoison(m_store, "poison-1");
    writeEvents(m_store, m_ids, 10);
    auto c = client(hq());
    ASSERT_TRUE(c);
    auto r = c->push();
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->sent, 20);
    EXPECT_EQ(r->quarantined, 1);
    EXPECT_EQ(unsent(m_store), 0);
    EXPECT_EQ(hqEvents(), 20);
    EXPECT_EQ(count(m_store.conn, "SELECT count(*) FROM outbox WHERE quarantined_at IS NOT NULL AND sent_at IS NULL"),
              1);
    const std::string reason = text(m_store.conn, "SELECT quarantine_reason FROM outbox WHERE event_id = 'poison-1'");
    EXPECT_NE(reason.find("bogus.thing"), std::string::npos) << reason;

    auto s = c->status();
    ASSERT_TRUE(s);
    EXPECT_EQ(s->quarantined, 1);
    EXPECT_EQ(s->queued, 0);
    EXPECT_TRUE(s->online);
}

TEST_F(SyncClientTest, BatchRefusedAsAWholeIsHalvedUntilThePoisonIsAlone) {
    writeEvents(m_store, m_ids, 20);
    writePoison(m_store, "refused-whole");
    writeEvents(m_store, m_ids, 20);
    std::atomic<int> accepted{0};
    ScriptedHq fake([&](const std::string& body) -> std::pair<int, std::string> {
        auto j = parseBody(body);
        if (!j) return {400, R"({"error":"malformed"})"};
        auto batch = pushRequestFromJson(*j);
        if (!batch) return {400, R"({"error":"malformed"})"};
        PushResponse answer;
        for (const auto& e : batch->events) {
            if (e.eventId == "refused-whole") return {400, R"({"error":"events[3].payload: HQ cannot read it"})"};
            answer.accepted.push_back(e.eventId);
        }
        accepted += static_cast<int>(answer.accepted.size());
        return {200, toJson(answer).dump()};
    });
    auto c = client({fake.url(), "t", "", true, 5'000});
    ASSERT_TRUE(c);
    auto r = c->push();
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->sent, 40);
    EXPECT_EQ(r->quarantined, 1);
    EXPECT_EQ(accepted, 40);
    EXPECT_LE(fake.requests(), 16); // bisection, not one request per event
    EXPECT_EQ(text(m_store.conn, "SELECT quarantine_reason FROM outbox WHERE event_id = 'refused-whole'"),
              "events[3].payload: HQ cannot read it");
    EXPECT_EQ(unsent(m_store), 0);
}

TEST_F(SyncClientTest, OversizedEventIsQuarantinedWithoutBlockingTheQueue) {
    writeEvents(m_store, m_ids, 3);
    core::Context ctx{m_store.conn, m_store.clock, m_ids, "test"};
    ASSERT_TRUE(core::record(ctx, "lead.activity", "lead", "big", {{"note", std::string(kMaxBodyBytes, 'x')}}));
    writeEvents(m_store, m_ids, 3);
    auto c = client(hq());
    ASSERT_TRUE(c);
    auto r = c->push();
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->sent, 6);
    EXPECT_EQ(r->quarantined, 1);
    EXPECT_EQ(hqEvents(), 6);
}

TEST_F(SyncClientTest, WrongTokenIsDeniedAndNothingIsMarkedSent) {
    writeEvents(m_store, m_ids, 5);
    auto c = client(hq("not-a-token"));
    ASSERT_TRUE(c);
    auto r = c->push();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::ErrorCode::Denied);
    EXPECT_EQ(unsent(m_store), 5);
    EXPECT_EQ(count(m_store.conn, "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL"), 0);
    EXPECT_EQ(hqEvents(), 0);
    auto pulled = c->pull();
    ASSERT_FALSE(pulled);
    EXPECT_EQ(pulled.error().code, core::ErrorCode::Denied);
    auto s = c->status();
    ASSERT_TRUE(s);
    EXPECT_FALSE(s->online);
    EXPECT_NE(s->lastError.find("token"), std::string::npos) << s->lastError;
}

TEST_F(SyncClientTest, HqDownCountsAnAttemptLosesNothingAndALaterPushSucceeds) {
    writeEvents(m_store, m_ids, 7);
    const int port = m_server->port();
    const HqConnection down = hq();
    m_server.reset(); // nothing listens on the port now

    auto c = client(down);
    ASSERT_TRUE(c);
    auto r = c->push();
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::ErrorCode::Io);
    EXPECT_EQ(count(m_store.conn, "SELECT count(*) FROM outbox WHERE attempts = 1 AND last_error IS NOT NULL"), 7);
    EXPECT_EQ(unsent(m_store), 7);
    auto s = c->status();
    ASSERT_TRUE(s);
    EXPECT_FALSE(s->online);
    EXPECT_EQ(s->queued, 7);
    EXPECT_FALSE(s->oldestQueuedAt.empty());
    EXPECT_NE(s->lastError.find("cannot reach HQ"), std::string::npos) << s->lastError;

    startHq(port); // HQ is back, same address
    auto later = c->push();
    ASSERT_TRUE(later) << later.error().message;
    EXPECT_EQ(later->sent, 7);
    EXPECT_EQ(hqEvents(), 7);
    s = c->status();
    ASSERT_TRUE(s);
    EXPECT_TRUE(s->online);
    EXPECT_EQ(s->queued, 0);
    EXPECT_TRUE(s->lastError.empty());
    EXPECT_FALSE(s->lastSuccessAt.empty());
}

TEST_F(SyncClientTest, SecondClientOnOneStoreIsBusy) {
    auto first = client(hq());
    ASSERT_TRUE(first);
    auto second = SyncClient::open(m_store.conn.path(), hq());
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().code, core::ErrorCode::Busy);
    EXPECT_NE(second.error().message.find("pid " + std::to_string(::getpid())), std::string::npos)
        << second.error().message;
    first.reset(); // the lock goes with the client
    EXPECT_TRUE(SyncClient::open(m_store.conn.path(), hq()));
}

TEST_F(SyncClientTest, PlainHttpWithoutInsecureIsRefused) {
    HqConnection c = hq();
    c.insecure = false;
    auto opened = SyncClient::open(m_store.conn.path(), c);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, core::ErrorCode::InvalidInput);
    EXPECT_NE(opened.error().message.find("--insecure"), std::string::npos);
    auto ftp = SyncClient::open(m_store.conn.path(), {"ftp://hq", "t", "", true, 1'000});
    ASSERT_FALSE(ftp);
    EXPECT_EQ(ftp.error().code, core::ErrorCode::InvalidInput);
}

// -- pull ---------------------------------------------------------------------------------------

TEST_F(SyncClientTest, PullFillsNetworkVehiclesFromAnotherStoreAndMovesTheCursor) {
    // Another showroom checks in three vehicles and pushes them.
    test::Store other;
    core::IdGenerator otherIds;
    writeEvents(other, otherIds, 3, "vehicle.checked_in");
    const std::string otherToken = enrol(m_storage, "B01");
    {
        auto pushed = SyncClient::open(other.conn.path(), {m_server->url(), otherToken, "", true, 5'000});
        ASSERT_TRUE(pushed) << pushed.error().message;
        auto r = (*pushed)->push();
        ASSERT_TRUE(r) << r.error().message;
        ASSERT_EQ(r->sent, 3);
    }
    // This showroom's own vehicle does not come back to it.
    writeEvents(m_store, m_ids, 1, "vehicle.checked_in");

    auto c = client(hq());
    ASSERT_TRUE(c);
    ASSERT_TRUE(c->push());
    auto r = c->pull();
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->changes, 3);
    EXPECT_GT(r->cursor, 0);
    EXPECT_EQ(count(m_store.conn, "SELECT count(*) FROM network_vehicles"), 3);
    EXPECT_EQ(count(m_store.conn, "SELECT count(*) FROM network_vehicles WHERE store_code = 'B01'"), 3);
    EXPECT_EQ(count(m_store.conn,
                    "SELECT count(*) FROM network_vehicles WHERE vin = 'VIN2' AND json_extract(data, '$.n') = 2"),
              1);

    auto again = c->pull();
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->changes, 0);
    EXPECT_EQ(again->cursor, r->cursor);
    auto s = c->status();
    ASSERT_TRUE(s);
    EXPECT_EQ(s->cursor, r->cursor);
    EXPECT_EQ(count(m_store.conn, "SELECT count(*) FROM network_vehicles"), 3);
}

// -- status and run -------------------------------------------------------------------------------

TEST_F(SyncClientTest, StatusWithoutTheLockReflectsQueueAndQuarantine) {
    writeEvents(m_store, m_ids, 4);
    writePoison(m_store, "poison-2");
    auto before = readSyncStatus(m_store.conn.path());
    ASSERT_TRUE(before) << before.error().message;
    EXPECT_EQ(before->queued, 5);
    EXPECT_EQ(before->quarantined, 0);
    EXPECT_FALSE(before->online);
    EXPECT_TRUE(before->lastSuccessAt.empty());
    EXPECT_EQ(before->oldestQueuedAt, std::string(test::kNow));

    auto c = client(hq());
    ASSERT_TRUE(c);
    ASSERT_TRUE(c->push());
    auto after = readSyncStatus(m_store.conn.path()); // while the client holds the lock
    ASSERT_TRUE(after) << after.error().message;
    EXPECT_EQ(after->queued, 0);
    EXPECT_EQ(after->quarantined, 1);
    EXPECT_TRUE(after->online);
    EXPECT_TRUE(after->oldestQueuedAt.empty());
    EXPECT_EQ(after->conflicts, 0);

    auto missing = readSyncStatus(m_hqDir.file("nothing-here.db"));
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, core::ErrorCode::NotFound);
}

TEST_F(SyncClientTest, RunPushesWhatIsWrittenOnWakeAndStopsPromptly) {
    auto c = client(hq());
    ASSERT_TRUE(c);
    std::atomic<int> changes{0};
    std::jthread worker([&] { c->run([&] { ++changes; }); });
    writeEvents(m_store, m_ids, 12);
    c->wake();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (hqEvents() < 12 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(hqEvents(), 12);
    const auto stopAt = std::chrono::steady_clock::now();
    c->stop();
    worker.join();
    EXPECT_LT(std::chrono::steady_clock::now() - stopAt, std::chrono::seconds(3));
    EXPECT_GE(changes, 1);
    EXPECT_EQ(unsent(m_store), 0);
}

// -- TLS ------------------------------------------------------------------------------------------

TEST(SyncClientTls, TrustsHqOnlyWithItsCa) {
    test::TempDir dir;
    const std::string cert = dir.file("cert.pem"), key = dir.file("key.pem");
    ASSERT_TRUE(test::makeLocalhostCertificate(cert, key));
    const std::string storage = "sqlite:" + dir.file("hq.db");
    const std::string token = enrol(storage, "TLS");
    auto server = HqServer::start({storage, "127.0.0.1", 0, cert, key, false});
    ASSERT_TRUE(server) << server.error().message;
    ASSERT_EQ((*server)->url().rfind("https://", 0), 0u);

    test::Store store;
    core::IdGenerator ids;
    writeEvents(store, ids, 5);
    {
        auto untrusting = SyncClient::open(store.conn.path(), {(*server)->url(), token, "", false, 5'000});
        ASSERT_TRUE(untrusting) << untrusting.error().message;
        auto r = (*untrusting)->push();
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, core::ErrorCode::Io);
        EXPECT_NE(r.error().message.find("certificate"), std::string::npos) << r.error().message;
        EXPECT_EQ(unsent(store), 5);
        EXPECT_EQ(hqCount(storage, "SELECT count(*) FROM events"), 0);
    }
    auto trusting = SyncClient::open(store.conn.path(), {(*server)->url(), token, cert, false, 5'000});
    ASSERT_TRUE(trusting) << trusting.error().message;
    auto r = (*trusting)->push();
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->sent, 5);
    EXPECT_EQ(hqCount(storage, "SELECT count(*) FROM events"), 5);
}

// -- the CLI --------------------------------------------------------------------------------------

TEST_F(SyncClientTest, CliPushStatusAndConfigure) {
    writeEvents(m_store, m_ids, 9);
    writePoison(m_store, "poison-cli");
    const std::string db = "--db " + m_store.conn.path();

    // Nothing configured and no flags: bad input.
    EXPECT_EQ(runCli(db + " sync push --json").code, 2);
    // Plain http without --insecure: bad input, nothing sent.
    EXPECT_EQ(runCli(db + " sync push --hq " + m_server->url() + " --token " + m_token + " --json").code, 2);
    // A wrong token: refused, exit 1.
    EXPECT_EQ(runCli(db + " sync push --hq " + m_server->url() + " --token wrong --insecure --json").code, 1);
    EXPECT_EQ(hqEvents(), 0);

    auto pushed = runCli(db + " sync push --hq " + m_server->url() + " --token " + m_token + " --insecure --json");
    ASSERT_EQ(pushed.code, 0) << pushed.out;
    auto j = parsed(pushed.out);
    EXPECT_EQ(j.value("sent", -1), 9);
    EXPECT_EQ(j.value("quarantined", -1), 1);
    EXPECT_EQ(hqEvents(), 9);

    auto status = runCli(db + " sync status --json");
    ASSERT_EQ(status.code, 0) << status.out;
    auto s = parsed(status.out);
    for (const char* key : {"online", "queued", "oldest_queued_at", "quarantined", "last_success_at", "last_error",
                            "cursor", "conflicts"})
        EXPECT_TRUE(s.contains(key)) << key;
    EXPECT_EQ(s.value("online", false), true);
    EXPECT_EQ(s.value("queued", -1), 0);
    EXPECT_EQ(s.value("quarantined", -1), 1);

    // Configured once, then push and pull need no flags.
    ASSERT_EQ(runCli(db + " sync configure --hq " + m_server->url() + " --token " + m_token + " --insecure").code, 0);
    EXPECT_EQ(core::getSetting(m_store.conn, "hq_url").value(), m_server->url());
    writeEvents(m_store, m_ids, 2);
    auto again = runCli(db + " sync push --json");
    ASSERT_EQ(again.code, 0) << again.out;
    EXPECT_EQ(parsed(again.out).value("sent", -1), 2);
    auto pulled = runCli(db + " sync pull --json");
    ASSERT_EQ(pulled.code, 0) << pulled.out;
    EXPECT_TRUE(parsed(pulled.out).contains("cursor"));
    EXPECT_EQ(hqEvents(), 11);
}

TEST_F(SyncClientTest, CliRunDrainsTheQueueAndStopsAfterSeconds) {
    writeEvents(m_store, m_ids, 25);
    const auto started = std::chrono::steady_clock::now();
    auto ran = runCli("--db " + m_store.conn.path() + " sync run --seconds 1.5 --hq " + m_server->url() + " --token " +
                      m_token + " --insecure --json");
    EXPECT_EQ(ran.code, 0) << ran.out;
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
    EXPECT_EQ(unsent(m_store), 0);
    EXPECT_EQ(hqEvents(), 25);

    // HQ down: run ends with exit 1 and says why.
    const HqConnection down = hq();
    m_server.reset();
    writeEvents(m_store, m_ids, 1);
    auto failed = runCli("--db " + m_store.conn.path() + " sync run --seconds 1 --hq " + down.url + " --token " +
                         m_token + " --insecure");
    EXPECT_EQ(failed.code, 1);
    EXPECT_EQ(unsent(m_store), 1);
}

TEST_F(SyncClientTest, CliRefusesWhileAnotherClientSyncs) {
    auto holder = client(hq());
    ASSERT_TRUE(holder);
    auto ran = runCli("--db " + m_store.conn.path() + " sync push --hq " + m_server->url() + " --token " + m_token +
                      " --insecure");
    EXPECT_EQ(ran.code, 1);
}

} // namespace
} // namespace showroom::sync
