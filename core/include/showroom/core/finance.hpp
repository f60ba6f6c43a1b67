#pragma once
// Deal maths: sales tax, trade-in equity, amount financed, the amortization schedule and the
// Truth-in-Lending (Reg Z) disclosures of a vehicle sale.
//
// Rules:
//  - Every amount is integer cents and every result is exact to the cent; only the level-payment
//    formula and the APR solver use floating point, and their results are rounded once.
//  - Every function is pure (no I/O, no globals) and may be called from any thread.
//  - quote() and the grids validate their input and return InvalidInput with a sentence naming the
//    field and the limit; nothing is computed for a refused deal.

#include "showroom/core/money.hpp"
#include "showroom/core/result.hpp"

#include <string>
#include <vector>

namespace showroom::core::finance {

/// Largest amount any single money field of a deal may hold: $10,000,000.00.
inline constexpr Cents kMaxAmount = 1'000'000'000;
/// Highest sales-tax rate accepted: 25 %.
inline constexpr Rate kMaxTaxRate{250'000};
/// Highest APR accepted: 36 %.
inline constexpr Rate kMaxApr{360'000};
/// Longest term accepted, in months.
inline constexpr int kMaxTermMonths = 120;

/// A jurisdiction's sales-tax rule, read from config.
struct TaxRule {
    Rate rate;              ///< e.g. 6 % == Rate{60'000}
    bool netOfTrade = true; ///< tax the price net of the trade-in allowance (true) or the full price
    bool docFeeTaxable = false;
    bool titleFeeTaxable = false;
};

/// A product sold with the vehicle (service contract, floor mats, ...); its amount is part of the cash price.
struct AddOn {
    std::string name;
    Cents amount = 0;
    bool taxable = true;
};

/// Everything the desk knows about a deal. All amounts are non-negative cents.
struct DealInput {
    Cents price = 0; ///< agreed vehicle selling price before discount
    Cents discount = 0;
    std::vector<AddOn> addOns;
    Cents tradeInAllowance = 0;
    Cents tradeInPayoff = 0; ///< owed on the trade; above the allowance it is negative equity, financed
    Cents docFee = 0;
    Cents titleFee = 0; ///< title and registration
    Cents cashDown = 0;
    TaxRule tax;
    bool financed = true;
    Rate apr;           ///< nominal annual rate, monthly compounding; ignored for cash deals
    int termMonths = 0; ///< ignored for cash deals
};

/// One row of an amortization schedule; `balance` is what is still owed after this payment.
struct Installment {
    int number = 0;
    Cents payment = 0;
    Cents interest = 0;
    Cents principal = 0;
    Cents balance = 0;
};

/// The priced deal and its Reg Z disclosures. Payment fields are 0 and the schedule empty for cash deals.
struct Quote {
    Cents cashPrice = 0; ///< price - discount + add-ons
    Cents taxableAmount = 0;
    Cents salesTax = 0;
    Cents tradeEquity = 0;          ///< allowance - payoff (negative == negative equity)
    Cents fees = 0;                 ///< doc + title
    Cents totalDue = 0;             ///< cashPrice + tax + fees - tradeEquity: what the buyer owes before cash down
    Cents amountFinanced = 0;       ///< totalDue - cashDown (0 for cash deals)
    Cents balanceDueOnDelivery = 0; ///< cash deals: totalDue - cashDown, negative when the trade equity exceeds
                                    ///< everything owed (the dealer pays the buyer); financed: 0
    int numberOfPayments = 0;
    Cents monthlyPayment = 0; ///< the regular payment
    Cents lastPayment = 0;    ///< adjusted for rounding so the balance ends at exactly zero
    Cents financeCharge = 0;  ///< totalOfPayments - amountFinanced
    Cents totalOfPayments = 0;
    Cents totalSalePrice = 0; ///< Reg Z: totalOfPayments + downPayment; cash deal: totalDue
    Cents downPayment = 0;    ///< cashDown + max(tradeEquity, 0)
    Rate apr;                 ///< disclosed APR: actuarial (Reg Z appendix J, monthly unit period) from the
                              ///< payment stream, rounded to 0.01 % (a multiple of 100 ppm); 0 for cash deals
    std::vector<Installment> schedule;
};

/// Prices a deal. Refuses (InvalidInput, nothing computed): a negative amount, an amount above $10,000,000,
/// a zero price, a discount above the price, tax above 25 %; financed deals with a term outside 1..120 months,
/// an APR above 36 %, nothing to finance, or an amount too small to spread over the term (a regular payment
/// under one cent or a schedule that would pay off early); cash deals whose cash down exceeds the amount due.
[[nodiscard]] Result<Quote> quote(const DealInput& in);

/// The schedule of a level-payment loan: payment = monthlyPayment(), interest each month = balance * apr / 12
/// rounded half away from zero, last payment = remaining balance + its interest, so the balance ends at 0.
/// If a regular payment would overshoot the balance (only for amounts of a few dollars), that payment clears the
/// loan and the schedule is shorter than the term. Empty when amountFinanced <= 0 or termMonths < 1.
[[nodiscard]] std::vector<Installment> amortize(Cents amountFinanced, Rate apr, int termMonths);

/// The regular payment round(P * r / (1 - (1 + r)^-n)) with r = apr / 12; at 0 % round(P / n).
/// Rounds half away from zero. 0 when amountFinanced <= 0 or termMonths < 1.
[[nodiscard]] Cents monthlyPayment(Cents amountFinanced, Rate apr, int termMonths);

/// Actuarial APR of a loan of `amountFinanced` repaid by `payments` due 1, 2, ... months after consummation:
/// the monthly i with sum p_k / (1 + i)^k == amountFinanced, times 12, UNROUNDED (to the nearest ppm).
/// InvalidInput when amountFinanced <= 0, payments are empty or negative, or they sum to less than the amount.
[[nodiscard]] Result<Rate> solveApr(Cents amountFinanced, const std::vector<Cents>& payments);

/// A table of regular monthly payments, payments[row][col]. The axis that does not vary holds the single
/// value taken from the base deal (gridByDown: aprs == {base.apr}; gridByApr: downs == {base.cashDown}).
struct PaymentGrid {
    std::vector<int> terms;
    std::vector<Cents> downs;
    std::vector<Rate> aprs;
    std::vector<std::vector<Cents>> payments;
};

/// Rows = cash downs, columns = terms; each cell is quote(base with that cash down and term, financed).
/// Fails with the first failing cell's error, naming the cell, or InvalidInput when an axis is empty.
[[nodiscard]] Result<PaymentGrid> gridByDown(const DealInput& base, const std::vector<int>& terms,
                                             const std::vector<Cents>& downs);

/// Rows = APRs, columns = terms; each cell is quote(base with that APR and term, financed).
/// Fails with the first failing cell's error, naming the cell, or InvalidInput when an axis is empty.
[[nodiscard]] Result<PaymentGrid> gridByApr(const DealInput& base, const std::vector<int>& terms,
                                            const std::vector<Rate>& aprs);

} // namespace showroom::core::finance
