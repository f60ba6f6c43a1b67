#include "showroom/core/deals.hpp"

#include "showroom/core/crm.hpp"
#include "showroom/core/inventory.hpp"
#include "showroom/core/store.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace showroom::core {

namespace {

constexpr std::string_view kDealColumns =
    "id, deal_no, store_id, customer_id, vehicle_id, lead_id, salesperson_id, status, kind, price_cents, "
    "discount_cents, addons_cents, trade_in_allowance_cents, trade_in_payoff_cents, doc_fee_cents, title_fee_cents, "
    "sales_tax_cents, tax_rate_ppm, cash_down_cents, amount_financed_cents, apr_ppm, term_months, "
    "monthly_payment_cents, finance_charge_cents, total_sale_price_cents, backend_gross_cents, contract_sha256, "
    "created_at, signed_at, delivered_at, cancelled_at, cancel_reason, "
    "(SELECT coalesce(sum(amount_cents), 0) FROM payments p WHERE p.deal_id = deals.id), addons_taxable_cents, "
    "tax_net_of_trade, doc_fee_taxable, title_fee_taxable";

// Reading a deal re-prices its stored input with quote() (for the schedule), then keeps the stored
// disclosed figures: what the buyer signed is the source of truth.
Deal readDeal(const db::Statement& s) {
    Deal d;
    d.id = s.getText(0);
    d.dealNo = s.getText(1);
    d.storeId = s.getText(2);
    d.customerId = s.getText(3);
    d.vehicleId = s.getText(4);
    d.leadId = s.getOptionalText(5);
    d.salespersonId = s.getOptionalText(6);
    d.status = parseDealStatus(s.getText(7)).value();
    d.input.financed = s.getText(8) == "finance";
    d.input.price = s.getInt(9);
    d.input.discount = s.getInt(10);
    const Cents taxableAddOns = s.getInt(33);
    if (taxableAddOns > 0) d.input.addOns.push_back({"Taxable add-ons", taxableAddOns, true});
    if (const Cents other = s.getInt(11) - taxableAddOns; other > 0) d.input.addOns.push_back({"Add-ons", other, false});
    d.input.tax.netOfTrade = s.getInt(34) != 0;
    d.input.tax.docFeeTaxable = s.getInt(35) != 0;
    d.input.tax.titleFeeTaxable = s.getInt(36) != 0;
    d.input.tradeInAllowance = s.getInt(12);
    d.input.tradeInPayoff = s.getInt(13);
    d.input.docFee = s.getInt(14);
    d.input.titleFee = s.getInt(15);
    d.input.tax.rate = Rate{s.getInt(17)};
    d.input.cashDown = s.getInt(18);
    d.input.apr = Rate{s.getInt(20)};
    d.input.termMonths = static_cast<int>(s.getInt(21));
    if (auto q = finance::quote(d.input)) d.quote = std::move(*q);
    d.quote.salesTax = s.getInt(16);
    d.quote.amountFinanced = s.getInt(19);
    d.quote.monthlyPayment = s.getInt(22);
    d.quote.financeCharge = s.getInt(23);
    d.quote.totalSalePrice = s.getInt(24);
    d.backendGross = s.getInt(25);
    d.contractSha256 = s.getOptionalText(26);
    d.createdAt = s.getText(27);
    d.signedAt = s.getOptionalText(28);
    d.deliveredAt = s.getOptionalText(29);
    d.cancelledAt = s.getOptionalText(30);
    d.cancelReason = s.getOptionalText(31);
    d.paid = s.getInt(32);
    return d;
}

nlohmann::json dealJson(const Deal& d) {
    return {{"id", d.id},
            {"deal_no", d.dealNo},
            {"store_id", d.storeId},
            {"customer_id", d.customerId},
            {"vehicle_id", d.vehicleId},
            {"lead_id", d.leadId ? nlohmann::json(*d.leadId) : nlohmann::json(nullptr)},
            {"salesperson_id", d.salespersonId ? nlohmann::json(*d.salespersonId) : nlohmann::json(nullptr)},
            {"discount", formatCents(d.input.discount)},
            {"backend_gross", formatCents(d.backendGross)},
            {"created_at", d.createdAt},
            {"status", toString(d.status)},
            {"kind", d.input.financed ? "finance" : "cash"},
            {"price", formatCents(d.input.price)},
            {"sales_tax", formatCents(d.quote.salesTax)},
            {"amount_financed", formatCents(d.quote.amountFinanced)},
            {"monthly_payment", formatCents(d.quote.monthlyPayment)},
            {"total_sale_price", formatCents(d.quote.totalSalePrice)},
            {"apr", formatPercent(d.quote.apr)},
            {"term", d.input.termMonths}};
}

Result<std::string> nextDealNo(Context& ctx) {
    auto seq = getSetting(ctx.db, "deal_no_seq", "0");
    if (!seq) return seq.error();
    const std::int64_t n = std::stoll(*seq) + 1;
    if (auto st = setSetting(ctx.db, "deal_no_seq", std::to_string(n)); !st) return st.error();
    std::string digits = std::to_string(n);
    digits.insert(0, digits.size() < 6 ? 6 - digits.size() : 0, '0');
    return "D" + std::to_string(yearOf(ctx.clock.now())) + "-" + digits;
}

// "R2026-000012": one sequence per store, like deal numbers.
Result<std::string> nextReceiptNo(Context& ctx) {
    auto seq = getSetting(ctx.db, "receipt_no_seq", "0");
    if (!seq) return seq.error();
    const std::int64_t n = std::stoll(*seq) + 1;
    if (auto st = setSetting(ctx.db, "receipt_no_seq", std::to_string(n)); !st) return st.error();
    std::string digits = std::to_string(n);
    digits.insert(0, digits.size() < 6 ? 6 - digits.size() : 0, '0');
    return "R" + std::to_string(yearOf(ctx.clock.now())) + "-" + digits;
}

// Moves the deal's lead forward to `stage` when it is not already there or beyond.
Status advanceLead(Context& ctx, const std::optional<std::string>& leadId, LeadStage stage) {
    if (!leadId) return {};
    Crm crm(ctx);
    auto lead = crm.lead(*leadId);
    if (!lead) return lead.error();
    const auto stages = pipelineStages();
    auto index = [&](LeadStage s) { return std::find(stages.begin(), stages.end(), s) - stages.begin(); };
    if (lead->stage == LeadStage::Lost || index(lead->stage) >= index(stage)) return {};
    auto moved = crm.moveLead(*leadId, stage);
    if (!moved) return moved.error();
    return {};
}

} // namespace

Result<Deal> Deals::create(std::string_view customerId, std::string_view vehicleKey, const finance::DealInput& input,
                           std::optional<std::string> leadId, std::optional<std::string> salespersonId,
                           Cents backendGross) {
    auto priced = finance::quote(input);
    if (!priced) return priced.error();
    if (backendGross < 0) return fail(ErrorCode::InvalidInput, "back-end gross cannot be negative");
    auto tx = db::Transaction::begin(m_ctx.db);
    if (!tx) return tx.error();
    auto customer = Crm(m_ctx).customer(customerId);
    if (!customer) return customer.error();
    Inventory inventory(m_ctx);
    auto vehicle = inventory.find(vehicleKey);
    if (!vehicle) return vehicle.error();
    if (vehicle->status != VehicleStatus::InStock && vehicle->status != VehicleStatus::OnHold)
        return fail(ErrorCode::Conflict, vehicle->stockNo + " is " + std::string(toString(vehicle->status)) +
                                             ": only a vehicle in stock can be sold");
    if (leadId) {
        auto lead = Crm(m_ctx).lead(*leadId);
        if (!lead) return lead.error();
        if (lead->customerId != customer->id)
            return fail(ErrorCode::InvalidInput, "lead " + *leadId + " belongs to another customer");
    }
    Deal d;
    d.id = m_ctx.ids.uuid();
    auto dealNo = nextDealNo(m_ctx);
    if (!dealNo) return dealNo.error();
    d.dealNo = *dealNo;
    d.storeId = vehicle->storeId;
    d.customerId = customer->id;
    d.vehicleId = vehicle->id;
    d.leadId = leadId;
    d.salespersonId = salespersonId;
    d.input = input;
    d.quote = std::move(*priced);
    d.backendGross = backendGross;
    d.createdAt = m_ctx.now();
    Cents addOns = 0, taxableAddOns = 0;
    for (const auto& a : input.addOns) {
        addOns += a.amount;
        if (a.taxable) taxableAddOns += a.amount;
    }
    auto stmt = m_ctx.db.prepare(
        "INSERT INTO deals(id, deal_no, store_id, customer_id, vehicle_id, lead_id, salesperson_id, status, kind, "
        "price_cents, discount_cents, addons_cents, trade_in_allowance_cents, trade_in_payoff_cents, doc_fee_cents, "
        "title_fee_cents, sales_tax_cents, tax_rate_ppm, cash_down_cents, amount_financed_cents, apr_ppm, term_months, "
        "monthly_payment_cents, finance_charge_cents, total_sale_price_cents, backend_gross_cents, created_at, "
        "addons_taxable_cents, tax_net_of_trade, doc_fee_taxable, title_fee_taxable) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!stmt) return stmt.error();
    stmt->bindAll(d.id, d.dealNo, d.storeId, d.customerId, d.vehicleId, d.leadId, d.salespersonId, "draft",
                  input.financed ? "finance" : "cash", input.price, input.discount, addOns, input.tradeInAllowance,
                  input.tradeInPayoff, input.docFee, input.titleFee, d.quote.salesTax, input.tax.rate.ppm,
                  input.cashDown, d.quote.amountFinanced, input.financed ? input.apr.ppm : 0,
                  input.financed ? input.termMonths : 0, d.quote.monthlyPayment, d.quote.financeCharge,
                  d.quote.totalSalePrice, backendGross, d.createdAt, taxableAddOns, input.tax.netOfTrade ? 1 : 0,
                  input.tax.docFeeTaxable ? 1 : 0, input.tax.titleFeeTaxable ? 1 : 0);
    if (auto st = stmt->run(); !st) {
        if (st.error().code == ErrorCode::Duplicate)
            return fail(ErrorCode::Conflict, vehicle->stockNo + " already has a live deal: cancel it first");
        return st.error();
    }
    if (vehicle->status == VehicleStatus::InStock) {
        auto held = inventory.transition(vehicle->id, VehicleStatus::OnHold, "deal " + d.dealNo, false,
                                         DealRef{d.id, d.dealNo});
        if (!held) return held.error();
    }
    if (auto st = advanceLead(m_ctx, leadId, LeadStage::Quote); !st) return st.error();
    if (auto st = record(m_ctx, "deal.created", "deal", d.id, dealJson(d)); !st) return st.error();
    if (auto st = tx->commit(); !st) return st.error();
    return find(d.id);
}

Result<Deal> Deals::find(std::string_view key) {
    auto stmt = m_ctx.db.prepare("SELECT " + std::string(kDealColumns) + " FROM deals WHERE id = ?1 OR deal_no = ?1");
    if (!stmt) return stmt.error();
    stmt->bindAll(key);
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return fail(ErrorCode::NotFound, "no deal '" + std::string(key.substr(0, 40)) + "'");
    return readDeal(*stmt);
}

Result<std::vector<Deal>> Deals::list(std::optional<DealStatus> status, int limit) {
    auto stmt = m_ctx.db.prepare("SELECT " + std::string(kDealColumns) +
                                 " FROM deals WHERE ?1 IS NULL OR status = ?1 ORDER BY created_at DESC LIMIT ?2");
    if (!stmt) return stmt.error();
    std::optional<std::string> s;
    if (status) s = std::string(toString(*status));
    stmt->bindAll(s, limit);
    std::vector<Deal> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) return out;
        out.push_back(readDeal(*stmt));
    }
}

Result<Deal> Deals::setStatus(std::string_view key, DealStatus to, std::string_view reason,
                              std::optional<std::string> sha) {
    auto tx = db::Transaction::begin(m_ctx.db);
    if (!tx) return tx.error();
    auto d = find(key);
    if (!d) return d.error();
    const DealStatus from = d->status;
    const bool allowed = (from == DealStatus::Draft && (to == DealStatus::Signed || to == DealStatus::Cancelled)) ||
                         (from == DealStatus::Signed && (to == DealStatus::Delivered || to == DealStatus::Cancelled));
    if (!allowed)
        return fail(ErrorCode::InvalidTransition, "deal " + d->dealNo + " is " + std::string(toString(from)) +
                                                      " and cannot become " + std::string(toString(to)));
    Inventory inventory(m_ctx);
    const std::string now = m_ctx.now();
    std::string column;
    switch (to) {
    case DealStatus::Signed: {
        column = "signed_at";
        auto v = inventory.transition(d->vehicleId, VehicleStatus::Sold, "deal " + d->dealNo + " signed", false,
                                      DealRef{d->id, d->dealNo});
        if (!v) return v.error();
        if (auto st = advanceLead(m_ctx, d->leadId, LeadStage::Contract); !st) return st.error();
        break;
    }
    case DealStatus::Delivered: {
        column = "delivered_at";
        auto v = inventory.transition(d->vehicleId, VehicleStatus::Delivered, "deal " + d->dealNo + " delivered",
                                      false, DealRef{d->id, d->dealNo});
        if (!v) return v.error();
        if (auto st = advanceLead(m_ctx, d->leadId, LeadStage::Delivered); !st) return st.error();
        break;
    }
    case DealStatus::Cancelled: {
        column = "cancelled_at";
        auto v = inventory.find(d->vehicleId);
        if (!v) return v.error();
        if (v->status == VehicleStatus::OnHold || v->status == VehicleStatus::Sold) {
            auto back = inventory.transition(d->vehicleId, VehicleStatus::InStock, "deal " + d->dealNo + " cancelled",
                                             true, DealRef{d->id, d->dealNo});
            if (!back) return back.error();
        }
        break;
    }
    case DealStatus::Draft: return fail(ErrorCode::Internal, "a deal never returns to draft");
    }
    auto stmt = m_ctx.db.prepare("UPDATE deals SET status = ?, " + column +
                                 " = ?, cancel_reason = coalesce(?, cancel_reason), "
                                 "contract_sha256 = coalesce(?, contract_sha256) WHERE id = ?");
    if (!stmt) return stmt.error();
    std::optional<std::string> why;
    if (to == DealStatus::Cancelled) why = std::string(reason);
    if (auto st = stmt->bindAll(toString(to), now, why, sha, d->id).run(); !st) return st.error();
    nlohmann::json details{{"deal_no", d->dealNo}, {"from", toString(from)}, {"to", toString(to)}, {"at", now}};
    if (why) details["reason"] = *why;
    if (sha) details["contract_sha256"] = *sha;
    if (auto st = record(m_ctx, "deal." + std::string(toString(to)), "deal", d->id, details); !st) return st.error();
    if (auto st = tx->commit(); !st) return st.error();
    return find(d->id);
}

Result<Deal> Deals::sign(std::string_view key, std::optional<std::string> sha) {
    return setStatus(key, DealStatus::Signed, "", std::move(sha));
}
Result<Deal> Deals::deliver(std::string_view key) { return setStatus(key, DealStatus::Delivered, "", std::nullopt); }
Result<Deal> Deals::cancel(std::string_view key, std::string_view reason) {
    if (reason.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return fail(ErrorCode::InvalidInput, "say why the deal is cancelled");
    return setStatus(key, DealStatus::Cancelled, reason, std::nullopt);
}

Result<Payment> Deals::recordPayment(std::string_view key, Cents amount, PaymentMethod method,
                                     std::string_view reference) {
    if (amount <= 0) return fail(ErrorCode::InvalidInput, "a payment must be more than zero");
    auto tx = db::Transaction::begin(m_ctx.db);
    if (!tx) return tx.error();
    auto d = find(key);
    if (!d) return d.error();
    if (d->status == DealStatus::Cancelled)
        return fail(ErrorCode::InvalidTransition, "deal " + d->dealNo + " is cancelled: no payment can be taken");
    const Cents due = amountDue(*d) - d->paid;
    if (amount > due)
        return fail(ErrorCode::InvalidInput, "a payment of " + formatMoney(amount) + " exceeds the " + formatMoney(due) +
                                                 " still due on deal " + d->dealNo);
    Payment p{m_ctx.ids.uuid(), d->id, amount, method, std::string(reference), m_ctx.now(), {}};
    auto receiptNo = nextReceiptNo(m_ctx);
    if (!receiptNo) return receiptNo.error();
    p.receiptNo = *receiptNo;
    auto stmt = m_ctx.db.prepare("INSERT INTO payments(id, deal_id, amount_cents, method, reference, received_at, "
                                 "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    if (auto st = stmt->bindAll(p.id, p.dealId, p.amount, toString(p.method), p.reference, p.receivedAt, p.receivedAt)
                      .run();
        !st)
        return st.error();
    auto receipt = m_ctx.db.prepare("INSERT INTO receipts(payment_id, receipt_no, deal_id, issued_at) VALUES (?, ?, ?, ?)");
    if (!receipt) return receipt.error();
    if (auto st = receipt->bindAll(p.id, p.receiptNo, p.dealId, p.receivedAt).run(); !st) return st.error();
    if (auto st = record(m_ctx, "payment.received", "payment", p.id,
                         {{"deal_id", d->id},
                          {"deal_no", d->dealNo},
                          {"amount", formatCents(amount)},
                          {"method", toString(method)},
                          {"reference", reference},
                          {"receipt_no", p.receiptNo}});
        !st)
        return st.error();
    if (auto st = tx->commit(); !st) return st.error();
    return p;
}

Result<std::vector<Payment>> Deals::payments(std::string_view key) {
    auto d = find(key);
    if (!d) return d.error();
    auto stmt = m_ctx.db.prepare("SELECT p.id, p.deal_id, p.amount_cents, p.method, p.reference, p.received_at, "
                                 "coalesce(r.receipt_no, '') FROM payments p LEFT JOIN receipts r ON r.payment_id = p.id "
                                 "WHERE p.deal_id = ? ORDER BY p.received_at, r.receipt_no");
    if (!stmt) return stmt.error();
    stmt->bindAll(d->id);
    std::vector<Payment> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) return out;
        out.push_back({stmt->getText(0), stmt->getText(1), stmt->getInt(2),
                       parsePaymentMethod(stmt->getText(3)).value(), stmt->getText(4), stmt->getText(5), stmt->getText(6)});
    }
}

} // namespace showroom::core
