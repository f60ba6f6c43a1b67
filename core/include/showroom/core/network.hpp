#pragma once
// The store's part in the network of showrooms: conflicts HQ reported and the network's catalog.
//
// Rules:
//  - A conflict is a decision HQ made against this store (a car sold elsewhere first, a transfer
//    refused) or a change from HQ the store could not apply ("change_not_applied"). It stays open
//    until a person resolves it here (resolve(): recorded and sent to HQ as store.conflict_resolved)
//    or HQ closes it. A deal is flagged while an open conflict names it (openConflictFor()).
//  - The catalog is HQ's: the sync client writes it (sync/client.cpp), the store only reads it.
//    Check-in fills a new vehicle's MSRP, body, fuel and drivetrain from it (Inventory::checkIn).
//
// Threading: everything borrows its caller's connection; use it on that connection's thread.

#include "showroom/core/domain.hpp"
#include "showroom/core/journal.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace showroom::core {

struct SyncConflict {
    std::string id;
    std::string kind; ///< "vehicle_sold_elsewhere", "transfer_refused", "change_not_applied", ...
    std::string vin, dealId, dealNo, otherStore;
    std::string message; ///< for a person
    nlohmann::json data; ///< what HQ sent
    std::string receivedAt;
    std::optional<std::string> resolvedAt;
    std::string resolutionNote;
    bool open() const { return !resolvedAt; }
};

/// Keys: id, kind, vin, deal_id, deal_no, other_store, message, data, received_at, resolved_at (null
/// while open), resolution_note, open.
void to_json(nlohmann::json& j, const SyncConflict& c);

class Conflicts {
public:
    explicit Conflicts(Context& ctx) : m_ctx(ctx) {}

    /// Open conflicts, or every one with `includeResolved`; the newest first.
    Result<std::vector<SyncConflict>> list(bool includeResolved = false);
    Result<SyncConflict> find(std::string_view id);

    /// A person dealt with it: sets resolved_at and the note (required) and records
    /// "store.conflict_resolved" {conflict_id, note} for HQ. NotFound, InvalidInput for an empty
    /// note, InvalidTransition when it is already resolved.
    Result<SyncConflict> resolve(std::string_view id, std::string_view note);

    /// The open conflict naming deal `dealId` (the deal is flagged while there is one), or nullopt.
    Result<std::optional<SyncConflict>> openConflictFor(std::string_view dealId);

private:
    Context& m_ctx;
};

struct CatalogModel {
    int year = 0;
    std::string make, model, trim, body, fuel, drivetrain;
    Cents msrp = 0;
    std::vector<std::string> features;
};

/// Keys: year, make, model, trim, body, fuel, drivetrain, msrp (decimal string), features (array).
void to_json(nlohmann::json& j, const CatalogModel& m);

/// The catalog, by make, model, year (newest first) and trim; only `make` (case-insensitive) when given.
Result<std::vector<CatalogModel>> listCatalog(db::Connection& db, std::string_view make = "");

/// The catalog line of (year, make, model, trim), case-insensitive. An empty `trim` matches the
/// model's first line (by trim) when the exact one is missing. nullopt when none matches.
Result<std::optional<CatalogModel>> findCatalogModel(db::Connection& db, int year, std::string_view make,
                                                     std::string_view model, std::string_view trim);

/// Reads a vehicle as core/json.hpp writes it (and as other showrooms send it through HQ): "vin",
/// "year" and "make" required, money as decimal strings, lists as arrays or '; '-separated text,
/// "cost" ignored. InvalidInput names the first bad field. Nothing is validated beyond types.
Result<Vehicle> vehicleFromJson(const nlohmann::json& j);

} // namespace showroom::core
