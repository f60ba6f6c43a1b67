#pragma once
// The on-screen keyboard's state: which text field is being edited, the layout it needs, and the
// keys pressed since that field last drew. A touch kiosk has no physical keyboard, so every text
// field edits through this; a physical keyboard (or a script's `type`) feeds the same queue.
//
// Flow in a frame: the field that has focus calls apply() on its text (edits queued by keys of the
// previous frame land, the field reports Changed / Submitted); the keyboard sheet is drawn last and
// queues this frame's key taps. Text is appended at the end and deleted from the end, one Unicode
// character at a time; a field takes only what its layout allows (digits on a phone field).
//
// Thread: main thread only. Plain C++: tested without a window.

#include <cstdint>
#include <string>
#include <string_view>

namespace showroom::kiosk {

enum class KeyLayout {
    Text,     ///< letters, shift, a digits-and-symbols page, space
    Email,    ///< Text plus "@" and ".com" keys, no auto-capitals
    Phone,    ///< 0-9 and + - ( ) space
    Decimal,  ///< 0-9 and one "."
    Pin,      ///< 0-9, shown masked
};

enum class FieldEvent : std::uint8_t { None = 0, Changed = 1, Submitted = 2 };

class OnScreenKeyboard {
public:
    bool open() const { return !m_field.empty(); }
    const std::string& field() const { return m_field; }
    KeyLayout layout() const { return m_layout; }
    bool shift() const { return m_shift; }
    bool symbols() const { return m_symbols; }

    /// A field was tapped: it gets the keys from now on. Switching fields drops queued keys.
    void focus(std::string_view fieldId, KeyLayout layout);
    /// Hides the keyboard (Done, a tap outside, the screen changed).
    void close();

    // Keys, from the sheet or a physical keyboard.
    void type(std::string_view utf8);   ///< one key's text (the sheet applies shift itself)
    void backspace();
    void enter();                       ///< submits the field and closes the keyboard
    void toggleShift() { m_shift = !m_shift; }
    void toggleSymbols() { m_symbols = !m_symbols; }

    /// Called by the focused field with its text: applies the queued keys the layout allows.
    /// Submitted also closes the keyboard.
    FieldEvent apply(std::string& text);

    /// The field drew this frame (call from the field); endFrame() closes the keyboard when the
    /// focused field was not drawn, e.g. after the screen changed.
    void markDrawn(std::string_view fieldId);
    void endFrame();

    /// Whether `c` (one UTF-8 character) may go into a field of `layout` holding `text`.
    static bool accepts(KeyLayout layout, std::string_view c, const std::string& text);

private:
    std::string m_field;
    KeyLayout m_layout = KeyLayout::Text;
    bool m_shift = false, m_symbols = false;
    std::string m_pending;     ///< typed, not yet applied
    int m_backspaces = 0;      ///< applied before m_pending
    bool m_enter = false;
    bool m_drawn = false;
};

/// Removes the last UTF-8 character of `text` (no-op when empty).
void popUtf8(std::string& text);

} // namespace showroom::kiosk
