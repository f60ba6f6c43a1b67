#include "showroom/devices/pdf/report_pdf.hpp"

#include "haru_document.hpp"
#include "haru_text.hpp"

#include "showroom/core/clock.hpp"
#include "showroom/core/money.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace showroom::devices::pdf {

using core::ErrorCode;
using core::fail;
using core::Result;

namespace {

// ---- labels ---------------------------------------------------------------------------------------------------

// Every word the report prints, in both languages, keyed by id; "{1}", "{2}", ... are filled in by Labels.
enum class L {
    Title,
    Period,
    KeyFigures,
    KpiUnits,
    KpiRevenue,
    KpiFront,
    KpiBack,
    KpiTotal,
    KpiLeads,
    KpiTestDrive,
    KpiStock,
    KpiCapital,
    KpiTurn,
    UnitsByDay,
    UnitsByWeek,
    UnitsByMonth,
    Funnel,
    FunnelNote,
    ColStage,
    ColReached,
    ColConversion,
    ColMedian,
    TestDriveLine,
    StageInquiry,
    StageVisit,
    StageTestDrive,
    StageQuote,
    StageContract,
    StageDelivered,
    Aging,
    AgingNote,
    Bucket0,
    Bucket1,
    Bucket2,
    Bucket3,
    TurnLine,
    TopCapital,
    ColModel,
    ColUnits,
    ColCapital,
    ColOldest,
    Days,
    NoStock,
    Forecast,
    ForecastNote,
    MethodTrend,
    MethodHoltWinters,
    MethodLine,
    MethodHolt,
    Backtest,
    BacktestTrendOnly,
    TooShort,
    TrendOnly,
    History,
    Projection,
    Interval,
    Footer,
    FooterNoShowroom,
    Count
};

using LabelText = detail::LabelText<L>;

constexpr LabelText kLabels[] = {
    {L::Title, "Monthly report · {1}", "月度报告 · {1}"},
    {L::Period, "{1} to {2} · as of {3}", "{1} 至 {2} · 截至 {3}"},
    {L::KeyFigures, "Key figures", "关键指标"},
    {L::KpiUnits, "Units sold", "销量（台）"},
    {L::KpiRevenue, "Revenue", "销售收入"},
    {L::KpiFront, "Front-end gross", "前端毛利"},
    {L::KpiBack, "Back-end gross", "后端毛利"},
    {L::KpiTotal, "Total gross", "总毛利"},
    {L::KpiLeads, "Leads opened", "新增线索"},
    {L::KpiTestDrive, "Test drive to sale", "试驾成交率"},
    {L::KpiStock, "Units in stock", "库存（台）"},
    {L::KpiCapital, "Capital in stock", "库存占用资金"},
    {L::KpiTurn, "Stock turn, annualised", "年化库存周转率"},
    {L::UnitsByDay, "Units sold by day", "每日销量"},
    {L::UnitsByWeek, "Units sold by week", "每周销量"},
    {L::UnitsByMonth, "Units sold by month", "每月销量"},
    {L::Funnel, "Lead funnel", "线索漏斗"},
    {L::FunnelNote, "The {1} leads opened in the period, by the furthest stage they reached so far.",
     "本期新增的 {1} 条线索，按目前到达的最远阶段统计。"},
    {L::ColStage, "Stage", "阶段"},
    {L::ColReached, "Reached", "到达"},
    {L::ColConversion, "Conversion", "转化率"},
    {L::ColMedian, "Median days", "中位天数"},
    {L::TestDriveLine, "Test drive to sale: {1} of {2} customers who took a test drive in the period bought ({3}).",
     "试驾成交：本期试驾的 {2} 位客户中有 {1} 位购车（{3}）。"},
    {L::StageInquiry, "Inquiry", "询价"},
    {L::StageVisit, "Visit", "到店"},
    {L::StageTestDrive, "Test drive", "试驾"},
    {L::StageQuote, "Quote", "报价"},
    {L::StageContract, "Contract", "签约"},
    {L::StageDelivered, "Delivered", "交车"},
    {L::Aging, "Inventory aging", "库存车龄"},
    {L::AgingNote, "{1} units in stock, {2} tied up (cost and reconditioning), as of {3}.",
     "库存 {1} 台，占用资金 {2}（成本加整备费），截至 {3}。"},
    {L::Bucket0, "0–30 days", "0–30 天"},
    {L::Bucket1, "31–60 days", "31–60 天"},
    {L::Bucket2, "61–90 days", "61–90 天"},
    {L::Bucket3, "over 90 days", "90 天以上"},
    {L::TurnLine, "Stock turn {1} in the period, {2} annualised: {3} sold, {4} in stock on average.",
     "本期库存周转率 {1}，年化 {2}：售出 {3} 台，平均库存 {4} 台。"},
    {L::TopCapital, "Most capital tied up", "占用资金最多的车型"},
    {L::ColModel, "Model", "车型"},
    {L::ColUnits, "Units", "台数"},
    {L::ColCapital, "Capital", "资金"},
    {L::ColOldest, "Oldest", "最长车龄"},
    {L::Days, "{1} d", "{1} 天"},
    {L::NoStock, "No vehicles in stock.", "无库存车辆。"},
    {L::Forecast, "Sales forecast", "销量预测"},
    {L::ForecastNote, "Units per month: history and the next {1} months by {2}; the band is the 80 % interval.",
     "每月销量：历史及未来 {1} 个月的预测（{2}），阴影为 80 % 预测区间。"},
    {L::MethodTrend, "trend and season (least squares)", "趋势加季节，最小二乘"},
    {L::MethodHoltWinters, "Holt-Winters", "Holt-Winters"},
    {L::MethodLine, "linear trend (least squares)", "线性趋势，最小二乘"},
    {L::MethodHolt, "Holt's linear trend", "Holt 线性趋势"},
    {L::Backtest, "Backtest MAPE: trend and season {1}, Holt-Winters {2}.",
     "回测 MAPE：趋势加季节 {1}，Holt-Winters {2}。"},
    {L::BacktestTrendOnly, "Backtest MAPE: linear trend {1}, Holt's linear trend {2}.",
     "回测 MAPE：线性趋势 {1}，Holt 线性趋势 {2}。"},
    {L::TooShort, "No forecast: it needs {1} months of sales history and there are {2}.",
     "无预测：需要 {1} 个月的销售历史，目前只有 {2} 个月。"},
    {L::TrendOnly, "Trend only: the season needs {1} months of sales.", "仅趋势：季节性需要 {1} 个月的销售数据。"},
    {L::History, "History", "历史"},
    {L::Projection, "Forecast", "预测"},
    {L::Interval, "80 % interval", "80 % 区间"},
    {L::Footer, "{1} · Monthly report {2} · Page {3} of {4}", "{1} · 月度报告 {2} · 第 {3} 页，共 {4} 页"},
    {L::FooterNoShowroom, "Monthly report {1} · Page {2} of {3}", "月度报告 {1} · 第 {2} 页，共 {3} 页"},
};

static_assert(detail::labelsComplete(kLabels), "kLabels must list every label id, in order, in both languages");

/// This document's labels in one language.
class Labels : public detail::Labels<L, std::size(kLabels)> {
public:
    explicit Labels(bool chinese) : detail::Labels<L, std::size(kLabels)>(kLabels, chinese) {}
};

constexpr std::string_view kMonthsEn[] = {"January", "February", "March",     "April",   "May",      "June",
                                          "July",    "August",   "September", "October", "November", "December"};

// "November 2026" / "2026年11月"; the text as given when it is not YYYY-MM.
std::string monthTitle(const std::string& ym, bool chinese) {
    int year = 0, month = 0;
    if (ym.size() != 7 || std::sscanf(ym.c_str(), "%4d-%2d", &year, &month) != 2 || month < 1 || month > 12) return ym;
    if (chinese) return std::to_string(year) + "年" + std::to_string(month) + "月";
    return std::string(kMonthsEn[month - 1]) + " " + std::to_string(year);
}

// "2026-11-15T10:00:00Z" -> "2026-11-15 10:00 UTC"; anything else as given.
std::string asOfText(const std::string& utc) {
    if (utc.size() == 20 && utc[10] == 'T' && utc.back() == 'Z')
        return utc.substr(0, 10) + " " + utc.substr(11, 5) + " UTC";
    return utc;
}

std::string fixed(double value, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return buf;
}

std::string percent(std::optional<double> share) {
    return share ? fixed(*share * 100.0, 1) + " %" : "–";
}

// ---- drawing --------------------------------------------------------------------------------------------------

// US Letter, 612 x 792 pt.
constexpr float kLeft = 42, kRight = 570, kWidth = kRight - kLeft;
constexpr float kTop = detail::PageCursor::kTop, kBottom = detail::PageCursor::kBottom;
constexpr float kFooterBaseline = 34;

struct Rgb {
    float r, g, b;
};
constexpr Rgb kInk{0, 0, 0}, kGrid{0.82f, 0.82f, 0.82f}, kMuted{0.38f, 0.38f, 0.38f};
constexpr Rgb kBar{0.20f, 0.40f, 0.70f}, kProjection{0.85f, 0.45f, 0.10f}, kBand{0.99f, 0.86f, 0.70f};
constexpr std::array<Rgb, 4> kAgeColors{Rgb{0.30f, 0.62f, 0.36f}, Rgb{0.62f, 0.72f, 0.28f}, Rgb{0.92f, 0.62f, 0.20f},
                                        Rgb{0.80f, 0.25f, 0.20f}};

using detail::Face;

// The report's pages (detail::PageCursor), sections call ensure() with their height first so a section
// never splits across a page break; and how it draws: coloured text, rectangles and lines.
class Canvas : public detail::PageCursor {
public:
    using detail::PageCursor::PageCursor;
    using detail::PageCursor::width;

    void text(HPDF_Page page, float x, float baseline, std::string_view s, const Face& face, float size,
              Rgb color = kInk) const {
        for (const auto& run : runs(s, face)) {
            HPDF_Page_BeginText(page);
            HPDF_Page_SetFontAndSize(page, run.font, size);
            HPDF_Page_SetRGBFill(page, color.r, color.g, color.b);
            if (face.fakeBold) {
                HPDF_Page_SetRGBStroke(page, color.r, color.g, color.b);
                HPDF_Page_SetTextRenderingMode(page, HPDF_FILL_THEN_STROKE);
                HPDF_Page_SetLineWidth(page, size / 30);
            }
            HPDF_Page_TextOut(page, x, baseline, run.text.c_str());
            if (face.fakeBold) HPDF_Page_SetTextRenderingMode(page, HPDF_FILL);
            HPDF_Page_EndText(page);
            x += width(run, size);
        }
        HPDF_Page_SetRGBFill(page, 0, 0, 0);
        HPDF_Page_SetRGBStroke(page, 0, 0, 0);
    }
    void text(float x, float baseline, std::string_view s, const Face& face, float size, Rgb color = kInk) const {
        text(page(), x, baseline, s, face, size, color);
    }
    void textRight(float right, float baseline, std::string_view s, const Face& face, float size,
                   Rgb color = kInk) const {
        text(right - width(s, face, size), baseline, s, face, size, color);
    }
    void textCentered(float centre, float baseline, std::string_view s, const Face& face, float size,
                      Rgb color = kInk) const {
        text(centre - width(s, face, size) / 2, baseline, s, face, size, color);
    }

    void fillRect(float x, float bottom, float w, float h, Rgb color) const {
        HPDF_Page_SetRGBFill(page(), color.r, color.g, color.b);
        HPDF_Page_Rectangle(page(), x, bottom, w, h);
        HPDF_Page_Fill(page());
        HPDF_Page_SetRGBFill(page(), 0, 0, 0);
    }
    void strokeRect(float x, float bottom, float w, float h, float lineWidth, Rgb color) const {
        HPDF_Page_SetRGBStroke(page(), color.r, color.g, color.b);
        HPDF_Page_SetLineWidth(page(), lineWidth);
        HPDF_Page_Rectangle(page(), x, bottom, w, h);
        HPDF_Page_Stroke(page());
        HPDF_Page_SetRGBStroke(page(), 0, 0, 0);
    }
    void line(HPDF_Page page, float x1, float y1, float x2, float y2, float lineWidth, Rgb color) const {
        HPDF_Page_SetRGBStroke(page, color.r, color.g, color.b);
        HPDF_Page_SetLineWidth(page, lineWidth);
        HPDF_Page_MoveTo(page, x1, y1);
        HPDF_Page_LineTo(page, x2, y2);
        HPDF_Page_Stroke(page);
        HPDF_Page_SetRGBStroke(page, 0, 0, 0);
    }
    void line(float x1, float y1, float x2, float y2, float lineWidth, Rgb color) const {
        line(page(), x1, y1, x2, y2, lineWidth, color);
    }

};

// A value axis from 0 with 1, 2 or 5 times a power of ten per step and at most `maxSteps` steps; every chart
// counts cars, so a step is at least one car.
struct Axis {
    double step = 1, top = 1;
};
Axis niceAxis(double maxValue, int maxSteps = 5) {
    if (!(maxValue > 0)) return {1, 1};
    const double raw = std::max(1.0, maxValue / maxSteps);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * magnitude >= raw) {
            step = m * magnitude;
            break;
        }
    return {step, std::ceil(maxValue / step - 1e-9) * step};
}

std::string axisLabel(double value) {
    return fixed(value, 0);
}

// ---- the report ---------------------------------------------------------------------------------------------------

constexpr std::array<L, 6> kStageLabels{L::StageInquiry, L::StageVisit,    L::StageTestDrive,
                                        L::StageQuote,   L::StageContract, L::StageDelivered};

class ReportLayout {
public:
    ReportLayout(const MonthlyReport& report, Canvas& canvas, const Labels& label)
        : m_r(report), m_c(canvas), m_label(label) {}

    void draw() {
        m_c.add();
        header();
        keyFigures();
        salesChart();
        funnel();
        aging();
        forecast();
    }

    void footers() const {
        const int total = static_cast<int>(m_c.all().size());
        for (int n = 1; n <= total; ++n) {
            HPDF_Page page = m_c.all()[static_cast<std::size_t>(n - 1)];
            const std::string text =
                m_r.showroom.empty()
                    ? m_label(L::FooterNoShowroom, {m_r.month, std::to_string(n), std::to_string(total)})
                    : m_label(L::Footer, {m_r.showroom, m_r.month, std::to_string(n), std::to_string(total)});
            m_c.line(page, kLeft, kFooterBaseline + 11, kRight, kFooterBaseline + 11, 0.5f, kGrid);
            m_c.text(page, kLeft, kFooterBaseline, text, m_c.regular(), 7.5f, kMuted);
        }
    }

private:
    const Face& regular() const { return m_c.regular(); }
    const Face& bold() const { return m_c.bold(); }

    void heading(L id, float bodyHeight) {
        m_c.ensure(22 + bodyHeight);
        m_c.y -= 8;
        m_c.text(kLeft, m_c.y - 11, m_label(id), bold(), 12);
        m_c.line(kLeft, m_c.y - 15, kRight, m_c.y - 15, 0.6f, kGrid);
        m_c.y -= 22;
    }
    void note(const std::string& text) {
        m_c.text(kLeft, m_c.y - 9, text, regular(), 8.5f, kMuted);
        m_c.y -= 14;
    }

    void header() {
        m_c.text(kLeft, m_c.y - 18, m_label(L::Title, {monthTitle(m_r.month, m_label.chinese())}), bold(), 20);
        m_c.y -= 28;
        std::string sub =
            m_label(L::Period, {m_r.sales.period.from, lastDay(m_r.sales.period.to), asOfText(m_r.aging.asOf)});
        if (!m_r.showroom.empty()) sub = m_r.showroom + " · " + sub;
        m_c.text(kLeft, m_c.y - 9, sub, regular(), 9.5f, kMuted);
        m_c.y -= 18;
    }

    // The inclusive last day of a period whose `to` is exclusive.
    static std::string lastDay(const std::string& to) {
        auto t = core::parseUtc(to);
        return t ? core::formatDate(*t - 86'400) : to;
    }

    void keyFigures() {
        const auto& t = m_r.sales.total;
        const std::array<std::pair<L, std::string>, 10> tiles{{
            {L::KpiUnits, std::to_string(t.units)},
            {L::KpiRevenue, core::formatMoney(t.revenue)},
            {L::KpiFront, core::formatMoney(t.frontGross)},
            {L::KpiBack, core::formatMoney(t.backGross)},
            {L::KpiTotal, core::formatMoney(t.totalGross)},
            {L::KpiLeads, std::to_string(m_r.funnel.leads)},
            {L::KpiTestDrive, percent(m_r.funnel.testDriveToSale)},
            {L::KpiStock, std::to_string(m_r.aging.units)},
            {L::KpiCapital, core::formatMoney(m_r.aging.capital)},
            {L::KpiTurn, m_r.turn.annualised ? fixed(*m_r.turn.annualised, 2) : "–"},
        }};
        constexpr int kPerRow = 5;
        constexpr float kGap = 8, kTileH = 44;
        const float tileW = (kWidth - kGap * (kPerRow - 1)) / kPerRow;
        heading(L::KeyFigures, 2 * kTileH + kGap);
        for (std::size_t i = 0; i < tiles.size(); ++i) {
            const float x = kLeft + static_cast<float>(i % kPerRow) * (tileW + kGap);
            const float top = m_c.y - static_cast<float>(i / kPerRow) * (kTileH + kGap);
            m_c.fillRect(x, top - kTileH, tileW, kTileH, {0.96f, 0.97f, 0.99f});
            m_c.strokeRect(x, top - kTileH, tileW, kTileH, 0.6f, kGrid);
            const std::string label = m_label(tiles[i].first);
            m_c.text(x + 6, top - 13, label, regular(), m_c.fit(label, regular(), 7.5f, tileW - 12), kMuted);
            const std::string& value = tiles[i].second;
            m_c.text(x + 6, top - 34, value, bold(), m_c.fit(value, bold(), 14, tileW - 12));
        }
        m_c.y -= 2 * kTileH + kGap + 6;
    }

    // Vertical bars with a value axis; `labels` under the bars, thinned out when they would collide.
    void barChart(float top, float height, const std::vector<std::int64_t>& values,
                  const std::vector<std::string>& labels, const std::vector<Rgb>& colors) {
        constexpr float kAxisW = 30, kLabelH = 14;
        const float x0 = kLeft + kAxisW, plotW = kWidth - kAxisW, bottom = top - height + kLabelH;
        const float plotH = height - kLabelH - 10;
        double maxValue = 0;
        for (auto v : values)
            maxValue = std::max(maxValue, static_cast<double>(v));
        const Axis axis = niceAxis(maxValue);
        for (double v = 0; v <= axis.top + axis.step / 2; v += axis.step) {
            const float yy = bottom + static_cast<float>(v / axis.top) * plotH;
            m_c.line(x0, yy, kRight, yy, v == 0 ? 0.8f : 0.4f, v == 0 ? kMuted : kGrid);
            m_c.textRight(x0 - 4, yy - 2.5f, axisLabel(v), regular(), 7, kMuted);
        }
        if (values.empty()) return;
        const float slot = plotW / static_cast<float>(values.size());
        const float barW = std::min(slot * 0.7f, 60.0f);
        float widest = 0;
        for (const auto& l : labels)
            widest = std::max(widest, m_c.width(l, regular(), 6.5f));
        const std::size_t every = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil((widest + 4) / slot)));
        for (std::size_t i = 0; i < values.size(); ++i) {
            const float centre = x0 + slot * (static_cast<float>(i) + 0.5f);
            const float h = static_cast<float>(static_cast<double>(values[i]) / axis.top) * plotH;
            if (values[i] > 0) {
                m_c.fillRect(centre - barW / 2, bottom, barW, h, colors[i % colors.size()]);
                if (slot >= 9) m_c.textCentered(centre, bottom + h + 2.5f, std::to_string(values[i]), regular(), 6.5f);
            }
            if (i < labels.size() && i % every == 0)
                m_c.textCentered(centre, bottom - 9, labels[i], regular(), 6.5f, kMuted);
        }
    }

    void salesChart() {
        const auto g = m_r.sales.granularity;
        const L title = g == core::reports::Granularity::Day    ? L::UnitsByDay
                        : g == core::reports::Granularity::Week ? L::UnitsByWeek
                                                                : L::UnitsByMonth;
        constexpr float kHeight = 150;
        heading(title, kHeight);
        std::vector<std::int64_t> values;
        std::vector<std::string> labels;
        for (const auto& b : m_r.sales.byTime) {
            values.push_back(b.figures.units);
            // Days by their day of the month, weeks as "W45", months as "11".
            if (g == core::reports::Granularity::Day && b.bucket.size() == 10)
                labels.push_back(b.bucket.substr(8));
            else if (g == core::reports::Granularity::Week && b.bucket.size() == 8)
                labels.push_back(b.bucket.substr(5));
            else
                labels.push_back(b.bucket);
        }
        barChart(m_c.y, kHeight, values, labels, {kBar});
        m_c.y -= kHeight + 4;
    }

    void funnel() {
        const auto& f = m_r.funnel;
        constexpr float kRow = 18;
        const float body = 14 + 14 + kRow * static_cast<float>(kStageLabels.size()) + 16;
        heading(L::Funnel, body);
        note(m_label(L::FunnelNote, {std::to_string(f.leads)}));
        const float barLeft = kLeft + 92, barWidth = 250, centre = barLeft + barWidth / 2;
        const float reachedRight = kLeft + 395, conversionRight = kLeft + 462;
        m_c.text(kLeft, m_c.y - 9, m_label(L::ColStage), bold(), 8);
        m_c.textRight(reachedRight, m_c.y - 9, m_label(L::ColReached), bold(), 8);
        m_c.textRight(conversionRight, m_c.y - 9, m_label(L::ColConversion), bold(), 8);
        m_c.textRight(kRight, m_c.y - 9, m_label(L::ColMedian), bold(), 8);
        m_c.y -= 14;
        std::int64_t widest = 1;
        for (const auto& s : f.reached)
            widest = std::max(widest, s.leads);
        for (std::size_t i = 0; i < kStageLabels.size(); ++i) {
            const float baseline = m_c.y - kRow + 5;
            m_c.text(kLeft, baseline, m_label(kStageLabels[i]), regular(), 9);
            const std::int64_t reached = i < f.reached.size() ? f.reached[i].leads : 0;
            const float w = barWidth * static_cast<float>(reached) / static_cast<float>(widest);
            const float shade = static_cast<float>(i) / static_cast<float>(kStageLabels.size());
            if (reached > 0)
                m_c.fillRect(centre - std::max(w, 1.0f) / 2, m_c.y - kRow + 2, std::max(w, 1.0f), kRow - 4,
                             {kBar.r + shade * 0.35f, kBar.g + shade * 0.35f, kBar.b + shade * 0.2f});
            m_c.textRight(reachedRight, baseline, std::to_string(reached), regular(), 9);
            if (i >= 1 && i - 1 < f.conversions.size())
                m_c.textRight(conversionRight, baseline, percent(f.conversions[i - 1].rate), regular(), 9);
            if (i < f.daysInStage.size()) {
                const auto& d = f.daysInStage[i];
                m_c.textRight(kRight, baseline, d.medianDays ? fixed(*d.medianDays, 1) : "–", regular(), 9);
            }
            m_c.y -= kRow;
        }
        m_c.y -= 4;
        note(m_label(L::TestDriveLine, {std::to_string(f.testDriveCustomersSold), std::to_string(f.testDriveCustomers),
                                        percent(f.testDriveToSale)}));
    }

    void aging() {
        const auto& a = m_r.aging;
        constexpr float kChartH = 140;
        constexpr std::size_t kTopModels = 6;
        heading(L::Aging, 14 + kChartH + 30);
        note(m_label(L::AgingNote, {std::to_string(a.units), core::formatMoney(a.capital), asOfText(a.asOf)}));
        const float top = m_c.y;

        // The histogram on the left half: units per bucket, the capital under each label.
        constexpr float kChartW = 250, kAxisW = 30, kLabelH = 26;
        const float x0 = kLeft + kAxisW, bottom = top - kChartH + kLabelH, plotH = kChartH - kLabelH - 12;
        double maxUnits = 0;
        for (const auto& b : a.buckets)
            maxUnits = std::max(maxUnits, static_cast<double>(b.units));
        const Axis axis = niceAxis(maxUnits, 4);
        for (double v = 0; v <= axis.top + axis.step / 2; v += axis.step) {
            const float yy = bottom + static_cast<float>(v / axis.top) * plotH;
            m_c.line(x0, yy, kLeft + kChartW, yy, v == 0 ? 0.8f : 0.4f, v == 0 ? kMuted : kGrid);
            m_c.textRight(x0 - 4, yy - 2.5f, axisLabel(v), regular(), 7, kMuted);
        }
        const float slot = (kChartW - kAxisW) / 4;
        const std::array<L, 4> names{L::Bucket0, L::Bucket1, L::Bucket2, L::Bucket3};
        for (std::size_t i = 0; i < a.buckets.size(); ++i) {
            const auto& b = a.buckets[i];
            const float centre = x0 + slot * (static_cast<float>(i) + 0.5f);
            const float h = static_cast<float>(static_cast<double>(b.units) / axis.top) * plotH;
            if (b.units > 0) m_c.fillRect(centre - slot * 0.35f, bottom, slot * 0.7f, h, kAgeColors[i]);
            m_c.textCentered(centre, bottom + h + 2.5f, std::to_string(b.units), bold(), 8);
            m_c.textCentered(centre, bottom - 9, m_label(names[i]), regular(), 7);
            const std::string capital = core::formatMoney(b.capital);
            m_c.textCentered(centre, bottom - 19, capital, regular(), m_c.fit(capital, regular(), 6.5f, slot - 2),
                             kMuted);
        }

        // The models with the most capital tied up on the right half, as the report orders them.
        const float tx = kLeft + kChartW + 28;
        m_c.text(tx, top - 9, m_label(L::TopCapital), bold(), 9);
        float ty = top - 24;
        const float unitsRight = tx + 150, capitalRight = tx + 215, oldestRight = kRight;
        m_c.text(tx, ty, m_label(L::ColModel), bold(), 7.5f, kMuted);
        m_c.textRight(unitsRight, ty, m_label(L::ColUnits), bold(), 7.5f, kMuted);
        m_c.textRight(capitalRight, ty, m_label(L::ColCapital), bold(), 7.5f, kMuted);
        m_c.textRight(oldestRight, ty, m_label(L::ColOldest), bold(), 7.5f, kMuted);
        ty -= 4;
        if (a.byModel.empty()) m_c.text(tx, ty - 12, m_label(L::NoStock), regular(), 8.5f);
        for (std::size_t i = 0; i < std::min(kTopModels, a.byModel.size()); ++i) {
            const auto& m = a.byModel[i];
            ty -= 14;
            const std::string name = m.make + " " + m.model;
            m_c.text(tx, ty, name, regular(), m_c.fit(name, regular(), 8.5f, 110));
            m_c.textRight(unitsRight, ty, std::to_string(m.units), regular(), 8.5f);
            m_c.textRight(capitalRight, ty, core::formatMoney(m.capital), regular(), 8.5f);
            m_c.textRight(oldestRight, ty, m_label(L::Days, {std::to_string(m.oldestDays)}), regular(), 8.5f);
        }
        m_c.y = std::min(bottom - 26, ty - 8);

        const auto& t = m_r.turn;
        note(m_label(L::TurnLine, {t.turn ? fixed(*t.turn, 2) : "–", t.annualised ? fixed(*t.annualised, 2) : "–",
                                   std::to_string(t.unitsSold), fixed(t.averageInventory, 1)}));
    }

    void forecast() {
        const auto& s = m_r.forecast.total;
        const auto& fc = s.forecast;
        constexpr float kChartH = 170;
        const bool ok = fc.status == core::analytics::ForecastStatus::Ok;
        // Under two years of history the methods fit no season: named for what they are, and said so.
        const bool trendOnly = ok && !fc.seasonal;
        heading(L::Forecast, 14 + (trendOnly ? 14 : 0) + kChartH + 20);
        if (ok) {
            const bool line = fc.method == core::analytics::ForecastMethod::TrendSeasonal;
            const L method =
                trendOnly ? (line ? L::MethodLine : L::MethodHolt) : (line ? L::MethodTrend : L::MethodHoltWinters);
            note(m_label(L::ForecastNote, {std::to_string(fc.points.size()), m_label(method)}));
            if (trendOnly) note(m_label(L::TrendOnly, {std::to_string(core::analytics::kSeasonalHistoryMonths)}));
        } else {
            note(m_label(L::TooShort,
                         {std::to_string(core::analytics::kMinHistoryMonths), std::to_string(s.history.size())}));
        }

        // The last two years of history, then the forecast months.
        constexpr std::size_t kShownHistory = 24;
        const std::size_t skip = s.history.size() > kShownHistory ? s.history.size() - kShownHistory : 0;
        std::vector<double> history(s.history.begin() + static_cast<std::ptrdiff_t>(skip), s.history.end());
        std::vector<std::string> months;
        for (std::size_t i = skip; i < s.history.size(); ++i) {
            const std::string day = core::addMonths(s.firstMonth + "-01", static_cast<int>(i));
            months.push_back(day.empty() ? "" : day.substr(0, 7));
        }
        const auto& points = ok ? fc.points : std::vector<core::analytics::ForecastPoint>{};
        for (std::size_t i = 0; i < points.size(); ++i)
            months.push_back(i < s.months.size() ? s.months[i] : "");
        const std::size_t n = months.size();

        const float top = m_c.y;
        constexpr float kAxisW = 30, kLabelH = 14;
        const float x0 = kLeft + kAxisW, plotW = kWidth - kAxisW - 6, bottom = top - kChartH + kLabelH;
        const float plotH = kChartH - kLabelH - 22;
        double maxValue = 0;
        for (double v : history)
            maxValue = std::max(maxValue, v);
        for (const auto& p : points)
            maxValue = std::max({maxValue, p.value, p.high});
        const Axis axis = niceAxis(maxValue);
        for (double v = 0; v <= axis.top + axis.step / 2; v += axis.step) {
            const float yy = bottom + static_cast<float>(v / axis.top) * plotH;
            m_c.line(x0, yy, x0 + plotW, yy, v == 0 ? 0.8f : 0.4f, v == 0 ? kMuted : kGrid);
            m_c.textRight(x0 - 4, yy - 2.5f, axisLabel(v), regular(), 7, kMuted);
        }
        const float slot = n > 0 ? plotW / static_cast<float>(n) : plotW;
        auto px = [&](std::size_t i) { return x0 + slot * (static_cast<float>(i) + 0.5f); };
        auto py = [&](double v) { return bottom + static_cast<float>(v / axis.top) * plotH; };
        HPDF_Page page = m_c.page();

        if (!points.empty()) {
            // The band: from the last actual month (no width there) along the highs and back along the lows.
            HPDF_Page_SetRGBFill(page, kBand.r, kBand.g, kBand.b);
            const std::size_t first = history.size();
            if (first > 0)
                HPDF_Page_MoveTo(page, px(first - 1), py(history.back()));
            else
                HPDF_Page_MoveTo(page, px(0), py(points[0].high));
            for (std::size_t i = 0; i < points.size(); ++i)
                HPDF_Page_LineTo(page, px(first + i), py(points[i].high));
            for (std::size_t i = points.size(); i-- > 0;)
                HPDF_Page_LineTo(page, px(first + i), py(points[i].low));
            HPDF_Page_ClosePath(page);
            HPDF_Page_Fill(page);
            HPDF_Page_SetRGBFill(page, 0, 0, 0);

            // The forecast line, dashed, from the last actual month.
            const HPDF_UINT16 dash[] = {4, 2};
            HPDF_Page_SetDash(page, dash, 2, 0);
            HPDF_Page_SetRGBStroke(page, kProjection.r, kProjection.g, kProjection.b);
            HPDF_Page_SetLineWidth(page, 1.4f);
            if (first > 0)
                HPDF_Page_MoveTo(page, px(first - 1), py(history.back()));
            else
                HPDF_Page_MoveTo(page, px(0), py(points[0].value));
            for (std::size_t i = 0; i < points.size(); ++i)
                HPDF_Page_LineTo(page, px(first + i), py(points[i].value));
            HPDF_Page_Stroke(page);
            HPDF_Page_SetDash(page, nullptr, 0, 0);
            for (std::size_t i = 0; i < points.size(); ++i)
                marker(px(first + i), py(points[i].value), kProjection);
        }
        if (!history.empty()) {
            HPDF_Page_SetRGBStroke(page, kBar.r, kBar.g, kBar.b);
            HPDF_Page_SetLineWidth(page, 1.4f);
            HPDF_Page_MoveTo(page, px(0), py(history[0]));
            for (std::size_t i = 1; i < history.size(); ++i)
                HPDF_Page_LineTo(page, px(i), py(history[i]));
            HPDF_Page_Stroke(page);
            HPDF_Page_SetRGBStroke(page, 0, 0, 0);
            for (std::size_t i = 0; i < history.size(); ++i)
                marker(px(i), py(history[i]), kBar);
        }

        float widest = 0;
        for (const auto& m : months)
            widest = std::max(widest, m_c.width(m, regular(), 6.5f));
        const std::size_t every = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil((widest + 4) / slot)));
        // Label every `every`-th month counted back from the last one, so the newest months are named.
        for (std::size_t i = 0; i < n; ++i)
            if ((n - 1 - i) % every == 0) m_c.textCentered(px(i), bottom - 9, months[i], regular(), 6.5f, kMuted);

        // Legend, top right.
        float lx = kRight - 6;
        auto legend = [&](const std::string& text, Rgb color, bool swatch) {
            const float w = m_c.width(text, regular(), 7.5f);
            lx -= w;
            m_c.text(lx, top - 8, text, regular(), 7.5f);
            lx -= 16;
            if (swatch)
                m_c.fillRect(lx, top - 9, 12, 7, color);
            else
                m_c.line(lx, top - 5.5f, lx + 12, top - 5.5f, 1.6f, color);
            lx -= 12;
        };
        if (!points.empty()) {
            legend(m_label(L::Interval), kBand, true);
            legend(m_label(L::Projection), kProjection, false);
        }
        legend(m_label(L::History), kBar, false);

        m_c.y = bottom - 18;
        if (ok && fc.backtest.size() == 2)
            note(m_label(trendOnly ? L::BacktestTrendOnly : L::Backtest,
                         {percent(fc.backtest[0].mape), percent(fc.backtest[1].mape)}));
    }

    void marker(float x, float y, Rgb color) const {
        HPDF_Page page = m_c.page();
        HPDF_Page_SetRGBFill(page, color.r, color.g, color.b);
        HPDF_Page_Circle(page, x, y, 1.8f);
        HPDF_Page_Fill(page);
        HPDF_Page_SetRGBFill(page, 0, 0, 0);
    }

    const MonthlyReport& m_r;
    Canvas& m_c;
    const Labels& m_label;
};

// True when a name in the report holds CJK characters, which DejaVu lacks: then an English report also
// embeds the CJK font, for those characters only.
bool needsCjkFont(const MonthlyReport& r) {
    if (detail::hasCjk(r.showroom)) return true;
    for (const auto& m : r.aging.byModel)
        if (detail::hasCjk(m.make) || detail::hasCjk(m.model)) return true;
    return false;
}

} // namespace

Result<RenderedReport> HaruReportRenderer::render(const MonthlyReport& report) const {
    if (report.language != "en" && report.language != "zh-CN")
        return fail(ErrorCode::InvalidInput, "reports are printed in en or zh-CN, not '" + report.language + "'");
    auto created = detail::HaruDocument::create();
    if (!created) return created.error();
    detail::HaruDocument& pdf = *created;
    // No creation date or document ID is ever set: they would make equal reports differ.
    HPDF_SetCompressionMode(pdf.get(), HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(pdf.get());
    HPDF_SetCurrentEncoder(pdf.get(), "UTF-8");
    HPDF_SetInfoAttr(pdf.get(), HPDF_INFO_CREATOR, "Showroom");
    HPDF_SetInfoAttr(pdf.get(), HPDF_INFO_TITLE, ("Monthly report " + report.month).c_str());
    SHOWROOM_TRY(pdf.check(ErrorCode::Internal, "setting up the PDF document"));

    const bool chinese = report.language == "zh-CN";
    Face regular, bold;
    HPDF_Font cjk = nullptr;
    if (chinese) {
        auto font = detail::loadFont(pdf, m_fonts.cjk, true);
        if (!font) return font.error();
        regular = {*font, false};
        bold = {*font, true};
    } else {
        auto r = detail::loadFont(pdf, m_fonts.regular, false);
        if (!r) return r.error();
        auto b = detail::loadFont(pdf, m_fonts.bold, false);
        if (!b) return b.error();
        regular = {*r, false};
        bold = {*b, false};
        if (needsCjkFont(report)) {
            auto c = detail::loadFont(pdf, m_fonts.cjk, true);
            if (!c) return c.error();
            cjk = *c;
        }
    }

    Canvas canvas(pdf.get(), regular, bold, cjk);
    const Labels labels(chinese);
    ReportLayout layout(report, canvas, labels);
    layout.draw();
    // Second pass, now that the page count is known.
    layout.footers();
    SHOWROOM_TRY(pdf.check(ErrorCode::Internal, "laying out the monthly report " + report.month));

    auto bytes = pdf.save();
    if (!bytes) return bytes.error();
    return RenderedReport{std::move(*bytes), static_cast<int>(canvas.all().size())};
}

} // namespace showroom::devices::pdf
