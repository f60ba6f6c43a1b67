// `showroom-hq report`: with no subcommand, what each showroom sent (events, deals signed, payments,
// check-ins, leads); with one, the showrooms' own reports (tools/report_cli.hpp) over the whole network,
// read from HQ's report copy (sync/report_replica.hpp), which each run first brings up to date.
#include "hq_cli.hpp"
#include "report_cli.hpp"

#include "showroom/core/clock.hpp"
#include "showroom/core/money.hpp"
#include "showroom/sync/report_replica.hpp"

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>

namespace showroom::hq {

namespace {

// `report` alone: what each showroom sent, counted from the events themselves.
void addActivity(CLI::App* cmd, Cli& cli) {
    cli.on(cmd, [&cli] {
        Exit exit = Exit::Ok;
        auto hq = cli.open(exit);
        if (!hq) return exit;
        auto report = hq->report();
        if (!report) return cli.report(report.error());
        if (cli.json) {
            auto figures = [](const sync::ReportFigures& f) {
                auto time = [](const std::string& t) { return t.empty() ? nlohmann::json() : nlohmann::json(t); };
                return nlohmann::json{{"events", f.events},
                                      {"deals_signed", f.dealsSigned},
                                      {"payments_received", f.paymentsReceived},
                                      {"payments_amount", core::formatCents(f.paymentsCents)},
                                      {"payments_without_amount", f.paymentsWithoutAmount},
                                      {"vehicles_checked_in", f.vehiclesCheckedIn},
                                      {"leads_opened", f.leadsOpened},
                                      {"first_event_at", time(f.firstEventAt)},
                                      {"last_event_at", time(f.lastEventAt)}};
            };
            nlohmann::json stores = nlohmann::json::array();
            for (const auto& s : report->stores) {
                nlohmann::json j = {{"id", s.store.id}, {"code", s.store.code}, {"name", s.store.name}};
                j.update(figures(s.figures));
                stores.push_back(std::move(j));
            }
            cli.printJson({{"stores", stores}, {"total", figures(report->total)}});
            return Exit::Ok;
        }
        if (report->stores.empty()) {
            std::cout << "No stores enrolled\n";
            return Exit::Ok;
        }
        std::cout << std::left << std::setw(18) << "CODE" << std::right << std::setw(10) << "EVENTS" << std::setw(8)
                  << "DEALS" << std::setw(10) << "PAYMENTS" << std::setw(16) << "AMOUNT" << std::setw(10) << "CHECK-INS"
                  << std::setw(8) << "LEADS"
                  << "  FIRST EVENT            LAST EVENT\n";
        auto line = [](const std::string& code, const sync::ReportFigures& f) {
            std::cout << std::left << std::setw(18) << code << std::right << std::setw(10) << f.events << std::setw(8)
                      << f.dealsSigned << std::setw(10) << f.paymentsReceived << std::setw(16)
                      << core::formatMoney(f.paymentsCents) << std::setw(10) << f.vehiclesCheckedIn << std::setw(8)
                      << f.leadsOpened << "  " << std::left << std::setw(23)
                      << (f.firstEventAt.empty() ? "-" : f.firstEventAt)
                      << (f.lastEventAt.empty() ? "-" : f.lastEventAt) << "\n";
        };
        for (const auto& s : report->stores)
            line(s.store.code, s.figures);
        line("TOTAL", report->total);
        if (report->total.paymentsWithoutAmount > 0)
            std::cout << report->total.paymentsWithoutAmount
                      << " payment(s) without a readable amount are counted but not in AMOUNT\n";
        return Exit::Ok;
    });
}


/// Where the report copy lives: --reports-db, else next to a SQLite HQ database, else here.
std::string reportsPath(const Cli& cli) {
    if (!cli.reportsDb.empty()) return cli.reportsDb;
    constexpr std::string_view kSqlite = "sqlite:";
    if (cli.db.starts_with(kSqlite)) {
        const std::filesystem::path db(cli.db.substr(kSqlite.size()));
        return (db.parent_path() / (db.stem().string() + "-reports.db")).string();
    }
    return "hq-reports.db";
}

/// HQ's report copy, brought up to date; null (with `exit` set) when HQ or the copy cannot be read.
std::shared_ptr<core::db::Connection> openCopy(const Cli& cli, int& exit) {
    Exit opened = Exit::Ok;
    auto hq = cli.open(opened);
    if (!hq) {
        exit = static_cast<int>(opened);
        return nullptr;
    }
    auto replica = sync::ReportReplica::open(reportsPath(cli));
    if (!replica) {
        exit = static_cast<int>(cli.report(replica.error()));
        return nullptr;
    }
    auto copy = std::make_shared<sync::ReportReplica>(std::move(*replica));
    auto caught = copy->catchUp(*hq);
    if (!caught) {
        exit = static_cast<int>(cli.report(caught.error()));
        return nullptr;
    }
    // Reports over a copy that left events out must say so, not look complete.
    if (auto skipped = copy->skippedTotal(); skipped && *skipped > 0)
        std::cerr << "showroom-hq: " << *skipped
                  << " event(s) could not be applied to the report copy and are not in these figures\n";
    return std::shared_ptr<core::db::Connection>(copy, &copy->db());
}

} // namespace

void addReportCommands(CLI::App& app, Cli& cli) {
    auto* report = app.add_subcommand(
        "report", "Figures per showroom (alone), or a report over every showroom: sales, funnel, aging, rfm, "
                  "forecast, followups, pdf");
    addActivity(report, cli);
    cli::ReportHost host;
    host.now = [] { return core::SystemClock().now(); };
    host.json = [&cli] { return cli.json; };
    host.open = [&cli](int& exit) { return openCopy(cli, exit); };
    host.fail = [&cli](const core::Error& e) { return static_cast<int>(cli.report(e)); };
    host.printJson = [&cli](const nlohmann::json& j) { cli.printJson(j); };
    host.on = [&cli](CLI::App* cmd, std::function<int()> action) {
        cli.on(cmd, [action = std::move(action)] { return static_cast<Exit>(action()); });
    };
    host.title = [](core::db::Connection&, const std::string& language) {
        return std::string(language == "zh-CN" ? "全部展厅" : "All showrooms");
    };
    cli::addReportSubcommands(*report, std::move(host));
}

} // namespace showroom::hq
