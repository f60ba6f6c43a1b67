#pragma once
// The manager's dashboard: KPI tiles (units and gross against the previous period, new leads, lead-to-
// sale conversion, average days in stock, follow-ups overdue) and the figures behind its charts (sales
// by day or week, the lead funnel, the stock aging histogram, the sales forecast with its 80 % band),
// for a chosen period. Every figure comes from core::reports and core::analytics; nothing is
// recomputed here. "Today" is the store's clock (Context::clock), never the wall clock.
// Only roles that may view reports (core::Permission::ViewReports) get figures; anyone else is refused.
// Thread: main thread only (reads through the context's connection).

#include "strings.hpp"

#include "showroom/core/analytics.hpp"
#include "showroom/core/domain.hpp"
#include "showroom/core/journal.hpp"
#include "showroom/core/reports.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace showroom::kiosk {

enum class DashboardPeriod { ThisMonth, LastMonth, Last3Months, YearToDate };
std::string_view toString(DashboardPeriod period); ///< "this_month", "last_month", "last_3_months", "year_to_date"
std::span<const DashboardPeriod> allDashboardPeriods();

/// A period and the one it is compared with.
struct PeriodPair {
    core::reports::Period current, previous;
};

/// The period for `today` ("YYYY-MM-DD", UTC day of the store's clock):
///   this month      the 1st of today's month .. today (inclusive)
///   last month      the whole previous calendar month
///   last 3 months   the three whole calendar months before today's month
///   year to date    1 January .. today (inclusive)
/// The previous period is the same stretch of the calendar one step back (1, 1, 3 or 12 months): its first
/// day is `current.from` moved back; a period of whole months compares with whole months (November with
/// all of October), else its last day moves back, clamped to the month's end and never past the current
/// period. So 1-15 November compares with 1-15 October, and 1-30 March with all of February.
/// InvalidInput when `today` is not a date.
core::Result<PeriodPair> periodPair(DashboardPeriod period, std::string_view today);

/// Day buckets up to 31 days, ISO weeks beyond.
core::reports::Granularity granularityFor(const core::reports::Period& period);

struct DashboardKpis {
    std::int64_t units = 0, previousUnits = 0; ///< deals signed in the period (sales report)
    core::Cents gross = 0, previousGross = 0;  ///< total gross, front + back end
    std::int64_t leads = 0, previousLeads = 0; ///< leads opened in the period (the funnel's cohort)
    /// Lead-to-sale: of the leads opened in the period, the share that has reached a contract (0..1);
    /// nullopt without leads.
    std::optional<double> conversion, previousConversion;
    std::int64_t stockUnits = 0;              ///< in stock or on hold now (aging report)
    std::optional<double> averageDaysInStock; ///< mean days in stock of those; nullopt without stock
    std::int64_t followUpsOverdue = 0, followUpsDueToday = 0;
};

struct DashboardData {
    std::string today; ///< the store's UTC day the figures are for
    PeriodPair periods;
    DashboardKpis kpis;
    core::reports::Granularity granularity = core::reports::Granularity::Day;
    std::vector<core::reports::TimeSales> salesByTime; ///< every bucket of the period, empty ones too
    std::vector<core::reports::StageCount> funnel;     ///< leads that reached inquiry .. delivered
    std::vector<core::reports::StageConversion> conversions;
    core::reports::AgingBuckets aging{};
    /// Total monthly units: history and (when status Ok) the forecast with its 80 % interval.
    core::analytics::SeriesForecast forecast;
};

class DashboardViewModel {
public:
    explicit DashboardViewModel(core::Context& ctx) : m_ctx(ctx) {}

    /// Opens the dashboard for `viewer` on `period` and loads every figure. Denied (and nothing loaded,
    /// notice kiosk.staff.not_allowed) when nobody is signed in or the role may not view reports.
    core::Status open(const std::optional<core::StaffMember>& viewer,
                      DashboardPeriod period = DashboardPeriod::ThisMonth);
    /// Switches the period and reloads the period's figures (the forecast and stock are not per period).
    /// Denied unless open() succeeded.
    core::Status setPeriod(DashboardPeriod period);
    /// Reloads everything at the store clock's current time (a new day may have begun).
    core::Status refresh();
    /// Forgets the viewer and every figure (signing out).
    void close();

    bool loaded() const { return m_loaded; }
    DashboardPeriod period() const { return m_period; }
    const DashboardData& data() const { return m_data; }
    /// Why there are no figures (refused, or a report failed); empty when loaded.
    const Notice& notice() const { return m_notice; }

private:
    core::Status loadPeriod();
    core::Status loadStanding();
    core::Status failed(const core::Error& error);
    core::Context& m_ctx;
    std::optional<core::StaffMember> m_viewer;
    DashboardPeriod m_period = DashboardPeriod::ThisMonth;
    DashboardData m_data;
    bool m_loaded = false;
    Notice m_notice;
};

} // namespace showroom::kiosk
