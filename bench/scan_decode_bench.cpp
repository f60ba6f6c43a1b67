// Barcode pictures: ZXing-cpp (as the kiosk runs it, in the worker process, and bare in-process)
// side by side with zbar, on one corpus made in this run: labels drawn by zint, then turned,
// blurred, noisy, washed out, seen at an angle, small in 1280x720 frames (tests/support/
// barcode_images.hpp). Code 39, Code 128 and QR Code are compared (both decoders read them);
// Data Matrix and PDF417 are ZXing's alone and reported apart.
//
// Per decoder: decode rate (the exact payload found) and time per image (p50, p99). The bare
// in-process ZXing runs in a forked child per image and is timed inside it, because libzxing 1.4.0
// aborts on some of these frames: the "crashes" column counts the images that would have taken a
// kiosk down without the worker. The worker's overhead is isolated p50 minus in-process p50.
// Asserts nothing; prints figures. Run from a release build: `make bench`.
#include "showroom/devices/scan/image_decoder.hpp"

#include "barcode_images.hpp"

#include <zbar.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace {

namespace dev = showroom::devices;
using namespace zbar; // zbar.h puts its C API in namespace zbar when compiled as C++
using showroom::core::scan::Symbology;
using showroom::test::Gray;
using Clock = std::chrono::steady_clock;

struct Sample {
    std::string format;
    std::string payload;
    Gray image;
};

struct Tally {
    int images = 0, read = 0, crashes = 0;
    std::vector<double> ms;
    void add(bool ok, double t) {
        ++images;
        read += ok;
        ms.push_back(t);
    }
    double pct(double p) const {
        if (ms.empty()) return 0;
        std::vector<double> s = ms;
        std::sort(s.begin(), s.end());
        return s[std::min(s.size() - 1, static_cast<std::size_t>(p * double(s.size() - 1) + 0.5))];
    }
    double rate() const { return images ? 100.0 * read / images : 0; }
};

double msSince(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// Each decoder reads each image kRuns times; its time for the image is the median run.
constexpr int kRuns = 3;
template <class F> double medianMs(F&& run) {
    std::vector<double> t;
    for (int i = 0; i < kRuns; ++i) {
        const auto start = Clock::now();
        run();
        t.push_back(msSince(start));
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

std::vector<Gray> spoiled(const Gray& g, bool linear) {
    using namespace showroom::test;
    auto inFrame = [](const Gray& s, double factor, std::uint32_t seed) {
        Gray frame = clutteredFrame(1280, 720, seed);
        const Gray small = scaled(s, factor);
        paste(frame, small, (1280 - small.width) * 2 / 3, (720 - small.height) / 2);
        return frame;
    };
    return {g,
            rotate(g, linear ? 10 : 25),
            blur(g, 1.2),
            addNoise(g, 40, 7),
            lowContrast(g, 80, 180),
            perspective(g, 0.7),
            inFrame(g, 0.5, 11),
            inFrame(g, 0.75, 12),
            inFrame(addNoise(blur(g, 0.8), 20, 3), 0.6, 13)};
}

// zbar over the same gray pixels, for the formats both read.
struct Zbar {
    zbar_image_scanner_t* scanner = zbar_image_scanner_create();
    Zbar() {
        zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
        for (zbar_symbol_type_t t : {ZBAR_CODE39, ZBAR_CODE128, ZBAR_QRCODE})
            zbar_image_scanner_set_config(scanner, t, ZBAR_CFG_ENABLE, 1);
    }
    ~Zbar() { zbar_image_scanner_destroy(scanner); }
    std::vector<std::string> decode(const Gray& g) {
        zbar_image_t* img = zbar_image_create();
        zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
        zbar_image_set_size(img, unsigned(g.width), unsigned(g.height));
        zbar_image_set_data(img, g.px.data(), g.px.size(), nullptr);
        std::vector<std::string> found;
        if (zbar_scan_image(scanner, img) > 0)
            for (const zbar_symbol_t* s = zbar_image_first_symbol(img); s; s = zbar_symbol_next(s))
                found.emplace_back(zbar_symbol_get_data(s), zbar_symbol_get_data_length(s));
        zbar_image_destroy(img);
        return found;
    }
};

dev::DecodeOptions optionsFor(const std::string& format) {
    dev::DecodeOptions o;
    if (format == "Code39" || format == "Code128" || format == "QRCode")
        o.formats = {Symbology::Code39, Symbology::Code128, Symbology::QRCode}; // what zbar is given
    return o;
}

// Bare ZXing in a forked child (the bench is single-threaded, so fork() is safe here). The child
// reports whether it found the payload and how long ZXing took; a killed child is a crash.
struct InProcess {
    bool crashed = false;
    bool ok = false;
    double ms = 0;
};
InProcess inProcess(const Sample& s) {
    int fds[2];
    if (::pipe(fds) != 0) return {true, false, 0};
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        // libzxing's assertion message would only repeat what the crash column says.
        if (std::freopen("/dev/null", "w", stderr) == nullptr) ::_exit(3);
        bool ok = false;
        const double ms = medianMs([&] {
            auto r = dev::decodeInProcess({s.image.px.data(), s.image.width, s.image.height, s.image.width},
                                          optionsFor(s.format));
            ok = r && std::any_of(r->begin(), r->end(), [&](const dev::Symbol& x) { return x.bytes == s.payload; });
        });
        const double msg[2] = {ok ? 1.0 : 0.0, ms};
        (void)!::write(fds[1], msg, sizeof msg);
        ::_exit(0);
    }
    ::close(fds[1]);
    double msg[2] = {0, 0};
    const bool got = ::read(fds[0], msg, sizeof msg) == static_cast<ssize_t>(sizeof msg);
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!got || !WIFEXITED(status)) return {true, false, 0};
    return {false, msg[0] != 0, msg[1]};
}

} // namespace

int main(int argc, char** argv) {
    if (auto rc = dev::runScanWorkerIfRequested(argc, argv)) return *rc;

    char dirTemplate[] = "/tmp/showroom-scan-bench-XXXXXX";
    if (!::mkdtemp(dirTemplate)) return 1;
    const std::string dir = dirTemplate;

    struct Kind {
        std::string format, zint, extra;
        int scale;
        bool linear;
        std::vector<std::string> payloads;
    };
    const std::vector<Kind> kinds = {
        {"Code39",
         "CODE39",
         "--notext --height=60",
         2,
         true,
         {"I1M8GDM9AXKP042788", "I1HGCM82633A004352", "IWVWZZZ1KZ6W000001"}},
        {"Code128", "CODE128", "--notext --height=60", 2, true, {"STOCK-A123/2024", "LOT7-ROW3-BAY12", "A123"}},
        {"QRCode",
         "QRCODE",
         "",
         4,
         false,
         {"VIN:1M8GDM9AXKP042788;STOCK:A123", "https://dealer.example/v?vin=1HGCM82633A004352", "WVWZZZ1KZ6W000001"}},
        {"DataMatrix", "DATAMATRIX", "--square", 4, false, {"1M8GDM9AXKP042788", "STOCK-A123"}},
        {"PDF417",
         "PDF417",
         "",
         2,
         false,
         {"@\n\x1e\rANSI 636000100001DL00310050DLDAQT64235789\nDCSSAMPLE\nDACJANE\nDBB07041990\r",
          "1M8GDM9AXKP042788"}},
    };
    std::vector<Sample> corpus;
    for (const Kind& k : kinds)
        for (const std::string& p : k.payloads) {
            auto g = showroom::test::zintSymbol(dir, k.zint, p, k.scale, k.extra);
            if (!g) {
                std::fprintf(stderr, "scan_decode_bench: zint is needed (scripts/install-deps.sh)\n");
                return 1;
            }
            for (Gray& img : spoiled(*g, k.linear))
                corpus.push_back({k.format, p, std::move(img)});
        }

    Zbar zbar;
    dev::IsolatedDecoderConfig config;
    config.timeout = std::chrono::milliseconds(10000);
    dev::IsolatedDecoder isolated(config);
    (void)isolated.decode(
        {corpus[0].image.px.data(), corpus[0].image.width, corpus[0].image.height, corpus[0].image.width},
        {}); // start the worker outside the measurements

    std::map<std::string, Tally> zx, zxBare, zb;
    const std::vector<std::string> shared = {"Code39", "Code128", "QRCode"};
    const auto wall = Clock::now();
    for (const Sample& s : corpus) {
        const bool both = std::find(shared.begin(), shared.end(), s.format) != shared.end();
        const dev::GrayView view{s.image.px.data(), s.image.width, s.image.height, s.image.width};

        std::optional<showroom::core::Result<dev::Decoded>> last;
        const double isoMs = medianMs([&] { last.emplace(isolated.decode(view, optionsFor(s.format))); });
        const auto& r = *last;
        const bool isoOk = r && std::any_of(r->symbols.begin(), r->symbols.end(),
                                            [&](const dev::Symbol& x) { return x.bytes == s.payload; });
        for (const std::string& key : {s.format, std::string(both ? "all (shared)" : "all (ZXing only)")}) {
            zx[key].add(isoOk, isoMs);
            if (r && !r->warning.empty()) ++zx[key].crashes;
        }

        const InProcess bare = inProcess(s);
        for (const std::string& key : {s.format, std::string(both ? "all (shared)" : "all (ZXing only)")}) {
            if (bare.crashed) {
                ++zxBare[key].images;
                ++zxBare[key].crashes;
            } else {
                zxBare[key].add(bare.ok, bare.ms);
            }
        }

        if (both) {
            std::vector<std::string> found;
            const double zbMs = medianMs([&] { found = zbar.decode(s.image); });
            const bool ok = std::find(found.begin(), found.end(), s.payload) != found.end();
            for (const std::string& key : {s.format, std::string("all (shared)")})
                zb[key].add(ok, zbMs);
        }
    }

    std::printf("scan_decode_bench: %zu images (9 spoilings per label; up to 1280x720), each read %d times (median "
                "kept), %.1f s in all\n\n",
                corpus.size(), kRuns, msSince(wall) / 1000);
    std::printf("%-17s %6s | %-28s | %-28s | %-34s | %s\n", "format", "images", "zbar: rate  p50 ms  p99 ms",
                "ZXing worker: rate p50  p99", "ZXing in-process: rate p50 p99 crash", "worker overhead p50");
    const std::vector<std::string> rows = {"Code39",     "Code128", "QRCode",          "all (shared)",
                                           "DataMatrix", "PDF417",  "all (ZXing only)"};
    for (const std::string& row : rows) {
        const Tally& a = zx[row];
        const Tally& b = zxBare[row];
        char zbCell[64] = "-";
        if (zb.count(row))
            std::snprintf(zbCell, sizeof zbCell, "%5.1f%% %7.2f %7.2f", zb[row].rate(), zb[row].pct(0.5),
                          zb[row].pct(0.99));
        std::printf("%-17s %6d | %-28s | %5.1f%% %7.2f %7.2f      | %5.1f%% %7.2f %7.2f %5d  | %+.2f ms\n", row.c_str(),
                    a.images, zbCell, a.rate(), a.pct(0.5), a.pct(0.99), b.images ? 100.0 * b.read / b.images : 0,
                    b.pct(0.5), b.pct(0.99), b.crashes, a.pct(0.5) - b.pct(0.5));
    }
    std::printf(
        "\nrate: exact payload found. ZXing worker = IsolatedDecoder (the kiosk's path: pixels copied to the worker,\n"
        "safe-mode retry after a crash; %d images needed one). In-process crashes count as not read.\n",
        zx["all (shared)"].crashes + zx["all (ZXing only)"].crashes);
    std::filesystem::remove_all(dir);
    return 0;
}
