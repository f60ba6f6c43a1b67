#pragma once
// Inventory: vehicles in and out of stock, search, check-in by VIN, CSV import and export.
//
// Threading: an Inventory borrows its Context's connection; use it on that connection's thread.
// Every change runs in one transaction together with its audit row and outbox event.

#include "showroom/core/domain.hpp"
#include "showroom/core/journal.hpp"
#include "showroom/core/vin.hpp"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace showroom::core {

enum class SortKey { PriceAsc, PriceDesc, YearDesc, YearAsc, MileageAsc, NewestArrival };
std::string_view toString(SortKey);
Result<SortKey> parseSortKey(std::string_view);

struct SearchQuery {
    std::string text;                        ///< free text: words (prefix match) or a VIN/stock fragment
    std::optional<std::string> make, model;  ///< exact, case-insensitive
    std::optional<int> yearMin, yearMax;
    std::optional<Cents> priceMin, priceMax;
    std::vector<std::string> makes;          ///< any of, exact (also combines with `make`)
    std::vector<std::string> bodies, fuels;  ///< any of
    std::vector<Condition> conditions;       ///< any of
    std::vector<VehicleStatus> statuses;     ///< any of; empty means any status
    std::optional<std::string> storeId;
    SortKey sort = SortKey::PriceAsc;
    int page = 0;                            ///< 0-based
    int pageSize = 48;                       ///< 1..500
    std::int64_t countCap = 1000;            ///< count matches up to this many; beyond it total == countCap
};

struct SearchPage {
    std::vector<Vehicle> vehicles;
    std::int64_t total = 0;        ///< matches, counted up to SearchQuery::countCap
    bool totalIsAtLeast = false;   ///< true when there are more than `total` matches ("1,000+")
    int page = 0;
    int pageSize = 0;
};

struct CheckInDetails {
    std::optional<std::string> stockNo, model, trim, body, fuel, drivetrain, transmission;
    std::optional<std::string> make;        ///< defaults to the manufacturer decoded from the VIN
    std::optional<int> year;                ///< defaults to the VIN's model year when unambiguous
    std::optional<std::string> exteriorColor, interiorColor, lotLocation;
    std::optional<Condition> condition;     ///< defaults to used when odometer > 500, else new
    std::optional<std::int64_t> odometer;
    std::optional<Cents> price, msrp, cost;
    bool acceptBadCheckDigit = false;       ///< the porter confirmed a label whose check digit fails
};

struct CheckInResult {
    enum class Outcome { Created, Received, AlreadyInStock };
    Outcome outcome = Outcome::Created;
    Vehicle vehicle;
    vin::Report vinReport;
    std::string message;   ///< one sentence for the porter
};
std::string_view toString(CheckInResult::Outcome);

struct ImportOptions {
    bool skipBadRows = false;   ///< import the good rows and report the bad ones
    std::string storeId;        ///< defaults to the local showroom
};

struct RowProblem {
    std::size_t line = 0;
    std::string reason;
};

struct ImportReport {
    std::size_t rowsRead = 0;
    std::size_t imported = 0;
    std::vector<RowProblem> problems;   ///< every bad row; when !skipBadRows and non-empty nothing was imported
    bool committed = false;
};

/// What the stock offers, for filter chips and slider bounds.
struct Facets {
    std::vector<std::string> makes, bodies, fuels;   ///< distinct, sorted
    Cents priceLow = 0, priceHigh = 0;
    int yearLow = 0, yearHigh = 0;
    std::int64_t vehicles = 0;
};

/// The deal behind a status change: its id and number go into the vehicle.status_changed event.
struct DealRef {
    std::string id, dealNo;
};

/// The CSV columns, in export order. Import matches columns by header name, in any order.
std::span<const std::string_view> csvColumns();

class Inventory {
public:
    explicit Inventory(Context& ctx) : m_ctx(ctx) {}

    /// Adds a vehicle after validating it (VIN, year, prices). Fills id, timestamps and, when empty,
    /// store (local showroom) and stock number. Duplicate VIN or stock number -> Duplicate.
    Result<Vehicle> add(Vehicle vehicle);

    /// Finds by id, VIN or stock number.
    Result<Vehicle> find(std::string_view idVinOrStockNo);

    /// Changes status by the lifecycle rules (see checkVehicleTransition). sold -> in_stock is
    /// refused here: cancel the deal instead.
    Result<Vehicle> changeStatus(std::string_view idVinOrStockNo, VehicleStatus to, std::string_view reason = "");

    /// Records where on the lot the vehicle is parked.
    Result<Vehicle> moveTo(std::string_view idVinOrStockNo, std::string_view lotLocation);

    /// Re-prices a vehicle (more than zero, at most $10,000,000) and records "vehicle.price_changed"
    /// {vin, from, price, reason}. Sold, delivered and transferred vehicles are refused (Conflict);
    /// the same price again changes and records nothing.
    Result<Vehicle> setPrice(std::string_view idVinOrStockNo, Cents price, std::string_view reason = "");

    /// Sends an in-stock vehicle with no live deal to the showroom `toStoreCode` (not this one): it
    /// becomes transferred, leaves its lot place, and "vehicle.transferred" {vin, to_store, vehicle
    /// (without cost)} tells HQ, which forwards it. InvalidInput for a bad or own code, Conflict or
    /// InvalidTransition for a vehicle that cannot leave.
    Result<Vehicle> transferTo(std::string_view idVinOrStockNo, std::string_view toStoreCode);

    /// A vehicle another showroom sent this one (HQ's "transfer" change): kept as incoming until a
    /// porter scans it in (checkIn receives it). New here: added with a fresh stock number (its id
    /// kept when free); transferred away earlier: back to incoming with the data sent. Records
    /// "vehicle.incoming" (the vehicle + transfer_id, from_store). Already incoming or in stock:
    /// nothing to do, returned as it is. Sold, delivered or on hold here: Conflict.
    Result<Vehicle> receiveTransfer(Vehicle sent, std::string_view transferId, std::string_view fromStore);

    /// Check-in by scanned VIN. Cleans and decodes the VIN; a new VIN creates the vehicle in stock
    /// (MSRP, body, fuel and drivetrain not given are taken from the catalog line of its year, make,
    /// model and trim, when the model is given and the catalog has it),
    /// an incoming or transferred-in vehicle is received into stock, a vehicle already in stock is
    /// reported, never duplicated. A failed North-American check digit is refused unless
    /// details.acceptBadCheckDigit. Sold or delivered vehicles are refused.
    Result<CheckInResult> checkIn(std::string_view scannedVin, const CheckInDetails& details);

    Result<SearchPage> search(const SearchQuery& query);

    /// Distinct makes, bodies and fuels and the price and year range of vehicles in `statuses`
    /// (all statuses when empty).
    Result<Facets> facets(const std::vector<VehicleStatus>& statuses,
                          const std::optional<std::string>& storeId = std::nullopt);

    /// Imports a CSV file's contents (see csvColumns()). All-or-nothing unless skipBadRows.
    Result<ImportReport> importCsv(std::string_view csvText, const ImportOptions& options);

    /// Writes every vehicle matching `filter` (paging ignored) as CSV, header first.
    Status exportCsv(std::ostream& out, const SearchQuery& filter);

private:
    friend class Deals; // the only caller allowed to return a sold vehicle to stock (deal cancelled)
    Result<Vehicle> transition(std::string_view idVinOrStockNo, VehicleStatus to, std::string_view reason,
                               bool viaCancelledDeal, const std::optional<DealRef>& deal = std::nullopt);
    // Writes a validated vehicle with its audit row and outbox event `action` (+ `extra` details).
    Result<Vehicle> insert(Vehicle vehicle, std::string_view action, const nlohmann::json& extra);

    Context& m_ctx;
};

/// The local showroom's id (settings.local_store_id), or NotFound when none is set up yet.
Result<std::string> localStoreId(db::Connection& db);

/// Creates the local showroom when none exists; returns it either way.
Result<Showroom> ensureLocalStore(Context& ctx, std::string_view code, std::string_view name, std::string_view city);

/// Adds a showroom (another store of the dealer group, usually from HQ data).
Result<Showroom> addShowroom(Context& ctx, Showroom showroom);
Result<std::vector<Showroom>> listShowrooms(db::Connection& db);

} // namespace showroom::core
