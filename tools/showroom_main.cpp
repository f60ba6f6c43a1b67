// `showroom`: the dealership from a shell. See cli.hpp for the output and exit-code contract.
#include "cli.hpp"
#include "cli_main.hpp"

#include "showroom/devices/scan/image_decoder.hpp"

#include "showroom/core/money.hpp"
#include "showroom/core/store.hpp"

#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace showroom::cli {

Cli::Cli() { globals.dbPath = defaultDbPath(); }

std::string defaultDbPath() {
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        return (std::filesystem::path(xdg) / "showroom" / "showroom.db").string();
    if (const char* home = std::getenv("HOME"); home && *home)
        return (std::filesystem::path(home) / ".local" / "share" / "showroom" / "showroom.db").string();
    return "showroom.db";
}

std::optional<core::db::Connection> Cli::openStore() {
    const std::filesystem::path path(globals.dbPath);
    if (path.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(path.parent_path(), ec);
    }
    auto conn = core::openStore(globals.dbPath);
    if (!conn) {
        report(conn.error());
        return std::nullopt;
    }
    return std::move(*conn);
}

Exit Cli::report(const core::Error& error) const {
    std::cerr << "showroom: " << error.message << "\n";
    return static_cast<Exit>(exitCodeFor(error.code));
}

void Cli::printJson(const nlohmann::json& j) const {
    std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

void Cli::on(CLI::App* command, Action action) { m_actions.emplace_back(command, std::move(action)); }

Action* Cli::selected(CLI::App& app) {
    // The deepest parsed subcommand that has an action wins.
    Action* found = nullptr;
    for (auto& [command, action] : m_actions)
        if (command->parsed()) found = &action;
    (void)app;
    return found;
}

std::optional<core::Cents> moneyFlag(const std::string& name, const std::string& value) {
    auto cents = core::parseMoney(value);
    if (!cents) {
        std::cerr << "showroom: --" << name << ": " << cents.error().message << "\n";
        return std::nullopt;
    }
    return *cents;
}

namespace {


} // namespace

} // namespace showroom::cli

int main(int argc, char** argv) {
    // First: when started as the barcode decoder's worker process, serve and exit (image_decoder.hpp).
    if (auto rc = showroom::devices::runScanWorkerIfRequested(argc, argv)) return *rc;
    using namespace showroom::cli;
    Cli cli;
    CLI::App app{"showroom: the dealership's inventory, customers, leads and deals from a shell"};
    app.set_version_flag("--version", "showroom 0.1.0");
    app.require_subcommand(1);
    app.fallthrough(); // --db and --json may come after the subcommand
    app.add_option("--db", cli.globals.dbPath, "Store database file")->capture_default_str();
    app.add_flag("--json", cli.globals.json, "Print JSON instead of text");
    addDbCommands(app, cli);
    addInventoryCommands(app, cli);
    addNetworkCommands(app, cli);
    addSalesCommands(app, cli);
    addStaffCommands(app, cli);
    addDocumentCommands(app, cli);
    addPrintingCommands(app, cli);
    addReportCommands(app, cli);
    addLicenceCommands(app, cli);
    addScanCommands(app, cli);
    addSyncCommands(app, cli);
    return parseAndRun(app, argc, argv, "showroom", [&]() -> std::optional<int> {
        Action* action = cli.selected(app);
        if (!action) return std::nullopt;
        return static_cast<int>((*action)());
    });
}
