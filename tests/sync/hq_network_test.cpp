// HQ's network rules (hq.hpp, "Network rules") on each storage backend: merged vehicles with
// field-level last writer wins, holds and sales at two showrooms, customers matched across
// showrooms, transfers, and HQ's prices, staff accounts and catalog going down. The events are
// built here the way core/ writes them (journal.hpp); the store's side of each change is tested in
// client_apply_test.cpp and end to end in network_e2e_test.cpp.

#include "showroom/core/auth.hpp"
#include "showroom/sync/hq.hpp"

#include "sync_fixture.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace sy = showroom::sync;
namespace core = showroom::core;
using nlohmann::json;

namespace {

std::vector<std::string> backends() {
    return showroom::test::hqBackends();
}

/// A hybrid-logical-clock stamp at `ms` on `node` (core/hlc.hpp's format).
std::string stamp(long long ms, const std::string& node, int counter = 0) {
    char text[64];
    std::snprintf(text, sizeof text, "%013lld.%05d@%s", ms, counter, node.c_str());
    return text;
}

constexpr long long kT0 = 1'796'000'000'000; // 2026-11-30, in milliseconds
constexpr const char* kVin = "1HGCM82633A004352";

class HqNetwork : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        m_url = showroom::test::freshHqUrl(GetParam(), m_dir);
        ASSERT_FALSE(m_url.empty());
        auto storage = sy::openHqStorage(m_url);
        ASSERT_TRUE(storage.ok()) << storage.error().message;
        hq = std::make_unique<sy::Hq>(std::move(*storage));
        auto migrated = hq->migrate();
        ASSERT_TRUE(migrated.ok()) << migrated.error().message;
        dtn = enrol("DTN");
        air = enrol("AIR");
        lke = enrol("LKE");
    }

    sy::StoreInfo enrol(const std::string& code) {
        auto token = hq->addStore(code, "Showroom " + code);
        EXPECT_TRUE(token.ok()) << token.error().message;
        auto store = hq->authenticate(token.ok() ? *token : "");
        EXPECT_TRUE(store.ok() && store->has_value());
        return store.ok() && store->has_value() ? **store : sy::StoreInfo{};
    }

    /// Sends one event from `store` as core/ would have written it.
    void send(const sy::StoreInfo& store, const std::string& type, const std::string& entityId, json payload,
              const std::string& hlc) {
        sy::Event e;
        e.eventId = "ev-" + std::to_string(++m_events);
        e.seq = m_events;
        e.type = type;
        e.entity = type.substr(0, type.find('.'));
        e.entityId = entityId;
        e.payload = std::move(payload);
        e.createdAt = "2026-11-30T10:00:00Z";
        e.hlc = hlc;
        auto r = hq->ingest(store, {e});
        ASSERT_TRUE(r.ok()) << r.error().message;
        ASSERT_EQ(r->accepted, std::vector<std::string>{e.eventId}) << type;
    }

    /// The vehicle as a store's check-in records it.
    static json checkedIn(const std::string& vin, const std::string& price, const std::string& lot = "A1") {
        return {{"id", "local-" + vin}, {"store_id", "local-store"}, {"vin", vin},           {"stock_no", "S100"},
                {"year", 2024},         {"make", "Honda"},           {"model", "Accord"},    {"trim", "EX"},
                {"price", price},       {"cost", "21000.00"},        {"status", "in_stock"}, {"lot_location", lot}};
    }

    void checkIn(const sy::StoreInfo& store, const std::string& vin, long long ms,
                 const std::string& price = "24990.00") {
        send(store, "vehicle.checked_in", "v-" + store.code, checkedIn(vin, price), stamp(ms, store.code));
    }

    void setStatus(const sy::StoreInfo& store, const std::string& vin, const std::string& from, const std::string& to,
                   const std::string& dealId, long long ms) {
        json p{{"vin", vin}, {"from", from}, {"to", to}, {"reason", "deal"}};
        if (!dealId.empty()) {
            p["deal_id"] = dealId;
            p["deal_no"] = "D2026-" + dealId;
        }
        send(store, "vehicle.status_changed", "v-" + store.code, p, stamp(ms, store.code));
    }

    /// Every change `store` pulls from the start.
    std::vector<sy::Change> changesFor(const sy::StoreInfo& store, const std::string& kind = "") {
        auto r = hq->changesFor(store, 0, 10'000);
        EXPECT_TRUE(r.ok()) << r.error().message;
        std::vector<sy::Change> out;
        if (r)
            for (auto& c : r->changes)
                if (kind.empty() || c.kind == kind) out.push_back(std::move(c));
        return out;
    }

    std::vector<sy::Conflict> openConflicts() {
        auto r = hq->conflicts(true);
        EXPECT_TRUE(r.ok()) << r.error().message;
        return r ? *r : std::vector<sy::Conflict>{};
    }

    json vehicle(const std::string& vin) {
        auto r = hq->vehicle(vin);
        EXPECT_TRUE(r.ok()) << r.error().message;
        return r ? *r : json();
    }

    showroom::test::TempDir m_dir;
    std::string m_url;
    std::unique_ptr<sy::Hq> hq;
    sy::StoreInfo dtn, air, lke;
    int m_events = 0;
};

// -- vehicles: field-level last writer wins -------------------------------------------------------

TEST_P(HqNetwork, ConcurrentEditsKeepTheLaterStampPerFieldWhateverTheArrivalOrder) {
    checkIn(dtn, kVin, kT0);
    // AIR re-prices at T0+3 s; DTN's own re-price at T0+2 s arrives after it; DTN moves the car at T0+4 s.
    send(air, "vehicle.price_changed", "v-AIR", {{"vin", kVin}, {"from", "24990.00"}, {"price", "23500.00"}},
         stamp(kT0 + 3000, "AIR"));
    send(dtn, "vehicle.price_changed", "v-DTN", {{"vin", kVin}, {"from", "24990.00"}, {"price", "23990.00"}},
         stamp(kT0 + 2000, "DTN"));
    send(dtn, "vehicle.moved", "v-DTN", {{"vin", kVin}, {"from", "A1"}, {"to", "B7"}}, stamp(kT0 + 4000, "DTN"));

    const json v = vehicle(kVin);
    EXPECT_EQ(v.value("price", ""), "23500.00");  // AIR's later stamp, though it arrived first
    EXPECT_EQ(v.value("lot_location", ""), "B7"); // DTN's later edit of another field stands
    EXPECT_EQ(v.value("store_code", ""), "DTN");
    EXPECT_FALSE(v.contains("cost"));

    auto losses = hq->fieldLosses(kVin);
    ASSERT_TRUE(losses.ok()) << losses.error().message;
    ASSERT_EQ(losses->size(), 1u);
    const auto& loss = losses->front();
    EXPECT_EQ(loss.field, "price");
    EXPECT_EQ(loss.lostValue, "23990.00");
    EXPECT_EQ(loss.lostStore, "DTN");
    EXPECT_EQ(loss.lostHlc, stamp(kT0 + 2000, "DTN"));
    EXPECT_EQ(loss.keptValue, "23500.00");
    EXPECT_EQ(loss.keptStore, "AIR");
}

TEST_P(HqNetwork, AStoresOwnEditsArrivingOutOfOrderAreNotConflicts) {
    checkIn(dtn, kVin, kT0);
    send(dtn, "vehicle.price_changed", "v-DTN", {{"vin", kVin}, {"price", "22000.00"}}, stamp(kT0 + 5000, "DTN"));
    send(dtn, "vehicle.price_changed", "v-DTN", {{"vin", kVin}, {"price", "23000.00"}}, stamp(kT0 + 4000, "DTN"));
    EXPECT_EQ(vehicle(kVin).value("price", ""), "22000.00");
    auto losses = hq->fieldLosses(kVin);
    ASSERT_TRUE(losses.ok());
    EXPECT_TRUE(losses->empty());
}

TEST_P(HqNetwork, AStamplessEventFromAnOldStoreLosesToAStampedOne) {
    checkIn(dtn, kVin, kT0);
    send(air, "vehicle.price_changed", "v-AIR", {{"vin", kVin}, {"price", "19990.00"}}, "");
    EXPECT_EQ(vehicle(kVin).value("price", ""), "24990.00");
    auto losses = hq->fieldLosses(kVin);
    ASSERT_TRUE(losses.ok());
    ASSERT_EQ(losses->size(), 1u);
    EXPECT_EQ(losses->front().lostStore, "AIR");
}

TEST_P(HqNetwork, OtherStoresGetTheMergedVehicleWithoutCostAndTheOwnerGetsNone) {
    checkIn(dtn, kVin, kT0);
    send(dtn, "vehicle.moved", "v-DTN", {{"vin", kVin}, {"from", "A1"}, {"to", "B7"}}, stamp(kT0 + 1000, "DTN"));
    EXPECT_TRUE(changesFor(dtn, "vehicle").empty());
    const auto forAir = changesFor(air, "vehicle");
    ASSERT_EQ(forAir.size(), 2u);
    const json& latest = forAir.back().data;
    EXPECT_EQ(forAir.back().storeCode, "DTN");
    EXPECT_EQ(latest.value("store_name", ""), "Showroom DTN");
    EXPECT_EQ(latest.value("lot_location", ""), "B7");
    EXPECT_EQ(latest.value("make", ""), "Honda");
    EXPECT_FALSE(latest.contains("cost"));
}

// -- holds and sales at two showrooms -------------------------------------------------------------

TEST_P(HqNetwork, ASaleElsewhereBeatsAHoldAndFlagsTheHoldersDealWithoutDeletingIt) {
    checkIn(dtn, kVin, kT0);
    setStatus(dtn, kVin, "in_stock", "on_hold", "dtn-deal", kT0 + 1000);
    setStatus(air, kVin, "in_stock", "sold", "air-deal", kT0 + 2000);

    const auto open = openConflicts();
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].kind, "vehicle_sold_elsewhere");
    EXPECT_EQ(open[0].storeCode, "DTN");
    EXPECT_EQ(open[0].dealId, "dtn-deal");
    EXPECT_EQ(open[0].otherStore, "AIR");
    EXPECT_NE(open[0].message.find("first committed sale wins"), std::string::npos) << open[0].message;

    // Only DTN is told, with what its people need to act.
    const auto forDtn = changesFor(dtn, "conflict");
    ASSERT_EQ(forDtn.size(), 1u);
    EXPECT_EQ(forDtn[0].data.value("id", ""), open[0].id);
    EXPECT_EQ(forDtn[0].data.value("deal_no", ""), "D2026-dtn-deal");
    EXPECT_EQ(forDtn[0].data.value("resolved", true), false);
    EXPECT_TRUE(changesFor(air, "conflict").empty());
    EXPECT_TRUE(changesFor(lke, "conflict").empty());

    // Nothing of DTN's deal is undone at HQ: its hold is still there to see.
    EXPECT_EQ(showroom::test::hqCount(m_url, "SELECT COUNT(*) FROM events WHERE type = 'vehicle.status_changed'"), 2);
}

TEST_P(HqNetwork, ASecondSaleIsFlaggedAndTheFirstKeepsTheVehicle) {
    checkIn(dtn, kVin, kT0);
    setStatus(dtn, kVin, "on_hold", "sold", "dtn-deal", kT0 + 1000);
    setStatus(air, kVin, "on_hold", "sold", "air-deal", kT0 + 500); // an earlier clock, but HQ heard it second
    const auto open = openConflicts();
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].storeCode, "AIR");
    EXPECT_EQ(open[0].dealId, "air-deal");
    EXPECT_EQ(open[0].otherStore, "DTN");
    // AIR signing again (or delivering) does not pile up conflicts for the same deal.
    setStatus(air, kVin, "sold", "sold", "air-deal", kT0 + 3000);
    EXPECT_EQ(openConflicts().size(), 1u);
}

TEST_P(HqNetwork, AHoldAfterAnotherStoresHoldIsFlaggedAndCancellingTheDealResolvesIt) {
    checkIn(dtn, kVin, kT0);
    setStatus(dtn, kVin, "in_stock", "on_hold", "dtn-deal", kT0 + 1000);
    setStatus(air, kVin, "in_stock", "on_hold", "air-deal", kT0 + 2000);
    auto open = openConflicts();
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].kind, "vehicle_held_elsewhere");
    EXPECT_EQ(open[0].storeCode, "AIR");

    // AIR's manager cancels the flagged deal: the conflict closes and AIR hears so.
    setStatus(air, kVin, "on_hold", "in_stock", "air-deal", kT0 + 3000);
    EXPECT_TRUE(openConflicts().empty());
    const auto forAir = changesFor(air, "conflict");
    ASSERT_EQ(forAir.size(), 2u);
    EXPECT_EQ(forAir[1].data.value("id", ""), open[0].id);
    EXPECT_EQ(forAir[1].data.value("resolved", false), true);

    // DTN's hold still stands: a sale at LKE now beats it.
    setStatus(lke, kVin, "in_stock", "sold", "lke-deal", kT0 + 4000);
    open = openConflicts();
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].storeCode, "DTN");
}

TEST_P(HqNetwork, AStoreSayingAPersonDealtWithAConflictClosesIt) {
    checkIn(dtn, kVin, kT0);
    setStatus(dtn, kVin, "on_hold", "sold", "dtn-deal", kT0 + 1000);
    setStatus(air, kVin, "on_hold", "sold", "air-deal", kT0 + 2000);
    const auto open = openConflicts();
    ASSERT_EQ(open.size(), 1u);
    // Another store cannot close AIR's conflict.
    send(dtn, "store.conflict_resolved", open[0].id, {{"conflict_id", open[0].id}, {"note", "not mine"}},
         stamp(kT0 + 2500, "DTN"));
    EXPECT_EQ(openConflicts().size(), 1u);
    send(air, "store.conflict_resolved", open[0].id,
         {{"conflict_id", open[0].id}, {"note", "customer chose another car"}}, stamp(kT0 + 3000, "AIR"));
    EXPECT_TRUE(openConflicts().empty());
    auto all = hq->conflicts(false);
    ASSERT_TRUE(all.ok());
    ASSERT_EQ(all->size(), 1u);
    EXPECT_EQ(all->front().resolution, "customer chose another car");
}

TEST_P(HqNetwork, HqCanResolveAConflictAndTheStoreHears) {
    checkIn(dtn, kVin, kT0);
    setStatus(dtn, kVin, "on_hold", "sold", "dtn-deal", kT0 + 1000);
    setStatus(air, kVin, "on_hold", "sold", "air-deal", kT0 + 2000);
    const auto open = openConflicts();
    ASSERT_EQ(open.size(), 1u);
    ASSERT_TRUE(hq->resolveConflict(open[0].id, "refunded by HQ").ok());
    EXPECT_TRUE(openConflicts().empty());
    const auto forAir = changesFor(air, "conflict");
    ASSERT_EQ(forAir.size(), 2u);
    EXPECT_TRUE(forAir[1].data.value("resolved", false));
    auto missing = hq->resolveConflict("no-such-id", "x");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, core::ErrorCode::NotFound);
}

// -- customers ------------------------------------------------------------------------------------

json customer(const std::string& first, const std::string& last, const std::string& phone, const std::string& email) {
    return {{"first_name", first}, {"last_name", last}, {"phone", phone}, {"email", email}};
}

TEST_P(HqNetwork, TheSameCustomerAtTwoShowroomsIsOnePersonWithBothHistories) {
    send(dtn, "customer.added", "c-dtn", customer("Ann", "Lee", "+1 (555) 010-2000", ""), stamp(kT0, "DTN"));
    send(dtn, "lead.opened", "l-dtn", {{"customer_id", "c-dtn"}, {"source", "walk_in"}}, stamp(kT0 + 1, "DTN"));
    send(air, "customer.added", "c-air", customer("Ann", "Lee", "555.010.2000", "Ann.Lee@Example.com"),
         stamp(kT0 + 2, "AIR"));
    send(air, "test_drive.started", "t-air", {{"customer_id", "c-air"}}, stamp(kT0 + 3, "AIR"));
    send(lke, "customer.added", "c-lke", customer("Bo", "Chan", "555-999-0000", ""), stamp(kT0 + 4, "LKE"));

    auto found = hq->findCustomer("ann.lee@example.com ");
    ASSERT_TRUE(found.ok()) << found.error().message;
    ASSERT_TRUE(found->has_value());
    const auto& ann = **found;
    ASSERT_EQ(ann.records.size(), 2u);
    std::vector<std::string> records;
    for (const auto& r : ann.records)
        records.push_back(r.storeCode + ":" + r.customerId);
    std::sort(records.begin(), records.end());
    EXPECT_EQ(records, (std::vector<std::string>{"AIR:c-air", "DTN:c-dtn"}));
    std::vector<std::string> history;
    for (const auto& h : ann.history)
        history.push_back(h.storeCode + ":" + h.type);
    EXPECT_EQ(history, (std::vector<std::string>{"DTN:customer.added", "DTN:lead.opened", "AIR:customer.added",
                                                 "AIR:test_drive.started"}));
    // The phone finds the same person however it is written.
    auto byPhone = hq->findCustomer("15550102000");
    ASSERT_TRUE(byPhone.ok() && byPhone->has_value());
    EXPECT_EQ((*byPhone)->id, ann.id);
    // Somebody else stays somebody else.
    auto bo = hq->findCustomer("555 999 0000");
    ASSERT_TRUE(bo.ok() && bo->has_value());
    EXPECT_NE((*bo)->id, ann.id);
    EXPECT_EQ((*bo)->records.size(), 1u);
}

TEST_P(HqNetwork, ACustomerSharingAPhoneWithOneAndAnEmailWithAnotherMergesThem) {
    send(dtn, "customer.added", "c-1", customer("Ann", "Lee", "5550102000", ""), stamp(kT0, "DTN"));
    send(air, "customer.added", "c-2", customer("Ann", "Lee", "", "ann@example.com"), stamp(kT0 + 1, "AIR"));
    auto before = hq->findCustomer("ann@example.com");
    ASSERT_TRUE(before.ok() && before->has_value());
    const std::string second = (*before)->id;
    send(lke, "customer.added", "c-3", customer("Ann", "Lee", "555 010 2000", "ANN@example.com"),
         stamp(kT0 + 2, "LKE"));

    auto byMail = hq->findCustomer("ann@example.com");
    auto byPhone = hq->findCustomer("5550102000");
    ASSERT_TRUE(byMail.ok() && byMail->has_value() && byPhone.ok() && byPhone->has_value());
    EXPECT_EQ((*byMail)->id, (*byPhone)->id);
    EXPECT_EQ((*byMail)->records.size(), 3u);
    EXPECT_EQ((*byMail)->mergedFrom, std::vector<std::string>{second});
    EXPECT_EQ((*byMail)->history.size(), 3u);
}

TEST_P(HqNetwork, ACustomerWithoutPhoneOrEmailIsNeverMatched) {
    send(dtn, "customer.added", "c-1", customer("Ann", "Lee", "", ""), stamp(kT0, "DTN"));
    send(air, "customer.added", "c-2", customer("Ann", "Lee", "12", ""), stamp(kT0 + 1, "AIR"));
    EXPECT_EQ(showroom::test::hqCount(m_url, "SELECT COUNT(*) FROM net_customers"), 2);
    auto none = hq->findCustomer("12");
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value());
}

// -- transfers ------------------------------------------------------------------------------------

TEST_P(HqNetwork, ATransferGoesToTheDestinationOnlyAndItsArrivalMakesItTheOwner) {
    checkIn(dtn, kVin, kT0);
    json vehicleJson = checkedIn(kVin, "24990.00");
    send(dtn, "vehicle.transferred", "v-DTN", {{"vin", kVin}, {"to_store", "AIR"}, {"vehicle", vehicleJson}},
         stamp(kT0 + 1000, "DTN"));

    const auto forAir = changesFor(air, "transfer");
    ASSERT_EQ(forAir.size(), 1u);
    EXPECT_EQ(forAir[0].data.value("from_store", ""), "DTN");
    EXPECT_EQ(forAir[0].data["vehicle"].value("model", ""), "Accord");
    EXPECT_FALSE(forAir[0].data["vehicle"].contains("cost"));
    EXPECT_TRUE(changesFor(dtn, "transfer").empty());
    EXPECT_TRUE(changesFor(lke, "transfer").empty());
    EXPECT_EQ(vehicle(kVin).value("status", ""), "transferred");

    // AIR holds it as incoming, then a porter scans it in.
    json incoming = checkedIn(kVin, "24990.00", "");
    incoming["status"] = "incoming";
    incoming["transfer_id"] = forAir[0].data.value("transfer_id", "");
    send(air, "vehicle.incoming", "v-AIR", incoming, stamp(kT0 + 2000, "AIR"));
    setStatus(air, kVin, "incoming", "in_stock", "", kT0 + 3000);

    const json v = vehicle(kVin);
    EXPECT_EQ(v.value("store_code", ""), "AIR");
    EXPECT_EQ(v.value("status", ""), "in_stock");
    auto transfers = hq->transfers();
    ASSERT_TRUE(transfers.ok());
    ASSERT_EQ(transfers->size(), 1u);
    EXPECT_EQ(transfers->front().status, "received");
    EXPECT_EQ(transfers->front().toStore, "AIR");
    // The handover is not a conflict, and LKE now sees the car at AIR.
    auto losses = hq->fieldLosses(kVin);
    ASSERT_TRUE(losses.ok());
    EXPECT_TRUE(losses->empty());
    const auto forLke = changesFor(lke, "vehicle");
    ASSERT_FALSE(forLke.empty());
    EXPECT_EQ(forLke.back().storeCode, "AIR");
}

TEST_P(HqNetwork, ATransferToAnUnknownShowroomIsAConflictForTheSender) {
    checkIn(dtn, kVin, kT0);
    send(dtn, "vehicle.transferred", "v-DTN",
         {{"vin", kVin}, {"to_store", "NOPE"}, {"vehicle", checkedIn(kVin, "1.00")}}, stamp(kT0 + 1000, "DTN"));
    const auto open = openConflicts();
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].kind, "transfer_refused");
    EXPECT_EQ(open[0].storeCode, "DTN");
    EXPECT_NE(open[0].message.find("NOPE"), std::string::npos);
    auto transfers = hq->transfers();
    ASSERT_TRUE(transfers.ok());
    EXPECT_TRUE(transfers->empty());
}

// -- HQ's own data going down ---------------------------------------------------------------------

TEST_P(HqNetwork, HqsPriceGoesToTheOwnerAndALaterStoreEditStillWins) {
    checkIn(dtn, kVin, kT0);
    ASSERT_TRUE(hq->setPrice(kVin, 2'199'000).ok());
    const auto forDtn = changesFor(dtn, "price");
    ASSERT_EQ(forDtn.size(), 1u);
    EXPECT_EQ(forDtn[0].data.value("price", ""), "21990.00");
    EXPECT_NE(forDtn[0].data.value("hlc", "").find("@HQ"), std::string::npos);
    EXPECT_TRUE(changesFor(air, "price").empty());
    EXPECT_EQ(changesFor(air, "vehicle").back().data.value("price", ""), "21990.00");

    // DTN re-prices a day later (its stamp is later than HQ's): DTN wins, HQ's price is the loser.
    const long long later = std::stoll(forDtn[0].data.value("hlc", "0").substr(0, 13)) + 86'400'000;
    send(dtn, "vehicle.price_changed", "v-DTN", {{"vin", kVin}, {"price", "20500.00"}}, stamp(later, "DTN"));
    EXPECT_EQ(vehicle(kVin).value("price", ""), "20500.00");
    auto losses = hq->fieldLosses(kVin);
    ASSERT_TRUE(losses.ok());
    ASSERT_EQ(losses->size(), 1u);
    EXPECT_EQ(losses->front().lostStore, "HQ");
    EXPECT_EQ(losses->front().lostValue, "21990.00");

    auto unknown = hq->setPrice("2HGCM82633A000000", 100);
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, core::ErrorCode::NotFound);
    EXPECT_EQ(hq->setPrice(kVin, -1).error().code, core::ErrorCode::InvalidInput);
}

TEST_P(HqNetwork, StaffAccountsGoToTheirShowroomWithAPinHashNeverThePin) {
    sy::StaffAccount a;
    a.name = "Mia Park";
    a.role = "sales";
    a.storeCode = "DTN";
    a.email = "Mia@Example.com";
    a.pin = "4826";
    auto id = hq->putStaff(a);
    ASSERT_TRUE(id.ok()) << id.error().message;
    const auto forDtn = changesFor(dtn, "staff");
    ASSERT_EQ(forDtn.size(), 1u);
    const json& d = forDtn[0].data;
    EXPECT_EQ(d.value("id", ""), *id);
    EXPECT_EQ(d.value("email", ""), "mia@example.com");
    const std::string hash = d.value("pin_hash", "");
    ASSERT_TRUE(core::isPinHash(hash)) << hash;
    ASSERT_GE(sodium_init(), 0);
    EXPECT_EQ(crypto_pwhash_str_verify(hash.c_str(), "4826", 4), 0);
    EXPECT_TRUE(changesFor(air, "staff").empty());
    // The PIN itself is nowhere in HQ's database.
    EXPECT_EQ(showroom::test::hqCount(m_url, "SELECT COUNT(*) FROM changes WHERE data LIKE '%4826%'"), 0);
    EXPECT_EQ(showroom::test::hqCount(m_url, "SELECT COUNT(*) FROM staff_accounts WHERE pin_hash LIKE '%4826%'"), 0);

    // Disabling without a new PIN keeps the hash at HQ and tells the store to keep its PIN.
    a.id = *id;
    a.pin.clear();
    a.active = false;
    ASSERT_TRUE(hq->putStaff(a).ok());
    const auto again = changesFor(dtn, "staff");
    ASSERT_EQ(again.size(), 2u);
    EXPECT_EQ(again[1].data.value("pin_hash", "x"), "");
    EXPECT_EQ(again[1].data.value("active", true), false);
    EXPECT_EQ(showroom::test::hqCount(m_url, "SELECT COUNT(*) FROM staff_accounts WHERE pin_hash = ''"), 0);

    // An account for every showroom reaches every showroom.
    sy::StaffAccount all{"", "", "Lou Admin", "", "admin", "5937", true};
    ASSERT_TRUE(hq->putStaff(all).ok());
    EXPECT_EQ(changesFor(air, "staff").size(), 1u);
    EXPECT_EQ(changesFor(lke, "staff").size(), 1u);
}

TEST_P(HqNetwork, BadStaffAccountsAreRefusedAndNothingIsSent) {
    for (const auto& bad : {sy::StaffAccount{"", "DTN", "X", "", "boss", "4826", true},
                            sy::StaffAccount{"", "NOPE", "X", "", "sales", "4826", true},
                            sy::StaffAccount{"", "DTN", "X", "", "sales", "1234", true},
                            sy::StaffAccount{"", "DTN", "X", "not-an-email", "sales", "4826", true},
                            sy::StaffAccount{"", "DTN", " ", "", "sales", "4826", true}}) {
        auto r = hq->putStaff(bad);
        ASSERT_FALSE(r.ok()) << bad.role << " " << bad.storeCode;
        EXPECT_EQ(r.error().code, core::ErrorCode::InvalidInput);
    }
    EXPECT_TRUE(changesFor(dtn, "staff").empty());
}

TEST_P(HqNetwork, ACatalogImportStoresTheGoodRowsListsTheBadOnesAndSendsOnlyWhatChanged) {
    const std::string csv = "year,make,model,trim,body,fuel,drivetrain,msrp,features\n"
                            "2025,Honda,Accord,EX,Sedan,Gasoline,FWD,31990.00,\"Sunroof; Heated seats\"\n"
                            "20x5,Honda,Civic,LX,Sedan,Gasoline,FWD,25000,\n"
                            "2025,Honda,CR-V,\"EX,AWD\n"
                            "2025,Toyota,RAV4,XLE,SUV,Hybrid,AWD,36500,\n";
    auto r = hq->importCatalog(csv);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->lines, 2);
    ASSERT_EQ(r->errors.size(), 2u);
    EXPECT_EQ(r->errors[0].rfind("line 3: ", 0), 0u) << r->errors[0];
    EXPECT_EQ(r->errors[1].rfind("line 4: ", 0), 0u) << r->errors[1];
    const auto forAir = changesFor(air, "catalog");
    ASSERT_EQ(forAir.size(), 2u);
    EXPECT_EQ(forAir[0].data.value("model", ""), "Accord");
    EXPECT_EQ(forAir[0].data.value("msrp", ""), "31990.00");
    EXPECT_EQ(forAir[0].data.value("features", ""), "Sunroof; Heated seats");
    EXPECT_EQ(changesFor(dtn, "catalog").size(), 2u);

    // The same file again changes nothing; a new MSRP sends that line only.
    ASSERT_EQ(hq->importCatalog(csv)->lines, 0);
    auto repriced = hq->importCatalog("year,make,model,trim,body,fuel,drivetrain,msrp,features\n"
                                      "2025,Toyota,RAV4,XLE,SUV,Hybrid,AWD,35900,\n");
    ASSERT_TRUE(repriced.ok());
    EXPECT_EQ(repriced->lines, 1);
    EXPECT_EQ(changesFor(air, "catalog").size(), 3u);

    auto noHeader = hq->importCatalog("2025,Honda,Accord\n");
    ASSERT_FALSE(noHeader.ok());
    EXPECT_EQ(noHeader.error().code, core::ErrorCode::InvalidInput);
}

// -- schema ---------------------------------------------------------------------------------------

TEST_P(HqNetwork, AnHqDatabaseFromBeforeTheNetworkRulesIsUpgradedKeepingEverything) {
    // A database as the first release left it: version 1 only, with a store and a change.
    hq.reset();
    const std::string url =
        GetParam() == "sqlite" ? "sqlite:" + m_dir.file("old.db") : showroom::test::freshHqUrl(GetParam(), m_dir);
    ASSERT_FALSE(url.empty());
    {
        auto storage = sy::openHqStorage(url);
        ASSERT_TRUE(storage.ok());
        ASSERT_TRUE((*storage)->migrate().ok());
        auto added = (*storage)->query("INSERT INTO stores(id, code, name, token_sha256, created_at) "
                                       "VALUES ('s-1', 'OLD', 'Old', 'h', '2026-01-01T00:00:00Z')");
        ASSERT_TRUE(added.ok()) << added.error().message;
        auto change = (*storage)->query("INSERT INTO changes(kind, store_id, store_code, data, created_at) "
                                        "VALUES ('vehicle', 's-1', 'OLD', '{}', '2026-01-01T00:00:00Z')");
        ASSERT_TRUE(change.ok()) << change.error().message;
    }
    auto storage = sy::openHqStorage(url);
    ASSERT_TRUE(storage.ok());
    hq = std::make_unique<sy::Hq>(std::move(*storage));
    ASSERT_TRUE(hq->migrate().ok());
    ASSERT_TRUE(hq->migrate().ok()); // twice is harmless
    EXPECT_EQ(showroom::test::hqCount(url, "SELECT version FROM hq_schema"), 3);
    // The old change is kept, for every store.
    EXPECT_EQ(showroom::test::hqCount(url, "SELECT COUNT(*) FROM changes WHERE target_store_id IS NULL"), 1);
    auto stores = hq->stores();
    ASSERT_TRUE(stores.ok());
    ASSERT_EQ(stores->size(), 1u);
    EXPECT_EQ(stores->front().code, "OLD");
}

INSTANTIATE_TEST_SUITE_P(, HqNetwork, ::testing::ValuesIn(backends()),
                         [](const ::testing::TestParamInfo<std::string>& backend) { return backend.param; });

} // namespace
