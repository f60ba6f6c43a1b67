#pragma once
// The kiosk application: the event-driven main loop that wires the window, the screens and the
// view-model together, and plays headless scripts.
//
// The loop sleeps in SDL_WaitEventTimeout until an input event arrives or the view-model's next
// timer is due, so an idle kiosk draws nothing and uses no CPU. A frame that throws is logged and
// the kiosk shows its recovery screen and returns to the attract loop.
// Thread: main thread only.

#include "showroom/devices/scan/wedge_decoder.hpp"

#include <chrono>
#include <string>

namespace showroom::core {
class DocumentRenderer;
class DocumentPrinter;
} // namespace showroom::core
namespace showroom::core::scan {
class ScanSource;
} // namespace showroom::core::scan
namespace showroom::devices {
class VirtualScanner;
} // namespace showroom::devices

namespace showroom::kiosk {

struct AppOptions {
    std::string dbPath;
    std::string assetsDir;
    std::string scriptPath;      ///< play this scenario, then exit (0 when every step passed)
    std::string screenshotDir;   ///< where `screenshot NAME` writes NAME.png
    bool headless = false;
    bool windowed = false;       ///< development: a normal window instead of locked full screen
    int width = 1920, height = 1080;
    long long idleTimeoutMs = 90'000;
    int testDriveMinimumAge = 18;              ///< a scanned licence must show at least this age
    long long staffIdleTimeoutMs = 300'000;   ///< staff mode signs out after this
    bool bench = false;                        ///< print frame-time and idle-CPU figures, then exit
    std::string contractsDir;                  ///< signed contracts; "" = "contracts" beside the database
    std::string photosDir;                     ///< vehicle photos (<VIN>*.jpg|png); "" = drawn pictures only
    core::DocumentRenderer* renderer = nullptr;   ///< contracts (wired in main.cpp)
    core::DocumentPrinter* printer = nullptr;     ///< where contracts print (wired in main.cpp)
    /// The ESC/POS receipt printer's connection string (devices/print/printer_ports.hpp); the app runs
    /// the print spooler for it. "" for none.
    std::string receiptPrinter = "virtual";
    /// Sync with headquarters in the background when the store is configured for it.
    bool sync = true;
    /// The scanner when it is not the keyboard wedge (USB, serial, image, virtual); started and
    /// stopped by the app, its scans reach the screens through a mailbox. nullptr: wedge only.
    core::scan::ScanSource* scanner = nullptr;
    std::string scannerConnection = "wedge";      ///< shown on the status screen
    devices::WedgeConfig wedge;                   ///< the keyboard wedge's timing, prefix and suffix
    devices::VirtualScanner* virtualScanner = nullptr;   ///< for the script's `scanner` verb
    std::chrono::steady_clock::time_point startTime = std::chrono::steady_clock::now();
};

/// Runs the kiosk. Returns the process exit code: 0 ok, 1 failure (a failed script step names
/// itself on stderr), 2 bad options or script.
int runKiosk(const AppOptions& options);

} // namespace showroom::kiosk
