#include "quote_json.hpp"

#include "showroom/core/money.hpp"

#include <utility>

namespace showroom::cli {

using core::formatCents;
using core::finance::DealInput;
using core::finance::Quote;

namespace {

// Each money figure under its JSON key: one table for writing and for reading, so they cannot drift.
constexpr std::pair<const char*, core::Cents Quote::*> kQuoteMoney[] = {
    {"cash_price", &Quote::cashPrice},
    {"taxable_amount", &Quote::taxableAmount},
    {"sales_tax", &Quote::salesTax},
    {"fees", &Quote::fees},
    {"trade_equity", &Quote::tradeEquity},
    {"total_due", &Quote::totalDue},
    {"down_payment", &Quote::downPayment},
    {"amount_financed", &Quote::amountFinanced},
    {"monthly_payment", &Quote::monthlyPayment},
    {"last_payment", &Quote::lastPayment},
    {"finance_charge", &Quote::financeCharge},
    {"total_of_payments", &Quote::totalOfPayments},
    {"total_sale_price", &Quote::totalSalePrice},
    {"balance_due_on_delivery", &Quote::balanceDueOnDelivery},
};

constexpr std::pair<const char*, core::Cents DealInput::*> kInputMoney[] = {
    {"price", &DealInput::price},
    {"discount", &DealInput::discount},
    {"trade_in_allowance", &DealInput::tradeInAllowance},
    {"trade_in_payoff", &DealInput::tradeInPayoff},
    {"doc_fee", &DealInput::docFee},
    {"title_fee", &DealInput::titleFee},
    {"cash_down", &DealInput::cashDown},
};

} // namespace

nlohmann::json quoteJson(const Quote& q, bool financed, bool withSchedule) {
    nlohmann::json j{{"kind", financed ? "finance" : "cash"},
                     {"number_of_payments", q.numberOfPayments},
                     {"apr", core::formatPercent(q.apr)}};
    for (const auto& [key, field] : kQuoteMoney)
        j[key] = formatCents(q.*field);
    if (withSchedule) {
        nlohmann::json rows = nlohmann::json::array();
        for (const auto& i : q.schedule)
            rows.push_back({{"number", i.number},
                            {"payment", formatCents(i.payment)},
                            {"interest", formatCents(i.interest)},
                            {"principal", formatCents(i.principal)},
                            {"balance", formatCents(i.balance)}});
        j["schedule"] = rows;
    }
    return j;
}

nlohmann::json dealInputJson(const DealInput& in) {
    nlohmann::json addOns = nlohmann::json::array();
    for (const auto& a : in.addOns)
        addOns.push_back({{"name", a.name}, {"amount", formatCents(a.amount)}, {"taxable", a.taxable}});
    // Four decimals: every rate a Rate holds survives the round trip exactly.
    nlohmann::json j{{"add_ons", addOns},
                     {"tax",
                      {{"rate", core::formatPercent(in.tax.rate, 4)},
                       {"net_of_trade", in.tax.netOfTrade},
                       {"doc_fee_taxable", in.tax.docFeeTaxable},
                       {"title_fee_taxable", in.tax.titleFeeTaxable}}},
                     {"financed", in.financed},
                     {"apr", core::formatPercent(in.apr, 4)},
                     {"term_months", in.termMonths}};
    for (const auto& [key, field] : kInputMoney)
        j[key] = formatCents(in.*field);
    return j;
}

core::Result<Quote> quoteFromJson(const nlohmann::json& j) {
    Quote q;
    JsonFields f(j, "");
    const std::string kind = f.text("kind");
    if (f.ok() && kind != "finance" && kind != "cash")
        return core::fail(core::ErrorCode::InvalidInput, "kind must be \"finance\" or \"cash\", not \"" + kind + "\"");
    for (const auto& [key, field] : kQuoteMoney)
        q.*field = f.money(key);
    q.numberOfPayments = static_cast<int>(f.integer("number_of_payments"));
    q.apr = f.percent("apr");
    if (!f.ok()) return f.error();
    if (!j.contains("schedule")) return q;
    const auto& rows = f.array("schedule");
    for (std::size_t i = 0; f.ok() && i < rows.size(); ++i) {
        JsonFields row(rows[i], "schedule[" + std::to_string(i) + "]");
        core::finance::Installment inst;
        inst.number = static_cast<int>(row.integer("number"));
        inst.payment = row.money("payment");
        inst.interest = row.money("interest");
        inst.principal = row.money("principal");
        inst.balance = row.money("balance");
        if (!row.ok()) return row.error();
        q.schedule.push_back(inst);
    }
    if (!f.ok()) return f.error();
    return q;
}

core::Result<DealInput> dealInputFromJson(const nlohmann::json& j) {
    DealInput in;
    JsonFields f(j, "input");
    for (const auto& [key, field] : kInputMoney)
        in.*field = f.money(key);
    in.financed = f.boolean("financed");
    in.apr = f.percent("apr");
    in.termMonths = static_cast<int>(f.integer("term_months"));
    JsonFields tax(f.object("tax"), "input.tax");
    if (!f.ok()) return f.error();
    in.tax.rate = tax.percent("rate");
    in.tax.netOfTrade = tax.boolean("net_of_trade");
    in.tax.docFeeTaxable = tax.boolean("doc_fee_taxable");
    in.tax.titleFeeTaxable = tax.boolean("title_fee_taxable");
    if (!tax.ok()) return tax.error();
    const auto& addOns = f.array("add_ons");
    for (std::size_t i = 0; f.ok() && i < addOns.size(); ++i) {
        JsonFields a(addOns[i], "input.add_ons[" + std::to_string(i) + "]");
        core::finance::AddOn addOn{a.text("name"), a.money("amount"), a.boolean("taxable")};
        if (!a.ok()) return a.error();
        in.addOns.push_back(std::move(addOn));
    }
    if (!f.ok()) return f.error();
    return in;
}

// ---- JsonFields -------------------------------------------------------------------------------------------

namespace {
const nlohmann::json kNull;
} // namespace

JsonFields::JsonFields(const nlohmann::json& object, std::string path) : m_object(object), m_path(std::move(path)) {
    if (!m_object.is_object()) m_problem = (m_path.empty() ? "the document" : m_path) + " must be a JSON object";
}

core::Error JsonFields::error() const {
    return core::fail(core::ErrorCode::InvalidInput, m_problem.value_or("no problem"));
}

void JsonFields::problem(const char* key, const std::string& what) {
    if (!m_problem) m_problem = (m_path.empty() ? "" : m_path + ".") + key + " " + what;
}

const nlohmann::json* JsonFields::find(const char* key, bool required) {
    if (m_problem) return nullptr;
    auto it = m_object.find(key);
    if (it == m_object.end() || it->is_null()) {
        if (required) problem(key, "is missing");
        return nullptr;
    }
    return &*it;
}

std::optional<std::string> JsonFields::optionalText(const char* key) {
    const auto* v = find(key, false);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
        problem(key, "must be a string");
        return std::nullopt;
    }
    return v->get<std::string>();
}

std::string JsonFields::text(const char* key) {
    const bool present = find(key, true) != nullptr;
    return present ? optionalText(key).value_or("") : "";
}

std::int64_t JsonFields::integer(const char* key) {
    const auto* v = find(key, true);
    if (!v) return 0;
    if (!v->is_number_integer()) {
        problem(key, "must be a whole number");
        return 0;
    }
    return v->get<std::int64_t>();
}

bool JsonFields::boolean(const char* key) {
    const auto* v = find(key, true);
    if (!v) return false;
    if (!v->is_boolean()) {
        problem(key, "must be true or false");
        return false;
    }
    return v->get<bool>();
}

core::Cents JsonFields::money(const char* key) {
    const auto* v = find(key, true);
    if (!v) return 0;
    if (!v->is_string()) {
        problem(key, "must be an amount as a decimal string, like \"19200.00\"");
        return 0;
    }
    auto cents = core::parseMoney(v->get<std::string>());
    if (!cents) {
        problem(key, ": " + cents.error().message);
        return 0;
    }
    return *cents;
}

core::Rate JsonFields::percent(const char* key) {
    const auto* v = find(key, true);
    if (!v) return {};
    if (!v->is_string()) {
        problem(key, "must be a percentage as a decimal string, like \"6.90\"");
        return {};
    }
    auto rate = core::parsePercent(v->get<std::string>());
    if (!rate) {
        problem(key, ": " + rate.error().message);
        return {};
    }
    return *rate;
}

const nlohmann::json& JsonFields::object(const char* key) {
    const auto* v = find(key, true);
    if (v && !v->is_object()) problem(key, "must be a JSON object");
    return v && v->is_object() ? *v : kNull;
}

const nlohmann::json& JsonFields::array(const char* key) {
    const auto* v = find(key, true);
    if (v && !v->is_array()) problem(key, "must be a JSON array");
    return v && v->is_array() ? *v : kNull;
}

} // namespace showroom::cli
