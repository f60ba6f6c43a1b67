// Per-jurisdiction tax rules from configuration, and what they do to a deal.
#include "showroom/core/tax_rules.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>

namespace core = showroom::core;
using core::ErrorCode;

namespace {

core::TaxRules shippedExample() {
    const std::string text = showroom::test::readFile(SHOWROOM_SOURCE_DIR "/config/tax_rules.example.json");
    auto rules = core::parseTaxRules(text);
    EXPECT_TRUE(rules.ok()) << (rules.ok() ? "" : rules.error().message);
    return rules.ok() ? *rules : core::TaxRules{};
}

TEST(TaxRules, ShippedExampleParsesWithItsDefault) {
    const auto rules = shippedExample();
    EXPECT_EQ(rules.defaultCode, "US-IL");
    auto il = rules.find("");
    ASSERT_TRUE(il.ok());
    EXPECT_EQ(il->rate.ppm, 62'500);
    EXPECT_TRUE(il->netOfTrade);
    auto ca = rules.find("US-CA");
    ASSERT_TRUE(ca.ok());
    EXPECT_EQ(ca->rate.ppm, 72'500);
    EXPECT_FALSE(ca->netOfTrade);
}

TEST(TaxRules, UnknownJurisdictionNamesTheKnownOnes) {
    auto missing = shippedExample().find("US-ZZ");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
    EXPECT_NE(missing.error().message.find("US-CA"), std::string::npos);
}

TEST(TaxRules, TheRuleDecidesWhetherTheTradeInLowersTheTax) {
    const auto rules = shippedExample();
    core::finance::DealInput in;
    in.price = 3'000'000;
    in.tradeInAllowance = 1'000'000;
    in.financed = false;
    in.tax = rules.find("US-IL").value();
    EXPECT_EQ(core::finance::quote(in)->salesTax, 125'000); // 6.25 % of $20,000
    in.tax = rules.find("US-CA").value();
    EXPECT_EQ(core::finance::quote(in)->salesTax, 217'500); // 7.25 % of $30,000
}

TEST(TaxRules, MalformedFilesAreRefusedWithTheEntryNamed) {
    const std::pair<const char*, const char*> cases[] = {
        {"not json", "not a JSON object"},
        {R"({"jurisdictions": {}})", "non-empty"},
        {R"({"jurisdictions": {"X": {"rate": 6.25}}})", "tax rule X"},
        {R"({"jurisdictions": {"X": {"rate": "abc"}}})", "tax rule X"},
        {R"({"jurisdictions": {"X": {"rate": "30"}}})", "25 %"},
        {R"({"jurisdictions": {"X": {"rate": "6", "net_of_trade": "yes"}}})", "net_of_trade"},
        {R"({"jurisdictions": {"X": {"rate": "6"}}, "default": "Y"})", "default"},
    };
    for (const auto& [text, needle] : cases) {
        auto rules = core::parseTaxRules(text);
        ASSERT_FALSE(rules.ok()) << text;
        EXPECT_EQ(rules.error().code, ErrorCode::InvalidInput) << text;
        EXPECT_NE(rules.error().message.find(needle), std::string::npos) << text << " -> " << rules.error().message;
    }
}

} // namespace
