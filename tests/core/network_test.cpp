// The store's side of the network (core/network.hpp and the inventory's network operations): the
// deal behind a status change, re-pricing, transfers out and in, conflicts a person resolves, and
// the catalog filling a check-in. A real store file; what HQ would read is asserted in the outbox.
#include "showroom/core/crm.hpp"
#include "showroom/core/deals.hpp"
#include "showroom/core/demo.hpp"
#include "showroom/core/finance.hpp"
#include "showroom/core/inventory.hpp"
#include "showroom/core/network.hpp"
#include "showroom/core/store.hpp"

#include "store_fixture.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace core = showroom::core;
using core::ErrorCode;
using core::VehicleStatus;
using showroom::test::count;
using showroom::test::Store;
using showroom::test::text;
using showroom::test::texts;

namespace {

const std::string kTesla = core::demo::makeVin("5YJ", 2024, 1);
const std::string kToyota = core::demo::makeVin("JTM", 2025, 7);

core::Vehicle mustAdd(Store& s, const std::string& vin, const std::string& stockNo) {
    core::Vehicle v;
    v.vin = vin;
    v.stockNo = stockNo;
    v.year = 2024;
    v.make = "Tesla";
    v.model = "Model 3";
    v.price = 4'299'000;
    v.cost = 3'800'000;
    v.lotLocation = "A-1";
    v.status = VehicleStatus::InStock;
    auto added = core::Inventory(s.ctx).add(v);
    if (!added) {
        ADD_FAILURE() << added.error().message;
        return v;
    }
    return *added;
}

core::Customer mustAddCustomer(Store& s) {
    core::Customer c;
    c.firstName = "Ann";
    c.lastName = "Lee";
    c.phone = "555-010-2000";
    auto added = core::Crm(s.ctx).addCustomer(c);
    if (!added) ADD_FAILURE() << added.error().message;
    return added ? *added : c;
}

core::finance::DealInput cash() {
    core::finance::DealInput in;
    in.price = 4'299'000;
    in.financed = false;
    return in;
}

// The payloads of the outbox events of `type`, oldest first.
std::vector<nlohmann::json> payloads(Store& s, const std::string& type) {
    std::vector<nlohmann::json> out;
    for (const auto& p : texts(s.conn, "SELECT payload FROM outbox WHERE type = ? ORDER BY seq", type))
        out.push_back(nlohmann::json::parse(p));
    return out;
}

void addConflict(Store& s, const std::string& id, const std::string& dealId, const std::string& dealNo) {
    auto stmt = s.conn.prepare("INSERT INTO sync_conflicts(id, kind, vin, deal_id, deal_no, other_store, message, "
                               "data, received_at) VALUES (?, 'vehicle_sold_elsewhere', ?, ?, ?, 'B01', "
                               "'B01 signed a sale of this car first', '{}', ?)");
    ASSERT_TRUE(stmt);
    ASSERT_TRUE(stmt->bindAll(id, kTesla, dealId, dealNo, std::string(showroom::test::kNow)).run());
}

void addCatalogLine(Store& s, int year, const std::string& make, const std::string& model, const std::string& trim,
                    const std::string& body, core::Cents msrp) {
    auto stmt = s.conn.prepare("INSERT INTO catalog_models(year, make, model, trim, body, fuel, drivetrain, "
                               "msrp_cents, features, hq_seq) VALUES (?, ?, ?, ?, ?, 'electric', 'AWD', ?, "
                               "'Heat pump; Glass roof', 1)");
    ASSERT_TRUE(stmt);
    ASSERT_TRUE(stmt->bindAll(year, make, model, trim, body, msrp).run());
}

} // namespace

// ---- the deal behind a status change ---------------------------------------------------------------------

TEST(NetworkStatusChanged, ADealsVehicleEventsNameTheDealFromHoldToDelivery) {
    Store s;
    const auto car = mustAdd(s, kTesla, "S1");
    const auto ann = mustAddCustomer(s);
    core::Deals deals(s.ctx);
    auto deal = deals.create(ann.id, car.id, cash());
    ASSERT_TRUE(deal) << deal.error().message;
    ASSERT_TRUE(deals.sign(deal->id));
    ASSERT_TRUE(deals.deliver(deal->id));

    const auto events = payloads(s, "vehicle.status_changed");
    ASSERT_EQ(events.size(), 3u);
    const char* to[] = {"on_hold", "sold", "delivered"};
    for (std::size_t i = 0; i < events.size(); ++i) {
        EXPECT_EQ(events[i]["to"], to[i]);
        EXPECT_EQ(events[i]["deal_id"], deal->id) << to[i];
        EXPECT_EQ(events[i]["deal_no"], deal->dealNo) << to[i];
        EXPECT_EQ(events[i]["vin"], kTesla);
    }
}

TEST(NetworkStatusChanged, ACancelledDealReleasesTheCarUnderItsNameAndAHandMadeChangeNamesNoDeal) {
    Store s;
    const auto car = mustAdd(s, kTesla, "S1");
    const auto ann = mustAddCustomer(s);
    core::Deals deals(s.ctx);
    auto deal = deals.create(ann.id, car.id, cash());
    ASSERT_TRUE(deal) << deal.error().message;
    ASSERT_TRUE(deals.sign(deal->id));
    ASSERT_TRUE(deals.cancel(deal->id, "financing fell through"));
    auto held = core::Inventory(s.ctx).changeStatus("S1", VehicleStatus::OnHold, "customer coming back");
    ASSERT_TRUE(held) << held.error().message;

    const auto events = payloads(s, "vehicle.status_changed");
    ASSERT_EQ(events.size(), 4u);
    EXPECT_EQ(events[2]["from"], "sold");
    EXPECT_EQ(events[2]["to"], "in_stock");
    EXPECT_EQ(events[2]["deal_no"], deal->dealNo);
    EXPECT_FALSE(events[3].contains("deal_id")) << events[3].dump();
    EXPECT_FALSE(events[3].contains("deal_no"));
}

// ---- price -----------------------------------------------------------------------------------------------

TEST(NetworkSetPrice, ANewPriceIsStoredAndHqHearsFromAndToAsDecimalStrings) {
    Store s;
    mustAdd(s, kTesla, "S1");
    core::Inventory inventory(s.ctx);
    auto v = inventory.setPrice("S1", 4'199'000, "end of quarter");
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(v->price, 4'199'000);
    EXPECT_EQ(inventory.find(kTesla)->price, 4'199'000);
    const auto events = payloads(s, "vehicle.price_changed");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(
        events[0],
        (nlohmann::json{{"vin", kTesla}, {"from", "42990.00"}, {"price", "41990.00"}, {"reason", "end of quarter"}}));
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM outbox WHERE type = 'vehicle.price_changed' AND hlc <> ''"), 1);

    // The same price again is no change at all.
    ASSERT_TRUE(inventory.setPrice("S1", 4'199'000));
    EXPECT_EQ(payloads(s, "vehicle.price_changed").size(), 1u);
}

TEST(NetworkSetPrice, ImplausiblePricesAndSoldCarsAreRefusedAndNothingChanges) {
    Store s;
    const auto car = mustAdd(s, kTesla, "S1");
    core::Inventory inventory(s.ctx);
    for (core::Cents bad : {core::Cents{0}, core::Cents{-100}, core::Cents{10'000'000'01}}) {
        auto r = inventory.setPrice("S1", bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, ErrorCode::InvalidInput);
    }
    EXPECT_EQ(inventory.setPrice("NOPE", 100).error().code, ErrorCode::NotFound);
    const auto ann = mustAddCustomer(s);
    core::Deals deals(s.ctx);
    auto deal = deals.create(ann.id, car.id, cash());
    ASSERT_TRUE(deal);
    ASSERT_TRUE(deals.sign(deal->id));
    auto sold = inventory.setPrice("S1", 100'000);
    ASSERT_FALSE(sold);
    EXPECT_EQ(sold.error().code, ErrorCode::Conflict);
    EXPECT_EQ(inventory.find("S1")->price, 4'299'000);
    EXPECT_TRUE(payloads(s, "vehicle.price_changed").empty());
}

// ---- transfer out ----------------------------------------------------------------------------------------

TEST(NetworkTransfer, AnInStockCarLeavesForAnotherShowroomWithoutItsCost) {
    Store s;
    mustAdd(s, kTesla, "S1");
    core::Inventory inventory(s.ctx);
    auto v = inventory.transferTo(kTesla, "b01");
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(v->status, VehicleStatus::Transferred);
    EXPECT_EQ(v->lotLocation, "");
    const auto events = payloads(s, "vehicle.transferred");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0]["vin"], kTesla);
    EXPECT_EQ(events[0]["to_store"], "B01");
    EXPECT_EQ(events[0]["vehicle"]["vin"], kTesla);
    EXPECT_EQ(events[0]["vehicle"]["price"], "42990.00");
    EXPECT_FALSE(events[0]["vehicle"].contains("cost")) << "what it cost this showroom stays here";
    // It is gone from what the kiosk offers, and cannot be sent twice.
    EXPECT_EQ(inventory.transferTo(kTesla, "C02").error().code, ErrorCode::InvalidTransition);
}

TEST(NetworkTransfer, OwnCodeBadCodeAndACarWithALiveDealAreRefused) {
    Store s;
    const auto car = mustAdd(s, kTesla, "S1");
    core::Inventory inventory(s.ctx);
    EXPECT_EQ(inventory.transferTo("S1", "tst").error().code, ErrorCode::InvalidInput);
    EXPECT_EQ(inventory.transferTo("S1", "").error().code, ErrorCode::InvalidInput);
    EXPECT_EQ(inventory.transferTo("S1", "B01; DROP").error().code, ErrorCode::InvalidInput);
    const auto ann = mustAddCustomer(s);
    auto deal = core::Deals(s.ctx).create(ann.id, car.id, cash());
    ASSERT_TRUE(deal);
    auto held = inventory.transferTo("S1", "B01");
    ASSERT_FALSE(held);
    EXPECT_EQ(held.error().code, ErrorCode::Conflict);
    EXPECT_NE(held.error().message.find(deal->dealNo), std::string::npos) << held.error().message;
    EXPECT_EQ(inventory.find("S1")->status, VehicleStatus::OnHold);
    EXPECT_TRUE(payloads(s, "vehicle.transferred").empty());
}

// ---- transfer in -----------------------------------------------------------------------------------------

TEST(NetworkReceiveTransfer, ACarFromAnotherShowroomIsIncomingUntilAPorterScansItIn) {
    Store s;
    core::Inventory inventory(s.ctx);
    core::Vehicle sent;
    sent.id = "b01-car-1";
    sent.vin = kToyota;
    sent.stockNo = "B01-00017";
    sent.year = 2025;
    sent.make = "Toyota";
    sent.model = "RAV4";
    sent.price = 3'150'000;
    sent.cost = 2'000'000;
    sent.lotLocation = "Z-9";
    auto in = inventory.receiveTransfer(sent, "tr-1", "B01");
    ASSERT_TRUE(in) << in.error().message;
    EXPECT_EQ(in->status, VehicleStatus::Incoming);
    EXPECT_EQ(in->id, "b01-car-1") << "the network's id is kept when free";
    EXPECT_EQ(in->stockNo.rfind("TST-", 0), 0u) << in->stockNo;
    EXPECT_EQ(in->cost, 0);
    EXPECT_EQ(in->lotLocation, "");
    const auto events = payloads(s, "vehicle.incoming");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0]["transfer_id"], "tr-1");
    EXPECT_EQ(events[0]["vin"], kToyota);
    EXPECT_EQ(events[0]["status"], "incoming");

    // The same transfer again changes nothing.
    ASSERT_TRUE(inventory.receiveTransfer(sent, "tr-1", "B01"));
    EXPECT_EQ(payloads(s, "vehicle.incoming").size(), 1u);
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM vehicles"), 1);

    auto scanned = inventory.checkIn(kToyota, {});
    ASSERT_TRUE(scanned) << scanned.error().message;
    EXPECT_EQ(scanned->outcome, core::CheckInResult::Outcome::Received);
    EXPECT_EQ(scanned->vehicle.status, VehicleStatus::InStock);
    EXPECT_EQ(scanned->vehicle.stockNo, in->stockNo);
}

TEST(NetworkReceiveTransfer, ACarSentAwayComesBackUnderItsOldStockNumberWithTheDataSent) {
    Store s;
    mustAdd(s, kTesla, "S1");
    core::Inventory inventory(s.ctx);
    ASSERT_TRUE(inventory.transferTo("S1", "B01"));
    core::Vehicle sent = *inventory.find("S1");
    sent.odometer = 412;
    sent.price = 3'999'000;
    sent.cost = 0;
    auto back = inventory.receiveTransfer(sent, "tr-2", "B01");
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->status, VehicleStatus::Incoming);
    EXPECT_EQ(back->stockNo, "S1");
    EXPECT_EQ(back->odometer, 412);
    EXPECT_EQ(back->price, 3'999'000);
    EXPECT_EQ(back->cost, 3'800'000) << "the cost this showroom paid stays";
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM vehicles"), 1);

    // A car this showroom sold cannot arrive by transfer.
    core::Vehicle other = sent;
    other.vin = kToyota;
    other.make = "Toyota";
    ASSERT_TRUE(inventory.receiveTransfer(other, "tr-3", "B01"));
    ASSERT_TRUE(inventory.checkIn(kToyota, {}));
    const auto ann = mustAddCustomer(s);
    auto deal = core::Deals(s.ctx).create(ann.id, kToyota, cash());
    ASSERT_TRUE(deal) << deal.error().message;
    auto refused = inventory.receiveTransfer(other, "tr-4", "C02");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::Conflict);
}

// ---- conflicts -------------------------------------------------------------------------------------------

TEST(NetworkConflicts, AnOpenConflictFlagsItsDealUntilAPersonResolvesItAndHqHearsTheNote) {
    Store s;
    addConflict(s, "c-1", "deal-1", "D2026-0001");
    addConflict(s, "c-2", "deal-2", "D2026-0002");
    core::Conflicts conflicts(s.ctx);
    auto open = conflicts.list();
    ASSERT_TRUE(open) << open.error().message;
    EXPECT_EQ(open->size(), 2u);
    auto flagged = conflicts.openConflictFor("deal-1");
    ASSERT_TRUE(flagged);
    ASSERT_TRUE(flagged->has_value());
    EXPECT_EQ((*flagged)->id, "c-1");
    EXPECT_EQ((*flagged)->otherStore, "B01");
    EXPECT_FALSE(conflicts.openConflictFor("deal-9")->has_value());

    auto resolved = conflicts.resolve("c-1", "customer took the blue one instead");
    ASSERT_TRUE(resolved) << resolved.error().message;
    EXPECT_FALSE(resolved->open());
    EXPECT_EQ(resolved->resolutionNote, "customer took the blue one instead");
    EXPECT_FALSE(conflicts.openConflictFor("deal-1")->has_value()) << "the deal is no longer flagged";
    EXPECT_EQ(conflicts.list()->size(), 1u);
    EXPECT_EQ(conflicts.list(true)->size(), 2u);
    const auto events = payloads(s, "store.conflict_resolved");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0], (nlohmann::json{{"conflict_id", "c-1"}, {"note", "customer took the blue one instead"}}));
    EXPECT_EQ(text(s.conn, "SELECT entity FROM outbox WHERE type = 'store.conflict_resolved'"), "conflict");
}

TEST(NetworkConflicts, ResolvingTwiceWithoutANoteOrAnUnknownIdIsRefused) {
    Store s;
    addConflict(s, "c-1", "deal-1", "D2026-0001");
    core::Conflicts conflicts(s.ctx);
    EXPECT_EQ(conflicts.resolve("c-1", "  ").error().code, ErrorCode::InvalidInput);
    EXPECT_EQ(conflicts.resolve("nope", "done").error().code, ErrorCode::NotFound);
    ASSERT_TRUE(conflicts.resolve("c-1", "done"));
    EXPECT_EQ(conflicts.resolve("c-1", "again").error().code, ErrorCode::InvalidTransition);
    EXPECT_EQ(payloads(s, "store.conflict_resolved").size(), 1u);
}

TEST(NetworkConflicts, ConflictsKeptInSyncStateBeforeSchemaFiveMoveToTheirTable) {
    showroom::test::TempDir dir;
    auto conn = core::db::Connection::open(dir.file("old.db"));
    ASSERT_TRUE(conn);
    for (const auto& m : core::builtinMigrations()) {
        if (m.name >= std::string_view("0005")) continue;
        ASSERT_TRUE(conn->exec(m.contents)) << m.name;
    }
    ASSERT_TRUE(conn->exec("PRAGMA user_version = 4"));
    ASSERT_TRUE(conn->exec(
        "INSERT INTO sync_state(key, value) VALUES ('pull_cursor', '12'), "
        "('conflict:c-7', '{\"id\":\"c-7\",\"kind\":\"vehicle_sold_elsewhere\",\"vin\":\"5YJ\",\"deal_id\":\"d-1\","
        "\"deal_no\":\"D1\",\"other_store\":\"B01\",\"message\":\"sold at B01 first\"}')"));
    auto migrated = core::migrate(*conn);
    ASSERT_TRUE(migrated) << migrated.error().message;
    EXPECT_EQ(count(*conn, "SELECT count(*) FROM sync_state WHERE key LIKE 'conflict:%'"), 0);
    EXPECT_EQ(text(*conn, "SELECT value FROM sync_state WHERE key = 'pull_cursor'"), "12");
    EXPECT_EQ(text(*conn, "SELECT kind || '|' || deal_id || '|' || deal_no || '|' || other_store || '|' || message "
                          "FROM sync_conflicts WHERE id = 'c-7' AND resolved_at IS NULL"),
              "vehicle_sold_elsewhere|d-1|D1|B01|sold at B01 first");
}

// ---- catalog ---------------------------------------------------------------------------------------------

TEST(NetworkCatalog, CheckInOfANewCarTakesWhatIsNotGivenFromItsCatalogLine) {
    Store s;
    addCatalogLine(s, 2024, "Tesla", "Model 3", "Long Range", "sedan", 4'799'000);
    addCatalogLine(s, 2024, "Tesla", "Model 3", "Base", "sedan", 3'899'000);
    core::CheckInDetails d;
    d.price = 4'599'000;
    d.model = "model 3";
    d.trim = "Long Range";
    d.body = "fastback"; // given: kept
    auto in = core::Inventory(s.ctx).checkIn(kTesla, d);
    ASSERT_TRUE(in) << in.error().message;
    EXPECT_EQ(in->vehicle.msrp, 4'799'000);
    EXPECT_EQ(in->vehicle.fuel, "electric");
    EXPECT_EQ(in->vehicle.drivetrain, "AWD");
    EXPECT_EQ(in->vehicle.body, "fastback");

    // No trim: the model's first line (by trim) stands in.
    core::CheckInDetails noTrim;
    noTrim.price = 3'999'000;
    noTrim.model = "Model 3";
    auto second = core::Inventory(s.ctx).checkIn(core::demo::makeVin("5YJ", 2024, 2), noTrim);
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(second->vehicle.msrp, 3'899'000);
    EXPECT_EQ(second->vehicle.body, "sedan");
}

TEST(NetworkCatalog, NoModelOrNoMatchingLineLeavesTheCarAsGivenAndListFiltersByMake) {
    Store s;
    addCatalogLine(s, 2024, "Tesla", "Model 3", "", "sedan", 3'899'000);
    addCatalogLine(s, 2025, "Toyota", "RAV4", "XLE", "suv", 3'300'000);
    core::CheckInDetails d;
    d.price = 4'599'000;
    auto noModel = core::Inventory(s.ctx).checkIn(kTesla, d);
    ASSERT_TRUE(noModel) << noModel.error().message;
    EXPECT_EQ(noModel->vehicle.msrp, 0);
    EXPECT_EQ(noModel->vehicle.body, "");
    d.model = "Model Y";
    auto unknown = core::Inventory(s.ctx).checkIn(core::demo::makeVin("5YJ", 2024, 2), d);
    ASSERT_TRUE(unknown) << unknown.error().message;
    EXPECT_EQ(unknown->vehicle.msrp, 0);

    auto all = core::listCatalog(s.conn);
    ASSERT_TRUE(all);
    EXPECT_EQ(all->size(), 2u);
    auto toyota = core::listCatalog(s.conn, "toyota");
    ASSERT_TRUE(toyota);
    ASSERT_EQ(toyota->size(), 1u);
    EXPECT_EQ((*toyota)[0].model, "RAV4");
    EXPECT_EQ(nlohmann::json((*toyota)[0])["msrp"], "33000.00");
    EXPECT_EQ((*toyota)[0].features, (std::vector<std::string>{"Heat pump", "Glass roof"}));
}
