// Bitmaps, PNG in and out, and the text rasteriser (stb_truetype).
//
// No STB_*_IMPLEMENTATION macro here: Debian's libstb (linked through pkg-config `stb`) already
// carries the compiled stb_image, stb_image_write and stb_truetype, and the kiosk defines its own
// stb_image_write implementation in kiosk/src/viewmodels/signature.cpp; a second copy in this static
// library would collide with it when the kiosk links both.
#include "showroom/devices/print/bitmap.hpp"

#include "text_codec.hpp"

#include <stb/stb_image.h>
#include <stb/stb_image_write.h>
#include <stb/stb_truetype.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>

namespace showroom::devices::print {

namespace {

using text::appendUtf8;
using text::kPc437;
using text::kPc858;
using text::kReplacement;
using text::nextCodePoint;
using text::sanitizeUtf8;

constexpr int kMaxPixelHeight = 2048; // bounds a rendered line's memory whatever the caller asks


std::vector<char32_t> decode(std::string_view s) {
    std::vector<char32_t> out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();)
        out.push_back(nextCodePoint(s, i));
    return out;
}

struct Font {
    std::string path;
    std::vector<unsigned char> data; // never resized after load: `info` points into it
    stbtt_fontinfo info{};
    float ascentUnits = 0, descentUnits = 0;

    int glyph(char32_t cp) const { return stbtt_FindGlyphIndex(&info, static_cast<int>(cp)); }
};

core::Result<std::shared_ptr<const Font>> loadFont(const std::string& path) {
    // Fonts are several megabytes (uming.ttc is 20 MB): each file is read once per process and kept.
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const Font>> cache;
    {
        std::lock_guard lock(mutex);
        if (auto it = cache.find(path); it != cache.end()) return it->second;
    }
    auto font = std::make_shared<Font>();
    font->path = path;
    {
        std::ifstream in(path, std::ios::binary);
        if (!in) return core::fail(core::ErrorCode::InvalidInput, "cannot read the font file " + path);
        font->data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    // A TrueType collection (.ttc) holds several faces; the first is used. A plain .ttf answers 0.
    const int offset = stbtt_GetFontOffsetForIndex(font->data.data(), 0);
    if (font->data.size() < 12 || offset < 0 || !stbtt_InitFont(&font->info, font->data.data(), offset))
        return core::fail(core::ErrorCode::InvalidInput, "the font file " + path + " is not a TrueType font");
    int ascent = 0, descent = 0, gap = 0;
    stbtt_GetFontVMetrics(&font->info, &ascent, &descent, &gap);
    font->ascentUnits = static_cast<float>(ascent);
    font->descentUnits = static_cast<float>(descent);
    std::lock_guard lock(mutex);
    // Another thread may have loaded it meanwhile; keep the first so every rasteriser shares one copy.
    auto [it, inserted] = cache.emplace(path, std::move(font));
    return std::shared_ptr<const Font>(it->second);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// PNG

core::Result<std::string> encodePng(const Bitmap& bitmap) {
    if (bitmap.empty() || bitmap.dots.size() != static_cast<std::size_t>(bitmap.width) * bitmap.height)
        return core::fail(core::ErrorCode::Internal, "cannot encode an empty or malformed " +
                                                         std::to_string(bitmap.width) + "x" +
                                                         std::to_string(bitmap.height) + " bitmap as PNG");
    std::vector<unsigned char> gray(bitmap.dots.size());
    std::transform(bitmap.dots.begin(), bitmap.dots.end(), gray.begin(),
                   [](std::uint8_t d) { return static_cast<unsigned char>(d ? 0 : 255); });
    std::string out;
    const int ok = stbi_write_png_to_func(
        [](void* context, void* data, int size) {
            static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
        },
        &out, bitmap.width, bitmap.height, 1, gray.data(), bitmap.width);
    if (!ok || out.empty()) return core::fail(core::ErrorCode::Internal, "the PNG encoder failed");
    return out;
}

core::Result<Bitmap> loadBitmap(const std::string& path, int maxWidth) {
    int w = 0, h = 0, channels = 0;
    stbi_uc* pixels = stbi_load(path.c_str(), &w, &h, &channels, 2); // gray + alpha
    if (!pixels || w < 1 || h < 1) {
        if (pixels) stbi_image_free(pixels);
        return core::fail(core::ErrorCode::InvalidInput, "cannot read the image " + path);
    }
    Bitmap full(w, h);
    for (std::size_t i = 0; i < full.dots.size(); ++i)
        full.dots[i] = (pixels[2 * i] < 128 && pixels[2 * i + 1] >= 128) ? 1 : 0;
    stbi_image_free(pixels);
    if (maxWidth <= 0 || w <= maxWidth) return full;

    // Scaled down by area: a dot is black when at least half of the source pixels it covers are.
    const int outW = maxWidth;
    const int outH = std::max(1, static_cast<int>(std::lround(static_cast<double>(h) * outW / w)));
    Bitmap out(outW, outH);
    for (int y = 0; y < outH; ++y) {
        const int sy0 = static_cast<int>(static_cast<long long>(y) * h / outH);
        const int sy1 = std::max(sy0 + 1, static_cast<int>(static_cast<long long>(y + 1) * h / outH));
        for (int x = 0; x < outW; ++x) {
            const int sx0 = static_cast<int>(static_cast<long long>(x) * w / outW);
            const int sx1 = std::max(sx0 + 1, static_cast<int>(static_cast<long long>(x + 1) * w / outW));
            int black = 0;
            for (int sy = sy0; sy < sy1; ++sy)
                for (int sx = sx0; sx < sx1; ++sx)
                    black += full.at(sx, sy);
            if (2 * black >= (sy1 - sy0) * (sx1 - sx0)) out.set(x, y);
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// TextRasterizer

struct TextRasterizer::Impl {
    std::shared_ptr<const Font> latin, latinBold, cjk;

    struct Placed {
        const Font* font = nullptr; // nullptr: no font has it (an empty box is drawn)
        int glyph = 0;
        float scale = 0;
        float x = 0, advance = 0;
        bool synthBold = false; // no bold face for it: drawn twice, one dot apart
    };

    // Glyph fallback: the Latin face (bold when asked and available), then the CJK face.
    std::vector<Placed> layout(std::string_view utf8, int pixelHeight, bool bold) const {
        const Font* primary = bold && latinBold ? latinBold.get() : latin.get();
        std::vector<Placed> out;
        float x = 0;
        for (char32_t cp : decode(utf8)) {
            if (cp == '\t') cp = ' ';
            if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) continue; // controls take no room
            Placed p;
            for (const Font* f : {primary, latin.get(), cjk.get()}) {
                if (!f) continue;
                if (const int g = f->glyph(cp)) {
                    p.font = f;
                    p.glyph = g;
                    break;
                }
            }
            if (p.font) {
                p.scale = stbtt_ScaleForPixelHeight(&p.font->info, static_cast<float>(pixelHeight));
                int adv = 0, lsb = 0;
                stbtt_GetGlyphHMetrics(&p.font->info, p.glyph, &adv, &lsb);
                p.advance = static_cast<float>(adv) * p.scale;
                p.synthBold = bold && p.font != latinBold.get();
                if (p.synthBold) p.advance += 1;
            } else {
                p.advance = static_cast<float>(pixelHeight) / 2;
            }
            p.x = x;
            x += p.advance;
            out.push_back(p);
        }
        return out;
    }

    // The baseline every face shares: the Latin face's ascent (or the CJK face's when alone).
    int baseline(int pixelHeight) const {
        const Font* f = latin ? latin.get() : cjk.get();
        if (!f) return pixelHeight;
        const float scale = stbtt_ScaleForPixelHeight(&f->info, static_cast<float>(pixelHeight));
        return static_cast<int>(std::lround(f->ascentUnits * scale));
    }
};

core::Result<TextRasterizer> TextRasterizer::open(const Fonts& fonts) {
    auto impl = std::make_shared<Impl>();
    const std::pair<const std::string*, std::shared_ptr<const Font>*> slots[] = {
        {&fonts.latin, &impl->latin}, {&fonts.latinBold, &impl->latinBold}, {&fonts.cjk, &impl->cjk}};
    for (auto [path, slot] : slots) {
        if (path->empty()) continue; // that face is not wanted
        auto font = loadFont(*path);
        if (!font) return font.error();
        *slot = std::move(font.value());
    }
    if (!impl->latin && !impl->latinBold && !impl->cjk)
        return core::fail(core::ErrorCode::InvalidInput, "no font file given to the text rasteriser");
    if (!impl->latin) impl->latin = impl->latinBold ? impl->latinBold : impl->cjk;
    return TextRasterizer(std::move(impl));
}

int TextRasterizer::measure(std::string_view utf8, int pixelHeight, bool bold) const {
    if (pixelHeight <= 0) return 0;
    pixelHeight = std::min(pixelHeight, kMaxPixelHeight);
    const auto placed = m_impl->layout(utf8, pixelHeight, bold);
    if (placed.empty()) return 0;
    return static_cast<int>(std::ceil(placed.back().x + placed.back().advance));
}

Bitmap TextRasterizer::render(std::string_view utf8, int pixelHeight, bool bold, int maxWidth) const {
    if (pixelHeight <= 0) return {};
    pixelHeight = std::min(pixelHeight, kMaxPixelHeight);
    const auto placed = m_impl->layout(utf8, pixelHeight, bold);
    int width = placed.empty() ? 0 : static_cast<int>(std::ceil(placed.back().x + placed.back().advance));
    if (maxWidth > 0) width = std::min(width, maxWidth);
    Bitmap out(width, pixelHeight);
    if (width == 0) return out;
    const int base = m_impl->baseline(pixelHeight);
    std::vector<unsigned char> coverage;
    for (const auto& p : placed) {
        if (p.x >= static_cast<float>(width)) break;
        const int left = static_cast<int>(std::floor(p.x));
        if (!p.font) {
            // No face has it: an empty box, like the printers' own missing-glyph mark.
            const int bw = std::max(2, static_cast<int>(p.advance) - 2), top = pixelHeight / 5,
                      bottom = std::max(top + 1, base - 1);
            for (int x = left + 1; x < left + 1 + bw; ++x)
                for (int y = top; y <= bottom; ++y) {
                    const bool edge = x == left + 1 || x == left + bw || y == top || y == bottom;
                    if (edge && x >= 0 && x < width && y >= 0 && y < pixelHeight) out.set(x, y);
                }
            continue;
        }
        const float shift = p.x - static_cast<float>(left);
        int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        stbtt_GetGlyphBitmapBoxSubpixel(&p.font->info, p.glyph, p.scale, p.scale, shift, 0, &x0, &y0, &x1, &y1);
        const int gw = x1 - x0, gh = y1 - y0;
        if (gw <= 0 || gh <= 0 || gw > 4 * kMaxPixelHeight || gh > 4 * kMaxPixelHeight) continue;
        coverage.assign(static_cast<std::size_t>(gw) * gh, 0);
        stbtt_MakeGlyphBitmapSubpixel(&p.font->info, coverage.data(), gw, gh, gw, p.scale, p.scale, shift, 0, p.glyph);
        for (int gy = 0; gy < gh; ++gy) {
            const int y = base + y0 + gy;
            if (y < 0 || y >= pixelHeight) continue;
            for (int gx = 0; gx < gw; ++gx) {
                if (coverage[static_cast<std::size_t>(gy) * gw + gx] < 128) continue;
                for (int dx = 0; dx <= (p.synthBold ? 1 : 0); ++dx) {
                    const int x = left + x0 + gx + dx;
                    if (x >= 0 && x < width) out.set(x, y);
                }
            }
        }
    }
    return out;
}

bool TextRasterizer::covers(std::string_view utf8) const {
    for (char32_t cp : decode(utf8)) {
        bool found = false;
        for (const auto* f : {m_impl->latin.get(), m_impl->latinBold.get(), m_impl->cjk.get()})
            if (f && f->glyph(cp)) {
                found = true;
                break;
            }
        if (!found) return false;
    }
    return true;
}

} // namespace showroom::devices::print
