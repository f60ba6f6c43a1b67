#include "showroom/devices/scan/usb_scanner.hpp"

#include "showroom/devices/scan/hid_report.hpp"

#include "../usb_handles.hpp"

#include <libusb.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <thread>
#include <vector>

namespace showroom::devices {

namespace scan = core::scan;
using State = scan::ScannerStatus::State;

namespace {

using detail::ConfigPtr;
using detail::ContextPtr;
using detail::deviceNode;
using detail::DeviceListPtr;
using detail::DevicePtr;
using detail::HandlePtr;
using detail::TransferPtr;

constexpr std::uint8_t kHidClass = 0x03;
constexpr std::uint8_t kBootSubclass = 0x01;
constexpr std::uint8_t kBootKeyboard = 0x01;
constexpr std::uint8_t kBootMouse = 0x02;
constexpr std::uint8_t kHidDescriptorType = 0x21;
constexpr std::uint8_t kReportDescriptorType = 0x22;
constexpr unsigned kControlTimeoutMs = 1000;
// Two reads queued so a keyboard-class scanner's next report (one per key change, every 1..10 ms) is
// picked up while the previous one is being decoded.
constexpr int kTransfersInFlight = 2;
// A few stalls in a row are noise on the cable; an endpoint that keeps stalling is broken.
constexpr int kMaxConsecutiveStalls = 5;
constexpr int kMaxConsecutiveErrors = 5;
constexpr auto kMaxWait = std::chrono::milliseconds(500);
constexpr auto kCancelGrace = std::chrono::milliseconds(1000);
// bmRequestType values; libusb's enums may not be or-ed together in C++20.
constexpr std::uint8_t kGetInterfaceDescriptor = 0x81;   // IN | standard | interface
constexpr std::uint8_t kSetInterfaceClass = 0x21;        // OUT | class | interface
constexpr std::uint8_t kSetProtocol = 0x0B;
constexpr std::uint16_t kBootProtocol = 0;

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::optional<std::uint16_t> parseHex16(std::string_view s) {
    if (s.empty() || s.size() > 4) return std::nullopt;
    std::uint16_t value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, 16);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return value;
}

std::string hex4(std::uint16_t v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04x", v);
    return buf;
}

enum class ScannerKind { Keyboard, Pos };

// A HID interface that may be a scanner, as the configuration descriptor shows it.
struct Candidate {
    int interfaceNumber = 0;
    std::uint8_t subclass = 0;
    std::uint8_t protocol = 0;
    std::uint8_t endpoint = 0;
    int packetSize = 0;
    int reportDescriptorLength = 0;   ///< from the HID class descriptor; 0 when absent
    int configurationValue = 1;
    std::optional<std::vector<std::uint8_t>> sysfsDescriptor;   ///< auto mode: read before opening
    bool bootKeyboard() const { return subclass == kBootSubclass && protocol == kBootKeyboard; }
    bool bootMouse() const { return subclass == kBootSubclass && protocol == kBootMouse; }
};

std::vector<Candidate> hidCandidates(libusb_device* dev) {
    std::vector<Candidate> out;
    libusb_config_descriptor* raw = nullptr;
    if (libusb_get_active_config_descriptor(dev, &raw) != 0 || !raw) return out;
    const ConfigPtr config(raw);
    for (int i = 0; i < config->bNumInterfaces; ++i) {
        const libusb_interface& itf = config->interface[i];
        if (itf.num_altsetting < 1) continue;
        const libusb_interface_descriptor& alt = itf.altsetting[0];
        if (alt.bInterfaceClass != kHidClass) continue;
        Candidate c;
        c.interfaceNumber = alt.bInterfaceNumber;
        c.subclass = alt.bInterfaceSubClass;
        c.protocol = alt.bInterfaceProtocol;
        c.configurationValue = config->bConfigurationValue;
        for (int e = 0; e < alt.bNumEndpoints; ++e) {
            const libusb_endpoint_descriptor& ep = alt.endpoint[e];
            const bool in = (ep.bEndpointAddress & LIBUSB_ENDPOINT_DIR_MASK) == LIBUSB_ENDPOINT_IN;
            const bool interrupt = (ep.bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) == LIBUSB_TRANSFER_TYPE_INTERRUPT;
            if (in && interrupt && c.endpoint == 0) {
                c.endpoint = ep.bEndpointAddress;
                c.packetSize = ep.wMaxPacketSize & 0x7FF;
            }
        }
        // HID class descriptor: bLength, 0x21, bcdHID(2), country, numDescriptors, then (type, length) pairs.
        const unsigned char* extra = alt.extra;
        for (int off = 0; extra && off + 1 < alt.extra_length && extra[off] > 0; off += extra[off]) {
            if (extra[off + 1] != kHidDescriptorType || off + 9 > alt.extra_length) continue;
            for (int k = off + 6; k + 2 < off + extra[off] && k + 2 < alt.extra_length; k += 3)
                if (extra[k] == kReportDescriptorType) c.reportDescriptorLength = extra[k + 1] | (extra[k + 2] << 8);
        }
        if (c.endpoint != 0) out.push_back(c);
    }
    return out;
}

// The report descriptor the kernel's HID driver already read, for interfaces it holds: reading it from
// sysfs needs no detach, so probing in auto mode never takes a device away from its driver.
std::optional<std::vector<std::uint8_t>> sysfsReportDescriptor(libusb_device* dev, const Candidate& c) {
    std::uint8_t ports[8];
    const int n = libusb_get_port_numbers(dev, ports, static_cast<int>(std::size(ports)));
    if (n <= 0) return std::nullopt;
    std::string name = std::to_string(libusb_get_bus_number(dev)) + "-";
    for (int i = 0; i < n; ++i)
        name += (i ? "." : "") + std::to_string(ports[i]);
    name += ":" + std::to_string(c.configurationValue) + "." + std::to_string(c.interfaceNumber);
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/sys/bus/usb/devices/" + name, ec)) {
        const auto file = entry.path() / "report_descriptor";
        std::ifstream in(file, std::ios::binary);
        if (!in) continue;
        std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (!bytes.empty()) return bytes;
    }
    return std::nullopt;
}

std::optional<std::vector<std::uint8_t>> controlReportDescriptor(libusb_device_handle* h, const Candidate& c) {
    std::vector<std::uint8_t> bytes(c.reportDescriptorLength > 0 ? c.reportDescriptorLength : 1024);
    const int n = libusb_control_transfer(h, kGetInterfaceDescriptor,
                                          LIBUSB_REQUEST_GET_DESCRIPTOR, kReportDescriptorType << 8,
                                          static_cast<std::uint16_t>(c.interfaceNumber), bytes.data(),
                                          static_cast<std::uint16_t>(bytes.size()), kControlTimeoutMs);
    if (n <= 0) return std::nullopt;
    bytes.resize(static_cast<std::size_t>(n));
    return bytes;
}

} // namespace

// --- Connection strings ---------------------------------------------------------------------------

core::Result<UsbScannerMatch> parseUsbConnection(std::string_view connection) {
    const auto bad = [&](std::string why) {
        return core::fail(core::ErrorCode::InvalidInput,
                          "\"" + std::string(connection) + "\" is not a USB scanner connection: " + why);
    };
    if (connection.substr(0, 4) != "usb:") return bad("it must start with usb: (usb:VID:PID or usb:auto)");
    const auto rest = connection.substr(4);
    if (rest == "auto") return UsbScannerMatch{.autoDetect = true};
    const auto colon = rest.find(':');
    if (colon == std::string_view::npos) return bad("expected usb:VID:PID in hex, e.g. usb:0c2e:0b61, or usb:auto");
    const auto vid = parseHex16(rest.substr(0, colon));
    const auto pid = parseHex16(rest.substr(colon + 1));
    if (!vid) return bad("the vendor ID must be 1 to 4 hex digits");
    if (!pid) return bad("the product ID must be 1 to 4 hex digits");
    return UsbScannerMatch{.autoDetect = false, .vendorId = *vid, .productId = *pid};
}

std::string permissionDeniedMessage(std::string_view node) {
    return "permission denied on " + std::string(node) +
           ": install config/udev/60-showroom-scanners.rules (sudo cp config/udev/60-showroom-scanners.rules "
           "/etc/udev/rules.d/ && sudo udevadm control --reload && replug the scanner)";
}

// --- The reader -------------------------------------------------------------------------------------

namespace {

// One claimed scanner interface and its queued reads. Lives on the reader thread only.
struct OpenScanner {
    UsbScanner::Impl* owner = nullptr;
    DevicePtr device;
    HandlePtr handle;
    std::string node;
    std::string description;
    Candidate candidate;
    ScannerKind kind = ScannerKind::Keyboard;
    bool claimed = false;
    bool reattachKernelDriver = false;
    std::vector<TransferPtr> transfers;
    std::vector<std::vector<unsigned char>> buffers;
    int active = 0;          ///< submitted transfers whose callback has not run
    bool closing = false;
    bool gone = false;       ///< unplugged or stopped answering: Disconnected
    std::string failure;     ///< set when a person must act: Failed
    int stalls = 0;
    int errors = 0;
    HidKeyboardDecoder keyboard;
    HidPosDecoder pos;
};

// What probing one device came to.
struct Probe {
    std::unique_ptr<OpenScanner> scanner;   ///< opened and reading
    std::string failure;                    ///< a scanner we may not read; the Failed message
};

} // namespace

struct UsbScanner::Impl {
    std::string connection;
    UsbScannerMatch match;
    UsbScannerOptions options;
    ContextPtr ctx;
    scan::ScanSink sink;
    std::atomic<bool> stopping{false};
    std::jthread thread;

    // Reader-thread state.
    bool hotplug = false;
    libusb_hotplug_callback_handle hotplugHandle{};
    bool rescanNow = true;
    std::unique_ptr<OpenScanner> open;
    std::optional<std::pair<State, std::string>> lastStatus;

    void run();
    void loop();
    void rescan();
    Probe probe(libusb_device* dev);
    core::Status startReading(OpenScanner& s);
    void close(std::unique_ptr<OpenScanner> s);
    void onTransfer(OpenScanner& s, libusb_transfer& t);
    void resubmit(OpenScanner& s, libusb_transfer& t);
    void decode(OpenScanner& s, std::span<const std::uint8_t> report);
    void post(State state, std::string message);

    static void LIBUSB_CALL transferCallback(libusb_transfer* t);
    static int LIBUSB_CALL hotplugCallback(libusb_context*, libusb_device* dev, libusb_hotplug_event event, void* self);
};

core::Result<std::unique_ptr<UsbScanner>> UsbScanner::open(std::string_view connection, UsbScannerOptions options) {
    auto match = parseUsbConnection(connection);
    if (!match) return match.error();
    libusb_context* raw = nullptr;
    if (const int r = libusb_init(&raw); r != 0)
        return core::fail(core::ErrorCode::Io, "cannot start libusb for " + std::string(connection) + ": " +
                                                   libusb_error_name(r));
    auto impl = std::make_unique<Impl>();
    impl->ctx.reset(raw);
    impl->connection = std::string(connection);
    impl->match = *match;
    impl->options = options;
    return std::unique_ptr<UsbScanner>(new UsbScanner(std::move(impl)));
}

UsbScanner::UsbScanner(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

UsbScanner::~UsbScanner() { stop(); }

const std::string& UsbScanner::connection() const { return m_impl->connection; }

void UsbScanner::start(scan::ScanSink sink) {
    assert(!m_impl->thread.joinable() && "UsbScanner::start() called twice");
    m_impl->sink = std::move(sink);
    m_impl->thread = std::jthread([impl = m_impl.get()] { impl->run(); });
}

void UsbScanner::stop() {
    if (!m_impl->thread.joinable()) return;
    m_impl->stopping = true;
    libusb_interrupt_event_handler(m_impl->ctx.get());
    m_impl->thread.join();
}

void UsbScanner::Impl::run() {
    try {
        loop();
    } catch (const std::exception& e) {
        post(State::Failed, connection + " stopped on an internal error: " + e.what());
    } catch (...) {
        post(State::Failed, connection + " stopped on an internal error");
    }
    try {
        if (open) close(std::move(open));
        if (hotplug) libusb_hotplug_deregister_callback(ctx.get(), hotplugHandle);
    } catch (...) {
        // Nothing is left to report to once the sink may no longer be called.
    }
}

void UsbScanner::Impl::loop() {
    if (options.useHotplug && libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG)) {
        const int r = libusb_hotplug_register_callback(
            ctx.get(), LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, 0,
            match.autoDetect ? LIBUSB_HOTPLUG_MATCH_ANY : match.vendorId,
            match.autoDetect ? LIBUSB_HOTPLUG_MATCH_ANY : match.productId, LIBUSB_HOTPLUG_MATCH_ANY,
            &Impl::hotplugCallback, this, &hotplugHandle);
        hotplug = r == LIBUSB_SUCCESS;
    }
    auto nextRescan = std::chrono::steady_clock::now();
    while (!stopping) {
        const auto now = std::chrono::steady_clock::now();
        // Without a scanner, look again now and then even with hotplug: a device that failed (no
        // permission yet, busy) sends no new arrival when the porter fixes it.
        if (!open && (rescanNow || now >= nextRescan)) {
            rescanNow = false;
            rescan();
            nextRescan = now + options.rescanInterval;
        }
        if (stopping) break;
        auto wait = open ? kMaxWait : std::min<std::chrono::steady_clock::duration>(kMaxWait, nextRescan - now);
        wait = std::max<std::chrono::steady_clock::duration>(wait, std::chrono::milliseconds(1));
        const auto us = std::chrono::duration_cast<std::chrono::microseconds>(wait).count();
        timeval tv{static_cast<time_t>(us / 1000000), static_cast<suseconds_t>(us % 1000000)};
        libusb_handle_events_timeout_completed(ctx.get(), &tv, nullptr);

        if (open && (open->gone || !open->failure.empty())) {
            const bool failed = !open->failure.empty();
            std::string message =
                failed ? open->failure : open->description + " was unplugged; waiting for it to come back";
            close(std::move(open));
            post(failed ? State::Failed : State::Disconnected, std::move(message));
            nextRescan = std::chrono::steady_clock::now() + options.rescanInterval;
            rescanNow = !failed && !hotplug;
        }
    }
}

int LIBUSB_CALL UsbScanner::Impl::hotplugCallback(libusb_context*, libusb_device* dev, libusb_hotplug_event event,
                                                  void* self) {
    // Runs inside libusb_handle_events on the reader thread, where synchronous libusb calls are not
    // allowed: note what happened and act once handle_events has returned.
    auto* impl = static_cast<Impl*>(self);
    if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED) impl->rescanNow = true;
    if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT && impl->open && impl->open->device.get() == dev) {
        impl->open->gone = true;
        impl->open->keyboard.reset();
        impl->open->pos.reset();
    }
    return 0;
}

void UsbScanner::Impl::rescan() {
    libusb_device** raw = nullptr;
    const ssize_t n = libusb_get_device_list(ctx.get(), &raw);
    if (n < 0) {
        post(State::Failed, "cannot list USB devices: " + std::string(libusb_error_name(static_cast<int>(n))));
        return;
    }
    const DeviceListPtr list(raw);
    std::string failure;
    for (ssize_t i = 0; i < n && !open; ++i) {
        Probe p = probe(raw[i]);
        if (p.scanner) {
            open = std::move(p.scanner);
            post(State::Connected, "reading " + open->description);
        } else if (!p.failure.empty() && failure.empty()) {
            failure = std::move(p.failure);
        }
    }
    if (open) return;
    if (!failure.empty()) post(State::Failed, std::move(failure));
    else if (!lastStatus || lastStatus->first != State::Disconnected)
        post(State::Disconnected, "waiting for " + connection + " to be plugged in");
}

Probe UsbScanner::Impl::probe(libusb_device* dev) {
    Probe result;
    libusb_device_descriptor dd{};
    if (libusb_get_device_descriptor(dev, &dd) != 0) return result;
    if (!match.autoDetect && (dd.idVendor != match.vendorId || dd.idProduct != match.productId)) return result;

    auto candidates = hidCandidates(dev);
    bool knownScanner = !match.autoDetect;
    if (match.autoDetect) {
        // Ordinary keyboards and mice are never touched in auto mode, nor is a device whose report
        // descriptor (read from sysfs, where its kernel driver left it) says it is something else.
        std::erase_if(candidates, [&](Candidate& c) {
            if (c.bootKeyboard() || c.bootMouse()) return true;
            c.sysfsDescriptor = sysfsReportDescriptor(dev, c);
            if (!c.sysfsDescriptor) return false;
            const bool pos = isBarcodeScannerDescriptor(*c.sysfsDescriptor);
            knownScanner = knownScanner || pos;
            return !pos;
        });
    }
    const std::string id = hex4(dd.idVendor) + ":" + hex4(dd.idProduct);
    const std::string node = deviceNode(dev);
    if (candidates.empty()) {
        if (!match.autoDetect)
            result.failure = connection + " (" + node + ") has no HID interface with an interrupt IN endpoint: it is "
                                          "not set up as a USB HID scanner";
        return result;
    }

    libusb_device_handle* rawHandle = nullptr;
    if (const int r = libusb_open(dev, &rawHandle); r != 0) {
        // In auto mode an unknown device we may not open is not reported: it is most likely not a scanner.
        if (r == LIBUSB_ERROR_ACCESS && knownScanner) result.failure = permissionDeniedMessage(node);
        else if (r != LIBUSB_ERROR_NO_DEVICE && r != LIBUSB_ERROR_ACCESS && !match.autoDetect)
            result.failure = "cannot open " + connection + " (" + node + "): " + libusb_error_name(r);
        return result;
    }
    HandlePtr handle(rawHandle);

    for (const Candidate& c : candidates) {
        const bool driverActive = libusb_kernel_driver_active(handle.get(), c.interfaceNumber) == 1;
        std::optional<std::vector<std::uint8_t>> descriptor;
        if (match.autoDetect) {
            if (c.sysfsDescriptor) descriptor = c.sysfsDescriptor;
            else if (!driverActive) descriptor = controlReportDescriptor(handle.get(), c);
            if (!descriptor || !isBarcodeScannerDescriptor(*descriptor)) continue;
        }

        auto s = std::make_unique<OpenScanner>();
        s->owner = this;
        s->candidate = c;
        s->node = node;
        s->keyboard = HidKeyboardDecoder(HidKeyboardConfig{.tabTerminates = options.tabTerminates});
        if (driverActive) {
            // The kernel's HID driver would also type the scan into the focused window.
            const int r = libusb_detach_kernel_driver(handle.get(), c.interfaceNumber);
            if (r == LIBUSB_ERROR_ACCESS) {
                result.failure = permissionDeniedMessage(node);
                return result;
            }
            s->reattachKernelDriver = r == 0;
        }
        if (const int r = libusb_claim_interface(handle.get(), c.interfaceNumber); r != 0) {
            if (s->reattachKernelDriver) libusb_attach_kernel_driver(handle.get(), c.interfaceNumber);
            if (r == LIBUSB_ERROR_ACCESS) result.failure = permissionDeniedMessage(node);
            else if (r == LIBUSB_ERROR_BUSY)
                result.failure = connection + " (" + node + ") is in use by another program; close it and replug";
            else if (r != LIBUSB_ERROR_NO_DEVICE)
                result.failure = "cannot claim " + connection + " (" + node + "): " + libusb_error_name(r);
            return result;
        }
        s->claimed = true;
        if (!descriptor) descriptor = controlReportDescriptor(handle.get(), c);
        if (descriptor && isBarcodeScannerDescriptor(*descriptor)) {
            s->kind = ScannerKind::Pos;
        } else if (c.bootKeyboard()) {
            s->kind = ScannerKind::Keyboard;
            // Boot protocol guarantees the 8-byte report layout the decoder reads (no report ID).
            libusb_control_transfer(handle.get(), kSetInterfaceClass, kSetProtocol, kBootProtocol,
                                    static_cast<std::uint16_t>(c.interfaceNumber), nullptr, 0, kControlTimeoutMs);
        } else {
            libusb_release_interface(handle.get(), c.interfaceNumber);
            if (s->reattachKernelDriver) libusb_attach_kernel_driver(handle.get(), c.interfaceNumber);
            continue;
        }
        s->description = std::string(s->kind == ScannerKind::Pos ? "HID POS" : "keyboard-class") + " scanner " + id +
                         " on " + node;
        s->handle = std::move(handle);
        s->device.reset(libusb_ref_device(dev));
        if (const auto started = startReading(*s); !started) {
            result.failure = started.error().message;
            close(std::move(s));
            return result;
        }
        result.scanner = std::move(s);
        return result;
    }
    if (!match.autoDetect)
        result.failure = connection + " (" + node + ") is neither a HID POS scanner nor a keyboard-class scanner; "
                                      "set it to USB HID keyboard or HID POS mode";
    return result;
}

core::Status UsbScanner::Impl::startReading(OpenScanner& s) {
    const int length = std::max(s.candidate.packetSize, 8);
    for (int i = 0; i < kTransfersInFlight; ++i) {
        TransferPtr t(libusb_alloc_transfer(0));
        if (!t) return core::fail(core::ErrorCode::Internal, "out of memory for USB transfers");
        s.buffers.emplace_back(static_cast<std::size_t>(length));
        libusb_fill_interrupt_transfer(t.get(), s.handle.get(), s.candidate.endpoint, s.buffers.back().data(), length,
                                       &Impl::transferCallback, &s, 0);
        s.transfers.push_back(std::move(t));
    }
    for (auto& t : s.transfers) {
        const int r = libusb_submit_transfer(t.get());
        if (r != 0)
            return core::fail(core::ErrorCode::Io, "cannot read " + s.description + ": " + libusb_error_name(r));
        ++s.active;
    }
    return {};
}

void UsbScanner::Impl::close(std::unique_ptr<OpenScanner> s) {
    s->closing = true;
    for (auto& t : s->transfers)
        libusb_cancel_transfer(t.get());   // NOT_FOUND for those already done: nothing to cancel
    const auto deadline = std::chrono::steady_clock::now() + kCancelGrace;
    while (s->active > 0 && std::chrono::steady_clock::now() < deadline) {
        timeval tv{0, 50000};
        libusb_handle_events_timeout_completed(ctx.get(), &tv, nullptr);
    }
    if (s->active > 0) {
        // libusb still owns transfers that point into this object; freeing it would let a late completion
        // write to freed memory. Leaking one scanner's state on a device that never answers is the lesser harm.
        (void)s.release();
        return;
    }
    if (s->handle && s->claimed) libusb_release_interface(s->handle.get(), s->candidate.interfaceNumber);
    if (s->handle && s->reattachKernelDriver) libusb_attach_kernel_driver(s->handle.get(), s->candidate.interfaceNumber);
    s->transfers.clear();
    s->handle.reset();
}

void LIBUSB_CALL UsbScanner::Impl::transferCallback(libusb_transfer* t) {
    auto* s = static_cast<OpenScanner*>(t->user_data);
    --s->active;
    // A C callback: nothing may be thrown through libusb.
    try {
        s->owner->onTransfer(*s, *t);
    } catch (const std::exception& e) {
        s->failure = s->description + " stopped on an internal error: " + e.what();
    } catch (...) {
        s->failure = s->description + " stopped on an internal error";
    }
}

void UsbScanner::Impl::onTransfer(OpenScanner& s, libusb_transfer& t) {
    if (s.closing || s.gone || !s.failure.empty()) return;
    switch (t.status) {
    case LIBUSB_TRANSFER_COMPLETED:
        s.stalls = 0;
        s.errors = 0;
        decode(s, std::span<const std::uint8_t>(t.buffer, static_cast<std::size_t>(t.actual_length)));
        resubmit(s, t);
        return;
    case LIBUSB_TRANSFER_STALL:
        if (++s.stalls > kMaxConsecutiveStalls) {
            s.failure = s.description + " keeps stalling; unplug it and plug it back in";
            return;
        }
        // Clearing a halt is a plain ioctl on Linux, allowed inside a transfer callback.
        if (const int r = libusb_clear_halt(s.handle.get(), s.candidate.endpoint); r == LIBUSB_ERROR_NO_DEVICE) {
            s.gone = true;
            return;
        }
        resubmit(s, t);
        return;
    case LIBUSB_TRANSFER_NO_DEVICE:
        s.gone = true;
        return;
    case LIBUSB_TRANSFER_CANCELLED:
        return;
    case LIBUSB_TRANSFER_TIMED_OUT:
    case LIBUSB_TRANSFER_OVERFLOW:
        resubmit(s, t);
        return;
    case LIBUSB_TRANSFER_ERROR:
    default:
        // Protocol errors come in bursts while a plug is being pulled; if they do not stop, the device
        // is as good as gone and a replug brings it back.
        if (++s.errors > kMaxConsecutiveErrors) s.gone = true;
        else resubmit(s, t);
        return;
    }
}

void UsbScanner::Impl::resubmit(OpenScanner& s, libusb_transfer& t) {
    const int r = libusb_submit_transfer(&t);
    if (r == 0) {
        ++s.active;
        return;
    }
    if (r == LIBUSB_ERROR_NO_DEVICE) s.gone = true;
    else s.failure = "cannot read " + s.description + ": " + libusb_error_name(r);
}

void UsbScanner::Impl::decode(OpenScanner& s, std::span<const std::uint8_t> report) {
    const std::int64_t ms = nowMs();
    if (s.kind == ScannerKind::Keyboard) {
        for (auto& payload : s.keyboard.feed(report, ms))
            if (!payload.empty()) sink(scan::makeScan(connection, payload, scan::Symbology::Unknown, ms));
        return;
    }
    if (auto p = s.pos.feed(report); p && !p->bytes.empty()) {
        scan::Scan out;
        out.source = connection;
        out.symbology = p->symbology;
        out.text = scan::toValidUtf8(p->bytes);
        out.bytes = std::move(p->bytes);
        out.timestampMs = ms;
        sink(std::move(out));
    }
}

void UsbScanner::Impl::post(State state, std::string message) {
    if (lastStatus && lastStatus->first == state && lastStatus->second == message) return;
    lastStatus = std::make_pair(state, message);
    sink(scan::ScannerStatus{connection, state, std::move(message)});
}

} // namespace showroom::devices
