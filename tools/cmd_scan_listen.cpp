// `showroom scan listen CONN`: prints what a configured scanner reads, as it reads it. The way to
// check a scanner on a new kiosk before the kiosk itself is started.
#include "cli.hpp"

#include "showroom/core/licence.hpp"
#include "showroom/core/scan.hpp"
#include "showroom/devices/scan/scan_sources.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>

namespace showroom::cli {

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void onInterrupt(int) { g_interrupted = true; }

// One scan as a JSON line or a human line. A licence is personal data: only whether it can be read
// is printed, never its fields or bytes.
void printScan(const Cli& cli, const core::scan::Scan& scan, int modelYear) {
    const std::string_view format = core::scan::toString(scan.symbology);
    if (core::scan::looksLikeLicence(scan.bytes)) {
        const auto licence = core::licence::parse(scan.bytes);
        if (cli.globals.json) {
            nlohmann::json j{{"type", "scan"},        {"source", scan.source}, {"format", format},
                             {"text", nullptr},       {"vin", nullptr},        {"licence", true},
                             {"licence_readable", licence.ok()}, {"bytes", scan.bytes.size()},
                             {"timestamp_ms", scan.timestampMs}};
            if (!licence) j["licence_problem"] = licence.error().message;
            std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
        } else {
            std::cout << format << "  driver's licence (" << scan.bytes.size() << " bytes): "
                      << (licence ? "readable" : "not readable: " + licence.error().message) << std::endl;
        }
        return;
    }
    const core::scan::VinFinding vin = core::scan::findVin(scan.bytes, modelYear);
    if (cli.globals.json) {
        nlohmann::json j{{"type", "scan"},
                         {"source", scan.source},
                         {"format", format},
                         {"text", scan.text},
                         {"vin", vin.kind == core::scan::VinFinding::Kind::Valid ? nlohmann::json(vin.vin) : nlohmann::json()},
                         {"licence", false},
                         {"timestamp_ms", scan.timestampMs}};
        if (vin.kind == core::scan::VinFinding::Kind::Invalid) j["vin_problem"] = vin.problem;
        std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
        return;
    }
    std::cout << format << "  " << scan.text;
    if (vin.kind == core::scan::VinFinding::Kind::Valid) std::cout << "  VIN " << vin.vin;
    if (vin.kind == core::scan::VinFinding::Kind::Invalid) std::cout << "  VIN? " << vin.vin << ": " << vin.problem;
    std::cout << std::endl;
}

void printStatus(const Cli& cli, const core::scan::ScannerStatus& status) {
    if (cli.globals.json) {
        std::cout << nlohmann::json{{"type", "status"},
                                    {"source", status.source},
                                    {"state", core::scan::toString(status.state)},
                                    {"message", status.message}}
                         .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                  << std::endl;
        return;
    }
    // Status lines go to stderr in human mode so that stdout carries only what was scanned.
    std::cerr << "scanner " << status.source << ": " << core::scan::toString(status.state)
              << (status.message.empty() ? "" : " (" + status.message + ")") << std::endl;
}

} // namespace

void addScanListenCommand(CLI::App& group, Cli& cli) {
    struct Options {
        std::string connection;
        int count = 0;
        double seconds = 0;
    };
    auto o = std::make_shared<Options>();
    auto* cmd = group.add_subcommand("listen", "Print what a scanner reads, as it reads it (Ctrl+C to stop)");
    cmd->add_option("connection", o->connection,
                    "wedge[?...], serial:/dev/ttyACM0[?baud=9600], usb:VID:PID, usb:auto, image:PATH or virtual[:SCRIPT]")
        ->required();
    cmd->add_option("--count", o->count, "Stop after this many scans (exit 1 if --seconds pass first)")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--seconds", o->seconds, "Stop after this long")->check(CLI::PositiveNumber);
    cli.on(cmd, [&cli, o] {
        auto source = devices::openScanSource(o->connection);
        if (!source) return cli.report(source.error());
        const int modelYear = core::yearOf(cli.clock.now()) + 1;
        const bool endsWithInput = o->connection == "wedge" || o->connection.starts_with("wedge?");

        g_interrupted = false;
        const auto previousInt = std::signal(SIGINT, onInterrupt);
        const auto previousTerm = std::signal(SIGTERM, onInterrupt);
        core::scan::ScanMailbox mailbox;
        (*source)->start(mailbox.sink());

        const auto deadline = o->seconds > 0 ? std::chrono::steady_clock::now() +
                                                   std::chrono::milliseconds(static_cast<std::int64_t>(o->seconds * 1000))
                                             : std::chrono::steady_clock::time_point::max();
        int scans = 0;
        bool inputEnded = false;
        while (!g_interrupted && !inputEnded && (o->count == 0 || scans < o->count) &&
               std::chrono::steady_clock::now() < deadline) {
            for (const auto& event : mailbox.waitAndDrain(std::chrono::milliseconds(100))) {
                if (const auto* scan = std::get_if<core::scan::Scan>(&event)) {
                    if (o->count > 0 && scans >= o->count) continue;
                    printScan(cli, *scan, modelYear);
                    ++scans;
                } else {
                    const auto& status = std::get<core::scan::ScannerStatus>(event);
                    printStatus(cli, status);
                    inputEnded = endsWithInput && status.state == core::scan::ScannerStatus::State::Disconnected;
                }
            }
        }
        (*source)->stop();
        std::signal(SIGINT, previousInt);
        std::signal(SIGTERM, previousTerm);
        if (o->count > 0 && scans < o->count) {
            std::cerr << "showroom: " << scans << " of " << o->count << " scans before the listener stopped\n";
            return Exit::Failure;
        }
        return Exit::Ok;
    });
}

} // namespace showroom::cli
