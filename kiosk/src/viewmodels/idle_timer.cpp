#include "idle_timer.hpp"

#include <algorithm>

namespace showroom::kiosk {

IdleTimer::Phase IdleTimer::phase(std::int64_t nowMs) const {
    const std::int64_t idle = nowMs - m_lastTouchMs;
    if (idle >= m_timeoutMs) return Phase::Expired;
    if (idle >= m_timeoutMs - m_warningMs) return Phase::Warning;
    return Phase::Active;
}

int IdleTimer::secondsLeft(std::int64_t nowMs) const {
    const std::int64_t left = std::max<std::int64_t>(0, m_timeoutMs - (nowMs - m_lastTouchMs));
    return static_cast<int>((left + 999) / 1000);
}

std::int64_t IdleTimer::msUntilNextChange(std::int64_t nowMs) const {
    const std::int64_t idle = nowMs - m_lastTouchMs;
    const std::int64_t warnAt = m_timeoutMs - m_warningMs;
    if (idle < warnAt) return warnAt - idle;
    if (idle >= m_timeoutMs) return 0;
    // In the countdown: wake at the next whole-second boundary of the time left.
    const std::int64_t left = m_timeoutMs - idle;
    const std::int64_t toNextSecond = left % 1000;
    return toNextSecond == 0 ? 1000 : toNextSecond;
}

} // namespace showroom::kiosk
