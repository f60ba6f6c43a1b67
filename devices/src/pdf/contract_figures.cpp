// The pure half of the contract: amounts in words, due dates and the fingerprint of the figures.
#include "showroom/devices/pdf/contract_pdf.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace showroom::devices::pdf {

using core::Cents;

// ---- amounts in words -------------------------------------------------------------------------------------

namespace {

constexpr std::array<const char*, 20> kOnes = {
    "zero", "one",    "two",    "three",    "four",     "five",    "six",     "seven",     "eight",    "nine",
    "ten",  "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
constexpr std::array<const char*, 10> kTens = {"",      "",      "twenty",  "thirty", "forty",
                                               "fifty", "sixty", "seventy", "eighty", "ninety"};
constexpr std::array<const char*, 7> kScales = {"",         "thousand",    "million",    "billion",
                                                "trillion", "quadrillion", "quintillion"};

// 1..999 as words: "two hundred thirty-four" (check style: no "and").
std::string englishBelowThousand(unsigned n) {
    std::string out;
    if (n >= 100) {
        out = std::string(kOnes[n / 100]) + " hundred";
        n %= 100;
        if (n) out += ' ';
    }
    if (n >= 20) {
        out += kTens[n / 10];
        if (n % 10) out += std::string("-") + kOnes[n % 10];
    } else if (n > 0) {
        out += kOnes[n];
    }
    return out;
}

std::string englishNumber(std::uint64_t n) {
    if (n == 0) return kOnes[0];
    std::vector<unsigned> groups; // least significant first
    for (; n; n /= 1000)
        groups.push_back(static_cast<unsigned>(n % 1000));
    std::string out;
    for (std::size_t i = groups.size(); i-- > 0;) {
        if (!groups[i]) continue;
        if (!out.empty()) out += ' ';
        out += englishBelowThousand(groups[i]);
        if (i) out += std::string(" ") + kScales[i];
    }
    return out;
}

// The magnitude of a possibly negative amount, safe for the most negative int64.
std::uint64_t magnitude(Cents amount) {
    return amount < 0 ? ~static_cast<std::uint64_t>(amount) + 1 : static_cast<std::uint64_t>(amount);
}

constexpr std::array<const char*, 10> kZhDigits = {"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"};
constexpr std::array<const char*, 4> kZhPlaces = {"", "拾", "佰", "仟"};

// 1..9999: zeros inside collapse to one 零, trailing zeros are dropped (1010 -> 壹仟零壹拾).
std::string chineseGroup(unsigned n) {
    std::string out;
    bool pendingZero = false;
    for (int place = 3; place >= 0; --place) {
        unsigned div = 1;
        for (int i = 0; i < place; ++i)
            div *= 10;
        const unsigned d = n / div % 10;
        if (d == 0) {
            pendingZero = !out.empty();
            continue;
        }
        if (pendingZero) out += kZhDigits[0];
        pendingZero = false;
        out += std::string(kZhDigits[d]) + kZhPlaces[static_cast<std::size_t>(place)];
    }
    return out;
}

// 1..: 万 and 亿 groups; a lower group that does not fill its four places is joined with 零
// (10005 -> 壹万零伍, 100050000 -> 壹亿零伍万).
std::string chineseNumber(std::uint64_t n) {
    constexpr std::uint64_t kYi = 100'000'000, kWan = 10'000;
    if (n >= kYi) {
        std::string out = chineseNumber(n / kYi) + "亿";
        const std::uint64_t low = n % kYi;
        if (low) out += (low < kYi / 10 ? kZhDigits[0] : "") + chineseNumber(low);
        return out;
    }
    if (n >= kWan) {
        std::string out = chineseGroup(static_cast<unsigned>(n / kWan)) + "万";
        const unsigned low = static_cast<unsigned>(n % kWan);
        if (low) out += (low < kWan / 10 ? kZhDigits[0] : "") + chineseGroup(low);
        return out;
    }
    return chineseGroup(static_cast<unsigned>(n));
}

} // namespace

std::string amountInWords(Cents amount) {
    const std::uint64_t abs = magnitude(amount);
    const std::uint64_t dollars = abs / 100;
    char cents[8];
    std::snprintf(cents, sizeof cents, "%02u", static_cast<unsigned>(abs % 100));
    std::string out = (amount < 0 ? "minus " : "") + englishNumber(dollars) + (dollars == 1 ? " dollar" : " dollars") +
                      " and " + cents + "/100";
    out[0] = static_cast<char>(out[0] - 'a' + 'A');
    return out;
}

std::string amountInChineseUppercase(Cents amount) {
    const std::uint64_t abs = magnitude(amount);
    const std::uint64_t yuan = abs / 100;
    const unsigned jiao = static_cast<unsigned>(abs / 10 % 10), fen = static_cast<unsigned>(abs % 10);
    std::string out = amount < 0 ? "负" : "";
    if (yuan) out += chineseNumber(yuan) + "元";
    if (!jiao && !fen) return out + (yuan ? "" : "零元") + "整";
    if (jiao)
        out += std::string(kZhDigits[jiao]) + "角";
    else if (yuan)
        out += kZhDigits[0]; // 325.04 -> 叁佰贰拾伍元零肆分
    if (fen) out += std::string(kZhDigits[fen]) + "分";
    return out;
}

// ---- the fingerprint --------------------------------------------------------------------------------------

std::string contractFingerprint(const core::ContractDocument& doc) {
    // One "key=value" line per printed figure, amounts as plain decimals. Versioned so a future
    // change of what is covered cannot collide with today's fingerprints.
    const auto& in = doc.deal.input;
    const auto& q = doc.deal.quote;
    std::string s = "showroom-contract-figures/1\n";
    auto add = [&s](std::string_view key, const std::string& value) {
        s.append(key).append("=").append(value) += '\n';
    };
    auto money = [&add](std::string_view key, Cents c) { add(key, core::formatCents(c)); };
    add("kind", doc.financed() ? "finance" : "cash");
    add("vin", doc.vehicle.vin);
    add("odometer", std::to_string(doc.vehicle.odometer));
    money("price", in.price);
    money("discount", in.discount);
    for (const auto& a : in.addOns)
        add("add_on", a.name + "|" + core::formatCents(a.amount));
    money("cash_price", q.cashPrice);
    add("tax_rate_ppm", std::to_string(in.tax.rate.ppm));
    money("taxable_amount", q.taxableAmount);
    money("sales_tax", q.salesTax);
    money("doc_fee", in.docFee);
    money("title_fee", in.titleFee);
    money("trade_in_allowance", in.tradeInAllowance);
    money("trade_in_payoff", in.tradeInPayoff);
    money("trade_equity", q.tradeEquity);
    money("total_due", q.totalDue);
    money("cash_down", in.cashDown);
    if (!doc.financed()) {
        money("balance_due_on_delivery", q.balanceDueOnDelivery);
        return core::sha256Hex(s);
    }
    money("amount_financed", q.amountFinanced);
    add("apr_ppm", std::to_string(q.apr.ppm));
    money("finance_charge", q.financeCharge);
    money("total_of_payments", q.totalOfPayments);
    money("total_sale_price", q.totalSalePrice);
    money("down_payment", q.downPayment);
    add("number_of_payments", std::to_string(q.numberOfPayments));
    money("monthly_payment", q.monthlyPayment);
    money("last_payment", q.lastPayment);
    add("first_payment_due", doc.firstPaymentDue);
    for (const auto& i : q.schedule)
        add("installment", std::to_string(i.number) + "|" + addMonths(doc.firstPaymentDue, i.number - 1) + "|" +
                               core::formatCents(i.payment) + "|" + core::formatCents(i.interest) + "|" +
                               core::formatCents(i.principal) + "|" + core::formatCents(i.balance));
    return core::sha256Hex(s);
}

} // namespace showroom::devices::pdf
