#include "showroom/core/tax_rules.hpp"

#include <nlohmann/json.hpp>

namespace showroom::core {

Result<finance::TaxRule> TaxRules::find(std::string_view code) const {
    const std::string key(code.empty() ? std::string_view(defaultCode) : code);
    if (auto it = byCode.find(key); it != byCode.end()) return it->second;
    std::string known;
    for (const auto& [k, rule] : byCode) known += (known.empty() ? "" : ", ") + k;
    return fail(ErrorCode::NotFound, "no tax rule for jurisdiction '" + key.substr(0, 20) + "' (known: " + known + ")");
}

Result<TaxRules> parseTaxRules(std::string_view text) {
    const auto doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return fail(ErrorCode::InvalidInput, "the tax rules file is not a JSON object");
    const auto jurisdictions = doc.find("jurisdictions");
    if (jurisdictions == doc.end() || !jurisdictions->is_object() || jurisdictions->empty())
        return fail(ErrorCode::InvalidInput, "the tax rules file needs a non-empty \"jurisdictions\" object");
    TaxRules rules;
    for (const auto& [code, entry] : jurisdictions->items()) {
        // A named copy: clang 14 cannot capture a structured binding in a lambda.
        const std::string jurisdiction = code;
        auto bad = [&jurisdiction](const std::string& why) {
            return fail(ErrorCode::InvalidInput, "tax rule " + jurisdiction + ": " + why);
        };
        if (!entry.is_object()) return bad("must be an object");
        const auto rate = entry.find("rate");
        if (rate == entry.end() || !rate->is_string()) return bad("\"rate\" must be a percent string such as \"6.25\"");
        auto parsed = parsePercent(rate->get<std::string>());
        if (!parsed) return bad(parsed.error().message);
        if (*parsed > finance::kMaxTaxRate) return bad("a rate above 25 % is not plausible");
        finance::TaxRule rule;
        rule.rate = *parsed;
        for (auto [key, target] : {std::pair{"net_of_trade", &rule.netOfTrade},
                                   std::pair{"doc_fee_taxable", &rule.docFeeTaxable},
                                   std::pair{"title_fee_taxable", &rule.titleFeeTaxable}}) {
            const auto flag = entry.find(key);
            if (flag == entry.end()) continue;
            if (!flag->is_boolean()) return bad(std::string("\"") + key + "\" must be true or false");
            *target = flag->get<bool>();
        }
        rules.byCode[code] = rule;
        if (const auto name = entry.find("name"); name != entry.end() && name->is_string())
            rules.names[code] = name->get<std::string>();
    }
    if (const auto def = doc.find("default"); def != doc.end()) {
        if (!def->is_string() || !rules.byCode.count(def->get<std::string>()))
            return fail(ErrorCode::InvalidInput, "\"default\" must name one of the jurisdictions");
        rules.defaultCode = def->get<std::string>();
    } else {
        rules.defaultCode = rules.byCode.begin()->first;
    }
    return rules;
}

} // namespace showroom::core
