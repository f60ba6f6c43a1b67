#include "showroom/devices/scan/hid_report.hpp"

#include <algorithm>

namespace showroom::devices {

namespace {

constexpr std::uint8_t kCtrlMask = 0x11;    // left | right
constexpr std::uint8_t kShiftMask = 0x22;
constexpr std::uint8_t kAltMask = 0x44;

constexpr std::uint8_t kUsageEnter = 0x28;
constexpr std::uint8_t kUsageTab = 0x2B;
constexpr std::uint8_t kUsageKeypadEnter = 0x58;

// Unshifted and shifted characters of usages 0x04..0x38 on a US keyboard; 0 = not a character.
constexpr char kFirstUsage = 0x04;
constexpr const char* kPlain = "abcdefghijklmnopqrstuvwxyz1234567890\r\x1b\b\t -=[]\\#;'`,./";
constexpr const char* kShifted = "ABCDEFGHIJKLMNOPQRSTUVWXYZ!@#$%^&*()\r\x1b\b\t _+{}|~:\"~<>?";

// Keypad usages 0x54..0x63 (NumLock is assumed on, as scanners expect).
constexpr const char* kKeypad = "/*-+\r1234567890.";

std::optional<char> usageChar(std::uint8_t usage, bool shift) {
    if (usage >= kFirstUsage && usage <= 0x38) return (shift ? kShifted : kPlain)[usage - kFirstUsage];
    if (usage >= 0x54 && usage <= 0x63) return kKeypad[usage - 0x54];
    return std::nullopt;
}

int keypadDigit(std::uint8_t usage) {
    if (usage >= 0x59 && usage <= 0x61) return usage - 0x59 + 1;
    if (usage == 0x62) return 0;
    return -1;
}

bool isRollover(std::span<const std::uint8_t> keys) {
    return std::any_of(keys.begin(), keys.end(), [](std::uint8_t k) { return k >= 0x01 && k <= 0x03; });
}

} // namespace

std::vector<std::string> HidKeyboardDecoder::feed(std::span<const std::uint8_t> report, std::int64_t ms) {
    std::vector<std::string> out;
    if (report.size() < 3) return out;
    const auto keys = report.subspan(2, std::min<std::size_t>(report.size() - 2, 6));
    if (isRollover(keys)) return out;

    if (!m_pending.empty() && ms - m_lastMs > m_config.abandonAfterMs) {
        m_pending.clear();
        ++m_abandoned;
    }
    m_lastMs = ms;

    const std::uint8_t modifiers = report[0];
    // An Alt+keypad code is typed when Alt goes up, before the keys of this report.
    if ((m_modifiers & kAltMask) && !(modifiers & kAltMask) && m_altCode >= 0) {
        m_pending += static_cast<char>(m_altCode & 0xFF);
        m_altCode = -1;
    }
    if (!(modifiers & kAltMask)) m_altCode = -1;

    for (const std::uint8_t usage : keys) {
        if (usage == 0) continue;
        if (std::find(m_down.begin(), m_down.end(), usage) != m_down.end()) continue;   // still held
        keyDown(usage, modifiers, out);
    }
    std::fill(m_down.begin(), m_down.end(), 0);
    std::copy(keys.begin(), keys.end(), m_down.begin());
    m_modifiers = modifiers;
    return out;
}

void HidKeyboardDecoder::keyDown(std::uint8_t usage, std::uint8_t modifiers, std::vector<std::string>& out) {
    const bool ctrl = modifiers & kCtrlMask;
    const bool shift = modifiers & kShiftMask;
    const bool alt = modifiers & kAltMask;

    if ((usage == kUsageEnter || usage == kUsageKeypadEnter || (usage == kUsageTab && m_config.tabTerminates)) &&
        !ctrl && !alt) {
        out.push_back(std::move(m_pending));
        m_pending.clear();
        return;
    }
    if (alt) {
        // Alt chords are shortcuts, not text, except the keypad digits of an Alt code.
        if (const int digit = keypadDigit(usage); digit >= 0) m_altCode = (std::max(m_altCode, 0) * 10 + digit) % 1000;
        return;
    }
    auto c = usageChar(usage, shift);
    if (!c || *c == 0) return;
    if (ctrl) {
        if (*c >= '@' && *c <= '_') c = static_cast<char>(*c - '@');
        else if (*c >= 'a' && *c <= 'z') c = static_cast<char>(*c - 'a' + 1);
        else if (*c == '2') c = '\0';           // Ctrl+2 and Ctrl+6 are how some scanners spell NUL and RS
        else if (*c == '6') c = '\x1e';
        else if (*c == '-') c = '\x1f';
        else return;                            // Ctrl+digit and the like are shortcuts, not text
    }
    m_pending += *c;
}

void HidKeyboardDecoder::reset() {
    if (!m_pending.empty()) ++m_abandoned;
    m_pending.clear();
    m_down.fill(0);
    m_modifiers = 0;
    m_altCode = -1;
}

std::optional<HidPosScan> HidPosDecoder::feed(std::span<const std::uint8_t> report) {
    if (report.size() < 5 || report[0] != kScannedDataReportId) return std::nullopt;
    if (!m_collecting) {
        m_pending = {};
        const std::string aim(reinterpret_cast<const char*>(report.data() + 2), 3);
        const auto split = core::scan::splitAim(aim);
        if (!split.aim.empty()) {
            m_pending.aim = aim;
            m_pending.symbology = split.symbology;
        }
        m_collecting = true;
    }
    const std::size_t present = report.size() > 5 ? std::min(report.size() - 5, kMaxDataPerReport) : 0;
    const std::size_t n = std::min<std::size_t>(report[1], present);
    m_pending.bytes.append(reinterpret_cast<const char*>(report.data() + 5), n);
    const bool continued = report.size() >= kReportSize && report[kReportSize - 1] == 0x01;
    if (continued) return std::nullopt;
    m_collecting = false;
    return std::move(m_pending);
}

void HidPosDecoder::reset() {
    m_pending = {};
    m_collecting = false;
}

bool isBarcodeScannerDescriptor(std::span<const std::uint8_t> d) {
    std::size_t i = 0;
    while (i < d.size()) {
        const std::uint8_t prefix = d[i];
        if (prefix == 0xFE) {   // long item: size in the next byte, never a Usage Page
            if (i + 1 >= d.size()) return false;
            i += 3 + d[i + 1];
            continue;
        }
        const std::size_t size = (prefix & 0x03) == 3 ? 4 : (prefix & 0x03);
        if (i + 1 + size > d.size()) return false;
        if ((prefix & 0xFC) == 0x04 && size > 0) {   // global item, tag 0: Usage Page
            std::uint32_t value = 0;
            for (std::size_t k = 0; k < size; ++k)
                value |= static_cast<std::uint32_t>(d[i + 1 + k]) << (8 * k);
            if (value == 0x8C) return true;
        }
        i += 1 + size;
    }
    return false;
}

} // namespace showroom::devices
