// showroom-kiosk: the touchscreen front end. The one place that wires the concrete pieces.
#include "src/app/app.hpp"

#include "showroom/devices/pdf/contract_pdf.hpp"
#include "showroom/devices/print/printer_ports.hpp"
#include "showroom/devices/print/spool_printer.hpp"
#include "showroom/devices/scan/image_decoder.hpp"
#include "showroom/devices/scan/scan_sources.hpp"
#include "showroom/devices/scan/virtual_scanner.hpp"
#include "showroom/devices/scan/wedge_source.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

namespace {

std::string defaultDbPath() {
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        return (std::filesystem::path(xdg) / "showroom" / "showroom.db").string();
    if (const char* home = std::getenv("HOME"); home && *home)
        return (std::filesystem::path(home) / ".local" / "share" / "showroom" / "showroom.db").string();
    return "showroom.db";
}

} // namespace

int main(int argc, char** argv) {
    // The same binary is the barcode decoder's worker process (--scanner image:...): see image_decoder.hpp.
    if (auto rc = showroom::devices::runScanWorkerIfRequested(argc, argv)) return *rc;
    showroom::kiosk::AppOptions options; // startTime: now, for the cold-start figure
    options.dbPath = defaultDbPath();
    options.assetsDir = SHOWROOM_ASSETS_DIR;
    CLI::App app{"showroom-kiosk: the showroom's touchscreen"};
    app.add_option("--db", options.dbPath, "Store database file")->capture_default_str();
    app.add_option("--assets", options.assetsDir, "Assets folder (i18n, fonts list, pictures)")->capture_default_str();
    app.add_flag("--headless", options.headless, "Run without a display (SDL offscreen video driver)");
    app.add_flag("--windowed", options.windowed, "A normal window instead of the locked full-screen kiosk");
    app.add_option("--script", options.scriptPath, "Play a scenario script, then exit");
    app.add_flag("--bench", options.bench, "Print frame times on browse and idle CPU, then exit");
    app.add_option("--screenshots", options.screenshotDir, "Folder for the script's screenshots");
    app.add_option("--width", options.width, "Window width in pixels")->capture_default_str();
    app.add_option("--height", options.height, "Window height in pixels")->capture_default_str();
    std::string printer = "virtual";
    std::string receiptPrinter = "virtual";
    bool noSync = false;
    app.add_flag("--no-sync", noSync,
                 "Do not sync with headquarters from this kiosk (another program runs `showroom sync run`)");
    app.add_option("--receipt-printer", receiptPrinter,
                   "Receipt printer (ESC/POS): tcp:HOST[:PORT], usb:VID:PID, usb:auto, dev:/dev/usb/lp0, file:PATH, "
                   "virtual, or none; add #58mm, #80mm-42 or +gb18030 for the paper and fonts")
        ->capture_default_str();
    app.add_option("--printer", printer,
                   "Contract printer: virtual (a spool folder beside the database) or spool:FOLDER")
        ->capture_default_str();
    std::string scanner = "wedge";
    app.add_option("--scanner", scanner,
                   "VIN and licence scanner: wedge[?gap_ms=40&suffix=enter], usb:VID:PID, usb:auto, "
                   "serial:/dev/ttyACM0[?baud=9600], image:FOLDER, or virtual[:SCRIPT]")
        ->capture_default_str();
    app.add_option("--contracts", options.contractsDir, "Folder for signed contracts (default: beside the database)");
    app.add_option("--photos", options.photosDir, "Folder of vehicle photos named by VIN (VIN.jpg, VIN-2.png, ...)");
    app.add_option("--idle-timeout", options.idleTimeoutMs, "Customer idle timeout in milliseconds")
        ->capture_default_str()
        ->check(CLI::Range(5'000LL, 3'600'000LL));
    app.add_option("--test-drive-min-age", options.testDriveMinimumAge,
                   "Minimum age on a driver's licence scanned for a test drive (insurers often ask 21 or 25)")
        ->capture_default_str()
        ->check(CLI::Range(16, 99));
    app.add_option("--staff-idle-timeout", options.staffIdleTimeoutMs, "Staff mode signs out after this many ms")
        ->capture_default_str()
        ->check(CLI::Range(10'000LL, 3'600'000LL));
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 2;
    }
    options.sync = !noSync;
    if (receiptPrinter == "none") {
        options.receiptPrinter.clear();
    } else if (auto parsed = showroom::devices::print::parsePrinterConnection(receiptPrinter); !parsed) {
        std::cerr << "showroom-kiosk: --receipt-printer: " << parsed.error().message << "\n";
        return 2;
    } else {
        options.receiptPrinter = receiptPrinter;
    }
    // The concrete devices. Real printers (USB, network) arrive with the print queue.
    std::filesystem::path spool;
    if (printer == "virtual") spool = std::filesystem::path(options.dbPath).parent_path() / "spool";
    else if (printer.rfind("spool:", 0) == 0 && printer.size() > 6) spool = printer.substr(6);
    else {
        std::cerr << "showroom-kiosk: --printer " << printer
                  << " is not supported yet: use virtual or spool:FOLDER (USB and network printers come with the print queue)\n";
        return 2;
    }
    // The scanner: the wedge is read from the window's key events; any other runs its own thread.
    std::unique_ptr<showroom::core::scan::ScanSource> scanSource;
    showroom::devices::VirtualScanner* virtualScanner = nullptr;
    if (scanner == "wedge" || scanner.rfind("wedge?", 0) == 0) {
        auto config = showroom::devices::parseWedgeConnection(scanner);
        if (!config) {
            std::cerr << "showroom-kiosk: --scanner: " << config.error().message << "\n";
            return 2;
        }
        options.wedge = std::move(*config);
    } else if (scanner == "virtual" || scanner.rfind("virtual:", 0) == 0) {
        auto source = showroom::devices::openVirtualScanner(scanner);
        if (!source) {
            std::cerr << "showroom-kiosk: --scanner: " << source.error().message << "\n";
            return 2;
        }
        virtualScanner = source->get();
        scanSource = std::move(*source);
    } else {
        auto source = showroom::devices::openScanSource(scanner);
        if (!source) {
            std::cerr << "showroom-kiosk: --scanner: " << source.error().message << "\n";
            return 2;
        }
        scanSource = std::move(*source);
    }
    options.scanner = scanSource.get();
    options.scannerConnection = scanner;
    options.virtualScanner = virtualScanner;
    showroom::devices::SpoolPrinter spoolPrinter(spool);
    showroom::devices::pdf::HaruContractRenderer renderer;
    options.printer = &spoolPrinter;
    options.renderer = &renderer;
    return showroom::kiosk::runKiosk(options);
}
