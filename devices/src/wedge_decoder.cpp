#include "showroom/devices/scan/wedge_decoder.hpp"

namespace showroom::devices {

std::vector<WedgeEvent> WedgeDecoder::text(std::string_view utf8, std::int64_t ms) {
    std::vector<WedgeEvent> out;
    // A gap longer than a scanner's ends the burst: what came before was typed.
    if (!m_pending.empty() && ms - m_lastMs > m_config.maxGapMs) out = flush(ms);
    m_pending += utf8;
    ++m_pendingChars;
    m_lastMs = ms;
    return out;
}

std::vector<WedgeEvent> WedgeDecoder::terminator(std::int64_t ms, bool isTab) {
    std::vector<WedgeEvent> out;
    if (isTab && !m_config.tabTerminates) return flush(ms);
    const bool fast = !m_pending.empty() && ms - m_lastMs <= m_config.maxGapMs;
    if (fast && m_pendingChars >= m_config.minLength) {
        out.push_back({WedgeEvent::Kind::Scan, std::move(m_pending)});
        m_pending.clear();
        m_pendingChars = 0;
        return out;
    }
    out = flush(ms);
    return out;
}

std::vector<WedgeEvent> WedgeDecoder::flush(std::int64_t) {
    std::vector<WedgeEvent> out;
    if (!m_pending.empty()) out.push_back({WedgeEvent::Kind::Typed, std::move(m_pending)});
    m_pending.clear();
    m_pendingChars = 0;
    return out;
}

} // namespace showroom::devices
