#include "showroom/devices/scan/wedge_decoder.hpp"

#include "showroom/core/scan.hpp"

namespace showroom::devices {

namespace {

std::vector<WedgeEvent> one(WedgeEvent::Kind kind, std::string text) {
    std::vector<WedgeEvent> out;
    out.push_back({kind, std::move(text)});
    return out;
}

void append(std::vector<WedgeEvent>& out, std::vector<WedgeEvent> more) {
    for (auto& e : more)
        out.push_back(std::move(e));
}

} // namespace

std::vector<WedgeEvent> WedgeDecoder::add(std::string_view bytes, std::int64_t ms) {
    std::vector<WedgeEvent> out;
    // A gap longer than a scanner's ends the burst: what came before is finished.
    if (!m_pending.empty() && ms - m_lastMs > m_config.maxGapMs) out = flush(ms);
    m_pending += bytes;
    ++m_pendingChars;
    m_lastMs = ms;
    return out;
}

std::vector<WedgeEvent> WedgeDecoder::text(std::string_view utf8, std::int64_t ms) {
    return add(utf8, ms);
}

std::vector<WedgeEvent> WedgeDecoder::control(char c, std::int64_t ms) {
    return add(std::string_view(&c, 1), ms);
}

std::vector<WedgeEvent> WedgeDecoder::terminator(std::int64_t ms, bool isTab) {
    const char key = isTab ? '\t' : '\r';
    const bool terminates = isTab ? m_config.tabTerminates : m_config.enterTerminates;
    const bool fast = !m_pending.empty() && ms - m_lastMs <= m_config.maxGapMs;
    // Inside a licence, or when this key is not the scanner's suffix, it is part of the payload.
    if (fast && (!terminates || endsOnSilence())) return add(std::string_view(&key, 1), ms);
    if (!terminates) {
        std::vector<WedgeEvent> out = flush(ms);
        append(out, one(WedgeEvent::Kind::Typed, std::string(1, key)));
        return out;
    }
    if (fast && isScanLength()) return finishScan();
    return flush(ms);
}

std::vector<WedgeEvent> WedgeDecoder::poll(std::int64_t ms) {
    if (m_pending.empty() || ms - m_lastMs <= m_config.maxGapMs) return {};
    return flush(ms);
}

std::vector<WedgeEvent> WedgeDecoder::flush(std::int64_t) {
    if (m_pending.empty()) return {};
    if (endsOnSilence() && isScanLength()) return finishScan();
    std::vector<WedgeEvent> out = one(WedgeEvent::Kind::Typed, std::move(m_pending));
    m_pending.clear();
    m_pendingChars = 0;
    return out;
}

std::optional<std::int64_t> WedgeDecoder::deadlineMs() const {
    if (m_pending.empty()) return std::nullopt;
    return m_lastMs + m_config.maxGapMs + 1;
}

bool WedgeDecoder::endsOnSilence() const {
    if (!m_config.enterTerminates && !m_config.tabTerminates) return true;
    std::string_view payload = m_pending;
    if (!m_config.prefix.empty() && payload.starts_with(m_config.prefix)) payload.remove_prefix(m_config.prefix.size());
    payload = core::scan::splitAim(payload).rest;
    // "@" alone: the next key decides, and it is usually the licence header's LF or CR.
    return payload == "@" || core::scan::looksLikeLicence(payload);
}

bool WedgeDecoder::isScanLength() const {
    if (!m_config.prefix.empty() && std::string_view(m_pending).starts_with(m_config.prefix)) return true;
    return m_pendingChars >= m_config.minLength;
}

std::vector<WedgeEvent> WedgeDecoder::finishScan() {
    std::string payload = std::move(m_pending);
    m_pending.clear();
    m_pendingChars = 0;
    if (!m_config.prefix.empty() && std::string_view(payload).starts_with(m_config.prefix))
        payload.erase(0, m_config.prefix.size());
    return one(WedgeEvent::Kind::Scan, std::move(payload));
}

} // namespace showroom::devices
