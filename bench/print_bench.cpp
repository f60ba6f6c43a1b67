// Receipt printing: the cost of encoding one payment receipt and the bytes it puts on the wire, for
// English on an 80 mm printer, Chinese on a printer with a GB18030 font, Chinese drawn as raster
// lines on a printer without one, and side by side the obvious alternative to text: the whole English
// receipt drawn as one picture (every line rasterised, QR and barcode still sent as commands).
// Bytes matter as much as time: at 9600 baud a serial printer takes a second per 960 bytes.
//
// usage: print_bench [RUNS=2000]
// Prints a table of named cases; asserts nothing. Build with the release preset (`make bench`).
#include "showroom/core/money.hpp"
#include "showroom/core/receipt.hpp"
#include "showroom/devices/print/bitmap.hpp"
#include "showroom/devices/print/escpos.hpp"
#include "showroom/devices/print/receipt_escpos.hpp"

#include "receipt_sample.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

namespace core = showroom::core;
namespace print = showroom::devices::print;
namespace escpos = showroom::devices::escpos;
using Clock = std::chrono::steady_clock;

namespace {

// The tests' sample check payment of $10,000.00 on deal D2026-000042.
core::ReceiptDocument sampleReceipt(const std::string& language) {
    return showroom::test::sampleReceipt(core::ReceiptKind::Payment, language);
}


// The English receipt as one picture: the same lines as receipt_escpos.cpp lays out, each drawn
// with the rasteriser (labels at the left, figures flush right) and stacked into one bitmap.
std::string wholeReceiptAsImage(const core::ReceiptDocument& r, const print::TextRasterizer& raster) {
    const escpos::PrinterProfile profile = escpos::PrinterProfile::named("80mm").value();
    const int width = profile.dotsPerLine;
    struct Row {
        std::string left, right;
        int height = 24;
        bool bold = false, centred = false;
    };
    const std::vector<Row> rows = {
        {r.store.name, "", 48, true, true},
        {r.store.street, "", 24, false, true},
        {r.store.city + ", " + r.store.state + " " + r.store.postalCode, "", 24, false, true},
        {r.store.phone, "", 24, false, true},
        {"RECEIPT", "", 48, true, true},
        {"Receipt No.", r.receiptNo},
        {"Date", "2026-03-14 15:26 UTC"},
        {"Deal No.", r.dealNo},
        {"Customer", r.customerName},
        {"Vehicle", std::to_string(r.year) + " " + r.make + " " + r.model + " " + r.trim},
        {"VIN", r.vin},
        {"Cash price", core::formatMoney(r.cashPrice)},
        {"Fees", core::formatMoney(r.fees)},
        {"Sales tax", core::formatMoney(r.salesTax)},
        {"Trade-in equity", core::formatMoney(-r.tradeEquity)},
        {"TOTAL DUE", core::formatMoney(r.totalDue), 24, true},
        {"Paid before", core::formatMoney(r.paidBefore)},
        {"THIS PAYMENT", core::formatMoney(r.amount), 24, true},
        {"Method", "Check " + r.paymentReference},
        {"BALANCE DUE", core::formatMoney(r.balanceDue), 24, true},
        {"Thank you for your business!", "", 24, false, true},
    };
    std::vector<print::Bitmap> drawn;
    int total = 0;
    for (const Row& row : rows) {
        print::Bitmap line(width, row.height);
        auto blit = [&line](const print::Bitmap& b, int x0) {
            for (int y = 0; y < b.height && y < line.height; ++y)
                for (int x = 0; x < b.width && x0 + x < line.width; ++x)
                    if (b.at(x, y)) line.set(x0 + x, y);
        };
        const print::Bitmap right = raster.render(row.right, row.height, row.bold, width);
        const print::Bitmap left = raster.render(row.left, row.height, row.bold, width - right.width);
        blit(left, row.centred ? (width - left.width) / 2 : 0);
        blit(right, width - right.width);
        total += line.height;
        drawn.push_back(std::move(line));
    }
    print::Bitmap page(width, total);
    int top = 0;
    for (const auto& line : drawn) {
        std::copy(line.dots.begin(), line.dots.end(), page.dots.begin() + static_cast<std::ptrdiff_t>(top) * width);
        top += line.height;
    }
    escpos::Encoder enc(profile);
    enc.initialize().image(page).align(escpos::Align::Center).qr(r.qrPayload).line().barcode128(r.receiptNo).line();
    enc.feed(3).cut();
    return enc.bytes();
}

struct Case {
    const char* name;
    std::function<std::string()> run; // one print job's bytes
};

struct Figures {
    double p50, p99;
    std::size_t bytes;
};

Figures measure(const Case& c, int runs) {
    std::vector<double> micros;
    micros.reserve(static_cast<std::size_t>(runs));
    std::size_t bytes = c.run().size(); // warm-up: fonts, iconv descriptors
    for (int i = 0; i < runs; ++i) {
        const auto start = Clock::now();
        bytes = c.run().size();
        micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    }
    std::sort(micros.begin(), micros.end());
    auto at = [&](double q) {
        return micros[std::min(micros.size() - 1, static_cast<std::size_t>(q * micros.size()))];
    };
    return {at(0.5), at(0.99), bytes};
}

} // namespace

int main(int argc, char** argv) {
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 2000;
    auto rasterOpened = print::TextRasterizer::open();
    if (!rasterOpened) {
        std::fprintf(stderr, "print_bench: %s\n", rasterOpened.error().message.c_str());
        return 1;
    }
    const print::TextRasterizer raster = std::move(rasterOpened).value();
    const core::ReceiptDocument english = sampleReceipt("en"), chinese = sampleReceipt("zh-CN");
    auto receipt = [&raster](const core::ReceiptDocument& doc, const char* profile) {
        escpos::ReceiptOptions options{escpos::PrinterProfile::named(profile).value()};
        options.raster = &raster;
        return escpos::encodeReceipt(doc, options).value();
    };

    // One row per case; a new kind of print job is one more entry here.
    const std::vector<Case> cases = {
        {"receipt en, 80mm, text", [&] { return receipt(english, "80mm"); }},
        {"receipt zh-CN, 80mm+gb18030, text", [&] { return receipt(chinese, "80mm+gb18030"); }},
        {"receipt zh-CN, 80mm, raster lines", [&] { return receipt(chinese, "80mm"); }},
        {"receipt en, 80mm, whole image", [&] { return wholeReceiptAsImage(english, raster); }},
    };

    std::printf("print jobs, %d runs each (encoding only; no printer)\n\n", runs);
    std::printf("%-38s %12s %12s %10s %14s %14s\n", "case", "p50 us", "p99 us", "bytes", "9600 baud s",
                "115200 baud s");
    for (const Case& c : cases) {
        const Figures f = measure(c, runs);
        // 8N1: ten bits on the line per byte.
        std::printf("%-38s %12.1f %12.1f %10zu %14.2f %14.3f\n", c.name, f.p50, f.p99, f.bytes,
                    static_cast<double>(f.bytes) * 10 / 9600, static_cast<double>(f.bytes) * 10 / 115200);
    }
    return 0;
}
