#include "showroom/core/licence.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <optional>
#include <vector>

namespace showroom::core::licence {

namespace {

constexpr char kLf = '\x0A'; // data element separator
constexpr char kRs = '\x1E'; // record separator
constexpr char kCr = '\x0D'; // segment terminator

Error invalid(std::string reason) {
    return fail(ErrorCode::InvalidInput, "not a readable licence: " + std::move(reason));
}

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
bool isUpper(char c) {
    return c >= 'A' && c <= 'Z';
}
bool isSeparator(char c) {
    return c == kLf || c == kRs || c == kCr;
}

bool allDigits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), isDigit);
}

int toInt(std::string_view digits) {
    int n = 0;
    for (char c : digits)
        n = n * 10 + (c - '0');
    return n;
}

std::string trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || isSeparator(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || isSeparator(s.back())))
        s.remove_suffix(1);
    return std::string(s);
}

std::string upper(std::string s) {
    for (char& c : s)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return s;
}

bool isLeap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int daysInMonth(int y, int m) {
    static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : kDays[static_cast<std::size_t>(m - 1)];
}

std::optional<std::string> ymd(int y, int m, int d) {
    // 1900..2199 covers every holder alive and every expiry printed; anything else is a misread.
    if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return std::nullopt;
    std::string out = std::to_string(y) + "-" + (m < 10 ? "0" : "") + std::to_string(m) + "-" + (d < 10 ? "0" : "") +
                      std::to_string(d);
    return out;
}

// US cards write MMDDCCYY, Canadian ones CCYYMMDD. Version 01 cards and some Canadian issuers that
// leave out DCG do otherwise, and no valid date reads both ways, so the other order is the fallback.
std::optional<std::string> readDate(std::string_view raw, bool canadian) {
    if (raw.size() != 8 || !allDigits(raw)) return std::nullopt;
    auto us = ymd(toInt(raw.substr(4, 4)), toInt(raw.substr(0, 2)), toInt(raw.substr(2, 2)));
    auto ca = ymd(toInt(raw.substr(0, 4)), toInt(raw.substr(4, 2)), toInt(raw.substr(6, 2)));
    if (canadian) return ca ? ca : us;
    return us ? us : ca;
}

bool isProvince(std::string_view code) {
    static constexpr std::array<std::string_view, 13> kProvinces = {"AB", "BC", "MB", "NB", "NL", "NS", "NT",
                                                                    "NU", "ON", "PE", "QC", "SK", "YT"};
    return std::find(kProvinces.begin(), kProvinces.end(), code) != kProvinces.end();
}

bool isUsJurisdiction(std::string_view code) {
    static constexpr std::array<std::string_view, 57> kStates = {
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
        "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
        "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
        "VT", "VA", "WA", "WV", "WI", "WY", "AS", "GU", "MP", "PR", "VI", "UM"};
    return std::find(kStates.begin(), kStates.end(), code) != kStates.end();
}

std::string readSex(std::string_view raw) {
    const std::string v = upper(std::string(raw));
    if (v == "1" || v == "M") return "M";
    if (v == "2" || v == "F") return "F";
    if (v == "9" || v == "X") return "X";
    return {};
}

// "123456789" -> "12345-6789", "123450000" -> "12345", "M5V2T6" -> "M5V 2T6"; anything else trimmed.
std::string readPostalCode(std::string_view raw) {
    const std::string trimmed = trim(raw);
    std::string compact;
    for (char c : upper(trimmed))
        if (c != ' ' && c != '-') compact += c;
    if (allDigits(compact)) {
        if (compact.size() == 5) return compact;
        // Some issuers pad the ZIP+4 to 11 digits with zeros; the tail carries nothing.
        if (compact.size() >= 9 && compact.find_first_not_of('0', 9) == std::string::npos) {
            const std::string plus4 = compact.substr(5, 4);
            return plus4 == "0000" ? compact.substr(0, 5) : compact.substr(0, 5) + "-" + plus4;
        }
        return trimmed;
    }
    const bool canadian = compact.size() == 6 && isUpper(compact[0]) && isDigit(compact[1]) && isUpper(compact[2]) &&
                          isDigit(compact[3]) && isUpper(compact[4]) && isDigit(compact[5]);
    return canadian ? compact.substr(0, 3) + " " + compact.substr(3) : trimmed;
}

// Splits "A,B,C" (or "A B C" when `spaces`) into the first part and the rest joined by single spaces.
std::pair<std::string, std::string> splitFirst(std::string_view s, bool spaces) {
    std::vector<std::string> parts;
    std::string cur;
    for (char c : s) {
        if (c == ',' || (spaces && c == ' ')) {
            if (!trim(cur).empty()) parts.push_back(trim(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!trim(cur).empty()) parts.push_back(trim(cur));
    if (parts.empty()) return {};
    std::string rest;
    for (std::size_t i = 1; i < parts.size(); ++i)
        rest += (i > 1 ? " " : "") + parts[i];
    return {parts[0], rest};
}

struct Subfile {
    std::string type;
    std::size_t offset = 0;
    std::size_t length = 0;
};

struct Header {
    int version = 0;
    std::string iin;
    std::size_t end = 0; ///< first byte after the directory
    std::vector<Subfile> directory;
};

Result<Header> readHeader(std::string_view p) {
    if (p.empty() || p[0] != '@') return invalid("the '@' compliance indicator is missing");
    std::size_t pos = 1;
    // The indicator is LF RS CR; scanners and wedges sometimes drop or translate one of them.
    while (pos < p.size() && pos < 4 && isSeparator(p[pos]))
        ++pos;
    if (pos == 1) return invalid("the separators after the '@' compliance indicator are missing");
    if (p.size() < pos + 5) return invalid("the header is truncated");
    const std::string_view type = p.substr(pos, 5);
    if (type == "ANSI " || type == "AAMVA")
        pos += 5;
    else if (type.substr(0, 4) == "ANSI" && isDigit(type[4]))
        pos += 4; // a few early cards leave out the space
    else
        return invalid("unknown file type (expected \"ANSI \" or \"AAMVA\")");

    Header h;
    auto number = [&](std::size_t width) -> std::optional<std::string_view> {
        if (p.size() < pos + width) return std::nullopt;
        const std::string_view v = p.substr(pos, width);
        if (!allDigits(v)) return std::nullopt;
        pos += width;
        return v;
    };
    const auto iin = number(6);
    if (!iin) return invalid(p.size() < pos + 6 ? "the header is truncated" : "the issuer number is not 6 digits");
    h.iin = std::string(*iin);
    const auto version = number(2);
    if (!version) return invalid(p.size() < pos + 2 ? "the header is truncated" : "the AAMVA version is not a number");
    h.version = toInt(*version);
    if (h.version < 1 || h.version > 10)
        return invalid("AAMVA version " + std::string(*version) + " is not supported (01 to 10)");
    if (h.version >= 2 && !number(2))
        return invalid(p.size() < pos + 2 ? "the header is truncated" : "the jurisdiction version is not a number");
    const auto entries = number(2);
    if (!entries) return invalid(p.size() < pos + 2 ? "the header is truncated" : "the subfile count is not a number");
    const int count = toInt(*entries);
    if (count < 1) return invalid("the header lists no subfiles");
    for (int i = 0; i < count; ++i) {
        if (p.size() < pos + 10) return invalid("the subfile directory is truncated");
        const std::string_view e = p.substr(pos, 10);
        if (!isUpper(e[0]) || !(isUpper(e[1]) || isDigit(e[1])) || !allDigits(e.substr(2, 8)))
            return invalid("subfile directory entry " + std::to_string(i + 1) + " is malformed");
        h.directory.push_back({std::string(e.substr(0, 2)), static_cast<std::size_t>(toInt(e.substr(2, 4))),
                               static_cast<std::size_t>(toInt(e.substr(6, 4)))});
        pos += 10;
    }
    h.end = pos;
    return h;
}

// Where the subfile `type` starts: at its directory offset when the designator is really there,
// otherwise at the first "<type>D??" after the directory (issuers that count offsets wrongly).
std::optional<std::size_t> locate(std::string_view p, const Header& h, const Subfile& s) {
    if (s.offset >= h.end && s.offset + 2 <= p.size() && p.substr(s.offset, 2) == s.type) return s.offset;
    for (std::size_t at = p.find(s.type, h.end); at != std::string_view::npos; at = p.find(s.type, at + 1)) {
        if (at + 5 <= p.size() && p[at + 2] == 'D' && isUpper(p[at + 3]) && isUpper(p[at + 4])) return at;
    }
    return std::nullopt;
}

// Element ID -> trimmed value for one subfile; the first occurrence of an ID wins.
std::map<std::string, std::string> readElements(std::string_view body) {
    std::map<std::string, std::string> elements;
    std::size_t start = 0;
    while (start <= body.size()) {
        std::size_t stop = start;
        while (stop < body.size() && !isSeparator(body[stop]))
            ++stop;
        const std::string_view token = body.substr(start, stop - start);
        if (token.size() >= 3 && isUpper(token[0]) && isUpper(token[1]) && isUpper(token[2]))
            elements.emplace(std::string(token.substr(0, 3)), trim(token.substr(3)));
        start = stop + 1;
    }
    return elements;
}

} // namespace

Result<Licence> parse(std::string_view p) {
    if (p.size() > kMaxPayloadBytes)
        return invalid("the payload is " + std::to_string(p.size()) + " bytes, more than the " +
                       std::to_string(kMaxPayloadBytes) + " a card can carry");
    for (std::size_t i = 0; i < p.size(); ++i) {
        const auto c = static_cast<unsigned char>(p[i]);
        if ((c < 0x20 && !isSeparator(p[i])) || c > 0x7E)
            return invalid("unexpected byte 0x" +
                           [c] {
                               char buf[3];
                               std::snprintf(buf, sizeof buf, "%02X", c);
                               return std::string(buf);
                           }() +
                           " at offset " + std::to_string(i));
    }
    auto header = readHeader(p);
    if (!header) return header.error();
    const Header& h = *header;

    // Prefer the DL subfile; an ID card carries ID instead.
    const Subfile* chosen = nullptr;
    std::optional<std::size_t> start;
    for (const char* want : {"DL", "ID"}) {
        for (const Subfile& s : h.directory) {
            if (s.type != want) continue;
            if (auto at = locate(p, h, s)) {
                chosen = &s;
                start = at;
                break;
            }
        }
        if (chosen) break;
    }
    if (!chosen) return invalid("there is no DL or ID subfile");

    // The subfile runs to the start of the next one found where the directory says, or to the end;
    // declared lengths are too often wrong to cut by.
    std::size_t end = p.size();
    for (const Subfile& s : h.directory) {
        if (&s == chosen || s.offset <= *start || s.offset + 2 > p.size()) continue;
        if (p.substr(s.offset, 2) == s.type) end = std::min(end, s.offset);
    }
    const auto el = readElements(p.substr(*start + 2, end - *start - 2));
    auto get = [&](const char* id) -> std::string {
        auto it = el.find(id);
        return it == el.end() ? std::string() : it->second;
    };

    Licence l;
    l.documentType = chosen->type;
    l.issuerId = h.iin;
    l.aamvaVersion = h.version;
    l.licenceNumber = get("DAQ");
    if (l.licenceNumber.empty()) return invalid("the licence number (DAQ) is missing");

    l.familyName = get("DCS");
    if (l.familyName.empty()) l.familyName = get("DAB");
    l.firstName = get("DAC");
    l.middleName = get("DAD");
    if (l.firstName.empty()) {
        // Versions 02-03: DCT holds the given names, "FIRST MIDDLE" or "FIRST,MIDDLE".
        auto [first, rest] = splitFirst(get("DCT"), true);
        l.firstName = first;
        if (l.middleName.empty()) l.middleName = rest;
    }
    if (l.familyName.empty() || l.firstName.empty()) {
        // Version 01: DAA holds the whole name, "LAST,FIRST,MIDDLE".
        auto [last, given] = splitFirst(get("DAA"), false);
        auto [first, middle] = splitFirst(given, true);
        if (l.familyName.empty()) l.familyName = last;
        if (l.firstName.empty()) l.firstName = first;
        if (l.middleName.empty()) l.middleName = middle;
    }
    if (l.familyName.empty()) return invalid("the family name (DCS) is missing");
    if (l.firstName.empty()) return invalid("the first name (DAC) is missing");

    l.street = get("DAG");
    l.city = get("DAI");
    l.state = upper(get("DAJ"));
    l.country = upper(get("DCG"));
    if (l.country.empty() && isProvince(l.state)) l.country = "CAN";
    if (l.country.empty() && isUsJurisdiction(l.state)) l.country = "USA";
    const bool canadian = l.country == "CAN";

    const std::string dob = get("DBB");
    if (dob.empty()) return invalid("the birth date (DBB) is missing");
    auto birth = readDate(dob, canadian);
    if (!birth) return invalid("the birth date (DBB) is not a valid date");
    l.birthDate = *birth;
    const std::string exp = get("DBA");
    if (exp.empty()) return invalid("the expiry date (DBA) is missing");
    auto expiry = readDate(exp, canadian);
    if (!expiry) return invalid("the expiry date (DBA) is not a valid date");
    l.expiryDate = *expiry;
    if (auto issued = readDate(get("DBD"), canadian)) l.issueDate = *issued;

    l.sex = readSex(get("DBC"));
    l.postalCode = readPostalCode(get("DAK"));
    return l;
}

Status checkForTestDrive(const Licence& licence, std::string_view todayYmd, int minimumAge) {
    auto isYmd = [](std::string_view s) {
        return s.size() == 10 && s[4] == '-' && s[7] == '-' && allDigits(s.substr(0, 4)) && allDigits(s.substr(5, 2)) &&
               allDigits(s.substr(8, 2)) && ymd(toInt(s.substr(0, 4)), toInt(s.substr(5, 2)), toInt(s.substr(8, 2)));
    };
    if (!isYmd(todayYmd)) return fail(ErrorCode::InvalidInput, "today's date is not YYYY-MM-DD");
    if (!isYmd(licence.expiryDate)) return fail(ErrorCode::InvalidInput, "the licence has no valid expiry date");
    if (!isYmd(licence.birthDate)) return fail(ErrorCode::InvalidInput, "the licence has no valid birth date");
    // ISO dates compare correctly as strings.
    if (licence.expiryDate < todayYmd)
        return fail(ErrorCode::InvalidInput, "the licence expired on " + licence.expiryDate);
    const std::string_view birth = licence.birthDate;
    int age = toInt(todayYmd.substr(0, 4)) - toInt(birth.substr(0, 4));
    if (todayYmd.substr(5) < birth.substr(5)) --age; // birthday not reached yet this year (29 Feb: on 1 Mar)
    if (age < minimumAge)
        return fail(ErrorCode::InvalidInput,
                    "the driver must be at least " + std::to_string(minimumAge) + " years old for a test drive");
    return {};
}

} // namespace showroom::core::licence
