#pragma once
// Reports: what sold, how leads moved, what sits in stock, who has calls to make. Exact figures read
// from the store; the dashboard, the CLI and the monthly PDF draw them, they never recompute them.
//
// Rules shared by every report:
//  - A Period is a range of UTC calendar days, `from` inclusive and `to` exclusive, both "YYYY-MM-DD":
//    {"2026-11-01", "2026-12-01"} is November 2026. from < to, else InvalidInput.
//  - Days, weeks and months are UTC (the showroom's timezone is not applied): a deal signed at
//    2026-11-30T23:30:00Z counts in November everywhere.
//  - "As of" times are passed in ("YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DD" = its midnight); nothing here
//    reads the wall clock, so the same store and arguments always give the same report.
//  - Money is integer cents. Every figure is computed from the rows as they are when the report runs
//    (a deal signed in October and cancelled in November has left October's figures too).
//  - Lists are in a fixed order, stated per field, so two runs print the same lines.
//  - Whose figures: a showroom's database reports its own showroom (settings local_store_id), even
//    when it holds other showrooms' rows too (the demo keeps its group's history); a database with no
//    local showroom (HQ's report copy, sync/report_replica.hpp) reports every showroom in it. A row is a
//    showroom's by its store_id: deals, leads and vehicles their own, follow-ups their lead's, test
//    drives their customer's.
//
// Threading: each function reads through the connection it is given, on that connection's thread, and
// keeps nothing. Failures: InvalidInput for a bad period or time, Storage/Busy from SQLite.

#include "showroom/core/db.hpp"
#include "showroom/core/domain.hpp"
#include "showroom/core/money.hpp"
#include "showroom/core/result.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace showroom::core::reports {

struct Period {
    std::string from; ///< first day, "YYYY-MM-DD", inclusive
    std::string to;   ///< day after the last, "YYYY-MM-DD", exclusive
};

/// InvalidInput unless both ends are dates and from < to.
Status validate(const Period& period);
/// Number of days in the period (to - from).
Result<std::int64_t> periodDays(const Period& period);

/// The showroom whose figures `db`'s reports count (see "Whose figures"); nullopt for every showroom.
Result<std::optional<std::string>> reportScope(db::Connection& db);

// ---------------------------------------------------------------------------------------------------
// Sales
//
// Which deals count: status signed or delivered (draft and cancelled never count) with signed_at in the
// period. A deal counts once, on the day it was signed, whether or not it has been delivered since.
// Per deal:
//   revenue      = price - discount (the vehicle's selling price; add-ons, fees and tax are not in it)
//   cost         = the vehicle's cost_cents, recon = its recon_cents (migration 0006)
//   front gross  = revenue - cost - recon            (may be negative: a car sold at a loss)
//   back gross   = deals.backend_gross_cents         (finance reserve and add-on income, as desked)
//   total gross  = front gross + back gross
// Trade-ins do not enter gross (the trade is a purchase of another vehicle, reported when it sells).

struct SalesFigures {
    std::int64_t units = 0;
    Cents revenue = 0, cost = 0, recon = 0;
    Cents frontGross = 0, backGross = 0, totalGross = 0;
};

enum class Granularity { Day, Week, Month };
std::string_view toString(Granularity);
Result<Granularity> parseGranularity(std::string_view);

struct TimeSales {
    std::string bucket; ///< "2026-11-03" (day), "2026-W45" (ISO 8601 week), "2026-11" (month)
    std::string start;  ///< the bucket's first day, "YYYY-MM-DD" (a week starts on Monday)
    SalesFigures figures;
};

struct SalespersonSales {
    std::string staffId; ///< "" for deals with no salesperson
    std::string name;    ///< the staff member's name; "" when unassigned or unknown
    SalesFigures figures;
};

struct ModelSales {
    std::string make, model;
    SalesFigures figures;
};

struct ConditionSales {
    Condition condition = Condition::New;
    SalesFigures figures;
};

/// One showroom's part: a showroom's own database has one, HQ's report copy every showroom that sold.
struct ShowroomSales {
    std::string storeId, code, name; ///< code and name "" for a store the database does not list
    SalesFigures figures;
};

struct SalesReport {
    Period period;
    Granularity granularity = Granularity::Month;
    SalesFigures total;
    /// Every day/week/month that overlaps the period, in time order, empty ones included (a chart's
    /// x axis). The first and last week or month may stick out of the period; only the period's deals
    /// are in them.
    std::vector<TimeSales> byTime;
    std::vector<SalespersonSales> bySalesperson; ///< units descending, then name, then id
    std::vector<ModelSales> byModel;             ///< units descending, then make, then model
    /// new, used, certified in that order, always all three ("new vs used": used + certified are used).
    std::vector<ConditionSales> byCondition;
    std::vector<ShowroomSales> byShowroom; ///< units descending, then code, then id
};

/// The sales report for `period`, bucketed by `granularity`.
Result<SalesReport> sales(db::Connection& db, const Period& period, Granularity granularity = Granularity::Month);

/// ISO 8601 week of a date: "2026-W01" ... "2026-W53" (the year is the ISO week-numbering year, so
/// 2026-12-31 is "2026-W53" and 2027-01-01 is "2026-W53" too). InvalidInput for a non-date.
Result<std::string> isoWeek(std::string_view ymd);

// ---------------------------------------------------------------------------------------------------
// Funnel
//
// The cohort: leads opened (created_at) in the period. Every figure but the test-drive rate is about
// the cohort, followed to today, so a month's funnel fills in as its leads progress.
//  - Reached a stage: the lead's stage history holds that stage or a later pipeline stage (the pipeline
//    is inquiry -> visit -> test_drive -> quote -> contract -> delivered -> follow_up, and stages may be
//    skipped: a lead that went inquiry -> quote reached visit and test_drive too). A lead that was lost
//    reached what it reached before. So reached counts never grow down the funnel.
//  - Conversion from stage A to the next stage B = reached(B) / reached(A); nullopt when reached(A) = 0.
//  - Days in a stage: from entering it to the lead's next stage change, for stays that have ended
//    (a lead still in the stage has no figure yet); median over the cohort's stays, in days (seconds /
//    86,400, not rounded). The median of an even count is the mean of the two middle stays.
//  - Test-drive-to-sale: of the distinct customers who took a test drive out in the period (any lead or
//    none), the share who signed a deal (signed or delivered, not cancelled) at or after their first
//    such test drive, up to now: the deal may be for another vehicle.
//  - Lost reasons: the cohort's leads now lost, by lost_reason as written ("" when none was given).

struct StageCount {
    LeadStage stage = LeadStage::Inquiry;
    std::int64_t leads = 0;
};

struct SourceCount {
    std::string source;
    std::int64_t leads = 0;
    std::int64_t delivered = 0; ///< of which reached delivered
};

struct StageConversion {
    LeadStage from = LeadStage::Inquiry, to = LeadStage::Visit;
    std::int64_t reachedFrom = 0, reachedTo = 0;
    std::optional<double> rate; ///< reachedTo / reachedFrom, 0..1
};

struct StageDuration {
    LeadStage stage = LeadStage::Inquiry;
    std::int64_t stays = 0;           ///< ended stays measured
    std::optional<double> medianDays; ///< nullopt when stays == 0
};

struct ReasonCount {
    std::string reason;
    std::int64_t leads = 0;
};

struct FunnelReport {
    Period period;
    std::int64_t leads = 0;            ///< the cohort
    std::vector<SourceCount> bySource; ///< leads descending, then source
    /// Where the cohort's leads are now: all eight stages (the pipeline in order, then lost), zeros kept.
    std::vector<StageCount> byStage;
    /// How many reached each pipeline stage inquiry..delivered, in pipeline order.
    std::vector<StageCount> reached;
    /// The five steps inquiry->visit, visit->test_drive, test_drive->quote, quote->contract, contract->delivered.
    std::vector<StageConversion> conversions;
    /// inquiry, visit, test_drive, quote, contract, in that order.
    std::vector<StageDuration> daysInStage;
    std::int64_t testDriveCustomers = 0;     ///< distinct customers with a test drive out in the period
    std::int64_t testDriveCustomersSold = 0; ///< of which signed a deal at or after that drive
    std::optional<double> testDriveToSale;   ///< sold / customers; nullopt when no test drives
    std::vector<ReasonCount> lostReasons;    ///< leads descending, then reason
};

/// The funnel of the leads opened in `period`.
Result<FunnelReport> funnel(db::Connection& db, const Period& period);

/// The median of `values` (mean of the two middle ones for an even count); nullopt when empty.
std::optional<double> median(std::vector<double> values);

// ---------------------------------------------------------------------------------------------------
// Inventory aging
//
// The stock: vehicles whose status is in_stock or on_hold and whose received_at is at or before `asOf`.
// Days in stock = whole days from received_at to asOf (floor of seconds / 86,400): received at 09:00
// and asked at 08:00 thirty days later is 29 days. Buckets: 0-30, 31-60, 61-90 and 91 days and more
// ("90+"). Capital tied up = cost + reconditioning.

struct AgingBucket {
    int fromDays = 0;
    std::optional<int> toDays; ///< inclusive upper bound; nullopt for the last (open) bucket
    std::int64_t units = 0;
    Cents capital = 0;
};

/// The four buckets in order, zeros included: {0,30} {31,60} {61,90} {91,open}.
using AgingBuckets = std::array<AgingBucket, 4>;

struct ModelAging {
    std::string make, model;
    AgingBuckets buckets;
    std::int64_t units = 0;
    Cents capital = 0;
    std::int64_t oldestDays = 0;
    double averageDays = 0;
};

/// One showroom's stock (its vehicles' store_id: where each car is now).
struct ShowroomAging {
    std::string storeId, code, name; ///< code and name "" for a store the database does not list
    AgingBuckets buckets;
    std::int64_t units = 0;
    Cents capital = 0;
};

struct AgingReport {
    std::string asOf; ///< as given, normalised to "YYYY-MM-DDTHH:MM:SSZ"
    AgingBuckets buckets;
    std::int64_t units = 0;
    Cents capital = 0;
    std::vector<ModelAging> byModel;       ///< capital descending, then make, then model
    std::vector<ShowroomAging> byShowroom; ///< capital descending, then code, then id
};

/// Today's stock aged at `asOf`.
Result<AgingReport> aging(db::Connection& db, std::string_view asOf);

// Turn rate
//
// turn = units sold in the period / average inventory over the period, where
//  - units sold counts deals as the sales report does (signed or delivered, signed_at in the period);
//  - average inventory = vehicle-days in stock during the period / days in the period, a vehicle being
//    in stock from received_at until it left: the signed_at of its live deal, else (sold, delivered or
//    transferred without one) its status_changed_at; incoming vehicles were never in stock.
// annualised = turn * 365 / days in period. Both nullopt when the average inventory is 0.
// Reconstructing past stock this way assumes a vehicle entered stock once (a deal cancelled and the car
// sold again later counts from received_at to the live deal).

struct TurnRate {
    Period period;
    std::int64_t unitsSold = 0;
    double averageInventory = 0;
    std::optional<double> turn;
    std::optional<double> annualised;
};

Result<TurnRate> turnRate(db::Connection& db, const Period& period);

// ---------------------------------------------------------------------------------------------------
// Follow-ups
//
// Open follow-ups (done_at not set) by the day they are due, against the UTC day of `asOf`:
//   overdue   = due on an earlier day,   due today = due on that day.
// Later ones are not listed. A follow-up belongs to its assignee, else to its lead's salesperson, else
// to "" (unassigned).

struct FollowUpItem {
    std::string followUpId, leadId, customerId, customerName;
    std::string dueAt, note;
    bool overdue = false;
};

struct SalespersonFollowUps {
    std::string staffId; ///< "" for unassigned
    std::string name;
    std::int64_t overdue = 0, dueToday = 0;
    std::vector<FollowUpItem> items; ///< overdue first, each group by due time, then id
};

struct FollowUpReport {
    std::string day; ///< asOf's UTC day, "YYYY-MM-DD"
    std::int64_t overdue = 0, dueToday = 0;
    std::vector<SalespersonFollowUps> bySalesperson; ///< overdue descending, due today descending, name, id
};

Result<FollowUpReport> followUps(db::Connection& db, std::string_view asOf);

} // namespace showroom::core::reports
