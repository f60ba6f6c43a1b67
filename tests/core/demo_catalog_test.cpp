#include "showroom/core/demo_catalog.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <iterator>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace showroom::core::demo {
namespace {

constexpr std::int64_t dollars(std::int64_t whole) {
    return whole * 100;
}

const std::set<std::string_view> kBodies = {"sedan", "suv", "hatchback", "pickup", "coupe", "van"};
const std::set<std::string_view> kFuels = {"gasoline", "hybrid", "plug_in_hybrid", "electric", "diesel"};
const std::set<std::string_view> kDrivetrains = {"FWD", "RWD", "AWD", "4WD"};
const std::set<std::string_view> kTransmissions = {"Automatic", "CVT", "Manual", "Single-speed", "DCT"};

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

const ModelSpec* findModel(std::string_view make, std::string_view model) {
    for (const ModelSpec& m : models())
        if (m.make == make && m.model == model) return &m;
    return nullptr;
}

const TrimSpec* findTrim(std::string_view make, std::string_view model, std::string_view trim) {
    const ModelSpec* m = findModel(make, model);
    if (m == nullptr) return nullptr;
    for (const TrimSpec& t : m->trims)
        if (t.name == trim) return &t;
    return nullptr;
}

std::set<std::string_view> makes() {
    std::set<std::string_view> out;
    for (const ModelSpec& m : models())
        out.insert(m.make);
    return out;
}

// Non-empty, no leading/trailing blank, printable ASCII: what a receipt printer and a PDF font can show.
bool isCleanText(std::string_view s) {
    if (s.empty() || s.front() == ' ' || s.back() == ' ') return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

void expectCleanUniqueList(std::span<const std::string_view> list, const char* what) {
    std::set<std::string> seen;
    for (std::string_view s : list) {
        EXPECT_TRUE(isCleanText(s)) << what << ": '" << s << "'";
        EXPECT_TRUE(seen.insert(lower(s)).second) << what << " listed twice: " << s;
    }
}

// ---- models -------------------------------------------------------------------------------------

TEST(DemoCatalog, HasEnoughModelsAndMakes) {
    EXPECT_GE(models().size(), 60u);
    EXPECT_GE(makes().size(), 20u);
}

TEST(DemoCatalog, CoversEveryMakeTheDemoIsShownWith) {
    const auto have = makes();
    for (std::string_view make :
         {"Toyota", "Honda", "Ford",  "Chevrolet",     "Tesla", "Hyundai",    "Kia",    "Nissan",
          "Subaru", "Mazda", "BMW",   "Mercedes-Benz", "Audi",  "Volkswagen", "Lexus",  "Jeep",
          "Ram",    "GMC",   "Volvo", "Porsche",       "BYD",   "NIO",        "Genesis"})
        EXPECT_TRUE(have.count(make)) << "missing make " << make;
    EXPECT_TRUE(have.count("Polestar") || have.count("Zeekr") || have.count("Geely"));
}

TEST(DemoCatalog, BodiesAreFromTheClosedSetAndAllAppear) {
    std::set<std::string_view> seen;
    for (const ModelSpec& m : models()) {
        EXPECT_TRUE(kBodies.count(m.body)) << m.make << " " << m.model << ": body '" << m.body << "'";
        seen.insert(m.body);
    }
    EXPECT_EQ(seen, kBodies);
}

TEST(DemoCatalog, FuelsAreFromTheClosedSetAndAllAppear) {
    std::set<std::string_view> seen;
    for (const ModelSpec& m : models()) {
        EXPECT_TRUE(kFuels.count(m.fuel)) << m.make << " " << m.model << ": fuel '" << m.fuel << "'";
        seen.insert(m.fuel);
    }
    EXPECT_EQ(seen, kFuels);
}

TEST(DemoCatalog, MakeAndModelPairsAreUnique) {
    std::set<std::pair<std::string_view, std::string_view>> seen;
    for (const ModelSpec& m : models()) {
        EXPECT_TRUE(isCleanText(m.make)) << "'" << m.make << "'";
        EXPECT_TRUE(isCleanText(m.model)) << m.make << " '" << m.model << "'";
        EXPECT_TRUE(seen.insert({m.make, m.model}).second) << "duplicate " << m.make << " " << m.model;
    }
}

TEST(DemoCatalog, ModelsOfOneMakeAreListedTogether) {
    // A generator or a picker that groups by make can walk the list once.
    std::set<std::string_view> finished;
    std::string_view current;
    for (const ModelSpec& m : models()) {
        if (m.make == current) continue;
        EXPECT_FALSE(finished.count(m.make)) << m.make << " appears in two separate runs";
        if (!current.empty()) finished.insert(current);
        current = m.make;
    }
}

TEST(DemoCatalog, TrimsAreTwoToFourAscendingAndPlausiblyPriced) {
    for (const ModelSpec& m : models()) {
        SCOPED_TRACE(std::string(m.make) + " " + std::string(m.model));
        EXPECT_GE(m.trims.size(), 2u);
        EXPECT_LE(m.trims.size(), 4u);
        std::set<std::string_view> names;
        std::int64_t previous = 0;
        for (const TrimSpec& t : m.trims) {
            EXPECT_TRUE(isCleanText(t.name)) << "'" << t.name << "'";
            EXPECT_TRUE(names.insert(t.name).second) << "trim listed twice: " << t.name;
            EXPECT_GE(t.msrpCents, dollars(12'000)) << t.name;
            EXPECT_LE(t.msrpCents, dollars(400'000)) << t.name;
            EXPECT_GT(t.msrpCents, previous) << t.name << " is not dearer than the trim before it";
            previous = t.msrpCents;
        }
    }
}

TEST(DemoCatalog, DrivetrainsAndTransmissionsAreFromTheirClosedSets) {
    for (const ModelSpec& m : models()) {
        for (const TrimSpec& t : m.trims) {
            EXPECT_TRUE(kDrivetrains.count(t.drivetrain)) << m.model << " " << t.name << ": '" << t.drivetrain << "'";
            EXPECT_TRUE(kTransmissions.count(t.transmission))
                << m.model << " " << t.name << ": '" << t.transmission << "'";
        }
    }
}

TEST(DemoCatalog, PowertrainsMatchTheFuel) {
    // A salesperson would notice a manual Tesla or a single-speed gasoline pickup on a window sticker.
    for (const ModelSpec& m : models()) {
        for (const TrimSpec& t : m.trims) {
            if (m.fuel == "electric") {
                EXPECT_TRUE(t.transmission == "Single-speed" || t.transmission == "Automatic")
                    << m.make << " " << m.model << " " << t.name << " is electric with a " << t.transmission;
            } else {
                EXPECT_NE(t.transmission, "Single-speed") << m.make << " " << m.model << " " << t.name;
            }
            if (m.body == "pickup" && m.fuel != "electric" && m.fuel != "hybrid") {
                EXPECT_NE(t.drivetrain, "FWD") << m.make << " " << m.model << " " << t.name;
            }
        }
    }
}

TEST(DemoCatalog, WmisAreWellFormed) {
    for (const ModelSpec& m : models()) {
        SCOPED_TRACE(std::string(m.make) + " " + std::string(m.model));
        ASSERT_EQ(m.wmi.size(), 3u) << "'" << m.wmi << "'";
        for (char c : m.wmi) {
            const bool vinAlphabet = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
            EXPECT_TRUE(vinAlphabet) << "'" << c << "' in " << m.wmi;
            EXPECT_TRUE(c != 'I' && c != 'O' && c != 'Q') << "'" << c << "' is not used in VINs: " << m.wmi;
        }
        EXPECT_NE(m.wmi[0], '0') << "no region starts with 0: " << m.wmi;
    }
}

// First WMI characters each make really uses for US-market cars (ISO 3780 regions: 1-5 North America,
// J Japan, K Korea, L China, W Germany, Y Sweden). A make added to the catalog must be added here.
std::string_view plausibleRegions(std::string_view make) {
    static const std::pair<std::string_view, std::string_view> kRegions[] = {
        {"Toyota", "J12345"},
        {"Honda", "J12345"},
        {"Ford", "12345"},
        {"Chevrolet", "K12345"},
        {"GMC", "12345"},
        {"Tesla", "12345"},
        {"Hyundai", "K12345"},
        {"Kia", "K12345"},
        {"Nissan", "J12345"},
        {"Subaru", "J12345"},
        {"Mazda", "J12345"},
        {"BMW", "W12345"},
        {"Mercedes-Benz", "W12345"},
        {"Audi", "W12345"},
        {"Volkswagen", "W12345"},
        {"Lexus", "J12345"},
        {"Jeep", "12345"},
        {"Ram", "12345"},
        {"Volvo", "Y"},
        {"Porsche", "W"},
        {"BYD", "L"},
        {"NIO", "L"},
        {"Polestar", "L"},
        {"Zeekr", "L"},
        {"Geely", "L"},
        {"Genesis", "K"},
    };
    for (const auto& [name, regions] : kRegions)
        if (name == make) return regions;
    return {};
}

TEST(DemoCatalog, WmisMatchWhereTheMakerBuilds) {
    EXPECT_EQ(findModel("Toyota", "Camry")->wmi, "4T1");
    EXPECT_EQ(findModel("Tesla", "Model 3")->wmi, "5YJ");
    EXPECT_EQ(findModel("BMW", "3 Series")->wmi, "WBA");
    EXPECT_EQ(findModel("Ford", "F-150")->wmi, "1FT");
    EXPECT_EQ(findModel("BYD", "Seal")->wmi, "LGX");
    for (const ModelSpec& m : models()) {
        const std::string_view regions = plausibleRegions(m.make);
        ASSERT_FALSE(regions.empty()) << "no regions known for make " << m.make;
        ASSERT_FALSE(m.wmi.empty()) << m.make << " " << m.model;
        EXPECT_NE(regions.find(m.wmi[0]), std::string_view::npos)
            << m.make << " " << m.model << ": " << m.wmi << " is not from where " << m.make << " builds";
    }
}

TEST(DemoCatalog, YearsAndWeightsAreInRange) {
    for (const ModelSpec& m : models()) {
        EXPECT_GE(m.firstYear, 2012) << m.make << " " << m.model;
        EXPECT_LE(m.firstYear, 2026) << m.make << " " << m.model;
        EXPECT_GE(m.weight, 1) << m.make << " " << m.model;
        EXPECT_LE(m.weight, 10) << m.make << " " << m.model;
    }
}

TEST(DemoCatalog, BestSellersOutweighSupercars) {
    for (auto [make, model] :
         {std::pair{"Toyota", "Camry"}, {"Toyota", "RAV4"}, {"Ford", "F-150"}, {"Honda", "CR-V"}}) {
        const ModelSpec* m = findModel(make, model);
        ASSERT_NE(m, nullptr) << make << " " << model;
        EXPECT_GE(m->weight, 8) << make << " " << model;
    }
    EXPECT_LE(findModel("Porsche", "911")->weight, 3);
    EXPECT_LE(findModel("Chevrolet", "Corvette")->weight, 3);
}

TEST(DemoCatalog, AnchorPricesLookLikeTheWindowSticker) {
    struct Anchor {
        std::string_view make, model, trim;
        std::int64_t low, high; // whole dollars
    };
    const Anchor anchors[] = {
        {"Toyota", "Corolla", "LE", 20'000, 24'000},        {"Toyota", "Camry", "XSE", 31'000, 36'000},
        {"Toyota", "RAV4 Hybrid", "XLE", 32'000, 36'000},   {"Ford", "F-150", "Lariat", 58'000, 68'000},
        {"Tesla", "Model 3", "Long Range", 44'000, 50'000}, {"Porsche", "911", "Carrera", 110'000, 130'000},
        {"BYD", "Seal", "Premium", 30'000, 40'000},
    };
    for (const Anchor& a : anchors) {
        const TrimSpec* t = findTrim(a.make, a.model, a.trim);
        ASSERT_NE(t, nullptr) << a.make << " " << a.model << " " << a.trim;
        EXPECT_GE(t->msrpCents, dollars(a.low)) << a.make << " " << a.model << " " << a.trim;
        EXPECT_LE(t->msrpCents, dollars(a.high)) << a.make << " " << a.model << " " << a.trim;
    }
}

// ---- word lists ---------------------------------------------------------------------------------

TEST(DemoCatalog, ExteriorColorsNameABasicColour) {
    static const char* const kWords[] = {"black", "white",  "silver", "gray",  "red",   "blue",
                                         "green", "orange", "yellow", "brown", "beige", "gold"};
    EXPECT_GE(exteriorColors().size(), 12u);
    expectCleanUniqueList(exteriorColors(), "exterior colour");
    for (std::string_view name : exteriorColors()) {
        const std::string l = lower(name);
        const bool hasWord = std::any_of(std::begin(kWords), std::end(kWords),
                                         [&](const char* w) { return l.find(w) != std::string::npos; });
        EXPECT_TRUE(hasWord) << "'" << name << "' names no colour a customer can search for";
    }
}

TEST(DemoCatalog, InteriorColorsAreSeveralAndClean) {
    EXPECT_GE(interiorColors().size(), 5u);
    expectCleanUniqueList(interiorColors(), "interior colour");
}

TEST(DemoCatalog, FeaturesFitTheWindowStickerColumn) {
    EXPECT_GE(features().size(), 35u);
    expectCleanUniqueList(features(), "feature");
    for (std::string_view f : features())
        EXPECT_EQ(f.find(';'), std::string_view::npos) << f;
    const std::set<std::string_view> all(features().begin(), features().end());
    for (std::string_view expected : {"Panoramic roof", "Heated seats", "Apple CarPlay", "Adaptive cruise control",
                                      "Blind-spot monitoring", "360-degree camera", "Tow package", "Third-row seating"})
        EXPECT_TRUE(all.count(expected)) << expected;
}

TEST(DemoCatalog, NamesAreManyAndClean) {
    EXPECT_GE(firstNames().size(), 55u);
    EXPECT_GE(lastNames().size(), 55u);
    expectCleanUniqueList(firstNames(), "first name");
    expectCleanUniqueList(lastNames(), "last name");
}

TEST(DemoCatalog, AddressPartsAreManyAndClean) {
    EXPECT_GE(cities().size(), 10u);
    EXPECT_GE(streets().size(), 18u);
    expectCleanUniqueList(cities(), "city");
    expectCleanUniqueList(streets(), "street");
    for (std::string_view s : streets())
        EXPECT_FALSE(std::isdigit(static_cast<unsigned char>(s.front()))) << s;
}

TEST(DemoCatalog, LostReasonsAreSeveralAndClean) {
    EXPECT_GE(lostReasons().size(), 6u);
    expectCleanUniqueList(lostReasons(), "lost reason");
}

TEST(DemoCatalog, LeadSourcesAreExactlyTheStoredCodes) {
    const std::vector<std::string_view> expected = {"walk_in", "website", "phone", "referral", "kiosk", "third_party"};
    const std::vector<std::string_view> actual(leadSources().begin(), leadSources().end());
    EXPECT_EQ(actual, expected);
}

} // namespace
} // namespace showroom::core::demo
