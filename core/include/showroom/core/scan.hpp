#pragma once
// Scans: what a scanner reports, the port every scanner driver implements, and what a payload means.
//
// A driver (devices/: keyboard wedge, USB HID, serial, image, virtual) turns its transport into
// `Scan` values and hands them to a `ScanSink`. Core never sees a device: it reads payloads.
//
// Rules:
//  - `Scan::bytes` is the payload exactly as the scanner sent it (a licence barcode holds LF, RS, CR
//    and GS, and those must survive). `Scan::text` is the same payload as valid UTF-8 for display and
//    JSON: bytes that are not UTF-8 become U+FFFD. Never log either for a licence (see licence.hpp).
//  - findVin() and the other functions here are pure and safe from any thread.
//  - ScanMailbox is the one thread-safe piece: drivers post from their threads, the UI drains it.

#include "showroom/core/result.hpp"

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace showroom::core::scan {

/// Symbologies a showroom meets. `Unknown` when the transport does not say (a wedge without AIM
/// identifiers, a serial scanner in plain mode).
enum class Symbology : std::uint8_t { Unknown, Code39, Code128, DataMatrix, QRCode, PDF417, EAN13, UPCA, ITF, Aztec };

/// "Code39", "Code128", "DataMatrix", "QRCode", "PDF417", "EAN13", "UPCA", "ITF", "Aztec", "Unknown"
/// (the names `showroom scan decode` prints).
std::string_view toString(Symbology symbology) noexcept;
/// The inverse of toString(); Unknown for a name it does not know.
Symbology symbologyFromName(std::string_view name) noexcept;

/// An ISO/IEC 15424 AIM symbology identifier ("]A0", "]C1", "]d2", "]Q1", "]L2", ...) that a scanner
/// may send before the payload, split off. When `payload` does not start with one, `symbology` is
/// Unknown, `aim` is empty and `rest` is the whole payload.
struct AimSplit {
    Symbology symbology = Symbology::Unknown;
    std::string_view aim;    ///< the three identifier characters, or empty
    std::string_view rest;   ///< the payload after the identifier
};
AimSplit splitAim(std::string_view payload) noexcept;

/// A point in image pixels (only image decoding reports positions).
struct Point {
    int x = 0;
    int y = 0;
};

/// One symbol read by one scanner.
struct Scan {
    std::string source;                    ///< connection string of the scanner, e.g. "usb:0c2e:0b61"
    Symbology symbology = Symbology::Unknown;
    std::string bytes;                     ///< payload exactly as received, AIM identifier removed
    std::string text;                      ///< `bytes` as valid UTF-8 (see the rules above)
    std::int64_t timestampMs = 0;          ///< steady-clock milliseconds when the last byte arrived
    std::optional<std::array<Point, 4>> position; ///< corners in the image, clockwise from top-left
};

/// Builds a Scan from raw bytes: strips an AIM identifier (taking its symbology when `symbology` is
/// Unknown) and fills `text`.
Scan makeScan(std::string source, std::string_view bytes, Symbology symbology, std::int64_t timestampMs);

/// `bytes` as valid UTF-8: valid sequences are kept, each invalid byte becomes U+FFFD.
std::string toValidUtf8(std::string_view bytes);

/// What a scanner's connection is doing. Drivers report every change, so a screen can show
/// "scanner unplugged" and the porter knows why nothing happens.
struct ScannerStatus {
    enum class State : std::uint8_t {
        Connected,     ///< ready to read
        Disconnected,  ///< unplugged or closed; the driver waits for it to come back
        Failed,        ///< cannot be used until someone acts; `message` says what to do
    };
    std::string source;
    State state = State::Disconnected;
    std::string message;   ///< one human sentence ("permission denied: install config/udev/...")
};
std::string_view toString(ScannerStatus::State state) noexcept;   ///< "connected", "disconnected", "failed"

using ScanEvent = std::variant<Scan, ScannerStatus>;

/// Where a driver delivers events. Called on the driver's own thread, one event at a time, never
/// after ScanSource::stop() has returned. It must not block for long.
using ScanSink = std::function<void(ScanEvent)>;

/// The port every scanner driver implements.
class ScanSource {
public:
    virtual ~ScanSource() = default;
    /// The connection string this source was opened with ("usb:0c2e:0b61", "serial:/dev/ttyACM0").
    virtual const std::string& connection() const = 0;
    /// Starts reading on the source's own thread (the keyboard wedge, fed by the UI, is the
    /// exception and delivers on the feeding thread). Calling start() twice is a programming error.
    virtual void start(ScanSink sink) = 0;
    /// Stops reading and joins the thread. Idempotent; also called by the destructor of drivers.
    virtual void stop() = 0;
};

/// A bounded, thread-safe queue of scan events between driver threads and one consumer. When full,
/// the oldest *status* event is dropped first; scans are never dropped while a status can go, and
/// when only scans remain the newest scan is refused and counted in dropped() (a porter rescans).
class ScanMailbox {
public:
    explicit ScanMailbox(std::size_t capacity = 256) : m_capacity(capacity) {}

    /// A sink that posts here (copyable; the mailbox must outlive every source using it).
    ScanSink sink();
    void post(ScanEvent event);
    /// Everything queued, oldest first; never blocks.
    std::vector<ScanEvent> drain();
    /// Waits up to `timeout` for at least one event, then drains.
    std::vector<ScanEvent> waitAndDrain(std::chrono::milliseconds timeout);
    std::size_t dropped() const;
    /// Called (on the posting thread, without the lock held) after every accepted post, e.g. to
    /// wake the kiosk's event loop. Set before any source starts.
    void setWakeUp(std::function<void()> wakeUp) { m_wakeUp = std::move(wakeUp); }

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_ready;
    std::deque<ScanEvent> m_events;
    std::size_t m_capacity;
    std::size_t m_dropped = 0;
    std::function<void()> m_wakeUp;
};

// --- What a payload means -------------------------------------------------------------------

/// The VIN a payload carries, if any.
struct VinFinding {
    enum class Kind : std::uint8_t {
        None,            ///< no 17-character VIN-shaped text in the payload
        Valid,           ///< `vin` passed core::vin::decode()
        Invalid,         ///< `vin` is VIN-shaped but decode() refused it (wrong check digit, ...)
    };
    Kind kind = Kind::None;
    std::string vin;       ///< cleaned (17 characters) when it could be, else as found; empty for None
    std::string problem;   ///< for Invalid: decode()'s first error, e.g. the check-digit sentence
};

/// Finds the VIN in a scanned payload:
///  - the whole payload (trimmed of whitespace and control characters, any case, Code 39's leading I);
///  - labelled fields: `VIN:...`, `VIN=...`, `VIN#...` separated by ; , | & ? / space tab CR LF GS RS,
///    as on dealer stickers, auction labels and URL-style QR codes (`...?vin=...`);
///  - otherwise any 17 characters of [A-Z0-9] (any case) standing alone between separators.
/// A labelled VIN wins over a bare one. Among several candidates the first Valid one wins; if none is
/// valid the first candidate comes back as Invalid with its problem, so a bad check digit is shown to
/// the porter and never silently ignored. `latestModelYear` is passed to vin::decode().
VinFinding findVin(std::string_view payload, int latestModelYear);

/// True when the payload looks like an AAMVA driver's licence (starts with '@' then LF or RS or CR,
/// after an optional AIM identifier). Cheap; parse it with core::licence::parse.
bool looksLikeLicence(std::string_view payload) noexcept;

} // namespace showroom::core::scan
