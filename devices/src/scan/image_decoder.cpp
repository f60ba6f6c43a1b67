// ZXing-cpp behind a process boundary. See image_decoder.hpp for the contract and the reason.
//
// Wire protocol between host and worker (one AF_UNIX stream socket, the worker's end on fd 3):
//   handshake  worker -> host   "SRW1"
//   request    host -> worker   "SRQ1" u32 bodyLength, body:
//                                 u8 kind (1 pixels, 2 file), u32 timeoutMs, u32 formats (bit per Symbology),
//                                 u8 hasRoi, i32 x y w h, i32 maxSymbols, i32 maxLinearSymbols,
//                                 u8 tryHarder, u8 tryRotate,
//                                 pixels: i32 width, i32 height, width*height bytes (rows packed)
//                                 file:   u32 length, path bytes
//   response   worker -> host   "SRS1" u32 bodyLength, body:
//                                 u8 status (0 ok, else 1 + core::ErrorCode), u32 length, message,
//                                 u32 count, per symbol: u8 symbology, u32+bytes, u32+text, 8 x i32 corners
// Integers are little-endian. Both sides check every length against a cap before allocating: the
// worker because requests may carry hostile sizes, the host because a dying worker may send garbage.
//
// A socket rather than pipes: the host writes with send(MSG_NOSIGNAL), so a worker that died
// mid-request gives EPIPE instead of a SIGPIPE that would kill the host, and the host's signal
// dispositions stay untouched. The worker ignores SIGPIPE for itself (it is its own process).
#define ZX_USE_UTF8
#include "showroom/devices/scan/image_decoder.hpp"

#include "../unique_fd.hpp"

#include <ZXing/ReadBarcode.h>
#include <stb/stb_image.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <string_view>
#include <utility>

extern char** environ;

namespace showroom::devices {

using core::ErrorCode;
using core::fail;
using core::scan::Symbology;

namespace {

// --- Formats ---------------------------------------------------------------------------------

ZXing::BarcodeFormat toZxing(Symbology s) {
    switch (s) {
    case Symbology::Code39: return ZXing::BarcodeFormat::Code39;
    case Symbology::Code128: return ZXing::BarcodeFormat::Code128;
    case Symbology::DataMatrix: return ZXing::BarcodeFormat::DataMatrix;
    case Symbology::QRCode: return ZXing::BarcodeFormat::QRCode;
    case Symbology::PDF417: return ZXing::BarcodeFormat::PDF417;
    case Symbology::EAN13: return ZXing::BarcodeFormat::EAN13;
    case Symbology::UPCA: return ZXing::BarcodeFormat::UPCA;
    case Symbology::ITF: return ZXing::BarcodeFormat::ITF;
    case Symbology::Aztec: return ZXing::BarcodeFormat::Aztec;
    case Symbology::Unknown: break;
    }
    return ZXing::BarcodeFormat::None;
}

Symbology fromZxing(ZXing::BarcodeFormat f) {
    switch (f) {
    case ZXing::BarcodeFormat::Code39: return Symbology::Code39;
    case ZXing::BarcodeFormat::Code128: return Symbology::Code128;
    case ZXing::BarcodeFormat::DataMatrix: return Symbology::DataMatrix;
    case ZXing::BarcodeFormat::QRCode: return Symbology::QRCode;
    case ZXing::BarcodeFormat::PDF417: return Symbology::PDF417;
    case ZXing::BarcodeFormat::EAN13: return Symbology::EAN13;
    case ZXing::BarcodeFormat::UPCA: return Symbology::UPCA;
    case ZXing::BarcodeFormat::ITF: return Symbology::ITF;
    case ZXing::BarcodeFormat::Aztec: return Symbology::Aztec;
    default: return Symbology::Unknown;
    }
}

std::uint32_t formatMask(const std::set<Symbology>& formats) {
    std::uint32_t mask = 0;
    for (Symbology s : formats)
        mask |= 1u << static_cast<unsigned>(s);
    return mask;
}

std::set<Symbology> formatsFromMask(std::uint32_t mask) {
    std::set<Symbology> formats;
    for (unsigned i = 0; i < 32; ++i)
        if (mask & (1u << i)) formats.insert(static_cast<Symbology>(i));
    return formats;
}

core::Result<void> checkSize(std::int64_t width, std::int64_t height) {
    if (width <= 0 || height <= 0) return fail(ErrorCode::InvalidInput, "the image has no pixels");
    if (width > kMaxImageSide || height > kMaxImageSide || width * height > kMaxImagePixels)
        return fail(ErrorCode::InvalidInput,
                    "the image is " + std::to_string(width) + "x" + std::to_string(height) + " pixels; images up to " +
                        std::to_string(kMaxImageSide) + " pixels a side and " +
                        std::to_string(kMaxImagePixels / (1024 * 1024)) + " megapixels are read");
    return {};
}

// --- Framing ---------------------------------------------------------------------------------

constexpr char kHello[4] = {'S', 'R', 'W', '1'};
constexpr char kRequestMagic[4] = {'S', 'R', 'Q', '1'};
constexpr char kResponseMagic[4] = {'S', 'R', 'S', '1'};
constexpr std::uint32_t kMaxRequestBody = static_cast<std::uint32_t>(kMaxImagePixels) + 64 * 1024;
constexpr std::uint32_t kMaxResponseBody = 16u * 1024 * 1024;
constexpr std::uint32_t kMaxPathBytes = 4096;
constexpr int kWorkerFd = 3;
constexpr std::uint8_t kKindPixels = 1;
constexpr std::uint8_t kKindFile = 2;

class Writer {
public:
    void u8(std::uint8_t v) { m_out.push_back(static_cast<char>(v)); }
    void u32(std::uint32_t v) {
        for (int i = 0; i < 4; ++i)
            m_out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
    }
    void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
    void str(std::string_view s) {
        u32(static_cast<std::uint32_t>(s.size()));
        m_out.append(s);
    }
    void raw(const void* p, std::size_t n) { m_out.append(static_cast<const char*>(p), n); }
    // The frame: magic, body length, body.
    std::string frame(const char (&magic)[4]) const {
        Writer head;
        head.raw(magic, 4);
        head.u32(static_cast<std::uint32_t>(m_out.size()));
        return head.m_out + m_out;
    }

private:
    std::string m_out;
};

// Reads a body; every read is bounds-checked and a short body only sets ok() to false.
class Reader {
public:
    explicit Reader(std::string_view in) : m_in(in) {}
    bool ok() const { return m_ok; }
    bool atEnd() const { return m_pos == m_in.size(); }
    std::uint8_t u8() { return take(1) ? static_cast<std::uint8_t>(m_in[m_pos - 1]) : 0; }
    std::uint32_t u32() {
        if (!take(4)) return 0;
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i)
            v |= std::uint32_t(static_cast<std::uint8_t>(m_in[m_pos - 4 + i])) << (8 * i);
        return v;
    }
    std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
    std::string_view bytes(std::size_t n) { return take(n) ? m_in.substr(m_pos - n, n) : std::string_view(); }
    std::string str() { return std::string(bytes(u32())); }

private:
    bool take(std::size_t n) {
        if (!m_ok || m_in.size() - m_pos < n) return m_ok = false;
        m_pos += n;
        return true;
    }
    std::string_view m_in;
    std::size_t m_pos = 0;
    bool m_ok = true;
};

void writeOptions(Writer& w, const DecodeOptions& o, std::chrono::milliseconds timeout) {
    w.u32(static_cast<std::uint32_t>(std::clamp<std::int64_t>(timeout.count(), 1, 0x7fffffff)));
    w.u32(formatMask(o.formats));
    w.u8(o.roi ? 1 : 0);
    const Roi roi = o.roi.value_or(Roi{});
    w.i32(roi.x);
    w.i32(roi.y);
    w.i32(roi.width);
    w.i32(roi.height);
    w.i32(o.maxSymbols);
    w.i32(o.maxLinearSymbols);
    w.u8(o.tryHarder ? 1 : 0);
    w.u8(o.tryRotate ? 1 : 0);
}

DecodeOptions readOptions(Reader& r, std::uint32_t& timeoutMs) {
    DecodeOptions o;
    timeoutMs = r.u32();
    o.formats = formatsFromMask(r.u32());
    const bool hasRoi = r.u8() != 0;
    Roi roi;
    roi.x = r.i32();
    roi.y = r.i32();
    roi.width = r.i32();
    roi.height = r.i32();
    if (hasRoi) o.roi = roi;
    o.maxSymbols = r.i32();
    o.maxLinearSymbols = r.i32();
    o.tryHarder = r.u8() != 0;
    o.tryRotate = r.u8() != 0;
    return o;
}

void writeSymbols(Writer& w, const std::vector<Symbol>& symbols) {
    w.u32(static_cast<std::uint32_t>(symbols.size()));
    for (const Symbol& s : symbols) {
        w.u8(static_cast<std::uint8_t>(s.symbology));
        w.str(s.bytes);
        w.str(s.text);
        for (const auto& p : s.position) {
            w.i32(p.x);
            w.i32(p.y);
        }
    }
}

// --- File descriptors ------------------------------------------------------------------------

using detail::UniqueFd;


// Blocking I/O for the worker side (the worker has nothing else to do while it waits).
bool readExact(int fd, char* p, std::size_t n) {
    while (n > 0) {
        const ssize_t got = ::read(fd, p, n);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return false;
        p += got;
        n -= static_cast<std::size_t>(got);
    }
    return true;
}

bool writeAll(int fd, const char* p, std::size_t n) {
    while (n > 0) {
        const ssize_t put = ::send(fd, p, n, MSG_NOSIGNAL);
        if (put < 0 && errno == EINTR) continue;
        if (put <= 0) return false;
        p += put;
        n -= static_cast<std::size_t>(put);
    }
    return true;
}

std::uint32_t leU32(const char* p) {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
        v |= std::uint32_t(static_cast<std::uint8_t>(p[i])) << (8 * i);
    return v;
}

// --- The worker ------------------------------------------------------------------------------

struct GrayImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;
};

// Opens and parses an image file. Runs in the worker only: stb_image is robust but not hardened
// against every hostile file, and a crash here must not take the caller down either.
core::Result<GrayImage> loadImage(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) return fail(ErrorCode::NotFound, "no such file");
        return fail(ErrorCode::Io, std::string("cannot open the file: ") + std::strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) return fail(ErrorCode::Io, "this is a folder, not an image file");
    if (!S_ISREG(st.st_mode)) return fail(ErrorCode::Io, "this is not a regular file");
    if (st.st_size == 0) return fail(ErrorCode::InvalidInput, "the file is empty, not an image");
    if (st.st_size > kMaxImageFileBytes)
        return fail(ErrorCode::InvalidInput, "the file is larger than the " +
                                                 std::to_string(kMaxImageFileBytes / (1024 * 1024)) +
                                                 " MB read for an image");
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return fail(ErrorCode::Io, std::string("cannot open the file: ") + std::strerror(errno));
    std::string data(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t got = 0;
    while (got < data.size()) {
        const ssize_t n = ::read(fd.get(), data.data() + got, data.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return fail(ErrorCode::Io, std::string("cannot read the file: ") + std::strerror(errno));
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    data.resize(got);

    const auto* raw = reinterpret_cast<const stbi_uc*>(data.data());
    const int size = static_cast<int>(data.size());
    int w = 0, h = 0, channels = 0;
    // The header first: absurd dimensions are refused before a pixel is allocated.
    if (!stbi_info_from_memory(raw, size, &w, &h, &channels))
        return fail(ErrorCode::InvalidInput, "not an image that can be read (PNG, JPEG, BMP, GIF, TGA or PNM)");
    if (auto ok = checkSize(w, h); !ok) return ok.error();
    stbi_uc* pixels = stbi_load_from_memory(raw, size, &w, &h, &channels, 1);
    if (!pixels) {
        const char* why = stbi_failure_reason();
        return fail(ErrorCode::InvalidInput,
                    std::string("the image is damaged or truncated") + (why ? std::string(" (") + why + ")" : ""));
    }
    GrayImage image{w, h, std::vector<std::uint8_t>(pixels, pixels + std::size_t(w) * std::size_t(h))};
    stbi_image_free(pixels);
    return image;
}

std::string errorResponse(const core::Error& e) {
    Writer w;
    w.u8(static_cast<std::uint8_t>(1 + static_cast<int>(e.code)));
    w.str(e.message);
    w.u32(0);
    return w.frame(kResponseMagic);
}

std::string answer(std::string_view body) {
    Reader r(body);
    const std::uint8_t kind = r.u8();
    std::uint32_t timeoutMs = 0;
    const DecodeOptions options = readOptions(r, timeoutMs);
    GrayImage image;
    if (kind == kKindPixels) {
        const std::int32_t w = r.i32(), h = r.i32();
        if (!r.ok()) return errorResponse(fail(ErrorCode::Internal, "malformed request"));
        if (auto ok = checkSize(w, h); !ok) return errorResponse(ok.error());
        const std::string_view px = r.bytes(std::size_t(w) * std::size_t(h));
        if (!r.ok() || !r.atEnd()) return errorResponse(fail(ErrorCode::Internal, "malformed request"));
        image.width = w;
        image.height = h;
        image.pixels.assign(px.begin(), px.end());
    } else if (kind == kKindFile) {
        const std::uint32_t n = r.u32();
        if (n > kMaxPathBytes) return errorResponse(fail(ErrorCode::InvalidInput, "the path is too long"));
        const std::string path(r.bytes(n));
        if (!r.ok() || !r.atEnd()) return errorResponse(fail(ErrorCode::Internal, "malformed request"));
        auto loaded = loadImage(path);
        if (!loaded) return errorResponse(loaded.error());
        image = std::move(*loaded);
    } else {
        return errorResponse(fail(ErrorCode::Internal, "malformed request"));
    }

    // The host kills a request that overruns its timeout; this alarm ends a runaway decode even
    // when the host is gone (SIGALRM's default action terminates the worker).
    ::alarm(timeoutMs / 1000 + 5);
    auto symbols = decodeInProcess(GrayView{image.pixels.data(), image.width, image.height, image.width}, options);
    ::alarm(0);
    if (!symbols) return errorResponse(symbols.error());
    Writer w;
    w.u8(0);
    w.str("");
    writeSymbols(w, *symbols);
    return w.frame(kResponseMagic);
}

int serveRequests(int fd) {
    if (!writeAll(fd, kHello, sizeof kHello)) return 3;
    for (;;) {
        char head[8];
        if (!readExact(fd, head, sizeof head)) return 0; // the host closed the socket: done
        if (std::memcmp(head, kRequestMagic, 4) != 0) return 3;
        const std::uint32_t length = leU32(head + 4);
        if (length > kMaxRequestBody) return 3; // before allocating anything
        std::string body(length, '\0');
        if (!readExact(fd, body.data(), body.size())) return 0;
        const std::string response = answer(body);
        if (!writeAll(fd, response.data(), response.size())) return 0;
    }
}

// --- Host side helpers -----------------------------------------------------------------------

using SteadyClock = std::chrono::steady_clock;

enum class Io { Ok, TimedOut, Cancelled, Closed, Failed };

std::string describeExit(int status) {
    if (WIFSIGNALED(status)) {
        const char* what = sigdescr_np(WTERMSIG(status));
        return what ? std::string(what) : "signal " + std::to_string(WTERMSIG(status));
    }
    if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
    return "status " + std::to_string(status);
}

std::string lastLine(const std::string& text) {
    std::size_t end = text.find_last_not_of("\r\n \t");
    if (end == std::string::npos) return {};
    const std::size_t start = text.rfind('\n', end);
    std::string line =
        text.substr(start == std::string::npos ? 0 : start + 1, end + 1 - (start == std::string::npos ? 0 : start + 1));
    if (line.size() > 300) line = line.substr(0, 300) + "...";
    return line;
}

constexpr int kMinStripHeight = 64;

int symbolCount(const std::vector<Symbol>& v) {
    return static_cast<int>(v.size());
}

// The same symbol read twice (two passes, two strips): same format and payload, and the centre of
// one inside the other's bounding box.
bool sameSymbol(const Symbol& a, const Symbol& b) {
    if (a.symbology != b.symbology || a.bytes != b.bytes) return false;
    int minX = a.position[0].x, maxX = minX, minY = a.position[0].y, maxY = minY, cx = 0, cy = 0;
    for (const auto& p : a.position) {
        minX = std::min(minX, p.x);
        maxX = std::max(maxX, p.x);
        minY = std::min(minY, p.y);
        maxY = std::max(maxY, p.y);
    }
    for (const auto& p : b.position) {
        cx += p.x;
        cy += p.y;
    }
    cx /= 4;
    cy /= 4;
    return cx >= minX - 2 && cx <= maxX + 2 && cy >= minY - 2 && cy <= maxY + 2;
}

} // namespace

const std::set<Symbology>& defaultImageFormats() {
    static const std::set<Symbology> formats = {Symbology::Code39, Symbology::Code128, Symbology::DataMatrix,
                                                Symbology::QRCode, Symbology::PDF417};
    return formats;
}

core::Result<std::vector<Symbol>> decodeInProcess(GrayView image, const DecodeOptions& options) {
    if (!image.pixels || image.width <= 0 || image.height <= 0 || image.stride < image.width)
        return fail(ErrorCode::InvalidInput, "the image has no pixels or a row stride shorter than its width");
    if (auto ok = checkSize(image.width, image.height); !ok) return ok.error();
    int x0 = 0, y0 = 0, x1 = image.width, y1 = image.height;
    if (options.roi) {
        const Roi& r = *options.roi;
        x0 = std::max(0, r.x);
        y0 = std::max(0, r.y);
        x1 = static_cast<int>(std::min<std::int64_t>(image.width, std::int64_t(r.x) + r.width));
        y1 = static_cast<int>(std::min<std::int64_t>(image.height, std::int64_t(r.y) + r.height));
        if (r.width <= 0 || r.height <= 0 || x1 <= x0 || y1 <= y0)
            return fail(ErrorCode::InvalidInput,
                        "the region of interest " + std::to_string(r.x) + "," + std::to_string(r.y) + "," +
                            std::to_string(r.width) + "," + std::to_string(r.height) + " is empty or outside the " +
                            std::to_string(image.width) + "x" + std::to_string(image.height) + " image");
    }
    ZXing::BarcodeFormats formats;
    for (Symbology s : options.formats.empty() ? defaultImageFormats() : options.formats) {
        const ZXing::BarcodeFormat f = toZxing(s);
        if (f == ZXing::BarcodeFormat::None)
            return fail(ErrorCode::InvalidInput,
                        "symbology " + std::string(core::scan::toString(s)) + " cannot be read from images");
        formats |= f;
    }
    const int maxSymbols = std::clamp(options.maxSymbols, 1, 255);
    const int maxLinear = options.maxLinearSymbols > 0 ? std::clamp(options.maxLinearSymbols, 1, 255) : maxSymbols;
    // One pass normally; two when linear symbols have their own cap (safe mode), because
    // ZXing's cap counts all formats together.
    std::vector<std::pair<ZXing::BarcodeFormats, int>> passes;
    if (maxLinear == maxSymbols) {
        passes.emplace_back(formats, maxSymbols);
    } else {
        const ZXing::BarcodeFormats linear = formats & ZXing::BarcodeFormat::LinearCodes;
        const ZXing::BarcodeFormats matrix = formats & ZXing::BarcodeFormat::MatrixCodes;
        if (!matrix.empty()) passes.emplace_back(matrix, maxSymbols);
        if (!linear.empty()) passes.emplace_back(linear, maxLinear);
    }
    try {
        const ZXing::ImageView view(image.pixels + std::size_t(y0) * std::size_t(image.stride) + std::size_t(x0),
                                    x1 - x0, y1 - y0, ZXing::ImageFormat::Lum, image.stride);
        std::vector<Symbol> symbols;
        auto collect = [&](const ZXing::Results& results, int dy) {
            for (const ZXing::Result& r : results) {
                if (!r.isValid()) continue;
                Symbol s;
                s.symbology = fromZxing(r.format());
                s.bytes.assign(r.bytes().begin(), r.bytes().end());
                s.text = r.text();
                const auto& q = r.position();
                const ZXing::PointI corners[4] = {q.topLeft(), q.topRight(), q.bottomRight(), q.bottomLeft()};
                for (int i = 0; i < 4; ++i)
                    s.position[std::size_t(i)] = {corners[i].x + x0, corners[i].y + y0 + dy};
                if (std::none_of(symbols.begin(), symbols.end(), [&](const Symbol& o) { return sameSymbol(o, s); }))
                    symbols.push_back(std::move(s));
            }
        };
        for (const auto& [passFormats, passMax] : passes) {
            ZXing::DecodeHints hints;
            hints.setFormats(passFormats)
                .setTryHarder(options.tryHarder)
                .setTryRotate(options.tryRotate)
                .setTryDownscale(true)
                .setMaxNumberOfSymbols(static_cast<std::uint8_t>(passMax));
            collect(ZXing::ReadBarcodes(view, hints), 0);
        }
        // libzxing 1.4.0's Data Matrix detector only follows lines through the middle of the image
        // ("disable expensive multi-line scan to detect off-center symbols for now"), so a sticker
        // in the top or bottom of a camera frame is never seen. Horizontal strips of halving
        // heights, their middles a quarter strip apart, put every symbol between a quarter and a
        // half strip tall across the middle of one strip (and wholly inside it).
        if (formats.testFlag(ZXing::BarcodeFormat::DataMatrix) && options.tryHarder) {
            ZXing::DecodeHints strip;
            strip.setFormats(ZXing::BarcodeFormat::DataMatrix)
                .setTryHarder(false)
                .setTryRotate(false)
                .setTryDownscale(false);
            const int height = y1 - y0;
            for (int h = height / 2; h >= kMinStripHeight && symbolCount(symbols) < maxSymbols; h /= 2) {
                const int step = h / 4;
                for (int top = 0; top < height - step && symbolCount(symbols) < maxSymbols; top += step) {
                    const int t = std::min(top, height - h);
                    const ZXing::ImageView band(image.pixels + std::size_t(y0 + t) * std::size_t(image.stride) +
                                                    std::size_t(x0),
                                                x1 - x0, h, ZXing::ImageFormat::Lum, image.stride);
                    strip.setMaxNumberOfSymbols(static_cast<std::uint8_t>(maxSymbols - symbolCount(symbols)));
                    collect(ZXing::ReadBarcodes(band, strip), t);
                }
            }
        }
        return symbols;
    } catch (const std::exception& e) {
        return fail(ErrorCode::Internal, std::string("the barcode decoder failed: ") + e.what());
    }
}

// --- IsolatedDecoder -------------------------------------------------------------------------

struct IsolatedDecoder::Worker {
    pid_t pid = -1;
    UniqueFd socket;     ///< host end, non-blocking
    UniqueFd errPipe;    ///< read end of the worker's stderr, non-blocking
    std::string errTail; ///< the last few KB the worker printed

    void drainStderr() {
        char buf[4096];
        while (errPipe) {
            const ssize_t n = ::read(errPipe.get(), buf, sizeof buf);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) return; // EAGAIN: nothing more for now
            if (n == 0) {
                errPipe.reset();
                return;
            }
            errTail.append(buf, static_cast<std::size_t>(n));
            if (errTail.size() > 8192) errTail.erase(0, errTail.size() - 4096);
        }
    }

    // Kills (if still running) and reaps; returns the wait status.
    int killAndReap() {
        int status = 0;
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
            }
            pid = -1;
        }
        drainStderr(); // the process is gone: everything it printed is in the pipe now
        socket.reset();
        errPipe.reset();
        return status;
    }

    ~Worker() { killAndReap(); }
};

struct IsolatedDecoder::Request {
    bool isFile = false;
    std::string path;
    GrayView image;
    DecodeOptions options;
};

struct IsolatedDecoder::Attempt {
    core::Result<std::vector<Symbol>> result;
    bool crashed = false;
};

namespace {

// Waits until `fd` is ready for `events`, keeping the worker's stderr drained; honours the deadline
// and cancellation.
template <class W> Io waitReady(W& worker, int cancelFd, short events, SteadyClock::time_point deadline) {
    for (;;) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - SteadyClock::now());
        if (left.count() <= 0) return Io::TimedOut;
        pollfd fds[3] = {{worker.socket.get(), events, 0}, {cancelFd, POLLIN, 0}, {worker.errPipe.get(), POLLIN, 0}};
        const int n = ::poll(fds, 3, static_cast<int>(std::min<std::int64_t>(left.count(), 60'000)));
        if (n < 0) {
            if (errno == EINTR) continue;
            return Io::Failed;
        }
        if (fds[1].revents & POLLIN) return Io::Cancelled;
        if (fds[2].revents) worker.drainStderr();
        if (fds[0].revents) return Io::Ok;
    }
}

template <class W> Io sendAll(W& worker, int cancelFd, std::string_view data, SteadyClock::time_point deadline) {
    while (!data.empty()) {
        if (Io io = waitReady(worker, cancelFd, POLLOUT, deadline); io != Io::Ok) return io;
        const ssize_t n = ::send(worker.socket.get(), data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
            return errno == EPIPE || errno == ECONNRESET ? Io::Closed : Io::Failed;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return Io::Ok;
}

template <class W> Io recvExact(W& worker, int cancelFd, char* p, std::size_t size, SteadyClock::time_point deadline) {
    while (size > 0) {
        if (Io io = waitReady(worker, cancelFd, POLLIN, deadline); io != Io::Ok) return io;
        const ssize_t n = ::recv(worker.socket.get(), p, size, MSG_DONTWAIT);
        if (n == 0) return Io::Closed;
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
            return errno == ECONNRESET ? Io::Closed : Io::Failed;
        }
        p += n;
        size -= static_cast<std::size_t>(n);
    }
    return Io::Ok;
}

// Moves a descriptor to 10 or above so that dup2() onto 2 and 3 in the child cannot clobber it.
UniqueFd highFd(int fd) {
    UniqueFd high(::fcntl(fd, F_DUPFD_CLOEXEC, 10));
    ::close(fd);
    return high;
}

void drainEventFd(int fd) {
    std::uint64_t value = 0;
    while (fd >= 0 && ::read(fd, &value, sizeof value) > 0) {
    }
}

} // namespace

IsolatedDecoder::IsolatedDecoder(IsolatedDecoderConfig config)
    : m_config(std::move(config)), m_cancelFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

IsolatedDecoder::~IsolatedDecoder() {
    stop();
    if (m_cancelFd >= 0) ::close(m_cancelFd);
}

void IsolatedDecoder::cancel() {
    const std::uint64_t one = 1;
    if (m_cancelFd >= 0) (void)!::write(m_cancelFd, &one, sizeof one);
}

// The worker keeps no state worth a graceful goodbye, and an idle worker dies on SIGKILL at once.
void IsolatedDecoder::stop() {
    m_worker.reset();
}

std::optional<pid_t> IsolatedDecoder::workerPid() const {
    if (m_worker && m_worker->pid > 0) return m_worker->pid;
    return std::nullopt;
}

core::Result<void> IsolatedDecoder::ensureWorker() {
    if (m_worker) return {};
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return fail(ErrorCode::Internal, std::string("cannot start the barcode decoder: ") + std::strerror(errno));
    UniqueFd hostEnd(sv[0]);
    UniqueFd workerEnd = highFd(sv[1]);
    int ep[2];
    if (::pipe2(ep, O_CLOEXEC) != 0)
        return fail(ErrorCode::Internal, std::string("cannot start the barcode decoder: ") + std::strerror(errno));
    UniqueFd errRead(ep[0]);
    UniqueFd errWrite = highFd(ep[1]);
    if (!workerEnd || !errWrite)
        return fail(ErrorCode::Internal, std::string("cannot start the barcode decoder: ") + std::strerror(errno));

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, errWrite.get(), 2);
    posix_spawn_file_actions_adddup2(&actions, workerEnd.get(), kWorkerFd);
    // The worker starts with default signal handling and nothing blocked, whatever the host did
    // to its own threads (a blocked SIGALRM would disable the worker's own watchdog).
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    for (int s : {SIGALRM, SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD})
        sigaddset(&defaults, s);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    char name[] = "showroom-scan-worker";
    char flag[] = "--scan-worker";
    char* argv[] = {name, flag, nullptr};
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, m_config.workerExecutable.c_str(), &actions, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0)
        return fail(ErrorCode::Internal,
                    "cannot start the barcode decoder " + m_config.workerExecutable + ": " + std::strerror(rc));
    workerEnd.reset();
    errWrite.reset();
    ::fcntl(hostEnd.get(), F_SETFL, ::fcntl(hostEnd.get(), F_GETFL) | O_NONBLOCK);
    ::fcntl(errRead.get(), F_SETFL, ::fcntl(errRead.get(), F_GETFL) | O_NONBLOCK);

    auto worker = std::make_unique<Worker>();
    worker->pid = pid;
    worker->socket = std::move(hostEnd);
    worker->errPipe = std::move(errRead);
    char hello[sizeof kHello] = {};
    const Io io = recvExact(*worker, m_cancelFd, hello, sizeof hello, SteadyClock::now() + m_config.startupTimeout);
    if (io != Io::Ok || std::memcmp(hello, kHello, sizeof kHello) != 0) {
        worker->killAndReap();
        if (io == Io::Cancelled) {
            drainEventFd(m_cancelFd);
            return fail(ErrorCode::Internal, "the barcode decode was cancelled");
        }
        return fail(ErrorCode::Internal, "cannot start the barcode decoder: " + m_config.workerExecutable +
                                             " did not answer as a scan worker (its main() must call "
                                             "runScanWorkerIfRequested() first)");
    }
    m_worker = std::move(worker);
    return {};
}

IsolatedDecoder::Attempt IsolatedDecoder::attempt(const Request& request, const DecodeOptions& options) {
    // An idle worker never speaks first: a readable or hung-up socket means it died between
    // requests (killed from outside, say). That is not this image's fault: start a fresh one.
    if (m_worker) {
        pollfd idle{m_worker->socket.get(), POLLIN, 0};
        if (::poll(&idle, 1, 0) != 0) m_worker.reset();
    }
    if (auto started = ensureWorker(); !started) return {started.error(), false};

    Writer w;
    w.u8(request.isFile ? kKindFile : kKindPixels);
    writeOptions(w, options, m_config.timeout);
    if (request.isFile) {
        w.str(request.path);
    } else {
        const GrayView& v = request.image;
        w.i32(v.width);
        w.i32(v.height);
        for (int y = 0; y < v.height; ++y)
            w.raw(v.pixels + std::size_t(y) * std::size_t(v.stride), std::size_t(v.width));
    }
    const std::string frame = w.frame(kRequestMagic);

    const auto deadline = SteadyClock::now() + m_config.timeout;
    Io io = sendAll(*m_worker, m_cancelFd, frame, deadline);
    char head[8];
    std::string body;
    if (io == Io::Ok) io = recvExact(*m_worker, m_cancelFd, head, sizeof head, deadline);
    if (io == Io::Ok) {
        const std::uint32_t length = leU32(head + 4);
        if (std::memcmp(head, kResponseMagic, 4) != 0 || length > kMaxResponseBody) {
            io = Io::Failed;
        } else {
            body.resize(length);
            io = recvExact(*m_worker, m_cancelFd, body.data(), body.size(), deadline);
        }
    }

    switch (io) {
    case Io::Ok: break;
    case Io::TimedOut:
        m_worker->killAndReap();
        m_worker.reset();
        return {fail(ErrorCode::Internal, "the barcode decoder took longer than " +
                                              std::to_string(m_config.timeout.count()) +
                                              " ms on this image; it was stopped"),
                false};
    case Io::Cancelled:
        m_worker->killAndReap();
        m_worker.reset();
        drainEventFd(m_cancelFd);
        return {fail(ErrorCode::Internal, "the barcode decode was cancelled"), false};
    case Io::Closed:
    case Io::Failed: {
        const int status = m_worker->killAndReap();
        const std::string said = lastLine(m_worker->errTail);
        m_worker.reset();
        return {fail(ErrorCode::Internal, "the barcode decoder crashed on this image (" + describeExit(status) +
                                              (said.empty() ? "" : ": " + said) + ")"),
                true};
    }
    }

    Reader r(body);
    const std::uint8_t status = r.u8();
    std::string message = r.str();
    std::vector<Symbol> symbols;
    const std::uint32_t count = r.u32();
    for (std::uint32_t i = 0; i < count && r.ok(); ++i) {
        Symbol s;
        s.symbology = static_cast<Symbology>(r.u8());
        s.bytes = r.str();
        s.text = r.str();
        for (auto& p : s.position) {
            p.x = r.i32();
            p.y = r.i32();
        }
        symbols.push_back(std::move(s));
    }
    if (!r.ok() || !r.atEnd() || status > 1 + static_cast<int>(ErrorCode::Internal)) {
        m_worker->killAndReap();
        m_worker.reset();
        return {fail(ErrorCode::Internal, "the barcode decoder sent a malformed answer; it was restarted"), true};
    }
    if (status != 0) return {fail(static_cast<ErrorCode>(status - 1), std::move(message)), false};
    return {std::move(symbols), false};
}

core::Result<Decoded> IsolatedDecoder::run(const Request& request) {
    Attempt first = attempt(request, request.options);
    if (first.result) return Decoded{std::move(*first.result), {}};
    // libzxing 1.4.0 aborts while merging linear symbols (even two readings of one small label);
    // asked for one linear symbol it stops before any merge. One retry in that mode gives the user
    // every matrix symbol and a linear one rather than nothing.
    const int maxLinear =
        request.options.maxLinearSymbols > 0 ? request.options.maxLinearSymbols : request.options.maxSymbols;
    if (first.crashed && m_config.retryAfterCrash && maxLinear != 1) {
        DecodeOptions safe = request.options;
        safe.maxLinearSymbols = 1;
        Attempt second = attempt(request, safe);
        if (second.result)
            return Decoded{std::move(*second.result),
                           first.result.error().message +
                               "; read again in safe mode, which finds at most one linear barcode (Code 39, Code 128)"};
    }
    return first.result.error();
}

core::Result<Decoded> IsolatedDecoder::decode(GrayView image, const DecodeOptions& options) {
    if (!image.pixels || image.width <= 0 || image.height <= 0 || image.stride < image.width)
        return fail(ErrorCode::InvalidInput, "the image has no pixels or a row stride shorter than its width");
    if (auto ok = checkSize(image.width, image.height); !ok) return ok.error();
    Request request;
    request.image = image;
    request.options = options;
    return run(request);
}

core::Result<Decoded> IsolatedDecoder::decodeFile(const std::filesystem::path& path, const DecodeOptions& options) {
    Request request;
    request.isFile = true;
    request.path = std::filesystem::absolute(path).string();
    if (request.path.size() > kMaxPathBytes) return fail(ErrorCode::InvalidInput, "the path is too long");
    request.options = options;
    return run(request);
}

std::optional<int> runScanWorkerIfRequested(int argc, char** argv) {
    if (argc < 2 || std::string_view(argv[1]) != "--scan-worker") return std::nullopt;
    // Only this process ignores SIGPIPE: a host that went away shows up as a failed write.
    ::signal(SIGPIPE, SIG_IGN);
    return serveRequests(kWorkerFd);
}

// --- ImageScanSource -------------------------------------------------------------------------

namespace {

constexpr std::string_view kImagePrefix = "image:";

bool isPicture(const std::filesystem::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

std::int64_t steadyMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now().time_since_epoch()).count();
}

} // namespace

core::Result<std::unique_ptr<ImageScanSource>> ImageScanSource::open(std::string connection, Config config) {
    if (connection.rfind(kImagePrefix, 0) != 0 || connection.size() == kImagePrefix.size())
        return fail(ErrorCode::InvalidInput, "an image scan source is opened as image:PATH, not '" + connection + "'");
    std::filesystem::path path = connection.substr(kImagePrefix.size());
    return std::unique_ptr<ImageScanSource>(
        new ImageScanSource(std::move(connection), std::move(path), std::move(config)));
}

ImageScanSource::ImageScanSource(std::string connection, std::filesystem::path path, Config config)
    : m_connection(std::move(connection)), m_path(std::move(path)), m_config(std::move(config)),
      m_decoder(m_config.decoder) {}

ImageScanSource::~ImageScanSource() {
    stop();
}

void ImageScanSource::start(core::scan::ScanSink sink) {
    m_thread = std::jthread([this, sink = std::move(sink)](std::stop_token stop) { runLoop(stop, sink); });
}

void ImageScanSource::stop() {
    if (!m_thread.joinable()) return;
    m_thread.request_stop();
    m_decoder.cancel();
    m_thread.join();
}

void ImageScanSource::runLoop(std::stop_token stop, core::scan::ScanSink sink) {
    using core::scan::ScannerStatus;
    std::optional<std::pair<ScannerStatus::State, std::string>> last;
    auto status = [&](ScannerStatus::State state, std::string message) {
        if (last && last->first == state && last->second == message) return;
        last = {state, message};
        sink(ScannerStatus{m_connection, state, std::move(message)});
    };
    auto decodeOne = [&](const std::filesystem::path& file) {
        auto decoded = m_decoder.decodeFile(file, m_config.options);
        if (stop.stop_requested()) return;
        if (!decoded) {
            status(ScannerStatus::State::Connected, file.filename().string() + ": " + decoded.error().message);
            return;
        }
        for (Symbol& s : decoded->symbols)
            sink(core::scan::Scan{m_connection, s.symbology, std::move(s.bytes), core::scan::toValidUtf8(s.text),
                                  steadyMs(), s.position});
        status(ScannerStatus::State::Connected,
               decoded->warning.empty() ? std::string() : file.filename().string() + ": " + decoded->warning);
    };

    using Signature = std::pair<std::uintmax_t, std::filesystem::file_time_type>;
    std::map<std::filesystem::path, Signature> seen; // last signature of each picture
    std::map<std::filesystem::path, Signature> done; // the signature each picture was decoded at
    bool fileDone = false;
    std::mutex mutex;
    std::condition_variable_any wake;
    try {
        while (!stop.stop_requested()) {
            std::error_code ec;
            const auto st = std::filesystem::status(m_path, ec);
            if (ec || !std::filesystem::exists(st)) {
                status(ScannerStatus::State::Failed,
                       m_path.string() + " does not exist: create it or fix the image: path");
            } else if (std::filesystem::is_directory(st)) {
                std::filesystem::directory_iterator it(m_path, ec);
                if (ec) {
                    status(ScannerStatus::State::Failed,
                           "cannot read the folder " + m_path.string() + ": " + ec.message());
                } else {
                    if (!last || last->first != ScannerStatus::State::Connected)
                        status(ScannerStatus::State::Connected, "");
                    std::vector<std::filesystem::path> ready;
                    for (; it != std::filesystem::directory_iterator() && !stop.stop_requested(); it.increment(ec)) {
                        const auto& entry = *it;
                        if (!isPicture(entry.path()) || !entry.is_regular_file(ec)) continue;
                        const Signature sig{entry.file_size(ec), entry.last_write_time(ec)};
                        if (ec) continue;
                        auto d = done.find(entry.path());
                        if (d != done.end() && d->second == sig) continue;
                        auto s = seen.find(entry.path());
                        // Decoded once its size and time stamp held still for one poll.
                        if (s != seen.end() && s->second == sig) ready.push_back(entry.path());
                        seen[entry.path()] = sig;
                    }
                    std::sort(ready.begin(), ready.end());
                    for (const auto& file : ready) {
                        if (stop.stop_requested()) break;
                        done[file] = seen[file];
                        decodeOne(file);
                    }
                }
            } else if (::access(m_path.c_str(), R_OK) != 0) {
                status(ScannerStatus::State::Failed, "cannot read " + m_path.string() + ": " + std::strerror(errno));
            } else {
                if (!last || last->first != ScannerStatus::State::Connected)
                    status(ScannerStatus::State::Connected, "");
                if (!fileDone) {
                    fileDone = true;
                    decodeOne(m_path);
                }
            }
            std::unique_lock lock(mutex);
            wake.wait_for(lock, stop, m_config.pollInterval, [] { return false; });
        }
    } catch (const std::exception& e) {
        sink(ScannerStatus{m_connection, ScannerStatus::State::Failed,
                           std::string("image source stopped: ") + e.what()});
    }
}

} // namespace showroom::devices
