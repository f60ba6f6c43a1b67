#pragma once
// The sample receipt shared by the ESC/POS tests, the printer tests and the print benchmark:
// 2021 Honda Civic EX at $24,500.00, $450.00 fees, 7.25 % tax, $3,000.00 trade-in equity, on deal
// D2026-000042 of Riverside Motors; a $1,000.00 card deposit, a $10,000.00 check, then the rest in cash.

#include "showroom/core/receipt.hpp"

#include <string>

namespace showroom::test {

inline core::ReceiptDocument sampleReceipt(core::ReceiptKind kind, const std::string& language = "en") {
    core::ReceiptDocument r;
    r.language = language;
    r.kind = kind;
    r.issuedAt = "2026-03-14T15:26:53Z";
    r.store = {"Riverside Motors", "1200 Riverside Drive", "Springfield", "IL", "62704", "(217) 555-0142", ""};
    r.dealNo = "D2026-000042";
    r.customerName = "Jane Q. Sample";
    r.year = 2021;
    r.make = "Honda";
    r.model = "Civic";
    r.trim = "EX";
    r.vin = "1HGCV1F3XMA123456";
    r.cashPrice = 2'450'000;
    r.fees = 45'000;
    r.salesTax = 177'625;
    r.tradeEquity = 300'000;
    r.totalDue = r.cashPrice + r.fees + r.salesTax - r.tradeEquity;
    switch (kind) {
    case core::ReceiptKind::Deposit:
        r.receiptNo = "R2026-000012";
        r.paidBefore = 0, r.amount = 100'000;
        r.method = core::PaymentMethod::Card, r.paymentReference = "VISA 4242";
        break;
    case core::ReceiptKind::Payment:
        r.receiptNo = "R2026-000013";
        r.paidBefore = 100'000, r.amount = 1'000'000;
        r.method = core::PaymentMethod::Check, r.paymentReference = "1043";
        break;
    case core::ReceiptKind::PaidInFull:
        r.receiptNo = "R2026-000014";
        r.paidBefore = 1'100'000, r.amount = r.totalDue - 1'100'000;
        r.method = core::PaymentMethod::Cash;
        break;
    }
    r.balanceDue = r.totalDue - r.paidBefore - r.amount;
    r.qrPayload = "showroom:deal/" + r.dealNo + "?receipt=" + r.receiptNo;
    return r;
}

} // namespace showroom::test
