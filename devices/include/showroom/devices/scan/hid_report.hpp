#pragma once
// USB HID barcode scanners speak one of two report formats; these decoders turn their input reports
// into payload bytes. Pure protocol: no I/O, no clock of their own. Thread: one owner per decoder.
//
//  - Keyboard-class scanners (HID boot keyboard, the factory default of most scanners) "type" the
//    payload: one 8-byte report per change of the pressed keys. HidKeyboardDecoder replays them with a
//    US layout. Licence barcodes carry control characters (LF, CR, RS, GS); scanners send those as
//    Ctrl chords (Ctrl+J, Ctrl+M, Ctrl+^, Ctrl+]) or as Alt+keypad codes, and both come back as the
//    byte itself. The Enter key ends a scan and is not part of it.
//  - HID POS scanners (usage page 0x8C, "Bar Code Scanner") send the payload as data, up to 56 bytes
//    per report with an AIM symbology identifier; HidPosDecoder joins continued reports.

#include "showroom/core/scan.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace showroom::devices {

struct HidKeyboardConfig {
    /// Some scanners end a scan with Tab instead of Enter; otherwise Tab is a payload byte (0x09).
    bool tabTerminates = false;
    /// A scan whose next report is this late is abandoned (the scanner lost the rest, e.g. the cable
    /// was pulled and put back): its first part is dropped, never glued to the next scan.
    std::int64_t abandonAfterMs = 1000;
};

/// Replays HID boot-keyboard input reports: byte 0 = modifier bits (LCtrl 0x01, LShift 0x02, LAlt 0x04,
/// LGUI 0x08, then the right-hand ones << 4), byte 1 reserved, bytes 2..7 = usages of the keys down.
///
/// A key is typed when it goes down (it is in this report and was not in the previous one), so a key
/// held over several reports is typed once and the same character twice in a row (released in
/// between) is typed twice. Rollover reports (usage 0x01..0x03 in any slot) say nothing about which
/// keys are down and are ignored whole. Reports shorter than 3 bytes are ignored.
///
/// Characters (US layout): letters, digits, the shifted symbols, space, Tab, Esc, keypad digits and
/// symbols. With Ctrl held, a character in '@'..'_' or 'a'..'z' becomes its control code
/// (Ctrl+@ = 0x00 ... Ctrl+J = LF, Ctrl+M = CR, Ctrl+] = GS, Ctrl+^ = RS, Ctrl+_ = US). With Alt held,
/// keypad digits spell a decimal byte that is typed when Alt goes up (Alt+0,3,0 = RS). Enter (main
/// or keypad) ends the scan; a CR in the payload comes from Ctrl+M.
class HidKeyboardDecoder {
public:
    explicit HidKeyboardDecoder(HidKeyboardConfig config = {}) : m_config(config) {}

    /// Feeds one input report received at `ms`; returns the payloads of the scans it ended (usually
    /// none or one), terminator removed.
    std::vector<std::string> feed(std::span<const std::uint8_t> report, std::int64_t ms);
    /// Forgets the scan being typed and the keys held (the device went away mid-scan).
    void reset();
    /// True while part of a scan has been typed and its Enter has not come yet.
    bool collecting() const { return !m_pending.empty(); }
    /// Scans dropped unfinished, by abandonAfterMs or reset().
    std::size_t abandoned() const { return m_abandoned; }

private:
    void keyDown(std::uint8_t usage, std::uint8_t modifiers, std::vector<std::string>& out);

    HidKeyboardConfig m_config;
    std::array<std::uint8_t, 6> m_down{};
    std::uint8_t m_modifiers = 0;
    std::string m_pending;
    int m_altCode = -1;   ///< decimal code spelled on the keypad while Alt is held; -1 when none
    std::int64_t m_lastMs = 0;
    std::size_t m_abandoned = 0;
};

/// One scan read from a HID POS scanner.
struct HidPosScan {
    core::scan::Symbology symbology = core::scan::Symbology::Unknown;
    std::string aim;     ///< the AIM identifier the scanner sent ("]A0"), or empty
    std::string bytes;   ///< the payload, exactly as sent
};

/// Joins HID POS "scanned data" input reports. The layout implemented (Honeywell and Zebra HID POS
/// default; byte offsets in the report as the interrupt transfer delivers it, report ID first):
///
///   [0]      report ID, 0x02 (reports with another ID, e.g. trigger or status, are ignored)
///   [1]      n, the number of payload bytes in this report (0..56)
///   [2..4]   AIM symbology identifier, e.g. "]A0" (zeros when the scanner sends none)
///   [5..60]  payload bytes, the first n of them valid
///   [61..62] vendor-specific (Honeywell code ID), ignored
///   [63]     0x01 when the payload continues in the next report, 0x00 on the last report
///
/// A report shorter than 64 bytes is a last report; n is clamped to the bytes actually present. The
/// symbology is taken from the first report of a scan.
class HidPosDecoder {
public:
    static constexpr std::uint8_t kScannedDataReportId = 0x02;
    static constexpr std::size_t kReportSize = 64;
    static constexpr std::size_t kMaxDataPerReport = 56;

    /// Feeds one input report; returns the scan it completes, if any.
    std::optional<HidPosScan> feed(std::span<const std::uint8_t> report);
    /// Forgets a scan whose continuation has not come (the device went away mid-scan).
    void reset();
    bool collecting() const { return m_collecting; }

private:
    HidPosScan m_pending;
    bool m_collecting = false;
};

/// True when a HID report descriptor declares usage page 0x8C (Bar Code Scanner): a Usage Page global
/// item with value 0x8C, one or two bytes long (05 8C or 06 8C 00). Malformed descriptors give false.
bool isBarcodeScannerDescriptor(std::span<const std::uint8_t> reportDescriptor);

} // namespace showroom::devices
