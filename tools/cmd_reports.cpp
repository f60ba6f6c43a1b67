// `showroom report sales|funnel|aging|rfm|forecast|followups|pdf` over the showroom's own database:
// the commands of report_cli.hpp, lent this tool's clock, --json, store and error reporting.
#include "cli.hpp"

#include "showroom/core/inventory.hpp"

namespace showroom::cli {

namespace {

std::string localShowroomName(core::db::Connection& db) {
    auto id = core::localStoreId(db);
    auto all = core::listShowrooms(db);
    if (!id || !all) return "";
    for (const auto& s : *all)
        if (s.id == *id) return s.name;
    return "";
}

} // namespace

void addReportCommands(CLI::App& app, Cli& cli) {
    auto* report =
        app.add_subcommand("report", "Sales, funnel, stock aging, RFM and forecast reports; the monthly PDF");
    report->require_subcommand(1);
    ReportHost host;
    host.now = [&cli] { return cli.clock.now(); };
    host.json = [&cli] { return cli.globals.json; };
    host.open = [&cli](int& exit) -> std::shared_ptr<core::db::Connection> {
        auto conn = cli.openStore();
        if (!conn) {
            exit = static_cast<int>(Exit::Failure);
            return nullptr;
        }
        return std::make_shared<core::db::Connection>(std::move(*conn));
    };
    host.fail = [&cli](const core::Error& e) { return static_cast<int>(cli.report(e)); };
    host.printJson = [&cli](const nlohmann::json& j) { cli.printJson(j); };
    host.on = [&cli](CLI::App* cmd, std::function<int()> action) {
        cli.on(cmd, [action = std::move(action)] { return static_cast<Exit>(action()); });
    };
    host.title = [](core::db::Connection& db, const std::string&) { return localShowroomName(db); };
    addReportSubcommands(*report, std::move(host));
}

} // namespace showroom::cli
