#pragma once
// A deal as the desk enters it, shared by the deal tests, the contract tests and the contract benchmark.

#include "showroom/core/finance.hpp"

namespace showroom::test {

/// $42,990 car, $1,000 off, trade worth $8,000 with $3,000 owed, $499 doc fee, $350 title, $5,000 down,
/// 6.25 % tax, 60 months at 6.9 %.
inline core::finance::DealInput financedInput() {
    core::finance::DealInput in;
    in.price = 4'299'000;
    in.discount = 100'000;
    in.tradeInAllowance = 800'000;
    in.tradeInPayoff = 300'000;
    in.docFee = 49'900;
    in.titleFee = 35'000;
    in.cashDown = 500'000;
    in.tax.rate = core::Rate{62'500};
    in.financed = true;
    in.apr = core::Rate{69'000};
    in.termMonths = 60;
    return in;
}

} // namespace showroom::test
