// The `showroom` CLI as a user or a script runs it: the real binary in a child process, a real
// database file, checking output, JSON keys and exit codes (0 ok, 2 bad input, 1 other failure).
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using showroom::test::readFile;
using showroom::test::TempDir;
using showroom::test::writeFile;

struct Outcome {
    int exit = -1;
    std::string out, err;
    nlohmann::json json() const { return nlohmann::json::parse(out); }
};

std::string shellQuote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

class Cli : public ::testing::Test {
protected:
    TempDir dir;
    std::string db = dir.file("store.db");

    Outcome run(const std::vector<std::string>& args, bool withDb = true) {
        std::string cmd = shellQuote(SHOWROOM_CLI);
        if (withDb) cmd += " --db " + shellQuote(db);
        for (const auto& a : args) cmd += " " + shellQuote(a);
        return shell(cmd);
    }

    // Any command line, run by the shell, its output captured like run()'s.
    Outcome shell(std::string cmd) {
        cmd += " > " + shellQuote(dir.file("out")) + " 2> " + shellQuote(dir.file("err")) + " < /dev/null";
        const int status = std::system(cmd.c_str());
        Outcome r;
        r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        r.out = readFile(dir.file("out"));
        r.err = readFile(dir.file("err"));
        return r;
    }

    void init() { ASSERT_EQ(run({"db", "init", "--store-code", "TST", "--store-name", "Test Motors"}).exit, 0); }
};

const std::vector<std::string> kQuote = {"deal", "quote", "--json", "--price", "30000", "--discount", "0",
                                         "--trade-in", "10000", "--payoff", "0", "--tax-rate", "6",
                                         "--tax-on-net-of-trade", "--doc-fee", "0", "--title-fee", "0", "--down",
                                         "2000", "--apr", "6.9", "--term", "60"};

TEST_F(Cli, VinDecodePrintsEveryContractKeyForEachVin) {
    auto r = run({"vin", "decode", "--json", "1M8GDM9AXKP042788", "WVWZZZ1KZ6W000001"}, false);
    auto j = r.json();
    ASSERT_TRUE(j.is_array());
    ASSERT_EQ(j.size(), 2u);
    for (const char* key : {"input", "vin", "valid", "check_digit_ok", "errors", "wmi", "manufacturer", "region",
                            "country", "model_year_candidates"})
        EXPECT_TRUE(j[0].contains(key)) << key;
    EXPECT_TRUE(j[0]["valid"].get<bool>());
    EXPECT_TRUE(j[0]["check_digit_ok"].get<bool>());
    EXPECT_EQ(j[0]["model_year_candidates"], nlohmann::json::array({1989}));
    EXPECT_EQ(j[1]["wmi"], "WVW");
    EXPECT_EQ(j[1]["region"], "Europe");
}

TEST_F(Cli, VinDecodeReportsAWrongCheckDigitAndExitsTwo) {
    auto r = run({"vin", "decode", "--json", "1M8GDM9AXKP042789"}, false);
    EXPECT_EQ(r.exit, 2);
    auto j = r.json();
    EXPECT_FALSE(j[0]["check_digit_ok"].get<bool>());
    EXPECT_FALSE(j[0]["valid"].get<bool>());
}

TEST_F(Cli, VinDecodeSurvivesHostileInputWithJsonAndExitTwo) {
    const std::string huge(10'000, 'A');
    for (const std::string& bad : {std::string("1M8GDM9AXKP04278"), std::string("1M8GDM9AXKP0427\xD0\x90"), huge,
                                   std::string("'; DROP TABLE vehicles; --")}) {
        auto r = run({"vin", "decode", "--json", bad}, false);
        EXPECT_EQ(r.exit, 2) << bad.substr(0, 30);
        auto j = r.json();
        EXPECT_FALSE(j[0]["valid"].get<bool>());
        EXPECT_FALSE(j[0]["errors"].empty());
        EXPECT_LT(j[0]["errors"][0].get<std::string>().size(), 200u);
    }
}

TEST_F(Cli, DealQuotePrintsTruthInLendingFiguresAsDecimalStrings) {
    auto r = run(kQuote, false);
    ASSERT_EQ(r.exit, 0) << r.err;
    auto j = r.json();
    for (const char* key : {"amount_financed", "monthly_payment", "last_payment", "finance_charge", "total_of_payments",
                            "total_sale_price", "apr", "sales_tax"})
        ASSERT_TRUE(j[key].is_string()) << key;
    // $30,000 - $10,000 trade = $20,000 taxable at 6 % = $1,200; 30,000 + 1,200 - 10,000 - 2,000 = 19,200
    // financed; 19,200 * 0.00575 / (1 - 1.00575^-60) = 379.2778 -> $379.28.
    EXPECT_EQ(j["sales_tax"], "1200.00");
    EXPECT_EQ(j["amount_financed"], "19200.00");
    EXPECT_EQ(j["monthly_payment"], "379.28");
    EXPECT_EQ(j["apr"], "6.90");
    EXPECT_EQ(j["total_sale_price"], "34756.64"); // total of payments 22,756.64 + 12,000 down (cash + trade)
}

TEST_F(Cli, DealQuoteRefusesAbsurdFiguresWithExitTwo) {
    auto zeroTerm = kQuote;
    zeroTerm[zeroTerm.size() - 1] = "0";
    EXPECT_EQ(run(zeroTerm, false).exit, 2);
    auto usury = kQuote;
    usury[usury.size() - 3] = "400";
    auto r = run(usury, false);
    EXPECT_EQ(r.exit, 2);
    EXPECT_NE(r.err.find("36"), std::string::npos) << r.err;
    auto negative = kQuote;
    negative[4] = "-30000";
    EXPECT_EQ(run(negative, false).exit, 2);
    auto garbage = kQuote;
    garbage[4] = "30k";
    EXPECT_EQ(run(garbage, false).exit, 2);
}

TEST_F(Cli, DealQuoteTakesTheTaxRuleOfAJurisdictionFromConfig) {
    const std::string rules = SHOWROOM_SOURCE_DIR "/config/tax_rules.example.json";
    auto il = run({"deal", "quote", "--json", "--cash", "--price", "30000", "--trade-in", "10000", "--tax-rules", rules,
                   "--jurisdiction", "US-IL"},
                  false);
    ASSERT_EQ(il.exit, 0) << il.err;
    EXPECT_EQ(il.json()["sales_tax"], "1250.00"); // 6.25 % of the $20,000 net of trade
    auto ca = run({"deal", "quote", "--json", "--cash", "--price", "30000", "--trade-in", "10000", "--tax-rules", rules,
                   "--jurisdiction", "US-CA"},
                  false);
    EXPECT_EQ(ca.json()["sales_tax"], "2175.00"); // 7.25 % of the full $30,000
    auto unknown = run({"deal", "quote", "--cash", "--price", "30000", "--tax-rules", rules, "--jurisdiction", "XX"},
                       false);
    EXPECT_EQ(unknown.exit, 2);
    EXPECT_NE(unknown.err.find("US-CA"), std::string::npos) << unknown.err;
}

TEST_F(Cli, PaymentGridCellsEqualTheQuoteOfThatDeal) {
    auto grid = run({"deal", "grid", "--json", "--price", "30000", "--tax-rate", "6", "--apr", "6.9", "--terms",
                     "36,60", "--downs", "0,2000"},
                    false);
    ASSERT_EQ(grid.exit, 0) << grid.err;
    auto quote = run({"deal", "quote", "--json", "--price", "30000", "--tax-rate", "6", "--apr", "6.9", "--term", "60",
                      "--down", "2000"},
                     false);
    ASSERT_EQ(quote.exit, 0) << quote.err;
    const auto rows = grid.json()["rows"];
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1]["down"], "2000.00");
    EXPECT_EQ(rows[1]["payments"]["60"], quote.json()["monthly_payment"]);

    auto byApr = run({"deal", "grid", "--json", "--price", "30000", "--terms", "60", "--aprs", "0,6.9"}, false);
    ASSERT_EQ(byApr.exit, 0) << byApr.err;
    EXPECT_EQ(byApr.json()["rows"][0]["apr"], "0.00");
    EXPECT_EQ(byApr.json()["rows"][0]["payments"]["60"], "500.00"); // $30,000 over 60 months at 0 %
}

TEST_F(Cli, HelpExistsForRealCommandsOnly) {
    EXPECT_EQ(run({"vin", "decode", "--help"}, false).exit, 0);
    EXPECT_EQ(run({"deal", "quote", "--help"}, false).exit, 0);
    EXPECT_EQ(run({"nosuch", "command", "--help"}, false).exit, 2);
    EXPECT_EQ(run({"inventory", "nosuch", "--help"}, false).exit, 2);
    EXPECT_EQ(run({"inventory", "search", "--no-such-flag"}).exit, 2);
}

TEST_F(Cli, CheckInCreatesOnceThenReportsAlreadyInStock) {
    init();
    auto first = run({"checkin", "--json", " i1m8gdm9axkp042788 ", "--price", "45,000", "--model", "D4500",
                      "--year", "1989", "--lot", "B-7"});
    ASSERT_EQ(first.exit, 0) << first.err;
    EXPECT_EQ(first.json()["outcome"], "created");
    EXPECT_EQ(first.json()["vehicle"]["vin"], "1M8GDM9AXKP042788");
    EXPECT_EQ(first.json()["vehicle"]["price"], "45000.00");
    auto again = run({"checkin", "--json", "1M8GDM9AXKP042788"});
    ASSERT_EQ(again.exit, 0) << again.err;
    EXPECT_EQ(again.json()["outcome"], "already_in_stock");
    auto all = run({"inventory", "search", "--json"});
    EXPECT_EQ(all.json()["total"], 1);
}

TEST_F(Cli, CheckInRefusesAWrongCheckDigitUnlessConfirmed) {
    init();
    auto r = run({"checkin", "1M8GDM9AXKP042789", "--price", "45000"});
    EXPECT_EQ(r.exit, 2);
    EXPECT_NE(r.err.find("check digit"), std::string::npos) << r.err;
    EXPECT_EQ(run({"inventory", "search", "--json"}).json()["total"], 0);
    auto confirmed = run({"checkin", "1M8GDM9AXKP042789", "--price", "45000", "--accept-bad-check-digit"});
    EXPECT_EQ(confirmed.exit, 0) << confirmed.err;
}

TEST_F(Cli, ImportWithABadRowChangesNothingUntilToldToSkipIt) {
    init();
    writeFile(dir.file("stock.csv"), "vin,year,make,model,price\n"
                                     "1M8GDM9AXKP042788,1989,MCI,D4500,45000\n"
                                     "1M8GDM9AXKP04278,2020,Toyota,Camry,30000\n"
                                     "5YJ3E1EA7KF317000,2019,Tesla,Model 3,\"38,500\"\n");
    auto strict = run({"inventory", "import", "--json", dir.file("stock.csv")});
    EXPECT_EQ(strict.exit, 2);
    auto j = strict.json();
    EXPECT_FALSE(j["committed"].get<bool>());
    ASSERT_GE(j["errors"].size(), 1u);
    EXPECT_EQ(j["errors"][0]["line"], 3);
    EXPECT_EQ(run({"inventory", "search", "--json"}).json()["total"], 0);

    auto lenient = run({"inventory", "import", "--json", "--skip-bad-rows", dir.file("stock.csv")});
    ASSERT_EQ(lenient.exit, 0) << lenient.err;
    const auto skipped = lenient.json()["skipped"];
    const std::int64_t imported = lenient.json()["imported"];
    EXPECT_EQ(imported + static_cast<std::int64_t>(skipped.size()), 3);
    EXPECT_EQ(run({"inventory", "search", "--json"}).json()["total"], imported);
}

TEST_F(Cli, DemoSeedsAnEmptyStoreOnceAndRefusesASecondTime) {
    init();
    ASSERT_EQ(run({"demo", "seed", "--vehicles", "30", "--seed", "3", "--as-of", "2026-11-01"}).exit, 0);
    const auto before = run({"demo", "summary", "--json"}).out;
    auto again = run({"demo", "seed", "--vehicles", "30", "--seed", "3", "--as-of", "2026-11-01"});
    EXPECT_EQ(again.exit, 2);
    EXPECT_NE(again.err.find("already holds vehicles"), std::string::npos) << again.err;
    EXPECT_EQ(run({"demo", "summary", "--json"}).out, before);
}

TEST_F(Cli, DemoSeedThenSummaryThenExportRoundTrip) {
    auto seeded = run({"demo", "seed", "--json", "--vehicles", "60", "--seed", "5", "--as-of", "2026-11-01"});
    ASSERT_EQ(seeded.exit, 0) << seeded.err;
    EXPECT_GT(seeded.json()["deals"].get<int>(), 0);
    auto summary = run({"demo", "summary", "--json"});
    ASSERT_EQ(summary.exit, 0);
    std::int64_t vehicles = 0;
    const auto byStatus = summary.json()["vehicles"];
    for (auto& [status, n] : byStatus.items()) vehicles += n.get<std::int64_t>();
    EXPECT_EQ(vehicles, seeded.json()["vehicles"].get<std::int64_t>());

    ASSERT_EQ(run({"inventory", "export", "--out", dir.file("all.csv")}).exit, 0);
    const std::string csv = readFile(dir.file("all.csv"));
    EXPECT_EQ(csv.rfind("vin,stock_no,condition,year,make", 0), 0u);
    auto fresh = dir.file("fresh.db");
    Outcome init2 = run({"--db", fresh, "db", "init"}, false);
    ASSERT_EQ(init2.exit, 0) << init2.err;
    auto imported = run({"--db", fresh, "inventory", "import", "--json", dir.file("all.csv")}, false);
    ASSERT_EQ(imported.exit, 0) << imported.err;
    EXPECT_EQ(imported.json()["imported"].get<std::int64_t>(), vehicles);
}

TEST_F(Cli, SearchTreatsSqlAndFtsSyntaxAsPlainText) {
    ASSERT_EQ(run({"demo", "seed", "--vehicles", "40", "--seed", "9", "--as-of", "2026-11-01"}).exit, 0);
    for (const std::string text : {"'; DROP TABLE vehicles; --", "\"", "blue OR 1=1", "NEAR(", "*", "%", "make:Tesla"}) {
        auto r = run({"inventory", "search", "--json", text});
        EXPECT_EQ(r.exit, 0) << text << ": " << r.err;
    }
    EXPECT_EQ(run({"inventory", "search", "--json", "--page-size", "10", "--page", "2"}).json()["total"], 40);
}

TEST_F(Cli, ALeadWalksThePipelineFromTheShell) {
    init();
    auto c = run({"customer", "add", "--json", "--first", "Jane", "--last", "Sample", "--phone", "555-010-2000",
                  "--consent-contact"});
    ASSERT_EQ(c.exit, 0) << c.err;
    const std::string customer = c.json()["id"];
    auto dup = run({"customer", "add", "--first", "Janet", "--phone", "+1 (555) 010-2000"});
    EXPECT_EQ(dup.exit, 2);
    EXPECT_NE(dup.err.find("already belongs"), std::string::npos) << dup.err;

    auto lead = run({"lead", "open", "--json", "--customer", customer, "--source", "website"});
    ASSERT_EQ(lead.exit, 0) << lead.err;
    const std::string id = lead.json()["id"];
    for (const char* stage : {"visit", "test_drive", "quote"}) {
        auto moved = run({"lead", "move", "--json", id, stage});
        ASSERT_EQ(moved.exit, 0) << moved.err;
        EXPECT_EQ(moved.json()["stage"], stage);
    }
    EXPECT_EQ(run({"lead", "move", id, "visit"}).exit, 2) << "a lead does not move backwards";
    EXPECT_EQ(run({"lead", "move", id, "lost"}).exit, 2) << "lost needs a reason";
    auto lost = run({"lead", "move", "--json", id, "lost", "--reason", "Bought elsewhere"});
    ASSERT_EQ(lost.exit, 0) << lost.err;
    EXPECT_EQ(lost.json()["lost_reason"], "Bought elsewhere");
    EXPECT_EQ(run({"lead", "list", "--json", "--stage", "lost"}).json().size(), 1u);
}

TEST_F(Cli, ADealIsDeskedSignedPaidAndDelivered) {
    init();
    ASSERT_EQ(run({"checkin", "1M8GDM9AXKP042788", "--price", "30000", "--year", "1989", "--stock-no", "S1"}).exit, 0);
    auto c = run({"customer", "add", "--json", "--first", "Ann", "--email", "ann@example.com"});
    const std::string customer = c.json()["id"];
    auto deal = run({"deal", "create", "--json", "--customer", customer, "--vehicle", "S1", "--price", "30000",
                     "--tax-rate", "6", "--down", "2000", "--apr", "6.9", "--term", "60"});
    ASSERT_EQ(deal.exit, 0) << deal.err;
    const std::string no = deal.json()["deal_no"];
    EXPECT_EQ(run({"inventory", "show", "--json", "S1"}).json()["status"], "on_hold");
    EXPECT_EQ(run({"deal", "deliver", no}).exit, 2) << "a draft cannot be delivered";
    ASSERT_EQ(run({"deal", "sign", no}).exit, 0);
    EXPECT_EQ(run({"inventory", "status", "S1", "in_stock"}).exit, 2) << "sold -> in_stock needs a cancelled deal";
    EXPECT_EQ(run({"deal", "pay", no, "--amount", "2000", "--method", "card"}).exit, 0);
    EXPECT_EQ(run({"deal", "pay", no, "--amount", "999999"}).exit, 2) << "more than is due";
    ASSERT_EQ(run({"deal", "deliver", no}).exit, 0);
    EXPECT_EQ(run({"inventory", "show", "--json", "S1"}).json()["status"], "delivered");
}

TEST_F(Cli, AFileThatIsNotADatabaseIsRefusedAndLeftAlone) {
    const std::string text(4096, 'x');
    writeFile(db, text);
    auto r = run({"inventory", "search"});
    EXPECT_EQ(r.exit, 1);
    EXPECT_NE(r.err.find("not a Showroom database"), std::string::npos) << r.err;
    EXPECT_EQ(readFile(db), text);
}

TEST_F(Cli, DbCheckIsCleanOnAFreshStore) {
    init();
    auto r = run({"db", "check", "--json"});
    ASSERT_EQ(r.exit, 0) << r.err;
    EXPECT_TRUE(r.json()["ok"].get<bool>());
    EXPECT_EQ(run({"--db", dir.file("missing.db"), "db", "check"}, false).exit, 2);
}

// ---- contract render ---------------------------------------------------------------------------------------

// qpdf and poppler-utils belong to the test rig (scripts/install-deps.sh): a missing tool fails, never skips.
#define REQUIRE_TOOL(name)                                                                                             \
    ASSERT_EQ(shell("command -v " name).exit, 0) << name " is not installed; run scripts/install-deps.sh"

TEST_F(Cli, ContractRenderWritesADealsContractAndPrintsItsSha256) {
    REQUIRE_TOOL("qpdf");
    REQUIRE_TOOL("sha256sum");
    ASSERT_EQ(run({"demo", "seed", "--vehicles", "30", "--seed", "3", "--as-of", "2026-11-01"}).exit, 0);
    std::string no;
    for (const auto& d : run({"deal", "list", "--json"}).json())
        if (d["kind"] == "finance") no = d["deal_no"];
    ASSERT_FALSE(no.empty()) << "the demo has no financed deal";

    const std::string pdf = dir.file("contract.pdf");
    auto r = run({"contract", "render", "--json", "--deal", no, "--out", pdf});
    ASSERT_EQ(r.exit, 0) << r.err;
    auto j = r.json();
    for (const char* key : {"deal_no", "path", "sha256", "pages", "bytes", "fingerprint"})
        EXPECT_TRUE(j.contains(key)) << key;
    EXPECT_EQ(j["deal_no"], no);
    EXPECT_EQ(j["path"], pdf);
    EXPECT_GE(j["pages"].get<int>(), 2);
    EXPECT_EQ(readFile(pdf).substr(0, 5), "%PDF-");
    EXPECT_EQ(shell("sha256sum " + shellQuote(pdf)).out.substr(0, 64), j["sha256"]);
    EXPECT_EQ(shell("qpdf --check " + shellQuote(pdf)).exit, 0);

    auto again = run({"contract", "render", "--deal", no, "--out", dir.file("again.pdf")});
    ASSERT_EQ(again.exit, 0) << again.err;
    EXPECT_NE(again.out.find("sha256 " + j["sha256"].get<std::string>()), std::string::npos) << again.out;

    auto zh = run({"contract", "render", "--json", "--deal", no, "--out", dir.file("zh.pdf"), "--lang", "zh-CN"});
    ASSERT_EQ(zh.exit, 0) << zh.err;
    EXPECT_EQ(zh.json()["fingerprint"], j["fingerprint"]) << "same terms in either language";
    EXPECT_NE(zh.json()["sha256"], j["sha256"]);

    EXPECT_EQ(run({"contract", "render", "--deal", "D1999-000001", "--out", dir.file("x.pdf")}).exit, 2);
    EXPECT_EQ(run({"contract", "render", "--deal", no, "--out", dir.file("x.pdf"), "--lang", "fr"}).exit, 2);
    EXPECT_EQ(run({"contract", "render", "--out", dir.file("x.pdf")}).exit, 2) << "neither --deal nor --quote-json";
}

TEST_F(Cli, ContractRenderFromAQuoteFileUsesTheQuotesFigures) {
    REQUIRE_TOOL("pdftotext");
    auto quote = run(kQuote, false);
    ASSERT_EQ(quote.exit, 0) << quote.err;
    auto j = quote.json();
    ASSERT_TRUE(j.contains("input")) << "deal quote --json carries the deal as desked";
    j["buyer"] = {{"name", "Jane Q. Sample"}, {"address", "123 Main St, Anytown, VA 23219"}};
    j["vehicle"] = {
        {"vin", "1M8GDM9AXKP042788"}, {"year", 2019}, {"make", "Honda"}, {"model", "Civic"}, {"odometer", 12000}};
    j["contract_date"] = "2026-11-01";
    const std::string file = dir.file("quote.json"), pdf = dir.file("quote.pdf");
    writeFile(file, j.dump());
    auto r = run({"contract", "render", "--json", "--quote-json", file, "--out", pdf}, false);
    ASSERT_EQ(r.exit, 0) << r.err;
    EXPECT_EQ(r.json()["deal_no"], "QUOTE");
    const std::string text = shell("pdftotext -layout " + shellQuote(pdf) + " -").out;
    for (const char* expected : {"Deal QUOTE", "Jane Q. Sample", "1M8GDM9AXKP042788", "$19,200.00", "$379.28", "6.90 %",
                                 "beginning 2026-12-01", "Page 1 of "})
        EXPECT_NE(text.find(expected), std::string::npos) << expected << " missing from:\n" << text;
}

TEST_F(Cli, ContractRenderRefusesABrokenOrIncompleteQuoteFileWithExitTwo) {
    auto good = run(kQuote, false).json();
    good["buyer"] = {{"name", "Jane Q. Sample"}, {"address", "123 Main St"}};
    good["vehicle"] = {
        {"vin", "1M8GDM9AXKP042788"}, {"year", 2019}, {"make", "Honda"}, {"model", "Civic"}, {"odometer", 12000}};
    const std::string file = dir.file("q.json"), pdf = dir.file("q.pdf");
    auto refused = [&](const std::string& contents, const std::string& why) {
        writeFile(file, contents);
        auto r = run({"contract", "render", "--quote-json", file, "--out", pdf}, false);
        EXPECT_EQ(r.exit, 2) << contents.substr(0, 80);
        EXPECT_NE(r.err.find(why), std::string::npos) << r.err;
        EXPECT_FALSE(std::filesystem::exists(pdf));
    };
    refused("{\"kind\": \"finance\", ", "is not valid JSON");
    refused("[1, 2]", "expected the JSON object");
    auto noBuyer = good;
    noBuyer.erase("buyer");
    refused(noBuyer.dump(), "buyer is missing");
    auto badYear = good;
    badYear["vehicle"]["year"] = "2019";
    refused(badYear.dump(), "vehicle.year must be a whole number");
    auto noInput = good;
    noInput.erase("input");
    refused(noInput.dump(), "input is missing");
    auto edited = good;
    edited["amount_financed"] = "18200.00";
    refused(edited.dump(), "amount_financed is \"18200.00\" in the file but \"19200.00\"");
    auto floatMoney = good;
    floatMoney["sales_tax"] = 1200.0;
    refused(floatMoney.dump(), "sales_tax must be an amount as a decimal string");
    EXPECT_EQ(run({"contract", "render", "--quote-json", dir.file("nowhere.json"), "--out", pdf}, false).exit, 2);
}

// A version 10 Virginia licence as the PDF417 scanner hands it over: header, directory, DL subfile.
std::string licencePayload() {
    const std::string body = "DLDAQT64235789\nDCSSAMPLE\nDACJANE\nDBD01012020\nDBB07041990\nDBA07042030\nDBC9\n"
                             "DAG123 MAIN ST\nDAIANYTOWN\nDAJVA\nDAK232191234  \r";
    const std::string length = std::to_string(body.size());
    return "@\n\x1e\rANSI 636000100001DL0031" + std::string(4 - length.size(), '0') + length + body;
}

TEST_F(Cli, LicenseParsePrintsEveryContractKeyAsJson) {
    const std::string file = dir.file("dl.bin");
    writeFile(file, licencePayload());
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"license", "parse", file}, {"license", "parse", "--json", file}}) {
        auto r = run(args, false);
        ASSERT_EQ(r.exit, 0) << r.err;
        auto j = r.json();
        for (const char* key :
             {"licence_number", "family_name", "first_name", "middle_name", "birth_date", "expiry_date", "issue_date",
              "sex", "street", "city", "state", "postal_code", "country"})
            EXPECT_TRUE(j.contains(key)) << key;
        EXPECT_EQ(j.size(), 13u);
        EXPECT_EQ(j["licence_number"], "T64235789");
        EXPECT_EQ(j["family_name"], "SAMPLE");
        EXPECT_TRUE(j["middle_name"].is_null());
        EXPECT_EQ(j["birth_date"], "1990-07-04");
        EXPECT_EQ(j["expiry_date"], "2030-07-04");
        EXPECT_EQ(j["issue_date"], "2020-01-01");
        EXPECT_EQ(j["sex"], "X");
        EXPECT_EQ(j["postal_code"], "23219-1234");
        EXPECT_EQ(j["country"], "USA");
    }
    // "-" reads the payload from stdin.
    auto piped = shell("(cat " + shellQuote(file) + " | " + shellQuote(SHOWROOM_CLI) + " license parse -)");
    ASSERT_EQ(piped.exit, 0) << piped.err;
    EXPECT_EQ(piped.json()["state"], "VA");
}

TEST_F(Cli, LicenseParseRefusesABrokenPayloadWithExitTwoAndNoEcho) {
    const std::string file = dir.file("dl.bin");
    std::string payload = licencePayload();
    payload.replace(payload.find("DBB07041990"), 11, "DBB13452020");
    writeFile(file, payload);
    auto r = run({"license", "parse", "--json", file}, false);
    EXPECT_EQ(r.exit, 2);
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_NE(r.err.find("birth date (DBB) is not a valid date"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("T64235789"), std::string::npos) << r.err;

    writeFile(file, "not a licence");
    r = run({"license", "parse", file}, false);
    EXPECT_EQ(r.exit, 2);
    EXPECT_NE(r.err.find("'@'"), std::string::npos) << r.err;
    EXPECT_EQ(run({"license", "parse", dir.file("nowhere.bin")}, false).exit, 2);
}

// --- scan decode: pictures of labels drawn by zint (with quiet zones, as printed) -------------

std::vector<nlohmann::json> jsonLines(const std::string& out) {
    std::vector<nlohmann::json> lines;
    std::size_t start = 0;
    for (std::size_t end; (end = out.find('\n', start)) != std::string::npos; start = end + 1)
        lines.push_back(nlohmann::json::parse(out.substr(start, end - start)));
    EXPECT_EQ(start, out.size()) << "every line ends with a newline";
    return lines;
}

class ScanDecode : public Cli {
protected:
    std::string label(const std::string& name, const std::string& symbology, const std::string& data) {
        const std::string png = dir.file(name);
        auto z = shell("zint -b " + symbology + " -d " + shellQuote(data) + " --quietzones --scale=2 -o " + shellQuote(png));
        EXPECT_EQ(z.exit, 0) << "zint is needed: " << z.err;
        return png;
    }
};

TEST_F(ScanDecode, AVinLabelComesBackAsOneJsonLineWithTheValidatedVin) {
    const std::string png = label("vin.png", "CODE39", "I1M8GDM9AXKP042788");
    auto r = run({"scan", "decode", "--json", png}, false);
    ASSERT_EQ(r.exit, 0) << r.err;
    auto lines = jsonLines(r.out);
    ASSERT_EQ(lines.size(), 1u) << r.out;
    EXPECT_EQ(lines[0]["file"], png);
    ASSERT_EQ(lines[0]["results"].size(), 1u);
    const auto& result = lines[0]["results"][0];
    EXPECT_EQ(result["format"], "Code39");
    EXPECT_EQ(result["text"], "I1M8GDM9AXKP042788");
    EXPECT_EQ(result["vin"], "1M8GDM9AXKP042788");
    EXPECT_FALSE(result.contains("vin_problem"));
    EXPECT_EQ(result["position"].size(), 4u);
    EXPECT_FALSE(lines[0].contains("error"));
}

TEST_F(ScanDecode, ABadCheckDigitIsShownNotSilentlyDropped) {
    const std::string png = label("bad.png", "CODE39", "I1M8GDM9AXKP042789");
    auto r = run({"scan", "decode", "--json", png}, false);
    ASSERT_EQ(r.exit, 0) << r.err;
    const auto result = jsonLines(r.out).at(0)["results"].at(0);
    EXPECT_TRUE(result["vin"].is_null());
    EXPECT_NE(result["vin_problem"].get<std::string>().find("check digit"), std::string::npos) << result;
}

TEST_F(ScanDecode, TwoImagesGiveTwoLinesInOrder) {
    const std::string vin = label("vin.png", "CODE39", "I1M8GDM9AXKP042788");
    const std::string qr = label("qr.png", "QRCODE", "VIN:1M8GDM9AXKP042788;STOCK:A123");
    auto r = run({"scan", "decode", "--json", vin, qr}, false);
    ASSERT_EQ(r.exit, 0) << r.err;
    auto lines = jsonLines(r.out);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0]["file"], vin);
    EXPECT_EQ(lines[1]["file"], qr);
    EXPECT_EQ(lines[1]["results"][0]["format"], "QRCode");
    EXPECT_EQ(lines[1]["results"][0]["text"], "VIN:1M8GDM9AXKP042788;STOCK:A123");
    EXPECT_EQ(lines[1]["results"][0]["vin"], "1M8GDM9AXKP042788");
}

TEST_F(ScanDecode, AMissingFileExitsTwoAndTheOtherImagesAreStillRead) {
    const std::string vin = label("vin.png", "CODE39", "I1M8GDM9AXKP042788");
    const std::string missing = dir.file("missing.png");
    writeFile(dir.file("notes.txt"), "not a picture\n");
    auto r = run({"scan", "decode", "--json", missing, dir.file("notes.txt"), vin}, false);
    EXPECT_EQ(r.exit, 2);
    auto lines = jsonLines(r.out);
    ASSERT_EQ(lines.size(), 3u) << r.out;
    EXPECT_EQ(lines[0]["file"], missing);
    EXPECT_EQ(lines[0]["error_code"], "not_found");
    EXPECT_TRUE(lines[0]["results"].empty());
    EXPECT_EQ(lines[1]["error_code"], "invalid_input");
    EXPECT_NE(lines[1]["error"].get<std::string>().find("not an image"), std::string::npos) << lines[1];
    EXPECT_EQ(lines[2]["results"][0]["vin"], "1M8GDM9AXKP042788");
    EXPECT_NE(r.err.find("showroom: " + missing + ": no such file"), std::string::npos) << r.err;
}

TEST_F(ScanDecode, AnImageWithoutBarcodesIsReadWithNoResults) {
    const std::string vin = label("vin.png", "CODE39", "I1M8GDM9AXKP042788");
    // Only the quiet zone: a region of interest with no symbol in it.
    auto r = run({"scan", "decode", "--json", "--roi", "0,0,15,15", vin}, false);
    ASSERT_EQ(r.exit, 0) << r.err;
    EXPECT_TRUE(jsonLines(r.out).at(0)["results"].empty());
}

TEST_F(ScanDecode, HumanOutputNamesFormatTextAndVin) {
    const std::string vin = label("vin.png", "CODE39", "I1M8GDM9AXKP042788");
    auto r = run({"scan", "decode", vin}, false);
    ASSERT_EQ(r.exit, 0) << r.err;
    EXPECT_NE(r.out.find("vin.png: 1 symbol"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Code39  I1M8GDM9AXKP042788  VIN 1M8GDM9AXKP042788"), std::string::npos) << r.out;
}

TEST_F(ScanDecode, BadFlagsExitTwo) {
    const std::string vin = label("vin.png", "CODE39", "I1M8GDM9AXKP042788");
    auto formats = run({"scan", "decode", "--formats", "Code39,Nope", vin}, false);
    EXPECT_EQ(formats.exit, 2);
    EXPECT_NE(formats.err.find("unknown format 'Nope'"), std::string::npos) << formats.err;
    EXPECT_EQ(run({"scan", "decode", "--roi", "1,2", vin}, false).exit, 2);
    auto onlyQr = run({"scan", "decode", "--json", "--formats", "QRCode", vin}, false);
    ASSERT_EQ(onlyQr.exit, 0) << onlyQr.err;
    EXPECT_TRUE(jsonLines(onlyQr.out).at(0)["results"].empty()) << "a Code 39 label is not looked for";
}

} // namespace

// `scan listen`: a configured scanner's scans, as a porter checks a new kiosk's scanner.
TEST_F(ScanDecode, ListenPrintsAVirtualScannersScansAndStatusesAsJsonLines) {
    const std::string script = dir.file("demo.scan");
    writeFile(script, "scan@Code39 I1M8GDM9AXKP042788\nunplug\nreplug\nscan VIN:1M8GDM9A5KP042788;STOCK:A1\n");
    auto r = run({"scan", "listen", "--json", "--count", "2", "--seconds", "10", "virtual:" + script}, false);
    ASSERT_EQ(r.exit, 0) << r.err;
    auto lines = jsonLines(r.out);
    ASSERT_EQ(lines.size(), 5u) << r.out;
    EXPECT_EQ(lines[0]["type"], "status");
    EXPECT_EQ(lines[0]["state"], "connected");
    EXPECT_EQ(lines[1]["type"], "scan");
    EXPECT_EQ(lines[1]["format"], "Code39");
    EXPECT_EQ(lines[1]["vin"], "1M8GDM9AXKP042788");
    EXPECT_EQ(lines[2]["state"], "disconnected");
    EXPECT_EQ(lines[3]["state"], "connected");
    EXPECT_TRUE(lines[4]["vin"].is_null());
    EXPECT_NE(lines[4]["vin_problem"].get<std::string>().find("check digit"), std::string::npos);
}

TEST_F(ScanDecode, ListenReadsAWedgeFromStdinAndNeverPrintsALicence) {
    const std::string input = dir.file("keys");
    // A VIN label, then a licence, as a wedge scanner types them (Enter is CR).
    writeFile(input, std::string("]A0I1M8GDM9AXKP042788\r") +
                         "@\n\x1e\rANSI 636000100001DL00310046DLDAQT64235789\nDCSSAMPLE\nDACJANE\nDBB07041990\r");
    auto r = shell("(" + shellQuote(SHOWROOM_CLI) + " scan listen --json wedge < " + shellQuote(input) + ")");
    ASSERT_EQ(r.exit, 0) << r.err;
    auto lines = jsonLines(r.out);
    ASSERT_EQ(lines.size(), 4u) << r.out;   // connected, VIN, licence, disconnected (the input ended)
    EXPECT_EQ(lines[1]["vin"], "1M8GDM9AXKP042788");
    EXPECT_EQ(lines[1]["format"], "Code39") << "the AIM identifier names the symbology";
    EXPECT_EQ(lines[2]["licence"], true);
    EXPECT_TRUE(lines[2]["text"].is_null());
    EXPECT_EQ(r.out.find("T64235789"), std::string::npos) << "a licence's contents are never printed";
    EXPECT_EQ(r.out.find("SAMPLE"), std::string::npos);
    EXPECT_EQ(lines[3]["state"], "disconnected");
}

TEST_F(ScanDecode, ListenOnAPictureReadsItThroughTheDecoderWorker) {
    const std::string png = label("vin.png", "CODE39", "I1M8GDM9AXKP042788");
    auto r = run({"scan", "listen", "--json", "--count", "1", "--seconds", "20", "image:" + png}, false);
    ASSERT_EQ(r.exit, 0) << r.err;
    auto lines = jsonLines(r.out);
    ASSERT_EQ(lines.size(), 2u) << r.out;
    EXPECT_EQ(lines[1]["format"], "Code39");
    EXPECT_EQ(lines[1]["vin"], "1M8GDM9AXKP042788");
}

TEST_F(ScanDecode, ListenRefusesAnUnknownScannerAndReportsTooFewScans) {
    auto bad = run({"scan", "listen", "bluetooth:00:11"}, false);
    EXPECT_EQ(bad.exit, 2);
    EXPECT_NE(bad.err.find("serial:"), std::string::npos) << bad.err;
    auto quiet = run({"scan", "listen", "--count", "1", "--seconds", "0.3", "virtual"}, false);
    EXPECT_EQ(quiet.exit, 1);
    EXPECT_NE(quiet.err.find("0 of 1 scans"), std::string::npos) << quiet.err;
}

// ---- receipt print / render, printer status / queue / virtual ------------------------------------------------------
//
// The printer is `showroom printer virtual` in a child process of its own, on 127.0.0.1, as a shop runs it
// to try a kiosk without hardware; the test reads its port from its first line, sends it faults on its
// stdin and reads what came out of it from its --out directory (receipt-NNN.txt, .png, .bin).

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A child process the test owns: stdin is a pipe the test writes to, stdout a pipe it reads (or a
// file), stderr a file. Killed by its PID and reaped when the object dies, however the test ends.
class Child {
public:
    Child(const std::vector<std::string>& args, const std::string& stderrFile, const std::string& stdoutFile = "") {
        std::signal(SIGPIPE, SIG_IGN); // writing to a printer that died fails the test, not the process
        int in[2] = {-1, -1}, out[2] = {-1, -1};
        if (::pipe2(in, O_CLOEXEC) != 0) return;
        const int flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
        const bool opened =
            stdoutFile.empty() ? ::pipe2(out, O_CLOEXEC) == 0 : (out[1] = ::open(stdoutFile.c_str(), flags, 0644)) >= 0;
        if (!opened) {
            closeAll({in[0], in[1], out[0], out[1]});
            return;
        }
        const int err = ::open(stderrFile.c_str(), flags, 0644);
        std::vector<char*> argv;
        for (const auto& a : args)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        m_pid = ::fork();
        if (m_pid == 0) {
            ::dup2(in[0], 0);
            ::dup2(out[1], 1);
            ::dup2(err, 2);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        closeAll({in[0], out[1], err});
        m_stdin = in[1];
        m_stdout = out[0];
    }
    ~Child() { kill(); }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    bool started() const { return m_pid > 0; }
    pid_t pid() const { return m_pid; }

    bool write(std::string_view text) {
        return ::write(m_stdin, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    }

    /// The next line of its stdout (without the newline), or nullopt when none comes within `timeout`.
    std::optional<std::string> readLine(std::chrono::milliseconds timeout) {
        const auto deadline = Clock::now() + timeout;
        for (;;) {
            if (const auto nl = m_buffer.find('\n'); nl != std::string::npos) {
                std::string line = m_buffer.substr(0, nl);
                m_buffer.erase(0, nl + 1);
                return line;
            }
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
            if (m_stdout < 0 || left <= 0) return std::nullopt;
            pollfd p{m_stdout, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
            char buf[4096];
            const auto n = ::read(m_stdout, buf, sizeof buf);
            if (n <= 0) return std::nullopt;
            m_buffer.append(buf, static_cast<std::size_t>(n));
        }
    }

    /// The first stdout line containing `text` within `timeout` (lines before it are skipped).
    bool waitForLine(std::string_view text, std::chrono::milliseconds timeout) {
        const auto deadline = Clock::now() + timeout;
        while (Clock::now() < deadline) {
            auto line = readLine(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
            if (!line) return false;
            if (line->find(text) != std::string::npos) return true;
        }
        return false;
    }

    /// SIGKILL and reap it; returns its wait status (-1 when it was never started or is reaped already).
    int kill() {
        int status = -1;
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
            }
            m_pid = -1;
        }
        closeAll({m_stdin, m_stdout});
        m_stdin = m_stdout = -1;
        return status;
    }

private:
    static void closeAll(std::initializer_list<int> fds) {
        for (int fd : fds)
            if (fd >= 0) ::close(fd);
    }
    pid_t m_pid = -1;
    int m_stdin = -1, m_stdout = -1;
    std::string m_buffer;
};

// "66310.44" as a receipt prints it: "$66,310.44".
std::string dollars(const std::string& amount) {
    const auto dot = amount.find('.');
    const std::string whole = amount.substr(0, dot);
    std::string grouped;
    for (std::size_t i = 0; i < whole.size(); ++i) {
        if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
        grouped += whole[i];
    }
    return "$" + grouped + (dot == std::string::npos ? ".00" : amount.substr(dot));
}

// The value printed right of `label` on the receipt line that starts with it ("" when no such line).
std::string lineValue(const std::string& text, const std::string& label) {
    std::size_t at = text.rfind(label, 0) == 0 ? 0 : text.find("\n" + label);
    if (at == std::string::npos) return "";
    if (text[at] == '\n') ++at;
    std::string line = text.substr(at + label.size(), text.find('\n', at) - at - label.size());
    line.erase(0, line.find_first_not_of(' '));
    return line;
}

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

// One receipt as it came out of the virtual printer.
struct Paper {
    std::string text, raw, png;
    bool cut() const { // the stream of a whole receipt ends with its cut, GS V m n
        const auto at = raw.rfind("\x1d\x56");
        return at != std::string::npos && at + 4 >= raw.size();
    }
    bool isCopy() const { return contains(text, "COPY / REPRINT"); }
};

std::vector<Paper> receiptsIn(const std::string& dir) {
    std::vector<Paper> papers;
    for (int n = 1;; ++n) {
        char name[32];
        std::snprintf(name, sizeof name, "/receipt-%03d.", n);
        const std::string base = dir + name;
        if (!std::filesystem::exists(base + "txt")) break;
        papers.push_back({readFile(base + "txt"), readFile(base + "bin"), readFile(base + "png")});
    }
    return papers;
}

class CliPrinting : public Cli {
protected:
    const std::string paperDir = dir.file("paper");
    std::string dealNo;

    // The demo store; `dealNo` is its draft deal, on which no payment has been taken.
    void seed() {
        ASSERT_EQ(run({"demo", "seed", "--vehicles", "30", "--seed", "7", "--as-of", "2026-11-01"}).exit, 0);
        for (const auto& d : run({"deal", "list", "--json"}).json())
            if (d["status"] == "draft") dealNo = d["deal_no"];
        ASSERT_FALSE(dealNo.empty()) << "the demo has no draft deal";
    }

    // Takes a cash payment on the draft deal; its receipt number.
    std::string pay(const std::string& amount = "500") {
        auto r = run({"--json", "deal", "pay", dealNo, "--amount", amount, "--method", "cash"});
        EXPECT_EQ(r.exit, 0) << r.err;
        return r.exit == 0 ? r.json()["receipt_no"].get<std::string>() : "";
    }

    // `showroom printer virtual` on a free port of 127.0.0.1; `connection` is how to reach it.
    std::unique_ptr<Child> startPrinter(std::vector<std::string> faults, std::string& connection) {
        std::vector<std::string> args = {SHOWROOM_CLI,  "printer", "virtual", "--listen",
                                         "127.0.0.1:0", "--out",   paperDir};
        args.insert(args.end(), faults.begin(), faults.end());
        auto printer = std::make_unique<Child>(args, dir.file("printer.err"));
        EXPECT_TRUE(printer->started());
        const auto first = printer->readLine(10s);
        EXPECT_TRUE(first) << "the virtual printer said nothing: " << readFile(dir.file("printer.err"));
        const std::string prefix = "Virtual printer listening on tcp:127.0.0.1:";
        if (!first || first->rfind(prefix, 0) != 0) {
            ADD_FAILURE() << "unexpected first line: " << first.value_or("");
            return printer;
        }
        connection = "tcp:127.0.0.1:" + first->substr(prefix.size());
        return printer;
    }

    nlohmann::json jobs() {
        auto r = run({"--json", "printer", "queue"});
        EXPECT_EQ(r.exit, 0) << r.err;
        return r.exit == 0 ? r.json()["jobs"] : nlohmann::json::array();
    }
};

TEST_F(CliPrinting, ReceiptRenderWritesTheTextPictureAndEscPosOfAPayment) {
    ASSERT_NO_FATAL_FAILURE(seed());
    auto none = run({"receipt", "render", "--deal", dealNo, "--out", dir.file("none.txt")});
    EXPECT_EQ(none.exit, 2);
    EXPECT_TRUE(contains(none.err, "no payment")) << none.err;
    EXPECT_FALSE(std::filesystem::exists(dir.file("none.txt")));

    const std::string receiptNo = pay("500");
    ASSERT_FALSE(receiptNo.empty());
    auto show = run({"--json", "deal", "show", dealNo});
    ASSERT_EQ(show.exit, 0) << show.err;
    const auto deal = show.json();

    auto txt = run({"--json", "receipt", "render", "--deal", dealNo, "--out", dir.file("r.txt")});
    ASSERT_EQ(txt.exit, 0) << txt.err;
    EXPECT_EQ(txt.json()["receipt_no"], receiptNo);
    EXPECT_EQ(txt.json()["deal_no"], dealNo);
    EXPECT_EQ(txt.json()["kind"], "deposit");
    EXPECT_EQ(txt.json()["path"], dir.file("r.txt"));
    const std::string text = readFile(dir.file("r.txt"));
    EXPECT_EQ(txt.json()["bytes"], text.size());
    EXPECT_TRUE(contains(text, "DEPOSIT RECEIPT")) << text;
    EXPECT_EQ(lineValue(text, "Receipt No."), receiptNo) << text;
    EXPECT_EQ(lineValue(text, "Deal No."), dealNo) << text;
    EXPECT_EQ(lineValue(text, "THIS PAYMENT"), "$500.00") << text;
    EXPECT_EQ(lineValue(text, "Paid before"), "$0.00") << text;
    EXPECT_EQ(dollars(deal["paid"]), "$500.00");
    EXPECT_EQ(lineValue(text, "TOTAL DUE"), dollars(deal["total_due"])) << text;
    EXPECT_EQ(lineValue(text, "BALANCE DUE"), dollars(deal["balance"])) << text;
    EXPECT_TRUE(contains(text, "Thank you")) << text;
    EXPECT_FALSE(contains(text, "COPY / REPRINT")) << "an original is not marked";

    ASSERT_EQ(run({"receipt", "render", "--payment", receiptNo, "--out", dir.file("r.png")}).exit, 0);
    EXPECT_EQ(readFile(dir.file("r.png")).substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));

    auto bin = run({"receipt", "render", "--deal", dealNo, "--out", dir.file("r.bin")});
    ASSERT_EQ(bin.exit, 0) << bin.err;
    EXPECT_TRUE(contains(bin.out, "Receipt " + receiptNo + " written to")) << bin.out;
    const std::string escpos = readFile(dir.file("r.bin"));
    EXPECT_EQ(escpos.substr(0, 2), "\x1b\x40") << "ESC @ resets the printer first";
    EXPECT_TRUE(contains(escpos, "\x1d\x56")) << "GS V cuts the paper";
    EXPECT_TRUE(contains(escpos, receiptNo));

    ASSERT_EQ(run({"receipt", "render", "--deal", dealNo, "--out", dir.file("copy.txt"), "--reprint"}).exit, 0);
    const std::string copy = readFile(dir.file("copy.txt"));
    EXPECT_TRUE(contains(copy, "COPY / REPRINT")) << copy;
    EXPECT_EQ(lineValue(copy, "Receipt No."), receiptNo);

    // Chinese prints as text where the printer has the GB18030 font, else as pictures of the text.
    auto zh = run({"receipt", "render", "--deal", dealNo, "--lang", "zh-CN", "--profile", "80mm+gb18030", "--out",
                   dir.file("zh.txt")});
    ASSERT_EQ(zh.exit, 0) << zh.err;
    const std::string zhText = readFile(dir.file("zh.txt"));
    EXPECT_TRUE(contains(zhText, "收据")) << zhText;
    EXPECT_TRUE(contains(zhText, receiptNo)) << zhText;
    EXPECT_TRUE(contains(zhText, dollars(deal["balance"]))) << zhText;
    ASSERT_EQ(run({"receipt", "render", "--deal", dealNo, "--lang", "zh-CN", "--out", dir.file("zh-raster.txt")}).exit,
              0);
    EXPECT_TRUE(contains(readFile(dir.file("zh-raster.txt")), "[image ")) << "80mm has no Chinese font: raster";

    auto unknown = run({"receipt", "render", "--deal", "D1999-000001", "--out", dir.file("x.txt")});
    EXPECT_EQ(unknown.exit, 2);
    EXPECT_TRUE(contains(unknown.err, "D1999-000001")) << unknown.err;
    EXPECT_FALSE(std::filesystem::exists(dir.file("x.txt")));
    EXPECT_EQ(run({"receipt", "render", "--deal", dealNo, "--out", dir.file("x.pdf")}).exit, 2);
    EXPECT_EQ(run({"receipt", "render", "--out", dir.file("x.txt")}).exit, 2) << "neither --deal nor --payment";
}

TEST_F(CliPrinting, ReceiptPrintOnAVirtualPrinterPrintsItOnce) {
    ASSERT_NO_FATAL_FAILURE(seed());
    const std::string receiptNo = pay();
    std::string printer;
    auto vp = startPrinter({}, printer);
    ASSERT_FALSE(printer.empty());

    auto r = run({"--json", "receipt", "print", "--deal", dealNo, "--printer", printer, "--wait", "10"});
    ASSERT_EQ(r.exit, 0) << r.err;
    const auto j = r.json();
    EXPECT_EQ(j["state"], "printed");
    EXPECT_EQ(j["attempts"], 1);
    EXPECT_EQ(j["printed_as_copy"], false);
    EXPECT_EQ(j["uncertain"], false);
    EXPECT_EQ(j["receipt_no"], receiptNo);
    EXPECT_EQ(j["reference"], receiptNo);
    EXPECT_EQ(j["printer"], printer);

    const auto papers = receiptsIn(paperDir);
    ASSERT_EQ(papers.size(), 1u);
    EXPECT_EQ(lineValue(papers[0].text, "Receipt No."), receiptNo) << papers[0].text;
    EXPECT_TRUE(papers[0].cut());
    EXPECT_FALSE(papers[0].isCopy());
    EXPECT_EQ(papers[0].png.substr(0, 4), "\x89PNG");

    const auto queue = jobs();
    ASSERT_EQ(queue.size(), 1u);
    EXPECT_EQ(queue[0]["state"], "printed");
    EXPECT_FALSE(queue[0]["printed_at"].is_null());
}

TEST_F(CliPrinting, AReceiptWaitsForPaperAndPrintsOnceThePaperIsIn) {
    ASSERT_NO_FATAL_FAILURE(seed());
    const std::string first = pay("500");
    const std::string second = pay("250");
    std::string printer;
    auto vp = startPrinter({"--paper-out"}, printer);
    ASSERT_FALSE(printer.empty());

    auto r = run({"--json", "receipt", "print", "--payment", first, "--printer", printer, "--wait", "1"});
    EXPECT_EQ(r.exit, 1) << "queued but not printed is not success";
    auto j = r.json();
    EXPECT_EQ(j["state"], "queued");
    EXPECT_EQ(j["waiting_for"], "paper_out");
    EXPECT_EQ(j["attempts"], 0) << "waiting counts no attempt";

    // The second receipt queues behind the first one; it waits for the same paper.
    auto human = run({"receipt", "print", "--payment", second, "--printer", printer, "--wait", "1"});
    EXPECT_EQ(human.exit, 1);
    EXPECT_TRUE(contains(human.err, "queued as job")) << human.err;
    EXPECT_TRUE(contains(human.err, "out of paper")) << human.err;
    EXPECT_TRUE(contains(human.err, "printer queue --run")) << human.err;
    EXPECT_TRUE(receiptsIn(paperDir).empty());

    ASSERT_TRUE(vp->write("paper in\n"));
    ASSERT_TRUE(vp->waitForLine("ok paper in", 5s));
    auto ran = run({"--json", "printer", "queue", "--run", "--wait", "10"});
    ASSERT_EQ(ran.exit, 0) << ran.err;
    const auto list = ran.json()["jobs"];
    ASSERT_EQ(list.size(), 2u);
    for (const auto& job : list) {
        EXPECT_EQ(job["state"], "printed") << job;
        EXPECT_EQ(job["printed_as_copy"], false) << job;
        EXPECT_EQ(job["attempts"], 1) << job;
        EXPECT_EQ(job["waiting_for"], "") << job;
    }
    const auto papers = receiptsIn(paperDir);
    ASSERT_EQ(papers.size(), 2u);
    EXPECT_EQ(lineValue(papers[0].text, "Receipt No."), first) << "oldest first";
    EXPECT_EQ(lineValue(papers[1].text, "Receipt No."), second);
    for (const auto& p : papers) {
        EXPECT_TRUE(p.cut());
        EXPECT_FALSE(p.isCopy());
    }
}

// The CLI dies (kill -9) while the printer slowly takes a receipt: the job stays `sending` under a dead
// process; the next `printer queue --run` sends it again marked COPY / REPRINT, and never a second original.
TEST_F(CliPrinting, ACrashMidReceiptIsReprintedAsACopyNeverAsASecondOriginal) {
    ASSERT_NO_FATAL_FAILURE(seed());
    const std::string receiptNo = pay();
    std::string printer;
    auto vp = startPrinter({"--bytes-per-second", "2000"}, printer);
    ASSERT_FALSE(printer.empty());

    // In Chinese on an 80mm printer without the Chinese font the receipt is a ~25 KB raster: seconds at 2 KB/s.
    Child cli({SHOWROOM_CLI, "--db", db, "--json", "receipt", "print", "--deal", dealNo, "--printer", printer, "--lang",
               "zh-CN", "--wait", "60"},
              dir.file("cli.err"), dir.file("cli.out"));
    ASSERT_TRUE(cli.started());
    nlohmann::json job;
    for (const auto deadline = Clock::now() + 20s; Clock::now() < deadline; std::this_thread::sleep_for(50ms)) {
        const auto list = jobs();
        if (!list.empty() && list[0]["state"] == "sending") {
            job = list[0];
            break;
        }
    }
    ASSERT_FALSE(job.is_null()) << "the job never became sending: " << readFile(dir.file("cli.err"));
    EXPECT_GT(job["bytes"].get<int>(), 10'000) << "too small to still be printing when the CLI dies";
    std::this_thread::sleep_for(300ms); // the printer is part-way through it
    const int status = cli.kill();
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "it finished before the crash";
    EXPECT_TRUE(readFile(dir.file("cli.out")).empty());
    ASSERT_EQ(jobs()[0]["state"], "sending") << "the dead process left it sending";

    ASSERT_TRUE(vp->write("slow 0\n")); // the rest of the test need not take seconds
    ASSERT_TRUE(vp->waitForLine("ok slow 0", 5s));
    auto ran = run({"--json", "printer", "queue", "--run", "--wait", "20"});
    ASSERT_EQ(ran.exit, 0) << ran.err;
    const auto list = ran.json()["jobs"];
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0]["id"], job["id"]);
    EXPECT_EQ(list[0]["state"], "printed");
    EXPECT_EQ(list[0]["printed_as_copy"], true);
    EXPECT_EQ(list[0]["uncertain"], true);
    EXPECT_EQ(list[0]["attempts"], 2);

    // The crashed original had already gone into the socket: the printer may finish it or not, that is
    // beyond anyone's reach. What the queue guarantees: one whole COPY after it, and no other original.
    const auto papers = receiptsIn(paperDir);
    ASSERT_GE(papers.size(), 1u);
    ASSERT_LE(papers.size(), 2u);
    const auto& last = papers.back();
    EXPECT_TRUE(last.isCopy()) << last.text;
    EXPECT_TRUE(last.cut());
    EXPECT_TRUE(contains(last.text, "[Code128: " + receiptNo + "]")) << last.text;
    int copies = 0, originals = 0;
    for (const auto& p : papers)
        (p.isCopy() ? copies : originals) += 1;
    EXPECT_EQ(copies, 1);
    EXPECT_LE(originals, 1) << "at most the original the crash interrupted";

    auto again = run({"--json", "printer", "queue", "--run", "--wait", "2"});
    EXPECT_EQ(again.exit, 0) << again.err;
    EXPECT_EQ(receiptsIn(paperDir).size(), papers.size()) << "a printed job is never sent again";
}

TEST_F(CliPrinting, AConnectionDroppedMidReceiptIsRetriedAsACopy) {
    ASSERT_NO_FATAL_FAILURE(seed());
    const std::string receiptNo = pay();
    std::string printer;
    auto vp = startPrinter({"--drop-after", "300"}, printer);
    ASSERT_FALSE(printer.empty());

    auto r = run({"--json", "receipt", "print", "--deal", dealNo, "--printer", printer, "--wait", "10"});
    ASSERT_EQ(r.exit, 0) << r.err;
    const auto j = r.json();
    EXPECT_EQ(j["state"], "printed");
    EXPECT_EQ(j["attempts"], 2);
    EXPECT_EQ(j["printed_as_copy"], true);
    EXPECT_EQ(j["uncertain"], true);

    const auto papers = receiptsIn(paperDir);
    ASSERT_EQ(papers.size(), 2u) << "the part before the drop, then the copy";
    EXPECT_FALSE(papers[0].cut()) << papers[0].text;
    EXPECT_FALSE(papers[0].isCopy());
    EXPECT_FALSE(contains(papers[0].text, "Thank you")) << "the first try was cut short";
    EXPECT_TRUE(papers[1].isCopy()) << papers[1].text;
    EXPECT_TRUE(papers[1].cut());
    EXPECT_EQ(lineValue(papers[1].text, "Receipt No."), receiptNo);
    EXPECT_TRUE(contains(papers[1].text, "Thank you"));

    auto human = run({"printer", "queue"});
    EXPECT_TRUE(contains(human.out, "printed as COPY / REPRINT")) << human.out;
}

TEST_F(CliPrinting, PrinterStatusSaysWhatThePrinterNeeds) {
    std::string printer;
    auto vp = startPrinter({}, printer);
    ASSERT_FALSE(printer.empty());
    auto ready = run({"--json", "printer", "status", printer}, false);
    ASSERT_EQ(ready.exit, 0) << ready.err;
    const auto j = ready.json();
    for (const char* key :
         {"printer", "reachable", "ready", "paper_out", "cover_open", "paper_near_end", "online", "error"})
        EXPECT_TRUE(j.contains(key)) << key;
    EXPECT_EQ(j["printer"], printer);
    EXPECT_EQ(j["reachable"], true);
    EXPECT_EQ(j["ready"], true);
    EXPECT_EQ(j["paper_out"], false);
    auto human = run({"printer", "status", printer}, false);
    EXPECT_EQ(human.exit, 0);
    EXPECT_TRUE(contains(human.out, "ready")) << human.out;

    ASSERT_TRUE(vp->write("cover open\n"));
    ASSERT_TRUE(vp->waitForLine("ok cover open", 5s));
    auto cover = run({"--json", "printer", "status", printer}, false);
    EXPECT_EQ(cover.exit, 1);
    EXPECT_EQ(cover.json()["cover_open"], true);
    vp.reset();

    std::string paperOut;
    vp = startPrinter({"--paper-out"}, paperOut);
    ASSERT_FALSE(paperOut.empty());
    auto out = run({"--json", "printer", "status", paperOut}, false);
    EXPECT_EQ(out.exit, 1);
    EXPECT_EQ(out.json()["paper_out"], true);
    EXPECT_EQ(out.json()["ready"], false);
    EXPECT_EQ(out.json()["reachable"], true);
    EXPECT_TRUE(contains(run({"printer", "status", paperOut}, false).out, "out of paper"));

    // A port bound on 127.0.0.1 but not listening: the connection is refused.
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    auto nobody = run({"--json", "printer", "status", "tcp:127.0.0.1:" + std::to_string(ntohs(addr.sin_port))}, false);
    ::close(fd);
    EXPECT_EQ(nobody.exit, 1);
    EXPECT_EQ(nobody.json()["reachable"], false);
    EXPECT_FALSE(nobody.json()["error_message"].get<std::string>().empty());

    auto junk = run({"printer", "status", "foo:bar"}, false);
    EXPECT_EQ(junk.exit, 2);
    EXPECT_TRUE(contains(junk.err, "tcp:HOST")) << junk.err;
}

TEST_F(CliPrinting, QueueRetryAndStateRefuseWhatMakesNoSense) {
    ASSERT_NO_FATAL_FAILURE(seed());
    const std::string receiptNo = pay();
    const std::string file = dir.file("printer.bin");
    auto printed = run({"--json", "receipt", "print", "--deal", dealNo, "--printer", "file:" + file});
    ASSERT_EQ(printed.exit, 0) << printed.err;
    const auto id = printed.json()["id"].get<std::int64_t>();
    EXPECT_TRUE(contains(readFile(file), receiptNo));

    auto retry = run({"printer", "queue", "--retry", std::to_string(id)});
    EXPECT_EQ(retry.exit, 2) << "only a failed job can be retried";
    EXPECT_TRUE(contains(retry.err, "not failed")) << retry.err;
    EXPECT_EQ(jobs()[0]["state"], "printed") << "the refused retry changed nothing";
    EXPECT_EQ(run({"printer", "queue", "--retry", "999"}).exit, 2);
    auto bogus = run({"printer", "queue", "--state", "bogus"});
    EXPECT_EQ(bogus.exit, 2);
    EXPECT_TRUE(contains(bogus.err, "queued, sending, printed, failed")) << bogus.err;

    auto onlyPrinted = run({"--json", "printer", "queue", "--state", "printed"});
    ASSERT_EQ(onlyPrinted.exit, 0);
    EXPECT_EQ(onlyPrinted.json()["jobs"].size(), 1u);
    EXPECT_TRUE(run({"--json", "printer", "queue", "--state", "failed"}).json()["jobs"].empty());
}

TEST_F(CliPrinting, ABadPrinterOrDealQueuesNothing) {
    ASSERT_NO_FATAL_FAILURE(seed());
    pay();
    for (const std::string bad : {"foo:bar", "tcp:", "tcp:127.0.0.1:99999", "usb:xyz"}) {
        auto r = run({"receipt", "print", "--deal", dealNo, "--printer", bad});
        EXPECT_EQ(r.exit, 2) << bad << ": " << r.err;
        EXPECT_FALSE(r.err.empty()) << bad;
    }
    auto unknown = run({"receipt", "print", "--deal", "D1999-000001", "--printer", "file:" + dir.file("p.bin")});
    EXPECT_EQ(unknown.exit, 2) << unknown.err;
    EXPECT_EQ(run({"receipt", "print", "--printer", "file:" + dir.file("p.bin")}).exit, 2) << "no --deal or --payment";
    EXPECT_TRUE(jobs().empty());
    EXPECT_FALSE(std::filesystem::exists(dir.file("p.bin")));
}

} // namespace

// ---- the network: re-pricing, transfers, the catalog, conflicts ------------------------------------------

namespace {

// Rows a sync from HQ would have written (the sync client's own tests cover how they get there).
void writeAsHq(const std::string& db, const std::string& sql) {
    const std::string cmd = "sqlite3 " + shellQuote(db) + " " + shellQuote(sql);
    ASSERT_EQ(std::system(cmd.c_str()), 0) << sql;
}

} // namespace

TEST_F(Cli, VehiclePriceChangesThePriceAndRefusesAMalformedAmount) {
    init();
    ASSERT_EQ(run({"checkin", "1M8GDM9AXKP042788", "--price", "30000", "--year", "1989", "--stock-no", "S1"}).exit, 0);
    auto r = run({"vehicle", "price", "--json", "S1", "28,500", "--reason", "spring sale"});
    ASSERT_EQ(r.exit, 0) << r.err;
    EXPECT_EQ(r.json()["vehicle"]["price"], "28500.00");
    EXPECT_EQ(r.json()["from"], "30000.00");
    EXPECT_EQ(run({"inventory", "show", "--json", "S1"}).json()["price"], "28500.00");
    auto bad = run({"vehicle", "price", "S1", "cheap"});
    EXPECT_EQ(bad.exit, 2);
    EXPECT_NE(bad.err.find("amount"), std::string::npos) << bad.err;
    EXPECT_EQ(run({"vehicle", "price", "S1", "0"}).exit, 2);
    EXPECT_EQ(run({"inventory", "show", "--json", "S1"}).json()["price"], "28500.00");
    EXPECT_EQ(run({"vehicle", "price", "--help"}, false).exit, 0);
}

TEST_F(Cli, VehicleTransferSendsACarAwayButNotToItsOwnShowroom) {
    init();
    ASSERT_EQ(run({"checkin", "1M8GDM9AXKP042788", "--price", "30000", "--year", "1989", "--stock-no", "S1"}).exit, 0);
    auto own = run({"vehicle", "transfer", "S1", "--to", "TST"});
    EXPECT_EQ(own.exit, 2);
    EXPECT_NE(own.err.find("TST"), std::string::npos) << own.err;
    auto r = run({"vehicle", "transfer", "--json", "1M8GDM9AXKP042788", "--to", "b01"});
    ASSERT_EQ(r.exit, 0) << r.err;
    EXPECT_EQ(r.json()["status"], "transferred");
    EXPECT_EQ(run({"vehicle", "transfer", "S1"}).exit, 2) << "--to is required";
    EXPECT_EQ(run({"vehicle", "transfer", "--help"}, false).exit, 0);
}

TEST_F(Cli, CatalogListShowsWhatHqSentFilteredByMake) {
    init();
    auto empty = run({"catalog", "list"});
    ASSERT_EQ(empty.exit, 0) << empty.err;
    EXPECT_NE(empty.out.find("empty"), std::string::npos) << empty.out;
    writeAsHq(db, "INSERT INTO catalog_models(year, make, model, trim, body, fuel, drivetrain, msrp_cents, features) "
                  "VALUES (2025, 'Toyota', 'RAV4', 'XLE', 'suv', 'hybrid', 'AWD', 3300000, 'Roof rails'), "
                  "(2024, 'Tesla', 'Model 3', '', 'sedan', 'electric', 'RWD', 3899000, '')");
    auto toyota = run({"catalog", "list", "--json", "--make", "toyota"});
    ASSERT_EQ(toyota.exit, 0) << toyota.err;
    ASSERT_EQ(toyota.json().size(), 1u);
    EXPECT_EQ(toyota.json()[0]["model"], "RAV4");
    EXPECT_EQ(toyota.json()[0]["msrp"], "33000.00");
    EXPECT_EQ(run({"catalog", "list", "--json"}).json().size(), 2u);
    auto human = run({"catalog", "list"});
    EXPECT_NE(human.out.find("2025 Toyota RAV4 XLE"), std::string::npos) << human.out;
    EXPECT_EQ(run({"catalog", "list", "--make"}).exit, 2) << "--make needs a value";
    EXPECT_EQ(run({"catalog", "list", "--help"}, false).exit, 0);
}

TEST_F(Cli, SyncConflictsListsOpenOnesAndResolveNeedsANote) {
    init();
    writeAsHq(db, "INSERT INTO sync_conflicts(id, kind, vin, deal_id, deal_no, other_store, message, data, received_at) "
                  "VALUES ('c-1', 'vehicle_sold_elsewhere', '1M8GDM9AXKP042788', 'd-1', 'D2026-0001', 'B01', "
                  "'B01 signed a sale first', '{}', '2026-11-01T10:00:00Z')");
    auto open = run({"sync", "conflicts", "--json"});
    ASSERT_EQ(open.exit, 0) << open.err;
    ASSERT_EQ(open.json().size(), 1u);
    EXPECT_EQ(open.json()[0]["deal_no"], "D2026-0001");
    EXPECT_TRUE(open.json()[0]["open"].get<bool>());
    EXPECT_NE(run({"sync", "conflicts"}).out.find("B01 signed a sale first"), std::string::npos);

    EXPECT_EQ(run({"sync", "conflicts", "resolve", "c-1"}).exit, 2) << "--note is required";
    EXPECT_EQ(run({"sync", "conflicts", "resolve", "c-9", "--note", "x"}).exit, 2) << "unknown id";
    auto resolved = run({"sync", "conflicts", "resolve", "--json", "c-1", "--note", "deal cancelled, customer refunded"});
    ASSERT_EQ(resolved.exit, 0) << resolved.err;
    EXPECT_FALSE(resolved.json()["open"].get<bool>());
    EXPECT_EQ(run({"sync", "conflicts", "--json"}).json().size(), 0u);
    EXPECT_EQ(run({"sync", "conflicts", "--all", "--json"}).json().size(), 1u);
    EXPECT_EQ(run({"sync", "status", "--json"}).json()["conflicts"], 0);
    EXPECT_EQ(run({"sync", "conflicts", "resolve", "c-1", "--note", "again"}).exit, 2) << "already resolved";
    EXPECT_EQ(run({"sync", "conflicts", "--help"}, false).exit, 0);
    EXPECT_EQ(run({"sync", "conflicts", "resolve", "--help"}, false).exit, 0);
}
