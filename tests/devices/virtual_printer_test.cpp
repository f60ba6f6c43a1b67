// The virtual ESC/POS printer, its renderer and the text rasteriser, as a user of the receipt preview or
// of a printer on port 9100 would see them. Byte streams are built by hand here (not with the
// Encoder) so that these tests say what a printer does with bytes, whatever the encoder sends.
#include "showroom/devices/print/bitmap.hpp"
#include "showroom/devices/print/receipt_escpos.hpp"
#include "showroom/devices/print/virtual_printer.hpp"
#include "showroom/devices/scan/image_decoder.hpp"

#include "receipt_sample.hpp"
#include "temp_dir.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stb/stb_image.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <initializer_list>
#include <random>
#include <thread>

namespace showroom::devices::print {
namespace {

using Clock = std::chrono::steady_clock;

std::string bytes(std::initializer_list<int> list) {
    std::string s;
    for (int b : list)
        s += static_cast<char>(b);
    return s;
}

const std::string kInit = bytes({0x1B, '@'});
const std::string kCut = bytes({0x1D, 'V', 66, 0});

std::string align(int n) {
    return bytes({0x1B, 'a', n});
}
std::string sizeMode(int w, int h) {
    return bytes({0x1D, '!', ((w - 1) << 4) | (h - 1)});
}
std::string boldMode(bool on) {
    return bytes({0x1B, 'E', on ? 1 : 0});
}

std::string qrBytes(const std::string& data) {
    std::string s = bytes({0x1D, '(', 'k', 4, 0, 49, 65, 50, 0}); // model 2
    s += bytes({0x1D, '(', 'k', 3, 0, 49, 67, 6});                // module 6 dots
    const std::size_t len = data.size() + 3;
    s += bytes({0x1D, '(', 'k', static_cast<int>(len & 0xFF), static_cast<int>(len >> 8), 49, 80, 48}) + data;
    s += bytes({0x1D, '(', 'k', 3, 0, 49, 81, 48}); // print
    return s;
}

std::string code128Bytes(const std::string& data) {
    const std::string payload = "{B" + data;
    return bytes({0x1D, 'H', 2, 0x1D, 'h', 80, 0x1D, 'k', 73, static_cast<int>(payload.size())}) + payload;
}

struct Box {
    int minX = 1 << 30, minY = 1 << 30, maxX = -1, maxY = -1;
    long count = 0;
    bool empty() const { return count == 0; }
    int width() const { return maxX - minX + 1; }
};

Box blackBox(const Bitmap& b) {
    Box box;
    for (int y = 0; y < b.height; ++y)
        for (int x = 0; x < b.width; ++x)
            if (b.at(x, y)) {
                box.minX = std::min(box.minX, x);
                box.maxX = std::max(box.maxX, x);
                box.minY = std::min(box.minY, y);
                box.maxY = std::max(box.maxY, y);
                ++box.count;
            }
    return box;
}

const TextRasterizer& raster() {
    static const TextRasterizer r = [] {
        auto opened = TextRasterizer::open();
        if (!opened) {
            ADD_FAILURE() << opened.error().message;
            std::abort();
        }
        return opened.value();
    }();
    return r;
}

RenderedReceipt renderOne(const std::string& stream, escpos::PrinterProfile profile = {}) {
    auto receipts = renderEscPos(stream, profile, &raster());
    EXPECT_EQ(receipts.size(), 1U);
    return receipts.empty() ? RenderedReceipt{} : receipts.front();
}

// --- a test client for the TCP printer -----------------------------------------------------

class Client {
public:
    explicit Client(int port) {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(port));
        ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
        m_connected = ::connect(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    }
    ~Client() { ::close(m_fd); }
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    bool connected() const { return m_connected; }

    /// Bytes the peer accepted before an error (a reset connection).
    std::size_t send(const std::string& data) {
        std::size_t sent = 0;
        while (sent < data.size()) {
            const ssize_t n = ::send(m_fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) break;
            sent += static_cast<std::size_t>(n);
        }
        return sent;
    }

    /// Up to `n` bytes, waiting at most `timeoutMs` in all.
    std::string receive(std::size_t n, int timeoutMs) {
        std::string out;
        const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
        while (out.size() < n) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
            if (left <= 0) break;
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left)) <= 0) break;
            char buf[64];
            const ssize_t r = ::recv(m_fd, buf, std::min(sizeof buf, n - out.size()), 0);
            if (r <= 0) break;
            out.append(buf, static_cast<std::size_t>(r));
        }
        return out;
    }

    /// True when the peer closes the connection within `timeoutMs` (EOF or reset).
    bool closedWithin(int timeoutMs) {
        const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
            if (left <= 0) return false;
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left)) <= 0) return false;
            char buf[256];
            const ssize_t r = ::recv(m_fd, buf, sizeof buf, 0);
            if (r <= 0) return true;
        }
    }

    core::Result<core::print::PrinterStatus> status() {
        if (send(escpos::fullStatusRequest()) != 12)
            return core::fail(core::ErrorCode::Io, "could not send the status request");
        const std::string answer = receive(4, 3000);
        if (answer.size() != 4)
            return core::fail(core::ErrorCode::Io, "got " + std::to_string(answer.size()) + " of 4 status bytes");
        std::array<std::uint8_t, 4> a{};
        for (std::size_t i = 0; i < 4; ++i)
            a[i] = static_cast<std::uint8_t>(answer[i]);
        return escpos::parseStatus(a);
    }

private:
    int m_fd = -1;
    bool m_connected = false;
};

std::unique_ptr<VirtualPrinter> startPrinter(VirtualPrinter::Options options = {}) {
    auto started = VirtualPrinter::start(std::move(options));
    if (!started) {
        ADD_FAILURE() << started.error().message;
        return nullptr;
    }
    return std::move(started.value());
}

// --- renderer ----------------------------------------------------------------------------------

// Every symbol ZXing finds on the paper, as "Format text", top to bottom. The paper gets a white
// margin, as the roll around a printed receipt has.
std::vector<std::string> scanPaper(const Bitmap& paper) {
    const int margin = 24, w = paper.width + 2 * margin, h = paper.height + 2 * margin;
    std::vector<std::uint8_t> gray(static_cast<std::size_t>(w) * h, 255);
    for (int y = 0; y < paper.height; ++y)
        for (int x = 0; x < paper.width; ++x)
            if (paper.at(x, y)) gray[static_cast<std::size_t>(y + margin) * w + x + margin] = 0;
    DecodeOptions options;
    options.formats = {core::scan::Symbology::QRCode, core::scan::Symbology::Code128};
    auto found = decodeInProcess(GrayView{gray.data(), w, h, w}, options);
    std::vector<std::pair<int, std::string>> out;
    if (!found) return {"decode failed: " + found.error().message};
    for (const auto& s : *found)
        out.emplace_back(s.position[0].y, std::string(core::scan::toString(s.symbology)) + " " + s.text);
    std::sort(out.begin(), out.end());
    std::vector<std::string> texts;
    for (auto& [y, t] : out) texts.push_back(t);
    return texts;
}

TEST(EscPosRender, TextAppearsAndACutSplitsReceipts) {
    const auto receipts = renderEscPos(kInit + "Hello showroom\n" + kCut + kInit + "Second\n" + kCut, {}, &raster());
    ASSERT_EQ(receipts.size(), 2U);
    EXPECT_EQ(receipts[0].text, "Hello showroom\n");
    EXPECT_EQ(receipts[1].text, "Second\n");
    for (const auto& r : receipts) {
        EXPECT_TRUE(r.cut);
        EXPECT_EQ(r.paper.width, 576);
        const Box box = blackBox(r.paper);
        ASSERT_FALSE(box.empty()) << "no dots where the text is";
        EXPECT_LT(box.minX, 24); // left aligned
        EXPECT_LT(box.maxY, 30); // on the first line
    }
    // 14 characters of 12 dots: the text ends near 168 dots.
    EXPECT_NEAR(blackBox(receipts[0].paper).maxX, 14 * 12, 12);
}

TEST(EscPosRender, ProfileSetsThePaperWidth) {
    escpos::PrinterProfile narrow;
    narrow.dotsPerLine = 384;
    narrow.columns = 32;
    const auto r = renderOne(kInit + "58 mm\n" + kCut, narrow);
    EXPECT_EQ(r.paper.width, 384);
}

TEST(EscPosRender, AlignmentMovesTheDots) {
    const auto left = blackBox(renderOne(kInit + align(0) + "TOTAL\n" + kCut).paper);
    const auto centre = blackBox(renderOne(kInit + align(1) + "TOTAL\n" + kCut).paper);
    const auto right = blackBox(renderOne(kInit + align(2) + "TOTAL\n" + kCut).paper);
    ASSERT_FALSE(left.empty() || centre.empty() || right.empty());
    EXPECT_LT(left.minX, 12);
    EXPECT_NEAR((centre.minX + centre.maxX) / 2, 288, 12);
    EXPECT_GT(right.maxX, 576 - 12);
}

TEST(EscPosRender, BoldAndSizeChangeTheDots) {
    const auto normal = blackBox(renderOne(kInit + "WIDE 42\n" + kCut).paper);
    const auto bold = blackBox(renderOne(kInit + boldMode(true) + "WIDE 42\n" + kCut).paper);
    const auto big = blackBox(renderOne(kInit + sizeMode(2, 2) + "WIDE 42\n" + kCut).paper);
    EXPECT_GT(bold.count, normal.count);
    EXPECT_GT(big.width(), normal.width() * 3 / 2);
    EXPECT_GT(big.maxY - big.minY, (normal.maxY - normal.minY) * 3 / 2);
}

TEST(EscPosRender, LongLinesWrapAtThePaperWidth) {
    const auto r = renderOne(kInit + std::string(60, 'x') + "\n" + kCut);
    EXPECT_EQ(r.text, std::string(48, 'x') + "\n" + std::string(12, 'x') + "\n");
}

TEST(EscPosRender, RasterImageDotsLandWhereTheyShould) {
    // 16 x 3 dots: a dot at (0,0), a full byte at row 1 x 8..15, a dot at (15,2).
    const std::string image = bytes({0x1D, 'v', '0', 0, 2, 0, 3, 0, 0x80, 0x00, 0x00, 0xFF, 0x00, 0x01});
    const auto r = renderOne(kInit + image + kCut);
    EXPECT_EQ(r.text, "[image 16x3]\n");
    ASSERT_GE(r.paper.height, 3);
    EXPECT_EQ(r.paper.at(0, 0), 1);
    EXPECT_EQ(r.paper.at(1, 0), 0);
    for (int x = 8; x < 16; ++x)
        EXPECT_EQ(r.paper.at(x, 1), 1) << x;
    EXPECT_EQ(r.paper.at(7, 1), 0);
    EXPECT_EQ(r.paper.at(15, 2), 1);
    EXPECT_EQ(blackBox(r.paper).count, 10);
}

TEST(EscPosRender, CodePagesDecodeBackToUtf8) {
    const std::string stream = kInit + bytes({0x1B, 't', 19}) + "Total " + bytes({0xD5}) + " 12\n" +
                               bytes({0x1B, 't', 0}) + "Caf" + bytes({0x82}) + "\n" + kCut;
    const auto r = renderOne(stream);
    EXPECT_EQ(r.text, "Total € 12\nCafé\n");
}

TEST(EscPosRender, Gb18030TwoAndFourByteSequences) {
    const std::string stream =
        kInit + bytes({0x1C, '&', 0xCA, 0xD5, 0xBE, 0xDD, 0x94, 0x39, 0xFC, 0x36, 0x1C, '.'}) + " ok\n" + kCut;
    const auto r = renderOne(stream);
    EXPECT_EQ(r.text, "收据😀 ok\n");
    EXPECT_FALSE(blackBox(r.paper).empty());
}

TEST(EscPosRender, QrCodeAndBarcodeAreRecorded) {
    const auto r = renderOne(kInit + align(1) + qrBytes("https://showroom.test/r/R2026-000012") +
                             code128Bytes("R2026-000012") + kCut);
    ASSERT_EQ(r.qrCodes.size(), 1U);
    EXPECT_EQ(r.qrCodes[0], "https://showroom.test/r/R2026-000012");
    ASSERT_EQ(r.barcodes.size(), 1U);
    EXPECT_EQ(r.barcodes[0], "R2026-000012");
    EXPECT_EQ(r.text, "[QR: https://showroom.test/r/R2026-000012]\n[Code128: R2026-000012]\n");
    // What was burnt scans: ZXing reads the QR code and the Code 128 off the paper, as a customer's
    // phone or the dealer's scanner would read the printed receipt.
    EXPECT_EQ(scanPaper(r.paper), (std::vector<std::string>{"QRCode https://showroom.test/r/R2026-000012",
                                                             "Code128 R2026-000012"}));
}

TEST(EscPosRender, QrCodeAtEachErrorCorrectionLevelScans) {
    for (std::uint8_t level : {48, 49, 50, 51}) {
        const std::string data = "showroom:deal/D2026-000042?receipt=R2026-000012";
        const std::string qr = bytes({0x1D, '(', 'k', 4, 0, 49, 65, 50, 0}) + bytes({0x1D, '(', 'k', 3, 0, 49, 67, 4}) +
                               bytes({0x1D, '(', 'k', 3, 0, 49, 69, level}) +
                               bytes({0x1D, '(', 'k', static_cast<std::uint8_t>(data.size() + 3), 0, 49, 80, 48}) + data +
                               bytes({0x1D, '(', 'k', 3, 0, 49, 81, 48});
        const auto r = renderOne(kInit + align(1) + qr + kCut);
        EXPECT_EQ(scanPaper(r.paper), (std::vector<std::string>{"QRCode " + data})) << "level " << int(level);
    }
}

TEST(EscPosRender, APrintedReceiptsQrCodeAndBarcodeScanToItsReferences) {
    const auto r = showroom::test::sampleReceipt(core::ReceiptKind::Deposit);
    auto raster = TextRasterizer::open();
    ASSERT_TRUE(raster.ok()) << raster.error().message;
    for (const char* paper : {"80mm", "58mm"}) {
        escpos::ReceiptOptions options;
        options.profile = escpos::PrinterProfile::named(paper).value();
        options.raster = &*raster;
        const auto bytes = escpos::encodeReceipt(r, options);
        ASSERT_TRUE(bytes.ok());
        const auto printed = renderEscPos(*bytes, options.profile, &*raster);
        ASSERT_EQ(printed.size(), 1U);
        EXPECT_EQ(scanPaper(printed[0].paper),
                  (std::vector<std::string>{"QRCode " + r.qrPayload, "Code128 " + r.receiptNo}))
            << paper;
    }
}

TEST(EscPosRender, DrawerKickStatusQueriesAndAnUncutEnd) {
    const std::string stream = kInit + bytes({0x10, 0x04, 1, 0x1B, 'p', 0, 25, 250}) + "no cut yet\n";
    const auto receipts = renderEscPos(stream, {}, nullptr);
    ASSERT_EQ(receipts.size(), 1U);
    EXPECT_FALSE(receipts[0].cut);
    EXPECT_TRUE(receipts[0].drawerKicked);
    EXPECT_EQ(receipts[0].text, "no cut yet\n"); // the status query printed nothing
    EXPECT_TRUE(blackBox(receipts[0].paper).empty()) << "without a rasteriser the picture stays blank";
}

TEST(EscPosRender, UnknownCommandsAreSkippedByTheirLength) {
    // ESC * (bit image, 3 columns), GS ( L (graphics, 4 bytes of data), ESC W (8 bytes), FS p, ESC z.
    const std::string stream =
        kInit + bytes({0x1B, '*', 0, 3, 0, 'A', 'B', 'C'}) + bytes({0x1D, '(', 'L', 4, 0, 'D', 'E', 'F', 'G'}) +
        bytes({0x1B, 'W', 1, 2, 3, 4, 5, 6, 7, 8}) + bytes({0x1C, 'p', 1, 0}) + bytes({0x1B, 'z'}) + "visible\n" + kCut;
    EXPECT_EQ(renderOne(stream).text, "visible\n");
}

TEST(EscPosRender, InvalidUtf8AndGarbageNeitherCrashNorHang) {
    std::mt19937 prng(20261207);
    std::string garbage;
    garbage.reserve(300 * 1024);
    // Half plain random bytes, half biased towards command introducers so the parsers get exercised.
    std::uniform_int_distribution<int> byte(0, 255), pick(0, 7);
    const int introducers[] = {0x1B, 0x1D, 0x1C, 0x10, 0x0A};
    while (garbage.size() < 300 * 1024) {
        if (garbage.size() > 150 * 1024 && pick(prng) == 0)
            garbage += static_cast<char>(introducers[byte(prng) % 5]);
        else
            garbage += static_cast<char>(byte(prng));
    }
    const auto start = Clock::now();
    const auto receipts = renderEscPos(garbage, {}, &raster());
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    EXPECT_LT(seconds, 30.0);
    for (const auto& r : receipts) {
        EXPECT_EQ(r.paper.width, 576);
        EXPECT_LE(r.paper.height, 20000);
        EXPECT_EQ(r.paper.dots.size(), static_cast<std::size_t>(r.paper.width) * r.paper.height);
    }
    // Every prefix of a real job (a command cut anywhere) ends cleanly too.
    const std::string job = kInit + qrBytes("abc") + code128Bytes("X1") +
                            bytes({0x1D, 'v', '0', 0, 1, 0, 1, 0, 0xAA, 0x1C, '&', 0xCA, 0xD5}) + kCut;
    for (std::size_t n = 0; n <= job.size(); ++n)
        (void)renderEscPos(job.substr(0, n), {}, &raster());
    // A huge declared raster image is skipped, not allocated.
    const auto huge = renderEscPos(kInit + bytes({0x1D, 'v', '0', 0, 0xFF, 0xFF, 0xFF, 0xFF}) + "tail", {}, nullptr);
    for (const auto& r : huge)
        EXPECT_EQ(r.text.find("tail"), std::string::npos);
}

TEST(EscPosRender, PaperHeightIsCapped) {
    std::string stream = kInit;
    for (int i = 0; i < 200; ++i)
        stream += bytes({0x1B, 'd', 255});
    stream += "end\n" + kCut;
    const auto r = renderOne(stream, {});
    EXPECT_EQ(r.paper.height, 20000);
    EXPECT_NE(r.text.find("end\n"), std::string::npos);
}

// --- text rasteriser -----------------------------------------------------------------------------

TEST(TextRaster, CoversLatinAndChinese) {
    const auto& r = raster();
    EXPECT_TRUE(r.covers("Hello, Zoë — 12,50 €"));
    EXPECT_TRUE(r.covers("收据"));
    EXPECT_FALSE(r.covers("\U000F0000")); // a private-use plane: no font has it

    for (const char* text : {"Receipt R2026-000012", "收据 总计"}) {
        const Bitmap b = r.render(text, 24);
        EXPECT_EQ(b.height, 24) << text;
        EXPECT_EQ(b.width, r.measure(text, 24)) << text;
        EXPECT_GT(blackBox(b).count, 50) << text;
    }
    EXPECT_GT(blackBox(r.render("Bold", 24, true)).count, blackBox(r.render("Bold", 24, false)).count);
}

TEST(TextRaster, BaselineIsSharedByLatinAndChinese) {
    const auto& r = raster();
    const Box latin = blackBox(r.render("H", 48));
    const Box cjk = blackBox(r.render("田", 48));
    ASSERT_FALSE(latin.empty() || cjk.empty());
    EXPECT_NEAR(latin.maxY, cjk.maxY, 6); // both sit on the baseline
}

TEST(TextRaster, MaxWidthCutsAndInvalidUtf8DrawsSomething) {
    const auto& r = raster();
    EXPECT_LE(r.render(std::string(100, 'M'), 24, false, 50).width, 50);
    const std::string invalid = "ok \xFF\xC3 \xE2\x82 \xED\xA0\x80 end";
    const Bitmap b = r.render(invalid, 24);
    EXPECT_GT(b.width, r.measure("ok  end", 24));
    EXPECT_TRUE(r.render("", 24).empty());
    EXPECT_TRUE(r.render("x", 0).empty());
}

TEST(TextRaster, MissingFontIsNamed) {
    TextRasterizer::Fonts fonts;
    fonts.cjk = "/nonexistent/uming.ttc";
    const auto opened = TextRasterizer::open(fonts);
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, core::ErrorCode::InvalidInput);
    EXPECT_NE(opened.error().message.find("/nonexistent/uming.ttc"), std::string::npos);
}

// --- bitmaps -----------------------------------------------------------------------------------

TEST(Bitmap, PngRoundTripKeepsEveryDot) {
    Bitmap b(37, 11);
    for (int y = 0; y < b.height; ++y)
        for (int x = 0; x < b.width; ++x)
            if ((x * 7 + y * 3) % 5 == 0) b.set(x, y);
    const auto png = encodePng(b);
    ASSERT_TRUE(png) << png.error().message;
    ASSERT_EQ(png->compare(0, 8, "\x89PNG\r\n\x1a\n"), 0);

    int w = 0, h = 0, n = 0;
    unsigned char* pixels = stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(png->data()),
                                                  static_cast<int>(png->size()), &w, &h, &n, 1);
    ASSERT_NE(pixels, nullptr);
    ASSERT_EQ(w, 37);
    ASSERT_EQ(h, 11);
    for (int i = 0; i < w * h; ++i)
        EXPECT_EQ(pixels[i] < 128 ? 1 : 0, b.dots[static_cast<std::size_t>(i)]) << i;
    stbi_image_free(pixels);

    EXPECT_FALSE(encodePng(Bitmap{}));
}

TEST(Bitmap, LoadThresholdsAndScalesDown) {
    test::TempDir dir;
    Bitmap b(40, 20);
    for (int y = 0; y < 20; ++y)
        for (int x = 0; x < 20; ++x)
            b.set(x, y); // left half black
    const auto png = encodePng(b);
    ASSERT_TRUE(png);
    test::writeFile(dir.file("half.png"), *png);

    const auto same = loadBitmap(dir.file("half.png"), 576);
    ASSERT_TRUE(same) << same.error().message;
    EXPECT_EQ(same->dots, b.dots);

    const auto small = loadBitmap(dir.file("half.png"), 20);
    ASSERT_TRUE(small);
    EXPECT_EQ(small->width, 20);
    EXPECT_EQ(small->height, 10);
    EXPECT_EQ(small->at(2, 5), 1);
    EXPECT_EQ(small->at(17, 5), 0);

    const auto missing = loadBitmap(dir.file("nope.png"), 100);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, core::ErrorCode::InvalidInput);
}

// --- the TCP printer -------------------------------------------------------------------------

TEST(VirtualPrinter, PrintsWhatArrivesOverTcpAndWritesFiles) {
    test::TempDir dir;
    VirtualPrinter::Options options;
    options.outDir = dir.path() / "out";
    auto printer = startPrinter(options);
    ASSERT_TRUE(printer);
    EXPECT_EQ(printer->connection(), "tcp:127.0.0.1:" + std::to_string(printer->port()));

    const std::string job = kInit + "First receipt\n" + kCut + kInit + "Second receipt\n" + kCut;
    {
        Client client(printer->port());
        ASSERT_TRUE(client.connected());
        EXPECT_EQ(client.send(job), job.size());
        ASSERT_TRUE(printer->waitForReceipts(2, 5000));
    }
    const auto receipts = printer->receipts();
    ASSERT_EQ(receipts.size(), 2U);
    EXPECT_EQ(receipts[0].text, "First receipt\n");
    EXPECT_EQ(receipts[1].text, "Second receipt\n");
    EXPECT_TRUE(receipts[1].cut);
    EXPECT_EQ(printer->printed(), job);
    EXPECT_EQ(printer->connections(), 1U);

    EXPECT_EQ(test::readFile((dir.path() / "out" / "receipt-001.txt").string()), "First receipt\n");
    EXPECT_EQ(test::readFile((dir.path() / "out" / "receipt-002.bin").string()), kInit + "Second receipt\n" + kCut);
    EXPECT_EQ(test::readFile((dir.path() / "out" / "receipt-002.png").string()).compare(0, 4, "\x89PNG"), 0);
}

TEST(VirtualPrinter, AnswersStatusForEachFault) {
    auto printer = startPrinter();
    ASSERT_TRUE(printer);
    struct Case {
        const char* name;
        VirtualPrinter::Faults faults;
    };
    std::vector<Case> cases(4);
    cases[0].name = "ready";
    cases[1].name = "paper out";
    cases[1].faults.paperOut = true;
    cases[2].name = "cover open";
    cases[2].faults.coverOpen = true;
    cases[3].name = "offline";
    cases[3].faults.offline = true;
    for (const auto& c : cases) {
        printer->setFaults(c.faults);
        Client client(printer->port());
        ASSERT_TRUE(client.connected());
        // A job sent to a printer that cannot print is swallowed; the status question still gets its answer.
        client.send(kInit + std::string("lost ") + c.name + "\n" + kCut);
        const auto status = client.status();
        ASSERT_TRUE(status) << c.name << ": " << status.error().message;
        EXPECT_EQ(status->paperOut, c.faults.paperOut) << c.name;
        EXPECT_EQ(status->coverOpen, c.faults.coverOpen) << c.name;
        const bool fault = c.faults.paperOut || c.faults.coverOpen || c.faults.offline;
        EXPECT_EQ(status->online, !fault) << c.name;
        EXPECT_EQ(status->ready(), !fault) << c.name;
    }
    // Only the "ready" case printed.
    const auto receipts = printer->receipts();
    ASSERT_EQ(receipts.size(), 1U);
    EXPECT_EQ(receipts[0].text, "lost ready\n");
}

TEST(VirtualPrinter, DropAfterClosesMidJobAndOnlyThePartBeforePrints) {
    auto printer = startPrinter();
    ASSERT_TRUE(printer);
    const std::string first = kInit + "Line one\n";
    const std::string job = first + "Line two\n" + kCut;
    VirtualPrinter::Faults faults;
    faults.dropAfter = first.size();
    printer->setFaults(faults);
    {
        Client client(printer->port());
        ASSERT_TRUE(client.connected());
        client.send(job);
        EXPECT_TRUE(client.closedWithin(3000));
    }
    ASSERT_TRUE(printer->waitForReceipts(1, 3000));
    const auto receipts = printer->receipts();
    ASSERT_EQ(receipts.size(), 1U);
    EXPECT_EQ(receipts[0].text, "Line one\n");
    EXPECT_FALSE(receipts[0].cut);
    EXPECT_EQ(printer->printed(), first);
    EXPECT_FALSE(printer->faults().dropAfter) << "the drop happens once";

    // The next connection prints normally.
    Client again(printer->port());
    again.send(job);
    ASSERT_TRUE(printer->waitForReceipts(2, 3000));
    EXPECT_EQ(printer->receipts()[1].text, "Line one\nLine two\n");
}

TEST(VirtualPrinter, PaperOutAfterEndsTheRollMidJob) {
    auto printer = startPrinter();
    ASSERT_TRUE(printer);
    const std::string first = kInit + "Line one\n";
    VirtualPrinter::Faults faults;
    faults.paperOutAfter = first.size();
    printer->setFaults(faults);
    EXPECT_TRUE(printer->status().paperNearEnd);

    Client client(printer->port());
    ASSERT_TRUE(client.connected());
    client.send(first + "Line two\n" + kCut);
    const auto status = client.status(); // on the same connection, after the job
    ASSERT_TRUE(status) << status.error().message;
    EXPECT_TRUE(status->paperOut);
    EXPECT_TRUE(printer->status().paperOut);

    ASSERT_TRUE(printer->waitForReceipts(1, 3000));
    const auto receipts = printer->receipts();
    ASSERT_EQ(receipts.size(), 1U);
    EXPECT_EQ(receipts[0].text, "Line one\n");
    EXPECT_FALSE(receipts[0].cut) << "a partial print";
    EXPECT_EQ(printer->printed(), first);
}

TEST(VirtualPrinter, IdleConnectionIsClosed) {
    auto printer = startPrinter();
    ASSERT_TRUE(printer);
    VirtualPrinter::Faults faults;
    faults.idleCloseMs = 200;
    printer->setFaults(faults);
    Client client(printer->port());
    ASSERT_TRUE(client.connected());
    const auto start = Clock::now();
    EXPECT_TRUE(client.closedWithin(5000));
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    EXPECT_GE(ms, 150);
    EXPECT_LT(ms, 3000);

    // A connection in use is not idle: status questions every 100 ms keep it open past 200 ms.
    Client busy(printer->port());
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(busy.status()) << "question " << i;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

TEST(VirtualPrinter, SlowPrinterBoundsThroughput) {
    auto printer = startPrinter();
    ASSERT_TRUE(printer);
    VirtualPrinter::Faults faults;
    faults.bytesPerSecond = 20000;
    printer->setFaults(faults);
    std::string job = kInit;
    while (job.size() < 10000)
        job += "0123456789 abcdefghij 0123456789\n";
    job += kCut;
    const auto start = Clock::now();
    Client client(printer->port());
    ASSERT_TRUE(client.connected());
    client.send(job);
    ASSERT_TRUE(printer->waitForReceipts(1, 10000));
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    // 10 kB at 20 kB/s: about half a second (a burst of 2 kB is allowed).
    EXPECT_GE(seconds, 0.35);
    EXPECT_LT(seconds, 5.0);
}

TEST(VirtualPrinter, JobReadInSmallPiecesPrintsTheSame) {
    // At 3000 bytes/s the server reads a few bytes at a time, so commands arrive cut at every point.
    auto printer = startPrinter();
    ASSERT_TRUE(printer);
    VirtualPrinter::Faults faults;
    faults.bytesPerSecond = 3000;
    printer->setFaults(faults);
    const std::string job = kInit + align(1) + sizeMode(2, 2) + "SHOWROOM\n" + sizeMode(1, 1) + align(0) +
                            bytes({0x1B, 't', 19}) + "Total " + bytes({0xD5}) + "\n" +
                            bytes({0x1C, '&', 0xCA, 0xD5, 0xBE, 0xDD, 0x1C, '.'}) + "\n" +
                            bytes({0x1D, 'v', '0', 0, 2, 0, 3, 0, 0x80, 0x00, 0x00, 0xFF, 0x00, 0x01}) +
                            qrBytes("https://showroom.test/r/1") + code128Bytes("R1") + kCut;
    Client client(printer->port());
    ASSERT_TRUE(client.connected());
    client.send(job);
    ASSERT_TRUE(printer->waitForReceipts(1, 10000));
    const auto expected = renderEscPos(job, {}, &raster());
    ASSERT_EQ(expected.size(), 1U);
    const auto got = printer->receipts();
    ASSERT_EQ(got.size(), 1U);
    EXPECT_EQ(got[0].text, "SHOWROOM\nTotal €\n收据\n[image 16x3]\n[QR: https://showroom.test/r/1]\n[Code128: R1]\n");
    EXPECT_EQ(got[0].text, expected[0].text);
    EXPECT_EQ(got[0].paper.dots, expected[0].paper.dots);
}

TEST(VirtualPrinter, GarbageOverTcpDoesNotStopTheServer) {
    auto printer = startPrinter();
    ASSERT_TRUE(printer);
    std::mt19937 prng(7);
    std::string garbage(200 * 1024, '\0');
    for (auto& c : garbage)
        c = static_cast<char>(prng() & 0xFF);
    {
        Client client(printer->port());
        client.send(garbage);
    }
    Client client(printer->port());
    ASSERT_TRUE(client.connected());
    const auto status = client.status();
    ASSERT_TRUE(status) << status.error().message;
}

// --- the in-process port ------------------------------------------------------------------------

TEST(VirtualPrinter, PortFollowsTheSameFaultRules) {
    VirtualPrinterPort port({}, &raster());
    EXPECT_EQ(port.describe(), "virtual");
    ASSERT_TRUE(port.status());
    EXPECT_TRUE(port.status()->ready());

    const std::string first = kInit + "Line one\n";
    const std::string job = first + "Line two\n" + kCut;
    auto sent = port.send(job);
    EXPECT_TRUE(sent.status);
    EXPECT_EQ(sent.written, job.size());
    ASSERT_EQ(port.receipts().size(), 1U);
    EXPECT_EQ(port.receipts()[0].text, "Line one\nLine two\n");

    VirtualPrinter::Faults drop;
    drop.dropAfter = first.size();
    port.setFaults(drop);
    sent = port.send(job);
    EXPECT_FALSE(sent.status);
    EXPECT_EQ(sent.written, first.size());
    ASSERT_EQ(port.receipts().size(), 2U);
    EXPECT_EQ(port.receipts()[1].text, "Line one\n");
    EXPECT_FALSE(port.receipts()[1].cut);

    VirtualPrinter::Faults roll;
    roll.paperOutAfter = first.size();
    port.setFaults(roll);
    sent = port.send(job);
    EXPECT_EQ(sent.written, job.size());  // a printer out of paper still takes the bytes...
    EXPECT_TRUE(port.status()->paperOut); // ...and says so when asked
    ASSERT_EQ(port.receipts().size(), 3U);
    EXPECT_EQ(port.receipts()[2].text, "Line one\n");

    sent = port.send(job); // nothing more prints until the paper is changed
    EXPECT_EQ(port.receipts().size(), 3U);

    VirtualPrinter::Faults cover;
    cover.coverOpen = true;
    port.setFaults(cover);
    EXPECT_EQ(port.status()->blocker(), "cover_open");
}

} // namespace
} // namespace showroom::devices::print
