#include "showroom/core/vin.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <utility>

namespace showroom::core::vin {

namespace {

constexpr std::size_t kVinLength = 17;

// Messages quote at most this much of what was scanned: a jammed scanner or a pasted document must
// not turn into a 10 KB error message or log line.
constexpr std::size_t kMaxEcho = 40;

// Position-10 codes in cycle order: A = 1980 ... Y = 2000, 1 = 2001 ... 9 = 2009, then A = 2010 again.
// I, O, Q, U, Z and 0 are never year codes.
constexpr std::string_view kYearCodes = "ABCDEFGHJKLMNPRSTVWXY123456789";
constexpr int kFirstModelYear = 1980;
constexpr int kCycleYears = 30;

constexpr std::array<int, kVinLength> kWeights = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};

// Letter values A..Z for the check digit; -1 marks I, O and Q, which a VIN never contains.
constexpr std::array<int, 26> kLetterValues = {1, 2,  3, 4,  5, 6, 7, 8, -1, 1, 2, 3, 4,
                                               5, -1, 7, -1, 9, 2, 3, 4, 5,  6, 7, 8, 9};

bool isAsciiSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
bool isUpper(char c) {
    return c >= 'A' && c <= 'Z';
}
char toUpper(char c) {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

int transliterate(char c) {
    if (isDigit(c)) return c - '0';
    if (isUpper(c)) return kLetterValues[static_cast<std::size_t>(c - 'A')];
    return -1;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && isAsciiSpace(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isAsciiSpace(s.back()))
        s.remove_suffix(1);
    return s;
}

// A printable, bounded copy of the input for messages: bytes that could garble a terminal or a log
// (control characters, pieces of multi-byte sequences) become '?'.
std::string excerpt(std::string_view s) {
    std::string out;
    const std::size_t shown = std::min(s.size(), kMaxEcho);
    out.reserve(shown + 3);
    for (std::size_t i = 0; i < shown; ++i) {
        const auto byte = static_cast<unsigned char>(s[i]);
        out += byte >= 0x20 && byte < 0x7F ? s[i] : '?';
    }
    if (s.size() > shown) out += "...";
    return out;
}

std::string quoted(char c) {
    return c == '\'' ? std::string("\"'\"") : std::string{'\'', c, '\''};
}

// Scanners and phones mostly inject these particular look-alikes; naming them tells the porter what
// to retype instead of leaving them to hunt for an invisible difference.
std::string_view nonAsciiHint(std::string_view rest) {
    const auto b0 = static_cast<unsigned char>(rest[0]);
    const auto b1 = rest.size() > 1 ? static_cast<unsigned char>(rest[1]) : 0U;
    if (b0 == 0xC2 && b1 == 0xA0) return " (a non-breaking space)";
    if (b0 >= 0xD0 && b0 <= 0xD3) return " (looks like a Cyrillic letter; type the Latin one)";
    if (b0 >= 0xCD && b0 <= 0xCF) return " (looks like a Greek letter; type the Latin one)";
    if (b0 == 0xEF && (b1 == 0xBC || b1 == 0xBD)) return " (a full-width character; type the plain one)";
    return "";
}

std::string controlName(unsigned char byte) {
    switch (byte) {
    case 0x00: return "NUL";
    case '\t': return "tab";
    case '\n': return "line feed";
    case '\r': return "carriage return";
    default: break;
    }
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", byte);
    return hex;
}

char suggestionFor(char forbidden) {
    return forbidden == 'I' ? '1' : '0';
}

bool isNorthAmericanCode(char first) {
    return first >= '1' && first <= '5';
}

// SAE has handed part of the '7' block (7F-70) to the United States (Tesla Austin, Rivian), so the
// first character alone misses some US-built vehicles; a maker we know is US/Canadian/Mexican is
// held to the North American rules too.
bool isNorthAmericanCountry(std::string_view country) {
    return country == "United States" || country == "Canada" || country == "Mexico";
}

std::string joinYears(const std::vector<int>& years) {
    std::string out;
    for (std::size_t i = 0; i < years.size(); ++i) {
        if (i > 0) out += i + 1 == years.size() ? " or " : ", ";
        out += std::to_string(years[i]);
    }
    return out;
}

void checkCheckDigit(Report& report, bool northAmerican) {
    const char given = report.vin[8];
    if (!isDigit(given) && given != 'X') {
        // Outside North America position 9 is often a filler (VW group: "WVWZZZ..."), not a check digit.
        if (northAmerican)
            report.errors.push_back("position 9 holds " + quoted(given) +
                                    " where the check digit belongs; it must be a digit 0-9 or X");
        else
            report.warnings.push_back("position 9 holds " + quoted(given) +
                                      ": this maker does not use a check digit (allowed outside North America)");
        return;
    }
    const char expected = computeCheckDigit(report.vin);
    report.checkDigitOk = given == expected;
    if (report.checkDigitOk) return;
    std::string mismatch = "check digit " + quoted(given) + " does not match the computed " + quoted(expected);
    if (northAmerican) {
        report.errors.push_back(std::move(mismatch) +
                                "; the VIN is mistyped or altered (the check digit is mandatory in North America)");
    } else {
        report.warnings.push_back(std::move(mismatch) + " (not mandatory outside North America)");
    }
}

void decodeModelYear(Report& report, bool northAmerican, int latestModelYear) {
    const char code = report.vin[9];
    const std::size_t index = kYearCodes.find(code);
    if (index == std::string_view::npos) {
        if (northAmerican)
            report.errors.push_back("position 10 holds " + quoted(code) +
                                    ", which is not a model-year code (U, Z and 0 are never used)");
        else
            report.warnings.push_back("position 10 holds " + quoted(code) +
                                      ", not a model-year code: give the model year from the registration papers");
        return;
    }
    const int earliest = kFirstModelYear + static_cast<int>(index);

    if (northAmerican) {
        // 49 CFR 565.15: from model year 2010 position 7 is a letter, before it a digit, which picks
        // the cycle without guessing.
        const bool laterCycle = !isDigit(report.vin[6]);
        const int year = laterCycle ? earliest + kCycleYears : earliest;
        if (year <= latestModelYear) {
            report.modelYearCandidates.push_back(year);
        } else {
            report.warnings.push_back("model-year code " + quoted(code) + " with a letter in position 7 means " +
                                      std::to_string(year) + ", later than the latest possible model year " +
                                      std::to_string(latestModelYear));
        }
        return;
    }

    for (int year = earliest; year <= latestModelYear; year += kCycleYears)
        report.modelYearCandidates.push_back(year);
    if (report.modelYearCandidates.size() > 1) {
        report.modelYearAmbiguous = true;
        report.warnings.push_back("model year is ambiguous: " + joinYears(report.modelYearCandidates));
    } else if (report.modelYearCandidates.empty()) {
        report.warnings.push_back("model-year code " + quoted(code) + " means " + std::to_string(earliest) +
                                  " at the earliest, later than the latest possible model year " +
                                  std::to_string(latestModelYear));
    }
}

} // namespace

std::string_view toString(Region region) noexcept {
    switch (region) {
    case Region::Africa: return "Africa";
    case Region::Asia: return "Asia";
    case Region::Europe: return "Europe";
    case Region::NorthAmerica: return "North America";
    case Region::Oceania: return "Oceania";
    case Region::SouthAmerica: return "South America";
    case Region::Unknown: return "Unknown";
    }
    return "Unknown";
}

Region regionOf(char first) noexcept {
    const char c = toUpper(first);
    if (c == 'I' || c == 'O' || c == 'Q') return Region::Unknown;
    if (c >= 'A' && c <= 'H') return Region::Africa;
    if (c >= 'J' && c <= 'R') return Region::Asia;
    if (c >= 'S' && c <= 'Z') return Region::Europe;
    if (c >= '1' && c <= '5') return Region::NorthAmerica;
    if (c >= '6' && c <= '7') return Region::Oceania;
    if (c >= '8' && c <= '9') return Region::SouthAmerica;
    return Region::Unknown;
}

char computeCheckDigit(std::string_view vin17) noexcept {
    if (vin17.size() != kVinLength) return '?';
    int sum = 0;
    for (std::size_t i = 0; i < kVinLength; ++i) {
        if (kWeights[i] == 0) continue; // position 9 is the check digit itself
        const int value = transliterate(vin17[i]);
        if (value < 0) return '?';
        sum += value * kWeights[i];
    }
    const int remainder = sum % 11;
    return remainder == 10 ? 'X' : static_cast<char>('0' + remainder);
}

Result<std::string> clean(std::string_view raw) {
    const std::string_view text = trim(raw);
    if (text.empty()) return fail(ErrorCode::InvalidInput, "the VIN is empty; a VIN has exactly 17 characters");

    // Byte-level problems first: a look-alike letter is two or three bytes, so reporting the length
    // instead would send the porter looking for a missing or extra character that is not there.
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        const std::string position = std::to_string(i + 1);
        if (byte >= 0x80) {
            return fail(ErrorCode::InvalidInput, "non-ASCII character at position " + position +
                                                     std::string(nonAsciiHint(text.substr(i))) +
                                                     "; a VIN uses only Latin letters and digits");
        }
        if (byte < 0x20 || byte == 0x7F) {
            return fail(ErrorCode::InvalidInput, "control character (" + controlName(byte) + ") at position " +
                                                     position + "; a VIN holds only letters and digits");
        }
        if (byte == ' ') {
            return fail(ErrorCode::InvalidInput, "space at position " + position + "; a VIN has no spaces");
        }
    }

    // Code 39 VIN labels print a leading 'I' (import marker) that some scanners pass on.
    std::string_view body = text;
    if (body.size() == kVinLength + 1 && toUpper(body.front()) == 'I') body.remove_prefix(1);
    if (body.size() != kVinLength) {
        return fail(ErrorCode::InvalidInput,
                    "'" + excerpt(text) + "' has " + std::to_string(text.size()) + " characters; a VIN has exactly 17");
    }

    std::string vin;
    vin.reserve(kVinLength);
    for (std::size_t i = 0; i < kVinLength; ++i) {
        const char c = toUpper(body[i]);
        const std::string position = std::to_string(i + 1);
        if (c == 'I' || c == 'O' || c == 'Q') {
            const std::string excluded = " is never used in a VIN (I, O and Q are excluded); did you mean ";
            return fail(ErrorCode::InvalidInput,
                        "letter " + quoted(c) + " at position " + position + excluded + quoted(suggestionFor(c)) + "?");
        }
        if (!isDigit(c) && !isUpper(c)) {
            return fail(ErrorCode::InvalidInput, "character " + quoted(c) + " at position " + position +
                                                     " is not allowed; a VIN holds only letters and digits");
        }
        vin += c;
    }
    return vin;
}

Report decode(std::string_view raw, int latestModelYear) {
    Report report;
    report.input = std::string(raw);
    report.region = std::string(toString(Region::Unknown));

    Result<std::string> cleaned = clean(raw);
    if (!cleaned) {
        report.errors.push_back(cleaned.error().message);
        return report;
    }
    report.vin = std::move(cleaned).value();
    report.wmi = report.vin.substr(0, 3);

    const Manufacturer* maker = findManufacturer(report.vin);
    if (maker != nullptr) {
        report.manufacturer = std::string(maker->name);
        report.country = std::string(maker->country);
    }
    const bool northAmerican =
        isNorthAmericanCode(report.vin[0]) || (maker != nullptr && isNorthAmericanCountry(maker->country));
    report.region = std::string(toString(northAmerican ? Region::NorthAmerica : regionOf(report.vin[0])));

    checkCheckDigit(report, northAmerican);
    decodeModelYear(report, northAmerican, latestModelYear);
    report.valid = report.errors.empty();
    return report;
}

} // namespace showroom::core::vin
