#pragma once
// Receipts: every payment on a deal (a deposit, an installment of the cash price, the lender's
// funding) gets a receipt number when it is recorded (Deals::recordPayment, same transaction) and
// a ReceiptDocument that printers lay out (devices/print/receipt_escpos.hpp).
//
// The figures are the deal's as stored (finance::quote() at desking) and the payments as recorded;
// receiptFor() only sums the payments made before this one, never re-prices.
//
// Threading: uses its Context's connection on that connection's thread; the document is a plain value.

#include "showroom/core/contract.hpp"
#include "showroom/core/domain.hpp"
#include "showroom/core/journal.hpp"
#include "showroom/core/money.hpp"

#include <string>
#include <string_view>

namespace showroom::core {

/// Which receipt it is, by what the payment left owing.
enum class ReceiptKind {
    Deposit,      ///< taken on a deal not yet signed
    Payment,      ///< on a signed deal, something still owed afterwards
    PaidInFull,   ///< the payment that brought the balance to zero
};
std::string_view toString(ReceiptKind);

struct ReceiptDocument {
    std::string language = "en";     ///< "en" or "zh-CN"
    ReceiptKind kind = ReceiptKind::Payment;
    std::string receiptNo;           ///< "R2026-000012", unique in the store, given once per payment
    std::string issuedAt;            ///< when the payment was received, UTC ISO 8601
    ContractParty store;             ///< the dealership: name, street, city, state, postal code, phone
    std::string dealNo;
    bool financed = false;
    std::string customerName;
    int year = 0;
    std::string make, model, trim, vin;
    // The deal's figures (as stored).
    Cents cashPrice = 0;             ///< price less discount, plus add-ons
    Cents salesTax = 0;
    Cents fees = 0;                  ///< doc fee + title and registration
    Cents tradeEquity = 0;           ///< allowance - payoff (negative: negative equity)
    Cents totalDue = 0;              ///< what the buyer owes the dealership (Deals::amountDue)
    // This payment.
    Cents paidBefore = 0;            ///< payments recorded before this one
    Cents amount = 0;
    PaymentMethod method = PaymentMethod::Cash;
    std::string paymentReference;    ///< card slip, check number; "" when none
    Cents balanceDue = 0;            ///< totalDue - paidBefore - amount
    std::string qrPayload;           ///< "showroom:deal/<deal no>?receipt=<receipt no>"
    std::string signaturePng;        ///< the buyer's signature on the contract (PNG path), "" before signing
};

/// The receipt of one payment (by payment id or receipt number).
Result<ReceiptDocument> receiptForPayment(Context& ctx, std::string_view paymentOrReceiptNo,
                                          std::string_view language = "en");
/// The receipt of the newest payment on a deal (by id or deal number). NotFound when no payment was taken.
Result<ReceiptDocument> receiptForDeal(Context& ctx, std::string_view dealKey, std::string_view language = "en");

} // namespace showroom::core
