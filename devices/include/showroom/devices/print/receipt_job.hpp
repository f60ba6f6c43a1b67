#pragma once
// A receipt made ready for the print queue: the ESC/POS bytes of the original and of the same
// receipt marked COPY / REPRINT, laid out for the paper and fonts the connection string names.
// Shared by `showroom receipt print` and the kiosk so both queue byte-identical jobs.

#include "showroom/core/print.hpp"
#include "showroom/core/receipt.hpp"
#include "showroom/core/result.hpp"
#include "showroom/devices/print/bitmap.hpp"

#include <optional>
#include <string_view>

namespace showroom::devices::print {

struct ReceiptJobOptions {
    bool openDrawer = false;            ///< kick the cash drawer on a cash payment
    const Bitmap* logo = nullptr;
};

/// The shared text rasteriser (fonts loaded once), or nullptr when the fonts are missing: then text
/// no code page of the printer can carry prints as '?' instead of as a picture.
const TextRasterizer* sharedRasterizer();

/// The buyer's contract signature (receipt.signaturePng) scaled to half the paper's width, or nullopt
/// when there is none or it cannot be read (moved, deleted): the receipt then prints without it.
std::optional<Bitmap> buyerSignature(const core::ReceiptDocument& receipt, int dotsPerLine);

/// InvalidInput for a bad connection string or language.
core::Result<core::print::NewJob> receiptJob(const core::ReceiptDocument& receipt, std::string_view printer,
                                             const ReceiptJobOptions& options = {});

} // namespace showroom::devices::print
