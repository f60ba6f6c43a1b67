#pragma once
// Keyboard-wedge scanners type their payload into whatever has focus, like a very fast typist.
// WedgeDecoder tells a scan from a person: a burst of keys arriving less than `maxGapMs` apart, at
// least `minLength` characters long, is a scan; anything slower is typing and is handed back
// untouched, in order, so no character is ever dropped, doubled or reordered.
//
// How a burst ends:
//  - Enter (and Tab, when `tabTerminates`) right after a fast burst ends the scan; the terminator is
//    not part of the payload.
//  - A driver's licence (PDF417, AAMVA) carries CR and LF *inside* its payload, and a wedge scanner
//    types them as Enter and Ctrl+J. Once a burst starts like a licence ('@' then LF, RS or CR, see
//    core::scan::looksLikeLicence), Enter is kept as CR and the scan ends when the keys stop: the
//    caller calls poll() when deadlineMs() passes.
//  - With `enterTerminates` and `tabTerminates` both false (scanners set to send no suffix) every
//    fast burst ends on silence the same way.
// Control characters a scanner sends as Ctrl chords (GS = Ctrl+], RS = Ctrl+^, LF = Ctrl+J, ...)
// go in through control() and are kept in the payload. `prefix`, when set, is a string the scanner
// is programmed to send first: a burst that starts with it is a scan whatever its length, and the
// prefix is removed. An AIM symbology identifier ("]A0") is left in the payload: core::scan::makeScan
// splits it off.
//
// Pure protocol: no I/O, no clock of its own (timestamps come with each key). Thread: one owner.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace showroom::devices {

struct WedgeConfig {
    std::int64_t maxGapMs = 40;   ///< scanners send a key every 2..20 ms; people need 80+ ms
    std::size_t minLength = 6;    ///< shorter bursts are treated as typing (unless prefixed)
    bool enterTerminates = true;  ///< the factory default suffix of almost every scanner
    bool tabTerminates = true;    ///< some scanners end with Tab instead of Enter
    std::string prefix;           ///< a programmed prefix (e.g. "\x02"); empty for none
};

struct WedgeEvent {
    enum class Kind { Scan, Typed };
    Kind kind;
    std::string text;   ///< the scan's payload (without prefix or terminator), or text a person typed
};

class WedgeDecoder {
public:
    explicit WedgeDecoder(WedgeConfig config = {}) : m_config(std::move(config)) {}

    /// A printable character (UTF-8, one code point) at `ms`.
    std::vector<WedgeEvent> text(std::string_view utf8, std::int64_t ms);
    /// A control character typed as a chord (0x01..0x1F) at `ms`: part of a scan's payload; from a
    /// person it comes back as Typed like any other key.
    std::vector<WedgeEvent> control(char c, std::int64_t ms);
    /// Enter (or Tab) at `ms`: ends a scan when a fast burst is pending (see above for licences).
    std::vector<WedgeEvent> terminator(std::int64_t ms, bool isTab = false);
    /// Call when deadlineMs() has passed: a burst that ends on silence becomes a scan; anything else
    /// pending was typed by a person.
    std::vector<WedgeEvent> poll(std::int64_t ms);
    /// No key for a while, or focus moved: whatever is pending goes out now (a finished silent-end
    /// burst as a scan, anything else as typing).
    std::vector<WedgeEvent> flush(std::int64_t ms);
    /// When poll() should next be called, or nullopt when nothing is pending.
    std::optional<std::int64_t> deadlineMs() const;
    /// True while a fast burst is being collected (the caller should not show it as typing yet).
    bool collecting() const { return !m_pending.empty(); }

private:
    bool endsOnSilence() const;
    bool isScanLength() const;
    std::vector<WedgeEvent> finishScan();
    std::vector<WedgeEvent> add(std::string_view bytes, std::int64_t ms);

    WedgeConfig m_config;
    std::string m_pending;
    std::size_t m_pendingChars = 0;
    std::int64_t m_lastMs = 0;
};

} // namespace showroom::devices
