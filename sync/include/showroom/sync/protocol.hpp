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

/// Something HQ wants the store to know: another showroom's vehicle, a price, a staff account.
struct Change {
    std::int64_t seq = 0;     ///< HQ's change sequence: the store's pull cursor
    std::string kind;         ///< "vehicle" (network stock), "staff", "price", "conflict"
    std::string storeCode;    ///< the showroom it comes from ("" for HQ's own data)
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
