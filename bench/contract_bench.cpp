// Contract rendering: a financed 60-month contract with a buyer's signature image, rendered N times
// to PDF bytes in memory, side by side with the same contract without its schedule table pages,
// without the signature, and with the bare fixed cost of a libharu document that embeds the two
// DejaVu fonts, so the time per contract is explained part by part. The Chinese contract (one
// 21 MB AR PL UMing collection to parse and embed) is shown last, for the record.
//
// usage: contract_bench [RENDERS=100]
// Prints figures; asserts nothing. Build with the release preset (`make bench`).
#include "showroom/core/contract.hpp"
#include "showroom/core/finance.hpp"
#include "showroom/devices/pdf/contract_pdf.hpp"

#include "deal_inputs.hpp"

#include <hpdf.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

namespace core = showroom::core;
namespace pdf = showroom::devices::pdf;
using Clock = std::chrono::steady_clock;

namespace {

struct Stats {
    double median, p99, max;
};

Stats stats(std::vector<double> samples) {
    std::sort(samples.begin(), samples.end());
    auto at = [&](double q) {
        return samples[std::min(samples.size() - 1, static_cast<std::size_t>(q * samples.size()))];
    };
    return {at(0.5), at(0.99), samples.back()};
}

// The signature pad's output at twice a 400 x 150 pad: dark ink on a transparent background.
std::string writeSignature(const std::filesystem::path& dir) {
    const int w = 800, h = 300;
    std::vector<unsigned char> rgba(static_cast<std::size_t>(w * h * 4), 0);
    for (int x = 40; x < 760; ++x) {
        const int y = 150 + static_cast<int>(70 * std::sin(x / 45.0) * std::cos(x / 130.0));
        for (int t = -3; t <= 3; ++t) {
            auto* px = &rgba[static_cast<std::size_t>(((y + t) * w + x) * 4)];
            px[0] = 15, px[1] = 25, px[2] = 80, px[3] = 255;
        }
    }
    const auto path = (dir / "signature.png").string();
    stbi_write_png(path.c_str(), w, h, 4, rgba.data(), w * 4);
    return path;
}

core::ContractDocument financedContract(const std::string& signaturePng) {
    core::finance::DealInput in = showroom::test::financedInput();
    in.addOns = {{"Service contract", 189'500, false}};
    core::ContractDocument doc;
    doc.deal.dealNo = "D2026-000123";
    doc.deal.input = in;
    doc.deal.quote = core::finance::quote(in).value();
    doc.dealer = {
        "Riverside Motors Downtown", "1200 Riverside Drive", "Springfield", "IL", "62704", "(217) 555-0142", ""};
    doc.buyer = {"Ann Lee", "42 Elm Street", "Springfield", "IL", "62701", "(217) 555-0100", "ann@example.com"};
    doc.salesperson = "Kavya Okafor";
    doc.vehicle.vin = "5YJ3E1EA7PF000001";
    doc.vehicle.year = 2024;
    doc.vehicle.make = "Tesla";
    doc.vehicle.model = "Model 3";
    doc.vehicle.trim = "Long Range AWD";
    doc.vehicle.odometer = 12;
    doc.contractDate = "2026-11-01";
    doc.firstPaymentDue = "2026-12-01";
    std::ifstream png(signaturePng, std::ios::binary);
    std::ostringstream bytes;
    bytes << png.rdbuf();
    doc.signatures = {{"buyer", "Ann Lee", signaturePng, core::sha256Hex(bytes.str()), "2026-11-01T10:05:00Z"}};
    return doc;
}

// A libharu document with only its fonts embedded and one line of text: what every contract pays
// before its first box is drawn. `cjk`: the AR PL UMing collection instead of the two DejaVu cuts.
std::size_t fontsOnly(bool cjk) {
    HPDF_Doc doc = HPDF_New(nullptr, nullptr);
    HPDF_SetCompressionMode(doc, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(doc);
    HPDF_SetCurrentEncoder(doc, "UTF-8");
    const pdf::HaruContractRenderer::Fonts fonts;
    auto load = [doc](const std::string& path, bool collection) {
        const char* name = collection ? HPDF_LoadTTFontFromFile2(doc, path.c_str(), 0, HPDF_TRUE)
                                      : HPDF_LoadTTFontFromFile(doc, path.c_str(), HPDF_TRUE);
        return HPDF_GetFont(doc, name, "UTF-8");
    };
    HPDF_Font regular = cjk ? load(fonts.cjk, true) : load(fonts.regular, false);
    HPDF_Font bold = cjk ? regular : load(fonts.bold, false);
    HPDF_Page page = HPDF_AddPage(doc);
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, bold, 17);
    HPDF_Page_TextOut(page, 42, 730, cjk ? "机动车零售分期付款销售合同" : "Retail Installment Sale Contract");
    HPDF_Page_SetFontAndSize(page, regular, 9);
    HPDF_Page_TextOut(page, 42, 700, cjk ? "交易 D2026-000123 · 第 1 页，共 1 页" : "Deal D2026-000123 · Page 1 of 1");
    HPDF_Page_EndText(page);
    HPDF_SaveToStream(doc);
    const std::size_t size = HPDF_GetStreamSize(doc);
    HPDF_Free(doc);
    return size;
}

struct Case {
    const char* label;
    std::function<std::size_t()> render; ///< returns the PDF's size in bytes
    int repeats;
};

} // namespace

int main(int argc, char** argv) {
    const int renders = argc > 1 ? std::max(1, std::atoi(argv[1])) : 100;
    const auto dir = std::filesystem::temp_directory_path() / "showroom-contract-bench";
    std::filesystem::create_directories(dir);
    const auto full = financedContract(writeSignature(dir));
    auto noSchedule = full;
    noSchedule.deal.quote.schedule.clear();
    auto unsigned_ = full;
    unsigned_.signatures.clear();
    auto chinese = full;
    chinese.language = "zh-CN";
    pdf::HaruContractRenderer renderer;
    int pagesFull = 0, pagesNoSchedule = 0;

    auto rendering = [&](const core::ContractDocument& doc, int* pages) {
        return [&renderer, &doc, pages]() -> std::size_t {
            auto r = renderer.render(doc);
            if (!r) {
                std::fprintf(stderr, "render failed: %s\n", r.error().message.c_str());
                std::exit(1);
            }
            if (pages) *pages = r->pages;
            return r->pdf.size();
        };
    };
    const std::vector<Case> cases = {
        {"financed, 60 payments, signed (the target)", rendering(full, &pagesFull), renders},
        {"same without the schedule table pages", rendering(noSchedule, &pagesNoSchedule), renders},
        {"same without the signature image", rendering(unsigned_, nullptr), renders},
        {"bare libharu doc, 2 DejaVu fonts embedded", [] { return fontsOnly(false); }, renders},
        {"financed, signed, zh-CN (AR PL UMing)", rendering(chinese, nullptr), std::max(1, renders / 5)},
        {"bare libharu doc, AR PL UMing embedded", [] { return fontsOnly(true); }, std::max(1, renders / 5)},
    };

    std::printf("Contract PDF rendering, %d renders each, ms per document (in memory, no disk)\n", renders);
    std::printf("%-46s %9s %9s %9s %10s\n", "case", "p50", "p99", "max", "size KB");
    for (const auto& c : cases) {
        std::vector<double> samples;
        std::size_t size = 0;
        for (int i = 0; i < c.repeats; ++i) {
            const auto start = Clock::now();
            size = c.render();
            samples.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        }
        const Stats s = stats(samples);
        std::printf("%-46s %9.2f %9.2f %9.2f %10.1f\n", c.label, s.median, s.p99, s.max,
                    static_cast<double>(size) / 1024);
    }
    std::printf("\npages: %d with the schedule table, %d without\n", pagesFull, pagesNoSchedule);
    std::printf("target: the signed financed contract under 100 ms p99\n");
    std::filesystem::remove_all(dir);
    return 0;
}
