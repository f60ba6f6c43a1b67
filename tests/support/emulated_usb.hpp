#pragma once
// USB HID scanners emulated with umockdev, for the libusb driver's tests and benchmark.
//
// A UsbTestbed owns a umockdev testbed and one GLib thread (held-reap timeouts, test calls); umockdev
// itself answers the usbfs ioctls on its own worker thread (umockdev 0.17 does not use the context that
// was thread-default at attach time), so each device's state sits behind one lock. Each
// EmulatedDevice behaves like the kernel's usbfs in front of a real scanner: it answers control
// transfers (report descriptor, SET_PROTOCOL), queues interrupt IN URBs and completes them with the
// reports the test "scans", stalls, fails URBs with ENODEV when unplugged, and sends the udev events
// libusb's hotplug listens to.
//
// The program must run under `umockdev-wrapper` (LD_PRELOAD of libumockdev-preload).
//
// Emulation note: a testbed device node is a regular file, so poll() on it is always ready and
// libusb would spin reaping. The emulator answers the first empty REAPURBNDELAY at once (libusb reaps
// until EAGAIN) and holds the next one, which stands in for poll(), for up to 20 ms, completing it the
// moment a report arrives: the kernel's "poll sleeps until a URB completes" at the ioctl level.
//
// Threads: the public methods may be called from any thread except the testbed's GLib thread.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

struct _GMainContext;
struct _GMainLoop;
struct _UMockdevTestbed;
struct _UMockdevIoctlClient;

namespace showroom::testing {

using Report = std::vector<std::uint8_t>;

/// What usbfs keeps for one open device, alike for every emulated device (scanners and printers).
struct UsbfsNode {
    bool plugged = true;
    bool driverBound = false;   ///< a kernel driver (usbhid, usblp) holds the interface
    bool claimed = false;       ///< an application holds the interface
    int clearHalts = 0;         ///< CLEAR_HALT ioctls seen
    int opens = 0;              ///< usbfs connections made to the node
};

/// Answers the usbfs ioctls every emulated device handles the same way: capabilities, asking for,
/// detaching and re-attaching the kernel driver (named `driver`), claim and release, clear halt,
/// reset, set interface and configuration (ENODEV once unplugged). False for anything else (URBs),
/// which the device answers itself. Call it on the ioctl handler's thread, under the device's lock.
bool answerUsbfsHousekeeping(_UMockdevIoctlClient* client, UsbfsNode& node, const char* driver);

enum class EmulatedKind {
    KeyboardScanner,    ///< HID boot keyboard interface (factory default of most scanners)
    PosScanner,         ///< HID interface with a usage page 0x8C report descriptor, 64-byte reports
    OrdinaryKeyboard,   ///< a person's keyboard: boot keyboard, not a scanner
};

struct EmulatedDeviceSpec {
    EmulatedKind kind = EmulatedKind::KeyboardScanner;
    std::uint16_t vendorId = 0x0c2e;
    std::uint16_t productId = 0x0b61;
    int devnum = 2;                  ///< bus 1; the device sits on port devnum - 1 of the root hub
    bool kernelDriverBound = false;  ///< usbhid holds the interface; its report descriptor is in sysfs
};

/// The reports a keyboard-class scanner sends for `payload` then Enter: one press and one release
/// per character; control characters as Ctrl chords (LF = Ctrl+J, RS = Ctrl+Shift+6, GS = Ctrl+]).
std::vector<Report> keyboardReports(const std::string& payload);
/// The 64-byte HID POS reports for `payload` with AIM identifier `aim` (56 bytes per report).
std::vector<Report> posReports(const std::string& aim, const std::string& payload);

class UsbTestbed;

class EmulatedDevice {
public:
    /// Queues input reports; each completes one interrupt IN URB, in order, as the host reads.
    void send(const std::vector<Report>& reports);
    /// The next interrupt IN URB completes with EPIPE (a stalled endpoint) instead of data.
    void stallNext();
    /// The device is pulled out: URBs in flight fail with ENODEV, then udev says "remove".
    void unplug();
    /// The device comes back: udev says "add".
    void replug();

    int clearHalts() const;           ///< CLEAR_HALT ioctls seen
    bool kernelDriverBound() const;   ///< usbhid holds the interface (never detached, or given back)
    bool claimed() const;             ///< an application holds the interface
    int opens() const;                ///< usbfs connections made to the node so far
    std::size_t reportsLeft() const;  ///< reports queued that no URB has taken yet

    const std::string& node() const { return m_node; }
    const std::string& syspath() const { return m_syspath; }

    struct State;   // GLib-thread state

private:
    friend class UsbTestbed;
    EmulatedDevice(UsbTestbed& bed, EmulatedDeviceSpec spec);

    UsbTestbed& m_bed;
    EmulatedDeviceSpec m_spec;
    std::string m_node;
    std::string m_syspath;
    std::unique_ptr<State> m_state;
};

class UsbTestbed {
public:
    UsbTestbed();
    ~UsbTestbed();
    UsbTestbed(const UsbTestbed&) = delete;
    UsbTestbed& operator=(const UsbTestbed&) = delete;

    /// Adds a device (present from now on) and answers its ioctls. No "add" event is sent: a device
    /// added before the code under test starts is found by enumeration.
    EmulatedDevice& add(EmulatedDeviceSpec spec);
    /// Runs `fn` on the GLib thread and waits for it.
    void invoke(const std::function<void()>& fn);
    /// The testbed's root directory (its /dev and /sys live there).
    std::string rootDir() const;

    _UMockdevTestbed* testbed() const { return m_testbed; }
    _GMainContext* context() const { return m_context; }

private:
    _GMainContext* m_context = nullptr;
    _GMainLoop* m_loop = nullptr;
    _UMockdevTestbed* m_testbed = nullptr;
    std::thread m_thread;
    std::vector<std::unique_ptr<EmulatedDevice>> m_devices;
};

} // namespace showroom::testing
