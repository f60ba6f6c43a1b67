// `showroom vehicle price|transfer` and `showroom catalog list`: the store's side of the network
// (core/network.hpp). `sync conflicts` lives with the other sync commands (cmd_sync.cpp).
#include "cli.hpp"

#include "showroom/core/inventory.hpp"
#include "showroom/core/json.hpp"
#include "showroom/core/money.hpp"
#include "showroom/core/network.hpp"

#include <iomanip>
#include <iostream>
#include <memory>

namespace showroom::cli {

void addNetworkCommands(CLI::App& app, Cli& cli) {
    auto* vehicle = app.add_subcommand("vehicle", "Re-price a vehicle or send it to another showroom");
    vehicle->require_subcommand(1);

    // vehicle price
    {
        struct Flags {
            std::string key, amount, reason;
        };
        auto f = std::make_shared<Flags>();
        auto* cmd = vehicle->add_subcommand("price", "Set a vehicle's asking price (HQ hears of it)");
        cmd->add_option("vehicle", f->key, "VIN, stock number or id")->required();
        cmd->add_option("amount", f->amount, "New price in dollars, e.g. 24990 or 24,990.00")->required();
        cmd->add_option("--reason", f->reason, "Why, for the audit log and HQ");
        cli.on(cmd, [&cli, f] {
            auto price = moneyFlag("amount", f->amount);
            if (!price) return Exit::BadInput;
            auto conn = cli.openStore();
            if (!conn) return Exit::Failure;
            auto ctx = cli.context(*conn);
            core::Inventory inventory(ctx);
            auto before = inventory.find(f->key);
            if (!before) return cli.report(before.error());
            auto v = inventory.setPrice(f->key, *price, f->reason);
            if (!v) return cli.report(v.error());
            if (cli.globals.json)
                cli.printJson({{"vehicle", *v}, {"from", core::formatCents(before->price)}});
            else if (before->price == v->price)
                std::cout << v->stockNo << " already costs " << core::formatMoney(v->price) << "\n";
            else
                std::cout << v->stockNo << ": " << core::formatMoney(before->price) << " -> "
                          << core::formatMoney(v->price) << "\n";
            return Exit::Ok;
        });
    }

    // vehicle transfer
    {
        struct Flags {
            std::string key, to;
        };
        auto f = std::make_shared<Flags>();
        auto* cmd = vehicle->add_subcommand("transfer", "Send an in-stock vehicle to another showroom");
        cmd->add_option("vehicle", f->key, "VIN, stock number or id")->required();
        cmd->add_option("--to", f->to, "The receiving showroom's code, e.g. B01")->required();
        cli.on(cmd, [&cli, f] {
            auto conn = cli.openStore();
            if (!conn) return Exit::Failure;
            auto ctx = cli.context(*conn);
            auto v = core::Inventory(ctx).transferTo(f->key, f->to);
            if (!v) return cli.report(v.error());
            if (cli.globals.json)
                cli.printJson(*v);
            else
                std::cout << v->stockNo << " (" << v->vin << ") is on its way to " << f->to
                          << "; HQ tells that showroom at the next sync\n";
            return Exit::Ok;
        });
    }

    auto* catalog = app.add_subcommand("catalog", "The network's model catalog, as HQ sent it");
    catalog->require_subcommand(1);
    {
        auto make = std::make_shared<std::string>();
        auto* cmd = catalog->add_subcommand("list", "List the catalog's model lines");
        cmd->add_option("--make", *make, "Only this make, e.g. Toyota");
        cli.on(cmd, [&cli, make] {
            auto conn = cli.openStore();
            if (!conn) return Exit::Failure;
            auto models = core::listCatalog(*conn, *make);
            if (!models) return cli.report(models.error());
            if (cli.globals.json) {
                cli.printJson(*models);
                return Exit::Ok;
            }
            if (models->empty()) {
                std::cout << (make->empty() ? "The catalog is empty (HQ sends it at the next sync).\n"
                                            : "No catalog lines for " + *make + ".\n");
                return Exit::Ok;
            }
            for (const auto& m : *models) {
                std::string name = std::to_string(m.year) + " " + m.make + " " + m.model;
                if (!m.trim.empty()) name += " " + m.trim;
                std::cout << std::left << std::setw(40) << name.substr(0, 39) << std::setw(10) << m.body.substr(0, 9)
                          << std::setw(16) << m.fuel.substr(0, 15) << std::setw(6) << m.drivetrain.substr(0, 5)
                          << std::right << std::setw(13) << core::formatMoney(m.msrp) << "\n";
            }
            return Exit::Ok;
        });
    }
}

} // namespace showroom::cli
