// HQ's reports over the whole network (sync/report_replica.hpp, `showroom-hq report ...`) on each
// storage backend. Two showrooms write their days with core's own services into real store databases;
// their outboxes go to HQ as the sync client sends them (Hq::ingest), and HQ's copy must then give the
// figures a person adds up by hand from what happened at both showrooms. The real `showroom-hq` binary
// prints them.

#include "showroom/core/auth.hpp"
#include "showroom/core/crm.hpp"
#include "showroom/core/deals.hpp"
#include "showroom/core/demo.hpp"
#include "showroom/core/inventory.hpp"
#include "showroom/core/reports.hpp"
#include "showroom/sync/hq.hpp"
#include "showroom/sync/report_replica.hpp"

#include "child_process.hpp"
#include "store_fixture.hpp"
#include "sync_fixture.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sy = showroom::sync;
namespace core = showroom::core;
namespace test = showroom::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const std::string kCivicA = core::demo::makeVin("2HG", 2026, 1);
const std::string kCorolla = core::demo::makeVin("2T1", 2023, 2);
const std::string kCivicC = core::demo::makeVin("2HG", 2026, 3);
const std::string kCrv = core::demo::makeVin("7FA", 2025, 4);

class NetworkReports : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        // Each showroom its own ids: test::Store seeds every store alike.
        dtn.ids = core::IdGenerator();
        air.ids = core::IdGenerator();
        m_url = test::freshHqUrl(GetParam(), m_dir);
        ASSERT_FALSE(m_url.empty());
        auto storage = sy::openHqStorage(m_url);
        ASSERT_TRUE(storage.ok()) << storage.error().message;
        hq = std::make_unique<sy::Hq>(std::move(*storage));
        ASSERT_TRUE(hq->migrate().ok());
        dtnAtHq = enrol("DTN");
        airAtHq = enrol("AIR");
    }

    sy::StoreInfo enrol(const std::string& code) {
        auto token = hq->addStore(code, code + " Showroom");
        EXPECT_TRUE(token.ok()) << token.error().message;
        auto store = hq->authenticate(token.ok() ? *token : "");
        EXPECT_TRUE(store.ok() && store->has_value());
        return store.ok() && store->has_value() ? **store : sy::StoreInfo{};
    }

    /// What the sync client sends: the store's unsent outbox, in order, in one batch.
    void push(test::Store& store, const sy::StoreInfo& at) {
        auto stmt = store.conn.prepare("SELECT seq, event_id, type, entity, entity_id, payload, created_at, hlc "
                                       "FROM outbox WHERE sent_at IS NULL ORDER BY seq");
        ASSERT_TRUE(stmt.ok());
        std::vector<sy::Event> events;
        while (stmt->step().value()) {
            sy::Event e;
            e.seq = stmt->getInt(0);
            e.eventId = stmt->getText(1);
            e.type = stmt->getText(2);
            e.entity = stmt->getText(3);
            e.entityId = stmt->getText(4);
            e.payload = json::parse(stmt->getText(5));
            e.createdAt = stmt->getText(6);
            e.hlc = stmt->getText(7);
            events.push_back(std::move(e));
        }
        for (std::size_t i = 0; i < events.size(); i += sy::kMaxBatchEvents) {
            const std::vector<sy::Event> batch(events.begin() + static_cast<std::ptrdiff_t>(i),
                                               events.begin() + static_cast<std::ptrdiff_t>(
                                                                    std::min(events.size(), i + sy::kMaxBatchEvents)));
            auto r = hq->ingest(at, batch);
            ASSERT_TRUE(r.ok()) << r.error().message;
            ASSERT_TRUE(r->rejected.empty()) << r->rejected.front().reason;
        }
        ASSERT_TRUE(store.conn.exec("UPDATE outbox SET sent_at = '2026-11-01T00:00:00Z' WHERE sent_at IS NULL").ok());
    }

    static void at(test::Store& store, const char* when) { store.clock.set(core::parseUtc(when).value()); }

    static core::Vehicle addCar(test::Store& store, const std::string& vin, const char* make, const char* model,
                                core::Condition condition, core::Cents cost, core::Cents price) {
        core::Vehicle v;
        v.vin = vin;
        v.year = condition == core::Condition::New ? 2026 : 2023;
        v.make = make;
        v.model = model;
        v.condition = condition;
        v.cost = cost;
        v.price = price;
        v.status = core::VehicleStatus::InStock;
        auto added = core::Inventory(store.ctx).add(v);
        EXPECT_TRUE(added) << added.error().message;
        return added ? *added : v;
    }

    static std::string staff(test::Store& store, const char* name) {
        auto s = core::Auth(store.ctx).addStaff(name, core::StaffRole::Sales);
        EXPECT_TRUE(s) << s.error().message;
        return s ? s->id : "";
    }

    static core::Customer customer(test::Store& store, const char* first, const char* phone) {
        core::Customer c;
        c.firstName = first;
        c.lastName = "Sample";
        c.phone = phone;
        auto added = core::Crm(store.ctx).addCustomer(c);
        EXPECT_TRUE(added) << added.error().message;
        return added ? *added : c;
    }

    /// Desks a cash deal and signs it at `when`.
    static core::Deal sell(test::Store& store, const core::Customer& buyer, const core::Vehicle& car, core::Cents price,
                           core::Cents discount, core::Cents backend, const std::optional<std::string>& lead,
                           const std::optional<std::string>& salesperson, const char* when) {
        at(store, when);
        core::finance::DealInput in;
        in.price = price;
        in.discount = discount;
        in.financed = false;
        auto deal = core::Deals(store.ctx).create(buyer.id, car.id, in, lead, salesperson, backend);
        EXPECT_TRUE(deal) << deal.error().message;
        if (!deal) return {};
        auto signed_ = core::Deals(store.ctx).sign(deal->id, std::nullopt);
        EXPECT_TRUE(signed_) << signed_.error().message;
        return signed_ ? *signed_ : *deal;
    }

    /// October at two showrooms; the figures each test expects are added up in its comments.
    void october() {
        // DTN: Ana sells the Civic A (cost 20,000) to Jo for 25,000 less 500, with 800 of back-end gross,
        // after a visit and a test drive. The Corolla (cost 15,000) arrives on 1 September and stays.
        at(dtn, "2026-09-01T09:00:00Z");
        corolla = addCar(dtn, kCorolla, "Toyota", "Corolla", core::Condition::Used, 1'500'000, 1'800'000);
        at(dtn, "2026-10-01T09:00:00Z");
        const std::string ana = staff(dtn, "Ana");
        civicA = addCar(dtn, kCivicA, "Honda", "Civic", core::Condition::New, 2'000'000, 2'500'000);
        const core::Customer jo = customer(dtn, "Jo", "555-0101");
        at(dtn, "2026-10-03T10:00:00Z");
        core::Crm crm(dtn.ctx);
        auto lead = crm.openLead(jo.id, civicA.id, ana, "web");
        ASSERT_TRUE(lead) << lead.error().message;
        at(dtn, "2026-10-05T10:00:00Z");
        ASSERT_TRUE(crm.moveLead(lead->id, core::LeadStage::Visit));
        at(dtn, "2026-10-06T10:00:00Z");
        auto drive = crm.startTestDrive(jo.id, civicA.id, lead->id, true, "D1234567", "2030-01-01", 10);
        ASSERT_TRUE(drive) << drive.error().message;
        ASSERT_TRUE(crm.finishTestDrive(drive->id, 22));
        sell(dtn, jo, civicA, 2'500'000, 50'000, 80'000, lead->id, ana, "2026-10-15T15:00:00Z");

        // AIR: Bo sells the Civic C (cost 21,000) to Kim for 26,000. Mo's lead is lost on price, and
        // Mo's follow-up, due on 30 October, is never done. The CR-V (cost 30,000) goes to DTN.
        at(air, "2026-10-01T09:00:00Z");
        const std::string bo = staff(air, "Bo");
        civicC = addCar(air, kCivicC, "Honda", "Civic", core::Condition::New, 2'100'000, 2'600'000);
        crv = addCar(air, kCrv, "Honda", "CR-V", core::Condition::New, 3'000'000, 3'500'000);
        const core::Customer kim = customer(air, "Kim", "555-0202");
        const core::Customer mo = customer(air, "Mo", "555-0303");
        at(air, "2026-10-04T11:00:00Z");
        core::Crm airCrm(air.ctx);
        auto moLead = airCrm.openLead(mo.id, std::nullopt, bo, "phone");
        ASSERT_TRUE(moLead) << moLead.error().message;
        ASSERT_TRUE(airCrm.addFollowUp(moLead->id, "2026-10-30T09:00:00Z", "call back about the price", bo));
        at(air, "2026-10-08T11:00:00Z");
        ASSERT_TRUE(airCrm.moveLead(moLead->id, core::LeadStage::Lost, "price"));
        sell(air, kim, civicC, 2'600'000, 0, 0, std::nullopt, bo, "2026-10-20T12:00:00Z");
        at(air, "2026-10-21T08:00:00Z");
        auto sent = core::Inventory(air.ctx).transferTo(crv.id, "DTN");
        ASSERT_TRUE(sent) << sent.error().message;
        // DTN hears of it (the sync client's "transfer" change) and a porter scans it in on the 22nd.
        core::Vehicle arriving = crv;
        arriving.cost = 0;
        at(dtn, "2026-10-21T12:00:00Z");
        auto incoming = core::Inventory(dtn.ctx).receiveTransfer(arriving, "transfer-1", "AIR");
        ASSERT_TRUE(incoming) << incoming.error().message;
        at(dtn, "2026-10-22T09:00:00Z");
        ASSERT_TRUE(core::Inventory(dtn.ctx).changeStatus(crv.vin, core::VehicleStatus::InStock, "scanned in"));
    }

    sy::ReportReplica copy() {
        auto r = sy::ReportReplica::open(m_dir.file("reports.db"));
        EXPECT_TRUE(r.ok()) << r.error().message;
        return std::move(*r);
    }

    static core::reports::Period october2026() { return {"2026-10-01", "2026-11-01"}; }

    test::TempDir m_dir;
    std::string m_url;
    std::unique_ptr<sy::Hq> hq;
    sy::StoreInfo dtnAtHq, airAtHq;
    test::Store dtn{"DTN"}, air{"AIR"};
    core::Vehicle corolla, civicA, civicC, crv;
};

TEST_P(NetworkReports, SalesAddUpBothShowrooms) {
    october();
    // DTN's events go up after AIR's: HQ hears of the transfer's arrival before it hears it was sent.
    push(air, airAtHq);
    push(dtn, dtnAtHq);
    auto replica = copy();
    auto caught = replica.catchUp(*hq);
    ASSERT_TRUE(caught.ok()) << caught.error().message;
    EXPECT_EQ(caught->skipped, 0);
    EXPECT_GT(caught->applied, 10);

    auto s = core::reports::sales(replica.db(), october2026());
    ASSERT_TRUE(s.ok()) << s.error().message;
    // 24,500 + 26,000 revenue; 20,000 + 21,000 cost; front 4,500 + 5,000; back 800.
    EXPECT_EQ(s->total.units, 2);
    EXPECT_EQ(s->total.revenue, 5'050'000);
    EXPECT_EQ(s->total.cost, 4'100'000);
    EXPECT_EQ(s->total.frontGross, 950'000);
    EXPECT_EQ(s->total.backGross, 80'000);
    EXPECT_EQ(s->total.totalGross, 1'030'000);
    ASSERT_EQ(s->bySalesperson.size(), 2u);
    std::map<std::string, std::int64_t> gross;
    for (const auto& p : s->bySalesperson)
        gross[p.name] = p.figures.totalGross;
    EXPECT_EQ(gross["Ana"], 530'000);
    EXPECT_EQ(gross["Bo"], 500'000);
    ASSERT_EQ(s->byModel.size(), 1u);
    EXPECT_EQ(s->byModel[0].model, "Civic");
    EXPECT_EQ(s->byModel[0].figures.units, 2);
    // One car each; AIR before DTN by code. AIR: 26,000 - 21,000. DTN: 24,500 - 20,000 + 800.
    ASSERT_EQ(s->byShowroom.size(), 2u);
    EXPECT_EQ(s->byShowroom[0].code, "AIR");
    EXPECT_EQ(s->byShowroom[0].name, "AIR Showroom");
    EXPECT_EQ(s->byShowroom[0].figures.totalGross, 500'000);
    EXPECT_EQ(s->byShowroom[1].code, "DTN");
    EXPECT_EQ(s->byShowroom[1].figures.totalGross, 530'000);
}

TEST_P(NetworkReports, StockAgingCountsATransferredCarOnceWithTheCapitalInIt) {
    october();
    push(air, airAtHq);
    push(dtn, dtnAtHq);
    auto replica = copy();
    ASSERT_TRUE(replica.catchUp(*hq).ok());
    auto aging = core::reports::aging(replica.db(), "2026-11-01T00:00:00Z");
    ASSERT_TRUE(aging.ok()) << aging.error().message;
    // In stock at midnight on 1 November: the Corolla, at DTN since 09:00 on 1 September (60 whole days,
    // 15,000), and the CR-V, scanned in at DTN at 09:00 on 22 October (9 days), with AIR's 30,000 still
    // in it. Both Civics are sold.
    EXPECT_EQ(aging->units, 2);
    EXPECT_EQ(aging->capital, 4'500'000);
    EXPECT_EQ(aging->buckets[0].units, 1);
    EXPECT_EQ(aging->buckets[0].capital, 3'000'000);
    EXPECT_EQ(aging->buckets[1].units, 1);
    EXPECT_EQ(aging->buckets[1].capital, 1'500'000);
    // Both at DTN now; AIR, having sold one Civic and sent the CR-V away, holds nothing.
    ASSERT_EQ(aging->byShowroom.size(), 1u);
    EXPECT_EQ(aging->byShowroom[0].code, "DTN");
    EXPECT_EQ(aging->byShowroom[0].capital, 4'500'000);
    EXPECT_EQ(test::count(replica.db(), "SELECT count(*) FROM vehicles WHERE vin = ?", kCrv), 1);
    EXPECT_EQ(test::count(replica.db(), "SELECT count(*) FROM vehicles v JOIN stores s ON s.id = v.store_id "
                                        "WHERE v.vin = ? AND s.code = 'DTN' AND v.status = 'in_stock'",
                          kCrv),
              1);
}

TEST_P(NetworkReports, FunnelAndFollowUpsSeeEveryShowroomsLeads) {
    october();
    push(dtn, dtnAtHq);
    push(air, airAtHq);
    auto replica = copy();
    ASSERT_TRUE(replica.catchUp(*hq).ok());
    auto funnel = core::reports::funnel(replica.db(), october2026());
    ASSERT_TRUE(funnel.ok()) << funnel.error().message;
    // Jo's lead: inquiry, visit, test drive, quote (the deal), contract (signed). Mo's: lost on price.
    EXPECT_EQ(funnel->leads, 2);
    ASSERT_EQ(funnel->lostReasons.size(), 1u);
    EXPECT_EQ(funnel->lostReasons[0].reason, "price");
    std::map<core::LeadStage, std::int64_t> reached;
    for (const auto& r : funnel->reached)
        reached[r.stage] = r.leads;
    EXPECT_EQ(reached[core::LeadStage::Inquiry], 2);
    EXPECT_EQ(reached[core::LeadStage::Visit], 1);
    EXPECT_EQ(reached[core::LeadStage::TestDrive], 1);
    EXPECT_EQ(reached[core::LeadStage::Contract], 1);

    auto due = core::reports::followUps(replica.db(), "2026-11-01T08:00:00Z");
    ASSERT_TRUE(due.ok()) << due.error().message;
    EXPECT_EQ(due->overdue, 1);
    ASSERT_EQ(due->bySalesperson.size(), 1u);
    EXPECT_EQ(due->bySalesperson[0].name, "Bo");
}

TEST_P(NetworkReports, ACatchUpReadsOnlyWhatArrivedSinceTheLast) {
    october();
    push(dtn, dtnAtHq);
    push(air, airAtHq);
    auto replica = copy();
    auto first = replica.catchUp(*hq);
    ASSERT_TRUE(first.ok());
    EXPECT_TRUE(first->rebuilt); // a new copy starts from the first event

    // November: DTN sells the Corolla (cost 15,000) for 17,000.
    const core::Customer lee = customer(dtn, "Lee", "555-0404");
    sell(dtn, lee, corolla, 1'700'000, 0, 0, std::nullopt, std::nullopt, "2026-11-03T10:00:00Z");
    const std::int64_t newEvents =
        test::count(dtn.conn, "SELECT count(*) FROM outbox WHERE sent_at IS NULL");
    push(dtn, dtnAtHq);
    auto second = replica.catchUp(*hq);
    ASSERT_TRUE(second.ok()) << second.error().message;
    EXPECT_FALSE(second->rebuilt);
    EXPECT_EQ(second->read, newEvents);
    auto s = core::reports::sales(replica.db(), {"2026-11-01", "2026-12-01"});
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->total.units, 1);
    EXPECT_EQ(s->total.frontGross, 200'000);

    auto third = replica.catchUp(*hq);
    ASSERT_TRUE(third.ok());
    EXPECT_EQ(third->read, 0);
}

TEST_P(NetworkReports, AnEventArrivingBelowWhereTheCopyStandsRebuildsIt) {
    october();
    push(dtn, dtnAtHq);
    push(air, airAtHq);
    auto replica = copy();
    ASSERT_TRUE(replica.catchUp(*hq).ok());
    // A sale DTN had quarantined reaches HQ later, with a sequence the copy has read past.
    sy::Event late;
    late.eventId = "late-1";
    late.seq = 1;
    late.type = "deal.created";
    late.entity = "deal";
    late.entityId = "late-deal";
    late.payload = {{"deal_no", "D2026-000099"}, {"customer_id", "someone"}, {"vehicle_id", corolla.id},
                    {"status", "draft"},         {"kind", "cash"},           {"price", "18000.00"}};
    late.createdAt = "2026-10-30T10:00:00Z";
    auto r = hq->ingest(dtnAtHq, {late});
    ASSERT_TRUE(r.ok() && r->accepted.size() == 1u);
    auto caught = replica.catchUp(*hq);
    ASSERT_TRUE(caught.ok()) << caught.error().message;
    EXPECT_TRUE(caught->rebuilt);
    EXPECT_EQ(test::count(replica.db(), "SELECT count(*) FROM deals WHERE deal_no = 'DTN/D2026-000099'"), 1);
    auto s = core::reports::sales(replica.db(), october2026());
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->total.units, 2); // the rebuild lost nothing it had
}

TEST_P(NetworkReports, AnEventThatCannotBeAppliedIsCountedAndTheRestStillApply) {
    october();
    push(dtn, dtnAtHq);
    sy::Event broken;
    broken.eventId = "broken-1";
    broken.seq = 100'000;
    broken.type = "deal.created";
    broken.entity = "deal";
    broken.entityId = "broken-deal";
    broken.payload = {{"deal_no", "D2026-000100"}, {"price", "not money"}};
    broken.createdAt = "2026-10-30T10:00:00Z";
    ASSERT_TRUE(hq->ingest(airAtHq, {broken}).ok());
    // A customer with a family name only is a customer (Crm::addCustomer takes either name).
    sy::Event surnameOnly;
    surnameOnly.eventId = "surname-1";
    surnameOnly.seq = 100'001;
    surnameOnly.type = "customer.added";
    surnameOnly.entity = "customer";
    surnameOnly.entityId = "cus-okafor";
    surnameOnly.payload = {{"id", "cus-okafor"}, {"first_name", ""}, {"last_name", "Okafor"}};
    surnameOnly.createdAt = "2026-10-30T11:00:00Z";
    ASSERT_TRUE(hq->ingest(airAtHq, {surnameOnly}).ok());
    push(air, airAtHq);
    auto replica = copy();
    auto caught = replica.catchUp(*hq);
    ASSERT_TRUE(caught.ok()) << caught.error().message;
    EXPECT_EQ(caught->skipped, 1);
    EXPECT_EQ(replica.skippedTotal().value(), 1);
    EXPECT_EQ(test::count(replica.db(), "SELECT count(*) FROM customers WHERE last_name = 'Okafor'"), 1);
    auto s = core::reports::sales(replica.db(), october2026());
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->total.units, 2);
}

TEST_P(NetworkReports, AShowroomDatabaseIsNeverTakenForTheCopy) {
    const std::string path = dtn.conn.path();
    const std::int64_t before = test::count(dtn.conn, "SELECT count(*) FROM stores");
    auto r = sy::ReportReplica::open(path);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("not HQ's report copy"), std::string::npos) << r.error().message;
    EXPECT_EQ(test::count(dtn.conn, "SELECT count(*) FROM stores"), before);
}

/// `showroom-hq ARGS --db URL --reports-db FILE --json`: exit code, stdout, stderr.
struct CliRun {
    int exit = -1;
    std::string out, err;
};

TEST_P(NetworkReports, TheCommandPrintsTheNetworksReports) {
    october();
    push(dtn, dtnAtHq);
    push(air, airAtHq);
    auto hqCli = [&](std::vector<std::string> args) {
        std::vector<std::string> argv = {SHOWROOM_HQ};
        argv.insert(argv.end(), args.begin(), args.end());
        argv.insert(argv.end(), {"--db", m_url, "--reports-db", m_dir.file("cli-reports.db")});
        const std::string out = m_dir.file("cli.out"), err = m_dir.file("cli.err");
        CliRun r;
        const pid_t pid = test::spawnToFiles(argv, out, err);
        if (pid < 0) return r;
        r.exit = test::waitForExit(pid, 60s).value_or(-1);
        r.out = test::readFile(out);
        r.err = test::readFile(err);
        return r;
    };
    CliRun sales = hqCli({"report", "sales", "--json", "--from", "2026-10-01", "--to", "2026-10-31"});
    ASSERT_EQ(sales.exit, 0) << sales.err;
    const json j = json::parse(sales.out, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << sales.out;
    EXPECT_EQ(j["total"]["units"], 2);
    EXPECT_EQ(j["total"]["total_gross"], "10300.00");
    EXPECT_EQ(j["period"]["from"], "2026-10-01");
    ASSERT_EQ(j["by_showroom"].size(), 2u);
    EXPECT_EQ(j["by_showroom"][0]["code"], "AIR");
    EXPECT_EQ(j["by_showroom"][1]["total_gross"], "5300.00");
    CliRun text = hqCli({"report", "sales", "--from", "2026-10-01", "--to", "2026-10-31"});
    ASSERT_EQ(text.exit, 0) << text.err;
    EXPECT_NE(text.out.find("DTN Showroom"), std::string::npos) << text.out;

    CliRun aging = hqCli({"report", "aging", "--csv", "--as-of", "2026-11-01"});
    ASSERT_EQ(aging.exit, 0) << aging.err;
    EXPECT_NE(aging.out.find("Honda,CR-V"), std::string::npos) << aging.out;

    // The monthly PDF names the whole network, in its language.
    for (const auto& [language, heading] : {std::pair<std::string, std::string>{"en", "All showrooms"},
                                            std::pair<std::string, std::string>{"zh-CN", "全部展厅"}}) {
        const std::string file = m_dir.file("network-" + language + ".pdf");
        CliRun pdf = hqCli({"report", "pdf", "--month", "2026-10", "--lang", language, "--out", file});
        ASSERT_EQ(pdf.exit, 0) << pdf.err;
        const std::string words = m_dir.file("network-" + language + ".txt");
        const pid_t pid = test::spawnToFiles({"/usr/bin/pdftotext", "-enc", "UTF-8", file, words},
                                             m_dir.file("pdftotext.out"), m_dir.file("pdftotext.err"));
        ASSERT_GT(pid, 0);
        ASSERT_EQ(test::waitForExit(pid, 30s).value_or(-1), 0) << test::readFile(m_dir.file("pdftotext.err"));
        EXPECT_NE(test::readFile(words).find(heading), std::string::npos) << test::readFile(words);
    }

    CliRun bad = hqCli({"report", "sales", "--from", "2026-13-01"});
    EXPECT_EQ(bad.exit, 2);
    EXPECT_NE(bad.err.find("--from"), std::string::npos) << bad.err;

    // The activity summary is still `report` alone.
    CliRun activity = hqCli({"report", "--json"});
    ASSERT_EQ(activity.exit, 0) << activity.err;
    EXPECT_EQ(json::parse(activity.out)["total"]["deals_signed"], 2);
}

INSTANTIATE_TEST_SUITE_P(, NetworkReports, ::testing::ValuesIn(test::hqBackends()),
                         [](const ::testing::TestParamInfo<std::string>& backend) { return backend.param; });

} // namespace
