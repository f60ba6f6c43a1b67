// The ESC/POS encoder (Epson ESC/POS command reference) and the text encodings it picks from.
// Status queries and answers live in escpos_status.cpp.
#include "showroom/devices/print/escpos.hpp"

#include "text_codec.hpp"

#include <iconv.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>

namespace showroom::devices::escpos {

namespace {

using print::text::appendUtf8;
using print::text::kPc437;
using print::text::kPc858;
using print::text::kReplacement;
using print::text::nextCodePoint;
using print::text::sanitizeUtf8;

constexpr char kEsc = 0x1B, kGs = 0x1D, kFs = 0x1C, kLf = 0x0A;
constexpr int kDotsPerCellHeight = 24; // Font A is 12 x 24 dots
constexpr std::size_t kMaxBarcodeChars = 80;
constexpr std::size_t kMaxQrBytes = 700;
constexpr int kMaxBandRows = 256;
constexpr int kTearFeedLines = 4; // no cutter: bring the last line past the tear bar



int cellsOf(char32_t cp) {
    // East Asian Width W and F (Unicode UAX #11), gathered into the blocks that hold them.
    struct Range {
        char32_t first, last;
    };
    static constexpr Range kWide[] = {
        {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},   {0x23F0, 0x23F0},
        {0x23F3, 0x23F3},   {0x25FD, 0x25FE},   {0x2614, 0x2615},   {0x2648, 0x2653},   {0x267F, 0x267F},
        {0x2693, 0x2693},   {0x26A1, 0x26A1},   {0x26AA, 0x26AB},   {0x26BD, 0x26BE},   {0x26C4, 0x26C5},
        {0x26CE, 0x26CE},   {0x26D4, 0x26D4},   {0x26EA, 0x26EA},   {0x26F2, 0x26F3},   {0x26F5, 0x26F5},
        {0x26FA, 0x26FA},   {0x26FD, 0x26FD},   {0x2705, 0x2705},   {0x270A, 0x270B},   {0x2728, 0x2728},
        {0x274C, 0x274C},   {0x274E, 0x274E},   {0x2753, 0x2755},   {0x2757, 0x2757},   {0x2795, 0x2797},
        {0x27B0, 0x27B0},   {0x27BF, 0x27BF},   {0x2B1B, 0x2B1C},   {0x2B50, 0x2B50},   {0x2B55, 0x2B55},
        {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
        {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},
        {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x16FE0, 0x16FE4}, {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF},
        {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F251},
        {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF}, {0x1F7E0, 0x1F7EB}, {0x1F900, 0x1F9FF}, {0x1FA70, 0x1FAFF},
        {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
    };
    if (cp < 0x1100) return 1;
    const auto it = std::upper_bound(std::begin(kWide), std::end(kWide), cp,
                                     [](char32_t c, const Range& r) { return c < r.first; });
    return it != std::begin(kWide) && cp <= std::prev(it)->last ? 2 : 1;
}

bool isAscii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// iconv descriptors are not safe to share between threads and cost a few microseconds to open:
// one per thread, reset before each use.
class Gb18030Converter {
public:
    Gb18030Converter() : m_cd(iconv_open("GB18030", "UTF-8")) {}
    ~Gb18030Converter() {
        if (m_cd != reinterpret_cast<iconv_t>(-1)) iconv_close(m_cd);
    }
    Gb18030Converter(const Gb18030Converter&) = delete;
    Gb18030Converter& operator=(const Gb18030Converter&) = delete;

    std::optional<std::string> convert(std::string_view utf8) {
        if (m_cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
        iconv(m_cd, nullptr, nullptr, nullptr, nullptr);
        std::string out(utf8.size() * 2 + 8, '\0'); // GB18030 never takes more than twice the UTF-8
        char* in = const_cast<char*>(utf8.data());
        std::size_t inLeft = utf8.size();
        char* dst = out.data();
        std::size_t outLeft = out.size();
        if (iconv(m_cd, &in, &inLeft, &dst, &outLeft) == static_cast<std::size_t>(-1)) return std::nullopt;
        out.resize(out.size() - outLeft);
        return out;
    }

private:
    iconv_t m_cd;
};

char byteOf(int v) {
    return static_cast<char>(static_cast<unsigned char>(v));
}

} // namespace

core::Result<PrinterProfile> PrinterProfile::named(std::string_view name) {
    PrinterProfile p;
    p.name = std::string{name};
    std::string_view base = name;
    constexpr std::string_view kGb = "+gb18030";
    if (base.size() > kGb.size() && base.substr(base.size() - kGb.size()) == kGb) {
        p.chineseFont = true;
        base.remove_suffix(kGb.size());
    }
    if (base == "80mm")
        p.columns = 48, p.dotsPerLine = 576;
    else if (base == "80mm-42")
        p.columns = 42, p.dotsPerLine = 512;
    else if (base == "58mm")
        p.columns = 32, p.dotsPerLine = 384;
    else
        return core::fail(core::ErrorCode::InvalidInput,
                          "unknown printer profile \"" + std::string{name} +
                              "\" (expected 80mm, 80mm-42 or 58mm, optionally with +gb18030)");
    return p;
}

std::optional<std::string> toCodePage(std::string_view utf8, CodePage page) {
    const auto& table = page == CodePage::Pc858 ? kPc858 : kPc437;
    std::string out;
    out.reserve(utf8.size());
    for (std::size_t pos = 0; pos < utf8.size();) {
        bool bad = false;
        const char32_t cp = nextCodePoint(utf8, pos, bad);
        if (bad) return std::nullopt;
        if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
            continue;
        }
        const auto it = std::find(table.begin(), table.end(), cp);
        if (it == table.end()) return std::nullopt;
        out.push_back(byteOf(0x80 + static_cast<int>(it - table.begin())));
    }
    return out;
}

std::optional<std::string> toGb18030(std::string_view utf8) {
    thread_local Gb18030Converter converter;
    return converter.convert(utf8);
}

int displayWidth(std::string_view utf8) {
    int cells = 0;
    for (std::size_t pos = 0; pos < utf8.size();) {
        bool bad = false;
        cells += cellsOf(nextCodePoint(utf8, pos, bad));
    }
    return cells;
}

Encoder::Encoder(PrinterProfile profile, const print::TextRasterizer* raster)
    : m_profile(std::move(profile)), m_raster(raster) {}

Encoder& Encoder::initialize() {
    m_out += {kEsc, '@'};
    m_width = m_height = 1;
    m_bold = false;
    m_align = Align::Left;
    m_codePage = -1;
    // Printers sold with a Chinese font often power up in Kanji mode and ESC @ leaves it on; until
    // FS . has been sent, a code-page byte above 0x7F could be read as half of a GB18030 character.
    m_kanji = m_profile.chineseFont;
    return *this;
}

Encoder& Encoder::align(Align a) {
    m_align = a;
    m_out += {kEsc, 'a', static_cast<char>(a)};
    return *this;
}

Encoder& Encoder::bold(bool on) {
    m_bold = on;
    m_out += {kEsc, 'E', static_cast<char>(on ? 1 : 0)};
    return *this;
}

Encoder& Encoder::underline(int dots) {
    m_out += {kEsc, '-', static_cast<char>(std::clamp(dots, 0, 2))};
    return *this;
}

Encoder& Encoder::reverse(bool on) {
    m_out += {kGs, 'B', static_cast<char>(on ? 1 : 0)};
    return *this;
}

Encoder& Encoder::size(int width, int height) {
    m_width = std::clamp(width, 1, 8);
    m_height = std::clamp(height, 1, 8);
    m_out += {kGs, '!', static_cast<char>(((m_width - 1) << 4) | (m_height - 1))};
    return *this;
}

void Encoder::leaveKanji() {
    if (!m_kanji) return;
    m_out += {kFs, '.'};
    m_kanji = false;
}

void Encoder::selectCodePage(CodePage page) {
    leaveKanji();
    if (m_codePage == static_cast<int>(page)) return;
    m_out += {kEsc, 't', static_cast<char>(page)};
    m_codePage = static_cast<int>(page);
}

bool Encoder::needsRaster(std::string_view utf8) const {
    if (m_raster == nullptr || isAscii(utf8)) return false;
    if (toCodePage(utf8, CodePage::Pc437) || toCodePage(utf8, CodePage::Pc858)) return false;
    return !(m_profile.chineseFont && toGb18030(utf8));
}

Encoder& Encoder::text(std::string_view utf8) {
    if (utf8.empty()) return *this;
    if (isAscii(utf8)) {
        m_out += utf8; // the same bytes in every code page and in Kanji mode
        return *this;
    }
    // The page already selected first, so that a receipt mixing é and € lines switches once.
    const bool on858 = m_codePage == static_cast<int>(CodePage::Pc858);
    for (const CodePage page : {on858 ? CodePage::Pc858 : CodePage::Pc437, on858 ? CodePage::Pc437 : CodePage::Pc858}) {
        if (auto bytes = toCodePage(utf8, page)) {
            selectCodePage(page);
            m_out += *bytes;
            return *this;
        }
    }
    if (m_profile.chineseFont) {
        if (auto bytes = toGb18030(utf8)) {
            m_out += {kFs, '&'};
            m_out += *bytes;
            m_out += {kFs, '.'};
            m_kanji = false;
            return *this;
        }
    }
    if (m_raster != nullptr) {
        // Drawn at the height the printer's own font would have at this size; the picture stands on
        // a line of its own and is placed by ESC a like text.
        image(m_raster->render(utf8, kDotsPerCellHeight * m_height, m_bold, m_profile.dotsPerLine));
        return *this;
    }
    // No way to print some characters: keep what PC858 (the wider Latin page) can carry, '?' for the rest.
    selectCodePage(CodePage::Pc858);
    for (std::size_t pos = 0; pos < utf8.size();) {
        const std::size_t start = pos;
        bool bad = false;
        nextCodePoint(utf8, pos, bad);
        auto bytes = bad ? std::nullopt : toCodePage(utf8.substr(start, pos - start), CodePage::Pc858);
        m_out += bytes ? *bytes : std::string{"?"};
    }
    return *this;
}

Encoder& Encoder::line(std::string_view utf8) {
    if (needsRaster(utf8)) return text(utf8); // a raster image ends its own line
    text(utf8);
    m_out += kLf;
    return *this;
}

std::string_view Encoder::fitCells(std::string_view utf8, int cells) {
    int used = 0;
    std::size_t pos = 0;
    while (pos < utf8.size()) {
        std::size_t next = pos;
        bool bad = false;
        const int w = cellsOf(nextCodePoint(utf8, next, bad));
        if (used + w > cells) break;
        used += w;
        pos = next;
    }
    return utf8.substr(0, pos);
}

Encoder& Encoder::columns(std::string_view left, std::string_view right) {
    const int width = std::max(1, m_profile.columns / m_width);
    right = fitCells(right, width);
    const int rightCells = displayWidth(right);
    // At least one space between the two when there is a left part at all.
    const int room = std::max(0, width - rightCells - (right.empty() ? 0 : 1));
    left = fitCells(left, room);
    const int leftCells = displayWidth(left);
    const std::string joined = std::string{left} +
                               std::string(static_cast<std::size_t>(width - leftCells - rightCells), ' ') +
                               std::string{right};
    if (!needsRaster(joined)) return line(joined);

    // Spaces in a proportional font would not line the figures up: draw both parts into one
    // full-width picture, the right part flush right.
    const int height = kDotsPerCellHeight * m_height;
    const int dots = m_profile.dotsPerLine;
    const print::Bitmap r = m_raster->render(right, height, m_bold, dots);
    const int gap = right.empty() ? 0 : dots / m_profile.columns;
    const print::Bitmap l = m_raster->render(left, height, m_bold, std::max(1, dots - r.width - gap));
    print::Bitmap row(dots, std::max(l.height, r.height));
    auto blit = [&row](const print::Bitmap& b, int x0) {
        for (int y = 0; y < b.height && y < row.height; ++y)
            for (int x = 0; x < b.width; ++x)
                if (x0 + x >= 0 && x0 + x < row.width && b.at(x, y)) row.set(x0 + x, y);
    };
    blit(l, 0);
    blit(r, dots - r.width);
    return image(row);
}

Encoder& Encoder::rule(char c) {
    return line(std::string(static_cast<std::size_t>(std::max(1, m_profile.columns / m_width)), c));
}

Encoder& Encoder::feed(int lines) {
    m_out += {kEsc, 'd', byteOf(std::clamp(lines, 0, 255))};
    return *this;
}

void Encoder::record(std::string message) {
    if (m_error) m_error = core::fail(core::ErrorCode::InvalidInput, std::move(message));
}

Encoder& Encoder::barcode128(std::string_view data, int heightDots) {
    if (data.empty() || data.size() > kMaxBarcodeChars) {
        record("a Code 128 barcode holds 1 to " + std::to_string(kMaxBarcodeChars) + " characters, not " +
               std::to_string(data.size()));
        return *this;
    }
    std::string payload = "{B";
    for (const char c : data) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 32 || u > 126) {
            record("a Code 128 barcode (code set B) cannot carry byte " + std::to_string(u));
            return *this;
        }
        payload += c;
        if (c == '{') payload += c; // '{' starts a code set switch; a literal one is sent twice
    }
    m_out += {kGs, 'h', byteOf(std::clamp(heightDots, 1, 255))};
    m_out += {kGs, 'w', 2};
    m_out += {kGs, 'H', 2};
    m_out += {kGs, 'k', 73, byteOf(static_cast<int>(payload.size()))};
    m_out += payload;
    return *this;
}

Encoder& Encoder::qr(std::string_view data, int moduleDots) {
    if (data.empty() || data.size() > kMaxQrBytes) {
        record("a QR code holds 1 to " + std::to_string(kMaxQrBytes) + " bytes here, not " +
               std::to_string(data.size()));
        return *this;
    }
    const std::size_t storeLen = data.size() + 3;
    m_out += {kGs, '(', 'k', 4, 0, 49, 65, 50, 0};                                 // fn 165: model 2
    m_out += {kGs, '(', 'k', 3, 0, 49, 67, byteOf(std::clamp(moduleDots, 1, 16))}; // fn 167: module
    m_out += {kGs, '(', 'k', 3, 0, 49, 69, 49};                                    // fn 169: level M
    m_out += {kGs, '(', 'k', byteOf(static_cast<int>(storeLen & 0xFF)), byteOf(static_cast<int>(storeLen >> 8)),
              49,  80,  48}; // fn 180: store
    m_out += data;
    m_out += {kGs, '(', 'k', 3, 0, 49, 81, 48}; // fn 181: print
    return *this;
}

Encoder& Encoder::image(const print::Bitmap& bitmap) {
    if (bitmap.empty()) return *this;
    const int width = std::min(bitmap.width, m_profile.dotsPerLine);
    const int rowBytes = (width + 7) / 8;
    for (int top = 0; top < bitmap.height; top += kMaxBandRows) {
        const int rows = std::min(kMaxBandRows, bitmap.height - top);
        m_out +=
            {kGs, 'v', '0', 0, byteOf(rowBytes & 0xFF), byteOf(rowBytes >> 8), byteOf(rows & 0xFF), byteOf(rows >> 8)};
        const std::size_t start = m_out.size();
        m_out.resize(start + static_cast<std::size_t>(rowBytes) * rows, '\0');
        char* dst = m_out.data() + start;
        for (int y = top; y < top + rows; ++y) {
            const std::uint8_t* src = &bitmap.dots[static_cast<std::size_t>(y) * bitmap.width];
            for (int x = 0; x < width; ++x)
                if (src[x]) dst[x >> 3] = static_cast<char>(dst[x >> 3] | (0x80 >> (x & 7)));
            dst += rowBytes;
        }
    }
    return *this;
}

Encoder& Encoder::cut() {
    if (!m_profile.cutter) return feed(kTearFeedLines);
    m_out += {kGs, 'V', 66, 0};
    return *this;
}

Encoder& Encoder::kickDrawer(int pin) {
    m_out += {kEsc, 'p', static_cast<char>(pin == 1 ? 1 : 0), 25, byteOf(250)};
    return *this;
}

} // namespace showroom::devices::escpos
