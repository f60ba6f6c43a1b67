// The `showroom` CLI as a user or a script runs it: the real binary in a child process, a real
// database file, checking output, JSON keys and exit codes (0 ok, 2 bad input, 1 other failure).
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <string>
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
