#include "showroom/core/finance.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace showroom::core::finance {
namespace {

constexpr Cents dollars(std::int64_t whole) {
    return whole * 100;
}

// The deal every section below starts from (the worked example): $30,000 car, $10,000 trade paid off,
// 6 % tax on the price net of trade, no fees, $2,000 cash down, 6.9 % APR for 60 months.
DealInput workedExample() {
    DealInput in;
    in.price = dollars(30'000);
    in.tradeInAllowance = dollars(10'000);
    in.tax.rate = Rate{60'000};
    in.tax.netOfTrade = true;
    in.cashDown = dollars(2'000);
    in.financed = true;
    in.apr = Rate{69'000};
    in.termMonths = 60;
    return in;
}

Quote quoteOk(const DealInput& in) {
    auto q = quote(in);
    EXPECT_TRUE(q.ok()) << (q.ok() ? "" : q.error().message);
    if (!q.ok()) return Quote{};
    return *q;
}

Cents sumPayments(const std::vector<Installment>& schedule) {
    Cents total = 0;
    for (const Installment& row : schedule)
        total += row.payment;
    return total;
}

// How far the last payment can drift from the regular one, in cents. Each month the balance picks up at most one
// cent of rounding (half a cent from the rounded payment, half from the rounded interest), and each cent then
// accrues interest until the end, so the drift is bounded by the future value of 1 cent a month:
// s_n = ((1 + r)^n - 1) / r, which is n at 0 % but 284 at 24 % over 96 months and 1,123 at 36 % over 120.
double lastPaymentDriftBound(Rate apr, int n) {
    if (apr.ppm == 0) return n;
    const double r = static_cast<double>(apr.ppm) / 12'000'000.0;
    return (std::pow(1.0 + r, n) - 1.0) / r;
}

std::vector<Cents> paymentsOf(const std::vector<Installment>& schedule) {
    std::vector<Cents> out;
    for (const Installment& row : schedule)
        out.push_back(row.payment);
    return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Worked example, by hand.
//
//   taxable      = 30,000.00 - 10,000.00 (net of trade)          = 20,000.00
//   sales tax    = 6 % of 20,000.00                              =  1,200.00
//   total due    = 30,000.00 + 1,200.00 + 0 fees - 10,000.00     = 21,200.00
//   financed     = 21,200.00 - 2,000.00 cash down                = 19,200.00
//   r            = 6.9 % / 12 = 0.00575 (exactly 23/4000)
//   payment      = 19,200 * 0.00575 / (1 - 1.00575^-60) = 379.2778...  -> 379.28
//   The schedule, run below by its own loop with interest = round(balance * 23 / 4000):
//   last payment = 379.12, total of payments = 59 * 379.28 + 379.12 = 22,756.64
//   finance charge = 22,756.64 - 19,200.00 = 3,556.64
//   down payment = 2,000.00 cash + 10,000.00 trade equity = 12,000.00
//   total sale price = 22,756.64 + 12,000.00 = 34,756.64
//   APR of that stream (actuarial) = 6.8999949 % -> disclosed 6.90 %
// ---------------------------------------------------------------------------------------------------------------
TEST(FinanceWorkedExample, MatchesTheHandComputation) {
    const Quote q = quoteOk(workedExample());

    EXPECT_EQ(q.cashPrice, dollars(30'000));
    EXPECT_EQ(q.taxableAmount, dollars(20'000));
    EXPECT_EQ(q.salesTax, dollars(1'200));
    EXPECT_EQ(q.tradeEquity, dollars(10'000));
    EXPECT_EQ(q.fees, 0);
    EXPECT_EQ(q.totalDue, dollars(21'200));
    EXPECT_EQ(q.amountFinanced, dollars(19'200));
    EXPECT_EQ(q.balanceDueOnDelivery, 0);

    // The closed form in plain double, independent of the library's long double / expm1 path.
    const double r = 0.069 / 12.0;
    const double formula = 1'920'000.0 * r / (1.0 - std::pow(1.0 + r, -60.0));
    EXPECT_NEAR(formula, 37'927.78, 0.01);
    EXPECT_EQ(q.monthlyPayment, 37'928);
    EXPECT_EQ(q.monthlyPayment, static_cast<Cents>(std::floor(formula + 0.5)));

    // Independent amortization: integer cents, r = 23/4000, halves rounded up (balances are positive).
    Cents balance = 1'920'000;
    Cents total = 0;
    Cents last = 0;
    for (int k = 1; k <= 60; ++k) {
        const Cents interest = (balance * 23 + 2'000) / 4'000;
        const Cents payment = k < 60 ? 37'928 : balance + interest;
        balance -= payment - interest;
        total += payment;
        last = payment;
    }
    ASSERT_EQ(balance, 0);
    EXPECT_EQ(last, 37'912);
    EXPECT_EQ(total, 2'275'664);

    EXPECT_EQ(q.numberOfPayments, 60);
    EXPECT_EQ(q.lastPayment, last);
    EXPECT_EQ(q.totalOfPayments, total);
    EXPECT_EQ(q.financeCharge, 355'664);
    EXPECT_EQ(q.financeCharge, total - q.amountFinanced);
    EXPECT_EQ(q.downPayment, dollars(12'000));
    EXPECT_EQ(q.totalSalePrice, 3'475'664);
    EXPECT_EQ(q.apr, Rate{69'000});
    EXPECT_EQ(formatPercent(q.apr), "6.90");

    ASSERT_EQ(q.schedule.size(), 60u);
    EXPECT_EQ(q.schedule.front().interest, 11'040); // 19,200.00 * 0.00575 = 110.40
    EXPECT_EQ(q.schedule.front().principal, 37'928 - 11'040);
    EXPECT_EQ(q.schedule.back().balance, 0);
}

TEST(FinanceWorkedExample, UnroundedAprIsJustBelowTheNominalRate) {
    const Quote q = quoteOk(workedExample());
    auto apr = solveApr(q.amountFinanced, paymentsOf(q.schedule));
    ASSERT_TRUE(apr.ok());
    EXPECT_EQ(apr->ppm, 69'000); // 68,999.949 ppm to the nearest ppm
}

// ---------------------------------------------------------------------------------------------------------------
// Deal structure
// ---------------------------------------------------------------------------------------------------------------

TEST(FinanceQuote, ZeroAprSplitsThePrincipalEvenlyAndChargesNothing) {
    DealInput in;
    in.price = dollars(10'000);
    in.apr = Rate{0};
    in.termMonths = 36;
    const Quote q = quoteOk(in);
    // 10,000.00 / 36 = 277.777... -> 277.78; last = 10,000.00 - 35 * 277.78 = 277.70
    EXPECT_EQ(q.monthlyPayment, 27'778);
    EXPECT_EQ(q.lastPayment, 27'770);
    EXPECT_EQ(q.totalOfPayments, dollars(10'000));
    EXPECT_EQ(q.financeCharge, 0);
    EXPECT_EQ(q.apr, Rate{0});
    for (const Installment& row : q.schedule)
        EXPECT_EQ(row.interest, 0);
    EXPECT_EQ(q.schedule.back().balance, 0);
}

TEST(FinanceQuote, NegativeEquityIsFinancedAndNotPartOfTheDownPayment) {
    DealInput even = workedExample();
    even.tradeInPayoff = dollars(10'000); // trade worth exactly what is owed on it
    DealInput under = workedExample();
    under.tradeInPayoff = dollars(12'000); // $2,000 upside down

    const Quote qEven = quoteOk(even);
    const Quote q = quoteOk(under);
    EXPECT_EQ(q.tradeEquity, -dollars(2'000));
    EXPECT_EQ(q.salesTax, dollars(1'200)); // tax credit is on the allowance, not the equity
    // 30,000.00 + 1,200.00 tax + 2,000.00 negative equity = 33,200.00 due; - 2,000.00 cash = 31,200.00
    EXPECT_EQ(q.totalDue, dollars(33'200));
    EXPECT_EQ(q.amountFinanced, dollars(31'200));
    EXPECT_EQ(q.amountFinanced - qEven.amountFinanced, dollars(2'000));
    EXPECT_EQ(q.downPayment, dollars(2'000)); // cash only
    EXPECT_EQ(q.totalSalePrice, q.totalOfPayments + dollars(2'000));
}

TEST(FinanceQuote, CashDealHasNoScheduleAndSalePriceIsTotalDue) {
    DealInput in = workedExample();
    in.financed = false;
    in.termMonths = 0; // ignored for cash deals
    in.cashDown = dollars(5'000);
    const Quote q = quoteOk(in);
    EXPECT_TRUE(q.schedule.empty());
    EXPECT_EQ(q.amountFinanced, 0);
    EXPECT_EQ(q.numberOfPayments, 0);
    EXPECT_EQ(q.monthlyPayment, 0);
    EXPECT_EQ(q.totalOfPayments, 0);
    EXPECT_EQ(q.financeCharge, 0);
    EXPECT_EQ(q.apr, Rate{0});
    EXPECT_EQ(q.totalDue, dollars(21'200));
    EXPECT_EQ(q.totalSalePrice, q.totalDue);
    EXPECT_EQ(q.balanceDueOnDelivery, dollars(16'200));
}

TEST(FinanceQuote, CashDealPaidInFullLeavesNothingDue) {
    DealInput in = workedExample();
    in.financed = false;
    in.cashDown = dollars(21'200);
    EXPECT_EQ(quoteOk(in).balanceDueOnDelivery, 0);
}

TEST(FinanceQuote, CashDealWithTradeWorthMoreThanTheCarOwesTheBuyer) {
    DealInput in;
    in.price = dollars(8'000);
    in.tradeInAllowance = dollars(10'000);
    in.tax.rate = Rate{60'000};
    in.financed = false;
    const Quote q = quoteOk(in);
    EXPECT_EQ(q.taxableAmount, 0); // floored: no tax refund on a trade worth more than the car
    EXPECT_EQ(q.salesTax, 0);
    EXPECT_EQ(q.totalDue, -dollars(2'000));
    EXPECT_EQ(q.balanceDueOnDelivery, -dollars(2'000));
}

TEST(FinanceQuote, TaxOnFullPriceIgnoresTheTrade) {
    DealInput net = workedExample();
    DealInput full = workedExample();
    full.tax.netOfTrade = false;
    EXPECT_EQ(quoteOk(net).salesTax, dollars(1'200)); // 6 % of 20,000.00
    const Quote q = quoteOk(full);
    EXPECT_EQ(q.taxableAmount, dollars(30'000));
    EXPECT_EQ(q.salesTax, dollars(1'800)); // 6 % of 30,000.00
    EXPECT_EQ(q.amountFinanced, dollars(19'800));
}

TEST(FinanceQuote, TaxableDocAndTitleFees) {
    DealInput in = workedExample();
    in.docFee = 49'900;
    in.titleFee = 15'000;
    const Quote untaxed = quoteOk(in);
    EXPECT_EQ(untaxed.fees, 64'900);
    EXPECT_EQ(untaxed.salesTax, dollars(1'200));
    EXPECT_EQ(untaxed.totalDue, dollars(21'200) + 64'900);

    in.tax.docFeeTaxable = true;
    const Quote doc = quoteOk(in);
    EXPECT_EQ(doc.taxableAmount, 2'049'900);
    EXPECT_EQ(doc.salesTax, 122'994); // 6 % of 20,499.00 = 1,229.94

    in.tax.titleFeeTaxable = true;
    const Quote both = quoteOk(in);
    EXPECT_EQ(both.taxableAmount, 2'064'900);
    EXPECT_EQ(both.salesTax, 123'894); // 6 % of 20,649.00 = 1,238.94
}

TEST(FinanceQuote, AddOnsRaiseTheCashPriceButOnlyTaxableOnesAreTaxed) {
    DealInput in = workedExample();
    in.discount = dollars(500);
    in.addOns = {{"Service contract", dollars(2'000), false}, {"Floor mats", 19'999, true}};
    const Quote q = quoteOk(in);
    EXPECT_EQ(q.cashPrice, dollars(30'000) - dollars(500) + dollars(2'000) + 19'999);
    // taxable = 29,500.00 + 199.99 - 10,000.00 = 19,699.99; 6 % = 1,181.9994 -> 1,182.00
    EXPECT_EQ(q.taxableAmount, 1'969'999);
    EXPECT_EQ(q.salesTax, 118'200);
}

TEST(FinanceQuote, TaxRoundsHalfAwayFromZero) {
    DealInput in;
    in.price = 25; // 6 % of $0.25 = 1.5 cents
    in.tax.rate = Rate{60'000};
    in.financed = false;
    EXPECT_EQ(quoteOk(in).salesTax, 2);
}

// ---------------------------------------------------------------------------------------------------------------
// Validation: every refusal names the field and the limit.
// ---------------------------------------------------------------------------------------------------------------

struct Refusal {
    const char* what;
    std::function<void(DealInput&)> change;
    const char* message;
};

TEST(FinanceValidation, RefusesOutOfRangeInputWithAClearMessage) {
    const std::vector<Refusal> cases = {
        {"400 % APR", [](DealInput& d) { d.apr = Rate{4'000'000}; }, "APR 400.00 % exceeds the 36 % limit"},
        {"36.01 % APR", [](DealInput& d) { d.apr = Rate{360'100}; }, "APR 36.01 % exceeds the 36 % limit"},
        {"negative APR", [](DealInput& d) { d.apr = Rate{-1}; }, "APR cannot be negative (got -0.0001 %)"},
        {"0-month term", [](DealInput& d) { d.termMonths = 0; }, "term must be 1 to 120 months (got 0)"},
        {"121-month term", [](DealInput& d) { d.termMonths = 121; }, "term must be 1 to 120 months (got 121)"},
        {"negative term", [](DealInput& d) { d.termMonths = -12; }, "term must be 1 to 120 months (got -12)"},
        {"negative price", [](DealInput& d) { d.price = -100; }, "price cannot be negative (got -$1.00)"},
        {"zero price", [](DealInput& d) { d.price = 0; }, "price must be more than $0.00"},
        {"price over $10M", [](DealInput& d) { d.price = kMaxAmount + 1; },
         "price $10,000,000.01 exceeds the $10,000,000.00 limit"},
        {"discount above price", [](DealInput& d) { d.discount = dollars(30'000) + 1; },
         "discount $30,000.01 exceeds the price $30,000.00"},
        {"negative discount", [](DealInput& d) { d.discount = -1; }, "discount cannot be negative"},
        {"negative add-on",
         [](DealInput& d) {
             d.addOns = {{"Floor mats", -500, true}};
         },
         "add-on 'Floor mats' amount cannot be negative (got -$5.00)"},
        {"negative unnamed add-on",
         [](DealInput& d) {
             d.addOns = {{"Mats", 1, true}, {"", -1, true}};
         },
         "add-on #2 amount cannot be negative"},
        {"negative allowance", [](DealInput& d) { d.tradeInAllowance = -1; }, "trade-in allowance cannot be negative"},
        {"negative payoff", [](DealInput& d) { d.tradeInPayoff = -1; }, "trade-in payoff cannot be negative"},
        {"negative doc fee", [](DealInput& d) { d.docFee = -1; }, "doc fee cannot be negative"},
        {"negative title fee", [](DealInput& d) { d.titleFee = -1; }, "title fee cannot be negative"},
        {"negative cash down", [](DealInput& d) { d.cashDown = -1; }, "cash down cannot be negative"},
        {"payoff over $10M", [](DealInput& d) { d.tradeInPayoff = kMaxAmount + 1; },
         "trade-in payoff $10,000,000.01 exceeds the $10,000,000.00 limit"},
        {"tax above 25 %", [](DealInput& d) { d.tax.rate = Rate{250'001}; },
         "tax rate 25.0001 % exceeds the 25 % limit"},
        {"tax 30 %", [](DealInput& d) { d.tax.rate = Rate{300'000}; }, "tax rate 30.00 % exceeds the 25 % limit"},
        {"negative tax", [](DealInput& d) { d.tax.rate = Rate{-10'000}; },
         "tax rate cannot be negative (got -1.0000 %)"},
        {"nothing to finance", [](DealInput& d) { d.cashDown = dollars(21'200); },
         "nothing to finance: record it as a cash deal"},
        {"cash down beyond a cash deal's due",
         [](DealInput& d) {
             d.financed = false;
             d.cashDown = dollars(21'200) + 1;
         },
         "cash down $21,200.01 exceeds the amount due $21,200.00"},
        {"too small for the term",
         [](DealInput& d) {
             d.price = 100; // $1.00 over 120 months: 119 payments of 1 cent would overpay
             d.tradeInAllowance = 0;
             d.cashDown = 0;
             d.apr = Rate{0};
             d.termMonths = 120;
         },
         "amount financed $1.06 is too small to spread over 120 monthly payments"},
    };
    for (const Refusal& c : cases) {
        DealInput in = workedExample();
        c.change(in);
        auto q = quote(in);
        ASSERT_FALSE(q.ok()) << c.what << " was accepted";
        EXPECT_EQ(q.error().code, ErrorCode::InvalidInput) << c.what;
        EXPECT_NE(q.error().message.find(c.message), std::string::npos)
            << c.what << ": got \"" << q.error().message << "\"";
    }
}

TEST(FinanceValidation, AcceptsValuesExactlyAtTheLimits) {
    const std::vector<std::function<void(DealInput&)>> edges = {
        [](DealInput& d) { d.apr = kMaxApr; },
        [](DealInput& d) { d.tax.rate = kMaxTaxRate; },
        [](DealInput& d) { d.termMonths = 1; },
        [](DealInput& d) { d.termMonths = kMaxTermMonths; },
        [](DealInput& d) { d.price = kMaxAmount; },
        [](DealInput& d) { // a giveaway with a trade: the dealer owes the buyer the trade equity
            d.discount = d.price;
            d.financed = false;
            d.cashDown = 0;
        },
        [](DealInput& d) { // one cent financed for one month
            d.cashDown = dollars(21'200) - 1;
            d.termMonths = 1;
        },
    };
    int index = 0;
    for (const auto& edge : edges) {
        DealInput in = workedExample();
        edge(in);
        auto q = quote(in);
        EXPECT_TRUE(q.ok()) << "edge " << index << ": " << (q.ok() ? "" : q.error().message);
        ++index;
    }
}

TEST(FinanceValidation, CashDealIgnoresTermAndApr) {
    DealInput in = workedExample();
    in.financed = false;
    in.termMonths = 0;
    in.apr = Rate{4'000'000};
    EXPECT_TRUE(quote(in).ok());
}

// ---------------------------------------------------------------------------------------------------------------
// amortize, monthlyPayment
// ---------------------------------------------------------------------------------------------------------------

TEST(FinanceAmortize, OneMonthTermIsPrincipalPlusOneMonthOfInterest) {
    const auto schedule = amortize(dollars(1'000), Rate{120'000}, 1); // 1 % a month
    ASSERT_EQ(schedule.size(), 1u);
    EXPECT_EQ(schedule[0].interest, dollars(10));
    EXPECT_EQ(schedule[0].payment, dollars(1'010));
    EXPECT_EQ(schedule[0].balance, 0);
    EXPECT_EQ(monthlyPayment(dollars(1'000), Rate{120'000}, 1), dollars(1'010));
}

TEST(FinanceAmortize, InterestTiesRoundAwayFromZero) {
    const auto schedule = amortize(50, Rate{120'000}, 1); // 50 cents * 1 % = 0.5 cent
    ASSERT_EQ(schedule.size(), 1u);
    EXPECT_EQ(schedule[0].interest, 1);
    EXPECT_EQ(schedule[0].payment, 51);
}

TEST(FinanceAmortize, ZeroAprPaymentRoundsHalfAwayFromZero) {
    EXPECT_EQ(monthlyPayment(5, Rate{0}, 2), 3); // 2.5 -> 3
    EXPECT_EQ(monthlyPayment(1'000, Rate{0}, 3), 333);
    EXPECT_EQ(monthlyPayment(1'001, Rate{0}, 2), 501); // 500.5 -> 501
}

TEST(FinanceAmortize, DegenerateInputGivesNothing) {
    EXPECT_TRUE(amortize(0, Rate{69'000}, 60).empty());
    EXPECT_TRUE(amortize(-5, Rate{69'000}, 60).empty());
    EXPECT_TRUE(amortize(dollars(100), Rate{69'000}, 0).empty());
    EXPECT_EQ(monthlyPayment(0, Rate{69'000}, 60), 0);
    EXPECT_EQ(monthlyPayment(dollars(100), Rate{69'000}, 0), 0);
}

TEST(FinanceAmortize, TinyLoanPaysOffEarlyInsteadOfGoingNegative) {
    // $1.00 over 120 months at 0 %: the regular payment rounds up to 1 cent, so the loan is paid in 100.
    const auto schedule = amortize(100, Rate{0}, 120);
    ASSERT_EQ(schedule.size(), 100u);
    for (const Installment& row : schedule) {
        EXPECT_EQ(row.payment, 1);
        EXPECT_GE(row.balance, 0);
    }
    EXPECT_EQ(schedule.back().balance, 0);
}

TEST(FinanceAmortize, HighRateLongTermStillEndsAtZero) {
    const auto schedule = amortize(kMaxAmount * 3, kMaxApr, kMaxTermMonths);
    ASSERT_EQ(schedule.size(), 120u);
    EXPECT_EQ(schedule.back().balance, 0);
    for (const Installment& row : schedule)
        ASSERT_GE(row.balance, 0);
    // At 3 % a month, rounding drift compounds to more than one cent per payment (318 cents here).
    EXPECT_LE(std::llabs(schedule.back().payment - schedule.front().payment),
              lastPaymentDriftBound(kMaxApr, kMaxTermMonths));
}

// ---------------------------------------------------------------------------------------------------------------
// solveApr (reference values from a 40-digit bisection)
// ---------------------------------------------------------------------------------------------------------------

TEST(FinanceSolveApr, LevelPayments) {
    // $1,000.00 repaid by 12 x $88.85: 12.0025893 %
    auto a = solveApr(dollars(1'000), std::vector<Cents>(12, 8'885));
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->ppm, 120'026);
    // $5,000.00 repaid by 36 x $166.07: 11.9993513 %
    auto b = solveApr(dollars(5'000), std::vector<Cents>(36, 16'607));
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(b->ppm, 119'994);
}

TEST(FinanceSolveApr, SinglePaymentAndDeferredPayment) {
    // One payment of $1,010.00 a month after $1,000.00: exactly 1 % a month.
    auto one = solveApr(dollars(1'000), {dollars(1'010)});
    ASSERT_TRUE(one.ok());
    EXPECT_EQ(one->ppm, 120'000);
    // Nothing for 11 months, then $1,126.83 (1.01^12 = 1.126825...): 12.0004455 %
    std::vector<Cents> deferred(11, 0);
    deferred.push_back(112'683);
    auto late = solveApr(dollars(1'000), deferred);
    ASSERT_TRUE(late.ok());
    EXPECT_EQ(late->ppm, 120'004);
}

// The returned rate is the root to the ppm: the present value of the stream crosses the amount between
// one ppm below and one ppm above it.
TEST(FinanceSolveApr, ResultBracketsTheRootToOnePpm) {
    auto presentValue = [](const std::vector<Cents>& payments, std::int64_t aprPpm) {
        const long double i = static_cast<long double>(aprPpm) / 12'000'000.0L;
        long double pv = 0.0L;
        long double discount = 1.0L;
        for (Cents p : payments) {
            discount /= 1.0L + i;
            pv += static_cast<long double>(p) * discount;
        }
        return pv;
    };
    std::vector<Cents> uneven = {dollars(50), 0, dollars(3'000), 17, dollars(900), dollars(2'000)};
    const std::vector<std::pair<Cents, std::vector<Cents>>> streams = {
        {1'920'000, paymentsOf(amortize(1'920'000, Rate{69'000}, 60))},
        {dollars(5'000), uneven},
        {dollars(40'000), paymentsOf(amortize(dollars(40'000), Rate{249'900}, 96))},
        {dollars(40'000), paymentsOf(amortize(dollars(40'000), Rate{100}, 12))},
    };
    for (const auto& [amount, payments] : streams) {
        auto apr = solveApr(amount, payments);
        ASSERT_TRUE(apr.ok());
        EXPECT_GT(presentValue(payments, apr->ppm - 1), static_cast<long double>(amount)) << apr->ppm;
        EXPECT_LT(presentValue(payments, apr->ppm + 1), static_cast<long double>(amount)) << apr->ppm;
    }
}

TEST(FinanceSolveApr, PaymentsEqualToTheAmountMeanZero) {
    auto a = solveApr(dollars(1'200), std::vector<Cents>(12, dollars(100)));
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->ppm, 0);
}

TEST(FinanceSolveApr, RefusesStreamsWithoutANonNegativeRoot) {
    auto shortfall = solveApr(dollars(1'200), std::vector<Cents>(12, dollars(100) - 1));
    ASSERT_FALSE(shortfall.ok());
    EXPECT_EQ(shortfall.error().code, ErrorCode::InvalidInput);
    EXPECT_NE(shortfall.error().message.find("less than the amount financed $1,200.00"), std::string::npos);
    EXPECT_FALSE(solveApr(dollars(1'200), {}).ok());
    EXPECT_FALSE(solveApr(0, {100}).ok());
    EXPECT_FALSE(solveApr(100, {200, -50}).ok());
}

TEST(FinanceSolveApr, HugeRateConverges) {
    // $100 borrowed, $200 repaid a month later: 100 % a month, 1200 % APR.
    auto a = solveApr(dollars(100), {dollars(200)});
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(a->ppm, 12'000'000);
}

// ---------------------------------------------------------------------------------------------------------------
// Property test: ~2000 random loans.
// ---------------------------------------------------------------------------------------------------------------

// splitmix64: tiny, and identical on every platform, unlike std::uniform_int_distribution.
class Prng {
public:
    explicit Prng(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    std::int64_t between(std::int64_t lo, std::int64_t hi) {
        return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
    }

private:
    std::uint64_t m_state;
};

TEST(FinanceProperty, RandomLoansAreConsistentAndDiscloseTheirRate) {
    constexpr int kDeals = 2'000;
    Prng prng(20'240'601);
    int offByRounding = 0;
    std::int64_t worstPpm = 0;
    int driftAboveTerm = 0; // deals whose last payment is more than n cents from the regular one
    Cents worstDrift = 0;
    std::string worstDriftLabel;
    for (int n = 0; n < kDeals; ++n) {
        DealInput in;
        in.price = prng.between(dollars(1'000), dollars(150'000));
        in.apr = Rate{prng.between(0, 2'500) * 100};
        in.termMonths = static_cast<int>(prng.between(12, 96));
        const std::string label = "deal " + std::to_string(n) + ": " + formatCents(in.price) + " at " +
                                  formatPercent(in.apr) + " % for " + std::to_string(in.termMonths);
        auto result = quote(in);
        ASSERT_TRUE(result.ok()) << label << ": " << result.error().message;
        const Quote& q = *result;
        ASSERT_EQ(q.amountFinanced, in.price) << label;
        ASSERT_EQ(q.numberOfPayments, in.termMonths) << label;
        ASSERT_EQ(static_cast<int>(q.schedule.size()), in.termMonths) << label;

        EXPECT_EQ(sumPayments(q.schedule), q.totalOfPayments) << label;
        EXPECT_EQ(q.financeCharge, q.totalOfPayments - q.amountFinanced) << label;
        EXPECT_EQ(q.schedule.back().balance, 0) << label;
        EXPECT_EQ(q.schedule.back().payment, q.lastPayment) << label;
        const Cents drift = std::llabs(q.lastPayment - q.monthlyPayment);
        EXPECT_LE(static_cast<double>(drift), lastPaymentDriftBound(in.apr, in.termMonths)) << label;
        if (drift > q.numberOfPayments) {
            ++driftAboveTerm;
            if (drift > worstDrift) {
                worstDrift = drift;
                worstDriftLabel = label;
            }
        }
        Cents previous = q.amountFinanced;
        for (std::size_t k = 0; k < q.schedule.size(); ++k) {
            const Installment& row = q.schedule[k];
            ASSERT_GE(row.balance, 0) << label << ", payment " << row.number;
            ASSERT_EQ(row.number, static_cast<int>(k) + 1) << label;
            ASSERT_EQ(row.principal + row.interest, row.payment) << label;
            ASSERT_EQ(previous - row.principal, row.balance) << label;
            if (k + 1 < q.schedule.size()) {
                ASSERT_EQ(row.payment, q.monthlyPayment) << label;
            }
            previous = row.balance;
        }
        if (in.apr.ppm == 0) {
            EXPECT_EQ(q.financeCharge, 0) << label;
        }

        auto unrounded = solveApr(q.amountFinanced, paymentsOf(q.schedule));
        ASSERT_TRUE(unrounded.ok()) << label;
        const Rate disclosed{(unrounded->ppm + 50) / 100 * 100};
        EXPECT_EQ(q.apr, disclosed) << label;
        if (disclosed != in.apr) {
            ++offByRounding;
            const std::int64_t off = std::llabs(disclosed.ppm - in.apr.ppm);
            if (off > worstPpm) worstPpm = off;
            std::printf("[ note     ] %s: disclosed APR %s %% (unrounded %s %%)\n", label.c_str(),
                        formatPercent(disclosed).c_str(), formatPercent(*unrounded, 4).c_str());
            EXPECT_LE(off, 1'250) << label << ": outside the Reg Z 0.125 % tolerance";
        }
    }
    std::printf("[ note     ] %d of %d deals have |last - regular payment| above n cents (worst %lld cents: %s)\n",
                driftAboveTerm, kDeals, static_cast<long long>(worstDrift), worstDriftLabel.c_str());
    std::printf("[ note     ] %d of %d deals disclose an APR other than the contract rate (worst %.2f %%)\n",
                offByRounding, kDeals, static_cast<double>(worstPpm) / 10'000.0);
    // Payment rounding moves the actuarial rate by far less than 0.005 % on all but the smallest or lowest-rate
    // loans; a jump in this count means the schedule or the solver changed, not bad luck.
    EXPECT_LE(offByRounding, kDeals / 100);
}

// ---------------------------------------------------------------------------------------------------------------
// Payment grids
// ---------------------------------------------------------------------------------------------------------------

TEST(FinanceGrid, ByDownMatchesQuoteOfEveryCell) {
    const DealInput base = workedExample();
    const std::vector<int> terms = {36, 60, 72};
    const std::vector<Cents> downs = {0, dollars(2'000), dollars(5'000)};
    auto grid = gridByDown(base, terms, downs);
    ASSERT_TRUE(grid.ok()) << grid.error().message;
    EXPECT_EQ(grid->terms, terms);
    EXPECT_EQ(grid->downs, downs);
    EXPECT_EQ(grid->aprs, std::vector<Rate>{base.apr});
    ASSERT_EQ(grid->payments.size(), downs.size());
    for (std::size_t row = 0; row < downs.size(); ++row) {
        ASSERT_EQ(grid->payments[row].size(), terms.size());
        for (std::size_t col = 0; col < terms.size(); ++col) {
            DealInput cell = base;
            cell.cashDown = downs[row];
            cell.termMonths = terms[col];
            EXPECT_EQ(grid->payments[row][col], quoteOk(cell).monthlyPayment) << row << "," << col;
        }
    }
    EXPECT_EQ(grid->payments[1][1], 37'928); // the worked example sits in the middle
}

TEST(FinanceGrid, ByAprMatchesQuoteOfEveryCell) {
    DealInput base = workedExample();
    base.financed = false; // the desk may be looking at a cash deal; the grid still shows what financing costs
    const std::vector<int> terms = {48, 60, 84};
    const std::vector<Rate> aprs = {Rate{0}, Rate{49'000}, Rate{69'000}};
    auto grid = gridByApr(base, terms, aprs);
    ASSERT_TRUE(grid.ok()) << grid.error().message;
    EXPECT_EQ(grid->aprs, aprs);
    EXPECT_EQ(grid->downs, std::vector<Cents>{base.cashDown});
    ASSERT_EQ(grid->payments.size(), aprs.size());
    for (std::size_t row = 0; row < aprs.size(); ++row) {
        ASSERT_EQ(grid->payments[row].size(), terms.size());
        for (std::size_t col = 0; col < terms.size(); ++col) {
            DealInput cell = base;
            cell.financed = true;
            cell.apr = aprs[row];
            cell.termMonths = terms[col];
            EXPECT_EQ(grid->payments[row][col], quoteOk(cell).monthlyPayment) << row << "," << col;
        }
    }
    EXPECT_EQ(grid->payments[0][0], 40'000); // 19,200.00 / 48 at 0 %
    EXPECT_EQ(grid->payments[2][1], 37'928);
    // Longer terms cost less a month; higher rates cost more.
    EXPECT_GT(grid->payments[2][0], grid->payments[2][2]);
    EXPECT_LT(grid->payments[0][1], grid->payments[1][1]);
}

TEST(FinanceGrid, NamesTheCellThatFails) {
    auto grid = gridByDown(workedExample(), {36, 60}, {0, dollars(25'000)});
    ASSERT_FALSE(grid.ok());
    EXPECT_EQ(grid.error().code, ErrorCode::InvalidInput);
    EXPECT_NE(grid.error().message.find("grid cell (36 months, down $25,000.00): nothing to finance"),
              std::string::npos)
        << grid.error().message;

    auto badApr = gridByApr(workedExample(), {60, 130}, {Rate{69'000}});
    ASSERT_FALSE(badApr.ok());
    EXPECT_NE(badApr.error().message.find("grid cell (130 months, APR 6.90 %): term must be 1 to 120 months"),
              std::string::npos)
        << badApr.error().message;
}

TEST(FinanceGrid, RefusesAnEmptyAxis) {
    EXPECT_FALSE(gridByDown(workedExample(), {}, {0}).ok());
    EXPECT_FALSE(gridByDown(workedExample(), {60}, {}).ok());
    EXPECT_FALSE(gridByApr(workedExample(), {60}, {}).ok());
}

} // namespace
} // namespace showroom::core::finance
