#pragma once
// Headquarters' state, behind one interface with two backends that pass the same test suite:
// SQLite (`sqlite:PATH`, the default) and PostgreSQL (`postgresql://...`).
//
// HqStorage is the only backend-specific part: a handful of SQL primitives (transactions,
// statements with `?` parameters, rows of text) and the schema. Every rule lives once, in Hq, written
// in SQL both backends run (INSERT ... ON CONFLICT, no vendor functions).
//
// Rules:
//  - Stores enrol once: addStore() makes a random token, returns it once, and keeps only its
//    SHA-256. authenticate() finds the store of a token; a wrong token finds nothing.
//  - ingest() takes one store's batch in one transaction. An event id HQ has already is a duplicate
//    (whoever sent it); an event whose type HQ does not know, or whose payload is not an object, is
//    rejected with a reason; the rest are stored. Nothing about a batch is half-stored.
//  - The store id of every stored event is the authenticated store's, whatever the payload says.
//
// Threading: an Hq uses its storage from one thread at a time; the server gives each worker
// thread its own Hq (SQLite: one connection each, WAL; PostgreSQL: one connection each).

#include "showroom/core/result.hpp"
#include "showroom/sync/protocol.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace showroom::sync {

/// A row of text values (NULL as nullopt), as both backends return them.
using Row = std::vector<std::optional<std::string>>;

/// SQL primitives a backend provides. Parameters are written `?` and bound as text (numbers as
/// their decimal text); the PostgreSQL backend renumbers them to $1, $2, ...
class HqStorage {
public:
    virtual ~HqStorage() = default;
    virtual std::string describe() const = 0;   ///< "sqlite:/var/lib/hq.db", "postgresql://host/db" (no password)
    /// Creates the tables when missing (idempotent).
    virtual core::Status migrate() = 0;
    virtual core::Status begin() = 0;
    virtual core::Status commit() = 0;
    virtual void rollback() = 0;
    /// Runs one statement; the rows it returns (none for INSERT/UPDATE without RETURNING).
    virtual core::Result<std::vector<Row>> query(std::string_view sql, const std::vector<std::optional<std::string>>& params = {}) = 0;
};

/// Opens `sqlite:PATH` or `postgresql://user@host:port/db` (also `postgres://`). InvalidInput for
/// anything else; Io/Storage when the database cannot be opened or reached.
core::Result<std::unique_ptr<HqStorage>> openHqStorage(std::string_view url);

struct StoreInfo {
    std::string id;          ///< HQ's id for the store
    std::string code;        ///< short code, e.g. "DTN"
    std::string name;
    std::string createdAt;
};

struct StoreStats {
    StoreInfo store;
    std::int64_t events = 0;     ///< events received
    std::int64_t deals = 0;      ///< deal.* events' distinct deals
    std::int64_t leads = 0;      ///< lead.* events' distinct leads
    std::int64_t vehicles = 0;   ///< vehicle.* events' distinct vehicles
    std::string lastEventAt;     ///< when the newest event arrived ("" when none)
};

/// Business figures over a set of events (`showroom-hq report`, the analytics issue's source).
struct ReportFigures {
    std::int64_t events = 0;                ///< events received
    std::int64_t dealsSigned = 0;           ///< distinct deals with a deal.signed event
    std::int64_t paymentsReceived = 0;      ///< payment.received events
    std::int64_t paymentsCents = 0;         ///< sum of their payload "amount" (a decimal string), in cents
    std::int64_t paymentsWithoutAmount = 0; ///< payments counted whose amount is missing or unreadable
    std::int64_t vehiclesCheckedIn = 0;     ///< distinct vehicles with a vehicle.checked_in event
    std::int64_t leadsOpened = 0;           ///< distinct leads with a lead.opened event
    std::string firstEventAt, lastEventAt;  ///< oldest and newest created_at (the store's clock); "" when none
};

struct StoreReport {
    StoreInfo store;
    ReportFigures figures;
};

/// Every enrolled store (by code, those without events too) and the network's total: each count
/// the sum of the stores', the times the earliest and latest of them.
struct NetworkReport {
    std::vector<StoreReport> stores;
    ReportFigures total;
};

class Hq {
public:
    explicit Hq(std::unique_ptr<HqStorage> storage) : m_storage(std::move(storage)) {}

    HqStorage& storage() { return *m_storage; }

    /// Enrols a store; returns its token (shown once). Duplicate for a code already enrolled.
    core::Result<std::string> addStore(std::string_view code, std::string_view name);
    core::Result<std::vector<StoreInfo>> stores();
    /// The store a token belongs to; nullopt for an unknown token.
    core::Result<std::optional<StoreInfo>> authenticate(std::string_view token);

    /// Stores one store's batch (see the rules above).
    core::Result<PushResponse> ingest(const StoreInfo& store, const std::vector<Event>& events);
    /// What HQ has for `store` after `after`, at most `limit` changes.
    core::Result<PullResponse> changesFor(const StoreInfo& store, std::int64_t after, int limit);

    core::Result<std::vector<StoreStats>> stats();
    /// Network-wide figures (hq_report.cpp). Read while stores keep pushing: each statement sees
    /// its own snapshot, so payments may include a batch the event counts do not yet.
    core::Result<NetworkReport> report();

    /// The event types HQ accepts (what core/ writes to the outbox).
    static bool knownEventType(std::string_view type);

private:
    std::unique_ptr<HqStorage> m_storage;
};

} // namespace showroom::sync
