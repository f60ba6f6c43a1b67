// `showroom db ...` and `showroom demo ...`.
#include "cli.hpp"

#include "showroom/core/demo.hpp"
#include "showroom/core/inventory.hpp"
#include "showroom/core/money.hpp"
#include "showroom/core/store.hpp"

#include <filesystem>
#include <iostream>
#include <memory>

namespace showroom::cli {

namespace {

void printCounts(std::string_view title, const std::map<std::string, std::int64_t>& counts) {
    std::cout << "  " << title << ":";
    if (counts.empty()) std::cout << " none";
    for (const auto& [key, n] : counts) std::cout << "  " << key << " " << n;
    std::cout << "\n";
}

} // namespace

void addDbCommands(CLI::App& app, Cli& cli) {
    auto* db = app.add_subcommand("db", "Create, migrate and check the store database");
    db->require_subcommand(1);

    auto* init = db->add_subcommand("init", "Create the database and this showroom");
    struct InitFlags {
        std::string code = "MAIN", name = "Main Showroom", city;
    };
    auto f = std::make_shared<InitFlags>();
    init->add_option("--store-code", f->code, "Short code of this showroom")->capture_default_str();
    init->add_option("--store-name", f->name, "Name of this showroom")->capture_default_str();
    init->add_option("--city", f->city, "City of this showroom");
    cli.on(init, [&cli, f] {
        auto conn = cli.openStore();
        if (!conn) return Exit::Failure;
        auto ctx = cli.context(*conn);
        auto store = core::ensureLocalStore(ctx, f->code, f->name, f->city);
        if (!store) return cli.report(store.error());
        auto version = core::schemaVersion(*conn);
        if (!version) return cli.report(version.error());
        if (cli.globals.json)
            cli.printJson({{"db", cli.globals.dbPath}, {"schema_version", *version}, {"showroom", *store}});
        else
            std::cout << "Database " << cli.globals.dbPath << " ready (schema version " << *version
                      << ") for showroom " << store->code << " - " << store->name << "\n";
        return Exit::Ok;
    });

    auto* migrate = db->add_subcommand("migrate", "Apply pending schema migrations");
    cli.on(migrate, [&cli] {
        auto conn = core::db::Connection::open(cli.globals.dbPath, {.create = false});
        if (!conn) return cli.report(conn.error());
        auto report = core::migrate(*conn);
        if (!report) return cli.report(report.error());
        if (cli.globals.json) {
            cli.printJson({{"from_version", report->fromVersion},
                           {"to_version", report->toVersion},
                           {"applied", report->applied}});
        } else if (report->applied.empty()) {
            std::cout << "Schema is up to date (version " << report->toVersion << ")\n";
        } else {
            for (const auto& m : report->applied) std::cout << "applied " << m << "\n";
            std::cout << "Schema version " << report->fromVersion << " -> " << report->toVersion << "\n";
        }
        return Exit::Ok;
    });

    auto* check = db->add_subcommand("check", "Check integrity, foreign keys and schema version (changes nothing)");
    cli.on(check, [&cli] {
        if (!std::filesystem::exists(cli.globals.dbPath))
            return cli.report(core::fail(core::ErrorCode::NotFound, "no database at " + cli.globals.dbPath));
        auto conn = core::db::Connection::open(cli.globals.dbPath, {.create = false, .readOnly = true});
        if (!conn) return cli.report(conn.error());
        auto report = core::check(*conn);
        if (!report) return cli.report(report.error());
        if (cli.globals.json) {
            cli.printJson({{"schema_version", report->schemaVersion},
                           {"latest_schema_version", core::latestSchemaVersion()},
                           {"ok", report->integrityOk},
                           {"problems", report->problems}});
        } else {
            std::cout << (report->integrityOk ? "ok" : "PROBLEMS FOUND") << ": schema version "
                      << report->schemaVersion << " of " << core::latestSchemaVersion() << "\n";
            for (const auto& p : report->problems) std::cout << "  " << p << "\n";
        }
        return report->integrityOk ? Exit::Ok : Exit::Failure;
    });

    auto* demo = app.add_subcommand("demo", "The demo dealership");
    demo->require_subcommand(1);
    auto* seed = demo->add_subcommand("seed", "Fill a new database with a realistic, deterministic demo dealership");
    struct SeedFlags {
        int vehicles = 400;
        std::uint64_t seed = 1;
        std::string asOf;
    };
    auto sf = std::make_shared<SeedFlags>();
    seed->add_option("--vehicles", sf->vehicles, "Vehicles to create, sold history included")
        ->capture_default_str()
        ->check(CLI::Range(1, 1'000'000));
    seed->add_option("--seed", sf->seed, "Random seed: the same seed gives the same data")->capture_default_str();
    seed->add_option("--as-of", sf->asOf, "The demo's today (YYYY-MM-DD); default: today");
    cli.on(seed, [&cli, sf] {
        core::UnixSeconds today = cli.clock.now();
        if (!sf->asOf.empty()) {
            auto t = core::parseUtc(sf->asOf);
            if (!t) return cli.report(t.error());
            today = *t;
        }
        auto conn = cli.openStore();
        if (!conn) return Exit::Failure;
        auto report = core::demo::seed(*conn, {sf->vehicles, sf->seed, today});
        if (!report) return cli.report(report.error());
        if (cli.globals.json) {
            cli.printJson({{"showrooms", report->showrooms},
                           {"staff", report->staff},
                           {"vehicles", report->vehicles},
                           {"customers", report->customers},
                           {"leads", report->leads},
                           {"deals", report->deals},
                           {"payments", report->payments},
                           {"test_drives", report->testDrives},
                           {"follow_ups", report->followUps}});
        } else {
            std::cout << "Seeded " << cli.globals.dbPath << ": " << report->showrooms << " showrooms, "
                      << report->staff << " staff, " << report->vehicles << " vehicles, " << report->customers
                      << " customers, " << report->leads << " leads, " << report->deals << " deals, "
                      << report->payments << " payments\n";
        }
        return Exit::Ok;
    });

    auto* summary = demo->add_subcommand("summary", "Summarise what the database holds");
    cli.on(summary, [&cli] {
        auto conn = cli.openStore();
        if (!conn) return Exit::Failure;
        auto s = core::demo::summarize(*conn);
        if (!s) return cli.report(s.error());
        if (cli.globals.json) {
            cli.printJson({{"showroom", s->localShowroom},
                           {"showrooms", s->showrooms},
                           {"staff", s->staff},
                           {"vehicles", s->vehiclesByStatus},
                           {"customers", s->customers},
                           {"leads", s->leadsByStage},
                           {"deals", s->dealsByStatus},
                           {"test_drives", s->testDrives},
                           {"open_follow_ups", s->openFollowUps},
                           {"payments", s->payments},
                           {"payments_total", core::formatCents(s->paymentsTotalCents)},
                           {"outbox_pending", s->outboxPending}});
            return Exit::Ok;
        }
        std::cout << "Showroom database " << cli.globals.dbPath << "\n"
                  << "  this showroom: " << (s->localShowroom.empty() ? "(not set up)" : s->localShowroom) << " ("
                  << s->showrooms << " showrooms in the group, " << s->staff << " staff)\n"
                  << "  vehicles: " << s->vehicles() << "\n";
        printCounts("  by status", s->vehiclesByStatus);
        std::cout << "  customers: " << s->customers << ", test drives: " << s->testDrives
                  << ", open follow-ups: " << s->openFollowUps << "\n"
                  << "  leads: " << s->leads() << "\n";
        printCounts("  by stage", s->leadsByStage);
        std::cout << "  deals: " << s->deals() << "\n";
        printCounts("  by status", s->dealsByStatus);
        std::cout << "  payments: " << s->payments << " totalling " << core::formatMoney(s->paymentsTotalCents) << "\n"
                  << "  events waiting for headquarters: " << s->outboxPending << "\n";
        return Exit::Ok;
    });
}

} // namespace showroom::cli
