#pragma once
// One place that turns a scanner's connection string into its driver, for the kiosk, the CLI and
// the config file alike:
//     wedge[?...]            keyboard wedge typing into a console (wedge_source.hpp)
//     usb:VID:PID, usb:auto  USB HID scanner through libusb (usb_scanner.hpp)
//     serial:PATH[?...]      CDC-ACM / RS-232 scanner (serial_scanner.hpp)
//     image:PATH             a picture, or a drop folder of pictures, decoded by ZXing-cpp in a
//                            worker process (image_decoder.hpp: main() must call
//                            runScanWorkerIfRequested() first)
//     virtual[:SCRIPT]       the virtual twin (virtual_scanner.hpp)
// Opening only parses and checks: nothing touches a device until the source is started.

#include "showroom/core/result.hpp"
#include "showroom/core/scan.hpp"

#include <memory>
#include <string_view>

namespace showroom::devices {

/// The driver for `connection`, not yet started. InvalidInput for an unknown scheme or a bad option
/// (the message lists the schemes); Io when a virtual scanner's script cannot be read.
[[nodiscard]] core::Result<std::unique_ptr<core::scan::ScanSource>> openScanSource(std::string_view connection);

} // namespace showroom::devices
