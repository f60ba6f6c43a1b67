#pragma once
// The kiosk's idle timeout: after `timeout` without a touch the session is wiped and the attract
// screen returns; during the last `warning` the kiosk shows a countdown ("Returning to start in 9 s").
// Pure: time comes in as milliseconds from any monotonic clock. Thread: main thread only.

#include <cstdint>

namespace showroom::kiosk {

class IdleTimer {
public:
    enum class Phase { Active, Warning, Expired };

    IdleTimer(std::int64_t timeoutMs, std::int64_t warningMs) : m_timeoutMs(timeoutMs), m_warningMs(warningMs) {}

    /// A touch, key or scan: the session is alive again.
    void touch(std::int64_t nowMs) { m_lastTouchMs = nowMs; }
    Phase phase(std::int64_t nowMs) const;
    /// Whole seconds left before expiry, rounded up (for the countdown text).
    int secondsLeft(std::int64_t nowMs) const;
    /// When the main loop must wake next to keep the countdown right (ms from now, >= 0).
    std::int64_t msUntilNextChange(std::int64_t nowMs) const;
    std::int64_t timeoutMs() const { return m_timeoutMs; }

private:
    std::int64_t m_timeoutMs, m_warningMs;
    std::int64_t m_lastTouchMs = 0;
};

} // namespace showroom::kiosk
