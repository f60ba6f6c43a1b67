#include "showroom/devices/scan/scan_sources.hpp"

#include "showroom/devices/scan/image_decoder.hpp"
#include "showroom/devices/scan/serial_scanner.hpp"
#include "showroom/devices/scan/usb_scanner.hpp"
#include "showroom/devices/scan/virtual_scanner.hpp"
#include "showroom/devices/scan/wedge_source.hpp"

namespace showroom::devices {

core::Result<std::unique_ptr<core::scan::ScanSource>> openScanSource(std::string_view connection) {
    using Source = std::unique_ptr<core::scan::ScanSource>;
    if (connection == "wedge" || connection.starts_with("wedge?")) {
        auto config = parseWedgeConnection(connection);
        if (!config) return config.error();
        return Source(std::make_unique<WedgeSource>(std::string(connection), std::move(*config)));
    }
    if (connection.starts_with("serial:")) {
        auto options = parseSerialConnection(connection);
        if (!options) return options.error();
        return Source(std::make_unique<SerialScanner>(std::string(connection), std::move(*options)));
    }
    if (connection.starts_with("usb:")) {
        auto scanner = UsbScanner::open(connection);
        if (!scanner) return scanner.error();
        return Source(std::move(*scanner));
    }
    if (connection.starts_with("image:")) {
        // Decoded in a worker process: the program must call runScanWorkerIfRequested() in main().
        auto source = ImageScanSource::open(std::string(connection), ImageScanSource::Config{});
        if (!source) return source.error();
        return Source(std::move(*source));
    }
    if (connection == "virtual" || connection.starts_with("virtual:")) {
        auto scanner = openVirtualScanner(connection);
        if (!scanner) return scanner.error();
        return Source(std::move(*scanner));
    }
    return core::fail(core::ErrorCode::InvalidInput,
                      "unknown scanner '" + std::string(connection) +
                          "': use wedge, usb:VID:PID, usb:auto, serial:/dev/ttyACM0, image:PATH, or virtual[:SCRIPT]");
}

} // namespace showroom::devices
