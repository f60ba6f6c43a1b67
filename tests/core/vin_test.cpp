#include "showroom/core/vin.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace vin = showroom::core::vin;
using showroom::core::ErrorCode;

namespace {

// The caller passes "current calendar year + 1"; pinned here so the expectations never drift with the clock.
constexpr int kLatest = 2026;

// The example from the team's brief: Motor Coach Industries coach, check digit 'X', model year 1989.
constexpr std::string_view kCoach = "1M8GDM9AXKP042788";

// Returns clean()'s message after checking that it refused `raw` as InvalidInput.
std::string refusal(std::string_view raw) {
    auto result = vin::clean(raw);
    EXPECT_FALSE(result.ok()) << "accepted as " << (result.ok() ? *result : std::string());
    if (result.ok()) return {};
    EXPECT_EQ(result.error().code, ErrorCode::InvalidInput);
    return result.error().message;
}

bool anyContains(const std::vector<std::string>& sentences, std::string_view needle) {
    return std::any_of(sentences.begin(), sentences.end(),
                       [&](const std::string& s) { return s.find(needle) != std::string::npos; });
}

std::string withCheckDigit(std::string vin17) {
    vin17[8] = vin::computeCheckDigit(vin17);
    return vin17;
}

// ---- check digit ----------------------------------------------------------------------------------------

TEST(VinCheckDigit, AllOnesGivesOne) {
    // Every character is worth 1, so the sum is the sum of the weights:
    // 8+7+6+5+4+3+2+10+0+9+8+7+6+5+4+3+2 = 89 = 8*11 + 1 -> '1'.
    EXPECT_EQ(vin::computeCheckDigit("11111111111111111"), '1');
}

TEST(VinCheckDigit, RemainderTenGivesX) {
    // 1*8 + M4*7 + 8*6 + G7*5 + D4*4 + M4*3 + 9*2 + A1*10 + K2*9 + P7*8 + 0*7 + 4*6 + 2*5 + 7*4 + 8*3 + 8*2
    // = 8+28+48+35+16+12+18+10+18+56+0+24+10+28+24+16 = 351 = 31*11 + 10 -> 'X'.
    EXPECT_EQ(vin::computeCheckDigit(kCoach), 'X');
}

TEST(VinCheckDigit, WidelyPublishedHondaSampleGivesThree) {
    // 1*8 + H8*7 + G7*6 + C3*5 + M4*4 + 8*3 + 2*2 + 6*10 + 3*9 + A1*8 + 0*7 + 0*6 + 4*5 + 3*4 + 5*3 + 2*2
    // = 8+56+42+15+16+24+4+60+27+8+0+0+20+12+15+4 = 311 = 28*11 + 3 -> '3'.
    EXPECT_EQ(vin::computeCheckDigit("1HGCM82633A004352"), '3');
}

TEST(VinCheckDigit, RemainderZeroGivesDigitZero) {
    // A1*8 + H8*7 + T3*6 + F6*5 + R9*4 + 2*3 + 2*2 + G7*10 + 7*9 + 6*8 + 0*(7+6+5+4+3) + 1*2
    // = 8+56+18+30+36+6+4+70+63+48+2 = 341 = 31*11 -> '0'.
    EXPECT_EQ(vin::computeCheckDigit("AHTFR22G076000001"), '0');
}

TEST(VinCheckDigit, EuropeanAndAsianVinsUseTheSameArithmetic) {
    // W6*8 + B2*7 + A1*6 + 8*5 + E5*4 + 9*3 + C3*2 + 5*10 + K2*9 + A1*8 + 1*2 = 239 = 21*11 + 8 -> '8'.
    EXPECT_EQ(vin::computeCheckDigit("WBA8E9C58KA000001"), '8');
    // L3*8 + G7*7 + X7*6 + C3*5 + E5*4 + 4*3 + C3*2 + B2*10 + R9*9 + 0*8 + 1*2 = 271 = 24*11 + 7 -> '7'.
    EXPECT_EQ(vin::computeCheckDigit("LGXCE4CB7R0000001"), '7');
    // J1*8 + T3*7 + D4*6 + K2*5 + B2*4 + 2*3 + 0*2 + U4*10 + K2*9 + 3*8 + 1*2 = 161 = 14*11 + 7 -> '7'.
    EXPECT_EQ(vin::computeCheckDigit("JTDKB20U7K3000001"), '7');
}

TEST(VinCheckDigit, IgnoresWhatPositionNineCurrentlyHolds) {
    EXPECT_EQ(vin::computeCheckDigit("1M8GDM9A0KP042788"), 'X');
    EXPECT_EQ(vin::computeCheckDigit("1M8GDM9A7KP042788"), 'X');
}

TEST(VinCheckDigit, SignalsMalformedInputInsteadOfGuessing) {
    EXPECT_EQ(vin::computeCheckDigit("1M8GDM9AXKP04278"), '?');  // 16 characters
    EXPECT_EQ(vin::computeCheckDigit("1M8GDM9AXKP0427O8"), '?'); // letter O
}

// ---- clean ------------------------------------------------------------------------------------------

TEST(VinClean, AcceptsLowerCaseAndReturnsUpperCase) {
    auto result = vin::clean("1m8gdm9axkp042788");
    ASSERT_TRUE(result.ok()) << result.error().message;
    EXPECT_EQ(*result, kCoach);
}

TEST(VinClean, TrimsSpacesTabsAndLineEndsAroundTheVin) {
    for (std::string_view raw :
         {"  1M8GDM9AXKP042788  ", "1M8GDM9AXKP042788\r\n", "\t1M8GDM9AXKP042788\n", "\r\n 1M8GDM9AXKP042788\t\r\n"}) {
        auto result = vin::clean(raw);
        ASSERT_TRUE(result.ok()) << result.error().message;
        EXPECT_EQ(*result, kCoach);
    }
}

TEST(VinClean, DropsTheLeadingIThatCode39LabelsCarry) {
    for (std::string_view raw : {"I1M8GDM9AXKP042788", "i1m8gdm9axkp042788", " I1M8GDM9AXKP042788\r\n"}) {
        auto result = vin::clean(raw);
        ASSERT_TRUE(result.ok()) << result.error().message;
        EXPECT_EQ(*result, kCoach);
    }
}

TEST(VinClean, KeepsALeadingIWhenItIsNotAnExtraCharacter) {
    // 17 characters starting with I: nothing to drop, so the I itself is the problem.
    const std::string message = refusal("I1M8GDM9AXKP04278");
    EXPECT_NE(message.find("'I' at position 1"), std::string::npos) << message;
}

TEST(VinClean, RefusesSixteenCharactersAndSaysHowMany) {
    const std::string message = refusal("1M8GDM9AXKP04278");
    EXPECT_NE(message.find("16 characters"), std::string::npos) << message;
    EXPECT_NE(message.find("17"), std::string::npos) << message;
}

TEST(VinClean, RefusesEighteenCharactersThatDoNotStartWithI) {
    const std::string message = refusal("11M8GDM9AXKP042788");
    EXPECT_NE(message.find("18 characters"), std::string::npos) << message;
}

TEST(VinClean, RefusesEmptyAndBlankInput) {
    for (std::string_view raw : {"", "   ", "\r\n", "\t \r\n"}) {
        const std::string message = refusal(raw);
        EXPECT_NE(message.find("empty"), std::string::npos) << message;
    }
}

TEST(VinClean, RefusesEachOfIOAndQAndNamesThePosition) {
    for (char letter : {'I', 'O', 'Q'}) {
        std::string raw(kCoach);
        raw[4] = letter;
        const std::string message = refusal(raw);
        EXPECT_NE(message.find(std::string("'") + letter + "' at position 5"), std::string::npos) << message;
    }
}

TEST(VinClean, RefusesCyrillicLookAlikeLetter) {
    // Position 8 is a Cyrillic capital A (U+0410), which looks exactly like the Latin A.
    const std::string message = refusal("1M8GDM9\xD0\x90XKP042788");
    EXPECT_NE(message.find("non-ASCII character at position 8"), std::string::npos) << message;
    EXPECT_NE(message.find("Cyrillic"), std::string::npos) << message;
}

TEST(VinClean, RefusesFullWidthDigits) {
    // Position 1 is a full-width digit one (U+FF11), as some Asian input methods produce.
    const std::string message = refusal("\xEF\xBC\x91M8GDM9AXKP042788");
    EXPECT_NE(message.find("non-ASCII character at position 1"), std::string::npos) << message;
    EXPECT_NE(message.find("full-width"), std::string::npos) << message;
}

TEST(VinClean, RefusesControlCharactersInside) {
    const std::string withBell = std::string("1M8GDM9A") + '\x07' + "XKP042788";
    EXPECT_NE(refusal(withBell).find("control character (0x07) at position 9"), std::string::npos);
    const std::string withTab = std::string("1M8GDM9A") + '\t' + "XKP042788";
    EXPECT_NE(refusal(withTab).find("control character (tab) at position 9"), std::string::npos);
    const std::string withDelete = std::string("1M8GDM9A") + '\x7F' + "XKP042788";
    EXPECT_NE(refusal(withDelete).find("control character (0x7F) at position 9"), std::string::npos);
}

TEST(VinClean, RefusesEmbeddedNul) {
    const std::string raw = std::string("1M8GDM9AX") + '\0' + "KP042788";
    ASSERT_EQ(raw.size(), 18U);
    const std::string message = refusal(raw);
    EXPECT_NE(message.find("control character (NUL) at position 10"), std::string::npos) << message;
}

TEST(VinClean, RefusesAnInternalSpace) {
    const std::string message = refusal("1M8GDM9AX KP042788");
    EXPECT_NE(message.find("space at position 10"), std::string::npos) << message;
}

TEST(VinClean, TenKilobyteInputGivesAShortMessageQuickly) {
    const std::string huge(10 * 1024, 'A');
    const auto start = std::chrono::steady_clock::now();
    const std::string message = refusal(huge);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_LT(elapsed, std::chrono::milliseconds(100));
    EXPECT_LE(message.size(), 120U) << message;
    EXPECT_NE(message.find("10240 characters"), std::string::npos) << message;
}

TEST(VinClean, NeverQuotesMoreThanFortyCharactersOfTheInput) {
    std::string raw;
    for (int i = 0; i < 10; ++i)
        raw += "ABCDEFGHJK";           // 100 characters
    raw.replace(40, 10, "ZYXWVUTSRP"); // a marker that starts right after the first 40
    const std::string message = refusal(raw);
    EXPECT_EQ(message.find("ZYXWVUTSRP"), std::string::npos) << message;
}

TEST(VinClean, RefusesSqlMetacharacters) {
    EXPECT_NE(refusal("1M8GDM9AXKP04278'").find("at position 17"), std::string::npos);
    EXPECT_NE(refusal("1M8GDM9AX;KP04278").find("';' at position 10"), std::string::npos);
    EXPECT_NE(refusal("1M8GDM9AX--P04278").find("'-' at position 10"), std::string::npos);
    const std::string injection = "1M8GDM9AXKP042788'); DROP TABLE vehicles; --";
    const std::string message = refusal(injection);
    EXPECT_EQ(message.find("DROP TABLE"), std::string::npos) << message;
}

// ---- decode -----------------------------------------------------------------------------------------

TEST(VinDecode, NorthAmericanExampleDecodesCompletely) {
    const vin::Report report = vin::decode(kCoach, kLatest);
    EXPECT_TRUE(report.valid);
    EXPECT_TRUE(report.checkDigitOk);
    EXPECT_TRUE(report.errors.empty());
    EXPECT_TRUE(report.warnings.empty());
    EXPECT_EQ(report.input, kCoach);
    EXPECT_EQ(report.vin, kCoach);
    EXPECT_EQ(report.wmi, "1M8");
    EXPECT_EQ(report.manufacturer, "Motor Coach Industries");
    EXPECT_EQ(report.country, "United States");
    EXPECT_EQ(report.region, "North America");
    EXPECT_EQ(report.modelYearCandidates, std::vector<int>{1989});
    EXPECT_FALSE(report.modelYearAmbiguous);
}

TEST(VinDecode, NorthAmericanVinWithWrongCheckDigitIsInvalid) {
    const vin::Report report = vin::decode("1M8GDM9AXKP042789", kLatest);
    EXPECT_FALSE(report.valid);
    EXPECT_FALSE(report.checkDigitOk);
    EXPECT_TRUE(anyContains(report.errors, "check digit 'X' does not match the computed")) << report.errors.at(0);
}

TEST(VinDecode, EuropeanVinWithWrongCheckDigitIsOnlyWarned) {
    const vin::Report report = vin::decode("WBA8E9C50KA000001", kLatest); // correct digit is '8'
    EXPECT_TRUE(report.valid);
    EXPECT_FALSE(report.checkDigitOk);
    EXPECT_TRUE(report.errors.empty());
    EXPECT_TRUE(anyContains(report.warnings, "not mandatory outside North America"));
    EXPECT_EQ(report.manufacturer, "BMW");
    EXPECT_EQ(report.region, "Europe");
}

TEST(VinDecode, AsianVinWithWrongCheckDigitIsOnlyWarned) {
    const vin::Report report = vin::decode("LGXCE4CB1R0000001", kLatest); // correct digit is '7'
    EXPECT_TRUE(report.valid);
    EXPECT_FALSE(report.checkDigitOk);
    EXPECT_TRUE(report.errors.empty());
    EXPECT_TRUE(anyContains(report.warnings, "check digit '1' does not match the computed '7'"));
    EXPECT_EQ(report.manufacturer, "BYD");
    EXPECT_EQ(report.region, "Asia");
}

TEST(VinDecode, ModelYearOutsideNorthAmericaIsAmbiguousNotGuessed) {
    const vin::Report report = vin::decode("JTDKB20U7K3000001", kLatest);
    EXPECT_TRUE(report.valid);
    EXPECT_EQ(report.modelYearCandidates, (std::vector<int>{1989, 2019}));
    EXPECT_TRUE(report.modelYearAmbiguous);
    EXPECT_TRUE(anyContains(report.warnings, "model year is ambiguous: 1989 or 2019"));
}

TEST(VinDecode, ModelYearCandidatesStopAtTheLatestModelYear) {
    const vin::Report early = vin::decode("WBA8E9C58KA000001", 2018);
    EXPECT_EQ(early.modelYearCandidates, std::vector<int>{1989});
    EXPECT_FALSE(early.modelYearAmbiguous);
    EXPECT_TRUE(early.warnings.empty());

    const vin::Report late = vin::decode("WBA8E9C58KA000001", 2050);
    EXPECT_EQ(late.modelYearCandidates, (std::vector<int>{1989, 2019, 2049}));
    EXPECT_TRUE(anyContains(late.warnings, "model year is ambiguous: 1989, 2019 or 2049"));
}

TEST(VinDecode, PositionSevenPicksTheYearCycleInNorthAmerica) {
    // Position 7 '9' (a digit): the 1980-2009 cycle, so 'K' is 1989.
    const vin::Report coach = vin::decode(kCoach, kLatest);
    EXPECT_EQ(coach.modelYearCandidates, std::vector<int>{1989});
    // Position 7 'E' (a letter): the 2010-2039 cycle, so 'K' is 2019.
    const vin::Report tesla = vin::decode("5YJ3E1EA8KF000001", kLatest);
    EXPECT_TRUE(tesla.valid);
    EXPECT_EQ(tesla.modelYearCandidates, std::vector<int>{2019});
    EXPECT_FALSE(tesla.modelYearAmbiguous);
    EXPECT_FALSE(anyContains(tesla.warnings, "ambiguous"));
}

TEST(VinDecode, NorthAmericanModelYearAfterTheLatestIsWarned) {
    // 'Y' with a letter in position 7 is 2030, which cannot exist when the latest model year is 2026.
    const vin::Report report = vin::decode("5YJ3E1EA7YF000001", kLatest);
    EXPECT_TRUE(report.checkDigitOk);
    EXPECT_TRUE(report.modelYearCandidates.empty());
    EXPECT_TRUE(anyContains(report.warnings, "2030"));
}

TEST(VinDecode, RefusesModelYearCodesUZAndZero) {
    for (char code : {'U', 'Z', '0'}) {
        std::string raw(kCoach);
        raw[9] = code;
        const vin::Report report = vin::decode(withCheckDigit(raw), kLatest);
        EXPECT_FALSE(report.valid) << code;
        EXPECT_TRUE(report.checkDigitOk) << code;
        EXPECT_TRUE(anyContains(report.errors, "position 10")) << code;
        EXPECT_TRUE(report.modelYearCandidates.empty()) << code;
    }
}

TEST(VinDecode, RefusesPositionNineThatIsNeitherDigitNorX) {
    const vin::Report report = vin::decode("1M8GDM9AAKP042788", kLatest);
    EXPECT_FALSE(report.valid);
    EXPECT_FALSE(report.checkDigitOk);
    EXPECT_TRUE(anyContains(report.errors, "position 9"));
}

TEST(VinDecode, EuropeanFillerInPositionsNineAndTenIsOnlyWarned) {
    // VW-group VINs carry 'Z' fillers: no check digit in position 9, and often no model-year code in
    // position 10. Both are allowed outside North America; the porter is asked for the year instead.
    const vin::Report report = vin::decode("WVWZZZ1JZ3W386752", kLatest);
    EXPECT_TRUE(report.valid);
    EXPECT_TRUE(report.errors.empty());
    EXPECT_FALSE(report.checkDigitOk);
    EXPECT_TRUE(anyContains(report.warnings, "position 9"));
    EXPECT_EQ(report.modelYearCandidates, std::vector<int>{2003}); // '3': 2003, and 2033 is not yet possible
    EXPECT_EQ(report.manufacturer, "Volkswagen");

    const vin::Report noYear = vin::decode("WVWZZZ1JZZW386752", kLatest);
    EXPECT_TRUE(noYear.valid);
    EXPECT_TRUE(anyContains(noYear.warnings, "position 10"));
    EXPECT_TRUE(noYear.modelYearCandidates.empty());
}

TEST(VinDecode, UnknownMakerLeavesFieldsBlankButStaysValid) {
    const vin::Report european = vin::decode("XYZ123458LA000001", kLatest);
    EXPECT_TRUE(european.valid);
    EXPECT_TRUE(european.checkDigitOk);
    EXPECT_EQ(european.wmi, "XYZ");
    EXPECT_EQ(european.manufacturer, "");
    EXPECT_EQ(european.country, "");
    EXPECT_EQ(european.region, "Europe");

    const vin::Report american = vin::decode("4ZZ123452LA000001", kLatest);
    EXPECT_TRUE(american.valid);
    EXPECT_EQ(american.manufacturer, "");
    EXPECT_EQ(american.region, "North America");
    EXPECT_EQ(american.modelYearCandidates, std::vector<int>{1990}); // digit in position 7
}

TEST(VinDecode, CleansScannerInputBeforeDecoding) {
    const std::string raw = "i1m8gdm9axkp042788\r\n";
    const vin::Report report = vin::decode(raw, kLatest);
    EXPECT_TRUE(report.valid);
    EXPECT_EQ(report.input, raw);
    EXPECT_EQ(report.vin, kCoach);
}

TEST(VinDecode, RefusedInputKeepsTheInputAndExplainsWhy) {
    const std::string raw = "  1M8GDM9AXKP0427  ";
    const vin::Report report = vin::decode(raw, kLatest);
    EXPECT_FALSE(report.valid);
    EXPECT_EQ(report.input, raw);
    EXPECT_EQ(report.vin, "");
    EXPECT_EQ(report.wmi, "");
    EXPECT_EQ(report.manufacturer, "");
    EXPECT_EQ(report.region, "Unknown");
    ASSERT_EQ(report.errors.size(), 1U);
    EXPECT_NE(report.errors[0].find("15 characters"), std::string::npos) << report.errors[0];
}

TEST(VinDecode, UsBuiltTeslaFromTheSevenBlockFollowsNorthAmericanRules) {
    const vin::Report report = vin::decode("7SAYGDEEXPF000001", kLatest);
    EXPECT_TRUE(report.valid);
    EXPECT_EQ(report.manufacturer, "Tesla");
    EXPECT_EQ(report.country, "United States");
    EXPECT_EQ(report.region, "North America");
    EXPECT_EQ(report.modelYearCandidates, std::vector<int>{2023});

    const vin::Report altered = vin::decode("7SAYGDEE1PF000001", kLatest);
    EXPECT_FALSE(altered.valid);
}

// ---- regions ----------------------------------------------------------------------------------------

TEST(VinRegion, FirstCharacterBlocksMapToRegions) {
    EXPECT_EQ(vin::regionOf('A'), vin::Region::Africa);
    EXPECT_EQ(vin::regionOf('H'), vin::Region::Africa);
    EXPECT_EQ(vin::regionOf('J'), vin::Region::Asia);
    EXPECT_EQ(vin::regionOf('R'), vin::Region::Asia);
    EXPECT_EQ(vin::regionOf('S'), vin::Region::Europe);
    EXPECT_EQ(vin::regionOf('Z'), vin::Region::Europe);
    EXPECT_EQ(vin::regionOf('1'), vin::Region::NorthAmerica);
    EXPECT_EQ(vin::regionOf('5'), vin::Region::NorthAmerica);
    EXPECT_EQ(vin::regionOf('6'), vin::Region::Oceania);
    EXPECT_EQ(vin::regionOf('7'), vin::Region::Oceania);
    EXPECT_EQ(vin::regionOf('8'), vin::Region::SouthAmerica);
    EXPECT_EQ(vin::regionOf('9'), vin::Region::SouthAmerica);
    EXPECT_EQ(vin::regionOf('0'), vin::Region::Unknown);
    EXPECT_EQ(vin::regionOf('#'), vin::Region::Unknown);
}

TEST(VinRegion, RegionsHaveReadableNames) {
    EXPECT_EQ(vin::toString(vin::Region::Africa), "Africa");
    EXPECT_EQ(vin::toString(vin::Region::Asia), "Asia");
    EXPECT_EQ(vin::toString(vin::Region::Europe), "Europe");
    EXPECT_EQ(vin::toString(vin::Region::NorthAmerica), "North America");
    EXPECT_EQ(vin::toString(vin::Region::Oceania), "Oceania");
    EXPECT_EQ(vin::toString(vin::Region::SouthAmerica), "South America");
    EXPECT_EQ(vin::toString(vin::Region::Unknown), "Unknown");
}

TEST(VinRegion, DecodeReportsRegionAndCountryForEachContinent) {
    struct Case {
        std::string_view vin;
        std::string_view region;
        std::string_view country;
    };
    const Case cases[] = {
        {"AHTFR22G076000001", "Africa", "South Africa"}, {"JTDKB20U7K3000001", "Asia", "Japan"},
        {"WBA8E9C58KA000001", "Europe", "Germany"},      {kCoach, "North America", "United States"},
        {"6G1EK5E319L000001", "Oceania", "Australia"},   {"9BWAB45U8LT000001", "South America", "Brazil"},
    };
    for (const Case& c : cases) {
        const vin::Report report = vin::decode(c.vin, kLatest);
        EXPECT_TRUE(report.valid) << c.vin;
        EXPECT_TRUE(report.checkDigitOk) << c.vin;
        EXPECT_EQ(report.region, c.region) << c.vin;
        EXPECT_EQ(report.country, c.country) << c.vin;
    }
}

// ---- manufacturers ----------------------------------------------------------------------------------

TEST(VinManufacturer, FindsMakersAcrossTheWorld) {
    struct Case {
        std::string_view vin;
        std::string_view name;
        std::string_view country;
    };
    const Case cases[] = {
        {"LGXCE4CB7R0000001", "BYD", "China"},           {"JTDKB20U7K3000001", "Toyota", "Japan"},
        {"KMHD841C7LU000001", "Hyundai", "South Korea"}, {"WBA8E9C58KA000001", "BMW", "Germany"},
        {"1FTFW1E589F000001", "Ford", "United States"},
    };
    for (const Case& c : cases) {
        const vin::Manufacturer* maker = vin::findManufacturer(c.vin);
        ASSERT_NE(maker, nullptr) << c.vin;
        EXPECT_EQ(maker->name, c.name) << c.vin;
        EXPECT_EQ(maker->country, c.country) << c.vin;
        EXPECT_EQ(maker->wmi, c.vin.substr(0, 3));
    }
}

TEST(VinManufacturer, AcceptsABareWmiAndRejectsUnknownOrShortInput) {
    const vin::Manufacturer* tesla = vin::findManufacturer("LRW");
    ASSERT_NE(tesla, nullptr);
    EXPECT_EQ(tesla->name, "Tesla");
    EXPECT_EQ(tesla->country, "China");
    EXPECT_EQ(vin::findManufacturer("XYZ123458LA000001"), nullptr);
    EXPECT_EQ(vin::findManufacturer("WB"), nullptr);
    EXPECT_EQ(vin::findManufacturer(""), nullptr);
}

TEST(VinManufacturer, SmallVolumeMakerIsFoundByPositionsTwelveToFourteen) {
    const vin::Manufacturer* bugatti = vin::findManufacturer("VF9SC3V30LM795001");
    ASSERT_NE(bugatti, nullptr);
    EXPECT_EQ(bugatti->name, "Bugatti");
    EXPECT_EQ(bugatti->wmi, "VF9795");

    // Same WMI, a maker code we do not list: the 3-character entry still answers.
    const vin::Manufacturer* other = vin::findManufacturer("VF9AB1C29LM123001");
    ASSERT_NE(other, nullptr);
    EXPECT_EQ(other->wmi, "VF9");
    EXPECT_EQ(other->country, "France");

    const vin::Report report = vin::decode("VF9SC3V30LM795001", kLatest);
    EXPECT_TRUE(report.valid);
    EXPECT_EQ(report.wmi, "VF9");
    EXPECT_EQ(report.manufacturer, "Bugatti");
}

TEST(VinManufacturer, TableIsLargeSortedAndUnique) {
    EXPECT_GE(vin::manufacturerCount(), 80U);
    const auto table = vin::manufacturers();
    ASSERT_EQ(table.size(), vin::manufacturerCount());
    for (std::size_t i = 0; i < table.size(); ++i) {
        const vin::Manufacturer& m = table[i];
        EXPECT_TRUE(m.wmi.size() == 3 || (m.wmi.size() == 6 && m.wmi[2] == '9')) << m.wmi;
        EXPECT_EQ(m.wmi.find_first_not_of("0123456789ABCDEFGHJKLMNPRSTUVWXYZ"), std::string_view::npos) << m.wmi;
        EXPECT_FALSE(m.name.empty()) << m.wmi;
        EXPECT_FALSE(m.country.empty()) << m.wmi;
        if (i > 0) {
            EXPECT_LT(table[i - 1].wmi, m.wmi) << "out of order or duplicated at " << m.wmi;
        }
        EXPECT_NE(vin::findManufacturer(m.wmi.substr(0, 3)), nullptr) << m.wmi;
    }
}

} // namespace
