#include "showroom/devices/print/usb_printer.hpp"

#include "showroom/devices/print/escpos.hpp"

#include "../usb_handles.hpp"

#include <libusb.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>
#include <vector>

namespace showroom::devices::print {

namespace {

using detail::ConfigPtr;
using detail::ContextPtr;
using detail::deviceNode;
using detail::DeviceListPtr;
using detail::DevicePtr;
using detail::HandlePtr;

using Clock = std::chrono::steady_clock;
using core::ErrorCode;

constexpr std::uint8_t kPrinterClass = 0x07;
constexpr std::uint8_t kBidirectional = 0x02;
// Small enough that a failing transfer leaves `written` close to what the printer took, large enough
// that a 200 KB raster image is a few dozen transfers.
constexpr std::size_t kChunk = 4096;
// Reading off answers nobody asked for (DLE EOT bytes that happened to sit inside raster data, a
// status request that timed out earlier) before asking: a printer with nothing to say NAKs at once.
constexpr unsigned kDrainMs = 10;
constexpr int kMaxDrainReads = 8;
constexpr auto kRescanInterval = std::chrono::milliseconds(100); // waitForArrival without hotplug
constexpr auto kHotplugRecheck = std::chrono::milliseconds(500); // with hotplug, in case an event is missed

std::optional<std::uint16_t> parseHex16(std::string_view s) {
    if (s.empty() || s.size() > 4) return std::nullopt;
    std::uint16_t value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, 16);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return value;
}

std::string vidPid(std::uint16_t vid, std::uint16_t pid) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04x:%04x", vid, pid);
    return buf;
}

// The interface (and alternate setting) a job goes to.
struct PrinterInterface {
    int number = 0;
    int altSetting = 0;
    std::uint8_t out = 0; ///< bulk OUT endpoint
    std::uint8_t in = 0;  ///< bulk IN endpoint; 0 when the printer cannot answer
    int inPacket = 64;
    int score = 0;
};

// The best printer interface of a device: class 7 (or, for a configured VID:PID, any interface) with
// a bulk OUT endpoint; among those the bidirectional ones (bulk IN, protocol 2) first, since they
// answer status queries. Printers often offer protocol 1 on alternate setting 0 and 2 on setting 1.
std::optional<PrinterInterface> printerInterface(libusb_device* dev, bool anyClass) {
    libusb_config_descriptor* raw = nullptr;
    if (libusb_get_active_config_descriptor(dev, &raw) != 0 || !raw) return std::nullopt;
    const ConfigPtr config(raw);
    std::optional<PrinterInterface> best;
    for (int i = 0; i < config->bNumInterfaces; ++i) {
        const libusb_interface& itf = config->interface[i];
        for (int a = 0; a < itf.num_altsetting; ++a) {
            const libusb_interface_descriptor& alt = itf.altsetting[a];
            const bool printer = alt.bInterfaceClass == kPrinterClass;
            if (!printer && !anyClass) continue;
            PrinterInterface p;
            p.number = alt.bInterfaceNumber;
            p.altSetting = alt.bAlternateSetting;
            for (int e = 0; e < alt.bNumEndpoints; ++e) {
                const libusb_endpoint_descriptor& ep = alt.endpoint[e];
                if ((ep.bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) != LIBUSB_TRANSFER_TYPE_BULK) continue;
                const bool in = (ep.bEndpointAddress & LIBUSB_ENDPOINT_DIR_MASK) == LIBUSB_ENDPOINT_IN;
                if (in && p.in == 0) {
                    p.in = ep.bEndpointAddress;
                    p.inPacket = std::max(ep.wMaxPacketSize & 0x7FF, 8);
                } else if (!in && p.out == 0) {
                    p.out = ep.bEndpointAddress;
                }
            }
            if (p.out == 0) continue;
            p.score = (printer ? 4 : 0) + (p.in ? 2 : 0) + (alt.bInterfaceProtocol == kBidirectional ? 1 : 0);
            if (!best || p.score > best->score) best = p;
        }
    }
    return best;
}

std::string permissionDenied(std::string_view what) {
    return "permission denied on " + std::string(what) +
           ": install config/udev/60-showroom-printers.rules (sudo cp config/udev/60-showroom-printers.rules "
           "/etc/udev/rules.d/ && sudo udevadm control --reload && replug the printer)";
}

unsigned remainingMs(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left > 0 ? static_cast<unsigned>(left) : 0;
}

} // namespace

core::Result<UsbPrinterOptions> parseUsbPrinter(std::string_view text) {
    const auto bad = [&](std::string why) {
        return core::fail(ErrorCode::InvalidInput, "\"" + std::string(text) + "\" is not a USB printer: " + why);
    };
    if (text == "auto") return UsbPrinterOptions{};
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) return bad("expected auto or VID:PID in hex, e.g. 04b8:0202");
    const auto vid = parseHex16(text.substr(0, colon));
    const auto pid = parseHex16(text.substr(colon + 1));
    if (!vid) return bad("the vendor ID must be 1 to 4 hex digits");
    if (!pid) return bad("the product ID must be 1 to 4 hex digits");
    if (*vid == 0 && *pid == 0) return bad("0000:0000 is no device; use auto for the first USB printer");
    UsbPrinterOptions options;
    options.vendorId = *vid;
    options.productId = *pid;
    return options;
}

struct UsbPrinterPort::Impl {
    UsbPrinterOptions options;
    ContextPtr ctx; // declared first: outlives the device and handle below
    bool hotplug = false;
    libusb_hotplug_callback_handle hotplugHandle{};
    int arrived = 0; // set by the hotplug callback; an int for libusb_handle_events_timeout_completed

    // The printer found last; kept between calls, claimed only during one.
    DevicePtr device;
    HandlePtr handle;
    PrinterInterface itf;
    std::string node;
    bool gone = false; // the hotplug callback saw it leave
    bool claimed = false;
    bool reattach = false; // the kernel driver was detached for this call

    bool autoDetect() const { return options.vendorId == 0 && options.productId == 0; }
    std::string name() const {
        return autoDetect() ? "usb auto" : "usb " + vidPid(options.vendorId, options.productId);
    }
    std::string where() const { return name() + (node.empty() ? "" : " on " + node); }

    core::Status ensureContext();
    std::optional<std::pair<DevicePtr, PrinterInterface>> find();
    core::Status open();
    core::Status claim();
    core::Status acquire();
    void release();
    void drop();
    void pumpEvents();
    core::Error transferError(int r, std::uint8_t endpoint, const std::string& doing);
    core::Result<core::print::PrinterStatus> askStatus();
    core::print::SendResult write(std::string_view bytes);

    static int LIBUSB_CALL hotplugCallback(libusb_context*, libusb_device* dev, libusb_hotplug_event event, void* self);
};

core::Status UsbPrinterPort::Impl::ensureContext() {
    if (ctx) return {};
    libusb_context* raw = nullptr;
    if (const int r = libusb_init(&raw); r != 0)
        return core::fail(ErrorCode::Io, "cannot start libusb for " + name() + ": " + libusb_error_name(r));
    ctx.reset(raw);
    if (options.useHotplug && libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG)) {
        const int r = libusb_hotplug_register_callback(
            ctx.get(), LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, 0,
            autoDetect() ? LIBUSB_HOTPLUG_MATCH_ANY : options.vendorId,
            autoDetect() ? LIBUSB_HOTPLUG_MATCH_ANY : options.productId, LIBUSB_HOTPLUG_MATCH_ANY,
            &Impl::hotplugCallback, this, &hotplugHandle);
        hotplug = r == LIBUSB_SUCCESS;
    }
    return {};
}

int LIBUSB_CALL UsbPrinterPort::Impl::hotplugCallback(libusb_context*, libusb_device* dev, libusb_hotplug_event event,
                                                      void* self) {
    // Runs inside libusb's event handling (also inside a synchronous transfer) on the caller's thread,
    // where synchronous libusb calls are not allowed: note what happened, act on the next call.
    auto* impl = static_cast<Impl*>(self);
    if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED) impl->arrived = 1;
    if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT && impl->device && impl->device.get() == dev) impl->gone = true;
    return 0;
}

void UsbPrinterPort::Impl::pumpEvents() {
    if (!hotplug) return;
    timeval zero{0, 0};
    libusb_handle_events_timeout_completed(ctx.get(), &zero, nullptr);
}

std::optional<std::pair<DevicePtr, PrinterInterface>> UsbPrinterPort::Impl::find() {
    libusb_device** raw = nullptr;
    const ssize_t n = libusb_get_device_list(ctx.get(), &raw);
    if (n < 0) return std::nullopt;
    const DeviceListPtr list(raw);
    for (ssize_t i = 0; i < n; ++i) {
        libusb_device_descriptor dd{};
        if (libusb_get_device_descriptor(raw[i], &dd) != 0) continue;
        if (!autoDetect() && (dd.idVendor != options.vendorId || dd.idProduct != options.productId)) continue;
        if (auto p = printerInterface(raw[i], !autoDetect()))
            return std::make_pair(DevicePtr(libusb_ref_device(raw[i])), *p);
    }
    return std::nullopt;
}

core::Status UsbPrinterPort::Impl::open() {
    auto found = find();
    if (!found) {
        return core::fail(ErrorCode::Io,
                          "no printer at " + name() + ": " +
                              (autoDetect() ? std::string("no USB printer (interface class 7) is plugged in")
                                            : "no USB device " + vidPid(options.vendorId, options.productId) +
                                                  " with a bulk OUT endpoint is plugged in"));
    }
    const std::string foundNode = deviceNode(found->first.get());
    libusb_device_handle* raw = nullptr;
    if (const int r = libusb_open(found->first.get(), &raw); r != 0) {
        if (r == LIBUSB_ERROR_ACCESS)
            return core::fail(ErrorCode::Io, permissionDenied(foundNode + " (" + name() + ")"));
        return core::fail(ErrorCode::Io,
                          "cannot open the printer " + name() + " on " + foundNode + ": " + libusb_error_name(r));
    }
    device = std::move(found->first);
    handle.reset(raw);
    itf = found->second;
    node = foundNode;
    gone = false;
    return {};
}

core::Status UsbPrinterPort::Impl::claim() {
    reattach = false;
    if (libusb_kernel_driver_active(handle.get(), itf.number) == 1) {
        // usblp (or another driver) holds the interface; it gets it back after the call. Under some
        // sandboxes detaching is not possible and the claim below says what is wrong.
        const int r = libusb_detach_kernel_driver(handle.get(), itf.number);
        if (r == LIBUSB_ERROR_ACCESS) return core::fail(ErrorCode::Io, permissionDenied(node + " (" + name() + ")"));
        if (r == LIBUSB_ERROR_NO_DEVICE)
            return core::fail(ErrorCode::Io, "the printer was unplugged (" + where() + ")");
        reattach = r == 0;
    }
    if (const int r = libusb_claim_interface(handle.get(), itf.number); r != 0) {
        if (reattach) libusb_attach_kernel_driver(handle.get(), itf.number);
        reattach = false;
        if (r == LIBUSB_ERROR_ACCESS) return core::fail(ErrorCode::Io, permissionDenied(node + " (" + name() + ")"));
        if (r == LIBUSB_ERROR_BUSY)
            return core::fail(ErrorCode::Io, "the printer " + where() +
                                                 " is in use by another program (CUPS?); "
                                                 "stop it or give Showroom its own printer");
        if (r == LIBUSB_ERROR_NO_DEVICE)
            return core::fail(ErrorCode::Io, "the printer was unplugged (" + where() + ")");
        return core::fail(ErrorCode::Io, "cannot claim the printer " + where() + ": " + libusb_error_name(r));
    }
    claimed = true;
    if (itf.altSetting != 0) {
        if (const int r = libusb_set_interface_alt_setting(handle.get(), itf.number, itf.altSetting); r != 0) {
            release();
            return core::fail(ErrorCode::Io, "cannot select the printer's bidirectional mode on " + where() + ": " +
                                                 libusb_error_name(r));
        }
    }
    return {};
}

core::Status UsbPrinterPort::Impl::acquire() {
    if (const auto s = ensureContext(); !s) return s;
    pumpEvents();
    if (gone) drop();
    // A handle kept from an earlier call may belong to a printer unplugged since (and maybe plugged
    // back under a new address): when claiming it fails, look again once.
    if (handle) {
        if (claim()) return {};
        drop();
    }
    if (const auto s = open(); !s) return s;
    if (const auto s = claim(); !s) {
        drop();
        return s;
    }
    return {};
}

void UsbPrinterPort::Impl::release() {
    if (!handle) return;
    if (claimed) libusb_release_interface(handle.get(), itf.number);
    if (reattach)
        libusb_attach_kernel_driver(handle.get(), itf.number); // may fail once unplugged: nothing to give back
    claimed = false;
    reattach = false;
}

void UsbPrinterPort::Impl::drop() {
    release();
    handle.reset();
    device.reset();
    node.clear();
    gone = false;
}

core::Error UsbPrinterPort::Impl::transferError(int r, std::uint8_t endpoint, const std::string& doing) {
    const std::string at = where();
    switch (r) {
    case LIBUSB_ERROR_NO_DEVICE:
        drop();
        return core::fail(ErrorCode::Io, "the printer was unplugged " + doing + " (" + at + ")");
    case LIBUSB_ERROR_TIMEOUT:
        return core::fail(ErrorCode::Io, "the printer did not respond for " + std::to_string(options.timeoutMs) +
                                             " ms " + doing + " (" + at + "): is it offline, jammed or paused?");
    case LIBUSB_ERROR_PIPE:
        libusb_clear_halt(handle.get(), endpoint);
        return core::fail(ErrorCode::Io,
                          "the printer refused the transfer (endpoint stalled) " + doing + " (" + at + ")");
    default:
        // Errors in bursts are what a cable being pulled looks like; open afresh next time.
        drop();
        return core::fail(ErrorCode::Io,
                          "USB error " + std::string(libusb_error_name(r)) + " " + doing + " (" + at + ")");
    }
}

core::Result<core::print::PrinterStatus> UsbPrinterPort::Impl::askStatus() {
    if (itf.in == 0) {
        core::print::PrinterStatus unknown;
        unknown.known = false;
        return unknown;
    }
    std::vector<unsigned char> buffer(static_cast<std::size_t>(std::max(itf.inPacket, 64)));
    const int length = static_cast<int>(buffer.size());
    for (int i = 0; i < kMaxDrainReads; ++i) {
        int n = 0;
        const int r = libusb_bulk_transfer(handle.get(), itf.in, buffer.data(), length, &n, kDrainMs);
        if (r == LIBUSB_ERROR_NO_DEVICE) return transferError(r, itf.in, "while asking its status");
        if (r != 0 || n == 0) break;
    }

    std::string request = escpos::fullStatusRequest();
    int sent = 0;
    // libusb takes a non-const buffer for both directions; an OUT transfer only reads it.
    const int w =
        libusb_bulk_transfer(handle.get(), itf.out, reinterpret_cast<unsigned char*>(request.data()),
                             static_cast<int>(request.size()), &sent, static_cast<unsigned>(options.timeoutMs));
    if (w != 0) return transferError(w, itf.out, "while asking its status");

    // Four answers, in one transfer or several; anything that is not a status byte is skipped. When more
    // arrive than were asked for, the last four are the answers to this request.
    std::vector<std::uint8_t> answers;
    const auto deadline = Clock::now() + std::chrono::milliseconds(options.timeoutMs);
    while (answers.size() < 4) {
        const unsigned left = remainingMs(deadline);
        if (left == 0) break;
        int n = 0;
        const int r = libusb_bulk_transfer(handle.get(), itf.in, buffer.data(), length, &n, left);
        for (int i = 0; i < n; ++i)
            if (escpos::isStatusByte(buffer[static_cast<std::size_t>(i)]))
                answers.push_back(buffer[static_cast<std::size_t>(i)]);
        if (r == LIBUSB_ERROR_TIMEOUT) break;
        if (r != 0) return transferError(r, itf.in, "while reading its status");
    }
    if (answers.size() < 4) {
        return core::fail(ErrorCode::Io, "the printer answered " + std::to_string(answers.size()) +
                                             " of 4 status queries (DLE EOT) within " +
                                             std::to_string(options.timeoutMs) + " ms (" + where() + ")");
    }
    std::array<std::uint8_t, 4> last{};
    std::copy(answers.end() - 4, answers.end(), last.begin());
    return escpos::parseStatus(last);
}

core::print::SendResult UsbPrinterPort::Impl::write(std::string_view bytes) {
    core::print::SendResult result;
    auto* data = reinterpret_cast<unsigned char*>(const_cast<char*>(bytes.data())); // OUT: only read
    while (result.written < bytes.size()) {
        const std::size_t length = std::min(kChunk, bytes.size() - result.written);
        int n = 0;
        const int r = libusb_bulk_transfer(handle.get(), itf.out, data + result.written, static_cast<int>(length), &n,
                                           static_cast<unsigned>(options.timeoutMs));
        result.written += static_cast<std::size_t>(std::max(n, 0));
        if (r == 0 && n > 0) continue;
        const std::string doing =
            "after " + std::to_string(result.written) + " of " + std::to_string(bytes.size()) + " bytes";
        result.status = transferError(r == 0 ? LIBUSB_ERROR_TIMEOUT : r, itf.out, doing);
        return result;
    }
    return result;
}

UsbPrinterPort::UsbPrinterPort(UsbPrinterOptions options) : m_impl(std::make_unique<Impl>()) {
    m_impl->options = options;
}

UsbPrinterPort::~UsbPrinterPort() {
    m_impl->drop();
    if (m_impl->hotplug) libusb_hotplug_deregister_callback(m_impl->ctx.get(), m_impl->hotplugHandle);
}

std::string UsbPrinterPort::describe() const {
    return m_impl->name();
}

core::Result<core::print::PrinterStatus> UsbPrinterPort::status() {
    if (const auto s = m_impl->acquire(); !s) return s.error();
    auto status = m_impl->askStatus();
    m_impl->release();
    return status;
}

core::print::SendResult UsbPrinterPort::send(std::string_view bytes) {
    if (bytes.empty()) return {};
    if (const auto s = m_impl->acquire(); !s) return {s, 0};
    auto result = m_impl->write(bytes);
    m_impl->release();
    return result;
}

bool UsbPrinterPort::waitForArrival(int timeoutMs) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(std::max(timeoutMs, 0));
    if (!m_impl->ensureContext()) {
        std::this_thread::sleep_until(deadline);
        return false;
    }
    for (;;) {
        // The device list follows plug events by itself (libusb's hotplug thread); handling events
        // here only delivers the callbacks that cut the wait short.
        m_impl->pumpEvents();
        if (m_impl->find()) return true;
        const auto now = Clock::now();
        if (now >= deadline) return false;
        if (!m_impl->hotplug) {
            std::this_thread::sleep_for(std::min<Clock::duration>(kRescanInterval, deadline - now));
            continue;
        }
        const auto wait = std::min<Clock::duration>(kHotplugRecheck, deadline - now);
        const auto us = std::chrono::duration_cast<std::chrono::microseconds>(wait).count();
        timeval tv{static_cast<time_t>(us / 1000000), static_cast<suseconds_t>(us % 1000000)};
        m_impl->arrived = 0;
        libusb_handle_events_timeout_completed(m_impl->ctx.get(), &tv, &m_impl->arrived);
    }
}

} // namespace showroom::devices::print
