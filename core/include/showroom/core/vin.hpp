#pragma once
// Vehicle Identification Numbers (ISO 3779 / 3780, 49 CFR 565): scanner cleanup, check digit,
// manufacturer (WMI) lookup, region and model year.
//
// Rules:
//  - Everything here is a pure function over its arguments (no clock, no locale, no I/O) and is
//    safe to call from any thread.
//  - Positions in messages and comments are 1-based, as printed on a VIN label.
//  - Returned string_views point into static storage and never dangle.

#include "showroom/core/result.hpp"

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace showroom::core::vin {

/// Geographic region encoded by the first VIN character (ISO 3780).
enum class Region { Africa, Asia, Europe, NorthAmerica, Oceania, SouthAmerica, Unknown };

/// "Africa", "Asia", "Europe", "North America", "Oceania", "South America", "Unknown".
std::string_view toString(Region region) noexcept;

/// One row of the built-in WMI table. `wmi` is 3 characters, or 6 for a small-volume maker (third
/// character '9') whose code continues in VIN positions 12-14.
struct Manufacturer {
    std::string_view wmi;
    std::string_view name;
    std::string_view country;
};

/// Looks up the maker of a cleaned VIN (or of a bare 3-character WMI). For a WMI ending in '9' the
/// 6-character code (positions 1-3 + 12-14) is tried first, then the 3-character entry. nullptr if
/// unknown or shorter than 3 characters.
const Manufacturer* findManufacturer(std::string_view vin) noexcept;

/// Number of entries in the built-in WMI table.
std::size_t manufacturerCount() noexcept;

/// The whole WMI table, sorted by `wmi` with no duplicates (for listings and tests).
std::span<const Manufacturer> manufacturers() noexcept;

/// Scanner cleanup: trims ASCII whitespace at both ends, upper-cases, drops the leading 'I' a Code 39
/// label adds (only when that leaves 17 characters), then requires 17 characters of [0-9A-Z] except
/// I, O, Q. Anything else is InvalidInput with a short reason (length, position, which character).
[[nodiscard]] Result<std::string> clean(std::string_view raw);

/// Check digit ('0'..'9' or 'X') for a VIN of 17 valid characters (position 9 is ignored).
/// Returns '?' if the precondition does not hold.
char computeCheckDigit(std::string_view vin17) noexcept;

/// Region of a VIN's first character: A-H Africa, J-R Asia, S-Z Europe, 1-5 North America,
/// 6-7 Oceania, 8-9 South America, anything else Unknown. Note that SAE has since given part of
/// the '7' block to the United States; decode() corrects the region for the makers it knows.
Region regionOf(char first) noexcept;

/// The outcome of decode(): everything a screen or the CLI shows about a VIN.
struct Report {
    std::string input;                              ///< exactly as given
    std::string vin;                                ///< cleaned VIN, or empty when clean() refused it
    bool valid = false;                             ///< no entry in `errors`
    bool checkDigitOk = false;                      ///< position 9 equals computeCheckDigit()
    std::vector<std::string> errors;                ///< human sentences; any entry makes the VIN invalid
    std::vector<std::string> warnings;              ///< human sentences that do not affect `valid`
    std::string wmi, manufacturer, region, country; ///< empty when unknown; region is "Unknown" then
    std::vector<int> modelYearCandidates;           ///< ascending; empty when no year fits (see errors/warnings)
    bool modelYearAmbiguous = false;                ///< more than one candidate and nothing to choose by
};

/// Cleans and decodes a VIN. `latestModelYear` is the caller's current calendar year + 1 and caps the
/// model-year candidates. Errors: refused by clean(); for North American VINs (first character 1-5,
/// or a known US, Canadian or Mexican maker) position 9 not 0-9/X, position 10 U, Z or 0, or a wrong
/// check digit. Elsewhere all three are warnings (VW's "WVWZZZ..." fillers). North American model years are
/// resolved by the 49 CFR 565 position-7 rule; elsewhere several candidates set modelYearAmbiguous.
Report decode(std::string_view raw, int latestModelYear);

} // namespace showroom::core::vin
