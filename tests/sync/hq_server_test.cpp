// The real `showroom-hq` binary in a child process, over real TLS on 127.0.0.1: enrolment, the API's
// refusals (no token, wrong token, another store's identity, an untrusted certificate, plain HTTP,
// oversized and malformed bodies) and that nothing is written for a refused request. On SQLite, and
// on PostgreSQL under the ctest entry sync_integration_postgresql (sync_fixture.hpp).
#include "showroom/sync/protocol.hpp"

#include "child_process.hpp"
#include "sync_fixture.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using showroom::test::readFile;
using showroom::test::TempDir;
using Clock = std::chrono::steady_clock;

std::optional<int> waitFor(pid_t pid, std::chrono::milliseconds limit) { return showroom::test::waitForExit(pid, limit); }
pid_t spawn(const std::vector<std::string>& args, const std::string& out, const std::string& err) {
    return showroom::test::spawnToFiles(args, out, err);
}

std::string nextName(const char* prefix) {
    static std::atomic<int> counter = 0;
    return std::string(prefix) + std::to_string(++counter);
}

struct CliRun {
    int exit = -1;
    std::string out, err;

    std::string lastLine() const {
        std::string text = out;
        while (!text.empty() && text.back() == '\n')
            text.pop_back();
        const auto nl = text.rfind('\n');
        return nl == std::string::npos ? text : text.substr(nl + 1);
    }
};

/// Runs `showroom-hq ARGS...` to completion (at most 30 s; killed after).
CliRun hq(const TempDir& dir, std::vector<std::string> args) {
    args.insert(args.begin(), SHOWROOM_HQ);
    const std::string base = nextName("run");
    const std::string out = dir.file(base + ".out"), err = dir.file(base + ".err");
    CliRun run;
    const pid_t pid = spawn(args, out, err);
    if (pid < 0) {
        ADD_FAILURE() << "cannot start " << SHOWROOM_HQ;
        return run;
    }
    auto code = waitFor(pid, 30s);
    if (!code) {
        kill(pid, SIGKILL);
        (void)waitFor(pid, 5s);
        ADD_FAILURE() << "showroom-hq did not finish within 30 s";
    }
    run.exit = code.value_or(-1);
    run.out = readFile(out);
    run.err = readFile(err);
    return run;
}

/// A `showroom-hq serve` child; killed and reaped on destruction whatever the test did.
class HqProcess {
public:
    /// Starts serving on 127.0.0.1:0 and reads the port from its first line; nullptr (after a test
    /// failure naming its stderr) when it does not listen within 10 s.
    static std::unique_ptr<HqProcess> serve(const TempDir& dir, const std::string& db, std::vector<std::string> extra) {
        std::vector<std::string> args = {SHOWROOM_HQ, "serve", "--db", db, "--listen", "127.0.0.1:0", "--threads", "4"};
        args.insert(args.end(), extra.begin(), extra.end());
        const std::string base = nextName("serve");
        auto p = std::unique_ptr<HqProcess>(new HqProcess(dir.file(base + ".out"), dir.file(base + ".err")));
        p->m_pid = spawn(args, p->m_out, p->m_err);
        if (p->m_pid < 0) {
            ADD_FAILURE() << "cannot start " << SHOWROOM_HQ;
            return nullptr;
        }
        const auto deadline = Clock::now() + 10s;
        while (Clock::now() < deadline) {
            const std::string out = readFile(p->m_out);
            if (const auto nl = out.find('\n'); nl != std::string::npos) {
                const std::string line = out.substr(0, nl);
                const std::string prefix = "HQ listening on ";
                const auto colon = line.rfind(':');
                if (line.rfind(prefix, 0) != 0 || colon == std::string::npos) {
                    ADD_FAILURE() << "unexpected first line: " << line;
                    return nullptr;
                }
                p->m_url = line.substr(prefix.size());
                p->m_port = std::atoi(line.c_str() + colon + 1);
                return p;
            }
            if (auto code = waitFor(p->m_pid, 0ms)) {
                p->m_pid = -1;
                ADD_FAILURE() << "showroom-hq serve exited with " << *code << ": " << readFile(p->m_err);
                return nullptr;
            }
            std::this_thread::sleep_for(10ms);
        }
        ADD_FAILURE() << "showroom-hq serve did not listen within 10 s: " << readFile(p->m_err);
        return nullptr;
    }

    ~HqProcess() {
        if (m_pid > 0) {
            kill(m_pid, SIGKILL);
            (void)waitFor(m_pid, 5s);
        }
    }
    HqProcess(const HqProcess&) = delete;
    HqProcess& operator=(const HqProcess&) = delete;

    int port() const { return m_port; }
    const std::string& url() const { return m_url; }
    std::string stderrText() const { return readFile(m_err); }

    /// Sends `sig` and waits up to `limit`; the exit code, nullopt when still running.
    std::optional<int> signalAndWait(int sig, std::chrono::milliseconds limit) {
        kill(m_pid, sig);
        auto code = waitFor(m_pid, limit);
        if (code) m_pid = -1;
        return code;
    }

private:
    HqProcess(std::string out, std::string err) : m_out(std::move(out)), m_err(std::move(err)) {}
    pid_t m_pid = -1;
    int m_port = 0;
    std::string m_url, m_out, m_err;
};

/// A self-signed certificate for 127.0.0.1 and localhost, made once for the whole program.
class Certificates {
public:
    static const Certificates& get() {
        static Certificates certs;
        return certs;
    }
    std::string cert() const { return m_dir.file("cert.pem"); }
    std::string key() const { return m_dir.file("key.pem"); }
    bool ok() const { return m_ok; }

private:
    Certificates() {
        m_ok = showroom::test::makeLocalhostCertificate(cert(), key()) && !readFile(cert()).empty();
    }
    TempDir m_dir;
    bool m_ok = false;
};

showroom::sync::Event makeEvent(const std::string& type, const std::string& entity, const std::string& entityId,
                                json payload = json::object()) {
    static std::atomic<int> counter = 0;
    const int n = ++counter;
    char id[40];
    std::snprintf(id, sizeof id, "0f0e0d0c-0b0a-4000-8000-%012d", n);
    showroom::sync::Event e;
    e.eventId = id;
    e.seq = n;
    e.type = type;
    e.entity = entity;
    e.entityId = entityId;
    e.payload = std::move(payload);
    e.createdAt = "2026-12-07T10:00:00Z";
    return e;
}

std::string batchBody(const std::vector<showroom::sync::Event>& events) {
    showroom::sync::PushRequest r;
    r.events = events;
    return showroom::sync::toJson(r).dump();
}

httplib::Headers bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
}

json bodyOf(const httplib::Result& res) {
    if (!res) return json();
    return json::parse(res->body, nullptr, false);
}

/// HQ's database with two enrolled stores, served over TLS by a real showroom-hq.
class HqServerTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(Certificates::get().ok()) << "openssl could not make a test certificate";
        db = showroom::test::integrationHqUrl(dir);
        downtownToken = enrol("DTN", "Downtown Motors");
        uptownToken = enrol("UPT", "Uptown Cars");
        ASSERT_FALSE(downtownToken.empty());
        ASSERT_FALSE(uptownToken.empty());
        server = HqProcess::serve(dir, db, {"--cert", Certificates::get().cert(), "--key", Certificates::get().key()});
        ASSERT_TRUE(server);
    }

    std::string enrol(const std::string& code, const std::string& name) {
        const CliRun r = hq(dir, {"store", "add", name, "--code", code, "--db", db});
        EXPECT_EQ(r.exit, 0) << r.err;
        return r.lastLine();
    }

    /// A client that trusts the test certificate and verifies it, as a showroom would.
    std::unique_ptr<httplib::SSLClient> trustingClient() const {
        auto c = std::make_unique<httplib::SSLClient>("127.0.0.1", server->port());
        c->set_ca_cert_path(Certificates::get().cert().c_str());
        c->enable_server_certificate_verification(true);
        c->set_connection_timeout(5);
        c->set_read_timeout(15);
        c->set_write_timeout(15);
        return c;
    }

    httplib::Result push(const std::string& token, const std::string& body) const {
        return trustingClient()->Post("/v1/events", bearer(token), body, "application/json");
    }

    /// `showroom-hq stats --json`, by store code.
    std::map<std::string, json> stats() const {
        const CliRun r = hq(dir, {"stats", "--json", "--db", db});
        EXPECT_EQ(r.exit, 0) << r.err;
        std::map<std::string, json> byCode;
        const json j = json::parse(r.out, nullptr, false);
        EXPECT_TRUE(j.is_array()) << r.out;
        if (j.is_array())
            for (const auto& s : j)
                byCode[s.value("code", "")] = s;
        return byCode;
    }

    std::int64_t eventsAt(const std::string& code) const {
        auto all = stats();
        if (!all.count(code)) {
            ADD_FAILURE() << "stats has no store " << code;
            return -1;
        }
        return all[code].value("events", std::int64_t{-1});
    }

    std::int64_t totalEvents() const {
        std::int64_t n = 0;
        for (const auto& [code, s] : stats())
            n += s.value("events", std::int64_t{0});
        return n;
    }

    TempDir dir;
    std::string db;
    std::string downtownToken, uptownToken;
    std::unique_ptr<HqProcess> server;
};

// --- the command line --------------------------------------------------------------------------

TEST(HqCli, StoreAddPrintsTokenLastAndStoreListShowsTheStore) {
    TempDir dir;
    const std::string db = "sqlite:" + dir.file("hq.db");
    const CliRun added = hq(dir, {"store", "add", "Downtown Motors", "--db", db});
    ASSERT_EQ(added.exit, 0) << added.err;
    const std::string token = added.lastLine();
    EXPECT_GE(token.size(), 32u) << added.out;
    EXPECT_EQ(token.find(' '), std::string::npos) << "the last line must be the token alone: " << added.out;

    const CliRun list = hq(dir, {"store", "list", "--db", db});
    ASSERT_EQ(list.exit, 0) << list.err;
    EXPECT_NE(list.out.find("Downtown Motors"), std::string::npos) << list.out;
    EXPECT_NE(list.out.find("DOWNTOWN"), std::string::npos) << "code derived from the name: " << list.out;
    EXPECT_EQ(list.out.find(token), std::string::npos) << "HQ keeps only the token's hash";

    const CliRun listed = hq(dir, {"store", "list", "--json", "--db", db});
    ASSERT_EQ(listed.exit, 0) << listed.err;
    const auto j = json::parse(listed.out, nullptr, false);
    ASSERT_TRUE(j.is_array()) << listed.out;
    ASSERT_EQ(j.size(), 1u);
    EXPECT_EQ(j[0]["code"], "DOWNTOWN");
    EXPECT_EQ(j[0]["name"], "Downtown Motors");
}

TEST(HqCli, StoreAddTakesAnExplicitCodeAndRefusesADuplicate) {
    TempDir dir;
    const std::string db = "sqlite:" + dir.file("hq.db");
    const CliRun first = hq(dir, {"store", "add", "DTN", "Downtown Motors", "--db", db});
    ASSERT_EQ(first.exit, 0) << first.err;
    const CliRun again = hq(dir, {"store", "add", "Downtown Again", "--code", "dtn", "--db", db});
    EXPECT_EQ(again.exit, 2) << again.out;
    EXPECT_EQ(again.err.rfind("showroom-hq: ", 0), 0u) << again.err;
    const CliRun list = hq(dir, {"store", "list", "--json", "--db", db});
    const auto j = json::parse(list.out, nullptr, false);
    ASSERT_TRUE(j.is_array()) << list.out;
    ASSERT_EQ(j.size(), 1u);
    EXPECT_EQ(j[0]["code"], "DTN");
}

TEST(HqCli, ServeRefusesToRunWithoutCertificateOrInsecure) {
    TempDir dir;
    const CliRun r = hq(dir, {"serve", "--db", "sqlite:" + dir.file("hq.db"), "--listen", "127.0.0.1:0"});
    EXPECT_EQ(r.exit, 2);
    EXPECT_NE(r.err.find("--cert"), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("listening"), std::string::npos) << r.out;
}

TEST(HqCli, ServeRefusesAMissingCertificateFile) {
    TempDir dir;
    const CliRun r = hq(dir, {"serve", "--db", "sqlite:" + dir.file("hq.db"), "--listen", "127.0.0.1:0", "--cert",
                              dir.file("none.pem"), "--key", dir.file("none.key")});
    EXPECT_EQ(r.exit, 2);
    EXPECT_NE(r.err.find("none.pem"), std::string::npos) << r.err;
}

TEST(HqCli, InsecureServesPlainHttpWhenAskedFor) {
    TempDir dir;
    auto server = HqProcess::serve(dir, "sqlite:" + dir.file("hq.db"), {"--insecure"});
    ASSERT_TRUE(server);
    EXPECT_EQ(server->url().rfind("http://127.0.0.1:", 0), 0u) << server->url();
    httplib::Client c("127.0.0.1", server->port());
    c.set_connection_timeout(5);
    c.set_read_timeout(10);
    auto res = c.Get("/v1/health");
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    EXPECT_EQ(res->status, 200);
}

// --- the API over TLS --------------------------------------------------------------------------

TEST_F(HqServerTest, HealthAnswersOverTls) {
    EXPECT_EQ(server->url(), "https://127.0.0.1:" + std::to_string(server->port()));
    auto res = trustingClient()->Get("/v1/health");
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(bodyOf(res).value("ok", false), true) << res->body;
}

TEST_F(HqServerTest, PushIsAcceptedOnceThenAnsweredAsDuplicates) {
    const auto events =
        std::vector{makeEvent("vehicle.added", "vehicle", "veh-1", {{"vin", "1M8GDM9AXKP042788"}}),
                    makeEvent("deal.created", "deal", "deal-1"), makeEvent("lead.opened", "lead", "lead-1")};
    const std::string body = batchBody(events);

    auto first = push(downtownToken, body);
    ASSERT_TRUE(first) << httplib::to_string(first.error());
    ASSERT_EQ(first->status, 200) << first->body;
    auto accepted = showroom::sync::pushResponseFromJson(bodyOf(first));
    ASSERT_TRUE(accepted) << first->body;
    EXPECT_EQ(accepted->accepted.size(), 3u) << first->body;
    EXPECT_TRUE(accepted->duplicates.empty());

    // The reply was lost, the store retries: HQ names every event as a duplicate and stores nothing.
    auto second = push(downtownToken, body);
    ASSERT_TRUE(second) << httplib::to_string(second.error());
    ASSERT_EQ(second->status, 200) << second->body;
    auto duplicates = showroom::sync::pushResponseFromJson(bodyOf(second));
    ASSERT_TRUE(duplicates) << second->body;
    EXPECT_TRUE(duplicates->accepted.empty()) << second->body;
    EXPECT_EQ(duplicates->duplicates.size(), 3u) << second->body;

    auto all = stats();
    EXPECT_EQ(all["DTN"].value("events", -1), 3) << all["DTN"];
    EXPECT_EQ(all["DTN"].value("deals", -1), 1);
    EXPECT_EQ(all["DTN"].value("leads", -1), 1);
    EXPECT_EQ(all["DTN"].value("vehicles", -1), 1);
    EXPECT_TRUE(all["DTN"]["last_event_at"].is_string()) << all["DTN"];
    EXPECT_EQ(all["UPT"].value("events", -1), 0);
}

TEST_F(HqServerTest, APoisonEventIsRejectedAloneAndTheRestAreStored) {
    const auto good = makeEvent("vehicle.added", "vehicle", "veh-1");
    const auto poison = makeEvent("spaceship.launched", "spaceship", "x-1");
    auto res = push(downtownToken, batchBody({good, poison}));
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    ASSERT_EQ(res->status, 200) << res->body;
    auto r = showroom::sync::pushResponseFromJson(bodyOf(res));
    ASSERT_TRUE(r) << res->body;
    EXPECT_EQ(r->accepted, std::vector<std::string>{good.eventId});
    ASSERT_EQ(r->rejected.size(), 1u);
    EXPECT_EQ(r->rejected[0].eventId, poison.eventId);
    EXPECT_FALSE(r->rejected[0].reason.empty());
    EXPECT_EQ(eventsAt("DTN"), 1);
}

TEST_F(HqServerTest, NoTokenIsRefusedWith401AndNothingIsWritten) {
    auto c = trustingClient();
    auto res = c->Post("/v1/events", batchBody({makeEvent("deal.created", "deal", "d-1")}), "application/json");
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    EXPECT_EQ(res->status, 401);
    EXPECT_TRUE(bodyOf(res).contains("error")) << res->body;
    auto pull = c->Get("/v1/changes?after=0");
    ASSERT_TRUE(pull);
    EXPECT_EQ(pull->status, 401);
    EXPECT_EQ(totalEvents(), 0);
}

TEST_F(HqServerTest, AWrongTokenIsRefusedWith401AndNothingIsWritten) {
    auto res = push(std::string(64, 'a'), batchBody({makeEvent("deal.created", "deal", "d-1")}));
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    EXPECT_EQ(res->status, 401);
    EXPECT_TRUE(bodyOf(res).value("error", "").size() > 0) << res->body;
    auto basic = trustingClient()->Post("/v1/events", {{"Authorization", "Basic " + downtownToken}},
                                        batchBody({makeEvent("deal.created", "deal", "d-2")}), "application/json");
    ASSERT_TRUE(basic);
    EXPECT_EQ(basic->status, 401) << "only a Bearer token counts";
    EXPECT_EQ(totalEvents(), 0);
}

TEST_F(HqServerTest, AStoreCannotWriteAsAnotherStore) {
    // Downtown's token, a payload that claims to come from Uptown: HQ believes the token.
    auto e = makeEvent("deal.created", "deal", "d-1", {{"store_code", "UPT"}, {"store", "UPT"}});
    auto res = push(downtownToken, batchBody({e}));
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    ASSERT_EQ(res->status, 200) << res->body;
    auto all = stats();
    EXPECT_EQ(all["DTN"].value("events", -1), 1);
    EXPECT_EQ(all["UPT"].value("events", -1), 0);
}

TEST_F(HqServerTest, AClientThatDoesNotTrustTheCertificateFailsTheHandshake) {
    httplib::SSLClient c("127.0.0.1", server->port());
    c.enable_server_certificate_verification(true); // and no CA for the self-signed certificate
    c.set_connection_timeout(5);
    c.set_read_timeout(10);
    auto res = c.Post("/v1/events", bearer(downtownToken), batchBody({makeEvent("deal.created", "deal", "d-1")}),
                      "application/json");
    EXPECT_FALSE(res);
    EXPECT_EQ(res.error(), httplib::Error::SSLServerVerification) << httplib::to_string(res.error());
    EXPECT_EQ(totalEvents(), 0);
}

TEST_F(HqServerTest, PlainHttpToTheTlsPortFails) {
    httplib::Client c("127.0.0.1", server->port());
    c.set_connection_timeout(5);
    c.set_read_timeout(10);
    auto res = c.Post("/v1/events", bearer(downtownToken), batchBody({makeEvent("deal.created", "deal", "d-1")}),
                      "application/json");
    EXPECT_TRUE(!res || res->status >= 400) << "a plain HTTP request must not be served";
    EXPECT_EQ(totalEvents(), 0);
    // The server survived it.
    auto health = trustingClient()->Get("/v1/health");
    ASSERT_TRUE(health) << httplib::to_string(health.error());
    EXPECT_EQ(health->status, 200);
}

TEST_F(HqServerTest, ABodyOver4MiBIsRefusedWith413AndNothingIsWritten) {
    // A valid batch, padded past the limit inside one event's payload.
    auto e = makeEvent("deal.created", "deal", "d-1", {{"notes", std::string(showroom::sync::kMaxBodyBytes, 'x')}});
    const std::string body = batchBody({e});
    ASSERT_GT(body.size(), showroom::sync::kMaxBodyBytes);
    auto res = push(downtownToken, body);
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    EXPECT_EQ(res->status, 413);
    EXPECT_EQ(totalEvents(), 0);
}

TEST_F(HqServerTest, MalformedJsonIsRefusedWith400AndNothingIsWritten) {
    auto res = push(downtownToken, "{\"events\": [ {\"event_id\": ");
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    EXPECT_EQ(res->status, 400);
    EXPECT_FALSE(bodyOf(res).value("error", "").empty()) << res->body;

    // Well-formed JSON that is not a batch: the message names what is wrong.
    auto notBatch = push(downtownToken, R"({"events": [{"seq": 1}]})");
    ASSERT_TRUE(notBatch);
    EXPECT_EQ(notBatch->status, 400);
    EXPECT_NE(bodyOf(notBatch).value("error", "").find("event_id"), std::string::npos) << notBatch->body;
    EXPECT_EQ(totalEvents(), 0);
}

TEST_F(HqServerTest, PullAnswersTheStoreAndChecksItsCursor) {
    auto c = trustingClient();
    auto res = c->Get("/v1/changes?after=0&limit=10", bearer(uptownToken));
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    ASSERT_EQ(res->status, 200) << res->body;
    EXPECT_TRUE(showroom::sync::pullResponseFromJson(bodyOf(res))) << res->body;
    auto bad = c->Get("/v1/changes?after=minus-one", bearer(uptownToken));
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400);
}

TEST_F(HqServerTest, SigtermStopsTheServerWithExitZeroWithin5Seconds) {
    // With a kept-alive connection open, as a store's client holds one.
    auto c = trustingClient();
    c->set_keep_alive(true);
    auto res = c->Get("/v1/health");
    ASSERT_TRUE(res);
    const auto code = server->signalAndWait(SIGTERM, 5s);
    ASSERT_TRUE(code) << "still running 5 s after SIGTERM";
    EXPECT_EQ(*code, 0) << server->stderrText();
}

} // namespace
