#pragma once
// Barcodes in images: photos, camera frames and files, read with ZXing-cpp in a separate process.
//
// Why a separate process: libzxing 1.4.0 as Debian packages it keeps its assertions, and
// ReadBarcodes() aborts the whole process (`Result.cpp:140: lineCount() == 1`) on ordinary frames;
// two labels of the same Code 128 at two sizes in one 1280x720 frame are enough (the tests build
// such a frame). A kiosk must survive any image, so the decoder that production code uses,
// IsolatedDecoder, runs ZXing in a worker process (this same executable re-run with
// `--scan-worker`), bounds every request by a timeout and restarts the worker after a crash or a
// timeout. decodeInProcess() is the bare decoder for that worker and for benchmarks only.
//
// Every program that uses IsolatedDecoder (or ImageScanSource) must start its main() with
//     if (auto rc = showroom::devices::runScanWorkerIfRequested(argc, argv)) return *rc;
// A program without that line does not answer the worker handshake and gets a clear error, never
// a second copy of itself running on.
//
// Formats: Code 39, Code 128, Data Matrix, QR Code and PDF417 by default; EAN-13, UPC-A, ITF and
// Aztec when asked for. Positions are image pixels, corners clockwise from the top-left corner of
// the symbol as read (for a rotated label that is not the top-left of the image).

#include "showroom/core/result.hpp"
#include "showroom/core/scan.hpp"

#include <sys/types.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace showroom::devices {

/// An 8-bit grayscale image the caller owns; row y starts at `pixels + y * stride`.
struct GrayView {
    const std::uint8_t* pixels = nullptr;
    int width = 0;
    int height = 0;
    int stride = 0; ///< bytes from one row to the next, >= width
};

/// A rectangle in image pixels. Symbols are looked for inside it only; positions stay in image
/// coordinates. A rectangle reaching past the image is clipped to it.
struct Roi {
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;
};

struct DecodeOptions {
    std::set<core::scan::Symbology> formats; ///< empty: Code39, Code128, DataMatrix, QRCode, PDF417
    std::optional<Roi> roi;
    int maxSymbols = 16; ///< 1..255
    /// Linear symbols (Code 39, Code 128, EAN, UPC, ITF) at most; 0: maxSymbols. 1 is the "safe
    /// mode": libzxing 1.4.0 aborts while merging linear symbols, and with one it never merges.
    int maxLinearSymbols = 0;
    bool tryHarder = true; ///< slower, reads more damaged and smaller symbols
    bool tryRotate = true; ///< also reads symbols turned by 90, 180, 270 degrees
};

/// One symbol found in an image.
struct Symbol {
    core::scan::Symbology symbology = core::scan::Symbology::Unknown;
    std::string bytes; ///< the payload exactly as encoded (a licence's LF, RS, CR survive)
    std::string text;  ///< the payload as UTF-8 text, read with the symbol's character set (ECI)
    std::array<core::scan::Point, 4> position{}; ///< corners, clockwise from the symbol's top-left
};

/// The symbologies read when DecodeOptions::formats is empty.
const std::set<core::scan::Symbology>& defaultImageFormats();

/// Decodes in the calling process with ZXing. CAN ABORT THE PROCESS (see the top of this file):
/// only the worker and benchmarks call it. Fails (InvalidInput) on an empty view, a stride below
/// the width, a ROI outside the image or a format ZXing cannot read. Thread-safe (no shared state).
core::Result<std::vector<Symbol>> decodeInProcess(GrayView image, const DecodeOptions& options);

/// Limits that protect the worker (and the host's memory) from absurd images; checked on the
/// image header before any pixel is allocated.
inline constexpr int kMaxImageSide = 8192;
inline constexpr std::int64_t kMaxImagePixels = 64LL * 1024 * 1024;
inline constexpr std::int64_t kMaxImageFileBytes = 256LL * 1024 * 1024;

struct IsolatedDecoderConfig {
    /// The program re-run as the worker; it must call runScanWorkerIfRequested() first in main().
    std::string workerExecutable = "/proc/self/exe";
    /// Longest a request may take, image transfer included, before the worker is killed.
    std::chrono::milliseconds timeout{3000};
    /// Longest a fresh worker may take to start and answer the handshake.
    std::chrono::milliseconds startupTimeout{5000};
    /// After a crash, decode the same image once more in safe mode (maxLinearSymbols = 1), which
    /// libzxing 1.4.0 does not abort in: every matrix symbol and one linear symbol still come back
    /// (see Decoded::warning).
    bool retryAfterCrash = true;
};

/// What a decode found. `warning` is non-empty when the result is incomplete for a reason the
/// user should hear about (the decoder crashed; the safe-mode retry reads one linear symbol at most).
struct Decoded {
    std::vector<Symbol> symbols;
    std::string warning;
};

/// Decodes images in a worker process so that an abort, a crash or a hang inside the decoder can
/// never reach the caller.
///
/// Errors (the request's, the next request starts a fresh worker when needed):
///  - NotFound: the file does not exist; Io: it cannot be read (permissions, a directory);
///  - InvalidInput: not an image, truncated, empty, larger than the limits above, bad options;
///  - Internal: the decoder crashed ("the barcode decoder crashed on this image") or took longer
///    than the timeout ("... took longer than 3000 ms on this image; it was stopped"), or the
///    worker could not be started.
///
/// Processes: at most one worker at a time, started lazily, killed by PID with SIGKILL on timeout
/// and always reaped (no zombies); the destructor closes the worker's socket and reaps it. The
/// worker dies on its own if its host goes away (end of file on its socket) and its own alarm
/// ends a runaway decode even when the host is gone. Writes to the worker use MSG_NOSIGNAL: the
/// host's SIGPIPE disposition is never touched. The worker's stderr (where libzxing prints its
/// assertion) is captured and its last line is appended to a crash message.
///
/// Threads: one owner thread calls decode*(), stop() and the destructor; cancel() may be called
/// from any thread to end the current request promptly (it fails with "cancelled").
class IsolatedDecoder {
public:
    explicit IsolatedDecoder(IsolatedDecoderConfig config = {});
    ~IsolatedDecoder();
    IsolatedDecoder(const IsolatedDecoder&) = delete;
    IsolatedDecoder& operator=(const IsolatedDecoder&) = delete;

    /// Decodes pixels the caller owns (copied to the worker; the view may be released on return).
    core::Result<Decoded> decode(GrayView image, const DecodeOptions& options);
    /// Decodes a PNG, JPEG, BMP, GIF, TGA or PNM file; the file is opened and parsed by the
    /// worker only, so a hostile file cannot harm the caller either.
    core::Result<Decoded> decodeFile(const std::filesystem::path& path, const DecodeOptions& options);

    /// Ends the current request from any thread (or the next one, when none runs); it fails with
    /// ErrorCode::Internal ("cancelled"). The request after that works normally.
    void cancel();
    /// Stops the worker now (it is restarted by the next request). Idempotent.
    void stop();

    /// The worker's PID while one runs (for tests and diagnostics).
    std::optional<pid_t> workerPid() const;

private:
    struct Worker;
    struct Request;
    struct Attempt;
    core::Result<Decoded> run(const Request& request);
    Attempt attempt(const Request& request, const DecodeOptions& options);
    core::Result<void> ensureWorker();

    IsolatedDecoderConfig m_config;
    std::unique_ptr<Worker> m_worker;
    int m_cancelFd = -1; ///< eventfd; cancel() writes, requests poll it
};

/// Call first in main(): when this process was started as a scan worker it serves requests and
/// returns the exit code main() must return; otherwise it returns nullopt at once.
std::optional<int> runScanWorkerIfRequested(int argc, char** argv);

/// A scan source over images, for connection strings `image:PATH`:
///  - PATH a file: it is decoded once, a Scan is posted per symbol (with `position`), then the
///    source stays connected and idle;
///  - PATH a directory: a drop folder acting like a camera. Each *.png / *.jpg / *.jpeg that
///    appears is decoded once, after its size and time stamp held still for one poll (so a file
///    still being copied in is not read half-written). Files present at start() count as new.
/// Status: Connected when PATH is readable, Failed with a sentence otherwise (re-checked every
/// poll, so a folder that appears later connects). A picture that cannot be decoded does not
/// stop the source: a Connected status whose message names the file and the problem is posted.
///
/// Threads: start() and stop() from the owner thread; the sink is called on the source's thread.
/// stop() cancels a decode in progress and returns promptly.
class ImageScanSource final : public core::scan::ScanSource {
public:
    struct Config {
        DecodeOptions options;
        IsolatedDecoderConfig decoder;
        std::chrono::milliseconds pollInterval{250};
    };

    /// Fails (InvalidInput) unless `connection` is "image:" followed by a path.
    static core::Result<std::unique_ptr<ImageScanSource>> open(std::string connection, Config config);
    ~ImageScanSource() override;

    const std::string& connection() const override { return m_connection; }
    void start(core::scan::ScanSink sink) override;
    void stop() override;

private:
    ImageScanSource(std::string connection, std::filesystem::path path, Config config);
    void runLoop(std::stop_token stop, core::scan::ScanSink sink);

    std::string m_connection;
    std::filesystem::path m_path;
    Config m_config;
    IsolatedDecoder m_decoder; ///< used on the source's thread only (cancel() from stop())
    std::jthread m_thread;
};

} // namespace showroom::devices
