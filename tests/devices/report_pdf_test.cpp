// The monthly report PDF from a hand-made MonthlyReport (so the forecast has two years and its season, which the
// 18-month demo cannot give): qpdf --check must pass, pdftotext must show the figures as given, a trend-only or
// too-short forecast must say so, equal reports must give equal bytes, and a missing font or an unknown language
// is refused.
#include "showroom/devices/pdf/report_pdf.hpp"

#include "showroom/core/money.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <initializer_list>
#include <string>
#include <tuple>

namespace core = showroom::core;
namespace pdf = showroom::devices::pdf;
namespace reports = showroom::core::reports;
namespace analytics = showroom::core::analytics;
using showroom::test::TempDir;
using showroom::test::writeFile;

namespace {

struct Ran {
    int exit = -1;
    std::string out;
};

Ran sh(const std::string& command) {
    Ran r;
    FILE* p = popen((command + " 2>/dev/null").c_str(), "r");
    if (!p) return r;
    char buf[4096];
    for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;)
        r.out.append(buf, n);
    const int status = pclose(p);
    r.exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

reports::SalesFigures figures(std::int64_t units, core::Cents revenue, core::Cents front, core::Cents back) {
    reports::SalesFigures f;
    f.units = units;
    f.revenue = revenue;
    f.frontGross = front;
    f.backGross = back;
    f.totalGross = front + back;
    f.cost = revenue - front;
    return f;
}

// A small November: 7 units over four weeks, a funnel of 40 leads, 9 cars in stock and a forecast.
pdf::MonthlyReport november() {
    pdf::MonthlyReport m;
    m.showroom = "Riverside Motors 河畔";
    m.month = "2026-11";
    m.sales.period = {"2026-11-01", "2026-12-01"};
    m.sales.granularity = reports::Granularity::Week;
    m.sales.total = figures(7, 23'456'700, 1'234'500, 456'700);
    using Week = std::tuple<const char*, const char*, int>;
    for (auto [bucket, start, units] : std::initializer_list<Week>{{"2026-W44", "2026-10-26", 1},
                                                                   {"2026-W45", "2026-11-02", 3},
                                                                   {"2026-W46", "2026-11-09", 0},
                                                                   {"2026-W47", "2026-11-16", 2},
                                                                   {"2026-W48", "2026-11-23", 1},
                                                                   {"2026-W49", "2026-11-30", 0}})
        m.sales.byTime.push_back({bucket, start, figures(units, 0, 0, 0)});
    m.funnel.period = m.sales.period;
    m.funnel.leads = 40;
    const std::int64_t reached[] = {40, 31, 17, 12, 8, 7};
    for (int i = 0; i < 6; ++i)
        m.funnel.reached.push_back({static_cast<core::LeadStage>(i), reached[i]});
    for (int i = 0; i < 5; ++i)
        m.funnel.conversions.push_back({static_cast<core::LeadStage>(i), static_cast<core::LeadStage>(i + 1),
                                        reached[i], reached[i + 1],
                                        static_cast<double>(reached[i + 1]) / static_cast<double>(reached[i])});
    for (int i = 0; i < 5; ++i)
        m.funnel.daysInStage.push_back({static_cast<core::LeadStage>(i), 5, 1.5 + i});
    m.funnel.testDriveCustomers = 10;
    m.funnel.testDriveCustomersSold = 4;
    m.funnel.testDriveToSale = 0.4;
    m.aging.asOf = "2026-11-20T09:00:00Z";
    m.aging.buckets = {reports::AgingBucket{0, 30, 4, 9'000'000}, reports::AgingBucket{31, 60, 3, 7'000'000},
                       reports::AgingBucket{61, 90, 0, 0}, reports::AgingBucket{91, std::nullopt, 2, 3'100'000}};
    m.aging.units = 9;
    m.aging.capital = 19'100'000;
    reports::ModelAging camry;
    camry.make = "Toyota";
    camry.model = "Camry";
    camry.units = 5;
    camry.capital = 11'000'000;
    camry.oldestDays = 120;
    m.aging.byModel.push_back(camry);
    m.turn.period = m.sales.period;
    m.turn.unitsSold = 7;
    m.turn.averageInventory = 10.5;
    m.turn.turn = 7 / 10.5;
    m.turn.annualised = 7 / 10.5 * 365 / 30;
    auto& total = m.forecast.total;
    total.firstMonth = "2024-11";
    for (int i = 0; i < 24; ++i)
        total.history.push_back(10 + (i % 12 < 6 ? 3 : -2) + i * 0.2);
    total.months = {"2026-11", "2026-12", "2027-01"};
    total.forecast.status = analytics::ForecastStatus::Ok;
    total.forecast.method = analytics::ForecastMethod::HoltWinters;
    total.forecast.seasonal = true;
    total.forecast.points = {{15.2, 11.0, 19.4}, {9.8, 5.1, 14.5}, {10.4, 4.9, 15.9}};
    total.forecast.backtest = {{analytics::ForecastMethod::TrendSeasonal, 0.183, 2.1, 30},
                               {analytics::ForecastMethod::HoltWinters, 0.127, 1.6, 30}};
    m.forecast.asOf = m.aging.asOf;
    return m;
}

class ReportPdf : public ::testing::Test {
protected:
    TempDir dir;

    std::string text(const std::string& name, const std::string& bytes, bool layout = true) {
        const std::string path = dir.file(name);
        writeFile(path, bytes);
        EXPECT_EQ(sh("command -v qpdf").exit, 0) << "qpdf is not installed; run scripts/install-deps.sh";
        EXPECT_EQ(sh("qpdf --check '" + path + "'").exit, 0) << name;
        return sh(std::string("pdftotext ") + (layout ? "-layout " : "") + "'" + path + "' -").out;
    }
};

TEST_F(ReportPdf, ShowsTheGivenFiguresWithTheForecastAndItsBand) {
    auto rendered = pdf::HaruReportRenderer().render(november());
    ASSERT_TRUE(rendered) << rendered.error().message;
    EXPECT_EQ(rendered->pdf.substr(0, 5), "%PDF-");
    const std::string t = text("november.pdf", rendered->pdf);
    for (const char* expected :
         {"Monthly report · November 2026",
          "Riverside Motors 河畔",
          "2026-11-01 to 2026-11-30",
          "as of 2026-11-20 09:00 UTC",
          "Key figures",
          "$234,567.00",
          "$12,345.00",
          "$4,567.00",
          "$16,912.00",
          "40.0 %",
          "$191,000.00",
          "Units sold by week",
          "W45",
          "Lead funnel",
          "77.5 %",
          "Test drive to sale: 4 of 10 customers who took a test drive in the period bought (40.0 %).",
          "Inventory aging",
          "over 90 days",
          "$31,000.00",
          "Toyota Camry",
          "120 d",
          "Stock turn 0.67 in the period",
          "Sales forecast",
          "next 3 months by Holt-Winters",
          "80 % interval",
          "2027-01",
          "Backtest MAPE: trend and season 18.3 %",
          "Holt-Winters 12.7 %",
          "Page 1 of "})
        EXPECT_NE(t.find(expected), std::string::npos) << expected << " missing from:\n" << t;
    EXPECT_EQ(t.find("Trend only"), std::string::npos) << "two years: the season is fitted";
    // Vector drawing only: no image XObjects.
    EXPECT_EQ(rendered->pdf.find("/Subtype /Image"), std::string::npos);
}

TEST_F(ReportPdf, EqualReportsGiveEqualBytesAndTheLanguageChangesThem) {
    auto a = pdf::HaruReportRenderer().render(november());
    auto b = pdf::HaruReportRenderer().render(november());
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->pdf, b->pdf);
    auto zhReport = november();
    zhReport.language = "zh-CN";
    auto zh = pdf::HaruReportRenderer().render(zhReport);
    ASSERT_TRUE(zh) << zh.error().message;
    EXPECT_NE(zh->pdf, a->pdf);
    const std::string t = text("zh.pdf", zh->pdf);
    for (const char* expected : {"月度报告 · 2026年11月", "关键指标", "每周销量", "线索漏斗", "库存车龄", "90 天以上",
                                 "销量预测", "80 % 区间", "第 1 页"})
        EXPECT_NE(t.find(expected), std::string::npos) << expected << " missing from:\n" << t;
}

TEST_F(ReportPdf, AShortHistorySaysSoInsteadOfDrawingAForecast) {
    auto m = november();
    m.forecast.total.history.resize(8);
    m.forecast.total.months.clear();
    m.forecast.total.forecast = {};
    m.forecast.total.forecast.status = analytics::ForecastStatus::TooShort;
    m.forecast.total.forecast.reason = "needs 12 months of history, has 8";
    auto rendered = pdf::HaruReportRenderer().render(m);
    ASSERT_TRUE(rendered) << rendered.error().message;
    const std::string t = text("short.pdf", rendered->pdf);
    EXPECT_NE(t.find("No forecast: it needs 12 months of sales history and there are 8."), std::string::npos) << t;
    EXPECT_EQ(t.find("80 % interval"), std::string::npos) << t;
    EXPECT_EQ(t.find("Trend only"), std::string::npos) << t;
}

TEST_F(ReportPdf, ATrendOnlyForecastSaysTheSeasonIsMissing) {
    auto m = november();
    auto& total = m.forecast.total;
    total.history.resize(18);
    total.firstMonth = "2025-05";
    total.forecast.seasonal = false;
    auto rendered = pdf::HaruReportRenderer().render(m);
    ASSERT_TRUE(rendered) << rendered.error().message;
    const std::string t = text("trend.pdf", rendered->pdf);
    for (const char* expected :
         {"next 3 months by Holt's linear trend", "Trend only: the season needs 24 months of sales.", "80 % interval",
          "Backtest MAPE: linear trend 18.3 %, Holt's linear trend 12.7 %."})
        EXPECT_NE(t.find(expected), std::string::npos) << expected << " missing from:\n" << t;
    EXPECT_EQ(t.find("trend and season"), std::string::npos) << t;

    m.language = "zh-CN";
    auto zh = pdf::HaruReportRenderer().render(m);
    ASSERT_TRUE(zh) << zh.error().message;
    const std::string z = text("trend-zh.pdf", zh->pdf);
    EXPECT_NE(z.find("仅趋势：季节性需要 24 个月的销售数据。"), std::string::npos) << z;
}

TEST_F(ReportPdf, AnEmptyStoreStillGivesAReport) {
    pdf::MonthlyReport m;
    m.month = "2026-11";
    m.sales.period = {"2026-11-01", "2026-12-01"};
    auto rendered = pdf::HaruReportRenderer().render(m);
    ASSERT_TRUE(rendered) << rendered.error().message;
    const std::string t = text("empty.pdf", rendered->pdf);
    EXPECT_NE(t.find("No vehicles in stock."), std::string::npos) << t;
}

TEST_F(ReportPdf, AnUnknownLanguageOrAMissingFontIsRefused) {
    auto m = november();
    m.language = "fr";
    auto fr = pdf::HaruReportRenderer().render(m);
    ASSERT_FALSE(fr);
    EXPECT_EQ(fr.error().code, core::ErrorCode::InvalidInput);
    pdf::HaruReportRenderer::Fonts fonts;
    fonts.regular = dir.file("no-such-font.ttf");
    auto missing = pdf::HaruReportRenderer(fonts).render(november());
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, core::ErrorCode::InvalidInput);
    EXPECT_NE(missing.error().message.find("no-such-font.ttf"), std::string::npos);
}

} // namespace
