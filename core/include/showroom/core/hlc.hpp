#pragma once
// Hybrid logical clock stamps for outbox events (Kulkarni et al., "Logical Physical Clocks", 2014).
//
// A stamp is "<physical ms, 13 digits>.<counter, 5 digits>@<node>", e.g.
// "1793952000000.00003@DTN": it sorts as text in causal order for one node, stays close to wall time,
// and never goes backwards even when the wall clock does (an NTP step, a clock set 2 hours wrong):
// the physical part is the larger of the wall clock and the last stamp, and the counter breaks ties
// (past 99999 it carries into the physical part, one millisecond ahead).
// HQ orders concurrent edits of one record by (physical, counter, node), so two stores' stamps
// compare as plain text too.
//
// Pure: next() and receive() take the last stamp and the wall time and return the new stamp; the
// caller persists it (core::record keeps the store's last stamp in settings, in the same
// transaction as the event it stamps).

#include "showroom/core/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace showroom::core::hlc {

struct Stamp {
    std::int64_t physicalMs = 0;
    std::int32_t counter = 0;
    std::string node;

    std::string toString() const;
    friend bool operator<(const Stamp& a, const Stamp& b);
};

/// Parses a stamp; InvalidInput for anything else.
Result<Stamp> parse(std::string_view text);

/// The stamp of a local event at wall time `wallMs`, after `last` (an empty node: no stamp yet).
Stamp next(const Stamp& last, std::int64_t wallMs, std::string_view node);

/// The stamp after hearing of `remote` (another node's stamp) at wall time `wallMs`.
Stamp receive(const Stamp& last, const Stamp& remote, std::int64_t wallMs, std::string_view node);

} // namespace showroom::core::hlc
