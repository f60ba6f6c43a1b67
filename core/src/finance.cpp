#include "showroom/core/finance.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace showroom::core::finance {

namespace {

// 12 months * 10^6 ppm: a monthly rate is apr.ppm / kMonthlyDivisor.
constexpr std::int64_t kMonthlyDivisor = 12'000'000;

std::string money(Cents cents) {
    return formatMoney(cents);
}
// Two decimals as rates are quoted, four when that would hide the part that breaks a limit (25.0001 %).
std::string percent(Rate rate) {
    return formatPercent(rate, rate.ppm % 100 == 0 ? 2 : 4) + " %";
}

Error invalid(std::string message) {
    return fail(ErrorCode::InvalidInput, std::move(message));
}

// balance * apr / 12 rounded half away from zero. Done in 128-bit integers rather than long double
// because the monthly rate is an exact rational (ppm / 12e6): this makes every schedule reproducible
// bit for bit on any platform, and a half-cent tie is a real tie rather than a floating-point accident.
Cents monthlyInterest(Cents balance, Rate apr) {
    const __int128 product = static_cast<__int128>(balance) * apr.ppm;
    const __int128 half = kMonthlyDivisor / 2;
    const __int128 q = product >= 0 ? (product + half) / kMonthlyDivisor : -((-product + half) / kMonthlyDivisor);
    return static_cast<Cents>(q);
}

// Checks one money field: every amount of a deal is non-negative and at most kMaxAmount, which also keeps
// every sum in this file far from int64 overflow.
std::optional<Error> checkAmount(const std::string& field, Cents value) {
    if (value < 0) return invalid(field + " cannot be negative (got " + money(value) + ")");
    if (value > kMaxAmount) return invalid(field + " " + money(value) + " exceeds the " + money(kMaxAmount) + " limit");
    return std::nullopt;
}

std::optional<Error> validate(const DealInput& in) {
    if (in.price == 0) return invalid("price must be more than " + money(0));
    if (auto e = checkAmount("price", in.price)) return e;
    if (auto e = checkAmount("discount", in.discount)) return e;
    if (in.discount > in.price)
        return invalid("discount " + money(in.discount) + " exceeds the price " + money(in.price));
    for (std::size_t i = 0; i < in.addOns.size(); ++i) {
        const AddOn& addOn = in.addOns[i];
        const std::string label =
            addOn.name.empty() ? "add-on #" + std::to_string(i + 1) : "add-on '" + addOn.name + "'";
        if (auto e = checkAmount(label + " amount", addOn.amount)) return e;
    }
    if (auto e = checkAmount("trade-in allowance", in.tradeInAllowance)) return e;
    if (auto e = checkAmount("trade-in payoff", in.tradeInPayoff)) return e;
    if (auto e = checkAmount("doc fee", in.docFee)) return e;
    if (auto e = checkAmount("title fee", in.titleFee)) return e;
    if (auto e = checkAmount("cash down", in.cashDown)) return e;
    if (in.tax.rate.ppm < 0) return invalid("tax rate cannot be negative (got " + formatPercent(in.tax.rate, 4) + " %" + ")");
    if (in.tax.rate > kMaxTaxRate)
        return invalid("tax rate " + percent(in.tax.rate) + " exceeds the " + formatPercent(kMaxTaxRate, 0) +
                       " % limit");
    if (in.financed) {
        if (in.termMonths < 1 || in.termMonths > kMaxTermMonths)
            return invalid("term must be 1 to " + std::to_string(kMaxTermMonths) + " months (got " +
                           std::to_string(in.termMonths) + ")");
        if (in.apr.ppm < 0) return invalid("APR cannot be negative (got " + formatPercent(in.apr, 4) + " %" + ")");
        if (in.apr > kMaxApr)
            return invalid("APR " + percent(in.apr) + " exceeds the " + formatPercent(kMaxApr, 0) + " % limit");
    }
    return std::nullopt;
}

// Reg Z discloses the APR to two decimals: round the ppm to the nearest multiple of 100, half up.
Rate roundToHundredth(Rate rate) {
    return Rate{(rate.ppm + 50) / 100 * 100};
}

struct Residual {
    long double value;      // sum p_k v^k - amount
    long double derivative; // d(value)/di
};

Residual residual(long double amount, const std::vector<Cents>& payments, long double i) {
    const long double v = 1.0L / (1.0L + i);
    long double vk = 1.0L;
    long double value = -amount;
    long double derivative = 0.0L;
    long double k = 0.0L;
    for (Cents p : payments) {
        vk *= v;
        k += 1.0L;
        value += static_cast<long double>(p) * vk;
        derivative -= k * static_cast<long double>(p) * vk * v;
    }
    return {value, derivative};
}

template <class Axis, class Apply, class Describe>
Result<PaymentGrid> buildGrid(const DealInput& base, const std::vector<int>& terms, const std::vector<Axis>& rows,
                              const char* rowName, Apply apply, Describe describe) {
    if (terms.empty()) return invalid("a payment grid needs at least one term");
    if (rows.empty()) return invalid(std::string("a payment grid needs at least one ") + rowName);
    PaymentGrid grid;
    grid.terms = terms;
    grid.payments.reserve(rows.size());
    for (const Axis& row : rows) {
        std::vector<Cents> line;
        line.reserve(terms.size());
        for (int term : terms) {
            DealInput cell = base;
            // A grid answers "what would the payment be", so every cell is priced as a financed deal even when
            // the desk currently has the deal marked cash.
            cell.financed = true;
            cell.termMonths = term;
            apply(cell, row);
            auto q = quote(cell);
            if (!q) {
                return fail(q.error().code, "grid cell (" + std::to_string(term) + " months, " + describe(row) +
                                                "): " + q.error().message);
            }
            line.push_back(q->monthlyPayment);
        }
        grid.payments.push_back(std::move(line));
    }
    return grid;
}

} // namespace

Cents monthlyPayment(Cents amountFinanced, Rate apr, int termMonths) {
    if (amountFinanced <= 0 || termMonths < 1 || apr.ppm < 0) return 0;
    if (apr.ppm == 0) {
        // round(P / n) half away from zero, exactly.
        const Cents n = termMonths;
        return (2 * amountFinanced + n) / (2 * n);
    }
    const long double r = static_cast<long double>(apr.ppm) / kMonthlyDivisor;
    // 1 - (1 + r)^-n via expm1/log1p: keeps full precision when r is tiny (0.01 % APR), where the
    // naive form loses most of its digits to cancellation.
    const long double discount = -std::expm1(-static_cast<long double>(termMonths) * std::log1p(r));
    return roundHalfAwayFromZero(static_cast<long double>(amountFinanced) * r / discount);
}

std::vector<Installment> amortize(Cents amountFinanced, Rate apr, int termMonths) {
    std::vector<Installment> schedule;
    if (amountFinanced <= 0 || termMonths < 1 || apr.ppm < 0) return schedule;
    const Cents regular = monthlyPayment(amountFinanced, apr, termMonths);
    schedule.reserve(static_cast<std::size_t>(termMonths));
    Cents balance = amountFinanced;
    for (int k = 1; k <= termMonths; ++k) {
        const Cents interest = monthlyInterest(balance, apr);
        // The rounded payment can be up to half a cent too large each month; on a loan of a few dollars over
        // many months that adds up to more than the balance. Clearing the loan then, rather than letting the
        // balance go negative, keeps the schedule a real loan; quote() refuses such deals.
        const bool last = k == termMonths || regular >= balance + interest;
        const Cents payment = last ? balance + interest : regular;
        const Cents principal = payment - interest;
        balance -= principal;
        schedule.push_back(Installment{k, payment, interest, principal, balance});
        if (last) break;
    }
    return schedule;
}

Result<Rate> solveApr(Cents amountFinanced, const std::vector<Cents>& payments) {
    if (amountFinanced <= 0) return invalid("amount financed must be more than " + money(0));
    if (payments.empty()) return invalid("no payments to compute an APR from");
    __int128 sum = 0;
    for (Cents p : payments) {
        if (p < 0) return invalid("a payment cannot be negative (got " + money(p) + ")");
        sum += p;
    }
    if (sum < amountFinanced) {
        return invalid("the payments total less than the amount financed " + money(amountFinanced) +
                       ": no non-negative APR repays it");
    }
    if (sum == amountFinanced) return Rate{0};

    const long double amount = static_cast<long double>(amountFinanced);
    const long double total = static_cast<long double>(sum);
    // f(i) = sum p_k (1+i)^-k - amount falls monotonically in i. f(0) = total - amount > 0, and at
    // 1 + i = 1 + total/amount every discount factor is below amount/total, so f < 0 there: a bracket.
    long double lo = 0.0L;
    long double hi = total / amount;
    // First guess from the simple-interest approximation, which is close for level payments.
    long double i = 2.0L * (total - amount) / (amount * (static_cast<long double>(payments.size()) + 1.0L));
    if (!(i > lo && i < hi)) i = (lo + hi) / 2.0L;
    constexpr long double kTolerance = 1e-12L;
    for (int iteration = 0; iteration < 500; ++iteration) {
        const Residual f = residual(amount, payments, i);
        if (f.value == 0.0L) break;
        if (f.value > 0.0L)
            lo = i;
        else
            hi = i;
        long double next = f.derivative != 0.0L ? i - f.value / f.derivative : lo - 1.0L;
        // Newton converges quadratically near the root; bisection takes over whenever a step leaves the
        // bracket (far from the root, or very uneven payment streams).
        if (!(next > lo && next < hi)) next = (lo + hi) / 2.0L;
        const bool converged = std::fabs(next - i) < kTolerance || hi - lo < kTolerance;
        i = next;
        if (converged) break;
    }
    const long double ppm = std::round(12.0L * i * 1'000'000.0L);
    // 10^10 ppm is a 1,000,000 % APR: anything beyond is a data error, and it would not fit a Rate.
    if (!(ppm <= 1e10L)) return invalid("the payments imply an APR above 1,000,000 %");
    return Rate{static_cast<std::int64_t>(ppm)};
}

Result<Quote> quote(const DealInput& in) {
    if (auto error = validate(in)) return *error;

    Quote q;
    Cents addOnsTotal = 0;
    Cents taxableAddOns = 0;
    for (const AddOn& addOn : in.addOns) {
        addOnsTotal += addOn.amount;
        if (addOn.taxable) taxableAddOns += addOn.amount;
    }
    q.cashPrice = in.price - in.discount + addOnsTotal;
    const Cents taxable = in.price - in.discount + taxableAddOns + (in.tax.docFeeTaxable ? in.docFee : 0) +
                          (in.tax.titleFeeTaxable ? in.titleFee : 0) - (in.tax.netOfTrade ? in.tradeInAllowance : 0);
    // A trade worth more than the purchase does not earn a tax refund.
    q.taxableAmount = std::max<Cents>(taxable, 0);
    q.salesTax = applyRate(q.taxableAmount, in.tax.rate);
    q.tradeEquity = in.tradeInAllowance - in.tradeInPayoff;
    q.fees = in.docFee + in.titleFee;
    q.totalDue = q.cashPrice + q.salesTax + q.fees - q.tradeEquity;
    // Reg Z counts positive trade equity as part of the down payment; negative equity is financed, not paid.
    q.downPayment = in.cashDown + std::max<Cents>(q.tradeEquity, 0);

    if (!in.financed) {
        // A negative totalDue (trade equity above everything owed) is money the dealer pays the buyer; only cash
        // handed over beyond what is owed is refused, since the desk would have to give it straight back.
        if (in.cashDown > std::max<Cents>(q.totalDue, 0)) {
            return invalid("cash down " + money(in.cashDown) + " exceeds the amount due " + money(q.totalDue));
        }
        q.balanceDueOnDelivery = q.totalDue - in.cashDown;
        q.totalSalePrice = q.totalDue;
        return q;
    }

    q.amountFinanced = q.totalDue - in.cashDown;
    if (q.amountFinanced <= 0) {
        return invalid("nothing to finance: record it as a cash deal (cash down " + money(in.cashDown) +
                       " covers the " + money(q.totalDue) + " due)");
    }
    q.monthlyPayment = monthlyPayment(q.amountFinanced, in.apr, in.termMonths);
    q.schedule = amortize(q.amountFinanced, in.apr, in.termMonths);
    if (q.monthlyPayment <= 0 || static_cast<int>(q.schedule.size()) != in.termMonths) {
        return invalid("amount financed " + money(q.amountFinanced) + " is too small to spread over " +
                       std::to_string(in.termMonths) + " monthly payments: shorten the term or record a cash deal");
    }
    q.numberOfPayments = in.termMonths;
    q.lastPayment = q.schedule.back().payment;
    std::vector<Cents> stream;
    stream.reserve(q.schedule.size());
    for (const Installment& row : q.schedule) {
        q.totalOfPayments += row.payment;
        stream.push_back(row.payment);
    }
    q.financeCharge = q.totalOfPayments - q.amountFinanced;
    q.totalSalePrice = q.totalOfPayments + q.downPayment;
    auto apr = solveApr(q.amountFinanced, stream);
    if (!apr) return fail(ErrorCode::Internal, "could not disclose the APR: " + apr.error().message);
    q.apr = roundToHundredth(*apr);
    return q;
}

Result<PaymentGrid> gridByDown(const DealInput& base, const std::vector<int>& terms, const std::vector<Cents>& downs) {
    auto grid = buildGrid(
        base, terms, downs, "cash down", [](DealInput& cell, Cents down) { cell.cashDown = down; },
        [](Cents down) { return "down " + money(down); });
    if (!grid) return grid;
    grid->downs = downs;
    grid->aprs = {base.apr};
    return grid;
}

Result<PaymentGrid> gridByApr(const DealInput& base, const std::vector<int>& terms, const std::vector<Rate>& aprs) {
    auto grid = buildGrid(
        base, terms, aprs, "APR", [](DealInput& cell, Rate apr) { cell.apr = apr; },
        [](Rate apr) { return "APR " + percent(apr); });
    if (!grid) return grid;
    grid->downs = {base.cashDown};
    grid->aprs = aprs;
    return grid;
}

} // namespace showroom::core::finance
