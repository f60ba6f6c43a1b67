#include "showroom/core/money.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace showroom::core {

std::string_view toString(ErrorCode code) noexcept {
    switch (code) {
    case ErrorCode::InvalidInput: return "invalid_input";
    case ErrorCode::NotFound: return "not_found";
    case ErrorCode::Duplicate: return "duplicate";
    case ErrorCode::InvalidTransition: return "invalid_transition";
    case ErrorCode::Conflict: return "conflict";
    case ErrorCode::Denied: return "denied";
    case ErrorCode::Busy: return "busy";
    case ErrorCode::NotADatabase: return "not_a_database";
    case ErrorCode::SchemaTooNew: return "schema_too_new";
    case ErrorCode::Storage: return "storage";
    case ErrorCode::Io: return "io";
    case ErrorCode::Internal: return "internal";
    }
    return "internal";
}

namespace {

constexpr std::int64_t kMaxWhole = 10'000'000'000'000; // 10^13 units: far beyond any deal, far below overflow

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Parses [-]digits[,digits...][.fraction] into an integer scaled by 10^maxDecimals.
Result<std::int64_t> parseScaledDecimal(std::string_view original, std::string_view s, int maxDecimals,
                                        bool allowThousands, std::string_view what) {
    auto bad = [&](std::string why) {
        std::string shown(original.substr(0, 40));
        return fail(ErrorCode::InvalidInput, "'" + shown + (original.size() > 40 ? "...'" : "'") + " is not " +
                                                 std::string(what) + ": " + why);
    };
    bool negative = false;
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    if (s.empty()) return bad("no digits");
    std::int64_t whole = 0;
    std::int64_t fraction = 0;
    int decimals = 0;
    bool seenDigit = false;
    bool inFraction = false;
    for (char c : s) {
        if (c >= '0' && c <= '9') {
            seenDigit = true;
            if (inFraction) {
                if (++decimals > maxDecimals) return bad("too many decimals (at most " + std::to_string(maxDecimals) + ")");
                fraction = fraction * 10 + (c - '0');
            } else {
                whole = whole * 10 + (c - '0');
                if (whole > kMaxWhole) return bad("too large");
            }
        } else if (c == '.' && !inFraction) {
            inFraction = true;
        } else if (c == ',' && allowThousands && !inFraction) {
            continue;
        } else {
            return bad(std::string("unexpected character '") + (static_cast<unsigned char>(c) < 0x20 ? '?' : c) + "'");
        }
    }
    if (!seenDigit) return bad("no digits");
    for (int i = decimals; i < maxDecimals; ++i) fraction *= 10;
    std::int64_t scale = 1;
    for (int i = 0; i < maxDecimals; ++i) scale *= 10;
    std::int64_t value = whole * scale + fraction;
    return negative ? -value : value;
}

} // namespace

std::string formatCents(Cents cents) {
    const bool negative = cents < 0;
    // Work in unsigned to survive INT64_MIN.
    unsigned long long magnitude = negative ? 0ULL - static_cast<unsigned long long>(cents)
                                            : static_cast<unsigned long long>(cents);
    std::string out = std::to_string(magnitude / 100);
    out += '.';
    const unsigned rest = static_cast<unsigned>(magnitude % 100);
    out += static_cast<char>('0' + rest / 10);
    out += static_cast<char>('0' + rest % 10);
    return negative ? "-" + out : out;
}

std::string formatMoney(Cents cents, std::string_view symbol) {
    std::string plain = formatCents(cents);
    const bool negative = plain.front() == '-';
    if (negative) plain.erase(0, 1);
    const auto dot = plain.find('.');
    std::string whole = plain.substr(0, dot);
    std::string grouped;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
        grouped += whole[i];
    }
    return (negative ? "-" : "") + std::string(symbol) + grouped + plain.substr(dot);
}

Result<Cents> parseMoney(std::string_view text) {
    std::string_view s = trim(text);
    bool negative = false;
    if (!s.empty() && s.front() == '-') {
        negative = true;
        s.remove_prefix(1);
    }
    if (!s.empty() && s.front() == '$') s.remove_prefix(1);
    if (!s.empty() && (s.front() == '-' || s.front() == '+'))
        return fail(ErrorCode::InvalidInput, "'" + std::string(text.substr(0, 40)) + "' is not an amount of money");
    auto value = parseScaledDecimal(text, s, 2, true, "an amount of money");
    if (!value) return value.error();
    return negative ? -*value : *value;
}

Result<Rate> parsePercent(std::string_view text) {
    std::string_view s = trim(text);
    if (!s.empty() && s.back() == '%') s = trim(s.substr(0, s.size() - 1));
    auto value = parseScaledDecimal(text, s, 4, false, "a percentage");
    if (!value) return value.error();
    if (*value < 0) return fail(ErrorCode::InvalidInput, "a rate cannot be negative: '" + std::string(text) + "'");
    return Rate{*value}; // percent with 4 decimals == parts per million
}

std::string formatPercent(Rate rate, int decimals) {
    if (rate.ppm < 0) return "-" + formatPercent(Rate{-rate.ppm}, decimals);
    if (decimals > 4) return formatPercent(rate, 4) + std::string(static_cast<std::size_t>(decimals - 4), '0');
    decimals = std::max(decimals, 0);
    // rate.ppm is percent * 10^4; round half up to the requested number of decimals.
    std::int64_t divisor = 1;
    for (int i = decimals; i < 4; ++i) divisor *= 10;
    std::int64_t scaled = (rate.ppm + divisor / 2) / divisor;
    std::int64_t unit = 1;
    for (int i = 0; i < decimals; ++i) unit *= 10;
    std::string out = std::to_string(scaled / unit);
    if (decimals > 0) {
        std::string frac = std::to_string(scaled % unit);
        out += '.' + std::string(static_cast<std::size_t>(decimals) - frac.size(), '0') + frac;
    }
    return out;
}

Cents roundHalfAwayFromZero(long double cents) {
    return static_cast<Cents>(cents < 0 ? -std::floor(-cents + 0.5L) : std::floor(cents + 0.5L));
}

Cents applyRate(Cents amount, Rate rate) {
    // amount * ppm / 10^6 with half-away-from-zero rounding, in 128-bit to rule out overflow.
    const __int128 product = static_cast<__int128>(amount) * rate.ppm;
    const __int128 half = 500'000;
    const __int128 q = product >= 0 ? (product + half) / 1'000'000 : -((-product + half) / 1'000'000);
    return static_cast<Cents>(q);
}

} // namespace showroom::core
