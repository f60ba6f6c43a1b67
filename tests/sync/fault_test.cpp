// The store's sync under the faults a showroom's network and machines produce: connections cut
// before and after HQ commits, a slow reply past the client's timeout, replayed and reordered
// batches, the background loop and a pull under the same faults, HQ and the store's push killed
// with SIGKILL mid-batch, a clock two hours off (and one set back long ago), a week's backlog and a
// poison event in the middle of one.
//
// HQ is the in-process HqServer over plain HTTP (or the real `showroom-hq serve` binary where it has
// to be killed); faults come from test::FaultProxy on loopback. Every test ends the same way: every
// event the store wrote is at HQ exactly once (same ids, no extras), and the store's queue is empty.
#include "fault_proxy.hpp"
#include "store_fixture.hpp"
#include "child_process.hpp"
#include "sync_fixture.hpp"
#include "temp_dir.hpp"

#include "showroom/core/hlc.hpp"
#include "showroom/core/journal.hpp"
#include "showroom/sync/client.hpp"
#include "showroom/sync/hq.hpp"
#include "showroom/sync/hq_server.hpp"
#include "showroom/sync/protocol.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace showroom::sync {
namespace {

using namespace std::chrono_literals;
using test::count;
using test::hqRows;
using test::hqCount;
using test::enrol;
using test::writePoison;
using test::unsent;
using test::Fault;
using test::FaultProxy;
using SteadyClock = std::chrono::steady_clock;

// -- HQ's database ------------------------------------------------------------------------------

// -- the store's outbox --------------------------------------------------------------------------

// Appends `n` events the way services do (core::record, stamped by the store's clock), in one
// transaction; the clock moves `secondsApart` before each.
void writeEvents(test::Store& store, core::IdGenerator& ids, int n, std::int64_t secondsApart = 0,
                 const std::string& type = "lead.opened") {
    core::Context ctx{store.conn, store.clock, ids, "test"};
    auto tx = core::db::Transaction::begin(store.conn);
    ASSERT_TRUE(tx) << tx.error().message;
    for (int i = 0; i < n; ++i) {
        store.clock.advance(secondsApart);
        auto st = core::record(ctx, type, type.substr(0, type.find('.')), ids.uuid(),
                               {{"n", i}, {"vin", "VIN" + std::to_string(i)}});
        ASSERT_TRUE(st) << st.error().message;
    }
    ASSERT_TRUE(tx->commit());
}

std::int64_t markedSent(test::Store& s) {
    return count(s.conn, "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL");
}

// What every test ends with: each event the store wrote (but the `quarantined` ones) is at HQ
// exactly once, HQ holds nothing else, nothing waits in the queue, and only those are quarantined.
void expectExactlyOnce(test::Store& store, const std::string& storageUrl, std::int64_t quarantined = 0) {
    const std::int64_t written = count(store.conn, "SELECT count(*) FROM outbox");
    const auto counts = hqRows(storageUrl, "SELECT count(*), count(DISTINCT event_id) FROM events");
    ASSERT_EQ(counts.size(), 1u);
    ASSERT_EQ(counts[0].size(), 2u);
    EXPECT_EQ(std::stoll(counts[0][0].value_or("-1")), written - quarantined) << "events at HQ";
    EXPECT_EQ(std::stoll(counts[0][1].value_or("-1")), written - quarantined) << "distinct events at HQ";

    const auto mine =
        test::texts(store.conn, "SELECT event_id FROM outbox WHERE quarantined_at IS NULL ORDER BY event_id");
    std::vector<std::string> theirs;
    for (const auto& row : hqRows(storageUrl, "SELECT event_id FROM events ORDER BY event_id"))
        theirs.push_back(row.at(0).value_or(""));
    EXPECT_TRUE(mine == theirs) << "the store's events and HQ's differ (" << mine.size() << " here, " << theirs.size()
                                << " at HQ)";

    EXPECT_EQ(unsent(store), 0) << "the store's queue did not drain";
    EXPECT_EQ(count(store.conn, "SELECT count(*) FROM outbox WHERE quarantined_at IS NOT NULL"), quarantined);
}

// -- child processes -----------------------------------------------------------------------------

/// A child process, SIGKILLed and reaped when it goes out of scope whatever the test did.
class Child {
public:
    /// Starts `args` with stdin from /dev/null and stdout, stderr to the files given.
    Child(const std::vector<std::string>& args, const std::string& outFile, const std::string& errFile)
        : m_out(outFile), m_err(errFile) {
        m_pid = test::spawnToFiles(args, outFile, errFile);
        if (m_pid < 0) ADD_FAILURE() << "cannot start " << args.front();
    }
    ~Child() { kill(); }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    bool started() const { return m_pid > 0; }

    /// Waits up to `limit`; the exit code (128 + signal when killed), nullopt while it still runs.
    std::optional<int> wait(std::chrono::milliseconds limit) {
        if (m_pid <= 0) return m_code;
        const auto code = test::waitForExit(m_pid, limit);
        if (!code) return std::nullopt;
        m_pid = -1;
        m_code = *code;
        return m_code;
    }

    /// SIGKILL and reap (a no-op once it has been reaped).
    void kill() {
        if (m_pid <= 0) return;
        ::kill(m_pid, SIGKILL);
        if (!wait(5s)) ADD_FAILURE() << "pid " << m_pid << " survived SIGKILL for 5 s";
    }

    std::string out() const { return test::readFile(m_out); }
    std::string err() const { return test::readFile(m_err); }

private:
    pid_t m_pid = -1;
    std::optional<int> m_code;
    std::string m_out, m_err;
};

/// A port free on 127.0.0.1 a moment ago (for a child that must come back on the same port).
int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), len) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
        port = ntohs(addr.sin_port);
    ::close(fd);
    return port;
}

/// `showroom-hq serve --insecure` on 127.0.0.1:`port`, up and listening; nullptr and `why` when it
/// does not listen within 10 s.
std::unique_ptr<Child> serveHq(const test::TempDir& dir, const std::string& storageUrl, int port,
                               const std::string& name, std::string& why) {
    auto hq = std::make_unique<Child>(std::vector<std::string>{SHOWROOM_HQ, "serve", "--db", storageUrl, "--listen",
                                                               "127.0.0.1:" + std::to_string(port), "--insecure",
                                                               "--threads", "4"},
                                      dir.file(name + ".out"), dir.file(name + ".err"));
    if (!hq->started()) return nullptr;
    const auto deadline = SteadyClock::now() + 10s;
    while (SteadyClock::now() < deadline) {
        if (hq->out().find('\n') != std::string::npos) return hq;
        if (auto code = hq->wait(0ms)) {
            why = "showroom-hq serve exited with " + std::to_string(*code) + ": " + hq->err();
            return nullptr;
        }
        std::this_thread::sleep_for(10ms);
    }
    why = "showroom-hq serve did not listen within 10 s: " + hq->err();
    return nullptr;
}

/// `showroom sync push` of `store` to `url` as a child.
std::unique_ptr<Child> pushCli(const test::TempDir& dir, test::Store& store, const std::string& url,
                               const std::string& token, const char* name) {
    return std::make_unique<Child>(std::vector<std::string>{SHOWROOM_CLI, "--db", store.conn.path(), "sync", "push",
                                                            "--hq", url, "--token", token, "--insecure", "--json"},
                                   dir.file(std::string(name) + ".out"), dir.file(std::string(name) + ".err"));
}

/// Polls `storageUrl` until HQ holds at least `n` events; false after `limit`.
bool waitForHqEvents(const std::string& storageUrl, std::int64_t n, std::chrono::milliseconds limit) {
    const auto deadline = SteadyClock::now() + limit;
    while (SteadyClock::now() < deadline) {
        if (hqCount(storageUrl, "SELECT count(*) FROM events") >= n) return true;
        std::this_thread::sleep_for(2ms);
    }
    return false;
}

// -- fixture: an in-process HQ and a fault proxy in front of it ------------------------------------

class SyncFaults : public ::testing::Test {
protected:
    void SetUp() override {
        m_storage = test::integrationHqUrl(m_hqDir);
        m_token = enrol(m_storage, "TST");
        auto server = HqServer::start({m_storage, "127.0.0.1", 0, "", "", /*insecure*/ true});
        ASSERT_TRUE(server) << server.error().message;
        m_server = std::move(*server);
        auto proxy = FaultProxy::start(m_server->port());
        ASSERT_TRUE(proxy) << proxy.error().message;
        m_proxy = std::move(*proxy);
    }

    void TearDown() override {
        if (m_proxy) {
            EXPECT_EQ(m_proxy->failure(), "");
        }
    }

    /// A client of HQ through the proxy (or straight to HQ).
    std::unique_ptr<SyncClient> client(bool throughProxy = true, int timeoutMs = 5'000) {
        const std::string url = throughProxy ? m_proxy->url() : m_server->url();
        auto opened = SyncClient::open(m_store.conn.path(), {url, m_token, "", true, timeoutMs});
        if (!opened) {
            ADD_FAILURE() << opened.error().message;
            return nullptr;
        }
        return std::move(*opened);
    }

    std::int64_t hqEvents() { return hqCount(m_storage, "SELECT count(*) FROM events"); }
    std::int64_t written() { return count(m_store.conn, "SELECT count(*) FROM outbox"); }

    test::Store m_store;
    core::IdGenerator m_ids; // unseeded: no two fixtures write the same event id
    test::TempDir m_hqDir;
    std::string m_storage;
    std::string m_token;
    std::unique_ptr<HqServer> m_server;
    std::unique_ptr<FaultProxy> m_proxy;
};

// -- the connection dropped ------------------------------------------------------------------------

TEST_F(SyncFaults, ConnectionDroppedBeforeHqCommitsLosesNothingAndTheRetrySendsOnce) {
    writeEvents(m_store, m_ids, 1'200);               // three batches
    m_proxy->plan({Fault::Kind::DropRequest, 2'000}); // headers and the start of the first batch's body
    auto c = client();
    ASSERT_TRUE(c);

    auto r = c->push();
    ASSERT_FALSE(r) << "a push whose connection was cut succeeded";
    EXPECT_EQ(r.error().code, core::ErrorCode::Io) << r.error().message;
    EXPECT_EQ(m_proxy->dropped(), 1);
    EXPECT_EQ(markedSent(m_store), 0);
    EXPECT_EQ(hqEvents(), 0) << "HQ committed a request it never received whole";
    // The cut batch counted an attempt; the rest were never tried.
    EXPECT_EQ(count(m_store.conn, "SELECT count(*) FROM outbox WHERE attempts = 1 AND last_error IS NOT NULL"),
              static_cast<std::int64_t>(kMaxBatchEvents));

    auto again = c->push();
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->sent, written());
    EXPECT_EQ(again->duplicates, 0);
    expectExactlyOnce(m_store, m_storage);
}

TEST_F(SyncFaults, ReplyLostAfterHqCommittedIsRetriedAndAnsweredDuplicate) {
    writeEvents(m_store, m_ids, 1'200);
    const auto batch = static_cast<std::int64_t>(kMaxBatchEvents);
    m_proxy->plan({Fault::Kind::None});         // the first batch goes up and is acknowledged
    m_proxy->plan({Fault::Kind::DropResponse}); // the second is committed, its acknowledgement lost
    auto c = client();
    ASSERT_TRUE(c);

    auto r = c->push();
    ASSERT_FALSE(r) << "a push whose reply was lost succeeded";
    EXPECT_EQ(r.error().code, core::ErrorCode::Io) << r.error().message;
    EXPECT_EQ(m_proxy->dropped(), 1);
    EXPECT_EQ(markedSent(m_store), batch) << "only the acknowledged batch may be marked sent";
    EXPECT_EQ(hqEvents(), 2 * batch) << "HQ should have committed the second batch";

    auto again = c->push();
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->sent, written() - batch);
    EXPECT_EQ(again->duplicates, batch);
    expectExactlyOnce(m_store, m_storage);
}

TEST_F(SyncFaults, ReplyLaterThanTheClientWaitsIsRetriedAndAnsweredDuplicate) {
    writeEvents(m_store, m_ids, 300);
    m_proxy->plan({Fault::Kind::None, 0, 1'500ms}); // HQ answers at once; the answer arrives after the timeout
    auto c = client(true, 500);
    ASSERT_TRUE(c);

    auto r = c->push();
    ASSERT_FALSE(r) << "the push did not time out";
    EXPECT_EQ(r.error().code, core::ErrorCode::Io) << r.error().message;
    EXPECT_EQ(markedSent(m_store), 0);
    EXPECT_TRUE(waitForHqEvents(m_storage, written(), 5s)) << "HQ should have committed the batch";

    auto again = c->push();
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->sent, written());
    EXPECT_EQ(again->duplicates, written());
    expectExactlyOnce(m_store, m_storage);
}

TEST_F(SyncFaults, BackgroundSyncRecoversFromCutConnectionsByItself) {
    writeEvents(m_store, m_ids, 1'200);
    m_proxy->plan({Fault::Kind::DropRequest, 2'000}); // round 1: the first batch is cut on the way
    m_proxy->plan({Fault::Kind::None});               // round 2: it goes up...
    m_proxy->plan({Fault::Kind::DropResponse});       // ...and the second's acknowledgement is lost
    auto c = client();
    ASSERT_TRUE(c);
    std::jthread worker([&] { c->run(); });
    struct StopFirst { // declared after the worker: stops run() before the worker is joined
        SyncClient& client;
        ~StopFirst() { client.stop(); }
    } stopFirst{*c};

    // Backoff after each failure (about 1 s, then 2 s), then a clean round drains the queue.
    const auto deadline = SteadyClock::now() + 20s;
    while (unsent(m_store) > 0 && SteadyClock::now() < deadline)
        std::this_thread::sleep_for(20ms);
    EXPECT_EQ(unsent(m_store), 0) << "run() did not recover within 20 s";
    EXPECT_EQ(m_proxy->dropped(), 2);
    auto s = c->status();
    ASSERT_TRUE(s);
    EXPECT_TRUE(s->online);
    EXPECT_TRUE(s->lastError.empty()) << s->lastError;
    expectExactlyOnce(m_store, m_storage);
}

TEST_F(SyncFaults, PullWhoseReplyIsLostAppliesEveryChangeOnce) {
    // Another showroom's 700 vehicles reach HQ: two pages of changes for this one.
    test::Store other;
    core::IdGenerator otherIds;
    writeEvents(other, otherIds, 700, 0, "vehicle.checked_in");
    const std::string otherToken = enrol(m_storage, "B01");
    {
        auto pusher = SyncClient::open(other.conn.path(), {m_server->url(), otherToken, "", true, 5'000});
        ASSERT_TRUE(pusher) << pusher.error().message;
        auto pushed = (*pusher)->push();
        ASSERT_TRUE(pushed) << pushed.error().message;
    }
    m_proxy->plan({Fault::Kind::None});         // the first page arrives
    m_proxy->plan({Fault::Kind::DropResponse}); // the second is lost on the way
    auto c = client();
    ASSERT_TRUE(c);

    auto r = c->pull();
    ASSERT_FALSE(r) << "a pull whose reply was lost succeeded";
    EXPECT_EQ(r.error().code, core::ErrorCode::Io) << r.error().message;
    EXPECT_EQ(count(m_store.conn, "SELECT count(*) FROM network_vehicles"), 500);
    auto s = c->status();
    ASSERT_TRUE(s);
    EXPECT_EQ(s->cursor, hqCount(m_storage, "SELECT seq FROM changes ORDER BY seq LIMIT 1 OFFSET 499"));

    auto again = c->pull();
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->changes, 200);
    EXPECT_EQ(again->cursor, hqCount(m_storage, "SELECT max(seq) FROM changes"));
    EXPECT_EQ(count(m_store.conn, "SELECT count(*) FROM network_vehicles WHERE store_code = 'B01'"), 700);
    EXPECT_EQ(count(m_store.conn, "SELECT count(DISTINCT vin) FROM network_vehicles"), 700);
    expectExactlyOnce(other, m_storage);
    EXPECT_EQ(unsent(m_store), 0);
}

// -- duplicate and reordered delivery --------------------------------------------------------------

TEST_F(SyncFaults, ReplayedRequestsAreStoredOnce) {
    writeEvents(m_store, m_ids, 1'200);
    m_proxy->setDefault({Fault::Kind::Replay}); // every batch reaches HQ twice
    auto c = client();
    ASSERT_TRUE(c);

    auto r = c->push();
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->sent, written());
    ASSERT_TRUE(m_proxy->waitForReplays(static_cast<std::size_t>(r->batches), 10s));

    // Across the two deliveries of each batch, every event was accepted exactly once: what the
    // client's copies did not get accepted, the replays did.
    std::int64_t acceptedByReplays = 0;
    for (const auto& raw : m_proxy->replayResponses()) {
        ASSERT_EQ(raw.rfind("HTTP/1.1 200", 0), 0u) << raw.substr(0, 200);
        auto body = parseBody(raw.substr(raw.find("\r\n\r\n") + 4));
        ASSERT_TRUE(body) << raw.substr(0, 200);
        auto answer = pushResponseFromJson(*body);
        ASSERT_TRUE(answer) << answer.error().message;
        EXPECT_TRUE(answer->rejected.empty());
        acceptedByReplays += static_cast<std::int64_t>(answer->accepted.size());
    }
    EXPECT_EQ(acceptedByReplays + (r->sent - r->duplicates), written());
    expectExactlyOnce(m_store, m_storage);
}

TEST_F(SyncFaults, SecondBatchBeforeTheFirstEndsWithEveryEventOnce) {
    writeEvents(m_store, m_ids, 1'000); // two full batches
    ASSERT_EQ(written(), 2 * static_cast<std::int64_t>(kMaxBatchEvents));
    // Hold the first batch back, as if its delivery were overtaken by the second's.
    ASSERT_TRUE(m_store.conn.exec("UPDATE outbox SET sent_at = 'held back' WHERE seq IN "
                                  "(SELECT seq FROM outbox ORDER BY seq LIMIT 500)"));
    auto c = client();
    ASSERT_TRUE(c);
    auto second = c->push();
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(second->sent, 500);
    EXPECT_EQ(hqCount(m_storage, "SELECT min(seq) FROM events"),
              count(m_store.conn, "SELECT min(seq) FROM outbox WHERE sent_at <> 'held back'"));

    ASSERT_TRUE(m_store.conn.exec("UPDATE outbox SET sent_at = NULL WHERE sent_at = 'held back'"));
    auto first = c->push();
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(first->sent, 500);
    EXPECT_EQ(first->duplicates, 0);
    expectExactlyOnce(m_store, m_storage);
    // HQ knows each event by the store's sequence too, whatever order they came in.
    EXPECT_EQ(hqCount(m_storage, "SELECT count(DISTINCT seq) FROM events"), written());
}

// -- processes killed --------------------------------------------------------------------------------

TEST(SyncFaultsProcesses, HqKilledMidBatchAndRestartedEndsWithEveryEventOnce) {
    test::TempDir dir;
    const std::string storage = test::integrationHqUrl(dir);
    const std::string token = enrol(storage, "TST");
    test::Store store;
    core::IdGenerator ids;
    writeEvents(store, ids, 20'000);
    const int port = freePort();
    ASSERT_GT(port, 0);
    const std::string url = "http://127.0.0.1:" + std::to_string(port);

    std::string why;
    auto hq = serveHq(dir, storage, port, "hq1", why);
    ASSERT_TRUE(hq) << why;
    auto push = pushCli(dir, store, url, token, "push1");
    ASSERT_TRUE(push->started());
    ASSERT_TRUE(waitForHqEvents(storage, 1'000, 20s)) << push->err();
    hq->kill(); // SIGKILL, mid-batch
    const auto code = push->wait(30s);
    ASSERT_TRUE(code) << "the push did not end after HQ died";
    EXPECT_EQ(*code, 1) << "the push should fail when HQ dies under it: " << push->err();
    const std::int64_t atHq = hqCount(storage, "SELECT count(*) FROM events");
    EXPECT_LT(atHq, 20'000) << "HQ finished before it was killed";
    EXPECT_LE(markedSent(store), atHq) << "the store marked sent what HQ does not have";

    // HQ comes back on the same address and database; the store pushes again.
    std::unique_ptr<Child> again;
    for (int attempt = 0; attempt < 20 && !again; ++attempt) {
        again = serveHq(dir, storage, port, "hq2-" + std::to_string(attempt), why);
        if (!again) std::this_thread::sleep_for(100ms);
    }
    ASSERT_TRUE(again) << "HQ cannot listen on port " << port << " again: " << why;
    const std::int64_t sentBefore = markedSent(store);
    auto retry = pushCli(dir, store, url, token, "push2");
    const auto retried = retry->wait(30s);
    ASSERT_TRUE(retried);
    ASSERT_EQ(*retried, 0) << retry->err();
    auto report = nlohmann::json::parse(retry->out(), nullptr, false);
    ASSERT_FALSE(report.is_discarded()) << retry->out();
    EXPECT_EQ(report.value("quarantined", -1), 0);
    EXPECT_EQ(report.value("sent", -1), count(store.conn, "SELECT count(*) FROM outbox") - sentBefore);
    expectExactlyOnce(store, storage);
}

TEST_F(SyncFaults, StoreKilledMidPushAndRestartedEndsWithEveryEventOnce) {
    writeEvents(m_store, m_ids, 20'000);
    test::TempDir dir;
    {
        auto push = pushCli(dir, m_store, m_server->url(), m_token, "push");
        ASSERT_TRUE(push->started());
        ASSERT_TRUE(waitForHqEvents(m_storage, 1'000, 20s)) << push->err();
        push->kill(); // SIGKILL mid-push: no destructor, no unlock, maybe a transaction half done
        EXPECT_EQ(push->wait(0ms), 128 + SIGKILL);
    }
    EXPECT_GT(unsent(m_store), 0) << "the push finished before it was killed";

    // The dead process's lock went with it: a new client opens, and its push finishes the job.
    auto c = client(false);
    ASSERT_TRUE(c) << "the sync lock outlived the killed process";
    auto r = c->push();
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->quarantined, 0);
    expectExactlyOnce(m_store, m_storage);
}

// -- the store's clock, a long backlog, a poison event ----------------------------------------------

TEST_F(SyncFaults, ClockTwoHoursBehindIsAcceptedAndStampsStillRise) {
    writeEvents(m_store, m_ids, 10);
    m_store.clock.advance(-2 * 3600); // set back two hours (a wrong time zone, a bad NTP step)
    writeEvents(m_store, m_ids, 10);
    const std::string behind = core::formatUtc(m_store.clock.now());

    auto c = client();
    ASSERT_TRUE(c);
    auto r = c->push();
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->sent, written());
    EXPECT_EQ(r->quarantined, 0);
    expectExactlyOnce(m_store, m_storage);

    // HQ has the events as the store dated them, two hours behind...
    EXPECT_EQ(hqCount(m_storage, "SELECT count(*) FROM events WHERE created_at = '" + behind + "'"), 10);
    // ...and their clock stamps still rise with the store's sequence, at HQ as in the outbox.
    EXPECT_EQ(hqCount(m_storage, "SELECT count(*) FROM events WHERE hlc = ''"), 0);
    EXPECT_EQ(hqCount(m_storage, "SELECT count(*) FROM events a JOIN events b ON b.seq = "
                                 "(SELECT min(seq) FROM events WHERE seq > a.seq) WHERE b.hlc <= a.hlc"),
              0);
    EXPECT_EQ(count(m_store.conn, "SELECT count(*) FROM outbox a JOIN outbox b ON b.seq = "
                                  "(SELECT min(seq) FROM outbox WHERE seq > a.seq) WHERE b.hlc <= a.hlc"),
              0);
    EXPECT_EQ(hqCount(m_storage, "SELECT count(*) FROM events e JOIN events x ON x.event_id = e.event_id "
                                 "WHERE e.hlc <> x.hlc"),
              0);
}

TEST_F(SyncFaults, ClockSetBackLongAgoKeepsStampsRisingPastTheCounterLimit) {
    // A clock set back long ago (a kiosk whose clock ran a year fast, then was put right): since
    // then every stamp has kept the old physical time and counted up instead. The store is made to
    // be at the end of that count (99,998 events), as writing them all would take minutes.
    writeEvents(m_store, m_ids, 1);
    const auto last = core::getSetting(m_store.conn, "hlc_last");
    ASSERT_TRUE(last);
    ASSERT_TRUE(last->size() > 19 && (*last)[13] == '.' && (*last)[19] == '@') << *last;
    ASSERT_TRUE(core::setSetting(m_store.conn, "hlc_last", last->substr(0, 14) + "99998" + last->substr(19)));
    m_store.clock.advance(-2 * 3600);
    writeEvents(m_store, m_ids, 5);

    auto c = client();
    ASSERT_TRUE(c);
    auto r = c->push();
    ASSERT_TRUE(r) << r.error().message;
    expectExactlyOnce(m_store, m_storage);
    const auto stamps = test::texts(m_store.conn, "SELECT hlc FROM outbox ORDER BY seq");
    for (std::size_t i = 1; i < stamps.size(); ++i) {
        EXPECT_LT(stamps[i - 1], stamps[i]) << "stamp " << i << " went backwards";
        EXPECT_TRUE(core::hlc::parse(stamps[i])) << stamps[i] << " is not a stamp";
    }
    EXPECT_EQ(hqCount(m_storage, "SELECT count(*) FROM events a JOIN events b ON b.seq = "
                                 "(SELECT min(seq) FROM events WHERE seq > a.seq) WHERE b.hlc <= a.hlc"),
              0);
}

TEST_F(SyncFaults, WeekOfflineBacklogOf50000Drains) {
    // A week of a busy showroom's events, about one every twelve seconds.
    const auto writeStarted = SteadyClock::now();
    writeEvents(m_store, m_ids, 50'000, 12);
    const auto wrote = SteadyClock::now() - writeStarted;
    auto c = client(false);
    ASSERT_TRUE(c);

    const auto started = SteadyClock::now();
    auto r = c->push();
    const auto took = SteadyClock::now() - started;
    ASSERT_TRUE(r) << r.error().message;
    std::cout << "[ backlog  ] wrote 50,000 events in "
              << std::chrono::duration_cast<std::chrono::milliseconds>(wrote).count() << " ms; pushed " << r->sent
              << " in " << r->batches << " batches in "
              << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms" << std::endl;
    EXPECT_EQ(r->sent, written());
    expectExactlyOnce(m_store, m_storage);
}

TEST_F(SyncFaults, PoisonInTheMiddleOfABacklogIsQuarantinedAloneAndTheRestFlow) {
    writeEvents(m_store, m_ids, 5'000);
    writePoison(m_store, "poison-in-the-middle");
    writeEvents(m_store, m_ids, 5'000);
    auto c = client();
    ASSERT_TRUE(c);

    auto r = c->push();
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->quarantined, 1);
    EXPECT_EQ(r->sent, written() - 1);
    EXPECT_EQ(test::texts(m_store.conn, "SELECT event_id FROM outbox WHERE quarantined_at IS NOT NULL"),
              std::vector<std::string>{"poison-in-the-middle"});
    const std::string reason =
        test::text(m_store.conn, "SELECT quarantine_reason FROM outbox WHERE event_id = 'poison-in-the-middle'");
    EXPECT_NE(reason.find("bogus.thing"), std::string::npos) << reason;
    expectExactlyOnce(m_store, m_storage, 1);

    // Quarantined stays quarantined: another push sends nothing and does not retry it.
    auto again = c->push();
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->sent + again->quarantined + again->batches, 0);
    EXPECT_EQ(hqCount(m_storage, "SELECT count(*) FROM events WHERE event_id = 'poison-in-the-middle'"), 0);
}

} // namespace
} // namespace showroom::sync
