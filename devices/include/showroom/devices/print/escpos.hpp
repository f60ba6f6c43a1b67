#pragma once
// ESC/POS, the command language of receipt printers (Epson TM series and the many printers that
// follow it): a pure encoder, the real-time status protocol, and printer profiles.
//
// Encoder builds a job's bytes; it never touches a device. Text is UTF-8 in, and goes out in the
// first of these that can carry every character of the line:
//   1. ASCII as is;
//   2. PC437 (ESC t 0) — accented Latin letters, box drawing;
//   3. PC858 (ESC t 19) — PC850 with the euro sign at 0xD5;
//   4. GB18030 (FS & ... FS .) when the profile says the printer has a Chinese font;
//   5. otherwise the line is drawn with TextRasterizer and sent as a raster image (GS v 0), so
//      Chinese, Cyrillic or anything else still prints on any printer.
// Columns count display cells: a CJK character takes two.
//
// Real-time status (DLE EOT n) is answered by the printer with one byte per query, even while it is
// offline or out of paper: statusRequest() builds the query, parseStatus() reads the four answers.

#include "showroom/core/print.hpp"
#include "showroom/core/result.hpp"
#include "showroom/devices/print/bitmap.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace showroom::devices::escpos {

/// Paper and fonts of one printer model.
struct PrinterProfile {
    int columns = 48;         ///< Font A characters per line: 48 or 42 on 80 mm paper, 32 on 58 mm
    int dotsPerLine = 576;    ///< printable width: 576 (80 mm, 48 col), 512 (80 mm, 42 col), 384 (58 mm)
    bool chineseFont = false; ///< the printer has a GB18030 font (FS &)
    bool cutter = true;       ///< GS V after the job
    std::string name = "80mm";

    /// "80mm" (48 columns), "80mm-42", "58mm", each optionally with "+gb18030":
    /// "58mm+gb18030". InvalidInput for anything else.
    static core::Result<PrinterProfile> named(std::string_view name);
};

enum class Align : std::uint8_t { Left = 0, Center = 1, Right = 2 };
enum class CodePage : std::uint8_t { Pc437 = 0, Pc858 = 19 };

/// Encodes UTF-8 into a single-byte code page; nullopt when some character has no place in it.
std::optional<std::string> toCodePage(std::string_view utf8, CodePage page);
/// Encodes UTF-8 into GB18030 (iconv); nullopt for invalid UTF-8.
std::optional<std::string> toGb18030(std::string_view utf8);
/// Display cells of UTF-8 text: East Asian wide and fullwidth characters count 2, others 1.
int displayWidth(std::string_view utf8);

class Encoder {
public:
    /// `raster` draws lines no code page can carry; without one such lines print as '?'.
    explicit Encoder(PrinterProfile profile, const print::TextRasterizer* raster = nullptr);

    Encoder& initialize();                          ///< ESC @ — resets modes; every job starts with it
    Encoder& align(Align a);                        ///< ESC a n
    Encoder& bold(bool on);                         ///< ESC E n
    Encoder& underline(int dots);                   ///< ESC - n (0 off, 1 or 2 dots)
    Encoder& reverse(bool on);                      ///< GS B n: white on black (text only, not images)
    Encoder& size(int width, int height);           ///< GS ! n, each 1..8 (clamped)
    /// No line feed; see the code-page rules above. Rastered text prints as a picture on a line of its own,
    /// 24 dots per unit of size height, placed by align().
    Encoder& text(std::string_view utf8);
    Encoder& line(std::string_view utf8 = {});      ///< text + LF (a rastered line needs none)
    /// `left` then `right` flush right on one line of the current width (columns / size width);
    /// `left` is cut (with "…" dropped: plain truncation at a cell boundary) when both do not fit, `right`
    /// only when it alone is wider than the line. A line that must be rastered becomes one full-width picture.
    Encoder& columns(std::string_view left, std::string_view right);
    Encoder& rule(char c = '-');                    ///< a full line of `c`
    Encoder& feed(int lines);                       ///< ESC d n
    /// Code 128 (GS k 73) with code set B, `heightDots` tall, human-readable text below.
    /// InvalidInput (recorded, see error()) for characters outside ASCII 32..126 or over 80 characters.
    Encoder& barcode128(std::string_view data, int heightDots = 80);
    /// QR code (GS ( k: model 2, module size, error correction M, store, print).
    /// InvalidInput (recorded) when data exceeds 700 bytes.
    Encoder& qr(std::string_view data, int moduleDots = 6);
    /// A raster image (GS v 0), cut to the paper width; wide images are sent in bands of 256 rows.
    Encoder& image(const print::Bitmap& bitmap);
    Encoder& cut();                                 ///< GS V 66 0: feed to the cutter, partial cut (no cutter: ESC d 4)
    Encoder& kickDrawer(int pin = 0);               ///< ESC p m 25 250: pulse drawer pin 2 (0) or 5 (1)

    const PrinterProfile& profile() const { return m_profile; }
    /// The bytes so far.
    const std::string& bytes() const { return m_out; }
    /// The first thing that could not be encoded (an oversized QR, a bad barcode); ok otherwise.
    const core::Status& error() const { return m_error; }

private:
    PrinterProfile m_profile;
    const print::TextRasterizer* m_raster;
    std::string m_out;
    core::Status m_error;
    int m_width = 1, m_height = 1;
    bool m_bold = false;
    Align m_align = Align::Left;
    int m_codePage = -1;   ///< ESC t last sent; -1 none yet
    bool m_kanji = false;  ///< FS & may be in effect (FS . not sent since)

    void leaveKanji();
    void selectCodePage(CodePage page);
    bool needsRaster(std::string_view utf8) const;
    void record(std::string message);
    static std::string_view fitCells(std::string_view utf8, int cells);
};

/// DLE EOT n — n = 1 printer, 2 offline cause, 3 error cause, 4 paper roll sensor.
std::string statusRequest(int n);
/// All four queries, in order 1..4; the printer answers four bytes.
std::string fullStatusRequest();
/// A status answer has bit 1 and bit 4 set, bits 0 and 7 clear.
bool isStatusByte(std::uint8_t b);
/// Reads the four answers to fullStatusRequest(). InvalidInput when a byte is not a status byte.
core::Result<core::print::PrinterStatus> parseStatus(const std::array<std::uint8_t, 4>& answers);
/// The four bytes a printer in `status` answers (the virtual printer's side).
std::array<std::uint8_t, 4> statusAnswers(const core::print::PrinterStatus& status);

} // namespace showroom::devices::escpos
