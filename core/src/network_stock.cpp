#include "showroom/core/network_stock.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string_view>
#include <variant>

namespace showroom::core {

namespace {

using Bound = std::variant<std::int64_t, std::string>;

// The rows as the kiosk may show them, from the columns migration 0005 generates from each row's
// data when the sync client writes it: no JSON is parsed here, except the photos of the page
// returned. A field the data lacks, or holds with the wrong type, is NULL there (or ''), and so is
// every field of a row whose data is not JSON; the WHERE below leaves such rows out. A VIN is at the
// showroom whose row HQ wrote last (the highest hq_seq, then the lowest store code): a row is
// offered only when no row of its VIN is later, looked up by network_vehicles_vin.
constexpr std::string_view kOffered = R"SQL(
WITH offered AS NOT MATERIALIZED (
    SELECT n.rowid AS rid, n.store_code, n.vin,
           coalesce(nullif(n.store_name, ''), (SELECT s.name FROM stores s WHERE s.code = n.store_code), n.store_code)
               AS store_name,
           n.year, n.make, n.model, n.trim, n.body, n.fuel, n.condition, n.odometer, n.exterior_color AS color,
           n.price, n.search_text
    FROM network_vehicles n
    WHERE n.status = 'in_stock' AND n.year IS NOT NULL AND n.make <> '' AND n.model <> ''
      AND n.condition IN ('new', 'used', 'certified') AND n.odometer >= 0
      AND NOT EXISTS (SELECT 1 FROM network_vehicles later
                      WHERE later.vin = n.vin AND (later.hq_seq > n.hq_seq
                                                   OR (later.hq_seq = n.hq_seq AND later.store_code < n.store_code)))
      -- Never this showroom's own stock: not its code, not a VIN it holds (a car transferred here).
      AND n.store_code IS NOT (SELECT s.code FROM stores s JOIN settings t ON t.value = s.id
                               WHERE t.key = 'local_store_id')
      AND n.vin NOT IN (SELECT v.vin FROM vehicles v JOIN settings t ON t.key = 'local_store_id' AND t.value = v.store_id
                        WHERE v.status IN ('incoming', 'in_stock', 'on_hold'))
)
)SQL";

// Words of the free text: split on white space only, so "F-150" and "CX-5" stay one word.
std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out;
    std::string current;
    for (char c : text) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            if (!current.empty()) out.push_back(std::move(current));
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.empty()) out.push_back(std::move(current));
    if (out.size() > 8) out.resize(8);
    return out;
}

template <class T, class F>
void anyOf(std::string& where, std::vector<Bound>& binds, std::string_view column, const std::vector<T>& values,
           F&& toText) {
    if (values.empty()) return;
    where += " AND " + std::string(column) + " IN (";
    for (std::size_t i = 0; i < values.size(); ++i) {
        where += i ? ",?" : "?";
        binds.emplace_back(std::string(toText(values[i])));
    }
    where += ")";
}

std::string whereClause(const NetworkStockQuery& q, std::vector<Bound>& binds) {
    std::string where = "price IS NOT NULL";
    for (const auto& w : words(q.text)) {
        where += " AND instr(showroom_fold(search_text), showroom_fold(?)) > 0";
        binds.emplace_back(w);
    }
    const auto same = [](const std::string& s) { return s; };
    anyOf(where, binds, "make COLLATE NOCASE", q.makes, same);
    anyOf(where, binds, "body", q.bodies, same);
    anyOf(where, binds, "fuel", q.fuels, same);
    anyOf(where, binds, "condition", q.conditions, [](Condition c) { return toString(c); });
    if (q.priceMin) {
        where += " AND price >= ?";
        binds.emplace_back(*q.priceMin);
    }
    if (q.priceMax) {
        where += " AND price <= ?";
        binds.emplace_back(*q.priceMax);
    }
    if (q.yearMin) {
        where += " AND year >= ?";
        binds.emplace_back(std::int64_t{*q.yearMin});
    }
    if (q.yearMax) {
        where += " AND year <= ?";
        binds.emplace_back(std::int64_t{*q.yearMax});
    }
    return where;
}

void bindAll(db::Statement& stmt, const std::vector<Bound>& binds) {
    int i = 0;
    for (const auto& b : binds)
        std::visit([&](const auto& v) { stmt.bind(++i, v); }, b);
}

// What readRow reads from `page` (rows of offered) joined to their own row `d`: store_code,
// store_name, vin, year, make, model, trim, body, fuel, condition, odometer, color, price, photos.
// Only these few rows' data is read, for the photos; it is JSON (doc is not NULL for a row that has a
// status).
constexpr std::string_view kPageColumns =
    "page.store_code, page.store_name, page.vin, page.year, page.make, page.model, page.trim, page.body, page.fuel, "
    "page.condition, page.odometer, page.color, page.price, "
    "CASE WHEN json_type(d.doc, '$.photos') = 'array' THEN json_extract(d.doc, '$.photos') END";

// The matches' cheapest `limit` and, as the last column, the count of every match: one statement
// (one snapshot of the table), two passes. The page walks network_vehicles_offered in price order
// and stops once it has `limit` matches; the count reads every row in stock. (A count(*) OVER ()
// window in one pass copies every match before LIMIT keeps the cheapest: several times slower.)
// `offered` is NOT MATERIALIZED so that, named twice, it is not copied whole either.
// Binds: the WHERE's twice, then the limit.
std::string pageSql(const std::string& where) {
    return std::string(kOffered) + "SELECT " + std::string(kPageColumns) + ", (SELECT count(*) FROM offered WHERE " +
           where + ") FROM (SELECT * FROM offered WHERE " + where +
           " ORDER BY price, vin LIMIT ?) AS page JOIN network_vehicles d ON d.rowid = page.rid "
           "ORDER BY page.price, page.vin";
}

NetworkVehicle readRow(const db::Statement& stmt) {
    NetworkVehicle v;
    v.storeCode = stmt.getText(0);
    v.storeName = stmt.getText(1);
    v.vin = stmt.getText(2);
    v.year = static_cast<int>(stmt.getInt(3));
    v.make = stmt.getText(4);
    v.model = stmt.getText(5);
    v.trim = stmt.getText(6);
    v.body = stmt.getText(7);
    v.fuel = stmt.getText(8);
    if (auto c = parseCondition(stmt.getText(9))) v.condition = *c; // the SQL admits only valid ones
    v.odometer = stmt.getInt(10);
    v.exteriorColor = stmt.getText(11);
    v.price = stmt.getInt(12);
    if (auto photos = stmt.getOptionalText(13)) {
        // An array by json_type; its elements may still be anything: keep the strings.
        const auto parsed = nlohmann::json::parse(*photos, nullptr, false);
        if (parsed.is_array())
            for (const auto& p : parsed)
                if (p.is_string()) v.photos.push_back(p.get<std::string>());
    }
    return v;
}

Result<std::int64_t> countWhere(db::Connection& db, const std::string& where, const std::vector<Bound>& binds) {
    auto stmt = db.prepare(std::string(kOffered) + "SELECT count(*) FROM offered WHERE " + where);
    if (!stmt) return stmt.error();
    bindAll(*stmt, binds);
    auto row = stmt->step();
    if (!row) return row.error();
    return *row ? stmt->getInt(0) : 0;
}

} // namespace

Result<NetworkStockPage> searchNetworkStock(db::Connection& db, const NetworkStockQuery& query) {
    std::vector<Bound> binds;
    const std::string where = whereClause(query, binds);
    NetworkStockPage page;
    const int limit = std::clamp(query.limit, 0, 500);
    if (limit == 0) {
        auto total = countWhere(db, where, binds);
        if (!total) return total.error();
        page.total = *total;
        return page;
    }
    auto stmt = db.prepare(pageSql(where));
    if (!stmt) return stmt.error();
    auto all = binds;
    all.insert(all.end(), binds.begin(), binds.end());
    all.emplace_back(std::int64_t{limit});
    bindAll(*stmt, all);
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) break;
        page.vehicles.push_back(readRow(*stmt));
        page.total = stmt->getInt(14);
    }
    return page;
}

Result<std::int64_t> countNetworkStock(db::Connection& db, const NetworkStockQuery& query) {
    std::vector<Bound> binds;
    const std::string where = whereClause(query, binds);
    return countWhere(db, where, binds);
}

Result<std::optional<NetworkVehicle>> findNetworkVehicle(db::Connection& db, std::string_view vin) {
    // By network_vehicles_vin: the unary + keeps price off the browse index, which would walk every row.
    auto stmt = db.prepare(std::string(kOffered) + "SELECT " + std::string(kPageColumns) +
                           ", 1 FROM offered AS page JOIN network_vehicles d ON d.rowid = page.rid "
                           "WHERE page.vin = ? AND +page.price IS NOT NULL LIMIT 1");
    if (!stmt) return stmt.error();
    stmt->bindAll(vin);
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return std::optional<NetworkVehicle>{};
    return std::optional<NetworkVehicle>{readRow(*stmt)};
}

} // namespace showroom::core
