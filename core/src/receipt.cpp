#include "showroom/core/receipt.hpp"

#include "showroom/core/crm.hpp"
#include "showroom/core/deals.hpp"
#include "showroom/core/inventory.hpp"

namespace showroom::core {

namespace {

struct PaymentRow {
    std::string paymentId, dealId, receiptNo, receivedAt, reference;
    Cents amount = 0;
    PaymentMethod method = PaymentMethod::Cash;
};

constexpr std::string_view kPaymentSelect =
    "SELECT p.id, p.deal_id, r.receipt_no, p.received_at, p.reference, p.amount_cents, p.method "
    "FROM payments p JOIN receipts r ON r.payment_id = p.id ";

Result<PaymentRow> readPayment(db::Statement& stmt, std::string_view what) {
    auto row = stmt.step();
    if (!row) return row.error();
    if (!*row) return fail(ErrorCode::NotFound, std::string(what));
    auto method = parsePaymentMethod(stmt.getText(6));
    if (!method) return method.error();
    return PaymentRow{stmt.getText(0), stmt.getText(1), stmt.getText(2), stmt.getText(3),
                      stmt.getText(4), stmt.getInt(5),  *method};
}

Result<ReceiptDocument> build(Context& ctx, const PaymentRow& payment, std::string_view language) {
    if (language != "en" && language != "zh-CN")
        return fail(ErrorCode::InvalidInput, "receipts are available in en and zh-CN, not '" + std::string(language) + "'");
    auto deal = Deals(ctx).find(payment.dealId);
    if (!deal) return deal.error();

    ReceiptDocument r;
    r.language = std::string(language);
    r.receiptNo = payment.receiptNo;
    r.issuedAt = payment.receivedAt;
    r.dealNo = deal->dealNo;
    r.financed = deal->input.financed;
    r.cashPrice = deal->quote.cashPrice;
    r.salesTax = deal->quote.salesTax;
    r.fees = deal->quote.fees;
    r.tradeEquity = deal->quote.tradeEquity;
    r.totalDue = Deals::amountDue(*deal);
    r.amount = payment.amount;
    r.method = payment.method;
    r.paymentReference = payment.reference;

    // Paid before: every payment that came earlier (received earlier, or at the same second with a
    // lower receipt number: numbers are given in the order payments are recorded).
    auto before = ctx.db.prepare(
        "SELECT coalesce(sum(p.amount_cents), 0) FROM payments p JOIN receipts r ON r.payment_id = p.id "
        "WHERE p.deal_id = ? AND (p.received_at < ? OR (p.received_at = ? AND r.receipt_no < ?))");
    if (!before) return before.error();
    before->bindAll(payment.dealId, payment.receivedAt, payment.receivedAt, payment.receiptNo);
    if (auto row = before->step(); !row) return row.error();
    r.paidBefore = before->getInt(0);
    r.balanceDue = r.totalDue - r.paidBefore - r.amount;

    if (deal->status == DealStatus::Draft) r.kind = ReceiptKind::Deposit;
    else if (r.balanceDue <= 0) r.kind = ReceiptKind::PaidInFull;
    else r.kind = ReceiptKind::Payment;
    // A deposit that happens to cover everything is still a deposit: the deal is not signed yet.

    auto store = ctx.db.prepare("SELECT name, street, city, state, postal_code, phone FROM stores WHERE id = ?");
    if (!store) return store.error();
    store->bindAll(deal->storeId);
    if (auto row = store->step(); !row) return row.error();
    else if (*row)
        r.store = {store->getText(0), store->getText(1), store->getText(2), store->getText(3), store->getText(4),
                   store->getText(5), ""};

    auto buyer = Crm(ctx).customer(deal->customerId);
    if (!buyer) return buyer.error();
    r.customerName = buyer->fullName();

    auto vehicle = Inventory(ctx).find(deal->vehicleId);
    if (!vehicle) return vehicle.error();
    r.year = vehicle->year;
    r.make = vehicle->make;
    r.model = vehicle->model;
    r.trim = vehicle->trim;
    r.vin = vehicle->vin;
    r.qrPayload = "showroom:deal/" + r.dealNo + "?receipt=" + r.receiptNo;
    auto signature = ctx.db.prepare("SELECT png_path FROM deal_signatures WHERE deal_id = ? AND role = 'buyer'");
    if (!signature) return signature.error();
    signature->bindAll(deal->id);
    if (auto row = signature->step(); !row) return row.error();
    else if (*row) r.signaturePng = signature->getText(0);
    return r;
}

} // namespace

std::string_view toString(ReceiptKind kind) {
    switch (kind) {
    case ReceiptKind::Deposit: return "deposit";
    case ReceiptKind::Payment: return "payment";
    case ReceiptKind::PaidInFull: return "paid_in_full";
    }
    return "payment";
}

Result<ReceiptDocument> receiptForPayment(Context& ctx, std::string_view key, std::string_view language) {
    auto stmt = ctx.db.prepare(std::string(kPaymentSelect) + "WHERE p.id = ? OR r.receipt_no = ?");
    if (!stmt) return stmt.error();
    stmt->bindAll(key, key);
    auto payment = readPayment(*stmt, "no payment or receipt '" + std::string(key) + "'");
    if (!payment) return payment.error();
    return build(ctx, *payment, language);
}

Result<ReceiptDocument> receiptForDeal(Context& ctx, std::string_view dealKey, std::string_view language) {
    auto deal = Deals(ctx).find(dealKey);
    if (!deal) return deal.error();
    auto stmt = ctx.db.prepare(std::string(kPaymentSelect) +
                               "WHERE p.deal_id = ? ORDER BY p.received_at DESC, r.receipt_no DESC LIMIT 1");
    if (!stmt) return stmt.error();
    stmt->bindAll(deal->id);
    auto payment = readPayment(*stmt, "no payment has been taken on deal " + deal->dealNo + " yet: nothing to receipt");
    if (!payment) return payment.error();
    return build(ctx, *payment, language);
}

} // namespace showroom::core
