// showroom-kiosk: the touchscreen front end. The one place that wires the concrete pieces.
#include "src/app/app.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <filesystem>

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
    app.add_option("--idle-timeout", options.idleTimeoutMs, "Customer idle timeout in milliseconds")
        ->capture_default_str()
        ->check(CLI::Range(5'000LL, 3'600'000LL));
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
    return showroom::kiosk::runKiosk(options);
}
