#pragma once
// Analytics: who the best customers are (RFM) and how many cars the coming months will likely sell
// (forecast). Pure functions over plain values, each with a thin wrapper that reads its input from the
// store, so the maths is tested on hand-made numbers and the wrappers on a real database.
//
// Threading: the pure functions are thread-safe (no shared state); the store wrappers read through the
// connection they are given, on that connection's thread. Nothing reads the wall clock: "as of" times
// are passed in. Failures: InvalidInput for bad arguments, Storage/Busy from SQLite.
// The store wrappers count the deals of the showroom reports.hpp's "Whose figures" names: the
// database's own showroom, or every showroom in HQ's report copy.

#include "showroom/core/db.hpp"
#include "showroom/core/money.hpp"
#include "showroom/core/result.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace showroom::core::analytics {

// ---------------------------------------------------------------------------------------------------
// RFM
//
// What is measured, per customer with at least one purchase signed at or before asOf (a purchase is a
// deal signed or delivered, never cancelled; the store keeps no service visits, so only purchases count):
//   recency   = whole days from the last purchase's signed_at to asOf (floor of seconds / 86,400)
//   frequency = number of purchases
//   monetary  = sum over purchases of price - discount + add-ons, in cents (what the customer spent with
//               the showroom before tax, fees and trade-in)
//
// Quintile scores 1..5, 5 best (recent, frequent, big spender). With n customers, a customer whose value
// is strictly worse than that of `w` others scores 1 + floor(5 * w / n). Tie rule: equal values share
// one score, the one their group's first (worst) position gives, so ties never split across scores and
// a big tie scores low (most buyers have bought one car: they all get F = 1). Recency is worse when
// larger, frequency and monetary when smaller.
//
// Segments, by the R score, FM = F + M (2..10) and the purchase count; the first rule that matches:
//   champions    R >= 4 and FM >= 8
//   loyal        R >= 3 and FM >= 6
//   new          R >= 4 and one purchase
//   promising    R >= 3                     (the other recent buyers)
//   at_risk      R <= 2 and FM >= 6         (were good, have not come back)
//   hibernating  R == 2
//   lost         R == 1
// Every customer falls in exactly one segment.

enum class Segment { Champions, Loyal, New, Promising, AtRisk, Hibernating, Lost };
std::string_view toString(Segment);
/// All segments in the order above.
std::span<const Segment> allSegments();

struct RfmInput {
    std::string customerId;
    std::int64_t recencyDays = 0;
    std::int64_t frequency = 0;
    Cents monetary = 0;
};

struct RfmScore {
    RfmInput input;
    int r = 1, f = 1, m = 1;
    Segment segment = Segment::Lost;
};

/// Scores `customers` against each other (see the rules above); the result is in input order.
std::vector<RfmScore> scoreRfm(std::span<const RfmInput> customers);
/// The quintile scores of `values` by the tie rule above; higher values score higher.
std::vector<int> quintileScores(std::span<const std::int64_t> values);
/// The segment of one scored customer.
Segment segmentOf(int r, int f, int m, std::int64_t purchases);

struct RfmCustomer {
    RfmScore score;
    std::string name, phone, email;
    std::string lastPurchaseAt;
};

struct SegmentMembers {
    Segment segment = Segment::Champions;
    std::vector<RfmCustomer> customers; ///< best first: R, F, M descending, then name, then id
};

struct RfmReport {
    std::string asOf; ///< normalised "YYYY-MM-DDTHH:MM:SSZ"
    std::int64_t customers = 0;
    std::vector<SegmentMembers> segments; ///< every segment in allSegments() order, empty ones included
};

/// RFM of every customer with a purchase signed at or before `asOf`.
Result<RfmReport> rfm(db::Connection& db, std::string_view asOf);

// ---------------------------------------------------------------------------------------------------
// Forecast
//
// A series is monthly unit counts, oldest first, the last entry the last complete month. How much history
// there is decides what is fitted (n months):
//   n <  kMinHistoryMonths (12)        status TooShort, reason "needs 12 months of history, has n", no
//                                      points, no backtest.
//   n in 12 .. 23                      trend only (Forecast::seasonal false): with every calendar month seen
//                                      at most once a season cannot be told from noise, so neither method
//                                      fits one.
//   n >= kSeasonalHistoryMonths (24)   trend and season (Forecast::seasonal true).
// The two methods, with the season and without it:
//  - TrendSeasonal: y = a + b*t + s[t mod 12] fitted by ordinary least squares (the s sum to zero);
//    80 % intervals from the residual variance and the parameters' uncertainty (leverage), Student t with
//    n - 13 degrees of freedom. Without the season: the plain line y = a + b*t, Student t with n - 2.
//  - HoltWinters: additive Holt-Winters in error-correction form (ETS(A,A,A)): level += trend + alpha*e,
//    trend += beta*e, season += gamma*e; started from a least-squares line and seasonal means over the
//    first two years (or what there is of them); alpha, beta, gamma chosen from a fixed grid (beta <= alpha,
//    gamma <= 1 - alpha) by the least one-step squared error. 80 % intervals from the one-step error
//    variance by the ETS(A,A,A) formula sigma^2 * (1 + sum_{j=1..h-1} (alpha + beta*j + gamma*[j mod 12 ==
//    0])^2). Without the season: Holt's linear method ETS(A,A,N), the same with no season and gamma = 0,
//    started from the least-squares line alone; interval sigma^2 * (1 + sum_{j=1..h-1} (alpha + beta*j)^2).
// Rolling-origin backtest: for every origin k from kMinFitMonths (with the season) or kMinTrendFitMonths
// (without) to n - 1, each method is fitted on the first k months, with the season exactly when the whole
// series gets it, and forecasts months k .. k + horizon - 1 (those that exist); MAPE is the mean of
// |actual - forecast| / actual over the forecasts whose actual is not 0 (nullopt when there are none),
// MAE the mean absolute error over all. The method with the lower MAPE is chosen (MAE when MAPE is
// missing for either; ties, within 1e-9, go to TrendSeasonal, the simpler one), and refitted on all n
// months for the forecast. Forecasts and interval ends are clamped at 0 (no negative sales); they are not
// rounded.

inline constexpr int kSeason = 12;
inline constexpr int kMinFitMonths = 15;          ///< the least a seasonal fit is made on (13 OLS parameters + 2)
inline constexpr int kMinTrendFitMonths = 6;      ///< the least a trend-only fit is made on (2 parameters + 4)
inline constexpr int kMinHistoryMonths = 12;      ///< the least a forecast is made from
inline constexpr int kSeasonalHistoryMonths = 24; ///< the least a seasonal forecast is made from: each month twice
inline constexpr double kIntervalLevel = 0.80;

/// Named for their seasonal form; when Forecast::seasonal is false they are the plain least-squares line
/// and Holt's linear method.
enum class ForecastMethod { TrendSeasonal, HoltWinters };
std::string_view toString(ForecastMethod);

enum class ForecastStatus { Ok, TooShort };
std::string_view toString(ForecastStatus);

struct ForecastPoint {
    double value = 0, low = 0, high = 0; ///< the forecast and its 80 % interval
};

struct MethodScore {
    ForecastMethod method = ForecastMethod::TrendSeasonal;
    std::optional<double> mape; ///< 0.05 == 5 %
    double mae = 0;
    std::int64_t points = 0; ///< forecasts scored
};

struct Forecast {
    ForecastStatus status = ForecastStatus::TooShort;
    std::string reason; ///< why there is no forecast; "" when Ok
    ForecastMethod method = ForecastMethod::TrendSeasonal;
    bool seasonal = false;             ///< whether the season was fitted (Ok with >= kSeasonalHistoryMonths)
    std::vector<ForecastPoint> points; ///< `horizon` months after the series' last
    std::vector<MethodScore> backtest; ///< both methods, TrendSeasonal first
};

/// Forecasts `horizon` (1..24) months after `history`; InvalidInput for a bad horizon or a negative or
/// non-finite count. Short history is not an error: status TooShort.
Result<Forecast> forecastSeries(std::span<const double> history, int horizon = 3);

/// The least-squares trend-and-season fit of `y` (>= kMinFitMonths values): y ~ intercept + slope * t +
/// seasonal[t mod 12] for t = 0 .. n-1.
struct TrendSeasonalFit {
    double intercept = 0, slope = 0;
    std::vector<double> seasonal; ///< 12 values summing to 0, seasonal[i] for t mod 12 == i
    double sigma = 0;             ///< residual standard error
};
Result<TrendSeasonalFit> fitTrendSeasonal(std::span<const double> y);
/// Point forecasts and 80 % intervals of that fit for `horizon` months after `y`.
Result<std::vector<ForecastPoint>> forecastTrendSeasonal(std::span<const double> y, int horizon);

struct HoltWintersFit {
    double alpha = 0, beta = 0, gamma = 0;
    double level = 0, trend = 0;  ///< at the end of the series
    std::vector<double> seasonal; ///< 12 values, seasonal[i] for t mod 12 == i
    double sigma = 0;             ///< one-step error standard deviation
};
/// Holt-Winters on `y` (>= kMinFitMonths values); its point forecasts and 80 % intervals.
Result<HoltWintersFit> fitHoltWinters(std::span<const double> y);
Result<std::vector<ForecastPoint>> forecastHoltWinters(std::span<const double> y, int horizon);

/// The trend-only forms, on `y` of >= kMinTrendFitMonths values. forecastTrendLine: the least-squares line
/// y ~ a + b*t and its 80 % intervals (Student t, n - 2 degrees of freedom). fitHoltLinear: Holt's linear
/// method, gamma 0 and the 12 seasonal values all 0; forecastHoltLinear its forecasts and intervals.
Result<std::vector<ForecastPoint>> forecastTrendLine(std::span<const double> y, int horizon);
Result<HoltWintersFit> fitHoltLinear(std::span<const double> y);
Result<std::vector<ForecastPoint>> forecastHoltLinear(std::span<const double> y, int horizon);

/// One forecast series read from the store.
struct SeriesForecast {
    std::string make, model;         ///< both "" for the total
    std::string firstMonth;          ///< "YYYY-MM" of history[0]
    std::vector<double> history;     ///< units per month, firstMonth .. the month before asOf's
    std::vector<std::string> months; ///< "YYYY-MM" of each forecast point
    Forecast forecast;
};

struct SalesForecast {
    std::string asOf; ///< normalised; its month is the first forecast month
    SeriesForecast total;
    std::vector<SeriesForecast> byModel; ///< units in history descending, then make, then model
};

/// Monthly units sold (deals signed or delivered, by the month of signed_at, UTC), in total and per make
/// and model, from each series' first sale to the last complete month before `asOf`'s month (the current
/// month is partial and left out), forecast `horizon` months from asOf's month.
Result<SalesForecast> forecastSales(db::Connection& db, std::string_view asOf, int horizon = 3);

} // namespace showroom::core::analytics
