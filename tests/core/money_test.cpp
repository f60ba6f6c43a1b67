#include "showroom/core/money.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace core = showroom::core;
using core::Cents;
using core::ErrorCode;
using core::Rate;

namespace {

constexpr Cents kMin = std::numeric_limits<Cents>::min();
constexpr Cents kMax = std::numeric_limits<Cents>::max();

// Returns the message after checking that parseMoney refused `text` as InvalidInput.
std::string moneyRefusal(std::string_view text) {
    auto result = core::parseMoney(text);
    EXPECT_FALSE(result.ok()) << "'" << text << "' was accepted as " << (result.ok() ? *result : 0) << " cents";
    if (result.ok()) return {};
    EXPECT_EQ(result.error().code, ErrorCode::InvalidInput);
    return result.error().message;
}

std::string percentRefusal(std::string_view text) {
    auto result = core::parsePercent(text);
    EXPECT_FALSE(result.ok()) << "'" << text << "' was accepted as " << (result.ok() ? result->ppm : 0) << " ppm";
    if (result.ok()) return {};
    EXPECT_EQ(result.error().code, ErrorCode::InvalidInput);
    return result.error().message;
}

Cents money(std::string_view text) {
    auto result = core::parseMoney(text);
    EXPECT_TRUE(result.ok()) << "'" << text << "': " << (result.ok() ? "" : result.error().message);
    return result.ok() ? *result : -1;
}

std::int64_t ppm(std::string_view text) {
    auto result = core::parsePercent(text);
    EXPECT_TRUE(result.ok()) << "'" << text << "': " << (result.ok() ? "" : result.error().message);
    return result.ok() ? result->ppm : -1;
}

// ---- formatting -----------------------------------------------------------------------------------------

TEST(MoneyFormat, PlainDecimalHasTwoDecimalsAndNoSeparators) {
    EXPECT_EQ(core::formatCents(0), "0.00");
    EXPECT_EQ(core::formatCents(5), "0.05");
    EXPECT_EQ(core::formatCents(-5), "-0.05");
    EXPECT_EQ(core::formatCents(100), "1.00");
    EXPECT_EQ(core::formatCents(123456), "1234.56");
    EXPECT_EQ(core::formatCents(-123456), "-1234.56");
    EXPECT_EQ(core::formatCents(3'145'000), "31450.00");
}

TEST(MoneyFormat, PlainDecimalSurvivesInt64Extremes) {
    EXPECT_EQ(core::formatCents(kMax), "92233720368547758.07");
    EXPECT_EQ(core::formatCents(kMin), "-92233720368547758.08");
}

TEST(MoneyFormat, ForPeopleGroupsThousandsAndPutsSignBeforeSymbol) {
    EXPECT_EQ(core::formatMoney(0), "$0.00");
    EXPECT_EQ(core::formatMoney(-5), "-$0.05");
    EXPECT_EQ(core::formatMoney(99'999), "$999.99");
    EXPECT_EQ(core::formatMoney(100'000), "$1,000.00");
    EXPECT_EQ(core::formatMoney(123456), "$1,234.56");
    EXPECT_EQ(core::formatMoney(-123456), "-$1,234.56");
    EXPECT_EQ(core::formatMoney(3'145'000), "$31,450.00");
    EXPECT_EQ(core::formatMoney(123'456'789'00), "$123,456,789.00");
    EXPECT_EQ(core::formatMoney(123456, ""), "1,234.56");
    EXPECT_EQ(core::formatMoney(-123456, "EUR "), "-EUR 1,234.56");
}

TEST(MoneyFormat, ForPeopleSurvivesInt64Extremes) {
    EXPECT_EQ(core::formatMoney(kMax), "$92,233,720,368,547,758.07");
    EXPECT_EQ(core::formatMoney(kMin), "-$92,233,720,368,547,758.08");
}

// ---- parsing money --------------------------------------------------------------------------------------

TEST(MoneyParse, AcceptsWhatPeopleType) {
    EXPECT_EQ(money("1234.56"), 123456);
    EXPECT_EQ(money("1,234.56"), 123456);
    EXPECT_EQ(money("1,234.5"), 123450);
    EXPECT_EQ(money("$30000"), 3'000'000);
    EXPECT_EQ(money("$30,000.00"), 3'000'000);
    EXPECT_EQ(money(" 7.00 "), 700);
    EXPECT_EQ(money("-12"), -1200);
    EXPECT_EQ(money("-$0.05"), -5);
    EXPECT_EQ(money("0"), 0);
    EXPECT_EQ(money(".5"), 50);
}

TEST(MoneyParse, RoundTripsWithFormatting) {
    for (Cents c : {Cents{0}, Cents{1}, Cents{-1}, Cents{99}, Cents{123456}, Cents{-987654321}, Cents{3'145'000}}) {
        EXPECT_EQ(money(core::formatCents(c)), c) << core::formatCents(c);
        EXPECT_EQ(money(core::formatMoney(c)), c) << core::formatMoney(c);
    }
}

TEST(MoneyParse, RefusesMoreThanTwoDecimals) {
    // "1.234" is a thousand-separator typo in half the world; guessing would be worse than asking.
    const std::string message = moneyRefusal("1.234");
    EXPECT_NE(message.find("decimals"), std::string::npos) << message;
}

TEST(MoneyParse, RefusesStrayCharactersAndEmptyText) {
    EXPECT_NE(moneyRefusal("12a").find("'a'"), std::string::npos);
    EXPECT_NE(moneyRefusal("1e5").find("'e'"), std::string::npos);
    moneyRefusal("");
    moneyRefusal("   ");
    moneyRefusal("$");
    moneyRefusal("-");
    moneyRefusal("1.2.3");
    moneyRefusal("12 34");
}

TEST(MoneyParse, RefusesDoubleMinus) {
    // "--5" is a typo, not five dollars: the two signs must not cancel out.
    moneyRefusal("--5");
    moneyRefusal("-$-5");
}

TEST(MoneyParse, RefusesAmountsBeyondTenTrillionDollars) {
    EXPECT_EQ(money("10000000000000"), 10'000'000'000'000 * 100);
    moneyRefusal("10000000000001");
    moneyRefusal("-99999999999999999999");
}

TEST(MoneyParse, TenKilobyteInputIsRefusedWithShortMessage) {
    const std::string digits(10 * 1024, '9');
    const std::string digitsMessage = moneyRefusal(digits);
    EXPECT_LT(digitsMessage.size(), 200u) << "the message echoes the whole input";

    std::string junk(10 * 1024, 'x');
    const std::string junkMessage = moneyRefusal(junk);
    EXPECT_LT(junkMessage.size(), 200u) << "the message echoes the whole input";
}

// ---- parsing rates --------------------------------------------------------------------------------------

TEST(PercentParse, AcceptsLenderAndTaxOfficeRates) {
    EXPECT_EQ(ppm("6.9"), 69'000);
    EXPECT_EQ(ppm("7.25"), 72'500);
    EXPECT_EQ(ppm("6.875"), 68'750);
    EXPECT_EQ(ppm("6.875%"), 68'750);
    EXPECT_EQ(ppm(" 6.9 % "), 69'000);
    EXPECT_EQ(ppm("0"), 0);
    EXPECT_EQ(ppm("100"), 1'000'000);
    EXPECT_EQ(ppm("0.0001"), 1);
    EXPECT_EQ(core::parsePercent("6.9").value(), Rate::fromPercentHundredths(690));
}

TEST(PercentParse, RefusesNegativeRates) {
    const std::string message = percentRefusal("-1");
    EXPECT_NE(message.find("negative"), std::string::npos) << message;
}

TEST(PercentParse, RefusesTextAndMoreThanFourDecimals) {
    percentRefusal("abc");
    percentRefusal("");
    percentRefusal("%");
    percentRefusal("6,9"); // a decimal comma is not silently read as 69 %
    EXPECT_NE(percentRefusal("6.87501").find("decimals"), std::string::npos);
}

// ---- formatting rates -----------------------------------------------------------------------------------

TEST(PercentFormat, RoundsHalfUpToTheRequestedDecimals) {
    EXPECT_EQ(core::formatPercent(Rate{69'000}), "6.90");
    EXPECT_EQ(core::formatPercent(Rate{68'750}), "6.88"); // 6.875 -> 6.88
    EXPECT_EQ(core::formatPercent(Rate{68'749}), "6.87"); // 6.8749 -> 6.87
    EXPECT_EQ(core::formatPercent(Rate{68'750}, 3), "6.875");
    EXPECT_EQ(core::formatPercent(Rate{68'750}, 1), "6.9");
    EXPECT_EQ(core::formatPercent(Rate{65'000}, 0), "7");
    EXPECT_EQ(core::formatPercent(Rate{64'999}, 0), "6");
    EXPECT_EQ(core::formatPercent(Rate{99'950}), "10.00"); // 9.995 carries into the tens
    EXPECT_EQ(core::formatPercent(Rate{68'751}, 4), "6.8751");
    EXPECT_EQ(core::formatPercent(Rate{0}), "0.00");
    EXPECT_EQ(core::formatPercent(Rate{500}), "0.05");
}

TEST(PercentFormat, NegativeRatesRoundTheMagnitude) {
    EXPECT_EQ(core::formatPercent(Rate{-69'000}), "-6.90");
    EXPECT_EQ(core::formatPercent(Rate{-68'750}), "-6.88");
    EXPECT_EQ(core::formatPercent(Rate{-68'749}), "-6.87");
}

TEST(PercentFormat, MoreDecimalsThanStoredArePaddedNotShifted) {
    // A rate is stored to 1/10,000 of a percent; asking for 5 or 6 decimals must still print 6.9 %.
    EXPECT_EQ(core::formatPercent(Rate{69'000}, 5), "6.90000");
    EXPECT_EQ(core::formatPercent(Rate{68'751}, 6), "6.875100");
}

TEST(PercentFormat, ParsedRateFormatsBack) {
    for (std::string_view text : {"6.90", "7.25", "0.00", "36.00", "0.01"})
        EXPECT_EQ(core::formatPercent(core::parsePercent(text).value()), text);
}

// ---- applying rates -------------------------------------------------------------------------------------

TEST(ApplyRate, RoundsHalfAwayFromZeroForBothSigns) {
    const Rate half{500'000};                 // 50 %
    EXPECT_EQ(core::applyRate(1, half), 1);   // 0.5 -> 1
    EXPECT_EQ(core::applyRate(-1, half), -1); // -0.5 -> -1
    EXPECT_EQ(core::applyRate(3, half), 2);   // 1.5 -> 2
    EXPECT_EQ(core::applyRate(-3, half), -2); // -1.5 -> -2

    const Rate tax{62'500};                // 6.25 %
    EXPECT_EQ(core::applyRate(8, tax), 1); // 0.5 -> 1
    EXPECT_EQ(core::applyRate(-8, tax), -1);
    EXPECT_EQ(core::applyRate(7, tax), 0); // 0.4375 -> 0
    EXPECT_EQ(core::applyRate(-7, tax), 0);
    EXPECT_EQ(core::applyRate(9, tax), 1);               // 0.5625 -> 1
    EXPECT_EQ(core::applyRate(3'145'000, tax), 196'563); // $31,450 * 6.25 % = $1,965.625 -> $1,965.63
    EXPECT_EQ(core::applyRate(-3'145'000, tax), -196'563);
}

TEST(ApplyRate, IsExactForLargeAmounts) {
    // $10,000,000.00 at 6.875 % is $687,500.00 exactly; a double-based product could drift by a cent.
    EXPECT_EQ(core::applyRate(1'000'000'000, Rate{68'750}), 68'750'000);
    EXPECT_EQ(core::applyRate(kMax, Rate{1'000'000}), kMax);
    EXPECT_EQ(core::applyRate(kMin, Rate{1'000'000}), kMin);
    EXPECT_EQ(core::applyRate(123'457, Rate{0}), 0);
}

TEST(ApplyRate, RoundHalfAwayFromZeroMatchesForFractionalCents) {
    EXPECT_EQ(core::roundHalfAwayFromZero(0.5L), 1);
    EXPECT_EQ(core::roundHalfAwayFromZero(-0.5L), -1);
    EXPECT_EQ(core::roundHalfAwayFromZero(2.5L), 3);
    EXPECT_EQ(core::roundHalfAwayFromZero(-2.5L), -3);
    EXPECT_EQ(core::roundHalfAwayFromZero(2.4999L), 2);
    EXPECT_EQ(core::roundHalfAwayFromZero(-2.4999L), -2);
}

} // namespace
