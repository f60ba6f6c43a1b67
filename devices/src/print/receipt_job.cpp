#include "showroom/devices/print/receipt_job.hpp"

#include "showroom/devices/print/printer_ports.hpp"
#include "showroom/devices/print/receipt_escpos.hpp"

namespace showroom::devices::print {

const TextRasterizer* sharedRasterizer() {
    static const std::optional<TextRasterizer> raster = []() -> std::optional<TextRasterizer> {
        auto r = TextRasterizer::open();
        if (!r) return std::nullopt;
        return std::move(*r);
    }();
    return raster ? &*raster : nullptr;
}

std::optional<Bitmap> buyerSignature(const core::ReceiptDocument& receipt, int dotsPerLine) {
    if (receipt.signaturePng.empty()) return std::nullopt;
    auto loaded = loadBitmap(receipt.signaturePng, dotsPerLine / 2);
    if (!loaded) return std::nullopt;
    return std::move(*loaded);
}

core::Result<core::print::NewJob> receiptJob(const core::ReceiptDocument& receipt, std::string_view printer,
                                             const ReceiptJobOptions& options) {
    auto connection = parsePrinterConnection(printer);
    if (!connection) return connection.error();
    escpos::ReceiptOptions layout;
    layout.profile = connection->profile;
    layout.openDrawer = options.openDrawer;
    layout.logo = options.logo;
    const auto signature = buyerSignature(receipt, connection->profile.dotsPerLine);
    layout.signature = signature ? &*signature : nullptr;
    layout.raster = sharedRasterizer();
    auto original = escpos::encodeReceipt(receipt, layout);
    if (!original) return original.error();
    layout.reprint = true;
    layout.openDrawer = false;   // a reprint is paper only: the drawer opened when the money came in
    auto reprint = escpos::encodeReceipt(receipt, layout);
    if (!reprint) return reprint.error();
    core::print::NewJob job;
    job.kind = "receipt";
    job.reference = receipt.receiptNo;
    job.printer = std::string(printer);
    job.payload = std::move(*original);
    job.reprintPayload = std::move(*reprint);
    return job;
}

} // namespace showroom::devices::print
