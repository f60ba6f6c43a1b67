#pragma once
// A 1-bit picture for thermal printers and the virtual printer's renderer, and the text rasteriser
// that draws UTF-8 (Latin and CJK) into one.
//
// TextRasterizer loads TrueType fonts with stb_truetype (DejaVu Sans for Latin, AR PL UMing from
// fonts-arphic-uming for CJK; a glyph the first font lacks is taken from the second). The font files
// are read once per process and shared; a rasteriser is cheap to copy and safe to use from several
// threads at once (it holds only immutable font data).

#include "showroom/core/result.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace showroom::devices::print {

/// Row-major, one byte per pixel: 1 = black (a dot burnt), 0 = white.
struct Bitmap {
    int width = 0, height = 0;
    std::vector<std::uint8_t> dots;

    Bitmap() = default;
    Bitmap(int w, int h) : width(w), height(h), dots(static_cast<std::size_t>(w) * h, 0) {}
    bool empty() const { return width == 0 || height == 0; }
    std::uint8_t at(int x, int y) const { return dots[static_cast<std::size_t>(y) * width + x]; }
    void set(int x, int y, std::uint8_t v = 1) { dots[static_cast<std::size_t>(y) * width + x] = v; }
};

/// The picture as a grayscale PNG (black dots on white). Pure; Internal only if the encoder fails.
core::Result<std::string> encodePng(const Bitmap& bitmap);
/// Reads a PNG (or JPEG) file and thresholds it to dots (luminance < 128 and alpha >= 128 is black),
/// scaled down to at most `maxWidth` dots wide. InvalidInput names a file that cannot be read.
core::Result<Bitmap> loadBitmap(const std::string& path, int maxWidth);

class TextRasterizer {
public:
    struct Fonts {
        std::string latin = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
        std::string latinBold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
        std::string cjk = "/usr/share/fonts/truetype/arphic/uming.ttc";   ///< collection, index 0
    };
    /// Loads (or reuses) the fonts. InvalidInput names a font file that is missing or unreadable.
    static core::Result<TextRasterizer> open(const Fonts& fonts);
    static core::Result<TextRasterizer> open() { return open(Fonts{}); }

    /// One line of UTF-8 drawn `pixelHeight` dots tall, cut at `maxWidth` dots (0: no limit).
    /// Bytes that are not UTF-8 draw as U+FFFD; a code point no font has draws as an empty box.
    Bitmap render(std::string_view utf8, int pixelHeight, bool bold = false, int maxWidth = 0) const;
    /// How wide render() would make it.
    int measure(std::string_view utf8, int pixelHeight, bool bold = false) const;
    /// True when one of the fonts has a glyph for every code point of `utf8`.
    bool covers(std::string_view utf8) const;

    struct Impl;

private:
    explicit TextRasterizer(std::shared_ptr<const Impl> impl) : m_impl(std::move(impl)) {}
    std::shared_ptr<const Impl> m_impl;
};

} // namespace showroom::devices::print
