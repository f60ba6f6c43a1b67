#include "showroom/core/reports.hpp"

#include "showroom/core/clock.hpp"
#include "showroom/core/inventory.hpp"

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>

namespace showroom::core::reports {

namespace {

constexpr std::int64_t kDay = 86400;

// The deals every sales figure is made of: live (signed or delivered) and signed in [?1, ?2). The
// status test is written as deals_signed's WHERE clause (0006) so SQLite can use that index.
constexpr const char* kLiveDealInPeriod =
    "d.status IN ('signed', 'delivered') AND d.signed_at IS NOT NULL AND d.signed_at >= ?1 AND d.signed_at < ?2";
// The report's showroom, bound as ?3 (NULL: every showroom; see reportScope()).
constexpr const char* kDealInScope = " AND (?3 IS NULL OR d.store_id = ?3)";

// "YYYY-MM-DD" -> days since 1970-01-01; InvalidInput for anything else (a time of day included).
Result<std::int64_t> dayNumber(std::string_view ymd, std::string_view what) {
    if (ymd.size() != 10)
        return fail(ErrorCode::InvalidInput, std::string(what) + " '" + std::string(ymd.substr(0, 40)) +
                                                 "' is not a date (expected YYYY-MM-DD)");
    auto t = parseUtc(ymd);
    if (!t) return t.error();
    return *t / kDay;
}

std::string dateOf(std::int64_t day) {
    return formatDate(day * kDay);
}
// Midnight of a day as stored timestamps are written, so text comparisons with them are time order.
std::string midnight(std::int64_t day) {
    return formatUtc(day * kDay);
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// Monday = 0 ... Sunday = 6; 1970-01-01 was a Thursday.
std::int64_t weekday(std::int64_t day) {
    return ((day + 3) % 7 + 7) % 7;
}

struct Range {
    std::string from, to; // bound as timestamps
    std::int64_t fromDay = 0, toDay = 0;
};

Result<Range> rangeOf(const Period& period) {
    auto from = dayNumber(period.from, "period start");
    if (!from) return from.error();
    auto to = dayNumber(period.to, "period end");
    if (!to) return to.error();
    if (*from >= *to)
        return fail(ErrorCode::InvalidInput,
                    "the period must end after it starts (" + period.from + " .. " + period.to + ", end exclusive)");
    return Range{midnight(*from), midnight(*to), *from, *to};
}

Result<UnixSeconds> parseAsOf(std::string_view asOf) {
    auto t = parseUtc(asOf);
    if (!t) return t.error();
    return *t;
}

void add(SalesFigures& into, const SalesFigures& f) {
    into.units += f.units;
    into.revenue += f.revenue;
    into.cost += f.cost;
    into.recon += f.recon;
    into.frontGross += f.frontGross;
    into.backGross += f.backGross;
    into.totalGross += f.totalGross;
}

std::string monthOf(std::int64_t day) {
    return dateOf(day).substr(0, 7);
}

std::int64_t firstOfMonth(std::int64_t day) {
    const std::string d = dateOf(day);
    return daysFromCivil(std::stoi(d.substr(0, 4)), static_cast<unsigned>(std::stoi(d.substr(5, 2))), 1);
}

std::int64_t nextMonth(std::int64_t firstDay) {
    const std::string d = dateOf(firstDay);
    int y = std::stoi(d.substr(0, 4));
    int m = std::stoi(d.substr(5, 2)) + 1;
    if (m == 13) {
        m = 1;
        ++y;
    }
    return daysFromCivil(y, static_cast<unsigned>(m), 1);
}

std::string isoWeekOf(std::int64_t day) {
    const std::int64_t thursday = day - weekday(day) + 3;
    const int isoYear = std::stoi(dateOf(thursday).substr(0, 4));
    const std::int64_t week = (thursday - daysFromCivil(isoYear, 1, 1)) / 7 + 1;
    std::string w = std::to_string(week);
    if (w.size() < 2) w.insert(0, "0");
    return std::to_string(isoYear) + "-W" + w;
}

std::string bucketOf(Granularity g, std::int64_t day) {
    switch (g) {
    case Granularity::Day: return dateOf(day);
    case Granularity::Week: return isoWeekOf(day);
    case Granularity::Month: return monthOf(day);
    }
    return {};
}

// Every bucket overlapping [fromDay, toDay), in order.
std::vector<TimeSales> timeAxis(Granularity g, std::int64_t fromDay, std::int64_t toDay) {
    std::vector<TimeSales> axis;
    std::int64_t start = fromDay;
    if (g == Granularity::Week) start = fromDay - weekday(fromDay);
    if (g == Granularity::Month) start = firstOfMonth(fromDay);
    while (start < toDay) {
        axis.push_back(TimeSales{bucketOf(g, start), dateOf(start), {}});
        start = g == Granularity::Day ? start + 1 : g == Granularity::Week ? start + 7 : nextMonth(start);
    }
    return axis;
}

std::string personName(const std::string& first, const std::string& last) {
    return last.empty() ? first : first + " " + last;
}

int pipelineIndex(LeadStage s) {
    const auto stages = pipelineStages();
    const auto it = std::find(stages.begin(), stages.end(), s);
    return it == stages.end() ? -1 : static_cast<int>(it - stages.begin());
}

template <class Row, class Key> void sortBy(std::vector<Row>& rows, Key key) {
    std::sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) { return key(a) < key(b); });
}

} // namespace

Status validate(const Period& period) {
    auto r = rangeOf(period);
    if (!r) return r.error();
    return {};
}

Result<std::int64_t> periodDays(const Period& period) {
    auto r = rangeOf(period);
    if (!r) return r.error();
    return r->toDay - r->fromDay;
}

Result<std::optional<std::string>> reportScope(db::Connection& db) {
    auto local = localStoreId(db);
    if (local) return std::optional<std::string>(*local);
    if (local.error().code == ErrorCode::NotFound) return std::optional<std::string>();
    return local.error();
}

std::string_view toString(Granularity g) {
    switch (g) {
    case Granularity::Day: return "day";
    case Granularity::Week: return "week";
    case Granularity::Month: return "month";
    }
    return "month";
}

Result<Granularity> parseGranularity(std::string_view text) {
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    for (auto g : {Granularity::Day, Granularity::Week, Granularity::Month})
        if (toString(g) == lower) return g;
    return fail(ErrorCode::InvalidInput, "'" + std::string(text.substr(0, 40)) + "' is not day, week or month");
}

Result<std::string> isoWeek(std::string_view ymd) {
    auto day = dayNumber(ymd, "date");
    if (!day) return day.error();
    return isoWeekOf(*day);
}

// ------------------------------------------------------------------------------------------------ sales

Result<SalesReport> sales(db::Connection& db, const Period& period, Granularity granularity) {
    auto range = rangeOf(period);
    if (!range) return range.error();
    auto scope = reportScope(db);
    if (!scope) return scope.error();
    SalesReport report;
    report.period = period;
    report.granularity = granularity;
    report.byTime = timeAxis(granularity, range->fromDay, range->toDay);
    std::unordered_map<std::string, std::size_t> timeIndex;
    for (std::size_t i = 0; i < report.byTime.size(); ++i)
        timeIndex.emplace(report.byTime[i].bucket, i);
    for (auto c : {Condition::New, Condition::Used, Condition::Certified})
        report.byCondition.push_back({c, {}});

    auto stmt = db.prepare(std::string("SELECT d.signed_at, coalesce(d.salesperson_id, ''), coalesce(s.name, ''), "
                                       "v.make, v.model, v.condition, d.price_cents - d.discount_cents, v.cost_cents, "
                                       "v.recon_cents, d.backend_gross_cents, d.store_id, coalesce(st.code, ''), "
                                       "coalesce(st.name, '') "
                                       "FROM deals d JOIN vehicles v ON v.id = d.vehicle_id "
                                       "LEFT JOIN staff s ON s.id = d.salesperson_id "
                                       "LEFT JOIN stores st ON st.id = d.store_id WHERE ") +
                           kLiveDealInPeriod + kDealInScope);
    if (!stmt) return stmt.error();
    stmt->bindAll(range->from, range->to, *scope);
    std::map<std::string, ShowroomSales> showrooms;
    std::map<std::string, SalespersonSales> people;
    std::map<std::pair<std::string, std::string>, SalesFigures> models;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) break;
        SalesFigures f;
        f.units = 1;
        f.revenue = stmt->getInt(6);
        f.cost = stmt->getInt(7);
        f.recon = stmt->getInt(8);
        f.frontGross = f.revenue - f.cost - f.recon;
        f.backGross = stmt->getInt(9);
        f.totalGross = f.frontGross + f.backGross;
        add(report.total, f);

        auto day = dayNumber(stmt->getText(0).substr(0, 10), "deal signed_at");
        if (!day) return day.error();
        if (auto it = timeIndex.find(bucketOf(granularity, *day)); it != timeIndex.end())
            add(report.byTime[it->second].figures, f);

        auto& person = people[stmt->getText(1)];
        person.staffId = stmt->getText(1);
        person.name = stmt->getText(2);
        add(person.figures, f);
        add(models[{stmt->getText(3), stmt->getText(4)}], f);
        auto condition = parseCondition(stmt->getText(5));
        if (!condition) return condition.error();
        add(report.byCondition[static_cast<std::size_t>(*condition)].figures, f);
        auto [showroom, fresh] = showrooms.try_emplace(stmt->getText(10));
        if (fresh) showroom->second = {stmt->getText(10), stmt->getText(11), stmt->getText(12), {}};
        add(showroom->second.figures, f);
    }
    for (auto& [id, showroom] : showrooms)
        report.byShowroom.push_back(std::move(showroom));
    sortBy(report.byShowroom,
           [](const ShowroomSales& s) { return std::tuple(-s.figures.units, s.code, s.storeId); });
    for (auto& [id, person] : people)
        report.bySalesperson.push_back(std::move(person));
    sortBy(report.bySalesperson,
           [](const SalespersonSales& p) { return std::tuple(-p.figures.units, p.name, p.staffId); });
    for (auto& [key, figures] : models)
        report.byModel.push_back({key.first, key.second, figures});
    sortBy(report.byModel, [](const ModelSales& m) { return std::tuple(-m.figures.units, m.make, m.model); });
    return report;
}

// ----------------------------------------------------------------------------------------------- funnel

std::optional<double> median(std::vector<double> values) {
    if (values.empty()) return std::nullopt;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

Result<FunnelReport> funnel(db::Connection& db, const Period& period) {
    auto range = rangeOf(period);
    if (!range) return range.error();
    auto scope = reportScope(db);
    if (!scope) return scope.error();
    FunnelReport report;
    report.period = period;

    struct LeadRow {
        std::string source;
        LeadStage stage = LeadStage::Inquiry;
        std::string lostReason, createdAt;
        std::vector<std::pair<LeadStage, UnixSeconds>> history;
        std::vector<std::int64_t> historyIds; ///< lead_stage_history.id of each entry, for equal times
    };
    // By rowid: an integer key spares a string per stage row (the funnel reads hundreds of thousands).
    std::unordered_map<std::int64_t, LeadRow> leads;
    {
        auto stmt = db.prepare("SELECT rowid, source, stage, coalesce(lost_reason, ''), created_at FROM leads "
                               "WHERE created_at >= ?1 AND created_at < ?2 AND (?3 IS NULL OR store_id = ?3)");
        if (!stmt) return stmt.error();
        stmt->bindAll(range->from, range->to, *scope);
        for (;;) {
            auto row = stmt->step();
            if (!row) return row.error();
            if (!*row) break;
            auto stage = parseLeadStage(stmt->getText(2));
            if (!stage) return stage.error();
            leads[stmt->getInt(0)] = LeadRow{stmt->getText(1), *stage, stmt->getText(3), stmt->getText(4), {}, {}};
        }
    }
    {
        // Unordered: each lead's few rows are put in order below, cheaper than SQLite sorting them all.
        auto stmt = db.prepare("SELECT l.rowid, h.to_stage, h.at, h.id FROM lead_stage_history h "
                               "JOIN leads l ON l.id = h.lead_id WHERE l.created_at >= ?1 AND l.created_at < ?2 "
                               "AND (?3 IS NULL OR l.store_id = ?3)");
        if (!stmt) return stmt.error();
        stmt->bindAll(range->from, range->to, *scope);
        for (;;) {
            auto row = stmt->step();
            if (!row) return row.error();
            if (!*row) break;
            auto stage = parseLeadStage(stmt->getText(1));
            if (!stage) return stage.error();
            auto at = parseUtc(stmt->getText(2));
            if (!at) return at.error();
            if (auto it = leads.find(stmt->getInt(0)); it != leads.end()) {
                it->second.history.emplace_back(*stage, *at);
                it->second.historyIds.push_back(stmt->getInt(3));
            }
        }
    }
    for (auto& [id, lead] : leads) {
        if (lead.history.size() < 2) continue;
        std::vector<std::size_t> order(lead.history.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(), [&lead](std::size_t a, std::size_t b) {
            return std::tie(lead.history[a].second, lead.historyIds[a]) <
                   std::tie(lead.history[b].second, lead.historyIds[b]);
        });
        std::vector<std::pair<LeadStage, UnixSeconds>> sorted;
        sorted.reserve(order.size());
        for (std::size_t i : order) sorted.push_back(lead.history[i]);
        lead.history = std::move(sorted);
    }

    const auto pipeline = pipelineStages();
    const int delivered = pipelineIndex(LeadStage::Delivered);
    std::vector<std::int64_t> reached(static_cast<std::size_t>(delivered) + 1, 0);
    std::vector<std::vector<double>> stays(static_cast<std::size_t>(delivered));
    std::map<LeadStage, std::int64_t> now;
    std::map<std::string, SourceCount> sources;
    std::map<std::string, std::int64_t> reasons;
    for (auto& [id, lead] : leads) {
        // A lead written without history (an import) is where it is now since it was opened.
        if (lead.history.empty()) {
            auto created = parseUtc(lead.createdAt);
            if (!created) return created.error();
            lead.history.emplace_back(lead.stage, *created);
        }
        int furthest = -1;
        for (std::size_t i = 0; i < lead.history.size(); ++i) {
            const auto [stage, at] = lead.history[i];
            furthest = std::max(furthest, pipelineIndex(stage));
            const int index = pipelineIndex(stage);
            if (i + 1 < lead.history.size() && index >= 0 && index < delivered)
                stays[static_cast<std::size_t>(index)].push_back(static_cast<double>(lead.history[i + 1].second - at) /
                                                                 static_cast<double>(kDay));
        }
        for (int i = 0; i <= std::min(furthest, delivered); ++i)
            ++reached[static_cast<std::size_t>(i)];
        ++now[lead.stage];
        auto& source = sources[lead.source];
        source.source = lead.source;
        ++source.leads;
        if (furthest >= delivered) ++source.delivered;
        if (lead.stage == LeadStage::Lost) ++reasons[lead.lostReason];
    }
    report.leads = static_cast<std::int64_t>(leads.size());
    for (auto s : pipeline)
        report.byStage.push_back({s, now[s]});
    report.byStage.push_back({LeadStage::Lost, now[LeadStage::Lost]});
    for (int i = 0; i <= delivered; ++i)
        report.reached.push_back({pipeline[static_cast<std::size_t>(i)], reached[static_cast<std::size_t>(i)]});
    for (int i = 0; i < delivered; ++i) {
        StageConversion c;
        c.from = pipeline[static_cast<std::size_t>(i)];
        c.to = pipeline[static_cast<std::size_t>(i) + 1];
        c.reachedFrom = reached[static_cast<std::size_t>(i)];
        c.reachedTo = reached[static_cast<std::size_t>(i) + 1];
        if (c.reachedFrom > 0) c.rate = static_cast<double>(c.reachedTo) / static_cast<double>(c.reachedFrom);
        report.conversions.push_back(c);
        report.daysInStage.push_back({c.from, static_cast<std::int64_t>(stays[static_cast<std::size_t>(i)].size()),
                                      median(stays[static_cast<std::size_t>(i)])});
    }
    for (auto& [name, s] : sources)
        report.bySource.push_back(s);
    sortBy(report.bySource, [](const SourceCount& s) { return std::tuple(-s.leads, s.source); });
    for (auto& [reason, n] : reasons)
        report.lostReasons.push_back({reason, n});
    sortBy(report.lostReasons, [](const ReasonCount& r) { return std::tuple(-r.leads, r.reason); });

    auto drives =
        db.prepare("SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM deals d WHERE d.customer_id = t.customer_id "
                   "AND d.status IN ('signed', 'delivered') AND d.signed_at >= t.first)), 0) "
                   "FROM (SELECT customer_id, min(out_at) AS first FROM test_drives WHERE out_at >= ?1 AND out_at < ?2 "
                   "AND (?3 IS NULL OR EXISTS (SELECT 1 FROM customers c WHERE c.id = customer_id AND c.store_id = ?3)) "
                   "GROUP BY customer_id) t");
    if (!drives) return drives.error();
    drives->bindAll(range->from, range->to, *scope);
    auto row = drives->step();
    if (!row) return row.error();
    report.testDriveCustomers = drives->getInt(0);
    report.testDriveCustomersSold = drives->getInt(1);
    if (report.testDriveCustomers > 0)
        report.testDriveToSale =
            static_cast<double>(report.testDriveCustomersSold) / static_cast<double>(report.testDriveCustomers);
    return report;
}

// ------------------------------------------------------------------------------------------------ aging

namespace {

AgingBuckets emptyBuckets() {
    return AgingBuckets{AgingBucket{0, 30}, AgingBucket{31, 60}, AgingBucket{61, 90}, AgingBucket{91, std::nullopt}};
}

std::size_t bucketIndex(std::int64_t days) {
    if (days <= 30) return 0;
    if (days <= 60) return 1;
    if (days <= 90) return 2;
    return 3;
}

} // namespace

Result<AgingReport> aging(db::Connection& db, std::string_view asOf) {
    auto at = parseAsOf(asOf);
    if (!at) return at.error();
    auto scope = reportScope(db);
    if (!scope) return scope.error();
    AgingReport report;
    report.asOf = formatUtc(*at);
    report.buckets = emptyBuckets();
    auto stmt = db.prepare("SELECT v.make, v.model, v.received_at, v.cost_cents + v.recon_cents, v.store_id, "
                           "coalesce(st.code, ''), coalesce(st.name, '') FROM vehicles v "
                           "LEFT JOIN stores st ON st.id = v.store_id WHERE v.status IN ('in_stock', 'on_hold') "
                           "AND (?1 IS NULL OR v.store_id = ?1)");
    if (!stmt) return stmt.error();
    stmt->bindAll(*scope);
    struct Acc {
        ModelAging aging;
        std::int64_t totalDays = 0;
    };
    std::map<std::pair<std::string, std::string>, Acc> models;
    std::map<std::string, ShowroomAging> showrooms;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) break;
        auto received = parseUtc(stmt->getText(2));
        if (!received) return received.error();
        if (*received > *at) continue;
        const std::int64_t days = (*at - *received) / kDay;
        const Cents capital = stmt->getInt(3);
        const std::size_t b = bucketIndex(days);
        report.buckets[b].units += 1;
        report.buckets[b].capital += capital;
        report.units += 1;
        report.capital += capital;
        auto [it, fresh] = models.try_emplace({stmt->getText(0), stmt->getText(1)});
        auto& m = it->second;
        if (fresh) {
            m.aging.make = it->first.first;
            m.aging.model = it->first.second;
            m.aging.buckets = emptyBuckets();
        }
        m.aging.buckets[b].units += 1;
        m.aging.buckets[b].capital += capital;
        m.aging.units += 1;
        m.aging.capital += capital;
        m.aging.oldestDays = std::max(m.aging.oldestDays, days);
        m.totalDays += days;
        auto [held, first] = showrooms.try_emplace(stmt->getText(4));
        auto& where = held->second;
        if (first) where = {stmt->getText(4), stmt->getText(5), stmt->getText(6), emptyBuckets(), 0, 0};
        where.buckets[b].units += 1;
        where.buckets[b].capital += capital;
        where.units += 1;
        where.capital += capital;
    }
    for (auto& [id, where] : showrooms)
        report.byShowroom.push_back(std::move(where));
    sortBy(report.byShowroom, [](const ShowroomAging& s) { return std::tuple(-s.capital, s.code, s.storeId); });
    for (auto& [key, m] : models) {
        m.aging.averageDays = static_cast<double>(m.totalDays) / static_cast<double>(m.aging.units);
        report.byModel.push_back(std::move(m.aging));
    }
    sortBy(report.byModel, [](const ModelAging& m) { return std::tuple(-m.capital, m.make, m.model); });
    return report;
}

Result<TurnRate> turnRate(db::Connection& db, const Period& period) {
    auto range = rangeOf(period);
    if (!range) return range.error();
    auto scope = reportScope(db);
    if (!scope) return scope.error();
    TurnRate turn;
    turn.period = period;
    auto sold = db.prepare(std::string("SELECT count(*) FROM deals d WHERE ") + kLiveDealInPeriod + kDealInScope);
    if (!sold) return sold.error();
    sold->bindAll(range->from, range->to, *scope);
    if (auto row = sold->step(); !row) return row.error();
    turn.unitsSold = sold->getInt(0);

    auto stmt = db.prepare("SELECT v.received_at, v.status, v.status_changed_at, "
                           "(SELECT min(d.signed_at) FROM deals d WHERE d.vehicle_id = v.id "
                           "AND d.status IN ('signed', 'delivered')) "
                           "FROM vehicles v WHERE v.status <> 'incoming' AND v.received_at < ?1 "
                           "AND (?2 IS NULL OR v.store_id = ?2)");
    if (!stmt) return stmt.error();
    stmt->bindAll(range->to, *scope);
    const UnixSeconds from = range->fromDay * kDay, to = range->toDay * kDay;
    std::int64_t vehicleSeconds = 0;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) break;
        auto received = parseUtc(stmt->getText(0));
        if (!received) return received.error();
        UnixSeconds left = to;
        const std::string status = stmt->getText(1);
        std::optional<std::string> leftText = stmt->getOptionalText(3);
        if (!leftText && (status == "sold" || status == "delivered" || status == "transferred"))
            leftText = stmt->getText(2);
        if (leftText) {
            auto l = parseUtc(*leftText);
            if (!l) return l.error();
            left = std::min(left, *l);
        }
        const UnixSeconds start = std::max(from, *received);
        if (left > start) vehicleSeconds += left - start;
    }
    const double days = static_cast<double>(range->toDay - range->fromDay);
    turn.averageInventory = static_cast<double>(vehicleSeconds) / static_cast<double>(kDay) / days;
    if (turn.averageInventory > 0) {
        turn.turn = static_cast<double>(turn.unitsSold) / turn.averageInventory;
        turn.annualised = *turn.turn * 365.0 / days;
    }
    return turn;
}

// ------------------------------------------------------------------------------------------- follow-ups

Result<FollowUpReport> followUps(db::Connection& db, std::string_view asOf) {
    auto at = parseAsOf(asOf);
    if (!at) return at.error();
    const std::int64_t day = floorDiv(*at, kDay);
    auto scope = reportScope(db);
    if (!scope) return scope.error();
    FollowUpReport report;
    report.day = dateOf(day);
    auto stmt = db.prepare("SELECT f.id, f.lead_id, l.customer_id, c.first_name, c.last_name, f.due_at, f.note, "
                           "coalesce(f.assigned_to, l.salesperson_id, ''), coalesce(s.name, '') "
                           "FROM follow_ups f JOIN leads l ON l.id = f.lead_id "
                           "JOIN customers c ON c.id = l.customer_id "
                           "LEFT JOIN staff s ON s.id = coalesce(f.assigned_to, l.salesperson_id) "
                           "WHERE f.done_at IS NULL AND f.due_at < ?1 AND (?2 IS NULL OR l.store_id = ?2) "
                           "ORDER BY f.due_at, f.id");
    if (!stmt) return stmt.error();
    stmt->bindAll(midnight(day + 1), *scope);
    std::map<std::string, SalespersonFollowUps> people;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) break;
        FollowUpItem item{stmt->getText(0),
                          stmt->getText(1),
                          stmt->getText(2),
                          personName(stmt->getText(3), stmt->getText(4)),
                          stmt->getText(5),
                          stmt->getText(6),
                          false};
        item.overdue = item.dueAt.substr(0, 10) < report.day;
        auto& person = people[stmt->getText(7)];
        person.staffId = stmt->getText(7);
        person.name = stmt->getText(8);
        (item.overdue ? person.overdue : person.dueToday) += 1;
        (item.overdue ? report.overdue : report.dueToday) += 1;
        person.items.push_back(std::move(item));
    }
    for (auto& [id, person] : people) {
        // Rows arrive by due time, so overdue ones already come first; the stable sort keeps that.
        std::stable_sort(person.items.begin(), person.items.end(),
                         [](const FollowUpItem& a, const FollowUpItem& b) { return a.overdue && !b.overdue; });
        report.bySalesperson.push_back(std::move(person));
    }
    sortBy(report.bySalesperson,
           [](const SalespersonFollowUps& p) { return std::tuple(-p.overdue, -p.dueToday, p.name, p.staffId); });
    return report;
}

} // namespace showroom::core::reports
