#pragma once
// Money and rates as exact integers.
//
// Money is always integer cents (Cents). Rates (APR, tax) are a Rate: an exact count of
// millionths of the whole (6.9 % == 69'000 ppm, 7.25 % == 72'500 ppm, 6.875 % == 68'750 ppm),
// so every rate a lender or a tax office publishes is represented without binary rounding.
// All functions here are pure and thread-safe.

#include "showroom/core/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace showroom::core {

using Cents = std::int64_t;

/// A rate as parts per million of the whole: 1 % == 10'000, 100 % == 1'000'000.
struct Rate {
    std::int64_t ppm = 0;

    static constexpr Rate fromPercentHundredths(std::int64_t hundredths) { return Rate{hundredths * 100}; }
    double fraction() const { return static_cast<double>(ppm) / 1'000'000.0; }
    friend constexpr bool operator==(Rate, Rate) = default;
    friend constexpr auto operator<=>(Rate, Rate) = default;
};

/// "1234.56", "-0.05": the plain decimal string used in JSON and CSV (no separators, no symbol).
std::string formatCents(Cents cents);

/// "$1,234.56" / "-$0.05": for people. `symbol` may be empty.
std::string formatMoney(Cents cents, std::string_view symbol = "$");

/// Parses "1234.56", "1,234.5", "$30000", "-12", " 7.00 " into cents. More than two decimals,
/// stray characters, an empty string or a value beyond +/- 10^13 dollars is InvalidInput.
Result<Cents> parseMoney(std::string_view text);

/// Parses a percentage such as "6.9", "7.25", "6.875" or "6.9%" into a Rate. At most four
/// decimals (a millionth of the whole). Negative values are InvalidInput.
Result<Rate> parsePercent(std::string_view text);

/// "6.90" with the given number of decimals (half-up rounding; beyond the four a Rate holds, zeros), no "%".
std::string formatPercent(Rate rate, int decimals = 2);

/// Rounds a non-negative or negative amount of fractional cents to the nearest cent, halves away
/// from zero (the convention of US tax tables and Reg Z disclosures).
Cents roundHalfAwayFromZero(long double cents);

/// amount * rate, rounded half away from zero to the cent, computed exactly in integers.
Cents applyRate(Cents amount, Rate rate);

} // namespace showroom::core
