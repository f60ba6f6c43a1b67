#include "showroom/core/network_stock.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string_view>
#include <variant>

namespace showroom::core {

namespace {

using Bound = std::variant<std::int64_t, std::string>;

// The rows as the kiosk may show them. Every field is read through json_type first, and the JSON
// itself only once it is known to be a valid object: a malformed row makes json_extract raise an
// SQL error that would fail the whole query, so invalid data is turned into NULL before any
// extraction sees it (CASE is evaluated in order, unlike AND). A VIN is at the showroom whose row
// HQ wrote last.
constexpr std::string_view kOffered = R"SQL(
WITH latest AS (
    SELECT store_code, vin, data FROM (
        SELECT store_code, vin, data,
               row_number() OVER (PARTITION BY vin ORDER BY hq_seq DESC, store_code) AS rn
        FROM network_vehicles)
    WHERE rn = 1
), parsed AS (
    SELECT store_code, vin,
           CASE WHEN typeof(data) = 'text' AND json_valid(data)
                THEN CASE WHEN json_type(data) = 'object' THEN data END END AS j
    FROM latest
), fields AS (
    SELECT store_code, vin,
           CASE WHEN json_type(j, '$.store_name') = 'text' THEN json_extract(j, '$.store_name') END AS store_name,
           CASE WHEN json_type(j, '$.year') = 'integer' THEN json_extract(j, '$.year') END AS year,
           CASE WHEN json_type(j, '$.make') = 'text' THEN json_extract(j, '$.make') END AS make,
           CASE WHEN json_type(j, '$.model') = 'text' THEN json_extract(j, '$.model') END AS model,
           CASE WHEN json_type(j, '$.trim') = 'text' THEN json_extract(j, '$.trim') ELSE '' END AS trim,
           CASE WHEN json_type(j, '$.body') = 'text' THEN json_extract(j, '$.body') ELSE '' END AS body,
           CASE WHEN json_type(j, '$.fuel') = 'text' THEN json_extract(j, '$.fuel') ELSE '' END AS fuel,
           CASE WHEN json_type(j, '$.condition') = 'text' THEN json_extract(j, '$.condition') END AS condition,
           CASE WHEN json_type(j, '$.odometer') = 'integer' THEN json_extract(j, '$.odometer') END AS odometer,
           CASE WHEN json_type(j, '$.exterior_color') = 'text' THEN json_extract(j, '$.exterior_color') ELSE '' END
               AS color,
           CASE WHEN json_type(j, '$.status') = 'text' THEN json_extract(j, '$.status') END AS status,
           CASE WHEN json_type(j, '$.photos') = 'array' THEN json_extract(j, '$.photos') END AS photos,
           json_type(j, '$.price') AS price_type,
           json_extract(j, '$.price') AS price_raw
    FROM parsed
    WHERE j IS NOT NULL
), offered AS (
    SELECT store_code, vin,
           coalesce(nullif(store_name, ''), (SELECT s.name FROM stores s WHERE s.code = fields.store_code), store_code)
               AS store_name,
           year, make, model, trim, body, fuel, condition, odometer, color, photos,
           CASE WHEN price_type IN ('integer', 'real') THEN CAST(round(price_raw * 100) AS INTEGER)
                WHEN price_type = 'text' AND price_raw GLOB '[0-9]*' AND price_raw NOT GLOB '*[^0-9.]*'
                     AND price_raw NOT GLOB '*.*.*' AND length(price_raw) <= 16
                THEN CAST(round(CAST(price_raw AS REAL) * 100) AS INTEGER) END AS price
    FROM fields
    WHERE status = 'in_stock' AND year IS NOT NULL AND make <> '' AND model <> ''
      AND condition IN ('new', 'used', 'certified') AND odometer >= 0
      -- Never this showroom's own stock: not its code, not a VIN it holds (a car transferred here).
      AND store_code IS NOT (SELECT s.code FROM stores s JOIN settings t ON t.value = s.id
                             WHERE t.key = 'local_store_id')
      AND vin NOT IN (SELECT v.vin FROM vehicles v JOIN settings t ON t.key = 'local_store_id' AND t.value = v.store_id
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
        where += " AND instr(showroom_fold(make || ' ' || model || ' ' || trim || ' ' || body || ' ' || fuel || ' ' || "
                 "color || ' ' || year), showroom_fold(?)) > 0";
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

// Columns: store_code, store_name, vin, year, make, model, trim, body, fuel, condition, odometer,
// color, price, photos.
constexpr std::string_view kColumns = "store_code, store_name, vin, year, make, model, trim, body, fuel, condition, "
                                      "odometer, color, price, photos";

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
    // One pass: the window count is taken over every match before LIMIT keeps the cheapest.
    auto stmt = db.prepare(std::string(kOffered) + "SELECT " + std::string(kColumns) +
                           ", count(*) OVER () FROM offered WHERE " + where + " ORDER BY price, vin LIMIT ?");
    if (!stmt) return stmt.error();
    auto all = binds;
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
    auto stmt = db.prepare(std::string(kOffered) + "SELECT " + std::string(kColumns) +
                           " FROM offered WHERE price IS NOT NULL AND vin = ? LIMIT 1");
    if (!stmt) return stmt.error();
    stmt->bindAll(vin);
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return std::optional<NetworkVehicle>{};
    return std::optional<NetworkVehicle>{readRow(*stmt)};
}

} // namespace showroom::core
