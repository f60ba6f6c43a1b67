// The deal desk against a real demo store: picking a customer and a car, the live quote and the
// payment grid (always the figures core::finance::quote() gives for the same inputs), typed figures
// the desk cannot price, the manager's approval of a big discount, and desking the deal.
// approve() checks an argon2id hash (~60 ms), so the file keeps to a handful of approvals.

#include "viewmodels/desk_vm.hpp"

#include "demo_fixture.hpp"

#include "showroom/core/auth.hpp"
#include "showroom/core/crm.hpp"
#include "showroom/core/deals.hpp"
#include "showroom/core/demo.hpp"
#include "showroom/core/finance.hpp"
#include "showroom/core/inventory.hpp"
#include "showroom/core/money.hpp"
#include "showroom/devices/pdf/contract_pdf.hpp"
#include "showroom/core/print.hpp"
#include "showroom/devices/print/printer_ports.hpp"
#include "showroom/devices/print/spool_printer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <cstdint>
#include <string>
#include <vector>

namespace core = showroom::core;
namespace finance = showroom::core::finance;
using showroom::kiosk::DeskConfig;
using showroom::kiosk::DeskForm;
using showroom::kiosk::DeskViewModel;
using showroom::test::count;

namespace {

const showroom::kiosk::Strings& englishText() {
    static const auto table = showroom::kiosk::Strings::load(SHOWROOM_SOURCE_DIR "/assets", showroom::kiosk::Language::English);
    return table.value();
}
const showroom::kiosk::Strings& chineseText() {
    static const auto table = showroom::kiosk::Strings::load(SHOWROOM_SOURCE_DIR "/assets", showroom::kiosk::Language::Chinese);
    return table.value();
}

const std::string kPin(core::demo::kDemoPin);
constexpr const char* kLocal = "(SELECT value FROM settings WHERE key = 'local_store_id')";

// The demo dealership, plus customers made for a test.
struct DemoStore : showroom::test::DemoStore {

    // A new customer of this showroom, reachable by e-mail only (so no demo phone clashes).
    core::Customer customer(const std::string& first, const std::string& last) {
        core::Customer c;
        c.firstName = first;
        c.lastName = last;
        c.email = first + "." + last + "@example.test";
        auto added = core::Crm(ctx).addCustomer(c);
        if (!added) {
            ADD_FAILURE() << "addCustomer: " << added.error().message;
            return {};
        }
        return *added;
    }

    // The vehicles of this showroom in `status` with no deal of any kind, by stock number.
    std::vector<core::Vehicle> localVehicles(const std::string& status) {
        std::vector<core::Vehicle> out;
        auto stmt = conn.prepare(std::string("SELECT id FROM vehicles WHERE status = ? AND store_id = ") + kLocal +
                                 " AND id NOT IN (SELECT vehicle_id FROM deals) ORDER BY stock_no");
        if (!stmt) {
            ADD_FAILURE() << stmt.error().message;
            return out;
        }
        stmt->bindAll(status);
        for (;;) {
            auto row = stmt->step();
            if (!row || !*row) break;
            auto v = core::Inventory(ctx).find(stmt->getText(0));
            if (v) out.push_back(*v);
        }
        return out;
    }

    core::Vehicle inStock(std::size_t nth = 0) {
        auto all = localVehicles("in_stock");
        if (all.size() <= nth) {
            ADD_FAILURE() << "the demo showroom has only " << all.size() << " cars in stock";
            return {};
        }
        return all[nth];
    }
};

using showroom::test::text;
using showroom::test::texts;

// What the desk prices with DeskConfig's defaults and the default form (6.9 %, 60 months, nothing down).
finance::DealInput defaults(core::Cents price) {
    finance::DealInput in;
    in.price = price;
    in.tax = finance::TaxRule{core::Rate{62'500}, true, true, false};
    in.docFee = 49'900;
    in.titleFee = 22'500;
    in.apr = core::Rate{69'000};
    in.termMonths = 60;
    in.financed = true;
    return in;
}

finance::Quote priced(const finance::DealInput& in) {
    auto q = finance::quote(in);
    if (!q) {
        ADD_FAILURE() << "finance::quote: " << q.error().message;
        return {};
    }
    return *q;
}

// The figures a buyer sees on the desk, field by field.
void expectSameQuote(const finance::Quote& shown, const finance::Quote& expected) {
    EXPECT_EQ(shown.cashPrice, expected.cashPrice);
    EXPECT_EQ(shown.taxableAmount, expected.taxableAmount);
    EXPECT_EQ(shown.salesTax, expected.salesTax);
    EXPECT_EQ(shown.tradeEquity, expected.tradeEquity);
    EXPECT_EQ(shown.fees, expected.fees);
    EXPECT_EQ(shown.totalDue, expected.totalDue);
    EXPECT_EQ(shown.amountFinanced, expected.amountFinanced);
    EXPECT_EQ(shown.balanceDueOnDelivery, expected.balanceDueOnDelivery);
    EXPECT_EQ(shown.numberOfPayments, expected.numberOfPayments);
    EXPECT_EQ(shown.monthlyPayment, expected.monthlyPayment);
    EXPECT_EQ(shown.lastPayment, expected.lastPayment);
    EXPECT_EQ(shown.financeCharge, expected.financeCharge);
    EXPECT_EQ(shown.totalOfPayments, expected.totalOfPayments);
    EXPECT_EQ(shown.totalSalePrice, expected.totalSalePrice);
    EXPECT_EQ(shown.downPayment, expected.downPayment);
    EXPECT_EQ(shown.apr, expected.apr);
    EXPECT_EQ(shown.schedule.size(), expected.schedule.size());
}

// Picks `buyer` and `car` on the desk; the car prices at once.
void pick(DeskViewModel& vm, const core::Customer& buyer, const core::Vehicle& car) {
    vm.pickCustomer(buyer.id);
    vm.pickVehicle(car.id);
    ASSERT_TRUE(vm.customer());
    ASSERT_TRUE(vm.vehicle());
    ASSERT_TRUE(vm.quote()) << vm.problem().key;
}

void setDiscount(DeskViewModel& vm, const std::string& discount) {
    DeskForm f = vm.form();
    f.discount = discount;
    vm.edit(f);
}

std::int64_t dealsFor(DemoStore& s, const core::Vehicle& car) {
    return count(s.conn, "SELECT count(*) FROM deals WHERE vehicle_id = ?", car.id);
}

std::int64_t approvalRecords(DemoStore& s) {
    return count(s.conn, "SELECT count(*) FROM audit_log WHERE action = 'deal.discount_approved'");
}

// Whether an unfiltered inventory search (any showroom, any status) lists the car with `stockNo`.
bool foundAnywhere(DemoStore& s, const std::string& stockNo) {
    core::SearchQuery q;
    q.text = stockNo;
    q.pageSize = 500;
    auto page = core::Inventory(s.ctx).search(q);
    if (!page) {
        ADD_FAILURE() << page.error().message;
        return false;
    }
    return std::any_of(page->vehicles.begin(), page->vehicles.end(),
                       [&](const core::Vehicle& v) { return v.stockNo == stockNo; });
}

// --- picking --------------------------------------------------------------------------------------

TEST(DeskViewModel, StockNumberSearchOffersOnlyThisShowroomsCarsForSale) {
    DemoStore s;
    DeskViewModel vm(s.ctx, DeskConfig{});
    const auto car = s.inStock();
    vm.findVehicles(car.stockNo);
    ASSERT_FALSE(vm.vehicleMatches().empty());
    EXPECT_TRUE(std::any_of(vm.vehicleMatches().begin(), vm.vehicleMatches().end(),
                            [&](const core::Vehicle& v) { return v.id == car.id; }))
        << car.stockNo << " is in stock here and must be offered";
    const std::string local = text(s.conn, std::string("SELECT ") + kLocal);
    for (const auto& v : vm.vehicleMatches()) {
        EXPECT_EQ(v.storeId, local) << v.stockNo;
        EXPECT_TRUE(v.status == core::VehicleStatus::InStock || v.status == core::VehicleStatus::OnHold)
            << v.stockNo << " is " << core::toString(v.status);
    }

    // A car on hold for someone is still on the desk (its deal may be reworked).
    const auto held = s.inStock(1);
    ASSERT_TRUE(core::Inventory(s.ctx).changeStatus(held.id, core::VehicleStatus::OnHold, "customer thinking"));
    vm.findVehicles(held.stockNo);
    EXPECT_TRUE(std::any_of(vm.vehicleMatches().begin(), vm.vehicleMatches().end(),
                            [&](const core::Vehicle& v) { return v.id == held.id; }))
        << held.stockNo << " is on hold here and must be offered";

    // Sold history and another showroom's stock are not for sale at this desk.
    const std::string sold = text(s.conn, std::string("SELECT stock_no FROM vehicles WHERE status IN "
                                                      "('sold', 'delivered') AND store_id = ") +
                                              kLocal + " LIMIT 1");
    ASSERT_TRUE(foundAnywhere(s, sold)) << "the search itself must find " << sold << " for this to mean anything";
    vm.findVehicles(sold);
    for (const auto& v : vm.vehicleMatches())
        EXPECT_NE(v.stockNo, sold) << "a sold car is offered";
    const std::string elsewhere = text(
        s.conn, std::string("SELECT stock_no FROM vehicles WHERE status = 'in_stock' AND store_id <> ") + kLocal +
                    " LIMIT 1");
    ASSERT_TRUE(foundAnywhere(s, elsewhere)) << "the search itself must find " << elsewhere;
    vm.findVehicles(elsewhere);
    for (const auto& v : vm.vehicleMatches())
        EXPECT_NE(v.stockNo, elsewhere) << "another showroom's car is offered";

    vm.findVehicles("no such car zzqx");
    EXPECT_TRUE(vm.vehicleMatches().empty());
}

TEST(DeskViewModel, CustomerSearchFindsTheBuyerByName) {
    DemoStore s;
    const auto buyer = s.customer("Ottoline", "Brackenridge");
    DeskViewModel vm(s.ctx, DeskConfig{});
    for (const char* typed : {"Brackenridge", "brackenr", "Ottoline Brackenridge"}) {
        vm.findCustomers(typed);
        ASSERT_EQ(vm.customerMatches().size(), 1u) << typed;
        EXPECT_EQ(vm.customerMatches()[0].id, buyer.id) << typed;
    }
    vm.findCustomers("Zzyzx Nobody");
    EXPECT_TRUE(vm.customerMatches().empty());

    vm.pickCustomer(buyer.id);
    ASSERT_TRUE(vm.customer());
    EXPECT_EQ(vm.customer()->fullName(), "Ottoline Brackenridge");
    EXPECT_FALSE(vm.quote()) << "no car picked yet, nothing to price";
}

// --- pricing --------------------------------------------------------------------------------------

TEST(DeskViewModel, PickingACarFillsItsPriceAndPricesAtOnce) {
    DemoStore s;
    const auto car = s.inStock();
    ASSERT_GT(car.price, 0);
    DeskViewModel vm(s.ctx, DeskConfig{});
    vm.pickVehicle(car.id);
    ASSERT_TRUE(vm.vehicle());
    EXPECT_EQ(vm.vehicle()->id, car.id);
    EXPECT_EQ(vm.form().price, core::formatCents(car.price));
    EXPECT_TRUE(vm.problem().empty());
    ASSERT_TRUE(vm.quote());
    expectSameQuote(*vm.quote(), priced(defaults(car.price)));

    // By hand: 6.25 % on the price plus the taxable $499 doc fee; $724 of fees; nothing down.
    const core::Cents tax = core::applyRate(car.price + 49'900, core::Rate{62'500});
    EXPECT_EQ(vm.quote()->salesTax, tax);
    EXPECT_EQ(vm.quote()->fees, 72'400);
    EXPECT_EQ(vm.quote()->totalDue, car.price + tax + 72'400);
    EXPECT_EQ(vm.quote()->amountFinanced, vm.quote()->totalDue);
    EXPECT_EQ(vm.quote()->numberOfPayments, 60);
    EXPECT_EQ(vm.quote()->monthlyPayment, finance::monthlyPayment(vm.quote()->totalDue, core::Rate{69'000}, 60));
    EXPECT_TRUE(vm.grid()) << "a financed deal shows its payment grid";
}

TEST(DeskViewModel, TradeInPayoffDownAprAndTermRepriceTheDeal) {
    DemoStore s;
    const auto car = s.inStock();
    ASSERT_GT(car.price, 2'000'000) << "the trade-in below assumes a car above $20,000";
    DeskViewModel vm(s.ctx, DeskConfig{});
    vm.pickVehicle(car.id);
    ASSERT_TRUE(vm.quote());
    const auto before = *vm.quote();

    // A trade worth $12,000 with $15,500 still owed: $3,500 of negative equity rolled into the loan.
    DeskForm f = vm.form();
    f.tradeIn = "12,000";
    f.payoff = "$15,500.00";
    f.down = "3000";
    f.apr = "4.9";
    f.term = 72;
    vm.edit(f);
    ASSERT_TRUE(vm.quote()) << vm.problem().key;
    EXPECT_TRUE(vm.problem().empty());
    auto in = defaults(car.price);
    in.tradeInAllowance = 1'200'000;
    in.tradeInPayoff = 1'550'000;
    in.cashDown = 300'000;
    in.apr = core::Rate{49'000};
    in.termMonths = 72;
    const auto expected = priced(in);
    expectSameQuote(*vm.quote(), expected);
    EXPECT_EQ(vm.quote()->tradeEquity, -350'000);
    const core::Cents tax = core::applyRate(car.price - 1'200'000 + 49'900, core::Rate{62'500});
    EXPECT_EQ(vm.quote()->salesTax, tax) << "tax on the price net of the trade, plus the doc fee";
    EXPECT_EQ(vm.quote()->totalDue, car.price + tax + 72'400 + 350'000);
    EXPECT_EQ(vm.quote()->amountFinanced, vm.quote()->totalDue - 300'000);
    EXPECT_EQ(vm.quote()->numberOfPayments, 72);
    EXPECT_NE(vm.quote()->monthlyPayment, before.monthlyPayment);

    // Paying the trade off: positive equity lowers what is owed.
    f.payoff = "0";
    vm.edit(f);
    ASSERT_TRUE(vm.quote()) << vm.problem().key;
    in.tradeInPayoff = 0;
    expectSameQuote(*vm.quote(), priced(in));
    EXPECT_EQ(vm.quote()->tradeEquity, 1'200'000);
    EXPECT_LT(vm.quote()->amountFinanced, expected.amountFinanced);
}

TEST(DeskViewModel, CashDealFinancesNothingAndShowsNoGrid) {
    DemoStore s;
    const auto car = s.inStock();
    DeskViewModel vm(s.ctx, DeskConfig{});
    vm.pickVehicle(car.id);
    DeskForm f = vm.form();
    f.financed = false;
    f.down = "5,000";
    vm.edit(f);
    ASSERT_TRUE(vm.quote()) << vm.problem().key;
    auto in = defaults(car.price);
    in.financed = false;
    in.cashDown = 500'000;
    expectSameQuote(*vm.quote(), priced(in));
    EXPECT_EQ(vm.quote()->amountFinanced, 0);
    EXPECT_EQ(vm.quote()->monthlyPayment, 0);
    EXPECT_EQ(vm.quote()->balanceDueOnDelivery, vm.quote()->totalDue - 500'000);
    EXPECT_FALSE(vm.grid()) << "a cash buyer has no payments to compare";
}

TEST(DeskViewModel, PaymentGridShowsEveryTermAndDownAsTheQuoteWould) {
    DemoStore s;
    const auto car = s.inStock();
    DeskViewModel vm(s.ctx, DeskConfig{});
    vm.pickVehicle(car.id);
    DeskForm f = vm.form();
    f.down = "3,500.00";
    f.apr = "5.25";
    vm.edit(f);
    ASSERT_TRUE(vm.quote()) << vm.problem().key;
    ASSERT_TRUE(vm.grid());
    const auto& g = *vm.grid();
    EXPECT_EQ(g.terms, (std::vector<int>{36, 48, 60, 72}));
    EXPECT_EQ(g.downs, (std::vector<core::Cents>{0, 200'000, 350'000, 500'000}))
        << "the typed down payment gets a row of its own, in order";
    ASSERT_EQ(g.payments.size(), g.downs.size());
    auto in = defaults(car.price);
    in.apr = core::Rate{52'500};
    for (std::size_t r = 0; r < g.downs.size(); ++r) {
        ASSERT_EQ(g.payments[r].size(), g.terms.size());
        for (std::size_t c = 0; c < g.terms.size(); ++c) {
            in.cashDown = g.downs[r];
            in.termMonths = g.terms[c];
            EXPECT_EQ(g.payments[r][c], priced(in).monthlyPayment)
                << core::formatMoney(g.downs[r]) << " down over " << g.terms[c] << " months";
        }
    }
    // The typed deal's own payment is its cell of the grid.
    EXPECT_EQ(g.payments[2][2], vm.quote()->monthlyPayment);

    // A typed down payment already on the grid does not appear twice.
    f.down = "2000";
    vm.edit(f);
    ASSERT_TRUE(vm.grid());
    EXPECT_EQ(vm.grid()->downs, (std::vector<core::Cents>{0, 200'000, 500'000}));
}

TEST(DeskViewModel, BadlyTypedFiguresSayWhatIsWrongAndPriceNothing) {
    DemoStore s;
    const auto car = s.inStock();
    DeskViewModel vm(s.ctx, DeskConfig{});
    vm.pickVehicle(car.id);
    ASSERT_TRUE(vm.quote());
    const DeskForm good = vm.form();

    DeskForm f = good;
    f.price = "12,5a";
    vm.edit(f);
    EXPECT_FALSE(vm.quote());
    EXPECT_FALSE(vm.grid());
    // The kiosk says it in the screen's language, naming the field and what was typed.
    EXPECT_EQ(vm.problem().key, "kiosk.desk.problem.amount");
    const std::string english = englishText().show(vm.problem());
    EXPECT_NE(english.find("Price"), std::string::npos) << english;
    EXPECT_NE(english.find("12,5a"), std::string::npos) << english;
    const std::string chinese = chineseText().show(vm.problem());
    EXPECT_NE(chinese.find("价格"), std::string::npos) << chinese;

    f = good;
    f.apr = "abc";
    vm.edit(f);
    EXPECT_FALSE(vm.quote());
    EXPECT_FALSE(vm.grid());
    EXPECT_NE(englishText().show(vm.problem()).find("APR"), std::string::npos) << englishText().show(vm.problem());

    f.apr = "400";
    vm.edit(f);
    EXPECT_FALSE(vm.quote());
    EXPECT_FALSE(vm.grid());
    EXPECT_NE(englishText().show(vm.problem()).find("36 %"), std::string::npos)
        << "names the limit: " << englishText().show(vm.problem());

    // Fixing the figure prices again and clears the complaint.
    vm.edit(good);
    ASSERT_TRUE(vm.quote());
    EXPECT_TRUE(vm.problem().empty());
    expectSameQuote(*vm.quote(), priced(defaults(car.price)));
}

// --- discount approval ----------------------------------------------------------------------------

TEST(DeskViewModel, DiscountUpToAThousandDollarsNeedsNoManager) {
    DemoStore s;
    const auto sales = s.member(core::StaffRole::Sales);
    const auto buyer = s.customer("Ottoline", "Brackenridge");
    const auto car = s.inStock();
    DeskViewModel vm(s.ctx, DeskConfig{});
    vm.setSalesperson(sales);
    pick(vm, buyer, car);

    setDiscount(vm, "999.99");
    EXPECT_FALSE(vm.needsApproval());
    setDiscount(vm, "1,000.00");
    EXPECT_FALSE(vm.needsApproval()) << "exactly $1,000 is not above the limit";
    ASSERT_TRUE(vm.quote()) << vm.problem().key;
    auto in = defaults(car.price);
    in.discount = 100'000;
    expectSameQuote(*vm.quote(), priced(in));
    EXPECT_EQ(vm.quote()->cashPrice, car.price - 100'000);

    auto deal = vm.create();
    ASSERT_TRUE(deal) << deal.error().message;
    EXPECT_EQ(count(s.conn, "SELECT discount_cents FROM deals WHERE id = ?", deal->id), 100'000);
    EXPECT_EQ(approvalRecords(s), 0);
}

TEST(DeskViewModel, SalespersonsBigDiscountWaitsForTheManagersPin) {
    DemoStore s;
    const auto sales = s.member(core::StaffRole::Sales);
    const auto porter = s.member(core::StaffRole::Porter);
    const auto manager = s.member(core::StaffRole::Manager);
    const auto buyer = s.customer("Ottoline", "Brackenridge");
    const auto car = s.inStock();
    DeskViewModel vm(s.ctx, DeskConfig{});
    vm.setSalesperson(sales);
    pick(vm, buyer, car);
    setDiscount(vm, "1,500.00");
    ASSERT_TRUE(vm.quote()) << vm.problem().key;
    EXPECT_TRUE(vm.needsApproval());

    auto refused = vm.create();
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, core::ErrorCode::Denied);
    EXPECT_NE(refused.error().message.find("$1,000.00"), std::string::npos) << refused.error().message;
    EXPECT_EQ(dealsFor(s, car), 0) << "a refused deal writes nothing";
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM vehicles WHERE id = ? AND status = 'in_stock'", car.id), 1);
    EXPECT_FALSE(vm.deal());

    // Neither a porter nor a salesperson may approve, even with their right PIN.
    for (const auto& who : {porter, sales}) {
        auto st = vm.approve(who.id, kPin);
        ASSERT_FALSE(st) << who.name;
        EXPECT_EQ(st.error().code, core::ErrorCode::Denied) << who.name;
        EXPECT_TRUE(vm.needsApproval()) << who.name;
        EXPECT_FALSE(vm.approvedBy()) << who.name;
    }
    // The manager with a wrong PIN is refused too.
    auto wrong = vm.approve(manager.id, "1397");
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, core::ErrorCode::Denied);
    EXPECT_TRUE(vm.needsApproval());
    EXPECT_FALSE(vm.approvedBy());
    EXPECT_FALSE(vm.create());
    EXPECT_EQ(dealsFor(s, car), 0);

    // The manager's right PIN approves, and the deal desks.
    auto ok = vm.approve(manager.id, kPin);
    ASSERT_TRUE(ok) << ok.error().message;
    EXPECT_FALSE(vm.needsApproval());
    ASSERT_TRUE(vm.approvedBy());
    EXPECT_EQ(vm.approvedBy()->id, manager.id);
    auto deal = vm.create();
    ASSERT_TRUE(deal) << deal.error().message;
    EXPECT_EQ(dealsFor(s, car), 1);
    EXPECT_EQ(count(s.conn, "SELECT discount_cents FROM deals WHERE id = ?", deal->id), 150'000);
    EXPECT_EQ(text(s.conn, "SELECT salesperson_id FROM deals WHERE id = ?", deal->id), sales.id)
        << "the deal is the salesperson's, not the approving manager's";
    EXPECT_EQ(count(s.conn,
                    "SELECT count(*) FROM audit_log WHERE action = 'deal.discount_approved' AND entity_id = ? "
                    "AND json_extract(details, '$.approved_by') = ? AND json_extract(details, '$.discount') = "
                    "'1500.00'",
                    deal->id, manager.id),
              1);
}

TEST(DeskViewModel, ChangingAnApprovedDiscountNeedsApprovalAgain) {
    DemoStore s;
    const auto sales = s.member(core::StaffRole::Sales);
    const auto manager = s.member(core::StaffRole::Manager);
    const auto buyer = s.customer("Ottoline", "Brackenridge");
    const auto car = s.inStock();
    DeskViewModel vm(s.ctx, DeskConfig{});
    vm.setSalesperson(sales);
    pick(vm, buyer, car);
    setDiscount(vm, "1,500.00");
    ASSERT_TRUE(vm.approve(manager.id, kPin));
    EXPECT_FALSE(vm.needsApproval());

    setDiscount(vm, "1,600.00");
    EXPECT_TRUE(vm.needsApproval()) << "the manager approved $1,500, not $1,600";
    auto refused = vm.create();
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, core::ErrorCode::Denied);
    EXPECT_EQ(dealsFor(s, car), 0);

    ASSERT_TRUE(vm.approve(manager.id, kPin));
    EXPECT_FALSE(vm.needsApproval());
    auto deal = vm.create();
    ASSERT_TRUE(deal) << deal.error().message;
    EXPECT_EQ(count(s.conn,
                    "SELECT count(*) FROM audit_log WHERE action = 'deal.discount_approved' AND entity_id = ? "
                    "AND json_extract(details, '$.discount') = '1600.00'",
                    deal->id),
              1);
}

TEST(DeskViewModel, DiscountCutBelowTheLimitAfterApprovalRecordsNoApproval) {
    DemoStore s;
    const auto sales = s.member(core::StaffRole::Sales);
    const auto manager = s.member(core::StaffRole::Manager);
    const auto buyer = s.customer("Ottoline", "Brackenridge");
    const auto car = s.inStock();
    DeskViewModel vm(s.ctx, DeskConfig{});
    vm.setSalesperson(sales);
    pick(vm, buyer, car);
    setDiscount(vm, "1,500.00");
    ASSERT_TRUE(vm.approve(manager.id, kPin));

    // The buyer settles for $500 off: no approval is needed, so none may be claimed in the audit log.
    setDiscount(vm, "500");
    EXPECT_FALSE(vm.needsApproval());
    auto deal = vm.create();
    ASSERT_TRUE(deal) << deal.error().message;
    EXPECT_EQ(count(s.conn, "SELECT discount_cents FROM deals WHERE id = ?", deal->id), 50'000);
    EXPECT_EQ(approvalRecords(s), 0) << "the audit log says the manager approved a $500 discount they never saw";
}

TEST(DeskViewModel, ManagerDeskingGivesAnyDiscountWithoutApproval) {
    DemoStore s;
    const auto manager = s.member(core::StaffRole::Manager);
    const auto buyer = s.customer("Ottoline", "Brackenridge");
    const auto car = s.inStock();
    ASSERT_GT(car.price, 2'500'000);
    DeskViewModel vm(s.ctx, DeskConfig{});
    vm.setSalesperson(manager);
    pick(vm, buyer, car);
    for (const char* discount : {"1,000.01", "5,000", "25,000.00"}) {
        setDiscount(vm, discount);
        EXPECT_FALSE(vm.needsApproval()) << discount;
    }
    auto deal = vm.create();
    ASSERT_TRUE(deal) << deal.error().message;
    EXPECT_EQ(count(s.conn, "SELECT discount_cents FROM deals WHERE id = ?", deal->id), 2'500'000);
    EXPECT_EQ(text(s.conn, "SELECT salesperson_id FROM deals WHERE id = ?", deal->id), manager.id);
    EXPECT_EQ(approvalRecords(s), 0);
}

// --- desking --------------------------------------------------------------------------------------

TEST(DeskViewModel, CreateNeedsACustomerAndACar) {
    DemoStore s;
    const auto buyer = s.customer("Ottoline", "Brackenridge");
    const auto car = s.inStock();
    const auto deals = count(s.conn, "SELECT count(*) FROM deals");

    DeskViewModel nothing(s.ctx, DeskConfig{});
    auto none = nothing.create();
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, core::ErrorCode::InvalidInput);

    DeskViewModel noCar(s.ctx, DeskConfig{});
    noCar.pickCustomer(buyer.id);
    auto r1 = noCar.create();
    ASSERT_FALSE(r1);
    EXPECT_EQ(r1.error().code, core::ErrorCode::InvalidInput);

    DeskViewModel noBuyer(s.ctx, DeskConfig{});
    noBuyer.pickVehicle(car.id);
    ASSERT_TRUE(noBuyer.quote());
    auto r2 = noBuyer.create();
    ASSERT_FALSE(r2);
    EXPECT_EQ(r2.error().code, core::ErrorCode::InvalidInput);

    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM deals"), deals);
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM vehicles WHERE id = ? AND status = 'in_stock'", car.id), 1);
}

TEST(DeskViewModel, DeskingHoldsTheCarAndMovesTheBuyersLeadToQuote) {
    DemoStore s;
    const auto sales = s.member(core::StaffRole::Sales);
    const auto buyer = s.customer("Ottoline", "Brackenridge");
    const auto car = s.inStock();
    const auto other = s.inStock(1);
    core::Crm crm(s.ctx);
    // She first asked about another car, then came in for this one.
    auto otherLead = crm.openLead(buyer.id, other.id, sales.id, "web");
    ASSERT_TRUE(otherLead) << otherLead.error().message;
    auto lead = crm.openLead(buyer.id, car.id, sales.id, "walk_in");
    ASSERT_TRUE(lead) << lead.error().message;
    ASSERT_TRUE(crm.moveLead(lead->id, core::LeadStage::Visit));

    DeskViewModel vm(s.ctx, DeskConfig{});
    vm.setSalesperson(sales);
    pick(vm, buyer, car);
    DeskForm f = vm.form();
    f.down = "2,500";
    f.term = 48;
    vm.edit(f);
    ASSERT_TRUE(vm.quote()) << vm.problem().key;
    const auto shown = *vm.quote();

    auto deal = vm.create();
    ASSERT_TRUE(deal) << deal.error().message;
    ASSERT_TRUE(vm.deal());
    EXPECT_EQ(vm.deal()->id, deal->id);
    EXPECT_EQ(text(s.conn, "SELECT status FROM vehicles WHERE id = ?", car.id), "on_hold");
    EXPECT_EQ(text(s.conn, "SELECT status FROM deals WHERE id = ?", deal->id), "draft");
    EXPECT_EQ(text(s.conn, "SELECT salesperson_id FROM deals WHERE id = ?", deal->id), sales.id);
    EXPECT_EQ(text(s.conn, "SELECT customer_id FROM deals WHERE id = ?", deal->id), buyer.id);
    EXPECT_EQ(text(s.conn, "SELECT vehicle_id FROM deals WHERE id = ?", deal->id), car.id);
    EXPECT_EQ(text(s.conn, "SELECT lead_id FROM deals WHERE id = ?", deal->id), lead->id)
        << "the lead for this car goes with the deal, not the one for the other car";
    EXPECT_EQ(text(s.conn, "SELECT stage FROM leads WHERE id = ?", lead->id), "quote");
    EXPECT_EQ(text(s.conn, "SELECT stage FROM leads WHERE id = ?", otherLead->id), "inquiry");
    // What was on the screen is what was desked.
    EXPECT_EQ(count(s.conn, "SELECT amount_financed_cents FROM deals WHERE id = ?", deal->id), shown.amountFinanced);
    EXPECT_EQ(count(s.conn, "SELECT monthly_payment_cents FROM deals WHERE id = ?", deal->id), shown.monthlyPayment);
    EXPECT_EQ(count(s.conn, "SELECT cash_down_cents FROM deals WHERE id = ?", deal->id), 250'000);
    EXPECT_EQ(count(s.conn, "SELECT term_months FROM deals WHERE id = ?", deal->id), 48);
    EXPECT_EQ(count(s.conn, "SELECT sales_tax_cents FROM deals WHERE id = ?", deal->id), shown.salesTax);
    EXPECT_EQ(approvalRecords(s), 0) << "no discount, nothing to approve";
}

TEST(DeskViewModel, BuyerWithoutALeadStillGetsTheDeal) {
    DemoStore s;
    const auto sales = s.member(core::StaffRole::Sales);
    const auto buyer = s.customer("Ottoline", "Brackenridge");
    const auto car = s.inStock();
    DeskViewModel vm(s.ctx, DeskConfig{});
    vm.setSalesperson(sales);
    pick(vm, buyer, car);
    auto deal = vm.create();
    ASSERT_TRUE(deal) << deal.error().message;
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM deals WHERE id = ? AND lead_id IS NULL", deal->id), 1);
    EXPECT_EQ(text(s.conn, "SELECT status FROM vehicles WHERE id = ?", car.id), "on_hold");
}

TEST(DeskViewModel, SecondDealOnTheSameCarIsAConflict) {
    DemoStore s;
    const auto sales = s.member(core::StaffRole::Sales);
    const auto first = s.customer("Ottoline", "Brackenridge");
    const auto second = s.customer("Barnaby", "Quillfeather");
    const auto car = s.inStock();

    DeskViewModel a(s.ctx, DeskConfig{});
    a.setSalesperson(sales);
    pick(a, first, car);
    ASSERT_TRUE(a.create());

    // The car is on hold now, still on the desk for rework, but it cannot be sold twice.
    DeskViewModel b(s.ctx, DeskConfig{});
    b.setSalesperson(sales);
    b.findVehicles(car.stockNo);
    EXPECT_TRUE(std::any_of(b.vehicleMatches().begin(), b.vehicleMatches().end(),
                            [&](const core::Vehicle& v) { return v.id == car.id; }));
    pick(b, second, car);
    auto again = b.create();
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, core::ErrorCode::Conflict) << again.error().message;
    EXPECT_FALSE(b.deal());
    EXPECT_EQ(dealsFor(s, car), 1);
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM deals WHERE customer_id = ?", second.id), 0);
}

TEST(DeskViewModel, ResetClearsTheDeskForTheNextBuyer) {
    DemoStore s;
    const auto sales = s.member(core::StaffRole::Sales);
    const auto buyer = s.customer("Ottoline", "Brackenridge");
    const auto car = s.inStock();
    DeskViewModel vm(s.ctx, DeskConfig{});
    vm.setSalesperson(sales);
    vm.findCustomers("Brackenridge");
    vm.findVehicles(car.stockNo);
    pick(vm, buyer, car);
    DeskForm f = vm.form();
    f.discount = "250";
    f.down = "1,000";
    f.apr = "3.9";
    f.term = 36;
    f.financed = false;
    vm.edit(f);
    ASSERT_TRUE(vm.create());
    ASSERT_TRUE(vm.deal());

    vm.reset();
    EXPECT_FALSE(vm.customer());
    EXPECT_FALSE(vm.vehicle());
    EXPECT_FALSE(vm.quote());
    EXPECT_FALSE(vm.grid());
    EXPECT_FALSE(vm.deal());
    EXPECT_FALSE(vm.approvedBy());
    EXPECT_TRUE(vm.problem().empty());
    EXPECT_TRUE(vm.customerMatches().empty());
    EXPECT_TRUE(vm.vehicleMatches().empty());
    const DeskForm blank;
    EXPECT_EQ(vm.form().price, blank.price);
    EXPECT_EQ(vm.form().discount, blank.discount);
    EXPECT_EQ(vm.form().tradeIn, blank.tradeIn);
    EXPECT_EQ(vm.form().payoff, blank.payoff);
    EXPECT_EQ(vm.form().down, blank.down);
    EXPECT_EQ(vm.form().apr, "6.9");
    EXPECT_EQ(vm.form().term, 60);
    EXPECT_TRUE(vm.form().financed);
    auto after = vm.create();
    ASSERT_FALSE(after);
    EXPECT_EQ(after.error().code, core::ErrorCode::InvalidInput);
}

// --- signing and the contract ----------------------------------------------------------------------

void drawSignature(DeskViewModel& vm) {
    vm.signature().beginStroke({0.2f, 0.5f});
    for (int i = 1; i <= 60; ++i) vm.signature().extendStroke({0.2f + 0.01f * static_cast<float>(i), i % 2 ? 0.48f : 0.52f});
}

std::string fileBytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The real contract renderer (libharu) and the virtual spool printer, as the kiosk wires them.
struct Paper {
    showroom::devices::pdf::HaruContractRenderer renderer;
    showroom::devices::SpoolPrinter printer;
    explicit Paper(const std::filesystem::path& dir) : printer(dir / "spool") {}
    showroom::kiosk::DeskDocuments documents(const std::filesystem::path& dir) { return {&renderer, &printer, dir / "contracts"}; }
};

TEST(DeskViewModel, SigningProducesStoresAndPrintsTheContract) {
    DemoStore s;
    Paper paper(s.dir.path());
    const auto sales = s.member(core::StaffRole::Sales);
    const auto buyer = s.customer("Ottoline", "Brackenridge");
    const auto car = s.inStock();
    DeskViewModel vm(s.ctx, DeskConfig{});
    vm.setSalesperson(sales);
    vm.setDocuments(paper.documents(s.dir.path()));
    pick(vm, buyer, car);
    ASSERT_TRUE(vm.create());

    drawSignature(vm);
    auto image = vm.signContract(800, 300);
    ASSERT_TRUE(image) << image.error().message;
    ASSERT_TRUE(vm.contract());
    EXPECT_EQ(vm.deal()->status, core::DealStatus::Signed);
    EXPECT_EQ(text(s.conn, "SELECT status FROM vehicles WHERE id = ?", car.id), "sold");

    // The PDF is on disk, its digest is on the deal, the signature is recorded with its digest.
    const auto pdf = fileBytes(vm.contract()->path);
    ASSERT_EQ(pdf.rfind("%PDF-", 0), 0u);
    EXPECT_EQ(text(s.conn, "SELECT contract_sha256 FROM deals WHERE id = ?", vm.deal()->id), core::sha256Hex(pdf));
    EXPECT_EQ(text(s.conn, "SELECT png_sha256 FROM deal_signatures WHERE deal_id = ? AND role = 'buyer'", vm.deal()->id),
              image->sha256);

    // It went to the printer once, and the notice says so.
    EXPECT_EQ(paper.printer.jobCount(), 1);
    EXPECT_EQ(vm.printJob(), "job-000001");
    EXPECT_EQ(vm.notice().key, "kiosk.sign.printed");
    EXPECT_FALSE(vm.notice().isError);
}

TEST(DeskViewModel, APrinterThatFailsLeavesTheDealSignedAndTheContractSafe) {
    DemoStore s;
    Paper paper(s.dir.path());
    paper.printer.setOffline(true);
    const auto sales = s.member(core::StaffRole::Sales);
    DeskViewModel vm(s.ctx, DeskConfig{});
    vm.setSalesperson(sales);
    vm.setDocuments(paper.documents(s.dir.path()));
    pick(vm, s.customer("Ottoline", "Brackenridge"), s.inStock());
    ASSERT_TRUE(vm.create());
    drawSignature(vm);
    ASSERT_TRUE(vm.signContract(800, 300));

    EXPECT_EQ(vm.deal()->status, core::DealStatus::Signed);
    EXPECT_TRUE(std::filesystem::exists(vm.contract()->path));
    EXPECT_EQ(vm.notice().key, "kiosk.sign.error.print_failed");
    EXPECT_EQ(vm.notice().values.at("path"), vm.contract()->path.string());
    EXPECT_EQ(paper.printer.jobCount(), 0);

    // Back online: printing again works, and it is the stored contract, byte for byte.
    paper.printer.setOffline(false);
    ASSERT_TRUE(vm.printContract());
    EXPECT_EQ(paper.printer.jobCount(), 1);
    // A second print is marked as a copy.
    ASSERT_TRUE(vm.printContract());
    bool copy = false;
    for (const auto& e : std::filesystem::directory_iterator(paper.printer.dir()))
        if (e.path().filename().string().find("copy") != std::string::npos) {
            copy = true;
            EXPECT_EQ(fileBytes(e.path()), fileBytes(vm.contract()->path));
        }
    EXPECT_TRUE(copy);
}

TEST(DeskViewModel, AContractThatCannotBeProducedSignsNothing) {
    DemoStore s;
    // A renderer whose fonts are missing fails, as a kiosk with a broken install would.
    showroom::devices::pdf::HaruContractRenderer broken({"/nonexistent/regular.ttf", "/nonexistent/bold.ttf", ""});
    showroom::devices::SpoolPrinter printer(s.dir.path() / "spool");
    const auto sales = s.member(core::StaffRole::Sales);
    const auto car = s.inStock();
    DeskViewModel vm(s.ctx, DeskConfig{});
    vm.setSalesperson(sales);
    vm.setDocuments({&broken, &printer, s.dir.path() / "contracts"});
    pick(vm, s.customer("Ottoline", "Brackenridge"), car);
    ASSERT_TRUE(vm.create());
    drawSignature(vm);
    auto signedDeal = vm.signContract(800, 300);
    ASSERT_FALSE(signedDeal);
    EXPECT_TRUE(vm.notice().isError);
    EXPECT_EQ(vm.deal()->status, core::DealStatus::Draft);
    EXPECT_EQ(text(s.conn, "SELECT status FROM deals WHERE id = ?", vm.deal()->id), "draft");
    EXPECT_EQ(text(s.conn, "SELECT status FROM vehicles WHERE id = ?", car.id), "on_hold");
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM deal_signatures"), 0);
    EXPECT_FALSE(std::filesystem::exists(s.dir.path() / "contracts" / (vm.deal()->dealNo + ".pdf")));
    EXPECT_EQ(printer.jobCount(), 0);
}

TEST(DeskViewModel, OnlySomeoneWhoMayDeskDealsCanDeskOrTakeASignature) {
    DemoStore s;
    Paper paper(s.dir.path());
    const auto porter = s.member(core::StaffRole::Porter);
    const auto car = s.inStock();
    DeskViewModel vm(s.ctx, DeskConfig{});
    vm.setSalesperson(porter);
    vm.setDocuments(paper.documents(s.dir.path()));
    pick(vm, s.customer("Ottoline", "Brackenridge"), car);
    auto refused = vm.create();
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, core::ErrorCode::Denied);
    EXPECT_EQ(vm.notice().key, "kiosk.staff.not_allowed");
    EXPECT_EQ(text(s.conn, "SELECT status FROM vehicles WHERE id = ?", car.id), "in_stock");
}

} // namespace

// --- payments and receipts -------------------------------------------------------------------------

// A deal desked for a test buyer on an in-stock car, by a salesperson.
struct Desked {
    DemoStore s;
    DeskViewModel vm{s.ctx, DeskConfig{}};
    std::vector<std::string> kicks;

    explicit Desked(std::string printer = "file:") {
        vm.setSalesperson(s.member(core::StaffRole::Sales));
        if (printer == "file:") printer = "file:" + (s.dir.path() / "receipts.bin").string();
        vm.setReceiptPrinting({printer, [this] { kicks.push_back("kick"); }});
        pick(vm, s.customer("Ottoline", "Brackenridge"), s.inStock());
        EXPECT_TRUE(vm.create());
    }
};

TEST(DeskViewModel, ADepositIsRecordedWithItsReceiptQueuedForThePrinter) {
    Desked d;
    const core::Cents due = core::Deals::amountDue(*d.vm.deal());
    EXPECT_EQ(d.vm.stillDue(), due);
    EXPECT_EQ(d.vm.paymentChoices(), (std::vector<core::Cents>{50'000, 100'000, due}));

    auto refused = d.vm.takePayment();   // no amount chosen yet
    ASSERT_FALSE(refused);
    EXPECT_EQ(d.vm.notice().key, "kiosk.pay.error.no_amount");
    EXPECT_EQ(count(d.s.conn, "SELECT count(*) FROM payments WHERE deal_id = ?", d.vm.deal()->id), 0);

    d.vm.setPaymentAmount(50'000);
    d.vm.setPaymentMethod(core::PaymentMethod::Cash);
    ASSERT_TRUE(d.vm.takePayment());
    EXPECT_EQ(d.vm.notice().key, "kiosk.pay.done");
    EXPECT_EQ(d.vm.stillDue(), due - 50'000);
    ASSERT_TRUE(d.vm.receipt());
    const auto& r = *d.vm.receipt();
    EXPECT_EQ(text(d.s.conn, "SELECT receipt_no FROM receipts WHERE deal_id = ?", d.vm.deal()->id), r.receiptNo);
    // Stored before printing, for the receipt printer, and the spooler was told.
    EXPECT_EQ(text(d.s.conn, "SELECT state || '|' || kind || '|' || reference FROM print_jobs WHERE id = ?", r.jobId),
              "queued|receipt|" + r.receiptNo);
    EXPECT_EQ(d.kicks.size(), 1U);
    EXPECT_FALSE(r.copy);
    // The preview bytes are the original's: a deposit receipt that opens the cash drawer.
    EXPECT_NE(r.bytes.find("DEPOSIT RECEIPT"), std::string::npos);
    EXPECT_NE(r.bytes.find("\x1bp"), std::string::npos);
    EXPECT_EQ(r.bytes.find("COPY / REPRINT"), std::string::npos);
    // The amount is not taken twice by a second tap.
    EXPECT_FALSE(d.vm.takePayment());
    EXPECT_EQ(count(d.s.conn, "SELECT count(*) FROM payments WHERE deal_id = ?", d.vm.deal()->id), 1);
}

TEST(DeskViewModel, TheReceiptFollowsItsPrintJobAndAReprintIsMarkedCopy) {
    Desked d;
    d.vm.setPaymentAmount(100'000);
    ASSERT_TRUE(d.vm.takePayment());
    const auto first = *d.vm.receipt();
    // What the spooler would do: print it through the queue on the configured (file) printer.
    auto port = showroom::devices::print::openPrinterPort(
        text(d.s.conn, "SELECT printer FROM print_jobs WHERE id = ?", first.jobId));
    ASSERT_TRUE(port);
    core::print::PrintQueue queue(d.s.ctx);
    auto out = queue.printNext(text(d.s.conn, "SELECT printer FROM print_jobs WHERE id = ?", first.jobId), **port);
    ASSERT_TRUE(out && out->has_value());
    d.vm.refreshReceipt();
    EXPECT_EQ(d.vm.receipt()->state, core::print::JobState::Printed);
    EXPECT_FALSE(d.vm.receipt()->copy);

    ASSERT_TRUE(d.vm.reprintReceipt());
    EXPECT_EQ(d.vm.notice().key, "kiosk.pay.reprinted");
    const auto again = *d.vm.receipt();
    EXPECT_NE(again.jobId, first.jobId);
    EXPECT_EQ(again.receiptNo, first.receiptNo);   // the same receipt, not a new payment
    EXPECT_TRUE(again.copy);
    EXPECT_NE(again.bytes.find("COPY / REPRINT"), std::string::npos);
    EXPECT_EQ(again.bytes.find("\x1bp"), std::string::npos);   // a reprint does not open the drawer
    // Both payloads of the reprint job are the copy: no path prints it as a second original.
    EXPECT_EQ(count(d.s.conn, "SELECT count(*) FROM print_jobs WHERE id = ? AND payload = reprint_payload", again.jobId), 1);
    EXPECT_EQ(count(d.s.conn, "SELECT count(*) FROM payments WHERE deal_id = ?", d.vm.deal()->id), 1);
}

TEST(DeskViewModel, WithoutAReceiptPrinterThePaymentIsStillRecordedAndTheNoticeSaysSo) {
    Desked d("");
    d.vm.setPaymentAmount(50'000);
    EXPECT_FALSE(d.vm.takePayment());
    EXPECT_EQ(d.vm.notice().key, "kiosk.pay.error.no_printer");
    EXPECT_TRUE(d.vm.notice().isError);
    EXPECT_EQ(count(d.s.conn, "SELECT count(*) FROM payments WHERE deal_id = ?", d.vm.deal()->id), 1);
    EXPECT_EQ(count(d.s.conn, "SELECT count(*) FROM print_jobs"), 0);
    EXPECT_NE(englishText().show(d.vm.notice()).find(d.vm.notice().values.at("receipt_no")), std::string::npos);
}

TEST(DeskViewModel, PayingTheBalanceLeavesNothingToChoose) {
    Desked d;
    d.vm.setPaymentAmount(d.vm.stillDue());
    d.vm.setPaymentMethod(core::PaymentMethod::Wire);
    ASSERT_TRUE(d.vm.takePayment());
    EXPECT_EQ(d.vm.stillDue(), 0);
    EXPECT_TRUE(d.vm.paymentChoices().empty());
    // A deal not yet signed: even paid in full, it is a deposit.
    EXPECT_NE(d.vm.receipt()->bytes.find("DEPOSIT RECEIPT"), std::string::npos);
    // Every new string the payment screen uses exists in both languages.
    for (const auto* key : {"kiosk.pay.done", "kiosk.pay.paid_in_full", "kiosk.printer.paper_out", "kiosk.pay.receipt.waiting"}) {
        EXPECT_NE(englishText().tr(key), key);
        EXPECT_NE(chineseText().tr(key), key);
    }
}

TEST(DeskViewModel, AReceiptAfterSigningCarriesTheBuyersSignatureFromTheContract) {
    Desked d;
    const auto unsignedDeposit = [&] {
        d.vm.setPaymentAmount(50'000);
        EXPECT_TRUE(d.vm.takePayment());
        return d.vm.receipt()->bytes;
    }();
    EXPECT_EQ(unsignedDeposit.find("Buyer's signature"), std::string::npos);   // nothing signed yet

    Paper paper(d.s.dir.path());
    d.vm.setDocuments(paper.documents(d.s.dir.path()));
    drawSignature(d.vm);
    ASSERT_TRUE(d.vm.signContract(800, 300));
    d.vm.setPaymentAmount(100'000);
    ASSERT_TRUE(d.vm.takePayment());
    const auto& bytes = d.vm.receipt()->bytes;
    const auto label = bytes.find("Buyer's signature (contract):");
    ASSERT_NE(label, std::string::npos);
    // The signature follows as a raster image (GS v 0), half the 80 mm paper wide at most.
    const auto image = bytes.find("\x1d" "v0", label);
    ASSERT_NE(image, std::string::npos);
    const int widthBytes = static_cast<unsigned char>(bytes[image + 4]) | static_cast<unsigned char>(bytes[image + 5]) << 8;
    EXPECT_GT(widthBytes, 0);
    EXPECT_LE(widthBytes * 8, 576 / 2 + 7);
    EXPECT_NE(bytes.find("RECEIPT"), std::string::npos);
}

// --- deals HQ flagged --------------------------------------------------------------------------------

namespace {

constexpr const char* kSoldAtDtn =
    "this car was sold at DTN first — cancel the deal or move the customer to another car.";

// HQ's decision as the sync client stores it: an open conflict naming `dealId`.
void flagDeal(DemoStore& s, const core::Deal& deal, const std::string& id = "c-1",
              const std::string& kind = "vehicle_sold_elsewhere", const std::string& message = kSoldAtDtn) {
    auto car = core::Inventory(s.ctx).find(deal.vehicleId);
    ASSERT_TRUE(car);
    auto stmt = s.conn.prepare("INSERT INTO sync_conflicts(id, kind, vin, deal_id, deal_no, other_store, message, "
                               "received_at) VALUES (?, ?, ?, ?, ?, 'DTN', ?, '2026-11-01T09:30:00Z')");
    ASSERT_TRUE(stmt) << stmt.error().message;
    ASSERT_TRUE(stmt->bindAll(id, kind, car->vin, deal.id, deal.dealNo, message).run());
}

TEST(DeskFlag, AFlaggedDealShowsHqsMessageInABannerAndStaysUsable) {
    Desked d;
    ASSERT_TRUE(d.vm.deal());
    EXPECT_FALSE(d.vm.flag());
    EXPECT_TRUE(d.vm.flagBanner().empty());
    flagDeal(d.s, *d.vm.deal());
    d.vm.refreshFlag(); // as after a sync
    ASSERT_TRUE(d.vm.flag());
    EXPECT_EQ(d.vm.flag()->id, "c-1");
    EXPECT_EQ(englishText().show(d.vm.flagBanner()), std::string("Flagged by HQ: ") + kSoldAtDtn);
    EXPECT_EQ(chineseText().show(d.vm.flagBanner()), std::string("总部已标记：") + kSoldAtDtn);
    EXPECT_TRUE(d.vm.flagBanner().isError);

    // Nothing is blocked: a deposit is taken, and the deal and its hold are still there.
    d.vm.setPaymentAmount(50'000);
    d.vm.setPaymentMethod(core::PaymentMethod::Cash);
    ASSERT_TRUE(d.vm.takePayment());
    EXPECT_EQ(d.vm.deal()->paid, 50'000);
    EXPECT_EQ(text(d.s.conn,
                   "SELECT d.status || '|' || v.status FROM deals d JOIN vehicles v ON v.id = d.vehicle_id "
                   "WHERE d.id = ?",
                   d.vm.deal()->id),
              "draft|on_hold");
    EXPECT_TRUE(d.vm.flag()) << "the flag stays until a person resolves it";
}

TEST(DeskFlag, WithoutHqsMessageTheBannerNamesTheKind) {
    Desked d;
    flagDeal(d.s, *d.vm.deal(), "c-2", "vehicle_held_elsewhere", "");
    d.vm.refreshFlag();
    EXPECT_EQ(englishText().show(d.vm.flagBanner()), "Flagged by HQ: Held elsewhere");
    EXPECT_EQ(showroom::kiosk::conflictKindKey("something_new"), "kiosk.conflict.kind.other");
}

TEST(DeskFlag, SigningAFlaggedDealTakesASecondTap) {
    Desked d;
    Paper paper(d.s.dir.path());
    d.vm.setDocuments(paper.documents(d.s.dir.path()));
    // Not flagged: one tap opens the pad.
    EXPECT_TRUE(d.vm.requestSigning());
    EXPECT_FALSE(d.vm.signingNeedsConfirmation());

    flagDeal(d.s, *d.vm.deal());
    // Flagged: the first tap only warns, and the button turns into "Sign anyway".
    EXPECT_FALSE(d.vm.requestSigning());
    EXPECT_EQ(d.vm.notice().key, "kiosk.desk.flag.confirm_sign");
    EXPECT_EQ(englishText().show(d.vm.notice()).rfind("HQ flagged deal " + d.vm.deal()->dealNo + ".", 0), 0u);
    EXPECT_TRUE(d.vm.signingNeedsConfirmation());
    EXPECT_EQ(d.vm.deal()->status, core::DealStatus::Draft);
    // The second tap goes ahead, and the buyer's signature signs the deal as usual.
    EXPECT_TRUE(d.vm.requestSigning());
    EXPECT_FALSE(d.vm.signingNeedsConfirmation());
    drawSignature(d.vm);
    auto image = d.vm.signContract(800, 300);
    ASSERT_TRUE(image) << image.error().message;
    EXPECT_EQ(d.vm.deal()->status, core::DealStatus::Signed);
    EXPECT_TRUE(d.vm.flag()) << "signing does not resolve HQ's conflict";
    // Who signed over which conflict is on record, and goes to HQ.
    const std::string who = d.s.member(core::StaffRole::Sales).id;
    EXPECT_EQ(text(d.s.conn,
                   "SELECT actor || '|' || json_extract(details, '$.conflict_id') || '|' || "
                   "json_extract(details, '$.kind') FROM audit_log WHERE action = 'contract.signed_despite_conflict' "
                   "AND entity_id = ?",
                   d.vm.deal()->id),
              who + "|c-1|vehicle_sold_elsewhere");
    EXPECT_EQ(count(d.s.conn, "SELECT count(*) FROM outbox WHERE type = 'contract.signed_despite_conflict'"), 1);
}

TEST(DeskFlag, ADealFlaggedWhileThePadWasOpenAsksBeforeItSigns) {
    Desked d;
    Paper paper(d.s.dir.path());
    d.vm.setDocuments(paper.documents(d.s.dir.path()));
    ASSERT_TRUE(d.vm.requestSigning()); // not flagged yet: the pad opens
    drawSignature(d.vm);
    flagDeal(d.s, *d.vm.deal()); // HQ's decision arrives meanwhile
    auto first = d.vm.signContract(800, 300);
    ASSERT_FALSE(first);
    EXPECT_EQ(first.error().code, core::ErrorCode::Denied);
    EXPECT_EQ(d.vm.notice().key, "kiosk.desk.flag.confirm_sign");
    EXPECT_TRUE(d.vm.signingNeedsConfirmation());
    EXPECT_EQ(text(d.s.conn, "SELECT status FROM deals WHERE id = ?", d.vm.deal()->id), "draft");
    EXPECT_EQ(count(d.s.conn, "SELECT count(*) FROM deal_signatures"), 0);
    EXPECT_EQ(paper.printer.jobCount(), 0);
    // "Sign anyway": the same signature signs it.
    auto second = d.vm.signContract(800, 300);
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(text(d.s.conn, "SELECT status FROM deals WHERE id = ?", d.vm.deal()->id), "signed");
    EXPECT_EQ(count(d.s.conn, "SELECT count(*) FROM audit_log WHERE action = 'contract.signed_despite_conflict'"), 1);
}

TEST(DeskFlag, AResolvedConflictTakesTheBannerAndTheSecondTapAway) {
    Desked d;
    flagDeal(d.s, *d.vm.deal());
    EXPECT_FALSE(d.vm.requestSigning());
    ASSERT_TRUE(core::Conflicts(d.s.ctx).resolve("c-1", "customer moved to another car"));
    d.vm.refreshFlag();
    EXPECT_FALSE(d.vm.flag());
    EXPECT_TRUE(d.vm.flagBanner().empty());
    EXPECT_FALSE(d.vm.signingNeedsConfirmation());
    EXPECT_TRUE(d.vm.requestSigning());
}

TEST(DeskFlag, OpeningAFlaggedDealShowsItAsDeskedWithTheBanner) {
    DemoStore s;
    const auto buyer = s.customer("Ottoline", "Brackenridge");
    const auto car = s.inStock();
    finance::DealInput in = defaults(car.price);
    in.discount = 150'000; // approved when it was desked
    in.cashDown = 200'000;
    in.termMonths = 48;
    auto deal = core::Deals(s.ctx).create(buyer.id, car.id, in);
    ASSERT_TRUE(deal) << deal.error().message;
    flagDeal(s, *deal);

    DeskViewModel vm(s.ctx, DeskConfig{});
    vm.setSalesperson(s.member(core::StaffRole::Sales));
    ASSERT_TRUE(vm.openDeal(deal->dealNo));
    ASSERT_TRUE(vm.deal());
    EXPECT_EQ(vm.deal()->id, deal->id);
    EXPECT_EQ(vm.notice().key, "kiosk.desk.opened");
    ASSERT_TRUE(vm.customer());
    EXPECT_EQ(vm.customer()->id, buyer.id);
    ASSERT_TRUE(vm.vehicle());
    EXPECT_EQ(vm.vehicle()->id, car.id);
    EXPECT_EQ(vm.form().discount, "1500.00");
    EXPECT_EQ(vm.form().down, "2000.00");
    EXPECT_EQ(vm.form().apr, "6.9");
    EXPECT_EQ(vm.form().term, 48);
    EXPECT_FALSE(vm.needsApproval()) << "the desked deal's discount was approved when it was desked";
    ASSERT_TRUE(vm.quote());
    expectSameQuote(*vm.quote(), deal->quote);
    ASSERT_TRUE(vm.flag());
    EXPECT_EQ(englishText().show(vm.flagBanner()), std::string("Flagged by HQ: ") + kSoldAtDtn);

    // A deal that is not there leaves the desk as it was.
    auto missing = vm.openDeal("D-NOPE");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, core::ErrorCode::NotFound);
    EXPECT_EQ(vm.deal()->id, deal->id);
}

} // namespace
