#include "emulated_usb.hpp"

#include <umockdev.h>

#include <linux/usbdevice_fs.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <future>
#include <mutex>
#include <stdexcept>

namespace showroom::testing {

namespace {

constexpr unsigned kReapHoldMs = 20;

// --- Descriptors ------------------------------------------------------------------------------

const std::vector<std::uint8_t> kBootKeyboardReportDescriptor = {
    0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x05, 0x07, 0x19, 0xE0, 0x29, 0xE7, 0x15, 0x00, 0x25, 0x01, 0x75, 0x01,
    0x95, 0x08, 0x81, 0x02, 0x95, 0x01, 0x75, 0x08, 0x81, 0x01, 0x95, 0x06, 0x75, 0x08, 0x15, 0x00, 0x25, 0x65,
    0x05, 0x07, 0x19, 0x00, 0x29, 0x65, 0x81, 0x00, 0xC0};

// Usage page 0x8C (Bar Code Scanner), usage 0x02 (Bar Code Scanner), input report 2 of 63 bytes.
const std::vector<std::uint8_t> kPosReportDescriptor = {0x06, 0x8C, 0x00, 0x09, 0x02, 0xA1, 0x01, 0x85, 0x02,
                                                        0x15, 0x00, 0x26, 0xFF, 0x00, 0x75, 0x08, 0x95, 0x3F,
                                                        0x09, 0xFE, 0x82, 0x02, 0x01, 0xC0};

bool isKeyboard(EmulatedKind k) { return k != EmulatedKind::PosScanner; }

std::string hex(const std::vector<std::uint8_t>& bytes) {
    std::string out;
    char b[3];
    for (auto v : bytes) {
        std::snprintf(b, sizeof b, "%02x", v);
        out += b;
    }
    return out;
}

std::vector<std::uint8_t> usbDescriptors(const EmulatedDeviceSpec& spec, const std::vector<std::uint8_t>& report) {
    const std::uint8_t lo = spec.vendorId & 0xFF, hi = spec.vendorId >> 8;
    const std::uint8_t plo = spec.productId & 0xFF, phi = spec.productId >> 8;
    const std::uint8_t subclass = isKeyboard(spec.kind) ? 1 : 0;
    const std::uint8_t protocol = isKeyboard(spec.kind) ? 1 : 0;
    const std::uint8_t packet = isKeyboard(spec.kind) ? 8 : 64;
    const auto rlen = static_cast<std::uint8_t>(report.size());
    return {// device
            0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x40, lo, hi, plo, phi, 0x00, 0x01, 0x01, 0x02, 0x00, 0x01,
            // configuration (34 bytes in all)
            0x09, 0x02, 0x22, 0x00, 0x01, 0x01, 0x00, 0x80, 0x32,
            // interface 0: HID
            0x09, 0x04, 0x00, 0x00, 0x01, 0x03, subclass, protocol, 0x00,
            // HID class descriptor
            0x09, 0x21, 0x11, 0x01, 0x00, 0x01, 0x22, rlen, 0x00,
            // endpoint 0x81, interrupt IN
            0x07, 0x05, 0x81, 0x03, packet, 0x00, 0x01};
}

// US layout: usage of each printable ASCII character and whether it needs Shift.
bool usageFor(char c, std::uint8_t& usage, bool& shift) {
    static const char* plain = "abcdefghijklmnopqrstuvwxyz1234567890";
    static const char* shifted = "ABCDEFGHIJKLMNOPQRSTUVWXYZ!@#$%^&*()";
    static const char* plainSym = " -=[]\\";   // 0x2C..0x31
    static const char* shiftSym = " _+{}|";
    static const char* plain2 = ";'`,./";      // 0x33..0x38
    static const char* shift2 = ":\"~<>?";
    for (int i = 0; plain[i]; ++i) {
        if (plain[i] == c) return usage = static_cast<std::uint8_t>(0x04 + i), shift = false, true;
        if (shifted[i] == c) return usage = static_cast<std::uint8_t>(0x04 + i), shift = true, true;
    }
    for (int i = 0; plainSym[i]; ++i) {
        if (plainSym[i] == c) return usage = static_cast<std::uint8_t>(0x2C + i), shift = false, true;
        if (shiftSym[i] == c) return usage = static_cast<std::uint8_t>(0x2C + i), shift = true, true;
    }
    for (int i = 0; plain2[i]; ++i) {
        if (plain2[i] == c) return usage = static_cast<std::uint8_t>(0x33 + i), shift = false, true;
        if (shift2[i] == c) return usage = static_cast<std::uint8_t>(0x33 + i), shift = true, true;
    }
    return false;
}

} // namespace

std::vector<Report> keyboardReports(const std::string& payload) {
    std::vector<Report> out;
    for (const char c : payload) {
        std::uint8_t modifiers = 0;
        std::uint8_t usage = 0;
        bool shift = false;
        if (static_cast<unsigned char>(c) < 0x20) {
            // Ctrl + the character 0x40 above it ('@'..'_'), spelled in lower case for letters.
            const char base = static_cast<char>(c + 0x40);
            const char key = base >= 'A' && base <= 'Z' ? static_cast<char>(base - 'A' + 'a') : base;
            if (!usageFor(key, usage, shift)) throw std::invalid_argument("no Ctrl chord for a control character");
            modifiers = 0x01;
        } else if (!usageFor(c, usage, shift)) {
            throw std::invalid_argument(std::string("no key for '") + c + "'");
        }
        if (shift) modifiers |= 0x02;
        out.push_back({modifiers, 0, usage, 0, 0, 0, 0, 0});
        out.push_back(Report(8, 0));
    }
    out.push_back({0, 0, 0x28, 0, 0, 0, 0, 0});
    out.push_back(Report(8, 0));
    return out;
}

std::vector<Report> posReports(const std::string& aim, const std::string& payload) {
    std::vector<Report> out;
    std::size_t off = 0;
    do {
        const std::size_t n = std::min<std::size_t>(56, payload.size() - off);
        Report r(64, 0);
        r[0] = 0x02;
        r[1] = static_cast<std::uint8_t>(n);
        for (std::size_t i = 0; i < 3 && i < aim.size(); ++i)
            r[2 + i] = static_cast<std::uint8_t>(aim[i]);
        std::memcpy(r.data() + 5, payload.data() + off, n);
        off += n;
        r[63] = off < payload.size() ? 1 : 0;
        out.push_back(std::move(r));
    } while (off < payload.size());
    return out;
}

// --- The device, on the GLib thread ----------------------------------------------------------------

bool answerUsbfsHousekeeping(UMockdevIoctlClient* client, UsbfsNode& node, const char* driver) {
    const gulong request = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(client);
    const auto answer = [&](long ret, int err) {
        umockdev_ioctl_client_complete(client, ret, err);
        return true;
    };
    auto& [plugged, driverBound, claimed, clearHalts, opens] = node;
    switch (request) {
    case USBDEVFS_GET_CAPABILITIES: {
        ++opens;   // libusb asks once per libusb_open()
        UMockdevIoctlData* d = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), nullptr);
        *reinterpret_cast<guint32*>(d->data) = USBDEVFS_CAP_REAP_AFTER_DISCONNECT | USBDEVFS_CAP_ZERO_PACKET;
        umockdev_ioctl_data_unref(d);
        return answer(0, 0);
    }
    case USBDEVFS_GETDRIVER: {
        if (!driverBound) return answer(-1, ENODATA);
        UMockdevIoctlData* d = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_getdriver), nullptr);
        std::strcpy(reinterpret_cast<usbdevfs_getdriver*>(d->data)->driver, driver);
        umockdev_ioctl_data_unref(d);
        return answer(0, 0);
    }
    case USBDEVFS_IOCTL: {
        UMockdevIoctlData* d = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_ioctl), nullptr);
        const int code = reinterpret_cast<usbdevfs_ioctl*>(d->data)->ioctl_code;
        umockdev_ioctl_data_unref(d);
        if (!plugged) return answer(-1, ENODEV);
        if (code == static_cast<int>(USBDEVFS_DISCONNECT)) {
            if (!driverBound) return answer(-1, ENODATA);
            driverBound = false;
            return answer(0, 0);
        }
        if (code == static_cast<int>(USBDEVFS_CONNECT)) {
            driverBound = true;
            return answer(0, 0);
        }
        return answer(-1, ENOTTY);
    }
    case USBDEVFS_CLAIMINTERFACE:
        if (!plugged) return answer(-1, ENODEV);
        if (driverBound) return answer(-1, EBUSY);
        claimed = true;
        return answer(0, 0);
    case USBDEVFS_RELEASEINTERFACE:
        claimed = false;
        return plugged ? answer(0, 0) : answer(-1, ENODEV);
    case USBDEVFS_CLEAR_HALT:
        ++clearHalts;
        return plugged ? answer(0, 0) : answer(-1, ENODEV);
    case USBDEVFS_RESET:
    case USBDEVFS_RESETEP:
    case USBDEVFS_SETINTERFACE:
    case USBDEVFS_SETCONFIGURATION:
        return plugged ? answer(0, 0) : answer(-1, ENODEV);
    default: return false;
    }
}

struct EmulatedDevice::State : UsbfsNode {
    // umockdev calls the ioctl handler on its own worker thread, the held-reap timeout fires on the
    // testbed's GLib thread and the tests call in through invoke(): one lock for all of it.
    std::mutex mutex;
    UsbTestbed* bed = nullptr;
    EmulatedDeviceSpec spec;
    std::vector<std::uint8_t> reportDescriptor;
    UMockdevIoctlBase* handler = nullptr;

    std::deque<UMockdevIoctlData*> pendingIn;   // submitted interrupt IN URBs, owned references
    std::deque<UMockdevIoctlData*> ready;       // completed, waiting to be reaped, owned references
    std::deque<Report> reports;

    UMockdevIoctlClient* heldClient = nullptr;   // an empty REAPURBNDELAY being held
    UMockdevIoctlData* heldPtr = nullptr;
    GSource* heldTimeout = nullptr;

    bool lastReapEmpty = false;
    int stallsQueued = 0;

    static usbdevfs_urb* urbOf(UMockdevIoctlData* d) { return reinterpret_cast<usbdevfs_urb*>(d->data); }

    void complete(UMockdevIoctlData* urbData, int status, int actual) {
        auto* urb = urbOf(urbData);
        urb->status = status;
        urb->actual_length = actual;
        ready.push_back(urbData);
    }

    // Moves queued reports (or a stall) into waiting URBs, then wakes a held reap.
    void deliver() {
        while (plugged && !pendingIn.empty() && (stallsQueued > 0 || !reports.empty())) {
            UMockdevIoctlData* d = pendingIn.front();
            pendingIn.pop_front();
            if (stallsQueued > 0) {
                --stallsQueued;
                complete(d, -EPIPE, 0);
                continue;
            }
            const Report r = std::move(reports.front());
            reports.pop_front();
            auto* urb = urbOf(d);
            const int n = std::min<int>(urb->buffer_length, static_cast<int>(r.size()));
            std::memcpy(urb->buffer, r.data(), static_cast<std::size_t>(n));
            complete(d, 0, n);
        }
        if (!plugged) {
            while (!pendingIn.empty()) {
                complete(pendingIn.front(), -ENODEV, 0);
                pendingIn.pop_front();
            }
        }
        if (heldClient && !ready.empty()) answerHeld();
    }

    void reapInto(UMockdevIoctlClient* client, UMockdevIoctlData* ptr) {
        UMockdevIoctlData* d = ready.front();
        ready.pop_front();
        umockdev_ioctl_data_set_ptr(ptr, 0, d);
        umockdev_ioctl_client_complete(client, 0, 0);
        umockdev_ioctl_data_unref(d);
    }

    void answerHeld() {
        if (heldTimeout) {
            g_source_destroy(heldTimeout);
            g_source_unref(heldTimeout);
            heldTimeout = nullptr;
        }
        UMockdevIoctlClient* client = heldClient;
        UMockdevIoctlData* ptr = heldPtr;
        heldClient = nullptr;
        heldPtr = nullptr;
        if (!ready.empty()) {
            lastReapEmpty = false;
            reapInto(client, ptr);
        } else umockdev_ioctl_client_complete(client, -1, plugged ? EAGAIN : ENODEV);
        umockdev_ioctl_data_unref(ptr);
        g_object_unref(client);
    }

    static gboolean onHeldTimeout(gpointer self) {
        auto* s = static_cast<State*>(self);
        const std::lock_guard lock(s->mutex);
        if (s->heldTimeout != g_main_current_source()) return G_SOURCE_REMOVE;   // answered meanwhile
        g_source_unref(s->heldTimeout);
        s->heldTimeout = nullptr;
        s->answerHeld();
        return G_SOURCE_REMOVE;
    }

    void controlTransfer(UMockdevIoctlData* urbData) {
        auto* urb = urbOf(urbData);
        auto* setup = static_cast<std::uint8_t*>(urb->buffer);
        const std::uint8_t requestType = setup[0], request = setup[1];
        const unsigned value = setup[2] | (setup[3] << 8);
        const unsigned length = setup[6] | (setup[7] << 8);
        if (requestType == 0x81 && request == 0x06 && value == 0x2200) {
            const auto n = std::min<std::size_t>(length, reportDescriptor.size());
            std::memcpy(setup + 8, reportDescriptor.data(), n);
            complete(urbData, 0, static_cast<int>(n));
        } else if (requestType == 0x21 && (request == 0x0B || request == 0x0A)) {   // SET_PROTOCOL, SET_IDLE
            complete(urbData, 0, 0);
        } else {
            complete(urbData, -EPIPE, 0);
        }
    }

    gboolean handle(UMockdevIoctlClient* client) {
        const std::lock_guard lock(mutex);
        const gulong request = umockdev_ioctl_client_get_request(client);
        UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(client);
        const auto answer = [&](long ret, int err) {
            umockdev_ioctl_client_complete(client, ret, err);
            return TRUE;
        };
        if (answerUsbfsHousekeeping(client, *this, "usbhid")) return TRUE;
        switch (request) {
        case USBDEVFS_SUBMITURB: {
            if (!plugged) return answer(-1, ENODEV);
            UMockdevIoctlData* urbData = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_urb), nullptr);
            auto* urb = urbOf(urbData);
            UMockdevIoctlData* buffer = umockdev_ioctl_data_resolve(urbData, G_STRUCT_OFFSET(usbdevfs_urb, buffer),
                                                                    static_cast<gsize>(urb->buffer_length), nullptr);
            if (buffer) umockdev_ioctl_data_unref(buffer);
            if (urb->type == USBDEVFS_URB_TYPE_CONTROL) controlTransfer(urbData);
            else if (urb->type == USBDEVFS_URB_TYPE_INTERRUPT && (urb->endpoint & 0x80)) pendingIn.push_back(urbData);
            else {
                umockdev_ioctl_data_unref(urbData);
                return answer(-1, EINVAL);
            }
            answer(0, 0);
            deliver();
            return TRUE;
        }
        case USBDEVFS_REAPURB:
        case USBDEVFS_REAPURBNDELAY: {
            UMockdevIoctlData* ptr = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), nullptr);
            if (!ready.empty()) {
                lastReapEmpty = false;
                reapInto(client, ptr);
                umockdev_ioctl_data_unref(ptr);
                return TRUE;
            }
            // libusb reaps until EAGAIN after every wakeup: the first empty reap answers at once, as the
            // kernel does; only a reap right after an empty one stands in for poll() sleeping. One reap
            // is held at a time; another is told to come back.
            if (!lastReapEmpty || heldClient) {
                lastReapEmpty = true;
                umockdev_ioctl_data_unref(ptr);
                return answer(-1, plugged ? EAGAIN : ENODEV);
            }
            heldClient = static_cast<UMockdevIoctlClient*>(g_object_ref(client));
            heldPtr = ptr;
            heldTimeout = g_timeout_source_new(kReapHoldMs);
            g_source_set_callback(heldTimeout, &State::onHeldTimeout, this, nullptr);
            g_source_attach(heldTimeout, bed->context());
            return TRUE;
        }
        case USBDEVFS_DISCARDURB: {
            const auto addr = *reinterpret_cast<gulong*>(arg->data);
            for (auto it = pendingIn.begin(); it != pendingIn.end(); ++it) {
                if ((*it)->client_addr != addr) continue;
                UMockdevIoctlData* d = *it;
                pendingIn.erase(it);
                complete(d, -ENOENT, 0);
                answer(0, 0);
                if (heldClient) answerHeld();
                return TRUE;
            }
            return answer(-1, EINVAL);
        }
        default:
            return answer(-1, ENOTTY);
        }
    }

    static gboolean onIoctl(UMockdevIoctlBase*, UMockdevIoctlClient* client, gpointer self) {
        return static_cast<State*>(self)->handle(client);
    }

    ~State() {
        const std::lock_guard lock(mutex);
        if (heldClient) answerHeld();
        for (auto* d : pendingIn)
            umockdev_ioctl_data_unref(d);
        for (auto* d : ready)
            umockdev_ioctl_data_unref(d);
        if (handler) g_object_unref(handler);
    }
};

EmulatedDevice::EmulatedDevice(UsbTestbed& bed, EmulatedDeviceSpec spec)
    : m_bed(bed), m_spec(spec), m_state(std::make_unique<State>()) {
    char node[64];
    std::snprintf(node, sizeof node, "/dev/bus/usb/001/%03d", spec.devnum);
    m_node = node;
    const std::string port = "1-" + std::to_string(spec.devnum - 1);
    m_syspath = "/sys/devices/pci0000:00/0000:00:14.0/usb1/" + port;
    m_state->bed = &bed;
    m_state->spec = spec;
    m_state->driverBound = spec.kernelDriverBound;
    m_state->reportDescriptor =
        spec.kind == EmulatedKind::PosScanner ? kPosReportDescriptor : kBootKeyboardReportDescriptor;
}

void EmulatedDevice::send(const std::vector<Report>& reports) {
    m_bed.invoke([&] {
        const std::lock_guard lock(m_state->mutex);
        for (const auto& r : reports)
            m_state->reports.push_back(r);
        m_state->deliver();
    });
}

void EmulatedDevice::stallNext() {
    m_bed.invoke([&] {
        const std::lock_guard lock(m_state->mutex);
        ++m_state->stallsQueued;
        m_state->deliver();
    });
}

void EmulatedDevice::unplug() {
    m_bed.invoke([&] {
        {
            const std::lock_guard lock(m_state->mutex);
            m_state->plugged = false;
            m_state->reports.clear();
            m_state->claimed = false;
            m_state->deliver();
            if (m_state->heldClient) m_state->answerHeld();
        }
        umockdev_testbed_uevent(m_bed.testbed(), m_syspath.c_str(), "remove");
    });
}

void EmulatedDevice::replug() {
    m_bed.invoke([&] {
        {
            const std::lock_guard lock(m_state->mutex);
            m_state->plugged = true;
            m_state->driverBound = m_spec.kernelDriverBound;
        }
        umockdev_testbed_uevent(m_bed.testbed(), m_syspath.c_str(), "add");
    });
}

int EmulatedDevice::clearHalts() const {
    int n = 0;
    m_bed.invoke([&] {
        const std::lock_guard lock(m_state->mutex);
        n = m_state->clearHalts;
    });
    return n;
}

bool EmulatedDevice::kernelDriverBound() const {
    bool b = false;
    m_bed.invoke([&] {
        const std::lock_guard lock(m_state->mutex);
        b = m_state->driverBound;
    });
    return b;
}

bool EmulatedDevice::claimed() const {
    bool b = false;
    m_bed.invoke([&] {
        const std::lock_guard lock(m_state->mutex);
        b = m_state->claimed;
    });
    return b;
}

int EmulatedDevice::opens() const {
    int n = 0;
    m_bed.invoke([&] {
        const std::lock_guard lock(m_state->mutex);
        n = m_state->opens;
    });
    return n;
}

std::size_t EmulatedDevice::reportsLeft() const {
    std::size_t n = 0;
    m_bed.invoke([&] {
        const std::lock_guard lock(m_state->mutex);
        n = m_state->reports.size();
    });
    return n;
}

// --- The testbed ----------------------------------------------------------------------------------

UsbTestbed::UsbTestbed() {
    const char* preload = std::getenv("LD_PRELOAD");
    if (!preload || !std::strstr(preload, "umockdev"))
        throw std::runtime_error("not running under umockdev-wrapper (LD_PRELOAD=libumockdev-preload.so)");
    m_context = g_main_context_new();
    m_loop = g_main_loop_new(m_context, FALSE);
    m_testbed = umockdev_testbed_new();
    m_thread = std::thread([this] {
        g_main_context_push_thread_default(m_context);
        g_main_loop_run(m_loop);
        g_main_context_pop_thread_default(m_context);
    });
}

UsbTestbed::~UsbTestbed() {
    invoke([this] { m_devices.clear(); });
    g_main_loop_quit(m_loop);
    m_thread.join();
    g_object_unref(m_testbed);
    g_main_loop_unref(m_loop);
    g_main_context_unref(m_context);
}

void UsbTestbed::invoke(const std::function<void()>& fn) {
    struct Call {
        const std::function<void()>* fn;
        std::promise<void> done;
    } call{&fn, {}};
    auto future = call.done.get_future();
    g_main_context_invoke(
        m_context,
        [](gpointer p) -> gboolean {
            auto* c = static_cast<Call*>(p);
            try {
                (*c->fn)();
                c->done.set_value();
            } catch (...) {
                c->done.set_exception(std::current_exception());
            }
            return G_SOURCE_REMOVE;
        },
        &call);
    future.get();
}

std::string UsbTestbed::rootDir() const {
    gchar* dir = umockdev_testbed_get_root_dir(m_testbed);
    std::string out = dir;
    g_free(dir);
    return out;
}

EmulatedDevice& UsbTestbed::add(EmulatedDeviceSpec spec) {
    auto device = std::unique_ptr<EmulatedDevice>(new EmulatedDevice(*this, spec));
    EmulatedDevice& d = *device;
    invoke([&] {
        auto* state = d.m_state.get();
        state->handler = umockdev_ioctl_base_new();
        g_signal_connect(state->handler, "handle-ioctl", G_CALLBACK(&EmulatedDevice::State::onIoctl), state);
        // The handler answers on the context that is thread-default here: this GLib thread's.
        GError* error = nullptr;
        if (!umockdev_testbed_attach_ioctl(m_testbed, d.m_node.c_str(), state->handler, &error)) {
            std::string why = error ? error->message : "unknown";
            g_clear_error(&error);
            throw std::runtime_error("cannot attach the ioctl handler: " + why);
        }
        const std::string sysDevice = d.m_syspath.substr(4);   // without "/sys"
        const auto descriptors = usbDescriptors(spec, state->reportDescriptor);
        char numbers[128];
        std::snprintf(numbers, sizeof numbers, "E: BUSNUM=001\nE: DEVNUM=%03d\n", spec.devnum);
        std::string text = "P: " + sysDevice + "\nN: bus/usb/001/" + d.m_node.substr(d.m_node.size() - 3) +
                           "\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\nE: DRIVER=usb\n" + numbers +
                           "E: DEVNAME=" + d.m_node + "\nA: busnum=1\\n\nA: devnum=" + std::to_string(spec.devnum) +
                           "\\n\nA: bConfigurationValue=1\\n\nA: speed=12\\n\nH: descriptors=" + hex(descriptors) +
                           "\n";
        if (spec.kernelDriverBound) {
            // usbhid's view: the interface and its HID device, whose report_descriptor auto mode reads.
            const std::string itf = sysDevice + "/" + d.m_syspath.substr(d.m_syspath.rfind('/') + 1) + ":1.0";
            char hid[32];
            std::snprintf(hid, sizeof hid, "0003:%04X:%04X.%04X", spec.vendorId, spec.productId, spec.devnum);
            text += "\nP: " + itf + "\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_interface\nE: DRIVER=usbhid\n"
                    "A: bInterfaceNumber=00\\n\nA: bInterfaceClass=03\\n\n"
                    "\nP: " + itf + "/" + hid + "\nE: SUBSYSTEM=hid\nE: DRIVER=hid-generic\nH: report_descriptor=" +
                    hex(state->reportDescriptor) + "\n";
        }
        if (!umockdev_testbed_add_from_string(m_testbed, text.c_str(), &error)) {
            std::string why = error ? error->message : "unknown";
            g_clear_error(&error);
            throw std::runtime_error("cannot add the emulated device: " + why);
        }
    });
    m_devices.push_back(std::move(device));
    return d;
}

} // namespace showroom::testing
