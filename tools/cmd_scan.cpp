// `showroom scan ...`: barcodes from a shell. `scan decode IMAGE...` reads the symbols in pictures.
//
// scan decode prints one line per image, in the order given, so a script can stream a folder:
//  - with --json, JSON Lines: {"file", "results": [{"format", "text", "vin", "bytes_hex", "position"}]}
//    plus "vin_problem" when the payload carries a VIN-shaped text that is not a valid VIN (a bad
//    check digit is shown, never silently dropped), "warning" when the decoder crashed and a safe
//    retry read what it could, and "error" / "error_code" (with empty results) when the image could
//    not be read;
//  - without, a readable summary per image.
// Exit: 0 when every image was read (zero symbols is a valid answer), 2 when an image is missing,
// unreadable or not an image, 1 when the decoder crashed or timed out on one (1 wins over 2: a
// failure of ours matters more than a bad file). Every image is tried whatever happened before.
// Decoding runs in a worker process (devices/scan/image_decoder.hpp): no picture can take this
// command down, and each is bounded by --timeout-ms.
#include "cli.hpp"

#include "showroom/core/clock.hpp"
#include "showroom/core/scan.hpp"
#include "showroom/devices/scan/image_decoder.hpp"

#include <algorithm>
#include <cctype>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace showroom::cli {

namespace {

namespace scan = core::scan;

struct DecodeFlags {
    std::vector<std::string> images;
    std::string formats;
    std::string roi;
    int timeoutMs = 3000;
    int maxSymbols = 16;
};

std::optional<std::set<scan::Symbology>> parseFormats(const std::string& list) {
    std::set<scan::Symbology> formats;
    std::stringstream in(list);
    std::string name;
    while (std::getline(in, name, ',')) {
        if (name.empty()) continue;
        // Any case: "qrcode" and "QRCode" name the same format.
        scan::Symbology s = scan::Symbology::Unknown;
        for (int i = 1; i <= static_cast<int>(scan::Symbology::Aztec); ++i) {
            const auto candidate = static_cast<scan::Symbology>(i);
            const std::string_view known = scan::toString(candidate);
            if (known.size() == name.size() && std::equal(known.begin(), known.end(), name.begin(), [](char a, char b) {
                    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
                }))
                s = candidate;
        }
        if (s == scan::Symbology::Unknown) {
            std::cerr << "showroom: --formats: unknown format '" << name
                      << "'; use Code39, Code128, DataMatrix, QRCode, PDF417 (or EAN13, UPCA, ITF, Aztec)\n";
            return std::nullopt;
        }
        formats.insert(s);
    }
    return formats;
}

std::optional<devices::Roi> parseRoi(const std::string& text) {
    devices::Roi roi;
    char c1 = 0, c2 = 0, c3 = 0;
    std::istringstream in(text);
    if ((in >> roi.x >> c1 >> roi.y >> c2 >> roi.width >> c3 >> roi.height) && c1 == ',' && c2 == ',' && c3 == ',' &&
        (in >> std::ws).eof() && roi.x >= 0 && roi.y >= 0 && roi.width > 0 && roi.height > 0)
        return roi;
    std::cerr << "showroom: --roi: expected x,y,width,height in pixels (e.g. 100,50,640,360), got '" << text << "'\n";
    return std::nullopt;
}

std::string hex(const std::string& bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char b : bytes) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 15]);
    }
    return out;
}

// Control characters (a licence's LF, RS, CR) shown as escapes so one symbol stays on one line.
std::string printable(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
        if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else if (c < 0x20 || c == 0x7f) {
            static const char* digits = "0123456789abcdef";
            out += "\\x";
            out.push_back(digits[c >> 4]);
            out.push_back(digits[c & 15]);
        } else
            out.push_back(static_cast<char>(c));
    }
    return out;
}

nlohmann::json resultJson(const devices::Symbol& s, int latestModelYear) {
    const std::string text = scan::toValidUtf8(s.text);
    const scan::VinFinding vin = scan::findVin(text, latestModelYear);
    nlohmann::json j = {
        {"format", std::string(scan::toString(s.symbology))},
        {"text", text},
        {"vin", vin.kind == scan::VinFinding::Kind::Valid ? nlohmann::json(vin.vin) : nlohmann::json()}};
    if (vin.kind == scan::VinFinding::Kind::Invalid) j["vin_problem"] = vin.vin + ": " + vin.problem;
    j["bytes_hex"] = hex(s.bytes);
    nlohmann::json corners = nlohmann::json::array();
    for (const auto& p : s.position)
        corners.push_back({p.x, p.y});
    j["position"] = corners;
    return j;
}

void printLine(const nlohmann::json& j) {
    std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n" << std::flush;
}

void printHuman(const std::string& file, const nlohmann::json& j) {
    if (j.contains("error")) {
        std::cout << file << ": not read: " << j["error"].get<std::string>() << "\n";
        return;
    }
    const auto& results = j["results"];
    std::cout << file << ": " << results.size() << (results.size() == 1 ? " symbol" : " symbols") << "\n";
    for (const auto& r : results) {
        const auto& p = r["position"];
        std::cout << "  " << r["format"].get<std::string>() << "  " << printable(r["text"].get<std::string>());
        if (!r["vin"].is_null()) std::cout << "  VIN " << r["vin"].get<std::string>();
        if (r.contains("vin_problem")) std::cout << "  NOT A VALID VIN: " << r["vin_problem"].get<std::string>();
        std::cout << "  at (" << p[0][0] << "," << p[0][1] << ")-(" << p[2][0] << "," << p[2][1] << ")\n";
    }
    if (j.contains("warning")) std::cout << "  warning: " << j["warning"].get<std::string>() << "\n";
}

void addDecode(CLI::App& scanGroup, Cli& cli) {
    auto flags = std::make_shared<DecodeFlags>();
    auto* cmd = scanGroup.add_subcommand("decode",
                                         "Read the barcodes in pictures (one line per image; JSON Lines with --json)");
    cmd->add_option("images", flags->images, "PNG, JPEG, BMP, GIF, TGA or PNM files")->required();
    cmd->add_option("--formats", flags->formats,
                    "Comma-separated formats to look for (default: Code39,Code128,DataMatrix,QRCode,PDF417)");
    cmd->add_option("--roi", flags->roi, "Only look inside x,y,width,height (pixels)");
    cmd->add_option("--timeout-ms", flags->timeoutMs, "Longest time spent on one image")
        ->capture_default_str()
        ->check(CLI::Range(10, 600000));
    cmd->add_option("--max-symbols", flags->maxSymbols, "Most symbols read per image")
        ->capture_default_str()
        ->check(CLI::Range(1, 255));
    cli.on(cmd, [&cli, flags] {
        devices::DecodeOptions options;
        options.maxSymbols = flags->maxSymbols;
        if (!flags->formats.empty()) {
            auto formats = parseFormats(flags->formats);
            if (!formats) return Exit::BadInput;
            options.formats = std::move(*formats);
        }
        if (!flags->roi.empty()) {
            auto roi = parseRoi(flags->roi);
            if (!roi) return Exit::BadInput;
            options.roi = *roi;
        }
        devices::IsolatedDecoderConfig config;
        config.timeout = std::chrono::milliseconds(flags->timeoutMs);
        devices::IsolatedDecoder decoder(config);
        const int latestModelYear = core::yearOf(cli.clock.now()) + 1;

        bool badFile = false, failed = false;
        for (const std::string& file : flags->images) {
            nlohmann::json line = {{"file", file}, {"results", nlohmann::json::array()}};
            auto decoded = decoder.decodeFile(file, options);
            if (!decoded) {
                const core::Error& e = decoded.error();
                (e.code == core::ErrorCode::Internal ? failed : badFile) = true;
                line["error"] = e.message;
                line["error_code"] = std::string(core::toString(e.code));
                std::cerr << "showroom: " << file << ": " << e.message << "\n";
            } else {
                for (const auto& s : decoded->symbols)
                    line["results"].push_back(resultJson(s, latestModelYear));
                if (!decoded->warning.empty()) {
                    line["warning"] = decoded->warning;
                    std::cerr << "showroom: " << file << ": " << decoded->warning << "\n";
                }
            }
            if (cli.globals.json)
                printLine(line);
            else
                printHuman(file, line);
        }
        return failed ? Exit::Failure : badFile ? Exit::BadInput : Exit::Ok;
    });
}

} // namespace

void addScanCommands(CLI::App& app, Cli& cli) {
    // The one place the `scan` group is created; each subcommand adds itself to it below.
    auto* group = app.add_subcommand("scan", "Barcodes: read them from pictures and scanners");
    group->require_subcommand(1);
    addDecode(*group, cli);
    addScanListenCommand(*group, cli);
}

} // namespace showroom::cli
