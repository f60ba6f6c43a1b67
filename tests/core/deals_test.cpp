#include "showroom/core/crm.hpp"
#include "showroom/core/deals.hpp"
#include "showroom/core/demo.hpp"
#include "showroom/core/finance.hpp"
#include "showroom/core/inventory.hpp"
#include "showroom/core/store.hpp"

#include "deal_inputs.hpp"
#include "store_fixture.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace core = showroom::core;
namespace finance = showroom::core::finance;
using core::Cents;
using core::DealStatus;
using core::ErrorCode;
using core::LeadStage;
using core::Rate;
using core::VehicleStatus;
using showroom::test::TempDir;

namespace {

using showroom::test::count;
using showroom::test::financedInput;
using showroom::test::kNow;
using showroom::test::Store;

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

core::Vehicle mustAddVehicle(Store& s, std::string vin, VehicleStatus status = VehicleStatus::InStock) {
    core::Vehicle v;
    v.vin = std::move(vin);
    v.year = 2024;
    v.make = "Tesla";
    v.model = "Model 3";
    v.price = 4'299'000;
    v.status = status;
    auto added = core::Inventory(s.ctx).add(v);
    if (!added) {
        ADD_FAILURE() << "add " << v.vin << ": " << added.error().message;
        return v;
    }
    return *added;
}

core::Customer mustAddCustomer(core::Crm& crm, std::string first, std::string phone) {
    core::Customer c;
    c.firstName = std::move(first);
    c.lastName = "Lee";
    c.phone = std::move(phone);
    auto added = crm.addCustomer(c);
    if (!added) {
        ADD_FAILURE() << "addCustomer: " << added.error().message;
        return c;
    }
    return *added;
}

core::Lead mustOpenLead(core::Crm& crm, const std::string& customerId) {
    auto lead = crm.openLead(customerId, std::nullopt, std::nullopt, "walk_in");
    if (!lead) {
        ADD_FAILURE() << "openLead: " << lead.error().message;
        return {};
    }
    return *lead;
}

// A customer with an open lead and a Tesla in stock.
struct Desk {
    Store s;
    core::Crm crm{s.ctx};
    core::Inventory inventory{s.ctx};
    core::Deals deals{s.ctx};
    core::Customer ann = mustAddCustomer(crm, "Ann", "555-010-2000");
    core::Lead lead = mustOpenLead(crm, ann.id);
    core::Vehicle car = mustAddVehicle(s, core::demo::makeVin("5YJ", 2024, 1));

    VehicleStatus vehicleStatus(const std::string& id) {
        auto v = inventory.find(id);
        EXPECT_TRUE(v.ok());
        return v ? v->status : VehicleStatus::Transferred;
    }
    LeadStage leadStage() {
        auto l = crm.lead(lead.id);
        EXPECT_TRUE(l.ok());
        return l ? l->stage : LeadStage::Lost;
    }
    std::int64_t dealCount() { return count(s.conn, "SELECT count(*) FROM deals"); }
    std::int64_t outboxCount() { return count(s.conn, "SELECT count(*) FROM outbox"); }
    std::int64_t events(std::string_view type, const std::string& entityId) {
        return count(s.conn, "SELECT count(*) FROM outbox WHERE type = ? AND entity_id = ?", type, entityId);
    }
    std::int64_t auditRows(std::string_view action, const std::string& entityId) {
        return count(s.conn, "SELECT count(*) FROM audit_log WHERE action = ? AND entity_id = ?", action, entityId);
    }
};

finance::DealInput cashInput() {
    finance::DealInput in;
    in.price = 4'299'000;
    in.docFee = 49'900;
    in.tax.rate = Rate{62'500};
    in.financed = false;
    return in;
}

// ---- create ----------------------------------------------------------------------------------------------

TEST(DealCreate, PricesWithTheFinanceQuoteAndStoresThoseFigures) {
    Desk d;
    const auto in = financedInput();
    const auto q = finance::quote(in);
    ASSERT_TRUE(q.ok()) << q.error().message;

    auto deal = d.deals.create(d.ann.id, d.car.stockNo, in, d.lead.id);
    ASSERT_TRUE(deal.ok()) << deal.error().message;
    EXPECT_EQ(deal->status, DealStatus::Draft);
    EXPECT_EQ(deal->customerId, d.ann.id);
    EXPECT_EQ(deal->vehicleId, d.car.id);
    EXPECT_EQ(deal->leadId, d.lead.id);
    EXPECT_EQ(deal->createdAt, kNow);
    EXPECT_EQ(deal->quote.salesTax, q->salesTax);
    EXPECT_EQ(deal->quote.amountFinanced, q->amountFinanced);
    EXPECT_EQ(deal->quote.monthlyPayment, q->monthlyPayment);
    EXPECT_EQ(deal->quote.financeCharge, q->financeCharge);
    EXPECT_EQ(deal->quote.totalSalePrice, q->totalSalePrice);
    EXPECT_EQ(deal->quote.totalDue, q->totalDue);
    EXPECT_EQ(deal->quote.apr.ppm, q->apr.ppm);
    EXPECT_EQ(core::Deals::amountDue(*deal), q->totalDue);

    // What is on disk is what the buyer was shown.
    EXPECT_EQ(count(d.s.conn,
                    "SELECT count(*) FROM deals WHERE id = ? AND sales_tax_cents = ? AND amount_financed_cents = ? AND "
                    "monthly_payment_cents = ? AND finance_charge_cents = ? AND total_sale_price_cents = ? AND "
                    "term_months = 60 AND kind = 'finance' AND status = 'draft'",
                    deal->id, q->salesTax, q->amountFinanced, q->monthlyPayment, q->financeCharge, q->totalSalePrice),
              1);

    EXPECT_EQ(d.vehicleStatus(d.car.id), VehicleStatus::OnHold);
    EXPECT_EQ(d.leadStage(), LeadStage::Quote);
    EXPECT_EQ(d.auditRows("deal.created", deal->id), 1);
    EXPECT_EQ(d.events("deal.created", deal->id), 1);
}

TEST(DealCreate, NumbersDealsByYearAndSequence) {
    Desk d;
    auto first = d.deals.create(d.ann.id, d.car.id, cashInput());
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_EQ(first->dealNo, "D2026-000001");

    // A refused deal does not use up a number.
    auto refused = d.deals.create(d.ann.id, d.car.id, cashInput());
    ASSERT_FALSE(refused.ok());

    const auto other = mustAddVehicle(d.s, core::demo::makeVin("5YJ", 2025, 2));
    auto second = d.deals.create(d.ann.id, other.vin, cashInput());
    ASSERT_TRUE(second.ok()) << second.error().message;
    EXPECT_EQ(second->dealNo, "D2026-000002");

    auto byNumber = d.deals.find("D2026-000002");
    ASSERT_TRUE(byNumber.ok()) << byNumber.error().message;
    EXPECT_EQ(byNumber->id, second->id);
}

TEST(DealCreate, SecondLiveDealOnTheSameVehicleIsAConflict) {
    Desk d;
    auto first = d.deals.create(d.ann.id, d.car.id, financedInput(), d.lead.id);
    ASSERT_TRUE(first.ok()) << first.error().message;
    const auto bob = mustAddCustomer(d.crm, "Bob", "555-010-2001");
    const auto outbox = d.outboxCount();

    auto second = d.deals.create(bob.id, d.car.stockNo, cashInput());
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().code, ErrorCode::Conflict);
    EXPECT_TRUE(contains(second.error().message, d.car.stockNo)) << second.error().message;
    EXPECT_EQ(d.dealCount(), 1);
    EXPECT_EQ(d.outboxCount(), outbox);
    EXPECT_EQ(d.vehicleStatus(d.car.id), VehicleStatus::OnHold);

    // Once signed it is still taken.
    ASSERT_TRUE(d.deals.sign(first->id).ok());
    auto third = d.deals.create(bob.id, d.car.stockNo, cashInput());
    ASSERT_FALSE(third.ok());
    EXPECT_EQ(third.error().code, ErrorCode::Conflict);
    EXPECT_EQ(d.dealCount(), 1);
}

TEST(DealCreate, SoldOrDeliveredVehicleIsAConflict) {
    Desk d;
    const auto sold = mustAddVehicle(d.s, core::demo::makeVin("5YJ", 2024, 2), VehicleStatus::Sold);
    const auto delivered = mustAddVehicle(d.s, core::demo::makeVin("5YJ", 2024, 3), VehicleStatus::Delivered);
    const auto incoming = mustAddVehicle(d.s, core::demo::makeVin("5YJ", 2024, 4), VehicleStatus::Incoming);
    for (const auto* v : {&sold, &delivered, &incoming}) {
        auto deal = d.deals.create(d.ann.id, v->id, cashInput(), d.lead.id);
        ASSERT_FALSE(deal.ok()) << core::toString(v->status);
        EXPECT_EQ(deal.error().code, ErrorCode::Conflict) << core::toString(v->status);
        EXPECT_TRUE(contains(deal.error().message, core::toString(v->status))) << deal.error().message;
        EXPECT_EQ(d.vehicleStatus(v->id), v->status);
    }
    EXPECT_EQ(d.dealCount(), 0);
    EXPECT_EQ(d.leadStage(), LeadStage::Inquiry);
}

TEST(DealCreate, InvalidFinanceInputIsRefusedAndNothingIsWritten) {
    Desk d;
    const auto outbox = d.outboxCount();
    const auto audit = count(d.s.conn, "SELECT count(*) FROM audit_log");

    finance::DealInput zeroTerm = financedInput();
    zeroTerm.termMonths = 0;
    finance::DealInput usury = financedInput();
    usury.apr = Rate{4'000'000}; // 400 %
    finance::DealInput free = cashInput();
    free.price = 0;
    finance::DealInput discountAbovePrice = cashInput();
    discountAbovePrice.discount = cashInput().price + 1;

    for (const auto& in : {zeroTerm, usury, free, discountAbovePrice}) {
        auto deal = d.deals.create(d.ann.id, d.car.id, in, d.lead.id);
        ASSERT_FALSE(deal.ok());
        EXPECT_EQ(deal.error().code, ErrorCode::InvalidInput) << deal.error().message;
        EXPECT_FALSE(deal.error().message.empty());
    }
    EXPECT_EQ(d.dealCount(), 0);
    EXPECT_EQ(d.vehicleStatus(d.car.id), VehicleStatus::InStock);
    EXPECT_EQ(d.leadStage(), LeadStage::Inquiry);
    EXPECT_EQ(d.outboxCount(), outbox);
    EXPECT_EQ(count(d.s.conn, "SELECT count(*) FROM audit_log"), audit);

    auto good = d.deals.create(d.ann.id, d.car.id, financedInput(), d.lead.id);
    ASSERT_TRUE(good.ok()) << good.error().message;
    EXPECT_EQ(good->dealNo, "D2026-000001");
}

TEST(DealCreate, LeadOfAnotherCustomerIsRefused) {
    Desk d;
    const auto bob = mustAddCustomer(d.crm, "Bob", "555-010-2001");
    auto deal = d.deals.create(bob.id, d.car.id, cashInput(), d.lead.id);
    ASSERT_FALSE(deal.ok());
    EXPECT_EQ(deal.error().code, ErrorCode::InvalidInput);
    EXPECT_EQ(d.dealCount(), 0);
    EXPECT_EQ(d.vehicleStatus(d.car.id), VehicleStatus::InStock);
}

TEST(DealCreate, ReadingTheDealBackKeepsTheContractRateAndSchedule) {
    // The desk quotes 6.875 %; the disclosed (Reg Z) APR is that rate rounded to 0.01 %. The contract's
    // payment schedule is built on the note rate, so a deal read back must still carry 6.875 % and the
    // very schedule the buyer signed.
    Desk d;
    finance::DealInput in = financedInput();
    in.apr = Rate{68'750};
    const auto q = finance::quote(in);
    ASSERT_TRUE(q.ok()) << q.error().message;
    ASSERT_NE(q->apr, in.apr) << "this test needs a note rate that differs from the disclosed APR";

    auto created = d.deals.create(d.ann.id, d.car.id, in);
    ASSERT_TRUE(created.ok()) << created.error().message;
    auto deal = d.deals.find(created->dealNo);
    ASSERT_TRUE(deal.ok());
    EXPECT_EQ(deal->input.apr.ppm, in.apr.ppm) << "the note rate read back (ppm)";
    EXPECT_EQ(deal->quote.apr.ppm, q->apr.ppm) << "the disclosed APR read back (ppm)";
    EXPECT_EQ(deal->quote.monthlyPayment, q->monthlyPayment);
    EXPECT_EQ(deal->quote.lastPayment, q->lastPayment);
    EXPECT_EQ(deal->quote.totalOfPayments, q->totalOfPayments);
    EXPECT_EQ(deal->quote.totalOfPayments - deal->quote.amountFinanced, deal->quote.financeCharge)
        << "the disclosed finance charge must agree with the schedule shown";
    ASSERT_EQ(deal->quote.schedule.size(), q->schedule.size());
    for (std::size_t i = 0; i < q->schedule.size(); ++i) {
        EXPECT_EQ(deal->quote.schedule[i].payment, q->schedule[i].payment) << "installment " << i + 1;
        EXPECT_EQ(deal->quote.schedule[i].balance, q->schedule[i].balance) << "installment " << i + 1;
        if (HasFailure()) break;
    }
}

TEST(DealCreate, AmountDueIsWhatTheBuyerWasQuotedWhateverTheTaxRule) {
    // amountDue() is what recordPayment() holds the buyer to; it must be the total the buyer was quoted.
    struct Case {
        std::string name;
        finance::DealInput input;
    };
    std::vector<Case> cases;
    {
        finance::DealInput in = cashInput();
        in.tax.docFeeTaxable = true;
        cases.push_back({"doc fee taxable", in});
    }
    {
        finance::DealInput in = cashInput();
        in.titleFee = 35'000;
        in.tax.titleFeeTaxable = true;
        cases.push_back({"title fee taxable", in});
    }
    {
        finance::DealInput in = cashInput();
        in.addOns.push_back({"Service contract", 199'500, false});
        in.addOns.push_back({"Floor mats", 25'000, true});
        cases.push_back({"non-taxable add-on", in});
    }
    {
        finance::DealInput in = cashInput();
        in.tradeInAllowance = 800'000;
        in.tax.netOfTrade = false;
        cases.push_back({"tax on the full price despite a trade", in});
    }
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        Desk d;
        const auto q = finance::quote(c.input);
        ASSERT_TRUE(q.ok()) << q.error().message;
        auto deal = d.deals.create(d.ann.id, d.car.id, c.input);
        ASSERT_TRUE(deal.ok()) << deal.error().message;
        EXPECT_EQ(deal->quote.salesTax, q->salesTax);
        EXPECT_EQ(core::Deals::amountDue(*deal), q->totalDue);

        // The buyer pays exactly what they were told, and not a cent more.
        auto paid = d.deals.recordPayment(deal->id, q->totalDue, core::PaymentMethod::Wire, "full amount");
        EXPECT_TRUE(paid.ok()) << (paid.ok() ? "" : paid.error().message);
        auto extra = d.deals.recordPayment(deal->id, 1, core::PaymentMethod::Cash);
        EXPECT_FALSE(extra.ok()) << "a cent above the quoted total was accepted";
    }
}

// ---- sign, deliver, cancel -------------------------------------------------------------------------------

TEST(DealLifecycle, SigningSellsTheVehicleAndMovesTheLeadToContract) {
    Desk d;
    auto deal = d.deals.create(d.ann.id, d.car.id, financedInput(), d.lead.id);
    ASSERT_TRUE(deal.ok()) << deal.error().message;
    d.s.clock.advance(3600);
    const std::string sha(64, 'a');
    auto signedDeal = d.deals.sign(deal->dealNo, sha);
    ASSERT_TRUE(signedDeal.ok()) << signedDeal.error().message;
    EXPECT_EQ(signedDeal->status, DealStatus::Signed);
    EXPECT_EQ(signedDeal->signedAt, core::formatUtc(d.s.clock.now()));
    EXPECT_EQ(signedDeal->contractSha256, sha);
    EXPECT_EQ(d.vehicleStatus(d.car.id), VehicleStatus::Sold);
    EXPECT_EQ(d.leadStage(), LeadStage::Contract);

    auto again = d.deals.sign(deal->id);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::InvalidTransition);
}

TEST(DealLifecycle, DeliveringHandsOverTheVehicleAndClosesTheLead) {
    Desk d;
    auto deal = d.deals.create(d.ann.id, d.car.id, financedInput(), d.lead.id);
    ASSERT_TRUE(deal.ok()) << deal.error().message;

    auto early = d.deals.deliver(deal->id);
    ASSERT_FALSE(early.ok()) << "a draft deal was delivered";
    EXPECT_EQ(early.error().code, ErrorCode::InvalidTransition);
    EXPECT_EQ(d.vehicleStatus(d.car.id), VehicleStatus::OnHold);

    ASSERT_TRUE(d.deals.sign(deal->id).ok());
    d.s.clock.advance(2 * 86400);
    auto delivered = d.deals.deliver(deal->id);
    ASSERT_TRUE(delivered.ok()) << delivered.error().message;
    EXPECT_EQ(delivered->status, DealStatus::Delivered);
    EXPECT_EQ(delivered->deliveredAt, core::formatUtc(d.s.clock.now()));
    EXPECT_EQ(d.vehicleStatus(d.car.id), VehicleStatus::Delivered);
    EXPECT_EQ(d.leadStage(), LeadStage::Delivered);
}

TEST(DealLifecycle, CancelNeedsAReason) {
    Desk d;
    auto deal = d.deals.create(d.ann.id, d.car.id, financedInput(), d.lead.id);
    ASSERT_TRUE(deal.ok()) << deal.error().message;
    auto refused = d.deals.cancel(deal->id, "");
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::InvalidInput);
    EXPECT_EQ(d.deals.find(deal->id)->status, DealStatus::Draft);
    EXPECT_EQ(d.vehicleStatus(d.car.id), VehicleStatus::OnHold);
}

TEST(DealLifecycle, CancelWithABlankReasonIsRefused) {
    // A reason of spaces says nothing; the lead pipeline already refuses a blank "lost" reason.
    for (std::string blank : {"   ", "\t", " \n "}) {
        SCOPED_TRACE("reason '" + blank + "'");
        Desk d;
        auto deal = d.deals.create(d.ann.id, d.car.id, financedInput(), d.lead.id);
        ASSERT_TRUE(deal.ok()) << deal.error().message;
        auto refused = d.deals.cancel(deal->id, blank);
        EXPECT_FALSE(refused.ok()) << "the deal was cancelled without a reason";
        if (!refused.ok()) {
            EXPECT_EQ(refused.error().code, ErrorCode::InvalidInput) << refused.error().message;
        }
        EXPECT_EQ(d.deals.find(deal->id)->status, DealStatus::Draft);
        EXPECT_EQ(d.vehicleStatus(d.car.id), VehicleStatus::OnHold);
    }
}

TEST(DealLifecycle, CancellingReturnsTheVehicleToStockAndKeepsTheDeal) {
    for (bool signFirst : {false, true}) {
        SCOPED_TRACE(signFirst ? "signed deal" : "draft deal");
        Desk d;
        auto deal = d.deals.create(d.ann.id, d.car.id, financedInput(), d.lead.id);
        ASSERT_TRUE(deal.ok()) << deal.error().message;
        if (signFirst) {
            ASSERT_TRUE(d.deals.sign(deal->id).ok());
        }
        d.s.clock.advance(3600);

        auto cancelled = d.deals.cancel(deal->id, "financing declined");
        ASSERT_TRUE(cancelled.ok()) << cancelled.error().message;
        EXPECT_EQ(cancelled->status, DealStatus::Cancelled);
        EXPECT_EQ(cancelled->cancelReason, "financing declined");
        EXPECT_EQ(cancelled->cancelledAt, core::formatUtc(d.s.clock.now()));
        EXPECT_EQ(d.vehicleStatus(d.car.id), VehicleStatus::InStock);

        auto kept = d.deals.find(deal->dealNo);
        ASSERT_TRUE(kept.ok()) << "the cancelled deal must stay on file";
        EXPECT_EQ(kept->status, DealStatus::Cancelled);
        auto listed = d.deals.list(DealStatus::Cancelled);
        ASSERT_TRUE(listed.ok());
        ASSERT_EQ(listed->size(), 1u);
        EXPECT_EQ(listed->front().id, deal->id);

        auto twice = d.deals.cancel(deal->id, "again");
        ASSERT_FALSE(twice.ok());
        EXPECT_EQ(twice.error().code, ErrorCode::InvalidTransition);

        // The car can be sold again.
        auto next = d.deals.create(d.ann.id, d.car.id, cashInput());
        ASSERT_TRUE(next.ok()) << next.error().message;
        EXPECT_EQ(d.vehicleStatus(d.car.id), VehicleStatus::OnHold);
    }
}

TEST(DealLifecycle, DeliveredDealCannotBeCancelled) {
    Desk d;
    auto deal = d.deals.create(d.ann.id, d.car.id, financedInput(), d.lead.id);
    ASSERT_TRUE(deal.ok()) << deal.error().message;
    ASSERT_TRUE(d.deals.sign(deal->id).ok());
    ASSERT_TRUE(d.deals.deliver(deal->id).ok());
    const auto outbox = d.outboxCount();

    auto cancelled = d.deals.cancel(deal->id, "buyer's remorse");
    ASSERT_FALSE(cancelled.ok());
    EXPECT_EQ(cancelled.error().code, ErrorCode::InvalidTransition);
    EXPECT_EQ(d.deals.find(deal->id)->status, DealStatus::Delivered);
    EXPECT_EQ(d.deals.find(deal->id)->cancelReason, std::nullopt);
    EXPECT_EQ(d.vehicleStatus(d.car.id), VehicleStatus::Delivered);
    EXPECT_EQ(d.outboxCount(), outbox);
}

// ---- payments --------------------------------------------------------------------------------------------

TEST(DealPayment, OnlyPositiveAmountsAreAccepted) {
    Desk d;
    auto deal = d.deals.create(d.ann.id, d.car.id, cashInput());
    ASSERT_TRUE(deal.ok()) << deal.error().message;
    for (Cents amount : {Cents{0}, Cents{-1}, Cents{-100'000}}) {
        auto paid = d.deals.recordPayment(deal->id, amount, core::PaymentMethod::Cash);
        ASSERT_FALSE(paid.ok()) << amount;
        EXPECT_EQ(paid.error().code, ErrorCode::InvalidInput);
    }
    EXPECT_EQ(count(d.s.conn, "SELECT count(*) FROM payments"), 0);
}

TEST(DealPayment, PaymentsAddUpAndCannotExceedWhatIsStillDue) {
    Desk d;
    auto deal = d.deals.create(d.ann.id, d.car.id, cashInput());
    ASSERT_TRUE(deal.ok()) << deal.error().message;
    const Cents due = core::Deals::amountDue(*deal);
    ASSERT_EQ(due, finance::quote(cashInput())->totalDue);

    auto deposit = d.deals.recordPayment(deal->dealNo, 100'000, core::PaymentMethod::Card, "auth 1234");
    ASSERT_TRUE(deposit.ok()) << deposit.error().message;
    EXPECT_EQ(deposit->amount, 100'000);
    EXPECT_EQ(deposit->dealId, deal->id);

    auto tooMuch = d.deals.recordPayment(deal->id, due - 100'000 + 1, core::PaymentMethod::Wire);
    ASSERT_FALSE(tooMuch.ok());
    EXPECT_EQ(tooMuch.error().code, ErrorCode::InvalidInput);
    EXPECT_TRUE(contains(tooMuch.error().message, core::formatMoney(due - 100'000))) << tooMuch.error().message;

    d.s.clock.advance(86400);
    auto rest = d.deals.recordPayment(deal->id, due - 100'000, core::PaymentMethod::Wire, "wire 77");
    ASSERT_TRUE(rest.ok()) << rest.error().message;
    auto oneMore = d.deals.recordPayment(deal->id, 1, core::PaymentMethod::Cash);
    ASSERT_FALSE(oneMore.ok());
    EXPECT_EQ(oneMore.error().code, ErrorCode::InvalidInput);

    auto listed = d.deals.payments(deal->id);
    ASSERT_TRUE(listed.ok()) << listed.error().message;
    ASSERT_EQ(listed->size(), 2u);
    EXPECT_EQ((*listed)[0].amount, 100'000);
    EXPECT_EQ((*listed)[0].method, core::PaymentMethod::Card);
    EXPECT_EQ((*listed)[0].reference, "auth 1234");
    EXPECT_EQ((*listed)[1].amount, due - 100'000);
    EXPECT_EQ((*listed)[1].method, core::PaymentMethod::Wire);
    EXPECT_EQ(d.deals.find(deal->id)->paid, due);
}

TEST(DealPayment, RefusedOnACancelledDeal) {
    Desk d;
    auto deal = d.deals.create(d.ann.id, d.car.id, cashInput());
    ASSERT_TRUE(deal.ok()) << deal.error().message;
    ASSERT_TRUE(d.deals.recordPayment(deal->id, 50'000, core::PaymentMethod::Cash).ok());
    ASSERT_TRUE(d.deals.cancel(deal->id, "customer walked").ok());

    auto paid = d.deals.recordPayment(deal->id, 50'000, core::PaymentMethod::Cash);
    ASSERT_FALSE(paid.ok());
    EXPECT_EQ(paid.error().code, ErrorCode::InvalidTransition);
    EXPECT_TRUE(contains(paid.error().message, "cancelled")) << paid.error().message;
    EXPECT_EQ(d.deals.find(deal->id)->paid, 50'000);
    EXPECT_EQ(d.deals.payments(deal->id)->size(), 1u);
}

// ---- journal ---------------------------------------------------------------------------------------------

TEST(DealJournal, EveryOperationWritesAnAuditRowAndAnOutboxEvent) {
    Desk d;
    auto deal = d.deals.create(d.ann.id, d.car.id, financedInput(), d.lead.id);
    ASSERT_TRUE(deal.ok()) << deal.error().message;
    ASSERT_TRUE(d.deals.sign(deal->id).ok());
    auto payment = d.deals.recordPayment(deal->id, 500'000, core::PaymentMethod::Check, "chk 101");
    ASSERT_TRUE(payment.ok()) << payment.error().message;
    ASSERT_TRUE(d.deals.deliver(deal->id).ok());

    for (std::string_view action : {"deal.created", "deal.signed", "deal.delivered"}) {
        EXPECT_EQ(d.auditRows(action, deal->id), 1) << action;
        EXPECT_EQ(d.events(action, deal->id), 1) << action;
    }
    EXPECT_EQ(d.auditRows("payment.received", payment->id), 1);
    EXPECT_EQ(d.events("payment.received", payment->id), 1);
    // The vehicle's and the lead's changes travel with the deal.
    EXPECT_EQ(d.events("vehicle.status_changed", d.car.id), 3); // on_hold, sold, delivered
    EXPECT_EQ(d.events("lead.moved", d.lead.id), 3);            // quote, contract, delivered

    const auto bob = mustAddCustomer(d.crm, "Bob", "555-010-2001");
    const auto other = mustAddVehicle(d.s, core::demo::makeVin("5YJ", 2025, 2));
    auto second = d.deals.create(bob.id, other.id, cashInput());
    ASSERT_TRUE(second.ok()) << second.error().message;
    ASSERT_TRUE(d.deals.cancel(second->id, "changed mind").ok());
    EXPECT_EQ(d.auditRows("deal.cancelled", second->id), 1);
    EXPECT_EQ(d.events("deal.cancelled", second->id), 1);
    EXPECT_EQ(d.events("vehicle.status_changed", other.id), 2); // on_hold, back in_stock
}

} // namespace
