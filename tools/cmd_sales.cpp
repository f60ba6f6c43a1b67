// `showroom customer ...`, `lead ...`, `testdrive ...` and `deal ...`.
#include "cli.hpp"
#include "quote_json.hpp"

#include "showroom/core/crm.hpp"
#include "showroom/core/deals.hpp"
#include "showroom/core/finance.hpp"
#include "showroom/core/json.hpp"
#include "showroom/core/money.hpp"
#include "showroom/core/tax_rules.hpp"

#include <fstream>
#include <sstream>

#include <iomanip>
#include <iostream>
#include <memory>

namespace showroom::cli {

namespace {

struct QuoteFlags {
    std::string price, discount = "0", tradeIn = "0", payoff = "0", taxRate = "0", docFee = "0", titleFee = "0",
                       down = "0", apr = "0";
    std::string jurisdiction, taxRulesFile;
    int term = 0;
    bool netOfTrade = false, docFeeTaxable = false, titleFeeTaxable = false, cash = false, schedule = false;
};

void addQuoteFlags(CLI::App* cmd, QuoteFlags& f, bool priceRequired) {
    auto* price = cmd->add_option("--price", f.price, "Selling price in dollars");
    if (priceRequired) price->required();
    cmd->add_option("--discount", f.discount, "Discount in dollars")->capture_default_str();
    cmd->add_option("--trade-in", f.tradeIn, "Trade-in allowance in dollars")->capture_default_str();
    cmd->add_option("--payoff", f.payoff, "Amount still owed on the trade-in")->capture_default_str();
    cmd->add_option("--tax-rate", f.taxRate, "Sales tax in percent, e.g. 6.25")->capture_default_str();
    cmd->add_option("--jurisdiction", f.jurisdiction, "Take the tax rule of this jurisdiction from --tax-rules");
    cmd->add_option("--tax-rules", f.taxRulesFile, "Tax rules file (see config/tax_rules.example.json)");
    cmd->add_flag("--tax-on-net-of-trade", f.netOfTrade, "Tax the price net of the trade-in allowance");
    cmd->add_flag("--doc-fee-taxable", f.docFeeTaxable, "The doc fee is taxable here");
    cmd->add_flag("--title-fee-taxable", f.titleFeeTaxable, "Title and registration fees are taxable here");
    cmd->add_option("--doc-fee", f.docFee, "Documentation fee in dollars")->capture_default_str();
    cmd->add_option("--title-fee", f.titleFee, "Title and registration fees in dollars")->capture_default_str();
    cmd->add_option("--down", f.down, "Cash down payment in dollars")->capture_default_str();
    cmd->add_option("--apr", f.apr, "Annual percentage rate, e.g. 6.9")->capture_default_str();
    cmd->add_option("--term", f.term, "Term in months");
    cmd->add_flag("--cash", f.cash, "A cash deal: nothing financed");
}

std::optional<core::finance::DealInput> toDealInput(const QuoteFlags& f, Cli& cli) {
    core::finance::DealInput in;
    for (auto [name, text, target] :
         {std::tuple{"price", &f.price, &in.price}, std::tuple{"discount", &f.discount, &in.discount},
          std::tuple{"trade-in", &f.tradeIn, &in.tradeInAllowance}, std::tuple{"payoff", &f.payoff, &in.tradeInPayoff},
          std::tuple{"doc-fee", &f.docFee, &in.docFee}, std::tuple{"title-fee", &f.titleFee, &in.titleFee},
          std::tuple{"down", &f.down, &in.cashDown}}) {
        auto c = moneyFlag(name, *text);
        if (!c) return std::nullopt;
        *target = *c;
    }
    auto tax = core::parsePercent(f.taxRate);
    if (!tax) return cli.report(tax.error()), std::nullopt;
    auto apr = core::parsePercent(f.apr);
    if (!apr) return cli.report(apr.error()), std::nullopt;
    in.tax.rate = *tax;
    in.tax.netOfTrade = f.netOfTrade;
    in.tax.docFeeTaxable = f.docFeeTaxable;
    in.tax.titleFeeTaxable = f.titleFeeTaxable;
    if (!f.jurisdiction.empty() || !f.taxRulesFile.empty()) {
        if (f.taxRulesFile.empty())
            return cli.report(core::fail(core::ErrorCode::InvalidInput, "--jurisdiction needs --tax-rules FILE")),
                   std::nullopt;
        std::ifstream file(f.taxRulesFile);
        if (!file)
            return cli.report(core::fail(core::ErrorCode::InvalidInput, "cannot read " + f.taxRulesFile)), std::nullopt;
        std::stringstream text;
        text << file.rdbuf();
        auto rules = core::parseTaxRules(text.str());
        if (!rules) return cli.report(rules.error()), std::nullopt;
        auto rule = rules->find(f.jurisdiction);
        if (!rule) return cli.report(rule.error()), std::nullopt;
        in.tax = *rule;
    }
    in.financed = !f.cash;
    in.apr = *apr;
    in.termMonths = f.term;
    return in;
}

void printQuote(const core::finance::Quote& q, bool financed) {
    using core::formatMoney;
    auto line = [](std::string_view label, const std::string& value) {
        std::cout << "  " << std::left << std::setw(26) << label << std::right << std::setw(14) << value << "\n";
    };
    line("Cash price", formatMoney(q.cashPrice));
    line("Sales tax", formatMoney(q.salesTax));
    line("Fees", formatMoney(q.fees));
    line("Trade-in equity", formatMoney(q.tradeEquity));
    line("Total due", formatMoney(q.totalDue));
    if (!financed) {
        line("Balance due on delivery", formatMoney(q.balanceDueOnDelivery));
        return;
    }
    line("Down payment", formatMoney(q.downPayment));
    std::cout << "  Truth in Lending\n";
    line("ANNUAL PERCENTAGE RATE", core::formatPercent(q.apr) + " %");
    line("FINANCE CHARGE", formatMoney(q.financeCharge));
    line("Amount financed", formatMoney(q.amountFinanced));
    line("Total of payments", formatMoney(q.totalOfPayments));
    line("Total sale price", formatMoney(q.totalSalePrice));
    std::cout << "  " << q.numberOfPayments - 1 << " payments of " << formatMoney(q.monthlyPayment)
              << " and a last payment of " << formatMoney(q.lastPayment) << "\n";
}

nlohmann::json dealJson(const core::Deal& d) {
    nlohmann::json j = quoteJson(d.quote, d.input.financed, false);
    j["id"] = d.id;
    j["deal_no"] = d.dealNo;
    j["status"] = core::toString(d.status);
    j["customer_id"] = d.customerId;
    j["vehicle_id"] = d.vehicleId;
    j["lead_id"] = d.leadId ? nlohmann::json(*d.leadId) : nlohmann::json(nullptr);
    j["price"] = core::formatCents(d.input.price);
    j["term"] = d.input.termMonths;
    j["paid"] = core::formatCents(d.paid);
    j["balance"] = core::formatCents(core::Deals::amountDue(d) - d.paid);
    j["created_at"] = d.createdAt;
    return j;
}

// Runs `fn` on an open store with a service context; the common body of most commands.
template <class Fn>
Exit withStore(Cli& cli, Fn&& fn) {
    auto conn = cli.openStore();
    if (!conn) return Exit::Failure;
    auto ctx = cli.context(*conn);
    return fn(ctx);
}

template <class T, class Print>
Exit show(Cli& cli, const core::Result<T>& r, Print&& print) {
    if (!r) return cli.report(r.error());
    if (cli.globals.json) cli.printJson(*r);
    else print(*r);
    return Exit::Ok;
}

std::optional<std::string> opt(const std::string& s) { return s.empty() ? std::nullopt : std::optional(s); }

void addCustomerCommands(CLI::App& app, Cli& cli) {
    auto* customer = app.add_subcommand("customer", "Customers");
    customer->require_subcommand(1);
    {
        auto c = std::make_shared<core::Customer>();
        auto* cmd = customer->add_subcommand("add", "Add a customer");
        cmd->add_option("--first", c->firstName, "First name");
        cmd->add_option("--last", c->lastName, "Last name");
        cmd->add_option("--phone", c->phone, "Phone number");
        cmd->add_option("--email", c->email, "E-mail address");
        cmd->add_option("--street", c->street, "Street address");
        cmd->add_option("--city", c->city, "City");
        cmd->add_option("--state", c->state, "State or province");
        cmd->add_option("--postal-code", c->postalCode, "ZIP or postal code");
        cmd->add_option("--source", c->source, "walk_in, website, phone, referral, kiosk, third_party")
            ->capture_default_str();
        cmd->add_flag("--consent-contact", c->consentContact, "The customer agreed to be contacted");
        cmd->add_flag("--consent-marketing", c->consentMarketing, "The customer agreed to marketing");
        cli.on(cmd, [&cli, c] {
            return withStore(cli, [&](core::Context& ctx) {
                return show(cli, core::Crm(ctx).addCustomer(*c), [](const core::Customer& added) {
                    std::cout << "Added customer " << added.fullName() << " (" << added.id << ")\n";
                });
            });
        });
    }
    {
        auto text = std::make_shared<std::string>();
        auto* cmd = customer->add_subcommand("list", "List customers, optionally matching a name, phone or e-mail");
        cmd->add_option("text", *text, "Part of a name, phone number or e-mail");
        cli.on(cmd, [&cli, text] {
            return withStore(cli, [&](core::Context& ctx) {
                return show(cli, core::Crm(ctx).customers({*text, 200, 0}), [](const std::vector<core::Customer>& all) {
                    for (const auto& c : all)
                        std::cout << std::left << std::setw(38) << c.id << std::setw(28) << c.fullName().substr(0, 27)
                                  << std::setw(18) << c.phone << c.email << "\n";
                    std::cout << all.size() << " customer" << (all.size() == 1 ? "" : "s") << "\n";
                });
            });
        });
    }
    {
        auto id = std::make_shared<std::string>();
        auto* cmd = customer->add_subcommand("show", "Show a customer and their leads");
        cmd->add_option("id", *id, "Customer id")->required();
        cli.on(cmd, [&cli, id] {
            return withStore(cli, [&](core::Context& ctx) {
                core::Crm crm(ctx);
                auto c = crm.customer(*id);
                if (!c) return cli.report(c.error());
                core::LeadQuery q;
                q.customerId = c->id;
                auto leads = crm.leads(q);
                if (!leads) return cli.report(leads.error());
                if (cli.globals.json) {
                    nlohmann::json j = *c;
                    j["leads"] = *leads;
                    cli.printJson(j);
                    return Exit::Ok;
                }
                std::cout << c->fullName() << "\n  phone   " << c->phone << "\n  e-mail  " << c->email
                          << "\n  address " << c->street << ", " << c->city << " " << c->state << " " << c->postalCode
                          << "\n  consent contact " << (c->consentContact ? "yes" : "no") << ", marketing "
                          << (c->consentMarketing ? "yes" : "no") << "\n  source  " << c->source << "\n";
                for (const auto& l : *leads)
                    std::cout << "  lead " << l.id << "  " << core::toString(l.stage) << " since " << l.stageChangedAt
                              << "\n";
                return Exit::Ok;
            });
        });
    }
}

void printLead(const core::Lead& l) {
    std::cout << std::left << std::setw(38) << l.id << std::setw(12) << core::toString(l.stage) << std::setw(13)
              << l.source << l.stageChangedAt << (l.lostReason ? "  (" + *l.lostReason + ")" : "") << "\n";
}

void addLeadCommands(CLI::App& app, Cli& cli) {
    auto* lead = app.add_subcommand("lead", "Leads through the pipeline: inquiry, visit, test_drive, quote, contract, "
                                            "delivered, follow_up (or lost)");
    lead->require_subcommand(1);
    {
        struct Flags {
            std::string customer, vehicle, salesperson, source = "walk_in";
        };
        auto f = std::make_shared<Flags>();
        auto* cmd = lead->add_subcommand("open", "Open a lead for a customer");
        cmd->add_option("--customer", f->customer, "Customer id")->required();
        cmd->add_option("--vehicle", f->vehicle, "Vehicle of interest (id, VIN or stock number)");
        cmd->add_option("--salesperson", f->salesperson, "Staff id of the salesperson");
        cmd->add_option("--source", f->source, "Where the lead came from")->capture_default_str();
        cli.on(cmd, [&cli, f] {
            return withStore(cli, [&](core::Context& ctx) {
                return show(cli, core::Crm(ctx).openLead(f->customer, opt(f->vehicle), opt(f->salesperson), f->source),
                            [](const core::Lead& l) { std::cout << "Opened lead " << l.id << " at inquiry\n"; });
            });
        });
    }
    {
        auto stage = std::make_shared<std::string>();
        auto* cmd = lead->add_subcommand("list", "List leads, newest stage change first");
        cmd->add_option("--stage", *stage, "Only leads at this stage");
        cli.on(cmd, [&cli, stage] {
            core::LeadQuery q;
            q.limit = 500;
            if (!stage->empty()) {
                auto s = core::parseLeadStage(*stage);
                if (!s) return cli.report(s.error());
                q.stage = *s;
            }
            return withStore(cli, [&](core::Context& ctx) {
                return show(cli, core::Crm(ctx).leads(q), [](const std::vector<core::Lead>& all) {
                    for (const auto& l : all) printLead(l);
                    std::cout << all.size() << " lead" << (all.size() == 1 ? "" : "s") << "\n";
                });
            });
        });
    }
    {
        auto id = std::make_shared<std::string>();
        auto* cmd = lead->add_subcommand("show", "Show a lead");
        cmd->add_option("id", *id, "Lead id")->required();
        cli.on(cmd, [&cli, id] {
            return withStore(cli, [&](core::Context& ctx) { return show(cli, core::Crm(ctx).lead(*id), printLead); });
        });
    }
    {
        struct Flags {
            std::string id, stage, reason;
        };
        auto f = std::make_shared<Flags>();
        auto* cmd = lead->add_subcommand("move", "Move a lead to another stage");
        cmd->add_option("id", f->id, "Lead id")->required();
        cmd->add_option("stage", f->stage, "visit, test_drive, quote, contract, delivered, follow_up, lost, inquiry")
            ->required();
        cmd->add_option("--reason", f->reason, "Why the lead was lost");
        cli.on(cmd, [&cli, f] {
            auto stage = core::parseLeadStage(f->stage);
            if (!stage) return cli.report(stage.error());
            return withStore(cli, [&](core::Context& ctx) {
                return show(cli, core::Crm(ctx).moveLead(f->id, *stage, f->reason), [](const core::Lead& l) {
                    std::cout << "Lead " << l.id << " is now at " << core::toString(l.stage) << "\n";
                });
            });
        });
    }
    {
        struct Flags {
            std::string id, kind = "note", text;
        };
        auto f = std::make_shared<Flags>();
        auto* cmd = lead->add_subcommand("log", "Log an activity (note, call, email, sms, visit) on a lead");
        cmd->add_option("id", f->id, "Lead id")->required();
        cmd->add_option("text", f->text, "What happened")->required();
        cmd->add_option("--kind", f->kind, "note, call, email, sms, visit")->capture_default_str();
        cli.on(cmd, [&cli, f] {
            return withStore(cli, [&](core::Context& ctx) {
                auto st = core::Crm(ctx).logActivity(f->id, f->kind, f->text);
                if (!st) return cli.report(st.error());
                if (cli.globals.json) cli.printJson({{"lead_id", f->id}, {"kind", f->kind}, {"logged", true}});
                else std::cout << "Logged " << f->kind << " on lead " << f->id << "\n";
                return Exit::Ok;
            });
        });
    }
    {
        struct Flags {
            std::string id, due, note;
        };
        auto f = std::make_shared<Flags>();
        auto* cmd = lead->add_subcommand("follow-up", "Schedule a follow-up on a lead");
        cmd->add_option("id", f->id, "Lead id")->required();
        cmd->add_option("--due", f->due, "When (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)")->required();
        cmd->add_option("--note", f->note, "What to do");
        cli.on(cmd, [&cli, f] {
            return withStore(cli, [&](core::Context& ctx) {
                return show(cli, core::Crm(ctx).addFollowUp(f->id, f->due, f->note), [](const core::FollowUp& fu) {
                    std::cout << "Follow-up " << fu.id << " due " << fu.dueAt << "\n";
                });
            });
        });
    }
    {
        auto day = std::make_shared<std::string>();
        auto* cmd = lead->add_subcommand("due", "Open follow-ups due by the end of a day (overdue first)");
        cmd->add_option("--day", *day, "YYYY-MM-DD (default: today)");
        cli.on(cmd, [&cli, day] {
            const std::string when = day->empty() ? core::formatDate(cli.clock.now()) : *day;
            return withStore(cli, [&](core::Context& ctx) {
                return show(cli, core::Crm(ctx).dueFollowUps(when), [](const std::vector<core::FollowUp>& all) {
                    for (const auto& fu : all)
                        std::cout << std::left << std::setw(38) << fu.id << std::setw(22) << fu.dueAt << fu.note << "\n";
                    std::cout << all.size() << " follow-up" << (all.size() == 1 ? "" : "s") << " due\n";
                });
            });
        });
    }
    {
        auto id = std::make_shared<std::string>();
        auto* cmd = lead->add_subcommand("done", "Mark a follow-up done");
        cmd->add_option("id", *id, "Follow-up id")->required();
        cli.on(cmd, [&cli, id] {
            return withStore(cli, [&](core::Context& ctx) {
                return show(cli, core::Crm(ctx).completeFollowUp(*id),
                            [](const core::FollowUp& fu) { std::cout << "Follow-up " << fu.id << " done\n"; });
            });
        });
    }
}

void addTestDriveCommands(CLI::App& app, Cli& cli) {
    auto* drive = app.add_subcommand("testdrive", "Test drives");
    drive->require_subcommand(1);
    {
        struct Flags {
            std::string customer, vehicle, lead, licence, expiry;
            bool licenceChecked = false;
            std::int64_t odometer = 0;
        };
        auto f = std::make_shared<Flags>();
        auto* cmd = drive->add_subcommand("start", "A customer takes a vehicle out");
        cmd->add_option("--customer", f->customer, "Customer id")->required();
        cmd->add_option("--vehicle", f->vehicle, "Vehicle id, VIN or stock number")->required();
        cmd->add_option("--lead", f->lead, "Lead id");
        cmd->add_option("--licence", f->licence, "Driver's licence number (only the last 4 are kept)")->required();
        cmd->add_option("--licence-expiry", f->expiry, "Licence expiry date (YYYY-MM-DD)");
        cmd->add_flag("--licence-checked", f->licenceChecked, "The licence was seen and is valid")->required();
        cmd->add_option("--odometer", f->odometer, "Odometer at departure")->required();
        cli.on(cmd, [&cli, f] {
            return withStore(cli, [&](core::Context& ctx) {
                return show(cli,
                            core::Crm(ctx).startTestDrive(f->customer, f->vehicle, opt(f->lead), f->licenceChecked,
                                                          f->licence, opt(f->expiry), f->odometer),
                            [](const core::TestDrive& t) { std::cout << "Test drive " << t.id << " out\n"; });
            });
        });
    }
    {
        struct Flags {
            std::string id;
            std::int64_t odometer = 0;
        };
        auto f = std::make_shared<Flags>();
        auto* cmd = drive->add_subcommand("finish", "The vehicle is back");
        cmd->add_option("id", f->id, "Test drive id")->required();
        cmd->add_option("--odometer", f->odometer, "Odometer on return")->required();
        cli.on(cmd, [&cli, f] {
            return withStore(cli, [&](core::Context& ctx) {
                return show(cli, core::Crm(ctx).finishTestDrive(f->id, f->odometer), [](const core::TestDrive& t) {
                    std::cout << "Test drive " << t.id << " back after " << (*t.odometerIn - t.odometerOut) << " mi\n";
                });
            });
        });
    }
}

void addDealCommands(CLI::App& app, Cli& cli) {
    auto* deal = app.add_subcommand("deal", "Deal desk: quotes, payment grids, deals and payments");
    deal->require_subcommand(1);
    {
        auto f = std::make_shared<QuoteFlags>();
        auto* cmd = deal->add_subcommand("quote", "Price a deal: tax, amount financed, payment, Truth-in-Lending");
        addQuoteFlags(cmd, *f, true);
        cmd->add_flag("--schedule", f->schedule, "Include the amortization schedule");
        cli.on(cmd, [&cli, f] {
            auto in = toDealInput(*f, cli);
            if (!in) return Exit::BadInput;
            auto q = core::finance::quote(*in);
            if (!q) return cli.report(q.error());
            if (cli.globals.json) {
                // The input too, so `contract render --quote-json` can itemize the deal from this file alone.
                auto j = quoteJson(*q, in->financed, f->schedule);
                j["input"] = dealInputJson(*in);
                cli.printJson(j);
            } else {
                printQuote(*q, in->financed);
            }
            return Exit::Ok;
        });
    }
    {
        struct Flags : QuoteFlags {
            std::vector<int> terms{36, 48, 60, 72};
            std::vector<std::string> downs{"0", "2000", "5000"};
            std::vector<std::string> aprs;
        };
        auto f = std::make_shared<Flags>();
        auto* cmd = deal->add_subcommand("grid", "Monthly payments for several terms and down payments");
        addQuoteFlags(cmd, *f, true);
        cmd->add_option("--terms", f->terms, "Terms in months")->delimiter(',')->capture_default_str();
        cmd->add_option("--downs", f->downs, "Cash down payments in dollars")->delimiter(',')->capture_default_str();
        cmd->add_option("--aprs", f->aprs, "APRs in percent: rows are APRs instead of down payments")->delimiter(',');
        cli.on(cmd, [&cli, f] {
            auto in = toDealInput(*f, cli);
            if (!in) return Exit::BadInput;
            std::vector<core::Cents> downs;
            for (const auto& d : f->downs) {
                auto c = moneyFlag("downs", d);
                if (!c) return Exit::BadInput;
                downs.push_back(*c);
            }
            std::vector<core::Rate> aprs;
            for (const auto& a : f->aprs) {
                auto rate = core::parsePercent(a);
                if (!rate) return cli.report(rate.error());
                aprs.push_back(*rate);
            }
            const bool byApr = !aprs.empty();
            auto grid = byApr ? core::finance::gridByApr(*in, f->terms, aprs)
                              : core::finance::gridByDown(*in, f->terms, downs);
            if (!grid) return cli.report(grid.error());
            // One row label per row: the down payment, or the APR.
            auto rowLabel = [&](std::size_t r, bool forJson) {
                if (byApr) return core::formatPercent(grid->aprs[r]) + (forJson ? "" : " %");
                return forJson ? core::formatCents(grid->downs[r]) : core::formatMoney(grid->downs[r]);
            };
            const std::size_t rows = byApr ? grid->aprs.size() : grid->downs.size();
            if (cli.globals.json) {
                nlohmann::json out = nlohmann::json::array();
                for (std::size_t r = 0; r < rows; ++r) {
                    nlohmann::json cells = nlohmann::json::object();
                    for (std::size_t c = 0; c < grid->terms.size(); ++c)
                        cells[std::to_string(grid->terms[c])] = core::formatCents(grid->payments[r][c]);
                    out.push_back({{byApr ? "apr" : "down", rowLabel(r, true)}, {"payments", cells}});
                }
                cli.printJson({{"terms", grid->terms}, {"rows", out}});
                return Exit::Ok;
            }
            std::cout << std::setw(14) << (byApr ? "APR \\ term" : "down \\ term");
            for (int t : grid->terms) std::cout << std::setw(12) << t;
            std::cout << "\n";
            for (std::size_t r = 0; r < rows; ++r) {
                std::cout << std::setw(14) << rowLabel(r, false);
                for (std::size_t c = 0; c < grid->terms.size(); ++c)
                    std::cout << std::setw(12) << core::formatMoney(grid->payments[r][c]);
                std::cout << "\n";
            }
            return Exit::Ok;
        });
    }
    {
        struct Flags : QuoteFlags {
            std::string customer, vehicle, lead, salesperson;
        };
        auto f = std::make_shared<Flags>();
        auto* cmd = deal->add_subcommand("create", "Desk a deal: the vehicle goes on hold");
        cmd->add_option("--customer", f->customer, "Customer id")->required();
        cmd->add_option("--vehicle", f->vehicle, "Vehicle id, VIN or stock number")->required();
        cmd->add_option("--lead", f->lead, "Lead id");
        cmd->add_option("--salesperson", f->salesperson, "Staff id");
        addQuoteFlags(cmd, *f, true);
        cli.on(cmd, [&cli, f] {
            auto in = toDealInput(*f, cli);
            if (!in) return Exit::BadInput;
            return withStore(cli, [&](core::Context& ctx) {
                auto d = core::Deals(ctx).create(f->customer, f->vehicle, *in, opt(f->lead), opt(f->salesperson));
                if (!d) return cli.report(d.error());
                if (cli.globals.json) cli.printJson(dealJson(*d));
                else std::cout << "Deal " << d->dealNo << " (" << d->id << ") drafted\n";
                return Exit::Ok;
            });
        });
    }
    {
        auto id = std::make_shared<std::string>();
        auto* cmd = deal->add_subcommand("show", "Show a deal by id or deal number");
        cmd->add_option("deal", *id, "Deal id or number")->required();
        cli.on(cmd, [&cli, id] {
            return withStore(cli, [&](core::Context& ctx) {
                auto d = core::Deals(ctx).find(*id);
                if (!d) return cli.report(d.error());
                if (cli.globals.json) {
                    cli.printJson(dealJson(*d));
                } else {
                    std::cout << "Deal " << d->dealNo << " - " << core::toString(d->status) << "\n";
                    printQuote(d->quote, d->input.financed);
                    std::cout << "  paid " << core::formatMoney(d->paid) << ", balance "
                              << core::formatMoney(core::Deals::amountDue(*d) - d->paid) << "\n";
                }
                return Exit::Ok;
            });
        });
    }
    {
        auto status = std::make_shared<std::string>();
        auto* cmd = deal->add_subcommand("list", "List deals, newest first");
        cmd->add_option("--status", *status, "draft, signed, delivered or cancelled");
        cli.on(cmd, [&cli, status] {
            std::optional<core::DealStatus> s;
            if (!status->empty()) {
                auto parsed = core::parseDealStatus(*status);
                if (!parsed) return cli.report(parsed.error());
                s = *parsed;
            }
            return withStore(cli, [&](core::Context& ctx) {
                auto all = core::Deals(ctx).list(s, 500);
                if (!all) return cli.report(all.error());
                if (cli.globals.json) {
                    nlohmann::json j = nlohmann::json::array();
                    for (const auto& d : *all) j.push_back(dealJson(d));
                    cli.printJson(j);
                    return Exit::Ok;
                }
                for (const auto& d : *all)
                    std::cout << std::left << std::setw(14) << d.dealNo << std::setw(11) << core::toString(d.status)
                              << std::setw(9) << (d.input.financed ? "finance" : "cash") << std::right << std::setw(14)
                              << core::formatMoney(d.quote.totalSalePrice) << "  " << d.createdAt << "\n";
                std::cout << all->size() << " deal" << (all->size() == 1 ? "" : "s") << "\n";
                return Exit::Ok;
            });
        });
    }
    struct StatusFlags {
        std::string deal, reason;
    };
    for (auto [name, help] : {std::pair{"sign", "The buyer signed: the vehicle is sold"},
                              std::pair{"deliver", "The buyer drove away: the vehicle is delivered"},
                              std::pair{"cancel", "Cancel a deal: the vehicle returns to stock"}}) {
        auto f = std::make_shared<StatusFlags>();
        auto* cmd = deal->add_subcommand(name, help);
        cmd->add_option("deal", f->deal, "Deal id or number")->required();
        const std::string verb = name;
        if (verb == "cancel") cmd->add_option("--reason", f->reason, "Why")->required();
        cli.on(cmd, [&cli, f, verb] {
            return withStore(cli, [&](core::Context& ctx) {
                core::Deals deals(ctx);
                auto d = verb == "sign" ? deals.sign(f->deal) : verb == "deliver" ? deals.deliver(f->deal)
                                                                                  : deals.cancel(f->deal, f->reason);
                if (!d) return cli.report(d.error());
                if (cli.globals.json) cli.printJson(dealJson(*d));
                else std::cout << "Deal " << d->dealNo << " is " << core::toString(d->status) << "\n";
                return Exit::Ok;
            });
        });
    }
    {
        struct Flags {
            std::string deal, amount, method = "card", reference;
        };
        auto f = std::make_shared<Flags>();
        auto* cmd = deal->add_subcommand("pay", "Record a payment on a deal");
        cmd->add_option("deal", f->deal, "Deal id or number")->required();
        cmd->add_option("--amount", f->amount, "Amount in dollars")->required();
        cmd->add_option("--method", f->method, "cash, card, check, wire or financing")->capture_default_str();
        cmd->add_option("--reference", f->reference, "Card slip, check number, ...");
        cli.on(cmd, [&cli, f] {
            auto amount = moneyFlag("amount", f->amount);
            if (!amount) return Exit::BadInput;
            auto method = core::parsePaymentMethod(f->method);
            if (!method) return cli.report(method.error());
            return withStore(cli, [&](core::Context& ctx) {
                auto p = core::Deals(ctx).recordPayment(f->deal, *amount, *method, f->reference);
                if (!p) return cli.report(p.error());
                if (cli.globals.json)
                    cli.printJson({{"id", p->id},
                                   {"deal_id", p->dealId},
                                   {"amount", core::formatCents(p->amount)},
                                   {"method", core::toString(p->method)},
                                   {"received_at", p->receivedAt},
                                   {"receipt_no", p->receiptNo}});
                else
                    std::cout << "Received " << core::formatMoney(p->amount) << " by " << core::toString(p->method)
                              << ", receipt " << p->receiptNo << "\n";
                return Exit::Ok;
            });
        });
    }
}

} // namespace

void addSalesCommands(CLI::App& app, Cli& cli) {
    addCustomerCommands(app, cli);
    addLeadCommands(app, cli);
    addTestDriveCommands(app, cli);
    addDealCommands(app, cli);
}

} // namespace showroom::cli
