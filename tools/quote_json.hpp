#pragma once
// A priced deal as JSON: what `showroom deal quote --json` prints and `showroom contract render
// --quote-json` reads back. Money is a decimal string ("19200.00"), rates are percent strings
// ("6.90"), so nothing passes through binary floating point. Writing and reading live together here
// so the two commands cannot drift apart.

#include "showroom/core/finance.hpp"
#include "showroom/core/result.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace showroom::cli {

/// The quote's figures: kind, cash_price, ..., apr; with `withSchedule` also "schedule" (one object per installment).
nlohmann::json quoteJson(const core::finance::Quote& q, bool financed, bool withSchedule);

/// The deal as desked, under the "input" key of `deal quote --json`: price, discount, add_ons, trade_in_allowance,
/// trade_in_payoff, doc_fee, title_fee, cash_down, tax {rate, net_of_trade, doc_fee_taxable, title_fee_taxable},
/// financed, apr, term_months.
nlohmann::json dealInputJson(const core::finance::DealInput& in);

/// Reads the figures quoteJson() writes (the schedule when present). InvalidInput names the first missing or
/// malformed key.
core::Result<core::finance::Quote> quoteFromJson(const nlohmann::json& j);

/// Reads what dealInputJson() writes. InvalidInput names the first missing or malformed key.
core::Result<core::finance::DealInput> dealInputFromJson(const nlohmann::json& j);

/// Typed reads of an object's keys that keep the first problem as a message naming the key by its path
/// ("vehicle.year must be a whole number"). Reads after a problem return defaults.
class JsonFields {
public:
    JsonFields(const nlohmann::json& object, std::string path);

    std::string text(const char* key);
    std::optional<std::string> optionalText(const char* key);
    std::int64_t integer(const char* key);
    bool boolean(const char* key);
    core::Cents money(const char* key);
    core::Rate percent(const char* key);
    /// The nested object or array at `key` (null json and a problem when absent or of another type).
    const nlohmann::json& object(const char* key);
    const nlohmann::json& array(const char* key);

    bool ok() const { return !m_problem; }
    /// The first problem as InvalidInput.
    core::Error error() const;

private:
    const nlohmann::json* find(const char* key, bool required);
    void problem(const char* key, const std::string& what);

    const nlohmann::json& m_object;
    std::string m_path;
    std::optional<std::string> m_problem;
};

} // namespace showroom::cli
