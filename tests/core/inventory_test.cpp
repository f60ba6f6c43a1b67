#include "showroom/core/crm.hpp"
#include "showroom/core/deals.hpp"
#include "showroom/core/demo.hpp"
#include "showroom/core/inventory.hpp"
#include "showroom/core/store.hpp"
#include "showroom/core/vin.hpp"

#include "store_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace core = showroom::core;
using core::ErrorCode;
using core::VehicleStatus;
using showroom::test::TempDir;

namespace {

using showroom::test::count;
using showroom::test::kNow;
using showroom::test::Store;

template <class... Args> std::string text(core::db::Connection& db, const std::string& sql, const Args&... args) {
    auto stmt = db.prepare(sql);
    if (!stmt) {
        ADD_FAILURE() << sql << ": " << stmt.error().message;
        return {};
    }
    stmt->bindAll(args...);
    auto row = stmt->step();
    if (!row || !*row) return {};
    return stmt->getText(0);
}

std::int64_t vehicleCount(Store& s) {
    return count(s.conn, "SELECT count(*) FROM vehicles");
}
std::int64_t auditCount(Store& s) {
    return count(s.conn, "SELECT count(*) FROM audit_log");
}
std::int64_t outboxCount(Store& s) {
    return count(s.conn, "SELECT count(*) FROM outbox");
}

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

core::Vehicle car(std::string vin, int year, std::string make, std::string model, core::Cents price,
                  VehicleStatus status = VehicleStatus::InStock) {
    core::Vehicle v;
    v.vin = std::move(vin);
    v.year = year;
    v.make = std::move(make);
    v.model = std::move(model);
    v.price = price;
    v.status = status;
    return v;
}

// The VIN with position 9 replaced by a digit that does not match the check digit.
std::string withWrongCheckDigit(std::string vin) {
    const char right = core::vin::computeCheckDigit(vin);
    vin[8] = right == '5' ? '6' : '5';
    return vin;
}

const std::string kTesla = core::demo::makeVin("5YJ", 2024, 1);
const std::string kToyota = core::demo::makeVin("JTD", 2022, 2);
const std::string kByd = core::demo::makeVin("LGX", 2025, 3);
constexpr std::string_view kCoach = "1M8GDM9AXKP042788"; // Motor Coach Industries, 1989

// ---- add ------------------------------------------------------------------------------------------------

TEST(InventoryAdd, FillsIdStockNumberStoreAndTimestamps) {
    Store s;
    core::Inventory inventory(s.ctx);
    auto added = inventory.add(car(kTesla, 2024, "Tesla", "Model 3", 4'299'000));
    ASSERT_TRUE(added.ok()) << added.error().message;

    EXPECT_EQ(added->id.size(), 36u);
    EXPECT_EQ(added->stockNo, "TST-00001");
    EXPECT_EQ(added->storeId, core::localStoreId(s.conn).value());
    EXPECT_EQ(added->createdAt, kNow);
    EXPECT_EQ(added->updatedAt, kNow);
    EXPECT_EQ(added->receivedAt, kNow);
    EXPECT_EQ(added->statusChangedAt, kNow);

    auto again = inventory.find(added->stockNo);
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(again->id, added->id);
    EXPECT_EQ(again->vin, kTesla);
    EXPECT_EQ(again->price, 4'299'000);

    auto second = inventory.add(car(kToyota, 2022, "Toyota", "Corolla", 2'150'000));
    ASSERT_TRUE(second.ok()) << second.error().message;
    EXPECT_EQ(second->stockNo, "TST-00002");
}

TEST(InventoryAdd, WritesOneAuditRowAndOneOutboxEvent) {
    Store s;
    const auto audit0 = auditCount(s);
    const auto outbox0 = outboxCount(s);
    auto added = core::Inventory(s.ctx).add(car(kTesla, 2024, "Tesla", "Model 3", 4'299'000));
    ASSERT_TRUE(added.ok()) << added.error().message;

    EXPECT_EQ(auditCount(s), audit0 + 1);
    EXPECT_EQ(outboxCount(s), outbox0 + 1);
    EXPECT_EQ(count(s.conn,
                    "SELECT count(*) FROM audit_log WHERE entity = 'vehicle' AND entity_id = ? AND actor = 'test'",
                    added->id),
              1);
    EXPECT_EQ(count(s.conn,
                    "SELECT count(*) FROM outbox WHERE entity = 'vehicle' AND entity_id = ? AND sent_at IS NULL",
                    added->id),
              1);
    EXPECT_TRUE(contains(text(s.conn, "SELECT payload FROM outbox WHERE entity_id = ?", added->id), kTesla));
}

TEST(InventoryAdd, WritesNothingWhenItsOutboxEventCannotBeWritten) {
    // The vehicle, its audit row and its outbox event are one transaction: when the last write fails,
    // the first two must vanish too.
    Store s;
    ASSERT_TRUE(s.conn
                    .exec("CREATE TEMP TRIGGER refuse_outbox BEFORE INSERT ON main.outbox "
                          "BEGIN SELECT RAISE(ABORT, 'outbox unavailable'); END")
                    .ok());
    const auto audit0 = auditCount(s);
    auto added = core::Inventory(s.ctx).add(car(kTesla, 2024, "Tesla", "Model 3", 4'299'000));
    EXPECT_FALSE(added.ok());
    EXPECT_EQ(vehicleCount(s), 0);
    EXPECT_EQ(auditCount(s), audit0);

    ASSERT_TRUE(s.conn.exec("DROP TRIGGER refuse_outbox").ok());
    auto retried = core::Inventory(s.ctx).add(car(kTesla, 2024, "Tesla", "Model 3", 4'299'000));
    ASSERT_TRUE(retried.ok()) << retried.error().message;
    EXPECT_EQ(retried->stockNo, "TST-00001") << "the failed attempt must not have used up a stock number";
}

TEST(InventoryAdd, DuplicateVinIsRefusedNamingTheVinAndWritesNothing) {
    Store s;
    core::Inventory inventory(s.ctx);
    ASSERT_TRUE(inventory.add(car(kTesla, 2024, "Tesla", "Model 3", 4'299'000)).ok());
    const auto vehicles = vehicleCount(s);
    const auto audit = auditCount(s);
    const auto outbox = outboxCount(s);

    for (const std::string& vin : {kTesla, lower(kTesla)}) {
        auto dup = inventory.add(car(vin, 2024, "Tesla", "Model Y", 5'099'000));
        ASSERT_FALSE(dup.ok()) << vin;
        EXPECT_EQ(dup.error().code, ErrorCode::Duplicate) << vin;
        EXPECT_TRUE(contains(dup.error().message, kTesla)) << dup.error().message;
    }
    EXPECT_EQ(vehicleCount(s), vehicles);
    EXPECT_EQ(auditCount(s), audit);
    EXPECT_EQ(outboxCount(s), outbox);
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM vehicles WHERE model = 'Model Y'"), 0);

    auto next = inventory.add(car(kToyota, 2022, "Toyota", "Corolla", 2'150'000));
    ASSERT_TRUE(next.ok()) << next.error().message;
    EXPECT_EQ(next->stockNo, "TST-00002");
}

TEST(InventoryAdd, StockNumberAlreadyInUseIsADuplicate) {
    Store s;
    core::Inventory inventory(s.ctx);
    core::Vehicle first = car(kTesla, 2024, "Tesla", "Model 3", 4'299'000);
    first.stockNo = "T-100";
    ASSERT_TRUE(inventory.add(first).ok());
    core::Vehicle second = car(kToyota, 2022, "Toyota", "Corolla", 2'150'000);
    second.stockNo = "T-100";
    auto dup = inventory.add(second);
    ASSERT_FALSE(dup.ok());
    EXPECT_EQ(dup.error().code, ErrorCode::Duplicate) << dup.error().message;
    EXPECT_TRUE(contains(dup.error().message, "T-100")) << dup.error().message;
    EXPECT_EQ(vehicleCount(s), 1);
}

TEST(InventoryAdd, RefusesInvalidVinImplausibleYearAndZeroPrice) {
    Store s;
    core::Inventory inventory(s.ctx);
    const core::Vehicle refused[] = {
        car("1M8GDM9AXKP04278", 1989, "Motor Coach Industries", "", 9'000'000),  // 16 characters
        car("1M8GDM9AXKP04278O", 1989, "Motor Coach Industries", "", 9'000'000), // letter O
        car(withWrongCheckDigit(std::string(kCoach)), 1989, "Motor Coach Industries", "", 9'000'000),
        car(kTesla, 1970, "Tesla", "Model 3", 4'299'000),
        car(kTesla, 2024, "Tesla", "Model 3", 0),
        car(kTesla, 2024, "Tesla", "Model 3", -100),
    };
    const auto audit = auditCount(s);
    for (const auto& v : refused) {
        auto result = inventory.add(v);
        ASSERT_FALSE(result.ok()) << v.vin << " " << v.year << " " << v.price;
        EXPECT_EQ(result.error().code, ErrorCode::InvalidInput) << result.error().message;
        EXPECT_FALSE(result.error().message.empty());
    }
    EXPECT_EQ(vehicleCount(s), 0);
    EXPECT_EQ(auditCount(s), audit);
    EXPECT_EQ(outboxCount(s), 0);
}

// ---- status lifecycle ------------------------------------------------------------------------------------

TEST(InventoryStatus, FollowsTheLifecycleFromIncomingToDelivered) {
    Store s;
    core::Inventory inventory(s.ctx);
    auto added = inventory.add(car(kTesla, 2024, "Tesla", "Model 3", 4'299'000, VehicleStatus::Incoming));
    ASSERT_TRUE(added.ok()) << added.error().message;
    ASSERT_EQ(added->status, VehicleStatus::Incoming);

    const VehicleStatus path[] = {VehicleStatus::InStock, VehicleStatus::OnHold, VehicleStatus::Sold,
                                  VehicleStatus::Delivered};
    std::int64_t changes = 0;
    for (VehicleStatus to : path) {
        s.clock.advance(3600);
        auto changed = inventory.changeStatus(added->stockNo, to, "test");
        ASSERT_TRUE(changed.ok()) << core::toString(to) << ": " << changed.error().message;
        EXPECT_EQ(changed->status, to);
        EXPECT_EQ(changed->statusChangedAt, core::formatUtc(s.clock.now()));
        EXPECT_EQ(inventory.find(added->id)->status, to);
        ++changes;
        EXPECT_EQ(count(s.conn,
                        "SELECT count(*) FROM audit_log WHERE action = 'vehicle.status_changed' AND entity_id = ?",
                        added->id),
                  changes);
        EXPECT_EQ(count(s.conn, "SELECT count(*) FROM outbox WHERE type = 'vehicle.status_changed' AND entity_id = ?",
                        added->id),
                  changes);
    }
}

TEST(InventoryStatus, SoldVehicleCannotGoBackToStockByHand) {
    Store s;
    core::Inventory inventory(s.ctx);
    auto added = inventory.add(car(kTesla, 2024, "Tesla", "Model 3", 4'299'000));
    ASSERT_TRUE(added.ok()) << added.error().message;
    auto sold = inventory.changeStatus(added->id, VehicleStatus::Sold);
    ASSERT_TRUE(sold.ok()) << sold.error().message;
    const auto audit = auditCount(s);

    s.clock.advance(86400);
    auto back = inventory.changeStatus(added->id, VehicleStatus::InStock, "customer changed their mind");
    ASSERT_FALSE(back.ok());
    EXPECT_EQ(back.error().code, ErrorCode::InvalidTransition);
    EXPECT_TRUE(contains(back.error().message, "cancel")) << back.error().message;

    auto now = inventory.find(added->id);
    ASSERT_TRUE(now.ok());
    EXPECT_EQ(now->status, VehicleStatus::Sold);
    EXPECT_EQ(now->statusChangedAt, sold->statusChangedAt);
    EXPECT_EQ(now->updatedAt, sold->updatedAt);
    EXPECT_EQ(auditCount(s), audit);
}

TEST(InventoryStatus, CancelledDealReturnsSoldVehicleToStock) {
    Store s;
    core::Inventory inventory(s.ctx);
    auto added = inventory.add(car(kTesla, 2024, "Tesla", "Model 3", 4'299'000));
    ASSERT_TRUE(added.ok()) << added.error().message;
    core::Customer buyer;
    buyer.firstName = "Ann";
    buyer.lastName = "Lee";
    buyer.phone = "555-010-2000";
    auto customer = core::Crm(s.ctx).addCustomer(buyer);
    ASSERT_TRUE(customer.ok()) << customer.error().message;

    core::finance::DealInput input;
    input.price = 4'299'000;
    input.financed = false;
    core::Deals deals(s.ctx);
    auto deal = deals.create(customer->id, added->stockNo, input);
    ASSERT_TRUE(deal.ok()) << deal.error().message;
    ASSERT_TRUE(deals.sign(deal->id).ok());
    ASSERT_EQ(inventory.find(added->id)->status, VehicleStatus::Sold);

    auto cancelled = deals.cancel(deal->id, "financing fell through");
    ASSERT_TRUE(cancelled.ok()) << cancelled.error().message;
    EXPECT_EQ(inventory.find(added->id)->status, VehicleStatus::InStock);
}

TEST(InventoryStatus, VehicleWithALiveDealCannotBeReleasedOrSoldByHand) {
    // Deals put the vehicle on hold and keep it in step with the deal. Releasing that hold by hand would
    // show a car as available that nobody can sell (the live deal blocks a new one); marking it sold by
    // hand leaves a deal that can no longer be signed.
    Store s;
    core::Inventory inventory(s.ctx);
    auto added = inventory.add(car(kTesla, 2024, "Tesla", "Model 3", 4'299'000));
    ASSERT_TRUE(added.ok()) << added.error().message;
    auto customer = core::Crm(s.ctx).addCustomer([] {
        core::Customer c;
        c.firstName = "Ann";
        c.phone = "555-010-2000";
        return c;
    }());
    ASSERT_TRUE(customer.ok()) << customer.error().message;
    core::finance::DealInput input;
    input.price = 4'299'000;
    input.financed = false;
    core::Deals deals(s.ctx);
    auto deal = deals.create(customer->id, added->id, input);
    ASSERT_TRUE(deal.ok()) << deal.error().message;
    ASSERT_EQ(inventory.find(added->id)->status, VehicleStatus::OnHold);

    auto released = inventory.changeStatus(added->id, VehicleStatus::InStock, "hold expired");
    EXPECT_FALSE(released.ok()) << "a vehicle with live deal " << deal->dealNo << " was put back in stock by hand";
    auto sold = inventory.changeStatus(added->id, VehicleStatus::Sold, "sold");
    EXPECT_FALSE(sold.ok()) << "a vehicle with a draft deal was marked sold by hand";

    auto signedDeal = deals.sign(deal->id);
    EXPECT_TRUE(signedDeal.ok()) << (signedDeal.ok() ? "" : signedDeal.error().message);

    // A hold placed by hand, with no deal behind it, is released by hand.
    auto other = inventory.add(car(kToyota, 2022, "Toyota", "Corolla", 2'150'000, VehicleStatus::OnHold));
    ASSERT_TRUE(other.ok());
    auto freed = inventory.changeStatus(other->id, VehicleStatus::InStock, "customer did not come back");
    EXPECT_TRUE(freed.ok()) << (freed.ok() ? "" : freed.error().message);
}

// ---- check-in by VIN -------------------------------------------------------------------------------------

core::CheckInDetails priced(core::Cents price) {
    core::CheckInDetails d;
    d.price = price;
    return d;
}

TEST(InventoryCheckIn, NewVinCreatesVehicleInStockDecodedFromTheVin) {
    Store s;
    core::Inventory inventory(s.ctx);
    auto in = inventory.checkIn(kTesla, priced(4'299'000));
    ASSERT_TRUE(in.ok()) << in.error().message;
    EXPECT_EQ(in->outcome, core::CheckInResult::Outcome::Created);
    EXPECT_EQ(in->vehicle.vin, kTesla);
    EXPECT_EQ(in->vehicle.make, "Tesla");
    EXPECT_EQ(in->vehicle.year, 2024);
    EXPECT_EQ(in->vehicle.status, VehicleStatus::InStock);
    EXPECT_EQ(in->vehicle.price, 4'299'000);
    EXPECT_TRUE(contains(in->message, in->vehicle.stockNo)) << in->message;

    auto stored = inventory.find(kTesla);
    ASSERT_TRUE(stored.ok()) << stored.error().message;
    EXPECT_EQ(stored->status, VehicleStatus::InStock);
    EXPECT_EQ(stored->make, "Tesla");
    EXPECT_EQ(stored->year, 2024);
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM audit_log WHERE action = 'vehicle.checked_in' AND entity_id = ?",
                    stored->id),
              1);
    EXPECT_EQ(
        count(s.conn, "SELECT count(*) FROM outbox WHERE type = 'vehicle.checked_in' AND entity_id = ?", stored->id),
        1);
}

TEST(InventoryCheckIn, SameVinScannedAgainIsReportedNotDuplicated) {
    Store s;
    core::Inventory inventory(s.ctx);
    auto first = inventory.checkIn(kTesla, priced(4'299'000));
    ASSERT_TRUE(first.ok()) << first.error().message;
    const auto audit = auditCount(s);
    const auto outbox = outboxCount(s);

    const std::string scans[] = {kTesla, lower(kTesla), "  " + kTesla + "\t\r\n", "I" + kTesla, "i" + lower(kTesla)};
    for (const auto& scan : scans) {
        auto again = inventory.checkIn(scan, priced(3'999'000));
        ASSERT_TRUE(again.ok()) << "'" << scan << "': " << again.error().message;
        EXPECT_EQ(again->outcome, core::CheckInResult::Outcome::AlreadyInStock) << scan;
        EXPECT_EQ(again->vehicle.id, first->vehicle.id) << scan;
        EXPECT_TRUE(contains(again->message, first->vehicle.stockNo)) << again->message;
    }
    EXPECT_EQ(vehicleCount(s), 1);
    EXPECT_EQ(inventory.find(kTesla)->price, 4'299'000);
    EXPECT_EQ(auditCount(s), audit);
    EXPECT_EQ(outboxCount(s), outbox);
}

TEST(InventoryCheckIn, NorthAmericanVinWithWrongCheckDigitIsRefusedUnlessConfirmed) {
    Store s;
    core::Inventory inventory(s.ctx);
    const std::string mistyped = withWrongCheckDigit(std::string(kCoach));

    auto refused = inventory.checkIn(mistyped, priced(9'000'000));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::InvalidInput);
    EXPECT_TRUE(contains(refused.error().message, "check digit")) << refused.error().message;
    EXPECT_EQ(vehicleCount(s), 0);

    core::CheckInDetails confirmed = priced(9'000'000);
    confirmed.acceptBadCheckDigit = true;
    auto accepted = inventory.checkIn(mistyped, confirmed);
    ASSERT_TRUE(accepted.ok()) << accepted.error().message;
    EXPECT_EQ(accepted->outcome, core::CheckInResult::Outcome::Created);
    EXPECT_EQ(accepted->vehicle.vin, mistyped);
    EXPECT_EQ(accepted->vehicle.make, "Motor Coach Industries");
    EXPECT_EQ(accepted->vehicle.year, 1989);
    EXPECT_EQ(vehicleCount(s), 1);
}

TEST(InventoryCheckIn, ConfirmingABadCheckDigitDoesNotWaiveTheOtherChecks) {
    // The porter vouches for the label, not for a zero price or an impossible odometer reading.
    Store s;
    core::Inventory inventory(s.ctx);
    const std::string mistyped = withWrongCheckDigit(std::string(kCoach));

    core::CheckInDetails zeroPrice = priced(0);
    zeroPrice.acceptBadCheckDigit = true;
    auto free = inventory.checkIn(mistyped, zeroPrice);
    EXPECT_FALSE(free.ok()) << "a vehicle was checked in at price " << (free.ok() ? free->vehicle.price : -1);
    if (!free.ok()) {
        EXPECT_EQ(free.error().code, ErrorCode::InvalidInput);
    }

    core::CheckInDetails hugeOdometer = priced(3'000'000);
    hugeOdometer.acceptBadCheckDigit = true;
    hugeOdometer.odometer = 50'000'000;
    auto odometer = inventory.checkIn(withWrongCheckDigit(core::demo::makeVin("1FA", 2020, 7)), hugeOdometer);
    EXPECT_FALSE(odometer.ok()) << "a vehicle was checked in with odometer 50,000,000";

    EXPECT_EQ(vehicleCount(s), 0);

    // The same zero price with a correct VIN is refused, as it must be.
    auto plain = inventory.checkIn(kCoach, priced(0));
    ASSERT_FALSE(plain.ok());
    EXPECT_EQ(plain.error().code, ErrorCode::InvalidInput);
}

TEST(InventoryCheckIn, IncomingVehicleIsReceivedIntoStock) {
    Store s;
    core::Inventory inventory(s.ctx);
    auto added = inventory.add(car(kTesla, 2024, "Tesla", "Model 3", 4'299'000, VehicleStatus::Incoming));
    ASSERT_TRUE(added.ok()) << added.error().message;

    s.clock.advance(2 * 86400);
    core::CheckInDetails d;
    d.lotLocation = "Row B, spot 4";
    auto in = inventory.checkIn(lower(kTesla), d);
    ASSERT_TRUE(in.ok()) << in.error().message;
    EXPECT_EQ(in->outcome, core::CheckInResult::Outcome::Received);
    EXPECT_EQ(in->vehicle.id, added->id);
    EXPECT_EQ(in->vehicle.status, VehicleStatus::InStock);
    EXPECT_EQ(in->vehicle.lotLocation, "Row B, spot 4");

    auto stored = inventory.find(added->id);
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(stored->status, VehicleStatus::InStock);
    EXPECT_EQ(stored->receivedAt, core::formatUtc(s.clock.now())) << "stock age starts when it arrives";
    EXPECT_EQ(vehicleCount(s), 1);
}

TEST(InventoryCheckIn, SoldVehicleIsRefusedAsConflict) {
    Store s;
    core::Inventory inventory(s.ctx);
    auto added = inventory.add(car(kTesla, 2024, "Tesla", "Model 3", 4'299'000, VehicleStatus::Sold));
    ASSERT_TRUE(added.ok()) << added.error().message;
    const auto audit = auditCount(s);

    auto in = inventory.checkIn(kTesla, priced(4'299'000));
    ASSERT_FALSE(in.ok());
    EXPECT_EQ(in.error().code, ErrorCode::Conflict);
    EXPECT_TRUE(contains(in.error().message, "sold")) << in.error().message;
    EXPECT_EQ(inventory.find(kTesla)->status, VehicleStatus::Sold);
    EXPECT_EQ(vehicleCount(s), 1);
    EXPECT_EQ(auditCount(s), audit);
}

TEST(InventoryCheckIn, AmbiguousModelYearMustBeGiven) {
    Store s;
    core::Inventory inventory(s.ctx);
    // Outside North America the year code repeats every 30 years: 'K' is 1989 or 2019.
    const std::string vw = core::demo::makeVin("WVW", 2019, 5);
    ASSERT_TRUE(core::vin::decode(vw, 2027).modelYearAmbiguous);

    auto refused = inventory.checkIn(vw, priced(1'850'000));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::InvalidInput);
    EXPECT_TRUE(contains(refused.error().message, "year")) << refused.error().message;
    EXPECT_TRUE(contains(refused.error().message, "1989")) << refused.error().message;
    EXPECT_TRUE(contains(refused.error().message, "2019")) << refused.error().message;
    EXPECT_EQ(vehicleCount(s), 0);

    core::CheckInDetails withYear = priced(1'850'000);
    withYear.year = 2019;
    auto accepted = inventory.checkIn(vw, withYear);
    ASSERT_TRUE(accepted.ok()) << accepted.error().message;
    EXPECT_EQ(accepted->vehicle.year, 2019);
    EXPECT_EQ(accepted->vehicle.make, "Volkswagen");
}

// ---- search ----------------------------------------------------------------------------------------------

struct ModelSpec {
    std::string_view wmi, make, model, trim, body, fuel;
};

constexpr ModelSpec kModels[] = {
    {"5YJ", "Tesla", "Model 3", "Long Range", "Sedan", "Electric"},
    {"5YJ", "Tesla", "Model Y", "Performance", "SUV", "Electric"},
    {"JTD", "Toyota", "Corolla", "LE", "Sedan", "Gasoline"},
    {"JTD", "Toyota", "RAV4", "XLE", "SUV", "Hybrid"},
    {"LGX", "BYD", "Seal", "Excellence", "Sedan", "Electric"},
    {"1FA", "Ford", "Mustang", "GT", "Coupe", "Gasoline"},
    {"1HG", "Honda", "Civic", "Sport", "Hatchback", "Gasoline"},
    {"YV1", "Volvo", "XC60", "Plus", "SUV", "Hybrid"},
};
constexpr std::string_view kExterior[] = {"Deep Blue Metallic", "Pearl White", "Solid Black", "Midnight Silver",
                                          "Ultra Red",          "Blue",        "Graphite"};
constexpr std::string_view kInterior[] = {"Black", "Cream", "Blue Grey", "Tan"};
constexpr std::string_view kFeatures[] = {"Panoramic roof", "Heated seats",          "Tow hitch",
                                          "Navigation",     "Blue ambient lighting", "Adaptive cruise control"};
constexpr VehicleStatus kStatuses[] = {VehicleStatus::InStock,  VehicleStatus::InStock, VehicleStatus::InStock,
                                       VehicleStatus::Incoming, VehicleStatus::OnHold,  VehicleStatus::Sold,
                                       VehicleStatus::Delivered};
constexpr int kSeeded = 60;

std::vector<core::Vehicle> seedSixty(Store& s) {
    core::Inventory inventory(s.ctx);
    std::vector<core::Vehicle> out;
    for (int i = 0; i < kSeeded; ++i) {
        const ModelSpec& m = kModels[i % std::size(kModels)];
        core::Vehicle v;
        v.year = 2018 + (i * 5) % 9;
        v.vin = core::demo::makeVin(m.wmi, v.year, 1000 + static_cast<std::uint64_t>(i));
        v.make = m.make;
        v.model = m.model;
        v.trim = m.trim;
        v.body = m.body;
        v.fuel = m.fuel;
        v.exteriorColor = kExterior[(i * 3) % std::size(kExterior)];
        v.interiorColor = kInterior[i % std::size(kInterior)];
        for (std::size_t f = 0; f < std::size(kFeatures); ++f)
            if ((i * 7 + static_cast<int>(f) * 5) % 4 == 0) v.features.emplace_back(kFeatures[f]);
        v.condition = static_cast<core::Condition>(i % 3);
        v.odometer = v.condition == core::Condition::New ? 5 + i : 8'000 + (i * 1'237) % 90'000;
        v.price = 1'800'000 + ((i * 7919) % kSeeded) * 50'000; // distinct prices
        v.status = kStatuses[i % std::size(kStatuses)];
        auto added = inventory.add(v);
        if (!added) {
            ADD_FAILURE() << "seeding " << v.vin << ": " << added.error().message;
            continue;
        }
        out.push_back(*added);
    }
    return out;
}

core::SearchQuery everything() {
    core::SearchQuery q;
    q.pageSize = 500;
    return q;
}

std::set<std::string> idsOf(const std::vector<core::Vehicle>& vehicles) {
    std::set<std::string> ids;
    for (const auto& v : vehicles)
        ids.insert(v.id);
    return ids;
}

template <class Pred> std::set<std::string> idsWhere(const std::vector<core::Vehicle>& vehicles, Pred pred) {
    std::set<std::string> ids;
    for (const auto& v : vehicles)
        if (pred(v)) ids.insert(v.id);
    return ids;
}

// Lower-cased words of `s`, split as a person reads them.
std::vector<std::string> wordsOf(std::string_view s) {
    std::vector<std::string> words;
    std::string current;
    for (char c : s) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            current += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else if (!current.empty()) {
            words.push_back(std::move(current));
            current.clear();
        }
    }
    if (!current.empty()) words.push_back(current);
    return words;
}

bool hasWord(std::string_view s, std::string_view word) {
    const auto words = wordsOf(s);
    return std::find(words.begin(), words.end(), word) != words.end();
}

std::set<std::string> searchIds(core::Inventory& inventory, core::SearchQuery q) {
    auto page = inventory.search(q);
    if (!page) {
        ADD_FAILURE() << "search '" << q.text.substr(0, 40) << "': " << page.error().message;
        return {};
    }
    EXPECT_EQ(page->total, static_cast<std::int64_t>(page->vehicles.size()));
    return idsOf(page->vehicles);
}

TEST(InventorySearch, ColourWordFindsExactlyTheVehiclesWithThatColourOrFeature) {
    Store s;
    const auto all = seedSixty(s);
    ASSERT_EQ(all.size(), static_cast<std::size_t>(kSeeded));
    core::Inventory inventory(s.ctx);

    const auto expected = idsWhere(all, [](const core::Vehicle& v) {
        bool feature = false;
        for (const auto& f : v.features)
            feature = feature || hasWord(f, "blue");
        return feature || hasWord(v.exteriorColor, "blue") || hasWord(v.interiorColor, "blue");
    });
    ASSERT_GT(expected.size(), 5u);
    ASSERT_LT(expected.size(), all.size());

    for (std::string typed : {"blue", "Blue", "BLUE", "  blue  "}) {
        core::SearchQuery q = everything();
        q.text = typed;
        EXPECT_EQ(searchIds(inventory, q), expected) << "'" << typed << "'";
    }
}

TEST(InventorySearch, WordPrefixFindsPanoramicRoof) {
    Store s;
    const auto all = seedSixty(s);
    core::Inventory inventory(s.ctx);
    const auto expected = idsWhere(all, [](const core::Vehicle& v) {
        return std::find(v.features.begin(), v.features.end(), "Panoramic roof") != v.features.end();
    });
    ASSERT_FALSE(expected.empty());
    core::SearchQuery q = everything();
    q.text = "pano";
    EXPECT_EQ(searchIds(inventory, q), expected);
}

TEST(InventorySearch, LongerBeginningsOfAWordStillMatch) {
    // Words match by prefix whatever their length: someone typing "panoram" has not finished "panoramic".
    Store s;
    const auto all = seedSixty(s);
    core::Inventory inventory(s.ctx);
    auto withFeature = [&](std::string_view feature) {
        return idsWhere(all, [&](const core::Vehicle& v) {
            return std::find(v.features.begin(), v.features.end(), feature) != v.features.end();
        });
    };
    const std::pair<std::string, std::set<std::string>> cases[] = {
        {"panoram", withFeature("Panoramic roof")},
        {"panoramic", withFeature("Panoramic roof")},
        {"navigat", withFeature("Navigation")},
        {"metalli", idsWhere(all, [](const core::Vehicle& v) { return v.exteriorColor == "Deep Blue Metallic"; })},
    };
    for (const auto& [typed, expected] : cases) {
        ASSERT_FALSE(expected.empty()) << typed;
        for (core::SortKey sort : {core::SortKey::PriceAsc, core::SortKey::YearDesc}) {
            core::SearchQuery q = everything();
            q.text = typed;
            q.sort = sort;
            EXPECT_EQ(searchIds(inventory, q), expected) << "'" << typed << "' sorted by " << core::toString(sort);
        }
    }
}

TEST(InventorySearch, TextWithPriceRangeSortedAndPagedByPrice) {
    Store s;
    const auto all = seedSixty(s);
    core::Inventory inventory(s.ctx);
    auto isBlue = [](const core::Vehicle& v) {
        bool blue = hasWord(v.exteriorColor, "blue") || hasWord(v.interiorColor, "blue");
        for (const auto& f : v.features)
            blue = blue || hasWord(f, "blue");
        return blue;
    };
    std::vector<core::Vehicle> expected;
    for (const auto& v : all)
        if (isBlue(v) && v.price >= 2'300'000 && v.price <= 3'800'000) expected.push_back(v);
    ASSERT_GT(expected.size(), 6u);

    for (core::SortKey sort : {core::SortKey::PriceAsc, core::SortKey::PriceDesc}) {
        SCOPED_TRACE(std::string(core::toString(sort)));
        std::vector<core::Vehicle> want = expected;
        std::sort(want.begin(), want.end(), [&](const auto& a, const auto& b) {
            return sort == core::SortKey::PriceAsc ? a.price < b.price : a.price > b.price;
        });
        std::vector<std::string> got;
        for (int page = 0; page * 3 < static_cast<int>(want.size()) + 3; ++page) {
            core::SearchQuery q;
            q.text = "blue";
            q.priceMin = 2'300'000;
            q.priceMax = 3'800'000;
            q.sort = sort;
            q.pageSize = 3;
            q.page = page;
            auto result = inventory.search(q);
            ASSERT_TRUE(result.ok()) << result.error().message;
            EXPECT_EQ(result->total, static_cast<std::int64_t>(want.size())) << "page " << page;
            for (const auto& v : result->vehicles)
                got.push_back(v.id);
        }
        std::vector<std::string> wantIds;
        for (const auto& v : want)
            wantIds.push_back(v.id);
        EXPECT_EQ(got, wantIds);
    }
}

TEST(InventorySearch, SeveralWordsMustAllMatch) {
    Store s;
    const auto all = seedSixty(s);
    core::Inventory inventory(s.ctx);
    const auto expected = idsWhere(all, [](const core::Vehicle& v) {
        return v.make == "Tesla" && std::find(v.features.begin(), v.features.end(), "Heated seats") != v.features.end();
    });
    ASSERT_FALSE(expected.empty());
    core::SearchQuery q = everything();
    q.text = "tesla heated";
    EXPECT_EQ(searchIds(inventory, q), expected);
}

TEST(InventorySearch, VinFragmentsFindTheVehicle) {
    Store s;
    const auto all = seedSixty(s);
    core::Inventory inventory(s.ctx);
    const core::Vehicle& target = all.at(17);
    const std::string fragments[] = {target.vin.substr(11),        // last 6, what a porter reads off the label
                                     lower(target.vin.substr(11)), // typed in lower case
                                     target.vin.substr(5, 5),      // a fragment from the middle
                                     target.vin};                  // the whole VIN
    for (const auto& fragment : fragments) {
        ASSERT_TRUE(std::any_of(fragment.begin(), fragment.end(), [](char c) { return c >= '0' && c <= '9'; }))
            << "pick a fragment with a digit: " << fragment;
        const auto expected = idsWhere(all, [&](const core::Vehicle& v) {
            return contains(lower(v.vin), lower(fragment)) || contains(lower(v.stockNo), lower(fragment));
        });
        ASSERT_TRUE(expected.count(target.id)) << fragment;
        core::SearchQuery q = everything();
        q.text = fragment;
        EXPECT_EQ(searchIds(inventory, q), expected) << "'" << fragment << "'";
    }
}

TEST(InventorySearch, VinFragmentOfLettersOnlyFindsTheVehicle) {
    // The search promises "a VIN/stock fragment"; the schema "any fragment (>= 3 characters)". Volkswagen
    // VINs carry ZZZ filler in positions 4-6, so a fragment without digits is a realistic thing to type.
    Store s;
    core::Inventory inventory(s.ctx);
    std::string vw = "WVWZZZAU0KW123456";
    vw[8] = core::vin::computeCheckDigit(vw);
    auto added = inventory.add(car(vw, 2019, "Volkswagen", "Golf", 1'850'000));
    ASSERT_TRUE(added.ok()) << added.error().message;
    ASSERT_TRUE(inventory.add(car(kTesla, 2024, "Tesla", "Model 3", 4'299'000)).ok());

    core::SearchQuery q = everything();
    q.text = "ZZZAU";
    EXPECT_EQ(searchIds(inventory, q), std::set<std::string>{added->id});
}

TEST(InventorySearch, StockNumberFindsTheVehicle) {
    Store s;
    const auto all = seedSixty(s);
    core::Inventory inventory(s.ctx);
    const core::Vehicle& target = all.at(23);
    ASSERT_EQ(target.stockNo, "TST-00024");

    for (const std::string& typed : {target.stockNo, lower(target.stockNo)}) {
        core::SearchQuery q = everything();
        q.text = typed;
        EXPECT_EQ(searchIds(inventory, q), std::set<std::string>{target.id}) << "'" << typed << "'";
    }
    // Just the number part.
    core::SearchQuery q = everything();
    q.text = "00024";
    EXPECT_TRUE(searchIds(inventory, q).count(target.id));
}

TEST(InventorySearch, FiltersNarrowTheResult) {
    Store s;
    const auto all = seedSixty(s);
    core::Inventory inventory(s.ctx);
    using V = const core::Vehicle&;
    {
        core::SearchQuery q = everything();
        q.make = "tesla";
        EXPECT_EQ(searchIds(inventory, q), idsWhere(all, [](V v) { return v.make == "Tesla"; }));
        q.model = "MODEL Y";
        EXPECT_EQ(searchIds(inventory, q), idsWhere(all, [](V v) { return v.model == "Model Y"; }));
    }
    {
        core::SearchQuery q = everything();
        q.yearMin = 2020;
        q.yearMax = 2022;
        EXPECT_EQ(searchIds(inventory, q), idsWhere(all, [](V v) { return v.year >= 2020 && v.year <= 2022; }));
    }
    {
        core::SearchQuery q = everything();
        q.priceMin = 2'300'000;
        q.priceMax = 3'000'000; // both bounds inclusive: 2,300,000 and 3,000,000 are seeded prices
        const auto expected = idsWhere(all, [](V v) { return v.price >= 2'300'000 && v.price <= 3'000'000; });
        ASSERT_EQ(expected.size(), 15u);
        EXPECT_EQ(searchIds(inventory, q), expected);
    }
    {
        core::SearchQuery q = everything();
        q.bodies = {"SUV", "Coupe"};
        EXPECT_EQ(searchIds(inventory, q), idsWhere(all, [](V v) { return v.body == "SUV" || v.body == "Coupe"; }));
    }
    {
        core::SearchQuery q = everything();
        q.fuels = {"Hybrid"};
        EXPECT_EQ(searchIds(inventory, q), idsWhere(all, [](V v) { return v.fuel == "Hybrid"; }));
    }
    {
        core::SearchQuery q = everything();
        q.conditions = {core::Condition::Certified};
        EXPECT_EQ(searchIds(inventory, q),
                  idsWhere(all, [](V v) { return v.condition == core::Condition::Certified; }));
    }
    {
        core::SearchQuery q = everything();
        q.statuses = {VehicleStatus::InStock, VehicleStatus::OnHold};
        EXPECT_EQ(searchIds(inventory, q), idsWhere(all, [](V v) {
                      return v.status == VehicleStatus::InStock || v.status == VehicleStatus::OnHold;
                  }));
    }
    {
        // Filters combine with text.
        core::SearchQuery q = everything();
        q.text = "blue";
        q.fuels = {"Electric"};
        q.statuses = {VehicleStatus::InStock};
        const auto expected = idsWhere(all, [](V v) {
            bool blue = hasWord(v.exteriorColor, "blue") || hasWord(v.interiorColor, "blue");
            for (const auto& f : v.features)
                blue = blue || hasWord(f, "blue");
            return blue && v.fuel == "Electric" && v.status == VehicleStatus::InStock;
        });
        ASSERT_FALSE(expected.empty());
        EXPECT_EQ(searchIds(inventory, q), expected);
    }
    {
        core::SearchQuery q = everything();
        q.make = "Lada";
        EXPECT_TRUE(searchIds(inventory, q).empty());
    }
}

TEST(InventorySearch, SortsByPriceYearAndMileage) {
    Store s;
    const auto all = seedSixty(s);
    core::Inventory inventory(s.ctx);
    auto sorted = [&](core::SortKey key) {
        core::SearchQuery q = everything();
        q.sort = key;
        auto page = inventory.search(q);
        EXPECT_TRUE(page.ok());
        if (!page) return std::vector<core::Vehicle>{};
        EXPECT_EQ(idsOf(page->vehicles), idsOf(all));
        EXPECT_EQ(page->vehicles.size(), all.size());
        return page->vehicles;
    };
    auto byPriceAsc = sorted(core::SortKey::PriceAsc);
    EXPECT_TRUE(std::is_sorted(byPriceAsc.begin(), byPriceAsc.end(),
                               [](const auto& a, const auto& b) { return a.price < b.price; }));
    auto byPriceDesc = sorted(core::SortKey::PriceDesc);
    EXPECT_TRUE(std::is_sorted(byPriceDesc.begin(), byPriceDesc.end(),
                               [](const auto& a, const auto& b) { return a.price > b.price; }));
    auto byYearDesc = sorted(core::SortKey::YearDesc);
    EXPECT_TRUE(std::is_sorted(byYearDesc.begin(), byYearDesc.end(),
                               [](const auto& a, const auto& b) { return a.year > b.year; }));
    auto byYearAsc = sorted(core::SortKey::YearAsc);
    EXPECT_TRUE(std::is_sorted(byYearAsc.begin(), byYearAsc.end(),
                               [](const auto& a, const auto& b) { return a.year < b.year; }));
    auto byMileage = sorted(core::SortKey::MileageAsc);
    EXPECT_TRUE(std::is_sorted(byMileage.begin(), byMileage.end(),
                               [](const auto& a, const auto& b) { return a.odometer < b.odometer; }));
    ASSERT_FALSE(byPriceAsc.empty());
    EXPECT_NE(byPriceAsc.front().id, byPriceDesc.front().id);
}

TEST(InventorySearch, PagesDoNotOverlapAndCoverEverything) {
    Store s;
    const auto all = seedSixty(s);
    core::Inventory inventory(s.ctx);
    std::set<std::string> seen;
    std::vector<std::string> order;
    for (int page = 0; page < 13; ++page) {
        core::SearchQuery q;
        q.pageSize = 5;
        q.page = page;
        auto result = inventory.search(q);
        ASSERT_TRUE(result.ok()) << result.error().message;
        EXPECT_EQ(result->total, kSeeded) << "page " << page;
        EXPECT_EQ(result->page, page);
        EXPECT_EQ(result->vehicles.size(), page < 12 ? 5u : 0u) << "page " << page;
        for (const auto& v : result->vehicles) {
            EXPECT_TRUE(seen.insert(v.id).second) << v.stockNo << " appeared on two pages";
            order.push_back(v.id);
        }
    }
    EXPECT_EQ(seen, idsOf(all));

    // Page 1 continues page 0 in the same sort order.
    core::SearchQuery q = everything();
    auto whole = inventory.search(q);
    ASSERT_TRUE(whole.ok());
    std::vector<std::string> wholeOrder;
    for (const auto& v : whole->vehicles)
        wholeOrder.push_back(v.id);
    EXPECT_EQ(order, wholeOrder);
}

TEST(InventorySearch, TotalCountsEveryMatchNotJustThePage) {
    Store s;
    const auto all = seedSixty(s);
    core::Inventory inventory(s.ctx);
    core::SearchQuery q;
    q.fuels = {"Electric"};
    q.pageSize = 5;
    const auto expected = idsWhere(all, [](const core::Vehicle& v) { return v.fuel == "Electric"; });
    for (int page : {0, 1, 4}) {
        q.page = page;
        auto result = inventory.search(q);
        ASSERT_TRUE(result.ok()) << result.error().message;
        EXPECT_EQ(result->total, static_cast<std::int64_t>(expected.size())) << "page " << page;
    }
}

TEST(InventorySearch, RefusesPageSizeOutsideLimits) {
    Store s;
    core::Inventory inventory(s.ctx);
    for (int size : {0, -1, 501}) {
        core::SearchQuery q;
        q.pageSize = size;
        auto result = inventory.search(q);
        ASSERT_FALSE(result.ok()) << size;
        EXPECT_EQ(result.error().code, ErrorCode::InvalidInput);
    }
    core::SearchQuery q;
    q.page = -1;
    auto result = inventory.search(q);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::InvalidInput);
}

TEST(InventorySearch, SqlAndFullTextSyntaxInTheSearchBoxIsHarmless) {
    Store s;
    const auto all = seedSixty(s);
    core::Inventory inventory(s.ctx);
    std::string tenKb;
    while (tenKb.size() < 10 * 1024)
        tenKb += "blue roof 1000 ";
    std::string tenKbWord(10 * 1024, 'a');
    std::string tenKbDigits;
    while (tenKbDigits.size() < 10 * 1024)
        tenKbDigits += "1234567890";

    const std::string hostile[] = {"'; DROP TABLE vehicles; --",
                                   "\"",
                                   "\"blue",
                                   "blue OR 1=1",
                                   "blue\" OR \"1\"=\"1",
                                   "NEAR(",
                                   "NEAR(blue roof, 2)",
                                   "*",
                                   "blue*",
                                   "%",
                                   "_",
                                   "make:Tesla",
                                   "{make model}: tesla",
                                   "^blue",
                                   "blue AND NOT roof",
                                   "(",
                                   "\\",
                                   std::string("blue\0roof", 9),
                                   "\xff\xfe",
                                   tenKb,
                                   tenKbWord,
                                   tenKbDigits};
    for (const auto& typed : hostile) {
        core::SearchQuery q = everything();
        q.text = typed;
        auto result = inventory.search(q);
        ASSERT_TRUE(result.ok()) << "'" << typed.substr(0, 40) << "': " << result.error().message;
        EXPECT_LE(result->vehicles.size(), all.size());
    }
    // Words that are FTS operators are searched as words, not obeyed.
    {
        core::SearchQuery q = everything();
        q.text = "make:Tesla";
        // "make" matches no word, so nothing; a column filter would have returned every Tesla.
        EXPECT_TRUE(searchIds(inventory, q).empty());
    }
    EXPECT_EQ(vehicleCount(s), kSeeded);
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM vehicle_words"), kSeeded);
    auto check = core::check(s.conn);
    ASSERT_TRUE(check.ok());
    EXPECT_TRUE(check->integrityOk);
}

// ---- CSV import ------------------------------------------------------------------------------------------

std::string csvLine(const std::vector<std::string>& fields) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i)
        out += (i ? "," : "") + fields[i];
    return out + "\n";
}

TEST(InventoryImport, GoodFileImportsEveryRowInOneCommit) {
    Store s;
    core::Inventory inventory(s.ctx);
    std::string file = "vin,year,make,model,price,features,odometer,condition,status\n";
    std::vector<std::string> vins;
    for (int i = 0; i < 12; ++i) {
        vins.push_back(core::demo::makeVin(i % 2 ? "1HG" : "5YJ", 2021 + i % 4, 500 + static_cast<std::uint64_t>(i)));
        file += csvLine({vins.back(), std::to_string(2021 + i % 4), i % 2 ? "Honda" : "Tesla",
                         i % 2 ? "Civic" : "Model 3", "\"$" + std::to_string(20 + i) + ",500.00\"",
                         "\"Heated seats; Panoramic roof\"", std::to_string(i * 1000), i % 2 ? "used" : "", ""});
    }
    const auto audit = auditCount(s);

    auto report = inventory.importCsv(file, {});
    ASSERT_TRUE(report.ok()) << report.error().message;
    EXPECT_TRUE(report->committed);
    EXPECT_EQ(report->rowsRead, 12u);
    EXPECT_EQ(report->imported, 12u);
    EXPECT_TRUE(report->problems.empty());
    EXPECT_EQ(vehicleCount(s), 12);
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM outbox WHERE type = 'vehicle.imported'"), 12);
    EXPECT_EQ(auditCount(s), audit + 1) << "one import, one audit row";
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM audit_log WHERE action = 'inventory.imported'"), 1);

    auto third = inventory.find(vins[3]);
    ASSERT_TRUE(third.ok()) << third.error().message;
    EXPECT_EQ(third->make, "Honda");
    EXPECT_EQ(third->price, 2'350'000);
    EXPECT_EQ(third->odometer, 3000);
    EXPECT_EQ(third->condition, core::Condition::Used);
    EXPECT_EQ(third->status, VehicleStatus::InStock);
    EXPECT_EQ(third->features, (std::vector<std::string>{"Heated seats", "Panoramic roof"}));
    EXPECT_EQ(third->stockNo.rfind("TST-", 0), 0u);
}

TEST(InventoryImport, FailureWhileWritingLeavesNothingBehind) {
    // The rows are written in one transaction: if the database refuses the eighth, the first seven vanish.
    Store s;
    core::Inventory inventory(s.ctx);
    std::string file = "vin,year,make,price\n";
    std::vector<std::string> vins;
    for (int i = 0; i < 10; ++i) {
        vins.push_back(core::demo::makeVin("5YJ", 2024, 700 + static_cast<std::uint64_t>(i)));
        file += vins.back() + ",2024,Tesla,42990\n";
    }
    ASSERT_TRUE(s.conn
                    .exec("CREATE TEMP TRIGGER refuse_eighth BEFORE INSERT ON main.vehicles WHEN NEW.vin = '" +
                          vins[7] + "' BEGIN SELECT RAISE(ABORT, 'disk full'); END")
                    .ok());
    const auto audit = auditCount(s);
    auto report = inventory.importCsv(file, {});
    EXPECT_FALSE(report.ok() && report->committed);
    EXPECT_EQ(vehicleCount(s), 0);
    EXPECT_EQ(outboxCount(s), 0);
    EXPECT_EQ(auditCount(s), audit);
}

// A file with one bad row of every kind between good ones. Returns the lines that are bad.
struct MixedFile {
    std::string csv;
    std::vector<std::size_t> badLines;
    std::vector<std::string> goodVins;
    std::string alreadyStored;
};

MixedFile mixedFile() {
    MixedFile m;
    m.alreadyStored = core::demo::makeVin("JTD", 2022, 90);
    const std::string good1 = core::demo::makeVin("5YJ", 2024, 91);
    const std::string good2 = core::demo::makeVin("5YJ", 2025, 92);
    const std::string good3 = core::demo::makeVin("1HG", 2023, 93);
    m.goodVins = {good1, good2, good3};
    m.csv = "vin,year,make,model,price,features\n";                                     // line 1
    m.csv += good1 + ",2024,Tesla,Model 3,42990.00,Heated seats\n";                     // line 2
    m.csv += good2 + ",2025,Tesla,Model Y,\"50,990\",\n";                               // line 3
    m.csv += core::demo::makeVin("5YJ", 2024, 94) + ",2024,Tesla\n";                    // 4: too few columns
    m.csv += core::demo::makeVin("5YJ", 2024, 95) + ",2024,Tesla,Model 3,\"12,5a\",\n"; // 5: bad number
    m.csv += "1M8GDM9AXKP04278Q,1989,Motor Coach Industries,J4500,90000,\n";            // 6: bad VIN
    m.csv += good1 + ",2024,Tesla,Model 3,41990,\n";                                    // 7: repeats line 2
    m.csv += m.alreadyStored + ",2022,Toyota,Corolla,21500,\n";                         // 8: in the database
    m.csv += core::demo::makeVin("5YJ", 2024, 96) + ",2024,\"Tesla,Model 3,30000,\n";   // 9: broken quoting
    m.csv += core::demo::makeVin("5YJ", 2024, 97) + ",2024,Tesla,Model 3,-5,\n";        // 10: negative price
    m.csv += "\n";                                                                      // 11: blank, skipped
    m.csv += good3 + ",2023,Honda,Civic,24500,Navigation; Tow hitch\n";                 // line 12
    m.badLines = {4, 5, 6, 7, 8, 9, 10};
    return m;
}

std::vector<std::size_t> linesOf(const core::ImportReport& report) {
    std::vector<std::size_t> lines;
    for (const auto& p : report.problems)
        lines.push_back(p.line);
    return lines;
}

std::string reasonAt(const core::ImportReport& report, std::size_t line) {
    for (const auto& p : report.problems)
        if (p.line == line) return p.reason;
    return {};
}

TEST(InventoryImport, BadRowsAreAllReportedByLineAndNothingIsWritten) {
    Store s;
    core::Inventory inventory(s.ctx);
    const MixedFile m = mixedFile();
    ASSERT_TRUE(inventory.add(car(m.alreadyStored, 2022, "Toyota", "Corolla", 2'150'000)).ok());
    const auto vehicles = vehicleCount(s);
    const auto audit = auditCount(s);
    const auto outbox = outboxCount(s);

    auto report = inventory.importCsv(m.csv, {});
    ASSERT_TRUE(report.ok()) << report.error().message;
    EXPECT_FALSE(report->committed);
    EXPECT_EQ(report->imported, 0u);
    EXPECT_EQ(linesOf(*report), m.badLines);
    for (const auto& p : report->problems)
        EXPECT_FALSE(p.reason.empty()) << "line " << p.line;
    EXPECT_TRUE(contains(reasonAt(*report, 4), "columns")) << reasonAt(*report, 4);
    EXPECT_TRUE(contains(reasonAt(*report, 5), "price")) << reasonAt(*report, 5);
    EXPECT_TRUE(contains(reasonAt(*report, 6), "Q")) << reasonAt(*report, 6);
    EXPECT_TRUE(contains(reasonAt(*report, 7), "line 2")) << reasonAt(*report, 7);
    EXPECT_TRUE(contains(reasonAt(*report, 8), "already")) << reasonAt(*report, 8);
    EXPECT_TRUE(contains(reasonAt(*report, 9), "quote")) << reasonAt(*report, 9);
    EXPECT_TRUE(contains(reasonAt(*report, 10), "negative")) << reasonAt(*report, 10);

    EXPECT_EQ(vehicleCount(s), vehicles);
    EXPECT_EQ(auditCount(s), audit);
    EXPECT_EQ(outboxCount(s), outbox);
    for (const auto& vin : m.goodVins)
        EXPECT_FALSE(inventory.find(vin).ok()) << vin;
}

TEST(InventoryImport, SkipBadRowsImportsExactlyTheGoodRows) {
    Store s;
    core::Inventory inventory(s.ctx);
    const MixedFile m = mixedFile();
    ASSERT_TRUE(inventory.add(car(m.alreadyStored, 2022, "Toyota", "Corolla", 2'150'000)).ok());
    const auto vehicles = vehicleCount(s);
    const auto outbox = outboxCount(s);

    core::ImportOptions options;
    options.skipBadRows = true;
    auto report = inventory.importCsv(m.csv, options);
    ASSERT_TRUE(report.ok()) << report.error().message;
    EXPECT_TRUE(report->committed);
    EXPECT_EQ(report->imported, m.goodVins.size());
    EXPECT_EQ(report->rowsRead, 10u);
    EXPECT_EQ(linesOf(*report), m.badLines);
    EXPECT_EQ(vehicleCount(s), vehicles + static_cast<std::int64_t>(m.goodVins.size()));
    EXPECT_EQ(outboxCount(s), outbox + static_cast<std::int64_t>(m.goodVins.size()));
    for (const auto& vin : m.goodVins)
        EXPECT_TRUE(inventory.find(vin).ok()) << vin;

    auto first = inventory.find(m.goodVins[0]);
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(first->price, 4'299'000) << "line 2 wins over its repeat on line 7";
    EXPECT_EQ(inventory.find(m.goodVins[1])->price, 5'099'000);
    EXPECT_EQ(inventory.find(m.alreadyStored)->price, 2'150'000) << "the stored vehicle is untouched";
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM vehicles WHERE price_cents <= 0"), 0);
}

TEST(InventoryImport, UnknownOrMissingColumnsAndEmptyFilesAreRefused) {
    Store s;
    core::Inventory inventory(s.ctx);
    const std::string row = kTesla + ",2024,Tesla,42990\n";
    const std::string refused[] = {
        "vin,year,make,price,colour\n" + kTesla + ",2024,Tesla,42990,Blue\n", // unknown column
        "vin,year,make\n" + kTesla + ",2024,Tesla\n",                         // no price
        "year,make,price\n2024,Tesla,42990\n",                                // no vin
        "vin,year,make,price,price\n" + kTesla + ",2024,Tesla,42990,42990\n", // twice
        "",
        "\n\n\r\n",
    };
    for (const auto& file : refused) {
        auto report = inventory.importCsv(file, {});
        ASSERT_FALSE(report.ok()) << file;
        EXPECT_EQ(report.error().code, ErrorCode::InvalidInput) << file;
        EXPECT_FALSE(report.error().message.empty());
    }
    {
        auto report = inventory.importCsv("vin,year,make,price,colour\n" + row, {});
        ASSERT_FALSE(report.ok());
        EXPECT_TRUE(contains(report.error().message, "colour")) << report.error().message;
    }
    {
        auto report = inventory.importCsv("vin,year,make\n" + kTesla + ",2024,Tesla\n", {});
        ASSERT_FALSE(report.ok());
        EXPECT_TRUE(contains(report.error().message, "price")) << report.error().message;
    }
    EXPECT_EQ(vehicleCount(s), 0);
    EXPECT_EQ(outboxCount(s), 0);
}

TEST(InventoryImport, HeaderCaseBomAndCrlfAreAccepted) {
    Store s;
    core::Inventory inventory(s.ctx);
    const std::string file =
        "\xEF\xBB\xBFVIN, Year ,Make,Price\r\n" + kTesla + ",2024,Tesla,42990\r\n" + kToyota + ",2022,Toyota,21500\r\n";
    auto report = inventory.importCsv(file, {});
    ASSERT_TRUE(report.ok()) << report.error().message;
    EXPECT_TRUE(report->committed);
    EXPECT_EQ(report->imported, 2u);
    EXPECT_EQ(inventory.find(kToyota)->price, 2'150'000);
}

// ---- CSV export ------------------------------------------------------------------------------------------

TEST(InventoryExport, ExportThenImportIntoAFreshStoreKeepsEveryField) {
    Store source;
    core::Inventory from(source.ctx);
    std::vector<core::Vehicle> originals;
    {
        core::Vehicle v = car(kTesla, 2024, "Tesla", "Model 3", 4'299'099);
        v.trim = "Long Range \"Launch Edition\", AWD";
        v.body = "Sedan";
        v.fuel = "Electric";
        v.drivetrain = "AWD";
        v.transmission = "1-speed";
        v.exteriorColor = "Deep Blue Metallic";
        v.interiorColor = "Black, white";
        v.odometer = 12;
        v.msrp = 4'499'000;
        v.cost = 3'900'050;
        v.features = {"Panoramic roof", "Heated seats, front and rear", "Premium \"Immersive\" sound"};
        v.photos = {"5YJ/front.jpg", "5YJ/side 2.jpg"};
        v.lotLocation = "Row A\nspot 3";
        v.condition = core::Condition::New;
        v.receivedAt = "2026-10-15T08:30:00Z";
        auto added = from.add(v);
        ASSERT_TRUE(added.ok()) << added.error().message;
        originals.push_back(*added);
    }
    {
        core::Vehicle v = car(kToyota, 2022, "Toyota", " RAV4 ", 2'150'000, VehicleStatus::Sold);
        v.condition = core::Condition::Certified;
        v.odometer = 31'450;
        v.exteriorColor = "Gris Platine Métallisé";
        v.receivedAt = "2026-01-02T00:00:00Z";
        v.stockNo = "TRADE-7";
        auto added = from.add(v);
        ASSERT_TRUE(added.ok()) << added.error().message;
        originals.push_back(*added);
    }
    {
        core::Vehicle v = car(kByd, 2025, "BYD", "Seal", 3'300'000, VehicleStatus::Incoming);
        v.condition = core::Condition::Used;
        v.odometer = 900;
        auto added = from.add(v);
        ASSERT_TRUE(added.ok()) << added.error().message;
        originals.push_back(*added);
    }
    ASSERT_EQ(originals.size(), 3u);

    std::ostringstream out;
    auto exported = from.exportCsv(out, everything());
    ASSERT_TRUE(exported.ok()) << exported.error().message;

    Store target;
    core::Inventory into(target.ctx);
    auto report = into.importCsv(out.str(), {});
    ASSERT_TRUE(report.ok()) << report.error().message;
    ASSERT_TRUE(report->problems.empty()) << report->problems.front().line << ": " << report->problems.front().reason;
    EXPECT_TRUE(report->committed);
    EXPECT_EQ(report->imported, 3u);

    for (const auto& a : originals) {
        auto b = into.find(a.vin);
        ASSERT_TRUE(b.ok()) << a.vin;
        EXPECT_EQ(b->vin, a.vin);
        EXPECT_EQ(b->stockNo, a.stockNo);
        EXPECT_EQ(b->condition, a.condition);
        EXPECT_EQ(b->year, a.year);
        EXPECT_EQ(b->make, a.make);
        EXPECT_EQ(b->model, a.model);
        EXPECT_EQ(b->trim, a.trim);
        EXPECT_EQ(b->body, a.body);
        EXPECT_EQ(b->fuel, a.fuel);
        EXPECT_EQ(b->drivetrain, a.drivetrain);
        EXPECT_EQ(b->transmission, a.transmission);
        EXPECT_EQ(b->exteriorColor, a.exteriorColor);
        EXPECT_EQ(b->interiorColor, a.interiorColor);
        EXPECT_EQ(b->odometer, a.odometer);
        EXPECT_EQ(b->msrp, a.msrp);
        EXPECT_EQ(b->price, a.price);
        EXPECT_EQ(b->cost, a.cost);
        EXPECT_EQ(b->features, a.features);
        EXPECT_EQ(b->photos, a.photos);
        EXPECT_EQ(b->lotLocation, a.lotLocation);
        EXPECT_EQ(b->status, a.status);
        EXPECT_EQ(b->receivedAt, a.receivedAt);
    }

    // Exporting the imported store gives the same file.
    std::ostringstream again;
    ASSERT_TRUE(into.exportCsv(again, everything()).ok());
    EXPECT_EQ(again.str(), out.str());
}

TEST(InventoryExport, FilterLimitsTheExportedRows) {
    Store s;
    const auto all = seedSixty(s);
    core::Inventory inventory(s.ctx);
    core::SearchQuery q;
    q.make = "Honda";
    q.pageSize = 1; // paging is ignored by export
    std::ostringstream out;
    ASSERT_TRUE(inventory.exportCsv(out, q).ok());
    const std::string csv = out.str();
    const auto hondas = idsWhere(all, [](const core::Vehicle& v) { return v.make == "Honda"; });
    EXPECT_EQ(static_cast<std::size_t>(std::count(csv.begin(), csv.end(), '\n')), hondas.size() + 1);
    for (const auto& v : all)
        EXPECT_EQ(contains(csv, v.vin), v.make == "Honda") << v.vin;
    EXPECT_EQ(csv.substr(0, csv.find('\n')),
              "vin,stock_no,condition,year,make,model,trim,body,fuel,drivetrain,transmission,exterior_color,"
              "interior_color,odometer,msrp,price,cost,features,photos,lot_location,status,received_at");
}

} // namespace
