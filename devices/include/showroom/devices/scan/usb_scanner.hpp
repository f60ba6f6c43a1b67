#pragma once
// USB HID barcode scanners read directly through libusb (issue #4), so scans never pass through the
// focused window as keystrokes and a licence's control characters survive.
//
// Connection strings:
//   usb:VID:PID   one scanner by vendor and product ID in hex ("usb:0c2e:0b61"). Keyboard-class
//                 scanners (HID boot keyboard) and HID POS scanners (usage page 0x8C) are both read;
//                 the kernel's HID driver is detached from that interface while it is read, so the
//                 scanner stops typing into the kiosk, and given back when the scanner is closed.
//   usb:auto      the first HID POS scanner found: an HID interface whose report descriptor has usage
//                 page 0x8C. Boot keyboards and mice are never opened in this mode (an ordinary
//                 keyboard is not a scanner, and a kiosk's touchscreen keeps its driver).
//
// Hotplug: the scanner may be absent at start, unplugged and plugged back; the driver follows with
// ScannerStatus events (Connected, Disconnected) and reads again, with no restart. libusb hotplug is
// used where the platform has it, a rescan every `rescanInterval` otherwise.
//
// Errors: a device node the kiosk user may not open gives a Failed status naming the udev rule to
// install (config/udev/60-showroom-scanners.rules); so does anything else a person has to fix. A
// stalled endpoint is cleared and read again. A scan cut short by an unplug is dropped, never posted.
//
// Threads: open() from any thread; start() and stop() from the thread that owns the object (not from
// the sink). Each UsbScanner runs one thread of its own which owns the libusb context and calls the
// sink; stop() wakes it, joins it and returns promptly (within ~100 ms).

#include "showroom/core/result.hpp"
#include "showroom/core/scan.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace showroom::devices {

/// What a `usb:` connection string selects.
struct UsbScannerMatch {
    bool autoDetect = false;        ///< usb:auto
    std::uint16_t vendorId = 0;     ///< for usb:VID:PID
    std::uint16_t productId = 0;
};

/// Parses "usb:VID:PID" (1..4 hex digits each, any case) or "usb:auto". InvalidInput with a sentence
/// saying what is wrong otherwise.
[[nodiscard]] core::Result<UsbScannerMatch> parseUsbConnection(std::string_view connection);

/// The Failed message for a device node the kiosk user may not open ("/dev/bus/usb/001/002"):
/// names the node and says how to install the shipped udev rule.
std::string permissionDeniedMessage(std::string_view deviceNode);

struct UsbScannerOptions {
    std::chrono::milliseconds rescanInterval{1000};   ///< without libusb hotplug support
    bool tabTerminates = false;                       ///< keyboard-class scanners set to end with Tab
    bool useHotplug = true;                           ///< false forces rescanning (tests, benchmarks)
};

class UsbScanner final : public core::scan::ScanSource {
public:
    /// Parses the connection string and creates the libusb context; no device is touched until
    /// start(). InvalidInput for a bad string, Io when libusb cannot start (no usbfs at all).
    [[nodiscard]] static core::Result<std::unique_ptr<UsbScanner>> open(std::string_view connection,
                                                                      UsbScannerOptions options = {});
    ~UsbScanner() override;
    UsbScanner(const UsbScanner&) = delete;
    UsbScanner& operator=(const UsbScanner&) = delete;

    const std::string& connection() const override;
    /// Starts the reader thread: it looks for the scanner, posts Connected/Disconnected/Failed as the
    /// device comes and goes, and posts every scan as a core::scan::Scan with source = connection().
    void start(core::scan::ScanSink sink) override;
    /// Cancels the transfers, closes the device (giving the kernel driver back) and joins the thread.
    void stop() override;

    struct Impl;

private:
    explicit UsbScanner(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace showroom::devices
