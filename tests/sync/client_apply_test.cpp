// What the store does with the changes HQ sends down (sync/protocol.hpp, "Change"): each kind lands
// where the store uses it, a page applied twice is harmless, a change that cannot be applied becomes
// a conflict for a person while the rest flow and the cursor moves on. HQ is a small httplib server
// on 127.0.0.1 serving a scripted list of changes; the store is a real file driven by SyncClient.
#include "store_fixture.hpp"

#include "showroom/core/auth.hpp"
#include "showroom/core/demo.hpp"
#include "showroom/core/inventory.hpp"
#include "showroom/core/network.hpp"
#include "showroom/sync/client.hpp"
#include "showroom/sync/protocol.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace showroom::sync {
namespace {

using test::count;
using test::text;

const std::string kOurs = core::demo::makeVin("5YJ", 2024, 1);
const std::string kElsewhere = core::demo::makeVin("JTM", 2025, 7);
const std::string kEarlierThanTheStore = "1700000000000.00000@HQ"; // 2023: before the store's edits
const std::string kLaterThanTheStore = "1900000000000.00000@HQ";   // 2030: after them

// HQ as far as pulling goes: every change after `after`, in one page.
class ChangesHq {
public:
    ChangesHq() {
        m_server.Get("/v1/changes", [this](const httplib::Request& req, httplib::Response& res) {
            const std::int64_t after = req.has_param("after") ? std::stoll(req.get_param_value("after")) : 0;
            PullResponse page;
            page.cursor = after;
            {
                std::lock_guard guard(m_mutex);
                for (const auto& c : m_changes)
                    if (c.seq > after) {
                        page.changes.push_back(c);
                        page.cursor = std::max(page.cursor, c.seq);
                    }
            }
            res.set_content(toJson(page).dump(), "application/json");
        });
        m_port = m_server.bind_to_any_port("127.0.0.1");
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
    }
    ~ChangesHq() {
        m_server.stop();
        m_thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

    // Adds a change with the next sequence number.
    void send(std::string kind, nlohmann::json data, std::string storeCode = "") {
        std::lock_guard guard(m_mutex);
        m_changes.push_back(
            {static_cast<std::int64_t>(m_changes.size()) + 1, std::move(kind), std::move(storeCode), std::move(data)});
    }

private:
    httplib::Server m_server;
    std::thread m_thread;
    int m_port = 0;
    std::mutex m_mutex;
    std::vector<Change> m_changes;
};

nlohmann::json vehicleData(const std::string& vin, const std::string& store, const std::string& price = "31500.00") {
    return {{"vin", vin},           {"year", 2025},
            {"make", "Toyota"},     {"model", "RAV4"},
            {"trim", "XLE"},        {"body", "suv"},
            {"fuel", "hybrid"},     {"condition", "new"},
            {"odometer", 12},       {"exterior_color", "Blue"},
            {"price", price},       {"msrp", "33000.00"},
            {"status", "in_stock"}, {"photos", nlohmann::json::array()},
            {"store_code", store},  {"store_name", store + " Motors"}};
}

nlohmann::json staffData(const std::string& id, const std::string& email, const std::string& pinHash = "") {
    return {{"id", id},          {"name", "Pat Hq"},    {"email", email},
            {"role", "manager"}, {"pin_hash", pinHash}, {"active", true}};
}

nlohmann::json catalogData(const std::string& model, const std::string& msrp) {
    return {{"year", 2025},        {"make", "Toyota"}, {"model", model},
            {"trim", "XLE"},       {"body", "suv"},    {"fuel", "hybrid"},
            {"drivetrain", "AWD"}, {"msrp", msrp},     {"features", "Heated seats; Roof rails"}};
}

class ClientApply : public ::testing::Test {
protected:
    void SetUp() override {
        core::Vehicle v;
        v.vin = kOurs;
        v.stockNo = "S1";
        v.year = 2024;
        v.make = "Tesla";
        v.model = "Model 3";
        v.price = 4'299'000;
        v.status = core::VehicleStatus::InStock;
        auto added = core::Inventory(m_store.ctx).add(v);
        ASSERT_TRUE(added) << added.error().message;
        auto opened = SyncClient::open(m_store.conn.path(), {m_hq.url(), "token", "", true, 5'000});
        ASSERT_TRUE(opened) << opened.error().message;
        m_client = std::move(*opened);
    }

    PullReport pull() {
        auto r = m_client->pull();
        EXPECT_TRUE(r) << (r ? "" : r.error().message);
        return r ? *r : PullReport{};
    }
    std::int64_t openConflicts() { return m_client->status()->conflicts; }
    std::int64_t rows(const std::string& sql) { return count(m_store.conn, sql); }

    test::Store m_store;
    ChangesHq m_hq;
    std::unique_ptr<SyncClient> m_client;
};

TEST_F(ClientApply, EveryKindLandsWhereTheStoreUsesItAndThePageTwiceChangesNothing) {
    m_hq.send("vehicle", vehicleData(kElsewhere, "B01"), "B01");
    m_hq.send("staff", staffData("staff-hq-1", "Pat@Example.com"), "TST");
    m_hq.send("catalog", catalogData("RAV4", "33000.00"));
    m_hq.send("price", {{"vin", kOurs}, {"price", "41990.00"}, {"hlc", kLaterThanTheStore}}, "TST");
    m_hq.send("conflict", {{"id", "c-1"},
                           {"kind", "vehicle_sold_elsewhere"},
                           {"vin", kOurs},
                           {"deal_id", "d-1"},
                           {"deal_no", "D2026-0001"},
                           {"other_store", "B01"},
                           {"message", "B01 sold it first"},
                           {"resolved", false}});
    auto r = pull();
    EXPECT_EQ(r.changes, 5);
    EXPECT_EQ(r.cursor, 5);

    EXPECT_EQ(rows("SELECT count(*) FROM network_vehicles WHERE store_code = 'B01' AND vin = '" + kElsewhere + "'"), 1);
    EXPECT_EQ(text(m_store.conn, "SELECT email || '|' || role || '|' || source || '|' || active FROM staff WHERE id = "
                                 "'staff-hq-1'"),
              "pat@example.com|manager|hq|1");
    auto catalog = core::listCatalog(m_store.conn, "Toyota");
    ASSERT_TRUE(catalog);
    ASSERT_EQ(catalog->size(), 1u);
    EXPECT_EQ((*catalog)[0].msrp, 3'300'000);
    EXPECT_EQ((*catalog)[0].features, (std::vector<std::string>{"Heated seats", "Roof rails"}));
    EXPECT_EQ(core::Inventory(m_store.ctx).find("S1")->price, 4'199'000);
    EXPECT_EQ(rows("SELECT count(*) FROM audit_log WHERE action = 'vehicle.price_changed' AND "
                   "json_extract(details, '$.source') = 'hq'"),
              1);
    EXPECT_EQ(rows("SELECT count(*) FROM outbox WHERE type IN ('vehicle.price_changed', 'staff.updated')"), 0)
        << "HQ already has what it sent";
    core::Conflicts conflicts(m_store.ctx);
    auto flagged = conflicts.openConflictFor("d-1");
    ASSERT_TRUE(flagged && flagged->has_value());
    EXPECT_EQ((*flagged)->message, "B01 sold it first");
    EXPECT_EQ(openConflicts(), 1);

    // The same page again (a crash before the cursor was kept): nothing new.
    ASSERT_TRUE(m_store.conn.exec("UPDATE sync_state SET value = '0' WHERE key = 'pull_cursor'"));
    EXPECT_EQ(pull().changes, 5);
    EXPECT_EQ(rows("SELECT count(*) FROM network_vehicles"), 1);
    EXPECT_EQ(rows("SELECT count(*) FROM staff WHERE id = 'staff-hq-1'"), 1);
    EXPECT_EQ(rows("SELECT count(*) FROM catalog_models"), 1);
    EXPECT_EQ(rows("SELECT count(*) FROM sync_conflicts"), 1);
    EXPECT_EQ(rows("SELECT count(*) FROM audit_log WHERE action = 'vehicle.price_changed'"), 1);
    EXPECT_EQ(openConflicts(), 1);
}

TEST_F(ClientApply, ABadChangeBecomesAConflictWhileTheNextOnesApplyAndTheCursorMovesOn) {
    ASSERT_TRUE(core::Auth(m_store.ctx).addStaff("Lee Local", core::StaffRole::Sales, "lee@example.com"));
    m_hq.send("catalog", catalogData("RAV4", "lots"));                     // not money
    m_hq.send("staff", staffData("staff-hq-2", "lee@example.com"), "TST"); // e-mail taken here
    m_hq.send("transfer", {{"transfer_id", "t-1"},
                           {"vin", kElsewhere},
                           {"from_store", "B01"},
                           {"vehicle", {{"vin", kElsewhere}}}}); // no year, no make
    m_hq.send("catalog", catalogData("Camry", "29000.00"));
    m_hq.send("staff", staffData("staff-hq-3", "kim@example.com"), "TST");
    auto r = pull();
    EXPECT_EQ(r.cursor, 5);
    EXPECT_EQ(m_client->status()->cursor, 5);

    EXPECT_EQ(rows("SELECT count(*) FROM sync_conflicts WHERE kind = 'change_not_applied' AND resolved_at IS NULL"), 3);
    EXPECT_EQ(openConflicts(), 3);
    const auto duplicate = text(m_store.conn, "SELECT message FROM sync_conflicts WHERE id = 'change:2'");
    EXPECT_NE(duplicate.find("lee@example.com"), std::string::npos) << duplicate;
    EXPECT_EQ(rows("SELECT count(*) FROM staff WHERE id = 'staff-hq-2'"), 0) << "nothing half-applied";
    EXPECT_EQ(rows("SELECT count(*) FROM vehicles WHERE vin = '" + kElsewhere + "'"), 0);
    EXPECT_EQ(rows("SELECT count(*) FROM catalog_models WHERE model = 'Camry'"), 1);
    EXPECT_EQ(rows("SELECT count(*) FROM catalog_models WHERE model = 'RAV4'"), 0);
    EXPECT_EQ(rows("SELECT count(*) FROM staff WHERE id = 'staff-hq-3'"), 1);

    // A person deals with one; pulling the page again does not reopen or duplicate it.
    ASSERT_TRUE(core::Conflicts(m_store.ctx).resolve("change:2", "asked HQ to fix Lee's e-mail"));
    ASSERT_TRUE(m_store.conn.exec("UPDATE sync_state SET value = '0' WHERE key = 'pull_cursor'"));
    pull();
    EXPECT_EQ(rows("SELECT count(*) FROM sync_conflicts"), 3);
    EXPECT_EQ(openConflicts(), 2);
}

TEST_F(ClientApply, ATransferArrivesIncomingLeavesTheNetworkListAndAPorterScanReceivesIt) {
    m_hq.send("vehicle", vehicleData(kElsewhere, "B01"), "B01");
    pull();
    ASSERT_EQ(rows("SELECT count(*) FROM network_vehicles"), 1);
    nlohmann::json sent = vehicleData(kElsewhere, "B01");
    sent["id"] = "b01-car-7";
    sent["stock_no"] = "B01-00007";
    m_hq.send("transfer", {{"transfer_id", "t-9"}, {"vin", kElsewhere}, {"from_store", "B01"}, {"vehicle", sent}},
              "TST");
    pull();
    core::Inventory inventory(m_store.ctx);
    auto incoming = inventory.find(kElsewhere);
    ASSERT_TRUE(incoming) << incoming.error().message;
    EXPECT_EQ(incoming->status, core::VehicleStatus::Incoming);
    EXPECT_EQ(incoming->id, "b01-car-7");
    EXPECT_EQ(incoming->stockNo.rfind("TST-", 0), 0u) << incoming->stockNo;
    EXPECT_EQ(incoming->price, 3'150'000);
    EXPECT_EQ(rows("SELECT count(*) FROM network_vehicles"), 0) << "it is no longer another showroom's";
    EXPECT_EQ(rows("SELECT count(*) FROM outbox WHERE type = 'vehicle.incoming' AND "
                   "json_extract(payload, '$.transfer_id') = 't-9' AND json_extract(payload, '$.vin') = '" +
                   kElsewhere + "'"),
              1);

    auto scanned = inventory.checkIn(kElsewhere, {});
    ASSERT_TRUE(scanned) << scanned.error().message;
    EXPECT_EQ(scanned->outcome, core::CheckInResult::Outcome::Received);
    EXPECT_EQ(inventory.find(kElsewhere)->status, core::VehicleStatus::InStock);
}

TEST_F(ClientApply, APriceTheStoreChangedLaterIsNotOverwrittenAndAnUnknownVinIsIgnored) {
    ASSERT_TRUE(core::Inventory(m_store.ctx).setPrice("S1", 3'999'000, "manager's special"));
    m_hq.send("price", {{"vin", kOurs}, {"price", "45000.00"}, {"hlc", kEarlierThanTheStore}}, "TST");
    m_hq.send("price", {{"vin", kElsewhere}, {"price", "1.00"}, {"hlc", kLaterThanTheStore}}, "TST");
    auto r = pull();
    EXPECT_EQ(r.cursor, 2);
    EXPECT_EQ(core::Inventory(m_store.ctx).find("S1")->price, 3'999'000);
    EXPECT_EQ(openConflicts(), 0);
    EXPECT_EQ(rows("SELECT count(*) FROM vehicles"), 1);

    // HQ's later price wins, and what the store changes next is stamped after it.
    m_hq.send("price", {{"vin", kOurs}, {"price", "38990.00"}, {"hlc", kLaterThanTheStore}}, "TST");
    pull();
    EXPECT_EQ(core::Inventory(m_store.ctx).find("S1")->price, 3'899'000);
    ASSERT_TRUE(core::Inventory(m_store.ctx).setPrice("S1", 3'799'000));
    EXPECT_GT(
        text(m_store.conn, "SELECT hlc FROM outbox WHERE type = 'vehicle.price_changed' ORDER BY seq DESC LIMIT 1"),
        kLaterThanTheStore);
}

TEST_F(ClientApply, AVinIsInOnePlaceAndThisStoresOwnCarIsNeverNetworkStock) {
    m_hq.send("vehicle", vehicleData(kElsewhere, "B01"), "B01");
    m_hq.send("vehicle", vehicleData(kElsewhere, "C02", "29990.00"), "C02");
    m_hq.send("vehicle", vehicleData(kOurs, "B01"), "B01");
    pull();
    EXPECT_EQ(test::texts(m_store.conn, "SELECT store_code FROM network_vehicles"), std::vector<std::string>{"C02"});
    EXPECT_EQ(rows("SELECT count(*) FROM network_vehicles WHERE vin = '" + kOurs + "'"), 0);
}

TEST_F(ClientApply, AStaffPinHashIsTakenOnlyWhenTheStoreCanCheckIt) {
    auto hash = core::hashPin("2580");
    ASSERT_TRUE(hash) << hash.error().message;
    m_hq.send("staff", staffData("staff-hq-4", "", *hash), "TST");
    pull();
    core::Auth auth(m_store.ctx);
    EXPECT_TRUE(auth.signIn("staff-hq-4", "2580")) << "the PIN set at HQ works here";

    // A hash the store cannot check: the rest of the account applies (here: deactivated), the PIN stays.
    auto data = staffData("staff-hq-4", "", "md5:0123456789abcdef");
    data["active"] = false;
    m_hq.send("staff", data, "TST");
    pull();
    EXPECT_EQ(rows("SELECT active FROM staff WHERE id = 'staff-hq-4'"), 0);
    EXPECT_EQ(text(m_store.conn, "SELECT pin_hash FROM staff WHERE id = 'staff-hq-4'"), *hash);
    EXPECT_EQ(openConflicts(), 1);
}

TEST_F(ClientApply, HqClosingAConflictClosesItAndOneResolvedHereStaysResolved) {
    auto conflict = [](const std::string& id, bool resolved) {
        return nlohmann::json{{"id", id},
                              {"kind", "transfer_refused"},
                              {"vin", kOurs},
                              {"deal_id", ""},
                              {"deal_no", ""},
                              {"other_store", "ZZZ"},
                              {"message", "no showroom ZZZ"},
                              {"resolved", resolved}};
    };
    m_hq.send("conflict", conflict("c-1", false));
    m_hq.send("conflict", conflict("c-2", false));
    pull();
    EXPECT_EQ(openConflicts(), 2);
    ASSERT_TRUE(core::Conflicts(m_store.ctx).resolve("c-2", "sent it to B01 instead"));
    m_hq.send("conflict", conflict("c-1", true));
    pull();
    EXPECT_EQ(openConflicts(), 0);
    ASSERT_TRUE(m_store.conn.exec("UPDATE sync_state SET value = '0' WHERE key = 'pull_cursor'"));
    pull();
    EXPECT_EQ(openConflicts(), 0);
    EXPECT_EQ(text(m_store.conn, "SELECT resolution_note FROM sync_conflicts WHERE id = 'c-2'"),
              "sent it to B01 instead");
}

} // namespace
} // namespace showroom::sync
