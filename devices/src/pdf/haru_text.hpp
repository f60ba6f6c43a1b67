#pragma once
// Text for libharu documents, shared by the contract and the monthly report: lenient UTF-8 decoding,
// the characters libharu can print, CJK detection (DejaVu has no CJK glyphs, so such characters are
// drawn with the CJK font), loading an embedded TrueType font with the UTF-8 encoder, and a document's
// fixed labels in English and Chinese, and the page cursor both documents lay out with.
// Pure helpers; loadFont() works on the document it is given, on that document's thread.

#include "haru_document.hpp"

#include "showroom/core/result.hpp"

#include <hpdf.h>

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace showroom::devices::pdf::detail {

/// Decodes UTF-8 leniently: a malformed sequence is one U+FFFD and decoding carries on.
struct Utf8Reader {
    std::string_view s;
    std::size_t at = 0;
    bool done() const { return at >= s.size(); }
    char32_t next();
};

/// Appends a code point of the Basic Multilingual Plane as UTF-8.
void appendUtf8(std::string& out, char32_t cp);

/// libharu's UTF-8 encoder maps the Basic Multilingual Plane only and control characters have no glyph:
/// a control character becomes a space, anything beyond the BMP U+FFFD.
char32_t printable(char32_t cp);

bool isCjk(char32_t cp);
bool hasCjk(std::string_view s);

/// Embeds the TrueType font at `path` (index 0 of a collection when `collection`) with the UTF-8 encoder
/// (the document must have called HPDF_UseUTFEncodings). InvalidInput naming the file when it cannot be
/// read or loaded.
core::Result<HPDF_Font> loadFont(HaruDocument& pdf, const std::string& path, bool collection);

/// One fixed text of a document in both languages; `{1}`, `{2}`, ... stand for arguments.
template <class Id> struct LabelText {
    Id id;
    std::string_view en, zh;
};

/// Whether `labels` lists every id of `Id` (0 .. Id::Count - 1) in order, each in both languages.
template <class Id, std::size_t N> constexpr bool labelsComplete(const LabelText<Id> (&labels)[N]) {
    if (N != static_cast<std::size_t>(Id::Count)) return false;
    for (std::size_t i = 0; i < N; ++i)
        if (labels[i].id != static_cast<Id>(i) || labels[i].en.empty() || labels[i].zh.empty()) return false;
    return true;
}

/// `text` with `{1}`, `{2}`, ... replaced by `args` in order (each placeholder once).
std::string fillPlaceholders(std::string text, std::initializer_list<std::string> args);

/// A document's labels in one language.
template <class Id, std::size_t N> class Labels {
public:
    Labels(const LabelText<Id> (&labels)[N], bool chinese) : m_labels(labels), m_chinese(chinese) {}
    bool chinese() const { return m_chinese; }
    std::string operator()(Id id, std::initializer_list<std::string> args = {}) const {
        const auto& entry = m_labels[static_cast<std::size_t>(id)];
        return fillPlaceholders(std::string(m_chinese ? entry.zh : entry.en), args);
    }

private:
    const LabelText<Id> (&m_labels)[N];
    bool m_chinese;
};

/// A font, and whether bold is drawn by stroking its outline (no bold cut, as for zh-CN).
struct Face {
    HPDF_Font font = nullptr;
    bool fakeBold = false;
};

/// A run of text drawn with one font.
struct TextRun {
    std::string text;
    HPDF_Font font;
};

/// US Letter pages of one document with a cursor running down the current page, and text measured
/// with a CJK fallback: characters the Latin face lacks are drawn with `cjk`. Blocks call ensure()
/// with their height first, so a block never splits across a page break. What is drawn, and in which
/// colours, is the document's own (a subclass).
class PageCursor {
public:
    static constexpr float kTop = 750, kBottom = 62; ///< content stays between; a footer sits below kBottom

    PageCursor(HPDF_Doc doc, Face regular, Face bold, HPDF_Font cjk)
        : m_doc(doc), m_regular(regular), m_bold(bold), m_cjk(cjk) {}

    const Face& regular() const { return m_regular; }
    const Face& bold() const { return m_bold; }
    const std::vector<HPDF_Page>& all() const { return m_pages; }
    HPDF_Page page() const { return m_pages.back(); }

    float y = kTop;

    void add();
    /// Starts a new page unless `height` fits above the bottom margin. True when it broke the page.
    bool ensure(float height);

    float width(std::string_view s, const Face& face, float size) const;
    /// The largest size up to `size` (and not below 5 pt) at which `s` fits in `maxWidth`.
    float fit(std::string_view s, const Face& face, float size, float maxWidth) const;

protected:
    static float width(const TextRun& run, float size);
    /// Splits `s` into runs for the face's font and, for CJK characters, the CJK font (when there is one).
    std::vector<TextRun> runs(std::string_view s, const Face& face) const;

private:
    HPDF_Doc m_doc;
    Face m_regular, m_bold;
    HPDF_Font m_cjk; ///< null when nothing needs it
    std::vector<HPDF_Page> m_pages;
};

} // namespace showroom::devices::pdf::detail
