// ESC/POS real-time status: DLE EOT n and the printer's one-byte answers (Epson ESC/POS reference,
// "DLE EOT"). Every answer has the fixed bits 0xx1xx10: bit 1 and bit 4 set, bits 0 and 7 clear,
// which is how an answer is told from stray bytes on the line.
#include "showroom/devices/print/escpos.hpp"

#include <cstdio>

namespace showroom::devices::escpos {

namespace {

constexpr std::uint8_t kDle = 0x10, kEot = 0x04;
constexpr std::uint8_t kFixedBits = 0x12;   // bits 1 and 4

constexpr bool bit(std::uint8_t b, int n) { return (b >> n) & 1U; }

} // namespace

std::string statusRequest(int n) {
    return std::string{static_cast<char>(kDle), static_cast<char>(kEot), static_cast<char>(n)};
}

std::string fullStatusRequest() { return statusRequest(1) + statusRequest(2) + statusRequest(3) + statusRequest(4); }

bool isStatusByte(std::uint8_t b) { return (b & 0x93) == kFixedBits; }

core::Result<core::print::PrinterStatus> parseStatus(const std::array<std::uint8_t, 4>& a) {
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (isStatusByte(a[i])) continue;
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", a[i]);
        return core::fail(core::ErrorCode::InvalidInput, "the printer's answer to DLE EOT " + std::to_string(i + 1) +
                                                             " is not a status byte (" + hex + ")");
    }
    core::print::PrinterStatus s;
    // n = 1, printer: bit 2 drawer connector pin 3 high, bit 3 offline.
    s.drawerOpen = bit(a[0], 2);
    const bool offline = bit(a[0], 3);
    // n = 2, offline cause: bit 2 cover open, bit 3 paper being fed by the button, bit 5 printing
    // stopped by paper end, bit 6 error.
    s.coverOpen = bit(a[1], 2);
    const bool stoppedByPaperEnd = bit(a[1], 5);
    const bool errorOccurred = bit(a[1], 6);
    // n = 3, error cause: bit 3 cutter error, bit 5 unrecoverable, bit 6 auto-recoverable.
    const bool cutter = bit(a[2], 3), unrecoverable = bit(a[2], 5), autoRecoverable = bit(a[2], 6);
    // n = 4, paper roll sensor: bits 2-3 near end, bits 5-6 paper end.
    s.paperNearEnd = bit(a[3], 2) || bit(a[3], 3);
    s.paperOut = bit(a[3], 5) || bit(a[3], 6) || stoppedByPaperEnd;
    s.error = errorOccurred || cutter || unrecoverable || autoRecoverable;
    s.recoverable = !(cutter || unrecoverable);
    // Offline because of the cover or the paper is reported as those; offline alone stays offline.
    s.online = !offline;
    return s;
}

std::array<std::uint8_t, 4> statusAnswers(const core::print::PrinterStatus& s) {
    std::array<std::uint8_t, 4> a{kFixedBits, kFixedBits, kFixedBits, kFixedBits};
    const bool offline = !s.online || s.coverOpen || s.paperOut || s.error;
    if (s.drawerOpen) a[0] |= 1U << 2;
    if (offline) a[0] |= 1U << 3;
    if (s.coverOpen) a[1] |= 1U << 2;
    if (s.paperOut) a[1] |= 1U << 5;
    if (s.error) a[1] |= 1U << 6;
    if (s.error) a[2] |= s.recoverable ? (1U << 6) : (1U << 5);
    if (s.paperNearEnd || s.paperOut) a[3] |= (1U << 2) | (1U << 3);
    if (s.paperOut) a[3] |= (1U << 5) | (1U << 6);
    return a;
}

} // namespace showroom::devices::escpos
