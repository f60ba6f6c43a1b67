#include "showroom/core/analytics.hpp"

#include "showroom/core/clock.hpp"
#include "showroom/core/reports.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <tuple>

namespace showroom::core::analytics {

namespace {

constexpr std::int64_t kDay = 86400;

std::string personName(const std::string& first, const std::string& last) {
    return last.empty() ? first : first + " " + last;
}

} // namespace

// ------------------------------------------------------------------------------------------------- RFM

namespace {
constexpr std::array kSegments{Segment::Champions, Segment::Loyal,       Segment::New, Segment::Promising,
                               Segment::AtRisk,    Segment::Hibernating, Segment::Lost};
} // namespace

std::string_view toString(Segment s) {
    switch (s) {
    case Segment::Champions: return "champions";
    case Segment::Loyal: return "loyal";
    case Segment::New: return "new";
    case Segment::Promising: return "promising";
    case Segment::AtRisk: return "at_risk";
    case Segment::Hibernating: return "hibernating";
    case Segment::Lost: return "lost";
    }
    return "lost";
}

std::span<const Segment> allSegments() {
    return kSegments;
}

std::vector<int> quintileScores(std::span<const std::int64_t> values) {
    std::vector<std::int64_t> sorted(values.begin(), values.end());
    std::sort(sorted.begin(), sorted.end());
    const auto n = static_cast<std::int64_t>(sorted.size());
    std::vector<int> scores;
    scores.reserve(values.size());
    for (auto v : values) {
        const auto worse = std::lower_bound(sorted.begin(), sorted.end(), v) - sorted.begin();
        scores.push_back(1 + static_cast<int>(5 * worse / n));
    }
    return scores;
}

Segment segmentOf(int r, int f, int m, std::int64_t purchases) {
    const int fm = f + m;
    if (r >= 4 && fm >= 8) return Segment::Champions;
    if (r >= 3 && fm >= 6) return Segment::Loyal;
    if (r >= 4 && purchases == 1) return Segment::New;
    if (r >= 3) return Segment::Promising;
    if (fm >= 6) return Segment::AtRisk;
    if (r == 2) return Segment::Hibernating;
    return Segment::Lost;
}

std::vector<RfmScore> scoreRfm(std::span<const RfmInput> customers) {
    std::vector<std::int64_t> recency, frequency, monetary;
    for (const auto& c : customers) {
        recency.push_back(-c.recencyDays); // fewer days is better: score the negation
        frequency.push_back(c.frequency);
        monetary.push_back(c.monetary);
    }
    const auto r = quintileScores(recency), f = quintileScores(frequency), m = quintileScores(monetary);
    std::vector<RfmScore> scores;
    for (std::size_t i = 0; i < customers.size(); ++i)
        scores.push_back({customers[i], r[i], f[i], m[i], segmentOf(r[i], f[i], m[i], customers[i].frequency)});
    return scores;
}

Result<RfmReport> rfm(db::Connection& db, std::string_view asOf) {
    auto at = parseUtc(asOf);
    if (!at) return at.error();
    auto scope = reports::reportScope(db);
    if (!scope) return scope.error();
    RfmReport report;
    report.asOf = formatUtc(*at);
    auto stmt =
        db.prepare("SELECT d.customer_id, c.first_name, c.last_name, c.phone, c.email, count(*), "
                   "sum(d.price_cents - d.discount_cents + d.addons_cents), max(d.signed_at) "
                   "FROM deals d JOIN customers c ON c.id = d.customer_id "
                   "WHERE d.status IN ('signed', 'delivered') AND d.signed_at IS NOT NULL AND d.signed_at <= ?1 "
                   "AND (?2 IS NULL OR d.store_id = ?2) GROUP BY d.customer_id ORDER BY d.customer_id");
    if (!stmt) return stmt.error();
    stmt->bindAll(report.asOf, *scope);
    std::vector<RfmInput> inputs;
    std::vector<RfmCustomer> customers;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) break;
        auto last = parseUtc(stmt->getText(7));
        if (!last) return last.error();
        inputs.push_back({stmt->getText(0), (*at - *last) / kDay, stmt->getInt(5), stmt->getInt(6)});
        RfmCustomer c;
        c.name = personName(stmt->getText(1), stmt->getText(2));
        c.phone = stmt->getText(3);
        c.email = stmt->getText(4);
        c.lastPurchaseAt = stmt->getText(7);
        customers.push_back(std::move(c));
    }
    const auto scores = scoreRfm(inputs);
    report.customers = static_cast<std::int64_t>(scores.size());
    for (auto s : kSegments)
        report.segments.push_back({s, {}});
    for (std::size_t i = 0; i < scores.size(); ++i) {
        customers[i].score = scores[i];
        report.segments[static_cast<std::size_t>(scores[i].segment)].customers.push_back(std::move(customers[i]));
    }
    for (auto& segment : report.segments)
        std::sort(segment.customers.begin(), segment.customers.end(), [](const RfmCustomer& a, const RfmCustomer& b) {
            return std::tuple(-a.score.r, -a.score.f, -a.score.m, a.name, a.score.input.customerId) <
                   std::tuple(-b.score.r, -b.score.f, -b.score.m, b.name, b.score.input.customerId);
        });
    return report;
}

// -------------------------------------------------------------------------------------------- forecast

std::string_view toString(ForecastMethod m) {
    return m == ForecastMethod::TrendSeasonal ? "trend_seasonal" : "holt_winters";
}

std::string_view toString(ForecastStatus s) {
    return s == ForecastStatus::Ok ? "ok" : "too_short";
}

namespace {

constexpr int kParams = 2 + kSeason - 1;    // intercept, slope, 11 month dummies (month 0 is the baseline)
constexpr int kLineParams = 2;              // intercept, slope
constexpr double kZ80 = 1.2815515655446004; // the standard normal's 90th percentile: two-sided 80 %

using Matrix = std::vector<std::vector<double>>;

// The upper 10 % point of Student's t with `dof` degrees of freedom: exact for 1 and 2, else the
// Cornish-Fisher expansion around the normal (Abramowitz & Stegun 26.7.5), within 1e-3 from 3 up.
double t90(int dof) {
    if (dof <= 1) return 3.0776835371752527;
    if (dof == 2) return 1.8856180831641267;
    const double z = kZ80, v = dof;
    const double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z, z9 = z7 * z * z;
    return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v) +
           (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v) +
           (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * v * v * v * v);
}

std::size_t paramsOf(bool seasonal) {
    return seasonal ? kParams : kLineParams;
}

// The first paramsOf(seasonal) entries are the row; the month dummies stay 0 without the season.
std::array<double, kParams> designRow(int t, bool seasonal) {
    std::array<double, kParams> x{};
    x[0] = 1;
    x[1] = t;
    if (const int pos = t % kSeason; seasonal && pos > 0) x[static_cast<std::size_t>(1 + pos)] = 1;
    return x;
}

// Inverts a symmetric positive-definite matrix by Gauss-Jordan with partial pivoting; false if singular.
bool invert(Matrix a, Matrix& inverse) {
    const std::size_t n = a.size();
    inverse.assign(n, std::vector<double>(n, 0));
    for (std::size_t i = 0; i < n; ++i)
        inverse[i][i] = 1;
    for (std::size_t col = 0; col < n; ++col) {
        std::size_t pivot = col;
        for (std::size_t r = col + 1; r < n; ++r)
            if (std::abs(a[r][col]) > std::abs(a[pivot][col])) pivot = r;
        if (std::abs(a[pivot][col]) < 1e-12) return false;
        std::swap(a[pivot], a[col]);
        std::swap(inverse[pivot], inverse[col]);
        const double p = a[col][col];
        for (std::size_t c = 0; c < n; ++c) {
            a[col][c] /= p;
            inverse[col][c] /= p;
        }
        for (std::size_t r = 0; r < n; ++r) {
            if (r == col || a[r][col] == 0) continue;
            const double factor = a[r][col];
            for (std::size_t c = 0; c < n; ++c) {
                a[r][c] -= factor * a[col][c];
                inverse[r][c] -= factor * inverse[col][c];
            }
        }
    }
    return true;
}

struct OlsFit {
    bool seasonal = true;
    std::array<double, kParams> beta{}; ///< the first paramsOf(seasonal) are fitted, the rest 0
    Matrix xtxInverse;
    double sigma = 0;
    int dof = 0;
};

Status checkSeries(std::span<const double> y) {
    for (double v : y)
        if (!std::isfinite(v) || v < 0)
            return fail(ErrorCode::InvalidInput, "a monthly count must be a finite number of 0 or more");
    return {};
}

Result<OlsFit> fitOls(std::span<const double> y, bool seasonal) {
    if (auto st = checkSeries(y); !st) return st.error();
    const int n = static_cast<int>(y.size());
    const int least = seasonal ? kMinFitMonths : kMinTrendFitMonths;
    const std::string what = seasonal ? "the trend and season fit" : "the trend line";
    if (n < least)
        return fail(ErrorCode::InvalidInput,
                    what + " needs " + std::to_string(least) + " months, not " + std::to_string(n));
    const std::size_t p = paramsOf(seasonal);
    Matrix xtx(p, std::vector<double>(p, 0));
    std::array<double, kParams> xty{};
    for (int t = 0; t < n; ++t) {
        const auto x = designRow(t, seasonal);
        for (std::size_t i = 0; i < p; ++i) {
            xty[i] += x[i] * y[static_cast<std::size_t>(t)];
            for (std::size_t j = 0; j < p; ++j)
                xtx[i][j] += x[i] * x[j];
        }
    }
    OlsFit fit;
    fit.seasonal = seasonal;
    if (!invert(xtx, fit.xtxInverse)) return fail(ErrorCode::Internal, what + " is singular");
    for (std::size_t i = 0; i < p; ++i)
        for (std::size_t j = 0; j < p; ++j)
            fit.beta[i] += fit.xtxInverse[i][j] * xty[j];
    double sse = 0;
    for (int t = 0; t < n; ++t) {
        const auto x = designRow(t, seasonal);
        double yhat = 0;
        for (std::size_t i = 0; i < p; ++i)
            yhat += x[i] * fit.beta[i];
        const double e = y[static_cast<std::size_t>(t)] - yhat;
        sse += e * e;
    }
    fit.dof = n - static_cast<int>(p);
    fit.sigma = std::sqrt(sse / fit.dof);
    return fit;
}

ForecastPoint clamped(double value, double halfWidth) {
    return ForecastPoint{std::max(0.0, value), std::max(0.0, value - halfWidth), std::max(0.0, value + halfWidth)};
}

Status checkHorizon(int horizon) {
    if (horizon < 1 || horizon > 24) return fail(ErrorCode::InvalidInput, "the horizon must be 1 to 24 months");
    return {};
}

// Additive Holt-Winters, error-correction form, over y with the given smoothing; returns the sum of
// squared one-step errors and leaves the final state in `state`.
struct HwState {
    double level = 0, trend = 0;
    std::array<double, kSeason> seasonal{};
};

// The starting state: a least-squares line through the first two years (or what there is), and the
// seasonal means of what the line leaves, centred (all 0 without the season); the level is set one
// month before the first.
HwState hwStart(std::span<const double> y, bool seasonal) {
    const std::size_t m = std::min<std::size_t>(y.size(), 2 * kSeason);
    double st = 0, sy = 0, stt = 0, sty = 0;
    for (std::size_t t = 0; t < m; ++t) {
        st += static_cast<double>(t);
        sy += y[t];
        stt += static_cast<double>(t * t);
        sty += static_cast<double>(t) * y[t];
    }
    const double dm = static_cast<double>(m);
    const double denominator = dm * stt - st * st;
    const double slope = denominator == 0 ? 0 : (dm * sty - st * sy) / denominator;
    const double intercept = (sy - slope * st) / dm;
    HwState s;
    s.level = intercept - slope;
    s.trend = slope;
    if (!seasonal) return s;
    std::array<double, kSeason> sum{}, count{};
    for (std::size_t t = 0; t < m; ++t) {
        sum[t % kSeason] += y[t] - (intercept + slope * static_cast<double>(t));
        count[t % kSeason] += 1;
    }
    double mean = 0;
    for (std::size_t i = 0; i < kSeason; ++i) {
        s.seasonal[i] = count[i] > 0 ? sum[i] / count[i] : 0;
        mean += s.seasonal[i] / kSeason;
    }
    for (auto& v : s.seasonal)
        v -= mean;
    return s;
}

double hwRun(std::span<const double> y, double alpha, double beta, double gamma, HwState& s) {
    double sse = 0;
    for (std::size_t t = 0; t < y.size(); ++t) {
        auto& season = s.seasonal[t % kSeason];
        const double e = y[t] - (s.level + s.trend + season);
        s.level = s.level + s.trend + alpha * e;
        s.trend += beta * e;
        season += gamma * e;
        sse += e * e;
    }
    return sse;
}

std::vector<ForecastPoint> olsForecast(const OlsFit& fit, int n, int horizon) {
    std::vector<ForecastPoint> points;
    const double t = t90(fit.dof);
    const std::size_t p = paramsOf(fit.seasonal);
    for (int h = 0; h < horizon; ++h) {
        const auto x = designRow(n + h, fit.seasonal);
        double value = 0, leverage = 0;
        for (std::size_t i = 0; i < p; ++i) {
            value += x[i] * fit.beta[i];
            for (std::size_t j = 0; j < p; ++j)
                leverage += x[i] * fit.xtxInverse[i][j] * x[j];
        }
        points.push_back(clamped(value, t * fit.sigma * std::sqrt(1 + std::max(0.0, leverage))));
    }
    return points;
}

std::vector<ForecastPoint> hwForecast(const HoltWintersFit& fit, std::size_t n, int horizon) {
    std::vector<ForecastPoint> points;
    double variance = 0; // sum of the squared c_j so far
    for (int h = 1; h <= horizon; ++h) {
        const double value = fit.level + h * fit.trend + fit.seasonal[(n + static_cast<std::size_t>(h) - 1) % kSeason];
        points.push_back(clamped(value, kZ80 * fit.sigma * std::sqrt(1 + variance)));
        const double c = fit.alpha + fit.beta * h + (h % kSeason == 0 ? fit.gamma : 0);
        variance += c * c;
    }
    return points;
}

Result<std::vector<ForecastPoint>> olsPoints(std::span<const double> y, int horizon, bool seasonal) {
    if (auto st = checkHorizon(horizon); !st) return st.error();
    auto fit = fitOls(y, seasonal);
    if (!fit) return fit.error();
    return olsForecast(*fit, static_cast<int>(y.size()), horizon);
}

Result<HoltWintersFit> fitHw(std::span<const double> y, bool seasonal) {
    if (auto st = checkSeries(y); !st) return st.error();
    const int least = seasonal ? kMinFitMonths : kMinTrendFitMonths;
    if (static_cast<int>(y.size()) < least)
        return fail(ErrorCode::InvalidInput, std::string(seasonal ? "Holt-Winters" : "Holt's linear method") +
                                                 " needs " + std::to_string(least) + " months, not " +
                                                 std::to_string(y.size()));
    // The grid keeps the ETS stability region's usual bounds: beta <= alpha, gamma <= 1 - alpha. Zero
    // trend and season smoothing are allowed: a steady trend or season is then kept as started. Without
    // the season, gamma 0 over an all-zero season is Holt's linear method.
    constexpr std::array alphas{0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
    constexpr std::array betas{0.0, 0.01, 0.05, 0.1, 0.2};
    constexpr std::array seasonalGammas{0.0, 0.05, 0.1, 0.2, 0.3};
    constexpr std::array noGamma{0.0};
    const auto gammas = seasonal ? std::span<const double>(seasonalGammas) : std::span<const double>(noGamma);
    const HwState start = hwStart(y, seasonal);
    HoltWintersFit best;
    double bestSse = -1;
    for (double a : alphas)
        for (double b : betas)
            for (double g : gammas) {
                if (b > a || g > 1 - a) continue;
                HwState s = start;
                const double sse = hwRun(y, a, b, g, s);
                if (bestSse >= 0 && sse >= bestSse) continue;
                bestSse = sse;
                best.alpha = a;
                best.beta = b;
                best.gamma = g;
                best.level = s.level;
                best.trend = s.trend;
                best.seasonal.assign(s.seasonal.begin(), s.seasonal.end());
            }
    best.sigma = std::sqrt(bestSse / static_cast<double>(y.size()));
    return best;
}

Result<std::vector<ForecastPoint>> hwPoints(std::span<const double> y, int horizon, bool seasonal) {
    if (auto st = checkHorizon(horizon); !st) return st.error();
    auto fit = fitHw(y, seasonal);
    if (!fit) return fit.error();
    return hwForecast(*fit, y.size(), horizon);
}

} // namespace

Result<TrendSeasonalFit> fitTrendSeasonal(std::span<const double> y) {
    auto fit = fitOls(y, true);
    if (!fit) return fit.error();
    TrendSeasonalFit out;
    std::array<double, kSeason> raw{};
    for (int i = 1; i < kSeason; ++i)
        raw[static_cast<std::size_t>(i)] = fit->beta[static_cast<std::size_t>(1 + i)];
    double mean = 0;
    for (double v : raw)
        mean += v / kSeason;
    out.intercept = fit->beta[0] + mean;
    out.slope = fit->beta[1];
    for (double v : raw)
        out.seasonal.push_back(v - mean);
    out.sigma = fit->sigma;
    return out;
}

Result<std::vector<ForecastPoint>> forecastTrendSeasonal(std::span<const double> y, int horizon) {
    return olsPoints(y, horizon, true);
}

Result<HoltWintersFit> fitHoltWinters(std::span<const double> y) {
    return fitHw(y, true);
}

Result<std::vector<ForecastPoint>> forecastHoltWinters(std::span<const double> y, int horizon) {
    return hwPoints(y, horizon, true);
}

Result<std::vector<ForecastPoint>> forecastTrendLine(std::span<const double> y, int horizon) {
    return olsPoints(y, horizon, false);
}

Result<HoltWintersFit> fitHoltLinear(std::span<const double> y) {
    return fitHw(y, false);
}

Result<std::vector<ForecastPoint>> forecastHoltLinear(std::span<const double> y, int horizon) {
    return hwPoints(y, horizon, false);
}

Result<Forecast> forecastSeries(std::span<const double> history, int horizon) {
    if (auto st = checkHorizon(horizon); !st) return st.error();
    if (auto st = checkSeries(history); !st) return st.error();
    Forecast out;
    const int n = static_cast<int>(history.size());
    if (n < kMinHistoryMonths) {
        out.status = ForecastStatus::TooShort;
        out.reason = "needs " + std::to_string(kMinHistoryMonths) + " months of history, has " + std::to_string(n);
        return out;
    }
    // Under two years some calendar month has been seen once or never: its seasonal term would be that
    // month's noise. The backtest's fits take the same form as the final one.
    const bool seasonal = n >= kSeasonalHistoryMonths;
    struct Score {
        double absPct = 0, abs = 0;
        std::int64_t pctPoints = 0, points = 0;
    };
    std::array<Score, 2> scores{};
    for (int k = seasonal ? kMinFitMonths : kMinTrendFitMonths; k < n; ++k) {
        const auto train = history.first(static_cast<std::size_t>(k));
        const int steps = std::min(horizon, n - k);
        auto ts = olsPoints(train, steps, seasonal);
        if (!ts) return ts.error();
        auto hw = hwPoints(train, steps, seasonal);
        if (!hw) return hw.error();
        for (int h = 0; h < steps; ++h) {
            const double actual = history[static_cast<std::size_t>(k + h)];
            const std::array<double, 2> predicted{(*ts)[static_cast<std::size_t>(h)].value,
                                                  (*hw)[static_cast<std::size_t>(h)].value};
            for (std::size_t m = 0; m < 2; ++m) {
                const double error = std::abs(actual - predicted[m]);
                scores[m].abs += error;
                scores[m].points += 1;
                if (actual != 0) {
                    scores[m].absPct += error / actual;
                    scores[m].pctPoints += 1;
                }
            }
        }
    }
    for (std::size_t m = 0; m < 2; ++m) {
        MethodScore s;
        s.method = m == 0 ? ForecastMethod::TrendSeasonal : ForecastMethod::HoltWinters;
        s.points = scores[m].points;
        s.mae = scores[m].points > 0 ? scores[m].abs / static_cast<double>(scores[m].points) : 0;
        if (scores[m].pctPoints > 0) s.mape = scores[m].absPct / static_cast<double>(scores[m].pctPoints);
        out.backtest.push_back(s);
    }
    const auto& ts = out.backtest[0];
    const auto& hw = out.backtest[1];
    // Rounding makes two perfect fits differ in the 15th digit; only a real difference picks Holt-Winters.
    constexpr double kTie = 1e-9;
    const bool hwBetter = ts.mape && hw.mape ? *hw.mape < *ts.mape - kTie : hw.mae < ts.mae - kTie;
    out.method = hwBetter ? ForecastMethod::HoltWinters : ForecastMethod::TrendSeasonal;
    auto points = hwBetter ? hwPoints(history, horizon, seasonal) : olsPoints(history, horizon, seasonal);
    if (!points) return points.error();
    out.seasonal = seasonal;
    out.points = std::move(*points);
    out.status = ForecastStatus::Ok;
    return out;
}

// ------------------------------------------------------------------------------------ forecast (store)

namespace {

// "2026-11" <-> months since year 0.
int monthIndex(std::string_view ym) {
    return std::stoi(std::string(ym.substr(0, 4))) * 12 + std::stoi(std::string(ym.substr(5, 2))) - 1;
}

std::string monthName(int index) {
    std::string m = std::to_string(index % 12 + 1);
    if (m.size() < 2) m.insert(0, "0");
    return std::to_string(index / 12) + "-" + m;
}

Result<SeriesForecast> buildSeries(std::string make, std::string model, const std::map<int, double>& counts,
                                   int endMonth, int horizon) {
    SeriesForecast s;
    s.make = std::move(make);
    s.model = std::move(model);
    const int first = counts.empty() ? endMonth : counts.begin()->first;
    s.firstMonth = monthName(first);
    for (int m = first; m < endMonth; ++m) {
        auto it = counts.find(m);
        s.history.push_back(it == counts.end() ? 0 : it->second);
    }
    auto forecast = forecastSeries(s.history, horizon);
    if (!forecast) return forecast.error();
    s.forecast = std::move(*forecast);
    if (s.forecast.status == ForecastStatus::Ok)
        for (int h = 0; h < horizon; ++h)
            s.months.push_back(monthName(endMonth + h));
    return s;
}

} // namespace

Result<SalesForecast> forecastSales(db::Connection& db, std::string_view asOf, int horizon) {
    if (auto st = checkHorizon(horizon); !st) return st.error();
    auto at = parseUtc(asOf);
    if (!at) return at.error();
    auto scope = reports::reportScope(db);
    if (!scope) return scope.error();
    SalesForecast out;
    out.asOf = formatUtc(*at);
    const int endMonth = monthIndex(out.asOf);
    auto stmt = db.prepare("SELECT substr(d.signed_at, 1, 7), v.make, v.model, count(*) "
                           "FROM deals d JOIN vehicles v ON v.id = d.vehicle_id "
                           "WHERE d.status IN ('signed', 'delivered') AND d.signed_at IS NOT NULL AND d.signed_at < ?1 "
                           "AND (?2 IS NULL OR d.store_id = ?2) GROUP BY 1, 2, 3");
    if (!stmt) return stmt.error();
    stmt->bindAll(out.asOf.substr(0, 7) + "-01T00:00:00Z", *scope);
    std::map<int, double> total;
    std::map<std::pair<std::string, std::string>, std::map<int, double>> models;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) break;
        const int month = monthIndex(stmt->getText(0));
        const auto units = static_cast<double>(stmt->getInt(3));
        total[month] += units;
        models[{stmt->getText(1), stmt->getText(2)}][month] += units;
    }
    auto t = buildSeries("", "", total, endMonth, horizon);
    if (!t) return t.error();
    out.total = std::move(*t);
    for (const auto& [key, counts] : models) {
        auto s = buildSeries(key.first, key.second, counts, endMonth, horizon);
        if (!s) return s.error();
        out.byModel.push_back(std::move(*s));
    }
    auto units = [](const SeriesForecast& s) {
        double sum = 0;
        for (double v : s.history)
            sum += v;
        return sum;
    };
    std::sort(out.byModel.begin(), out.byModel.end(), [&](const SeriesForecast& a, const SeriesForecast& b) {
        return std::tuple(-units(a), a.make, a.model) < std::tuple(-units(b), b.make, b.model);
    });
    return out;
}

} // namespace showroom::core::analytics
