#include "dashboard_vm.hpp"

#include "showroom/core/auth.hpp"
#include "showroom/core/clock.hpp"

#include <algorithm>
#include <array>

namespace showroom::kiosk {

namespace {

constexpr std::int64_t kDay = 86'400;
constexpr int kForecastMonths = 3;

constexpr std::array kPeriods{DashboardPeriod::ThisMonth, DashboardPeriod::LastMonth, DashboardPeriod::Last3Months,
                              DashboardPeriod::YearToDate};

core::Result<std::string> plusDays(std::string_view ymd, std::int64_t days) {
    auto t = core::parseUtc(ymd);
    if (!t) return t.error();
    return core::formatDate(*t + days * kDay);
}

// The share of the cohort that reached a contract (a sale), as the funnel counts "reached".
std::optional<double> leadToSale(const core::reports::FunnelReport& f) {
    if (f.leads == 0) return std::nullopt;
    for (const auto& r : f.reached)
        if (r.stage == core::LeadStage::Contract) return static_cast<double>(r.leads) / static_cast<double>(f.leads);
    return std::nullopt;
}

} // namespace

std::string_view toString(DashboardPeriod period) {
    switch (period) {
    case DashboardPeriod::ThisMonth: return "this_month";
    case DashboardPeriod::LastMonth: return "last_month";
    case DashboardPeriod::Last3Months: return "last_3_months";
    case DashboardPeriod::YearToDate: return "year_to_date";
    }
    return "this_month";
}

std::span<const DashboardPeriod> allDashboardPeriods() {
    return kPeriods;
}

core::Result<PeriodPair> periodPair(DashboardPeriod period, std::string_view today) {
    auto parsed = core::parseUtc(today);
    if (!parsed || today.size() != 10)
        return core::fail(core::ErrorCode::InvalidInput, "not a day (YYYY-MM-DD): " + std::string(today));
    const std::string day = core::formatDate(*parsed);
    const std::string monthStart = day.substr(0, 8) + "01";
    auto tomorrow = plusDays(day, 1);
    if (!tomorrow) return tomorrow.error();
    core::reports::Period current;
    int back = 1;
    switch (period) {
    case DashboardPeriod::ThisMonth: current = {monthStart, *tomorrow}; break;
    case DashboardPeriod::LastMonth: current = {core::addMonths(monthStart, -1), monthStart}; break;
    case DashboardPeriod::Last3Months:
        current = {core::addMonths(monthStart, -3), monthStart};
        back = 3;
        break;
    case DashboardPeriod::YearToDate:
        current = {day.substr(0, 5) + "01-01", *tomorrow};
        back = 12;
        break;
    }
    // The same stretch one step back: whole months stay whole months (November -> all of October);
    // otherwise the last day moves back, clamped to its month (30 March -> 28 February).
    std::string previousEnd;
    if (current.to.substr(8, 2) == "01") {
        previousEnd = core::addMonths(current.to, -back);
    } else {
        auto lastDay = plusDays(current.to, -1);
        if (!lastDay) return lastDay.error();
        auto end = plusDays(core::addMonths(*lastDay, -back), 1);
        if (!end) return end.error();
        previousEnd = *end;
    }
    core::reports::Period previous{core::addMonths(current.from, -back), std::min(previousEnd, current.from)};
    return PeriodPair{current, previous};
}

core::reports::Granularity granularityFor(const core::reports::Period& period) {
    auto days = core::reports::periodDays(period);
    return days && *days <= 31 ? core::reports::Granularity::Day : core::reports::Granularity::Week;
}

core::Status DashboardViewModel::open(const std::optional<core::StaffMember>& viewer, DashboardPeriod period) {
    close();
    if (!viewer || !core::can(viewer->role, core::Permission::ViewReports)) {
        m_notice = Notice::error("kiosk.staff.not_allowed");
        return core::fail(core::ErrorCode::Denied, "only a manager or an admin may open the dashboard");
    }
    m_viewer = viewer;
    m_period = period;
    return refresh();
}

core::Status DashboardViewModel::setPeriod(DashboardPeriod period) {
    if (!m_viewer) {
        m_notice = Notice::error("kiosk.staff.not_allowed");
        return core::fail(core::ErrorCode::Denied, "the dashboard is not open");
    }
    m_period = period;
    if (auto st = loadPeriod(); !st) return failed(st.error());
    m_loaded = true;
    m_notice = {};
    return {};
}

core::Status DashboardViewModel::refresh() {
    if (!m_viewer) {
        m_notice = Notice::error("kiosk.staff.not_allowed");
        return core::fail(core::ErrorCode::Denied, "the dashboard is not open");
    }
    m_data = {};
    m_data.today = core::formatDate(m_ctx.clock.now());
    if (auto st = loadStanding(); !st) return failed(st.error());
    if (auto st = loadPeriod(); !st) return failed(st.error());
    m_loaded = true;
    m_notice = {};
    return {};
}

void DashboardViewModel::close() {
    m_viewer.reset();
    m_data = {};
    m_loaded = false;
    m_notice = {};
}

core::Status DashboardViewModel::failed(const core::Error& error) {
    m_loaded = false;
    m_notice = Notice::fromError(error);
    return error;
}

// What does not depend on the period: stock aging, follow-ups and the forecast, as of now.
core::Status DashboardViewModel::loadStanding() {
    const std::string asOf = core::formatUtc(m_ctx.clock.now());
    auto aging = core::reports::aging(m_ctx.db, asOf);
    if (!aging) return aging.error();
    m_data.aging = aging->buckets;
    m_data.kpis.stockUnits = aging->units;
    if (aging->units > 0) {
        double days = 0;
        for (const auto& m : aging->byModel)
            days += m.averageDays * static_cast<double>(m.units);
        m_data.kpis.averageDaysInStock = days / static_cast<double>(aging->units);
    }
    auto follow = core::reports::followUps(m_ctx.db, asOf);
    if (!follow) return follow.error();
    m_data.kpis.followUpsOverdue = follow->overdue;
    m_data.kpis.followUpsDueToday = follow->dueToday;
    auto forecast = core::analytics::forecastSales(m_ctx.db, asOf, kForecastMonths);
    if (!forecast) return forecast.error();
    m_data.forecast = std::move(forecast->total);
    return {};
}

core::Status DashboardViewModel::loadPeriod() {
    auto pair = periodPair(m_period, m_data.today);
    if (!pair) return pair.error();
    m_data.periods = *pair;
    m_data.granularity = granularityFor(pair->current);
    auto sales = core::reports::sales(m_ctx.db, pair->current, m_data.granularity);
    if (!sales) return sales.error();
    auto before = core::reports::sales(m_ctx.db, pair->previous, core::reports::Granularity::Month);
    if (!before) return before.error();
    auto funnel = core::reports::funnel(m_ctx.db, pair->current);
    if (!funnel) return funnel.error();
    auto funnelBefore = core::reports::funnel(m_ctx.db, pair->previous);
    if (!funnelBefore) return funnelBefore.error();

    DashboardKpis& k = m_data.kpis;
    k.units = sales->total.units;
    k.gross = sales->total.totalGross;
    k.previousUnits = before->total.units;
    k.previousGross = before->total.totalGross;
    k.leads = funnel->leads;
    k.previousLeads = funnelBefore->leads;
    k.conversion = leadToSale(*funnel);
    k.previousConversion = leadToSale(*funnelBefore);
    m_data.salesByTime = std::move(sales->byTime);
    m_data.funnel = std::move(funnel->reached);
    m_data.conversions = std::move(funnel->conversions);
    return {};
}

} // namespace showroom::kiosk
