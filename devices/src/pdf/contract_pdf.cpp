#include "showroom/devices/pdf/contract_pdf.hpp"

#include "haru_document.hpp"
#include "haru_text.hpp"

#include <stb/stb_image.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <sstream>
#include <utility>
#include <vector>

namespace showroom::devices::pdf {

using core::Cents;
using core::ErrorCode;
using core::fail;
using core::Result;
using detail::appendUtf8;
using detail::hasCjk;
using detail::isCjk;
using detail::loadFont;
using detail::printable;
using detail::Utf8Reader;

// ---- printed figures --------------------------------------------------------------------------------------------

namespace {

// "6.25", "6.875", "7.00": a rate with at least two decimals and no trailing zeros beyond them.
std::string percentText(core::Rate rate) {
    std::string s = core::formatPercent(rate, 4);
    while (s.size() > 3 && s.back() == '0' && s[s.size() - 3] != '.')
        s.pop_back();
    return s;
}

// Due date of installment `number` (1-based): monthly from the first payment's date.
std::string dueDate(const core::ContractDocument& doc, int number) {
    return addMonths(doc.firstPaymentDue, number - 1);
}

} // namespace

// ---- labels -------------------------------------------------------------------------------------------------

namespace {

// Every word the contract prints, in both languages, in one table keyed by label id. "{1}", "{2}", ...
// are filled in by Labels. The static_assert keeps the table complete and in enum order.
enum class L {
    TitleCash,
    TitleFinanced,
    DealNo,
    ContractDate,
    Seller,
    Buyer,
    Salesperson,
    Phone,
    Email,
    Vehicle,
    Vin,
    Year,
    Make,
    Model,
    Trim,
    Odometer,
    NewUsed,
    CondNew,
    CondUsed,
    CondCertified,
    ItemizationFinanced,
    ItemizationCash,
    VehiclePrice,
    Discount,
    AddOns,
    CashPrice,
    SalesTax,
    DocFee,
    TitleFee,
    TradeAllowance,
    TradePayoff,
    NetTrade,
    NegativeEquity,
    TotalDue,
    CashDown,
    AmountFinancedLine,
    BalanceDue,
    WordsAmountFinanced,
    WordsBalanceDue,
    TilaHeading,
    Apr,
    AprDesc,
    FinanceCharge,
    FinanceChargeDesc,
    AmountFinanced,
    AmountFinancedDesc,
    TotalOfPayments,
    TotalOfPaymentsDesc,
    TotalSalePrice,
    TotalSalePriceDesc,
    ScheduleLevel,
    ScheduleWithFinal,
    ScheduleHeading,
    ScheduleContinued,
    ColNumber,
    ColDue,
    ColPayment,
    ColInterest,
    ColPrincipal,
    ColBalance,
    Signatures,
    SignBuyer,
    SignCoBuyer,
    SignDealer,
    SignedAt,
    NotSigned,
    ImageSha,
    Footer,
    Fingerprint,
    Count
};

using LabelText = detail::LabelText<L>;

constexpr LabelText kLabels[] = {
    {L::TitleCash, "Buyer's Order", "购车订单"},
    {L::TitleFinanced, "Retail Installment Sale Contract", "机动车零售分期付款销售合同"},
    {L::DealNo, "Deal {1}", "交易编号 {1}"},
    {L::ContractDate, "Contract date {1}", "合同日期 {1}"},
    {L::Seller, "Seller (dealer)", "卖方（经销商）"},
    {L::Buyer, "Buyer", "买方"},
    {L::Salesperson, "Salesperson: {1}", "销售顾问：{1}"},
    {L::Phone, "Phone {1}", "电话 {1}"},
    {L::Email, "E-mail {1}", "电子邮件 {1}"},
    {L::Vehicle, "Vehicle", "车辆"},
    {L::Vin, "VIN", "车辆识别代号"},
    {L::Year, "Year", "年款"},
    {L::Make, "Make", "品牌"},
    {L::Model, "Model", "车型"},
    {L::Trim, "Trim", "配置"},
    {L::Odometer, "Odometer (miles)", "里程（英里）"},
    {L::NewUsed, "New/Used", "新车/二手车"},
    {L::CondNew, "New", "新车"},
    {L::CondUsed, "Used", "二手车"},
    {L::CondCertified, "Used (certified)", "认证二手车"},
    {L::ItemizationFinanced, "Itemization of the Amount Financed", "融资金额明细"},
    {L::ItemizationCash, "Itemization of the Cash Sale", "现金购车明细"},
    {L::VehiclePrice, "Cash price of vehicle", "车辆现金价格"},
    {L::Discount, "Discount", "折扣"},
    {L::AddOns, "Add-ons", "附加产品"},
    {L::CashPrice, "Cash price", "现金价格合计"},
    {L::SalesTax, "Sales tax ({1} % of {2})", "销售税（{2} 的 {1} %）"},
    {L::DocFee, "Documentary fee", "文件费"},
    {L::TitleFee, "Title and registration fees", "产权及登记费"},
    {L::TradeAllowance, "Trade-in allowance", "置换车辆作价"},
    {L::TradePayoff, "Payoff owed on the trade-in", "置换车辆剩余贷款"},
    {L::NetTrade, "Net trade-in", "置换净额"},
    {L::NegativeEquity, "Net trade-in: negative equity, added to the balance", "置换净额：负资产，计入应付余额"},
    {L::TotalDue, "Total: cash price, tax and fees less net trade-in", "合计：现金价格、税费减置换净额"},
    {L::CashDown, "Cash down payment", "现金首付款"},
    {L::AmountFinancedLine, "Amount financed", "融资金额"},
    {L::BalanceDue, "Balance due on delivery", "交车时应付余额"},
    {L::WordsAmountFinanced, "Amount financed in words:", "融资金额（美元大写）："},
    {L::WordsBalanceDue, "Balance due on delivery in words:", "交车时应付余额（美元大写）："},
    {L::TilaHeading, "Federal Truth-in-Lending Disclosures", "联邦《诚实借贷法》信息披露"},
    {L::Apr, "ANNUAL PERCENTAGE RATE", "年利率"},
    {L::AprDesc, "The cost of your credit as a yearly rate.", "以年利率表示的信贷成本。"},
    {L::FinanceCharge, "FINANCE CHARGE", "融资费用"},
    {L::FinanceChargeDesc, "The dollar amount the credit will cost you.", "该笔信贷将花费您的金额。"},
    {L::AmountFinanced, "Amount Financed", "融资金额"},
    {L::AmountFinancedDesc, "The amount of credit provided to you or on your behalf.", "向您或代表您提供的信贷金额。"},
    {L::TotalOfPayments, "Total of Payments", "付款总额"},
    {L::TotalOfPaymentsDesc, "The amount you will have paid after you have made all payments as scheduled.",
     "按计划付清全部款项后您将支付的金额。"},
    {L::TotalSalePrice, "Total Sale Price", "销售总价"},
    {L::TotalSalePriceDesc, "The total cost of your purchase on credit, including your down payment of {1}.",
     "您以信贷方式购买的总成本，含首付款 {1}。"},
    {L::ScheduleLevel, "Your payment schedule: {1} payments of {2} monthly beginning {3}.",
     "还款计划：共 {1} 期，每月 {2}，自 {3} 起。"},
    {L::ScheduleWithFinal,
     "Your payment schedule: {1} payments of {2} monthly beginning {3}, and a final payment of {4} due {5}.",
     "还款计划：{1} 期，每月 {2}，自 {3} 起；最后一期 {4}，于 {5} 到期。"},
    {L::ScheduleHeading, "Payment schedule (part of this contract)", "还款明细表（本合同组成部分）"},
    {L::ScheduleContinued, "Payment schedule, continued", "还款明细表（续）"},
    {L::ColNumber, "No.", "期数"},
    {L::ColDue, "Due date", "到期日"},
    {L::ColPayment, "Payment", "还款额"},
    {L::ColInterest, "Interest", "利息"},
    {L::ColPrincipal, "Principal", "本金"},
    {L::ColBalance, "Balance", "剩余本金"},
    {L::Signatures, "Signatures", "签署"},
    {L::SignBuyer, "Buyer", "买方签名"},
    {L::SignCoBuyer, "Co-buyer", "共同买方签名"},
    {L::SignDealer, "Seller (dealer)", "卖方（经销商）签名"},
    {L::SignedAt, "Signed {1}", "签署时间 {1}"},
    {L::NotSigned, "Not signed", "尚未签署"},
    {L::ImageSha, "Signature image SHA-256 {1}", "签名图像 SHA-256 {1}"},
    {L::Footer, "Deal {1} · Page {2} of {3}", "交易 {1} · 第 {2} 页，共 {3} 页"},
    {L::Fingerprint, "Contract fingerprint {1}", "合同指纹 {1}"},
};

static_assert(detail::labelsComplete(kLabels), "kLabels must list every label id, in order, in both languages");

/// This document's labels in one language.
class Labels : public detail::Labels<L, std::size(kLabels)> {
public:
    explicit Labels(bool chinese) : detail::Labels<L, std::size(kLabels)>(kLabels, chinese) {}
};

// ---- page layout ----------------------------------------------------------------------------------------------

// US Letter, 612 x 792 pt.
constexpr float kLeft = 42, kRight = 570, kWidth = kRight - kLeft;
constexpr float kTop = detail::PageCursor::kTop, kBottom = detail::PageCursor::kBottom;
constexpr float kFooterBaseline = 34;

using detail::Face;

// The contract's pages (detail::PageCursor) and how it draws: black text, grey for the small print.
class Pages : public detail::PageCursor {
public:
    using detail::PageCursor::PageCursor;
    using detail::PageCursor::width;

    void text(HPDF_Page page, float x, float baseline, std::string_view s, const Face& face, float size,
              float gray = 0) const {
        for (const auto& run : runs(s, face)) {
            HPDF_Page_BeginText(page);
            HPDF_Page_SetFontAndSize(page, run.font, size);
            if (gray > 0) HPDF_Page_SetGrayFill(page, gray);
            if (face.fakeBold) {
                HPDF_Page_SetTextRenderingMode(page, HPDF_FILL_THEN_STROKE);
                HPDF_Page_SetLineWidth(page, size / 30);
            }
            HPDF_Page_TextOut(page, x, baseline, run.text.c_str());
            if (face.fakeBold) HPDF_Page_SetTextRenderingMode(page, HPDF_FILL);
            if (gray > 0) HPDF_Page_SetGrayFill(page, 0);
            HPDF_Page_EndText(page);
            x += width(run, size);
        }
    }
    void text(float x, float baseline, std::string_view s, const Face& face, float size, float gray = 0) const {
        text(page(), x, baseline, s, face, size, gray);
    }
    void textRight(float right, float baseline, std::string_view s, const Face& face, float size) const {
        text(right - width(s, face, size), baseline, s, face, size);
    }

    /// Greedy line breaking at spaces and around CJK characters (which break anywhere).
    std::vector<std::string> wrap(std::string_view s, const Face& face, float size, float maxWidth) const {
        std::vector<std::string> lines;
        std::string line, unit;
        auto flushUnit = [&] {
            if (unit.empty()) return;
            std::string candidate = line + unit;
            std::string trimmed = candidate;
            while (!trimmed.empty() && trimmed.back() == ' ')
                trimmed.pop_back();
            if (!line.empty() && width(trimmed, face, size) > maxWidth) {
                while (!line.empty() && line.back() == ' ')
                    line.pop_back();
                lines.push_back(line);
                line = unit;
            } else {
                line = candidate;
            }
            unit.clear();
        };
        for (Utf8Reader r{s}; !r.done();) {
            const char32_t cp = r.next();
            const bool cjk = isCjk(cp);
            if (cjk) flushUnit();
            if (!unit.empty() && cp != ' ' && unit.back() == ' ') flushUnit();
            appendUtf8(unit, printable(cp));
            if (cjk) flushUnit();
        }
        flushUnit();
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        if (!line.empty()) lines.push_back(line);
        return lines;
    }

    void rect(float x, float bottom, float w, float h, float lineWidth) const {
        HPDF_Page_SetLineWidth(page(), lineWidth);
        HPDF_Page_Rectangle(page(), x, bottom, w, h);
        HPDF_Page_Stroke(page());
    }
    void rule(HPDF_Page page, float x1, float x2, float at, float lineWidth) const {
        HPDF_Page_SetLineWidth(page, lineWidth);
        HPDF_Page_MoveTo(page, x1, at);
        HPDF_Page_LineTo(page, x2, at);
        HPDF_Page_Stroke(page);
    }
    void rule(float x1, float x2, float at, float lineWidth) const { rule(page(), x1, x2, at, lineWidth); }
};

// ---- signature images -------------------------------------------------------------------------------------------

// A signature PNG decoded to 8-bit RGB plus an 8-bit alpha mask. libharu 2.3.0 hands PNG files to
// libpng without a setjmp: a damaged PNG aborts the whole process ("libpng error: IDAT: incorrect
// data check"). So the file is read and decoded here (stb_image returns errors), checked against
// its recorded digest, and embedded as raw pixels with a soft mask: the bytes that are hashed are
// exactly the bytes that are drawn.
struct SignatureImage {
    int width = 0, height = 0;
    std::vector<HPDF_BYTE> rgb, alpha;
    bool translucent = false;
    std::string sha256;
};

constexpr int kMaxSignatureSide = 4096;
constexpr std::uintmax_t kMaxSignatureBytes = 16u << 20;

Result<SignatureImage> loadSignature(const core::ContractSignature& sig) {
    std::error_code ec;
    if (const auto size = std::filesystem::file_size(sig.pngPath, ec); !ec && size > kMaxSignatureBytes)
        return fail(ErrorCode::InvalidInput, "the signature image " + sig.pngPath + " is larger than 16 MB");
    std::ifstream file(sig.pngPath, std::ios::binary);
    std::ostringstream bytes;
    if (!file || !(bytes << file.rdbuf()))
        return fail(ErrorCode::InvalidInput, "cannot read the " + sig.role + "'s signature image " + sig.pngPath);
    const std::string data = bytes.str();
    SignatureImage img;
    img.sha256 = core::sha256Hex(data);
    if (!sig.pngSha256.empty() && sig.pngSha256 != img.sha256)
        return fail(ErrorCode::InvalidInput, "the signature image " + sig.pngPath +
                                                 " is not the one recorded at signing (SHA-256 " + img.sha256 +
                                                 ", recorded " + sig.pngSha256 + ")");
    // stb_image reads other formats too; a signature is a PNG. (stbi_failure_reason() is not used: it
    // is a global, and this runs on any thread.)
    const auto* raw = reinterpret_cast<const stbi_uc*>(data.data());
    const int size = static_cast<int>(data.size());
    int w = 0, h = 0, channels = 0;
    if (data.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0 || !stbi_info_from_memory(raw, size, &w, &h, &channels) || w < 1 ||
        h < 1 || w > kMaxSignatureSide || h > kMaxSignatureSide)
        return fail(ErrorCode::InvalidInput, "the signature image " + sig.pngPath + " is not a PNG of at most " +
                                                 std::to_string(kMaxSignatureSide) + " pixels a side");
    stbi_uc* pixels = stbi_load_from_memory(raw, size, &w, &h, &channels, 4);
    if (!pixels) return fail(ErrorCode::InvalidInput, "the signature image " + sig.pngPath + " cannot be decoded");
    img.width = w;
    img.height = h;
    const std::size_t count = static_cast<std::size_t>(w) * static_cast<std::size_t>(h);
    img.rgb.resize(count * 3);
    img.alpha.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
        std::copy_n(pixels + i * 4, 3, img.rgb.begin() + static_cast<std::ptrdiff_t>(i * 3));
        img.alpha[i] = pixels[i * 4 + 3];
        img.translucent = img.translucent || img.alpha[i] != 255;
    }
    stbi_image_free(pixels);
    return img;
}

// ---- the contract -------------------------------------------------------------------------------------------------

std::string signedAtText(const std::string& utc) {
    // "2026-11-01T10:05:00Z" -> "2026-11-01 10:05:00 UTC"; anything else as stored.
    if (utc.size() == 20 && utc[10] == 'T' && utc.back() == 'Z')
        return utc.substr(0, 10) + " " + utc.substr(11, 8) + " UTC";
    return utc;
}

std::string money(Cents c) {
    return core::formatMoney(c);
}

// A captured signature, its image embedded in the document and the digest of the file's bytes.
struct PlacedSignature {
    const core::ContractSignature* signature;
    HPDF_Image image;
    std::string sha256;
};

class ContractLayout {
public:
    ContractLayout(const core::ContractDocument& doc, Pages& pages, const Labels& label,
                   const std::vector<PlacedSignature>& signatures)
        : m_doc(doc), m_p(pages), m_label(label), m_signatures(signatures) {}

    void draw() {
        m_p.add();
        header();
        parties();
        vehicle();
        if (m_doc.financed()) truthInLending();
        itemization();
        signatures();
        if (m_doc.financed() && !m_doc.deal.quote.schedule.empty()) schedule();
    }

    void footers(const std::string& fingerprint) const {
        const int total = static_cast<int>(m_p.all().size());
        const std::string fp = m_label(L::Fingerprint, {fingerprint.substr(0, 16)});
        const float fpWidth = m_p.width(fp, m_p.regular(), 7.5f);
        for (int n = 1; n <= total; ++n) {
            HPDF_Page page = m_p.all()[static_cast<std::size_t>(n - 1)];
            m_p.rule(page, kLeft, kRight, kFooterBaseline + 11, 0.5f);
            m_p.text(page, kLeft, kFooterBaseline,
                     m_label(L::Footer, {m_doc.deal.dealNo, std::to_string(n), std::to_string(total)}), m_p.regular(),
                     7.5f);
            m_p.text(page, kRight - fpWidth, kFooterBaseline, fp, m_p.regular(), 7.5f);
        }
    }

private:
    const Face& regular() const { return m_p.regular(); }
    const Face& bold() const { return m_p.bold(); }

    void heading(const std::string& text) {
        m_p.text(kLeft, m_p.y - 10, text, bold(), 10);
        m_p.y -= 15;
    }

    void header() {
        const std::string title = m_label(m_doc.financed() ? L::TitleFinanced : L::TitleCash);
        m_p.text(kLeft, m_p.y - 17, title, bold(), m_p.fit(title, bold(), 17, kWidth - 170));
        m_p.textRight(kRight, m_p.y - 7, m_label(L::DealNo, {m_doc.deal.dealNo}), bold(), 9);
        m_p.textRight(kRight, m_p.y - 19, m_label(L::ContractDate, {m_doc.contractDate}), regular(), 9);
        m_p.y -= 27;
        m_p.rule(kLeft, kRight, m_p.y, 1);
        m_p.y -= 10;
    }

    std::vector<std::string> partyLines(const core::ContractParty& party) const {
        std::vector<std::string> lines;
        auto add = [&lines](std::string s) {
            if (!s.empty()) lines.push_back(std::move(s));
        };
        add(party.name);
        add(party.street);
        std::string place = party.city;
        if (!party.state.empty()) place += (place.empty() ? "" : ", ") + party.state;
        if (!party.postalCode.empty()) place += (place.empty() ? "" : " ") + party.postalCode;
        add(place);
        if (!party.phone.empty()) add(m_label(L::Phone, {party.phone}));
        if (!party.email.empty()) add(m_label(L::Email, {party.email}));
        return lines;
    }

    void parties() {
        constexpr float kColumn = kWidth / 2, kLine = 11.5f;
        auto seller = partyLines(m_doc.dealer);
        if (!m_doc.salesperson.empty()) seller.push_back(m_label(L::Salesperson, {m_doc.salesperson}));
        const auto buyer = partyLines(m_doc.buyer);
        const std::size_t rows = std::max<std::size_t>(std::max(seller.size(), buyer.size()), 2);
        const float top = m_p.y;
        auto column = [&](float x, L title, const std::vector<std::string>& lines) {
            m_p.text(x, top - 10, m_label(title), bold(), 10);
            float y = top - 10 - kLine;
            if (lines.empty()) m_p.rule(x, x + kColumn - 30, y - 2, 0.5f); // blank: filled in by hand
            for (const auto& line : lines) {
                m_p.text(x, y, line, regular(), m_p.fit(line, regular(), 9, kColumn - 12));
                y -= kLine;
            }
        };
        column(kLeft, L::Seller, seller);
        column(kLeft + kColumn, L::Buyer, buyer);
        m_p.y = top - 10 - kLine * static_cast<float>(rows) - 8;
    }

    void vehicle() {
        const auto& v = m_doc.vehicle;
        const L condition = v.condition == core::Condition::New    ? L::CondNew
                            : v.condition == core::Condition::Used ? L::CondUsed
                                                                   : L::CondCertified;
        const std::pair<L, std::string> cells[] = {{L::Vin, v.vin},
                                                   {L::Year, v.year ? std::to_string(v.year) : ""},
                                                   {L::Make, v.make},
                                                   {L::Model, v.model},
                                                   {L::Trim, v.trim},
                                                   {L::Odometer, std::to_string(v.odometer)},
                                                   {L::NewUsed, m_label(condition)}};
        constexpr float kWidths[] = {130, 38, 74, 86, 88, 62, 50};
        static_assert(std::size(kWidths) == std::size(cells));
        heading(m_label(L::Vehicle));
        constexpr float kHeight = 27;
        float x = kLeft;
        for (std::size_t i = 0; i < std::size(cells); ++i) {
            m_p.rect(x, m_p.y - kHeight, kWidths[i], kHeight, 0.5f);
            const std::string label = m_label(cells[i].first);
            m_p.text(x + 3, m_p.y - 8, label, regular(), m_p.fit(label, regular(), 6.5f, kWidths[i] - 6), 0.35f);
            m_p.text(x + 3, m_p.y - 21, cells[i].second, regular(),
                     m_p.fit(cells[i].second, regular(), 9, kWidths[i] - 6));
            x += kWidths[i];
        }
        m_p.y -= kHeight + 12;
    }

    void truthInLending() {
        const auto& q = m_doc.deal.quote;
        struct Box {
            L title, description;
            std::string figure, descriptionArg;
            bool conspicuous;
        };
        const Box boxes[] = {
            {L::Apr, L::AprDesc, core::formatPercent(q.apr, 2) + " %", "", true},
            {L::FinanceCharge, L::FinanceChargeDesc, money(q.financeCharge), "", true},
            {L::AmountFinanced, L::AmountFinancedDesc, money(q.amountFinanced), "", false},
            {L::TotalOfPayments, L::TotalOfPaymentsDesc, money(q.totalOfPayments), "", false},
            {L::TotalSalePrice, L::TotalSalePriceDesc, money(q.totalSalePrice), money(q.downPayment), false},
        };
        constexpr float kGap = 5, kHeight = 94;
        constexpr float kBoxWidth = (kWidth - 4 * kGap) / 5;
        m_p.ensure(15 + kHeight + 40);
        heading(m_label(L::TilaHeading));
        float x = kLeft;
        const float top = m_p.y, bottom = m_p.y - kHeight;
        for (const auto& box : boxes) {
            // Reg Z 1026.17(a)(2): the APR and the finance charge more conspicuous than the rest.
            const Face& titleFace = box.conspicuous ? bold() : regular();
            m_p.rect(x, bottom, kBoxWidth, kHeight, box.conspicuous ? 2.2f : 0.6f);
            // "ANNUAL PERCENTAGE RATE" takes two lines at a legible size, as on printed forms.
            const float titleSize = box.conspicuous ? 8.5f : 8;
            float y = top - 12;
            for (const auto& line : m_p.wrap(m_label(box.title), titleFace, titleSize, kBoxWidth - 10)) {
                m_p.text(x + 5, y, line, titleFace, m_p.fit(line, titleFace, titleSize, kBoxWidth - 10));
                y -= 10;
            }
            y -= 1;
            for (const auto& line :
                 m_p.wrap(m_label(box.description, {box.descriptionArg}), regular(), 6.5f, kBoxWidth - 10)) {
                m_p.text(x + 5, y, line, regular(), 6.5f);
                y -= 8;
            }
            // All five figures share one baseline, so a reader's eye (and pdftotext) finds them in a row.
            const float size = box.conspicuous ? 13 : 10.5f;
            m_p.text(x + 5, bottom + 9, box.figure, box.conspicuous ? bold() : regular(),
                     m_p.fit(box.figure, box.conspicuous ? bold() : regular(), size, kBoxWidth - 10));
            x += kBoxWidth + kGap;
        }
        m_p.y = bottom - 13;
        const std::string first = m_doc.firstPaymentDue;
        const std::string summary =
            q.lastPayment == q.monthlyPayment || q.numberOfPayments < 2
                ? m_label(L::ScheduleLevel, {std::to_string(q.numberOfPayments), money(q.monthlyPayment), first})
                : m_label(L::ScheduleWithFinal, {std::to_string(q.numberOfPayments - 1), money(q.monthlyPayment), first,
                                                 money(q.lastPayment), dueDate(m_doc, q.numberOfPayments)});
        for (const auto& line : m_p.wrap(summary, bold(), 9, kWidth)) {
            m_p.text(kLeft, m_p.y, line, bold(), 9);
            m_p.y -= 12;
        }
        m_p.y -= 6;
    }

    void itemization() {
        const auto& in = m_doc.deal.input;
        const auto& q = m_doc.deal.quote;
        struct Row {
            std::string label;
            Cents amount;
            bool total;
        };
        std::vector<Row> rows;
        rows.push_back({m_label(L::VehiclePrice), in.price, false});
        rows.push_back({m_label(L::Discount), -in.discount, false});
        if (in.addOns.empty()) rows.push_back({m_label(L::AddOns), 0, false});
        for (const auto& a : in.addOns)
            rows.push_back({m_label(L::AddOns) + ": " + a.name, a.amount, false});
        rows.push_back({m_label(L::CashPrice), q.cashPrice, true});
        rows.push_back({m_label(L::SalesTax, {percentText(in.tax.rate), money(q.taxableAmount)}), q.salesTax, false});
        rows.push_back({m_label(L::DocFee), in.docFee, false});
        rows.push_back({m_label(L::TitleFee), in.titleFee, false});
        rows.push_back({m_label(L::TradeAllowance), in.tradeInAllowance, false});
        rows.push_back({m_label(L::TradePayoff), in.tradeInPayoff, false});
        rows.push_back({m_label(q.tradeEquity < 0 ? L::NegativeEquity : L::NetTrade), q.tradeEquity, false});
        rows.push_back({m_label(L::TotalDue), q.totalDue, true});
        rows.push_back({m_label(L::CashDown), in.cashDown, false});
        const bool financed = m_doc.financed();
        const Cents last = financed ? q.amountFinanced : q.balanceDueOnDelivery;
        rows.push_back({m_label(financed ? L::AmountFinancedLine : L::BalanceDue), last, true});

        constexpr float kLine = 12.5f, kAmountRight = kLeft + 380;
        const std::string wordsLabel = m_label(financed ? L::WordsAmountFinanced : L::WordsBalanceDue);
        const std::string words = m_label.chinese() ? amountInChineseUppercase(last) : amountInWords(last);
        const auto wordLines = m_p.wrap(wordsLabel + " " + words, regular(), 8.5f, kWidth);
        m_p.ensure(15 + kLine * static_cast<float>(rows.size()) + 11 * static_cast<float>(wordLines.size()) + 8);
        heading(m_label(financed ? L::ItemizationFinanced : L::ItemizationCash));
        int n = 0;
        for (const auto& row : rows) {
            const Face& face = row.total ? bold() : regular();
            if (row.total) m_p.rule(kAmountRight - 90, kAmountRight, m_p.y + 1, 0.5f);
            const std::string number = std::to_string(++n) + ".";
            m_p.text(kLeft + 4, m_p.y - 9, number, regular(), 8.5f, 0.35f);
            m_p.text(kLeft + 22, m_p.y - 9, row.label, face, m_p.fit(row.label, face, 9, kAmountRight - kLeft - 120));
            m_p.textRight(kAmountRight, m_p.y - 9, money(row.amount), face, 9);
            m_p.y -= kLine;
        }
        m_p.y -= 6;
        for (const auto& line : wordLines) {
            m_p.text(kLeft, m_p.y - 8, line, regular(), 8.5f);
            m_p.y -= 11;
        }
        m_p.y -= 8;
    }

    void signatures() {
        // Buyer and dealer lines always; a co-buyer's when one signed. Two boxes a row.
        struct Slot {
            L title;
            std::string role, name;
        };
        std::vector<Slot> slots = {{L::SignBuyer, "buyer", m_doc.buyer.name}};
        for (const auto& placed : m_signatures)
            if (placed.signature->role == "co_buyer")
                slots.push_back({L::SignCoBuyer, "co_buyer", placed.signature->signerName});
        slots.push_back({L::SignDealer, "dealer", m_doc.dealer.name});

        constexpr float kBoxWidth = (kWidth - 12) / 2, kHeight = 96, kImageHeight = 50;
        m_p.ensure(15 + kHeight + 6);
        heading(m_label(L::Signatures));
        for (std::size_t i = 0; i < slots.size(); ++i) {
            if (i % 2 == 0 && i > 0) {
                m_p.y -= kHeight + 6;
                m_p.ensure(kHeight + 6);
            }
            const float x = kLeft + static_cast<float>(i % 2) * (kBoxWidth + 12), top = m_p.y;
            const Slot& slot = slots[i];
            const auto found = std::find_if(m_signatures.begin(), m_signatures.end(),
                                            [&](const PlacedSignature& p) { return p.signature->role == slot.role; });
            const float ruleY = top - kImageHeight - 6;
            m_p.rule(x, x + kBoxWidth, ruleY, 0.7f);
            m_p.text(x, ruleY - 10, m_label(slot.title), bold(), 8);
            if (found == m_signatures.end()) {
                if (!slot.name.empty()) m_p.text(x, ruleY - 21, slot.name, regular(), 8);
                m_p.text(x, ruleY - 31, m_label(L::NotSigned), regular(), 7, 0.35f);
                continue;
            }
            const float iw = static_cast<float>(HPDF_Image_GetWidth(found->image));
            const float ih = static_cast<float>(HPDF_Image_GetHeight(found->image));
            const float scale = std::min(kBoxWidth / iw, kImageHeight / ih);
            HPDF_Page_DrawImage(m_p.page(), found->image, x, ruleY + 2, iw * scale, ih * scale);
            m_p.text(x, ruleY - 21, found->signature->signerName, regular(), 8);
            m_p.text(x, ruleY - 31, m_label(L::SignedAt, {signedAtText(found->signature->signedAt)}), regular(), 7);
            const std::string digest = m_label(L::ImageSha, {found->sha256});
            m_p.text(x, ruleY - 40, digest, regular(), m_p.fit(digest, regular(), 5.5f, kBoxWidth), 0.35f);
        }
        m_p.y -= kHeight + 6;
    }

    void scheduleHeader(L title) {
        heading(m_label(title));
        const float y = m_p.y - 9;
        m_p.textRight(kLeft + 26, y, m_label(L::ColNumber), bold(), 8);
        m_p.text(kLeft + 44, y, m_label(L::ColDue), bold(), 8);
        m_p.textRight(kLeft + 210, y, m_label(L::ColPayment), bold(), 8);
        m_p.textRight(kLeft + 300, y, m_label(L::ColInterest), bold(), 8);
        m_p.textRight(kLeft + 390, y, m_label(L::ColPrincipal), bold(), 8);
        m_p.textRight(kLeft + 480, y, m_label(L::ColBalance), bold(), 8);
        m_p.y -= 13;
        m_p.rule(kLeft, kLeft + 490, m_p.y + 1, 0.5f);
    }

    void schedule() {
        constexpr float kRow = 11;
        m_p.y -= 4;
        m_p.ensure(15 + 13 + 4 * kRow);
        scheduleHeader(L::ScheduleHeading);
        for (const auto& row : m_doc.deal.quote.schedule) {
            if (m_p.ensure(kRow)) scheduleHeader(L::ScheduleContinued);
            const float y = m_p.y - 8.5f;
            m_p.textRight(kLeft + 26, y, std::to_string(row.number), regular(), 8);
            m_p.text(kLeft + 44, y, dueDate(m_doc, row.number), regular(), 8);
            m_p.textRight(kLeft + 210, y, money(row.payment), regular(), 8);
            m_p.textRight(kLeft + 300, y, money(row.interest), regular(), 8);
            m_p.textRight(kLeft + 390, y, money(row.principal), regular(), 8);
            m_p.textRight(kLeft + 480, y, money(row.balance), regular(), 8);
            m_p.y -= kRow;
        }
    }

    const core::ContractDocument& m_doc;
    Pages& m_p;
    const Labels& m_label;
    const std::vector<PlacedSignature>& m_signatures;
};

} // namespace

// ---- the renderer ---------------------------------------------------------------------------------------------------

namespace {

// True when text the customer or the staff typed holds CJK characters, which DejaVu lacks: then an
// English contract also embeds the CJK font, for those characters only.
bool needsCjkFont(const core::ContractDocument& doc) {
    std::vector<std::string_view> fields = {doc.salesperson, doc.vehicle.make, doc.vehicle.model, doc.vehicle.trim};
    for (const auto* party : {&doc.dealer, &doc.buyer})
        fields.insert(fields.end(), {party->name, party->street, party->city, party->state, party->postalCode,
                                     party->phone, party->email});
    for (const auto& sig : doc.signatures)
        fields.push_back(sig.signerName);
    for (const auto& addOn : doc.deal.input.addOns)
        fields.push_back(addOn.name);
    return std::any_of(fields.begin(), fields.end(), hasCjk);
}

} // namespace

HaruContractRenderer::HaruContractRenderer() : HaruContractRenderer(Fonts{}) {}

HaruContractRenderer::HaruContractRenderer(Fonts fonts) : m_fonts(std::move(fonts)) {}

Result<std::string> HaruContractRenderer::renderContract(const core::ContractDocument& doc) {
    auto rendered = render(doc);
    if (!rendered) return rendered.error();
    return std::move(rendered->pdf);
}

Result<RenderedContract> HaruContractRenderer::render(const core::ContractDocument& doc) const {
    if (doc.language != "en" && doc.language != "zh-CN")
        return fail(ErrorCode::InvalidInput, "contracts are printed in en or zh-CN, not '" + doc.language + "'");
    // The signature files first: a missing or damaged image fails before any PDF work starts.
    std::vector<SignatureImage> images;
    for (const auto& sig : doc.signatures) {
        auto image = loadSignature(sig);
        if (!image) return image.error();
        images.push_back(std::move(*image));
    }

    auto created = detail::HaruDocument::create();
    if (!created) return created.error();
    detail::HaruDocument& pdf = *created;
    // No creation date or document ID is ever set: they would make equal contracts differ.
    HPDF_SetCompressionMode(pdf.get(), HPDF_COMP_ALL);
    // UTF-8 text through Identity-H CID fonts, so "·", "€" and CJK need no code page. libharu 2.3.0
    // writes the fonts' ToUnicode CMap with "begincidrange"; poppler warns about it on stderr but maps
    // the text right (the CIDs are the code points), and qpdf --check is clean.
    HPDF_UseUTFEncodings(pdf.get());
    HPDF_SetCurrentEncoder(pdf.get(), "UTF-8");
    HPDF_SetInfoAttr(pdf.get(), HPDF_INFO_CREATOR, "Showroom");
    HPDF_SetInfoAttr(pdf.get(), HPDF_INFO_TITLE, ("Contract " + doc.deal.dealNo).c_str());
    SHOWROOM_TRY(pdf.check(ErrorCode::Internal, "setting up the PDF document"));

    const bool chinese = doc.language == "zh-CN";
    Face regular, bold;
    HPDF_Font cjk = nullptr;
    if (chinese) {
        auto font = loadFont(pdf, m_fonts.cjk, true);
        if (!font) return font.error();
        regular = {*font, false};
        bold = {*font, true};
    } else {
        auto r = loadFont(pdf, m_fonts.regular, false);
        if (!r) return r.error();
        auto b = loadFont(pdf, m_fonts.bold, false);
        if (!b) return b.error();
        regular = {*r, false};
        bold = {*b, false};
        if (needsCjkFont(doc)) {
            auto c = loadFont(pdf, m_fonts.cjk, true);
            if (!c) return c.error();
            cjk = *c;
        }
    }

    std::vector<PlacedSignature> placed;
    for (std::size_t i = 0; i < images.size(); ++i) {
        auto& img = images[i];
        const auto w = static_cast<HPDF_UINT>(img.width), h = static_cast<HPDF_UINT>(img.height);
        HPDF_Image image = HPDF_LoadRawImageFromMem(pdf.get(), img.rgb.data(), w, h, HPDF_CS_DEVICE_RGB, 8);
        if (image && img.translucent)
            HPDF_Image_AddSMask(image,
                                HPDF_LoadRawImageFromMem(pdf.get(), img.alpha.data(), w, h, HPDF_CS_DEVICE_GRAY, 8));
        if (!image || pdf.failed())
            return pdf.error(ErrorCode::InvalidInput, "cannot embed the signature image " + doc.signatures[i].pngPath);
        placed.push_back({&doc.signatures[i], image, img.sha256});
    }

    RenderedContract out;
    out.fingerprint = contractFingerprint(doc);
    Pages pages(pdf.get(), regular, bold, cjk);
    const Labels labels(chinese);
    ContractLayout layout(doc, pages, labels, placed);
    layout.draw();
    // Second pass, now that the page count is known: "Page N of M" and the fingerprint on every page.
    layout.footers(out.fingerprint);
    SHOWROOM_TRY(pdf.check(ErrorCode::Internal, "laying out contract " + doc.deal.dealNo));

    auto bytes = pdf.save();
    if (!bytes) return bytes.error();
    out.pdf = std::move(*bytes);
    out.pages = static_cast<int>(pages.all().size());
    return out;
}

} // namespace showroom::devices::pdf
