// The kiosk's customer-mode view-model against a real demo store: what a customer sees on the
// attract, browse, detail, compare and contact screens, and what staff find in the CRM afterwards.

#include "viewmodels/kiosk_vm.hpp"

#include "store_fixture.hpp"

#include "showroom/core/crm.hpp"
#include "showroom/core/demo.hpp"
#include "showroom/core/finance.hpp"
#include "showroom/core/inventory.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace showroom::kiosk {
// Failures name the screen ("detail") instead of printing the enum's bytes.
inline void PrintTo(Screen screen, std::ostream* out) {
    *out << toString(screen);
}
} // namespace showroom::kiosk

namespace core = showroom::core;
using showroom::kiosk::ContactForm;
using showroom::kiosk::KioskConfig;
using showroom::kiosk::KioskViewModel;
using showroom::kiosk::Language;
using showroom::kiosk::Screen;
using showroom::test::count;

namespace {

// The Store fixture (migrated store, local showroom "TST", clock at 2026-11-01T10:00:00Z) filled
// with the demo dealership: 80 vehicles, some in stock, some sold, with customers and leads.
struct DemoStore : showroom::test::Store {
    DemoStore() {
        auto seeded = core::demo::seed(conn, {80, 5, core::parseUtc("2026-11-01").value()});
        if (!seeded) ADD_FAILURE() << "demo::seed: " << seeded.error().message;
    }
};

std::int64_t inStock(DemoStore& s) {
    return count(s.conn, "SELECT count(*) FROM vehicles WHERE status = 'in_stock' AND store_id = (SELECT value FROM "
                         "settings WHERE key = 'local_store_id')");
}

std::vector<std::string> ids(const std::vector<core::Vehicle>& vehicles) {
    std::vector<std::string> out;
    for (const auto& v : vehicles)
        out.push_back(v.id);
    return out;
}

std::string lower(std::string s) {
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Every in-stock vehicle the customer can page through, by loading pages until there are no more.
std::vector<core::Vehicle> allPages(KioskViewModel& vm) {
    for (int guard = 0; vm.canLoadMore() && guard < 200; ++guard)
        vm.loadMore();
    return vm.results();
}

core::finance::DealInput dealFor(const KioskViewModel& vm, core::Cents down, int term, core::Rate apr) {
    core::finance::DealInput in;
    in.price = vm.vehicle()->price;
    in.docFee = vm.config().docFee;
    in.titleFee = vm.config().titleFee;
    in.tax = vm.config().tax;
    in.cashDown = down;
    in.financed = true;
    in.apr = apr;
    in.termMonths = term;
    return in;
}

ContactForm form(std::string name, std::string phone, std::string email, bool consent) {
    ContactForm f;
    f.kind = ContactForm::Kind::TestDrive;
    f.name = std::move(name);
    f.phone = std::move(phone);
    f.email = std::move(email);
    f.consent = consent;
    return f;
}

std::int64_t customers(DemoStore& s) {
    return count(s.conn, "SELECT count(*) FROM customers");
}
std::int64_t leads(DemoStore& s) {
    return count(s.conn, "SELECT count(*) FROM leads");
}
std::int64_t followUps(DemoStore& s) {
    return count(s.conn, "SELECT count(*) FROM follow_ups");
}

// The view-model on the detail screen of the cheapest car in stock, ready for the contact form.
void openFirstCar(KioskViewModel& vm) {
    vm.touchToStart();
    ASSERT_FALSE(vm.results().empty());
    vm.openVehicle(vm.results().front().id);
    ASSERT_EQ(vm.screen(), Screen::Detail);
}

} // namespace

// --- attract -----------------------------------------------------------------------------------

TEST(KioskAttract, StartsOnTheAttractLoopWithFeaturedCarsThatAreInStock) {
    DemoStore s;
    ASSERT_GT(inStock(s), 0);
    ASSERT_GT(count(s.conn, "SELECT count(*) FROM vehicles WHERE status <> 'in_stock'"), 0);
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);

    EXPECT_EQ(vm.screen(), Screen::Attract);
    EXPECT_EQ(vm.language(), Language::English);
    ASSERT_FALSE(vm.featured().empty());
    EXPECT_LE(vm.featured().size(), static_cast<std::size_t>(KioskConfig{}.featuredCount));
    for (const auto& v : vm.featured())
        EXPECT_EQ(v.status, core::VehicleStatus::InStock) << v.stockNo;
    EXPECT_EQ(vm.featuredIndex(), 0u);
}

TEST(KioskAttract, FeaturedCarCrossFadesToTheNextOneEveryPeriod) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    const std::int64_t period = vm.config().attractPeriodMs;
    const std::size_t n = vm.featured().size();
    ASSERT_GE(n, 2u);

    vm.tick(100);
    EXPECT_EQ(vm.featuredIndex(), 0u);
    EXPECT_EQ(vm.featuredFade(), 0.0f);

    vm.tick(period - 601); // before the fade: the first car stands still
    EXPECT_EQ(vm.featuredIndex(), 0u);
    EXPECT_EQ(vm.featuredFade(), 0.0f);

    vm.tick(period - 450); // the last 600 ms cross-fade to the next car
    const float early = vm.featuredFade();
    EXPECT_EQ(vm.featuredIndex(), 0u);
    EXPECT_GT(early, 0.0f);
    EXPECT_LT(early, 1.0f);
    vm.tick(period - 100);
    EXPECT_GT(vm.featuredFade(), early);
    EXPECT_LT(vm.featuredFade(), 1.0f);

    vm.tick(period + 10);
    EXPECT_EQ(vm.featuredIndex(), 1u);
    EXPECT_EQ(vm.featuredFade(), 0.0f);

    vm.tick(static_cast<std::int64_t>(n) * period + 10); // after the last car, the first one again
    EXPECT_EQ(vm.featuredIndex(), 0u);
}

TEST(KioskAttract, TouchToStartOpensBrowseWithEveryCarInStock) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    vm.touchToStart();

    EXPECT_EQ(vm.screen(), Screen::Browse);
    const std::int64_t stock = inStock(s);
    EXPECT_EQ(vm.total(), std::min<std::int64_t>(stock, 1000));
    EXPECT_EQ(vm.totalIsAtLeast(), stock > 1000);
    ASSERT_FALSE(vm.results().empty());
    EXPECT_EQ(vm.results().size(), static_cast<std::size_t>(std::min<std::int64_t>(stock, vm.config().pageSize)));
    for (const auto& v : vm.results())
        EXPECT_EQ(v.status, core::VehicleStatus::InStock) << v.stockNo;
    EXPECT_TRUE(vm.errorBanner().empty());

    // The make chips are exactly the makes on the lot, sorted; sold-out makes are not offered.
    std::vector<std::string> makes;
    auto stmt = s.conn.prepare("SELECT DISTINCT make FROM vehicles WHERE status = 'in_stock' AND store_id = (SELECT "
                               "value FROM settings WHERE key = 'local_store_id') ORDER BY make");
    ASSERT_TRUE(stmt);
    for (auto row = stmt->step(); row && *row; row = stmt->step())
        makes.push_back(stmt->getText(0));
    EXPECT_EQ(vm.facets().makes, makes);
    EXPECT_FALSE(vm.facets().bodies.empty());
    EXPECT_FALSE(vm.facets().fuels.empty());
    EXPECT_LE(vm.facets().priceLow, vm.facets().priceHigh);
}

TEST(KioskAttract, NewArrivalBadgeOnlyOnCarsInStockForTwoWeeksOrLess) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    core::Inventory inventory(s.ctx);

    core::CheckInDetails details;
    details.price = 2'500'000;
    details.odometer = 12'000;
    details.model = "Corolla";
    auto fresh = inventory.checkIn(core::demo::makeVin("5YF", 2024, 991), details);
    ASSERT_TRUE(fresh) << fresh.error().message;
    EXPECT_TRUE(vm.newArrival(fresh->vehicle));

    auto stmt = s.conn.prepare("SELECT id FROM vehicles WHERE status = 'in_stock' AND store_id = (SELECT value FROM "
                               "settings WHERE key = 'local_store_id') AND received_at < "
                               "'2026-10-17T10:00:00Z' LIMIT 1");
    ASSERT_TRUE(stmt);
    auto row = stmt->step();
    ASSERT_TRUE(row && *row) << "the demo has no car older than two weeks in stock";
    auto old = inventory.find(stmt->getText(0));
    ASSERT_TRUE(old);
    EXPECT_FALSE(vm.newArrival(*old)) << old->receivedAt;
}

// --- browse ------------------------------------------------------------------------------------

TEST(KioskBrowse, MakeChipShowsOnlyThatMakeAndTwoChipsShowBoth) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    vm.touchToStart();
    const auto everything = vm.total();
    ASSERT_GE(vm.facets().makes.size(), 2u);
    const std::string a = vm.facets().makes[0], b = vm.facets().makes[1];
    const auto ofA = count(s.conn,
                           "SELECT count(*) FROM vehicles WHERE status = 'in_stock' AND store_id = (SELECT value FROM "
                           "settings WHERE key = 'local_store_id') AND make = ?",
                           a);
    const auto ofB = count(s.conn,
                           "SELECT count(*) FROM vehicles WHERE status = 'in_stock' AND store_id = (SELECT value FROM "
                           "settings WHERE key = 'local_store_id') AND make = ?",
                           b);

    vm.toggleMake(a);
    EXPECT_EQ(vm.total(), ofA);
    ASSERT_FALSE(vm.results().empty());
    for (const auto& v : vm.results())
        EXPECT_EQ(v.make, a);

    vm.toggleMake(b);
    EXPECT_EQ(vm.total(), ofA + ofB);
    std::set<std::string> seen;
    for (const auto& v : allPages(vm)) {
        EXPECT_TRUE(v.make == a || v.make == b) << v.make;
        seen.insert(v.make);
    }
    EXPECT_EQ(seen, (std::set<std::string>{a, b}));

    vm.toggleMake(a); // touching a chip again takes it off
    EXPECT_EQ(vm.total(), ofB);
    EXPECT_EQ(vm.filters().makes, std::set<std::string>{b});

    vm.resetFilters();
    EXPECT_TRUE(vm.filters().makes.empty());
    EXPECT_EQ(vm.total(), everything);
}

TEST(KioskBrowse, BodyFuelAndConditionChipsNarrowTheResults) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    vm.touchToStart();
    const auto everything = vm.total();
    ASSERT_FALSE(vm.facets().bodies.empty());
    ASSERT_FALSE(vm.facets().fuels.empty());

    const std::string body = vm.facets().bodies.front();
    vm.toggleBody(body);
    EXPECT_EQ(vm.total(), count(s.conn,
                                "SELECT count(*) FROM vehicles WHERE status = 'in_stock' AND store_id = (SELECT value "
                                "FROM settings WHERE key = 'local_store_id') AND body = ?",
                                body));
    ASSERT_FALSE(vm.results().empty());
    for (const auto& v : allPages(vm))
        EXPECT_EQ(v.body, body);
    vm.resetFilters();

    const std::string fuel = vm.facets().fuels.front();
    vm.toggleFuel(fuel);
    EXPECT_EQ(vm.total(), count(s.conn,
                                "SELECT count(*) FROM vehicles WHERE status = 'in_stock' AND store_id = (SELECT value "
                                "FROM settings WHERE key = 'local_store_id') AND fuel = ?",
                                fuel));
    ASSERT_FALSE(vm.results().empty());
    for (const auto& v : allPages(vm))
        EXPECT_EQ(v.fuel, fuel);
    vm.resetFilters();

    vm.toggleCondition(core::Condition::Used);
    EXPECT_EQ(vm.total(),
              count(s.conn, "SELECT count(*) FROM vehicles WHERE status = 'in_stock' AND store_id = (SELECT value FROM "
                            "settings WHERE key = 'local_store_id') AND condition = 'used'"));
    ASSERT_FALSE(vm.results().empty());
    for (const auto& v : allPages(vm))
        EXPECT_EQ(v.condition, core::Condition::Used);
    vm.toggleCondition(core::Condition::Used);
    EXPECT_EQ(vm.total(), everything);
}

TEST(KioskBrowse, PriceRangeShowsOnlyCarsWithinIt) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    vm.touchToStart();
    const core::Cents lowest = vm.facets().priceLow, highest = vm.facets().priceHigh;
    ASSERT_LT(lowest, highest);
    const core::Cents low = lowest + (highest - lowest) / 4, high = lowest + (highest - lowest) / 2;

    vm.setPriceRange(low, high);
    EXPECT_EQ(vm.total(), count(s.conn,
                                "SELECT count(*) FROM vehicles WHERE status = 'in_stock' AND store_id = (SELECT value "
                                "FROM settings WHERE key = 'local_store_id') AND price_cents BETWEEN ? AND ?",
                                low, high));
    ASSERT_FALSE(vm.results().empty()) << "no demo car between the quartile and the median price";
    for (const auto& v : allPages(vm)) {
        EXPECT_GE(v.price, low) << v.stockNo;
        EXPECT_LE(v.price, high) << v.stockNo;
    }

    vm.setPriceRange(std::nullopt, low); // "Highest price" only
    for (const auto& v : allPages(vm))
        EXPECT_LE(v.price, low) << v.stockNo;
}

TEST(KioskBrowse, SortsByLowestPriceFirstOrHighestPriceFirst) {
    DemoStore s;
    KioskConfig config;
    config.pageSize = 10;
    KioskViewModel vm(s.ctx, config, 0);
    vm.touchToStart();
    auto cheapestFirst = allPages(vm);
    ASSERT_GE(cheapestFirst.size(), 2u);
    EXPECT_TRUE(std::is_sorted(cheapestFirst.begin(), cheapestFirst.end(),
                               [](const core::Vehicle& x, const core::Vehicle& y) { return x.price < y.price; }));
    EXPECT_EQ(cheapestFirst.front().price, vm.facets().priceLow);

    vm.setSort(core::SortKey::PriceDesc);
    EXPECT_EQ(vm.filters().sort, core::SortKey::PriceDesc);
    auto dearestFirst = allPages(vm);
    ASSERT_EQ(dearestFirst.size(), cheapestFirst.size());
    EXPECT_TRUE(std::is_sorted(dearestFirst.begin(), dearestFirst.end(),
                               [](const core::Vehicle& x, const core::Vehicle& y) { return x.price > y.price; }));
    EXPECT_EQ(dearestFirst.front().price, vm.facets().priceHigh);
}

TEST(KioskBrowse, SearchingBlueShowsOnlyBlueCarsOrCarsWithABlueFeature) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    vm.touchToStart();
    const auto blueInStock =
        count(s.conn, "SELECT count(*) FROM vehicles WHERE status = 'in_stock' AND store_id = (SELECT value FROM "
                      "settings WHERE key = 'local_store_id') AND (exterior_color LIKE '%blue%' OR "
                      "interior_color LIKE '%blue%' OR features LIKE '%blue%')");
    ASSERT_GT(blueInStock, 0) << "the demo has no blue car in stock";

    vm.setSearchText("blue");
    EXPECT_EQ(vm.filters().text, "blue");
    EXPECT_EQ(vm.total(), blueInStock);
    EXPECT_LT(vm.total(), inStock(s));
    ASSERT_FALSE(vm.results().empty());
    for (const auto& v : allPages(vm)) {
        std::string text = v.exteriorColor + " " + v.interiorColor;
        for (const auto& f : v.features)
            text += " " + f;
        EXPECT_NE(lower(text).find("blue"), std::string::npos) << v.stockNo << ": " << text;
        EXPECT_EQ(v.status, core::VehicleStatus::InStock);
    }

    const auto lowerCase = vm.total();
    vm.setSearchText("BLUE"); // the on-screen keyboard may be in caps
    EXPECT_EQ(vm.total(), lowerCase);
}

TEST(KioskBrowse, LoadMoreAppendsTheNextPageWithoutRepeatingACar) {
    DemoStore s;
    KioskConfig config;
    config.pageSize = 10;
    KioskViewModel vm(s.ctx, config, 0);
    vm.touchToStart();
    const std::int64_t stock = inStock(s);
    ASSERT_GT(stock, 20) << "need three pages of stock";

    ASSERT_EQ(vm.results().size(), 10u);
    EXPECT_TRUE(vm.canLoadMore());
    const auto firstPage = ids(vm.results());

    vm.loadMore();
    ASSERT_EQ(vm.results().size(), 20u);
    auto now = ids(vm.results());
    EXPECT_EQ(std::vector<std::string>(now.begin(), now.begin() + 10), firstPage) << "the first page must stay put";
    EXPECT_EQ(std::set<std::string>(now.begin(), now.end()).size(), 20u);

    const auto all = allPages(vm);
    EXPECT_FALSE(vm.canLoadMore());
    EXPECT_EQ(static_cast<std::int64_t>(all.size()), stock);
    const auto allIds = ids(all);
    EXPECT_EQ(std::set<std::string>(allIds.begin(), allIds.end()).size(), all.size());
    EXPECT_EQ(vm.total(), stock);

    vm.loadMore(); // nothing more: nothing changes
    EXPECT_EQ(vm.results().size(), all.size());
}

// --- detail and estimate -----------------------------------------------------------------------

TEST(KioskDetail, OpeningACarShowsItsMonthlyEstimateFromTheDealMaths) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    vm.touchToStart();
    ASSERT_GE(vm.results().size(), 3u);
    const core::Vehicle picked = vm.results()[2];

    vm.openVehicle(picked.id);
    EXPECT_EQ(vm.screen(), Screen::Detail);
    ASSERT_TRUE(vm.vehicle());
    EXPECT_EQ(vm.vehicle()->id, picked.id);
    EXPECT_EQ(vm.vehicle()->price, picked.price);

    const auto& e = vm.estimate();
    EXPECT_GE(e.down, 0);
    EXPECT_LE(e.down, picked.price / 10) << "the suggested down payment is about 10 %";
    EXPECT_EQ(e.down % 10'000, 0) << "the suggested down payment is in whole $100s";
    ASSERT_TRUE(e.quote) << e.errorKey;
    EXPECT_TRUE(e.errorKey.empty());
    auto expected = core::finance::quote(dealFor(vm, e.down, e.termMonths, e.apr));
    ASSERT_TRUE(expected) << expected.error().message;
    EXPECT_EQ(e.quote->monthlyPayment, expected->monthlyPayment);
    EXPECT_EQ(e.quote->amountFinanced, expected->amountFinanced);
    EXPECT_GT(e.quote->monthlyPayment, 0);

    vm.setEstimate(500'000, 72, core::Rate{49'000});
    EXPECT_EQ(vm.estimate().down, 500'000);
    EXPECT_EQ(vm.estimate().termMonths, 72);
    ASSERT_TRUE(vm.estimate().quote);
    auto changed = core::finance::quote(dealFor(vm, 500'000, 72, core::Rate{49'000}));
    ASSERT_TRUE(changed);
    EXPECT_EQ(vm.estimate().quote->monthlyPayment, changed->monthlyPayment);
    EXPECT_EQ(vm.estimate().quote->numberOfPayments, 72);
}

TEST(KioskDetail, AnAprNoLenderOffersSaysTheFiguresCannotBeEstimated) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    openFirstCar(vm);

    vm.setEstimate(0, 60, core::Rate{400'000});
    EXPECT_FALSE(vm.estimate().quote);
    EXPECT_EQ(vm.estimate().errorKey, "kiosk.estimate.cannot_estimate");
    EXPECT_EQ(vm.screen(), Screen::Detail);

    vm.setEstimate(0, 60, core::Rate{59'000}); // back to a sane rate: the estimate comes back
    EXPECT_TRUE(vm.estimate().quote);
    EXPECT_TRUE(vm.estimate().errorKey.empty());
}

TEST(KioskDetail, ADownPaymentAboveThePriceCannotBeEstimated) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    openFirstCar(vm);
    vm.setEstimate(vm.vehicle()->price * 2, 60, core::Rate{59'000});
    EXPECT_FALSE(vm.estimate().quote);
    EXPECT_EQ(vm.estimate().errorKey, "kiosk.estimate.cannot_estimate");
}

TEST(KioskDetail, ACarSoldSinceTheResultsLoadedIsNoLongerAvailable) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    vm.touchToStart();
    ASSERT_FALSE(vm.results().empty());
    const std::string id = vm.results().front().id;
    auto sold = core::Inventory(s.ctx).changeStatus(id, core::VehicleStatus::Sold, "sold on the lot");
    ASSERT_TRUE(sold) << sold.error().message;

    vm.openVehicle(id); // the customer taps the card still on screen
    EXPECT_EQ(vm.errorBanner(), "kiosk.error.vehicle_gone");
    EXPECT_EQ(vm.screen(), Screen::Browse);
    EXPECT_FALSE(vm.vehicle());
}

TEST(KioskDetail, AnUnknownCarShowsTheNoLongerAvailableBanner) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    vm.touchToStart();
    vm.openVehicle("no-such-vehicle");
    EXPECT_EQ(vm.errorBanner(), "kiosk.error.vehicle_gone");
    EXPECT_EQ(vm.screen(), Screen::Browse);
    EXPECT_FALSE(vm.vehicle());
}

// --- compare and navigation --------------------------------------------------------------------

TEST(KioskCompare, KeepsTheLastThreeCarsWithoutDuplicates) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    vm.touchToStart();
    ASSERT_GE(vm.results().size(), 4u);
    const auto shown = ids(vm.results());

    vm.openCompare(); // nothing to compare yet: stays on browse
    EXPECT_EQ(vm.screen(), Screen::Browse);

    for (int i = 0; i < 4; ++i) {
        vm.openVehicle(shown[i]);
        vm.addToCompare();
        vm.addToCompare(); // a second tap does not add it twice
        vm.back();
    }
    EXPECT_EQ(ids(vm.compare()), (std::vector<std::string>{shown[1], shown[2], shown[3]}));

    vm.openVehicle(shown[2]); // already in the list: nothing drops out
    vm.addToCompare();
    EXPECT_EQ(ids(vm.compare()), (std::vector<std::string>{shown[1], shown[2], shown[3]}));

    vm.removeFromCompare(shown[2]);
    EXPECT_EQ(ids(vm.compare()), (std::vector<std::string>{shown[1], shown[3]}));
}

TEST(KioskCompare, BackGoesToWhereTheCustomerCameFrom) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    vm.touchToStart();
    ASSERT_GE(vm.results().size(), 2u);
    const auto shown = ids(vm.results());

    vm.openVehicle(shown[0]);
    vm.back();
    EXPECT_EQ(vm.screen(), Screen::Browse);

    vm.openVehicle(shown[0]);
    vm.addToCompare();
    vm.openVehicle(shown[1]);
    vm.addToCompare();
    vm.openCompare();
    EXPECT_EQ(vm.screen(), Screen::Compare);

    vm.openVehicle(shown[1]); // a car opened from the compare table goes back to it
    EXPECT_EQ(vm.screen(), Screen::Detail);
    vm.back();
    EXPECT_EQ(vm.screen(), Screen::Compare);

    vm.back();
    EXPECT_EQ(vm.screen(), Screen::Browse);

    vm.back(); // back from browse is "start over"
    EXPECT_EQ(vm.screen(), Screen::Attract);
    EXPECT_TRUE(vm.compare().empty());
}

TEST(KioskCompare, LanguageSwitchLastsUntilStartOver) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    vm.setLanguage(Language::Chinese);
    vm.touchToStart();
    EXPECT_EQ(vm.language(), Language::Chinese);
    vm.toggleMake(vm.facets().makes.front());

    vm.startOver();
    EXPECT_EQ(vm.language(), Language::English);
    EXPECT_EQ(vm.screen(), Screen::Attract);
    EXPECT_TRUE(vm.filters().makes.empty());
    EXPECT_FALSE(vm.featured().empty());
}

// --- contact form ------------------------------------------------------------------------------

TEST(KioskContact, WithoutConsentNothingIsStored) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    openFirstCar(vm);
    const auto customersBefore = customers(s), leadsBefore = leads(s);

    vm.openContact(ContactForm::Kind::TestDrive);
    EXPECT_EQ(vm.screen(), Screen::Contact);
    vm.editContact(form("Mei Chen", "(555) 010-4242", "", false));
    vm.submitContact();

    EXPECT_EQ(vm.contact().errorKey, "kiosk.contact.error.consent");
    EXPECT_EQ(vm.screen(), Screen::Contact);
    EXPECT_EQ(customers(s), customersBefore);
    EXPECT_EQ(leads(s), leadsBefore);
    EXPECT_EQ(vm.contact().name, "Mei Chen") << "what the customer typed stays in the form";
}

TEST(KioskContact, MissingNameOrWayToReachIsRefused) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    openFirstCar(vm);
    const auto customersBefore = customers(s), leadsBefore = leads(s);
    vm.openContact(ContactForm::Kind::ContactMe);

    vm.editContact(form("   ", "(555) 010-4242", "", true));
    vm.submitContact();
    EXPECT_EQ(vm.contact().errorKey, "kiosk.contact.error.name");

    vm.editContact(form("Mei Chen", "", "", true));
    vm.submitContact();
    EXPECT_EQ(vm.contact().errorKey, "kiosk.contact.error.reach");

    vm.editContact(form("Mei Chen", "", "mei.chen@", true));
    vm.submitContact();
    EXPECT_EQ(vm.contact().errorKey, "kiosk.contact.error.email");

    vm.editContact(form("Mei Chen", "12", "", true));
    vm.submitContact();
    EXPECT_EQ(vm.contact().errorKey, "kiosk.contact.error.phone");

    EXPECT_EQ(vm.screen(), Screen::Contact);
    EXPECT_EQ(customers(s), customersBefore);
    EXPECT_EQ(leads(s), leadsBefore);
}

TEST(KioskContact, ABookedTestDriveReachesTheSalesTeam) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    openFirstCar(vm);
    const std::string vehicleId = vm.vehicle()->id;
    ASSERT_EQ(count(s.conn, "SELECT count(*) FROM customers WHERE phone_key = '5550104242'"), 0);
    const auto followUpsBefore = followUps(s);

    vm.openContact(ContactForm::Kind::TestDrive);
    auto f = form("Mei Chen", "(555) 010-4242", "", true);
    f.preferredTime = "Saturday morning";
    vm.editContact(f);
    vm.submitContact();

    EXPECT_EQ(vm.screen(), Screen::ContactDone) << vm.contact().errorKey;
    EXPECT_TRUE(vm.contact().errorKey.empty());
    EXPECT_EQ(count(s.conn,
                    "SELECT count(*) FROM customers WHERE phone_key = '5550104242' AND first_name = 'Mei' AND "
                    "last_name = 'Chen' AND source = 'kiosk' AND consent_contact = 1 AND consent_at IS NOT NULL"),
              1);
    EXPECT_EQ(count(s.conn,
                    "SELECT count(*) FROM leads l JOIN customers c ON c.id = l.customer_id WHERE "
                    "c.phone_key = '5550104242' AND l.source = 'kiosk' AND l.vehicle_id = ? AND l.stage = 'inquiry'",
                    vehicleId),
              1);
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM follow_ups f JOIN leads l ON l.id = f.lead_id JOIN customers c ON "
                            "c.id = l.customer_id WHERE c.phone_key = '5550104242' AND f.done_at IS NULL AND "
                            "f.due_at LIKE '2026-11-01%'"),
              1)
        << "a salesperson calls back the same day";
    EXPECT_EQ(followUps(s), followUpsBefore + 1);
    EXPECT_EQ(count(s.conn,
                    "SELECT count(*) FROM lead_activities a JOIN leads l ON l.id = a.lead_id JOIN customers c ON "
                    "c.id = l.customer_id WHERE c.phone_key = '5550104242' AND a.body LIKE '%Test drive%' AND "
                    "a.body LIKE '%Saturday morning%'"),
              1);

    vm.back(); // "Keep browsing" returns to the car
    EXPECT_EQ(vm.screen(), Screen::Detail);
}

TEST(KioskContact, TheSameCustomerAgainIsRecognisedByPhoneInAnyFormat) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    openFirstCar(vm);
    vm.openContact(ContactForm::Kind::TestDrive);
    vm.editContact(form("Mei Chen", "(555) 010-4242", "", true));
    vm.submitContact();
    ASSERT_EQ(vm.screen(), Screen::ContactDone) << vm.contact().errorKey;
    const auto customersBefore = customers(s), leadsBefore = leads(s);

    vm.back();
    vm.back();
    ASSERT_GE(vm.results().size(), 2u);
    vm.openVehicle(vm.results()[1].id);
    const std::string secondCar = vm.vehicle()->id;
    vm.openContact(ContactForm::Kind::ContactMe);
    vm.editContact(form("Mei Chen", "+1 555.010.4242", "", true));
    vm.submitContact();

    EXPECT_EQ(vm.screen(), Screen::ContactDone) << vm.contact().errorKey;
    EXPECT_EQ(customers(s), customersBefore);
    EXPECT_EQ(leads(s), leadsBefore + 1);
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM leads l JOIN customers c ON c.id = l.customer_id WHERE "
                            "c.phone_key = '5550104242' AND l.source = 'kiosk'"),
              2);
    EXPECT_EQ(count(s.conn,
                    "SELECT count(*) FROM leads l JOIN customers c ON c.id = l.customer_id WHERE "
                    "c.phone_key = '5550104242' AND l.vehicle_id = ?",
                    secondCar),
              1);
}

TEST(KioskContact, AWalkInWhoConsentsAtTheKioskIsRecordedAsConsenting) {
    DemoStore s;
    core::Customer walkIn;
    walkIn.firstName = "Ravi";
    walkIn.lastName = "Patel";
    walkIn.phone = "555-010-7788";
    walkIn.consentContact = false;
    auto added = core::Crm(s.ctx).addCustomer(walkIn);
    ASSERT_TRUE(added) << added.error().message;

    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    openFirstCar(vm);
    vm.openContact(ContactForm::Kind::ContactMe);
    vm.editContact(form("Ravi Patel", "(555) 010-7788", "", true));
    vm.submitContact();

    ASSERT_EQ(vm.screen(), Screen::ContactDone) << vm.contact().errorKey;
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM leads WHERE customer_id = ? AND source = 'kiosk'", added->id), 1);
    // The lead says "call me"; the customer record must not still say "do not contact".
    EXPECT_EQ(count(s.conn, "SELECT consent_contact FROM customers WHERE id = ?", added->id), 1);
}

TEST(KioskContact, AnInvalidEmailIsRefusedAndNothingIsStored) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    openFirstCar(vm);
    const auto customersBefore = customers(s), leadsBefore = leads(s), followUpsBefore = followUps(s);

    vm.openContact(ContactForm::Kind::TestDrive);
    vm.editContact(form("Mei Chen", "", "mei.chen(at)example.com", true));
    vm.submitContact();

    EXPECT_EQ(vm.contact().errorKey, "kiosk.contact.error.email");
    EXPECT_EQ(vm.screen(), Screen::Contact);
    EXPECT_EQ(customers(s), customersBefore);
    EXPECT_EQ(leads(s), leadsBefore);
    EXPECT_EQ(followUps(s), followUpsBefore);

    vm.editContact(form("Mei Chen", "", "Mei.Chen@Example.com", true)); // corrected: goes through
    vm.submitContact();
    EXPECT_EQ(vm.screen(), Screen::ContactDone) << vm.contact().errorKey;
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM customers WHERE email = 'mei.chen@example.com' AND source = 'kiosk'"),
              1);
}

// --- idle timeout ------------------------------------------------------------------------------

TEST(KioskIdle, CountdownAppearsBeforeTheTimeoutAndThenTheSessionIsWiped) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    const auto& c = vm.config();
    vm.touchToStart();
    vm.setLanguage(Language::Chinese);
    vm.toggleMake(vm.facets().makes.front());
    vm.setSearchText("a");
    ASSERT_FALSE(vm.results().empty());
    vm.openVehicle(vm.results().front().id);
    vm.addToCompare();
    vm.openContact(ContactForm::Kind::TestDrive);
    vm.editContact(form("Mei Chen", "(555) 010-4242", "mei@example.com", true));
    vm.userActivity(0);

    const std::int64_t warnAt = c.idleTimeoutMs - c.idleWarningMs;
    vm.tick(warnAt - 1);
    EXPECT_EQ(vm.idle().phase(warnAt - 1), showroom::kiosk::IdleTimer::Phase::Active);
    EXPECT_EQ(vm.screen(), Screen::Contact);

    vm.tick(warnAt + 1);
    EXPECT_EQ(vm.idle().phase(warnAt + 1), showroom::kiosk::IdleTimer::Phase::Warning);
    EXPECT_EQ(vm.idle().secondsLeft(warnAt + 1), static_cast<int>(c.idleWarningMs / 1000));
    EXPECT_EQ(vm.screen(), Screen::Contact) << "the countdown is shown over the form, nothing is wiped yet";
    EXPECT_EQ(vm.contact().name, "Mei Chen");
    vm.tick(c.idleTimeoutMs - 4'500);
    EXPECT_EQ(vm.idle().secondsLeft(c.idleTimeoutMs - 4'500), 5);
    vm.tick(c.idleTimeoutMs - 1);
    EXPECT_EQ(vm.idle().secondsLeft(c.idleTimeoutMs - 1), 1);

    vm.tick(c.idleTimeoutMs + 1);
    EXPECT_EQ(vm.screen(), Screen::Attract);
    EXPECT_EQ(vm.language(), Language::English);
    EXPECT_TRUE(vm.filters().makes.empty());
    EXPECT_TRUE(vm.filters().text.empty());
    EXPECT_TRUE(vm.contact().name.empty());
    EXPECT_TRUE(vm.contact().phone.empty());
    EXPECT_TRUE(vm.contact().email.empty());
    EXPECT_FALSE(vm.contact().consent);
    EXPECT_TRUE(vm.compare().empty());
    EXPECT_FALSE(vm.vehicle());
    EXPECT_TRUE(vm.results().empty());
    EXPECT_FALSE(vm.featured().empty());
}

TEST(KioskIdle, ImStillHereKeepsTheSession) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    const auto& c = vm.config();
    vm.touchToStart();
    vm.userActivity(0);
    const std::string make = vm.facets().makes.front();
    vm.toggleMake(make);

    vm.tick(c.idleTimeoutMs - 2'000);
    ASSERT_EQ(vm.idle().phase(c.idleTimeoutMs - 2'000), showroom::kiosk::IdleTimer::Phase::Warning);
    vm.userActivity(c.idleTimeoutMs - 2'000); // "I'm still here"
    EXPECT_EQ(vm.idle().phase(c.idleTimeoutMs - 2'000), showroom::kiosk::IdleTimer::Phase::Active);

    vm.tick(c.idleTimeoutMs + 1); // past the original deadline
    EXPECT_EQ(vm.screen(), Screen::Browse);
    EXPECT_EQ(vm.filters().makes, std::set<std::string>{make});
}

TEST(KioskIdle, AfterATimeoutTheAttractLoopStartsAgainFromTheFirstCar) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    const auto& c = vm.config();
    ASSERT_GE(vm.featured().size(), 2u);
    const std::string first = vm.featured().front().id;
    vm.touchToStart();
    vm.userActivity(5'123);

    const std::int64_t expiry = 5'123 + c.idleTimeoutMs;
    vm.tick(expiry);
    ASSERT_EQ(vm.screen(), Screen::Attract);
    vm.tick(expiry + 100);
    EXPECT_EQ(vm.featuredIndex(), 0u);
    EXPECT_EQ(vm.featured().front().id, first);
    EXPECT_EQ(vm.featuredFade(), 0.0f);

    // The attract loop is the idle state: however long it runs, it never times out.
    vm.tick(expiry + 10 * c.idleTimeoutMs);
    EXPECT_EQ(vm.screen(), Screen::Attract);
    EXPECT_EQ(vm.idle().phase(expiry + 10 * c.idleTimeoutMs), showroom::kiosk::IdleTimer::Phase::Active);
}

namespace {

TEST(KioskDetail, SaysWhichOtherShowroomHasTheSameModel) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    vm.touchToStart();
    // Find a car whose make and model is also in stock at another showroom of the group.
    const std::string local = "(SELECT value FROM settings WHERE key = 'local_store_id')";
    for (const auto& v : vm.results()) {
        const auto others = count(s.conn,
                                  "SELECT count(*) FROM vehicles WHERE make = ? AND model = ? AND status = 'in_stock' "
                                  "AND store_id <> " + local,
                                  v.make, v.model);
        vm.openVehicle(v.id);
        std::int64_t shown = 0;
        for (const auto& [store, n] : vm.elsewhere()) shown += n;
        EXPECT_EQ(shown, others) << v.make << " " << v.model;
        for (const auto& [store, n] : vm.elsewhere()) EXPECT_NE(store, "Riverside Motors Downtown");
        vm.back();
    }
}

TEST(KioskRecovery, AFailedFrameShowsTheRecoveryScreenThenTheAttractLoop) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    vm.touchToStart();
    vm.toggleBody("suv");
    vm.recover(1'000);
    EXPECT_EQ(vm.screen(), Screen::Recovery);
    EXPECT_TRUE(vm.filters().bodies.empty()) << "the session is wiped";
    vm.tick(2'000);
    EXPECT_EQ(vm.screen(), Screen::Recovery);
    vm.tick(4'001);
    EXPECT_EQ(vm.screen(), Screen::Attract);
}

} // namespace

// --- a driver's licence scanned on the test-drive form ------------------------------------------

namespace {

// An AAMVA version 10 payload as the back of a Virginia card carries it.
std::string licencePayload(const std::string& birth = "07041990", const std::string& expiry = "07042030") {
    const std::string body = "DLDAQT64235789\nDCSSAMPLE\nDACJANE\nDADQ\nDBD01012020\nDBB" + birth + "\nDBA" + expiry +
                             "\nDBC2\nDAG123 MAIN ST\nDAIANYTOWN\nDAJVA\nDAK232190000  \nDCGUSA\r";
    char header[64];
    std::snprintf(header, sizeof header, "@\n\x1e\rANSI 636000100001DL00310%04zu", body.size());
    return header + body;
}

} // namespace

TEST(KioskLicence, AScannedLicenceFillsTheNameAndIsCheckedBeforeATestDrive) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    openFirstCar(vm);
    vm.openContact(ContactForm::Kind::TestDrive);
    const int revision = vm.contact().revision;

    ASSERT_TRUE(vm.scanLicence(licencePayload()));
    EXPECT_EQ(vm.contact().name, "Jane Sample");
    EXPECT_TRUE(vm.contact().licenceChecked);
    EXPECT_EQ(vm.contact().licenceLast4, "5789");
    EXPECT_EQ(vm.contact().licenceExpiry, "2030-07-04");
    EXPECT_TRUE(vm.contact().errorKey.empty());
    EXPECT_GT(vm.contact().revision, revision) << "the screen's copy must take the filled-in name";

    // The customer adds a phone number and books; the salesperson sees the licence was checked,
    // and the database never holds the whole licence number.
    auto f = vm.contact();
    f.phone = "(555) 010-7777";
    f.consent = true;
    vm.editContact(f);
    vm.submitContact();
    ASSERT_EQ(vm.screen(), Screen::ContactDone) << vm.contact().errorKey;
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM customers WHERE phone_key = '5550107777' AND first_name = 'Jane' AND "
                            "last_name = 'Sample'"),
              1);
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM lead_activities WHERE body LIKE '%licence checked%ending 5789%2030-07-04%'"), 1);
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM lead_activities WHERE body LIKE '%T64235789%'"), 0);
}

TEST(KioskLicence, ScanningOnAVehiclePageOpensTheTestDriveForm) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    openFirstCar(vm);
    ASSERT_TRUE(vm.scanLicence(licencePayload()));
    EXPECT_EQ(vm.screen(), Screen::Contact);
    EXPECT_EQ(vm.contact().kind, ContactForm::Kind::TestDrive);
    EXPECT_EQ(vm.contact().name, "Jane Sample");
}

TEST(KioskLicence, ExpiredYoungOrUnreadableLicencesAreRefusedWithTheReason) {
    DemoStore s;
    KioskConfig config;
    config.testDriveMinimumAge = 21;
    KioskViewModel vm(s.ctx, config, 0);
    openFirstCar(vm);
    vm.openContact(ContactForm::Kind::TestDrive);

    ASSERT_TRUE(vm.scanLicence(licencePayload("07041990", "07042026")));   // expired in July
    EXPECT_EQ(vm.contact().errorKey, "kiosk.contact.error.licence_expired");
    EXPECT_EQ(vm.contact().errorValues.at("expiry"), "2026-07-04");
    EXPECT_FALSE(vm.contact().licenceChecked);

    ASSERT_TRUE(vm.scanLicence(licencePayload("07042006", "07042030")));   // 20 years old
    EXPECT_EQ(vm.contact().errorKey, "kiosk.contact.error.licence_age");
    EXPECT_EQ(vm.contact().errorValues.at("age"), "21");
    EXPECT_FALSE(vm.contact().licenceChecked);

    const std::string truncated = licencePayload().substr(0, 40);
    ASSERT_TRUE(vm.scanLicence(truncated));
    EXPECT_EQ(vm.contact().errorKey, "kiosk.contact.error.licence_unreadable");
    EXPECT_FALSE(vm.contact().errorValues.at("detail").empty());
    EXPECT_EQ(vm.contact().errorValues.at("detail").find("T6423"), std::string::npos) << "never the holder's data";
    EXPECT_FALSE(vm.contact().licenceChecked);
}

TEST(KioskLicence, ALicenceScannedAnywhereElseIsIgnored) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    EXPECT_FALSE(vm.scanLicence(licencePayload()));   // attract loop
    EXPECT_EQ(vm.screen(), Screen::Attract);
    openFirstCar(vm);
    vm.openContact(ContactForm::Kind::ContactMe);
    EXPECT_FALSE(vm.scanLicence(licencePayload()));
    EXPECT_TRUE(vm.contact().name.empty());
}
