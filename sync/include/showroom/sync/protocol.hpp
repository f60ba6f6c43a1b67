#pragma once
// The wire between a showroom and headquarters: JSON over HTTPS, version 1.
//
//   POST /v1/events            push a batch of outbox events          -> PushResponse
//   GET  /v1/changes?after=N   what HQ has for this store after N      -> PullResponse
//   GET  /v1/health            no token needed                         -> {"ok": true}
// Every call but health carries `Authorization: Bearer <store token>`; HQ takes the store's identity
// from the token, never from a body. Bodies are at most kMaxBodyBytes, batches kMaxBatchEvents.
//
// Delivery is at-least-once on the wire and exactly-once in effect: an event is identified by its
// UUID; HQ answers a UUID it already has as a duplicate (same as accepted for the client), and the
// client marks an event sent only when HQ's answer names it. A rejected event (malformed, unknown
// type) comes back with HQ's reason; the client quarantines it and the rest of the queue flows.
//
// Pure: parsing and printing only; nothing here touches a socket or a database.

#include "showroom/core/result.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace showroom::sync {

inline constexpr std::size_t kMaxBodyBytes = 4u << 20;   ///< 4 MiB
inline constexpr std::size_t kMaxBatchEvents = 500;
inline constexpr int kProtocolVersion = 1;

/// One outbox event as the store wrote it (core::record, in the transaction of the change).
struct Event {
    std::string eventId;      ///< UUID, unique network-wide
    std::int64_t seq = 0;     ///< the store's outbox sequence (order of commits)
    std::string type;         ///< "vehicle.checked_in", "deal.signed", "payment.received", ...
    std::string entity;       ///< "vehicle", "deal", "customer", ...
    std::string entityId;
    nlohmann::json payload;   ///< an object
    std::string createdAt;    ///< UTC ISO 8601, the store's clock
    std::string hlc;          ///< hybrid logical clock stamp (core/hlc.hpp); "" from stores before schema 4
};

// Events HQ reads beyond storing them (every other known type is stored and counted only):
//  - vehicle.added, vehicle.checked_in, vehicle.incoming: the whole vehicle JSON: network stock.
//  - vehicle.status_changed {vin, from, to, reason[, deal_id, deal_no][, at]}: "on_hold" or "sold" claims
//    the vehicle for the store's deal (the conflict rules in hq.hpp); "in_stock" releases the store's
//    claim; "incoming" -> "in_stock" at a transfer's destination completes the transfer.
//  - vehicle.moved {vin, from, to}: the lot location. vehicle.price_changed {vin, from, price}.
//  - vehicle.transferred {vin, to_store (code), vehicle}: the vehicle leaves for another showroom.
//  - customer.added (the customer JSON): matched network-wide by normalised phone and e-mail.
//  - store.conflict_resolved {conflict_id, note}: a person at the store dealt with a conflict.
// and, for the network's reports (report_replica.hpp), the store's rows as these events describe them:
//  - staff.added {name, role}; customer.added; lead.opened (the lead JSON); lead.moved {from, to,
//    [lost_reason], [at]}; follow_up.added and follow_up.done, test_drive.started and test_drive.finished
//    (the whole row); deal.created {id, deal_no, store_id, customer_id, vehicle_id, lead_id,
//    salesperson_id, status, kind, price, discount, backend_gross, created_at, ...}; deal.signed,
//    deal.delivered, deal.cancelled {deal_no, from, to, [reason], [at]}.
//  "at" is the time the store wrote in its row; events from stores before it was added carry none, and
//  the event's created_at (the same clock, read a moment later) stands in.

struct PushRequest {
    std::vector<Event> events;
};

struct Rejection {
    std::string eventId;
    std::string reason;       ///< for a person: why HQ will never accept it
};

struct PushResponse {
    std::vector<std::string> accepted;     ///< stored now
    std::vector<std::string> duplicates;   ///< HQ had them already (a retried batch)
    std::vector<Rejection> rejected;       ///< will never be accepted: quarantine
};

/// Something HQ wants the store to know. A change goes to every store, or to one (HQ decides; the
/// store applies what it is sent). `data` by kind, every key always present unless marked:
///
///  - "vehicle": another showroom's vehicle as HQ holds it after merging every store's edits
///    (field-level last writer wins by HLC): the store's vehicle JSON (core/json.hpp: "vin",
///    "year", "make", "model", "trim", "body", "fuel", "condition", "odometer", "exterior_color",
///    "price", "msrp", "status", "photos", ...) without "cost", plus "store_code" (the owner, also in
///    Change::storeCode) and "store_name". Never sent to the owner itself. A VIN is in one place: a vehicle change for
///    a VIN replaces what the store knew of that VIN at any other showroom.
///  - "price": {"vin", "price" (decimal string, "24990.00"), "hlc" (HQ's stamp)}: HQ re-priced a
///    vehicle of this store. The store applies it unless it changed that price itself with a later
///    stamp (then HQ already holds the store's price as the winner).
///  - "staff": {"id", "name", "email" ("" = none), "role", "pin_hash" (argon2id, "" = keep the
///    PIN), "active"}: a staff account HQ manages, for this store (storeCode) or every store ("").
///  - "catalog": {"year", "make", "model", "trim", "body", "fuel", "drivetrain", "msrp" (decimal
///    string), "features" ("; "-separated)}: one model line of the network's catalog, to every store.
///  - "transfer": {"transfer_id", "vin", "from_store" (code), "vehicle" (the vehicle JSON as the
///    sending store last described it, without "cost")}: a vehicle on its way to this store. The
///    store keeps it as an incoming vehicle until a porter scans it in.
///  - "conflict": {"id", "kind", "vin", "deal_id", "deal_no", "other_store", "message", "resolved"}:
///    a decision HQ made against this store that a person must act on. Kinds:
///    "vehicle_sold_elsewhere" (another showroom committed a sale of the vehicle first; this store's
///    deal stands, flagged, until a manager cancels or re-desks it) and "transfer_refused" (the
///    destination showroom does not exist). The same id with "resolved": true closes it.
struct Change {
    std::int64_t seq = 0;     ///< HQ's change sequence: the store's pull cursor
    std::string kind;         ///< "vehicle", "price", "staff", "catalog", "transfer", "conflict"
    std::string storeCode;    ///< the showroom it is about ("" for HQ's own data)
    nlohmann::json data;
};

struct PullResponse {
    std::vector<Change> changes;
    std::int64_t cursor = 0;  ///< pass as `after` next time
    bool more = false;        ///< another page is waiting
};

nlohmann::json toJson(const Event& e);
nlohmann::json toJson(const PushRequest& r);
nlohmann::json toJson(const PushResponse& r);
nlohmann::json toJson(const Change& c);
nlohmann::json toJson(const PullResponse& r);

/// Validates as it reads: InvalidInput names the first field that is missing or of the wrong type
/// (for a batch: which event). A batch over kMaxBatchEvents is InvalidInput.
core::Result<Event> eventFromJson(const nlohmann::json& j);
core::Result<PushRequest> pushRequestFromJson(const nlohmann::json& j);
core::Result<PushResponse> pushResponseFromJson(const nlohmann::json& j);
core::Result<PullResponse> pullResponseFromJson(const nlohmann::json& j);

/// Parses a body that must be a JSON object; InvalidInput with the parser's position otherwise.
core::Result<nlohmann::json> parseBody(std::string_view body);

} // namespace showroom::sync
