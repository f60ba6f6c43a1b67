#include "charts.hpp"

#include "chart_geometry.hpp"
#include "theme.hpp"

#include <algorithm>
#include <cmath>

namespace showroom::kiosk::ui {

namespace {

using theme::Font;

constexpr ImU32 kGrid = IM_COL32(255, 255, 255, 22);
constexpr ImU32 kAxis = IM_COL32(255, 255, 255, 60);
constexpr ImU32 kBand = IM_COL32(0x3D, 0x7B, 0xFF, 70);
// A lighter accent for the selected bar: the accent mixed a quarter of the way to white.
constexpr ImU32 kAccentLight = IM_COL32(0x6E, 0x9C, 0xFF, 0xFF);

charts::Rect rect(ImVec2 a, ImVec2 b) {
    return {a.x, a.y, b.x, b.y};
}
ImVec2 vec(charts::Point p) {
    return ImVec2(p.x, p.y);
}

float textWidth(ImFont* f, const std::string& s) {
    return f->CalcTextSizeA(f->FontSize, 1e9f, 0, s.c_str()).x;
}

std::string tickLabel(const ChartAxis& axis, double v, double step) {
    return axis.tickText ? axis.tickText(v) : charts::formatTick(v, step);
}

// The left gutter a value axis needs: its widest tick label plus a gap.
float gutterFor(Ui& ui, const charts::Scale& scale, const ChartAxis& axis) {
    ImFont* f = theme::font(Font::Small);
    float w = 0;
    for (double t : scale.ticks)
        w = std::max(w, textWidth(f, tickLabel(axis, t, scale.step)));
    return w + ui.px(12);
}

void valueAxis(Ui& ui, ImDrawList* dl, const charts::Rect& plot, const charts::Scale& scale, const ChartAxis& axis) {
    ImFont* f = theme::font(Font::Small);
    for (double t : scale.ticks) {
        const float y = std::round(charts::toPixel(scale, t, plot.y1, plot.y0));
        dl->AddLine(ImVec2(plot.x0, y), ImVec2(plot.x1, y), t == 0 ? kAxis : kGrid, ui.px(1));
        const std::string s = tickLabel(axis, t, scale.step);
        dl->AddText(f, f->FontSize, ImVec2(plot.x0 - ui.px(8) - textWidth(f, s), y - f->FontSize / 2),
                    theme::kTextMuted, s.c_str());
    }
}

// Category labels under the plot, every `stride`-th one, each kept inside [left, right].
void categoryLabels(Ui& ui, ImDrawList* dl, const std::vector<charts::Rect>& columns,
                    const std::vector<ChartItem>& items, float y, float left, float right) {
    ImFont* f = theme::font(Font::Small);
    float widest = 0;
    for (const auto& it : items)
        widest = std::max(widest, textWidth(f, it.label));
    const float slotW = columns.empty() ? 0 : columns.front().width();
    const std::size_t stride = charts::labelStride(slotW, widest, ui.px(12));
    for (std::size_t i = 0; i < items.size() && i < columns.size(); i += stride) {
        const float w = textWidth(f, items[i].label);
        const float cx = (columns[i].x0 + columns[i].x1) / 2;
        const float x = std::clamp(cx - w / 2, left, std::max(left, right - w));
        dl->AddText(f, f->FontSize, ImVec2(std::floor(x), y), theme::kTextMuted, items[i].label.c_str());
    }
}

// The value of a tapped item: a raised box with the detail text, above the anchor, inside `bounds`.
void callout(Ui& ui, ImDrawList* dl, charts::Point anchor, const std::string& text, const charts::Rect& bounds) {
    ImFont* f = theme::font(Font::Body);
    const ImVec2 size = f->CalcTextSizeA(f->FontSize, 1e9f, 0, text.c_str());
    const float pad = ui.px(theme::kSpace1 + 4);
    const charts::Rect box = charts::placeCallout(anchor, {size.x + 2 * pad, size.y + 2 * pad}, bounds, ui.px(10));
    dl->AddRectFilled(ImVec2(box.x0, box.y0), ImVec2(box.x1, box.y1), theme::kSurfaceRaised,
                      ui.px(theme::kRadiusButton));
    dl->AddRect(ImVec2(box.x0, box.y0), ImVec2(box.x1, box.y1), theme::kAccent, ui.px(theme::kRadiusButton), 0,
                ui.px(2));
    dl->AddText(f, f->FontSize, ImVec2(box.x0 + pad, box.y0 + pad), theme::kText, text.c_str());
}

// Registers the tap areas; a tap toggles the selection.
void tapColumns(Ui& ui, const std::string& id, const std::vector<charts::Rect>& areas,
                const std::vector<ChartItem>& items, int& selected) {
    for (std::size_t i = 0; i < areas.size() && i < items.size(); ++i) {
        const auto& a = areas[i];
        if (tapArea(ui, id + "." + std::to_string(i), items[i].label, ImVec2(a.x0, a.y0), ImVec2(a.x1, a.y1)))
            selected = selected == static_cast<int>(i) ? -1 : static_cast<int>(i);
    }
    if (selected >= static_cast<int>(items.size())) selected = -1;
}

} // namespace

ImVec4 chartCard(Ui& ui, ImVec2 min, ImVec2 max, const std::string& title, const std::string& note) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(min, max, theme::kSurface, ui.px(theme::kRadiusCard));
    const float pad = ui.px(theme::kSpace2);
    ImFont* head = theme::font(Font::Body);
    dl->AddText(head, head->FontSize, ImVec2(min.x + pad, min.y + pad), theme::kText, title.c_str());
    if (!note.empty()) {
        ImFont* f = theme::font(Font::Small);
        const float titleRight = min.x + pad + textWidth(head, title) + ui.px(theme::kSpace2);
        const float x = std::max(titleRight, max.x - pad - textWidth(f, note));
        dl->PushClipRect(ImVec2(titleRight, min.y), ImVec2(max.x - pad, max.y), true);
        dl->AddText(f, f->FontSize, ImVec2(x, min.y + pad + (head->FontSize - f->FontSize) / 2), theme::kTextMuted,
                    note.c_str());
        dl->PopClipRect();
    }
    return ImVec4(min.x + pad, min.y + pad + head->FontSize + ui.px(theme::kSpace2), max.x - pad, max.y - pad);
}

void barChart(Ui& ui, const std::string& id, ImVec2 min, ImVec2 max, const std::vector<ChartItem>& bars,
              const ChartAxis& axis, int& selected, float gapFraction, ImU32 color) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImFont* f = theme::font(Font::Small);
    double hi = 0;
    for (const auto& b : bars)
        hi = std::max(hi, b.value);
    const charts::Scale scale = charts::niceScale(0, hi, 5, axis.integers);
    // Room above the tallest bar for its value, below the plot for the category labels.
    const charts::Rect plot{min.x + gutterFor(ui, scale, axis), min.y + f->FontSize / 2 + ui.px(4), max.x,
                            max.y - f->FontSize - ui.px(10)};
    if (plot.width() <= 0 || plot.height() <= 0) return;
    valueAxis(ui, dl, plot, scale, axis);
    std::vector<double> values;
    for (const auto& b : bars)
        values.push_back(b.value);
    const auto rects = charts::barRects(plot, scale, values, gapFraction);
    const auto columns = charts::slots(plot, bars.size());
    tapColumns(ui, id, columns, bars, selected);
    if (!color) color = theme::kAccent;
    // Value labels on every bar only when each fits over its own bar.
    float widestValue = 0;
    for (const auto& b : bars)
        widestValue = std::max(widestValue, textWidth(f, b.short_));
    const bool everyValue =
        !columns.empty() && charts::labelStride(columns.front().width(), widestValue, ui.px(4)) == 1;
    for (std::size_t i = 0; i < rects.size(); ++i) {
        const auto& r = rects[i];
        const bool sel = static_cast<int>(i) == selected;
        if (r.height() > 0)
            dl->AddRectFilled(ImVec2(r.x0, r.y0), ImVec2(r.x1, r.y1), sel ? kAccentLight : color,
                              std::min(ui.px(4), r.width() / 2), ImDrawFlags_RoundCornersTop);
        if (everyValue && !bars[i].short_.empty() && bars[i].value != 0) {
            const float w = textWidth(f, bars[i].short_);
            dl->AddText(f, f->FontSize, ImVec2(std::floor((r.x0 + r.x1 - w) / 2), r.y0 - f->FontSize - ui.px(2)),
                        theme::kText, bars[i].short_.c_str());
        }
    }
    categoryLabels(ui, dl, columns, bars, plot.y1 + ui.px(6), min.x, max.x);
    if (selected >= 0 && static_cast<std::size_t>(selected) < rects.size()) {
        const auto& r = rects[static_cast<std::size_t>(selected)];
        callout(ui, dl, {(r.x0 + r.x1) / 2, r.y0}, bars[static_cast<std::size_t>(selected)].detail, rect(min, max));
    }
}

void lineChart(Ui& ui, const std::string& id, ImVec2 min, ImVec2 max, const std::vector<ChartItem>& actual,
               const std::vector<ChartItem>& forecast, const std::vector<double>& low, const std::vector<double>& high,
               std::size_t overlap, const ChartAxis& axis, int& selected) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImFont* f = theme::font(Font::Small);
    overlap = std::min({overlap, actual.size(), forecast.size()});
    std::vector<ChartItem> all = actual;
    all.insert(all.end(), forecast.begin() + static_cast<std::ptrdiff_t>(overlap), forecast.end());
    if (all.empty()) return;
    double hi = 0;
    for (const auto& it : all)
        hi = std::max(hi, it.value);
    for (double h : high)
        hi = std::max(hi, h);
    const charts::Scale scale = charts::niceScale(0, hi, 5, axis.integers);
    const charts::Rect plot{min.x + gutterFor(ui, scale, axis), min.y + f->FontSize / 2 + ui.px(4), max.x,
                            max.y - f->FontSize - ui.px(10)};
    if (plot.width() <= 0 || plot.height() <= 0) return;
    valueAxis(ui, dl, plot, scale, axis);
    const std::size_t count = all.size();
    const std::size_t forecastFirst = actual.size() - overlap;
    const auto columns = charts::slots(plot, count);
    tapColumns(ui, id, columns, all, selected);
    // Forecast months sit on a faintly raised background, so "what is" and "what may be" read apart.
    if (!forecast.empty() && forecastFirst + overlap < count) {
        const auto& first = columns[forecastFirst + overlap];
        dl->AddRectFilled(ImVec2(first.x0, plot.y0), ImVec2(plot.x1, plot.y1), IM_COL32(255, 255, 255, 8));
    }
    // The band: one trapezoid per step (each convex, as ImGui fills them).
    if (low.size() == forecast.size() && high.size() == forecast.size() && forecast.size() >= 2) {
        const auto top = charts::linePoints(plot, scale, high, forecastFirst, count);
        const auto bottom = charts::linePoints(plot, scale, low, forecastFirst, count);
        for (std::size_t i = 0; i + 1 < top.size(); ++i) {
            const ImVec2 quad[4] = {vec(top[i]), vec(top[i + 1]), vec(bottom[i + 1]), vec(bottom[i])};
            dl->AddConvexPolyFilled(quad, 4, kBand);
        }
    } else if (low.size() == forecast.size() && high.size() == forecast.size()) {
        const auto top = charts::linePoints(plot, scale, high, forecastFirst, count);
        const auto bottom = charts::linePoints(plot, scale, low, forecastFirst, count);
        for (std::size_t i = 0; i < top.size(); ++i)
            dl->AddRectFilled(ImVec2(top[i].x - ui.px(6), top[i].y), ImVec2(top[i].x + ui.px(6), bottom[i].y), kBand);
    }
    std::vector<double> values;
    for (const auto& it : actual)
        values.push_back(it.value);
    const auto pts = charts::linePoints(plot, scale, values, 0, count);
    for (std::size_t i = 0; i + 1 < pts.size(); ++i)
        dl->AddLine(vec(pts[i]), vec(pts[i + 1]), theme::kAccent, ui.px(3));
    for (const auto& p : pts)
        dl->AddCircleFilled(vec(p), ui.px(4), theme::kAccent);
    values.clear();
    for (const auto& it : forecast)
        values.push_back(it.value);
    const auto fpts = charts::linePoints(plot, scale, values, forecastFirst, count);
    for (std::size_t i = 0; i + 1 < fpts.size(); ++i) {
        // Dashed: eight dashes a step, whatever its length.
        for (int d = 0; d < 8; d += 2) {
            const float t0 = static_cast<float>(d) / 8, t1 = static_cast<float>(d + 1) / 8;
            const ImVec2 a(fpts[i].x + (fpts[i + 1].x - fpts[i].x) * t0, fpts[i].y + (fpts[i + 1].y - fpts[i].y) * t0);
            const ImVec2 b(fpts[i].x + (fpts[i + 1].x - fpts[i].x) * t1, fpts[i].y + (fpts[i + 1].y - fpts[i].y) * t1);
            dl->AddLine(a, b, theme::kText, ui.px(3));
        }
    }
    for (std::size_t i = overlap; i < fpts.size(); ++i) {
        dl->AddCircleFilled(vec(fpts[i]), ui.px(5), theme::kText);
        dl->AddCircleFilled(vec(fpts[i]), ui.px(3), theme::kSurface);
    }
    categoryLabels(ui, dl, columns, all, plot.y1 + ui.px(6), min.x, max.x);
    if (selected >= 0) {
        const auto s = static_cast<std::size_t>(selected);
        const charts::Point at = s < pts.size() ? pts[s] : fpts[s - forecastFirst];
        dl->AddCircle(vec(at), ui.px(9), theme::kText, 0, ui.px(2));
        callout(ui, dl, at, all[s].detail, rect(min, max));
    }
}

void funnelChart(Ui& ui, const std::string& id, ImVec2 min, ImVec2 max, const std::vector<ChartItem>& rows,
                 const std::vector<std::string>& rightNotes, int& selected) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImFont* f = theme::font(Font::Small);
    float labelW = 0, noteW = 0;
    for (const auto& r : rows)
        labelW = std::max(labelW, textWidth(f, r.label));
    for (const auto& n : rightNotes)
        noteW = std::max(noteW, textWidth(f, n));
    const float gap = ui.px(theme::kSpace2);
    const charts::Rect plot{min.x + labelW + gap, min.y, max.x - (noteW > 0 ? noteW + gap : 0), max.y};
    if (plot.width() <= 0 || plot.height() <= 0 || rows.empty()) return;
    std::vector<double> values;
    for (const auto& r : rows)
        values.push_back(r.value);
    const auto bars = charts::funnelRects(plot, values, ui.px(6), ui.px(4));
    // A whole row, label to note, is the tap area.
    std::vector<charts::Rect> areas;
    for (const auto& b : bars)
        areas.push_back({min.x, b.y0, max.x, b.y1});
    tapColumns(ui, id, areas, rows, selected);
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const auto& b = bars[i];
        const bool sel = static_cast<int>(i) == selected;
        // Later stages a shade darker, so the funnel reads top to bottom; every shade keeps white text
        // at 4.5:1 or better (the pressed accent 2F63D6 is 5:1), the light selected one takes dark text.
        const float t = rows.size() > 1 ? static_cast<float>(i) / static_cast<float>(rows.size() - 1) : 0;
        const ImU32 fill = sel ? kAccentLight
                               : IM_COL32(static_cast<int>(0x2F - 0x0C * t), static_cast<int>(0x63 - 0x1A * t),
                                          static_cast<int>(0xD6 - 0x30 * t), 0xFF);
        if (b.width() > 0) dl->AddRectFilled(ImVec2(b.x0, b.y0), ImVec2(b.x1, b.y1), fill, ui.px(6));
        const float ty = std::floor((b.y0 + b.y1 - f->FontSize) / 2);
        dl->AddText(f, f->FontSize, ImVec2(min.x, ty), theme::kTextMuted, rows[i].label.c_str());
        // The count inside the bar when it fits there, else just right of it.
        const float vw = textWidth(f, rows[i].short_);
        const bool inside = b.width() >= vw + ui.px(16);
        const float vx = inside ? std::floor((b.x0 + b.x1 - vw) / 2) : b.x1 + ui.px(8);
        dl->AddText(f, f->FontSize, ImVec2(vx, ty), inside && sel ? theme::kBackground : theme::kText,
                    rows[i].short_.c_str());
        if (i < rightNotes.size())
            dl->AddText(f, f->FontSize, ImVec2(max.x - textWidth(f, rightNotes[i]), ty), theme::kTextMuted,
                        rightNotes[i].c_str());
    }
    if (selected >= 0 && static_cast<std::size_t>(selected) < bars.size()) {
        const auto& b = bars[static_cast<std::size_t>(selected)];
        callout(ui, dl, {(b.x0 + b.x1) / 2, b.y0}, rows[static_cast<std::size_t>(selected)].detail, rect(min, max));
    }
}

} // namespace showroom::kiosk::ui
