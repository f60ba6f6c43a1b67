#include "showroom/sync/hq.hpp"

#include "hq_backends.hpp"
#include "hq_network.hpp"

#include "showroom/core/clock.hpp"
#include "showroom/core/contract.hpp"

#include <sys/random.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>

// Every statement here runs unchanged on SQLite and PostgreSQL: `?` parameters bound as text,
// INSERT ... ON CONFLICT DO NOTHING, RETURNING, and nothing vendor-specific.

namespace showroom::sync {

using core::ErrorCode;
using core::Result;
using Params = std::vector<std::optional<std::string>>;

namespace {

using detail::number;
using detail::text;

std::string nowUtc() {
    return core::formatUtc(core::SystemClock().now());
}

/// 32 bytes from the kernel's CSPRNG, as 64 hex digits.
Result<std::string> randomToken() {
    std::array<unsigned char, 32> bytes{};
    std::size_t filled = 0;
    while (filled < bytes.size()) {
        const ssize_t n = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return core::fail(ErrorCode::Io, std::string("cannot read random bytes: ") + std::strerror(errno));
        }
        filled += static_cast<std::size_t>(n);
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const unsigned char b : bytes) {
        out += kHex[b >> 4];
        out += kHex[b & 0x0f];
    }
    return out;
}

StoreInfo storeFrom(const Row& row) {
    return StoreInfo{text(row, 0), text(row, 1), text(row, 2), text(row, 3)};
}

/// Why HQ will never store `e`; "" when it is acceptable.
std::string rejectionReason(const Event& e) {
    if (e.eventId.empty()) return "event_id is empty";
    if (!Hq::knownEventType(e.type)) return "unknown event type '" + e.type + "'";
    if (!e.payload.is_object()) return "payload of " + e.type + " must be a JSON object";
    return {};
}

} // namespace

Result<std::unique_ptr<HqStorage>> openHqStorage(std::string_view url) {
    if (url.rfind("sqlite:", 0) == 0) return detail::openSqliteHqStorage(std::string(url.substr(7)));
    if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0)
        return detail::openPostgresHqStorage(std::string(url));
    // Never echo the URL: a mistyped scheme may still carry a password.
    const auto colon = url.find(':');
    const std::string scheme(url.substr(0, colon == std::string_view::npos ? 0 : colon));
    return core::fail(
        ErrorCode::InvalidInput,
        (scheme.empty() ? std::string("a database URL without a scheme") : "database scheme '" + scheme + "'") +
            " is not supported: use sqlite:PATH or postgresql://user@host:port/database");
}

bool Hq::knownEventType(std::string_view type) {
    static constexpr std::string_view kPrefixes[] = {"vehicle.",   "deal.",      "payment.",    "customer.",
                                                     "lead.",      "follow_up.", "test_drive.", "contract.",
                                                     "inventory.", "staff.",     "store."};
    for (const auto prefix : kPrefixes)
        if (type.size() > prefix.size() && type.substr(0, prefix.size()) == prefix) return true;
    return false;
}

Result<std::string> Hq::addStore(std::string_view code, std::string_view name) {
    if (code.empty()) return core::fail(ErrorCode::InvalidInput, "a store needs a code");
    if (code.find_first_of(" \t\r\n") != std::string_view::npos)
        return core::fail(ErrorCode::InvalidInput, "store code '" + std::string(code) + "' contains white space");
    auto token = randomToken();
    if (!token) return token.error();
    const std::string id = core::IdGenerator().uuid();
    // ON CONFLICT DO NOTHING rather than a failed INSERT: PostgreSQL would abort the transaction.
    auto rows = m_storage->query(
        "INSERT INTO stores(id, code, name, token_sha256, created_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING RETURNING id",
        Params{id, std::string(code), std::string(name.empty() ? code : name), core::sha256Hex(*token), nowUtc()});
    if (!rows) return rows.error();
    if (rows->empty())
        return core::fail(ErrorCode::Duplicate, "a store with code " + std::string(code) + " is already enrolled");
    return std::move(*token);
}

Result<std::vector<StoreInfo>> Hq::stores() {
    auto rows = m_storage->query("SELECT id, code, name, created_at FROM stores ORDER BY code");
    if (!rows) return rows.error();
    std::vector<StoreInfo> out;
    out.reserve(rows->size());
    for (const auto& row : *rows)
        out.push_back(storeFrom(row));
    return out;
}

Result<std::optional<StoreInfo>> Hq::authenticate(std::string_view token) {
    // Looking up the hash, not the token, leaks nothing useful through timing: an attacker cannot
    // steer which bytes of a SHA-256 match.
    if (token.empty()) return std::optional<StoreInfo>();
    auto rows = m_storage->query("SELECT id, code, name, created_at FROM stores WHERE token_sha256 = ?",
                                 Params{core::sha256Hex(token)});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<StoreInfo>();
    return std::optional<StoreInfo>(storeFrom(rows->front()));
}

Result<PushResponse> Hq::ingest(const StoreInfo& store, const std::vector<Event>& events) {
    if (events.size() > kMaxBatchEvents)
        return core::fail(ErrorCode::InvalidInput, std::to_string(events.size()) + " events in one batch, at most " +
                                                       std::to_string(kMaxBatchEvents));
    const std::string receivedAt = nowUtc();
    bool writesChanges = false;
    for (const auto& e : events)
        writesChanges = writesChanges || detail::interpretedByHq(e);

    SHOWROOM_TRY(m_storage->begin());
    auto work = [&]() -> Result<PushResponse> {
        PushResponse out;
        // Stores pull changes by sequence, so a change must not commit after one with a higher
        // sequence (a puller would skip it). Taking this row lock before any change is written
        // makes change writers commit in sequence order; it is taken before any event row, so a
        // concurrent batch holding an event row never waits on it while we wait on the event.
        if (writesChanges) SHOWROOM_TRY(detail::lockChanges(*m_storage));
        for (const auto& e : events) {
            if (const std::string reason = rejectionReason(e); !reason.empty()) {
                // An event HQ already holds stays a duplicate even if today's rules would refuse it.
                if (!e.eventId.empty()) {
                    auto held = m_storage->query("SELECT 1 FROM events WHERE event_id = ?", Params{e.eventId});
                    if (!held) return held.error();
                    if (!held->empty()) {
                        out.duplicates.push_back(e.eventId);
                        continue;
                    }
                }
                out.rejected.push_back(Rejection{e.eventId, reason});
                continue;
            }
            const std::string payload = e.payload.dump();
            auto inserted =
                m_storage->query("INSERT INTO events(event_id, store_id, seq, type, entity, entity_id, payload, "
                                 "created_at, hlc, received_at) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING event_id",
                                 Params{e.eventId, store.id, std::to_string(e.seq), e.type, e.entity, e.entityId,
                                        payload, e.createdAt, e.hlc, receivedAt});
            if (!inserted) return inserted.error();
            if (inserted->empty()) {
                out.duplicates.push_back(e.eventId);
                continue;
            }
            out.accepted.push_back(e.eventId);
            SHOWROOM_TRY(detail::applyNetworkRules(*m_storage, store, e, receivedAt));
        }
        return out;
    };
    auto result = work();
    if (!result) {
        m_storage->rollback();
        return result.error();
    }
    if (auto st = m_storage->commit(); !st) {
        m_storage->rollback();
        return st.error();
    }
    return result;
}

Result<PullResponse> Hq::changesFor(const StoreInfo& store, std::int64_t after, int limit) {
    if (limit < 1) return core::fail(ErrorCode::InvalidInput, "limit must be at least 1");
    if (after < 0) after = 0;
    // One more than asked tells whether another page waits.
    auto rows = m_storage->query(
        "SELECT seq, kind, store_code, data FROM changes WHERE seq > ? "
        "AND (target_store_id IS NULL OR target_store_id = ?) "
        "AND (kind <> 'vehicle' OR store_id IS NULL OR store_id <> ?) ORDER BY seq LIMIT ?",
        Params{std::to_string(after), store.id, store.id, std::to_string(static_cast<std::int64_t>(limit) + 1)});
    if (!rows) return rows.error();
    PullResponse out;
    out.cursor = after;
    out.more = rows->size() > static_cast<std::size_t>(limit);
    const std::size_t count = out.more ? static_cast<std::size_t>(limit) : rows->size();
    out.changes.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const Row& row = (*rows)[i];
        auto seq = number(row, 0);
        if (!seq) return seq.error();
        Change c;
        c.seq = *seq;
        c.kind = text(row, 1);
        c.storeCode = text(row, 2);
        c.data = nlohmann::json::parse(text(row, 3), nullptr, false);
        if (c.data.is_discarded())
            return core::fail(ErrorCode::Internal, "change " + std::to_string(c.seq) + " holds data that is not JSON");
        out.cursor = c.seq;
        out.changes.push_back(std::move(c));
    }
    return out;
}

Result<std::vector<StoredEvent>> Hq::eventsOf(std::string_view storeId, const EventPosition& after, int limit) {
    if (limit < 1) return core::fail(ErrorCode::InvalidInput, "limit must be at least 1");
    const std::string seq = std::to_string(after.seq);
    auto rows = m_storage->query("SELECT event_id, seq, type, entity_id, payload, created_at, hlc FROM events "
                                 "WHERE store_id = ? AND (seq, event_id) > (?, ?) ORDER BY seq, event_id LIMIT ?",
                                 Params{std::string(storeId), seq, after.eventId, std::to_string(limit)});
    if (!rows) return rows.error();
    std::vector<StoredEvent> out;
    out.reserve(rows->size());
    for (const auto& row : *rows) {
        auto n = number(row, 1);
        if (!n) return n.error();
        out.push_back(StoredEvent{text(row, 0), *n, text(row, 2), text(row, 3), text(row, 4), text(row, 5), text(row, 6)});
    }
    return out;
}

Result<std::int64_t> Hq::countEventsUpTo(std::string_view storeId, const EventPosition& at) {
    const std::string seq = std::to_string(at.seq);
    auto rows = m_storage->query("SELECT COUNT(*) FROM events WHERE store_id = ? AND (seq, event_id) <= (?, ?)",
                                 Params{std::string(storeId), seq, at.eventId});
    if (!rows) return rows.error();
    return number(rows->front(), 0);
}

Result<std::vector<StoreStats>> Hq::stats() {
    auto rows = m_storage->query("SELECT s.id, s.code, s.name, s.created_at, COUNT(e.event_id), "
                                 "COUNT(DISTINCT CASE WHEN e.type LIKE 'deal.%' THEN e.entity_id END), "
                                 "COUNT(DISTINCT CASE WHEN e.type LIKE 'lead.%' THEN e.entity_id END), "
                                 "COUNT(DISTINCT CASE WHEN e.type LIKE 'vehicle.%' THEN e.entity_id END), "
                                 "MAX(e.received_at) "
                                 "FROM stores s LEFT JOIN events e ON e.store_id = s.id "
                                 "GROUP BY s.id, s.code, s.name, s.created_at ORDER BY s.code");
    if (!rows) return rows.error();
    std::vector<StoreStats> out;
    out.reserve(rows->size());
    for (const auto& row : *rows) {
        StoreStats s;
        s.store = storeFrom(row);
        std::int64_t* counts[] = {&s.events, &s.deals, &s.leads, &s.vehicles};
        for (std::size_t i = 0; i < 4; ++i) {
            auto n = number(row, 4 + i);
            if (!n) return n.error();
            *counts[i] = *n;
        }
        s.lastEventAt = text(row, 8);
        out.push_back(std::move(s));
    }
    return out;
}

} // namespace showroom::sync
