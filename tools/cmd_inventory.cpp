// `showroom inventory ...`, `showroom checkin` and `showroom vin decode`.
#include "cli.hpp"

#include "showroom/core/inventory.hpp"
#include "showroom/core/json.hpp"
#include "showroom/core/money.hpp"
#include "showroom/core/vin.hpp"

#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

namespace showroom::cli {

namespace {

struct FilterFlags {
    std::string text, make, model, sort = "price";
    std::optional<int> yearMin, yearMax;
    std::string priceMin, priceMax;
    std::vector<std::string> bodies, fuels, conditions, statuses;
    int page = 1, pageSize = 48;
};

void addFilterFlags(CLI::App* cmd, FilterFlags& f) {
    cmd->add_option("--make", f.make, "Make, e.g. Toyota");
    cmd->add_option("--model", f.model, "Model, e.g. RAV4");
    cmd->add_option("--year-min", f.yearMin, "Oldest model year");
    cmd->add_option("--year-max", f.yearMax, "Newest model year");
    cmd->add_option("--price-min", f.priceMin, "Lowest price in dollars");
    cmd->add_option("--price-max", f.priceMax, "Highest price in dollars");
    cmd->add_option("--body", f.bodies, "Body style (repeatable): sedan, suv, hatchback, pickup, coupe, van");
    cmd->add_option("--fuel", f.fuels, "Fuel (repeatable): gasoline, hybrid, plug_in_hybrid, electric, diesel");
    cmd->add_option("--condition", f.conditions, "new, used or certified (repeatable)");
    cmd->add_option("--status", f.statuses, "Status (repeatable), e.g. in_stock");
    cmd->add_option("--sort", f.sort, "price, price_desc, year, year_desc, mileage, newest")->capture_default_str();
}

// Turns flags into a query; reports and returns nullopt on a bad value.
std::optional<core::SearchQuery> toQuery(const FilterFlags& f, Cli& cli) {
    core::SearchQuery q;
    q.text = f.text;
    if (!f.make.empty()) q.make = f.make;
    if (!f.model.empty()) q.model = f.model;
    q.yearMin = f.yearMin;
    q.yearMax = f.yearMax;
    if (!f.priceMin.empty()) {
        auto c = moneyFlag("price-min", f.priceMin);
        if (!c) return std::nullopt;
        q.priceMin = *c;
    }
    if (!f.priceMax.empty()) {
        auto c = moneyFlag("price-max", f.priceMax);
        if (!c) return std::nullopt;
        q.priceMax = *c;
    }
    q.bodies = f.bodies;
    q.fuels = f.fuels;
    for (const auto& c : f.conditions) {
        auto parsed = core::parseCondition(c);
        if (!parsed) return cli.report(parsed.error()), std::nullopt;
        q.conditions.push_back(*parsed);
    }
    for (const auto& s : f.statuses) {
        auto parsed = core::parseVehicleStatus(s);
        if (!parsed) return cli.report(parsed.error()), std::nullopt;
        q.statuses.push_back(*parsed);
    }
    auto sort = core::parseSortKey(f.sort);
    if (!sort) return cli.report(sort.error()), std::nullopt;
    q.sort = *sort;
    q.page = f.page - 1;
    q.pageSize = f.pageSize;
    return q;
}

std::string describe(const core::Vehicle& v) {
    std::string s = std::to_string(v.year) + " " + v.make + " " + v.model;
    if (!v.trim.empty()) s += " " + v.trim;
    return s;
}

void printVehicleRow(const core::Vehicle& v) {
    std::cout << std::left << std::setw(11) << v.stockNo << std::setw(18) << v.vin << std::setw(38)
              << describe(v).substr(0, 37) << std::setw(16) << v.exteriorColor.substr(0, 15) << std::right
              << std::setw(13) << core::formatMoney(v.price) << std::setw(9) << v.odometer << "  " << std::left
              << core::toString(v.status) << "\n";
}

void printVehicle(const core::Vehicle& v) {
    std::cout << describe(v) << "\n"
              << "  stock no      " << v.stockNo << "\n"
              << "  VIN           " << v.vin << "\n"
              << "  condition     " << core::toString(v.condition) << ", " << v.odometer << " mi\n"
              << "  body / fuel   " << v.body << " / " << v.fuel << ", " << v.drivetrain << ", " << v.transmission
              << "\n"
              << "  colours       " << v.exteriorColor << " / " << v.interiorColor << "\n"
              << "  price         " << core::formatMoney(v.price) << " (MSRP " << core::formatMoney(v.msrp)
              << ")\n"
              << "  status        " << core::toString(v.status) << " since " << v.statusChangedAt << "\n"
              << "  lot           " << (v.lotLocation.empty() ? "-" : v.lotLocation) << "\n"
              << "  in stock from " << v.receivedAt << "\n"
              << "  features      " << core::joinList(v.features) << "\n";
}

std::string readAll(const std::string& path, bool& ok) {
    std::ifstream in(path, std::ios::binary);
    ok = static_cast<bool>(in);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

void addInventoryCommands(CLI::App& app, Cli& cli) {
    auto* inventory = app.add_subcommand("inventory", "Vehicles: search, import, export, status, lot location");
    inventory->require_subcommand(1);

    // inventory search
    {
        auto f = std::make_shared<FilterFlags>();
        auto* cmd = inventory->add_subcommand("search", "Search the stock by text and filters");
        cmd->add_option("text", f->text, "Words (make, model, colour, feature...) or a VIN / stock number fragment");
        addFilterFlags(cmd, *f);
        cmd->add_option("--page", f->page, "Page number, from 1")->capture_default_str()->check(CLI::Range(1, 1'000'000));
        cmd->add_option("--page-size", f->pageSize, "Vehicles per page")->capture_default_str()->check(CLI::Range(1, 500));
        cli.on(cmd, [&cli, f] {
            auto q = toQuery(*f, cli);
            if (!q) return Exit::BadInput;
            auto conn = cli.openStore();
            if (!conn) return Exit::Failure;
            auto ctx = cli.context(*conn);
            auto page = core::Inventory(ctx).search(*q);
            if (!page) return cli.report(page.error());
            if (cli.globals.json) {
                cli.printJson({{"total", page->total},
                               {"total_is_at_least", page->totalIsAtLeast},
                               {"page", page->page + 1},
                               {"page_size", page->pageSize},
                               {"vehicles", page->vehicles}});
                return Exit::Ok;
            }
            if (page->vehicles.empty()) {
                std::cout << "No vehicles match.\n";
                return Exit::Ok;
            }
            for (const auto& v : page->vehicles) printVehicleRow(v);
            std::cout << page->total << (page->totalIsAtLeast ? "+" : "") << " match"
                      << (page->total == 1 ? "" : "es") << "; page " << page->page + 1 << "\n";
            return Exit::Ok;
        });
    }

    // inventory show
    {
        auto key = std::make_shared<std::string>();
        auto* cmd = inventory->add_subcommand("show", "Show one vehicle by id, VIN or stock number");
        cmd->add_option("vehicle", *key, "Id, VIN or stock number")->required();
        cli.on(cmd, [&cli, key] {
            auto conn = cli.openStore();
            if (!conn) return Exit::Failure;
            auto ctx = cli.context(*conn);
            auto v = core::Inventory(ctx).find(*key);
            if (!v) return cli.report(v.error());
            if (cli.globals.json) cli.printJson(*v);
            else printVehicle(*v);
            return Exit::Ok;
        });
    }

    // inventory status
    {
        struct Flags {
            std::string key, status, reason;
        };
        auto f = std::make_shared<Flags>();
        auto* cmd = inventory->add_subcommand("status", "Change a vehicle's status (incoming, in_stock, on_hold, "
                                                        "sold, delivered, transferred)");
        cmd->add_option("vehicle", f->key, "Id, VIN or stock number")->required();
        cmd->add_option("status", f->status, "New status")->required();
        cmd->add_option("--reason", f->reason, "Why, for the audit log");
        cli.on(cmd, [&cli, f] {
            auto to = core::parseVehicleStatus(f->status);
            if (!to) return cli.report(to.error());
            auto conn = cli.openStore();
            if (!conn) return Exit::Failure;
            auto ctx = cli.context(*conn);
            auto v = core::Inventory(ctx).changeStatus(f->key, *to, f->reason);
            if (!v) return cli.report(v.error());
            if (cli.globals.json) cli.printJson(*v);
            else std::cout << v->stockNo << " is now " << core::toString(v->status) << "\n";
            return Exit::Ok;
        });
    }

    // inventory move
    {
        struct Flags {
            std::string key, lot;
        };
        auto f = std::make_shared<Flags>();
        auto* cmd = inventory->add_subcommand("move", "Record a vehicle's lot location");
        cmd->add_option("vehicle", f->key, "Id, VIN or stock number")->required();
        cmd->add_option("lot", f->lot, "Lot location, e.g. B-12")->required();
        cli.on(cmd, [&cli, f] {
            auto conn = cli.openStore();
            if (!conn) return Exit::Failure;
            auto ctx = cli.context(*conn);
            auto v = core::Inventory(ctx).moveTo(f->key, f->lot);
            if (!v) return cli.report(v.error());
            if (cli.globals.json) cli.printJson(*v);
            else std::cout << v->stockNo << " is at " << v->lotLocation << "\n";
            return Exit::Ok;
        });
    }

    // inventory import
    {
        struct Flags {
            std::string file;
            bool skipBadRows = false;
        };
        auto f = std::make_shared<Flags>();
        auto* cmd = inventory->add_subcommand("import", "Import vehicles from CSV (all or nothing unless --skip-bad-rows)");
        cmd->add_option("file", f->file, "CSV file with a header line (vin,year,make,price,...)")->required();
        cmd->add_flag("--skip-bad-rows", f->skipBadRows, "Import the good rows and list the bad ones");
        cli.on(cmd, [&cli, f] {
            bool ok = false;
            const std::string text = readAll(f->file, ok);
            if (!ok) return cli.report(core::fail(core::ErrorCode::InvalidInput, "cannot read " + f->file));
            auto conn = cli.openStore();
            if (!conn) return Exit::Failure;
            auto ctx = cli.context(*conn);
            ctx.actor = "import";
            auto report = core::Inventory(ctx).importCsv(text, {f->skipBadRows, ""});
            if (!report) return cli.report(report.error());
            nlohmann::json problems = nlohmann::json::array();
            for (const auto& p : report->problems) problems.push_back({{"line", p.line}, {"reason", p.reason}});
            if (cli.globals.json) {
                cli.printJson({{"rows", report->rowsRead},
                               {"imported", report->imported},
                               {"committed", report->committed},
                               {report->committed ? "skipped" : "errors", problems}});
            } else {
                for (const auto& p : report->problems)
                    std::cerr << f->file << ":" << p.line << ": " << p.reason << "\n";
                if (report->committed) {
                    std::cout << "Imported " << report->imported << " of " << report->rowsRead << " rows";
                    if (!report->problems.empty())
                        std::cout << "; skipped " << report->problems.size() << " bad rows (listed above)";
                    std::cout << "\n";
                } else {
                    std::cerr << "showroom: nothing imported: " << report->problems.size() << " of "
                              << report->rowsRead << " rows are bad. Fix them, or import the rest with "
                              << "--skip-bad-rows\n";
                }
            }
            return report->committed ? Exit::Ok : Exit::BadInput;
        });
    }

    // inventory export
    {
        struct Flags : FilterFlags {
            std::string out;
        };
        auto f = std::make_shared<Flags>();
        auto* cmd = inventory->add_subcommand("export", "Export vehicles as CSV");
        cmd->add_option("--out", f->out, "Output file (default: standard output)");
        addFilterFlags(cmd, *f);
        cli.on(cmd, [&cli, f] {
            auto q = toQuery(*f, cli);
            if (!q) return Exit::BadInput;
            auto conn = cli.openStore();
            if (!conn) return Exit::Failure;
            auto ctx = cli.context(*conn);
            core::Status st;
            if (f->out.empty()) {
                st = core::Inventory(ctx).exportCsv(std::cout, *q);
            } else {
                // Write beside the target and rename, so a failed export never leaves half a file.
                const std::string tmp = f->out + ".partial";
                {
                    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
                    if (!out) return cli.report(core::fail(core::ErrorCode::Io, "cannot write " + f->out));
                    st = core::Inventory(ctx).exportCsv(out, *q);
                }
                if (st && std::rename(tmp.c_str(), f->out.c_str()) != 0)
                    st = core::fail(core::ErrorCode::Io, "cannot write " + f->out);
                if (!st) std::remove(tmp.c_str());
            }
            if (!st) return cli.report(st.error());
            return Exit::Ok;
        });
    }

    // checkin
    {
        struct Flags {
            std::string vin, stockNo, price, msrp, cost, make, model, trim, body, fuel, drivetrain, transmission,
                color, interior, lot, condition;
            std::optional<int> year;
            std::optional<std::int64_t> odometer;
            bool acceptBadCheckDigit = false;
        };
        auto f = std::make_shared<Flags>();
        auto* cmd = app.add_subcommand("checkin", "Check a vehicle in by its VIN (as scanned from the label)");
        cmd->add_option("vin", f->vin, "The VIN, as scanned")->required();
        cmd->add_option("--stock-no", f->stockNo, "Stock number (default: next free)");
        cmd->add_option("--price", f->price, "Asking price in dollars (needed for a new vehicle)");
        cmd->add_option("--msrp", f->msrp, "MSRP in dollars");
        cmd->add_option("--cost", f->cost, "Cost in dollars");
        cmd->add_option("--make", f->make, "Make (default: from the VIN)");
        cmd->add_option("--year", f->year, "Model year (default: from the VIN)");
        cmd->add_option("--model", f->model, "Model");
        cmd->add_option("--trim", f->trim, "Trim");
        cmd->add_option("--body", f->body, "Body style");
        cmd->add_option("--fuel", f->fuel, "Fuel");
        cmd->add_option("--drivetrain", f->drivetrain, "FWD, RWD, AWD, 4WD");
        cmd->add_option("--transmission", f->transmission, "Transmission");
        cmd->add_option("--color", f->color, "Exterior colour");
        cmd->add_option("--interior", f->interior, "Interior colour");
        cmd->add_option("--odometer", f->odometer, "Odometer in miles")->check(CLI::Range(0, 2'000'000));
        cmd->add_option("--lot", f->lot, "Lot location");
        cmd->add_option("--condition", f->condition, "new, used or certified");
        cmd->add_flag("--accept-bad-check-digit", f->acceptBadCheckDigit,
                      "The label really reads so: accept a VIN whose check digit fails");
        cli.on(cmd, [&cli, f] {
            core::CheckInDetails d;
            auto text = [](const std::string& s) { return s.empty() ? std::nullopt : std::optional<std::string>(s); };
            d.stockNo = text(f->stockNo);
            d.make = text(f->make);
            d.model = text(f->model);
            d.trim = text(f->trim);
            d.body = text(f->body);
            d.fuel = text(f->fuel);
            d.drivetrain = text(f->drivetrain);
            d.transmission = text(f->transmission);
            d.exteriorColor = text(f->color);
            d.interiorColor = text(f->interior);
            d.lotLocation = text(f->lot);
            d.year = f->year;
            d.odometer = f->odometer;
            d.acceptBadCheckDigit = f->acceptBadCheckDigit;
            for (auto [name, value, target] : {std::tuple{"price", &f->price, &d.price},
                                               std::tuple{"msrp", &f->msrp, &d.msrp},
                                               std::tuple{"cost", &f->cost, &d.cost}}) {
                if (value->empty()) continue;
                auto c = moneyFlag(name, *value);
                if (!c) return Exit::BadInput;
                *target = *c;
            }
            if (!f->condition.empty()) {
                auto c = core::parseCondition(f->condition);
                if (!c) return cli.report(c.error());
                d.condition = *c;
            }
            auto conn = cli.openStore();
            if (!conn) return Exit::Failure;
            auto ctx = cli.context(*conn);
            auto result = core::Inventory(ctx).checkIn(f->vin, d);
            if (!result) return cli.report(result.error());
            if (cli.globals.json) {
                cli.printJson({{"outcome", core::toString(result->outcome)},
                               {"message", result->message},
                               {"vehicle", result->vehicle},
                               {"vin_report", result->vinReport}});
            } else {
                std::cout << result->vehicle.vin << ": " << result->message << " (" << describe(result->vehicle)
                          << ")\n";
                for (const auto& w : result->vinReport.warnings) std::cout << "  note: " << w << "\n";
            }
            return Exit::Ok;
        });
    }

    // vin decode
    {
        auto vins = std::make_shared<std::vector<std::string>>();
        auto* vin = app.add_subcommand("vin", "VIN tools");
        vin->require_subcommand(1);
        auto* cmd = vin->add_subcommand("decode", "Validate and decode VINs (ISO 3779 / 49 CFR 565)");
        cmd->add_option("vins", *vins, "One or more VINs")->required();
        cli.on(cmd, [&cli, vins] {
            const int latestYear = core::yearOf(cli.clock.now()) + 1;
            nlohmann::json all = nlohmann::json::array();
            bool allValid = true;
            for (const auto& raw : *vins) {
                const core::vin::Report r = core::vin::decode(raw, latestYear);
                allValid = allValid && r.valid;
                if (cli.globals.json) {
                    all.push_back(r);
                    continue;
                }
                std::cout << (r.vin.empty() ? raw.substr(0, 40) : r.vin) << ": " << (r.valid ? "valid" : "INVALID");
                if (!r.vin.empty()) std::cout << ", check digit " << (r.checkDigitOk ? "ok" : "WRONG");
                std::cout << "\n";
                if (!r.manufacturer.empty())
                    std::cout << "  maker   " << r.manufacturer << " (" << r.country << ", " << r.region << ")\n";
                else if (!r.wmi.empty())
                    std::cout << "  maker   unknown WMI " << r.wmi << " (" << r.region << ")\n";
                if (!r.modelYearCandidates.empty()) {
                    std::cout << "  year   ";
                    for (std::size_t i = 0; i < r.modelYearCandidates.size(); ++i)
                        std::cout << (i ? " or " : " ") << r.modelYearCandidates[i];
                    std::cout << "\n";
                }
                for (const auto& e : r.errors) std::cout << "  error   " << e << "\n";
                for (const auto& w : r.warnings) std::cout << "  note    " << w << "\n";
            }
            if (cli.globals.json) cli.printJson(all);
            return allValid ? Exit::Ok : Exit::BadInput;
        });
    }
}

} // namespace showroom::cli
