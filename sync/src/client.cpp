#include "showroom/sync/client.hpp"

#include "showroom/core/auth.hpp"
#include "showroom/core/clock.hpp"
#include "showroom/core/db.hpp"
#include "showroom/core/hlc.hpp"
#include "showroom/core/inventory.hpp"
#include "showroom/core/json.hpp"
#include "showroom/core/money.hpp"
#include "showroom/core/network.hpp"
#include "showroom/core/store.hpp"
#include "showroom/core/vin.hpp"

#include <httplib.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <random>
#include <span>
#include <unordered_set>
#include <utility>
#include <vector>

namespace showroom::sync {

using core::ErrorCode;
using core::fail;
namespace db = core::db;

namespace {

constexpr int kPullPageSize = 500;
constexpr auto kPollInterval = std::chrono::seconds(30); // a quiet round: pull HQ's news this often
constexpr auto kBackoffFirst = std::chrono::seconds(1);
constexpr auto kBackoffMax = std::chrono::minutes(5);

// sync_state keys.
constexpr std::string_view kCursorKey = "pull_cursor";
constexpr std::string_view kOnlineKey = "online";
constexpr std::string_view kLastSuccessKey = "last_success_at";
constexpr std::string_view kLastErrorKey = "last_error";
constexpr std::string_view kLastErrorAtKey = "last_error_at";

std::string nowUtc() {
    return core::formatUtc(core::SystemClock().now());
}

struct Endpoint {
    bool tls = true;
    std::string host;
    int port = 443;
    std::string basePath; // "" or "/prefix" (no trailing slash)
};

core::Result<Endpoint> parseEndpoint(std::string_view url, bool insecure) {
    Endpoint ep;
    std::string_view rest;
    if (url.starts_with("https://")) {
        rest = url.substr(8);
    } else if (url.starts_with("http://")) {
        if (!insecure)
            return fail(ErrorCode::InvalidInput, "plain http needs --insecure (HQ address " + std::string(url) + ")");
        ep.tls = false;
        ep.port = 80;
        rest = url.substr(7);
    } else {
        return fail(ErrorCode::InvalidInput,
                    "HQ address must start with https:// (or http:// with --insecure): '" + std::string(url) + "'");
    }
    const auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    if (slash != std::string_view::npos) {
        ep.basePath = std::string(rest.substr(slash));
        while (!ep.basePath.empty() && ep.basePath.back() == '/')
            ep.basePath.pop_back();
    }
    std::string_view portText;
    if (authority.starts_with("[")) { // [::1]:8443
        const auto close = authority.find(']');
        if (close == std::string_view::npos)
            return fail(ErrorCode::InvalidInput, "bad HQ address: " + std::string(url));
        ep.host = std::string(authority.substr(1, close - 1));
        const auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (!after.starts_with(":")) return fail(ErrorCode::InvalidInput, "bad HQ address: " + std::string(url));
            portText = after.substr(1);
        }
    } else {
        const auto colon = authority.find(':');
        ep.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) portText = authority.substr(colon + 1);
    }
    if (ep.host.empty()) return fail(ErrorCode::InvalidInput, "HQ address has no host: '" + std::string(url) + "'");
    if (authority.find('@') != std::string_view::npos)
        return fail(ErrorCode::InvalidInput, "HQ address must not carry credentials; use the token");
    if (!portText.empty() || (slash == std::string_view::npos && authority.ends_with(":"))) {
        int port = 0;
        for (char c : portText) {
            if (c < '0' || c > '9' || port > 65535)
                return fail(ErrorCode::InvalidInput, "bad port in HQ address: " + std::string(url));
            port = port * 10 + (c - '0');
        }
        if (port < 1 || port > 65535)
            return fail(ErrorCode::InvalidInput, "bad port in HQ address: " + std::string(url));
        ep.port = port;
    }
    return ep;
}

// The exclusive `<db>.sync.lock`: flock'd for the owner's life, the holder's pid written inside so
// the refusal can name it. flock belongs to the open file description, so a second open() in the
// same process is refused too.
class LockFile {
public:
    static core::Result<LockFile> acquire(const std::string& path) {
        const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) return fail(ErrorCode::Io, "cannot open the sync lock " + path + ": " + std::strerror(errno));
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            const int err = errno;
            char buf[32] = {};
            const auto n = ::pread(fd, buf, sizeof buf - 1, 0);
            ::close(fd);
            if (err != EWOULDBLOCK) return fail(ErrorCode::Io, "cannot lock " + path + ": " + std::strerror(err));
            std::string pid = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
            pid.erase(std::remove_if(pid.begin(), pid.end(), [](char c) { return c < '0' || c > '9'; }), pid.end());
            return fail(ErrorCode::Busy,
                        "another program is syncing this store" + (pid.empty() ? std::string() : " (pid " + pid + ")"));
        }
        // The pid is only a courtesy for the refusal message; the flock is what protects, so a failed
        // write is not an error.
        const std::string pid = std::to_string(::getpid()) + "\n";
        const bool written = ::ftruncate(fd, 0) == 0 && ::pwrite(fd, pid.data(), pid.size(), 0) > 0;
        (void)written;
        return LockFile(fd);
    }
    LockFile(LockFile&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    LockFile& operator=(LockFile&&) = delete;
    ~LockFile() {
        if (m_fd < 0) return;
        // Clear the pid before letting go, so a later refusal never names a process long gone.
        const bool cleared = ::ftruncate(m_fd, 0) == 0;
        (void)cleared;
        ::close(m_fd); // releases the flock
    }

private:
    explicit LockFile(int fd) : m_fd(fd) {}
    int m_fd;
};

core::Result<std::string> readState(db::Connection& conn, std::string_view key) {
    auto stmt = conn.prepare("SELECT value FROM sync_state WHERE key = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, key);
    auto row = stmt->step();
    if (!row) return row.error();
    return *row ? stmt->getText(0) : std::string();
}

core::Status writeState(db::Connection& conn, std::string_view key, std::string_view value) {
    auto stmt = conn.prepare(
        "INSERT INTO sync_state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!stmt) return stmt.error();
    return stmt->bindAll(key, value).run();
}

core::Status deleteState(db::Connection& conn, std::string_view key) {
    auto stmt = conn.prepare("DELETE FROM sync_state WHERE key = ?");
    if (!stmt) return stmt.error();
    return stmt->bindAll(key).run();
}

// The stored cursor; 0 when none (or unreadable: pulling from the start again is harmless).
std::int64_t parseCursor(const std::string& text) {
    std::int64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9' || value > (INT64_MAX - 9) / 10) return 0;
        value = value * 10 + (c - '0');
    }
    return value;
}

core::Result<std::int64_t> countOf(db::Connection& conn, std::string_view sql) {
    auto stmt = conn.prepare(sql);
    if (!stmt) return stmt.error();
    auto row = stmt->step();
    if (!row) return row.error();
    return *row ? stmt->getInt(0) : 0;
}

core::Result<SyncStatus> readStatus(db::Connection& conn) {
    SyncStatus s;
    auto queued = countOf(conn, "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND quarantined_at IS NULL");
    if (!queued) return queued.error();
    s.queued = *queued;
    auto quarantined =
        countOf(conn, "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND quarantined_at IS NOT NULL");
    if (!quarantined) return quarantined.error();
    s.quarantined = *quarantined;
    auto conflicts = countOf(conn, "SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL");
    if (!conflicts) return conflicts.error();
    s.conflicts = *conflicts;
    {
        auto stmt = conn.prepare(
            "SELECT created_at FROM outbox WHERE sent_at IS NULL AND quarantined_at IS NULL ORDER BY seq LIMIT 1");
        if (!stmt) return stmt.error();
        auto row = stmt->step();
        if (!row) return row.error();
        if (*row) s.oldestQueuedAt = stmt->getText(0);
    }
    auto online = readState(conn, kOnlineKey);
    if (!online) return online.error();
    s.online = *online == "1";
    auto lastSuccess = readState(conn, kLastSuccessKey);
    if (!lastSuccess) return lastSuccess.error();
    s.lastSuccessAt = *lastSuccess;
    auto lastError = readState(conn, kLastErrorKey);
    if (!lastError) return lastError.error();
    s.lastError = *lastError;
    auto cursor = readState(conn, kCursorKey);
    if (!cursor) return cursor.error();
    s.cursor = parseCursor(*cursor);
    return s;
}

// What HQ said in a refusal: the "error" of its JSON body, else the start of the body, else the status.
std::string hqMessage(const httplib::Response& res) {
    auto body = parseBody(res.body);
    if (body) {
        for (const char* key : {"error", "message", "reason"})
            if (auto it = body->find(key); it != body->end() && it->is_string()) return it->get<std::string>();
    }
    std::string text = res.body.substr(0, 200);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.pop_back();
    return text.empty() ? "HTTP " + std::to_string(res.status) : text;
}

std::string transportMessage(const std::string& url, httplib::Error err) {
    std::string message = "cannot reach HQ at " + url + ": " + httplib::to_string(err);
    if (err == httplib::Error::SSLServerVerification)
        message += " (HQ's certificate is not trusted here; give the CA that signed it with --ca)";
    if (err == httplib::Error::SSLLoadingCerts) message += " (the CA file could not be loaded)";
    return message;
}

} // namespace

struct SyncClient::Impl {
    HqConnection hq;
    Endpoint endpoint;
    LockFile lock;
    db::Connection conn;
    std::unique_ptr<httplib::ClientImpl> http;
    core::SystemClock clock; // for the changes applied: their audit rows and the vehicles they add
    core::IdGenerator ids;

    std::mutex mutex; // guards the two flags below; never held across I/O
    std::condition_variable cv;
    bool stopRequested = false;
    bool woken = false;

    Impl(HqConnection h, Endpoint e, LockFile l, db::Connection c)
        : hq(std::move(h)), endpoint(std::move(e)), lock(std::move(l)), conn(std::move(c)) {}

    bool stopping() {
        std::lock_guard guard(mutex);
        return stopRequested;
    }

    // -- sync_state bookkeeping --------------------------------------------------------------

    core::Status noteSuccess() {
        SHOWROOM_TRY(writeState(conn, kOnlineKey, "1"));
        SHOWROOM_TRY(writeState(conn, kLastSuccessKey, nowUtc()));
        SHOWROOM_TRY(deleteState(conn, kLastErrorKey));
        return deleteState(conn, kLastErrorAtKey);
    }

    // Records a failed exchange; `events` (may be empty) get an attempt and the error. The error
    // returned is `error`, whatever happens to the bookkeeping: the exchange's failure is the news.
    core::Error noteFailure(core::Error error, std::span<const Event> events = {}) {
        auto tx = db::Transaction::begin(conn);
        if (!tx) return error;
        if (!writeState(conn, kOnlineKey, "0") || !writeState(conn, kLastErrorKey, error.message) ||
            !writeState(conn, kLastErrorAtKey, nowUtc()))
            return error;
        if (!events.empty()) {
            auto stmt = conn.prepare("UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE event_id = ?");
            if (!stmt) return error;
            for (const auto& e : events) {
                stmt->reset();
                if (!stmt->bindAll(error.message, e.eventId).run()) return error;
            }
        }
        (void)tx->commit();
        return error;
    }

    // -- push --------------------------------------------------------------------------------

    core::Result<std::vector<Event>> nextBatch(PushReport& report) {
        std::vector<Event> events;
        auto stmt = conn.prepare("SELECT seq, event_id, type, entity, entity_id, payload, created_at, hlc FROM outbox "
                                 "WHERE sent_at IS NULL AND quarantined_at IS NULL ORDER BY seq LIMIT ?");
        if (!stmt) return stmt.error();
        stmt->bind(1, static_cast<std::int64_t>(kMaxBatchEvents));
        std::vector<std::string> broken;
        for (;;) {
            auto row = stmt->step();
            if (!row) return row.error();
            if (!*row) break;
            Event e;
            e.seq = stmt->getInt(0);
            e.eventId = stmt->getText(1);
            e.type = stmt->getText(2);
            e.entity = stmt->getText(3);
            e.entityId = stmt->getText(4);
            e.payload = nlohmann::json::parse(stmt->getText(5), nullptr, false);
            e.createdAt = stmt->getText(6);
            e.hlc = stmt->getText(7);
            if (e.payload.is_discarded()) {
                broken.push_back(e.eventId);
                continue;
            }
            events.push_back(std::move(e));
        }
        // A payload that is not JSON can never be sent as written: quarantine it here, and the
        // events behind it go up as usual.
        for (const auto& id : broken) {
            SHOWROOM_TRY(quarantine(id, "the store wrote a payload that is not valid JSON"));
            ++report.quarantined;
        }
        return events;
    }

    core::Status quarantine(const std::string& eventId, const std::string& reason) {
        auto stmt = conn.prepare("UPDATE outbox SET quarantined_at = ?, quarantine_reason = ? "
                                 "WHERE event_id = ? AND sent_at IS NULL AND quarantined_at IS NULL");
        if (!stmt) return stmt.error();
        return stmt->bindAll(nowUtc(), reason, eventId).run();
    }

    // Marks HQ's answer to a batch in one transaction; the number of events it settled.
    core::Result<std::int64_t> applyAnswer(std::span<const Event> events, const PushResponse& answer,
                                           PushReport& report) {
        std::unordered_set<std::string> inBatch;
        for (const auto& e : events)
            inBatch.insert(e.eventId);
        std::unordered_set<std::string> answered;
        const std::string now = nowUtc();

        auto tx = db::Transaction::begin(conn);
        if (!tx) return tx.error();
        auto sent =
            conn.prepare("UPDATE outbox SET sent_at = ?, last_error = NULL WHERE event_id = ? AND sent_at IS NULL");
        if (!sent) return sent.error();
        auto markSent = [&](const std::string& id, bool duplicate) -> core::Status {
            if (!inBatch.contains(id) || !answered.insert(id).second) return {};
            sent->reset();
            SHOWROOM_TRY(sent->bindAll(now, id).run());
            if (conn.changes() > 0) {
                ++report.sent;
                if (duplicate) ++report.duplicates;
            }
            return {};
        };
        for (const auto& id : answer.accepted)
            SHOWROOM_TRY(markSent(id, false));
        for (const auto& id : answer.duplicates)
            SHOWROOM_TRY(markSent(id, true));
        for (const auto& r : answer.rejected) {
            if (!inBatch.contains(r.eventId) || !answered.insert(r.eventId).second) continue;
            SHOWROOM_TRY(quarantine(r.eventId, r.reason.empty() ? "HQ rejected it without a reason" : r.reason));
            if (conn.changes() > 0) ++report.quarantined;
        }
        // An event HQ's answer does not name stays queued; it is retried with the next batch.
        auto unanswered = conn.prepare("UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE event_id = ?");
        if (!unanswered) return unanswered.error();
        for (const auto& e : events) {
            if (answered.contains(e.eventId)) continue;
            unanswered->reset();
            SHOWROOM_TRY(unanswered->bindAll("HQ's answer did not mention this event", e.eventId).run());
        }
        SHOWROOM_TRY(noteSuccess());
        SHOWROOM_TRY(tx->commit());
        return static_cast<std::int64_t>(answered.size());
    }

    // Sends `events` (consecutive in outbox order). A batch HQ refuses as a whole (400, 413) is
    // halved until the event it chokes on is alone; that one is quarantined with HQ's message.
    core::Status sendBatch(std::span<const Event> events, PushReport& report, std::int64_t& settled) {
        if (events.empty()) return {};
        const auto split = [&]() -> core::Status {
            const auto half = events.size() / 2;
            SHOWROOM_TRY(sendBatch(events.first(half), report, settled));
            if (stopping()) return {};
            return sendBatch(events.subspan(half), report, settled);
        };
        PushRequest request;
        request.events.assign(events.begin(), events.end());
        const std::string body = toJson(request).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        if (body.size() > kMaxBodyBytes) {
            if (events.size() > 1) return split();
            SHOWROOM_TRY(quarantine(events[0].eventId,
                                    "the event is larger than HQ accepts (" + std::to_string(body.size()) + " bytes)"));
            ++report.quarantined;
            ++settled;
            return {};
        }

        auto res = http->Post(endpoint.basePath + "/v1/events", body, "application/json");
        if (!res) return noteFailure(fail(ErrorCode::Io, transportMessage(hq.url, res.error())), events);
        if (res->status == 401 || res->status == 403)
            return noteFailure(fail(ErrorCode::Denied, "HQ refused this store's token (HTTP " +
                                                           std::to_string(res->status) + "): " + hqMessage(*res)));
        if (res->status == 400 || res->status == 413) {
            if (events.size() > 1) return split();
            ++report.batches;
            auto tx = db::Transaction::begin(conn);
            if (!tx) return tx.error();
            SHOWROOM_TRY(quarantine(events[0].eventId, hqMessage(*res)));
            SHOWROOM_TRY(noteSuccess());
            SHOWROOM_TRY(tx->commit());
            ++report.quarantined;
            ++settled;
            return {};
        }
        if (res->status != 200)
            return noteFailure(
                fail(ErrorCode::Io, "HQ answered HTTP " + std::to_string(res->status) + ": " + hqMessage(*res)),
                events);
        auto json = parseBody(res->body);
        if (!json)
            return noteFailure(fail(ErrorCode::Io, "HQ's answer to a push is not JSON: " + json.error().message),
                               events);
        auto answer = pushResponseFromJson(*json);
        if (!answer)
            return noteFailure(fail(ErrorCode::Io, "HQ's answer to a push is unreadable: " + answer.error().message),
                               events);
        ++report.batches;
        auto n = applyAnswer(events, *answer, report);
        if (!n) return n.error();
        settled += *n;
        return {};
    }

    core::Result<PushReport> push(int maxBatches) {
        PushReport report;
        for (int round = 0; round < maxBatches && !stopping(); ++round) {
            auto events = nextBatch(report);
            if (!events) return events.error();
            if (events->empty()) break;
            std::int64_t settled = 0;
            SHOWROOM_TRY(sendBatch(*events, report, settled));
            // HQ answered but named none of the batch: sending it again would loop for ever.
            if (settled == 0 && !stopping())
                return noteFailure(fail(ErrorCode::Io, "HQ's answer did not name any event of the batch"));
        }
        return report;
    }

    // -- pull --------------------------------------------------------------------------------

    // -- applying what HQ sends ----------------------------------------------------------------

    // Applies one change in a savepoint of the page's transaction. A change that cannot be applied
    // (bad data, a clash with this store's rows) is undone whole and kept as a "change_not_applied"
    // conflict for a person, so it never holds up the cursor; only a database that cannot be
    // written (busy, I/O, not a database) fails the page, to be pulled again.
    core::Status applyOrNote(const Change& change) {
        core::Status applied;
        {
            auto savepoint = db::Transaction::begin(conn);
            if (!savepoint) return savepoint.error();
            try {
                applied = applyChange(change);
            } catch (const std::exception& e) {
                applied = fail(ErrorCode::InvalidInput, std::string("unreadable data: ") + e.what());
            }
            if (applied) return savepoint->commit();
        }
        switch (applied.error().code) {
        case ErrorCode::Busy:
        case ErrorCode::Io:
        case ErrorCode::NotADatabase: return applied.error();
        default: return noteNotApplied(change, applied.error().message);
        }
    }

    // One row per change ("change:<seq>"), so pulling the page again does not add a second.
    core::Status noteNotApplied(const Change& change, const std::string& reason) {
        auto stmt = conn.prepare(
            "INSERT INTO sync_conflicts(id, kind, vin, other_store, message, data, received_at) "
            "VALUES (?, 'change_not_applied', ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET message = excluded.message, data = excluded.data");
        if (!stmt) return stmt.error();
        return stmt
            ->bindAll("change:" + std::to_string(change.seq), textOf(change.data, "vin"), change.storeCode,
                      "HQ's " + change.kind + " change " + std::to_string(change.seq) + " was not applied: " + reason,
                      toJson(change).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), nowUtc())
            .run();
    }

    // A text field as HQ sent it: strings as they are, numbers as their JSON text, "" when missing.
    static std::string textOf(const nlohmann::json& data, const char* key) {
        if (!data.is_object()) return {};
        auto it = data.find(key);
        if (it == data.end() || it->is_null()) return {};
        return it->is_string() ? it->get<std::string>() : it->dump();
    }

    static core::Result<std::string> requiredText(const nlohmann::json& data, const char* key) {
        auto it = data.find(key);
        if (it == data.end() || !it->is_string())
            return fail(ErrorCode::InvalidInput, std::string("\"") + key + "\" is missing or not text");
        return it->get<std::string>();
    }

    static core::Result<std::string> optionalText(const nlohmann::json& data, const char* key) {
        auto it = data.find(key);
        if (it == data.end() || it->is_null()) return std::string();
        if (!it->is_string()) return fail(ErrorCode::InvalidInput, std::string("\"") + key + "\" is not text");
        return it->get<std::string>();
    }

    core::Context context() { return core::Context{conn, clock, ids, "hq"}; }

    core::Status applyChange(const Change& change) {
        if (change.kind != "vehicle" && !change.data.is_object())
            return fail(ErrorCode::InvalidInput, "its data is not a JSON object");
        if (change.kind == "vehicle") return applyVehicle(change);
        if (change.kind == "price") return applyPrice(change);
        if (change.kind == "staff") return applyStaff(change);
        if (change.kind == "catalog") return applyCatalog(change);
        if (change.kind == "transfer") return applyTransfer(change);
        if (change.kind == "conflict") return applyConflict(change);
        return {}; // a kind from a newer HQ: nothing here knows what to do with it
    }

    // Another showroom's vehicle: network stock. A VIN is in one place, so what this store knew of
    // it at any other showroom goes; a VIN this store holds itself (and has not sent away) is ours.
    core::Status applyVehicle(const Change& change) {
        std::string vin;
        if (change.data.is_object()) {
            for (const char* key : {"vin", "entity_id", "entityId", "id"}) {
                if (auto it = change.data.find(key);
                    it != change.data.end() && it->is_string() && !it->get<std::string>().empty()) {
                    vin = it->get<std::string>();
                    break;
                }
            }
        }
        if (vin.empty()) return {}; // nothing to key it by; HQ's next full record will carry it
        auto ours = conn.prepare("SELECT 1 FROM vehicles WHERE vin = upper(?) AND status <> 'transferred'");
        if (!ours) return ours.error();
        ours->bindAll(vin);
        auto row = ours->step();
        if (!row) return row.error();
        if (*row) return {};
        auto elsewhere = conn.prepare("DELETE FROM network_vehicles WHERE vin = ? AND store_code <> ?");
        if (!elsewhere) return elsewhere.error();
        SHOWROOM_TRY(elsewhere->bindAll(vin, change.storeCode).run());
        // A later change may carry only the fields that changed (a status): merge, never go back.
        auto stmt = conn.prepare(
            "INSERT INTO network_vehicles(store_code, vin, data, hq_seq) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(store_code, vin) DO UPDATE SET data = json_patch(network_vehicles.data, excluded.data), "
            "hq_seq = excluded.hq_seq WHERE excluded.hq_seq > network_vehicles.hq_seq");
        if (!stmt) return stmt.error();
        return stmt
            ->bindAll(change.storeCode, vin,
                      change.data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), change.seq)
            .run();
    }

    // HQ re-priced one of this store's vehicles. HQ already holds the price, so only the audit log
    // hears of it here; a price the store set with a later stamp stands (HQ kept it as the winner).
    core::Status applyPrice(const Change& change) {
        auto vin = requiredText(change.data, "vin");
        if (!vin) return vin.error();
        auto priceText = requiredText(change.data, "price");
        if (!priceText) return priceText.error();
        auto stamp = requiredText(change.data, "hlc");
        if (!stamp) return stamp.error();
        if (!core::hlc::parse(*stamp)) return fail(ErrorCode::InvalidInput, "\"hlc\" is not a clock stamp");
        auto price = core::parseMoney(*priceText);
        if (!price) return fail(ErrorCode::InvalidInput, "\"price\": " + price.error().message);
        if (*price <= 0 || *price > 10'000'000'00)
            return fail(ErrorCode::InvalidInput, "price " + *priceText + " is outside $0.01..$10,000,000");
        auto find = conn.prepare("SELECT id, vin, price_cents FROM vehicles WHERE vin = upper(?) AND status <> "
                                 "'transferred'");
        if (!find) return find.error();
        find->bindAll(*vin);
        auto row = find->step();
        if (!row) return row.error();
        if (!*row) return {}; // not (or no longer) this store's vehicle
        const std::string id = find->getText(0);
        const std::string ourVin = find->getText(1);
        const core::Cents from = find->getInt(2);
        auto later = conn.prepare(
            "SELECT 1 FROM outbox WHERE type = 'vehicle.price_changed' AND entity_id = ? AND hlc > ? LIMIT 1");
        if (!later) return later.error();
        later->bindAll(id, *stamp);
        auto newer = later->step();
        if (!newer) return newer.error();
        auto ctx = context();
        SHOWROOM_TRY(core::observeClockStamp(ctx, *stamp));
        if (*newer || from == *price) return {};
        auto update = conn.prepare("UPDATE vehicles SET price_cents = ?, updated_at = ? WHERE id = ?");
        if (!update) return update.error();
        SHOWROOM_TRY(update->bindAll(*price, ctx.now(), id).run());
        return core::record(ctx, "vehicle.price_changed", "vehicle", id,
                            {{"vin", ourVin},
                             {"from", core::formatCents(from)},
                             {"price", core::formatCents(*price)},
                             {"reason", "re-priced by HQ"},
                             {"source", "hq"},
                             {"hlc", *stamp}},
                            core::Sync::No);
    }

    // A staff account HQ manages. The PIN hash is taken only when it is one the store can check;
    // otherwise the account is still applied (a deactivation must not wait) and a person is told.
    core::Status applyStaff(const Change& change) {
        const auto& d = change.data;
        auto id = requiredText(d, "id");
        if (!id) return id.error();
        if (id->empty()) return fail(ErrorCode::InvalidInput, "\"id\" is empty");
        auto name = requiredText(d, "name");
        if (!name) return name.error();
        if (name->find_first_not_of(" \t\r\n") == std::string::npos)
            return fail(ErrorCode::InvalidInput, "the staff member has no name");
        auto emailText = optionalText(d, "email");
        if (!emailText) return emailText.error();
        const std::string email = core::normaliseEmail(*emailText);
        if (!emailText->empty() && email.empty())
            return fail(ErrorCode::InvalidInput, "'" + emailText->substr(0, 60) + "' is not an e-mail address");
        auto roleText = requiredText(d, "role");
        if (!roleText) return roleText.error();
        auto role = core::parseStaffRole(*roleText);
        if (!role) return role.error();
        auto pin = optionalText(d, "pin_hash");
        if (!pin) return pin.error();
        auto activeIt = d.find("active");
        if (activeIt == d.end() || !activeIt->is_boolean())
            return fail(ErrorCode::InvalidInput, "\"active\" is missing or not true/false");
        const bool active = activeIt->get<bool>();
        const bool pinTaken = !pin->empty() && core::isPinHash(*pin);
        auto store = core::localStoreId(conn);
        if (!store) return store.error();
        std::optional<std::string> mail, hash;
        if (!email.empty()) mail = email;
        if (pinTaken) hash = *pin;
        auto ctx = context();
        auto stmt = conn.prepare(
            "INSERT INTO staff(id, store_id, name, email, role, pin_hash, active, created_at, source) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'hq') "
            "ON CONFLICT(id) DO UPDATE SET store_id = excluded.store_id, name = excluded.name, "
            "email = excluded.email, role = excluded.role, active = excluded.active, source = 'hq', "
            "pin_hash = coalesce(excluded.pin_hash, staff.pin_hash), "
            "failed_pin_attempts = CASE WHEN excluded.pin_hash IS NULL THEN staff.failed_pin_attempts ELSE 0 END, "
            "locked_until = CASE WHEN excluded.pin_hash IS NULL THEN staff.locked_until END");
        if (!stmt) return stmt.error();
        if (auto st = stmt->bindAll(*id, *store, *name, mail, core::toString(*role), hash, active ? 1 : 0, ctx.now())
                          .run();
            !st) {
            if (st.error().code == ErrorCode::Duplicate)
                return fail(ErrorCode::Duplicate, "e-mail " + email + " already belongs to another staff member here");
            return st.error();
        }
        SHOWROOM_TRY(core::record(ctx, "staff.updated", "staff", *id,
                                  {{"name", *name},
                                   {"role", core::toString(*role)},
                                   {"active", active},
                                   {"pin_changed", pinTaken},
                                   {"source", "hq"}},
                                  core::Sync::No));
        if (!pin->empty() && !pinTaken)
            return noteNotApplied(change, "the PIN hash for " + *name +
                                              " is not one this store can check; the account was updated, the "
                                              "old PIN still works");
        return {};
    }

    // One model line of the network's catalog.
    core::Status applyCatalog(const Change& change) {
        const auto& d = change.data;
        auto yearIt = d.find("year");
        if (yearIt == d.end() || !yearIt->is_number_integer())
            return fail(ErrorCode::InvalidInput, "\"year\" is missing or not a whole number");
        const auto year = yearIt->get<std::int64_t>();
        if (year < 1980 || year > 2100)
            return fail(ErrorCode::InvalidInput, "model year " + std::to_string(year) + " is outside 1980..2100");
        std::string fields[6]; // make, model, trim, body, fuel, drivetrain
        const char* keys[6] = {"make", "model", "trim", "body", "fuel", "drivetrain"};
        for (int i = 0; i < 6; ++i) {
            auto value = i < 2 ? requiredText(d, keys[i]) : optionalText(d, keys[i]);
            if (!value) return value.error();
            fields[i] = std::move(*value);
        }
        if (fields[0].empty() || fields[1].empty())
            return fail(ErrorCode::InvalidInput, "a catalog line needs a make and a model");
        auto msrpText = requiredText(d, "msrp");
        if (!msrpText) return msrpText.error();
        auto msrp = core::parseMoney(*msrpText);
        if (!msrp) return fail(ErrorCode::InvalidInput, "\"msrp\": " + msrp.error().message);
        if (*msrp < 0) return fail(ErrorCode::InvalidInput, "the MSRP cannot be negative");
        auto features = optionalText(d, "features");
        if (!features) return features.error();
        auto stmt = conn.prepare(
            "INSERT INTO catalog_models(year, make, model, trim, body, fuel, drivetrain, msrp_cents, features, hq_seq) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(year, make, model, trim) DO UPDATE SET "
            "make = excluded.make, model = excluded.model, trim = excluded.trim, body = excluded.body, "
            "fuel = excluded.fuel, drivetrain = excluded.drivetrain, msrp_cents = excluded.msrp_cents, "
            "features = excluded.features, hq_seq = excluded.hq_seq WHERE excluded.hq_seq >= catalog_models.hq_seq");
        if (!stmt) return stmt.error();
        return stmt
            ->bindAll(year, fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], *msrp,
                      core::joinList(core::splitList(*features)), change.seq)
            .run();
    }

    // A vehicle on its way here: incoming until a porter scans it in. It is no longer another
    // showroom's stock.
    core::Status applyTransfer(const Change& change) {
        const auto& d = change.data;
        auto transferId = requiredText(d, "transfer_id");
        if (!transferId) return transferId.error();
        auto vin = requiredText(d, "vin");
        if (!vin) return vin.error();
        auto fromStore = requiredText(d, "from_store");
        if (!fromStore) return fromStore.error();
        auto it = d.find("vehicle");
        if (it == d.end()) return fail(ErrorCode::InvalidInput, "\"vehicle\" is missing");
        auto vehicle = core::vehicleFromJson(*it);
        if (!vehicle) return vehicle.error();
        auto cleaned = core::vin::clean(*vin);
        auto sentVin = core::vin::clean(vehicle->vin);
        if (!cleaned || !sentVin || *cleaned != *sentVin)
            return fail(ErrorCode::InvalidInput, "the transfer's VIN " + vin->substr(0, 40) +
                                                     " is not the vehicle's (" + vehicle->vin.substr(0, 40) + ")");
        auto ctx = context();
        auto received = core::Inventory(ctx).receiveTransfer(std::move(*vehicle), *transferId, *fromStore);
        if (!received) return received.error();
        auto gone = conn.prepare("DELETE FROM network_vehicles WHERE vin = ?");
        if (!gone) return gone.error();
        return gone->bindAll(received->vin).run();
    }

    // A decision HQ made against this store, or HQ closing one ("resolved": true). A conflict a
    // person here resolved stays resolved when the page comes again.
    core::Status applyConflict(const Change& change) {
        const auto& d = change.data;
        const std::string id = textOf(d, "id");
        if (id.empty()) return fail(ErrorCode::InvalidInput, "\"id\" is missing");
        auto kind = requiredText(d, "kind");
        if (!kind) return kind.error();
        bool resolved = false;
        if (auto it = d.find("resolved"); it != d.end() && it->is_boolean()) resolved = it->get<bool>();
        const std::string now = nowUtc();
        std::optional<std::string> resolvedAt;
        if (resolved) resolvedAt = now;
        auto stmt = conn.prepare(
            "INSERT INTO sync_conflicts(id, kind, vin, deal_id, deal_no, other_store, message, data, received_at, "
            "resolved_at, resolution_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, vin = excluded.vin, deal_id = excluded.deal_id, "
            "deal_no = excluded.deal_no, other_store = excluded.other_store, message = excluded.message, "
            "data = excluded.data, "
            "resolution_note = CASE WHEN sync_conflicts.resolved_at IS NULL THEN excluded.resolution_note "
            "ELSE sync_conflicts.resolution_note END, "
            "resolved_at = coalesce(sync_conflicts.resolved_at, excluded.resolved_at)");
        if (!stmt) return stmt.error();
        return stmt
            ->bindAll(id, *kind, textOf(d, "vin"), textOf(d, "deal_id"), textOf(d, "deal_no"),
                      textOf(d, "other_store"), textOf(d, "message"),
                      d.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), now, resolvedAt,
                      resolved ? "closed by HQ" : "")
            .run();
    }

    core::Result<PullReport> pull(int maxPages) {
        PullReport report;
        auto cursorText = readState(conn, kCursorKey);
        if (!cursorText) return cursorText.error();
        std::int64_t cursor = parseCursor(*cursorText);
        report.cursor = cursor;
        for (int page = 0; page < maxPages && !stopping(); ++page) {
            const std::string path = endpoint.basePath + "/v1/changes?after=" + std::to_string(cursor) +
                                     "&limit=" + std::to_string(kPullPageSize);
            auto res = http->Get(path);
            if (!res) return noteFailure(fail(ErrorCode::Io, transportMessage(hq.url, res.error())));
            if (res->status == 401 || res->status == 403)
                return noteFailure(fail(ErrorCode::Denied, "HQ refused this store's token (HTTP " +
                                                               std::to_string(res->status) + "): " + hqMessage(*res)));
            if (res->status != 200)
                return noteFailure(
                    fail(ErrorCode::Io, "HQ answered HTTP " + std::to_string(res->status) + ": " + hqMessage(*res)));
            auto json = parseBody(res->body);
            if (!json) return noteFailure(fail(ErrorCode::Io, "HQ's changes are not JSON: " + json.error().message));
            auto changes = pullResponseFromJson(*json);
            if (!changes)
                return noteFailure(fail(ErrorCode::Io, "HQ's changes are unreadable: " + changes.error().message));

            std::int64_t next = std::max(cursor, changes->cursor);
            for (const auto& c : changes->changes)
                next = std::max(next, c.seq);
            auto tx = db::Transaction::begin(conn);
            if (!tx) return tx.error();
            for (const auto& c : changes->changes)
                SHOWROOM_TRY(applyOrNote(c));
            SHOWROOM_TRY(writeState(conn, kCursorKey, std::to_string(next)));
            SHOWROOM_TRY(noteSuccess());
            SHOWROOM_TRY(tx->commit());
            report.changes += static_cast<std::int64_t>(changes->changes.size());
            report.cursor = next;
            const bool advanced = next != cursor;
            cursor = next;
            if (!changes->more || !advanced) break;
        }
        return report;
    }
};

core::Result<SyncStatus> readSyncStatus(const std::string& dbPath) {
    std::error_code ec;
    if (!std::filesystem::exists(dbPath, ec)) return fail(ErrorCode::NotFound, "no store database at " + dbPath);
    db::OpenOptions options;
    options.create = false;
    auto conn = core::openStore(dbPath, options);
    if (!conn) return conn.error();
    return readStatus(*conn);
}

core::Result<std::unique_ptr<SyncClient>> SyncClient::open(const std::string& dbPath, HqConnection hq) {
    auto endpoint = parseEndpoint(hq.url, hq.insecure);
    if (!endpoint) return endpoint.error();
    if (hq.token.empty()) return fail(ErrorCode::InvalidInput, "no store token for HQ (see `showroom-hq store add`)");
    if (!hq.caFile.empty()) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(hq.caFile, ec))
            return fail(ErrorCode::InvalidInput, "cannot read the CA file " + hq.caFile);
    }
    if (hq.timeoutMs <= 0) return fail(ErrorCode::InvalidInput, "the HQ timeout must be positive");

    // HQ hanging up mid-request must not kill the kiosk: OpenSSL writes with write(2), which raises
    // SIGPIPE on a closed socket. Only the default disposition is replaced; a host's own is kept.
    if (struct sigaction current{}; ::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL)
        std::signal(SIGPIPE, SIG_IGN);

    auto lock = LockFile::acquire(dbPath + ".sync.lock");
    if (!lock) return lock.error();
    auto conn = core::openStore(dbPath);
    if (!conn) return conn.error();

    auto impl = std::make_unique<Impl>(std::move(hq), std::move(*endpoint), std::move(*lock), std::move(*conn));
    if (impl->endpoint.tls) {
        auto tls = std::make_unique<httplib::SSLClient>(impl->endpoint.host, impl->endpoint.port);
        if (!impl->hq.caFile.empty()) tls->set_ca_cert_path(impl->hq.caFile);
        tls->enable_server_certificate_verification(true);
        impl->http = std::move(tls);
    } else {
        impl->http = std::make_unique<httplib::ClientImpl>(impl->endpoint.host, impl->endpoint.port);
    }
    const auto ms = impl->hq.timeoutMs;
    impl->http->set_connection_timeout(ms / 1000, (ms % 1000) * 1000);
    impl->http->set_read_timeout(ms / 1000, (ms % 1000) * 1000);
    impl->http->set_write_timeout(ms / 1000, (ms % 1000) * 1000);
    impl->http->set_bearer_token_auth(impl->hq.token);
    return std::unique_ptr<SyncClient>(new SyncClient(std::move(impl)));
}

SyncClient::SyncClient(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
SyncClient::~SyncClient() = default;

core::Result<PushReport> SyncClient::push(int maxBatches) {
    return m_impl->push(maxBatches);
}
core::Result<PullReport> SyncClient::pull(int maxPages) {
    return m_impl->pull(maxPages);
}
core::Result<SyncStatus> SyncClient::status() {
    return readStatus(m_impl->conn);
}

void SyncClient::run(const std::function<void()>& onChange) {
    Impl& s = *m_impl;
    std::mt19937_64 rng{std::random_device{}()};
    int failures = 0;
    const auto initial = readStatus(s.conn);
    bool wasOnline = initial.ok() && initial->online;
    for (;;) {
        {
            std::lock_guard guard(s.mutex);
            if (s.stopRequested) return;
            s.woken = false;
        }
        bool changed = false;
        bool failed = false;
        try {
            auto pushed = s.push(1'000'000);
            if (pushed) {
                changed = pushed->sent + pushed->quarantined > 0;
                auto pulled = s.pull(1'000);
                if (pulled)
                    changed = changed || pulled->changes > 0;
                else
                    failed = true;
            } else {
                failed = true;
            }
        } catch (const std::exception& e) {
            failed = true;
            (void)s.noteFailure(fail(ErrorCode::Internal, std::string("sync round failed: ") + e.what()));
        } catch (...) {
            failed = true;
            (void)s.noteFailure(fail(ErrorCode::Internal, "sync round failed"));
        }
        if (wasOnline == failed) changed = true; // went offline or came back
        wasOnline = !failed;
        if (changed && onChange) {
            try {
                onChange();
            } catch (...) {
                // The listener's trouble is not the sync's: keep going.
            }
        }

        std::chrono::milliseconds delay = kPollInterval;
        if (failed) {
            // 1 s doubling to 5 min, each wait drawn from [3/4, 5/4] of it so a network of showrooms
            // coming back together does not hit HQ in step.
            const auto base =
                std::min<std::chrono::milliseconds>(kBackoffMax, kBackoffFirst * (1LL << std::min(failures, 16)));
            std::uniform_real_distribution<double> jitter(0.75, 1.25);
            delay = std::clamp<std::chrono::milliseconds>(
                std::chrono::milliseconds(static_cast<std::int64_t>(static_cast<double>(base.count()) * jitter(rng))),
                kBackoffFirst, kBackoffMax);
            ++failures;
        } else {
            failures = 0;
        }
        std::unique_lock guard(s.mutex);
        s.cv.wait_for(guard, delay, [&] { return s.stopRequested || s.woken; });
    }
}

void SyncClient::wake() {
    {
        std::lock_guard guard(m_impl->mutex);
        m_impl->woken = true;
    }
    m_impl->cv.notify_all();
}

void SyncClient::stop() {
    {
        std::lock_guard guard(m_impl->mutex);
        m_impl->stopRequested = true;
    }
    m_impl->cv.notify_all();
    // Cuts a request in flight short instead of waiting out its timeout; the batch it carried
    // stays unsent and is answered "duplicate" next time if HQ had committed it.
    m_impl->http->stop();
}

} // namespace showroom::sync
