// The network end to end: real showroom databases written by core's services, the sync client over
// real TLS to an HQ server on 127.0.0.1 (on SQLite, or PostgreSQL under sync_integration_postgresql),
// and HQ's own data entered with the real `showroom-hq` binary. What a person at each end sees:
// a car sold at two showrooms, HQ's staff, prices and catalog arriving, a transfer received by a
// porter's scan, the same customer at two showrooms.

#include "showroom/core/auth.hpp"
#include "showroom/core/crm.hpp"
#include "showroom/core/deals.hpp"
#include "showroom/core/demo.hpp"
#include "showroom/core/inventory.hpp"
#include "showroom/core/network.hpp"
#include "showroom/sync/client.hpp"
#include "showroom/sync/hq_server.hpp"

#include "child_process.hpp"
#include "sync_fixture.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace showroom::sync {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const std::string kVin = core::demo::makeVin("1HG", 2025, 11);

struct CliRun {
    int exit = -1;
    std::string out, err;
};

class NetworkSync : public ::testing::Test {
protected:
    void SetUp() override {
        // Each showroom its own ids (test::Store seeds every store alike): HQ would take one
        // showroom's events for another's duplicates.
        m_dtn.ids = core::IdGenerator();
        m_air.ids = core::IdGenerator();
        m_lke.ids = core::IdGenerator();
        m_cert = m_hqDir.file("cert.pem");
        m_key = m_hqDir.file("key.pem");
        ASSERT_TRUE(test::makeLocalhostCertificate(m_cert, m_key));
        m_storage = test::integrationHqUrl(m_hqDir);
        ASSERT_FALSE(m_storage.empty());
        m_tokens["DTN"] = test::enrol(m_storage, "DTN");
        m_tokens["AIR"] = test::enrol(m_storage, "AIR");
        m_tokens["LKE"] = test::enrol(m_storage, "LKE");
        auto server = HqServer::start({m_storage, "127.0.0.1", 0, m_cert, m_key, /*insecure*/ false});
        ASSERT_TRUE(server) << server.error().message;
        m_server = std::move(*server);
    }

    /// What the sync client's loop does for `store`: everything up, everything down, and up again
    /// what applying HQ's changes recorded (a transfer's arrival).
    void sync(test::Store& store, const std::string& code) {
        auto client = SyncClient::open(store.conn.path(), {m_server->url(), m_tokens.at(code), m_cert, false, 10'000});
        ASSERT_TRUE(client) << client.error().message;
        auto pushed = (*client)->push();
        ASSERT_TRUE(pushed) << pushed.error().message;
        auto pulled = (*client)->pull();
        ASSERT_TRUE(pulled) << pulled.error().message;
        auto again = (*client)->push();
        ASSERT_TRUE(again) << again.error().message;
        EXPECT_EQ(test::unsent(store), 0) << code;
    }

    /// `showroom-hq ARGS --db <HQ's database> --json`.
    CliRun hq(std::vector<std::string> args) {
        std::vector<std::string> argv = {SHOWROOM_HQ};
        argv.insert(argv.end(), args.begin(), args.end());
        argv.insert(argv.end(), {"--db", m_storage, "--json"});
        const std::string out = m_hqDir.file("cli.out"), err = m_hqDir.file("cli.err");
        const pid_t pid = test::spawnToFiles(argv, out, err);
        CliRun r;
        if (pid < 0) {
            ADD_FAILURE() << "cannot start " << SHOWROOM_HQ;
            return r;
        }
        r.exit = test::waitForExit(pid, 30s).value_or(-1);
        r.out = test::readFile(out);
        r.err = test::readFile(err);
        return r;
    }

    json hqJson(std::vector<std::string> args) {
        const CliRun r = hq(args);
        EXPECT_EQ(r.exit, 0) << r.err;
        json j = json::parse(r.out, nullptr, false);
        EXPECT_FALSE(j.is_discarded()) << r.out;
        return j;
    }

    static core::Vehicle car(const std::string& vin) {
        core::Vehicle v;
        v.vin = vin;
        v.year = 2025;
        v.make = "Honda";
        v.model = "Accord";
        v.trim = "EX";
        v.price = 3'199'000;
        v.cost = 2'800'000;
        v.status = core::VehicleStatus::InStock;
        return v;
    }

    static void addCar(test::Store& store, const std::string& vin) {
        auto added = core::Inventory(store.ctx).add(car(vin));
        ASSERT_TRUE(added) << added.error().message;
    }

    static core::Customer addCustomer(test::Store& store, const std::string& first, const std::string& phone,
                                      const std::string& email = "") {
        core::Customer c;
        c.firstName = first;
        c.lastName = "Lee";
        c.phone = phone;
        c.email = email;
        auto added = core::Crm(store.ctx).addCustomer(c);
        EXPECT_TRUE(added) << added.error().message;
        return added ? *added : c;
    }

    /// Desks and signs a cash deal for `vin` at `store`.
    static core::Deal sell(test::Store& store, const std::string& vin, const std::string& buyer) {
        const core::Customer c = addCustomer(store, buyer, "555-0100-" + buyer.substr(0, 3));
        core::finance::DealInput in;
        in.price = 3'199'000;
        in.docFee = 49'900;
        in.tax.rate = core::Rate{62'500};
        in.financed = false;
        core::Deals deals(store.ctx);
        auto deal = deals.create(c.id, vin, in);
        EXPECT_TRUE(deal) << deal.error().message;
        if (!deal) return {};
        auto signedDeal = deals.sign(deal->id);
        EXPECT_TRUE(signedDeal) << signedDeal.error().message;
        return signedDeal ? *signedDeal : *deal;
    }

    test::TempDir m_hqDir;
    std::string m_cert, m_key, m_storage;
    std::map<std::string, std::string> m_tokens;
    std::unique_ptr<HqServer> m_server;
    test::Store m_dtn{"DTN"}, m_air{"AIR"}, m_lke{"LKE"};
};

TEST_F(NetworkSync, TheFirstCommittedSaleWinsAndTheOtherShowroomsDealIsFlaggedNotDeleted) {
    // The same car is on both showrooms' books (a transfer checked in before the sender's sale
    // synced) and both sell it while offline.
    addCar(m_dtn, kVin);
    addCar(m_air, kVin);
    const core::Deal dtnDeal = sell(m_dtn, kVin, "Ann");
    const core::Deal airDeal = sell(m_air, kVin, "Bob");
    sync(m_dtn, "DTN"); // DTN reaches HQ first: its sale wins
    sync(m_air, "AIR");

    core::Conflicts airConflicts(m_air.ctx);
    auto flagged = airConflicts.openConflictFor(airDeal.id);
    ASSERT_TRUE(flagged) << flagged.error().message;
    ASSERT_TRUE(flagged->has_value()) << "AIR's deal should be flagged";
    EXPECT_EQ((*flagged)->kind, "vehicle_sold_elsewhere");
    EXPECT_EQ((*flagged)->otherStore, "DTN");
    EXPECT_EQ((*flagged)->vin, kVin);
    // Flagged, not deleted: the deal is still signed at AIR, and DTN has nothing to do.
    auto stillThere = core::Deals(m_air.ctx).find(airDeal.id);
    ASSERT_TRUE(stillThere) << stillThere.error().message;
    EXPECT_EQ(stillThere->status, core::DealStatus::Signed);
    sync(m_dtn, "DTN");
    auto dtnOpen = core::Conflicts(m_dtn.ctx).list();
    ASSERT_TRUE(dtnOpen);
    EXPECT_TRUE(dtnOpen->empty());
    auto dtnFlag = core::Conflicts(m_dtn.ctx).openConflictFor(dtnDeal.id);
    ASSERT_TRUE(dtnFlag);
    EXPECT_FALSE(dtnFlag->has_value());

    // HQ lists it for a person.
    json open = hqJson({"conflicts"});
    ASSERT_EQ(open.size(), 1u) << open.dump();
    EXPECT_EQ(open[0].value("store", ""), "AIR");
    EXPECT_EQ(open[0].value("deal_no", ""), airDeal.dealNo);

    // AIR's manager cancels the deal; HQ closes the conflict and AIR hears so.
    auto cancelled = core::Deals(m_air.ctx).cancel(airDeal.id, "car sold at Downtown first");
    ASSERT_TRUE(cancelled) << cancelled.error().message;
    sync(m_air, "AIR");
    EXPECT_TRUE(hqJson({"conflicts"}).empty());
    auto airOpen = airConflicts.list();
    ASSERT_TRUE(airOpen);
    EXPECT_TRUE(airOpen->empty());
    EXPECT_EQ(hqJson({"conflicts", "--all"}).size(), 1u);
}

TEST_F(NetworkSync, HqsStaffPricesAndCatalogReachTheShowroomsTheyAreFor) {
    addCar(m_dtn, kVin);
    sync(m_dtn, "DTN");

    const json staff = hqJson({"staff", "add", "Mia Park", "--role", "sales", "--store", "DTN", "--pin", "4826"});
    const std::string staffId = staff.value("id", "");
    ASSERT_FALSE(staffId.empty());
    hqJson({"price", "set", kVin, "29990"});
    const std::string csv = m_hqDir.file("catalog.csv");
    std::ofstream(csv) << "year,make,model,trim,body,fuel,drivetrain,msrp,features\n"
                          "2025,Honda,Accord,EX,Sedan,Gasoline,FWD,33990,Sunroof; Heated seats\n";
    EXPECT_EQ(hqJson({"catalog", "import", csv}).value("stored", 0), 1);

    sync(m_dtn, "DTN");
    sync(m_air, "AIR");

    // Mia signs in at DTN with the PIN HQ set; AIR has no such account.
    auto signedIn = core::Auth(m_dtn.ctx).signIn(staffId, "4826");
    ASSERT_TRUE(signedIn) << signedIn.error().message;
    EXPECT_EQ(signedIn->name, "Mia Park");
    EXPECT_FALSE(core::Auth(m_air.ctx).member(staffId));
    // The car carries HQ's price.
    auto v = core::Inventory(m_dtn.ctx).find(kVin);
    ASSERT_TRUE(v) << v.error().message;
    EXPECT_EQ(v->price, 2'999'000);
    // Both showrooms have the catalog line, and a porter's check-in uses its MSRP.
    for (auto* store : {&m_dtn, &m_air}) {
        auto lines = core::listCatalog(store->conn, "honda");
        ASSERT_TRUE(lines);
        ASSERT_EQ(lines->size(), 1u);
        EXPECT_EQ(lines->front().msrp, 3'399'000);
    }
    core::CheckInDetails d;
    d.year = 2025;
    d.model = "Accord";
    d.trim = "EX";
    d.price = 3'299'000;
    auto checkedIn = core::Inventory(m_air.ctx).checkIn(core::demo::makeVin("1HG", 2025, 12), d);
    ASSERT_TRUE(checkedIn) << checkedIn.error().message;
    EXPECT_EQ(checkedIn->vehicle.msrp, 3'399'000);
    EXPECT_EQ(checkedIn->vehicle.body, "Sedan");

    // Bad input at HQ is refused with exit code 2 and sends nothing.
    EXPECT_EQ(hq({"staff", "add", "X", "--role", "boss", "--store", "DTN", "--pin", "4826"}).exit, 2);
    EXPECT_EQ(hq({"price", "set", kVin, "lots"}).exit, 2);
    EXPECT_EQ(hq({"price", "set", "1HGCM82633A004352", "100"}).exit, 2);
}

TEST_F(NetworkSync, ATransferCrossesTheNetworkAndAPortersScanReceivesIt) {
    addCar(m_dtn, kVin);
    sync(m_dtn, "DTN");
    sync(m_lke, "LKE");
    EXPECT_EQ(test::text(m_lke.conn, "SELECT store_code FROM network_vehicles WHERE vin = ?", kVin), "DTN");

    auto sent = core::Inventory(m_dtn.ctx).transferTo(kVin, "AIR");
    ASSERT_TRUE(sent) << sent.error().message;
    sync(m_dtn, "DTN");
    sync(m_air, "AIR");
    auto incoming = core::Inventory(m_air.ctx).find(kVin);
    ASSERT_TRUE(incoming) << incoming.error().message;
    EXPECT_EQ(incoming->status, core::VehicleStatus::Incoming);
    EXPECT_EQ(incoming->model, "Accord");
    EXPECT_EQ(incoming->cost, 0) << "the sender's cost does not travel";

    auto received = core::Inventory(m_air.ctx).checkIn(kVin, {});
    ASSERT_TRUE(received) << received.error().message;
    EXPECT_EQ(received->outcome, core::CheckInResult::Outcome::Received);
    sync(m_air, "AIR");
    sync(m_lke, "LKE");

    // LKE's kiosk now shows the car at AIR, in stock, and nowhere else.
    EXPECT_EQ(test::count(m_lke.conn, "SELECT count(*) FROM network_vehicles WHERE vin = ?", kVin), 1);
    EXPECT_EQ(test::text(m_lke.conn, "SELECT store_code FROM network_vehicles WHERE vin = ?", kVin), "AIR");
    EXPECT_EQ(test::text(m_lke.conn, "SELECT json_extract(data, '$.status') FROM network_vehicles WHERE vin = ?", kVin),
              "in_stock");
    const json transfers = hqJson({"transfers"});
    ASSERT_EQ(transfers.size(), 1u);
    EXPECT_EQ(transfers[0].value("status", ""), "received");
    EXPECT_EQ(transfers[0].value("from", ""), "DTN");
    EXPECT_EQ(transfers[0].value("to", ""), "AIR");
}

TEST_F(NetworkSync, TheSameCustomerAtTwoShowroomsIsOnePersonAtHq) {
    addCustomer(m_dtn, "Ann", "(555) 010-2000");
    addCustomer(m_air, "Ann", "555.010.2000", "ann@example.com");
    addCustomer(m_lke, "Bo", "555-999-0000");
    sync(m_dtn, "DTN");
    sync(m_air, "AIR");
    sync(m_lke, "LKE");
    const json ann = hqJson({"customer", "find", "+1 555 010 2000"});
    ASSERT_EQ(ann["records"].size(), 2u) << ann.dump();
    EXPECT_EQ(hqJson({"customer", "find", "ANN@example.com"}).value("id", ""), ann.value("id", "?"));
    EXPECT_EQ(hq({"customer", "find", "nobody@example.com"}).exit, 2);
}

} // namespace
} // namespace showroom::sync
