#pragma once
// The monthly report on paper: HaruReportRenderer draws a month's reports (core/reports.hpp,
// core/analytics.hpp) as a PDF with libharu 2.3.0, US Letter, English or Simplified Chinese
// (MonthlyReport::language "en" / "zh-CN"): key figures, units sold per day or week as bars, the lead
// funnel, the inventory aging histogram and the sales forecast with its 80 % band. Charts are vector
// graphics (no images).
//
// Rules:
//  - Figures are printed, never computed: every number comes from the report structs as given (a share
//    such as a conversion rate is printed as the report states it; bar lengths scale the given counts).
//  - Deterministic: equal reports give equal bytes. No clock, no document ID, no creation date; fonts
//    and objects are written in a fixed order (as the contract renderer does).
//  - Errors are values: a libharu error handler records the first error and the renderer checks it after
//    each group of calls. An unreadable font is InvalidInput naming the file, an unknown language
//    InvalidInput, any other libharu failure Internal.
//  - Threads: each call creates and frees its own HPDF document; any thread may call, several at once.

#include "showroom/core/analytics.hpp"
#include "showroom/core/reports.hpp"
#include "showroom/core/result.hpp"
#include "showroom/devices/pdf/contract_pdf.hpp"

#include <string>
#include <utility>

namespace showroom::devices::pdf {

/// What one monthly report shows; the caller reads it from the store (`showroom report pdf` does).
struct MonthlyReport {
    std::string language = "en";             ///< "en" or "zh-CN"
    std::string showroom;                    ///< printed under the title and in the footer; may be ""
    std::string month;                       ///< "YYYY-MM", the month reported on
    core::reports::SalesReport sales;        ///< the month (to date); byTime is the bar chart
    core::reports::FunnelReport funnel;      ///< the month's lead cohort
    core::reports::AgingReport aging;        ///< the stock at the report's as-of time
    core::reports::TurnRate turn;            ///< over the same period as `sales`
    core::analytics::SalesForecast forecast; ///< its `total` series is drawn
};

struct RenderedReport {
    std::string pdf; ///< the PDF bytes
    int pages = 0;
};

class HaruReportRenderer {
public:
    /// The contract's fonts: DejaVu for Latin text, AR PL UMing for zh-CN and for CJK characters in names.
    using Fonts = HaruContractRenderer::Fonts;

    HaruReportRenderer() = default;
    explicit HaruReportRenderer(Fonts fonts) : m_fonts(std::move(fonts)) {}

    /// The PDF of `report`; see the rules above for failures.
    core::Result<RenderedReport> render(const MonthlyReport& report) const;

private:
    Fonts m_fonts;
};

} // namespace showroom::devices::pdf
