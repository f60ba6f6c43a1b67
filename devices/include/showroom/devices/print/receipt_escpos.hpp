#pragma once
// A payment receipt laid out in ESC/POS for an 80 mm or 58 mm printer, in English or Chinese.
//
// Layout (top to bottom): the store logo when given (raster), the store's name (double size) and
// address, "RECEIPT" / "DEPOSIT RECEIPT" / "RECEIPT - PAID IN FULL" (收据 / 定金收据 / 收据 — 已付清),
// a "COPY / REPRINT" banner (reverse, double size; in Chinese "副本 / 重印" then the English) on a
// reprint, receipt number and date ("YYYY-MM-DD HH:MM UTC"), deal number,
// customer, vehicle (year make model, VIN), the deal's amounts (cash price, fees, sales tax,
// trade-in, total due), paid before, this payment with its method and reference, balance due, the
// buyer's signature from the contract when given (raster), a QR
// code with qrPayload and the receipt number as Code 128, a thank-you line, feed and cut; a cash
// payment opens the drawer when asked.
//
// Pure: the same document and options give the same bytes (the golden tests depend on it). Every
// figure is printed from the document; nothing is added up here.

#include "showroom/core/receipt.hpp"
#include "showroom/core/result.hpp"
#include "showroom/devices/print/bitmap.hpp"
#include "showroom/devices/print/escpos.hpp"

#include <optional>
#include <string>

namespace showroom::devices::escpos {

struct ReceiptOptions {
    PrinterProfile profile;
    bool reprint = false;                       ///< print the "COPY / REPRINT" banner
    bool openDrawer = false;                    ///< kick the drawer when the payment is in cash
    const print::Bitmap* logo = nullptr;        ///< the store logo, printed centered at the top
    const print::Bitmap* signature = nullptr;   ///< the buyer's signature from the contract, under the amounts
    const print::TextRasterizer* raster = nullptr; ///< for text no code page of the printer carries
};

/// The receipt's ESC/POS bytes. InvalidInput for a language other than "en" and "zh-CN". A QR payload
/// or receipt number the encoder refuses (over 700 bytes, not ASCII) is left out, not an error.
core::Result<std::string> encodeReceipt(const core::ReceiptDocument& receipt, const ReceiptOptions& options);

} // namespace showroom::devices::escpos
