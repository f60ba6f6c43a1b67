#pragma once
// The built-in demo catalog: real makes, models and trims with plausible US prices, plus the word
// lists the demo database generator draws customers, colours and lost-deal reasons from.
//
// Rules:
//  - Everything here is constant data in static storage: no heap, no I/O, no clock. Every function
//    is noexcept, safe to call from any thread, and returns views that never dangle.
//  - The order of every list is part of the contract: a seeded generator that picks by index makes
//    the same demo database from the same seed. Append rather than reorder, and expect a change of
//    order to change seeded output.
//  - Prices are manufacturer list prices (MSRP, before destination, tax and dealer fees) in integer
//    cents for the newest model year; Chinese-market models carry a plausible US-dollar equivalent.
//  - Every string is plain ASCII, so it prints on receipts and in PDFs with any built-in font.

#include <cstdint>
#include <span>
#include <string_view>

namespace showroom::core::demo {

/// One trim level of a model ("LE", "XSE", "Long Range", ...).
struct TrimSpec {
    std::string_view name;
    std::int64_t msrpCents;        ///< newest model year's US MSRP in cents, > 0
    std::string_view drivetrain;   ///< "FWD", "RWD", "AWD" or "4WD"
    std::string_view transmission; ///< "Automatic", "CVT", "Manual", "Single-speed" or "DCT"
};

/// One nameplate. (make, model) is unique across models().
struct ModelSpec {
    std::string_view make;           ///< "Toyota"
    std::string_view model;          ///< "Camry"
    std::string_view body;           ///< "sedan", "suv", "hatchback", "pickup", "coupe" or "van"
    std::string_view fuel;           ///< "gasoline", "hybrid", "plug_in_hybrid", "electric" or "diesel"
    std::string_view wmi;            ///< a World Manufacturer Identifier the maker really uses for this model
    std::span<const TrimSpec> trims; ///< 2-4 trims, strictly ascending in price
    int firstYear;                   ///< oldest model year worth stocking as used, >= 2012
    int weight;                      ///< relative popularity 1..10 for weighted picks (10 = best seller)
};

/// The catalog: over 100 models from 24 makes (US, European, Japanese, Korean and Chinese), covering
/// every body and fuel value above. Grouped by make, in a stable order.
std::span<const ModelSpec> models() noexcept;

/// 14 paint names, each containing a plain colour word ("Midnight Black", "Lunar Silver", ...).
std::span<const std::string_view> exteriorColors() noexcept;

/// 6 upholstery descriptions ("Black Leather", "Gray Cloth", ...).
std::span<const std::string_view> interiorColors() noexcept;

/// 40 window-sticker features ("Heated seats", "Adaptive cruise control", ...), no duplicates and no
/// ';' (vehicles.features stores them '; '-separated).
std::span<const std::string_view> features() noexcept;

/// 60 first names drawn from US, Hispanic, Chinese (pinyin), Indian and other communities, ASCII only.
std::span<const std::string_view> firstNames() noexcept;

/// 60 family names from the same communities, ASCII only.
std::span<const std::string_view> lastNames() noexcept;

/// 12 US town names that exist in many states ("Springfield", "Franklin", ...), so any state the
/// generator pairs them with gives a plausible address.
std::span<const std::string_view> cities() noexcept;

/// 20 street names with their suffix ("Maple Ave", "Oak St", ...), without a house number.
std::span<const std::string_view> streets() noexcept;

/// 8 reasons a salesperson records when a lead is lost ("Bought elsewhere", "Price too high", ...).
std::span<const std::string_view> lostReasons() noexcept;

/// Exactly "walk_in", "website", "phone", "referral", "kiosk", "third_party", in that order: the codes
/// stored in customers.source and leads.source.
std::span<const std::string_view> leadSources() noexcept;

} // namespace showroom::core::demo
