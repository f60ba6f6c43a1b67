#include "showroom/core/scan.hpp"

#include "showroom/core/vin.hpp"

#include <algorithm>
#include <cctype>

namespace showroom::core::scan {

namespace {

struct SymbologyName {
    Symbology symbology;
    std::string_view name;
};

constexpr SymbologyName kNames[] = {
    {Symbology::Code39, "Code39"}, {Symbology::Code128, "Code128"}, {Symbology::DataMatrix, "DataMatrix"},
    {Symbology::QRCode, "QRCode"}, {Symbology::PDF417, "PDF417"},   {Symbology::EAN13, "EAN13"},
    {Symbology::UPCA, "UPCA"},     {Symbology::ITF, "ITF"},         {Symbology::Aztec, "Aztec"},
};

bool isAsciiAlnum(char c) noexcept {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

char upper(char c) noexcept {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

// Separators between the fields of a label, a URL or a licence-style record.
bool isSeparator(char c) noexcept {
    switch (c) {
    case ';': case ',': case '|': case '&': case '?': case '/': case ' ': case '\t':
    case '\r': case '\n': case '\x1d': case '\x1e': case '\x1f': case '\x04':
        return true;
    default:
        return false;
    }
}

std::string_view trimNoise(std::string_view s) noexcept {
    const auto noise = [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == '\x7f'; };
    while (!s.empty() && noise(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && noise(s.back()))
        s.remove_suffix(1);
    return s;
}

// 17 alphanumerics, or 18 with the leading I that Code 39 VIN labels carry.
bool vinShaped(std::string_view s) noexcept {
    if (s.size() == 18 && upper(s.front()) == 'I') s.remove_prefix(1);
    return s.size() == 17 && std::all_of(s.begin(), s.end(), isAsciiAlnum);
}

bool equalsUpper(std::string_view s, std::string_view upperWord) noexcept {
    if (s.size() != upperWord.size()) return false;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (upper(s[i]) != upperWord[i]) return false;
    return true;
}

// "VIN", "VIN:", "VIN#", "VIN=", "VIN#:" and the like: a label with nothing after it.
bool isBareVinLabel(std::string_view token) noexcept {
    if (token.size() < 3 || !equalsUpper(token.substr(0, 3), "VIN")) return false;
    token.remove_prefix(3);
    return std::all_of(token.begin(), token.end(), [](char c) { return c == ':' || c == '=' || c == '#' || c == '.'; });
}

// "VIN:XXXX", "vin=XXXX", "VIN#XXXX": the value after the label, or empty.
std::string_view labelledValue(std::string_view token) noexcept {
    if (token.size() < 4 || !equalsUpper(token.substr(0, 3), "VIN")) return {};
    std::size_t i = 3;
    if (token[i] != ':' && token[i] != '=' && token[i] != '#') return {};
    while (i < token.size() && (token[i] == ':' || token[i] == '=' || token[i] == '#' || token[i] == '.'))
        ++i;
    return token.substr(i);
}

std::vector<std::string_view> tokens(std::string_view payload) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= payload.size(); ++i) {
        if (i == payload.size() || isSeparator(payload[i])) {
            if (i > start) out.push_back(payload.substr(start, i - start));
            start = i + 1;
        }
    }
    return out;
}

} // namespace

std::string_view toString(Symbology symbology) noexcept {
    for (const auto& n : kNames)
        if (n.symbology == symbology) return n.name;
    return "Unknown";
}

Symbology symbologyFromName(std::string_view name) noexcept {
    for (const auto& n : kNames)
        if (n.name == name) return n.symbology;
    return Symbology::Unknown;
}

AimSplit splitAim(std::string_view payload) noexcept {
    AimSplit split;
    split.rest = payload;
    if (payload.size() < 3 || payload[0] != ']') return split;
    const char modifier = payload[2];
    if (!((modifier >= '0' && modifier <= '9') || (modifier >= 'A' && modifier <= 'Z'))) return split;
    Symbology symbology = Symbology::Unknown;
    switch (payload[1]) {
    case 'A': symbology = Symbology::Code39; break;
    case 'C': symbology = Symbology::Code128; break;
    case 'd': symbology = Symbology::DataMatrix; break;
    case 'Q': symbology = Symbology::QRCode; break;
    case 'L': symbology = Symbology::PDF417; break;
    case 'E': symbology = Symbology::EAN13; break;   // ]E0 covers EAN-13 and UPC-A alike
    case 'I': symbology = Symbology::ITF; break;
    case 'z': symbology = Symbology::Aztec; break;
    case 'X': break;                                 // "other": an identifier, symbology unknown
    default: return split;                           // not an AIM identifier: a payload starting with ']'
    }
    split.symbology = symbology;
    split.aim = payload.substr(0, 3);
    split.rest = payload.substr(3);
    return split;
}

std::string toValidUtf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t n = bytes.size();
    for (std::size_t i = 0; i < n;) {
        const unsigned char c = p[i];
        std::size_t len = 0;
        std::uint32_t min = 0;
        if (c < 0x80) len = 1;
        else if (c >= 0xC2 && c <= 0xDF) { len = 2; min = 0x80; }
        else if (c >= 0xE0 && c <= 0xEF) { len = 3; min = 0x800; }
        else if (c >= 0xF0 && c <= 0xF4) { len = 4; min = 0x10000; }
        bool ok = len > 0 && i + len <= n;
        std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1Fu) : len == 3 ? (c & 0x0Fu) : (c & 0x07u);
        for (std::size_t k = 1; ok && k < len; ++k) {
            if ((p[i + k] & 0xC0) != 0x80) ok = false;
            else cp = (cp << 6) | (p[i + k] & 0x3Fu);
        }
        if (ok && len > 1 && (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))) ok = false;
        if (ok) {
            out.append(bytes.substr(i, len));
            i += len;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    return out;
}

Scan makeScan(std::string source, std::string_view bytes, Symbology symbology, std::int64_t timestampMs) {
    const AimSplit split = splitAim(bytes);
    Scan scan;
    scan.source = std::move(source);
    scan.symbology = symbology != Symbology::Unknown ? symbology : split.symbology;
    scan.bytes = std::string(split.rest);
    scan.text = toValidUtf8(scan.bytes);
    scan.timestampMs = timestampMs;
    return scan;
}

std::string_view toString(ScannerStatus::State state) noexcept {
    switch (state) {
    case ScannerStatus::State::Connected: return "connected";
    case ScannerStatus::State::Disconnected: return "disconnected";
    case ScannerStatus::State::Failed: return "failed";
    }
    return "failed";
}

// --- ScanMailbox ----------------------------------------------------------------------------

ScanSink ScanMailbox::sink() {
    return [this](ScanEvent event) { post(std::move(event)); };
}

void ScanMailbox::post(ScanEvent event) {
    {
        const std::lock_guard lock(m_mutex);
        if (m_events.size() >= m_capacity) {
            const auto status = std::find_if(m_events.begin(), m_events.end(),
                                             [](const ScanEvent& e) { return std::holds_alternative<ScannerStatus>(e); });
            if (status != m_events.end()) {
                m_events.erase(status);
            } else {
                ++m_dropped;
                return;
            }
        }
        m_events.push_back(std::move(event));
    }
    m_ready.notify_one();
    if (m_wakeUp) m_wakeUp();
}

std::vector<ScanEvent> ScanMailbox::drain() {
    const std::lock_guard lock(m_mutex);
    std::vector<ScanEvent> out(std::make_move_iterator(m_events.begin()), std::make_move_iterator(m_events.end()));
    m_events.clear();
    return out;
}

std::vector<ScanEvent> ScanMailbox::waitAndDrain(std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_mutex);
    m_ready.wait_for(lock, timeout, [this] { return !m_events.empty(); });
    std::vector<ScanEvent> out(std::make_move_iterator(m_events.begin()), std::make_move_iterator(m_events.end()));
    m_events.clear();
    return out;
}

std::size_t ScanMailbox::dropped() const {
    const std::lock_guard lock(m_mutex);
    return m_dropped;
}

// --- Meaning --------------------------------------------------------------------------------

VinFinding findVin(std::string_view payload, int latestModelYear) {
    payload = splitAim(payload).rest;
    std::vector<std::string_view> candidates;
    const std::string_view whole = trimNoise(payload);
    if (vinShaped(whole)) candidates.push_back(whole);

    const std::vector<std::string_view> parts = tokens(payload);
    // Labelled fields first: "VIN:XXXX", "vin=XXXX", or "VIN:" followed by the value.
    for (std::size_t i = 0; i < parts.size(); ++i) {
        std::string_view value = labelledValue(parts[i]);
        if (value.empty() && isBareVinLabel(parts[i]) && i + 1 < parts.size()) value = parts[i + 1];
        if (!value.empty()) candidates.push_back(value);
    }
    for (const std::string_view part : parts)
        if (vinShaped(part)) candidates.push_back(part);

    VinFinding firstInvalid;
    for (const std::string_view candidate : candidates) {
        vin::Report report = vin::decode(candidate, latestModelYear);
        if (report.valid) return {VinFinding::Kind::Valid, std::move(report.vin), {}};
        if (firstInvalid.kind == VinFinding::Kind::None) {
            firstInvalid.kind = VinFinding::Kind::Invalid;
            firstInvalid.vin = report.vin.empty() ? std::string(candidate) : report.vin;
            firstInvalid.problem = report.errors.empty() ? std::string("not a valid VIN") : report.errors.front();
        }
    }
    return firstInvalid;
}

bool looksLikeLicence(std::string_view payload) noexcept {
    payload = splitAim(payload).rest;
    return payload.size() >= 2 && payload[0] == '@' && (payload[1] == '\n' || payload[1] == '\x1e' || payload[1] == '\r');
}

} // namespace showroom::core::scan
