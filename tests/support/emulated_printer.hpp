#pragma once
// A USB ESC/POS receipt printer emulated with umockdev, for the libusb printer port's tests.
//
// It sits on a UsbTestbed (emulated_usb.hpp) beside any emulated scanners and behaves like the kernel's
// usbfs in front of a real printer: device class 0, one interface of class 7 (printer), subclass 1,
// protocol 2 (bidirectional), bulk OUT 0x01 and bulk IN 0x82, 64-byte packets. Every byte the host
// writes on bulk OUT is kept; each DLE EOT n found in that stream (also across transfers) queues the
// one status byte a printer in status() would answer on bulk IN. It can be unplugged and plugged back
// (URBs fail with ENODEV, udev says remove/add), fail the next OUT transfer part way (a stall or an
// unplug), answer slowly, and hand its IN bytes out one per transfer.
//
// Same emulation notes as UsbTestbed: the usbfs node is a regular file, so the first empty reap is
// answered at once and the next held for up to 20 ms, standing in for poll().
//
// Lifetime: create it after its UsbTestbed and destroy it before (declare it after the testbed), and
// close the libusb code under test before either.
// Threads: the public methods may be called from any thread except the testbed's GLib thread.

#include "emulated_usb.hpp"

#include "showroom/core/print.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace showroom::testing {

struct EmulatedPrinterSpec {
    std::uint16_t vendorId = 0x04b8;  ///< Epson
    std::uint16_t productId = 0x0202; ///< TM-T88 series
    int devnum = 4;                   ///< bus 1, port devnum - 1 of the root hub
    std::uint8_t interfaceClass = 7;  ///< 7 printer; 0xFF for a vendor-specific interface
    bool inEndpoint = true;           ///< false: a one-way printer (protocol 1, bulk OUT only)
    bool kernelDriverBound = false;   ///< usblp holds the interface
};

/// How the next OUT transfer fails once its byte budget is used up.
enum class OutFailure {
    Stall,  ///< the endpoint halts (EPIPE); the printer stays plugged in
    Unplug, ///< the cable is pulled: ENODEV, then udev "remove"
};

class EmulatedPrinter {
public:
    EmulatedPrinter(UsbTestbed& bed, EmulatedPrinterSpec spec = {});
    ~EmulatedPrinter();
    EmulatedPrinter(const EmulatedPrinter&) = delete;
    EmulatedPrinter& operator=(const EmulatedPrinter&) = delete;

    /// What the printer answers to DLE EOT from now on (escpos::statusAnswers).
    void setStatus(const core::print::PrinterStatus& status);
    /// Every byte taken on bulk OUT so far, in order.
    std::string received() const;
    void clearReceived();
    /// DLE EOT queries seen so far.
    int statusQueries() const;
    /// Queues bytes on bulk IN as if the printer had sent them unasked (stale answers, noise).
    void queueIn(const std::string& bytes);
    /// Each IN transfer hands out at most `bytes` (0: as many as the host asks for).
    void limitInPerTransfer(std::size_t bytes);
    /// The OUT transfer that would take the total past `bytes` more takes only up to it, then fails.
    void failOutAfter(std::size_t bytes, OutFailure how);
    /// Each OUT transfer completes only after `delay` (0: at once), like a busy print head.
    void setOutDelay(std::chrono::milliseconds delay);

    /// The printer is pulled out: URBs in flight fail with ENODEV, then udev says "remove".
    void unplug();
    /// The printer comes back: udev says "add".
    void replug();

    bool kernelDriverBound() const; ///< usblp holds the interface (never detached, or given back)
    bool claimed() const;           ///< an application holds the interface
    int opens() const;              ///< usbfs connections made to the node so far

    const std::string& node() const { return m_node; }
    const std::string& syspath() const { return m_syspath; }

    struct State;

private:
    UsbTestbed& m_bed;
    EmulatedPrinterSpec m_spec;
    std::string m_node;
    std::string m_syspath;
    std::unique_ptr<State> m_state;
};

} // namespace showroom::testing
