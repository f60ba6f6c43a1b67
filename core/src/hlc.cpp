#include "showroom/core/hlc.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <tuple>
#include <utility>

namespace showroom::core::hlc {

namespace {

// A stamp has room for five counter digits. Past them the counter carries into the physical part
// (one millisecond ahead), so the stamp still parses and still sorts after the last one as text;
// "...0.100000@" would sort before "...0.99999@", fail to parse, and the store's next stamp would
// restart from the wall clock, behind all of them.
constexpr std::int32_t kMaxCounter = 99'999;

Stamp carried(Stamp s) {
    if (s.counter > kMaxCounter) {
        ++s.physicalMs;
        s.counter = 0;
    }
    return s;
}

} // namespace

std::string Stamp::toString() const {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%013lld.%05d@", static_cast<long long>(physicalMs), counter);
    return buf + node;
}

bool operator<(const Stamp& a, const Stamp& b) {
    return std::tie(a.physicalMs, a.counter, a.node) < std::tie(b.physicalMs, b.counter, b.node);
}

Result<Stamp> parse(std::string_view text) {
    const auto bad = [&] {
        return fail(ErrorCode::InvalidInput, "'" + std::string(text.substr(0, 64)) +
                                                 "' is not a clock stamp (PHYSICAL_MS.COUNTER@NODE)");
    };
    const auto dot = text.find('.'), at = text.find('@');
    if (dot != 13 || at != 19 || at + 1 >= text.size()) return bad();
    Stamp s;
    const auto [p1, e1] = std::from_chars(text.data(), text.data() + dot, s.physicalMs);
    const auto [p2, e2] = std::from_chars(text.data() + dot + 1, text.data() + at, s.counter);
    if (e1 != std::errc() || p1 != text.data() + dot || e2 != std::errc() || p2 != text.data() + at) return bad();
    if (s.physicalMs < 0 || s.counter < 0) return bad();
    s.node = std::string(text.substr(at + 1));
    return s;
}

Stamp next(const Stamp& last, std::int64_t wallMs, std::string_view node) {
    Stamp s;
    s.node = std::string(node);
    s.physicalMs = std::max(last.physicalMs, wallMs);
    s.counter = s.physicalMs == last.physicalMs ? last.counter + 1 : 0;
    return carried(std::move(s));
}

Stamp receive(const Stamp& last, const Stamp& remote, std::int64_t wallMs, std::string_view node) {
    Stamp s;
    s.node = std::string(node);
    s.physicalMs = std::max({last.physicalMs, remote.physicalMs, wallMs});
    if (s.physicalMs == last.physicalMs && s.physicalMs == remote.physicalMs)
        s.counter = std::max(last.counter, remote.counter) + 1;
    else if (s.physicalMs == last.physicalMs)
        s.counter = last.counter + 1;
    else if (s.physicalMs == remote.physicalMs)
        s.counter = remote.counter + 1;
    else
        s.counter = 0;
    return carried(std::move(s));
}

} // namespace showroom::core::hlc
