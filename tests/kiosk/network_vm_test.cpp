// "Available at another showroom" in the kiosk's customer view-model, against a real demo store
// whose network_vehicles hold the two showrooms the demo knows only through headquarters (North
// Hills "NTH" and Airport "AIR"): what the shopper's search finds there, where the browse screen
// puts it, the other showroom's car on its own page, and that asking for it stores nothing.

#include "viewmodels/kiosk_vm.hpp"

#include "demo_fixture.hpp"

#include "showroom/core/network_stock.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>

namespace showroom::kiosk {
inline void PrintTo(Screen screen, std::ostream* out) {
    *out << toString(screen);
}
inline void PrintTo(NetworkPlacement placement, std::ostream* out) {
    *out << toString(placement);
}
} // namespace showroom::kiosk

namespace core = showroom::core;
using showroom::kiosk::KioskConfig;
using showroom::kiosk::KioskViewModel;
using showroom::kiosk::NetworkPlacement;
using showroom::kiosk::Screen;
using showroom::test::count;
using showroom::test::DemoStore;

namespace {

std::int64_t inStockHere(DemoStore& s, const std::string& where) {
    return count(s.conn, "SELECT count(*) FROM vehicles WHERE status = 'in_stock' AND store_id = (SELECT value FROM "
                         "settings WHERE key = 'local_store_id') AND " +
                             where);
}

// Everything a customer could leave behind in the store's database.
std::int64_t footprint(DemoStore& s) {
    return count(s.conn, "SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM leads) + "
                         "(SELECT count(*) FROM follow_ups) + (SELECT count(*) FROM outbox) + "
                         "(SELECT count(*) FROM audit_log) + (SELECT count(*) FROM network_vehicles)");
}

} // namespace

TEST(KioskNetwork, AnUnfilteredBrowseShowsOnlyThisShowroom) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    vm.touchToStart();
    ASSERT_GT(core::countNetworkStock(s.conn, {}).value(), 0) << "the demo has no network stock";
    EXPECT_TRUE(vm.network().empty());
    EXPECT_EQ(vm.networkTotal(), 0);
    EXPECT_EQ(vm.networkPlacement(), NetworkPlacement::None);

    vm.setSort(core::SortKey::NewestArrival); // sorting is not a search
    EXPECT_EQ(vm.networkPlacement(), NetworkPlacement::None);
}

TEST(KioskNetwork, ASearchOnlyOtherShowroomsCanAnswerMakesThemTheResult) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    vm.touchToStart();
    ASSERT_EQ(inStockHere(s, "make = 'Rivian'"), 0);

    vm.setSearchText("Rivian");
    EXPECT_EQ(vm.total(), 0);
    EXPECT_TRUE(vm.results().empty());
    EXPECT_EQ(vm.networkPlacement(), NetworkPlacement::Main);
    EXPECT_EQ(vm.networkTotal(), 2);
    ASSERT_EQ(vm.network().size(), 2u);
    // Cheapest first, each with the showroom that has it.
    EXPECT_EQ(vm.network()[0].model, "R1T");
    EXPECT_EQ(vm.network()[0].storeName, "Riverside Motors Airport");
    EXPECT_EQ(vm.network()[1].model, "R1S");
    EXPECT_EQ(vm.network()[1].storeName, "Riverside Motors North Hills");
    EXPECT_LT(vm.network()[0].price, vm.network()[1].price);

    vm.resetFilters();
    EXPECT_EQ(vm.networkPlacement(), NetworkPlacement::None);
    EXPECT_FALSE(vm.results().empty());
}

TEST(KioskNetwork, WhenThisShowroomHasMatchesTheOtherShowroomsAreAStripBelowThem) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    vm.touchToStart();
    ASSERT_GT(inStockHere(s, "body = 'suv'"), 0);

    vm.toggleBody("suv");
    EXPECT_FALSE(vm.results().empty());
    EXPECT_EQ(vm.networkPlacement(), NetworkPlacement::Strip);
    EXPECT_EQ(vm.networkTotal(), core::countNetworkStock(s.conn,
                                                         [] {
                                                             core::NetworkStockQuery q;
                                                             q.bodies = {"suv"};
                                                             return q;
                                                         }())
                                     .value());
    ASSERT_FALSE(vm.network().empty());
    for (const auto& v : vm.network())
        EXPECT_EQ(v.body, "suv") << v.make << " " << v.model;
}

TEST(KioskNetwork, EveryFilterTheShopperSetAppliesToTheOtherShowroomsToo) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    vm.touchToStart();
    vm.setSearchText("rivian");
    ASSERT_EQ(vm.networkTotal(), 2);

    vm.setPriceRange(std::nullopt, 8'000'000); // $80k
    ASSERT_EQ(vm.network().size(), 1u);
    EXPECT_EQ(vm.network()[0].model, "R1T");

    vm.setPriceRange(std::nullopt, std::nullopt);
    vm.toggleCondition(core::Condition::New);
    ASSERT_EQ(vm.network().size(), 1u);
    EXPECT_EQ(vm.network()[0].model, "R1S");

    vm.toggleCondition(core::Condition::New);
    vm.toggleFuel("gasoline");
    EXPECT_EQ(vm.networkTotal(), 0);
    EXPECT_EQ(vm.networkPlacement(), NetworkPlacement::None); // "No cars match" as before
}

TEST(KioskNetwork, AnotherShowroomsCarOpensOnItsOwnPageAndAskingForItStoresNothing) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    vm.touchToStart();
    vm.setSearchText("rivian");
    ASSERT_EQ(vm.network().size(), 2u);
    const auto before = footprint(s);

    vm.openNetworkVehicle(vm.network()[0].vin);
    EXPECT_EQ(vm.screen(), Screen::NetworkDetail);
    ASSERT_TRUE(vm.networkVehicle());
    EXPECT_EQ(vm.networkVehicle()->model, "R1T");
    EXPECT_EQ(vm.networkVehicle()->storeName, "Riverside Motors Airport");
    EXPECT_FALSE(vm.bringHereAsked());

    vm.askToBringHere();
    EXPECT_TRUE(vm.bringHereAsked());
    EXPECT_EQ(footprint(s), before); // no transfer, lead or event is invented

    vm.back();
    EXPECT_EQ(vm.screen(), Screen::Browse);
    EXPECT_EQ(vm.filters().text, "rivian"); // the search is still there
    EXPECT_EQ(vm.networkPlacement(), NetworkPlacement::Main);
    EXPECT_FALSE(vm.bringHereAsked());

    vm.openNetworkVehicle(vm.network()[1].vin);
    vm.startOver();
    EXPECT_EQ(vm.screen(), Screen::Attract);
    EXPECT_FALSE(vm.networkVehicle());
    EXPECT_TRUE(vm.network().empty());
}

TEST(KioskNetwork, ACarSoldThereSinceTheSearchIsNoLongerAvailable) {
    DemoStore s;
    KioskViewModel vm(s.ctx, KioskConfig{}, 0);
    vm.touchToStart();
    vm.setSearchText("rivian");
    ASSERT_EQ(vm.network().size(), 2u);
    const std::string vin = vm.network()[0].vin;
    // HQ tells this store the car was sold at the Airport (a status-only change, merged).
    auto sold = s.conn.prepare("UPDATE network_vehicles SET data = json_patch(data, '{\"status\":\"sold\"}'), "
                               "hq_seq = hq_seq + 100 WHERE vin = ?");
    ASSERT_TRUE(sold);
    ASSERT_TRUE(sold->bindAll(vin).run());

    vm.openNetworkVehicle(vin); // the card is still on screen
    EXPECT_EQ(vm.screen(), Screen::Browse);
    EXPECT_EQ(vm.errorBanner(), "kiosk.error.vehicle_gone");
    EXPECT_FALSE(vm.networkVehicle());
    EXPECT_EQ(vm.networkTotal(), 1);
    vm.askToBringHere(); // nothing open: nothing to ask about
    EXPECT_FALSE(vm.bringHereAsked());
}
