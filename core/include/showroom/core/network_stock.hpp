#pragma once
// The dealer group's other showrooms' stock, as headquarters last sent it (table network_vehicles,
// filled by the sync client; see the "vehicle" change in sync/include/showroom/sync/protocol.hpp):
// what the kiosk offers as "available at another showroom".
//
// Rules:
//  - Read only. Only vehicles whose status is "in_stock" are ever returned or counted.
//  - The rows come from outside: a row whose data is not a JSON object, or lacks one of "year"
//    (integer), "make", "model" (non-empty text), "condition" (new/used/certified), "odometer"
//    (integer), "price" (a decimal string or a number) or "status", is skipped, never an error.
//    trim, body, fuel, exterior_color and photos may be missing ("" / none).
//  - A VIN is in one place: when two showrooms' rows name the same VIN, the later one (hq_seq)
//    counts. Neither this showroom's own code nor a VIN this showroom holds (incoming, in stock,
//    on hold) is shown as elsewhere.
//  - Text matching is a case-insensitive substring per word; every word must match.
//
// Threading: the functions borrow a connection; call them on that connection's thread.

#include "showroom/core/db.hpp"
#include "showroom/core/domain.hpp"
#include "showroom/core/money.hpp"
#include "showroom/core/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace showroom::core {

struct NetworkStockQuery {
    std::string text;                       ///< words matched in make, model, trim, body, fuel, colour, year
    std::vector<std::string> makes;         ///< any of, exact (case-insensitive)
    std::vector<std::string> bodies, fuels; ///< any of, exact
    std::vector<Condition> conditions;      ///< any of
    std::optional<Cents> priceMin, priceMax;
    std::optional<int> yearMin, yearMax;
    int limit = 12; ///< 0..500 entries returned (cheapest first)
};

struct NetworkVehicle {
    std::string storeCode; ///< the showroom that has it ("NTH")
    std::string storeName; ///< its name as HQ sent it; the code when HQ sent none
    std::string vin;
    int year = 0;
    std::string make, model, trim, body, fuel;
    Condition condition = Condition::Used;
    std::int64_t odometer = 0; ///< miles
    std::string exteriorColor;
    Cents price = 0;
    std::vector<std::string> photos;
};

struct NetworkStockPage {
    std::vector<NetworkVehicle> vehicles; ///< at most query.limit, by price, then VIN
    std::int64_t total = 0;               ///< every match (not only the ones returned)
};

/// The other showrooms' in-stock vehicles matching `query`, cheapest first, and how many match in
/// all. Storage failures (no table, a broken file) are errors; junk rows are skipped.
Result<NetworkStockPage> searchNetworkStock(db::Connection& db, const NetworkStockQuery& query);

/// How many of the other showrooms' in-stock vehicles match `query` ("3 more at our other showrooms").
Result<std::int64_t> countNetworkStock(db::Connection& db, const NetworkStockQuery& query);

/// One vehicle of another showroom by VIN when it is still offered (in stock, complete), else nullopt.
Result<std::optional<NetworkVehicle>> findNetworkVehicle(db::Connection& db, std::string_view vin);

} // namespace showroom::core
