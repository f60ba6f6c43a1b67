// The virtual ESC/POS printer: an interpreter that draws what a thermal printer would burn, a TCP
// server on 127.0.0.1 that behaves (and fails) like a network printer, and an in-process port.
//
// Command lengths follow the Epson ESC/POS reference. Anything the interpreter does not know is
// skipped by its defined length, or by two bytes (ESC x, GS x, FS x) when it has none, so no input
// can make it loop or read past its buffer. Memory is bounded: a receipt's paper stops growing at
// kMaxPaperDots (20000 dots, about 2.5 m of paper; later lines still reach `text`, up to 1 MiB),
// raster images over kMaxRasterBytes are skipped unread, and a command waiting for its data never
// buffers more than its own declared, capped length.
#include "showroom/devices/print/virtual_printer.hpp"

#include "../unique_fd.hpp"
#include "text_codec.hpp"

#include <arpa/inet.h>
#include <iconv.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ZXing/BarcodeFormat.h>
#include <ZXing/BitMatrix.h>
#include <ZXing/MultiFormatWriter.h>
#include <qrencode.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

namespace showroom::devices::print {

namespace {

using text::appendUtf8;
using text::kPc437;
using text::kPc858;
using text::kReplacement;
using text::nextCodePoint;
using text::sanitizeUtf8;

constexpr int kMaxPaperDots = 20000;
constexpr std::size_t kMaxTextBytes = 1U << 20;
constexpr std::size_t kMaxRawBytes = 8U << 20;
constexpr std::size_t kMaxRasterBytes = 4U << 20;
constexpr int kCellWidth = 12, kCellHeight = 24; // Font A
constexpr int kDefaultLineSpacing = 30;          // ESC 2: 1/6 inch at 180 dpi

constexpr std::uint8_t kLf = 0x0A, kHt = 0x09, kEsc = 0x1B, kGs = 0x1D, kFs = 0x1C, kDle = 0x10;




// East Asian wide and fullwidth characters take two cells on the printer, as in escpos::displayWidth.
bool isWide(char32_t cp) {
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) || (cp >= 0x3041 && cp <= 0x33FF) ||
           (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

// One iconv handle (GB18030 -> UTF-32LE) per interpreter: iconv_t is not safe to share across threads.
class Gb18030Decoder {
public:
    Gb18030Decoder() : m_cd(iconv_open("UTF-32LE", "GB18030")) {}
    ~Gb18030Decoder() {
        if (m_cd != invalid()) iconv_close(m_cd);
    }
    Gb18030Decoder(const Gb18030Decoder&) = delete;
    Gb18030Decoder& operator=(const Gb18030Decoder&) = delete;

    /// One complete two- or four-byte sequence; U+FFFD when it maps to nothing.
    char32_t decode(std::string_view seq) {
        if (m_cd == invalid()) return kReplacement;
        iconv(m_cd, nullptr, nullptr, nullptr, nullptr);
        char in[4];
        std::memcpy(in, seq.data(), std::min<std::size_t>(seq.size(), 4));
        unsigned char out[8] = {};
        char* ip = in;
        char* op = reinterpret_cast<char*>(out);
        std::size_t il = std::min<std::size_t>(seq.size(), 4), ol = sizeof out;
        if (iconv(m_cd, &ip, &il, &op, &ol) == static_cast<std::size_t>(-1) || sizeof out - ol != 4)
            return kReplacement;
        return static_cast<char32_t>(out[0]) | (static_cast<char32_t>(out[1]) << 8) |
               (static_cast<char32_t>(out[2]) << 16) | (static_cast<char32_t>(out[3]) << 24);
    }

private:
    static iconv_t invalid() { return reinterpret_cast<iconv_t>(-1); }
    iconv_t m_cd;
};

std::uint8_t u8(std::string_view b, std::size_t i) {
    return static_cast<std::uint8_t>(b[i]);
}

// The interpreter, fed in chunks as bytes arrive: a command cut between two chunks waits in m_buf.
class Interpreter {
public:
    struct Finished {
        RenderedReceipt receipt;
        std::string raw; ///< the bytes that made it (for receipt-NNN.bin)
    };

    Interpreter(const escpos::PrinterProfile& profile, const TextRasterizer* raster)
        : m_width(std::clamp(profile.dotsPerLine, 8, 4096)), m_raster(raster) {
        startReceipt();
    }

    /// false: commands are parsed (status queries still seen) but nothing prints and no mode changes.
    void setPrinting(bool on) { m_printing = on; }

    void feed(std::string_view bytes) {
        m_buf.append(bytes.data(), bytes.size());
        std::size_t pos = 0;
        while (pos < m_buf.size()) {
            std::size_t used = 0;
            if (m_skip > 0) {
                used = static_cast<std::size_t>(std::min<std::uint64_t>(m_skip, m_buf.size() - pos));
                m_skip -= used;
            } else {
                used = step(std::string_view(m_buf).substr(pos));
                if (used == 0) break; // the command's bytes are not all here yet
            }
            if (m_printing && m_raw.size() < kMaxRawBytes) m_raw.append(m_buf, pos, used);
            pos += used;
            if (m_cutDone) { // after the raw append, so the cut's own bytes belong to its receipt
                m_cutDone = false;
                endReceipt(true);
            }
        }
        m_buf.erase(0, pos);
    }

    /// The stream ended (connection closed): the pending line prints, the receipt is handed out uncut.
    void finish() {
        m_buf.clear();
        m_skip = 0;
        if (!m_line.empty()) printLine(1);
        endReceipt(false);
    }

    /// The paper ran out: the line not yet printed is lost; what is on paper is handed out uncut.
    void abandon() {
        m_buf.clear();
        m_skip = 0;
        m_line.clear();
        m_lineDots = 0;
        endReceipt(false);
    }

    std::vector<Finished> takeFinished() { return std::exchange(m_finished, {}); }
    std::vector<int> takeStatusQueries() { return std::exchange(m_queries, {}); }

private:
    struct Cell {
        char32_t cp;
        int cells, w, h;
        bool bold;
        int underline;
        bool reverse;   ///< GS B: white on black
    };

    // --- one command -------------------------------------------------------------------------

    // Consumes one command or character at the start of `b`; 0 when more bytes are needed.
    std::size_t step(std::string_view b) {
        const std::uint8_t c = u8(b, 0);
        switch (c) {
        case kEsc: return escape(b);
        case kGs: return group(b);
        case kFs: return fileSeparator(b);
        case kDle: return dataLinkEscape(b);
        case kLf:
            if (m_printing) printLine(1);
            return 1;
        case kHt:
            if (m_printing) do
                    addChar(' ');
                while (!m_line.empty() && m_lineDots % (8 * kCellWidth) != 0 && m_lineDots < m_width);
            return 1;
        default: break;
        }
        if (c < 0x20 || c == 0x7F) return 1; // CR, FF, CAN and the rest: nothing in standard mode
        if (m_kanji && c >= 0x80) return gb18030(b);
        if (m_printing) {
            char32_t cp = c;
            if (c >= 0x80) {
                if (m_codePage == 0)
                    cp = kPc437[c - 0x80];
                else if (m_codePage == 19)
                    cp = kPc858[c - 0x80];
                else
                    cp = '?'; // a code page this twin does not have
            }
            addChar(cp);
        }
        return 1;
    }

    std::size_t gb18030(std::string_view b) {
        const std::uint8_t lead = u8(b, 0);
        if (lead == 0x80 || lead == 0xFF) return textChar(kReplacement, 1);
        if (b.size() < 2) return 0;
        const std::uint8_t second = u8(b, 1);
        if (second >= 0x30 && second <= 0x39) {
            if (b.size() < 4) return 0;
            const std::uint8_t third = u8(b, 2), fourth = u8(b, 3);
            if (third < 0x81 || third > 0xFE || fourth < 0x30 || fourth > 0x39) return textChar(kReplacement, 1);
            return textChar(m_printing ? m_gb.decode(b.substr(0, 4)) : kReplacement, 4);
        }
        if (second < 0x40 || second == 0x7F || second == 0xFF) return textChar(kReplacement, 1);
        return textChar(m_printing ? m_gb.decode(b.substr(0, 2)) : kReplacement, 2);
    }

    std::size_t textChar(char32_t cp, std::size_t used) {
        if (m_printing) addChar(cp);
        return used;
    }

    // ESC x ...
    std::size_t escape(std::string_view b) {
        if (b.size() < 2) return 0;
        const std::uint8_t x = u8(b, 1);
        auto need = [&](std::size_t n) { return b.size() >= n; };
        switch (x) {
        case '@':
            if (m_printing) resetModes();
            return 2;
        case '2':
            if (m_printing) m_lineSpacing = kDefaultLineSpacing;
            return 2;
        case 'i':
        case 'm':
            if (m_printing) cut();
            return 2;
        case '<':
        case 'L':
        case 'S':
        case 0x0C:
        case 'v': return 2;
        case 'E':
        case 'G':
        case '-':
        case 'a':
        case 'd':
        case 'J':
        case '3':
        case 't':
        case 'M':
        case 'R':
        case 'V':
        case '{':
        case ' ':
        case '!':
        case '%':
        case '?':
        case 'U':
        case 'K':
        case 'e':
        case 'r':
        case 'T':
        case '=':
        case 'j':
        case 'u':
            if (!need(3)) return 0;
            if (m_printing) escapeWithByte(x, u8(b, 2));
            return 3;
        case '$':
        case '\\':
        case 'c': return need(4) ? 4 : 0;
        case 'p':
            if (!need(5)) return 0;
            if (m_printing) {
                m_cur.drawerKicked = true;
                m_hasContent = true;
            }
            return 5;
        case 'W': return need(10) ? 10 : 0;
        case '*': {
            // Bit image: nL nH columns of 1 (8-dot modes) or 3 bytes (24-dot modes).
            if (!need(5)) return 0;
            const std::uint8_t mode = u8(b, 2);
            const std::size_t columns = u8(b, 3) + 256U * u8(b, 4);
            const std::size_t per = (mode == 32 || mode == 33) ? 3 : (mode <= 1 ? 1 : 0);
            return skipData(b, 5, columns * per);
        }
        case 'D': {
            // Tab positions, NUL-terminated, at most 32.
            for (std::size_t i = 2; i < std::min<std::size_t>(b.size(), 2 + 33); ++i)
                if (u8(b, i) == 0) return i + 1;
            return b.size() >= 2 + 33 ? 2 + 33 : 0;
        }
        case '&': return userCharacters(b);
        case '(': {
            if (!need(5)) return 0;
            return skipData(b, 5, u8(b, 3) + 256U * u8(b, 4));
        }
        default: return 2;
        }
    }

    void escapeWithByte(std::uint8_t x, std::uint8_t n) {
        switch (x) {
        case 'E':
        case 'G': m_bold = n & 1; break;
        case '-': m_underline = (n == 1 || n == '1') ? 1 : (n == 2 || n == '2') ? 2 : 0; break;
        case 'a':
            if (n <= 2)
                m_align = n;
            else if (n >= '0' && n <= '2')
                m_align = n - '0';
            break;
        case 'd': printLine(n); break;
        case 'J':
            if (!m_line.empty())
                printLine(1);
            else
                advance(n);
            break;
        case '3': m_lineSpacing = n; break;
        case 't': m_codePage = n; break;
        case '!':
            m_bold = n & 0x08;
            m_h = (n & 0x10) ? 2 : 1;
            m_w = (n & 0x20) ? 2 : 1;
            m_underline = (n & 0x80) ? 1 : 0;
            break;
        default: break; // fonts, rotation, character sets, panel buttons: no effect on this twin
        }
    }

    // ESC & y c1 c2 [x d1..d(y*x)] for each character c1..c2.
    std::size_t userCharacters(std::string_view b) {
        if (b.size() < 5) return 0;
        const std::size_t y = u8(b, 2), c1 = u8(b, 3), c2 = u8(b, 4);
        if (y == 0 || y > 3 || c1 > c2) return 5;
        std::size_t pos = 5;
        for (std::size_t ch = c1; ch <= c2; ++ch) {
            if (b.size() <= pos) return 0;
            pos += 1 + y * u8(b, pos);
        }
        return b.size() >= pos ? pos : 0;
    }

    // GS x ...
    std::size_t group(std::string_view b) {
        if (b.size() < 2) return 0;
        const std::uint8_t x = u8(b, 1);
        auto need = [&](std::size_t n) { return b.size() >= n; };
        switch (x) {
        case ':':
        case 'c': return 2;
        case '!':
        case 'B':
        case 'H':
        case 'h':
        case 'w':
        case 'f':
        case 'a':
        case 'r':
        case 'I':
        case 'b':
        case 'E':
        case 'T':
        case 'j':
        case '/':
            if (!need(3)) return 0;
            if (m_printing) groupWithByte(x, u8(b, 2));
            return 3;
        case 'L':
        case 'W':
        case 'P':
        case '$':
        case '\\': return need(4) ? 4 : 0;
        case '^': return need(5) ? 5 : 0;
        case 'V': {
            if (!need(3)) return 0;
            const std::uint8_t m = u8(b, 2);
            const bool withFeed = m == 65 || m == 66 || m == 97 || m == 98 || m == 103 || m == 104;
            if (withFeed && !need(4)) return 0;
            if (m_printing) {
                if (withFeed) advance(u8(b, 3));
                cut();
            }
            return withFeed ? 4 : 3;
        }
        case 'v': return raster(b);
        case 'k': return barcode(b);
        case '(': {
            if (!need(5)) return 0;
            const std::size_t len = u8(b, 3) + 256U * u8(b, 4);
            if (u8(b, 2) == 'k') {
                if (!need(5 + len)) return 0;
                if (m_printing) symbol(b.substr(5, len));
                return 5 + len;
            }
            return skipData(b, 5, len);
        }
        case '8': {
            // GS 8 L p1 p2 p3 p4 ...: a 32-bit length.
            if (!need(7)) return 0;
            const std::uint64_t len = u8(b, 3) | (std::uint64_t{u8(b, 4)} << 8) | (std::uint64_t{u8(b, 5)} << 16) |
                                      (std::uint64_t{u8(b, 6)} << 24);
            return skipData(b, 7, len);
        }
        case '*': {
            if (!need(4)) return 0;
            return skipData(b, 4, std::size_t{u8(b, 2)} * u8(b, 3) * 8);
        }
        case 'Q': {
            // GS Q 0 m xL xH yL yH: variable raster, x dots wide.
            if (!need(8)) return 0;
            const std::size_t xb = (u8(b, 4) + 256U * u8(b, 5) + 7) / 8, y = u8(b, 6) + 256U * u8(b, 7);
            return skipData(b, 8, xb * y);
        }
        case 'g': return need(6) ? 6 : 0;
        case 'z': return need(5) ? 5 : 0;
        default: return 2;
        }
    }

    void groupWithByte(std::uint8_t x, std::uint8_t n) {
        switch (x) {
        case '!':
            m_w = ((n >> 4) & 7) + 1;
            m_h = (n & 7) + 1;
            break;
        case 'H': m_hri = (n >= '0' && n <= '3') ? n - '0' : (n <= 3 ? n : m_hri); break;
        case 'h':
            if (n > 0) m_barHeight = n;
            break;
        case 'w':
            if (n >= 1 && n <= 6) m_barModule = n;
            break;
        case 'B': m_reverse = n & 1; break;
        default: break;
        }
    }

    // Data this twin does not draw: consumed, and skipped without buffering when it is large.
    std::size_t skipData(std::string_view b, std::size_t header, std::uint64_t len) {
        if (b.size() < header) return 0;
        if (len <= 65536 + 16) return b.size() >= header + len ? header + len : 0;
        m_skip = len;
        return header;
    }

    // DLE x: real-time commands. DLE EOT is answered by the server, not drawn.
    std::size_t dataLinkEscape(std::string_view b) {
        if (b.size() < 2) return 0;
        const std::uint8_t x = u8(b, 1);
        if (x == 0x04) {
            if (b.size() < 3) return 0;
            const std::uint8_t n = u8(b, 2);
            if (n == 7 || n == 8) return b.size() >= 4 ? 4 : 0;
            if (n >= 1 && n <= 4 && m_queries.size() < 4096) m_queries.push_back(n);
            return 3;
        }
        if (x == 0x05) return b.size() >= 3 ? 3 : 0;
        if (x == 0x14) return b.size() >= 5 ? 5 : 0;
        return 1;
    }

    // FS x ...: the Chinese (kanji) mode commands.
    std::size_t fileSeparator(std::string_view b) {
        if (b.size() < 2) return 0;
        switch (u8(b, 1)) {
        case '&':
            if (m_printing) m_kanji = true;
            return 2;
        case '.':
            if (m_printing) m_kanji = false;
            return 2;
        case '!':
        case '-':
        case 'C':
        case 'W':
        case '?': return b.size() >= 3 ? 3 : 0;
        case 'S':
        case 'p': return b.size() >= 4 ? 4 : 0;
        case '2': return b.size() >= 4 + 72 ? 4 + 72 : 0;
        case '(': return b.size() >= 5 ? skipData(b, 5, u8(b, 3) + 256U * u8(b, 4)) : 0;
        default: return 2;
        }
    }

    // GS v 0 m xL xH yL yH d1..dk: a raster image, xL+xH*256 bytes a row (MSB left), yL+yH*256 rows.
    std::size_t raster(std::string_view b) {
        if (b.size() < 3) return 0;
        if (u8(b, 2) != '0' && u8(b, 2) != 0) return 3;
        if (b.size() < 8) return 0;
        const std::uint8_t mode = u8(b, 3);
        const std::size_t xBytes = u8(b, 4) + 256U * u8(b, 5), rows = u8(b, 6) + 256U * u8(b, 7);
        const std::size_t len = xBytes * rows;
        if (len > kMaxRasterBytes) {
            m_skip = len;
            return 8;
        }
        if (b.size() < 8 + len) return 0;
        if (m_printing && len > 0) drawRaster(b.substr(8, len), static_cast<int>(xBytes), static_cast<int>(rows), mode);
        return 8 + len;
    }

    // GS k m ...: m 0..6 NUL-terminated data, m 65..79 a length byte. Only Code 128 (73) is drawn.
    std::size_t barcode(std::string_view b) {
        if (b.size() < 3) return 0;
        const std::uint8_t m = u8(b, 2);
        if (m <= 6) {
            for (std::size_t i = 3; i < std::min<std::size_t>(b.size(), 3 + 256); ++i)
                if (u8(b, i) == 0) return i + 1;
            return b.size() >= 3 + 256 ? 3 + 256 : 0;
        }
        if (b.size() < 4) return 0;
        const std::size_t n = u8(b, 3);
        if (b.size() < 4 + n) return 0;
        if (m_printing && m == 73) drawCode128(b.substr(4, n));
        return 4 + n;
    }

    // GS ( k: cn 49 is QR code; the rest (PDF417, MaxiCode...) is skipped.
    void symbol(std::string_view body) {
        if (body.size() < 2 || u8(body, 0) != 49) return;
        const std::uint8_t fn = u8(body, 1);
        if (fn == 67 && body.size() >= 3 && u8(body, 2) >= 1 && u8(body, 2) <= 16)
            m_qrModule = u8(body, 2);
        else if (fn == 69 && body.size() >= 3 && u8(body, 2) >= 48 && u8(body, 2) <= 51)
            m_qrLevel = u8(body, 2) - 48;   // 48 L, 49 M, 50 Q, 51 H
        else if (fn == 80 && body.size() >= 3)
            m_qrData = std::string(body.substr(3));
        else if (fn == 81 && !m_qrData.empty())
            drawQr();
    }

    // --- modes and the line ---------------------------------------------------------------------

    void resetModes() {
        m_bold = false;
        m_reverse = false;
        m_underline = 0;
        m_w = m_h = 1;
        m_align = 0;
        m_codePage = 0;
        m_kanji = false;
        m_lineSpacing = kDefaultLineSpacing;
        m_line.clear(); // ESC @ clears the print buffer
        m_lineDots = 0;
    }

    void addChar(char32_t cp) {
        const int cells = isWide(cp) ? 2 : 1;
        const int cw = kCellWidth * cells * m_w;
        // A line longer than the paper wraps, as the printer's own line buffer does.
        if (!m_line.empty() && m_lineDots + cw > m_width) printLine(1);
        if (m_line.empty()) m_lineAlign = m_align; // ESC a counts at the start of a line only
        m_line.push_back({cp, cells, m_w, m_h, m_bold, m_underline, m_reverse});
        m_lineDots += cw;
    }

    int alignedX(int contentWidth, int align) const {
        if (contentWidth >= m_width) return 0;
        if (align == 1) return (m_width - contentWidth) / 2;
        if (align == 2) return m_width - contentWidth;
        return 0;
    }

    // Prints the pending line and feeds `feedLines` lines (an empty buffer only feeds).
    void printLine(int feedLines) {
        if (m_line.empty()) {
            for (int i = 0; i < feedLines; ++i)
                appendText("\n");
            advance(feedLines * m_lineSpacing);
            return;
        }
        std::string utf8;
        int maxH = kCellHeight;
        for (const auto& c : m_line) {
            appendUtf8(utf8, c.cp);
            maxH = std::max(maxH, kCellHeight * c.h);
        }
        appendText(utf8);
        for (int i = 0; i < std::max(1, feedLines); ++i)
            appendText("\n");

        const int top = m_y;
        int x = alignedX(m_lineDots, m_lineAlign);
        for (const auto& c : m_line) {
            const int cellW = kCellWidth * c.cells * c.w;
            // The printer's font is one size; double width and height double each dot, as its
            // font ROM does (a glyph drawn at twice the size would have strokes of the wrong weight).
            const Bitmap* g = glyph(c.cp, 1, c.bold);
            if (c.reverse)   // the whole cell burnt, the glyph left white
                for (int ry = top; ry < top + maxH; ++ry)
                    for (int rx = x; rx < x + cellW; ++rx)
                        dot(rx, ry);
            if (g && !g->empty()) {
                // Each character sits in its cell: stretched by the width multiplier, squeezed when
                // the font's glyph is wider than the cell.
                const int tw = std::min(g->width * c.w, cellW), th = g->height * c.h;
                const int ox = x + (cellW - tw) / 2, oy = top + maxH - th;
                // Squeezing keeps every stroke: a target column is black when any source column
                // it covers is (the thin bar of a '$' must not vanish).
                for (int ty = 0; ty < th; ++ty) {
                    const int gy = ty / c.h;
                    for (int tx = 0; tx < tw; ++tx) {
                        const int from = tx * g->width / tw;
                        const int to = std::max(from + 1, (tx + 1) * g->width / tw);
                        for (int sx = from; sx < to && sx < g->width; ++sx)
                            if (g->at(sx, gy)) {
                                if (c.reverse) undot(ox + tx, oy + ty);
                                else dot(ox + tx, oy + ty);
                                break;
                            }
                    }
                }
            }
            for (int u = 0; u < c.underline; ++u)
                for (int ux = x; ux < x + cellW; ++ux)
                    dot(ux, top + maxH + 1 + u);
            x += cellW;
        }
        m_line.clear();
        m_lineDots = 0;
        const int lineAdvance = std::max(m_lineSpacing, maxH + std::max(0, m_lineSpacing - kCellHeight));
        advance(lineAdvance + std::max(0, feedLines - 1) * m_lineSpacing);
    }

    const Bitmap* glyph(char32_t cp, int h, bool bold) {
        if (!m_raster || cp == ' ') return nullptr;
        const std::uint64_t key = (std::uint64_t{cp} << 8) | (std::uint64_t(h) << 1) | (bold ? 1 : 0);
        if (auto it = m_glyphs.find(key); it != m_glyphs.end()) return &it->second;
        if (m_glyphs.size() > 4096) m_glyphs.clear(); // garbage input can name many code points
        std::string s;
        appendUtf8(s, cp);
        return &m_glyphs.emplace(key, m_raster->render(s, kCellHeight * h, bold)).first->second;
    }

    void appendText(std::string_view s) {
        if (m_cur.text.size() < kMaxTextBytes) m_cur.text.append(s);
        m_hasContent = true;
    }

    // --- paper ------------------------------------------------------------------------------

    void ensureRows(int rows) {
        rows = std::min(rows, kMaxPaperDots);
        if (rows <= m_cur.paper.height) return;
        m_cur.paper.height = rows;
        m_cur.paper.dots.resize(static_cast<std::size_t>(m_width) * rows, 0);
    }

    void advance(int dots) {
        m_y = std::min(m_y + std::max(0, dots), kMaxPaperDots);
        ensureRows(m_y);
        m_hasContent = true;
    }

    void dot(int x, int y) {
        if (x < 0 || x >= m_width || y < 0 || y >= kMaxPaperDots) return;
        ensureRows(y + 1);
        m_cur.paper.set(x, y);
    }

    void undot(int x, int y) {
        if (x < 0 || x >= m_width || y < 0 || y >= kMaxPaperDots) return;
        ensureRows(y + 1);
        m_cur.paper.set(x, y, 0);
    }

    void drawRaster(std::string_view data, int xBytes, int rows, std::uint8_t mode) {
        if (!m_line.empty()) printLine(1);
        const int sx = (mode & 1) ? 2 : 1, sy = (mode & 2) ? 2 : 1;
        const int w = xBytes * 8;
        const int x0 = alignedX(w * sx, m_align), top = m_y;
        for (int y = 0; y < rows && top + y * sy < kMaxPaperDots; ++y)
            for (int xb = 0; xb < xBytes && x0 + xb * 8 * sx < m_width; ++xb) {
                const std::uint8_t byte = u8(data, static_cast<std::size_t>(y) * xBytes + xb);
                if (!byte) continue;
                for (int bit = 0; bit < 8; ++bit)
                    if (byte & (0x80 >> bit))
                        for (int dy = 0; dy < sy; ++dy)
                            for (int dx = 0; dx < sx; ++dx)
                                dot(x0 + (xb * 8 + bit) * sx + dx, top + y * sy + dy);
            }
        appendText("[image " + std::to_string(w) + "x" + std::to_string(rows) + "]\n");
        advance(rows * sy);
    }

    // The data of GS k 73 as printed: code set selections ({A {B {C) and function codes dropped,
    // "{{" a brace, code set C bytes as two digits each.
    static std::string code128Text(std::string_view data) {
        std::string out;
        char set = 'B';
        for (std::size_t i = 0; i < data.size(); ++i) {
            const auto ch = static_cast<unsigned char>(data[i]);
            if (ch == '{' && i + 1 < data.size()) {
                const char next = data[++i];
                if (next == 'A' || next == 'B' || next == 'C')
                    set = next;
                else if (next == '{')
                    out += '{';
                continue;
            }
            if (set == 'C') {
                if (ch < 100) {
                    out += static_cast<char>('0' + ch / 10);
                    out += static_cast<char>('0' + ch % 10);
                }
                continue;
            }
            out += (ch >= 32 && ch < 127) ? static_cast<char>(ch) : '?';
        }
        return out;
    }

    void drawCode128(std::string_view data) {
        if (!m_line.empty()) printLine(1);
        const std::string text = code128Text(data);
        m_cur.barcodes.push_back(text);
        // The symbol itself (ZXing's Code 128 writer), so the printed receipt scans as a real one.
        // Text it cannot encode prints no bars, as a printer refuses it.
        std::vector<bool> bars;
        try {
            const auto matrix =
                ZXing::MultiFormatWriter(ZXing::BarcodeFormat::Code128).setMargin(0).encode(text, 1, 1);
            for (int x = 0; x < matrix.width(); ++x) bars.push_back(matrix.get(x, 0));
        } catch (const std::exception&) {
            bars.clear();
        }
        const int module = m_barModule, height = m_barHeight;
        const int modules = static_cast<int>(bars.size());
        const int x0 = alignedX(modules * module, m_align);
        int top = m_y;
        if (m_hri == 1 || m_hri == 3) top += hriLine(text, x0, modules * module, top);
        for (std::size_t i = 0; i < bars.size(); ++i)
            if (bars[i])
                for (int y = 0; y < height; ++y)
                    for (int dx = 0; dx < module; ++dx)
                        dot(x0 + static_cast<int>(i) * module + dx, top + y);
        top += height;
        if (m_hri == 2 || m_hri == 3) top += hriLine(text, x0, modules * module, top + 2) + 2;
        appendText("[Code128: " + sanitizeUtf8(text) + "]\n");
        advance(top - m_y + std::max(0, m_lineSpacing - kCellHeight));
    }

    // Human-readable text of a barcode, centred under (or over) it; returns its height.
    int hriLine(const std::string& text, int x0, int width, int top) {
        if (!m_raster) return kCellHeight;
        const Bitmap t = m_raster->render(text, kCellHeight, false, m_width);
        const int ox = x0 + std::max(0, (width - t.width) / 2);
        for (int y = 0; y < t.height; ++y)
            for (int x = 0; x < t.width; ++x)
                if (t.at(x, y)) dot(ox + x, top + y);
        return kCellHeight;
    }

    void drawQr() {
        if (!m_line.empty()) printLine(1);
        m_cur.qrCodes.push_back(m_qrData);
        appendText("[QR: " + sanitizeUtf8(m_qrData) + "]\n");
        // The symbol itself (libqrencode: model 2, byte mode, the level GS ( k 169 chose), so the
        // paper can be scanned as the printed one would be. Data no QR version can hold prints
        // nothing, as a printer ignores it.
        static const QRecLevel kLevels[] = {QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H};
        std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
            QRcode_encodeData(static_cast<int>(m_qrData.size()), reinterpret_cast<const unsigned char*>(m_qrData.data()),
                              0, kLevels[m_qrLevel]),
            &QRcode_free);
        if (!code) return;
        const int modules = code->width, md = m_qrModule, size = modules * md;
        const int x0 = alignedX(size, m_align), top = m_y;
        for (int my = 0; my < modules; ++my)
            for (int mx = 0; mx < modules; ++mx) {
                if (!(code->data[my * modules + mx] & 1)) continue;
                for (int y = 0; y < md; ++y)
                    for (int x = 0; x < md; ++x) dot(x0 + mx * md + x, top + my * md + y);
            }
        advance(size + std::max(0, m_lineSpacing - kCellHeight));
    }

    // --- receipts ---------------------------------------------------------------------------

    void cut() {
        if (!m_line.empty()) printLine(1);
        m_cutDone = true;
    }

    void startReceipt() {
        m_cur = RenderedReceipt{};
        m_cur.paper = Bitmap(m_width, 0);
        m_y = 0;
        m_hasContent = false;
    }

    void endReceipt(bool cutPaper) {
        if (cutPaper || m_hasContent) {
            ensureRows(m_y);
            m_cur.cut = cutPaper;
            m_finished.push_back({std::move(m_cur), std::move(m_raw)});
        }
        m_raw.clear();
        startReceipt();
    }

    const int m_width;
    const TextRasterizer* m_raster;
    Gb18030Decoder m_gb;
    bool m_printing = true;
    bool m_cutDone = false; ///< the command just read cut the paper
    std::string m_buf;
    std::uint64_t m_skip = 0;
    std::string m_raw;
    std::vector<Finished> m_finished;
    std::vector<int> m_queries;
    std::map<std::uint64_t, Bitmap> m_glyphs;

    bool m_bold = false, m_kanji = false;
    bool m_reverse = false;
    int m_underline = 0, m_w = 1, m_h = 1, m_align = 0, m_codePage = 0, m_lineSpacing = kDefaultLineSpacing;
    int m_barHeight = 162, m_barModule = 3, m_hri = 0, m_qrModule = 3, m_qrLevel = 1;
    std::string m_qrData;

    std::vector<Cell> m_line;
    int m_lineDots = 0, m_lineAlign = 0;

    RenderedReceipt m_cur;
    int m_y = 0;
    bool m_hasContent = false;
};

core::print::PrinterStatus statusOf(const VirtualPrinter::Faults& f) {
    core::print::PrinterStatus s;
    s.online = !f.offline;
    s.coverOpen = f.coverOpen;
    s.paperOut = f.paperOut;
    s.paperNearEnd = f.paperOutAfter.has_value() && !f.paperOut; // the roll is about to end
    return s;
}

bool blocked(const VirtualPrinter::Faults& f) {
    return f.paperOut || f.coverOpen || f.offline;
}

// How the next `n` bytes of a job split around the faults, and the faults' one-shot counters
// updated for them. Called under the owner's lock.
struct Plan {
    std::size_t take = 0;      ///< bytes accepted (the rest is lost with the connection)
    std::size_t print = 0;     ///< of those, bytes that reach the paper (a prefix)
    bool paperRunsOut = false; ///< the roll ends after `print` bytes
    bool drop = false;         ///< the connection closes after `take` bytes
};

Plan plan(VirtualPrinter::Faults& f, std::size_t n) {
    Plan p;
    p.take = n;
    if (f.dropAfter) {
        if (n >= *f.dropAfter) {
            p.take = *f.dropAfter;
            p.drop = true;
            f.dropAfter.reset();
        } else {
            *f.dropAfter -= n;
        }
    }
    if (blocked(f)) return p;
    p.print = p.take;
    if (f.paperOutAfter) {
        if (p.take >= *f.paperOutAfter) {
            p.print = *f.paperOutAfter;
            p.paperRunsOut = true;
            f.paperOutAfter.reset();
            f.paperOut = true;
        } else {
            *f.paperOutAfter -= p.take;
        }
    }
    return p;
}

// Feeds one planned chunk; status queries come back in `queries` with the fault state of the time.
void feedPlanned(Interpreter& in, std::string_view bytes, const Plan& p) {
    in.setPrinting(true);
    in.feed(bytes.substr(0, p.print));
    if (p.paperRunsOut) in.abandon();
    in.setPrinting(false);
    in.feed(bytes.substr(p.print, p.take - p.print));
    in.setPrinting(true);
}

void writeFile(const std::filesystem::path& path, std::string_view data) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
}


// A drawer kicked after the cut of the receipt it belongs to (the usual order: print, cut, open
// the drawer) leaves a "receipt" with no paper. It is the previous receipt's drawer, not a new one.
template <class Finished>
void foldDrawerOnly(std::vector<Finished>& finished, std::vector<RenderedReceipt>& earlier) {
    std::vector<Finished> kept;
    for (auto& f : finished) {
        const auto& r = f.receipt;
        const bool drawerOnly = r.drawerKicked && !r.cut && r.text.empty() && r.paper.height == 0 && r.qrCodes.empty() &&
                                r.barcodes.empty();
        if (drawerOnly && !kept.empty()) kept.back().receipt.drawerKicked = true;
        else if (drawerOnly && !earlier.empty()) earlier.back().drawerKicked = true;
        else kept.push_back(std::move(f));
    }
    finished = std::move(kept);
}

} // namespace

std::vector<RenderedReceipt> renderEscPos(std::string_view bytes, const escpos::PrinterProfile& profile,
                                          const TextRasterizer* raster) {
    Interpreter in(profile, raster);
    in.feed(bytes);
    in.finish();
    std::vector<RenderedReceipt> out;
    auto finished = in.takeFinished();
    foldDrawerOnly(finished, out);
    for (auto& f : finished)
        out.push_back(std::move(f.receipt));
    return out;
}

// ---------------------------------------------------------------------------------------------
// VirtualPrinter: the TCP server

struct VirtualPrinter::State {
    Options options;
    detail::UniqueFd listener;
    int port = 0;
    std::optional<TextRasterizer> raster;

    mutable std::mutex mutex;
    mutable std::condition_variable changed;
    Faults faults;                         // guarded by mutex
    std::vector<RenderedReceipt> receipts; // guarded by mutex
    std::string printed;                   // guarded by mutex
    std::size_t connections = 0;           // guarded by mutex
    std::size_t written = 0;               // receipts written to outDir (server thread only)

    std::atomic<bool> stopping{false};
    std::jthread thread;

    void serve();
    void serveConnection(detail::UniqueFd conn, Interpreter& in);
    void publish(Interpreter& in);
};

void VirtualPrinter::State::publish(Interpreter& in) {
    auto finished = in.takeFinished();
    {
        std::lock_guard lock(mutex);
        foldDrawerOnly(finished, receipts);
    }
    if (finished.empty()) return;
    if (options.outDir) {
        // Written before the receipts are published, so a waiter finds the files in place.
        std::error_code ec;
        std::filesystem::create_directories(*options.outDir, ec);
        for (const auto& f : finished) {
            char name[32];
            std::snprintf(name, sizeof name, "receipt-%03zu", ++written);
            writeFile(*options.outDir / (std::string(name) + ".bin"), f.raw);
            writeFile(*options.outDir / (std::string(name) + ".txt"), f.receipt.text);
            if (auto png = encodePng(f.receipt.paper); png)
                writeFile(*options.outDir / (std::string(name) + ".png"), *png);
        }
    }
    {
        std::lock_guard lock(mutex);
        for (auto& f : finished)
            receipts.push_back(std::move(f.receipt));
    }
    changed.notify_all();
}

void VirtualPrinter::State::serve() {
    Interpreter in(options.profile, raster ? &*raster : nullptr);
    while (!stopping) {
        pollfd p{listener.get(), POLLIN, 0};
        const int r = ::poll(&p, 1, 20);
        if (r <= 0 || !(p.revents & POLLIN)) continue;
        detail::UniqueFd conn(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
        if (!conn) continue;
        {
            std::lock_guard lock(mutex);
            ++connections;
        }
        serveConnection(std::move(conn), in);
        in.finish(); // what the connection left uncut still came out of the printer
        publish(in);
    }
}

void VirtualPrinter::State::serveConnection(detail::UniqueFd conn, Interpreter& in) {
    using Clock = std::chrono::steady_clock;
    auto lastActivity = Clock::now(), lastTick = lastActivity;
    double allowance = 0; // bytes the throttle lets through now
    std::array<char, 16384> buf;
    while (!stopping) {
        Faults f;
        {
            std::lock_guard lock(mutex);
            f = faults;
        }
        const auto now = Clock::now();
        std::size_t maxRead = buf.size();
        int timeoutMs = 20;
        if (f.bytesPerSecond > 0) {
            const double elapsed = std::chrono::duration<double>(now - lastTick).count();
            allowance = std::min(allowance + elapsed * f.bytesPerSecond, std::max(1.0, f.bytesPerSecond / 10.0));
            maxRead = std::min(maxRead, static_cast<std::size_t>(allowance));
            if (maxRead == 0)
                timeoutMs = std::clamp(static_cast<int>((1.0 - allowance) * 1000.0 / f.bytesPerSecond) + 1, 1, 20);
        } else {
            allowance = 0;
        }
        lastTick = now;
        if (f.dropAfter && *f.dropAfter == 0) {
            std::lock_guard lock(mutex);
            faults.dropAfter.reset();
            return;
        }
        if (f.dropAfter) maxRead = std::min(maxRead, *f.dropAfter);

        if (f.idleCloseMs > 0) {
            int pending = 0;
            if (::ioctl(conn.get(), FIONREAD, &pending) == 0 && pending > 0) lastActivity = now;
            const auto idle = std::chrono::duration_cast<std::chrono::milliseconds>(now - lastActivity).count();
            if (idle >= f.idleCloseMs) return; // like a printer dropping an idle session
            timeoutMs = std::clamp(static_cast<int>(f.idleCloseMs - idle), 1, timeoutMs);
        }

        pollfd p{conn.get(), static_cast<short>(maxRead > 0 ? POLLIN : 0), 0};
        const int r = ::poll(&p, 1, timeoutMs);
        if (r < 0 && errno != EINTR) return;
        if (r <= 0) continue;
        if (p.revents & (POLLERR | POLLNVAL)) return;
        if (maxRead == 0) {
            if (p.revents & POLLHUP) return;
            continue;
        }
        const ssize_t n = ::recv(conn.get(), buf.data(), maxRead, 0);
        if (n == 0) return;
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;
            return;
        }
        lastActivity = Clock::now();
        if (f.bytesPerSecond > 0) allowance -= static_cast<double>(n);

        Plan pl;
        {
            std::lock_guard lock(mutex);
            pl = plan(faults, static_cast<std::size_t>(n));
            printed.append(buf.data(), pl.print);
        }
        const std::string_view chunk(buf.data(), pl.take);
        // Printed part first, so a status query in it is answered with the state of that moment.
        std::string answers;
        auto answer = [&] {
            const auto queries = in.takeStatusQueries();
            if (queries.empty()) return;
            std::array<std::uint8_t, 4> a;
            {
                std::lock_guard lock(mutex);
                a = escpos::statusAnswers(statusOf(faults));
            }
            for (int q : queries)
                answers += static_cast<char>(a[static_cast<std::size_t>(q - 1)]);
        };
        in.setPrinting(true);
        in.feed(chunk.substr(0, pl.print));
        answer();
        if (pl.paperRunsOut) in.abandon();
        in.setPrinting(false);
        in.feed(chunk.substr(pl.print));
        in.setPrinting(true);
        answer();
        publish(in);
        for (std::size_t sent = 0; sent < answers.size();) {
            const ssize_t w = ::send(conn.get(), answers.data() + sent, answers.size() - sent, MSG_NOSIGNAL);
            if (w > 0) {
                sent += static_cast<std::size_t>(w);
                continue;
            }
            if (w < 0 && errno == EINTR) continue;
            if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                pollfd wp{conn.get(), POLLOUT, 0};
                if (::poll(&wp, 1, 1000) > 0) continue;
            }
            return;
        }
        if (pl.drop) return;
    }
}

core::Result<std::unique_ptr<VirtualPrinter>> VirtualPrinter::start(Options options) {
    auto state = std::make_unique<State>();
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(options.port));
    if (options.port < 0 || options.port > 65535 || ::inet_pton(AF_INET, options.host.c_str(), &addr.sin_addr) != 1)
        return core::fail(core::ErrorCode::Io, "the virtual printer needs an IPv4 address and a port, not " +
                                                   options.host + ":" + std::to_string(options.port));
    state->listener = detail::UniqueFd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!state->listener) return core::fail(core::ErrorCode::Io, std::string("socket: ") + std::strerror(errno));
    const int one = 1;
    ::setsockopt(state->listener.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(state->listener.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(state->listener.get(), 4) != 0)
        return core::fail(core::ErrorCode::Io, "the virtual printer cannot listen on " + options.host + ":" +
                                                   std::to_string(options.port) + ": " + std::strerror(errno));
    socklen_t len = sizeof addr;
    ::getsockname(state->listener.get(), reinterpret_cast<sockaddr*>(&addr), &len);
    state->port = ntohs(addr.sin_port);
    // Without fonts the printer still works; its pictures just have no text in them.
    if (auto r = TextRasterizer::open(); r) state->raster = std::move(r.value());
    state->options = std::move(options);
    State* s = state.get();
    state->thread = std::jthread([s] {
        try {
            s->serve();
        } catch (...) {
            // Nothing to report to: the printer simply stops answering, as a crashed one would.
            s->stopping = true;
        }
    });
    return std::unique_ptr<VirtualPrinter>(new VirtualPrinter(std::move(state)));
}

VirtualPrinter::VirtualPrinter(std::unique_ptr<State> state) : m_state(std::move(state)) {}

VirtualPrinter::~VirtualPrinter() {
    stop();
}

void VirtualPrinter::stop() {
    if (!m_state) return;
    m_state->stopping = true;
    if (m_state->thread.joinable()) m_state->thread.join();
    m_state->listener.reset();
    m_state->changed.notify_all();
}

int VirtualPrinter::port() const {
    return m_state->port;
}

std::string VirtualPrinter::connection() const {
    return "tcp:" + m_state->options.host + ":" + std::to_string(m_state->port);
}

void VirtualPrinter::setFaults(const Faults& faults) {
    std::lock_guard lock(m_state->mutex);
    m_state->faults = faults;
}

VirtualPrinter::Faults VirtualPrinter::faults() const {
    std::lock_guard lock(m_state->mutex);
    return m_state->faults;
}

core::print::PrinterStatus VirtualPrinter::status() const {
    std::lock_guard lock(m_state->mutex);
    return statusOf(m_state->faults);
}

std::vector<RenderedReceipt> VirtualPrinter::receipts() const {
    std::lock_guard lock(m_state->mutex);
    return m_state->receipts;
}

std::string VirtualPrinter::printed() const {
    std::lock_guard lock(m_state->mutex);
    return m_state->printed;
}

std::size_t VirtualPrinter::connections() const {
    std::lock_guard lock(m_state->mutex);
    return m_state->connections;
}

bool VirtualPrinter::waitForReceipts(std::size_t count, int timeoutMs) const {
    std::unique_lock lock(m_state->mutex);
    return m_state->changed.wait_for(lock, std::chrono::milliseconds(std::max(0, timeoutMs)),
                                     [&] { return m_state->receipts.size() >= count; });
}

// ---------------------------------------------------------------------------------------------
// VirtualPrinterPort: the same printer without the socket

struct VirtualPrinterPort::Inner {
    Inner(const escpos::PrinterProfile& profile, const TextRasterizer* raster) : interpreter(profile, raster) {}
    std::mutex mutex;
    VirtualPrinter::Faults faults;
    Interpreter interpreter;
    std::vector<RenderedReceipt> receipts;
};

VirtualPrinterPort::VirtualPrinterPort(escpos::PrinterProfile profile, const TextRasterizer* raster)
    : m_inner(std::make_shared<Inner>(profile, raster)) {}

core::Result<core::print::PrinterStatus> VirtualPrinterPort::status() {
    std::lock_guard lock(m_inner->mutex);
    return statusOf(m_inner->faults);
}

core::print::SendResult VirtualPrinterPort::send(std::string_view bytes) {
    int bytesPerSecond = 0;
    {
        std::lock_guard lock(m_inner->mutex);
        bytesPerSecond = m_inner->faults.bytesPerSecond;
    }
    if (bytesPerSecond > 0) // a slow printer: the job takes as long as it would on the wire
        std::this_thread::sleep_for(std::chrono::milliseconds(
            std::min<std::uint64_t>(bytes.size() * 1000ULL / static_cast<std::uint64_t>(bytesPerSecond), 60'000)));

    std::lock_guard lock(m_inner->mutex);
    const Plan p = plan(m_inner->faults, bytes.size());
    auto& in = m_inner->interpreter;
    feedPlanned(in, bytes, p);
    in.takeStatusQueries(); // nobody to answer in-process: status() is the way to ask
    // Each send is one connection's worth: what it left uncut comes out as is.
    in.finish();
    auto finished = in.takeFinished();
    foldDrawerOnly(finished, m_inner->receipts);
    for (auto& f : finished)
        m_inner->receipts.push_back(std::move(f.receipt));

    core::print::SendResult result;
    result.written = p.take;
    if (p.take < bytes.size())
        result.status =
            core::fail(core::ErrorCode::Io, "the printer closed the connection after " + std::to_string(p.take) +
                                                " of " + std::to_string(bytes.size()) + " bytes");
    return result;
}

void VirtualPrinterPort::setFaults(const VirtualPrinter::Faults& faults) {
    std::lock_guard lock(m_inner->mutex);
    m_inner->faults = faults;
}

std::vector<RenderedReceipt> VirtualPrinterPort::receipts() const {
    std::lock_guard lock(m_inner->mutex);
    return m_inner->receipts;
}

} // namespace showroom::devices::print
