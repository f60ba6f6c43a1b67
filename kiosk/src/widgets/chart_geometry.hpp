#pragma once
// The maths behind the dashboard's charts, kept apart from drawing so it is tested without a window:
// value axes with "nice" ticks, value -> pixel mapping, bar, histogram and funnel rectangles, line
// points and the shaded interval band, tap hit-testing, label thinning and callout placement.
// Pixel coordinates grow right and down (as ImGui's do). Nothing here includes ImGui.
// Thread: any (pure functions).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace showroom::kiosk::charts {

struct Point {
    float x = 0, y = 0;
};

struct Rect {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0; ///< top-left and bottom-right
    float width() const { return x1 - x0; }
    float height() const { return y1 - y0; }
    bool contains(Point p) const { return p.x >= x0 && p.x < x1 && p.y >= y0 && p.y < y1; }
};

/// A value axis: from `min` to `max` in steps of `step`; `ticks` are min, min + step, ..., max.
struct Scale {
    double min = 0, max = 1, step = 1;
    std::vector<double> ticks;
};

/// The smallest "nice" step (1, 2 or 5 times a power of ten) that covers `range` in at most `maxSteps`
/// steps. `integers` keeps the step at 1 or more (counts of cars). range <= 0 gives 1.
double niceStep(double range, int maxSteps, bool integers = false);

/// An axis covering [lo, hi] (in any order) with at most `maxTicks` - 1 steps, ends on multiples of
/// the step; it always includes 0 when `fromZero` (bars grow from zero). An empty or flat range
/// (all zeros) still gives a usable axis 0..1 (or lo - 1 .. lo + 1). Non-finite inputs count as 0.
Scale niceScale(double lo, double hi, int maxTicks = 5, bool integers = false, bool fromZero = true);

/// Where `value` falls between `pixelAtMin` (value == scale.min) and `pixelAtMax` (value == scale.max);
/// values outside the scale are clamped to its ends.
float toPixel(const Scale& scale, double value, float pixelAtMin, float pixelAtMax);

/// `n` equal columns across `plot`, side by side, covering it exactly: the tap targets of a bar chart or
/// histogram (a whole column, plot top to bottom, so a short bar is as easy to hit as a tall one).
std::vector<Rect> slots(const Rect& plot, std::size_t n);

/// Vertical bars, one per value, centred in their slot, `gapFraction` (0..0.9) of the slot left empty
/// between neighbours, growing up from the value 0 (or the scale's min, if above 0). A zero value has a
/// zero-height bar. Negative values hang down from 0.
std::vector<Rect> barRects(const Rect& plot, const Scale& scale, std::span<const double> values,
                           float gapFraction = 0.3f);

/// Horizontal funnel bars, one row per value top to bottom, each centred and as wide as its share of
/// the largest value (the largest spans `plot`); a non-zero value is at least `minWidth` wide so it stays
/// visible. Rows are `gap` apart.
std::vector<Rect> funnelRects(const Rect& plot, std::span<const double> values, float gap, float minWidth = 2.0f);

/// Points of a line chart: value i at the centre of slot i of `count` slots across `plot` (so a line
/// and a bar chart of the same series line up).
std::vector<Point> linePoints(const Rect& plot, const Scale& scale, std::span<const double> values,
                              std::size_t firstSlot, std::size_t count);

/// The closed outline of an interval band: the `high` points left to right, then the `low` points right
/// to left. `low` and `high` have the same size (else the result is empty).
std::vector<Point> bandOutline(const Rect& plot, const Scale& scale, std::span<const double> low,
                               std::span<const double> high, std::size_t firstSlot, std::size_t count);

/// Index of the rectangle containing `p`, if any.
std::optional<std::size_t> hitTest(std::span<const Rect> rects, Point p);

/// Show every k-th category label so labels `labelWidth` wide, `minGap` apart, fit slots `slotWidth`
/// wide: k = 1 when they fit side by side. Always >= 1.
std::size_t labelStride(float slotWidth, float labelWidth, float minGap);

/// A box of `size` placed centred above `anchor` (its bottom `offset` above it), moved inside `bounds`;
/// below the anchor when there is no room above. The box never leaves `bounds` unless it is larger.
Rect placeCallout(Point anchor, Point size, const Rect& bounds, float offset);

/// "12,345", "-1,200": whole numbers with thousands separators.
std::string formatCount(std::int64_t value);
/// Whole dollars from cents, rounded half away from zero: "$1,234,568", "-$42".
std::string formatDollars(std::int64_t cents);
/// Short dollars for axis ticks: "$0", "$950", "$12k", "$1.5M" (one decimal below 10 units, trailing .0 dropped).
std::string formatDollarsShort(std::int64_t cents);
/// A 0..1 share as a whole percentage, "37 %"; "–" (an en dash) when there is none.
std::string formatShare(std::optional<double> share);
/// A tick value as the axis shows it: integers without decimals, others with as few as the step needs.
std::string formatTick(double value, double step);

} // namespace showroom::kiosk::charts
