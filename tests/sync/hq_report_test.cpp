// `showroom-hq report`: the network-wide figures of Hq::report() on each storage backend (SQLite in a
// temp dir; PostgreSQL too when SHOWROOM_TEST_POSTGRES names one, as in hq_test.cpp: the suite is
// named HqStorage* so the ctest entry hq_storage_postgresql runs it there), and the real binary's
// `report --json`.

#include "showroom/sync/hq.hpp"

#include "sync_fixture.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace sy = showroom::sync; // `sync` would collide with POSIX sync()
using nlohmann::json;

namespace {

std::vector<std::string> backends() { return showroom::test::hqBackends(); }

/// Builds a store's events with ids of their own, as its outbox would send them.
class Batch {
public:
    explicit Batch(std::string prefix) : m_prefix(std::move(prefix)) {}

    Batch& add(const std::string& type, const std::string& entityId, const std::string& createdAt,
               json payload = json::object()) {
        sy::Event e;
        e.eventId = m_prefix + "-" + std::to_string(m_events.size() + 1);
        e.seq = static_cast<std::int64_t>(m_events.size() + 1);
        e.type = type;
        e.entity = type.substr(0, type.find('.'));
        e.entityId = entityId;
        e.payload = std::move(payload);
        e.createdAt = createdAt;
        m_events.push_back(std::move(e));
        return *this;
    }
    Batch& payment(const std::string& id, json amount, const std::string& createdAt) {
        return add("payment.received", id, createdAt, {{"deal_id", "d"}, {"amount", std::move(amount)}});
    }
    const std::vector<sy::Event>& events() const { return m_events; }

private:
    std::string m_prefix;
    std::vector<sy::Event> m_events;
};

/// Downtown: two deals signed (one signed twice), four payments whose float sum is not exact,
/// two check-ins and a sale, a lead opened and updated, between 09:00 and 17:30 on Dec 1.
Batch downtown() {
    Batch b("dtn");
    b.add("deal.created", "d1", "2026-12-01T09:30:00Z")
        .add("deal.signed", "d1", "2026-12-01T10:00:00Z")
        .add("deal.signed", "d1", "2026-12-01T10:05:00Z")
        .add("deal.signed", "d2", "2026-12-01T11:00:00Z")
        .payment("p1", "500.00", "2026-12-01T10:10:00Z")
        .payment("p2", "1234.56", "2026-12-01T11:10:00Z")
        .payment("p3", "0.10", "2026-12-01T11:11:00Z")
        .payment("p4", "0.20", "2026-12-01T11:12:00Z")
        .add("vehicle.checked_in", "v1", "2026-12-01T09:00:00Z", {{"vin", "1HGCM82633A004352"}})
        .add("vehicle.checked_in", "v2", "2026-12-01T09:01:00Z", {{"vin", "1HGCM82633A004353"}})
        .add("vehicle.sold", "v1", "2026-12-01T11:00:00Z")
        .add("lead.opened", "l1", "2026-12-01T12:00:00Z")
        .add("lead.updated", "l1", "2026-12-01T17:30:00Z");
    return b;
}

/// Uptown: one payment, two leads, on Nov 30 and Dec 2.
Batch uptown() {
    Batch b("upt");
    b.payment("p9", "99.99", "2026-11-30T08:00:00Z")
        .add("lead.opened", "l8", "2026-12-02T16:00:00Z")
        .add("lead.opened", "l9", "2026-12-02T16:30:00Z");
    return b;
}

} // namespace

class HqStorageReport : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        const std::string url = showroom::test::freshHqUrl(GetParam(), m_dir);
        ASSERT_FALSE(url.empty());
        auto storage = sy::openHqStorage(url);
        ASSERT_TRUE(storage.ok()) << storage.error().message;
        hq = std::make_unique<sy::Hq>(std::move(*storage));
        auto migrated = hq->migrate();
        ASSERT_TRUE(migrated.ok()) << migrated.error().message;
    }

    sy::StoreInfo enrol(const std::string& code) {
        auto token = hq->addStore(code, "Showroom " + code);
        EXPECT_TRUE(token.ok()) << token.error().message;
        if (!token) return {};
        auto store = hq->authenticate(*token);
        EXPECT_TRUE(store.ok() && store->has_value());
        return store.ok() && store->has_value() ? **store : sy::StoreInfo{};
    }

    void ingest(const sy::StoreInfo& store, const Batch& batch) {
        auto r = hq->ingest(store, batch.events());
        ASSERT_TRUE(r.ok()) << r.error().message;
        EXPECT_TRUE(r->rejected.empty());
    }

    sy::NetworkReport report() {
        auto r = hq->report();
        EXPECT_TRUE(r.ok()) << r.error().message;
        return r ? std::move(*r) : sy::NetworkReport{};
    }

    showroom::test::TempDir m_dir;
    std::unique_ptr<sy::Hq> hq;
};

TEST_P(HqStorageReport, AnEmptyNetworkReportsNoStoresAndZeroTotals) {
    const auto r = report();
    EXPECT_TRUE(r.stores.empty());
    EXPECT_EQ(r.total.events, 0);
    EXPECT_EQ(r.total.paymentsCents, 0);
    EXPECT_EQ(r.total.firstEventAt, "");
    EXPECT_EQ(r.total.lastEventAt, "");
}

TEST_P(HqStorageReport, FiguresPerStoreAndInTotal) {
    const auto dtn = enrol("DTN");
    const auto upt = enrol("UPT");
    enrol("NEW"); // enrolled, nothing sent yet
    ingest(dtn, downtown());
    ingest(upt, uptown());

    const auto r = report();
    ASSERT_EQ(r.stores.size(), 3u);
    EXPECT_EQ(r.stores[0].store.code, "DTN") << "ordered by code";
    EXPECT_EQ(r.stores[1].store.code, "NEW");
    EXPECT_EQ(r.stores[2].store.code, "UPT");

    const auto& d = r.stores[0].figures;
    EXPECT_EQ(d.events, 13);
    EXPECT_EQ(d.dealsSigned, 2) << "d1 signed twice is one deal";
    EXPECT_EQ(d.paymentsReceived, 4);
    EXPECT_EQ(d.paymentsCents, 173'486) << "500.00 + 1234.56 + 0.10 + 0.20, exactly";
    EXPECT_EQ(d.paymentsWithoutAmount, 0);
    EXPECT_EQ(d.vehiclesCheckedIn, 2);
    EXPECT_EQ(d.leadsOpened, 1);
    EXPECT_EQ(d.firstEventAt, "2026-12-01T09:00:00Z");
    EXPECT_EQ(d.lastEventAt, "2026-12-01T17:30:00Z");

    const auto& n = r.stores[1].figures;
    EXPECT_EQ(n.events, 0);
    EXPECT_EQ(n.paymentsReceived, 0);
    EXPECT_EQ(n.firstEventAt, "");
    EXPECT_EQ(n.lastEventAt, "");

    const auto& u = r.stores[2].figures;
    EXPECT_EQ(u.events, 3);
    EXPECT_EQ(u.dealsSigned, 0);
    EXPECT_EQ(u.paymentsReceived, 1);
    EXPECT_EQ(u.paymentsCents, 9'999);
    EXPECT_EQ(u.leadsOpened, 2);
    EXPECT_EQ(u.firstEventAt, "2026-11-30T08:00:00Z");
    EXPECT_EQ(u.lastEventAt, "2026-12-02T16:30:00Z");

    EXPECT_EQ(r.total.events, 16);
    EXPECT_EQ(r.total.dealsSigned, 2);
    EXPECT_EQ(r.total.paymentsReceived, 5);
    EXPECT_EQ(r.total.paymentsCents, 183'485);
    EXPECT_EQ(r.total.vehiclesCheckedIn, 2);
    EXPECT_EQ(r.total.leadsOpened, 3);
    EXPECT_EQ(r.total.firstEventAt, "2026-11-30T08:00:00Z");
    EXPECT_EQ(r.total.lastEventAt, "2026-12-02T16:30:00Z");
}

TEST_P(HqStorageReport, ARetriedBatchDoesNotInflateTheFigures) {
    const auto dtn = enrol("DTN");
    ingest(dtn, downtown());
    ingest(dtn, downtown()); // the reply was lost; the store sent it again
    const auto r = report();
    ASSERT_EQ(r.stores.size(), 1u);
    EXPECT_EQ(r.total.events, 13);
    EXPECT_EQ(r.total.paymentsReceived, 4);
    EXPECT_EQ(r.total.paymentsCents, 173'486);
}

TEST_P(HqStorageReport, APaymentWithoutAReadableAmountIsCountedButNotSummed) {
    const auto dtn = enrol("DTN");
    Batch b("odd");
    b.payment("p1", "250.00", "2026-12-01T10:00:00Z")
        .payment("p2", 250.5, "2026-12-01T10:01:00Z")                                 // a number, not a decimal string
        .payment("p3", "250.005", "2026-12-01T10:02:00Z")                             // more than two decimals
        .add("payment.received", "p4", "2026-12-01T10:03:00Z", {{"method", "cash"}}); // no amount
    ingest(dtn, b);
    const auto r = report();
    EXPECT_EQ(r.total.paymentsReceived, 4);
    EXPECT_EQ(r.total.paymentsCents, 25'000);
    EXPECT_EQ(r.total.paymentsWithoutAmount, 3);
}

INSTANTIATE_TEST_SUITE_P(, HqStorageReport, ::testing::ValuesIn(backends()),
                         [](const ::testing::TestParamInfo<std::string>& backend) { return backend.param; });

TEST(HqReportCli, ReportJsonGivesEachStoreAndTheTotal) {
    showroom::test::TempDir dir;
    const std::string db = "sqlite:" + dir.file("hq.db");
    {
        auto storage = sy::openHqStorage(db);
        ASSERT_TRUE(storage.ok()) << storage.error().message;
        sy::Hq hq(std::move(*storage));
        ASSERT_TRUE(hq.migrate().ok());
        for (const auto& [code, batch] : {std::pair{"DTN", downtown()}, std::pair{"UPT", uptown()}}) {
            auto token = hq.addStore(code, std::string("Showroom ") + code);
            ASSERT_TRUE(token.ok()) << token.error().message;
            auto store = hq.authenticate(*token);
            ASSERT_TRUE(store.ok() && store->has_value());
            ASSERT_TRUE(hq.ingest(**store, batch.events()).ok());
        }
    }

    const std::string command = std::string(SHOWROOM_HQ) + " report --json --db " + db + " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::string out;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe))
        out.append(buf, n);
    const int status = ::pclose(pipe);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << out;

    const auto j = json::parse(out, nullptr, false);
    ASSERT_TRUE(j.is_object()) << out;
    ASSERT_TRUE(j["stores"].is_array()) << out;
    ASSERT_EQ(j["stores"].size(), 2u) << out;
    const auto& d = j["stores"][0];
    EXPECT_EQ(d["code"], "DTN");
    EXPECT_EQ(d["name"], "Showroom DTN");
    EXPECT_EQ(d["events"], 13);
    EXPECT_EQ(d["deals_signed"], 2);
    EXPECT_EQ(d["payments_received"], 4);
    EXPECT_EQ(d["payments_amount"], "1734.86") << "a decimal string, summed in cents";
    EXPECT_EQ(d["vehicles_checked_in"], 2);
    EXPECT_EQ(d["leads_opened"], 1);
    EXPECT_EQ(d["first_event_at"], "2026-12-01T09:00:00Z");
    EXPECT_EQ(d["last_event_at"], "2026-12-01T17:30:00Z");
    EXPECT_EQ(j["stores"][1]["code"], "UPT");
    EXPECT_EQ(j["stores"][1]["payments_amount"], "99.99");

    const auto& t = j["total"];
    EXPECT_EQ(t["events"], 16);
    EXPECT_EQ(t["payments_received"], 5);
    EXPECT_EQ(t["payments_amount"], "1834.85");
    EXPECT_EQ(t["leads_opened"], 3);
    EXPECT_EQ(t["first_event_at"], "2026-11-30T08:00:00Z");
    EXPECT_EQ(t["last_event_at"], "2026-12-02T16:30:00Z");
}
