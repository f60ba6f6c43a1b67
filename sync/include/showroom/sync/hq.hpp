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
// Network rules (hq_network.cpp), decided in the transaction that stores the event, so every HQ
// worker and both backends decide alike:
//  - Vehicles, by VIN: HQ keeps one merged record. Each field carries the hybrid-logical-clock
//    stamp (core/hlc.hpp) of the write that set it; a write with a later stamp wins that field, an
//    earlier one loses it, whatever order they arrive in (a stamp-less event from an old store is
//    older than any stamp). When two edits of a field come from different places (stores, HQ) with
//    different values, the older is recorded as the loser (fieldLosses()), whichever arrived first;
//    a store's own edits are its history, not conflicts. A whole record (a check-in, a transfer's
//    arrival) is a handover that sets the baseline: it wins the fields its stamp wins, and neither
//    it nor the baseline it sets is ever recorded as a loser. "store_code" is a field like the others: a
//    transfer's destination becomes the owner with its own later stamp. Every merge that changes
//    the record sends it (without cost) to the other stores.
//  - Holds and sales, by VIN: a vehicle is claimed by the first store whose hold or sale HQ commits.
//    A sale at another store while the first only holds it takes the claim (first committed sale
//    wins) and the holder's deal is flagged; a hold or a sale after another store's sale, or a hold
//    after another store's hold, is flagged. Flagged means a "conflict" for that store's people
//    (conflicts()); nothing is deleted or undone. The claim is released when its store puts the
//    vehicle back in stock; a flagged deal that its store cancels resolves its conflict, and so does
//    the store saying a person dealt with it (store.conflict_resolved).
//  - Customers: matched by normalised phone (digits only, a leading North American 1 dropped, at
//    least 7 digits) and e-mail (trimmed, lower case). A store's new customer who shares either with
//    a network customer joins that customer; one who joins two network customers merges them into the
//    older. Each store keeps its own customer record and history; customer() shows them together.
//  - Transfers: a store sends a vehicle (vehicle.transferred); HQ sends it to the destination, which
//    holds it as incoming until a porter scans it in. An unknown destination is a conflict for the
//    sender.
//  - HQ's own data goes down as changes: prices (a field write with HQ's own stamp, node "HQ"),
//    staff accounts and catalog lines.
//
// Threading: an Hq uses its storage from one thread at a time; the server gives each worker
// thread its own Hq (SQLite: one connection each, WAL; PostgreSQL: one connection each).

#include "showroom/core/result.hpp"
#include "showroom/sync/protocol.hpp"

#include <nlohmann/json.hpp>

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
    /// Creates version 1 of HQ's tables when missing (idempotent). Call Hq::migrate(), which also
    /// applies the later versions.
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

/// One event as HQ stored it, for the readers that replay the network (report_replica.hpp).
struct StoredEvent {
    std::string eventId;
    std::int64_t seq = 0; ///< the store's outbox sequence
    std::string type, entityId, payload, createdAt, hlc;
};

/// Where a reader stands in one store's events: after (seq, eventId), in that order.
struct EventPosition {
    std::int64_t seq = 0;
    std::string eventId; ///< "" before the first event of that seq
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

/// A store's decision HQ made against it, waiting for a person (see the rules above).
struct Conflict {
    std::string id;
    std::string kind;          ///< "vehicle_sold_elsewhere", "vehicle_held_elsewhere", "transfer_refused"
    std::string storeCode;     ///< the store that must act
    std::string vin, dealId, dealNo;
    std::string otherStore;    ///< the store that won ("" when none)
    std::string message;
    std::string createdAt;
    std::string resolvedAt;    ///< "" while open
    std::string resolution;
};

/// A field value that lost to a concurrent edit from elsewhere.
struct FieldLoss {
    std::string vin, field;
    nlohmann::json lostValue, keptValue;
    std::string lostHlc, keptHlc;
    std::string lostStore, keptStore;   ///< store codes; "HQ" for HQ's own writes
    std::string recordedAt;
};

/// One person as the network knows them: every store's record of them and their history.
struct NetworkCustomer {
    struct Record {
        std::string storeCode, customerId, linkedAt;
    };
    struct HistoryEntry {
        std::string storeCode, type, entityId, createdAt;
    };
    std::string id;
    std::string firstName, lastName;
    std::vector<Record> records;          ///< oldest link first
    std::vector<HistoryEntry> history;    ///< every store's events about them, oldest first
    std::vector<std::string> mergedFrom;  ///< network customers merged into this one
};

/// A staff account HQ manages (sent down as a "staff" change).
struct StaffAccount {
    std::string id;            ///< "" = new
    std::string storeCode;     ///< "" = every store
    std::string name, email, role;
    std::string pin;           ///< plain PIN to set ("" = keep); never stored, only its hash
    bool active = true;
};

struct CatalogLine {
    int year = 0;
    std::string make, model, trim, body, fuel, drivetrain, features;
    std::int64_t msrpCents = 0;
};

struct CatalogImport {
    std::int64_t lines = 0;                 ///< stored (new or changed)
    std::vector<std::string> errors;        ///< "line 4: ..." for every row refused
};

struct Transfer {
    std::string id, vin, fromStore, toStore, status, requestedAt, receivedAt;
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

    /// Up to `limit` of a store's events after `after`, in (seq, event id) order: the order the store
    /// wrote them (a store's seq is unique unless its database was replaced; the id breaks such ties).
    core::Result<std::vector<StoredEvent>> eventsOf(std::string_view storeId, const EventPosition& after, int limit);
    /// How many of a store's events HQ holds at or before `at`. A reader that has read that far and
    /// counted fewer missed one that arrived late (a quarantined event the store released).
    core::Result<std::int64_t> countEventsUpTo(std::string_view storeId, const EventPosition& at);

    core::Result<std::vector<StoreStats>> stats();
    /// Network-wide figures (hq_report.cpp). Read while stores keep pushing: each statement sees
    /// its own snapshot, so payments may include a batch the event counts do not yet.
    core::Result<NetworkReport> report();

    /// Creates or upgrades HQ's tables (the backend's base schema, then the numbered steps here).
    core::Status migrate();

    // -- the network (hq_network.cpp) ------------------------------------------------------------
    core::Result<std::vector<Conflict>> conflicts(bool openOnly);
    /// Closes a conflict from HQ's side; the store hears of it. NotFound for an unknown id.
    core::Status resolveConflict(std::string_view id, std::string_view note);
    core::Result<std::vector<FieldLoss>> fieldLosses(std::string_view vin);
    /// The merged vehicle record (with "store_code"); NotFound when no store has sent it.
    core::Result<nlohmann::json> vehicle(std::string_view vin);
    /// The network customer with this phone or e-mail (normalised as in the rules); nullopt if none.
    core::Result<std::optional<NetworkCustomer>> findCustomer(std::string_view phoneOrEmail);
    /// Re-prices a vehicle network-wide: a field write stamped by HQ's clock. NotFound for a VIN no
    /// store has sent; InvalidInput for a negative price.
    core::Status setPrice(std::string_view vin, std::int64_t priceCents);
    /// Creates (id "") or updates a staff account; returns its id. InvalidInput for an unknown role or
    /// store, a bad PIN or e-mail.
    core::Result<std::string> putStaff(const StaffAccount& account);
    core::Result<std::vector<StaffAccount>> staff();
    /// Catalog CSV with a header: year,make,model,trim,body,fuel,drivetrain,msrp,features. Rows with
    /// an error are listed and skipped; the good rows are stored and sent down.
    core::Result<CatalogImport> importCatalog(std::string_view csv);
    core::Result<std::vector<Transfer>> transfers();

    /// The event types HQ accepts (what core/ writes to the outbox).
    static bool knownEventType(std::string_view type);

private:
    std::unique_ptr<HqStorage> m_storage;
};

} // namespace showroom::sync
