// The report commands `showroom` and `showroom-hq` share (report_cli.hpp): the reports of
// core/reports.hpp and core/analytics.hpp as a table, one JSON document (--json) or CSV with a header row
// (--csv); and the monthly report as a PDF (devices/pdf/report_pdf.hpp).
#include "report_cli.hpp"

#include "showroom/core/analytics.hpp"
#include "showroom/core/contract.hpp"
#include "showroom/core/csv.hpp"
#include "showroom/core/inventory.hpp"
#include "showroom/core/reports.hpp"
#include "showroom/devices/pdf/report_pdf.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>

namespace showroom::cli {

namespace {

namespace reports = core::reports;
namespace analytics = core::analytics;
using nlohmann::json;

enum class Exit : int { Ok = 0, Failure = 1, BadInput = 2 };

// The host's services under the names the commands use.
class Cli {
public:
    explicit Cli(ReportHost host) : m_host(std::move(host)) {}
    core::UnixSeconds now() const { return m_host.now(); }
    bool json() const { return m_host.json(); }
    Exit report(const core::Error& error) const { return static_cast<Exit>(m_host.fail(error)); }
    void printJson(const nlohmann::json& j) const { m_host.printJson(j); }
    void on(CLI::App* command, std::function<Exit()> action) {
        m_host.on(command, [action = std::move(action)] { return static_cast<int>(action()); });
    }
    std::shared_ptr<core::db::Connection> open(Exit& exit) const {
        int code = 0;
        auto db = m_host.open(code);
        exit = static_cast<Exit>(code);
        return db;
    }
    std::string title(core::db::Connection& db, const std::string& language) const {
        return m_host.title(db, language);
    }

private:
    ReportHost m_host;
};

core::Error badInput(std::string message) {
    return core::fail(core::ErrorCode::InvalidInput, std::move(message));
}

// ---- flags ------------------------------------------------------------------------------------------------------

struct Flags {
    std::string from, to, by = "day", asOf, segment, month, language = "en", out;
    int horizon = 3;
    bool csv = false;
};

// A calendar day flag: exactly YYYY-MM-DD and a real date.
core::Result<core::UnixSeconds> dayFlag(const std::string& name, const std::string& value) {
    auto t = core::parseUtc(value);
    if (value.size() != 10 || !t)
        return badInput("--" + name + ": '" + value.substr(0, 40) + "' is not a date (expected YYYY-MM-DD)");
    return *t;
}

struct ResolvedPeriod {
    reports::Period period; ///< `to` exclusive, as core takes it
    std::string lastDay;    ///< `to` inclusive, as the user gave it
};

core::Result<ResolvedPeriod> resolvePeriod(const Cli& cli, const Flags& f) {
    core::UnixSeconds last = cli.now();
    if (!f.to.empty()) {
        auto to = dayFlag("to", f.to);
        if (!to) return to.error();
        last = *to;
    }
    ResolvedPeriod r;
    r.lastDay = core::formatDate(last);
    r.period.to = core::formatDate(core::parseUtc(r.lastDay).value() + 86'400);
    r.period.from = r.lastDay.substr(0, 8) + "01";
    if (!f.from.empty()) {
        auto from = dayFlag("from", f.from);
        if (!from) return from.error();
        r.period.from = f.from;
    }
    if (r.period.from > r.lastDay)
        return badInput("--from " + r.period.from + " is after the period's last day " + r.lastDay +
                        (f.to.empty() ? " (today; give --to)" : ""));
    return r;
}

core::Result<std::string> resolveAsOf(const Cli& cli, const Flags& f) {
    if (f.asOf.empty()) return core::formatUtc(cli.now());
    auto t = core::parseUtc(f.asOf);
    if (!t)
        return badInput("--as-of: '" + f.asOf.substr(0, 40) +
                        "' is not a date or time (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)");
    return core::formatUtc(*t);
}

json periodJson(const ResolvedPeriod& p) {
    return {{"from", p.period.from}, {"to", p.lastDay}, {"days", reports::periodDays(p.period).value()}};
}

// ---- printing helpers -------------------------------------------------------------------------------------------

// A number as JSON writes it (shortest round trip); "" for none, so CSV cells stay empty.
std::string number(std::optional<double> v) {
    return v ? json(*v).dump() : "";
}
json orNull(std::optional<double> v) {
    return v ? json(*v) : json(nullptr);
}

std::string fixed(double v, int decimals) {
    std::ostringstream s;
    s.setf(std::ios::fixed);
    s.precision(decimals);
    s << v;
    return s.str();
}
std::string percent(std::optional<double> share) {
    return share ? fixed(*share * 100, 1) + " %" : "-";
}

// Code points, near enough to the columns a terminal gives a UTF-8 name.
std::size_t columns(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// A plain text table: columns as wide as their widest cell, numbers right-aligned.
class Table {
public:
    Table(std::vector<std::string> headers, std::string rightAligned)
        : m_headers(std::move(headers)), m_right(std::move(rightAligned)) {}
    void add(std::vector<std::string> row) { m_rows.push_back(std::move(row)); }
    bool empty() const { return m_rows.empty(); }
    void print(std::ostream& out) const {
        std::vector<std::size_t> width(m_headers.size());
        for (std::size_t c = 0; c < m_headers.size(); ++c) {
            width[c] = columns(m_headers[c]);
            for (const auto& row : m_rows)
                width[c] = std::max(width[c], columns(row[c]));
        }
        auto line = [&](const std::vector<std::string>& cells) {
            std::string text;
            for (std::size_t c = 0; c < cells.size(); ++c) {
                const std::string pad(width[c] - columns(cells[c]), ' ');
                const bool right = c < m_right.size() && m_right[c] == 'r';
                text += (c ? "  " : "") + (right ? pad + cells[c] : cells[c] + pad);
            }
            while (!text.empty() && text.back() == ' ')
                text.pop_back();
            out << text << "\n";
        };
        line(m_headers);
        for (const auto& row : m_rows)
            line(row);
    }

private:
    std::vector<std::string> m_headers;
    std::string m_right; ///< 'r' per right-aligned column
    std::vector<std::vector<std::string>> m_rows;
};

void printCsv(const std::vector<std::vector<std::string>>& rows) {
    for (const auto& row : rows)
        std::cout << core::csv::formatRow(row);
}

// ---- sales ------------------------------------------------------------------------------------------------------

const std::vector<std::string> kFigureColumns = {"units",       "revenue",    "cost",       "recon",
                                                 "front_gross", "back_gross", "total_gross"};

json figuresJson(const reports::SalesFigures& f) {
    return {{"units", f.units},
            {"revenue", core::formatCents(f.revenue)},
            {"cost", core::formatCents(f.cost)},
            {"recon", core::formatCents(f.recon)},
            {"front_gross", core::formatCents(f.frontGross)},
            {"back_gross", core::formatCents(f.backGross)},
            {"total_gross", core::formatCents(f.totalGross)}};
}

std::vector<std::string> figureCells(const reports::SalesFigures& f) {
    return {std::to_string(f.units),        core::formatCents(f.revenue),    core::formatCents(f.cost),
            core::formatCents(f.recon),     core::formatCents(f.frontGross), core::formatCents(f.backGross),
            core::formatCents(f.totalGross)};
}

std::vector<std::string> figureMoney(const reports::SalesFigures& f) {
    return {std::to_string(f.units), core::formatMoney(f.revenue), core::formatMoney(f.frontGross),
            core::formatMoney(f.backGross), core::formatMoney(f.totalGross)};
}

json salesJson(const reports::SalesReport& r, const ResolvedPeriod& p) {
    json j = {{"period", periodJson(p)}, {"by", reports::toString(r.granularity)}, {"total", figuresJson(r.total)}};
    j["by_time"] = json::array();
    for (const auto& t : r.byTime) {
        json row = {{"bucket", t.bucket}, {"start", t.start}};
        row.update(figuresJson(t.figures));
        j["by_time"].push_back(row);
    }
    j["by_salesperson"] = json::array();
    for (const auto& s : r.bySalesperson) {
        json row = {{"staff_id", s.staffId}, {"name", s.name}};
        row.update(figuresJson(s.figures));
        j["by_salesperson"].push_back(row);
    }
    j["by_model"] = json::array();
    for (const auto& m : r.byModel) {
        json row = {{"make", m.make}, {"model", m.model}};
        row.update(figuresJson(m.figures));
        j["by_model"].push_back(row);
    }
    j["by_condition"] = json::array();
    for (const auto& c : r.byCondition) {
        json row = {{"condition", core::toString(c.condition)}};
        row.update(figuresJson(c.figures));
        j["by_condition"].push_back(row);
    }
    j["by_showroom"] = json::array();
    for (const auto& s : r.byShowroom) {
        json row = {{"store_id", s.storeId}, {"code", s.code}, {"name", s.name}};
        row.update(figuresJson(s.figures));
        j["by_showroom"].push_back(row);
    }
    return j;
}

// One table: a row per total, bucket, salesperson, model and condition; `section` says which, and the
// columns that do not apply to a section are empty.
void salesCsv(const reports::SalesReport& r) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header = {"section",     "bucket", "start", "staff_id",  "salesperson",
                                       "make",        "model",  "condition", "showroom"};
    header.insert(header.end(), kFigureColumns.begin(), kFigureColumns.end());
    rows.push_back(header);
    auto add = [&](std::vector<std::string> keys, const reports::SalesFigures& f) {
        auto cells = figureCells(f);
        keys.insert(keys.end(), cells.begin(), cells.end());
        rows.push_back(std::move(keys));
    };
    add({"total", "", "", "", "", "", "", "", ""}, r.total);
    for (const auto& t : r.byTime)
        add({std::string(reports::toString(r.granularity)), t.bucket, t.start, "", "", "", "", "", ""}, t.figures);
    for (const auto& s : r.bySalesperson)
        add({"salesperson", "", "", s.staffId, s.name, "", "", "", ""}, s.figures);
    for (const auto& m : r.byModel)
        add({"model", "", "", "", "", m.make, m.model, "", ""}, m.figures);
    for (const auto& c : r.byCondition)
        add({"condition", "", "", "", "", "", "", std::string(core::toString(c.condition)), ""}, c.figures);
    for (const auto& s : r.byShowroom)
        add({"showroom", "", "", "", "", "", "", "", s.code}, s.figures);
    printCsv(rows);
}

void salesText(const reports::SalesReport& r, const ResolvedPeriod& p) {
    const auto& t = r.total;
    std::cout << "Sales " << p.period.from << " to " << p.lastDay << ": " << t.units << " unit"
              << (t.units == 1 ? "" : "s") << ", revenue " << core::formatMoney(t.revenue) << ", front gross "
              << core::formatMoney(t.frontGross) << ", back gross " << core::formatMoney(t.backGross)
              << ", total gross " << core::formatMoney(t.totalGross) << "\n\n";
    const std::vector<std::string> money = {"Units", "Revenue", "Front gross", "Back gross", "Total gross"};
    auto withMoney = [&](std::vector<std::string> keys) {
        keys.insert(keys.end(), money.begin(), money.end());
        return keys;
    };
    auto rowOf = [](std::vector<std::string> keys, const reports::SalesFigures& f) {
        auto cells = figureMoney(f);
        keys.insert(keys.end(), cells.begin(), cells.end());
        return keys;
    };
    std::string by(reports::toString(r.granularity));
    by[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(by[0])));
    Table time(withMoney({by, "Start"}), "llrrrrr");
    for (const auto& b : r.byTime)
        time.add(rowOf({b.bucket, b.start}, b.figures));
    time.print(std::cout);
    std::cout << "\n";
    Table people(withMoney({"Salesperson"}), "lrrrrr");
    for (const auto& s : r.bySalesperson)
        people.add(rowOf({s.name.empty() ? (s.staffId.empty() ? "(unassigned)" : s.staffId) : s.name}, s.figures));
    if (!people.empty()) {
        people.print(std::cout);
        std::cout << "\n";
    }
    Table models(withMoney({"Make", "Model"}), "llrrrrr");
    for (const auto& m : r.byModel)
        models.add(rowOf({m.make, m.model}, m.figures));
    if (!models.empty()) {
        models.print(std::cout);
        std::cout << "\n";
    }
    Table conditions(withMoney({"Condition"}), "lrrrrr");
    for (const auto& c : r.byCondition)
        conditions.add(rowOf({std::string(core::toString(c.condition))}, c.figures));
    conditions.print(std::cout);
    if (r.byShowroom.size() > 1) { // a showroom's own database has only itself to list
        std::cout << "\n";
        Table showrooms(withMoney({"Showroom", "Name"}), "llrrrrr");
        for (const auto& s : r.byShowroom)
            showrooms.add(rowOf({s.code, s.name}, s.figures));
        showrooms.print(std::cout);
    }
}

// ---- funnel -----------------------------------------------------------------------------------------------------

json funnelJson(const reports::FunnelReport& r, const ResolvedPeriod& p) {
    json j = {{"period", periodJson(p)}, {"leads", r.leads}};
    j["by_source"] = json::array();
    for (const auto& s : r.bySource)
        j["by_source"].push_back({{"source", s.source}, {"leads", s.leads}, {"delivered", s.delivered}});
    j["by_stage"] = json::array();
    for (const auto& s : r.byStage)
        j["by_stage"].push_back({{"stage", core::toString(s.stage)}, {"leads", s.leads}});
    j["reached"] = json::array();
    for (const auto& s : r.reached)
        j["reached"].push_back({{"stage", core::toString(s.stage)}, {"leads", s.leads}});
    j["conversions"] = json::array();
    for (const auto& c : r.conversions)
        j["conversions"].push_back({{"from", core::toString(c.from)},
                                    {"to", core::toString(c.to)},
                                    {"reached_from", c.reachedFrom},
                                    {"reached_to", c.reachedTo},
                                    {"rate", orNull(c.rate)}});
    j["days_in_stage"] = json::array();
    for (const auto& d : r.daysInStage)
        j["days_in_stage"].push_back(
            {{"stage", core::toString(d.stage)}, {"stays", d.stays}, {"median_days", orNull(d.medianDays)}});
    j["test_drive"] = {
        {"customers", r.testDriveCustomers}, {"sold", r.testDriveCustomersSold}, {"rate", orNull(r.testDriveToSale)}};
    j["lost_reasons"] = json::array();
    for (const auto& l : r.lostReasons)
        j["lost_reasons"].push_back({{"reason", l.reason}, {"leads", l.leads}});
    return j;
}

// section,name,leads,reached,delivered,conversion,stays,median_days:
//  total (name "leads": the cohort), stage (leads now there, how many reached it, the conversion from the
//  stage before, its ended stays and their median), source (leads, delivered), lost_reason (leads) and
//  test_drive (leads = customers who drove, delivered = of which bought, conversion = their share).
void funnelCsv(const reports::FunnelReport& r) {
    std::vector<std::vector<std::string>> rows = {
        {"section", "name", "leads", "reached", "delivered", "conversion", "stays", "median_days"},
        {"total", "leads", std::to_string(r.leads), "", "", "", "", ""}};
    for (const auto& s : r.byStage) {
        std::vector<std::string> row = {
            "stage", std::string(core::toString(s.stage)), std::to_string(s.leads), "", "", "", "", ""};
        for (std::size_t i = 0; i < r.reached.size(); ++i)
            if (r.reached[i].stage == s.stage) {
                row[3] = std::to_string(r.reached[i].leads);
                if (i > 0 && i - 1 < r.conversions.size()) row[5] = number(r.conversions[i - 1].rate);
            }
        for (const auto& d : r.daysInStage)
            if (d.stage == s.stage) {
                row[6] = std::to_string(d.stays);
                row[7] = number(d.medianDays);
            }
        rows.push_back(std::move(row));
    }
    for (const auto& s : r.bySource)
        rows.push_back({"source", s.source, std::to_string(s.leads), "", std::to_string(s.delivered), "", "", ""});
    for (const auto& l : r.lostReasons)
        rows.push_back({"lost_reason", l.reason, std::to_string(l.leads), "", "", "", "", ""});
    rows.push_back({"test_drive", "customers", std::to_string(r.testDriveCustomers), "",
                    std::to_string(r.testDriveCustomersSold), number(r.testDriveToSale), "", ""});
    printCsv(rows);
}

void funnelText(const reports::FunnelReport& r, const ResolvedPeriod& p) {
    std::cout << "Funnel of the " << r.leads << " lead" << (r.leads == 1 ? "" : "s") << " opened " << p.period.from
              << " to " << p.lastDay << "\n\n";
    Table stages({"Stage", "Now", "Reached", "Conversion", "Median days", "Stays"}, "lrrrrr");
    for (const auto& s : r.byStage) {
        std::vector<std::string> row = {std::string(core::toString(s.stage)), std::to_string(s.leads), "", "", "", ""};
        for (std::size_t i = 0; i < r.reached.size(); ++i)
            if (r.reached[i].stage == s.stage) {
                row[2] = std::to_string(r.reached[i].leads);
                if (i > 0 && i - 1 < r.conversions.size()) row[3] = percent(r.conversions[i - 1].rate);
            }
        for (const auto& d : r.daysInStage)
            if (d.stage == s.stage) {
                row[4] = d.medianDays ? fixed(*d.medianDays, 1) : "-";
                row[5] = std::to_string(d.stays);
            }
        stages.add(row);
    }
    stages.print(std::cout);
    std::cout << "\nTest drive to sale: " << r.testDriveCustomersSold << " of " << r.testDriveCustomers
              << " customers (" << percent(r.testDriveToSale) << ")\n";
    if (!r.bySource.empty()) {
        std::cout << "\n";
        Table sources({"Source", "Leads", "Delivered"}, "lrr");
        for (const auto& s : r.bySource)
            sources.add({s.source, std::to_string(s.leads), std::to_string(s.delivered)});
        sources.print(std::cout);
    }
    if (!r.lostReasons.empty()) {
        std::cout << "\n";
        Table lost({"Lost reason", "Leads"}, "lr");
        for (const auto& l : r.lostReasons)
            lost.add({l.reason.empty() ? "(none given)" : l.reason, std::to_string(l.leads)});
        lost.print(std::cout);
    }
}

// ---- aging ------------------------------------------------------------------------------------------------------

std::string bucketName(const reports::AgingBucket& b) {
    return std::to_string(b.fromDays) + (b.toDays ? "-" + std::to_string(*b.toDays) : "+");
}
std::string bucketKey(const reports::AgingBucket& b) {
    return std::to_string(b.fromDays) + (b.toDays ? "_" + std::to_string(*b.toDays) : "_plus");
}

json bucketsJson(const reports::AgingBuckets& buckets) {
    json j = json::array();
    for (const auto& b : buckets)
        j.push_back({{"from_days", b.fromDays},
                     {"to_days", b.toDays ? json(*b.toDays) : json(nullptr)},
                     {"units", b.units},
                     {"capital", core::formatCents(b.capital)}});
    return j;
}

json turnJson(const reports::TurnRate& t, const ResolvedPeriod& p) {
    return {{"period", periodJson(p)},
            {"units_sold", t.unitsSold},
            {"average_inventory", t.averageInventory},
            {"turn", orNull(t.turn)},
            {"annualised", orNull(t.annualised)}};
}

json agingJson(const reports::AgingReport& r, const reports::TurnRate& t, const ResolvedPeriod& p) {
    json j = {{"as_of", r.asOf},
              {"units", r.units},
              {"capital", core::formatCents(r.capital)},
              {"buckets", bucketsJson(r.buckets)}};
    j["by_model"] = json::array();
    for (const auto& m : r.byModel)
        j["by_model"].push_back({{"make", m.make},
                                 {"model", m.model},
                                 {"units", m.units},
                                 {"capital", core::formatCents(m.capital)},
                                 {"oldest_days", m.oldestDays},
                                 {"average_days", m.averageDays},
                                 {"buckets", bucketsJson(m.buckets)}});
    j["by_showroom"] = json::array();
    for (const auto& s : r.byShowroom)
        j["by_showroom"].push_back({{"store_id", s.storeId},
                                    {"code", s.code},
                                    {"name", s.name},
                                    {"units", s.units},
                                    {"capital", core::formatCents(s.capital)},
                                    {"buckets", bucketsJson(s.buckets)}});
    j["turn"] = turnJson(t, p);
    return j;
}

// A row per model after a total row: units and capital overall and per bucket, oldest and average days.
void agingCsv(const reports::AgingReport& r) {
    std::vector<std::string> header = {"section", "make", "model", "showroom", "units", "capital"};
    for (const auto& b : r.buckets)
        header.push_back("units_" + bucketKey(b));
    for (const auto& b : r.buckets)
        header.push_back("capital_" + bucketKey(b));
    header.insert(header.end(), {"oldest_days", "average_days"});
    std::vector<std::vector<std::string>> rows = {header};
    auto row = [](std::vector<std::string> keys, std::int64_t units, core::Cents capital,
                  const reports::AgingBuckets& buckets) {
        keys.push_back(std::to_string(units));
        keys.push_back(core::formatCents(capital));
        for (const auto& b : buckets)
            keys.push_back(std::to_string(b.units));
        for (const auto& b : buckets)
            keys.push_back(core::formatCents(b.capital));
        return keys;
    };
    auto total = row({"total", "", "", ""}, r.units, r.capital, r.buckets);
    total.insert(total.end(), {"", ""});
    rows.push_back(total);
    for (const auto& m : r.byModel) {
        auto cells = row({"model", m.make, m.model, ""}, m.units, m.capital, m.buckets);
        cells.push_back(std::to_string(m.oldestDays));
        cells.push_back(number(m.averageDays));
        rows.push_back(std::move(cells));
    }
    for (const auto& s : r.byShowroom) {
        auto cells = row({"showroom", "", "", s.code}, s.units, s.capital, s.buckets);
        cells.insert(cells.end(), {"", ""});
        rows.push_back(std::move(cells));
    }
    printCsv(rows);
}

void agingText(const reports::AgingReport& r, const reports::TurnRate& t, const ResolvedPeriod& p) {
    std::cout << "Stock as of " << r.asOf << ": " << r.units << " unit" << (r.units == 1 ? "" : "s") << ", "
              << core::formatMoney(r.capital) << " tied up\n\n";
    Table buckets({"Days in stock", "Units", "Capital"}, "lrr");
    for (const auto& b : r.buckets)
        buckets.add({bucketName(b), std::to_string(b.units), core::formatMoney(b.capital)});
    buckets.print(std::cout);
    if (!r.byModel.empty()) {
        std::cout << "\n";
        std::vector<std::string> headers = {"Make", "Model", "Units", "Capital"};
        for (const auto& b : r.buckets)
            headers.push_back(bucketName(b));
        headers.insert(headers.end(), {"Oldest", "Average"});
        Table models(headers, "llrrrrrrrr");
        for (const auto& m : r.byModel) {
            std::vector<std::string> row = {m.make, m.model, std::to_string(m.units), core::formatMoney(m.capital)};
            for (const auto& b : m.buckets)
                row.push_back(std::to_string(b.units));
            row.push_back(std::to_string(m.oldestDays));
            row.push_back(fixed(m.averageDays, 1));
            models.add(row);
        }
        models.print(std::cout);
    }
    if (r.byShowroom.size() > 1) { // a showroom's own database has only itself to list
        std::cout << "\n";
        std::vector<std::string> headers = {"Showroom", "Name", "Units", "Capital"};
        for (const auto& b : r.buckets)
            headers.push_back(bucketName(b));
        Table showrooms(headers, "llrrrrrr");
        for (const auto& s : r.byShowroom) {
            std::vector<std::string> row = {s.code, s.name, std::to_string(s.units), core::formatMoney(s.capital)};
            for (const auto& b : s.buckets)
                row.push_back(std::to_string(b.units));
            showrooms.add(row);
        }
        showrooms.print(std::cout);
    }
    std::cout << "\nTurn " << p.period.from << " to " << p.lastDay << ": " << t.unitsSold << " sold, "
              << fixed(t.averageInventory, 1) << " in stock on average, turn " << (t.turn ? fixed(*t.turn, 2) : "-")
              << " (" << (t.annualised ? fixed(*t.annualised, 2) : "-") << " annualised)\n";
}

// ---- rfm --------------------------------------------------------------------------------------------------------

json rfmJson(const analytics::RfmReport& r, const std::optional<analytics::Segment>& only) {
    json j = {{"as_of", r.asOf}, {"customers", r.customers}, {"segments", json::array()}};
    for (const auto& s : r.segments) {
        if (only && s.segment != *only) continue;
        json members = json::array();
        for (const auto& c : s.customers)
            members.push_back({{"customer_id", c.score.input.customerId},
                               {"name", c.name},
                               {"phone", c.phone},
                               {"email", c.email},
                               {"last_purchase_at", c.lastPurchaseAt},
                               {"recency_days", c.score.input.recencyDays},
                               {"frequency", c.score.input.frequency},
                               {"monetary", core::formatCents(c.score.input.monetary)},
                               {"r", c.score.r},
                               {"f", c.score.f},
                               {"m", c.score.m}});
        j["segments"].push_back(
            {{"segment", analytics::toString(s.segment)}, {"count", s.customers.size()}, {"customers", members}});
    }
    return j;
}

void rfmCsv(const analytics::RfmReport& r, const std::optional<analytics::Segment>& only) {
    std::vector<std::vector<std::string>> rows = {{"segment", "customer_id", "name", "phone", "email",
                                                   "last_purchase_at", "recency_days", "frequency", "monetary", "r",
                                                   "f", "m"}};
    for (const auto& s : r.segments) {
        if (only && s.segment != *only) continue;
        for (const auto& c : s.customers)
            rows.push_back({std::string(analytics::toString(s.segment)), c.score.input.customerId, c.name, c.phone,
                            c.email, c.lastPurchaseAt, std::to_string(c.score.input.recencyDays),
                            std::to_string(c.score.input.frequency), core::formatCents(c.score.input.monetary),
                            std::to_string(c.score.r), std::to_string(c.score.f), std::to_string(c.score.m)});
    }
    printCsv(rows);
}

void rfmText(const analytics::RfmReport& r, const std::optional<analytics::Segment>& only) {
    std::cout << r.customers << " customer" << (r.customers == 1 ? "" : "s") << " with a purchase, as of " << r.asOf
              << "\n";
    Table summary({"Segment", "Customers"}, "lr");
    for (const auto& s : r.segments)
        summary.add({std::string(analytics::toString(s.segment)), std::to_string(s.customers.size())});
    std::cout << "\n";
    summary.print(std::cout);
    for (const auto& s : r.segments) {
        if (only ? s.segment != *only : s.customers.empty()) continue;
        std::cout << "\n" << analytics::toString(s.segment) << "\n";
        Table people({"Name", "Phone", "Last purchase", "Days", "Purchases", "Spent", "R", "F", "M"}, "lllrrrrrr");
        for (const auto& c : s.customers)
            people.add({c.name, c.phone, c.lastPurchaseAt.substr(0, 10), std::to_string(c.score.input.recencyDays),
                        std::to_string(c.score.input.frequency), core::formatMoney(c.score.input.monetary),
                        std::to_string(c.score.r), std::to_string(c.score.f), std::to_string(c.score.m)});
        people.print(std::cout);
    }
}

// ---- forecast ---------------------------------------------------------------------------------------------------

std::string historyMonth(const analytics::SeriesForecast& s, std::size_t i) {
    const std::string day = core::addMonths(s.firstMonth + "-01", static_cast<int>(i));
    return day.empty() ? "" : day.substr(0, 7);
}

json seriesJson(const analytics::SeriesForecast& s) {
    const auto& f = s.forecast;
    const bool ok = f.status == analytics::ForecastStatus::Ok;
    json j = {{"make", s.make},
              {"model", s.model},
              {"first_month", s.firstMonth},
              {"history", s.history},
              {"status", analytics::toString(f.status)},
              {"reason", f.reason},
              {"method", ok ? json(analytics::toString(f.method)) : json(nullptr)},
              {"seasonal", ok ? json(f.seasonal) : json(nullptr)}};
    j["points"] = json::array();
    for (std::size_t i = 0; i < f.points.size(); ++i)
        j["points"].push_back({{"month", i < s.months.size() ? s.months[i] : ""},
                               {"value", f.points[i].value},
                               {"low", f.points[i].low},
                               {"high", f.points[i].high}});
    j["backtest"] = json::array();
    for (const auto& b : f.backtest)
        j["backtest"].push_back({{"method", analytics::toString(b.method)},
                                 {"mape", orNull(b.mape)},
                                 {"mae", b.mae},
                                 {"points", b.points}});
    return j;
}

json forecastJson(const analytics::SalesForecast& r, int horizon) {
    json j = {{"as_of", r.asOf}, {"horizon", horizon}, {"total", seriesJson(r.total)}, {"by_model", json::array()}};
    for (const auto& s : r.byModel)
        j["by_model"].push_back(seriesJson(s));
    return j;
}

// A row per series and month: the history (units) and then the forecast (units = the point forecast, with
// its 80 % interval); the total's make and model are empty.
void forecastCsv(const analytics::SalesForecast& r) {
    std::vector<std::vector<std::string>> rows = {
        {"series", "make", "model", "month", "kind", "units", "low", "high", "method", "status", "seasonal"}};
    auto add = [&](const char* series, const analytics::SeriesForecast& s) {
        const auto& f = s.forecast;
        const bool ok = f.status == analytics::ForecastStatus::Ok;
        const std::string status(analytics::toString(f.status));
        const std::string method = ok ? std::string(analytics::toString(f.method)) : "";
        const std::string seasonal = ok ? (f.seasonal ? "true" : "false") : "";
        for (std::size_t i = 0; i < s.history.size(); ++i)
            rows.push_back({series, s.make, s.model, historyMonth(s, i), "history", number(s.history[i]), "", "", method,
                            status, seasonal});
        for (std::size_t i = 0; i < f.points.size(); ++i)
            rows.push_back({series, s.make, s.model, i < s.months.size() ? s.months[i] : "", "forecast",
                            number(f.points[i].value), number(f.points[i].low), number(f.points[i].high), method,
                            status, seasonal});
    };
    add("total", r.total);
    for (const auto& s : r.byModel)
        add("model", s);
    printCsv(rows);
}

void forecastText(const analytics::SalesForecast& r) {
    std::cout << "Forecast as of " << r.asOf << " (80 % intervals)\n";
    auto series = [](const std::string& name, const analytics::SeriesForecast& s) {
        const auto& f = s.forecast;
        std::cout << "\n"
                  << name << ": " << s.history.size() << " month" << (s.history.size() == 1 ? "" : "s")
                  << " of history";
        if (f.status != analytics::ForecastStatus::Ok) {
            std::cout << "; no forecast: " << f.reason << "\n";
            return;
        }
        std::cout << ", " << analytics::toString(f.method);
        for (const auto& b : f.backtest)
            std::cout << (b.method == f.backtest.front().method ? " (MAPE " : ", ") << analytics::toString(b.method)
                      << " " << percent(b.mape);
        std::cout << (f.backtest.empty() ? "" : ")") << "\n";
        if (!f.seasonal)
            std::cout << "Trend only: the season needs " << analytics::kSeasonalHistoryMonths << " months of sales\n";
        Table points({"Month", "Units", "Low", "High"}, "lrrr");
        for (std::size_t i = 0; i < f.points.size(); ++i)
            points.add({i < s.months.size() ? s.months[i] : "", fixed(f.points[i].value, 1), fixed(f.points[i].low, 1),
                        fixed(f.points[i].high, 1)});
        points.print(std::cout);
    };
    series("Total", r.total);
    for (const auto& s : r.byModel)
        series(s.make + " " + s.model, s);
}

// ---- follow-ups ---------------------------------------------------------------------------------------------

json followUpsJson(const reports::FollowUpReport& r) {
    json j = {{"day", r.day}, {"overdue", r.overdue}, {"due_today", r.dueToday}, {"by_salesperson", json::array()}};
    for (const auto& s : r.bySalesperson) {
        json items = json::array();
        for (const auto& i : s.items)
            items.push_back({{"follow_up_id", i.followUpId},
                             {"lead_id", i.leadId},
                             {"customer_id", i.customerId},
                             {"customer_name", i.customerName},
                             {"due_at", i.dueAt},
                             {"note", i.note},
                             {"overdue", i.overdue}});
        j["by_salesperson"].push_back({{"staff_id", s.staffId},
                                       {"name", s.name},
                                       {"overdue", s.overdue},
                                       {"due_today", s.dueToday},
                                       {"items", items}});
    }
    return j;
}

void followUpsCsv(const reports::FollowUpReport& r) {
    std::vector<std::vector<std::string>> rows = {{"staff_id", "salesperson", "due_at", "overdue", "customer_id",
                                                   "customer_name", "lead_id", "follow_up_id", "note"}};
    for (const auto& s : r.bySalesperson)
        for (const auto& i : s.items)
            rows.push_back({s.staffId, s.name, i.dueAt, i.overdue ? "true" : "false", i.customerId, i.customerName,
                            i.leadId, i.followUpId, i.note});
    printCsv(rows);
}

void followUpsText(const reports::FollowUpReport& r) {
    std::cout << "Follow-ups on " << r.day << ": " << r.overdue << " overdue, " << r.dueToday << " due today\n";
    for (const auto& s : r.bySalesperson) {
        std::cout << "\n"
                  << (s.name.empty() ? (s.staffId.empty() ? "(unassigned)" : s.staffId) : s.name) << ": " << s.overdue
                  << " overdue, " << s.dueToday << " due today\n";
        Table items({"Due", "", "Customer", "Note"}, "llll");
        for (const auto& i : s.items)
            items.add({i.dueAt, i.overdue ? "overdue" : "today", i.customerName, i.note});
        items.print(std::cout);
    }
}

// ---- pdf --------------------------------------------------------------------------------------------------------

// The monthly report's period and as-of time: a past month whole, as of the first moment of the next; the
// current month to date, as of now.
struct MonthWindow {
    reports::Period period;
    std::string asOf;
};

core::Result<MonthWindow> monthWindow(const Cli& cli, const std::string& month) {
    const core::UnixSeconds now = cli.now();
    const std::string today = core::formatDate(now);
    const std::string ym = month.empty() ? today.substr(0, 7) : month;
    auto first = core::parseUtc(ym + "-01");
    if (ym.size() != 7 || !first)
        return badInput("--month: '" + ym.substr(0, 40) + "' is not a month (expected YYYY-MM)");
    MonthWindow w;
    w.period.from = ym + "-01";
    const std::string next = core::addMonths(w.period.from, 1);
    if (w.period.from > today) return badInput("--month " + ym + " has not started yet (today is " + today + ")");
    const std::string tomorrow = core::formatDate(now + 86'400);
    w.period.to = std::min(next, tomorrow);
    w.asOf = next <= today ? next + "T00:00:00Z" : core::formatUtc(now);
    return w;
}

core::Result<devices::pdf::MonthlyReport> gatherMonth(core::db::Connection& db, const MonthWindow& w,
                                                      reports::Granularity by, std::string title) {
    devices::pdf::MonthlyReport m;
    m.month = w.period.from.substr(0, 7);
    m.showroom = std::move(title);
    auto sales = reports::sales(db, w.period, by);
    if (!sales) return sales.error();
    m.sales = std::move(*sales);
    auto funnel = reports::funnel(db, w.period);
    if (!funnel) return funnel.error();
    m.funnel = std::move(*funnel);
    auto aging = reports::aging(db, w.asOf);
    if (!aging) return aging.error();
    m.aging = std::move(*aging);
    auto turn = reports::turnRate(db, w.period);
    if (!turn) return turn.error();
    m.turn = std::move(*turn);
    auto forecast = analytics::forecastSales(db, w.asOf);
    if (!forecast) return forecast.error();
    m.forecast = std::move(*forecast);
    return m;
}

// Runs a report body on the host's database; refuses --json with --csv first.
template <class Fn> Exit withReport(Cli& cli, const Flags& f, Fn&& fn) {
    if (f.csv && cli.json()) return cli.report(badInput("choose one of --json and --csv"));
    Exit exit = Exit::Ok;
    auto conn = cli.open(exit);
    if (!conn) return exit;
    return fn(*conn);
}

} // namespace

core::Status writeFileAtomically(const std::string& path, const std::string& bytes) {
    const std::string partial = path + ".partial";
    std::FILE* f = std::fopen(partial.c_str(), "wb");
    if (!f) return core::fail(core::ErrorCode::Io, "cannot write " + partial);
    const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    if (std::fclose(f) != 0 || !written) {
        std::remove(partial.c_str());
        return core::fail(core::ErrorCode::Io, "could not write the whole file " + partial);
    }
    std::error_code ec;
    std::filesystem::rename(partial, path, ec);
    if (ec) {
        std::filesystem::remove(partial, ec);
        return core::fail(core::ErrorCode::Io, "cannot store " + path + ": " + ec.message());
    }
    return {};
}

void addReportSubcommands(CLI::App& report, ReportHost host) {
    // The commands' actions run after this returns: they share the host through `self`.
    const auto self = std::make_shared<Cli>(std::move(host));
    Cli& registrar = *self;

    auto periodOptions = [](CLI::App* cmd, Flags& f) {
        cmd->add_option("--from", f.from, "First day, YYYY-MM-DD (default: the first of --to's month)");
        cmd->add_option("--to", f.to, "Last day, inclusive, YYYY-MM-DD (default: today)");
    };
    auto asOfOption = [](CLI::App* cmd, Flags& f) {
        cmd->add_option("--as-of", f.asOf, "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (default: now)");
    };
    auto csvFlag = [](CLI::App* cmd, Flags& f) { cmd->add_flag("--csv", f.csv, "Print CSV with a header row"); };

    // report sales
    {
        auto f = std::make_shared<Flags>();
        auto* cmd = report.add_subcommand("sales", "Units and gross by day/week/month, salesperson, model, new/used");
        periodOptions(cmd, *f);
        cmd->add_option("--by", f->by, "Time buckets: day, week (ISO) or month")->capture_default_str();
        csvFlag(cmd, *f);
        registrar.on(cmd, [self, f] {
            Cli& cli = *self;
            auto by = reports::parseGranularity(f->by);
            if (!by) return cli.report(badInput("--by: '" + f->by + "' is not day, week or month"));
            auto period = resolvePeriod(cli, *f);
            if (!period) return cli.report(period.error());
            return withReport(cli, *f, [&](core::db::Connection& db) {
                auto r = reports::sales(db, period->period, *by);
                if (!r) return cli.report(r.error());
                if (cli.json())
                    cli.printJson(salesJson(*r, *period));
                else if (f->csv)
                    salesCsv(*r);
                else
                    salesText(*r, *period);
                return Exit::Ok;
            });
        });
    }

    // report funnel
    {
        auto f = std::make_shared<Flags>();
        auto* cmd = report.add_subcommand("funnel", "The leads opened in a period: stages, conversions, sources");
        periodOptions(cmd, *f);
        csvFlag(cmd, *f);
        registrar.on(cmd, [self, f] {
            Cli& cli = *self;
            auto period = resolvePeriod(cli, *f);
            if (!period) return cli.report(period.error());
            return withReport(cli, *f, [&](core::db::Connection& db) {
                auto r = reports::funnel(db, period->period);
                if (!r) return cli.report(r.error());
                if (cli.json())
                    cli.printJson(funnelJson(*r, *period));
                else if (f->csv)
                    funnelCsv(*r);
                else
                    funnelText(*r, *period);
                return Exit::Ok;
            });
        });
    }

    // report aging
    {
        auto f = std::make_shared<Flags>();
        auto* cmd = report.add_subcommand("aging", "Days in stock by bucket and model, capital tied up; turn rate");
        asOfOption(cmd, *f);
        periodOptions(cmd, *f);
        csvFlag(cmd, *f);
        cmd->footer("--from/--to are the turn rate's period. CSV holds the aging table only.");
        registrar.on(cmd, [self, f] {
            Cli& cli = *self;
            auto asOf = resolveAsOf(cli, *f);
            if (!asOf) return cli.report(asOf.error());
            auto period = resolvePeriod(cli, *f);
            if (!period) return cli.report(period.error());
            return withReport(cli, *f, [&](core::db::Connection& db) {
                auto r = reports::aging(db, *asOf);
                if (!r) return cli.report(r.error());
                auto turn = reports::turnRate(db, period->period);
                if (!turn) return cli.report(turn.error());
                if (cli.json())
                    cli.printJson(agingJson(*r, *turn, *period));
                else if (f->csv)
                    agingCsv(*r);
                else
                    agingText(*r, *turn, *period);
                return Exit::Ok;
            });
        });
    }

    // report rfm
    {
        auto f = std::make_shared<Flags>();
        auto* cmd = report.add_subcommand("rfm", "Customers by recency, frequency and money spent, in segments");
        asOfOption(cmd, *f);
        cmd->add_option("--segment", f->segment,
                        "Only this segment: champions, loyal, new, promising, at_risk, hibernating or lost");
        csvFlag(cmd, *f);
        registrar.on(cmd, [self, f] {
            Cli& cli = *self;
            auto asOf = resolveAsOf(cli, *f);
            if (!asOf) return cli.report(asOf.error());
            std::optional<analytics::Segment> only;
            for (auto s : analytics::allSegments())
                if (analytics::toString(s) == f->segment) only = s;
            if (!f->segment.empty() && !only)
                return cli.report(badInput("--segment: '" + f->segment +
                                           "' is not champions, loyal, new, promising, at_risk, hibernating or lost"));
            return withReport(cli, *f, [&](core::db::Connection& db) {
                auto r = analytics::rfm(db, *asOf);
                if (!r) return cli.report(r.error());
                if (cli.json())
                    cli.printJson(rfmJson(*r, only));
                else if (f->csv)
                    rfmCsv(*r, only);
                else
                    rfmText(*r, only);
                return Exit::Ok;
            });
        });
    }

    // report forecast
    {
        auto f = std::make_shared<Flags>();
        auto* cmd = report.add_subcommand("forecast", "Monthly units forecast in total and per model, 80 % intervals");
        asOfOption(cmd, *f);
        cmd->add_option("--horizon", f->horizon, "Months to forecast from --as-of's month, 1 to 24")
            ->capture_default_str();
        csvFlag(cmd, *f);
        registrar.on(cmd, [self, f] {
            Cli& cli = *self;
            auto asOf = resolveAsOf(cli, *f);
            if (!asOf) return cli.report(asOf.error());
            if (f->horizon < 1 || f->horizon > 24) return cli.report(badInput("--horizon must be 1 to 24 months"));
            return withReport(cli, *f, [&](core::db::Connection& db) {
                auto r = analytics::forecastSales(db, *asOf, f->horizon);
                if (!r) return cli.report(r.error());
                if (cli.json())
                    cli.printJson(forecastJson(*r, f->horizon));
                else if (f->csv)
                    forecastCsv(*r);
                else
                    forecastText(*r);
                return Exit::Ok;
            });
        });
    }

    // report followups
    {
        auto f = std::make_shared<Flags>();
        auto* cmd = report.add_subcommand("followups", "Overdue and due-today follow-ups per salesperson");
        asOfOption(cmd, *f);
        csvFlag(cmd, *f);
        registrar.on(cmd, [self, f] {
            Cli& cli = *self;
            auto asOf = resolveAsOf(cli, *f);
            if (!asOf) return cli.report(asOf.error());
            return withReport(cli, *f, [&](core::db::Connection& db) {
                auto r = reports::followUps(db, *asOf);
                if (!r) return cli.report(r.error());
                if (cli.json())
                    cli.printJson(followUpsJson(*r));
                else if (f->csv)
                    followUpsCsv(*r);
                else
                    followUpsText(*r);
                return Exit::Ok;
            });
        });
    }

    // report pdf
    {
        auto f = std::make_shared<Flags>();
        auto* cmd = report.add_subcommand("pdf", "The monthly report with charts as a PDF file");
        cmd->add_option("--out", f->out, "PDF file to write")->required();
        cmd->add_option("--month", f->month, "YYYY-MM (default: this month, to date)");
        cmd->add_option("--lang", f->language, "Language: en or zh-CN")
            ->check(CLI::IsMember({"en", "zh-CN"}))
            ->capture_default_str();
        cmd->add_option("--by", f->by, "Bars per day or week")
            ->check(CLI::IsMember({"day", "week"}))
            ->capture_default_str();
        registrar.on(cmd, [self, f] {
            Cli& cli = *self;
            auto window = monthWindow(cli, f->month);
            if (!window) return cli.report(window.error());
            Exit exit = Exit::Ok;
            auto conn = cli.open(exit);
            if (!conn) return exit;
            auto month = gatherMonth(*conn, *window, reports::parseGranularity(f->by).value(),
                                     cli.title(*conn, f->language));
            if (!month) return cli.report(month.error());
            month->language = f->language;
            auto rendered = devices::pdf::HaruReportRenderer().render(*month);
            if (!rendered) return cli.report(rendered.error());
            if (auto written = writeFileAtomically(f->out, rendered->pdf); !written) return cli.report(written.error());
            const std::string sha256 = core::sha256Hex(rendered->pdf);
            if (cli.json()) {
                cli.printJson({{"month", month->month},
                               {"from", window->period.from},
                               {"to", core::formatDate(core::parseUtc(window->period.to).value() - 86'400)},
                               {"as_of", month->aging.asOf},
                               {"language", f->language},
                               {"path", f->out},
                               {"pages", rendered->pages},
                               {"bytes", rendered->pdf.size()},
                               {"sha256", sha256},
                               {"units", month->sales.total.units},
                               {"total_gross", core::formatCents(month->sales.total.totalGross)}});
            } else {
                std::cout << "Monthly report " << month->month << " written to " << f->out << " (" << rendered->pages
                          << " page" << (rendered->pages == 1 ? "" : "s") << ")\n"
                          << "sha256 " << sha256 << "\n";
            }
            return Exit::Ok;
        });
    }
}

} // namespace showroom::cli
