// `showroom contract render ...`: a deal's contract as a PDF file, from the store or from a quote file.
#include "cli.hpp"
#include "quote_json.hpp"

#include "showroom/core/contract.hpp"
#include "showroom/core/finance.hpp"
#include "showroom/devices/pdf/contract_pdf.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace showroom::cli {

namespace {

namespace pdf = devices::pdf;

// The file's figures (and schedule, when it has one) must be those its input gives; compared in their JSON
// form, so the message shows both values as the file writes them.
core::Status sameFigures(const core::finance::Quote& file, const core::finance::Quote& fromInput, bool financed,
                         bool withSchedule) {
    auto differs = [](const std::string& key, const nlohmann::json& mine, const nlohmann::json& theirs) {
        return core::fail(core::ErrorCode::InvalidInput,
                          key + " is " + mine.dump() + " in the file but " + theirs.dump() +
                              " for its input: the figures were edited; quote the deal again");
    };
    const auto a = quoteJson(file, financed, withSchedule), b = quoteJson(fromInput, financed, withSchedule);
    for (const auto& [key, value] : a.items()) {
        if (value == b[key]) continue;
        if (!value.is_array()) return differs(key, value, b[key]);
        for (std::size_t i = 0; i < std::max(value.size(), b[key].size()); ++i) {
            const auto& mine = i < value.size() ? value[i] : nlohmann::json();
            const auto& theirs = i < b[key].size() ? b[key][i] : nlohmann::json();
            if (mine != theirs) return differs(key + "[" + std::to_string(i) + "]", mine, theirs);
        }
    }
    return {};
}

// The contract of a quote file: what `showroom deal quote --json` prints plus "buyer" {name, address, phone?,
// email?} and "vehicle" {vin, year, make, model, odometer, trim?, condition?}; optionally "dealer" {name,
// address, phone?, email?}, "salesperson" and "contract_date" (YYYY-MM-DD, default today).
//
// Where the figures come from: every disclosed figure is the file's own (quoteFromJson), and the itemization's
// lines (price, discount, fees, trade-in, cash down, tax rate) are its "input" object, which `deal quote --json`
// prints beside them; without that object the contract cannot be itemized, so the file is refused rather than
// filled with guesses. finance::quote() is run on that input for one purpose: to prove the file's figures are
// the ones the input gives (a hand-edited figure is refused, exit 2). When the file has no "schedule" (quoted
// without --schedule), the schedule rows are taken from that same run, just as core recomputes a stored deal's
// schedule on read: with every disclosed figure equal, they are the rows of the file's loan.
core::Result<core::ContractDocument> contractFromQuoteFile(const std::string& path, const std::string& language,
                                                           const std::string& today) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    if (!file || !(text << file.rdbuf())) return core::fail(core::ErrorCode::InvalidInput, "cannot read " + path);
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text.str());
    } catch (const nlohmann::json::parse_error& e) {
        return core::fail(core::ErrorCode::InvalidInput, path + " is not valid JSON: " + e.what());
    }
    auto inFile = [&path](const core::Error& e) { return core::fail(e.code, path + ": " + e.message); };
    if (!j.is_object())
        return core::fail(core::ErrorCode::InvalidInput,
                          path + ": expected the JSON object that `showroom deal quote --json` prints");
    auto quote = quoteFromJson(j);
    if (!quote) return inFile(quote.error());
    if (!j.contains("input"))
        return core::fail(core::ErrorCode::InvalidInput,
                          path + ": input is missing (the deal as desked: price, discount, fees, trade-in, down "
                                 "payment, tax, APR and term); make the file with `showroom deal quote --json`");
    auto input = dealInputFromJson(j["input"]);
    if (!input) return inFile(input.error());
    if (input->financed != (j["kind"] == "finance"))
        return core::fail(core::ErrorCode::InvalidInput, path + ": kind and input.financed disagree");
    auto check = core::finance::quote(*input);
    if (!check) return inFile(check.error());
    const bool hasSchedule = j.contains("schedule");
    if (auto same = sameFigures(*quote, *check, input->financed, hasSchedule); !same) return inFile(same.error());
    if (!hasSchedule) quote->schedule = check->schedule;

    core::ContractDocument doc;
    doc.language = language;
    doc.deal.dealNo = "QUOTE";
    doc.deal.input = std::move(*input);
    doc.deal.quote = std::move(*quote);

    JsonFields top(j, "");
    JsonFields buyer(top.object("buyer"), "buyer");
    JsonFields vehicle(top.object("vehicle"), "vehicle");
    if (!top.ok()) return inFile(top.error());
    doc.buyer.name = buyer.text("name");
    doc.buyer.street = buyer.text("address");
    doc.buyer.phone = buyer.optionalText("phone").value_or("");
    doc.buyer.email = buyer.optionalText("email").value_or("");
    if (!buyer.ok()) return inFile(buyer.error());
    doc.vehicle.vin = vehicle.text("vin");
    doc.vehicle.year = static_cast<int>(vehicle.integer("year"));
    doc.vehicle.make = vehicle.text("make");
    doc.vehicle.model = vehicle.text("model");
    doc.vehicle.odometer = vehicle.integer("odometer");
    doc.vehicle.trim = vehicle.optionalText("trim").value_or("");
    // A quote file may not say. "used" is printed in the New/Used box like any given value, where the
    // salesperson and the buyer check it before anyone signs; add "condition" to the file to print "new".
    const auto condition = vehicle.optionalText("condition").value_or("used");
    if (!vehicle.ok()) return inFile(vehicle.error());
    auto parsed = core::parseCondition(condition);
    if (!parsed)
        return inFile(core::fail(core::ErrorCode::InvalidInput, "vehicle.condition: " + parsed.error().message));
    doc.vehicle.condition = *parsed;
    if (doc.vehicle.odometer < 0)
        return inFile(core::fail(core::ErrorCode::InvalidInput, "vehicle.odometer is negative"));

    if (j.contains("dealer")) {
        JsonFields dealer(top.object("dealer"), "dealer");
        doc.dealer.name = dealer.text("name");
        doc.dealer.street = dealer.optionalText("address").value_or("");
        doc.dealer.phone = dealer.optionalText("phone").value_or("");
        doc.dealer.email = dealer.optionalText("email").value_or("");
        if (!dealer.ok()) return inFile(dealer.error());
    }
    doc.salesperson = top.optionalText("salesperson").value_or("");
    doc.contractDate = top.optionalText("contract_date").value_or(today);
    if (!top.ok()) return inFile(top.error());
    if (pdf::addMonths(doc.contractDate, 0).empty())
        return inFile(core::fail(core::ErrorCode::InvalidInput, "contract_date must be YYYY-MM-DD"));
    if (doc.financed()) doc.firstPaymentDue = pdf::addMonths(doc.contractDate, 1);
    return doc;
}

struct RenderFlags {
    std::string deal, quoteJson, out, language = "en";
};

Exit renderAndWrite(Cli& cli, const core::ContractDocument& doc, const std::string& out) {
    pdf::HaruContractRenderer renderer;
    auto rendered = renderer.render(doc);
    if (!rendered) return cli.report(rendered.error());
    if (auto written = writeFileAtomically(out, rendered->pdf); !written) return cli.report(written.error());
    const std::string sha256 = core::sha256Hex(rendered->pdf);
    if (cli.globals.json) {
        cli.printJson({{"deal_no", doc.deal.dealNo},
                       {"path", out},
                       {"sha256", sha256},
                       {"pages", rendered->pages},
                       {"bytes", rendered->pdf.size()},
                       {"language", doc.language},
                       {"fingerprint", rendered->fingerprint}});
    } else {
        std::cout << "Contract " << doc.deal.dealNo << " written to " << out << " (" << rendered->pages << " page"
                  << (rendered->pages == 1 ? "" : "s") << ")\n"
                  << "sha256 " << sha256 << "\n";
    }
    return Exit::Ok;
}

} // namespace

void addDocumentCommands(CLI::App& app, Cli& cli) {
    auto* contract = app.add_subcommand("contract", "Sales contracts as PDF");
    contract->require_subcommand(1);
    auto f = std::make_shared<RenderFlags>();
    auto* render = contract->add_subcommand(
        "render", "Render the contract of a deal (buyer's order or retail installment sale contract) to a PDF file");
    auto* deal = render->add_option("--deal", f->deal, "Deal id or number in the store");
    auto* quote = render->add_option("--quote-json", f->quoteJson,
                                     "A `deal quote --json` file with \"buyer\" {name, address} and \"vehicle\" "
                                     "{vin, year, make, model, odometer} added");
    deal->excludes(quote);
    render->add_option("--out", f->out, "PDF file to write")->required();
    render->add_option("--lang", f->language, "Language of the contract: en or zh-CN")
        ->check(CLI::IsMember({"en", "zh-CN"}))
        ->capture_default_str();
    cli.on(render, [&cli, f] {
        if (f->deal.empty() == f->quoteJson.empty())
            return cli.report(core::fail(core::ErrorCode::InvalidInput, "give --deal ID or --quote-json FILE"));
        if (!f->quoteJson.empty()) {
            auto doc = contractFromQuoteFile(f->quoteJson, f->language, core::formatDate(cli.clock.now()));
            if (!doc) return cli.report(doc.error());
            return renderAndWrite(cli, *doc, f->out);
        }
        auto conn = cli.openStore();
        if (!conn) return Exit::Failure;
        auto ctx = cli.context(*conn);
        auto doc = core::contractFor(ctx, f->deal, f->language);
        if (!doc) return cli.report(doc.error());
        return renderAndWrite(cli, *doc, f->out);
    });
}

} // namespace showroom::cli
