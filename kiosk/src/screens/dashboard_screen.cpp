// The manager's dashboard: period chips, KPI tiles across the top, four charts below (sales by day or
// week, the sales forecast with its 80 % band, the lead funnel, the stock aging histogram). Figures
// come from DashboardViewModel; this file only lays them out and words them.

#include "screens.hpp"

#include "../widgets/chart_geometry.hpp"
#include "../widgets/charts.hpp"
#include "../widgets/theme.hpp"

#include <algorithm>
#include <cmath>

namespace showroom::kiosk::screens {

namespace {

using theme::Font;
namespace reports = core::reports;

std::string lastDayOf(const reports::Period& p) {
    auto t = core::parseUtc(p.to);
    return t ? core::formatDate(*t - 86'400) : p.to;
}

std::string range(const ui::Ui& ui, const reports::Period& p) {
    return ui.strings->format("kiosk.dashboard.range", {{"from", p.from}, {"to", lastDayOf(p)}});
}

// "+3", "-2", "0": the change against the previous period.
std::string delta(std::int64_t now, std::int64_t before) {
    const std::int64_t d = now - before;
    return (d > 0 ? "+" : "") + charts::formatCount(d);
}

ImU32 trend(double now, double before) {
    return now > before ? theme::kSuccess : now < before ? theme::kWarning : theme::kTextMuted;
}

struct Tile {
    std::string id, label, value, note;
    ImU32 noteColor = theme::kTextMuted;
};

void kpiTile(ui::Ui& ui, const Tile& t, ImVec2 min, ImVec2 max) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(min, max, theme::kSurface, ui.px(theme::kRadiusCard));
    const float pad = ui.px(theme::kSpace2);
    ImFont* small = theme::font(Font::Small);
    ImFont* big = theme::font(Font::Title);
    dl->PushClipRect(min, max, true);
    dl->AddText(small, small->FontSize, ImVec2(min.x + pad, min.y + pad), theme::kTextMuted, t.label.c_str());
    dl->AddText(big, big->FontSize, ImVec2(min.x + pad, min.y + pad + small->FontSize + ui.px(6)), theme::kText,
                t.value.c_str());
    dl->AddText(small, small->FontSize, ImVec2(min.x + pad, max.y - pad - small->FontSize), t.noteColor,
                t.note.c_str());
    dl->PopClipRect();
    ui.probes[t.id] = t.value;
}

std::string bucketLabel(const ui::Ui& ui, const reports::TimeSales& b, reports::Granularity g) {
    if (g == reports::Granularity::Day) {
        // "3 Nov" / "11月3日": the month's name from the table, the day as a number.
        const int day = std::stoi(b.start.substr(8, 2));
        return ui.strings->format(
            "kiosk.dashboard.day_label",
            {{"day", std::to_string(day)}, {"month", ui.tr("kiosk.dashboard.month." + b.start.substr(5, 2))}});
    }
    return ui.strings->format("kiosk.dashboard.week_label", {{"week", b.bucket.substr(b.bucket.size() - 2)}});
}

std::string monthLabel(const ui::Ui& ui, const std::string& ym) {
    return ui.strings->format(
        "kiosk.dashboard.month_label",
        {{"month", ui.tr("kiosk.dashboard.month." + ym.substr(5, 2))}, {"year", ym.substr(0, 4)}});
}

// "YYYY-MM" + n months.
std::string addMonth(const std::string& ym, int n) {
    return core::addMonths(ym + "-01", n).substr(0, 7);
}

std::string units(const ui::Ui& ui, double n) {
    return ui.strings->format("kiosk.dashboard.units_value", {{"count", charts::formatCount(std::llround(n))}});
}

} // namespace

void dashboardScreen(ui::Ui& ui, StaffViewModel& staff, DrawState& state) {
    common::staffWindow("staff_dashboard");
    common::staffBar(ui, staff);
    DashboardViewModel& vm = staff.dashboard();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float margin = ui.px(theme::kSpace4), gap = ui.px(theme::kSpace2);
    const float left = origin.x + margin, right = origin.x + avail.x - margin;
    const float bottom = origin.y + avail.y - ui.px(theme::kSpace3);
    ui.probes["dashboard.period"] = std::string(toString(vm.period()));
    ui.probes["dashboard.loaded"] = vm.loaded() ? "yes" : "no";

    // Title and the period chips.
    ImGui::SetCursorScreenPos(ImVec2(left, origin.y));
    ImGui::BeginGroup();
    ui::text(theme::font(Font::Heading), theme::kText, ui.tr("kiosk.dashboard.title"));
    const DashboardData& d = vm.data();
    if (vm.loaded())
        ui::text(theme::font(Font::Small), theme::kTextMuted,
                 ui.strings->format("kiosk.dashboard.period_range", {{"range", range(ui, d.periods.current)},
                                                                     {"previous", range(ui, d.periods.previous)}}));
    ImGui::EndGroup();
    const float headerBottom = ImGui::GetItemRectMax().y;
    {
        ImGui::PushFont(theme::font(Font::Small));
        float chipsW = 0;
        ImFont* f = theme::font(Font::Small);
        for (auto p : allDashboardPeriods())
            chipsW += f->CalcTextSizeA(f->FontSize, 1e9f, 0,
                                       ui.tr("kiosk.dashboard.period." + std::string(toString(p))).c_str())
                          .x +
                      ui.px(2 * theme::kSpace3) + ui.px(theme::kSpace1);
        ImGui::SetCursorScreenPos(ImVec2(right - chipsW + ui.px(theme::kSpace1), origin.y));
        bool first = true;
        for (auto p : allDashboardPeriods()) {
            if (!first) ImGui::SameLine(0, ui.px(theme::kSpace1));
            first = false;
            const std::string name(toString(p));
            if (ui::chip(ui, "dashboard.period." + name, ui.tr("kiosk.dashboard.period." + name), vm.period() == p) &&
                vm.period() != p) {
                (void)vm.setPeriod(p); // the notice says why when it fails
                state.chartSelection.clear();
            }
        }
        ImGui::PopFont();
    }
    float y = std::max(headerBottom, origin.y + ui.px(theme::kMinTouch)) + ui.px(theme::kSpace2);

    if (!vm.loaded()) {
        ImGui::SetCursorScreenPos(ImVec2(left, y));
        ui::text(theme::font(Font::Body), theme::kWarning,
                 vm.notice().empty() ? ui.tr("kiosk.dashboard.no_figures") : ui.strings->show(vm.notice()));
        ImGui::End();
        return;
    }
    const DashboardKpis& k = d.kpis;

    // KPI tiles.
    std::vector<Tile> tiles;
    auto previous = [&](const std::string& value) {
        return ui.strings->format("kiosk.dashboard.previous", {{"value", value}});
    };
    tiles.push_back({"dashboard.units", ui.tr("kiosk.dashboard.kpi.units"), charts::formatCount(k.units),
                     delta(k.units, k.previousUnits) + "  \u00B7  " + previous(charts::formatCount(k.previousUnits)),
                     trend(static_cast<double>(k.units), static_cast<double>(k.previousUnits))});
    tiles.push_back({"dashboard.gross", ui.tr("kiosk.dashboard.kpi.gross"), charts::formatDollars(k.gross),
                     previous(charts::formatDollars(k.previousGross)),
                     trend(static_cast<double>(k.gross), static_cast<double>(k.previousGross))});
    tiles.push_back({"dashboard.leads", ui.tr("kiosk.dashboard.kpi.leads"), charts::formatCount(k.leads),
                     delta(k.leads, k.previousLeads) + "  \u00B7  " + previous(charts::formatCount(k.previousLeads)),
                     trend(static_cast<double>(k.leads), static_cast<double>(k.previousLeads))});
    tiles.push_back({"dashboard.conversion", ui.tr("kiosk.dashboard.kpi.conversion"), charts::formatShare(k.conversion),
                     previous(charts::formatShare(k.previousConversion)),
                     trend(k.conversion.value_or(0), k.previousConversion.value_or(0))});
    tiles.push_back({"dashboard.days_in_stock", ui.tr("kiosk.dashboard.kpi.days_in_stock"),
                     k.averageDaysInStock ? charts::formatCount(std::llround(*k.averageDaysInStock)) : "\u2013",
                     ui.strings->format("kiosk.dashboard.in_stock", {{"count", charts::formatCount(k.stockUnits)}})});
    tiles.push_back(
        {"dashboard.overdue", ui.tr("kiosk.dashboard.kpi.overdue"), charts::formatCount(k.followUpsOverdue),
         ui.strings->format("kiosk.dashboard.due_today", {{"count", charts::formatCount(k.followUpsDueToday)}}),
         k.followUpsOverdue > 0 ? theme::kWarning : theme::kTextMuted});
    const bool portrait = avail.y > avail.x;
    const std::size_t perRow = portrait ? 3 : tiles.size();
    const float tileW = (right - left - gap * static_cast<float>(perRow - 1)) / static_cast<float>(perRow);
    const float tileH = ui.px(136);
    for (std::size_t i = 0; i < tiles.size(); ++i) {
        const float x = left + static_cast<float>(i % perRow) * (tileW + gap);
        const float ty = y + static_cast<float>(i / perRow) * (tileH + gap);
        kpiTile(ui, tiles[i], ImVec2(x, ty), ImVec2(x + tileW, ty + tileH));
    }
    y += static_cast<float>((tiles.size() + perRow - 1) / perRow) * (tileH + gap);
    ui.probes["dashboard.gross_cents"] = std::to_string(k.gross);

    // Charts: two by two (landscape), one above the other (portrait).
    const float chartW = portrait ? right - left : (right - left - gap) / 2;
    const float chartH = portrait ? (bottom - y - 3 * gap) / 4 : (bottom - y - gap) / 2;
    auto cell = [&](int i) {
        const float cx = portrait ? left : left + static_cast<float>(i % 2) * (chartW + gap);
        const float cy =
            portrait ? y + static_cast<float>(i) * (chartH + gap) : y + static_cast<float>(i / 2) * (chartH + gap);
        return std::pair(ImVec2(cx, cy), ImVec2(cx + chartW, cy + chartH));
    };
    auto inner = [](ImVec4 r) { return std::pair(ImVec2(r.x, r.y), ImVec2(r.z, r.w)); };

    // 1. Sales by day or week: units, the gross in the callout.
    {
        std::vector<ui::ChartItem> bars;
        std::int64_t total = 0;
        for (const auto& b : d.salesByTime) {
            const std::string label = bucketLabel(ui, b, d.granularity);
            total += b.figures.units;
            bars.push_back(
                {label, static_cast<double>(b.figures.units),
                 b.figures.units ? charts::formatCount(b.figures.units) : "",
                 ui.strings->format("kiosk.dashboard.sales_detail",
                                    {{"when", d.granularity == reports::Granularity::Day ? b.start : b.bucket},
                                     {"units", charts::formatCount(b.figures.units)},
                                     {"gross", charts::formatDollars(b.figures.totalGross)}})});
        }
        const auto [a, b] = cell(0);
        const auto [pmin, pmax] = inner(
            ui::chartCard(ui, a, b,
                          ui.tr(d.granularity == reports::Granularity::Day ? "kiosk.dashboard.chart.sales_by_day"
                                                                           : "kiosk.dashboard.chart.sales_by_week"),
                          ui.strings->format("kiosk.dashboard.units_total", {{"count", charts::formatCount(total)}})));
        int& sel = state.chartSelection.try_emplace("sales", -1).first->second;
        ui::barChart(ui, "dashboard.sales", pmin, pmax, bars, {}, sel);
        ui.probes["dashboard.sales.bars"] = std::to_string(bars.size());
        ui.probes["dashboard.sales.selected"] =
            sel >= 0 ? d.salesByTime[static_cast<std::size_t>(sel)].bucket + " " +
                           std::to_string(d.salesByTime[static_cast<std::size_t>(sel)].figures.units)
                     : "none";
    }

    // 2. Monthly units: the last twelve months, then the forecast with its 80 % band.
    {
        const auto& fc = d.forecast;
        const std::size_t n = fc.history.size(), shown = std::min<std::size_t>(n, 12);
        std::vector<ui::ChartItem> actual, forecast;
        std::vector<double> low, high;
        for (std::size_t i = n - shown; i < n; ++i) {
            const std::string ym = addMonth(fc.firstMonth, static_cast<int>(i));
            actual.push_back({monthLabel(ui, ym), fc.history[i], "",
                              ui.strings->format("kiosk.dashboard.month_detail",
                                                 {{"month", ym}, {"units", units(ui, fc.history[i])}})});
        }
        const bool ok = fc.forecast.status == core::analytics::ForecastStatus::Ok && !fc.forecast.points.empty();
        if (ok && !actual.empty()) {
            // The band fans out from the last month sold.
            forecast.push_back(actual.back());
            low.push_back(fc.history.back());
            high.push_back(fc.history.back());
            for (std::size_t i = 0; i < fc.forecast.points.size() && i < fc.months.size(); ++i) {
                const auto& p = fc.forecast.points[i];
                forecast.push_back({monthLabel(ui, fc.months[i]), p.value, "",
                                    ui.strings->format("kiosk.dashboard.forecast_detail",
                                                       {{"month", fc.months[i]},
                                                        {"units", units(ui, p.value)},
                                                        {"low", charts::formatCount(std::llround(p.low))},
                                                        {"high", charts::formatCount(std::llround(p.high))}})});
                low.push_back(p.low);
                high.push_back(p.high);
            }
        }
        std::string note;
        if (ok)
            note = ui.strings->format("kiosk.dashboard.forecast_next",
                                      {{"units", charts::formatCount(std::llround(fc.forecast.points.front().value))},
                                       {"low", charts::formatCount(std::llround(fc.forecast.points.front().low))},
                                       {"high", charts::formatCount(std::llround(fc.forecast.points.front().high))}});
        const auto [a, b] = cell(1);
        auto [pmin, pmax] = inner(ui::chartCard(ui, a, b, ui.tr("kiosk.dashboard.chart.forecast"), note));
        if (!ok) {
            // Too little history: said so, in words, above the months there are.
            ImFont* f = theme::font(Font::Small);
            const std::string why = ui.strings->format(
                "kiosk.dashboard.forecast_too_short",
                {{"months", std::to_string(n)}, {"needed", std::to_string(core::analytics::kMinHistoryMonths)}});
            ImGui::GetWindowDrawList()->AddText(f, f->FontSize, pmin, theme::kWarning, why.c_str(), nullptr,
                                                pmax.x - pmin.x);
            pmin.y += f->CalcTextSizeA(f->FontSize, 1e9f, pmax.x - pmin.x, why.c_str()).y + ui.px(theme::kSpace1);
        } else if (!fc.forecast.seasonal) {
            // Under two years the forecast is the trend alone: said so under the chart.
            ImFont* f = theme::font(Font::Small);
            const std::string why =
                ui.strings->format("kiosk.dashboard.forecast_trend_only",
                                   {{"needed", std::to_string(core::analytics::kSeasonalHistoryMonths)}});
            pmax.y -= f->CalcTextSizeA(f->FontSize, 1e9f, pmax.x - pmin.x, why.c_str()).y + ui.px(theme::kSpace1);
            ImGui::GetWindowDrawList()->AddText(f, f->FontSize, ImVec2(pmin.x, pmax.y + ui.px(theme::kSpace1)),
                                                theme::kTextMuted, why.c_str(), nullptr, pmax.x - pmin.x);
        }
        int& sel = state.chartSelection.try_emplace("forecast", -1).first->second;
        if (!actual.empty())
            ui::lineChart(ui, "dashboard.forecast", pmin, pmax, actual, forecast, low, high, ok ? 1 : 0, {}, sel);
        ui.probes["dashboard.forecast"] =
            ok ? charts::formatCount(std::llround(fc.forecast.points.front().value)) : std::string("too_short");
    }

    // 3. The funnel of the period's leads, with the conversion to the next stage at the right.
    {
        std::vector<ui::ChartItem> rows;
        std::vector<std::string> notes;
        for (std::size_t i = 0; i < d.funnel.size(); ++i) {
            const auto& s = d.funnel[i];
            const std::string stage = ui.tr("kiosk.stage." + std::string(core::toString(s.stage)));
            rows.push_back({stage, static_cast<double>(s.leads), charts::formatCount(s.leads),
                            ui.strings->format("kiosk.dashboard.funnel_detail",
                                               {{"stage", stage}, {"count", charts::formatCount(s.leads)}})});
            notes.push_back(i < d.conversions.size()
                                ? ui.strings->format("kiosk.dashboard.conversion_next",
                                                     {{"share", charts::formatShare(d.conversions[i].rate)}})
                                : "");
        }
        const auto [a, b] = cell(2);
        const auto [pmin, pmax] = inner(ui::chartCard(
            ui, a, b, ui.tr("kiosk.dashboard.chart.funnel"),
            ui.strings->format("kiosk.dashboard.leads_total", {{"count", charts::formatCount(k.leads)}})));
        int& sel = state.chartSelection.try_emplace("funnel", -1).first->second;
        ui::funnelChart(ui, "dashboard.funnel", pmin, pmax, rows, notes, sel);
        ui.probes["dashboard.funnel.inquiry"] = d.funnel.empty() ? "0" : std::to_string(d.funnel.front().leads);
    }

    // 4. Stock aging: cars per bucket of days in stock, the capital tied up in the callout.
    {
        std::vector<ui::ChartItem> bins;
        core::Cents capital = 0;
        for (const auto& bkt : d.aging) {
            const std::string label =
                bkt.toDays ? ui.strings->format("kiosk.dashboard.days_range", {{"from", std::to_string(bkt.fromDays)},
                                                                               {"to", std::to_string(*bkt.toDays)}})
                           : std::to_string(bkt.fromDays - 1) + "+";
            capital += bkt.capital;
            bins.push_back({ui.strings->format("kiosk.dashboard.days_label", {{"days", label}}),
                            static_cast<double>(bkt.units), charts::formatCount(bkt.units),
                            ui.strings->format("kiosk.dashboard.aging_detail",
                                               {{"days", label},
                                                {"units", charts::formatCount(bkt.units)},
                                                {"capital", charts::formatDollars(bkt.capital)}})});
        }
        const auto [a, b] = cell(3);
        const auto [pmin, pmax] = inner(ui::chartCard(
            ui, a, b, ui.tr("kiosk.dashboard.chart.aging"),
            ui.strings->format("kiosk.dashboard.capital_total", {{"capital", charts::formatDollars(capital)}})));
        int& sel = state.chartSelection.try_emplace("aging", -1).first->second;
        ui::barChart(ui, "dashboard.aging", pmin, pmax, bins, {}, sel, 0.06f, theme::kAccentPressed);
        ui.probes["dashboard.aging.selected"] = sel >= 0 ? bins[static_cast<std::size_t>(sel)].detail : "none";
    }
    ImGui::End();
}

} // namespace showroom::kiosk::screens
