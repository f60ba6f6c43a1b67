// Receipts as the buyer holds them: a number for every payment, figures from the deal as stored, what
// was paid before and what is still owed, and which kind of receipt it is.
#include "showroom/core/crm.hpp"
#include "showroom/core/deals.hpp"
#include "showroom/core/demo.hpp"
#include "showroom/core/inventory.hpp"
#include "showroom/core/receipt.hpp"
#include "showroom/core/store.hpp"

#include "deal_inputs.hpp"
#include "store_fixture.hpp"

#include <gtest/gtest.h>

namespace core = showroom::core;
using core::ReceiptKind;
using showroom::test::count;
using showroom::test::Store;

namespace {

struct Sale {
    Store s;
    core::Deals deals{s.ctx};
    core::Deal deal;

    explicit Sale(bool financed = true) {
        core::Customer c;
        c.firstName = "Jane";
        c.lastName = "Sample";
        c.phone = "555-010-3000";
        auto customer = core::Crm(s.ctx).addCustomer(c);
        EXPECT_TRUE(customer.ok());
        core::Vehicle v;
        v.vin = core::demo::makeVin("1HG", 2021, 7);
        v.year = 2021;
        v.make = "Honda";
        v.model = "Civic";
        v.trim = "EX";
        v.price = 4'299'000;
        v.status = core::VehicleStatus::InStock;
        auto car = core::Inventory(s.ctx).add(v);
        EXPECT_TRUE(car.ok());
        auto in = showroom::test::financedInput();
        in.financed = financed;
        if (!financed) in.termMonths = 0, in.apr = core::Rate{0};
        auto d = deals.create(customer->id, car->id, in);
        EXPECT_TRUE(d.ok()) << (d ? "" : d.error().message);
        if (d) deal = *d;
    }
};

} // namespace

TEST(Receipt, EveryPaymentGetsItsOwnNumberInTheSameTransaction) {
    Sale sale;
    auto first = sale.deals.recordPayment(sale.deal.id, 50'000, core::PaymentMethod::Card, "slip 0042");
    auto second = sale.deals.recordPayment(sale.deal.id, 25'000, core::PaymentMethod::Cash);
    ASSERT_TRUE(first.ok() && second.ok());
    EXPECT_EQ(first->receiptNo, "R2026-000001");
    EXPECT_EQ(second->receiptNo, "R2026-000002");
    EXPECT_EQ(count(sale.s.conn, "SELECT count(*) FROM receipts"), 2);
    auto listed = sale.deals.payments(sale.deal.id);
    ASSERT_TRUE(listed.ok());
    ASSERT_EQ(listed->size(), 2U);
    EXPECT_EQ((*listed)[0].receiptNo, "R2026-000001");
}

TEST(Receipt, ARefusedPaymentTakesNoNumber) {
    Sale sale;
    auto tooMuch = sale.deals.recordPayment(sale.deal.id, core::Deals::amountDue(sale.deal) + 1, core::PaymentMethod::Cash);
    ASSERT_FALSE(tooMuch.ok());
    auto next = sale.deals.recordPayment(sale.deal.id, 100, core::PaymentMethod::Cash);
    ASSERT_TRUE(next.ok());
    EXPECT_EQ(next->receiptNo, "R2026-000001");   // the refused payment's transaction was rolled back whole
}

TEST(Receipt, ADepositOnADraftDealShowsTheDealsFiguresAndWhatIsStillOwed) {
    Sale sale;
    ASSERT_TRUE(sale.deals.recordPayment(sale.deal.id, 50'000, core::PaymentMethod::Card, "slip 0042").ok());
    auto r = core::receiptForDeal(sale.s.ctx, sale.deal.dealNo);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->kind, ReceiptKind::Deposit);
    EXPECT_EQ(r->receiptNo, "R2026-000001");
    EXPECT_EQ(r->dealNo, sale.deal.dealNo);
    EXPECT_EQ(r->customerName, "Jane Sample");
    EXPECT_EQ(r->year, 2021);
    EXPECT_EQ(r->make, "Honda");
    EXPECT_EQ(r->vin, core::demo::makeVin("1HG", 2021, 7));
    EXPECT_EQ(r->cashPrice, sale.deal.quote.cashPrice);
    EXPECT_EQ(r->salesTax, sale.deal.quote.salesTax);
    EXPECT_EQ(r->fees, sale.deal.quote.fees);
    EXPECT_EQ(r->tradeEquity, sale.deal.quote.tradeEquity);
    EXPECT_EQ(r->totalDue, sale.deal.quote.totalDue);
    EXPECT_EQ(r->paidBefore, 0);
    EXPECT_EQ(r->amount, 50'000);
    EXPECT_EQ(r->method, core::PaymentMethod::Card);
    EXPECT_EQ(r->paymentReference, "slip 0042");
    EXPECT_EQ(r->balanceDue, sale.deal.quote.totalDue - 50'000);
    EXPECT_EQ(r->store.name, "Test Showroom");
    EXPECT_EQ(r->qrPayload, "showroom:deal/" + sale.deal.dealNo + "?receipt=R2026-000001");
}

TEST(Receipt, ReprintingAnOlderReceiptShowsWhatWasOwedThenNotNow) {
    Sale sale;
    ASSERT_TRUE(sale.deals.sign(sale.deal.id).ok());
    auto first = sale.deals.recordPayment(sale.deal.id, 100'000, core::PaymentMethod::Check, "chk 311");
    ASSERT_TRUE(first.ok());
    sale.s.clock.set(sale.s.clock.now() + 3600);
    const core::Cents rest = core::Deals::amountDue(sale.deal) - 100'000;
    auto last = sale.deals.recordPayment(sale.deal.id, rest, core::PaymentMethod::Financing, "lender funding");
    ASSERT_TRUE(last.ok());

    auto older = core::receiptForPayment(sale.s.ctx, first->receiptNo);
    ASSERT_TRUE(older.ok());
    EXPECT_EQ(older->kind, ReceiptKind::Payment);
    EXPECT_EQ(older->paidBefore, 0);
    EXPECT_EQ(older->balanceDue, rest);

    auto newest = core::receiptForDeal(sale.s.ctx, sale.deal.id);
    ASSERT_TRUE(newest.ok());
    EXPECT_EQ(newest->receiptNo, last->receiptNo);
    EXPECT_EQ(newest->kind, ReceiptKind::PaidInFull);
    EXPECT_EQ(newest->paidBefore, 100'000);
    EXPECT_EQ(newest->balanceDue, 0);
    // By payment id as well as by receipt number.
    EXPECT_EQ(core::receiptForPayment(sale.s.ctx, last->id)->receiptNo, last->receiptNo);
}

TEST(Receipt, TwoPaymentsInTheSameSecondAreOrderedByTheirNumbers) {
    Sale sale;
    auto a = sale.deals.recordPayment(sale.deal.id, 10'000, core::PaymentMethod::Cash);
    auto b = sale.deals.recordPayment(sale.deal.id, 20'000, core::PaymentMethod::Cash);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(core::receiptForPayment(sale.s.ctx, b->receiptNo)->paidBefore, 10'000);
    EXPECT_EQ(core::receiptForPayment(sale.s.ctx, a->receiptNo)->paidBefore, 0);
    EXPECT_EQ(core::receiptForDeal(sale.s.ctx, sale.deal.dealNo)->receiptNo, b->receiptNo);
}

TEST(Receipt, NoPaymentUnknownReceiptOrLanguageAreClearErrors) {
    Sale sale;
    auto none = core::receiptForDeal(sale.s.ctx, sale.deal.dealNo);
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error().code, core::ErrorCode::NotFound);
    EXPECT_NE(none.error().message.find("no payment"), std::string::npos);
    EXPECT_EQ(core::receiptForPayment(sale.s.ctx, "R1999-000001").error().code, core::ErrorCode::NotFound);
    ASSERT_TRUE(sale.deals.recordPayment(sale.deal.id, 100, core::PaymentMethod::Cash).ok());
    EXPECT_EQ(core::receiptForDeal(sale.s.ctx, sale.deal.id, "fr").error().code, core::ErrorCode::InvalidInput);
    EXPECT_EQ(core::receiptForDeal(sale.s.ctx, sale.deal.id, "zh-CN")->language, "zh-CN");
}

TEST(Receipt, PaymentsTakenBeforeTheUpgradeGetNumbersOldestFirst) {
    // Payments recorded by a schema-2 binary have no receipt. Made here by taking a store back to
    // schema 2 (dropping what 0003 adds), then opening it again so 0003 runs on real payment rows.
    Sale sale;
    auto a = sale.deals.recordPayment(sale.deal.id, 10'000, core::PaymentMethod::Cash);
    sale.s.clock.set(sale.s.clock.now() - 86'400);   // recorded second, but received a day earlier
    auto b = sale.deals.recordPayment(sale.deal.id, 20'000, core::PaymentMethod::Card);
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_TRUE(sale.s.conn
                    .exec("DROP TABLE print_jobs; DROP TABLE receipts; DELETE FROM settings WHERE key = "
                          "'receipt_no_seq'; PRAGMA user_version = 2;")
                    .ok());
    const auto path = sale.s.conn.path();
    auto reopened = core::openStore(path);
    ASSERT_TRUE(reopened.ok()) << reopened.error().message;
    EXPECT_EQ(showroom::test::texts(*reopened, "SELECT receipt_no FROM receipts ORDER BY receipt_no"),
              (std::vector<std::string>{"R2026-000001", "R2026-000002"}));
    EXPECT_EQ(showroom::test::texts(*reopened, "SELECT payment_id FROM receipts ORDER BY receipt_no"),
              (std::vector<std::string>{b->id, a->id}));   // oldest received first
    core::Context ctx{*reopened, sale.s.clock, sale.s.ids, "test"};
    auto next = core::Deals(ctx).recordPayment(sale.deal.id, 100, core::PaymentMethod::Cash);
    ASSERT_TRUE(next.ok());
    EXPECT_EQ(next->receiptNo, "R2026-000003");
}
