#pragma once
// Deals and payments: the deal state machine draft -> signed -> delivered (or cancelled), keeping
// the vehicle's status and the lead's stage in step, with the figures from finance::quote().
//
// Threading: borrows its Context's connection; use on that connection's thread. Each operation is
// one transaction (vehicle, lead, deal, audit and outbox together), so a deal is never half-written.

#include "showroom/core/domain.hpp"
#include "showroom/core/finance.hpp"
#include "showroom/core/journal.hpp"

#include <optional>
#include <string>
#include <vector>

namespace showroom::core {

struct Deal {
    std::string id, dealNo, storeId, customerId, vehicleId;
    std::optional<std::string> leadId, salespersonId;
    DealStatus status = DealStatus::Draft;
    finance::DealInput input;     ///< as desked (add-ons summed into one line)
    finance::Quote quote;         ///< the disclosed figures, stored; schedule recomputed on read
    Cents backendGross = 0;       ///< finance reserve and add-on income
    Cents paid = 0;               ///< sum of recorded payments
    std::optional<std::string> contractSha256;
    std::string createdAt;
    std::optional<std::string> signedAt, deliveredAt, cancelledAt, cancelReason;
};

struct Payment {
    std::string id, dealId;
    Cents amount = 0;
    PaymentMethod method = PaymentMethod::Cash;
    std::string reference, receivedAt;
    std::string receiptNo;   ///< "R2026-000012", given with the payment (see receipt.hpp)
};

class Deals {
public:
    explicit Deals(Context& ctx) : m_ctx(ctx) {}

    /// Desks a deal: prices it with finance::quote(), puts the vehicle on hold and moves the lead
    /// (when given) to `quote`. The vehicle must be in stock or on hold with no other live deal.
    Result<Deal> create(std::string_view customerId, std::string_view vehicleKey, const finance::DealInput& input,
                        std::optional<std::string> leadId = std::nullopt,
                        std::optional<std::string> salespersonId = std::nullopt, Cents backendGross = 0);
    /// By id or deal number.
    Result<Deal> find(std::string_view idOrDealNo);
    Result<std::vector<Deal>> list(std::optional<DealStatus> status = std::nullopt, int limit = 100);

    /// draft -> signed: the vehicle becomes sold, the lead reaches `contract`.
    Result<Deal> sign(std::string_view idOrDealNo, std::optional<std::string> contractSha256 = std::nullopt);
    /// signed -> delivered: the vehicle and the lead become delivered.
    Result<Deal> deliver(std::string_view idOrDealNo);
    /// draft or signed -> cancelled: the vehicle returns to stock; the deal is kept, never deleted.
    Result<Deal> cancel(std::string_view idOrDealNo, std::string_view reason);

    /// Records money received and gives it its receipt number, in one transaction. A payment
    /// beyond what is still due is refused.
    Result<Payment> recordPayment(std::string_view idOrDealNo, Cents amount, PaymentMethod method,
                                  std::string_view reference = "");
    Result<std::vector<Payment>> payments(std::string_view idOrDealNo);

    /// What the buyer owes the dealership in total: cash price + tax + fees - trade equity
    /// (financed deals: the lender's funding arrives as a `financing` payment).
    static Cents amountDue(const Deal& deal) { return deal.quote.totalDue; }

private:
    Result<Deal> setStatus(std::string_view key, DealStatus to, std::string_view reason,
                           std::optional<std::string> contractSha256);
    Context& m_ctx;
};

} // namespace showroom::core
