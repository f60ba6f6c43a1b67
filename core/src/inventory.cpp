#include "showroom/core/inventory.hpp"

#include "showroom/core/csv.hpp"
#include "showroom/core/json.hpp"
#include "showroom/core/network.hpp"
#include "showroom/core/store.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <ostream>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <variant>

namespace showroom::core {

namespace {

constexpr std::string_view kVehicleColumns =
    "v.id, v.store_id, v.vin, v.stock_no, v.condition, v.year, v.make, v.model, v.trim, v.body, v.fuel, "
    "v.drivetrain, v.transmission, v.exterior_color, v.interior_color, v.odometer, v.msrp_cents, v.price_cents, "
    "v.cost_cents, v.features, v.photos, v.lot_location, v.status, v.received_at, v.status_changed_at, "
    "v.created_at, v.updated_at";

Vehicle readVehicle(const db::Statement& s) {
    Vehicle v;
    v.id = s.getText(0);
    v.storeId = s.getText(1);
    v.vin = s.getText(2);
    v.stockNo = s.getText(3);
    v.condition = parseCondition(s.getText(4)).value();
    v.year = static_cast<int>(s.getInt(5));
    v.make = s.getText(6);
    v.model = s.getText(7);
    v.trim = s.getText(8);
    v.body = s.getText(9);
    v.fuel = s.getText(10);
    v.drivetrain = s.getText(11);
    v.transmission = s.getText(12);
    v.exteriorColor = s.getText(13);
    v.interiorColor = s.getText(14);
    v.odometer = s.getInt(15);
    v.msrp = s.getInt(16);
    v.price = s.getInt(17);
    v.cost = s.getInt(18);
    v.features = splitList(s.getText(19));
    v.photos = splitList(s.getText(20));
    v.lotLocation = s.getText(21);
    v.status = parseVehicleStatus(s.getText(22)).value();
    v.receivedAt = s.getText(23);
    v.statusChangedAt = s.getText(24);
    v.createdAt = s.getText(25);
    v.updatedAt = s.getText(26);
    return v;
}

constexpr std::string_view kInsertVehicle =
    "INSERT INTO vehicles(id, store_id, vin, stock_no, condition, year, make, model, trim, body, fuel, drivetrain, "
    "transmission, exterior_color, interior_color, odometer, msrp_cents, price_cents, cost_cents, features, photos, "
    "lot_location, status, received_at, status_changed_at, created_at, updated_at) "
    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

void bindVehicle(db::Statement& s, const Vehicle& v) {
    s.bindAll(v.id, v.storeId, v.vin, v.stockNo, toString(v.condition), v.year, v.make, v.model, v.trim, v.body,
              v.fuel, v.drivetrain, v.transmission, v.exteriorColor, v.interiorColor, v.odometer, v.msrp, v.price,
              v.cost, joinList(v.features), joinList(v.photos), v.lotLocation, toString(v.status), v.receivedAt,
              v.statusChangedAt, v.createdAt, v.updatedAt);
}

std::string describeDuplicate(const Error& e, const Vehicle& v) {
    if (e.message.find("vehicles.vin") != std::string::npos) return "VIN " + v.vin + " is already in the inventory";
    if (e.message.find("vehicles.stock_no") != std::string::npos)
        return "stock number " + v.stockNo + " is already in use";
    return e.message;
}

// Structural checks that need no database. `latestYear` is next calendar year. A porter who
// confirmed the label waives the check digit and nothing else.
Status validateVehicle(Vehicle& v, int latestYear, bool acceptBadCheckDigit = false) {
    auto cleaned = vin::clean(v.vin);
    if (!cleaned) return cleaned.error();
    const vin::Report report = vin::decode(*cleaned, latestYear);
    const bool onlyCheckDigit = !report.checkDigitOk && report.errors.size() == 1;
    if (!report.valid && !(acceptBadCheckDigit && onlyCheckDigit)) {
        std::string why = report.errors.empty() ? "invalid VIN" : report.errors.front();
        return fail(ErrorCode::InvalidInput, "VIN " + *cleaned + ": " + why);
    }
    v.vin = report.vin;
    if (v.year < 1980 || v.year > latestYear)
        return fail(ErrorCode::InvalidInput,
                    "model year " + std::to_string(v.year) + " is outside 1980.." + std::to_string(latestYear));
    if (v.make.empty()) return fail(ErrorCode::InvalidInput, "the make is missing");
    if (v.price <= 0) return fail(ErrorCode::InvalidInput, "the price must be more than zero");
    if (v.price > 10'000'000'00) return fail(ErrorCode::InvalidInput, "a price above $10,000,000 is not plausible");
    if (v.msrp < 0 || v.cost < 0) return fail(ErrorCode::InvalidInput, "MSRP and cost cannot be negative");
    if (v.odometer < 0 || v.odometer > 2'000'000)
        return fail(ErrorCode::InvalidInput, "odometer " + std::to_string(v.odometer) + " is not plausible");
    return {};
}

Result<Vehicle> fetchOne(db::Connection& db, std::string_view key) {
    auto stmt = db.prepare(std::string("SELECT ") + std::string(kVehicleColumns) +
                           " FROM vehicles v WHERE v.id = ?1 OR v.vin = upper(?1) OR v.stock_no = ?1 LIMIT 1");
    if (!stmt) return stmt.error();
    stmt->bindAll(key);
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return fail(ErrorCode::NotFound, "no vehicle with id, VIN or stock number '" +
                                                    std::string(key.substr(0, 40)) + "'");
    return readVehicle(*stmt);
}

Result<std::string> nextStockNo(db::Connection& db, const std::string& storeId) {
    auto code = db.prepare("SELECT code FROM stores WHERE id = ?");
    if (!code) return code.error();
    code->bindAll(storeId);
    auto row = code->step();
    if (!row) return row.error();
    const std::string prefix = *row ? code->getText(0) : std::string("STK");
    auto seq = getSetting(db, "stock_no_seq", "0");
    if (!seq) return seq.error();
    std::int64_t n = std::stoll(*seq);
    // Skip numbers taken by imported vehicles that came with their own stock numbers.
    for (;;) {
        ++n;
        std::string candidate = std::to_string(n);
        candidate = prefix + "-" + std::string(candidate.size() < 5 ? 5 - candidate.size() : 0, '0') + candidate;
        auto taken = db.prepare("SELECT 1 FROM vehicles WHERE stock_no = ?");
        if (!taken) return taken.error();
        taken->bindAll(candidate);
        auto hit = taken->step();
        if (!hit) return hit.error();
        if (!*hit) {
            if (auto st = setSetting(db, "stock_no_seq", std::to_string(n)); !st) return st.error();
            return candidate;
        }
    }
}

int latestModelYear(const Context& ctx) { return yearOf(ctx.clock.now()) + 1; }

// Splits free text into FTS5 tokens. Quotes every token, so nothing the user types can be read
// as FTS5 syntax (AND, NEAR, column filters, unbalanced quotes) and SQL never sees it unbound.
std::vector<std::string> searchTokens(std::string_view text) {
    std::vector<std::string> tokens;
    std::string current;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || u >= 0x80) {
            current += c;
        } else if (!current.empty()) {
            tokens.push_back(std::move(current));
            current.clear();
        }
    }
    if (!current.empty()) tokens.push_back(std::move(current));
    if (tokens.size() > 8) tokens.resize(8);
    return tokens;
}

// The text as a VIN or stock-number fragment for the trigram index: one run of 3..32 printable
// ASCII characters ("GDM9AX", "DTN-00042"); nullopt for anything else.
std::optional<std::string> codeCandidate(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    if (text.size() < 3 || text.size() > 32) return std::nullopt;
    std::string quoted = "\"";
    for (char c : text) {
        if (c <= ' ' || c > '~') return std::nullopt;
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return quoted + "\"";
}

// The first `n` characters (not bytes) of a UTF-8 token.
std::string firstCharacters(const std::string& token, std::size_t n) {
    std::size_t i = 0;
    for (std::size_t chars = 0; i < token.size() && chars < n; ++chars) {
        ++i;
        while (i < token.size() && (static_cast<unsigned char>(token[i]) & 0xC0) == 0x80) ++i;
    }
    return token.substr(0, i);
}

constexpr std::size_t kPrefixIndexChars = 8; // the longest prefix index of vehicle_words (0001_initial.sql)

using Bound = std::variant<std::int64_t, std::string>;

constexpr std::int64_t kLocalIdBits = 24; // search key = (price_cents << 24) | local_id, see 0001_initial.sql
constexpr std::int64_t kLocalIdMask = (std::int64_t{1} << kLocalIdBits) - 1;

// How one search runs: the FROM clause, the WHERE clause with its parameters, the ORDER BY.
struct Plan {
    std::string from = "vehicles v";
    std::string where = "1=1";
    std::vector<Bound> binds;
    std::string order;
};

template <class T, class F>
void addAnyOf(Plan& p, std::string_view column, const std::vector<T>& values, F&& toText) {
    if (values.empty()) return;
    p.where += " AND " + std::string(column) + " IN (";
    for (std::size_t i = 0; i < values.size(); ++i) {
        p.where += i ? ",?" : "?";
        p.binds.emplace_back(std::string(toText(values[i])));
    }
    p.where += ")";
}

std::string_view orderBy(SortKey key) {
    switch (key) {
    case SortKey::PriceAsc: return "v.price_cents ASC, v.local_id ASC";
    case SortKey::PriceDesc: return "v.price_cents DESC, v.local_id DESC";
    case SortKey::YearDesc: return "v.year DESC, v.price_cents ASC, v.local_id ASC";
    case SortKey::YearAsc: return "v.year ASC, v.price_cents ASC, v.local_id ASC";
    case SortKey::MileageAsc: return "v.odometer ASC, v.local_id ASC";
    case SortKey::NewestArrival: return "v.received_at DESC, v.local_id DESC";
    }
    return "v.local_id";
}

// Two shapes. Text sorted by price reads the word index in search-key order: FTS5 walks its
// doclists by rowid, so the first page of "blue" costs one page of rows, not every blue car.
// Everything else (other sorts, VIN fragments, no text) filters vehicles by its own indexes.
Plan makePlan(const SearchQuery& q, bool allowIndexOrder, const std::optional<std::string>& codeMatch) {
    Plan p;
    const auto tokens = searchTokens(q.text);
    const bool byPrice = q.sort == SortKey::PriceAsc || q.sort == SortKey::PriceDesc;
    // A prefix query merges the doclists of every word it covers before it returns one row, unless
    // a prefix index of exactly its length exists (2..8 characters). A longer token is searched by
    // its first eight characters through that index, then checked against the row itself.
    std::string words;
    std::vector<std::string> longTokens;
    for (const auto& t : tokens) {
        const std::string head = firstCharacters(t, kPrefixIndexChars);
        words += (words.empty() ? "\"" : " \"") + head + "\"*";
        if (head.size() < t.size()) longTokens.push_back(t);
    }

    if (!tokens.empty() && !codeMatch && byPrice && allowIndexOrder) {
        p.from = "vehicle_words w CROSS JOIN vehicles v ON v.local_id = (w.rowid & " + std::to_string(kLocalIdMask) + ")";
        p.where = "vehicle_words MATCH ?";
        p.binds.emplace_back(words);
        if (q.priceMin) {
            p.where += " AND w.rowid >= ?";
            p.binds.emplace_back(*q.priceMin << kLocalIdBits);
        }
        if (q.priceMax) {
            p.where += " AND w.rowid <= ?";
            p.binds.emplace_back((*q.priceMax << kLocalIdBits) | kLocalIdMask);
        }
        p.order = q.sort == SortKey::PriceAsc ? "w.rowid ASC" : "w.rowid DESC";
    } else {
        if (!tokens.empty() || codeMatch) {
            p.where += " AND v.local_id IN (";
            if (!tokens.empty()) {
                p.where += "SELECT rowid & " + std::to_string(kLocalIdMask) + " FROM vehicle_words WHERE vehicle_words MATCH ?";
                p.binds.emplace_back(words);
            }
            if (codeMatch) {
                p.where += std::string(tokens.empty() ? "" : " UNION ") +
                           "SELECT rowid FROM vehicle_codes WHERE vehicle_codes MATCH ?";
                p.binds.emplace_back(*codeMatch);
            }
            p.where += ")";
        }
        if (q.priceMin) {
            p.where += " AND v.price_cents >= ?";
            p.binds.emplace_back(*q.priceMin);
        }
        if (q.priceMax) {
            p.where += " AND v.price_cents <= ?";
            p.binds.emplace_back(*q.priceMax);
        }
        p.order = orderBy(q.sort);
    }
    if (!codeMatch) {
        for (const auto& t : longTokens) {
            p.where += " AND showroom_fold(v.make || ' ' || v.model || ' ' || v.trim || ' ' || v.body || ' ' || v.fuel "
                       "|| ' ' || v.drivetrain || ' ' || v.exterior_color || ' ' || v.interior_color || ' ' || "
                       "v.features) LIKE showroom_fold(?)";
            p.binds.emplace_back("%" + t + "%");
        }
    }
    if (q.make) {
        p.where += " AND v.make = ? COLLATE NOCASE";
        p.binds.emplace_back(*q.make);
    }
    if (q.model) {
        p.where += " AND v.model = ? COLLATE NOCASE";
        p.binds.emplace_back(*q.model);
    }
    if (q.yearMin) {
        p.where += " AND v.year >= ?";
        p.binds.emplace_back(std::int64_t{*q.yearMin});
    }
    if (q.yearMax) {
        p.where += " AND v.year <= ?";
        p.binds.emplace_back(std::int64_t{*q.yearMax});
    }
    if (q.storeId) {
        p.where += " AND v.store_id = ?";
        p.binds.emplace_back(*q.storeId);
    }
    const auto same = [](const std::string& s) { return s; };
    addAnyOf(p, "v.make", q.makes, same);
    addAnyOf(p, "v.body", q.bodies, same);
    addAnyOf(p, "v.fuel", q.fuels, same);
    addAnyOf(p, "v.condition", q.conditions, [](Condition c) { return toString(c); });
    addAnyOf(p, "v.status", q.statuses, [](VehicleStatus st) { return toString(st); });
    return p;
}

// The trigram query for the text when some VIN or stock number contains it: a porter typing
// "9AXKP04" or "DTN-00042" means that car. One index probe, so words like "blue" stay on the
// fast path.
Result<std::optional<std::string>> probeCodes(db::Connection& db, std::string_view text) {
    auto code = codeCandidate(text);
    if (!code) return std::optional<std::string>();
    auto stmt = db.prepare("SELECT 1 FROM vehicle_codes WHERE vehicle_codes MATCH ? LIMIT 1");
    if (!stmt) return stmt.error();
    stmt->bindAll(*code);
    auto hit = stmt->step();
    if (!hit) return hit.error();
    return *hit ? code : std::optional<std::string>();
}

void bindAllOf(db::Statement& s, const std::vector<Bound>& binds, int first = 1) {
    int i = first;
    for (const auto& b : binds) {
        if (const auto* n = std::get_if<std::int64_t>(&b)) s.bind(i++, *n);
        else s.bind(i++, std::get<std::string>(b));
    }
}

} // namespace

std::string_view toString(SortKey key) {
    switch (key) {
    case SortKey::PriceAsc: return "price";
    case SortKey::PriceDesc: return "price_desc";
    case SortKey::YearDesc: return "year_desc";
    case SortKey::YearAsc: return "year";
    case SortKey::MileageAsc: return "mileage";
    case SortKey::NewestArrival: return "newest";
    }
    return "price";
}

Result<SortKey> parseSortKey(std::string_view text) {
    for (SortKey k : {SortKey::PriceAsc, SortKey::PriceDesc, SortKey::YearDesc, SortKey::YearAsc, SortKey::MileageAsc,
                      SortKey::NewestArrival})
        if (toString(k) == text) return k;
    return fail(ErrorCode::InvalidInput, "'" + std::string(text.substr(0, 40)) +
                                             "' is not a sort order (price, price_desc, year, year_desc, mileage, newest)");
}

std::string_view toString(CheckInResult::Outcome o) {
    switch (o) {
    case CheckInResult::Outcome::Created: return "created";
    case CheckInResult::Outcome::Received: return "received";
    case CheckInResult::Outcome::AlreadyInStock: return "already_in_stock";
    }
    return "created";
}

std::span<const std::string_view> csvColumns() {
    static constexpr std::string_view kColumns[] = {
        "vin",      "stock_no",     "condition", "year",           "make",           "model",
        "trim",     "body",         "fuel",      "drivetrain",     "transmission",   "exterior_color",
        "interior_color", "odometer", "msrp",    "price",          "cost",           "features",
        "photos",   "lot_location", "status",    "received_at"};
    return kColumns;
}

Result<std::string> localStoreId(db::Connection& db) {
    auto id = getSetting(db, "local_store_id");
    if (!id) return id.error();
    if (id->empty())
        return fail(ErrorCode::NotFound, "this database has no local showroom yet: run `showroom db init`");
    return id;
}

Result<Showroom> addShowroom(Context& ctx, Showroom s) {
    if (s.code.empty() || s.name.empty()) return fail(ErrorCode::InvalidInput, "a showroom needs a code and a name");
    if (s.id.empty()) s.id = ctx.ids.uuid();
    auto stmt = ctx.db.prepare(
        "INSERT INTO stores(id, code, name, city, region, timezone, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    if (auto st = stmt->bindAll(s.id, s.code, s.name, s.city, s.region, s.timezone, ctx.now()).run(); !st) {
        if (st.error().code == ErrorCode::Duplicate)
            return fail(ErrorCode::Duplicate, "a showroom with code " + s.code + " already exists");
        return st.error();
    }
    return s;
}

Result<std::vector<Showroom>> listShowrooms(db::Connection& db) {
    auto stmt = db.prepare("SELECT id, code, name, city, region, timezone FROM stores ORDER BY code");
    if (!stmt) return stmt.error();
    std::vector<Showroom> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) break;
        out.push_back({stmt->getText(0), stmt->getText(1), stmt->getText(2), stmt->getText(3), stmt->getText(4),
                       stmt->getText(5)});
    }
    return out;
}

Result<Showroom> ensureLocalStore(Context& ctx, std::string_view code, std::string_view name, std::string_view city) {
    auto tx = db::Transaction::begin(ctx.db);
    if (!tx) return tx.error();
    auto existing = getSetting(ctx.db, "local_store_id");
    if (!existing) return existing.error();
    if (!existing->empty()) {
        auto all = listShowrooms(ctx.db);
        if (!all) return all.error();
        for (auto& s : *all)
            if (s.id == *existing) return s;
    }
    auto added = addShowroom(ctx, Showroom{"", std::string(code), std::string(name), std::string(city), "", "UTC"});
    if (!added) return added.error();
    if (auto st = setSetting(ctx.db, "local_store_id", added->id); !st) return st.error();
    if (auto st = record(ctx, "store.created", "store", added->id, {{"code", added->code}, {"name", added->name}},
                         Sync::No);
        !st)
        return st.error();
    if (auto st = tx->commit(); !st) return st.error();
    return added;
}

Result<Vehicle> Inventory::add(Vehicle v) {
    if (auto st = validateVehicle(v, latestModelYear(m_ctx)); !st) return st.error();
    return insert(std::move(v), "vehicle.added", nlohmann::json::object());
}

Result<Vehicle> Inventory::insert(Vehicle v, std::string_view action, const nlohmann::json& extra) {
    auto tx = db::Transaction::begin(m_ctx.db);
    if (!tx) return tx.error();
    if (v.storeId.empty()) {
        auto store = localStoreId(m_ctx.db);
        if (!store) return store.error();
        v.storeId = *store;
    }
    if (v.stockNo.empty()) {
        auto stockNo = nextStockNo(m_ctx.db, v.storeId);
        if (!stockNo) return stockNo.error();
        v.stockNo = *stockNo;
    }
    const std::string now = m_ctx.now();
    if (v.id.empty()) v.id = m_ctx.ids.uuid();
    if (v.receivedAt.empty()) v.receivedAt = now;
    v.statusChangedAt = v.createdAt = v.updatedAt = now;
    auto stmt = m_ctx.db.prepare(kInsertVehicle);
    if (!stmt) return stmt.error();
    bindVehicle(*stmt, v);
    if (auto st = stmt->run(); !st) {
        if (st.error().code == ErrorCode::Duplicate) return fail(ErrorCode::Duplicate, describeDuplicate(st.error(), v));
        return st.error();
    }
    nlohmann::json details = v;
    details.update(extra);
    if (auto st = record(m_ctx, action, "vehicle", v.id, details); !st) return st.error();
    if (auto st = tx->commit(); !st) return st.error();
    return v;
}

Result<Vehicle> Inventory::find(std::string_view key) { return fetchOne(m_ctx.db, key); }

Result<Vehicle> Inventory::changeStatus(std::string_view key, VehicleStatus to, std::string_view reason) {
    // While a deal is open the deal moves the car (hold, sold, delivered); a hand-made change
    // would show a car as available that nobody can sell, or a sale no deal records.
    auto v = fetchOne(m_ctx.db, key);
    if (!v) return v.error();
    auto live = m_ctx.db.prepare("SELECT deal_no, status FROM deals WHERE vehicle_id = ? AND status IN ('draft', "
                                 "'signed') LIMIT 1");
    if (!live) return live.error();
    live->bindAll(v->id);
    auto row = live->step();
    if (!row) return row.error();
    if (*row && to != VehicleStatus::OnHold)
        return fail(ErrorCode::Conflict, v->stockNo + " has open deal " + live->getText(0) + " (" + live->getText(1) +
                                             "): sign, deliver or cancel the deal instead");
    return transition(v->id, to, reason, false);
}

Result<Vehicle> Inventory::transition(std::string_view key, VehicleStatus to, std::string_view reason,
                                      bool viaCancelledDeal, const std::optional<DealRef>& deal) {
    auto tx = db::Transaction::begin(m_ctx.db);
    if (!tx) return tx.error();
    auto v = fetchOne(m_ctx.db, key);
    if (!v) return v.error();
    if (auto st = checkVehicleTransition(v->status, to, viaCancelledDeal); !st)
        return fail(st.error().code, v->stockNo + " (" + v->vin + "): " + st.error().message);
    const VehicleStatus from = v->status;
    const std::string now = m_ctx.now();
    auto stmt = m_ctx.db.prepare("UPDATE vehicles SET status = ?, status_changed_at = ?, updated_at = ?, "
                                 "received_at = CASE WHEN ?4 THEN ?2 ELSE received_at END WHERE id = ?5");
    if (!stmt) return stmt.error();
    // A vehicle arriving back from a transfer starts its stock age again.
    const bool restartsAging = from == VehicleStatus::Incoming && to == VehicleStatus::InStock;
    stmt->bindAll(toString(to), now, now, restartsAging ? 1 : 0, v->id);
    if (auto st = stmt->run(); !st) return st.error();
    nlohmann::json details{{"vin", v->vin}, {"from", toString(from)}, {"to", toString(to)}, {"reason", reason}, {"at", now}};
    if (deal) {
        // HQ reads these to tell whose sale claims the car (sync/protocol.hpp).
        details["deal_id"] = deal->id;
        details["deal_no"] = deal->dealNo;
    }
    if (auto st = record(m_ctx, "vehicle.status_changed", "vehicle", v->id, details); !st) return st.error();
    if (auto st = tx->commit(); !st) return st.error();
    return fetchOne(m_ctx.db, v->id);
}

Result<Vehicle> Inventory::moveTo(std::string_view key, std::string_view lot) {
    auto tx = db::Transaction::begin(m_ctx.db);
    if (!tx) return tx.error();
    auto v = fetchOne(m_ctx.db, key);
    if (!v) return v.error();
    auto stmt = m_ctx.db.prepare("UPDATE vehicles SET lot_location = ?, updated_at = ? WHERE id = ?");
    if (!stmt) return stmt.error();
    if (auto st = stmt->bindAll(lot, m_ctx.now(), v->id).run(); !st) return st.error();
    if (auto st = record(m_ctx, "vehicle.moved", "vehicle", v->id,
                         {{"vin", v->vin}, {"from", v->lotLocation}, {"to", lot}});
        !st)
        return st.error();
    if (auto st = tx->commit(); !st) return st.error();
    return fetchOne(m_ctx.db, v->id);
}

Result<Vehicle> Inventory::setPrice(std::string_view key, Cents price, std::string_view reason) {
    if (price <= 0) return fail(ErrorCode::InvalidInput, "the price must be more than zero");
    if (price > 10'000'000'00) return fail(ErrorCode::InvalidInput, "a price above $10,000,000 is not plausible");
    auto tx = db::Transaction::begin(m_ctx.db);
    if (!tx) return tx.error();
    auto v = fetchOne(m_ctx.db, key);
    if (!v) return v.error();
    if (v->status == VehicleStatus::Sold || v->status == VehicleStatus::Delivered ||
        v->status == VehicleStatus::Transferred)
        return fail(ErrorCode::Conflict, v->stockNo + " is " + std::string(toString(v->status)) +
                                             ": its price can no longer change");
    if (v->price == price) return v;
    auto stmt = m_ctx.db.prepare("UPDATE vehicles SET price_cents = ?, updated_at = ? WHERE id = ?");
    if (!stmt) return stmt.error();
    if (auto st = stmt->bindAll(price, m_ctx.now(), v->id).run(); !st) return st.error();
    if (auto st = record(m_ctx, "vehicle.price_changed", "vehicle", v->id,
                         {{"vin", v->vin}, {"from", formatCents(v->price)}, {"price", formatCents(price)},
                          {"reason", reason}});
        !st)
        return st.error();
    if (auto st = tx->commit(); !st) return st.error();
    return fetchOne(m_ctx.db, v->id);
}

Result<Vehicle> Inventory::transferTo(std::string_view key, std::string_view toStoreCode) {
    std::string code;
    for (char c : toStoreCode) {
        const auto u = static_cast<unsigned char>(c);
        if (!std::isalnum(u) && c != '-' && c != '_')
            return fail(ErrorCode::InvalidInput,
                        "'" + std::string(toStoreCode.substr(0, 40)) + "' is not a showroom code (letters, digits, - _)");
        code += static_cast<char>(std::toupper(u));
    }
    if (code.empty() || code.size() > 32) return fail(ErrorCode::InvalidInput, "give the code of the showroom it goes to");
    auto tx = db::Transaction::begin(m_ctx.db);
    if (!tx) return tx.error();
    auto v = fetchOne(m_ctx.db, key);
    if (!v) return v.error();
    auto own = m_ctx.db.prepare("SELECT upper(code) FROM stores WHERE id = (SELECT value FROM settings WHERE key = "
                                "'local_store_id')");
    if (!own) return own.error();
    if (auto row = own->step(); !row) return row.error();
    else if (*row && own->getText(0) == code)
        return fail(ErrorCode::InvalidInput, v->stockNo + " is already at " + code + ": give another showroom's code");
    auto live = m_ctx.db.prepare("SELECT deal_no FROM deals WHERE vehicle_id = ? AND status IN ('draft', 'signed') LIMIT 1");
    if (!live) return live.error();
    live->bindAll(v->id);
    auto row = live->step();
    if (!row) return row.error();
    if (*row) return fail(ErrorCode::Conflict, v->stockNo + " has open deal " + live->getText(0) + ": it cannot leave");
    if (v->status != VehicleStatus::InStock)
        return fail(ErrorCode::InvalidTransition, v->stockNo + " is " + std::string(toString(v->status)) +
                                                      ": only a vehicle in stock can be transferred");
    if (auto st = checkVehicleTransition(v->status, VehicleStatus::Transferred); !st) return st.error();
    const std::string now = m_ctx.now();
    auto stmt = m_ctx.db.prepare("UPDATE vehicles SET status = 'transferred', lot_location = '', status_changed_at = ?, "
                                 "updated_at = ? WHERE id = ?");
    if (!stmt) return stmt.error();
    if (auto st = stmt->bindAll(now, now, v->id).run(); !st) return st.error();
    auto moved = fetchOne(m_ctx.db, v->id);
    if (!moved) return moved.error();
    nlohmann::json vehicle = *moved;
    vehicle.erase("cost"); // what the car cost this showroom is nobody else's business
    if (auto st = record(m_ctx, "vehicle.transferred", "vehicle", v->id,
                         {{"vin", v->vin}, {"to_store", code}, {"vehicle", vehicle}});
        !st)
        return st.error();
    if (auto st = tx->commit(); !st) return st.error();
    return moved;
}

Result<Vehicle> Inventory::receiveTransfer(Vehicle sent, std::string_view transferId, std::string_view fromStore) {
    // The sending showroom accepted the label already: its check digit is not refused a second time.
    if (auto st = validateVehicle(sent, latestModelYear(m_ctx), true); !st) return st.error();
    auto tx = db::Transaction::begin(m_ctx.db);
    if (!tx) return tx.error();
    auto store = localStoreId(m_ctx.db);
    if (!store) return store.error();
    auto existing = fetchOne(m_ctx.db, sent.vin);
    if (!existing && existing.error().code != ErrorCode::NotFound) return existing.error();
    Vehicle v;
    if (existing) {
        switch (existing->status) {
        case VehicleStatus::Incoming:
        case VehicleStatus::InStock: return *existing; // already on its way here, or here
        case VehicleStatus::OnHold:
        case VehicleStatus::Sold:
        case VehicleStatus::Delivered:
            return fail(ErrorCode::Conflict, "VIN " + sent.vin + " is " + std::string(toString(existing->status)) +
                                                 " here as " + existing->stockNo + "; it cannot arrive by transfer");
        case VehicleStatus::Transferred: break;
        }
        // It comes back: the data the other showroom kept wins, this showroom's id, stock number and cost stay.
        v = sent;
        v.id = existing->id;
        v.storeId = *store;
        v.stockNo = existing->stockNo;
        v.cost = existing->cost;
        v.lotLocation.clear();
        v.status = VehicleStatus::Incoming;
        v.receivedAt = existing->receivedAt;
        const std::string now = m_ctx.now();
        auto stmt = m_ctx.db.prepare(
            "UPDATE vehicles SET store_id = ?, condition = ?, year = ?, make = ?, model = ?, trim = ?, body = ?, "
            "fuel = ?, drivetrain = ?, transmission = ?, exterior_color = ?, interior_color = ?, odometer = ?, "
            "msrp_cents = ?, price_cents = ?, features = ?, photos = ?, lot_location = '', status = 'incoming', "
            "status_changed_at = ?, updated_at = ? WHERE id = ?");
        if (!stmt) return stmt.error();
        stmt->bindAll(v.storeId, toString(v.condition), v.year, v.make, v.model, v.trim, v.body, v.fuel, v.drivetrain,
                      v.transmission, v.exteriorColor, v.interiorColor, v.odometer, v.msrp, v.price,
                      joinList(v.features), joinList(v.photos), now, now, v.id);
        if (auto st = stmt->run(); !st) return st.error();
        auto back = fetchOne(m_ctx.db, v.id);
        if (!back) return back.error();
        nlohmann::json details = *back;
        details["transfer_id"] = transferId;
        details["from_store"] = fromStore;
        if (auto st = record(m_ctx, "vehicle.incoming", "vehicle", v.id, details); !st) return st.error();
        if (auto st = tx->commit(); !st) return st.error();
        return back;
    }
    v = std::move(sent);
    v.storeId = *store;
    v.stockNo.clear(); // the sender's number belongs to the sender's series
    v.cost = 0;
    v.lotLocation.clear();
    v.status = VehicleStatus::Incoming;
    v.receivedAt.clear();
    if (!v.id.empty()) {
        auto taken = m_ctx.db.prepare("SELECT 1 FROM vehicles WHERE id = ?");
        if (!taken) return taken.error();
        taken->bindAll(v.id);
        auto hit = taken->step();
        if (!hit) return hit.error();
        if (*hit) v.id.clear();
    }
    auto added = insert(std::move(v), "vehicle.incoming", {{"transfer_id", transferId}, {"from_store", fromStore}});
    if (!added) return added.error();
    if (auto st = tx->commit(); !st) return st.error();
    return added;
}

Result<CheckInResult> Inventory::checkIn(std::string_view scanned, const CheckInDetails& d) {
    auto cleaned = vin::clean(scanned);
    if (!cleaned) return cleaned.error();
    CheckInResult result;
    result.vinReport = vin::decode(*cleaned, latestModelYear(m_ctx));
    const vin::Report& report = result.vinReport;
    if (!report.checkDigitOk && !d.acceptBadCheckDigit && report.region == "North America")
        return fail(ErrorCode::InvalidInput, "VIN " + report.vin + " fails its check digit (position 9 is '" +
                                                 report.vin.substr(8, 1) + "', expected '" +
                                                 std::string(1, vin::computeCheckDigit(report.vin)) +
                                                 "'): rescan the label, or confirm the label is as printed");
    if (!report.valid && !(d.acceptBadCheckDigit && report.errors.size() == 1 && !report.checkDigitOk))
        return fail(ErrorCode::InvalidInput,
                    "VIN " + report.vin + ": " + (report.errors.empty() ? "invalid" : report.errors.front()));

    auto existing = fetchOne(m_ctx.db, report.vin);
    if (existing) {
        switch (existing->status) {
        case VehicleStatus::InStock:
        case VehicleStatus::OnHold:
            result.outcome = CheckInResult::Outcome::AlreadyInStock;
            result.vehicle = *existing;
            result.message = "already in stock as " + existing->stockNo +
                             (existing->lotLocation.empty() ? "" : " at " + existing->lotLocation);
            return result;
        case VehicleStatus::Incoming:
        case VehicleStatus::Transferred: {
            auto tx = db::Transaction::begin(m_ctx.db);
            if (!tx) return tx.error();
            if (existing->status == VehicleStatus::Transferred) {
                auto back = changeStatus(existing->id, VehicleStatus::Incoming, "transferred back");
                if (!back) return back.error();
            }
            auto received = changeStatus(existing->id, VehicleStatus::InStock, "checked in");
            if (!received) return received.error();
            if (d.lotLocation) {
                auto moved = moveTo(existing->id, *d.lotLocation);
                if (!moved) return moved.error();
                received = std::move(moved);
            }
            if (auto st = tx->commit(); !st) return st.error();
            result.outcome = CheckInResult::Outcome::Received;
            result.vehicle = *received;
            result.message = "received into stock as " + received->stockNo;
            return result;
        }
        case VehicleStatus::Sold:
        case VehicleStatus::Delivered:
            return fail(ErrorCode::Conflict, "VIN " + report.vin + " was " + std::string(toString(existing->status)) +
                                                 " as " + existing->stockNo + "; it cannot be checked in again");
        }
    } else if (existing.error().code != ErrorCode::NotFound) {
        return existing.error();
    }

    Vehicle v;
    v.vin = report.vin;
    v.make = d.make.value_or(report.manufacturer);
    if (d.year) {
        v.year = *d.year;
    } else if (report.modelYearCandidates.size() == 1) {
        v.year = report.modelYearCandidates.front();
    } else {
        std::string years;
        for (int y : report.modelYearCandidates) years += (years.empty() ? "" : " or ") + std::to_string(y);
        return fail(ErrorCode::InvalidInput,
                    "the model year of " + report.vin + " is ambiguous (" + years + "): give the year");
    }
    if (v.make.empty())
        return fail(ErrorCode::InvalidInput, "the maker of " + report.vin + " (WMI " + report.wmi +
                                                 ") is not in the table: give the make");
    if (!d.price) return fail(ErrorCode::InvalidInput, "a new vehicle needs a price to be checked in");
    v.stockNo = d.stockNo.value_or("");
    v.model = d.model.value_or("");
    v.trim = d.trim.value_or("");
    v.body = d.body.value_or("");
    v.fuel = d.fuel.value_or("");
    v.drivetrain = d.drivetrain.value_or("");
    v.transmission = d.transmission.value_or("");
    v.exteriorColor = d.exteriorColor.value_or("");
    v.interiorColor = d.interiorColor.value_or("");
    v.lotLocation = d.lotLocation.value_or("");
    v.odometer = d.odometer.value_or(0);
    v.condition = d.condition.value_or(v.odometer > 500 ? Condition::Used : Condition::New);
    v.price = *d.price;
    v.msrp = d.msrp.value_or(0);
    if (d.model && !d.model->empty() && (!d.msrp || !d.body || !d.fuel || !d.drivetrain)) {
        auto line = findCatalogModel(m_ctx.db, v.year, v.make, v.model, v.trim);
        if (!line) return line.error();
        if (*line) {
            if (!d.msrp) v.msrp = (*line)->msrp;
            if (!d.body) v.body = (*line)->body;
            if (!d.fuel) v.fuel = (*line)->fuel;
            if (!d.drivetrain) v.drivetrain = (*line)->drivetrain;
        }
    }
    v.cost = d.cost.value_or(0);
    v.status = VehicleStatus::InStock;
    if (auto st = validateVehicle(v, latestModelYear(m_ctx), d.acceptBadCheckDigit); !st) return st.error();

    nlohmann::json extra{{"check_digit_ok", report.checkDigitOk}};
    if (!report.checkDigitOk) extra["check_digit_confirmed_by_porter"] = true;
    auto created = insert(std::move(v), "vehicle.checked_in", extra);
    if (!created) return created.error();
    v = std::move(*created);
    result.outcome = CheckInResult::Outcome::Created;
    result.vehicle = v;
    result.message = "checked in as " + v.stockNo;
    return result;
}

Result<SearchPage> Inventory::search(const SearchQuery& q) {
    if (q.pageSize < 1 || q.pageSize > 500) return fail(ErrorCode::InvalidInput, "page size must be 1..500");
    if (q.page < 0) return fail(ErrorCode::InvalidInput, "page must not be negative");
    if (q.countCap < 0) return fail(ErrorCode::InvalidInput, "count cap must not be negative");
    auto code = probeCodes(m_ctx.db, q.text);
    if (!code) return code.error();
    const Plan plan = makePlan(q, true, *code);
    SearchPage page;
    page.page = q.page;
    page.pageSize = q.pageSize;
    auto stmt = m_ctx.db.prepare("SELECT " + std::string(kVehicleColumns) + " FROM " + plan.from + " WHERE " +
                                 plan.where + " ORDER BY " + plan.order + " LIMIT ? OFFSET ?");
    if (!stmt) return stmt.error();
    bindAllOf(*stmt, plan.binds);
    const int next = static_cast<int>(plan.binds.size()) + 1;
    stmt->bind(next, q.pageSize);
    stmt->bind(next + 1, static_cast<std::int64_t>(q.page) * q.pageSize);
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) break;
        page.vehicles.push_back(readVehicle(*stmt));
    }
    if (q.page == 0 && static_cast<int>(page.vehicles.size()) < q.pageSize) {
        page.total = static_cast<std::int64_t>(page.vehicles.size()); // a short first page is the whole answer
        return page;
    }
    // Counting every match of a broad word costs as much as reading them all; a kiosk says
    // "1,000+ cars" instead, so the count stops one past the cap.
    auto count = m_ctx.db.prepare("SELECT count(*) FROM (SELECT 1 FROM " + plan.from + " WHERE " + plan.where +
                                  " LIMIT ?)");
    if (!count) return count.error();
    bindAllOf(*count, plan.binds);
    count->bind(static_cast<int>(plan.binds.size()) + 1, q.countCap + 1);
    auto row = count->step();
    if (!row) return row.error();
    page.total = std::min<std::int64_t>(count->getInt(0), q.countCap);
    page.totalIsAtLeast = count->getInt(0) > q.countCap;
    return page;
}

Result<Facets> Inventory::facets(const std::vector<VehicleStatus>& statuses, const std::optional<std::string>& storeId) {
    std::string where = "1=1";
    if (!statuses.empty()) {
        where += " AND status IN (";
        for (std::size_t i = 0; i < statuses.size(); ++i) where += i ? ",?" : "?";
        where += ")";
    }
    if (storeId) where += " AND store_id = ?";
    auto bindStatuses = [&](db::Statement& stmt) {
        int i = 0;
        for (const auto s : statuses) stmt.bind(++i, toString(s));
        if (storeId) stmt.bind(++i, *storeId);
    };
    Facets f;
    auto range = m_ctx.db.prepare("SELECT count(*), coalesce(min(price_cents), 0), coalesce(max(price_cents), 0), "
                                  "coalesce(min(year), 0), coalesce(max(year), 0) FROM vehicles WHERE " + where);
    if (!range) return range.error();
    bindStatuses(*range);
    if (auto row = range->step(); !row) return row.error();
    f.vehicles = range->getInt(0);
    f.priceLow = range->getInt(1);
    f.priceHigh = range->getInt(2);
    f.yearLow = static_cast<int>(range->getInt(3));
    f.yearHigh = static_cast<int>(range->getInt(4));
    for (auto [column, target] : {std::pair{"make", &f.makes}, std::pair{"body", &f.bodies}, std::pair{"fuel", &f.fuels}}) {
        auto stmt = m_ctx.db.prepare(std::string("SELECT DISTINCT ") + column + " FROM vehicles WHERE " + where +
                                     " AND " + column + " <> '' ORDER BY 1");
        if (!stmt) return stmt.error();
        bindStatuses(*stmt);
        for (;;) {
            auto row = stmt->step();
            if (!row) return row.error();
            if (!*row) break;
            target->push_back(stmt->getText(0));
        }
    }
    return f;
}

Result<ImportReport> Inventory::importCsv(std::string_view text, const ImportOptions& options) {
    ImportReport report;
    csv::Reader reader(text);
    auto header = reader.next();
    if (!header) return fail(ErrorCode::InvalidInput, "the file is empty: expected a header line with " +
                                                          std::string("vin,year,make,price,..."));
    if (!header->error.empty())
        return fail(ErrorCode::InvalidInput, "line " + std::to_string(header->line) + ": " + header->error);

    std::unordered_map<std::string, std::size_t> columnIndex;
    const auto known = csvColumns();
    for (std::size_t i = 0; i < header->fields.size(); ++i) {
        std::string name = header->fields[i];
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        while (!name.empty() && name.back() == ' ') name.pop_back();
        while (!name.empty() && name.front() == ' ') name.erase(0, 1);
        if (std::find(known.begin(), known.end(), name) == known.end())
            return fail(ErrorCode::InvalidInput, "line " + std::to_string(header->line) + ": unknown column '" + name +
                                                     "'");
        if (!columnIndex.emplace(name, i).second)
            return fail(ErrorCode::InvalidInput, "line " + std::to_string(header->line) + ": column '" + name +
                                                     "' appears twice");
    }
    for (std::string_view required : {"vin", "year", "make", "price"})
        if (!columnIndex.count(std::string(required)))
            return fail(ErrorCode::InvalidInput, "the header lacks the required column '" + std::string(required) + "'");

    std::string storeId = options.storeId;
    if (storeId.empty()) {
        auto local = localStoreId(m_ctx.db);
        if (!local) return local.error();
        storeId = *local;
    }
    const int latestYear = latestModelYear(m_ctx);
    const std::string now = m_ctx.now();

    struct Pending {
        std::size_t line;
        Vehicle vehicle;
    };
    std::vector<Pending> good;
    std::unordered_map<std::string, std::size_t> vinLine, stockLine;
    const std::size_t width = header->fields.size();

    while (auto rec = reader.next()) {
        ++report.rowsRead;
        auto bad = [&](std::string why) { report.problems.push_back({rec->line, std::move(why)}); };
        if (!rec->error.empty()) {
            bad(rec->error);
            continue;
        }
        if (rec->fields.size() != width) {
            bad("expected " + std::to_string(width) + " columns, found " + std::to_string(rec->fields.size()));
            continue;
        }
        auto field = [&](std::string_view name) -> std::string {
            auto it = columnIndex.find(std::string(name));
            return it == columnIndex.end() ? std::string() : rec->fields[it->second];
        };
        auto integer = [&](std::string_view name, std::int64_t fallback) -> Result<std::int64_t> {
            const std::string s = field(name);
            if (s.empty()) return fallback;
            std::int64_t n = 0;
            for (char c : s) {
                if (c < '0' || c > '9' || n > 100'000'000)
                    return fail(ErrorCode::InvalidInput, std::string(name) + " '" + s.substr(0, 20) + "' is not a whole number");
                n = n * 10 + (c - '0');
            }
            return n;
        };
        auto money = [&](std::string_view name) -> Result<Cents> {
            const std::string s = field(name);
            if (s.empty()) return Cents{0};
            auto m = parseMoney(s);
            if (!m) return fail(ErrorCode::InvalidInput, std::string(name) + ": " + m.error().message);
            if (*m < 0) return fail(ErrorCode::InvalidInput, std::string(name) + " cannot be negative");
            return m;
        };

        Vehicle v;
        v.vin = field("vin");
        v.stockNo = field("stock_no");
        v.make = field("make");
        v.model = field("model");
        v.trim = field("trim");
        v.body = field("body");
        v.fuel = field("fuel");
        v.drivetrain = field("drivetrain");
        v.transmission = field("transmission");
        v.exteriorColor = field("exterior_color");
        v.interiorColor = field("interior_color");
        v.features = splitList(field("features"));
        v.photos = splitList(field("photos"));
        v.lotLocation = field("lot_location");
        auto year = integer("year", 0);
        auto odometer = integer("odometer", 0);
        auto price = money("price");
        auto msrp = money("msrp");
        auto cost = money("cost");
        for (const auto* r : {&year, &odometer})
            if (!*r) { bad(r->error().message); goto nextRow; }
        for (const auto* r : {&price, &msrp, &cost})
            if (!*r) { bad(r->error().message); goto nextRow; }
        v.year = static_cast<int>(*year);
        v.odometer = *odometer;
        v.price = *price;
        v.msrp = *msrp;
        v.cost = *cost;
        {
            const std::string condition = field("condition");
            auto c = condition.empty() ? Result<Condition>(v.odometer > 500 ? Condition::Used : Condition::New)
                                       : parseCondition(condition);
            if (!c) { bad(c.error().message); continue; }
            v.condition = *c;
            const std::string status = field("status");
            auto s = status.empty() ? Result<VehicleStatus>(VehicleStatus::InStock) : parseVehicleStatus(status);
            if (!s) { bad(s.error().message); continue; }
            v.status = *s;
            const std::string received = field("received_at");
            if (received.empty()) {
                v.receivedAt = now;
            } else {
                auto t = parseUtc(received);
                if (!t) { bad("received_at: " + t.error().message); continue; }
                v.receivedAt = formatUtc(*t);
            }
        }
        if (auto st = validateVehicle(v, latestYear); !st) {
            bad(st.error().message);
            continue;
        }
        if (auto [it, fresh] = vinLine.emplace(v.vin, rec->line); !fresh) {
            bad("VIN " + v.vin + " appears again (first on line " + std::to_string(it->second) + ")");
            continue;
        }
        if (!v.stockNo.empty()) {
            if (auto [it, fresh] = stockLine.emplace(v.stockNo, rec->line); !fresh) {
                bad("stock number " + v.stockNo + " appears again (first on line " + std::to_string(it->second) + ")");
                continue;
            }
        }
        good.push_back({rec->line, std::move(v)});
    nextRow:;
    }

    auto tx = db::Transaction::begin(m_ctx.db);
    if (!tx) return tx.error();
    {
        // Duplicates of vehicles already in the database are bad rows too, found before writing.
        auto byVin = m_ctx.db.prepare("SELECT stock_no FROM vehicles WHERE vin = ?");
        auto byStock = m_ctx.db.prepare("SELECT vin FROM vehicles WHERE stock_no = ?");
        if (!byVin) return byVin.error();
        if (!byStock) return byStock.error();
        std::vector<Pending> kept;
        kept.reserve(good.size());
        for (auto& p : good) {
            byVin->reset();
            byVin->bindAll(p.vehicle.vin);
            auto hit = byVin->step();
            if (!hit) return hit.error();
            if (*hit) {
                report.problems.push_back({p.line, "VIN " + p.vehicle.vin + " is already in the inventory as " +
                                                       byVin->getText(0)});
                continue;
            }
            if (!p.vehicle.stockNo.empty()) {
                byStock->reset();
                byStock->bindAll(p.vehicle.stockNo);
                auto taken = byStock->step();
                if (!taken) return taken.error();
                if (*taken) {
                    report.problems.push_back({p.line, "stock number " + p.vehicle.stockNo +
                                                           " is already used by VIN " + byStock->getText(0)});
                    continue;
                }
            }
            kept.push_back(std::move(p));
        }
        good = std::move(kept);
    }
    std::sort(report.problems.begin(), report.problems.end(),
              [](const RowProblem& a, const RowProblem& b) { return a.line < b.line; });
    if (!report.problems.empty() && !options.skipBadRows) return report; // tx rolls back: nothing changed

    auto insert = m_ctx.db.prepare(kInsertVehicle);
    auto outbox = m_ctx.db.prepare(
        "INSERT INTO outbox(event_id, type, entity, entity_id, payload, created_at) VALUES (?, 'vehicle.imported', "
        "'vehicle', ?, ?, ?)");
    if (!insert) return insert.error();
    if (!outbox) return outbox.error();
    for (auto& p : good) {
        Vehicle& v = p.vehicle;
        v.storeId = storeId;
        if (v.stockNo.empty()) {
            auto stockNo = nextStockNo(m_ctx.db, storeId);
            if (!stockNo) return stockNo.error();
            v.stockNo = *stockNo;
        }
        v.id = m_ctx.ids.uuid();
        v.statusChangedAt = v.createdAt = v.updatedAt = now;
        insert->reset();
        bindVehicle(*insert, v);
        if (auto st = insert->run(); !st)
            return fail(st.error().code, "line " + std::to_string(p.line) + ": " + describeDuplicate(st.error(), v));
        outbox->reset();
        const nlohmann::json payload = v;
        outbox->bindAll(m_ctx.ids.uuid(), v.id, payload.dump(), now);
        if (auto st = outbox->run(); !st) return st.error();
        ++report.imported;
    }
    nlohmann::json skipped = nlohmann::json::array();
    for (const auto& p : report.problems) skipped.push_back({{"line", p.line}, {"reason", p.reason}});
    if (auto st = record(m_ctx, "inventory.imported", "store", storeId,
                         {{"rows", report.rowsRead}, {"imported", report.imported}, {"skipped", skipped}}, Sync::No);
        !st)
        return st.error();
    if (auto st = tx->commit(); !st) return st.error();
    report.committed = true;
    return report;
}

Status Inventory::exportCsv(std::ostream& out, const SearchQuery& filter) {
    auto code = probeCodes(m_ctx.db, filter.text);
    if (!code) return code.error();
    const Plan plan = makePlan(filter, false, *code);
    auto stmt = m_ctx.db.prepare("SELECT " + std::string(kVehicleColumns) + " FROM " + plan.from + " WHERE " +
                                 plan.where + " ORDER BY " + plan.order);
    if (!stmt) return stmt.error();
    bindAllOf(*stmt, plan.binds);
    std::vector<std::string> row(csvColumns().begin(), csvColumns().end());
    out << csv::formatRow(row);
    for (;;) {
        auto more = stmt->step();
        if (!more) return more.error();
        if (!*more) break;
        const Vehicle v = readVehicle(*stmt);
        row = {v.vin,
               v.stockNo,
               std::string(toString(v.condition)),
               std::to_string(v.year),
               v.make,
               v.model,
               v.trim,
               v.body,
               v.fuel,
               v.drivetrain,
               v.transmission,
               v.exteriorColor,
               v.interiorColor,
               std::to_string(v.odometer),
               formatCents(v.msrp),
               formatCents(v.price),
               formatCents(v.cost),
               joinList(v.features),
               joinList(v.photos),
               v.lotLocation,
               std::string(toString(v.status)),
               v.receivedAt};
        out << csv::formatRow(row);
    }
    if (!out) return fail(ErrorCode::Io, "could not write the CSV output");
    return {};
}

} // namespace showroom::core
