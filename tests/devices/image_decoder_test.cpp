// Barcodes in pictures, as a porter's camera or a photo dropped in a folder gives them: symbols
// drawn by zint (with quiet zones, like printed labels), then turned, blurred, made noisy, washed
// out, seen at an angle, or made small inside a 1280x720 frame, read through the production path
// (IsolatedDecoder: ZXing in a worker process). Then what must never hurt the kiosk: broken files,
// a real libzxing 1.4.0 abort (built here deterministically: two labels of the same Code 128 at two
// sizes in one frame), a decode slower than its timeout, a program without the worker hook.
//
// This binary has its own main(): it is also the worker that IsolatedDecoder re-runs.
#include "showroom/devices/scan/image_decoder.hpp"

#include "barcode_images.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <map>
#include <thread>

namespace {

namespace dev = showroom::devices;
using showroom::core::ErrorCode;
using showroom::core::scan::Symbology;
using showroom::test::Gray;
using showroom::test::TempDir;
using Clock = std::chrono::steady_clock;

const std::string kVin = "1M8GDM9AXKP042788";
// An AAMVA-like licence payload: '@', LF, RS, CR, the header, subfile fields ending in LF, then CR.
const std::string kLicence = "@\n\x1e\rANSI 636000100001DL00310050DLDAQT64235789\nDCSSAMPLE\nDACJANE\nDBB07041990\r";

struct Label {
    std::string name; // test name part
    std::string zint; // zint -b value
    Symbology symbology;
    std::string payload;
    int scale;
    std::string extra;
    double turn; // degrees the label is turned by in the Rotated case (see below)
};

// How far a label can be turned and still be read differs by kind, and the tests hold each to
// what libzxing 1.4.0 reads: a linear code is read along pixel rows, so one row must cross the
// whole label (10 degrees for these tall labels); its PDF417 reader loses rows beyond ~5 degrees;
// QR Code and Data Matrix are read at any angle.
const std::vector<Label>& labels() {
    static const std::vector<Label> all = {
        {"Code39", "CODE39", Symbology::Code39, "I" + kVin, 2, "--notext --height=60", 10},
        {"Code128", "CODE128", Symbology::Code128, "STOCK-A123/2024", 2, "--notext --height=60", 10},
        {"DataMatrix", "DATAMATRIX", Symbology::DataMatrix, kVin, 4, "--square", 25},
        {"QRCode", "QRCODE", Symbology::QRCode, "VIN:" + kVin + ";STOCK:A123", 4, "", 25},
        {"PDF417", "PDF417", Symbology::PDF417, kLicence, 2, "", 5},
    };
    return all;
}

dev::GrayView view(const Gray& g) {
    return dev::GrayView{g.px.data(), g.width, g.height, g.width};
}

std::pair<int, int> centre(const dev::Symbol& s) {
    int x = 0, y = 0;
    for (const auto& p : s.position) {
        x += p.x;
        y += p.y;
    }
    return {x / 4, y / 4};
}

bool reaped(pid_t pid) {
    errno = 0;
    return ::waitpid(pid, nullptr, WNOHANG) == -1 && errno == ECHILD;
}

class ImageDecoder : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_dir = new TempDir();
        dev::IsolatedDecoderConfig config;
        config.timeout = std::chrono::milliseconds(20000); // generous: two cores, tests in parallel
        s_decoder = new dev::IsolatedDecoder(config);
    }
    static void TearDownTestSuite() {
        delete s_decoder;
        delete s_dir;
    }

    static Gray symbol(const Label& l) {
        auto g = showroom::test::zintSymbol(s_dir->path().string(), l.zint, l.payload, l.scale, l.extra);
        if (!g) ADD_FAILURE() << "zint could not draw " << l.name << " (is zint installed?)";
        return g.value_or(Gray(8, 8, 255));
    }

    static TempDir* s_dir;
    static dev::IsolatedDecoder* s_decoder;
};
TempDir* ImageDecoder::s_dir = nullptr;
dev::IsolatedDecoder* ImageDecoder::s_decoder = nullptr;

// --- Every format, clean and spoiled ---------------------------------------------------------

enum class Spoil { Clean, Rotated, Blurred, Noisy, LowContrast, Perspective, SmallInHdFrame };

const std::map<Spoil, std::string> kSpoilNames = {{Spoil::Clean, "Clean"},
                                                  {Spoil::Rotated, "Rotated"},
                                                  {Spoil::Blurred, "Blurred"},
                                                  {Spoil::Noisy, "Noisy"},
                                                  {Spoil::LowContrast, "LowContrast"},
                                                  {Spoil::Perspective, "Perspective"},
                                                  {Spoil::SmallInHdFrame, "SmallIn1280x720Frame"}};

// A label placed small (half size: 1-pixel bars, 2-pixel matrix modules) in a busy camera frame.
Gray smallInFrame(const Gray& g, double factor) {
    Gray frame = showroom::test::clutteredFrame(1280, 720, 11);
    const Gray small = showroom::test::scaled(g, factor);
    showroom::test::paste(frame, small, (1280 - small.width) * 2 / 3, (720 - small.height) * 2 / 3);
    return frame;
}

Gray spoil(const Gray& g, Spoil s, double turn) {
    using namespace showroom::test;
    switch (s) {
    case Spoil::Clean: return g;
    case Spoil::Rotated: return rotate(g, turn);
    case Spoil::Blurred: return blur(g, 1.2);
    case Spoil::Noisy: return addNoise(g, 40, 7);            // +-40 grey levels on every pixel
    case Spoil::LowContrast: return lowContrast(g, 80, 180); // a faded label in dim light
    case Spoil::Perspective: return perspective(g, 0.7);     // right edge 70% of the left one
    case Spoil::SmallInHdFrame: return smallInFrame(g, 0.5);
    }
    return g;
}

class EveryFormat : public ImageDecoder, public ::testing::WithParamInterface<std::tuple<std::size_t, Spoil>> {};

TEST_P(EveryFormat, ThePayloadComesBackByteExactWithItsFormat) {
    const Label& l = labels()[std::get<0>(GetParam())];
    const Gray picture = spoil(symbol(l), std::get<1>(GetParam()), l.turn);
    auto decoded = s_decoder->decode(view(picture), {});
    ASSERT_TRUE(decoded) << decoded.error().message;
    ASSERT_EQ(decoded->symbols.size(), 1u) << "a " << l.name << " label gives one symbol";
    const dev::Symbol& s = decoded->symbols[0];
    EXPECT_EQ(s.symbology, l.symbology);
    EXPECT_EQ(s.bytes, l.payload); // LF, RS and CR of a licence included
    EXPECT_TRUE(decoded->warning.empty()) << decoded->warning;
    const auto [cx, cy] = centre(s);
    EXPECT_TRUE(cx >= 0 && cy >= 0 && cx < picture.width && cy < picture.height) << cx << "," << cy;
}

INSTANTIATE_TEST_SUITE_P(Labels, EveryFormat,
                         ::testing::Combine(::testing::Range<std::size_t>(0, 5),
                                            ::testing::Values(Spoil::Clean, Spoil::Rotated, Spoil::Blurred,
                                                              Spoil::Noisy, Spoil::LowContrast, Spoil::Perspective,
                                                              Spoil::SmallInHdFrame)),
                         [](const auto& param) {
                             return labels()[std::get<0>(param.param)].name + "_" +
                                    kSpoilNames.at(std::get<1>(param.param));
                         });

TEST_F(ImageDecoder, TheQrPayloadIsTextAndTheCode39VinKeepsItsLeadingI) {
    auto qr = s_decoder->decode(view(symbol(labels()[3])), {});
    ASSERT_TRUE(qr && qr->symbols.size() == 1);
    EXPECT_EQ(qr->symbols[0].text, "VIN:" + kVin + ";STOCK:A123");
    auto c39 = s_decoder->decode(view(symbol(labels()[0])), {});
    ASSERT_TRUE(c39 && c39->symbols.size() == 1);
    EXPECT_EQ(c39->symbols[0].text, "I" + kVin);
}

// --- Several symbols, positions, region of interest, formats ---------------------------------

struct Placed {
    Symbology symbology;
    std::string payload;
    int x, y, w, h;
};

class SeveralSymbols : public ImageDecoder {
protected:
    void SetUp() override {
        frame = showroom::test::clutteredFrame(1280, 720, 3);
        const std::vector<std::pair<std::size_t, std::pair<int, int>>> where = {
            {3, {60, 360}}, {1, {380, 40}}, {2, {700, 420}}};
        for (const auto& [index, at] : where) {
            const Gray g = symbol(labels()[index]);
            showroom::test::paste(frame, g, at.first, at.second);
            placed.push_back(
                {labels()[index].symbology, labels()[index].payload, at.first, at.second, g.width, g.height});
        }
    }
    static bool inside(const dev::Symbol& s, const Placed& p) {
        const auto [cx, cy] = centre(s);
        return cx > p.x && cx < p.x + p.w && cy > p.y && cy < p.y + p.h;
    }
    Gray frame;
    std::vector<Placed> placed;
};

TEST_F(SeveralSymbols, AllAreFoundEachAtItsPlace) {
    auto decoded = s_decoder->decode(view(frame), {});
    ASSERT_TRUE(decoded) << decoded.error().message;
    ASSERT_EQ(decoded->symbols.size(), placed.size());
    for (const Placed& p : placed) {
        const auto it = std::find_if(decoded->symbols.begin(), decoded->symbols.end(),
                                     [&](const dev::Symbol& s) { return s.symbology == p.symbology; });
        ASSERT_NE(it, decoded->symbols.end()) << showroom::core::scan::toString(p.symbology);
        EXPECT_EQ(it->bytes, p.payload);
        EXPECT_TRUE(inside(*it, p)) << showroom::core::scan::toString(p.symbology) << " reported at "
                                    << centre(*it).first << "," << centre(*it).second;
    }
}

TEST_F(SeveralSymbols, ARegionOfInterestReadsOnlyWhatIsInsideInImageCoordinates) {
    const Placed& code128 = placed[1];
    dev::DecodeOptions options;
    options.roi = dev::Roi{code128.x - 10, code128.y - 10, code128.w + 20, code128.h + 20};
    auto decoded = s_decoder->decode(view(frame), options);
    ASSERT_TRUE(decoded) << decoded.error().message;
    ASSERT_EQ(decoded->symbols.size(), 1u);
    EXPECT_EQ(decoded->symbols[0].symbology, Symbology::Code128);
    EXPECT_TRUE(inside(decoded->symbols[0], code128)); // not relative to the region
}

TEST_F(SeveralSymbols, AFormatFilterLeavesTheOthersOut) {
    dev::DecodeOptions options;
    options.formats = {Symbology::QRCode, Symbology::DataMatrix};
    auto decoded = s_decoder->decode(view(frame), options);
    ASSERT_TRUE(decoded) << decoded.error().message;
    ASSERT_EQ(decoded->symbols.size(), 2u);
    for (const auto& s : decoded->symbols)
        EXPECT_NE(s.symbology, Symbology::Code128);
}

TEST_F(SeveralSymbols, ARegionOutsideTheImageIsRefused) {
    dev::DecodeOptions options;
    options.roi = dev::Roi{2000, 10, 100, 100};
    auto decoded = s_decoder->decode(view(frame), options);
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error().code, ErrorCode::InvalidInput);
    EXPECT_NE(decoded.error().message.find("outside the 1280x720 image"), std::string::npos) << decoded.error().message;
}

// --- Broken files: a clear error, the worker survives ----------------------------------------

class BrokenFiles : public ImageDecoder {
protected:
    void expectRefused(const std::string& path, ErrorCode code, const std::string& words) {
        auto before = s_decoder->decodeFile(s_dir->file("clean.png"), {}); // also starts the worker
        ASSERT_TRUE(before) << before.error().message;
        const auto pid = s_decoder->workerPid();
        auto decoded = s_decoder->decodeFile(path, {});
        ASSERT_FALSE(decoded) << path << " was read";
        EXPECT_EQ(decoded.error().code, code) << decoded.error().message;
        EXPECT_NE(decoded.error().message.find(words), std::string::npos) << decoded.error().message;
        EXPECT_EQ(s_decoder->workerPid(), pid) << "a refused file must not cost a worker";
        auto after = s_decoder->decodeFile(s_dir->file("clean.png"), {});
        ASSERT_TRUE(after) << after.error().message;
        EXPECT_EQ(after->symbols.size(), 1u);
    }
    void SetUp() override {
        const Gray g = symbol(labels()[3]);
        ASSERT_TRUE(showroom::test::writePng(s_dir->file("clean.png"), g));
        png = showroom::test::readFile(s_dir->file("clean.png"));
        ASSERT_GT(png.size(), 100u);
    }
    std::string png;
};

TEST_F(BrokenFiles, ATruncatedPng) {
    showroom::test::writeFile(s_dir->file("cut.png"), png.substr(0, png.size() / 2));
    expectRefused(s_dir->file("cut.png"), ErrorCode::InvalidInput, "damaged or truncated");
}

TEST_F(BrokenFiles, RandomBytes) {
    std::string noise(5000, '\0');
    std::uint32_t x = 12345;
    for (char& c : noise)
        c = static_cast<char>((x = x * 1103515245u + 12345u) >> 16);
    showroom::test::writeFile(s_dir->file("noise.png"), noise);
    expectRefused(s_dir->file("noise.png"), ErrorCode::InvalidInput, "not an image");
}

TEST_F(BrokenFiles, AnEmptyFile) {
    showroom::test::writeFile(s_dir->file("empty.png"), "");
    expectRefused(s_dir->file("empty.png"), ErrorCode::InvalidInput, "empty");
}

TEST_F(BrokenFiles, HugeDeclaredDimensionsAreRefusedBeforeAllocating) {
    // A valid PNG signature and IHDR claiming 20000 x 20000 pixels (1.6 GB as RGBA), then nothing.
    std::string bomb = png.substr(0, 16); // signature, IHDR length and type
    for (std::uint32_t v : {20000u, 20000u})
        for (int i = 3; i >= 0; --i)
            bomb.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    bomb += std::string("\x08\x00\x00\x00\x00", 5) + std::string(4, '\0') + png.substr(33);
    showroom::test::writeFile(s_dir->file("bomb.png"), bomb);
    expectRefused(s_dir->file("bomb.png"), ErrorCode::InvalidInput, "20000x20000");
}

TEST_F(BrokenFiles, ATextFile) {
    showroom::test::writeFile(s_dir->file("notes.txt"), "VIN 1M8GDM9AXKP042788, left rear door sticks\n");
    expectRefused(s_dir->file("notes.txt"), ErrorCode::InvalidInput, "not an image");
}

TEST_F(BrokenFiles, AMissingFileAndAFolder) {
    expectRefused(s_dir->file("nowhere.png"), ErrorCode::NotFound, "no such file");
    expectRefused(s_dir->path().string(), ErrorCode::Io, "folder");
}

TEST_F(ImageDecoder, AnImageAboveTheSizeLimitIsRefusedWithoutAWorkerTrip) {
    const std::vector<std::uint8_t> row(9000, 255);
    auto decoded = s_decoder->decode(dev::GrayView{row.data(), 9000, 1, 9000}, {});
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error().code, ErrorCode::InvalidInput);
    EXPECT_NE(decoded.error().message.find("9000x1"), std::string::npos) << decoded.error().message;
}

// --- Isolation: a real abort, a slow decode, a missing hook, no zombies ----------------------

// Two labels of the same Code 128 at two sizes in one frame: libzxing 1.4.0's ReadBarcodes()
// asserts while merging them (Result.cpp:140 `lineCount() == 1`) and aborts the process.
Gray abortingFrame(const std::string& dir) {
    Gray frame(1280, 720, 255);
    for (int scale : {1, 2}) {
        auto g = showroom::test::zintSymbol(dir, "CODE128", "A123", scale);
        if (!g)
            ADD_FAILURE() << "zint could not draw the Code 128";
        else
            showroom::test::paste(frame, *g, scale == 1 ? 100 : 400, scale == 1 ? 100 : 400);
    }
    return frame;
}

TEST_F(ImageDecoder, ARealDecoderAbortIsReportedAndTheNextDecodeWorks) {
    dev::IsolatedDecoderConfig config;
    config.retryAfterCrash = false;
    config.timeout = std::chrono::milliseconds(20000);
    dev::IsolatedDecoder decoder(config);
    ASSERT_TRUE(decoder.decode(view(symbol(labels()[0])), {}));
    const pid_t first = decoder.workerPid().value();

    auto crashed = decoder.decode(view(abortingFrame(s_dir->path().string())), {});
    ASSERT_FALSE(crashed) << "libzxing no longer aborts on this frame: the isolation still holds, but this test "
                             "needs a new aborting frame and the safe-mode retry may be unnecessary";
    EXPECT_EQ(crashed.error().code, ErrorCode::Internal);
    EXPECT_NE(crashed.error().message.find("crashed on this image"), std::string::npos) << crashed.error().message;
    EXPECT_NE(crashed.error().message.find("lineCount() == 1"), std::string::npos)
        << "the worker's last words are kept: " << crashed.error().message;
    EXPECT_FALSE(decoder.workerPid());
    EXPECT_TRUE(reaped(first)) << "the dead worker was reaped (no zombie)";

    auto next = decoder.decode(view(symbol(labels()[0])), {});
    ASSERT_TRUE(next) << next.error().message;
    ASSERT_EQ(next->symbols.size(), 1u);
    EXPECT_EQ(next->symbols[0].bytes, "I" + kVin);
    EXPECT_NE(decoder.workerPid().value(), first);
}

TEST_F(ImageDecoder, AfterACrashTheSafeModeRetryStillReadsOneSymbolAndSaysSo) {
    auto decoded = s_decoder->decode(view(abortingFrame(s_dir->path().string())), {});
    ASSERT_TRUE(decoded) << decoded.error().message;
    ASSERT_EQ(decoded->symbols.size(), 1u);
    EXPECT_EQ(decoded->symbols[0].bytes, "A123");
    EXPECT_NE(decoded->warning.find("crashed"), std::string::npos) << decoded->warning;
    EXPECT_NE(decoded->warning.find("at most one linear barcode"), std::string::npos) << decoded->warning;
}

TEST_F(ImageDecoder, ASingleSmallCode128InAFrameCrashesZxingYetTheUserGetsIt) {
    // The everyday case RECIPES.md warns about: one label, three quarters size, in a 1280x720
    // frame. libzxing 1.4.0 reads it on two scan lines that do not merge cleanly and aborts.
    const Gray frame = smallInFrame(symbol(labels()[1]), 0.75);
    dev::IsolatedDecoderConfig config;
    config.retryAfterCrash = false;
    config.timeout = std::chrono::milliseconds(20000);
    dev::IsolatedDecoder bare(config);
    auto crashed = bare.decode(view(frame), {});
    ASSERT_FALSE(crashed) << "libzxing no longer aborts on this frame; the retry may be unnecessary now";
    EXPECT_NE(crashed.error().message.find("crashed on this image"), std::string::npos) << crashed.error().message;

    auto decoded = s_decoder->decode(view(frame), {});
    ASSERT_TRUE(decoded) << decoded.error().message;
    ASSERT_EQ(decoded->symbols.size(), 1u);
    EXPECT_EQ(decoded->symbols[0].bytes, labels()[1].payload);
    EXPECT_FALSE(decoded->warning.empty());
}

TEST_F(ImageDecoder, TheSafeModeRetryKeepsEveryMatrixSymbol) {
    Gray frame = abortingFrame(s_dir->path().string());
    const Gray qr = symbol(labels()[3]);
    showroom::test::paste(frame, qr, 900, 60);
    auto decoded = s_decoder->decode(view(frame), {});
    ASSERT_TRUE(decoded) << decoded.error().message;
    ASSERT_EQ(decoded->symbols.size(), 2u);
    EXPECT_FALSE(decoded->warning.empty());
    EXPECT_TRUE(std::any_of(decoded->symbols.begin(), decoded->symbols.end(),
                            [](const dev::Symbol& s) { return s.symbology == Symbology::QRCode; }));
}

TEST_F(ImageDecoder, ADecodeSlowerThanTheTimeoutIsStoppedInTime) {
    // A 4096x4096 frame of noise read with tryHarder keeps ZXing busy for seconds here (2.4 s);
    // the timeout must end it after 250 ms, and the decoder must work again afterwards.
    Gray heavy = showroom::test::addNoise(Gray(4096, 4096, 128), 127, 99);
    dev::IsolatedDecoderConfig config;
    config.timeout = std::chrono::milliseconds(250);
    dev::IsolatedDecoder decoder(config);
    ASSERT_TRUE(decoder.decode(view(symbol(labels()[1])), {})); // worker started, handshake done
    const pid_t pid = decoder.workerPid().value();

    const auto start = Clock::now();
    auto slow = decoder.decode(view(heavy), {});
    const auto took = Clock::now() - start;
    ASSERT_FALSE(slow) << "decoded noise in under 250 ms: make the frame heavier";
    EXPECT_EQ(slow.error().code, ErrorCode::Internal);
    EXPECT_NE(slow.error().message.find("took longer than 250 ms on this image; it was stopped"), std::string::npos)
        << slow.error().message;
    EXPECT_LT(took, std::chrono::milliseconds(2000));
    EXPECT_TRUE(reaped(pid));

    auto next = decoder.decode(view(symbol(labels()[1])), {});
    ASSERT_TRUE(next) << next.error().message;
    EXPECT_EQ(next->symbols.size(), 1u);
}

TEST_F(ImageDecoder, CancelFromAnotherThreadEndsARequestPromptly) {
    Gray heavy = showroom::test::addNoise(Gray(4096, 4096, 128), 127, 98);
    dev::IsolatedDecoderConfig config;
    config.timeout = std::chrono::milliseconds(20000);
    dev::IsolatedDecoder decoder(config);
    std::jthread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        decoder.cancel();
    });
    const auto start = Clock::now();
    auto r = decoder.decode(view(heavy), {});
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("cancelled"), std::string::npos) << r.error().message;
    EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(3000));
}

TEST_F(ImageDecoder, AWorkerKilledWhileIdleIsReplacedWithoutBlamingTheNextImage) {
    dev::IsolatedDecoder decoder;
    ASSERT_TRUE(decoder.decode(view(symbol(labels()[3])), {}));
    const pid_t pid = decoder.workerPid().value();
    ASSERT_EQ(::kill(pid, SIGKILL), 0); // our own child, by PID
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto next = decoder.decode(view(symbol(labels()[3])), {});
    ASSERT_TRUE(next) << next.error().message;
    EXPECT_TRUE(next->warning.empty()) << next->warning;
    EXPECT_EQ(next->symbols.size(), 1u);
    EXPECT_TRUE(reaped(pid));
}

TEST_F(ImageDecoder, AProgramWithoutTheWorkerHookGetsAClearErrorNotASecondCopy) {
    dev::IsolatedDecoderConfig config;
    config.workerExecutable = "/bin/true";
    dev::IsolatedDecoder decoder(config);
    auto r = decoder.decode(view(symbol(labels()[0])), {});
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("runScanWorkerIfRequested"), std::string::npos) << r.error().message;
    EXPECT_FALSE(decoder.workerPid());
}

TEST_F(ImageDecoder, TheDestructorEndsAndReapsTheWorker) {
    pid_t pid = -1;
    {
        dev::IsolatedDecoder decoder;
        ASSERT_TRUE(decoder.decode(view(symbol(labels()[1])), {}));
        pid = decoder.workerPid().value();
        EXPECT_EQ(::kill(pid, 0), 0);
    }
    EXPECT_TRUE(reaped(pid));
}

// --- image:PATH scan source ------------------------------------------------------------------

std::vector<showroom::core::scan::ScanEvent> collect(showroom::core::scan::ScanMailbox& box, std::size_t scans,
                                                     std::chrono::milliseconds limit) {
    std::vector<showroom::core::scan::ScanEvent> events;
    std::size_t got = 0;
    const auto end = Clock::now() + limit;
    while (got < scans && Clock::now() < end) {
        for (auto& e : box.waitAndDrain(std::chrono::milliseconds(100))) {
            got += std::holds_alternative<showroom::core::scan::Scan>(e);
            events.push_back(std::move(e));
        }
    }
    return events;
}

dev::ImageScanSource::Config sourceConfig() {
    dev::ImageScanSource::Config c;
    c.pollInterval = std::chrono::milliseconds(50);
    c.decoder.timeout = std::chrono::milliseconds(20000);
    return c;
}

TEST_F(ImageDecoder, AnImageFileSourcePostsAScanWithItsPosition) {
    ASSERT_TRUE(showroom::test::writePng(s_dir->file("label.png"), symbol(labels()[0])));
    auto source = dev::ImageScanSource::open("image:" + s_dir->file("label.png"), sourceConfig());
    ASSERT_TRUE(source);
    showroom::core::scan::ScanMailbox box;
    (*source)->start(box.sink());
    auto events = collect(box, 1, std::chrono::milliseconds(15000));
    (*source)->stop();
    const showroom::core::scan::Scan* scan = nullptr;
    bool connected = false;
    for (const auto& e : events) {
        if (auto* s = std::get_if<showroom::core::scan::Scan>(&e)) scan = s;
        if (auto* st = std::get_if<showroom::core::scan::ScannerStatus>(&e))
            connected |= st->state == showroom::core::scan::ScannerStatus::State::Connected;
    }
    EXPECT_TRUE(connected);
    ASSERT_NE(scan, nullptr);
    EXPECT_EQ(scan->source, "image:" + s_dir->file("label.png"));
    EXPECT_EQ(scan->symbology, Symbology::Code39);
    EXPECT_EQ(scan->bytes, "I" + kVin);
    ASSERT_TRUE(scan->position);
    EXPECT_GT((*scan->position)[1].x, (*scan->position)[0].x); // clockwise from top-left
}

TEST_F(ImageDecoder, ADropFolderReadsEachNewPictureOnceAndSurvivesABrokenOne) {
    TempDir folder;
    auto source = dev::ImageScanSource::open("image:" + folder.path().string(), sourceConfig());
    ASSERT_TRUE(source);
    showroom::core::scan::ScanMailbox box;
    (*source)->start(box.sink());
    // Written elsewhere, then renamed in, as a camera app or a copy tool does.
    showroom::test::writeFile(folder.file("broken.png"), "not a picture");
    ASSERT_TRUE(showroom::test::writePng(s_dir->file("drop1.png"), symbol(labels()[3])));
    std::filesystem::rename(s_dir->file("drop1.png"), folder.file("car1.png"));
    auto events = collect(box, 1, std::chrono::milliseconds(15000));
    ASSERT_TRUE(showroom::test::writePng(s_dir->file("drop2.png"), symbol(labels()[1])));
    std::filesystem::rename(s_dir->file("drop2.png"), folder.file("car2.PNG"));
    for (auto& e : collect(box, 1, std::chrono::milliseconds(15000)))
        events.push_back(std::move(e));
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // a few more polls: nothing is read twice
    for (auto& e : box.drain())
        events.push_back(std::move(e));
    (*source)->stop();

    std::vector<std::string> payloads;
    bool brokenReported = false;
    for (const auto& e : events) {
        if (auto* s = std::get_if<showroom::core::scan::Scan>(&e)) payloads.push_back(s->bytes);
        if (auto* st = std::get_if<showroom::core::scan::ScannerStatus>(&e))
            brokenReported |= st->message.find("broken.png") != std::string::npos;
    }
    EXPECT_EQ(payloads, (std::vector<std::string>{labels()[3].payload, labels()[1].payload}));
    EXPECT_TRUE(brokenReported);
}

TEST_F(ImageDecoder, AMissingFolderFailsWithASentenceAndStopIsPrompt) {
    auto source = dev::ImageScanSource::open("image:" + s_dir->file("no-such-folder"), sourceConfig());
    ASSERT_TRUE(source);
    showroom::core::scan::ScanMailbox box;
    (*source)->start(box.sink());
    auto events = box.waitAndDrain(std::chrono::milliseconds(5000));
    const auto start = Clock::now();
    (*source)->stop();
    EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(1000));
    ASSERT_FALSE(events.empty());
    auto* st = std::get_if<showroom::core::scan::ScannerStatus>(&events[0]);
    ASSERT_NE(st, nullptr);
    EXPECT_EQ(st->state, showroom::core::scan::ScannerStatus::State::Failed);
    EXPECT_NE(st->message.find("does not exist"), std::string::npos) << st->message;
}

TEST_F(ImageDecoder, StopDuringASlowDecodeReturnsPromptly) {
    Gray heavy = showroom::test::addNoise(Gray(4096, 4096, 128), 127, 97);
    ASSERT_TRUE(showroom::test::writePng(s_dir->file("heavy.png"), heavy));
    auto source = dev::ImageScanSource::open("image:" + s_dir->file("heavy.png"), sourceConfig());
    ASSERT_TRUE(source);
    showroom::core::scan::ScanMailbox box;
    (*source)->start(box.sink());
    std::this_thread::sleep_for(std::chrono::milliseconds(700)); // inside the ~2.4 s decode
    const auto start = Clock::now();
    (*source)->stop();
    EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(1000));
}

TEST_F(ImageDecoder, OnlyImageConnectionStringsOpen) {
    auto bad = dev::ImageScanSource::open("usb:0c2e:0b61", sourceConfig());
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::InvalidInput);
    EXPECT_FALSE(dev::ImageScanSource::open("image:", sourceConfig()));
}

} // namespace

int main(int argc, char** argv) {
    if (auto rc = showroom::devices::runScanWorkerIfRequested(argc, argv)) return *rc;
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
