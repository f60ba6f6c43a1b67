#pragma once
// The report commands both command-line tools have: `showroom report ...` over the showroom's own
// database, `showroom-hq report ...` over HQ's copy of the whole network (sync/report_replica.hpp).
// One implementation, so the two print the same reports with the same flags, JSON keys and CSV
// columns:
//
//   sales|funnel|aging|rfm|forecast|followups [--from --to] [--as-of] [--by] [--csv]   (--json: global)
//   pdf --out FILE.pdf [--month YYYY-MM] [--lang en|zh-CN] [--by day|week]
//
// Dates: --from and --to are calendar days (UTC), both inclusive: `--from 2026-11-01 --to 2026-11-30` is
// November. Without them the period is the current month to date by the tool's clock; --to alone gives
// its month up to that day. JSON prints the period the same way: {"from", "to" (the last day), "days"}.
// --as-of is "YYYY-MM-DD" (its midnight, UTC) or "YYYY-MM-DDTHH:MM:SSZ"; default now. A malformed date
// is bad input (exit 2). Money is a decimal string in JSON and CSV ("1234.50"), shares are fractions
// (0.25).

#include "showroom/core/clock.hpp"
#include "showroom/core/db.hpp"
#include "showroom/core/result.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>

namespace showroom::cli {

/// What a tool lends its report commands. Exit codes are the tools' (0 ok, 1 failure, 2 bad input).
struct ReportHost {
    std::function<core::UnixSeconds()> now; ///< the tool's clock
    std::function<bool()> json;             ///< whether --json was given
    /// Opens the database the reports read; on failure prints why, sets `exit` and returns null.
    std::function<std::shared_ptr<core::db::Connection>(int& exit)> open;
    /// Prints an error and returns its exit code.
    std::function<int(const core::Error&)> fail;
    std::function<void(const nlohmann::json&)> printJson;
    /// Registers the action a subcommand runs after parsing.
    std::function<void(CLI::App*, std::function<int()>)> on;
    /// The monthly PDF's heading in its language ("en", "zh-CN"): the showroom's name, or the network's.
    std::function<std::string(core::db::Connection&, const std::string& language)> title;
};

/// Adds sales, funnel, aging, rfm, forecast, followups and pdf under `report`.
void addReportSubcommands(CLI::App& report, ReportHost host);

/// Writes `bytes` to `path` through "PATH.partial" and a rename, so a reader never sees half a file
/// (contracts, reports). Io when the file cannot be written.
core::Status writeFileAtomically(const std::string& path, const std::string& bytes);

} // namespace showroom::cli
