// `showroom report ...` as a manager's script runs it: the real binary in a child process over a demo store,
// its JSON compared with what core/reports.hpp and core/analytics.hpp compute on the same file, its CSV read
// back with core's CSV reader, bad dates refused with exit 2, and the monthly PDF checked by qpdf and
// pdftotext.
#include "temp_dir.hpp"

#include "showroom/core/analytics.hpp"
#include "showroom/core/clock.hpp"
#include "showroom/core/csv.hpp"
#include "showroom/core/money.hpp"
#include "showroom/core/reports.hpp"
#include "showroom/core/store.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

namespace {

namespace core = showroom::core;
namespace reports = showroom::core::reports;
namespace analytics = showroom::core::analytics;
using showroom::test::readFile;
using showroom::test::TempDir;

struct Outcome {
    int exit = -1;
    std::string out, err;
    nlohmann::json json() const { return nlohmann::json::parse(out); }
};

std::string shellQuote(const std::string& s) {
    std::string q = "'";
    for (char c : s)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

// One demo store for every test: the reports only read it.
class ReportCli : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_dir = std::make_unique<TempDir>();
        s_db = s_dir->file("demo.db");
        auto seeded =
            runIn(*s_dir, {"--db", s_db, "demo", "seed", "--vehicles", "240", "--seed", "11", "--as-of", "2026-11-01"});
        ASSERT_EQ(seeded.exit, 0) << seeded.err;
    }
    static void TearDownTestSuite() { s_dir.reset(); }

    static Outcome runIn(const TempDir& dir, const std::vector<std::string>& args) {
        std::string cmd = shellQuote(SHOWROOM_CLI);
        for (const auto& a : args)
            cmd += " " + shellQuote(a);
        return shellIn(dir, cmd);
    }
    static Outcome shellIn(const TempDir& dir, std::string cmd) {
        cmd += " > " + shellQuote(dir.file("out")) + " 2> " + shellQuote(dir.file("err")) + " < /dev/null";
        const int status = std::system(cmd.c_str());
        Outcome r;
        r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        r.out = readFile(dir.file("out"));
        r.err = readFile(dir.file("err"));
        return r;
    }

    Outcome run(std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", s_db});
        return runIn(dir, args);
    }
    Outcome shell(const std::string& cmd) { return shellIn(dir, cmd); }

    // The demo store opened the way the CLI opens it, to ask core for the same figures.
    static core::db::Connection store() { return core::openStore(s_db).value(); }

    TempDir dir;
    static std::unique_ptr<TempDir> s_dir;
    static std::string s_db;
};

std::unique_ptr<TempDir> ReportCli::s_dir;
std::string ReportCli::s_db;

std::vector<std::vector<std::string>> readCsv(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    core::csv::Reader reader(text);
    while (auto record = reader.next()) {
        EXPECT_TRUE(record->error.empty()) << "line " << record->line << ": " << record->error;
        rows.push_back(record->fields);
    }
    return rows;
}

// Rows of a CSV as maps keyed by the header row.
std::vector<std::map<std::string, std::string>> csvRecords(const std::string& text) {
    auto rows = readCsv(text);
    std::vector<std::map<std::string, std::string>> out;
    if (rows.empty()) return out;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i].size(), rows[0].size()) << "row " << i;
        std::map<std::string, std::string> m;
        for (std::size_t c = 0; c < rows[0].size() && c < rows[i].size(); ++c)
            m[rows[0][c]] = rows[i][c];
        out.push_back(std::move(m));
    }
    return out;
}

const std::regex kMoney(R"(-?\d+\.\d\d)");

void expectFigures(const nlohmann::json& j, const reports::SalesFigures& f, const std::string& where) {
    EXPECT_EQ(j["units"], f.units) << where;
    for (const auto& [key, cents] : std::vector<std::pair<std::string, core::Cents>>{{"revenue", f.revenue},
                                                                                     {"cost", f.cost},
                                                                                     {"recon", f.recon},
                                                                                     {"front_gross", f.frontGross},
                                                                                     {"back_gross", f.backGross},
                                                                                     {"total_gross", f.totalGross}}) {
        ASSERT_TRUE(j[key].is_string()) << where << " " << key;
        EXPECT_TRUE(std::regex_match(j[key].get<std::string>(), kMoney)) << j[key];
        EXPECT_EQ(j[key], core::formatCents(cents)) << where << " " << key;
    }
}

const std::vector<std::string> kOctober = {"--from", "2026-10-01", "--to", "2026-10-31"};

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

// ---- sales ------------------------------------------------------------------------------------------------------

TEST_F(ReportCli, SalesJsonHasTheFiguresCoreComputesForThePeriod) {
    auto r = run(with({"report", "sales", "--json", "--by", "week"}, kOctober));
    ASSERT_EQ(r.exit, 0) << r.err;
    const auto j = r.json();
    for (const char* key : {"period", "by", "total", "by_time", "by_salesperson", "by_model", "by_condition"})
        EXPECT_TRUE(j.contains(key)) << key;
    EXPECT_EQ(j["period"], (nlohmann::json{{"from", "2026-10-01"}, {"to", "2026-10-31"}, {"days", 31}}));
    EXPECT_EQ(j["by"], "week");

    auto db = store();
    auto expected = reports::sales(db, {"2026-10-01", "2026-11-01"}, reports::Granularity::Week).value();
    ASSERT_GT(expected.total.units, 0) << "the demo sold nothing in October";
    expectFigures(j["total"], expected.total, "total");
    ASSERT_EQ(j["by_time"].size(), expected.byTime.size());
    std::int64_t units = 0;
    for (std::size_t i = 0; i < expected.byTime.size(); ++i) {
        EXPECT_EQ(j["by_time"][i]["bucket"], expected.byTime[i].bucket);
        EXPECT_EQ(j["by_time"][i]["start"], expected.byTime[i].start);
        expectFigures(j["by_time"][i], expected.byTime[i].figures, expected.byTime[i].bucket);
        units += j["by_time"][i]["units"].get<std::int64_t>();
    }
    EXPECT_EQ(units, expected.total.units) << "the weeks add up to the total";
    EXPECT_EQ(j["by_time"][0]["bucket"], "2026-W40") << "the week of Thursday 1 October";
    ASSERT_EQ(j["by_model"].size(), expected.byModel.size());
    for (std::size_t i = 0; i < expected.byModel.size(); ++i) {
        EXPECT_EQ(j["by_model"][i]["make"], expected.byModel[i].make);
        expectFigures(j["by_model"][i], expected.byModel[i].figures, expected.byModel[i].model);
    }
    ASSERT_EQ(j["by_salesperson"].size(), expected.bySalesperson.size());
    for (std::size_t i = 0; i < expected.bySalesperson.size(); ++i) {
        EXPECT_EQ(j["by_salesperson"][i]["staff_id"], expected.bySalesperson[i].staffId);
        EXPECT_EQ(j["by_salesperson"][i]["name"], expected.bySalesperson[i].name);
    }
    ASSERT_EQ(j["by_condition"].size(), 3u);
    EXPECT_EQ(j["by_condition"][0]["condition"], "new");
}

TEST_F(ReportCli, SalesCsvReadsBackToTheJsonFigures) {
    auto json = run(with({"report", "sales", "--json"}, kOctober)).json();
    auto r = run(with({"report", "sales", "--csv"}, kOctober));
    ASSERT_EQ(r.exit, 0) << r.err;
    const auto rows = readCsv(r.out);
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(rows[0], (std::vector<std::string>{"section", "bucket", "start", "staff_id", "salesperson", "make",
                                                 "model", "condition", "showroom", "units", "revenue", "cost", "recon",
                                                 "front_gross", "back_gross", "total_gross"}));
    const auto records = csvRecords(r.out);
    std::map<std::string, std::size_t> sections;
    for (const auto& rec : records)
        ++sections[rec.at("section")];
    EXPECT_EQ(sections["total"], 1u);
    EXPECT_EQ(sections["day"], json["by_time"].size());
    EXPECT_EQ(sections["day"], 31u);
    EXPECT_EQ(sections["salesperson"], json["by_salesperson"].size());
    EXPECT_EQ(sections["model"], json["by_model"].size());
    EXPECT_EQ(sections["condition"], 3u);
    EXPECT_EQ(sections["showroom"], json["by_showroom"].size());
    const auto& total = records.front();
    EXPECT_EQ(total.at("section"), "total");
    for (const char* key : {"revenue", "cost", "recon", "front_gross", "back_gross", "total_gross"})
        EXPECT_EQ(total.at(key), json["total"][key]) << key;
    EXPECT_EQ(total.at("units"), std::to_string(json["total"]["units"].get<std::int64_t>()));
    // Each model row names its make and model in their own columns, as the JSON does.
    for (std::size_t i = 0, m = 0; i < records.size(); ++i)
        if (records[i].at("section") == "model") {
            EXPECT_EQ(records[i].at("make"), json["by_model"][m]["make"]);
            EXPECT_EQ(records[i].at("model"), json["by_model"][m]["model"]);
            ++m;
        }
}

TEST_F(ReportCli, SalesPrintsATableForPeople) {
    auto r = run(with({"report", "sales", "--by", "month"}, kOctober));
    ASSERT_EQ(r.exit, 0) << r.err;
    EXPECT_NE(r.out.find("Sales 2026-10-01 to 2026-10-31: "), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Total gross"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("2026-10  2026-10-01"), std::string::npos) << r.out;
}

TEST_F(ReportCli, WithoutDatesTheReportIsTheCurrentMonthToDate) {
    auto r = run({"report", "sales", "--json"});
    ASSERT_EQ(r.exit, 0) << r.err;
    const std::string today = core::formatDate(static_cast<core::UnixSeconds>(std::time(nullptr)));
    EXPECT_EQ(r.json()["period"]["from"], today.substr(0, 8) + "01");
    EXPECT_EQ(r.json()["period"]["to"], today);
    EXPECT_EQ(r.json()["by"], "day");
}

// ---- funnel, aging, rfm, forecast, follow-ups ---------------------------------------------------------------------

TEST_F(ReportCli, FunnelJsonAndCsvAgreeWithCore) {
    auto r = run(with({"report", "funnel", "--json"}, kOctober));
    ASSERT_EQ(r.exit, 0) << r.err;
    const auto j = r.json();
    for (const char* key : {"period", "leads", "by_source", "by_stage", "reached", "conversions", "days_in_stage",
                            "test_drive", "lost_reasons"})
        EXPECT_TRUE(j.contains(key)) << key;
    auto db = store();
    const auto expected = reports::funnel(db, {"2026-10-01", "2026-11-01"}).value();
    ASSERT_GT(expected.leads, 0);
    EXPECT_EQ(j["leads"], expected.leads);
    ASSERT_EQ(j["by_stage"].size(), 8u);
    ASSERT_EQ(j["conversions"].size(), 5u);
    for (std::size_t i = 0; i < expected.conversions.size(); ++i) {
        const auto& c = expected.conversions[i];
        EXPECT_EQ(j["conversions"][i]["from"], core::toString(c.from));
        EXPECT_EQ(j["conversions"][i]["reached_to"], c.reachedTo);
        if (c.rate) {
            EXPECT_DOUBLE_EQ(j["conversions"][i]["rate"].get<double>(), *c.rate);
        } else {
            EXPECT_TRUE(j["conversions"][i]["rate"].is_null());
        }
    }
    EXPECT_EQ(j["test_drive"]["customers"], expected.testDriveCustomers);
    EXPECT_EQ(j["test_drive"]["sold"], expected.testDriveCustomersSold);

    auto csv = run(with({"report", "funnel", "--csv"}, kOctober));
    ASSERT_EQ(csv.exit, 0) << csv.err;
    std::int64_t now = 0;
    std::size_t stages = 0;
    for (const auto& rec : csvRecords(csv.out)) {
        if (rec.at("section") == "total") {
            EXPECT_EQ(rec.at("leads"), std::to_string(expected.leads));
        }
        if (rec.at("section") != "stage") continue;
        ++stages;
        now += std::stoll(rec.at("leads"));
        if (rec.at("name") == "inquiry") {
            EXPECT_EQ(rec.at("reached"), std::to_string(expected.reached[0].leads));
        }
    }
    EXPECT_EQ(stages, 8u);
    EXPECT_EQ(now, expected.leads) << "every lead of the cohort is at exactly one stage now";
}

TEST_F(ReportCli, AgingBucketsAddUpAndMatchCore) {
    auto r = run(with({"report", "aging", "--json", "--as-of", "2026-11-01"}, kOctober));
    ASSERT_EQ(r.exit, 0) << r.err;
    const auto j = r.json();
    for (const char* key : {"as_of", "units", "capital", "buckets", "by_model", "turn"})
        EXPECT_TRUE(j.contains(key)) << key;
    EXPECT_EQ(j["as_of"], "2026-11-01T00:00:00Z");
    auto db = store();
    const auto expected = reports::aging(db, "2026-11-01").value();
    ASSERT_GT(expected.units, 0);
    EXPECT_EQ(j["units"], expected.units);
    EXPECT_EQ(j["capital"], core::formatCents(expected.capital));
    ASSERT_EQ(j["buckets"].size(), 4u);
    std::int64_t units = 0;
    for (const auto& b : j["buckets"])
        units += b["units"].get<std::int64_t>();
    EXPECT_EQ(units, expected.units);
    EXPECT_TRUE(j["buckets"][3]["to_days"].is_null());
    EXPECT_EQ(j["buckets"][3]["from_days"], 91);
    const auto turn = reports::turnRate(db, {"2026-10-01", "2026-11-01"}).value();
    EXPECT_EQ(j["turn"]["units_sold"], turn.unitsSold);
    EXPECT_DOUBLE_EQ(j["turn"]["average_inventory"].get<double>(), turn.averageInventory);

    auto csv = run({"report", "aging", "--csv", "--as-of", "2026-11-01"});
    ASSERT_EQ(csv.exit, 0) << csv.err;
    const auto records = csvRecords(csv.out);
    ASSERT_EQ(records.size(), 1 + expected.byModel.size() + expected.byShowroom.size());
    EXPECT_EQ(records[0].at("section"), "total");
    EXPECT_EQ(records[0].at("units"), std::to_string(expected.units));
    EXPECT_EQ(records[0].at("units_91_plus"), std::to_string(expected.buckets[3].units));
    EXPECT_EQ(records[1].at("make"), expected.byModel[0].make);
    EXPECT_EQ(records[1].at("capital"), core::formatCents(expected.byModel[0].capital));
    // The demo database keeps three showrooms' stock; a showroom's report lists its own.
    ASSERT_EQ(expected.byShowroom.size(), 1u);
    ASSERT_EQ(j["by_showroom"].size(), 1u);
    std::int64_t byShowroom = 0;
    for (const auto& rec : records)
        if (rec.at("section") == "showroom") byShowroom += std::stoll(rec.at("units"));
    EXPECT_EQ(byShowroom, expected.units);
}

TEST_F(ReportCli, RfmListsEveryBuyerInExactlyOneSegment) {
    auto r = run({"report", "rfm", "--json", "--as-of", "2026-11-01"});
    ASSERT_EQ(r.exit, 0) << r.err;
    const auto j = r.json();
    auto db = store();
    const auto expected = analytics::rfm(db, "2026-11-01").value();
    ASSERT_GT(expected.customers, 0);
    EXPECT_EQ(j["customers"], expected.customers);
    ASSERT_EQ(j["segments"].size(), analytics::allSegments().size());
    std::int64_t listed = 0;
    for (const auto& s : j["segments"]) {
        EXPECT_EQ(s["count"], s["customers"].size());
        listed += s["count"].get<std::int64_t>();
        for (const auto& c : s["customers"]) {
            for (const char* key : {"customer_id", "name", "recency_days", "frequency", "monetary", "r", "f", "m"})
                ASSERT_TRUE(c.contains(key)) << key;
            EXPECT_TRUE(std::regex_match(c["monetary"].get<std::string>(), kMoney));
        }
    }
    EXPECT_EQ(listed, expected.customers);

    auto csv = run({"report", "rfm", "--csv", "--as-of", "2026-11-01"});
    ASSERT_EQ(csv.exit, 0) << csv.err;
    EXPECT_EQ(csvRecords(csv.out).size(), static_cast<std::size_t>(expected.customers));

    auto one = run({"report", "rfm", "--json", "--as-of", "2026-11-01", "--segment", "champions"});
    ASSERT_EQ(one.exit, 0) << one.err;
    ASSERT_EQ(one.json()["segments"].size(), 1u);
    EXPECT_EQ(one.json()["segments"][0]["segment"], "champions");
}

TEST_F(ReportCli, ForecastsTheDemosEighteenMonthsAsATrendWithoutASeason) {
    auto r = run({"report", "forecast", "--json", "--as-of", "2026-11-01"});
    ASSERT_EQ(r.exit, 0) << r.err;
    const auto j = r.json();
    for (const char* key : {"as_of", "horizon", "total", "by_model"})
        EXPECT_TRUE(j.contains(key)) << key;
    auto db = store();
    const auto expected = analytics::forecastSales(db, "2026-11-01").value();
    const auto& total = j["total"];
    ASSERT_EQ(total["history"].size(), expected.total.history.size());
    ASSERT_GE(expected.total.history.size(), 12u) << "the demo keeps 18 months";
    ASSERT_LT(expected.total.history.size(), 24u);
    EXPECT_EQ(total["status"], "ok");
    EXPECT_EQ(total["seasonal"], false);
    EXPECT_FALSE(total["method"].is_null());
    ASSERT_EQ(total["points"].size(), 3u);
    EXPECT_EQ(total["points"][0]["month"], "2026-11");
    EXPECT_EQ(total["points"][0]["value"].get<double>(), expected.total.forecast.points[0].value);

    auto csv = run({"report", "forecast", "--csv", "--as-of", "2026-11-01"});
    ASSERT_EQ(csv.exit, 0) << csv.err;
    std::size_t history = 0, forecast = 0;
    for (const auto& rec : csvRecords(csv.out))
        if (rec.at("series") == "total") {
            EXPECT_EQ(rec.at("status"), "ok");
            EXPECT_EQ(rec.at("seasonal"), "false");
            ++(rec.at("kind") == "history" ? history : forecast);
        }
    EXPECT_EQ(history, expected.total.history.size());
    EXPECT_EQ(forecast, 3u);
    auto text = run({"report", "forecast", "--as-of", "2026-11-01"});
    EXPECT_NE(text.out.find("Trend only: the season needs 24 months of sales"), std::string::npos) << text.out;
}

TEST_F(ReportCli, ForecastSaysWhyElevenMonthsAreTooFew) {
    auto db = store();
    const auto all = analytics::forecastSales(db, "2026-11-01").value();
    // As of eleven months after the first sale's month, there are eleven complete months.
    const std::string asOf = core::addMonths(all.total.firstMonth + "-01", 11);
    auto r = run({"report", "forecast", "--json", "--as-of", asOf});
    ASSERT_EQ(r.exit, 0) << r.err;
    const auto j = r.json();
    const auto& total = j["total"];
    EXPECT_EQ(total["history"].size(), 11u);
    EXPECT_EQ(total["status"], "too_short");
    EXPECT_EQ(total["reason"], "needs 12 months of history, has 11");
    EXPECT_TRUE(total["points"].empty());
    EXPECT_TRUE(total["method"].is_null());
    EXPECT_TRUE(total["seasonal"].is_null());
    auto text = run({"report", "forecast", "--as-of", asOf});
    EXPECT_NE(text.out.find("no forecast: needs 12 months of history, has 11"), std::string::npos) << text.out;
}

TEST_F(ReportCli, FollowUpsCountOverdueAndDueToday) {
    auto r = run({"report", "followups", "--json", "--as-of", "2026-11-01T12:00:00Z"});
    ASSERT_EQ(r.exit, 0) << r.err;
    const auto j = r.json();
    EXPECT_EQ(j["day"], "2026-11-01");
    auto db = store();
    const auto expected = reports::followUps(db, "2026-11-01T12:00:00Z").value();
    EXPECT_EQ(j["overdue"], expected.overdue);
    EXPECT_EQ(j["due_today"], expected.dueToday);
    auto csv = run({"report", "followups", "--csv", "--as-of", "2026-11-01T12:00:00Z"});
    ASSERT_EQ(csv.exit, 0) << csv.err;
    EXPECT_EQ(csvRecords(csv.out).size(), static_cast<std::size_t>(expected.overdue + expected.dueToday));
}

// ---- bad input --------------------------------------------------------------------------------------------------

TEST_F(ReportCli, BadDatesAndFlagsExitTwoWithAMessage) {
    struct Case {
        std::vector<std::string> args;
        std::string says;
    };
    const std::vector<Case> cases = {
        {{"report", "sales", "--from", "2026-13-01", "--to", "2026-12-31"}, "--from"},
        {{"report", "sales", "--from", "2026-11-01", "--to", "2026-11-31"}, "--to"},
        {{"report", "sales", "--from", "1 Nov 2026"}, "YYYY-MM-DD"},
        {{"report", "sales", "--from", "2026-11-01T10:00:00Z", "--to", "2026-11-30"}, "--from"},
        {{"report", "funnel", "--from", "2026-11-10", "--to", "2026-11-01"}, "after"},
        {{"report", "sales", "--by", "year"}, "--by"},
        {{"report", "aging", "--as-of", "yesterday"}, "--as-of"},
        {{"report", "rfm", "--as-of", "2026-02-30"}, "--as-of"},
        {{"report", "rfm", "--segment", "whales"}, "--segment"},
        {{"report", "forecast", "--horizon", "0"}, "--horizon"},
        {{"report", "sales", "--json", "--csv"}, "--csv"},
        {{"report", "pdf", "--out", dir.file("x.pdf"), "--month", "2026-13"}, "--month"},
        {{"report", "pdf", "--out", dir.file("x.pdf"), "--month", "2999-01"}, "not started"},
        {{"report", "pdf", "--out", dir.file("x.pdf"), "--lang", "fr"}, "--lang"},
        {{"report", "nosuch"}, "unknown command"},
    };
    for (const auto& c : cases) {
        auto r = run(c.args);
        EXPECT_EQ(r.exit, 2) << c.args[1] << " " << c.args.back() << "\n" << r.err;
        EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
        EXPECT_TRUE(r.out.empty()) << r.out;
    }
    EXPECT_FALSE(std::filesystem::exists(dir.file("x.pdf")));
}

// ---- the monthly PDF ---------------------------------------------------------------------------------------------

// qpdf and poppler-utils belong to the test rig (scripts/install-deps.sh): a missing tool fails, never skips.
#define REQUIRE_TOOL(name)                                                                                             \
    ASSERT_EQ(shell("command -v " name).exit, 0) << name " is not installed; run scripts/install-deps.sh"

TEST_F(ReportCli, MonthlyPdfIsWellFormedShowsItsFiguresAndIsReproducible) {
    REQUIRE_TOOL("qpdf");
    REQUIRE_TOOL("pdftotext");
    const std::string pdf = dir.file("october.pdf");
    auto r = run({"report", "pdf", "--json", "--out", pdf, "--month", "2026-10"});
    ASSERT_EQ(r.exit, 0) << r.err;
    const auto j = r.json();
    for (const char* key : {"month", "from", "to", "as_of", "language", "path", "pages", "bytes", "sha256"})
        EXPECT_TRUE(j.contains(key)) << key;
    EXPECT_EQ(j["from"], "2026-10-01");
    EXPECT_EQ(j["to"], "2026-10-31");
    EXPECT_EQ(j["as_of"], "2026-11-01T00:00:00Z") << "a past month is reported as of its end";
    EXPECT_GE(j["pages"].get<int>(), 1);
    EXPECT_EQ(readFile(pdf).substr(0, 5), "%PDF-");
    auto check = shell("qpdf --check " + shellQuote(pdf));
    EXPECT_EQ(check.exit, 0) << check.out << check.err;

    const auto sales = run(with({"report", "sales", "--json"}, kOctober)).json();
    const std::string text = shell("pdftotext -layout " + shellQuote(pdf) + " -").out;
    const std::string revenue =
        core::formatMoney(core::parseMoney(sales["total"]["revenue"].get<std::string>()).value());
    for (const std::string& expected :
         {std::string("Monthly report · October 2026"), std::string("2026-10-01 to 2026-10-31"),
          std::string("Key figures"), std::string("Units sold by day"), std::string("Lead funnel"),
          std::string("Inventory aging"), std::string("Sales forecast"), std::string("Revenue"), revenue,
          std::string("Page 1 of ")})
        EXPECT_NE(text.find(expected), std::string::npos) << expected << " missing from:\n" << text;
    EXPECT_EQ(j["units"], sales["total"]["units"]);

    auto again = run({"report", "pdf", "--json", "--out", dir.file("again.pdf"), "--month", "2026-10"});
    ASSERT_EQ(again.exit, 0) << again.err;
    EXPECT_EQ(again.json()["sha256"], j["sha256"]) << "the same month of the same store gives the same bytes";
}

TEST_F(ReportCli, MonthlyPdfInChinese) {
    REQUIRE_TOOL("qpdf");
    REQUIRE_TOOL("pdftotext");
    const std::string pdf = dir.file("zh.pdf");
    auto r = run({"report", "pdf", "--out", pdf, "--month", "2026-10", "--lang", "zh-CN", "--by", "week"});
    ASSERT_EQ(r.exit, 0) << r.err;
    EXPECT_NE(r.out.find("written to " + pdf), std::string::npos) << r.out;
    EXPECT_EQ(shell("qpdf --check " + shellQuote(pdf)).exit, 0);
    const std::string text = shell("pdftotext -layout " + shellQuote(pdf) + " -").out;
    for (const char* expected : {"月度报告", "2026年10月", "关键指标", "每周销量", "线索漏斗", "库存车龄", "销量预测"})
        EXPECT_NE(text.find(expected), std::string::npos) << expected << " missing from:\n" << text;
}

} // namespace
