// The dashboard charts' maths, without a window: nice axis ticks, value -> pixel, bar, histogram and
// funnel rectangles, line and band points, tap hit-testing, label thinning, callouts kept on screen,
// and the number formats the charts print.

#include "widgets/chart_geometry.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

namespace charts = showroom::kiosk::charts;
using charts::Point;
using charts::Rect;

namespace {

std::vector<double> ticks(double lo, double hi, int maxTicks, bool integers = false) {
    return charts::niceScale(lo, hi, maxTicks, integers).ticks;
}

} // namespace

TEST(ChartScale, StepsAreOneTwoOrFiveTimesAPowerOfTen) {
    EXPECT_DOUBLE_EQ(charts::niceStep(100, 4), 50); // 25 a step -> 50
    EXPECT_DOUBLE_EQ(charts::niceStep(100, 5), 20);
    EXPECT_DOUBLE_EQ(charts::niceStep(100, 10), 10);
    EXPECT_DOUBLE_EQ(charts::niceStep(7, 4), 2);
    EXPECT_DOUBLE_EQ(charts::niceStep(0.3, 3), 0.1) << "binary rounding must not push 0.1 up to 0.2";
    EXPECT_DOUBLE_EQ(charts::niceStep(3, 4, true), 1) << "counts never step by 0.5";
    EXPECT_DOUBLE_EQ(charts::niceStep(0, 4), 1);
    EXPECT_DOUBLE_EQ(charts::niceStep(-5, 4), 1);
}

TEST(ChartScale, AxisCoversTheDataFromZeroOnWholeSteps) {
    EXPECT_EQ(ticks(0, 23, 5), (std::vector<double>{0, 10, 20, 30}));
    EXPECT_EQ(ticks(0, 30, 5), (std::vector<double>{0, 10, 20, 30}));
    EXPECT_EQ(ticks(3, 7, 5, true), (std::vector<double>{0, 2, 4, 6, 8}));
    EXPECT_EQ(ticks(0, 4, 5, true), (std::vector<double>{0, 1, 2, 3, 4}));
    // Gross in cents: $0 .. $2.8M.
    EXPECT_EQ(ticks(0, 281'494'100, 5), (std::vector<double>{0, 100'000'000, 200'000'000, 300'000'000}));
    // Never more ticks than asked for, whatever the range.
    for (double hi : {1.0, 9.0, 11.0, 99.0, 101.0, 999.0, 1234.0, 55'555.0})
        for (int n : {3, 4, 5, 6})
            EXPECT_LE(ticks(0, hi, n).size(), static_cast<std::size_t>(n)) << hi << " " << n;
}

TEST(ChartScale, NegativeValuesAndReversedInput) {
    const auto s = charts::niceScale(40, -15, 5);
    EXPECT_EQ(s.ticks, (std::vector<double>{-20, 0, 20, 40}));
    EXPECT_EQ(s.min, -20);
    EXPECT_EQ(s.max, 40);
}

TEST(ChartScale, AllZerosOrOneFlatValueStillGiveAnAxis) {
    EXPECT_EQ(ticks(0, 0, 5, true), (std::vector<double>{0, 1}));
    const auto flat = charts::niceScale(5, 5, 5, true);
    EXPECT_EQ(flat.min, 0);
    EXPECT_GE(flat.max, 5);
    const auto away = charts::niceScale(5, 5, 5, true, false);
    EXPECT_LT(away.min, 5);
    EXPECT_GT(away.max, 5);
    const auto nan = charts::niceScale(std::nan(""), 10, 5);
    EXPECT_EQ(nan.min, 0);
    EXPECT_EQ(nan.max, 10);
}

TEST(ChartScale, ValuesMapToPixelsAndClampAtTheEnds) {
    const auto s = charts::niceScale(0, 40, 5); // 0..40
    EXPECT_FLOAT_EQ(charts::toPixel(s, 0, 500, 100), 500);
    EXPECT_FLOAT_EQ(charts::toPixel(s, 40, 500, 100), 100);
    EXPECT_FLOAT_EQ(charts::toPixel(s, 10, 500, 100), 400);
    EXPECT_FLOAT_EQ(charts::toPixel(s, 99, 500, 100), 100);
    EXPECT_FLOAT_EQ(charts::toPixel(s, -5, 500, 100), 500);
}

TEST(ChartBars, SlotsTileThePlotExactly) {
    const Rect plot{100, 50, 400, 250};
    const auto cols = charts::slots(plot, 7);
    ASSERT_EQ(cols.size(), 7u);
    EXPECT_FLOAT_EQ(cols.front().x0, 100);
    EXPECT_FLOAT_EQ(cols.back().x1, 400);
    for (std::size_t i = 1; i < cols.size(); ++i)
        EXPECT_FLOAT_EQ(cols[i].x0, cols[i - 1].x1);
    for (const auto& c : cols) {
        EXPECT_FLOAT_EQ(c.y0, 50) << "a tap anywhere up the column hits it";
        EXPECT_FLOAT_EQ(c.y1, 250);
    }
    EXPECT_TRUE(charts::slots(plot, 0).empty());
}

TEST(ChartBars, BarsStandOnZeroWithTheirHeightProportional) {
    const Rect plot{0, 0, 400, 200};
    const auto s = charts::niceScale(0, 40, 5); // 0..40: 5 px a unit
    const std::vector<double> v{10, 0, 40, 20};
    const auto bars = charts::barRects(plot, s, v, 0.5f);
    ASSERT_EQ(bars.size(), 4u);
    EXPECT_FLOAT_EQ(bars[0].x0, 25); // slot 0..100, half of it a gap: 25..75
    EXPECT_FLOAT_EQ(bars[0].x1, 75);
    EXPECT_FLOAT_EQ(bars[0].y1, 200);
    EXPECT_FLOAT_EQ(bars[0].y0, 150);
    EXPECT_FLOAT_EQ(bars[1].height(), 0) << "zero is no bar";
    EXPECT_FLOAT_EQ(bars[2].y0, 0) << "the largest value reaches the top";
    EXPECT_FLOAT_EQ(bars[3].height(), 2 * bars[0].height());
    // A histogram's bins nearly touch.
    const auto bins = charts::barRects(plot, s, v, 0.0f);
    EXPECT_FLOAT_EQ(bins[0].x1, bins[1].x0);
}

TEST(ChartBars, NegativeBarsHangFromZero) {
    const Rect plot{0, 0, 100, 300};
    const auto s = charts::niceScale(-10, 20, 4); // -10..20, 10 px a unit
    const double v[] = {-10, 20};
    const auto bars = charts::barRects(plot, s, v, 0.2f);
    const float zero = charts::toPixel(s, 0, 300, 0);
    EXPECT_FLOAT_EQ(bars[0].y0, zero);
    EXPECT_FLOAT_EQ(bars[0].y1, 300);
    EXPECT_FLOAT_EQ(bars[1].y1, zero);
    EXPECT_FLOAT_EQ(bars[1].y0, 0);
}

TEST(ChartBars, ATapFindsItsColumnAndMissesOutside) {
    const Rect plot{0, 0, 300, 100};
    const auto cols = charts::slots(plot, 3);
    EXPECT_EQ(charts::hitTest(cols, {10, 99}), 0u);
    EXPECT_EQ(charts::hitTest(cols, {150, 1}), 1u) << "above a short bar still hits it";
    EXPECT_EQ(charts::hitTest(cols, {299, 50}), 2u);
    EXPECT_FALSE(charts::hitTest(cols, {300, 50})) << "right edge is outside";
    EXPECT_FALSE(charts::hitTest(cols, {50, -1}));
}

TEST(ChartFunnel, RowsAreCentredAndAsWideAsTheirShare) {
    const Rect plot{0, 0, 200, 130};
    const double v[] = {40, 20, 1, 0};
    const auto rows = charts::funnelRects(plot, v, 10, 4);
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_FLOAT_EQ(rows[0].width(), 200);
    EXPECT_FLOAT_EQ(rows[1].width(), 100);
    EXPECT_FLOAT_EQ(rows[2].width(), 5); // 1/40 of 200
    EXPECT_FLOAT_EQ(rows[3].width(), 0);
    EXPECT_FLOAT_EQ((rows[1].x0 + rows[1].x1) / 2, 100) << "centred";
    EXPECT_FLOAT_EQ(rows[0].height(), 25); // (130 - 3 gaps of 10) / 4
    EXPECT_FLOAT_EQ(rows[1].y0, 35);
    EXPECT_FLOAT_EQ(rows[3].y1, 130);
    const double tiny[] = {1000, 1};
    EXPECT_FLOAT_EQ(charts::funnelRects(plot, tiny, 0, 4)[1].width(), 4) << "a non-zero row stays visible";
    const double none[] = {0, 0};
    for (const auto& r : charts::funnelRects(plot, none, 0, 4))
        EXPECT_FLOAT_EQ(r.width(), 0);
}

TEST(ChartLine, PointsSitAtSlotCentresAndTheBandClosesBackwards) {
    const Rect plot{0, 0, 600, 100};
    const auto s = charts::niceScale(0, 10, 3); // 0..10
    const double actual[] = {0, 10, 5};
    const auto pts = charts::linePoints(plot, s, actual, 0, 6);
    ASSERT_EQ(pts.size(), 3u);
    EXPECT_FLOAT_EQ(pts[0].x, 50);
    EXPECT_FLOAT_EQ(pts[0].y, 100);
    EXPECT_FLOAT_EQ(pts[1].y, 0);
    EXPECT_FLOAT_EQ(pts[2].y, 50);
    // The forecast starts at the last actual slot (2) and runs to slot 5.
    const double low[] = {5, 4, 3, 2}, high[] = {5, 6, 7, 8};
    const auto band = charts::bandOutline(plot, s, low, high, 2, 6);
    ASSERT_EQ(band.size(), 8u);
    EXPECT_FLOAT_EQ(band[0].x, 250);
    EXPECT_FLOAT_EQ(band[3].x, 550);
    EXPECT_FLOAT_EQ(band[3].y, 20);  // high 8
    EXPECT_FLOAT_EQ(band[4].x, 550); // then low, right to left
    EXPECT_FLOAT_EQ(band[4].y, 80);  // low 2
    EXPECT_FLOAT_EQ(band[7].x, 250);
    const double shortLow[] = {1};
    EXPECT_TRUE(charts::bandOutline(plot, s, shortLow, high, 2, 6).empty());
}

TEST(ChartLabels, CrowdedLabelsAreThinned) {
    EXPECT_EQ(charts::labelStride(100, 60, 10), 1u);
    EXPECT_EQ(charts::labelStride(30, 60, 10), 3u); // 70 px needed, 30 a slot
    EXPECT_EQ(charts::labelStride(35, 60, 10), 2u);
    EXPECT_EQ(charts::labelStride(0, 60, 10), 1u);
    EXPECT_EQ(charts::labelStride(20, 0, 0), 1u);
}

TEST(ChartCallout, StaysInsideTheChart) {
    const Rect bounds{0, 0, 500, 300};
    // Room above: centred over the anchor.
    auto r = charts::placeCallout({250, 200}, {100, 40}, bounds, 10);
    EXPECT_FLOAT_EQ(r.x0, 200);
    EXPECT_FLOAT_EQ(r.y1, 190);
    // Near the left edge: pushed right, not clipped.
    r = charts::placeCallout({10, 200}, {100, 40}, bounds, 10);
    EXPECT_FLOAT_EQ(r.x0, 0);
    // Near the right edge.
    r = charts::placeCallout({495, 200}, {100, 40}, bounds, 10);
    EXPECT_FLOAT_EQ(r.x1, 500);
    // A bar reaching the top: the callout goes below the anchor.
    r = charts::placeCallout({250, 20}, {100, 40}, bounds, 10);
    EXPECT_FLOAT_EQ(r.y0, 30);
    EXPECT_LE(r.y1, 300);
}

TEST(ChartText, NumbersCarryThousandsSeparators) {
    EXPECT_EQ(charts::formatCount(0), "0");
    EXPECT_EQ(charts::formatCount(999), "999");
    EXPECT_EQ(charts::formatCount(1000), "1,000");
    EXPECT_EQ(charts::formatCount(-1234567), "-1,234,567");
    EXPECT_EQ(charts::formatCount(INT64_MIN), "-9,223,372,036,854,775,808");
    EXPECT_EQ(charts::formatDollars(281'494'149), "$2,814,941");
    EXPECT_EQ(charts::formatDollars(281'494'150), "$2,814,942") << "half a dollar rounds away from zero";
    EXPECT_EQ(charts::formatDollars(-4'200), "-$42");
    EXPECT_EQ(charts::formatDollars(-49), "$0");
    EXPECT_EQ(charts::formatDollarsShort(0), "$0");
    EXPECT_EQ(charts::formatDollarsShort(95'000), "$950");
    EXPECT_EQ(charts::formatDollarsShort(150'000), "$1.5k");
    EXPECT_EQ(charts::formatDollarsShort(1'200'000), "$12k");
    EXPECT_EQ(charts::formatDollarsShort(150'000'000), "$1.5M");
    EXPECT_EQ(charts::formatDollarsShort(200'000'000), "$2M");
    EXPECT_EQ(charts::formatDollarsShort(-250'000'000), "-$2.5M");
    EXPECT_EQ(charts::formatShare(0.374), "37 %");
    EXPECT_EQ(charts::formatShare(1.0), "100 %");
    EXPECT_EQ(charts::formatShare(std::nullopt), "\u2013");
    EXPECT_EQ(charts::formatTick(20, 10), "20");
    EXPECT_EQ(charts::formatTick(20000, 10000), "20,000");
    EXPECT_EQ(charts::formatTick(0.5, 0.1), "0.5");
    EXPECT_EQ(charts::formatTick(0.25, 0.05), "0.25");
}
