// The contract as the buyer and the dealer's auditor see it: deals desked in a real store (the
// demo dealership), rendered with libharu, then read back by other programs: qpdf --check must pass,
// pdftotext must show the disclosed figures exactly as finance::quote() stored them, pdffonts the
// embedded fonts, pdftoppm must draw the page. Plus the pure helpers (amounts in words, due dates).
#include "showroom/devices/pdf/contract_pdf.hpp"

#include "showroom/core/contract.hpp"
#include "showroom/core/deals.hpp"
#include "showroom/core/inventory.hpp"
#include "showroom/core/money.hpp"

#include "deal_inputs.hpp"
#include "demo_fixture.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace core = showroom::core;
namespace finance = showroom::core::finance;
namespace pdf = showroom::devices::pdf;
using core::Cents;
using core::formatMoney;
using core::Rate;
using showroom::test::readFile;
using showroom::test::TempDir;
using showroom::test::writeFile;

namespace {

// ---- the outside programs ---------------------------------------------------------------------------------

struct Ran {
    int exit = -1;
    std::string out;
};

// Runs a shell command, capturing stdout (stderr too when `withStderr`).
Ran sh(const std::string& command, bool withStderr = true) {
    Ran r;
    FILE* p = popen((command + (withStderr ? " 2>&1" : " 2>/dev/null")).c_str(), "r");
    if (!p) return r;
    char buf[4096];
    for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;)
        r.out.append(buf, n);
    const int status = pclose(p);
    r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

// The PDF tools are part of the test rig (scripts/install-deps.sh): missing is a failure, not a skip.
bool haveTool(const char* name) {
    const bool found = sh(std::string("command -v ") + name).exit == 0;
    if (!found) ADD_FAILURE() << name << " is not installed; run scripts/install-deps.sh";
    return found;
}

std::string q(const std::string& path) {
    return "'" + path + "'";
}

// Whitespace runs collapsed to one space: lets a test find a phrase that the layout wrapped.
std::string flat(const std::string& text) {
    std::string out;
    for (char c : text) {
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\r';
        if (space && (out.empty() || out.back() == ' ')) continue;
        out += space ? ' ' : c;
    }
    return out;
}

bool has(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// A PDF written to disk and what the poppler and qpdf tools make of it.
struct Inspected {
    std::string path;
    Ran check;           ///< qpdf --check
    std::string layout;  ///< pdftotext -layout, pages separated by \f
    std::string reading; ///< pdftotext in reading order, whitespace collapsed: boxes stay together
    std::vector<std::string> pages;
    int pdfinfoPages = -1;
};

Inspected inspect(const TempDir& dir, const std::string& name, const std::string& bytes) {
    Inspected in;
    in.path = dir.file(name);
    writeFile(in.path, bytes);
    if (!haveTool("qpdf") || !haveTool("pdftotext") || !haveTool("pdfinfo")) return in;
    in.check = sh("qpdf --check " + q(in.path));
    in.layout = sh("pdftotext -layout " + q(in.path) + " -", false).out;
    in.reading = flat(sh("pdftotext " + q(in.path) + " -", false).out);
    std::string page;
    for (char c : in.layout) {
        if (c == '\f') {
            in.pages.push_back(page);
            page.clear();
        } else {
            page += c;
        }
    }
    const std::string info = sh("pdfinfo " + q(in.path), false).out;
    if (auto at = info.find("Pages:"); at != std::string::npos) in.pdfinfoPages = std::atoi(info.c_str() + at + 6);
    return in;
}

// ---- deals in the demo store ------------------------------------------------------------------------------

// The shared financed deal with a service contract sold on top.
finance::DealInput financedInput() {
    finance::DealInput in = showroom::test::financedInput();
    in.addOns = {{"Service contract", 189'500, false}};
    return in;
}

finance::DealInput cashInput() {
    finance::DealInput in;
    in.price = 2'450'000;
    in.docFee = 49'900;
    in.titleFee = 12'500;
    in.tax.rate = Rate{60'000};
    in.financed = false;
    return in;
}

// The trade is worth $8,000 but $12,500 is owed on it: $4,500 of negative equity is financed.
finance::DealInput negativeEquityInput() {
    finance::DealInput in = financedInput();
    in.addOns.clear();
    in.tradeInPayoff = 1'250'000;
    in.cashDown = 200'000;
    in.apr = Rate{74'900};
    in.termMonths = 72;
    return in;
}

// A manufacturer's 0 % offer over 36 months: no finance charge.
finance::DealInput zeroAprInput() {
    finance::DealInput in = financedInput();
    in.apr = Rate{0};
    in.termMonths = 36;
    return in;
}

// What every contract must be: well formed for qpdf, numbered "Page N of M" on each page, fingerprinted.
void expectWellFormedAndNumbered(const Inspected& in, const pdf::RenderedContract& r,
                                 const core::ContractDocument& doc) {
    EXPECT_EQ(in.check.exit, 0) << in.check.out;
    EXPECT_TRUE(has(in.check.out, "No syntax or stream encoding errors")) << in.check.out;
    EXPECT_EQ(in.pdfinfoPages, r.pages);
    ASSERT_EQ(static_cast<int>(in.pages.size()), r.pages);
    for (int n = 1; n <= r.pages; ++n)
        EXPECT_TRUE(has(in.pages[static_cast<std::size_t>(n - 1)],
                        "Deal " + doc.deal.dealNo + " · Page " + std::to_string(n) + " of " + std::to_string(r.pages)))
            << "page " << n << ":\n"
            << in.pages[static_cast<std::size_t>(n - 1)];
    EXPECT_TRUE(has(in.layout, "Contract fingerprint " + pdf::contractFingerprint(doc).substr(0, 16)));
}

class ContractPdf : public ::testing::Test {
protected:
    showroom::test::DemoStore store;
    TempDir out;
    pdf::HaruContractRenderer renderer;

    // Desks a new draft deal on an in-stock vehicle of the local showroom and returns its contract.
    core::ContractDocument desk(const finance::DealInput& input, const std::string& language = "en") {
        const auto local = core::localStoreId(store.conn);
        if (!local) {
            ADD_FAILURE() << local.error().message;
            return {};
        }
        const auto vehicles = showroom::test::texts(
            store.conn,
            "SELECT id FROM vehicles WHERE status = 'in_stock' AND store_id = ? ORDER BY vin LIMIT 1 OFFSET ?", *local,
            static_cast<std::int64_t>(m_desked));
        const auto customers = showroom::test::texts(
            store.conn, "SELECT id FROM customers WHERE street <> '' ORDER BY id LIMIT 1 OFFSET ?",
            static_cast<std::int64_t>(m_desked));
        ++m_desked;
        if (vehicles.empty() || customers.empty()) {
            ADD_FAILURE() << "the demo store has no vehicle or customer left to desk";
            return {};
        }
        auto deal = core::Deals(store.ctx).create(customers[0], vehicles[0], input);
        if (!deal) {
            ADD_FAILURE() << "create: " << deal.error().message;
            return {};
        }
        auto doc = core::contractFor(store.ctx, deal->id, language);
        if (!doc) {
            ADD_FAILURE() << "contractFor: " << doc.error().message;
            return {};
        }
        return *doc;
    }

    // Renders `doc`, writes it as `name`, reads it back and checks what every contract must be.
    struct Checked {
        pdf::RenderedContract r;
        Inspected in;
    };
    Checked renderChecked(const core::ContractDocument& doc, const std::string& name) {
        Checked c{render(doc), {}};
        c.in = inspect(out, name, c.r.pdf);
        expectWellFormedAndNumbered(c.in, c.r, doc);
        return c;
    }

    pdf::RenderedContract render(const core::ContractDocument& doc) {
        auto r = renderer.render(doc);
        if (!r) {
            ADD_FAILURE() << "render: " << r.error().message;
            return {};
        }
        return *r;
    }

    // A signature-like RGBA PNG (dark strokes on a transparent background), its path and SHA-256.
    std::pair<std::string, std::string> signaturePng(const std::string& name) {
        const int w = 400, h = 120;
        std::vector<unsigned char> rgba(static_cast<std::size_t>(w * h * 4), 0);
        for (int x = 20; x < 380; ++x) {
            const int y = 60 + static_cast<int>(30 * std::sin(x / 25.0));
            for (int t = -2; t <= 2; ++t) {
                auto* px = &rgba[static_cast<std::size_t>(((y + t) * w + x) * 4)];
                px[0] = 10, px[1] = 20, px[2] = 90, px[3] = 255;
            }
        }
        const std::string path = out.file(name);
        EXPECT_TRUE(stbi_write_png(path.c_str(), w, h, 4, rgba.data(), w * 4));
        return {path, core::sha256Hex(readFile(path))};
    }

private:
    int m_desked = 0;
};

// The five Truth-in-Lending figures, as printed, must be the stored quote's figures: pdftotext
// puts them on one line, in box order.
void expectTilaRow(const Inspected& pdfText, const finance::Quote& quote) {
    const std::vector<std::string> figures = {core::formatPercent(quote.apr, 2) + " %",
                                              formatMoney(quote.financeCharge), formatMoney(quote.amountFinanced),
                                              formatMoney(quote.totalOfPayments), formatMoney(quote.totalSalePrice)};
    std::istringstream lines(pdfText.layout);
    bool found = false;
    for (std::string line; std::getline(lines, line) && !found;) {
        std::size_t at = 0;
        bool all = true;
        for (const auto& f : figures) {
            at = line.find(f, at);
            if (at == std::string::npos) {
                all = false;
                break;
            }
            at += f.size();
        }
        found = all;
    }
    EXPECT_TRUE(found) << "no line holds " << figures[0] << " " << figures[1] << " " << figures[2] << " " << figures[3]
                       << " " << figures[4] << " in order:\n"
                       << pdfText.layout;
}

// ---- financed, cash, negative equity, 0 % -------------------------------------------------------------------

TEST_F(ContractPdf, FinancedContractShowsTheStoredTruthInLendingFiguresAndTheWholeSchedule) {
    const auto doc = desk(financedInput());
    const auto [r, in] = renderChecked(doc, "financed.pdf");
    const auto& quote = doc.deal.quote;
    expectTilaRow(in, quote);
    const std::string text = flat(in.layout);
    EXPECT_TRUE(has(text, "Retail Installment Sale Contract"));
    EXPECT_TRUE(has(in.reading, "ANNUAL PERCENTAGE RATE")) << in.reading;
    EXPECT_TRUE(has(in.reading, "FINANCE CHARGE"));
    for (const char* description :
         {"The cost of your credit as a yearly rate.", "The dollar amount the credit will cost you.",
          "The amount of credit provided to you or on your behalf.",
          "The amount you will have paid after you have made all payments as scheduled."})
        EXPECT_TRUE(has(in.reading, description)) << description << " missing from:\n" << in.reading;
    EXPECT_TRUE(has(in.reading, "The total cost of your purchase on credit, including your down payment of " +
                                    formatMoney(quote.downPayment) + "."))
        << in.reading;
    // Itemization straight from the deal input and the quote.
    EXPECT_TRUE(has(text, "Cash price of vehicle " + formatMoney(doc.deal.input.price))) << text;
    EXPECT_TRUE(
        has(text, "Sales tax (6.25 % of " + formatMoney(quote.taxableAmount) + ") " + formatMoney(quote.salesTax)));
    EXPECT_TRUE(has(text, "Net trade-in " + formatMoney(quote.tradeEquity)));
    EXPECT_TRUE(has(text, "Amount financed " + formatMoney(quote.amountFinanced)));
    EXPECT_TRUE(has(text, "Amount financed in words: " + pdf::amountInWords(quote.amountFinanced))) << text;
    // Schedule summary and every row of the schedule, due monthly from the first payment date.
    ASSERT_EQ(quote.schedule.size(), 60u);
    ASSERT_NE(quote.lastPayment, quote.monthlyPayment) << "pick figures whose last payment differs";
    EXPECT_TRUE(has(text, "59 payments of " + formatMoney(quote.monthlyPayment) + " monthly beginning " +
                              doc.firstPaymentDue + ", and a final payment of " + formatMoney(quote.lastPayment) +
                              " due " + pdf::addMonths(doc.firstPaymentDue, 59)))
        << text;
    for (const auto& row : quote.schedule)
        EXPECT_TRUE(has(text, std::to_string(row.number) + " " + pdf::addMonths(doc.firstPaymentDue, row.number - 1) +
                                  " " + formatMoney(row.payment) + " " + formatMoney(row.interest) + " " +
                                  formatMoney(row.principal) + " " + formatMoney(row.balance)))
            << "installment " << row.number;
    EXPECT_EQ(r.pages, 2) << "the first page, then 60 installments on the second";
    EXPECT_TRUE(has(in.pages[1], "Payment schedule (part of this contract)"));
    // The parties and the car.
    EXPECT_TRUE(has(text, doc.buyer.name));
    EXPECT_TRUE(has(text, doc.dealer.name));
    EXPECT_TRUE(has(text, doc.vehicle.vin));
    EXPECT_TRUE(has(text, "Not signed"));
}

TEST_F(ContractPdf, CashDealIsABuyersOrderWithoutTruthInLendingBox) {
    const auto doc = desk(cashInput());
    ASSERT_FALSE(doc.financed());
    const auto [r, in] = renderChecked(doc, "cash.pdf");
    const std::string text = flat(in.layout);
    EXPECT_TRUE(has(text, "Buyer's Order"));
    EXPECT_FALSE(has(text, "Retail Installment Sale Contract"));
    EXPECT_FALSE(has(text, "ANNUAL PERCENTAGE RATE"));
    EXPECT_FALSE(has(text, "FINANCE CHARGE"));
    EXPECT_FALSE(has(text, "Total of Payments"));
    EXPECT_FALSE(has(text, "Payment schedule"));
    EXPECT_TRUE(has(text, "Balance due on delivery " + formatMoney(doc.deal.quote.balanceDueOnDelivery)));
    EXPECT_TRUE(
        has(text, "Balance due on delivery in words: " + pdf::amountInWords(doc.deal.quote.balanceDueOnDelivery)));
    EXPECT_EQ(r.pages, 1);
}

TEST_F(ContractPdf, NegativeEquityIsPrintedAsSuchAndFinanced) {
    const auto doc = desk(negativeEquityInput());
    const auto& quote = doc.deal.quote;
    ASSERT_LT(quote.tradeEquity, 0);
    const auto [r, in] = renderChecked(doc, "negative.pdf");
    expectTilaRow(in, quote);
    const std::string text = flat(in.layout);
    EXPECT_TRUE(has(text, "Trade-in allowance " + formatMoney(800'000)));
    EXPECT_TRUE(has(text, "Payoff owed on the trade-in " + formatMoney(1'250'000)));
    EXPECT_TRUE(has(text, "negative equity, added to the balance " + formatMoney(quote.tradeEquity))) << text;
    EXPECT_EQ(formatMoney(quote.tradeEquity), "-$4,500.00");
    // 72 installments run past the second page: the table continues, headed again, on the third.
    EXPECT_EQ(r.pages, 3);
    ASSERT_EQ(in.pages.size(), 3u);
    EXPECT_TRUE(has(flat(in.pages[2]), "Payment schedule, continued No. Due date Payment Interest Principal Balance"))
        << in.pages[2];
    EXPECT_TRUE(has(flat(in.pages[2]), "72 " + pdf::addMonths(doc.firstPaymentDue, 71) + " " +
                                           formatMoney(quote.schedule.back().payment)));
}

TEST_F(ContractPdf, ZeroPercentDealDisclosesAZeroFinanceCharge) {
    const auto doc = desk(zeroAprInput());
    const auto& quote = doc.deal.quote;
    ASSERT_EQ(quote.financeCharge, 0);
    const auto [r, in] = renderChecked(doc, "zero.pdf");
    expectTilaRow(in, quote);
    EXPECT_TRUE(has(in.layout, "0.00 %"));
    EXPECT_EQ(formatMoney(quote.financeCharge), "$0.00");
    // At 0 % the payments are the amount financed spread evenly; the last one takes the rounding.
    const bool level = quote.lastPayment == quote.monthlyPayment;
    EXPECT_TRUE(has(flat(in.layout), std::to_string(level ? 36 : 35) + " payments of " +
                                         formatMoney(quote.monthlyPayment) + " monthly beginning " +
                                         doc.firstPaymentDue))
        << in.layout;
}

// ---- determinism, signatures, errors ----------------------------------------------------------------------

TEST_F(ContractPdf, SameDocumentRendersToTheSameBytes) {
    auto doc = desk(financedInput());
    const auto [png, sha] = signaturePng("dealer.png");
    doc.signatures.push_back({"dealer", "Sam Seller", png, sha, "2026-11-01T10:00:00Z"});
    const auto first = render(doc);
    pdf::HaruContractRenderer other;
    const auto second = other.render(doc);
    ASSERT_TRUE(second.ok()) << second.error().message;
    EXPECT_FALSE(first.pdf.empty());
    EXPECT_EQ(core::sha256Hex(first.pdf), core::sha256Hex(second->pdf));
    EXPECT_TRUE(first.pdf == second->pdf);
    EXPECT_EQ(first.pdf.find("CreationDate"), std::string::npos);
}

TEST_F(ContractPdf, RendersOnSeveralThreadsAtOnceWithTheSameBytes) {
    auto doc = desk(financedInput());
    const auto [png, sha] = signaturePng("buyer.png");
    doc.signatures.push_back({"buyer", doc.buyer.name, png, sha, "2026-11-01T10:00:00Z"});
    auto chinese = doc;
    chinese.language = "zh-CN";
    const std::string english = render(doc).pdf, zh = render(chinese).pdf;
    std::vector<std::string> results(8);
    {
        std::vector<std::jthread> threads;
        for (std::size_t t = 0; t < results.size(); ++t)
            threads.emplace_back([&, t] {
                // One renderer shared by all threads: it holds nothing but font paths.
                auto r = renderer.renderContract(t % 2 ? chinese : doc);
                results[t] = r ? *r : "failed: " + r.error().message;
            });
    }
    for (std::size_t t = 0; t < results.size(); ++t)
        EXPECT_TRUE(results[t] == (t % 2 ? zh : english)) << "thread " << t << ": " << results[t].substr(0, 80);
}

TEST_F(ContractPdf, MissingDamagedOrSwappedSignatureImageIsAnErrorNamingTheFile) {
    auto doc = desk(financedInput());
    const std::string missing = out.file("no-such-signature.png");
    doc.signatures = {{"buyer", "Ann Buyer", missing, "", "2026-11-01T10:00:00Z"}};
    auto r = renderer.renderContract(doc);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::ErrorCode::InvalidInput);
    EXPECT_TRUE(has(r.error().message, missing)) << r.error().message;

    // A truncated PNG: libharu's own loader would abort the process inside libpng.
    const auto [png, sha] = signaturePng("buyer.png");
    const std::string truncated = out.file("truncated.png");
    writeFile(truncated, readFile(png).substr(0, readFile(png).size() / 2));
    doc.signatures = {{"buyer", "Ann Buyer", truncated, "", "2026-11-01T10:00:00Z"}};
    r = renderer.renderContract(doc);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::ErrorCode::InvalidInput);
    EXPECT_TRUE(has(r.error().message, truncated)) << r.error().message;

    // The file on disk is not the one signed.
    doc.signatures = {{"buyer", "Ann Buyer", png, std::string(64, '0'), "2026-11-01T10:00:00Z"}};
    r = renderer.renderContract(doc);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(has(r.error().message, "not the one recorded")) << r.error().message;
}

TEST_F(ContractPdf, SignedContractReRenderedFromTheDatabaseHasTheStoredSha256) {
    const auto draft = desk(financedInput());
    const auto [png, sha] = signaturePng("buyer.png");
    const core::ContractSignature buyer{"buyer", draft.buyer.name, png, sha, "2026-11-01T10:05:00Z"};
    auto signedContract = core::signContract(store.ctx, draft.deal.id, buyer, renderer, out.path() / "contracts");
    ASSERT_TRUE(signedContract.ok()) << signedContract.error().message;
    ASSERT_TRUE(signedContract->deal.contractSha256.has_value());
    EXPECT_EQ(*signedContract->deal.contractSha256, signedContract->sha256);
    EXPECT_EQ(core::sha256Hex(readFile(signedContract->path.string())), signedContract->sha256);
    EXPECT_EQ(showroom::test::count(store.conn, "SELECT count(*) FROM audit_log WHERE action = ?",
                                    "contract.signed_despite_conflict"),
              0)
        << "nothing flagged this deal";

    auto again = core::contractFor(store.ctx, draft.deal.dealNo);
    ASSERT_TRUE(again.ok()) << again.error().message;
    ASSERT_EQ(again->signatures.size(), 1u);
    auto pdfBytes = renderer.renderContract(*again);
    ASSERT_TRUE(pdfBytes.ok()) << pdfBytes.error().message;
    EXPECT_EQ(core::sha256Hex(*pdfBytes), *signedContract->deal.contractSha256);

    const auto in = inspect(out, "signed.pdf", *pdfBytes);
    EXPECT_EQ(in.check.exit, 0) << in.check.out;
    const std::string text = flat(in.layout);
    EXPECT_TRUE(has(text, "Signed 2026-11-01 10:05:00 UTC")) << text;
    EXPECT_TRUE(has(text, "Signature image SHA-256 " + sha)) << text;
    ASSERT_TRUE(haveTool("pdfimages"));
    const auto images = sh("pdfimages -list " + q(in.path), false).out;
    EXPECT_TRUE(has(images, " 400   120 ")) << images; // the signature, at its own size
    EXPECT_TRUE(has(images, "smask")) << images;       // with its transparency
}

// ---- zh-CN ------------------------------------------------------------------------------------------------------

// Share of pixels that are not near-white in a PNG: proof that something was drawn.
double inkShare(const std::string& png) {
    int w = 0, h = 0, n = 0;
    unsigned char* px = stbi_load(png.c_str(), &w, &h, &n, 1);
    if (!px) return -1;
    std::size_t dark = 0;
    for (int i = 0; i < w * h; ++i)
        dark += px[i] < 160;
    stbi_image_free(px);
    return static_cast<double>(dark) / (w * h);
}

TEST_F(ContractPdf, ChineseContractPrintsChineseLabelsWithTheEmbeddedUmingFont) {
    const auto doc = desk(financedInput(), "zh-CN");
    ASSERT_EQ(doc.language, "zh-CN");
    const auto r = render(doc);
    const auto in = inspect(out, "zh.pdf", r.pdf);
    EXPECT_EQ(in.check.exit, 0) << in.check.out;
    expectTilaRow(in, doc.deal.quote);
    const std::string text = flat(in.layout);
    for (const char* label : {"机动车零售分期付款销售合同", "年利率", "融资费用", "付款总额", "销售总价",
                              "融资金额明细", "还款明细表", "买方签名"})
        EXPECT_TRUE(has(text, label)) << label << " missing from:\n" << text;
    EXPECT_TRUE(has(text, pdf::amountInChineseUppercase(doc.deal.quote.amountFinanced))) << text;
    EXPECT_TRUE(has(text, "第 1 页，共 " + std::to_string(r.pages) + " 页")) << text;
    EXPECT_FALSE(has(text, "ANNUAL PERCENTAGE RATE"));
    // Same terms, same fingerprint, whatever the language.
    auto english = doc;
    english.language = "en";
    EXPECT_EQ(render(english).fingerprint, r.fingerprint);
    EXPECT_TRUE(has(text, "合同指纹 " + r.fingerprint.substr(0, 16)));

    ASSERT_TRUE(haveTool("pdffonts"));
    const auto fonts = sh("pdffonts " + q(in.path), false).out;
    EXPECT_TRUE(has(fonts, "UMing")) << fonts;
    EXPECT_FALSE(has(fonts, "DejaVu")) << fonts;
    std::istringstream rows(fonts);
    for (std::string row; std::getline(rows, row);)
        if (has(row, "UMing")) {
            EXPECT_TRUE(has(row, " yes yes yes ")) << "embedded, subset, with ToUnicode: " << row;
        }

    ASSERT_TRUE(haveTool("pdftoppm"));
    const std::string prefix = out.file("zh-page1");
    const auto ppm = sh("pdftoppm -r 50 -png -f 1 -l 1 -singlefile " + q(in.path) + " " + q(prefix));
    ASSERT_EQ(ppm.exit, 0) << ppm.out;
    const double ink = inkShare(prefix + ".png");
    EXPECT_GT(ink, 0.02) << "page 1 renders almost blank";
    EXPECT_LT(ink, 0.5);
}

TEST_F(ContractPdf, ChineseNameOnAnEnglishContractIsPrintedWithTheCjkFont) {
    auto doc = desk(cashInput());
    doc.buyer.name = "王小明";
    const auto r = render(doc);
    const auto in = inspect(out, "mixed.pdf", r.pdf);
    EXPECT_EQ(in.check.exit, 0) << in.check.out;
    EXPECT_TRUE(has(in.layout, "王小明")) << in.layout;
    EXPECT_TRUE(has(sh("pdffonts " + q(in.path), false).out, "UMing"));
}

TEST_F(ContractPdf, RefusesAnUnknownLanguageAndAMissingFont) {
    auto doc = desk(cashInput());
    doc.language = "fr";
    EXPECT_EQ(renderer.render(doc).error().code, core::ErrorCode::InvalidInput);
    doc.language = "en";
    pdf::HaruContractRenderer::Fonts fonts;
    fonts.bold = out.file("no-such-font.ttf");
    auto r = pdf::HaruContractRenderer(fonts).render(doc);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, core::ErrorCode::InvalidInput);
    EXPECT_TRUE(has(r.error().message, fonts.bold)) << r.error().message;
}

// ---- pure helpers ---------------------------------------------------------------------------------------------

TEST(AmountInWords, WritesDollarsInWordsAndCentsAsAFraction) {
    EXPECT_EQ(pdf::amountInWords(0), "Zero dollars and 00/100");
    EXPECT_EQ(pdf::amountInWords(7), "Zero dollars and 07/100");
    EXPECT_EQ(pdf::amountInWords(100), "One dollar and 00/100");
    EXPECT_EQ(pdf::amountInWords(1'920'000), "Nineteen thousand two hundred dollars and 00/100");
    EXPECT_EQ(pdf::amountInWords(2'000'017), "Twenty thousand dollars and 17/100");
    EXPECT_EQ(pdf::amountInWords(100'100), "One thousand one dollars and 00/100");
    EXPECT_EQ(pdf::amountInWords(4'299'050), "Forty-two thousand nine hundred ninety dollars and 50/100");
    EXPECT_EQ(pdf::amountInWords(123'456'789),
              "One million two hundred thirty-four thousand five hundred sixty-seven dollars and 89/100");
    EXPECT_EQ(pdf::amountInWords(1'000'000'000), "Ten million dollars and 00/100");
    EXPECT_EQ(pdf::amountInWords(100'000'000'000), "One billion dollars and 00/100");
    EXPECT_EQ(pdf::amountInWords(-150), "Minus one dollar and 50/100");
    EXPECT_EQ(pdf::amountInWords(std::numeric_limits<Cents>::min()).substr(0, 22), "Minus ninety-two quadr");
}

TEST(AmountInChineseUppercase, FollowsThePbocRulesForZerosAndJiaoFen) {
    EXPECT_EQ(pdf::amountInChineseUppercase(0), "零元整");
    EXPECT_EQ(pdf::amountInChineseUppercase(5), "伍分");
    EXPECT_EQ(pdf::amountInChineseUppercase(50), "伍角");
    EXPECT_EQ(pdf::amountInChineseUppercase(1000), "壹拾元整");
    EXPECT_EQ(pdf::amountInChineseUppercase(1'920'000), "壹万玖仟贰佰元整");
    // The PBOC's own examples (正确填写票据和结算凭证的基本规定).
    EXPECT_EQ(pdf::amountInChineseUppercase(140'950), "壹仟肆佰零玖元伍角");
    EXPECT_EQ(pdf::amountInChineseUppercase(600'714), "陆仟零柒元壹角肆分");
    EXPECT_EQ(pdf::amountInChineseUppercase(168'032), "壹仟陆佰捌拾元叁角贰分");
    EXPECT_EQ(pdf::amountInChineseUppercase(32'504), "叁佰贰拾伍元零肆分");
    EXPECT_EQ(pdf::amountInChineseUppercase(10'700'053), "壹拾万柒仟元伍角叁分");
    EXPECT_EQ(pdf::amountInChineseUppercase(123'456'789), "壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分");
    EXPECT_EQ(pdf::amountInChineseUppercase(1'000'500), "壹万零伍元整");
    EXPECT_EQ(pdf::amountInChineseUppercase(10'000'000'500), "壹亿零伍元整");
    EXPECT_EQ(pdf::amountInChineseUppercase(10'005'000'000), "壹亿零伍万元整");
    EXPECT_EQ(pdf::amountInChineseUppercase(100'000'000'000), "壹拾亿元整");
    EXPECT_EQ(pdf::amountInChineseUppercase(-100), "负壹元整");
}

TEST(AddMonths, ClampsTheDayToTheMonth) {
    EXPECT_EQ(pdf::addMonths("2026-11-01", 1), "2026-12-01");
    EXPECT_EQ(pdf::addMonths("2026-12-15", 1), "2027-01-15");
    EXPECT_EQ(pdf::addMonths("2027-01-31", 1), "2027-02-28");
    EXPECT_EQ(pdf::addMonths("2028-01-31", 1), "2028-02-29");
    EXPECT_EQ(pdf::addMonths("2026-12-01", 59), "2031-11-01");
    EXPECT_EQ(pdf::addMonths("2026-12-01", 0), "2026-12-01");
    EXPECT_EQ(pdf::addMonths("", 1), "");
    EXPECT_EQ(pdf::addMonths("2026-13-01", 1), "");
    EXPECT_EQ(pdf::addMonths("2026-11-01T10", 1), "");
}

} // namespace
