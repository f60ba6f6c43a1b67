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
    // A store written by a schema-2 binary: migrations 0001 and 0002 only, a deal with two payments
    // and no receipts. Opening it with this binary runs 0003, which numbers them oldest first.
    showroom::test::TempDir dir;
    const auto path = dir.file("old.db");
    {
        auto db = core::db::Connection::open(path, {});
        ASSERT_TRUE(db.ok());
        for (const auto& m : core::builtinMigrations()) {
            if (std::string(m.name) >= "0003") break;
            ASSERT_TRUE(db->exec(m.contents).ok()) << m.name;
        }
        const char* t = "'2026-10-01T09:00:00Z'";
        ASSERT_TRUE(db->exec(std::string("PRAGMA user_version = 2;") +
                             "INSERT INTO stores(id, code, name, created_at) VALUES ('s', 'TST', 'Test', " + t + ");" +
                             "INSERT INTO customers(id, store_id, first_name, last_name, created_at, updated_at) "
                             "VALUES ('c', 's', 'Jane', 'Sample', " + t + ", " + t + ");" +
                             "INSERT INTO vehicles(id, store_id, vin, stock_no, condition, year, make, price_cents, "
                             "status, received_at, status_changed_at, created_at, updated_at) VALUES ('v', 's', "
                             "'1HGCV1F3XMA123456', 'TST-1', 'used', 2021, 'Honda', 2450000, 'on_hold', " + t + ", " + t +
                             ", " + t + ", " + t + ");" +
                             "INSERT INTO deals(id, deal_no, store_id, customer_id, vehicle_id, status, kind, "
                             "price_cents, created_at) VALUES ('d', 'D2026-000001', 's', 'c', 'v', 'draft', 'cash', "
                             "2450000, " + t + ");" +
                             "INSERT INTO payments(id, deal_id, amount_cents, method, received_at, created_at) VALUES "
                             "('p-late', 'd', 20000, 'card', '2026-10-03T09:00:00Z', " + t + "), "
                             "('p-early', 'd', 10000, 'cash', '2026-10-02T09:00:00Z', " + t + ");")
                        .ok());
    }
    auto reopened = core::openStore(path);
    ASSERT_TRUE(reopened.ok()) << reopened.error().message;
    EXPECT_EQ(showroom::test::texts(*reopened, "SELECT payment_id || ' ' || receipt_no FROM receipts ORDER BY receipt_no"),
              (std::vector<std::string>{"p-early R2026-000001", "p-late R2026-000002"}));
    auto seq = core::getSetting(*reopened, "receipt_no_seq", "missing");
    ASSERT_TRUE(seq.ok());
    EXPECT_EQ(*seq, "2");   // the next payment continues the sequence
}
