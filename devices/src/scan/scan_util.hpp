#pragma once
// Small pieces the scanner drivers share: their clock, option parsing and the eventfd that wakes a
// driver's poll() when stop() is called. Private to devices/src/scan.

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace showroom::devices::detail {

/// Steady-clock milliseconds: the timestamps drivers put on scans.
inline std::int64_t steadyMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

/// A whole decimal number filling all of `s`, or nullopt.
inline std::optional<int> parseInt(std::string_view s) {
    int value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return value;
}

/// poll()'s timeout for a decoder's next deadline: due now (0) up to at most a second.
inline int pollTimeoutMs(std::optional<std::int64_t> deadline) {
    return deadline ? static_cast<int>(std::clamp<std::int64_t>(*deadline - steadyMs(), 0, 1000)) : 1000;
}

/// An eventfd a driver's thread polls beside its device; stop() signals it.
inline int openWakeFd() { return ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK); }
inline void signalWakeFd(int fd) {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(fd, &one, sizeof one);
}

} // namespace showroom::devices::detail
