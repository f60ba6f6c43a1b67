// ESC/POS encoder and receipt layout: the bytes a printer receives, decoded by hand where it matters,
// and golden byte streams for whole receipts (tests/golden/escpos/*.hex, 32 bytes a line).
//
// To rewrite the golden files after an intended change of layout, run
//   SHOWROOM_UPDATE_GOLDEN=1 build/dev/tests/print_tests --gtest_filter='ReceiptEscposGolden*'
// and review the diff of tests/golden/escpos/ before committing it.
#include "showroom/core/vin.hpp"
#include "showroom/devices/print/escpos.hpp"
#include "showroom/devices/print/receipt_escpos.hpp"

#include "receipt_sample.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace core = showroom::core;
namespace print = showroom::devices::print;
using namespace showroom::devices::escpos;

namespace {

using showroom::test::sampleReceipt;

const std::string kEsc = "\x1b", kGs = "\x1d", kFs = "\x1c";

std::string bytes(std::initializer_list<int> values) {
    std::string out;
    for (const int v : values)
        out += static_cast<char>(static_cast<unsigned char>(v));
    return out;
}

PrinterProfile profile(const char* name) {
    return PrinterProfile::named(name).value();
}

std::string hexOf(std::string_view data, std::size_t perLine = 32) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < data.size(); ++i) {
        const auto b = static_cast<unsigned char>(data[i]);
        out += digits[b >> 4];
        out += digits[b & 15];
        if ((i + 1) % perLine == 0 || i + 1 == data.size())
            out += '\n';
        else
            out += ' ';
    }
    return out;
}

std::optional<std::string> fromHex(std::string_view text) {
    std::string out;
    int nibbles = 0, acc = 0;
    for (const char c : text) {
        int v;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'a' && c <= 'f')
            v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            v = c - 'A' + 10;
        else if (c == ' ' || c == '\n' || c == '\r')
            continue;
        else
            return std::nullopt;
        acc = acc * 16 + v;
        if (++nibbles == 2) out += static_cast<char>(acc), nibbles = 0, acc = 0;
    }
    if (nibbles != 0) return std::nullopt;
    return out;
}

// A whole receipt as the printer would lay it out: each printed text line with the number of cells it
// takes (character cells times the size width in effect), skipping every command the encoder sends.
struct PrintedLine {
    std::string text; // the raw bytes (code page or GB18030)
    int cells = 0;
};
struct Decoded {
    std::vector<PrintedLine> lines;
    int images = 0, qrCodes = 0, barcodes = 0, cuts = 0, drawerKicks = 0;
    bool wellFormed = true; // every command complete, nothing unknown
};

Decoded decode(const std::string& s) {
    Decoded d;
    PrintedLine current;
    int width = 1;
    bool kanji = false;
    auto at = [&](std::size_t i) { return i < s.size() ? static_cast<unsigned char>(s[i]) : 0; };
    std::size_t i = 0;
    while (i < s.size()) {
        const unsigned char c = at(i);
        if (c == 0x1B) {
            const unsigned char cmd = at(i + 1);
            if (cmd == '@')
                i += 2, width = 1, kanji = false;
            else if (cmd == 'p')
                i += 5, ++d.drawerKicks;
            else if (cmd == 'a' || cmd == 'E' || cmd == '-' || cmd == 't' || cmd == 'd')
                i += 3;
            else
                return d.wellFormed = false, d;
        } else if (c == 0x1D) {
            const unsigned char cmd = at(i + 1);
            if (cmd == '!')
                width = (at(i + 2) >> 4) + 1, i += 3;
            else if (cmd == 'B' || cmd == 'h' || cmd == 'w' || cmd == 'H')
                i += 3;
            else if (cmd == 'k' && at(i + 2) == 73)
                i += 4 + at(i + 3), ++d.barcodes;
            else if (cmd == '(' && at(i + 2) == 'k') {
                if (at(i + 5) == 49 && at(i + 6) == 81) ++d.qrCodes;
                i += 5 + at(i + 3) + 256 * at(i + 4);
            } else if (cmd == 'v' && at(i + 2) == '0') {
                i += 8 + static_cast<std::size_t>(at(i + 4) + 256 * at(i + 5)) * (at(i + 6) + 256 * at(i + 7));
                ++d.images;
            } else if (cmd == 'V')
                i += 4, ++d.cuts;
            else
                return d.wellFormed = false, d;
        } else if (c == 0x1C) {
            const unsigned char cmd = at(i + 1);
            if (cmd == '&')
                kanji = true;
            else if (cmd == '.')
                kanji = false;
            else
                return d.wellFormed = false, d;
            i += 2;
        } else if (c == 0x0A) {
            d.lines.push_back(current);
            current = {};
            ++i;
        } else if (kanji && c >= 0x81) {
            // A GB18030 double-byte character prints two cells wide.
            current.text += s.substr(i, 2);
            current.cells += 2 * width;
            i += 2;
        } else {
            current.text += static_cast<char>(c);
            current.cells += width;
            ++i;
        }
    }
    if (i != s.size()) d.wellFormed = false;
    if (!current.text.empty()) d.lines.push_back(current);
    return d;
}

bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}


const print::TextRasterizer* rasterizer() {
    static const std::optional<print::TextRasterizer> raster = []() -> std::optional<print::TextRasterizer> {
        auto r = print::TextRasterizer::open();
        if (!r) return std::nullopt;
        return std::move(r).value();
    }();
    return raster ? &*raster : nullptr;
}

// Compares with tests/golden/escpos/<name>.hex; SHOWROOM_UPDATE_GOLDEN=1 writes the file instead.
void expectGolden(const std::string& name, const std::string& actual) {
    const std::string path = std::string{SHOWROOM_SOURCE_DIR} + "/tests/golden/escpos/" + name + ".hex";
    if (const char* update = std::getenv("SHOWROOM_UPDATE_GOLDEN"); update != nullptr && std::string{update} == "1") {
        std::filesystem::create_directories(std::filesystem::path{path}.parent_path());
        showroom::test::writeFile(path, hexOf(actual));
        std::printf("wrote %s (%zu bytes)\n", path.c_str(), actual.size());
        return;
    }
    const auto expected = fromHex(showroom::test::readFile(path));
    ASSERT_TRUE(expected && !expected->empty())
        << "missing or unreadable golden file " << path << " (run with SHOWROOM_UPDATE_GOLDEN=1 to create it)";
    if (*expected == actual) return;
    std::size_t at = 0;
    while (at < expected->size() && at < actual.size() && (*expected)[at] == actual[at])
        ++at;
    const std::size_t from = at >= 16 ? at - 16 : 0;
    ADD_FAILURE() << name << ": differs from " << path << " at byte " << at << " (expected " << expected->size()
                  << " bytes, got " << actual.size() << ")\n expected from " << from << ": "
                  << hexOf(expected->substr(from, 48), 48) << "   actual from " << from << ": "
                  << hexOf(actual.substr(std::min(from, actual.size()), 48), 48);
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Profiles, encodings, widths

TEST(EscposProfile, NamedProfilesAndRefusal) {
    auto p = PrinterProfile::named("80mm");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->columns, 48);
    EXPECT_EQ(p->dotsPerLine, 576);
    EXPECT_FALSE(p->chineseFont);
    p = PrinterProfile::named("80mm-42");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->columns, 42);
    EXPECT_EQ(p->dotsPerLine, 512);
    p = PrinterProfile::named("58mm+gb18030");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->columns, 32);
    EXPECT_EQ(p->dotsPerLine, 384);
    EXPECT_TRUE(p->chineseFont);
    EXPECT_EQ(p->name, "58mm+gb18030");
    for (const char* bad : {"", "80", "80mm+", "+gb18030", "76mm", "58mm+gbk", "80MM"}) {
        auto r = PrinterProfile::named(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, core::ErrorCode::InvalidInput);
    }
}

TEST(EscposEncoding, CodePagesCarryTheirOwnCharactersOnly) {
    EXPECT_EQ(toCodePage("Café", CodePage::Pc437), "Caf\x82");
    EXPECT_EQ(toCodePage("Café", CodePage::Pc858), "Caf\x82");
    EXPECT_EQ(toCodePage("€ 5", CodePage::Pc858), "\xd5 5");
    EXPECT_EQ(toCodePage("€", CodePage::Pc437), std::nullopt);
    EXPECT_EQ(toCodePage("┼", CodePage::Pc437), "\xc5");
    EXPECT_EQ(toCodePage("收", CodePage::Pc858), std::nullopt);
    EXPECT_EQ(toCodePage("bad \xff", CodePage::Pc437), std::nullopt);
    EXPECT_EQ(toGb18030("收据"), "\xca\xd5\xbe\xdd");
    EXPECT_EQ(toGb18030("abc"), "abc");
    EXPECT_EQ(toGb18030("\xe6\x94"), std::nullopt); // a cut UTF-8 sequence
}

TEST(EscposEncoding, DisplayWidthCountsWideCharactersTwice) {
    EXPECT_EQ(displayWidth(""), 0);
    EXPECT_EQ(displayWidth("Jane"), 4);
    EXPECT_EQ(displayWidth("Café"), 4);
    EXPECT_EQ(displayWidth("收据号"), 6);
    EXPECT_EQ(displayWidth("客户 Jane"), 9);
    EXPECT_EQ(displayWidth("ＡＢ"), 4); // fullwidth forms
    EXPECT_EQ(displayWidth("한국"), 4);
    EXPECT_EQ(displayWidth("—"), 1); // ambiguous width counts as narrow
}

// ---------------------------------------------------------------------------------------------
// Encoder commands

TEST(EscposEncoder, JobStartsWithInitializeAndCodePageSwitchesPrecedeTheirCharacters) {
    Encoder enc(profile("80mm"));
    enc.initialize().line("Total").line("Café").line("€ 20").line("Café");
    const std::string& out = enc.bytes();
    ASSERT_GE(out.size(), 2U);
    EXPECT_EQ(out.substr(0, 2), kEsc + "@");
    const auto e = out.find(kEsc + "t" + bytes({0}) + "Caf\x82\n");
    EXPECT_NE(e, std::string::npos) << hexOf(out);
    const auto euro = out.find(kEsc + "t" + bytes({19}) + "\xd5 20\n");
    EXPECT_NE(euro, std::string::npos) << hexOf(out);
    EXPECT_LT(e, euro);
    // PC858 also carries é: no switch back for the last line.
    EXPECT_TRUE(out.ends_with("\xd5 20\nCaf\x82\n")) << hexOf(out);
    EXPECT_TRUE(enc.error());
}

TEST(EscposEncoder, ModesAndPaperCommands) {
    Encoder enc(profile("80mm"));
    enc.align(Align::Center).bold(true).underline(2).size(2, 3).size(9, 0).feed(3).cut().kickDrawer(1);
    EXPECT_EQ(enc.bytes(), kEsc + "a" + bytes({1}) + kEsc + "E" + bytes({1}) + kEsc + "-" + bytes({2}) + kGs + "!" +
                               bytes({0x12}) + kGs + "!" + bytes({0x70}) + kEsc + "d" + bytes({3}) + kGs + "V" +
                               bytes({66, 0}) + kEsc + "p" + bytes({1, 25, 250}));
}

TEST(EscposEncoder, ChineseGoesOutAsGb18030BetweenFsAmpersandAndFsDot) {
    Encoder enc(profile("80mm+gb18030"));
    enc.initialize().line("收据");
    const std::string& out = enc.bytes();
    EXPECT_EQ(out.substr(0, 2), kEsc + "@");
    EXPECT_TRUE(contains(out, kFs + "&" + "\xca\xd5\xbe\xdd" + kFs + "." + "\n")) << hexOf(out);
    EXPECT_FALSE(contains(out, kGs + "v0"));
}

TEST(EscposEncoder, CodePageTextOnAChinesePrinterLeavesKanjiModeFirst) {
    Encoder enc(profile("80mm+gb18030"));
    enc.initialize().line("Café");
    EXPECT_EQ(enc.bytes(), kEsc + "@" + kFs + "." + kEsc + "t" + bytes({0}) + "Caf\x82\n") << hexOf(enc.bytes());
}

TEST(EscposEncoder, WithoutFontOrRasteriserEachUnprintableCharacterIsAQuestionMark) {
    Encoder enc(profile("58mm"));
    enc.line("收据 Café");
    EXPECT_TRUE(enc.bytes().ends_with("?? Caf\x82\n")) << hexOf(enc.bytes());
}

TEST(EscposEncoder, ImageIsPackedMsbFirstCroppedAndBanded) {
    print::Bitmap b(10, 2);
    b.set(0, 0);
    b.set(9, 0);
    b.set(1, 1);
    b.set(8, 1);
    Encoder enc(profile("58mm"));
    enc.image(b);
    EXPECT_EQ(enc.bytes(), kGs + "v0" + bytes({0, 2, 0, 2, 0, 0x80, 0x40, 0x40, 0x80}));

    // 400 dots wide on a 384-dot printer, 300 rows: cropped to 48 bytes, bands of 256 and 44 rows.
    print::Bitmap wide(400, 300);
    for (int y = 0; y < 300; ++y)
        wide.set(399, y), wide.set(383, y);
    Encoder big(profile("58mm"));
    big.image(wide);
    const std::string& out = big.bytes();
    ASSERT_EQ(out.size(), 8 + 48 * 256 + 8 + 48 * 44U);
    EXPECT_EQ(out.substr(0, 8), kGs + "v0" + bytes({0, 48, 0, 0, 1}));
    EXPECT_EQ(out.substr(8 + 48 * 256, 8), kGs + "v0" + bytes({0, 48, 0, 44, 0}));
    EXPECT_EQ(static_cast<unsigned char>(out[8 + 47]), 0x01); // dot 383, the last one on paper
    EXPECT_EQ(std::count(out.begin() + 8, out.begin() + 8 + 48 * 256, '\x01'), 256);
}

TEST(EscposEncoder, QrCodeCommandSequence) {
    const std::string data(300, 'x');
    Encoder enc(profile("80mm"));
    enc.qr(data, 5);
    const std::string expected = kGs + "(k" + bytes({4, 0, 49, 65, 50, 0})                       // model 2
                                 + kGs + "(k" + bytes({3, 0, 49, 67, 5})                         // module size
                                 + kGs + "(k" + bytes({3, 0, 49, 69, 49})                        // error correction M
                                 + kGs + "(k" + bytes({303 % 256, 303 / 256, 49, 80, 48}) + data // store
                                 + kGs + "(k" + bytes({3, 0, 49, 81, 48});                       // print
    EXPECT_EQ(enc.bytes(), expected);
    EXPECT_TRUE(enc.error());
}

TEST(EscposEncoder, OversizeQrIsRecordedAndSkipped) {
    Encoder enc(profile("80mm"));
    enc.qr(std::string(701, 'x')).line("after");
    ASSERT_FALSE(enc.error());
    EXPECT_EQ(enc.error().error().code, core::ErrorCode::InvalidInput);
    EXPECT_EQ(enc.bytes(), "after\n");
    Encoder ok(profile("80mm"));
    ok.qr(std::string(700, 'x'));
    EXPECT_TRUE(ok.error());
}

TEST(EscposEncoder, Code128UsesCodeSetBWithHriBelow) {
    Encoder enc(profile("80mm"));
    enc.barcode128("R2026-000012", 60);
    EXPECT_EQ(enc.bytes(), kGs + "h" + bytes({60}) + kGs + "w" + bytes({2}) + kGs + "H" + bytes({2}) + kGs + "k" +
                               bytes({73, 14}) + "{BR2026-000012");
    Encoder brace(profile("80mm"));
    brace.barcode128("a{b");
    EXPECT_TRUE(brace.bytes().ends_with(kGs + "k" + bytes({73, 6}) + "{Ba{{b"));
}

TEST(EscposEncoder, BadBarcodesAreRecordedAndTheFirstErrorKept) {
    Encoder enc(profile("80mm"));
    enc.barcode128("caf\xc3\xa9").barcode128(std::string(81, '1')).barcode128(std::string(80, '1'));
    ASSERT_FALSE(enc.error());
    EXPECT_NE(enc.error().error().message.find("195"), std::string::npos) << enc.error().error().message;
    EXPECT_EQ(std::count(enc.bytes().begin(), enc.bytes().end(), '\x1d'), 4); // only the good one
    Encoder tab(profile("80mm"));
    tab.barcode128("a\tb");
    EXPECT_FALSE(tab.error());
    EXPECT_TRUE(tab.bytes().empty());
}

TEST(EscposEncoder, ColumnsFitTheLineByDisplayCells) {
    for (const char* name : {"80mm+gb18030", "80mm-42+gb18030", "58mm+gb18030"}) {
        const PrinterProfile p = profile(name);
        Encoder enc(p);
        enc.columns("客户 Jane", "$1,234.56")
            .columns("一二三四五六七八九十一二三四五六七八九十一二三四五六", "$12,345.67")
            .columns("Cash price", "$24,500.00")
            .size(2, 1)
            .columns("Total", "$9.00");
        const Decoded d = decode(enc.bytes());
        ASSERT_TRUE(d.wellFormed) << name;
        ASSERT_EQ(d.lines.size(), 4U) << name;
        for (const auto& l : d.lines)
            EXPECT_EQ(l.cells, p.columns) << name << ": " << l.text;
        EXPECT_TRUE(d.lines[0].text.starts_with("\xbf\xcd\xbb\xa7 Jane")); // 客户 in GB18030
        EXPECT_TRUE(d.lines[0].text.ends_with(" $1,234.56"));
        // The long left part is cut on a character boundary with at least one space before the figure.
        EXPECT_TRUE(d.lines[1].text.ends_with(" $12,345.67")) << name;
        EXPECT_TRUE(d.lines[2].text.starts_with("Cash price ")) << name;
        EXPECT_TRUE(d.lines[3].text.starts_with("Total")) << name;
    }
    // On 58 mm: 32 cells, the figure takes 10 + 1, so ten Chinese characters (20 cells) fit, one blank pads.
    Encoder enc(profile("58mm+gb18030"));
    enc.columns("一二三四五六七八九十一二三四五六", "$12,345.67");
    const Decoded d = decode(enc.bytes());
    ASSERT_EQ(d.lines.size(), 1U);
    EXPECT_EQ(d.lines[0].text, toGb18030("一二三四五六七八九十").value() + "  $12,345.67");
}

TEST(EscposEncoder, RuleSpansTheLine) {
    Encoder enc(profile("80mm-42"));
    enc.rule().size(2, 2).rule('=');
    EXPECT_EQ(enc.bytes(), std::string(42, '-') + "\n" + kGs + "!" + bytes({0x11}) + std::string(21, '=') + "\n");
}

// ---------------------------------------------------------------------------------------------
// Real-time status

TEST(EscposStatus, AnswersRoundTripThroughParse) {
    core::print::PrinterStatus paperOut;
    paperOut.paperOut = true;
    core::print::PrinterStatus coverOpen;
    coverOpen.coverOpen = true;
    core::print::PrinterStatus nearEnd;
    nearEnd.paperNearEnd = true;
    core::print::PrinterStatus broken;
    broken.error = true;
    broken.recoverable = false;
    for (const auto& s : {paperOut, coverOpen, nearEnd, broken, core::print::PrinterStatus{}}) {
        const auto answers = statusAnswers(s);
        for (const auto b : answers)
            EXPECT_TRUE(isStatusByte(b));
        auto parsed = parseStatus(answers);
        ASSERT_TRUE(parsed);
        EXPECT_EQ(parsed->paperOut, s.paperOut);
        EXPECT_EQ(parsed->coverOpen, s.coverOpen);
        EXPECT_EQ(parsed->paperNearEnd, s.paperNearEnd || s.paperOut);
        EXPECT_EQ(parsed->error, s.error);
        EXPECT_EQ(parsed->recoverable, s.recoverable);
        EXPECT_EQ(parsed->ready(), s.ready());
    }
    EXPECT_EQ(parseStatus(statusAnswers(paperOut))->blocker(), "paper_out");
    EXPECT_EQ(parseStatus(statusAnswers(coverOpen))->blocker(), "cover_open");
    EXPECT_TRUE(parseStatus(statusAnswers(nearEnd))->ready());
    EXPECT_EQ(fullStatusRequest(), bytes({0x10, 4, 1, 0x10, 4, 2, 0x10, 4, 3, 0x10, 4, 4}));
}

TEST(EscposStatus, ParseRefusesANonStatusByte) {
    auto r = parseStatus({0x12, 0x12, 0x41, 0x12}); // 'A' where the third answer belongs
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, core::ErrorCode::InvalidInput);
    EXPECT_NE(r.error().message.find("0x41"), std::string::npos) << r.error().message;
    EXPECT_FALSE(isStatusByte(0x93));
}

// ---------------------------------------------------------------------------------------------
// Raster fallback (needs the fonts and devices/src/print/bitmap.cpp)

TEST(EscposRaster, ChineseOnAPrinterWithoutChineseFontIsSentAsAnImage) {
    const auto* raster = rasterizer();
    if (raster == nullptr) FAIL() << "TextRasterizer could not open its fonts (scripts/install-deps.sh installs fonts-dejavu-core and fonts-arphic-uming)";
    Encoder enc(profile("80mm"), raster);
    enc.initialize().line("收据").size(1, 2).line("收据").line("ok");
    const std::string& out = enc.bytes();
    std::size_t pos = 2;
    for (const int expectedHeight : {24, 48}) {
        ASSERT_GE(out.size(), pos + 8);
        if (out.compare(pos, 2, kGs + "!") == 0) pos += 3;
        ASSERT_EQ(out.substr(pos, 4), kGs + "v0" + bytes({0})) << hexOf(out.substr(0, 64));
        const auto u = [&](std::size_t i) { return static_cast<unsigned char>(out[pos + i]); };
        const int widthBytes = u(4) + 256 * u(5), height = u(6) + 256 * u(7);
        EXPECT_EQ(height, expectedHeight);
        EXPECT_GT(widthBytes, 2); // two characters of 24 dots or more
        EXPECT_LE(widthBytes, 576 / 8);
        const std::size_t data = static_cast<std::size_t>(widthBytes) * height;
        ASSERT_GE(out.size(), pos + 8 + data);
        const std::string dots = out.substr(pos + 8, data);
        EXPECT_GT(std::count_if(dots.begin(), dots.end(), [](char c) { return c != 0; }), 10) << "nothing drawn";
        pos += 8 + data;
    }
    EXPECT_EQ(out.substr(pos), "ok\n"); // the image needs no line feed of its own
}

TEST(EscposRaster, ColumnsWithChineseAreOneFullWidthImage) {
    const auto* raster = rasterizer();
    if (raster == nullptr) FAIL() << "TextRasterizer could not open its fonts (scripts/install-deps.sh installs fonts-dejavu-core and fonts-arphic-uming)";
    Encoder enc(profile("58mm"), raster);
    enc.columns("余额", "$12.00");
    const std::string& out = enc.bytes();
    ASSERT_EQ(out.size(), 8 + 48 * 24U);
    EXPECT_EQ(out.substr(0, 8), kGs + "v0" + bytes({0, 48, 0, 24, 0}));
    // Ink at both ends: the label at the left, the figure flush right.
    bool left = false, right = false;
    for (int y = 0; y < 24; ++y) {
        left |= out[8 + static_cast<std::size_t>(y) * 48] != 0;
        right |= out[8 + static_cast<std::size_t>(y) * 48 + 47] != 0;
    }
    EXPECT_TRUE(left);
    EXPECT_TRUE(right);
}

// ---------------------------------------------------------------------------------------------
// Receipts

TEST(ReceiptEscpos, SampleVinIsValid) {
    const auto r = sampleReceipt(core::ReceiptKind::Payment);
    EXPECT_EQ(core::vin::computeCheckDigit(r.vin), r.vin[8]);
}

TEST(ReceiptEscpos, EveryLineFitsThePaper) {
    for (const char* name : {"80mm", "80mm-42", "58mm", "58mm+gb18030", "80mm+gb18030"}) {
        for (const char* language : {"en", "zh-CN"}) {
            auto doc = sampleReceipt(core::ReceiptKind::Payment, language);
            doc.store.name = "Riverside Motors of Greater Springfield and Shelbyville Pre-Owned Center";
            doc.customerName = "Maximiliana Alexandrina Featherstonehaugh-Cholmondeley";
            doc.paymentReference = "AUTH 0123456789 TERMINAL 42 BATCH 77";
            ReceiptOptions options{profile(name)};
            auto out = encodeReceipt(doc, options);
            ASSERT_TRUE(out) << name;
            const Decoded d = decode(*out);
            ASSERT_TRUE(d.wellFormed) << name << " " << language;
            for (const auto& l : d.lines)
                EXPECT_LE(l.cells, options.profile.columns) << name << ": " << l.text;
            EXPECT_EQ(d.qrCodes, 1);
            EXPECT_EQ(d.barcodes, 1);
            EXPECT_EQ(d.cuts, 1);
            EXPECT_EQ(d.drawerKicks, 0);
            // Nothing lost by the wrapping.
            std::string all;
            for (const auto& l : d.lines)
                all += l.text + " ";
            EXPECT_TRUE(contains(all, "Featherstonehaugh-")) << name;
            EXPECT_TRUE(contains(all, "BATCH 77")) << name;
        }
    }
}

TEST(ReceiptEscpos, ShowsTheFiguresOfTheDocument) {
    auto doc = sampleReceipt(core::ReceiptKind::Deposit);
    auto out = encodeReceipt(doc, ReceiptOptions{profile("80mm")});
    ASSERT_TRUE(out);
    EXPECT_EQ(out->substr(0, 2), kEsc + "@");
    EXPECT_TRUE(out->ends_with(kGs + "V" + bytes({66, 0}))) << hexOf(out->substr(out->size() - 16));
    const Decoded d = decode(*out);
    auto line = [&](const std::string& start) -> std::string {
        for (const auto& l : d.lines)
            if (l.text.starts_with(start)) return l.text;
        return "";
    };
    EXPECT_TRUE(contains(*out, "DEPOSIT RECEIPT"));
    EXPECT_EQ(line("Date"), "Date" + std::string(24, ' ') + "2026-03-14 15:26 UTC");
    EXPECT_TRUE(line("Vehicle").ends_with(" 2021 Honda Civic EX"));
    EXPECT_TRUE(line("VIN").ends_with(" 1HGCV1F3XMA123456"));
    EXPECT_TRUE(line("Cash price").ends_with(" $24,500.00"));
    EXPECT_TRUE(line("Fees").ends_with(" $450.00"));
    EXPECT_TRUE(line("Sales tax").ends_with(" $1,776.25"));
    EXPECT_TRUE(line("Trade-in equity").ends_with(" -$3,000.00"));
    EXPECT_TRUE(line("TOTAL DUE").ends_with(" $23,726.25"));
    EXPECT_TRUE(line("Paid before").ends_with(" $0.00"));
    EXPECT_TRUE(line("THIS PAYMENT").ends_with(" $1,000.00"));
    EXPECT_TRUE(line("Method").ends_with(" Card VISA 4242"));
    EXPECT_TRUE(line("BALANCE DUE").ends_with(" $22,726.25"));
    EXPECT_TRUE(contains(*out, kEsc + "E" + bytes({1}) + "THIS PAYMENT"));
    EXPECT_TRUE(contains(*out, doc.qrPayload));
    EXPECT_FALSE(contains(*out, "COPY / REPRINT"));

    doc.tradeEquity = -120'000;
    out = encodeReceipt(doc, ReceiptOptions{profile("80mm")});
    ASSERT_TRUE(out);
    EXPECT_TRUE(contains(*out, "Negative equity"));
    EXPECT_TRUE(contains(*out, " $1,200.00\n"));
    doc.tradeEquity = 0;
    out = encodeReceipt(doc, ReceiptOptions{profile("80mm")});
    EXPECT_FALSE(contains(*out, "equity"));
}

TEST(ReceiptEscpos, PaidInFullCashOpensTheDrawerOnlyWhenAsked) {
    const auto doc = sampleReceipt(core::ReceiptKind::PaidInFull);
    ReceiptOptions options{profile("80mm")};
    auto quiet = encodeReceipt(doc, options);
    ASSERT_TRUE(quiet);
    EXPECT_EQ(decode(*quiet).drawerKicks, 0);
    EXPECT_TRUE(contains(*quiet, "PAID IN FULL\n"));
    options.openDrawer = true;
    auto kicked = encodeReceipt(doc, options);
    ASSERT_TRUE(kicked);
    // The drawer opens with the receipt's last command before the cut: part of the job, so a job
    // broken off before its end opens no drawer.
    EXPECT_TRUE(kicked->ends_with(kEsc + "p" + bytes({0, 25, 250}) + kGs + "V" + bytes({66, 0})));
    auto card = sampleReceipt(core::ReceiptKind::Deposit);
    EXPECT_EQ(decode(encodeReceipt(card, options).value()).drawerKicks, 0);
}

TEST(ReceiptEscpos, ReprintBannerInBothLanguages) {
    ReceiptOptions options{profile("80mm+gb18030")};
    options.reprint = true;
    auto en = encodeReceipt(sampleReceipt(core::ReceiptKind::Payment), options);
    ASSERT_TRUE(en);
    EXPECT_TRUE(contains(*en, kGs + "B" + bytes({1}) + kGs + "!" + bytes({0x11}) + " COPY / REPRINT \n"));
    auto zh = encodeReceipt(sampleReceipt(core::ReceiptKind::Payment, "zh-CN"), options);
    ASSERT_TRUE(zh);
    const auto chinese = zh->find(toGb18030("副本 / 重印").value());
    const auto english = zh->find(" COPY / REPRINT ");
    ASSERT_NE(chinese, std::string::npos);
    ASSERT_NE(english, std::string::npos);
    EXPECT_LT(chinese, english);
}

TEST(ReceiptEscpos, ChineseLabelsAndUnknownLanguage) {
    auto doc = sampleReceipt(core::ReceiptKind::PaidInFull, "zh-CN");
    auto out = encodeReceipt(doc, ReceiptOptions{profile("80mm+gb18030")});
    ASSERT_TRUE(out);
    for (const char* label :
         {"收据 — 已付清", "收据号", "车架号", "应付总额", "本次付款", "现金", "已付清", "谢谢惠顾"})
        EXPECT_TRUE(contains(*out, toGb18030(label).value())) << label;
    doc.language = "fr";
    auto bad = encodeReceipt(doc, ReceiptOptions{profile("80mm")});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, core::ErrorCode::InvalidInput);
}

TEST(ReceiptEscpos, LogoComesFirstCentred) {
    print::Bitmap logo(16, 2);
    logo.set(0, 0);
    ReceiptOptions options{profile("58mm")};
    options.logo = &logo;
    auto out = encodeReceipt(sampleReceipt(core::ReceiptKind::Payment), options);
    ASSERT_TRUE(out);
    EXPECT_TRUE(
        out->starts_with(kEsc + "@" + kEsc + "a" + bytes({1}) + kGs + "v0" + bytes({0, 2, 0, 2, 0, 0x80, 0, 0, 0})))
        << hexOf(out->substr(0, 32));
}

TEST(ReceiptEscpos, SameDocumentSameBytes) {
    const auto doc = sampleReceipt(core::ReceiptKind::Payment);
    EXPECT_EQ(encodeReceipt(doc, ReceiptOptions{profile("80mm")}).value(),
              encodeReceipt(doc, ReceiptOptions{profile("80mm")}).value());
}

// ---------------------------------------------------------------------------------------------
// Golden byte streams

TEST(ReceiptEscposGolden, EnglishDeposit80mm) {
    expectGolden("deposit_en_80mm",
                 encodeReceipt(sampleReceipt(core::ReceiptKind::Deposit), {profile("80mm")}).value());
}

TEST(ReceiptEscposGolden, EnglishPayment80mm) {
    expectGolden("payment_en_80mm",
                 encodeReceipt(sampleReceipt(core::ReceiptKind::Payment), {profile("80mm")}).value());
}

TEST(ReceiptEscposGolden, EnglishPaidInFull80mmWithDrawer) {
    ReceiptOptions options{profile("80mm")};
    options.openDrawer = true;
    expectGolden("paid_in_full_en_80mm", encodeReceipt(sampleReceipt(core::ReceiptKind::PaidInFull), options).value());
}

TEST(ReceiptEscposGolden, EnglishReprint80mm) {
    ReceiptOptions options{profile("80mm")};
    options.reprint = true;
    expectGolden("reprint_en_80mm", encodeReceipt(sampleReceipt(core::ReceiptKind::Payment), options).value());
}

TEST(ReceiptEscposGolden, EnglishPayment58mm) {
    expectGolden("payment_en_58mm",
                 encodeReceipt(sampleReceipt(core::ReceiptKind::Payment), {profile("58mm")}).value());
}

TEST(ReceiptEscposGolden, ChinesePaymentOnGb18030Printer) {
    expectGolden("payment_zh_80mm_gb18030",
                 encodeReceipt(sampleReceipt(core::ReceiptKind::Payment, "zh-CN"), {profile("80mm+gb18030")}).value());
}

TEST(ReceiptEscposGolden, ChinesePaymentRasterised) {
    const auto* raster = rasterizer();
    if (raster == nullptr) FAIL() << "TextRasterizer could not open its fonts (scripts/install-deps.sh installs fonts-dejavu-core and fonts-arphic-uming)";
    ReceiptOptions options{profile("80mm")};
    options.raster = raster;
    const std::string out = encodeReceipt(sampleReceipt(core::ReceiptKind::Payment, "zh-CN"), options).value();
    EXPECT_GT(decode(out).images, 10);
    expectGolden("payment_zh_80mm_raster", out);
}
