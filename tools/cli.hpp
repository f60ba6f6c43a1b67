#pragma once
// Shared plumbing of the `showroom` CLI: global options, opening the store, printing, exit codes.
//
// Contract for every command: human-readable output on stdout by default, one JSON document with
// --json; errors on stderr as "showroom: <message>"; exit 0 on success, 2 on bad input (bad flags,
// malformed values, unknown records, refused transitions), 1 on any other failure.

#include "report_cli.hpp"  // writeFileAtomically
#include "showroom/core/clock.hpp"
#include "showroom/core/db.hpp"
#include "showroom/core/journal.hpp"
#include "showroom/core/json.hpp"
#include "showroom/core/money.hpp"
#include "showroom/core/result.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>

namespace showroom::cli {

enum class Exit : int { Ok = 0, Failure = 1, BadInput = 2 };

/// A command's body: runs after parsing, returns the exit code.
using Action = std::function<Exit()>;

struct Globals {
    std::string dbPath;   ///< --db; defaults to $XDG_DATA_HOME/showroom/showroom.db
    bool json = false;    ///< --json
    std::string actor = "cli";
};

/// The state one run of the CLI shares between its commands.
class Cli {
public:
    Cli();

    Globals globals;
    core::SystemClock clock;
    core::IdGenerator ids;

    /// Opens (creating and migrating) the store at --db. On failure prints the error.
    std::optional<core::db::Connection> openStore();
    /// A service context over an open connection.
    core::Context context(core::db::Connection& db) { return core::Context{db, clock, ids, globals.actor}; }

    /// Prints `error` to stderr and maps its code to the exit code.
    Exit report(const core::Error& error) const;
    /// Prints a JSON document (invalid UTF-8 in user input is replaced, never fatal).
    void printJson(const nlohmann::json& j) const;

    /// Registers the action a subcommand runs.
    void on(CLI::App* command, Action action);
    Action* selected(CLI::App& app);

private:
    std::vector<std::pair<CLI::App*, Action>> m_actions;
};

std::string defaultDbPath();

/// Parses a money flag ("30000", "1,234.56"); reports and returns nullopt on bad input.
std::optional<core::Cents> moneyFlag(const std::string& name, const std::string& value);


// Command groups, each in its own file.
void addDbCommands(CLI::App& app, Cli& cli);
void addDocumentCommands(CLI::App& app, Cli& cli);
void addInventoryCommands(CLI::App& app, Cli& cli);
void addLicenceCommands(CLI::App& app, Cli& cli);
/// `vehicle price|transfer`, `catalog list` (cmd_network.cpp).
void addNetworkCommands(CLI::App& app, Cli& cli);
/// `report sales|funnel|aging|rfm|forecast|followups|pdf` (cmd_reports.cpp).
void addReportCommands(CLI::App& app, Cli& cli);
/// The `scan` group (cmd_scan.cpp): creates it once, adds `scan decode`, then the other subcommands.
void addScanCommands(CLI::App& app, Cli& cli);
/// `scan listen`, added to the `scan` group by addScanCommands.
void addScanListenCommand(CLI::App& scan, Cli& cli);
/// `receipt print|render`, `printer status|queue|virtual` (cmd_printing.cpp).
void addPrintingCommands(CLI::App& app, Cli& cli);
void addSalesCommands(CLI::App& app, Cli& cli);
void addStaffCommands(CLI::App& app, Cli& cli);
/// `sync status|push|pull|run|configure|conflicts` (cmd_sync.cpp).
void addSyncCommands(CLI::App& app, Cli& cli);

} // namespace showroom::cli
