#include "haru_text.hpp"

#include <algorithm>
#include <fstream>

namespace showroom::devices::pdf::detail {

char32_t Utf8Reader::next() {
    const auto b = static_cast<unsigned char>(s[at]);
    const int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (len == 0 || at + static_cast<std::size_t>(len) > s.size()) {
        ++at;
        return 0xFFFD;
    }
    char32_t cp = len == 1 ? b : b & (0x7F >> len);
    for (int i = 1; i < len; ++i) {
        const auto c = static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)]);
        if ((c >> 6) != 2) {
            ++at;
            return 0xFFFD;
        }
        cp = (cp << 6) | (c & 0x3F);
    }
    at += static_cast<std::size_t>(len);
    return cp;
}

void appendUtf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

char32_t printable(char32_t cp) {
    if (cp < 0x20 || cp == 0x7F) return ' ';
    if (cp > 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0xFFFD;
    return cp;
}

bool isCjk(char32_t cp) {
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFFEF);
}

bool hasCjk(std::string_view s) {
    for (Utf8Reader r{s}; !r.done();)
        if (isCjk(r.next())) return true;
    return false;
}

core::Result<HPDF_Font> loadFont(HaruDocument& pdf, const std::string& path, bool collection) {
    // libharu would report a missing file too, but only as a number.
    if (!std::ifstream(path, std::ios::binary))
        return core::fail(core::ErrorCode::InvalidInput, "cannot read the font " + path);
    const char* name = collection ? HPDF_LoadTTFontFromFile2(pdf.get(), path.c_str(), 0, HPDF_TRUE)
                                  : HPDF_LoadTTFontFromFile(pdf.get(), path.c_str(), HPDF_TRUE);
    HPDF_Font font = name && !pdf.failed() ? HPDF_GetFont(pdf.get(), name, "UTF-8") : nullptr;
    if (!font || pdf.failed()) return pdf.error(core::ErrorCode::InvalidInput, "cannot load the font " + path);
    return font;
}

std::string fillPlaceholders(std::string text, std::initializer_list<std::string> args) {
    std::size_t n = 1;
    for (const auto& arg : args) {
        const std::string key = "{" + std::to_string(n++) + "}";
        if (auto at = text.find(key); at != std::string::npos) text.replace(at, key.size(), arg);
    }
    return text;
}

void PageCursor::add() {
    HPDF_Page page = HPDF_AddPage(m_doc);
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_LETTER, HPDF_PAGE_PORTRAIT);
    m_pages.push_back(page);
    y = kTop;
}

bool PageCursor::ensure(float height) {
    if (y - height >= kBottom) return false;
    add();
    return true;
}

float PageCursor::width(std::string_view s, const Face& face, float size) const {
    float w = 0;
    for (const auto& run : runs(s, face))
        w += width(run, size);
    return w;
}

float PageCursor::fit(std::string_view s, const Face& face, float size, float maxWidth) const {
    const float w = width(s, face, size);
    return w <= maxWidth ? size : std::max(5.0f, size * maxWidth / w);
}

float PageCursor::width(const TextRun& run, float size) {
    const auto* bytes = reinterpret_cast<const HPDF_BYTE*>(run.text.data());
    return HPDF_Font_TextWidth(run.font, bytes, static_cast<HPDF_UINT>(run.text.size())).width * size / 1000.0f;
}

std::vector<TextRun> PageCursor::runs(std::string_view s, const Face& face) const {
    std::vector<TextRun> out;
    for (Utf8Reader r{s}; !r.done();) {
        const char32_t cp = printable(r.next());
        HPDF_Font font = m_cjk && isCjk(cp) ? m_cjk : face.font;
        if (out.empty() || out.back().font != font) out.push_back({"", font});
        appendUtf8(out.back().text, cp);
    }
    return out;
}

} // namespace showroom::devices::pdf::detail
