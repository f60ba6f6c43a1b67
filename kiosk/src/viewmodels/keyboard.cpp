#include "keyboard.hpp"

#include <algorithm>

namespace showroom::kiosk {

namespace {

std::size_t utf8Length(unsigned char lead) {
    if (lead < 0x80) return 1;
    if ((lead >> 5) == 0x6) return 2;
    if ((lead >> 4) == 0xE) return 3;
    if ((lead >> 3) == 0x1E) return 4;
    return 1;   // a stray continuation byte: take it alone rather than stall
}

} // namespace

void popUtf8(std::string& text) {
    if (text.empty()) return;
    std::size_t i = text.size() - 1;
    while (i > 0 && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) --i;
    text.erase(i);
}

void OnScreenKeyboard::focus(std::string_view fieldId, KeyLayout layout) {
    if (m_field != fieldId) {
        m_pending.clear();
        m_backspaces = 0;
        m_enter = false;
        m_symbols = false;
        // Names start with a capital; e-mail addresses and numbers do not.
        m_shift = layout == KeyLayout::Text;
    }
    m_field = std::string(fieldId);
    m_layout = layout;
    m_drawn = true;
}

void OnScreenKeyboard::close() {
    m_field.clear();
    m_pending.clear();
    m_backspaces = 0;
    m_enter = false;
    m_shift = m_symbols = false;
}

void OnScreenKeyboard::type(std::string_view utf8) {
    if (!open()) return;
    m_pending += utf8;
    // Shift is one-shot on the sheet, like a phone keyboard.
    if (m_shift && !utf8.empty()) m_shift = false;
}

void OnScreenKeyboard::backspace() {
    if (!open()) return;
    if (!m_pending.empty()) popUtf8(m_pending);
    else ++m_backspaces;
}

void OnScreenKeyboard::enter() {
    if (open()) m_enter = true;
}

bool OnScreenKeyboard::accepts(KeyLayout layout, std::string_view c, const std::string& text) {
    if (c.empty()) return false;
    const unsigned char ch = static_cast<unsigned char>(c[0]);
    if (ch < 0x20 || ch == 0x7F) return false;   // control characters never go into a field
    const bool digit = c.size() == 1 && ch >= '0' && ch <= '9';
    switch (layout) {
    case KeyLayout::Text: return true;
    case KeyLayout::Email: return c.size() == 1 && ch != ' ';
    case KeyLayout::Phone: return digit || (c.size() == 1 && std::string_view("+-() ").find(c[0]) != std::string_view::npos);
    case KeyLayout::Decimal: return digit || (c == "." && text.find('.') == std::string::npos);
    case KeyLayout::Pin: return digit;
    }
    return false;
}

FieldEvent OnScreenKeyboard::apply(std::string& text) {
    std::uint8_t event = 0;
    for (; m_backspaces > 0; --m_backspaces) {
        if (text.empty()) continue;
        popUtf8(text);
        event |= static_cast<std::uint8_t>(FieldEvent::Changed);
    }
    for (std::size_t i = 0; i < m_pending.size();) {
        const std::size_t n = std::min(utf8Length(static_cast<unsigned char>(m_pending[i])), m_pending.size() - i);
        const std::string_view c(m_pending.data() + i, n);
        if (accepts(m_layout, c, text)) {
            text += c;
            event |= static_cast<std::uint8_t>(FieldEvent::Changed);
        }
        i += n;
    }
    m_pending.clear();
    if (m_enter) {
        close();
        event |= static_cast<std::uint8_t>(FieldEvent::Submitted);
    }
    // Both can happen in one frame (typed, then Enter): Submitted wins, the caller re-reads the text.
    return (event & static_cast<std::uint8_t>(FieldEvent::Submitted)) ? FieldEvent::Submitted
                                                                      : static_cast<FieldEvent>(event);
}

void OnScreenKeyboard::markDrawn(std::string_view fieldId) {
    if (fieldId == m_field) m_drawn = true;
}

void OnScreenKeyboard::endFrame() {
    if (open() && !m_drawn) close();
    m_drawn = false;
}

} // namespace showroom::kiosk
