// The other showrooms' stock as the kiosk offers it ("available at another showroom"), read from a
// real store file's network_vehicles the way the sync client leaves it: what a shopper would see,
// in which order, at which showroom, and that rows HQ sent half-written or broken are left out.

#include "store_fixture.hpp"

#include "showroom/core/demo.hpp"
#include "showroom/core/inventory.hpp"
#include "showroom/core/network_stock.hpp"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace core = showroom::core;
using showroom::test::count;

namespace {

struct NetworkStock : showroom::test::Store {
    std::int64_t seq = 0;

    // One vehicle as HQ's "vehicle" change carries it (protocol.hpp).
    static nlohmann::json car(const std::string& vin, const std::string& make, const std::string& model,
                              const std::string& price, const std::string& status = "in_stock") {
        return {{"vin", vin},          {"year", 2024},
                {"make", make},        {"model", model},
                {"trim", "Base"},      {"body", "suv"},
                {"fuel", "gasoline"},  {"condition", "used"},
                {"odometer", 12000},   {"exterior_color", "Silver"},
                {"price", price},      {"msrp", price},
                {"status", status},    {"photos", nlohmann::json::array({vin + "-1.jpg"})},
                {"store_code", "NTH"}, {"store_name", "Riverside Motors North Hills"}};
    }

    void put(const std::string& store, const std::string& vin, const std::string& data) {
        auto stmt =
            conn.prepare("INSERT INTO network_vehicles(store_code, vin, data, hq_seq) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT(store_code, vin) DO UPDATE SET data = excluded.data, hq_seq = excluded.hq_seq");
        ASSERT_TRUE(stmt) << stmt.error().message;
        ASSERT_TRUE(stmt->bindAll(store, vin, data, ++seq).run());
    }
    void put(const std::string& store, const nlohmann::json& data) {
        put(store, data.at("vin").get<std::string>(), data.dump());
    }

    core::NetworkStockPage search(const core::NetworkStockQuery& q = {}) {
        auto page = core::searchNetworkStock(conn, q);
        if (!page) {
            ADD_FAILURE() << page.error().message;
            return {};
        }
        return *page;
    }
};

// A query with some fields set: query([](auto& q) { q.makes = {"Ford"}; }).
template <class F> core::NetworkStockQuery query(F&& set) {
    core::NetworkStockQuery q;
    set(q);
    return q;
}
core::NetworkStockQuery text(std::string words) {
    return query([&](auto& q) { q.text = std::move(words); });
}

std::vector<std::string> vins(const core::NetworkStockPage& page) {
    std::vector<std::string> out;
    for (const auto& v : page.vehicles)
        out.push_back(v.vin);
    return out;
}

} // namespace

TEST(NetworkStockQuery, AnEmptyNetworkOffersNothing) {
    NetworkStock s;
    const auto page = s.search();
    EXPECT_TRUE(page.vehicles.empty());
    EXPECT_EQ(page.total, 0);
    EXPECT_EQ(core::countNetworkStock(s.conn, {}).value(), 0);
}

TEST(NetworkStockQuery, OffersOnlyCarsInStockCheapestFirstWithTheirShowroom) {
    NetworkStock s;
    s.put("NTH", NetworkStock::car("V3", "Ford", "Bronco", "41990.00"));
    s.put("NTH", NetworkStock::car("V1", "Kia", "Sportage", "24990.50"));
    s.put("NTH", NetworkStock::car("V2", "Ford", "Explorer", "30000.00", "sold"));
    s.put("NTH", NetworkStock::car("V4", "Mazda", "CX-5", "28990.00", "on_hold"));
    auto air = NetworkStock::car("V5", "Lexus", "RX", "56200.00");
    air["store_code"] = "AIR";
    air["store_name"] = "Riverside Motors Airport";
    s.put("AIR", air);

    const auto page = s.search();
    EXPECT_EQ(vins(page), (std::vector<std::string>{"V1", "V3", "V5"}));
    EXPECT_EQ(page.total, 3);
    ASSERT_EQ(page.vehicles.size(), 3u);
    const auto& kia = page.vehicles[0];
    EXPECT_EQ(kia.storeCode, "NTH");
    EXPECT_EQ(kia.storeName, "Riverside Motors North Hills");
    EXPECT_EQ(kia.year, 2024);
    EXPECT_EQ(kia.make, "Kia");
    EXPECT_EQ(kia.model, "Sportage");
    EXPECT_EQ(kia.trim, "Base");
    EXPECT_EQ(kia.body, "suv");
    EXPECT_EQ(kia.fuel, "gasoline");
    EXPECT_EQ(kia.condition, core::Condition::Used);
    EXPECT_EQ(kia.odometer, 12000);
    EXPECT_EQ(kia.exteriorColor, "Silver");
    EXPECT_EQ(kia.price, 2'499'050);
    EXPECT_EQ(kia.photos, (std::vector<std::string>{"V1-1.jpg"}));
    EXPECT_EQ(page.vehicles[2].storeName, "Riverside Motors Airport");
}

TEST(NetworkStockQuery, RowsThatAreNotJsonOrLackAFieldAreSkippedNotFatal) {
    NetworkStock s;
    s.put("NTH", NetworkStock::car("GOOD", "Ford", "Bronco", "41990.00"));
    s.put("NTH", "NOTJSON", "{\"vin\": \"NOTJSON\", \"make\": ");
    s.put("NTH", "EMPTY", "");
    s.put("NTH", "ARRAY", "[1, 2, 3]");
    s.put("NTH", "NUMBER", "42");
    auto noMake = NetworkStock::car("NOMAKE", "Ford", "Bronco", "100.00");
    noMake.erase("make");
    s.put("NTH", noMake);
    auto badPrice = NetworkStock::car("BADPRICE", "Ford", "Bronco", "call us");
    s.put("NTH", badPrice);
    auto twoDots = NetworkStock::car("TWODOTS", "Ford", "Bronco", "1.2.3");
    s.put("NTH", twoDots);
    auto textYear = NetworkStock::car("TEXTYEAR", "Ford", "Bronco", "100.00");
    textYear["year"] = "2024";
    s.put("NTH", textYear);
    auto noStatus = NetworkStock::car("NOSTATUS", "Ford", "Bronco", "100.00");
    noStatus.erase("status");
    s.put("NTH", noStatus);
    auto badCondition = NetworkStock::car("BADCOND", "Ford", "Bronco", "100.00");
    badCondition["condition"] = "like new";
    s.put("NTH", badCondition);
    auto photosNotList = NetworkStock::car("PHOTOS", "Ford", "Bronco", "50000.00");
    photosNotList["photos"] = "a.jpg";
    photosNotList["trim"] = nullptr; // optional fields may be missing or null
    photosNotList.erase("body");
    s.put("NTH", photosNotList);
    { // bytes that are not even text
        auto stmt =
            s.conn.prepare("INSERT INTO network_vehicles(store_code, vin, data, hq_seq) VALUES ('NTH', 'BLOB', ?, 99)");
        ASSERT_TRUE(stmt);
        ASSERT_TRUE(stmt->bindBlob(1, std::string("\x00\xff{\"make\":", 9)).run());
    }

    const auto page = s.search(text("bronco"));
    EXPECT_EQ(vins(page), (std::vector<std::string>{"GOOD", "PHOTOS"}));
    EXPECT_EQ(page.total, 2);
    EXPECT_EQ(core::countNetworkStock(s.conn, {}).value(), 2);
    ASSERT_EQ(page.vehicles.size(), 2u);
    EXPECT_TRUE(page.vehicles[1].photos.empty());
    EXPECT_EQ(page.vehicles[1].trim, "");
    EXPECT_EQ(page.vehicles[1].body, "");
    EXPECT_FALSE(core::findNetworkVehicle(s.conn, "NOTJSON").value().has_value());
}

TEST(NetworkStockQuery, FiltersByTextMakeBodyFuelConditionPriceAndYear) {
    NetworkStock s;
    auto add = [&](const std::string& vin, const std::string& make, const std::string& model, const std::string& price,
                   const std::string& body, const std::string& fuel, const std::string& color, int year,
                   const std::string& condition) {
        auto c = NetworkStock::car(vin, make, model, price);
        c["body"] = body;
        c["fuel"] = fuel;
        c["exterior_color"] = color;
        c["year"] = year;
        c["condition"] = condition;
        s.put("NTH", c);
    };
    add("R1S", "Rivian", "R1S", "84990.00", "suv", "electric", "Rivian Blue", 2026, "new");
    add("R1T", "Rivian", "R1T", "72500.00", "pickup", "electric", "Launch Green", 2025, "used");
    add("F150", "Ford", "F-150", "45990.00", "pickup", "gasoline", "Oxford White", 2023, "used");
    add("M4", "BMW", "M4", "68900.00", "coupe", "gasoline", "Isle of Man Green Metallic", 2023, "certified");

    EXPECT_EQ(vins(s.search(text("RIVIAN"))), (std::vector<std::string>{"R1T", "R1S"}));
    EXPECT_EQ(vins(s.search(text("green"))), (std::vector<std::string>{"M4", "R1T"}));
    EXPECT_EQ(vins(s.search(text("rivian  green"))), (std::vector<std::string>{"R1T"})); // every word
    EXPECT_EQ(vins(s.search(text("f-15"))), (std::vector<std::string>{"F150"}));         // substring
    EXPECT_EQ(vins(s.search(text("2023"))), (std::vector<std::string>{"F150", "M4"}));
    EXPECT_EQ(vins(s.search(text("pickup"))), (std::vector<std::string>{"F150", "R1T"}));
    EXPECT_TRUE(s.search(text("tesla")).vehicles.empty());
    EXPECT_TRUE(s.search(text("'; DROP TABLE network_vehicles; --")).vehicles.empty());

    EXPECT_EQ(vins(s.search(query([](auto& q) { q.makes = {"rivian"}; }))), (std::vector<std::string>{"R1T", "R1S"}));
    EXPECT_EQ(vins(s.search(query([](auto& q) {
                  q.makes = {"BMW", "Ford"};
              }))),
              (std::vector<std::string>{"F150", "M4"}));
    EXPECT_EQ(vins(s.search(query([](auto& q) { q.bodies = {"pickup"}; }))), (std::vector<std::string>{"F150", "R1T"}));
    EXPECT_EQ(vins(s.search(query([](auto& q) {
                  q.fuels = {"electric"};
                  q.priceMax = 8'000'000;
              }))),
              (std::vector<std::string>{"R1T"}));
    EXPECT_EQ(vins(s.search(query([](auto& q) {
                  q.conditions = {core::Condition::Certified, core::Condition::New};
              }))),
              (std::vector<std::string>{"M4", "R1S"}));
    EXPECT_EQ(vins(s.search(query([](auto& q) {
                  q.priceMin = 6'890'000;
                  q.priceMax = 7'250'000;
              }))),
              (std::vector<std::string>{"M4", "R1T"}));
    EXPECT_EQ(vins(s.search(query([](auto& q) { q.yearMin = 2025; }))), (std::vector<std::string>{"R1T", "R1S"}));
    EXPECT_EQ(vins(s.search(query([](auto& q) { q.yearMax = 2023; }))), (std::vector<std::string>{"F150", "M4"}));
    EXPECT_EQ(core::countNetworkStock(s.conn, text("rivian")).value(), 2);
}

TEST(NetworkStockQuery, TheLimitKeepsTheCheapestAndTheTotalCountsEveryMatch) {
    NetworkStock s;
    for (int i = 0; i < 7; ++i)
        s.put("NTH",
              NetworkStock::car("V" + std::to_string(i), "Ford", "Bronco", std::to_string(50000 - i * 1000) + ".00"));
    const auto page = s.search(query([](auto& q) { q.limit = 3; }));
    EXPECT_EQ(vins(page), (std::vector<std::string>{"V6", "V5", "V4"}));
    EXPECT_EQ(page.total, 7);
    const auto countOnly = s.search(query([](auto& q) { q.limit = 0; }));
    EXPECT_TRUE(countOnly.vehicles.empty());
    EXPECT_EQ(countOnly.total, 7);
}

TEST(NetworkStockQuery, AVinIsWhereHqLastSawItAndASaleOrHoldWithdrawsIt) {
    NetworkStock s;
    s.put("NTH", NetworkStock::car("MOVED", "Ford", "Bronco", "41990.00"));
    auto atAirport = NetworkStock::car("MOVED", "Ford", "Bronco", "41990.00");
    atAirport["store_name"] = "Riverside Motors Airport";
    s.put("AIR", atAirport); // transferred: HQ's later row names the Airport
    s.put("NTH", NetworkStock::car("HELD", "Kia", "Sportage", "24990.00"));
    { // a later change carries only the status, merged the way the sync client merges it
        auto stmt =
            s.conn.prepare("UPDATE network_vehicles SET data = json_patch(data, ?), hq_seq = 100 WHERE vin = 'HELD'");
        ASSERT_TRUE(stmt);
        ASSERT_TRUE(stmt->bindAll(std::string(R"({"status":"on_hold"})")).run());
    }
    const auto page = s.search();
    ASSERT_EQ(page.vehicles.size(), 1u);
    EXPECT_EQ(page.vehicles[0].vin, "MOVED");
    EXPECT_EQ(page.vehicles[0].storeCode, "AIR");
    EXPECT_EQ(page.vehicles[0].storeName, "Riverside Motors Airport");
    EXPECT_EQ(page.total, 1);
    EXPECT_FALSE(core::findNetworkVehicle(s.conn, "HELD").value().has_value());
    EXPECT_EQ(core::findNetworkVehicle(s.conn, "MOVED").value()->storeCode, "AIR");
    EXPECT_FALSE(core::findNetworkVehicle(s.conn, "NOSUCHVIN").value().has_value());
}

TEST(NetworkStockQuery, ThisShowroomsOwnCarsAreNeverElsewhere) {
    NetworkStock s;
    // A row under this showroom's own code ("TST"), and a car transferred here that HQ still lists at
    // North Hills: both are on this showroom's lot, not another's.
    s.put("TST", NetworkStock::car("OWN", "Ford", "Bronco", "41990.00"));
    s.put("NTH", NetworkStock::car("1FMEE5DP8NLA12345", "Ford", "Bronco", "42990.00"));
    s.put("NTH", NetworkStock::car("THERE", "Ford", "Bronco", "43990.00"));
    core::Vehicle here;
    here.storeId = core::localStoreId(s.conn).value();
    here.vin = "1FMEE5DP8NLA12345";
    here.stockNo = "T-1";
    here.year = 2022;
    here.make = "Ford";
    here.model = "Bronco";
    here.price = 4'299'000;
    here.status = core::VehicleStatus::Incoming;
    auto added = core::Inventory(s.ctx).add(here);
    ASSERT_TRUE(added) << added.error().message;
    EXPECT_EQ(vins(s.search()), (std::vector<std::string>{"THERE"}));
}

TEST(NetworkStockQuery, WithoutAStoreNameTheShowroomIsNamedFromTheStoresTableOrByCode) {
    NetworkStock s;
    core::Showroom known{"", "LKS", "Riverside Motors Lakeside", "Capital City", "", "UTC"};
    ASSERT_TRUE(core::addShowroom(s.ctx, known));
    auto lakeside = NetworkStock::car("L1", "Ford", "Bronco", "41990.00");
    lakeside.erase("store_name");
    s.put("LKS", lakeside);
    auto unknown = NetworkStock::car("U1", "Ford", "Bronco", "42990.00");
    unknown["store_name"] = "";
    s.put("ZZZ", unknown);
    const auto page = s.search();
    ASSERT_EQ(page.vehicles.size(), 2u);
    EXPECT_EQ(page.vehicles[0].storeName, "Riverside Motors Lakeside");
    EXPECT_EQ(page.vehicles[1].storeName, "ZZZ");
}

TEST(NetworkStockQuery, TheDemoHasRiviansOnlyAtTheOtherShowrooms) {
    showroom::test::Store s;
    ASSERT_TRUE(core::demo::seed(s.conn, {60, 3, core::parseUtc("2026-11-01").value()}));
    auto rivians = core::searchNetworkStock(s.conn, text("rivian"));
    ASSERT_TRUE(rivians) << rivians.error().message;
    ASSERT_EQ(rivians->total, 2);
    EXPECT_EQ(rivians->vehicles[0].storeName, "Riverside Motors Airport");
    EXPECT_EQ(rivians->vehicles[1].storeName, "Riverside Motors North Hills");
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM vehicles WHERE make = 'Rivian'"), 0);
    // The sold and the held car of the nine sent are not offered.
    EXPECT_EQ(core::countNetworkStock(s.conn, {}).value(), 7);
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM network_vehicles"), 9);
}
