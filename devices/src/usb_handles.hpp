#pragma once
// libusb objects that free themselves, shared by the USB scanner and the USB printer drivers.
// Private to devices/src.

#include <libusb.h>

#include <cstdio>
#include <memory>
#include <string>

namespace showroom::devices::detail {

struct ContextDeleter {
    void operator()(libusb_context* c) const { libusb_exit(c); }
};
using ContextPtr = std::unique_ptr<libusb_context, ContextDeleter>;

struct HandleDeleter {
    void operator()(libusb_device_handle* h) const { libusb_close(h); }
};
using HandlePtr = std::unique_ptr<libusb_device_handle, HandleDeleter>;

struct DeviceDeleter {
    void operator()(libusb_device* d) const { libusb_unref_device(d); }
};
using DevicePtr = std::unique_ptr<libusb_device, DeviceDeleter>;

struct TransferDeleter {
    void operator()(libusb_transfer* t) const { libusb_free_transfer(t); }
};
using TransferPtr = std::unique_ptr<libusb_transfer, TransferDeleter>;

struct DeviceListDeleter {
    void operator()(libusb_device** list) const { libusb_free_device_list(list, 1); }
};
using DeviceListPtr = std::unique_ptr<libusb_device*, DeviceListDeleter>;

struct ConfigDeleter {
    void operator()(libusb_config_descriptor* c) const { libusb_free_config_descriptor(c); }
};
using ConfigPtr = std::unique_ptr<libusb_config_descriptor, ConfigDeleter>;

/// The usbfs node of a device, "/dev/bus/usb/001/002": what permission errors name.
inline std::string deviceNode(libusb_device* dev) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "/dev/bus/usb/%03u/%03u", libusb_get_bus_number(dev),
                  libusb_get_device_address(dev));
    return buf;
}

} // namespace showroom::devices::detail
