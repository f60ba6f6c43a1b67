#pragma once
// The dashboard's charts, drawn with ImDrawList in the theme's colours and fonts (Latin and Chinese
// alike): a vertical bar chart (also the aging histogram), a line chart with a shaded interval band,
// and a horizontal funnel. The geometry comes from chart_geometry.hpp (tested without a window).
//
// Touch: every bar, point or funnel row owns a whole column or row as its hit area (registered as a
// target "<id>.<index>", so scripts can tap it); a tap shows that item's value in a callout, a second
// tap hides it. Nothing depends on hover. `selected` (-1: none) is the caller's drawing state.
// Thread: main thread, inside an ImGui frame.

#include "widgets.hpp"

#include <functional>
#include <string>
#include <vector>

namespace showroom::kiosk::ui {

/// One bar, point or funnel row.
struct ChartItem {
    std::string label; ///< category under the axis ("3 Nov", "0–30", a stage name)
    double value = 0;
    std::string short_; ///< drawn on the bar when there is room ("4", "$12k"); "" for none
    std::string detail; ///< the callout on tap ("3 Nov: 4 cars, $12,340 gross")
};

struct ChartAxis {
    bool integers = true;                        ///< counts: ticks at whole numbers
    std::function<std::string(double)> tickText; ///< empty: charts::formatTick
};

/// A card with a title (and a muted note at its right) around a chart; returns the area inside.
ImVec4 chartCard(Ui& ui, ImVec2 min, ImVec2 max, const std::string& title, const std::string& note = "");

/// Vertical bars in `min..max` with a labelled value axis and category labels (thinned when crowded).
/// `gapFraction` 0.3 for a bar chart, ~0.06 for a histogram's touching bins. `color` fills the bars.
void barChart(Ui& ui, const std::string& id, ImVec2 min, ImVec2 max, const std::vector<ChartItem>& bars,
              const ChartAxis& axis, int& selected, float gapFraction = 0.3f, ImU32 color = 0);

/// A line over `actual` (solid) continued by `forecast` (dashed) inside its `low..high` band; the
/// forecast's first point may repeat the last actual one so the band fans out from it. Slots: actual
/// then forecast items minus `overlap` (1 when the first forecast item is the last actual one).
void lineChart(Ui& ui, const std::string& id, ImVec2 min, ImVec2 max, const std::vector<ChartItem>& actual,
               const std::vector<ChartItem>& forecast, const std::vector<double>& low, const std::vector<double>& high,
               std::size_t overlap, const ChartAxis& axis, int& selected);

/// A horizontal funnel: one centred bar per row, widest first, the row's label at the left and
/// `rightNotes[i]` (conversion to the next row, ...) at the right.
void funnelChart(Ui& ui, const std::string& id, ImVec2 min, ImVec2 max, const std::vector<ChartItem>& rows,
                 const std::vector<std::string>& rightNotes, int& selected);

} // namespace showroom::kiosk::ui
