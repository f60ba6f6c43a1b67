// The payment receipt laid out with the ESC/POS encoder. Widths are counted in display cells, so the
// same layout fits 48, 42 and 32 columns and Chinese labels (two cells a character) line up.
#include "showroom/devices/print/receipt_escpos.hpp"

#include "showroom/core/money.hpp"

#include <array>
#include <string_view>
#include <vector>

namespace showroom::devices::escpos {

namespace {

struct Labels {
    std::array<std::string_view, 3> titles; // by ReceiptKind: Deposit, Payment, PaidInFull
    std::string_view reprint;
    std::string_view receiptNo, date, dealNo, customer, vehicle, vin;
    std::string_view cashPrice, fees, salesTax, tradeIn, negativeEquity, totalDue;
    std::string_view paidBefore, thisPayment, method;
    std::array<std::string_view, 5> methods; // by PaymentMethod: Cash, Card, Check, Wire, Financing
    std::string_view balanceDue, paidInFull, thanks;
    std::string_view signedBy;   // over the buyer's signature: "Signed by the buyer on the contract"
};

constexpr std::string_view kReprintEnglish = "COPY / REPRINT";

// English titles keep to ASCII so that they print in the printer's own font on every model.
// clang-format off
constexpr Labels kEnglish{
    {"DEPOSIT RECEIPT", "RECEIPT", "RECEIPT - PAID IN FULL"},
    kReprintEnglish,
    "Receipt No.", "Date", "Deal No.", "Customer", "Vehicle", "VIN",
    "Cash price", "Fees", "Sales tax", "Trade-in equity", "Negative equity", "TOTAL DUE",
    "Paid before", "THIS PAYMENT", "Method",
    {"Cash", "Card", "Check", "Wire", "Financing"},
    "BALANCE DUE", "PAID IN FULL", "Thank you for your business!",
    "Buyer's signature (contract):",
};

constexpr Labels kChinese{
    {"定金收据", "收据", "收据 — 已付清"},
    "副本 / 重印",
    "收据号", "日期", "交易号", "客户", "车辆", "车架号",
    "车价", "费用", "销售税", "置换", "置换负资产", "应付总额",
    "此前已付", "本次付款", "付款方式",
    {"现金", "刷卡", "支票", "电汇", "贷款"},
    "余额", "已付清", "谢谢惠顾",
    "买方签名（合同）：",
};
// clang-format on

std::size_t utf8Length(unsigned char lead) {
    if (lead >= 0xF0) return 4;
    if (lead >= 0xE0) return 3;
    if (lead >= 0xC0) return 2;
    return 1;
}

// Breaks `text` into lines of at most `cells` display cells: between words when it can, inside a
// word (at a character boundary, never inside a UTF-8 sequence) when one word is too long.
std::vector<std::string> wrap(std::string_view text, int cells) {
    std::vector<std::string> lines;
    std::string current;
    int currentCells = 0;
    auto flush = [&] {
        if (!current.empty()) lines.push_back(std::move(current));
        current.clear();
        currentCells = 0;
    };
    std::size_t pos = 0;
    while (pos < text.size()) {
        while (pos < text.size() && text[pos] == ' ')
            ++pos;
        std::size_t end = text.find(' ', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view word = text.substr(pos, end - pos);
        pos = end;
        if (word.empty()) break;
        const int wordCells = displayWidth(word);
        if (currentCells > 0 && currentCells + 1 + wordCells <= cells) {
            current += ' ';
            current += word;
            currentCells += 1 + wordCells;
            continue;
        }
        flush();
        while (displayWidth(word) > cells) {
            std::size_t cut = 0;
            int used = 0;
            while (cut < word.size()) {
                const std::size_t len = utf8Length(static_cast<unsigned char>(word[cut]));
                const int w = displayWidth(word.substr(cut, len));
                if (used + w > cells) break;
                used += w;
                cut += len;
            }
            if (cut == 0) cut = utf8Length(static_cast<unsigned char>(word[0])); // a wide character in one cell
            lines.emplace_back(word.substr(0, cut));
            word.remove_prefix(std::min(cut, word.size()));
        }
        current = std::string{word};
        currentCells = displayWidth(word);
    }
    flush();
    return lines;
}

// "2026-12-07T14:05:33Z" -> "2026-12-07 14:05 UTC"; anything not shaped like that prints as given.
std::string formatIssuedAt(std::string_view iso) {
    if (iso.size() < 16 || (iso[10] != 'T' && iso[10] != ' ') || iso[4] != '-' || iso[13] != ':')
        return std::string{iso};
    return std::string{iso.substr(0, 10)} + " " + std::string{iso.substr(11, 5)} + " UTC";
}

std::string vehicleLine(const core::ReceiptDocument& r) {
    std::string out = r.year > 0 ? std::to_string(r.year) : std::string{};
    for (const std::string* part : {&r.make, &r.model, &r.trim}) {
        if (part->empty()) continue;
        if (!out.empty()) out += ' ';
        out += *part;
    }
    return out;
}

class Layout {
public:
    Layout(Encoder& enc, int columns) : m_enc(enc), m_columns(columns) {}

    // Label and value on one line when both fit, else the label on its line and the value wrapped
    // flush right below it.
    void field(std::string_view label, std::string_view value) {
        if (displayWidth(label) + 1 + displayWidth(value) <= m_columns) {
            m_enc.columns(label, value);
            return;
        }
        for (const auto& l : wrap(label, m_columns))
            m_enc.line(l);
        for (const auto& v : wrap(value, m_columns))
            m_enc.columns("", v);
    }

    void wrapped(std::string_view text, int cells) {
        for (const auto& l : wrap(text, cells))
            m_enc.line(l);
    }

private:
    Encoder& m_enc;
    int m_columns;
};

} // namespace

core::Result<std::string> encodeReceipt(const core::ReceiptDocument& r, const ReceiptOptions& options) {
    const Labels* labels = nullptr;
    if (r.language == "en")
        labels = &kEnglish;
    else if (r.language == "zh-CN")
        labels = &kChinese;
    else
        return core::fail(core::ErrorCode::InvalidInput,
                          "receipts are printed in en or zh-CN, not \"" + r.language + "\"");
    const Labels& t = *labels;
    const int columns = options.profile.columns;

    Encoder enc(options.profile, options.raster);
    Layout layout(enc, columns);
    enc.initialize();

    enc.align(Align::Center);
    if (options.logo != nullptr && !options.logo->empty()) enc.image(*options.logo);
    enc.bold(true).size(2, 2);
    layout.wrapped(r.store.name, columns / 2);
    enc.size(1, 1).bold(false);
    layout.wrapped(r.store.street, columns);
    std::string cityLine = r.store.city;
    if (!r.store.state.empty()) cityLine += (cityLine.empty() ? "" : ", ") + r.store.state;
    if (!r.store.postalCode.empty()) cityLine += (cityLine.empty() ? "" : " ") + r.store.postalCode;
    layout.wrapped(cityLine, columns);
    layout.wrapped(r.store.phone, columns);
    enc.line();

    enc.bold(true).size(1, 2);
    layout.wrapped(t.titles[static_cast<std::size_t>(r.kind)], columns);
    enc.size(1, 1).bold(false);
    if (options.reprint) {
        // Reverse and double size so nobody takes it for the original; the English words always
        // follow a translation, so every member of staff can read it.
        enc.reverse(true).size(2, 2);
        enc.line(std::string{" "} + std::string{t.reprint} + " ");
        if (t.reprint != kReprintEnglish) enc.line(std::string{" "} + std::string{kReprintEnglish} + " ");
        enc.size(1, 1).reverse(false);
    }
    enc.line();

    enc.align(Align::Left);
    layout.field(t.receiptNo, r.receiptNo);
    layout.field(t.date, formatIssuedAt(r.issuedAt));
    layout.field(t.dealNo, r.dealNo);
    layout.field(t.customer, r.customerName);
    layout.field(t.vehicle, vehicleLine(r));
    layout.field(t.vin, r.vin);
    enc.rule();

    enc.columns(t.cashPrice, core::formatMoney(r.cashPrice));
    enc.columns(t.fees, core::formatMoney(r.fees));
    enc.columns(t.salesTax, core::formatMoney(r.salesTax));
    // Equity lowers what is owed, negative equity (a payoff above the allowance) adds to it.
    if (r.tradeEquity > 0)
        enc.columns(t.tradeIn, core::formatMoney(-r.tradeEquity));
    else if (r.tradeEquity < 0)
        enc.columns(t.negativeEquity, core::formatMoney(-r.tradeEquity));
    enc.bold(true).columns(t.totalDue, core::formatMoney(r.totalDue)).bold(false);
    enc.columns(t.paidBefore, core::formatMoney(r.paidBefore));
    enc.bold(true).columns(t.thisPayment, core::formatMoney(r.amount)).bold(false);
    std::string method{t.methods[static_cast<std::size_t>(r.method)]};
    if (!r.paymentReference.empty()) method += " " + r.paymentReference;
    layout.field(t.method, method);
    enc.rule();
    enc.bold(true).columns(t.balanceDue,
                           r.balanceDue == 0 ? std::string{t.paidInFull} : core::formatMoney(r.balanceDue));
    enc.bold(false);
    enc.line();
    // The signature the buyer gave on the contract, as the pad captured it.
    if (options.signature != nullptr && !options.signature->empty()) {
        layout.wrapped(t.signedBy, columns);
        enc.align(Align::Center).image(*options.signature).align(Align::Left);
        enc.line();
    }

    // A payload the encoder refuses (a QR over 700 bytes, a receipt number Code 128 cannot carry) is
    // left out: the receipt is still the customer's record of the payment.
    enc.align(Align::Center);
    if (!r.qrPayload.empty()) enc.qr(r.qrPayload).line();
    if (!r.receiptNo.empty()) enc.barcode128(r.receiptNo).line();
    layout.wrapped(t.thanks, columns);
    enc.align(Align::Left);
    enc.feed(3);
    // The drawer opens as the receipt is cut, within the same job: a job that breaks before its end
    // neither opens the drawer nor leaves a cut receipt.
    if (options.openDrawer && r.method == core::PaymentMethod::Cash) enc.kickDrawer(0);
    enc.cut();
    return enc.bytes();
}

} // namespace showroom::devices::escpos
