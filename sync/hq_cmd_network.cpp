// `showroom-hq` commands for the network HQ keeps (hq.hpp, "Network rules"): conflicts waiting for a
// person, a vehicle's merged record and the edits it lost, a customer across showrooms, and HQ's
// own data going down to the showrooms: prices, staff accounts, the catalog. Transfers are started
// by the sending showroom (`showroom vehicle transfer`); HQ lists them.
#include "hq_cli.hpp"

#include "showroom/core/money.hpp"

#include <fstream>
#include <iomanip>
#include <memory>
#include <sstream>

namespace showroom::hq {

namespace {

using nlohmann::json;

json toJson(const sync::Conflict& c) {
    return {{"id", c.id},
            {"kind", c.kind},
            {"store", c.storeCode},
            {"vin", c.vin},
            {"deal_id", c.dealId},
            {"deal_no", c.dealNo},
            {"other_store", c.otherStore},
            {"message", c.message},
            {"created_at", c.createdAt},
            {"resolved_at", c.resolvedAt.empty() ? json() : json(c.resolvedAt)},
            {"resolution", c.resolution}};
}

json toJson(const sync::FieldLoss& l) {
    return {{"field", l.field},          {"lost_value", l.lostValue},  {"lost_hlc", l.lostHlc},
            {"lost_store", l.lostStore}, {"kept_value", l.keptValue},  {"kept_hlc", l.keptHlc},
            {"kept_store", l.keptStore}, {"recorded_at", l.recordedAt}};
}

/// A JSON value as a person reads it: strings without quotes.
std::string plain(const json& v) {
    return v.is_string() ? v.get<std::string>() : v.dump();
}

void addConflictCommands(CLI::App& app, Cli& cli) {
    auto all = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("conflicts", "Decisions HQ made against a showroom that wait for a person");
    cmd->add_flag("--all", *all, "Resolved ones too");
    cli.on(cmd, [&cli, all] {
        Exit exit = Exit::Ok;
        auto hq = cli.open(exit);
        if (!hq) return exit;
        auto list = hq->conflicts(!*all);
        if (!list) return cli.report(list.error());
        if (cli.json) {
            json j = json::array();
            for (const auto& c : *list)
                j.push_back(toJson(c));
            cli.printJson(j);
            return Exit::Ok;
        }
        if (list->empty()) {
            std::cout << (*all ? "No conflicts\n" : "No open conflicts\n");
            return Exit::Ok;
        }
        for (const auto& c : *list) {
            std::cout << c.id << "  " << c.kind << "  " << c.storeCode << "  " << c.vin
                      << (c.dealNo.empty() ? "" : "  deal " + c.dealNo)
                      << (c.resolvedAt.empty() ? "" : "  resolved " + c.resolvedAt) << "\n    " << c.message << "\n";
        }
        return Exit::Ok;
    });
    struct Flags {
        std::string id, note;
    };
    auto f = std::make_shared<Flags>();
    auto* resolve = cmd->add_subcommand("resolve", "Close a conflict from HQ (the showroom hears of it)");
    resolve->add_option("ID", f->id, "The conflict's id")->required();
    resolve->add_option("--note", f->note, "What was done")->required();
    cli.on(resolve, [&cli, f] {
        if (f->note.find_first_not_of(" \t") == std::string::npos)
            return cli.badInput("--note is empty: say what was done");
        Exit exit = Exit::Ok;
        auto hq = cli.open(exit);
        if (!hq) return exit;
        if (auto st = hq->resolveConflict(f->id, f->note); !st) return cli.report(st.error());
        if (cli.json)
            cli.printJson({{"id", f->id}, {"resolved", true}});
        else
            std::cout << "Resolved " << f->id << "\n";
        return Exit::Ok;
    });
}

void addVehicleCommand(CLI::App& app, Cli& cli) {
    auto vin = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand("vehicle", "A vehicle as HQ merged it from every showroom, and the edits it lost");
    cmd->add_option("VIN", *vin, "The vehicle's VIN")->required();
    cli.on(cmd, [&cli, vin] {
        Exit exit = Exit::Ok;
        auto hq = cli.open(exit);
        if (!hq) return exit;
        auto record = hq->vehicle(*vin);
        if (!record) return cli.report(record.error());
        auto losses = hq->fieldLosses(*vin);
        if (!losses) return cli.report(losses.error());
        if (cli.json) {
            json l = json::array();
            for (const auto& x : *losses)
                l.push_back(toJson(x));
            cli.printJson({{"vehicle", *record}, {"losses", l}});
            return Exit::Ok;
        }
        for (auto it = record->begin(); it != record->end(); ++it)
            std::cout << std::left << std::setw(20) << it.key() << plain(it.value()) << "\n";
        for (const auto& x : *losses)
            std::cout << "lost: " << x.field << " = " << plain(x.lostValue) << " from " << x.lostStore << " ("
                      << x.lostHlc << "), kept " << plain(x.keptValue) << " from " << x.keptStore << " (" << x.keptHlc
                      << ")\n";
        return Exit::Ok;
    });
}

void addCustomerCommand(CLI::App& app, Cli& cli) {
    auto* group = app.add_subcommand("customer", "Customers across the showrooms");
    group->require_subcommand(1);
    auto key = std::make_shared<std::string>();
    auto* cmd =
        group->add_subcommand("find", "The person with this phone or e-mail, every showroom's record and history");
    cmd->add_option("PHONE_OR_EMAIL", *key, "A phone number or an e-mail address")->required();
    cli.on(cmd, [&cli, key] {
        Exit exit = Exit::Ok;
        auto hq = cli.open(exit);
        if (!hq) return exit;
        auto found = hq->findCustomer(*key);
        if (!found) return cli.report(found.error());
        if (!*found) return cli.report(core::fail(core::ErrorCode::NotFound, "no customer with " + *key));
        const auto& c = **found;
        if (cli.json) {
            json records = json::array(), history = json::array();
            for (const auto& r : c.records)
                records.push_back({{"store", r.storeCode}, {"customer_id", r.customerId}, {"linked_at", r.linkedAt}});
            for (const auto& h : c.history)
                history.push_back(
                    {{"store", h.storeCode}, {"type", h.type}, {"entity_id", h.entityId}, {"created_at", h.createdAt}});
            cli.printJson({{"id", c.id},
                           {"first_name", c.firstName},
                           {"last_name", c.lastName},
                           {"records", records},
                           {"history", history},
                           {"merged_from", c.mergedFrom}});
            return Exit::Ok;
        }
        std::cout << c.firstName << " " << c.lastName << "  (network customer " << c.id << ")\n";
        for (const auto& r : c.records)
            std::cout << "  at " << r.storeCode << ": customer " << r.customerId << "\n";
        for (const auto& h : c.history)
            std::cout << "  " << h.createdAt << "  " << h.storeCode << "  " << h.type << "\n";
        return Exit::Ok;
    });
}

void addPriceCommand(CLI::App& app, Cli& cli) {
    auto* group = app.add_subcommand("price", "Prices HQ sets for the network");
    group->require_subcommand(1);
    struct Flags {
        std::string vin, amount;
    };
    auto f = std::make_shared<Flags>();
    auto* cmd = group->add_subcommand("set", "Re-price a vehicle; its showroom applies it at its next sync");
    cmd->add_option("VIN", f->vin, "The vehicle's VIN")->required();
    cmd->add_option("AMOUNT", f->amount, "The new price, e.g. 24990 or 24990.00")->required();
    cli.on(cmd, [&cli, f] {
        auto cents = core::parseMoney(f->amount);
        if (!cents) return cli.badInput("price '" + f->amount + "': " + cents.error().message);
        Exit exit = Exit::Ok;
        auto hq = cli.open(exit);
        if (!hq) return exit;
        if (auto st = hq->setPrice(f->vin, *cents); !st) return cli.report(st.error());
        if (cli.json)
            cli.printJson({{"vin", f->vin}, {"price", core::formatCents(*cents)}});
        else
            std::cout << f->vin << " now " << core::formatMoney(*cents) << "\n";
        return Exit::Ok;
    });
}

/// The first line of standard input, without its line end.
std::string readLine() {
    std::string line;
    std::getline(std::cin, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

void addStaffCommands(CLI::App& app, Cli& cli) {
    auto* group = app.add_subcommand("staff", "Staff accounts HQ manages for the showrooms");
    group->require_subcommand(1);
    {
        struct Flags {
            std::string name, role, store, email, pin;
            bool pinStdin = false;
        };
        auto f = std::make_shared<Flags>();
        auto* cmd = group->add_subcommand("add", "Add a staff account; its showroom gets it at its next sync");
        cmd->add_option("NAME", f->name, "Full name")->required();
        cmd->add_option("--role", f->role, "sales, manager, finance, porter or admin")->required();
        cmd->add_option("--store", f->store, "The showroom's code (default: every showroom)");
        cmd->add_option("--email", f->email, "E-mail address");
        auto* pin = cmd->add_option("--pin", f->pin, "PIN, 4 to 8 digits (visible to other users of this machine)");
        cmd->add_flag("--pin-stdin", f->pinStdin, "Read the PIN from the first line of standard input")->excludes(pin);
        cli.on(cmd, [&cli, f] {
            sync::StaffAccount a;
            a.name = f->name;
            a.role = f->role;
            a.storeCode = f->store;
            a.email = f->email;
            a.pin = f->pinStdin ? readLine() : f->pin;
            Exit exit = Exit::Ok;
            auto hq = cli.open(exit);
            if (!hq) return exit;
            auto id = hq->putStaff(a);
            if (!id) return cli.report(id.error());
            if (cli.json)
                cli.printJson({{"id", *id}, {"name", a.name}, {"role", a.role}, {"store", a.storeCode}});
            else
                std::cout << "Added " << a.name << " (" << a.role << ", "
                          << (a.storeCode.empty() ? std::string("every showroom") : a.storeCode) << "), id " << *id
                          << "\n";
            return Exit::Ok;
        });
    }
    {
        auto* cmd = group->add_subcommand("list", "Staff accounts HQ manages");
        cli.on(cmd, [&cli] {
            Exit exit = Exit::Ok;
            auto hq = cli.open(exit);
            if (!hq) return exit;
            auto all = hq->staff();
            if (!all) return cli.report(all.error());
            if (cli.json) {
                json j = json::array();
                for (const auto& a : *all)
                    j.push_back({{"id", a.id},
                                 {"name", a.name},
                                 {"role", a.role},
                                 {"store", a.storeCode},
                                 {"email", a.email},
                                 {"active", a.active}});
                cli.printJson(j);
                return Exit::Ok;
            }
            for (const auto& a : *all)
                std::cout << std::left << std::setw(38) << a.id << std::setw(28) << a.name << std::setw(10) << a.role
                          << std::setw(10) << (a.storeCode.empty() ? "all" : a.storeCode)
                          << (a.active ? "" : "disabled") << "\n";
            return Exit::Ok;
        });
    }
    {
        auto id = std::make_shared<std::string>();
        auto* cmd = group->add_subcommand("disable", "Disable a staff account at its showrooms");
        cmd->add_option("ID", *id, "The account's id (staff list)")->required();
        cli.on(cmd, [&cli, id] {
            Exit exit = Exit::Ok;
            auto hq = cli.open(exit);
            if (!hq) return exit;
            auto all = hq->staff();
            if (!all) return cli.report(all.error());
            for (auto a : *all) {
                if (a.id != *id) continue;
                a.active = false;
                if (auto put = hq->putStaff(a); !put) return cli.report(put.error());
                if (cli.json)
                    cli.printJson({{"id", a.id}, {"active", false}});
                else
                    std::cout << "Disabled " << a.name << "\n";
                return Exit::Ok;
            }
            return cli.report(core::fail(core::ErrorCode::NotFound, "no staff account " + *id));
        });
    }
}

void addCatalogCommand(CLI::App& app, Cli& cli) {
    auto* group = app.add_subcommand("catalog", "The network's model catalog");
    group->require_subcommand(1);
    auto file = std::make_shared<std::string>();
    auto* cmd = group->add_subcommand(
        "import", "Import catalog lines from CSV (year,make,model,trim,body,fuel,drivetrain,msrp,features)");
    cmd->add_option("FILE", *file, "The CSV file")->required();
    cli.on(cmd, [&cli, file] {
        std::ifstream in(*file, std::ios::binary);
        if (!in) return cli.badInput("cannot read " + *file);
        std::ostringstream text;
        text << in.rdbuf();
        Exit exit = Exit::Ok;
        auto hq = cli.open(exit);
        if (!hq) return exit;
        auto report = hq->importCatalog(text.str());
        if (!report) return cli.report(report.error());
        if (cli.json) {
            cli.printJson({{"stored", report->lines}, {"errors", report->errors}});
        } else {
            std::cout << report->lines << " catalog line(s) stored and sent to the showrooms\n";
        }
        for (const auto& e : report->errors)
            std::cerr << "showroom-hq: " << *file << ": " << e << "\n";
        // Good rows are stored either way; a refused row is bad input the user must fix.
        return report->errors.empty() ? Exit::Ok : Exit::BadInput;
    });
}

void addTransfersCommand(CLI::App& app, Cli& cli) {
    auto* cmd = app.add_subcommand("transfers", "Vehicles sent from one showroom to another");
    cli.on(cmd, [&cli] {
        Exit exit = Exit::Ok;
        auto hq = cli.open(exit);
        if (!hq) return exit;
        auto all = hq->transfers();
        if (!all) return cli.report(all.error());
        if (cli.json) {
            json j = json::array();
            for (const auto& t : *all)
                j.push_back({{"id", t.id},
                             {"vin", t.vin},
                             {"from", t.fromStore},
                             {"to", t.toStore},
                             {"status", t.status},
                             {"requested_at", t.requestedAt},
                             {"received_at", t.receivedAt.empty() ? json() : json(t.receivedAt)}});
            cli.printJson(j);
            return Exit::Ok;
        }
        if (all->empty()) {
            std::cout << "No transfers\n";
            return Exit::Ok;
        }
        for (const auto& t : *all)
            std::cout << t.vin << "  " << t.fromStore << " -> " << t.toStore << "  " << t.status << "  "
                      << t.requestedAt << (t.receivedAt.empty() ? "" : "  received " + t.receivedAt) << "\n";
        return Exit::Ok;
    });
}

} // namespace

void addNetworkCommands(CLI::App& app, Cli& cli) {
    addConflictCommands(app, cli);
    addVehicleCommand(app, cli);
    addCustomerCommand(app, cli);
    addPriceCommand(app, cli);
    addStaffCommands(app, cli);
    addCatalogCommand(app, cli);
    addTransfersCommand(app, cli);
}

} // namespace showroom::hq
