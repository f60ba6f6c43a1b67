#pragma once
// What the commands of `showroom-hq` share (hq_main.cpp, hq_cmd_network.cpp): the run's options,
// error reporting with the exit codes of tools/cli_main.hpp, JSON printing, and opening HQ's database.

#include "cli_main.hpp"
#include "showroom/sync/hq.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace showroom::hq {

using sync::Hq;

enum class Exit : int { Ok = 0, Failure = 1, BadInput = 2 };
using Action = std::function<Exit()>;

/// The state one run of the tool shares between its commands.
class Cli {
public:
    std::string db = "sqlite:hq.db"; ///< --db
    std::string reportsDb;           ///< --reports-db; "" = next to a SQLite --db, else ./hq-reports.db
    bool json = false;               ///< --json

    Exit report(const core::Error& error) const {
        std::cerr << "showroom-hq: " << error.message << "\n";
        return static_cast<Exit>(showroom::cli::exitCodeFor(error.code));
    }
    Exit badInput(const std::string& message) const {
        return report(core::fail(core::ErrorCode::InvalidInput, message));
    }

    void printJson(const nlohmann::json& j) const {
        std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }

    /// Opens (and migrates) HQ's database at --db; prints the error and returns nullopt on failure.
    std::optional<Hq> open(Exit& exit) const {
        auto storage = sync::openHqStorage(db);
        if (!storage) {
            exit = report(storage.error());
            return std::nullopt;
        }
        Hq hq(std::move(*storage));
        if (auto st = hq.migrate(); !st) {
            exit = report(st.error());
            return std::nullopt;
        }
        return hq;
    }

    void on(CLI::App* command, Action action) { m_actions.emplace_back(command, std::move(action)); }
    /// The deepest parsed subcommand that has an action.
    Action* selected() {
        Action* found = nullptr;
        for (auto& [command, action] : m_actions)
            if (command->parsed()) found = &action;
        return found;
    }

private:
    std::vector<std::pair<CLI::App*, Action>> m_actions;
};

/// `conflicts`, `vehicle`, `customer`, `price`, `staff`, `catalog`, `transfers` (hq_cmd_network.cpp).
void addNetworkCommands(CLI::App& app, Cli& cli);
/// `report` (activity per showroom) and `report sales|funnel|aging|rfm|forecast|followups|pdf` over the
/// whole network (hq_cmd_reports.cpp).
void addReportCommands(CLI::App& app, Cli& cli);

} // namespace showroom::hq
