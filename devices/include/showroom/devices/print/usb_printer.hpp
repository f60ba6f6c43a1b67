#pragma once
// USB receipt printers through libusb: an interface of class 7 (printer) — or, for a configured
// VID:PID, any interface with a bulk OUT endpoint — takes the job on bulk OUT; DLE EOT 1..4 go out the
// same way and the answers come back on bulk IN. A bidirectional alternate setting is preferred.
//
// Hotplug: the port keeps the device open between calls but claims its interface only during one.
// When the printer is unplugged the current call fails with Io ("unplugged") and the handle is
// dropped; the next call enumerates again, so a printer plugged back in (into any port) is found
// without a restart. With libusb hotplug support the port also watches arrivals, so waitForArrival()
// wakes a waiting queue at once; without it, it looks again every 100 ms.
//
// Permission denied names config/udev/60-showroom-printers.rules. A kernel driver (usblp) bound to
// the interface is detached while a job or status query runs and given back afterwards.
//
// Threads: a port is used by one thread at a time (libusb hotplug callbacks run inside its calls).

#include "showroom/core/print.hpp"
#include "showroom/core/result.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace showroom::devices::print {

struct UsbPrinterOptions {
    std::uint16_t vendorId = 0, productId = 0; ///< 0:0 = the first printer-class interface found
    int timeoutMs = 5000;                      ///< per bulk transfer, and for the four status answers
    bool useHotplug = true;                    ///< false: waitForArrival polls (tests)
};

/// "auto" or "VID:PID" (1 to 4 hex digits each, any case; not 0000:0000). InvalidInput otherwise.
core::Result<UsbPrinterOptions> parseUsbPrinter(std::string_view text);

class UsbPrinterPort final : public core::print::PrinterPort {
public:
    explicit UsbPrinterPort(UsbPrinterOptions options);
    ~UsbPrinterPort() override;
    UsbPrinterPort(const UsbPrinterPort&) = delete;
    UsbPrinterPort& operator=(const UsbPrinterPort&) = delete;

    /// "usb 04b8:0202" or "usb auto".
    std::string describe() const override;
    /// Reads stale bytes off bulk IN, writes DLE EOT 1..4 and waits up to timeoutMs for the four answers
    /// (in one or several transfers; non-status bytes skipped). known = false for a printer without a
    /// bulk IN endpoint. Io: no printer, unplugged, permission denied, busy, or no full answer in time.
    core::Result<core::print::PrinterStatus> status() override;
    /// Writes the job on bulk OUT in 4 KB transfers. `written` counts the bytes the printer took, also
    /// from the transfer that failed (unplug, stall, timeout); a timeout means no byte for timeoutMs.
    core::print::SendResult send(std::string_view bytes) override;
    /// Blocks up to `timeoutMs` until a matching printer is plugged in; true at once when one already
    /// is (whether it can be opened is for the next call to find out), false after the timeout.
    bool waitForArrival(int timeoutMs);

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace showroom::devices::print
