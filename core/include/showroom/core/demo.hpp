#pragma once
// The demo dealership: realistic, deterministic data for the kiosk demo, the reports and the
// benchmarks. The same seed and the same as-of date give the same database, row for row.

#include "showroom/core/clock.hpp"
#include "showroom/core/db.hpp"
#include "showroom/core/result.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace showroom::core::demo {

/// Every demo staff member's PIN. A demo database is never a real store.
inline constexpr std::string_view kDemoPin = "2580";

struct SeedOptions {
    int vehicles = 400;          ///< total across all showrooms, including sold history (1..1,000,000)
    std::uint64_t seed = 1;
    UnixSeconds asOf = 0;        ///< "today" of the demo; history reaches 18 months back from it
};

struct SeedReport {
    int showrooms = 0, staff = 0, vehicles = 0, customers = 0, leads = 0, deals = 0, payments = 0, testDrives = 0,
        followUps = 0;
};

/// Seeds an empty store database (any vehicle already present -> Conflict, nothing written):
/// three showrooms of one dealer group with staff; vehicles of real makes, models and trims with
/// plausible prices, colours, options and valid VINs; customers; leads at every pipeline stage
/// with their history; deals (cash and financed) with payments spread over the past 18 months,
/// seasonal and trending, so the reports and forecasts have something to say; and a few cars of two
/// showrooms known only through headquarters (network_vehicles: "NTH", "AIR"). One transaction.
Result<SeedReport> seed(db::Connection& db, const SeedOptions& options);

struct Summary {
    std::string localShowroom;
    std::int64_t showrooms = 0, staff = 0, customers = 0, testDrives = 0, openFollowUps = 0, payments = 0,
                 outboxPending = 0;
    std::int64_t paymentsTotalCents = 0;
    std::map<std::string, std::int64_t> vehiclesByStatus, leadsByStage, dealsByStatus;
    std::int64_t vehicles() const;
    std::int64_t leads() const;
    std::int64_t deals() const;
};

/// Counts what is in a store database (any database, not only a demo one).
Result<Summary> summarize(db::Connection& db);

/// A valid VIN for the given WMI and model year: random VDS and serial from `serial`, correct
/// check digit, and for North American WMIs a position 7 that resolves the model year.
std::string makeVin(std::string_view wmi, int modelYear, std::uint64_t serial);

} // namespace showroom::core::demo
