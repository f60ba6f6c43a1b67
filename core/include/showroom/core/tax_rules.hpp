#pragma once
// Sales-tax rules per jurisdiction, read from configuration (config/tax_rules.example.json).
//
// File format: {"jurisdictions": {"US-IL": {"name": "Illinois", "rate": "6.25", "net_of_trade": true,
// "doc_fee_taxable": false, "title_fee_taxable": false}, ...}, "default": "US-IL"}
// Rates are percent strings, so no binary rounding touches them. Pure; thread-safe.

#include "showroom/core/finance.hpp"
#include "showroom/core/result.hpp"

#include <map>
#include <string>
#include <string_view>

namespace showroom::core {

struct TaxRules {
    std::map<std::string, finance::TaxRule> byCode;
    std::map<std::string, std::string> names;
    std::string defaultCode;

    /// The rule for `code` (or the default when `code` is empty); NotFound names the known codes.
    Result<finance::TaxRule> find(std::string_view code) const;
};

/// Parses the JSON text of a tax-rules file. Any malformed entry -> InvalidInput naming it.
Result<TaxRules> parseTaxRules(std::string_view json);

} // namespace showroom::core
