#pragma once
// Keyboard-wedge scanners type their payload into whatever has focus, like a very fast typist.
// WedgeDecoder tells a scan from a person: a burst of characters arriving less than `maxGapMs` apart,
// at least `minLength` long, ended by Enter (or Tab) is a scan; anything slower is typing and is
// handed back untouched, in order, so no character is dropped or doubled.
//
// Pure protocol: no I/O, no clock of its own (timestamps come with each key). Thread: one owner.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace showroom::devices {

struct WedgeConfig {
    std::int64_t maxGapMs = 40;   ///< scanners send a key every 2..20 ms; people need 80+ ms
    std::size_t minLength = 6;    ///< shorter bursts are treated as typing
    bool tabTerminates = true;    ///< some scanners end with Tab instead of Enter
};

struct WedgeEvent {
    enum class Kind { Scan, Typed };
    Kind kind;
    std::string text;   ///< the scan's payload (without terminator), or text a person typed
};

class WedgeDecoder {
public:
    explicit WedgeDecoder(WedgeConfig config = {}) : m_config(config) {}

    /// A printable character (UTF-8, one code point) at `ms`.
    std::vector<WedgeEvent> text(std::string_view utf8, std::int64_t ms);
    /// Enter (or Tab) at `ms`: ends a scan when a fast burst is pending.
    std::vector<WedgeEvent> terminator(std::int64_t ms, bool isTab = false);
    /// No key for a while: whatever is pending was typed by a person.
    std::vector<WedgeEvent> flush(std::int64_t ms);
    /// True while a fast burst is being collected (the caller should not show it as typing yet).
    bool collecting() const { return !m_pending.empty(); }

private:
    WedgeConfig m_config;
    std::string m_pending;
    std::size_t m_pendingChars = 0;
    std::int64_t m_lastMs = 0;
};

} // namespace showroom::devices
