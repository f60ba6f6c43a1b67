#include "showroom/core/network.hpp"

#include "showroom/core/money.hpp"

namespace showroom::core {

namespace {

constexpr std::string_view kConflictColumns =
    "id, kind, vin, deal_id, deal_no, other_store, message, data, received_at, resolved_at, resolution_note";

SyncConflict readConflict(const db::Statement& s) {
    SyncConflict c;
    c.id = s.getText(0);
    c.kind = s.getText(1);
    c.vin = s.getText(2);
    c.dealId = s.getText(3);
    c.dealNo = s.getText(4);
    c.otherStore = s.getText(5);
    c.message = s.getText(6);
    c.data = nlohmann::json::parse(s.getText(7), nullptr, false);
    if (c.data.is_discarded()) c.data = nlohmann::json::object();
    c.receivedAt = s.getText(8);
    c.resolvedAt = s.getOptionalText(9);
    c.resolutionNote = s.getText(10);
    return c;
}

Result<std::vector<SyncConflict>> readConflicts(db::Statement& stmt) {
    std::vector<SyncConflict> out;
    for (;;) {
        auto row = stmt.step();
        if (!row) return row.error();
        if (!*row) return out;
        out.push_back(readConflict(stmt));
    }
}

CatalogModel readModel(const db::Statement& s) {
    return {static_cast<int>(s.getInt(0)),
            s.getText(1),
            s.getText(2),
            s.getText(3),
            s.getText(4),
            s.getText(5),
            s.getText(6),
            s.getInt(7),
            splitList(s.getText(8))};
}

constexpr std::string_view kModelColumns = "year, make, model, trim, body, fuel, drivetrain, msrp_cents, features";

} // namespace

void to_json(nlohmann::json& j, const SyncConflict& c) {
    j = {{"id", c.id},
         {"kind", c.kind},
         {"vin", c.vin},
         {"deal_id", c.dealId},
         {"deal_no", c.dealNo},
         {"other_store", c.otherStore},
         {"message", c.message},
         {"data", c.data},
         {"received_at", c.receivedAt},
         {"resolved_at", c.resolvedAt ? nlohmann::json(*c.resolvedAt) : nlohmann::json(nullptr)},
         {"resolution_note", c.resolutionNote},
         {"open", c.open()}};
}

Result<std::vector<SyncConflict>> Conflicts::list(bool includeResolved) {
    auto stmt =
        m_ctx.db.prepare("SELECT " + std::string(kConflictColumns) + " FROM sync_conflicts" +
                         (includeResolved ? "" : " WHERE resolved_at IS NULL") + " ORDER BY received_at DESC, id");
    if (!stmt) return stmt.error();
    return readConflicts(*stmt);
}

Result<SyncConflict> Conflicts::find(std::string_view id) {
    auto stmt = m_ctx.db.prepare("SELECT " + std::string(kConflictColumns) + " FROM sync_conflicts WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bindAll(id);
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return fail(ErrorCode::NotFound, "no conflict '" + std::string(id.substr(0, 60)) + "'");
    return readConflict(*stmt);
}

Result<SyncConflict> Conflicts::resolve(std::string_view id, std::string_view note) {
    if (note.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return fail(ErrorCode::InvalidInput, "say what was done about the conflict (a note)");
    auto tx = db::Transaction::begin(m_ctx.db);
    if (!tx) return tx.error();
    auto c = find(id);
    if (!c) return c.error();
    if (!c->open())
        return fail(ErrorCode::InvalidTransition, "conflict " + c->id + " was already resolved at " + *c->resolvedAt);
    auto stmt = m_ctx.db.prepare("UPDATE sync_conflicts SET resolved_at = ?, resolution_note = ? WHERE id = ?");
    if (!stmt) return stmt.error();
    if (auto st = stmt->bindAll(m_ctx.now(), note, c->id).run(); !st) return st.error();
    if (auto st = record(m_ctx, "store.conflict_resolved", "conflict", c->id, {{"conflict_id", c->id}, {"note", note}});
        !st)
        return st.error();
    if (auto st = tx->commit(); !st) return st.error();
    return find(c->id);
}

Result<std::optional<SyncConflict>> Conflicts::openConflictFor(std::string_view dealId) {
    if (dealId.empty()) return std::optional<SyncConflict>();
    auto stmt = m_ctx.db.prepare("SELECT " + std::string(kConflictColumns) +
                                 " FROM sync_conflicts WHERE deal_id = ? AND resolved_at IS NULL "
                                 "ORDER BY received_at, id LIMIT 1");
    if (!stmt) return stmt.error();
    stmt->bindAll(dealId);
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return std::optional<SyncConflict>();
    return std::optional<SyncConflict>(readConflict(*stmt));
}

void to_json(nlohmann::json& j, const CatalogModel& m) {
    j = {{"year", m.year},        {"make", m.make}, {"model", m.model},           {"trim", m.trim},
         {"body", m.body},        {"fuel", m.fuel}, {"drivetrain", m.drivetrain}, {"msrp", formatCents(m.msrp)},
         {"features", m.features}};
}

Result<std::vector<CatalogModel>> listCatalog(db::Connection& db, std::string_view make) {
    auto stmt = db.prepare("SELECT " + std::string(kModelColumns) +
                           " FROM catalog_models WHERE ?1 = '' OR make = ?1 ORDER BY make, model, year DESC, trim");
    if (!stmt) return stmt.error();
    stmt->bindAll(make);
    std::vector<CatalogModel> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) return out;
        out.push_back(readModel(*stmt));
    }
}

Result<std::optional<CatalogModel>> findCatalogModel(db::Connection& db, int year, std::string_view make,
                                                     std::string_view model, std::string_view trim) {
    // The exact trim first; without a trim, the model's first line (by trim) stands in.
    auto stmt =
        db.prepare("SELECT " + std::string(kModelColumns) +
                   " FROM catalog_models WHERE year = ?1 AND make = ?2 AND model = ?3 AND (trim = ?4 OR ?4 = '') "
                   "ORDER BY trim = ?4 DESC, trim LIMIT 1");
    if (!stmt) return stmt.error();
    stmt->bindAll(year, make, model, trim);
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return std::optional<CatalogModel>();
    return std::optional<CatalogModel>(readModel(*stmt));
}

Result<Vehicle> vehicleFromJson(const nlohmann::json& j) {
    if (!j.is_object()) return fail(ErrorCode::InvalidInput, "the vehicle is not a JSON object");
    Vehicle v;
    auto text = [&](const char* key, std::string& target, bool required) -> Status {
        auto it = j.find(key);
        if (it == j.end() || it->is_null()) {
            if (required) return fail(ErrorCode::InvalidInput, std::string("the vehicle has no \"") + key + "\"");
            return {};
        }
        if (!it->is_string()) return fail(ErrorCode::InvalidInput, std::string("vehicle \"") + key + "\" is not text");
        target = it->get<std::string>();
        return {};
    };
    auto integer = [&](const char* key, std::int64_t& target, bool required) -> Status {
        auto it = j.find(key);
        if (it == j.end() || it->is_null()) {
            if (required) return fail(ErrorCode::InvalidInput, std::string("the vehicle has no \"") + key + "\"");
            return {};
        }
        if (!it->is_number_integer())
            return fail(ErrorCode::InvalidInput, std::string("vehicle \"") + key + "\" is not a whole number");
        target = it->get<std::int64_t>();
        return {};
    };
    auto money = [&](const char* key, Cents& target) -> Status {
        auto it = j.find(key);
        if (it == j.end() || it->is_null()) return {};
        if (!it->is_string())
            return fail(ErrorCode::InvalidInput, std::string("vehicle \"") + key + "\" is not a decimal string");
        auto cents = parseMoney(it->get<std::string>());
        if (!cents)
            return fail(ErrorCode::InvalidInput, std::string("vehicle \"") + key + "\": " + cents.error().message);
        target = *cents;
        return {};
    };
    auto list = [&](const char* key, std::vector<std::string>& target) -> Status {
        auto it = j.find(key);
        if (it == j.end() || it->is_null()) return {};
        if (it->is_string()) {
            target = splitList(it->get<std::string>());
            return {};
        }
        if (!it->is_array()) return fail(ErrorCode::InvalidInput, std::string("vehicle \"") + key + "\" is not a list");
        for (const auto& item : *it) {
            if (!item.is_string())
                return fail(ErrorCode::InvalidInput, std::string("vehicle \"") + key + "\" holds something not text");
            target.push_back(item.get<std::string>());
        }
        return {};
    };
    SHOWROOM_TRY(text("id", v.id, false));
    SHOWROOM_TRY(text("vin", v.vin, true));
    SHOWROOM_TRY(text("stock_no", v.stockNo, false));
    SHOWROOM_TRY(text("make", v.make, true));
    for (auto [key, target] :
         {std::pair{"model", &v.model}, std::pair{"trim", &v.trim}, std::pair{"body", &v.body},
          std::pair{"fuel", &v.fuel}, std::pair{"drivetrain", &v.drivetrain},
          std::pair{"transmission", &v.transmission}, std::pair{"exterior_color", &v.exteriorColor},
          std::pair{"interior_color", &v.interiorColor}, std::pair{"lot_location", &v.lotLocation}})
        SHOWROOM_TRY(text(key, *target, false));
    std::int64_t year = 0;
    SHOWROOM_TRY(integer("year", year, true));
    if (year < 0 || year > 9999) return fail(ErrorCode::InvalidInput, "vehicle \"year\" is not a model year");
    v.year = static_cast<int>(year);
    SHOWROOM_TRY(integer("odometer", v.odometer, false));
    SHOWROOM_TRY(money("price", v.price));
    SHOWROOM_TRY(money("msrp", v.msrp));
    SHOWROOM_TRY(list("features", v.features));
    SHOWROOM_TRY(list("photos", v.photos));
    std::string condition;
    SHOWROOM_TRY(text("condition", condition, false));
    if (!condition.empty()) {
        auto c = parseCondition(condition);
        if (!c) return fail(ErrorCode::InvalidInput, "vehicle \"condition\": " + c.error().message);
        v.condition = *c;
    } else {
        v.condition = v.odometer > 500 ? Condition::Used : Condition::New;
    }
    std::string status;
    SHOWROOM_TRY(text("status", status, false));
    if (!status.empty()) {
        auto s = parseVehicleStatus(status);
        if (!s) return fail(ErrorCode::InvalidInput, "vehicle \"status\": " + s.error().message);
        v.status = *s;
    }
    return v;
}

} // namespace showroom::core
