#include "emulated_printer.hpp"

#include "showroom/devices/print/escpos.hpp"

#include <umockdev.h>

#include <linux/usbdevice_fs.h>
#include <sys/ioctl.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <vector>

namespace showroom::testing {

namespace {

constexpr unsigned kReapHoldMs = 20;
constexpr std::uint8_t kOutEndpoint = 0x01, kInEndpoint = 0x82;
constexpr std::uint8_t kDle = 0x10, kEot = 0x04;

std::string hex(const std::vector<std::uint8_t>& bytes) {
    std::string out;
    char b[3];
    for (auto v : bytes) {
        std::snprintf(b, sizeof b, "%02x", v);
        out += b;
    }
    return out;
}

std::vector<std::uint8_t> printerDescriptors(const EmulatedPrinterSpec& spec) {
    const std::uint8_t lo = spec.vendorId & 0xFF, hi = spec.vendorId >> 8;
    const std::uint8_t plo = spec.productId & 0xFF, phi = spec.productId >> 8;
    const std::uint8_t endpoints = spec.inEndpoint ? 2 : 1;
    const auto total = static_cast<std::uint8_t>(9 + 9 + 7 * endpoints);
    std::vector<std::uint8_t> d = {// device: class 0 (per interface), 64-byte control packets
                                   0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x40, lo, hi, plo, phi, 0x00, 0x01, 0x00,
                                   0x00, 0x00, 0x01,
                                   // configuration: one interface, self-powered
                                   0x09, 0x02, total, 0x00, 0x01, 0x01, 0x00, 0xC0, 0x00,
                                   // interface 0: printer, subclass 1, protocol 2 (bidirectional) or 1 (unidirectional)
                                   0x09, 0x04, 0x00, 0x00, endpoints, spec.interfaceClass, 0x01,
                                   static_cast<std::uint8_t>(spec.inEndpoint ? 0x02 : 0x01), 0x00,
                                   // endpoint 0x01, bulk OUT, 64 bytes
                                   0x07, 0x05, kOutEndpoint, 0x02, 0x40, 0x00, 0x00};
    if (spec.inEndpoint) d.insert(d.end(), {0x07, 0x05, kInEndpoint, 0x02, 0x40, 0x00, 0x00});
    return d;
}

} // namespace

struct EmulatedPrinter::State : UsbfsNode {
    // umockdev calls the ioctl handler on its own worker thread; timeouts fire and the tests call in
    // on the testbed's GLib thread: one lock for all of it.
    std::mutex mutex;
    UsbTestbed* bed = nullptr;
    EmulatedPrinterSpec spec;
    std::string syspath;
    UMockdevIoctlBase* handler = nullptr;

    std::deque<UMockdevIoctlData*> pendingIn;  // submitted bulk IN URBs, owned references
    std::deque<UMockdevIoctlData*> pendingOut; // bulk OUT URBs waiting for the slow print head
    std::deque<UMockdevIoctlData*> ready;      // completed, waiting to be reaped, owned references
    std::deque<std::uint8_t> inBytes;          // what the printer has to say on bulk IN
    std::string received;
    core::print::PrinterStatus printerStatus;
    std::uint8_t tail[2] = {0, 0}; // the last two OUT bytes, for DLE EOT across URBs
    int statusQueries = 0;
    std::size_t inLimit = 0;
    std::optional<std::size_t> outBudget;
    OutFailure outFailure = OutFailure::Stall;
    unsigned outDelayMs = 0;
    GSource* outTimer = nullptr;
    GSource* removeEvent = nullptr; // a "remove" uevent still to send (unplug fault)

    UMockdevIoctlClient* heldClient = nullptr; // an empty REAPURBNDELAY being held
    UMockdevIoctlData* heldPtr = nullptr;
    GSource* heldTimeout = nullptr;

    bool lastReapEmpty = false;

    static usbdevfs_urb* urbOf(UMockdevIoctlData* d) { return reinterpret_cast<usbdevfs_urb*>(d->data); }

    static void dropSource(GSource*& source) {
        if (!source) return;
        g_source_destroy(source);
        g_source_unref(source);
        source = nullptr;
    }

    void complete(UMockdevIoctlData* urbData, int status, int actual) {
        auto* urb = urbOf(urbData);
        urb->status = status;
        urb->actual_length = actual;
        ready.push_back(urbData);
    }

    // Keeps the bytes and answers every DLE EOT n (n = 1..4) among them, as a printer's receive
    // buffer does with real-time commands.
    void take(const std::uint8_t* bytes, std::size_t n) {
        received.append(reinterpret_cast<const char*>(bytes), n);
        const auto answers = devices::escpos::statusAnswers(printerStatus);
        for (std::size_t i = 0; i < n; ++i) {
            const std::uint8_t b = bytes[i];
            if (tail[0] == kDle && tail[1] == kEot && b >= 1 && b <= 4) {
                ++statusQueries;
                if (spec.inEndpoint) inBytes.push_back(answers[b - 1]);
            }
            tail[0] = tail[1];
            tail[1] = b;
        }
    }

    // One OUT URB reaches the printer: all of it, or up to the byte budget and then the fault.
    void acceptOut(UMockdevIoctlData* urbData) {
        auto* urb = urbOf(urbData);
        const auto length = static_cast<std::size_t>(urb->buffer_length);
        const auto* data = static_cast<const std::uint8_t*>(urb->buffer);
        if (!outBudget || *outBudget >= length) {
            if (outBudget) *outBudget -= length;
            take(data, length);
            complete(urbData, 0, static_cast<int>(length));
            return;
        }
        const std::size_t n = *outBudget;
        outBudget.reset();
        take(data, n);
        if (outFailure == OutFailure::Stall) {
            complete(urbData, -EPIPE, static_cast<int>(n));
            return;
        }
        complete(urbData, -ENODEV, static_cast<int>(n));
        pullPlug();
        // The uevent goes out from the GLib thread, as a real removal reaches udev apart from usbfs.
        dropSource(removeEvent);
        removeEvent = g_idle_source_new();
        g_source_set_priority(removeEvent, G_PRIORITY_HIGH);
        g_source_set_callback(removeEvent, &State::onRemoveEvent, this, nullptr);
        g_source_attach(removeEvent, bed->context());
    }

    static gboolean onRemoveEvent(gpointer self) {
        auto* s = static_cast<State*>(self);
        {
            const std::lock_guard lock(s->mutex);
            if (s->removeEvent != g_main_current_source()) return G_SOURCE_REMOVE;
            g_source_unref(s->removeEvent);
            s->removeEvent = nullptr;
        }
        umockdev_testbed_uevent(s->bed->testbed(), s->syspath.c_str(), "remove");
        return G_SOURCE_REMOVE;
    }

    void pullPlug() {
        plugged = false;
        claimed = false;
        inBytes.clear();
        dropSource(outTimer);
        deliver();
    }

    void startOutTimer() {
        if (outTimer || pendingOut.empty()) return;
        outTimer = g_timeout_source_new(outDelayMs);
        g_source_set_callback(outTimer, &State::onOutTimer, this, nullptr);
        g_source_attach(outTimer, bed->context());
    }

    static gboolean onOutTimer(gpointer self) {
        auto* s = static_cast<State*>(self);
        const std::lock_guard lock(s->mutex);
        if (s->outTimer != g_main_current_source()) return G_SOURCE_REMOVE;
        g_source_unref(s->outTimer);
        s->outTimer = nullptr;
        if (!s->pendingOut.empty() && s->plugged) {
            UMockdevIoctlData* d = s->pendingOut.front();
            s->pendingOut.pop_front();
            s->acceptOut(d);
        }
        if (s->plugged) s->startOutTimer();
        s->deliver();
        return G_SOURCE_REMOVE;
    }

    // Moves IN bytes into waiting URBs, fails everything when unplugged, then wakes a held reap.
    void deliver() {
        while (plugged && !pendingIn.empty() && !inBytes.empty()) {
            UMockdevIoctlData* d = pendingIn.front();
            pendingIn.pop_front();
            auto* urb = urbOf(d);
            std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(urb->buffer_length), inBytes.size());
            if (inLimit > 0) n = std::min(n, inLimit);
            auto* out = static_cast<std::uint8_t*>(urb->buffer);
            for (std::size_t i = 0; i < n; ++i) {
                out[i] = inBytes.front();
                inBytes.pop_front();
            }
            complete(d, 0, static_cast<int>(n));
        }
        if (!plugged) {
            for (auto* q : {&pendingIn, &pendingOut}) {
                while (!q->empty()) {
                    complete(q->front(), -ENODEV, 0);
                    q->pop_front();
                }
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
        dropSource(heldTimeout);
        UMockdevIoctlClient* client = heldClient;
        UMockdevIoctlData* ptr = heldPtr;
        heldClient = nullptr;
        heldPtr = nullptr;
        if (!ready.empty()) {
            lastReapEmpty = false;
            reapInto(client, ptr);
        } else
            umockdev_ioctl_client_complete(client, -1, plugged ? EAGAIN : ENODEV);
        umockdev_ioctl_data_unref(ptr);
        g_object_unref(client);
    }

    static gboolean onHeldTimeout(gpointer self) {
        auto* s = static_cast<State*>(self);
        const std::lock_guard lock(s->mutex);
        if (s->heldTimeout != g_main_current_source()) return G_SOURCE_REMOVE; // answered meanwhile
        g_source_unref(s->heldTimeout);
        s->heldTimeout = nullptr;
        s->answerHeld();
        return G_SOURCE_REMOVE;
    }

    // A URB the host gave up on (a timeout): it ends with ENOENT and whatever it had carried (nothing).
    bool discard(std::deque<UMockdevIoctlData*>& queue, gulong addr) {
        for (auto it = queue.begin(); it != queue.end(); ++it) {
            if ((*it)->client_addr != addr) continue;
            UMockdevIoctlData* d = *it;
            const bool head = it == queue.begin();
            queue.erase(it);
            if (&queue == &pendingOut && head) {
                dropSource(outTimer);
                startOutTimer();
            }
            complete(d, -ENOENT, 0);
            return true;
        }
        return false;
    }

    gboolean submit(UMockdevIoctlClient* client, UMockdevIoctlData* arg) {
        const auto answer = [&](long ret, int err) -> gboolean {
            umockdev_ioctl_client_complete(client, ret, err);
            return TRUE;
        };
        if (!plugged) return answer(-1, ENODEV);
        UMockdevIoctlData* urbData = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_urb), nullptr);
        auto* urb = urbOf(urbData);
        UMockdevIoctlData* buffer = umockdev_ioctl_data_resolve(urbData, G_STRUCT_OFFSET(usbdevfs_urb, buffer),
                                                                static_cast<gsize>(urb->buffer_length), nullptr);
        if (buffer) umockdev_ioctl_data_unref(buffer);
        if (urb->type == USBDEVFS_URB_TYPE_CONTROL) {
            complete(urbData, -EPIPE, 0); // no class requests (GET_DEVICE_ID) are emulated
        } else if (urb->type == USBDEVFS_URB_TYPE_BULK && urb->endpoint == kOutEndpoint) {
            if (outDelayMs == 0 && pendingOut.empty())
                acceptOut(urbData);
            else {
                pendingOut.push_back(urbData);
                startOutTimer();
            }
        } else if (urb->type == USBDEVFS_URB_TYPE_BULK && urb->endpoint == kInEndpoint && spec.inEndpoint) {
            pendingIn.push_back(urbData);
        } else {
            umockdev_ioctl_data_unref(urbData);
            return answer(-1, EINVAL);
        }
        answer(0, 0);
        deliver();
        return TRUE;
    }

    gboolean handle(UMockdevIoctlClient* client) {
        const std::lock_guard lock(mutex);
        const gulong request = umockdev_ioctl_client_get_request(client);
        UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(client);
        const auto answer = [&](long ret, int err) -> gboolean {
            umockdev_ioctl_client_complete(client, ret, err);
            return TRUE;
        };
        if (answerUsbfsHousekeeping(client, *this, "usblp")) return TRUE;
        switch (request) {
        case USBDEVFS_SUBMITURB: return submit(client, arg);
        case USBDEVFS_REAPURB:
        case USBDEVFS_REAPURBNDELAY: {
            UMockdevIoctlData* ptr = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), nullptr);
            if (!ready.empty()) {
                lastReapEmpty = false;
                reapInto(client, ptr);
                umockdev_ioctl_data_unref(ptr);
                return TRUE;
            }
            // As in emulated_usb.cpp: the first empty reap answers at once, the next one stands in for
            // poll() sleeping until a URB completes (at most kReapHoldMs).
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
            if (!discard(pendingIn, addr) && !discard(pendingOut, addr)) return answer(-1, EINVAL);
            answer(0, 0);
            if (heldClient) answerHeld();
            return TRUE;
        }
        default: return answer(-1, ENOTTY);
        }
    }

    static gboolean onIoctl(UMockdevIoctlBase*, UMockdevIoctlClient* client, gpointer self) {
        return static_cast<State*>(self)->handle(client);
    }

    // Runs on the GLib thread, so none of this state's sources is being dispatched meanwhile.
    ~State() {
        const std::lock_guard lock(mutex);
        if (handler) g_signal_handlers_disconnect_by_data(handler, this);
        if (heldClient) answerHeld();
        dropSource(heldTimeout);
        dropSource(outTimer);
        dropSource(removeEvent);
        for (auto* q : {&pendingIn, &pendingOut, &ready})
            for (auto* d : *q)
                umockdev_ioctl_data_unref(d);
        if (handler) g_object_unref(handler);
    }
};

EmulatedPrinter::EmulatedPrinter(UsbTestbed& bed, EmulatedPrinterSpec spec)
    : m_bed(bed), m_spec(spec), m_state(std::make_unique<State>()) {
    char node[64];
    std::snprintf(node, sizeof node, "/dev/bus/usb/001/%03d", spec.devnum);
    m_node = node;
    m_syspath = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-" + std::to_string(spec.devnum - 1);
    m_state->bed = &bed;
    m_state->spec = spec;
    m_state->syspath = m_syspath;
    m_state->driverBound = spec.kernelDriverBound;
    bed.invoke([&] {
        auto* state = m_state.get();
        state->handler = umockdev_ioctl_base_new();
        g_signal_connect(state->handler, "handle-ioctl", G_CALLBACK(&EmulatedPrinter::State::onIoctl), state);
        GError* error = nullptr;
        if (!umockdev_testbed_attach_ioctl(bed.testbed(), m_node.c_str(), state->handler, &error)) {
            std::string why = error ? error->message : "unknown";
            g_clear_error(&error);
            throw std::runtime_error("cannot attach the printer's ioctl handler: " + why);
        }
        char numbers[64];
        std::snprintf(numbers, sizeof numbers, "E: BUSNUM=001\nE: DEVNUM=%03d\n", spec.devnum);
        const std::string text =
            "P: " + m_syspath.substr(4) + "\nN: bus/usb/001/" + m_node.substr(m_node.size() - 3) +
            "\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\nE: DRIVER=usb\n" + numbers + "E: DEVNAME=" + m_node +
            "\nA: busnum=1\\n\nA: devnum=" + std::to_string(spec.devnum) +
            "\\n\nA: bConfigurationValue=1\\n\nA: speed=12\\n\nH: descriptors=" + hex(printerDescriptors(spec)) + "\n";
        if (!umockdev_testbed_add_from_string(bed.testbed(), text.c_str(), &error)) {
            std::string why = error ? error->message : "unknown";
            g_clear_error(&error);
            throw std::runtime_error("cannot add the emulated printer: " + why);
        }
    });
}

EmulatedPrinter::~EmulatedPrinter() {
    m_bed.invoke([&] { m_state.reset(); });
}

void EmulatedPrinter::setStatus(const core::print::PrinterStatus& status) {
    m_bed.invoke([&] {
        const std::lock_guard lock(m_state->mutex);
        m_state->printerStatus = status;
    });
}

std::string EmulatedPrinter::received() const {
    std::string out;
    m_bed.invoke([&] {
        const std::lock_guard lock(m_state->mutex);
        out = m_state->received;
    });
    return out;
}

void EmulatedPrinter::clearReceived() {
    m_bed.invoke([&] {
        const std::lock_guard lock(m_state->mutex);
        m_state->received.clear();
    });
}

int EmulatedPrinter::statusQueries() const {
    int n = 0;
    m_bed.invoke([&] {
        const std::lock_guard lock(m_state->mutex);
        n = m_state->statusQueries;
    });
    return n;
}

void EmulatedPrinter::queueIn(const std::string& bytes) {
    m_bed.invoke([&] {
        const std::lock_guard lock(m_state->mutex);
        for (const char c : bytes)
            m_state->inBytes.push_back(static_cast<std::uint8_t>(c));
        m_state->deliver();
    });
}

void EmulatedPrinter::limitInPerTransfer(std::size_t bytes) {
    m_bed.invoke([&] {
        const std::lock_guard lock(m_state->mutex);
        m_state->inLimit = bytes;
    });
}

void EmulatedPrinter::failOutAfter(std::size_t bytes, OutFailure how) {
    m_bed.invoke([&] {
        const std::lock_guard lock(m_state->mutex);
        m_state->outBudget = bytes;
        m_state->outFailure = how;
    });
}

void EmulatedPrinter::setOutDelay(std::chrono::milliseconds delay) {
    m_bed.invoke([&] {
        const std::lock_guard lock(m_state->mutex);
        m_state->outDelayMs = static_cast<unsigned>(delay.count());
    });
}

void EmulatedPrinter::unplug() {
    m_bed.invoke([&] {
        {
            const std::lock_guard lock(m_state->mutex);
            m_state->pullPlug();
            if (m_state->heldClient) m_state->answerHeld();
            State::dropSource(m_state->removeEvent); // this removal says it
        }
        umockdev_testbed_uevent(m_bed.testbed(), m_syspath.c_str(), "remove");
    });
}

void EmulatedPrinter::replug() {
    m_bed.invoke([&] {
        bool removalPending = false;
        {
            const std::lock_guard lock(m_state->mutex);
            removalPending = m_state->removeEvent != nullptr;
            State::dropSource(m_state->removeEvent);
            m_state->plugged = true;
            m_state->driverBound = m_spec.kernelDriverBound;
            m_state->tail[0] = m_state->tail[1] = 0;
        }
        // An unplug fault's "remove" not sent yet goes first: udev never sees "add" before "remove".
        if (removalPending) umockdev_testbed_uevent(m_bed.testbed(), m_syspath.c_str(), "remove");
        umockdev_testbed_uevent(m_bed.testbed(), m_syspath.c_str(), "add");
    });
}

bool EmulatedPrinter::kernelDriverBound() const {
    bool b = false;
    m_bed.invoke([&] {
        const std::lock_guard lock(m_state->mutex);
        b = m_state->driverBound;
    });
    return b;
}

bool EmulatedPrinter::claimed() const {
    bool b = false;
    m_bed.invoke([&] {
        const std::lock_guard lock(m_state->mutex);
        b = m_state->claimed;
    });
    return b;
}

int EmulatedPrinter::opens() const {
    int n = 0;
    m_bed.invoke([&] {
        const std::lock_guard lock(m_state->mutex);
        n = m_state->opens;
    });
    return n;
}

} // namespace showroom::testing
