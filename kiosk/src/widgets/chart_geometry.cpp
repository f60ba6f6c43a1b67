#include "chart_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace showroom::kiosk::charts {

namespace {

double finite(double v) {
    return std::isfinite(v) ? v : 0.0;
}

std::string withSeparators(std::uint64_t v) {
    std::string digits = std::to_string(v), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::uint64_t magnitude(std::int64_t v) {
    // -INT64_MIN does not fit; its magnitude does in unsigned arithmetic.
    return v < 0 ? std::uint64_t(0) - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
}

} // namespace

double niceStep(double range, int maxSteps, bool integers) {
    range = finite(range);
    maxSteps = std::max(1, maxSteps);
    if (range <= 0) return 1;
    const double raw = range / maxSteps;
    double power = std::pow(10.0, std::floor(std::log10(raw)));
    double step = power;
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        step = m * power;
        // A hair of tolerance: 0.3 / 3 must give 0.1, not 0.2, despite binary rounding.
        if (step >= raw * (1 - 1e-9)) break;
    }
    if (integers) step = std::max(1.0, std::round(step));
    return step;
}

Scale niceScale(double lo, double hi, int maxTicks, bool integers, bool fromZero) {
    lo = finite(lo);
    hi = finite(hi);
    if (lo > hi) std::swap(lo, hi);
    if (fromZero) {
        lo = std::min(lo, 0.0);
        hi = std::max(hi, 0.0);
    }
    if (hi - lo <= 0) {
        // Flat: all zeros gives 0..1, a flat non-zero value a band around it.
        if (lo == 0)
            hi = 1;
        else if (fromZero && lo > 0)
            lo = 0;
        else if (fromZero && hi < 0)
            hi = 0;
        else {
            lo -= 1;
            hi += 1;
        }
    }
    const int steps = std::max(1, maxTicks - 1);
    Scale s;
    s.step = niceStep(hi - lo, steps, integers);
    // Widening the ends to whole steps can need one step more than planned: take the next nice step.
    for (int guard = 0; guard < 8; ++guard) {
        s.min = std::floor(lo / s.step + 1e-9) * s.step;
        s.max = std::ceil(hi / s.step - 1e-9) * s.step;
        if (std::llround((s.max - s.min) / s.step) <= steps) break;
        s.step = niceStep(s.step * 1.5 * steps, steps, integers);
    }
    if (s.max <= s.min) s.max = s.min + s.step;
    s.ticks.clear();
    const long long n = std::llround((s.max - s.min) / s.step);
    for (long long i = 0; i <= n; ++i) {
        double t = s.min + static_cast<double>(i) * s.step;
        if (std::abs(t) < s.step * 1e-9) t = 0; // no "-0"
        s.ticks.push_back(t);
    }
    return s;
}

float toPixel(const Scale& scale, double value, float pixelAtMin, float pixelAtMax) {
    const double span = scale.max - scale.min;
    if (!(span > 0)) return pixelAtMin;
    const double t = std::clamp((finite(value) - scale.min) / span, 0.0, 1.0);
    return static_cast<float>(pixelAtMin + (pixelAtMax - pixelAtMin) * t);
}

std::vector<Rect> slots(const Rect& plot, std::size_t n) {
    std::vector<Rect> out;
    if (n == 0) return out;
    out.reserve(n);
    const float w = plot.width() / static_cast<float>(n);
    for (std::size_t i = 0; i < n; ++i) {
        const float x0 = plot.x0 + w * static_cast<float>(i);
        // The last slot ends exactly on the plot's edge, whatever the float rounding.
        const float x1 = i + 1 == n ? plot.x1 : plot.x0 + w * static_cast<float>(i + 1);
        out.push_back({x0, plot.y0, x1, plot.y1});
    }
    return out;
}

std::vector<Rect> barRects(const Rect& plot, const Scale& scale, std::span<const double> values, float gapFraction) {
    std::vector<Rect> out;
    const auto columns = slots(plot, values.size());
    gapFraction = std::clamp(gapFraction, 0.0f, 0.9f);
    const double base = std::clamp(0.0, scale.min, scale.max);
    const float baseY = toPixel(scale, base, plot.y1, plot.y0);
    for (std::size_t i = 0; i < values.size(); ++i) {
        const Rect& c = columns[i];
        const float inset = c.width() * gapFraction / 2;
        const float y = toPixel(scale, values[i], plot.y1, plot.y0);
        out.push_back({c.x0 + inset, std::min(y, baseY), c.x1 - inset, std::max(y, baseY)});
    }
    return out;
}

std::vector<Rect> funnelRects(const Rect& plot, std::span<const double> values, float gap, float minWidth) {
    std::vector<Rect> out;
    if (values.empty()) return out;
    const float n = static_cast<float>(values.size());
    gap = std::max(0.0f, gap);
    const float rowH = std::max(0.0f, (plot.height() - gap * (n - 1)) / n);
    double largest = 0;
    for (double v : values)
        largest = std::max(largest, finite(v));
    const float cx = (plot.x0 + plot.x1) / 2;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double v = std::max(0.0, finite(values[i]));
        float w = largest > 0 ? static_cast<float>(v / largest) * plot.width() : 0.0f;
        if (v > 0) w = std::min(plot.width(), std::max(w, minWidth));
        const float y0 = plot.y0 + static_cast<float>(i) * (rowH + gap);
        out.push_back({cx - w / 2, y0, cx + w / 2, y0 + rowH});
    }
    return out;
}

std::vector<Point> linePoints(const Rect& plot, const Scale& scale, std::span<const double> values,
                              std::size_t firstSlot, std::size_t count) {
    std::vector<Point> out;
    if (count == 0) return out;
    const float w = plot.width() / static_cast<float>(count);
    for (std::size_t i = 0; i < values.size(); ++i) {
        const float x = plot.x0 + w * (static_cast<float>(firstSlot + i) + 0.5f);
        out.push_back({x, toPixel(scale, values[i], plot.y1, plot.y0)});
    }
    return out;
}

std::vector<Point> bandOutline(const Rect& plot, const Scale& scale, std::span<const double> low,
                               std::span<const double> high, std::size_t firstSlot, std::size_t count) {
    if (low.size() != high.size()) return {};
    auto out = linePoints(plot, scale, high, firstSlot, count);
    auto bottom = linePoints(plot, scale, low, firstSlot, count);
    out.insert(out.end(), bottom.rbegin(), bottom.rend());
    return out;
}

std::optional<std::size_t> hitTest(std::span<const Rect> rects, Point p) {
    for (std::size_t i = 0; i < rects.size(); ++i)
        if (rects[i].contains(p)) return i;
    return std::nullopt;
}

std::size_t labelStride(float slotWidth, float labelWidth, float minGap) {
    if (!(slotWidth > 0)) return 1;
    const float need = std::max(0.0f, labelWidth) + std::max(0.0f, minGap);
    return std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(need / slotWidth - 1e-4f)));
}

Rect placeCallout(Point anchor, Point size, const Rect& bounds, float offset) {
    float x0 = anchor.x - size.x / 2;
    float y0 = anchor.y - offset - size.y;
    if (y0 < bounds.y0) y0 = anchor.y + offset; // no room above: below the anchor
    x0 = std::clamp(x0, bounds.x0, std::max(bounds.x0, bounds.x1 - size.x));
    y0 = std::clamp(y0, bounds.y0, std::max(bounds.y0, bounds.y1 - size.y));
    return {x0, y0, x0 + size.x, y0 + size.y};
}

std::string formatCount(std::int64_t value) {
    return (value < 0 ? "-" : "") + withSeparators(magnitude(value));
}

std::string formatDollars(std::int64_t cents) {
    const std::uint64_t m = magnitude(cents);
    const std::uint64_t dollars = m / 100 + (m % 100 >= 50 ? 1 : 0);
    return (cents < 0 && dollars > 0 ? "-$" : "$") + withSeparators(dollars);
}

std::string formatDollarsShort(std::int64_t cents) {
    const double dollars = static_cast<double>(cents) / 100.0;
    const double a = std::abs(dollars);
    const char* sign = dollars < 0 ? "-" : "";
    auto unit = [&](double v, const char* suffix) {
        char buf[32];
        if (v < 9.95 && std::abs(v - std::round(v)) >= 0.05)
            std::snprintf(buf, sizeof buf, "%s$%.1f%s", sign, v, suffix);
        else
            std::snprintf(buf, sizeof buf, "%s$%.0f%s", sign, v, suffix);
        return std::string(buf);
    };
    if (a >= 999'500'000) return unit(a / 1e9, "B");
    if (a >= 999'500) return unit(a / 1e6, "M");
    if (a >= 1'000) return unit(a / 1e3, "k");
    return unit(std::round(a), "");
}

std::string formatShare(std::optional<double> share) {
    if (!share || !std::isfinite(*share)) return "\u2013";
    return std::to_string(std::llround(*share * 100)) + " %";
}

std::string formatTick(double value, double step) {
    if (std::abs(step - std::round(step)) < 1e-9 && std::abs(value - std::round(value)) < 1e-9)
        return formatCount(std::llround(value));
    const int decimals = std::clamp(static_cast<int>(std::ceil(-std::log10(step) - 1e-9)), 0, 6);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return buf;
}

} // namespace showroom::kiosk::charts
