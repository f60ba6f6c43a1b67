// RFM against a worked example scored by hand; the forecast against series whose answer is known (a
// trend with a season and a little noise, a short straight line, a flat line) and against too little
// history, on both sides of the one-year and two-year boundaries.

#include "showroom/core/analytics.hpp"

#include "store_fixture.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace core = showroom::core;
namespace analytics = showroom::core::analytics;
using analytics::ForecastMethod;
using analytics::ForecastStatus;
using analytics::Segment;
using core::ErrorCode;
using showroom::test::Store;

namespace {

template <class... Args> void exec(core::db::Connection& db, const std::string& sql, const Args&... args) {
    auto stmt = db.prepare(sql);
    ASSERT_TRUE(stmt) << sql << ": " << stmt.error().message;
    stmt->bindAll(args...);
    auto st = stmt->run();
    ASSERT_TRUE(st) << sql << ": " << st.error().message;
}

// One sold vehicle and its deal, signed at `signedAt`.
void sale(Store& s, const std::string& customer, const std::string& make, const std::string& model,
          const std::string& signedAt, std::int64_t price = 1'000'000, std::int64_t discount = 0,
          std::int64_t addons = 0, const std::string& status = "signed") {
    static int serial = 0;
    const std::string n = std::to_string(++serial);
    const std::string store = core::localStoreId(s.conn).value();
    exec(s.conn,
         "INSERT INTO vehicles(id, store_id, vin, stock_no, condition, year, make, model, price_cents, status, "
         "received_at, status_changed_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'new', 2024, ?, ?, 1000000, "
         "'sold', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z')",
         "v" + n, store, "2HGAN" + std::string(12 - n.size(), '0') + n, "A" + n, make, model);
    exec(s.conn,
         "INSERT INTO deals(id, deal_no, store_id, customer_id, vehicle_id, status, kind, price_cents, discount_cents, "
         "addons_cents, created_at, signed_at) VALUES (?, ?, ?, ?, ?, ?, 'cash', ?, ?, ?, ?, ?)",
         "d" + n, "DN" + n, store, customer, "v" + n, status, price, discount, addons, signedAt, signedAt);
}

void customer(Store& s, const std::string& id, const std::string& first, const std::string& last) {
    exec(s.conn,
         "INSERT INTO customers(id, store_id, first_name, last_name, created_at, updated_at) "
         "VALUES (?, ?, ?, ?, '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z')",
         id, core::localStoreId(s.conn).value(), first, last);
}

// The known truth of the synthetic series: 20 units a month, half a unit more each month, a season.
constexpr std::array<double, 12> kSeason{-6, -4, -2, 0, 2, 4, 6, 4, 2, 0, -4, -2}; // sums to 0
double truth(int t) {
    return 20 + 0.5 * t + kSeason[static_cast<std::size_t>(t % 12)];
}

// Noise in [-1, 1] from a fixed linear congruential generator (the same on every platform).
std::vector<double> noise(int n) {
    std::vector<double> e;
    std::uint32_t state = 12345;
    for (int t = 0; t < n; ++t) {
        state = state * 1103515245u + 12345u;
        e.push_back(static_cast<double>((state >> 16) % 2001) / 1000.0 - 1.0);
    }
    return e;
}

// Truth plus that noise.
std::vector<double> noisySeries(int n) {
    std::vector<double> y = noise(n);
    for (int t = 0; t < n; ++t)
        y[static_cast<std::size_t>(t)] += truth(t);
    return y;
}

// The known line of the short series: 20 units a month, 1.5 more each month, no season. After 18
// months the next three are 47, 48.5 and 50.
double line(int t) {
    return 20 + 1.5 * t;
}

std::vector<double> straightLine(int n) {
    std::vector<double> y;
    for (int t = 0; t < n; ++t)
        y.push_back(line(t));
    return y;
}

std::vector<double> noisyLine(int n) {
    std::vector<double> y = noise(n);
    for (int t = 0; t < n; ++t)
        y[static_cast<std::size_t>(t)] += line(t);
    return y;
}

// Forecasts scored by a rolling-origin backtest of `n` months from origin `first`, `horizon` ahead:
// sum over k of min(horizon, n - k).
std::int64_t backtestPoints(int n, int first, int horizon) {
    std::int64_t points = 0;
    for (int k = first; k < n; ++k)
        points += std::min(horizon, n - k);
    return points;
}

// The upper 10 % point of Student's t with 16 degrees of freedom (tables), and of the normal.
constexpr double kT90Dof16 = 1.336757;
constexpr double kZ90 = 1.281552;

} // namespace

// ------------------------------------------------------------------------------------------------- RFM

TEST(RfmScores, QuintilesByCountingWorseCustomersTiesShareTheLowerScore) {
    // n = 10: score = 1 + floor(5 * worse / 10) = 1 + worse / 2.
    const std::vector<std::int64_t> values{10, 20, 20, 30, 40, 50, 60, 70, 80, 90};
    // worse: 0, 1, 1, 3, 4, 5, 6, 7, 8, 9
    EXPECT_EQ(analytics::quintileScores(values), (std::vector<int>{1, 1, 1, 2, 3, 3, 4, 4, 5, 5}));
    // Everyone equal: nobody is worse than anybody, all score 1.
    const std::vector<std::int64_t> same{1, 1, 1};
    EXPECT_EQ(analytics::quintileScores(same), (std::vector<int>{1, 1, 1}));
    // Three customers: 1 + floor(5 * {0, 1, 2} / 3) = 1, 2, 4.
    const std::vector<std::int64_t> three{5, 1, 3};
    EXPECT_EQ(analytics::quintileScores(three), (std::vector<int>{4, 1, 2}));
    EXPECT_TRUE(analytics::quintileScores({}).empty());
}

TEST(RfmScores, WorkedExample) {
    // id, recency days, purchases, spent (cents).
    const std::vector<analytics::RfmInput> in{
        {"c1", 5, 3, 9'000'000},    {"c2", 10, 2, 6'000'000},  {"c3", 30, 1, 3'000'000}, {"c4", 60, 1, 2'500'000},
        {"c5", 200, 4, 12'000'000}, {"c6", 400, 1, 2'000'000}, {"c7", 15, 1, 4'000'000}, {"c8", 700, 2, 5'000'000},
        {"c9", 900, 1, 1'500'000},  {"c10", 30, 1, 3'000'000},
    };
    // By hand, score = 1 + (customers strictly worse) / 2:
    //  R (more days is worse): c1 9 worse -> 5, c2 8 -> 5, c7 7 -> 4, c3/c10 5 -> 3, c4 4 -> 3, c5 3 -> 2,
    //    c6 2 -> 2, c8 1 -> 1, c9 0 -> 1.
    //  F: one purchase (6 customers) 0 worse -> 1; two (c2, c8) 6 -> 4; c1 three 8 -> 5; c5 four 9 -> 5.
    //  M: c9 0 -> 1, c6 1 -> 1, c4 2 -> 2, c3/c10 3 -> 2, c7 5 -> 3, c8 6 -> 4, c2 7 -> 4, c1 8 -> 5, c5 9 -> 5.
    // Segments (FM = F + M): c1 5/10 champions; c2 5/8 champions; c3 3/3 promising (R 3 is not "new");
    //  c4 3/3 promising; c5 2/10 at_risk; c6 2/2 hibernating; c7 4/4 one purchase: new; c8 1/8 at_risk;
    //  c9 1/2 lost; c10 as c3.
    struct Expect {
        int r, f, m;
        Segment segment;
    };
    const std::vector<Expect> expected{
        {5, 5, 5, Segment::Champions}, {5, 4, 4, Segment::Champions}, {3, 1, 2, Segment::Promising},
        {3, 1, 2, Segment::Promising}, {2, 5, 5, Segment::AtRisk},    {2, 1, 1, Segment::Hibernating},
        {4, 1, 3, Segment::New},       {1, 4, 4, Segment::AtRisk},    {1, 1, 1, Segment::Lost},
        {3, 1, 2, Segment::Promising},
    };
    const auto scores = analytics::scoreRfm(in);
    ASSERT_EQ(scores.size(), in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        SCOPED_TRACE(in[i].customerId);
        EXPECT_EQ(scores[i].input.customerId, in[i].customerId);
        EXPECT_EQ(scores[i].r, expected[i].r);
        EXPECT_EQ(scores[i].f, expected[i].f);
        EXPECT_EQ(scores[i].m, expected[i].m);
        EXPECT_EQ(scores[i].segment, expected[i].segment) << analytics::toString(scores[i].segment);
    }
}

TEST(RfmSegments, BoundariesAsDocumented) {
    EXPECT_EQ(analytics::segmentOf(4, 4, 4, 3), Segment::Champions);
    EXPECT_EQ(analytics::segmentOf(4, 4, 3, 3), Segment::Loyal); // FM 7 < 8
    EXPECT_EQ(analytics::segmentOf(3, 5, 5, 3), Segment::Loyal); // R 3 < 4
    EXPECT_EQ(analytics::segmentOf(5, 1, 5, 1), Segment::Loyal); // a big first purchase is loyal before new
    EXPECT_EQ(analytics::segmentOf(5, 1, 2, 1), Segment::New);
    EXPECT_EQ(analytics::segmentOf(4, 2, 2, 2), Segment::Promising); // two purchases: not new
    EXPECT_EQ(analytics::segmentOf(3, 1, 1, 1), Segment::Promising);
    EXPECT_EQ(analytics::segmentOf(2, 3, 3, 2), Segment::AtRisk);
    EXPECT_EQ(analytics::segmentOf(1, 5, 5, 4), Segment::AtRisk);
    EXPECT_EQ(analytics::segmentOf(2, 2, 3, 2), Segment::Hibernating);
    EXPECT_EQ(analytics::segmentOf(1, 2, 3, 2), Segment::Lost);
    EXPECT_EQ(analytics::allSegments().size(), 7u);
    EXPECT_EQ(analytics::toString(Segment::AtRisk), "at_risk");
}

TEST(RfmStore, ReadsPurchasesUpToAsOfAndListsCustomersPerSegment) {
    Store s;
    customer(s, "ann", "Ann", "Archer");
    customer(s, "ben", "Ben", "");
    customer(s, "cat", "Cat", "Cole");
    // Ann: two purchases, the last 2026-10-22 12:00 -> 10 days before 11-01 12:00 (with 10:00 as of: 9 days).
    sale(s, "ann", "Toyota", "RAV4", "2025-06-01T10:00:00Z", 2'000'000, 100'000, 50'000); // 1,950,000
    sale(s, "ann", "Toyota", "RAV4", "2026-10-22T12:00:00Z", 3'000'000, 0, 0);            // 3,000,000
    // Ben: one purchase 2024-11-01 -> 730 days; a cancelled one and one after as-of do not count.
    sale(s, "ben", "Honda", "Civic", "2024-11-01T10:00:00Z", 1'500'000);
    sale(s, "ben", "Honda", "Civic", "2026-10-30T10:00:00Z", 9'000'000, 0, 0, "cancelled");
    sale(s, "ben", "Honda", "Civic", "2026-11-02T10:00:00Z", 9'000'000);
    // Cat: one purchase 2026-09-01 -> 61 days.
    sale(s, "cat", "Ford", "F-150", "2026-09-01T10:00:00Z", 4'000'000);

    auto report = analytics::rfm(s.conn, "2026-11-01T10:00:00Z");
    ASSERT_TRUE(report) << report.error().message;
    EXPECT_EQ(report->customers, 3);
    ASSERT_EQ(report->segments.size(), 7u);
    // n = 3, score = 1 + floor(5 * worse / 3): worse 0 -> 1, 1 -> 2, 2 -> 4.
    //  Ann: R 4 (2 worse), F 4 (2 fewer purchases), M 4 (4,950,000 the most) -> FM 8: champions.
    //  Cat: R 2, F 1 (tied with Ben), M 2 (4,000,000 > 1,500,000) -> hibernating.
    //  Ben: R 1, F 1, M 1 -> lost.
    std::optional<analytics::RfmCustomer> ann, ben, cat;
    for (const auto& segment : report->segments)
        for (const auto& c : segment.customers) {
            if (c.score.input.customerId == "ann") ann = c;
            if (c.score.input.customerId == "ben") ben = c;
            if (c.score.input.customerId == "cat") cat = c;
            EXPECT_EQ(c.score.segment, segment.segment);
        }
    ASSERT_TRUE(ann && ben && cat);
    EXPECT_EQ(ann->score.input.recencyDays, 9);
    EXPECT_EQ(ann->score.input.frequency, 2);
    EXPECT_EQ(ann->score.input.monetary, 4'950'000);
    EXPECT_EQ(ann->name, "Ann Archer");
    EXPECT_EQ(ann->lastPurchaseAt, "2026-10-22T12:00:00Z");
    EXPECT_EQ(ann->score.segment, Segment::Champions);
    EXPECT_EQ(ben->score.input.recencyDays, 730);
    EXPECT_EQ(ben->score.input.frequency, 1);
    EXPECT_EQ(ben->score.input.monetary, 1'500'000);
    EXPECT_EQ(ben->name, "Ben");
    EXPECT_EQ(ben->score.segment, Segment::Lost);
    EXPECT_EQ(cat->score.input.recencyDays, 61);
    EXPECT_EQ(cat->score.r, 2);
    EXPECT_EQ(cat->score.m, 2);
    EXPECT_EQ(cat->score.segment, Segment::Hibernating);
    EXPECT_EQ(report->segments[0].segment, Segment::Champions);
    ASSERT_EQ(report->segments[0].customers.size(), 1u);
}

// -------------------------------------------------------------------------------------------- forecast

TEST(ForecastFit, TrendSeasonalRecoversTheKnownTrendAndSeason) {
    const auto y = noisySeries(48);
    auto fit = analytics::fitTrendSeasonal(y);
    ASSERT_TRUE(fit) << fit.error().message;
    EXPECT_NEAR(fit->slope, 0.5, 0.03);
    EXPECT_NEAR(fit->intercept, 20, 0.8);
    ASSERT_EQ(fit->seasonal.size(), 12u);
    double sum = 0;
    for (std::size_t i = 0; i < 12; ++i) {
        EXPECT_NEAR(fit->seasonal[i], kSeason[i], 0.6) << "month " << i;
        sum += fit->seasonal[i];
    }
    EXPECT_NEAR(sum, 0, 1e-9);
    // The noise is uniform on [-1, 1]: standard deviation 1/sqrt(3) ~ 0.58.
    EXPECT_GT(fit->sigma, 0.3);
    EXPECT_LT(fit->sigma, 0.9);
}

TEST(ForecastFit, HoltWintersFollowsTheKnownTrendAndSeason) {
    const auto y = noisySeries(48);
    auto points = analytics::forecastHoltWinters(y, 12);
    ASSERT_TRUE(points) << points.error().message;
    for (int h = 0; h < 12; ++h) {
        EXPECT_NEAR((*points)[static_cast<std::size_t>(h)].value, truth(48 + h), 2.0) << "h " << h;
        // The interval widens with the horizon.
        if (h > 0) {
            const auto& p = (*points)[static_cast<std::size_t>(h)];
            const auto& q = (*points)[static_cast<std::size_t>(h - 1)];
            EXPECT_GE(p.high - p.low, q.high - q.low - 1e-9);
        }
    }
}

TEST(ForecastSeries, SyntheticSeriesForecastWithIntervalsAndBacktest) {
    const auto y = noisySeries(48);
    auto f = analytics::forecastSeries(y, 12);
    ASSERT_TRUE(f) << f.error().message;
    ASSERT_EQ(f->status, ForecastStatus::Ok);
    EXPECT_EQ(f->reason, "");
    EXPECT_TRUE(f->seasonal) << "four years: the season is fitted";
    ASSERT_EQ(f->points.size(), 12u);
    int inside = 0;
    for (int h = 0; h < 12; ++h) {
        const auto& p = f->points[static_cast<std::size_t>(h)];
        const double want = truth(48 + h);
        EXPECT_NEAR(p.value, want, 2.0) << "h " << h;
        EXPECT_LE(p.low, p.value);
        EXPECT_GE(p.high, p.value);
        if (p.low <= want && want <= p.high) ++inside;
    }
    // An 80 % interval around a good forecast holds the noiseless truth nearly always.
    EXPECT_GE(inside, 10);
    ASSERT_EQ(f->backtest.size(), 2u);
    EXPECT_EQ(f->backtest[0].method, ForecastMethod::TrendSeasonal);
    EXPECT_EQ(f->backtest[1].method, ForecastMethod::HoltWinters);
    // Origins 15 .. 47, each scoring up to 12 months that exist.
    const std::int64_t points = backtestPoints(48, 15, 12);
    for (const auto& m : f->backtest) {
        EXPECT_EQ(m.points, points);
        ASSERT_TRUE(m.mape);
        EXPECT_LT(*m.mape, 0.10) << analytics::toString(m.method);
    }
    const auto& best = *f->backtest[0].mape <= *f->backtest[1].mape ? f->backtest[0] : f->backtest[1];
    EXPECT_EQ(f->method, best.method);
}

TEST(ForecastSeries, FlatSeriesForecastsTheLevelWithNoSpread) {
    const std::vector<double> y(30, 7.0);
    auto f = analytics::forecastSeries(y, 3);
    ASSERT_TRUE(f) << f.error().message;
    ASSERT_EQ(f->status, ForecastStatus::Ok);
    EXPECT_TRUE(f->seasonal);
    ASSERT_EQ(f->points.size(), 3u);
    for (const auto& p : f->points) {
        EXPECT_NEAR(p.value, 7.0, 1e-6);
        EXPECT_NEAR(p.low, 7.0, 1e-6);
        EXPECT_NEAR(p.high, 7.0, 1e-6);
    }
    // Both methods are perfect; the tie goes to the simpler one.
    EXPECT_NEAR(*f->backtest[0].mape, 0, 1e-9);
    EXPECT_NEAR(*f->backtest[1].mape, 0, 1e-9);
    EXPECT_EQ(f->method, ForecastMethod::TrendSeasonal);

    // All zeros: MAPE has no actual to divide by; MAE decides, and the forecast is zero.
    const std::vector<double> zeros(24, 0.0);
    auto z = analytics::forecastSeries(zeros, 2);
    ASSERT_TRUE(z);
    EXPECT_FALSE(z->backtest[0].mape);
    EXPECT_NEAR(z->points[0].value, 0, 1e-9);
}

TEST(ForecastSeries, AFlatShortSeriesForecastsItsValueWithNoSpread) {
    const std::vector<double> y(15, 7.0);
    auto f = analytics::forecastSeries(y, 3);
    ASSERT_TRUE(f) << f.error().message;
    ASSERT_EQ(f->status, ForecastStatus::Ok);
    EXPECT_FALSE(f->seasonal);
    ASSERT_EQ(f->points.size(), 3u);
    for (const auto& p : f->points) {
        EXPECT_NEAR(p.value, 7.0, 1e-6);
        EXPECT_NEAR(p.low, 7.0, 1e-6);
        EXPECT_NEAR(p.high, 7.0, 1e-6);
    }
    EXPECT_EQ(f->method, ForecastMethod::TrendSeasonal);
}

TEST(ForecastSeries, EighteenMonthsOfALineForecastTheTrendWithoutASeason) {
    // Noiseless: both methods are exact, the interval has no width, the tie goes to the line.
    auto exact = analytics::forecastSeries(straightLine(18), 3);
    ASSERT_TRUE(exact) << exact.error().message;
    ASSERT_EQ(exact->status, ForecastStatus::Ok);
    EXPECT_FALSE(exact->seasonal);
    ASSERT_EQ(exact->points.size(), 3u);
    const std::array<double, 3> next{47, 48.5, 50};
    for (std::size_t h = 0; h < 3; ++h) {
        EXPECT_NEAR(exact->points[h].value, next[h], 1e-6) << "h " << h;
        EXPECT_NEAR(exact->points[h].high - exact->points[h].low, 0, 1e-6) << "h " << h;
    }
    EXPECT_EQ(exact->method, ForecastMethod::TrendSeasonal);

    // With noise in [-1, 1]: the line is still found, each interval holds its forecast and the truth.
    auto f = analytics::forecastSeries(noisyLine(18), 3);
    ASSERT_TRUE(f) << f.error().message;
    ASSERT_EQ(f->status, ForecastStatus::Ok);
    EXPECT_EQ(f->reason, "");
    EXPECT_FALSE(f->seasonal);
    ASSERT_EQ(f->points.size(), 3u);
    for (std::size_t h = 0; h < 3; ++h) {
        const auto& p = f->points[h];
        EXPECT_NEAR(p.value, next[h], 1.0) << "h " << h;
        EXPECT_LT(p.low, p.value);
        EXPECT_GT(p.high, p.value);
        EXPECT_LE(p.low, next[h]);
        EXPECT_GE(p.high, next[h]);
    }
    // Origins 6 .. 17, each scoring up to 3 months that exist: 10 * 3 + 2 + 1.
    ASSERT_EQ(f->backtest.size(), 2u);
    for (const auto& m : f->backtest) {
        EXPECT_EQ(m.points, 33) << analytics::toString(m.method);
        ASSERT_TRUE(m.mape);
        EXPECT_LT(*m.mape, 0.05) << analytics::toString(m.method);
    }
    const auto& best = *f->backtest[0].mape <= *f->backtest[1].mape ? f->backtest[0] : f->backtest[1];
    EXPECT_EQ(f->method, best.method);
}

TEST(ForecastFit, TrendLineIntervalIsStudentTWithNMinusTwoDegreesAndLeverage) {
    // The least-squares line by the textbook formulas, and its prediction interval at t0:
    // t(0.90, n - 2) * s * sqrt(1 + 1/n + (t0 - tbar)^2 / Sxx), s^2 = SSE / (n - 2).
    const auto y = noisyLine(18);
    const double n = 18, tbar = 8.5;
    double ybar = 0;
    for (double v : y)
        ybar += v / n;
    double sxx = 0, sxy = 0;
    for (int t = 0; t < 18; ++t) {
        sxx += (t - tbar) * (t - tbar);
        sxy += (t - tbar) * (y[static_cast<std::size_t>(t)] - ybar);
    }
    EXPECT_DOUBLE_EQ(sxx, 484.5); // n (n^2 - 1) / 12
    const double b = sxy / sxx, a = ybar - b * tbar;
    double sse = 0;
    for (int t = 0; t < 18; ++t) {
        const double e = y[static_cast<std::size_t>(t)] - (a + b * t);
        sse += e * e;
    }
    const double s = std::sqrt(sse / (n - 2));

    auto points = analytics::forecastTrendLine(y, 3);
    ASSERT_TRUE(points) << points.error().message;
    ASSERT_EQ(points->size(), 3u);
    for (int h = 0; h < 3; ++h) {
        const int t0 = 18 + h;
        const auto& p = (*points)[static_cast<std::size_t>(h)];
        const double half = kT90Dof16 * s * std::sqrt(1 + 1 / n + (t0 - tbar) * (t0 - tbar) / sxx);
        EXPECT_NEAR(p.value, a + b * t0, 1e-9) << "h " << h;
        // The code's t quantile is an expansion, within 1e-3 of the table.
        EXPECT_NEAR(p.high - p.value, half, 1e-3 * s * 2) << "h " << h;
        EXPECT_NEAR(p.value - p.low, half, 1e-3 * s * 2) << "h " << h;
    }
}

TEST(ForecastFit, HoltLinearHasNoSeasonAndTheEtsAanInterval) {
    const auto y = noisyLine(18);
    auto fit = analytics::fitHoltLinear(y);
    ASSERT_TRUE(fit) << fit.error().message;
    EXPECT_EQ(fit->gamma, 0);
    EXPECT_LE(fit->beta, fit->alpha);
    EXPECT_EQ(fit->seasonal, std::vector<double>(12, 0.0));
    EXPECT_NEAR(fit->trend, 1.5, 0.2);
    auto points = analytics::forecastHoltLinear(y, 4);
    ASSERT_TRUE(points) << points.error().message;
    ASSERT_EQ(points->size(), 4u);
    // Point h (1-based): level + h * trend, half-width z * sigma * sqrt(1 + sum_{j=1..h-1} (alpha + beta j)^2).
    double sum = 0;
    for (int h = 1; h <= 4; ++h) {
        const auto& p = (*points)[static_cast<std::size_t>(h - 1)];
        EXPECT_NEAR(p.value, fit->level + h * fit->trend, 1e-9) << "h " << h;
        EXPECT_NEAR(p.high - p.value, kZ90 * fit->sigma * std::sqrt(1 + sum), 1e-5) << "h " << h;
        EXPECT_NEAR(p.value, line(17 + h), 1.0) << "h " << h;
        sum += (fit->alpha + fit->beta * h) * (fit->alpha + fit->beta * h);
    }
}

TEST(ForecastSeries, TwelveMonthsAreEnoughElevenAreNot) {
    auto twelve = analytics::forecastSeries(straightLine(12), 3);
    ASSERT_TRUE(twelve) << twelve.error().message;
    ASSERT_EQ(twelve->status, ForecastStatus::Ok);
    EXPECT_FALSE(twelve->seasonal);
    ASSERT_EQ(twelve->points.size(), 3u);
    EXPECT_NEAR(twelve->points[0].value, line(12), 1e-6);
    ASSERT_EQ(twelve->backtest.size(), 2u);
    // Origins 6 .. 11: 4 * 3 + 2 + 1.
    EXPECT_EQ(twelve->backtest[0].points, 15);

    auto eleven = analytics::forecastSeries(straightLine(11), 3);
    ASSERT_TRUE(eleven);
    EXPECT_EQ(eleven->status, ForecastStatus::TooShort);
    EXPECT_EQ(eleven->reason, "needs 12 months of history, has 11");
    EXPECT_FALSE(eleven->seasonal);
    EXPECT_TRUE(eleven->points.empty());
    EXPECT_TRUE(eleven->backtest.empty());
    auto none = analytics::forecastSeries({}, 3);
    ASSERT_TRUE(none);
    EXPECT_EQ(none->status, ForecastStatus::TooShort);
    EXPECT_EQ(none->reason, "needs 12 months of history, has 0");
}

TEST(ForecastSeries, TheSeasonIsFittedFromTwentyFourMonthsOn) {
    // 23 months: the trend only, backtest origins from 6; 24: the season, origins from 15.
    auto short23 = analytics::forecastSeries(std::vector<double>(23, 5.0), 3);
    ASSERT_TRUE(short23) << short23.error().message;
    ASSERT_EQ(short23->status, ForecastStatus::Ok);
    EXPECT_FALSE(short23->seasonal);
    EXPECT_NEAR(short23->points[0].value, 5.0, 1e-6);
    EXPECT_EQ(short23->backtest[0].points, backtestPoints(23, 6, 3));

    const auto y = noisySeries(24);
    auto f = analytics::forecastSeries(y, 3);
    ASSERT_TRUE(f) << f.error().message;
    ASSERT_EQ(f->status, ForecastStatus::Ok);
    EXPECT_TRUE(f->seasonal);
    EXPECT_EQ(f->backtest[0].points, backtestPoints(24, 15, 3));
    // The season shows: month 24 is a January again (-6 below the trend), February (-4), March (-2).
    for (int h = 0; h < 3; ++h)
        EXPECT_NEAR(f->points[static_cast<std::size_t>(h)].value, truth(24 + h), 2.5) << "h " << h;
}

TEST(ForecastSeries, RefusesBadInput) {
    const std::vector<double> y(30, 7.0);
    EXPECT_EQ(analytics::forecastSeries(y, 0).error().code, ErrorCode::InvalidInput);
    EXPECT_EQ(analytics::forecastSeries(y, 25).error().code, ErrorCode::InvalidInput);
    std::vector<double> negative(30, 1.0);
    negative[3] = -1;
    EXPECT_EQ(analytics::forecastSeries(negative, 3).error().code, ErrorCode::InvalidInput);
    std::vector<double> nan(30, 1.0);
    nan[3] = std::nan("");
    EXPECT_EQ(analytics::forecastSeries(nan, 3).error().code, ErrorCode::InvalidInput);
    EXPECT_EQ(analytics::fitTrendSeasonal(std::vector<double>(14, 1.0)).error().code, ErrorCode::InvalidInput);
    EXPECT_EQ(analytics::forecastTrendLine(std::vector<double>(5, 1.0), 3).error().code, ErrorCode::InvalidInput);
    EXPECT_EQ(analytics::fitHoltLinear(std::vector<double>(5, 1.0)).error().code, ErrorCode::InvalidInput);
}

TEST(ForecastStore, BuildsMonthlySeriesPerModelAndInTotal) {
    Store s;
    customer(s, "c", "Carl", "");
    // RAV4: one a month from 2024-09 to 2026-10 (26 months). Civic: one a month 2026-06 .. 2026-10 (5).
    // November 2026 is asOf's month: partial, left out. A cancelled deal never counts.
    for (int m = 0; m < 26; ++m) {
        const int year = 2024 + (8 + m) / 12, month = (8 + m) % 12 + 1;
        std::string mm = std::to_string(month);
        if (mm.size() < 2) mm.insert(0, "0");
        sale(s, "c", "Toyota", "RAV4", std::to_string(year) + "-" + mm + "-15T10:00:00Z");
        if (m >= 21) sale(s, "c", "Honda", "Civic", std::to_string(year) + "-" + mm + "-28T23:00:00Z");
    }
    sale(s, "c", "Toyota", "RAV4", "2026-11-02T10:00:00Z");
    sale(s, "c", "Toyota", "RAV4", "2026-10-03T10:00:00Z", 1'000'000, 0, 0, "cancelled");

    auto f = analytics::forecastSales(s.conn, "2026-11-15T10:00:00Z", 3);
    ASSERT_TRUE(f) << f.error().message;
    EXPECT_EQ(f->total.firstMonth, "2024-09");
    ASSERT_EQ(f->total.history.size(), 26u);
    EXPECT_EQ(f->total.history.front(), 1);
    EXPECT_EQ(f->total.history.back(), 2);
    EXPECT_EQ(f->total.forecast.status, ForecastStatus::Ok);
    EXPECT_EQ(f->total.months, (std::vector<std::string>{"2026-11", "2026-12", "2027-01"}));

    ASSERT_EQ(f->byModel.size(), 2u);
    const auto& rav4 = f->byModel[0];
    EXPECT_EQ(rav4.model, "RAV4");
    EXPECT_EQ(rav4.history, std::vector<double>(26, 1.0));
    ASSERT_EQ(rav4.forecast.status, ForecastStatus::Ok);
    EXPECT_TRUE(rav4.forecast.seasonal) << "26 months";
    EXPECT_NEAR(rav4.forecast.points[0].value, 1.0, 1e-6);
    const auto& civic = f->byModel[1];
    EXPECT_EQ(civic.model, "Civic");
    EXPECT_EQ(civic.firstMonth, "2026-06");
    EXPECT_EQ(civic.history, std::vector<double>(5, 1.0));
    EXPECT_EQ(civic.forecast.status, ForecastStatus::TooShort);
    EXPECT_EQ(civic.forecast.reason, "needs 12 months of history, has 5");
    EXPECT_TRUE(civic.months.empty());

    Store fresh;
    auto empty = analytics::forecastSales(fresh.conn, "2026-11-15", 3);
    ASSERT_TRUE(empty);
    EXPECT_EQ(empty->total.forecast.status, ForecastStatus::TooShort);
    EXPECT_TRUE(empty->byModel.empty());
}
