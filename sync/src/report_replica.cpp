// ReportReplica: HQ's events replayed into a database with the store schema (report_replica.hpp).
//
// Each event type maps to the statements the store itself ran when it wrote the event (core/crm.cpp,
// core/deals.cpp, core/inventory.cpp), restricted to the columns the reports read and written with the
// event's time. Vehicles are the one entity two showrooms write; their rows merge by HLC here.

#include "showroom/sync/report_replica.hpp"

#include "showroom/core/money.hpp"
#include "showroom/core/store.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <utility>

namespace showroom::sync {

using core::ErrorCode;
using core::Result;
using core::Status;
using core::db::Statement;
using nlohmann::json;

namespace {

constexpr int kPage = 2000; ///< events read and applied per transaction

// The copy's own tables, and the parts of the store schema a network copy must do without.
constexpr const char* kReplicaSchema = R"sql(
CREATE TABLE IF NOT EXISTS replica_cursor (
    store_id TEXT PRIMARY KEY,
    seq      INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    read     INTEGER NOT NULL,   -- events of this showroom read so far
    skipped  INTEGER NOT NULL    -- of those, events that could not be applied
);
CREATE TABLE IF NOT EXISTS replica_vehicle_alias (
    store_vehicle_id TEXT PRIMARY KEY,   -- a showroom's id for a car the copy holds under another id
    vehicle_id       TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS replica_vehicle_clock (
    vehicle_id TEXT PRIMARY KEY,
    state_hlc  TEXT NOT NULL,   -- the stamp of the write that set where the car is and its status
    price_hlc  TEXT NOT NULL
) WITHOUT ROWID;
-- One live deal per car holds within a showroom, not across two that both sold it (a flagged conflict).
DROP INDEX IF EXISTS deals_one_live_per_vehicle;
-- Nobody searches the copy's stock by words: its full-text indexes stay empty.
DROP TRIGGER IF EXISTS vehicles_fts_insert;
DROP TRIGGER IF EXISTS vehicles_fts_delete;
DROP TRIGGER IF EXISTS vehicles_fts_update;
)sql";

// Tables a rebuild empties: every row the events made, and where each showroom's reading stood.
constexpr const char* kWipe = R"sql(
DELETE FROM deals; DELETE FROM test_drives; DELETE FROM follow_ups; DELETE FROM lead_stage_history;
DELETE FROM leads; DELETE FROM customers; DELETE FROM vehicles; DELETE FROM staff; DELETE FROM stores;
DELETE FROM replica_cursor; DELETE FROM replica_vehicle_alias; DELETE FROM replica_vehicle_clock;
)sql";

core::Error skip(std::string why) {
    return core::fail(ErrorCode::InvalidInput, std::move(why));
}

// -- payload fields -----------------------------------------------------------------------------------

std::optional<std::string> textOf(const json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}
std::string textOr(const json& j, const char* key, std::string fallback = "") {
    return textOf(j, key).value_or(std::move(fallback));
}
/// A key the row cannot do without.
Result<std::string> required(const json& j, const char* key) {
    auto v = textOf(j, key);
    if (!v || v->empty()) return core::fail(ErrorCode::InvalidInput, std::string("no \"") + key + "\"");
    return *v;
}
std::int64_t integerOr(const json& j, const char* key, std::int64_t fallback) {
    const auto it = j.find(key);
    return it != j.end() && it->is_number_integer() ? it->get<std::int64_t>() : fallback;
}
std::optional<std::int64_t> optionalInteger(const json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number_integer()) return std::nullopt;
    return it->get<std::int64_t>();
}
bool flag(const json& j, const char* key) {
    const auto it = j.find(key);
    return it != j.end() && ((it->is_boolean() && it->get<bool>()) || (it->is_number_integer() && it->get<int>() != 0));
}
/// Money as the payloads write it ("24990.00"); 0 when missing, InvalidInput when unreadable.
Result<core::Cents> moneyOf(const json& j, const char* key) {
    const auto v = textOf(j, key);
    if (!v || v->empty()) return core::Cents{0};
    return core::parseMoney(*v);
}
std::string joinList(const json& j, const char* key) {
    const auto it = j.find(key);
    if (it == j.end()) return "";
    if (it->is_string()) return it->get<std::string>();
    std::string out;
    if (it->is_array())
        for (const auto& item : *it)
            if (item.is_string()) out += (out.empty() ? "" : "; ") + item.get<std::string>();
    return out;
}

// -- the projection ---------------------------------------------------------------------------------

enum class Outcome { Applied, ReadPast };

/// Applies one showroom's events to the copy; its statements are prepared once per catch-up.
class Projector {
public:
    Projector(core::db::Connection& db, const StoreInfo& store) : m_db(db), m_store(store) {}

    Result<Outcome> apply(const StoredEvent& e) {
        const json payload = json::parse(e.payload, nullptr, false);
        if (!payload.is_object()) return skip("the payload is not a JSON object");
        const std::string& t = e.type;
        const std::string at = textOr(payload, "at", e.createdAt);
        Status done;
        if (t == "staff.added")
            done = staffAdded(e, payload);
        else if (t == "customer.added")
            done = customerAdded(e, payload);
        else if (t == "lead.opened")
            done = leadOpened(payload);
        else if (t == "lead.moved")
            done = leadMoved(e, payload, at);
        else if (t == "follow_up.added" || t == "follow_up.done")
            done = followUp(payload);
        else if (t == "test_drive.started" || t == "test_drive.finished")
            done = testDrive(payload);
        else if (t == "deal.created")
            done = dealCreated(e, payload);
        else if (t == "deal.signed" || t == "deal.delivered" || t == "deal.cancelled")
            done = dealStatus(e, payload, t.substr(5), at);
        else if (t == "vehicle.added" || t == "vehicle.checked_in" || t == "vehicle.incoming")
            done = vehicleRecord(e, payload, at);
        else if (t == "vehicle.status_changed")
            done = vehicleStatus(e, payload, textOr(payload, "from"), textOr(payload, "to"), at);
        else if (t == "vehicle.transferred")
            done = vehicleStatus(e, payload, "", "transferred", at);
        else if (t == "vehicle.price_changed")
            done = vehiclePrice(e, payload);
        else
            return Outcome::ReadPast;
        if (!done) return done.error();
        return Outcome::Applied;
    }

private:
    /// The statement for `sql`, prepared on first use, reset and bound to `args`.
    template <class... Args> Result<Statement*> bound(const char* sql, const Args&... args) {
        auto it = m_statements.find(sql);
        if (it == m_statements.end()) {
            auto prepared = m_db.prepare(sql);
            if (!prepared) return prepared.error();
            it = m_statements.emplace(sql, std::move(*prepared)).first;
        }
        it->second.reset();
        it->second.bindAll(args...);
        return &it->second;
    }
    /// Runs a write; how many rows it changed.
    template <class... Args> Result<int> run(const char* sql, const Args&... args) {
        auto stmt = bound(sql, args...);
        if (!stmt) return stmt.error();
        if (auto st = (*stmt)->run(); !st) return st.error();
        return m_db.changes();
    }
    template <class... Args> Status exec(const char* sql, const Args&... args) {
        auto changed = run(sql, args...);
        if (!changed) return changed.error();
        return {};
    }
    /// The first column of the first row, if any.
    template <class... Args> Result<std::optional<std::string>> one(const char* sql, const Args&... args) {
        auto stmt = bound(sql, args...);
        if (!stmt) return stmt.error();
        auto row = (*stmt)->step();
        if (!row) return row.error();
        if (!*row) return std::optional<std::string>();
        return std::optional<std::string>((*stmt)->getText(0));
    }

    std::string qualified(const std::string& number) const { return m_store.code + "/" + number; }

    // -- people and their pipeline ----------------------------------------------------------------

    Status staffAdded(const StoredEvent& e, const json& p) {
        auto name = required(p, "name");
        if (!name) return name.error();
        return exec("INSERT INTO staff(id, store_id, name, role, created_at) VALUES (?, ?, ?, ?, ?) "
                   "ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role",
                   e.entityId, m_store.id, *name, textOr(p, "role", "sales"), e.createdAt);
    }

    Status customerAdded(const StoredEvent& e, const json& p) {
        // A customer needs a first or a last name (Crm::addCustomer), not both.
        const std::string first = textOr(p, "first_name"), last = textOr(p, "last_name");
        if (first.empty() && last.empty()) return skip("a customer without a name");
        return exec("INSERT INTO customers(id, store_id, first_name, last_name, phone, email, street, city, state, "
                   "postal_code, consent_contact, consent_marketing, consent_at, source, created_at, updated_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                   "first_name = excluded.first_name, last_name = excluded.last_name, phone = excluded.phone, "
                   "email = excluded.email, updated_at = excluded.updated_at",
                   e.entityId, m_store.id, first, last, textOr(p, "phone"), textOr(p, "email"),
                   textOr(p, "street"), textOr(p, "city"), textOr(p, "state"), textOr(p, "postal_code"),
                   flag(p, "consent_contact") ? 1 : 0, flag(p, "consent_marketing") ? 1 : 0, textOf(p, "consent_at"),
                   textOr(p, "source", "walk_in"), textOr(p, "created_at", e.createdAt),
                   textOr(p, "updated_at", e.createdAt));
    }

    Status leadOpened(const json& p) {
        auto id = required(p, "id");
        if (!id) return id.error();
        auto customer = required(p, "customer_id");
        if (!customer) return customer.error();
        auto created = required(p, "created_at");
        if (!created) return created.error();
        const std::string stage = textOr(p, "stage", "inquiry");
        const auto salesperson = textOf(p, "salesperson_id");
        std::optional<std::string> vehicle;
        if (auto v = textOf(p, "vehicle_id")) {
            auto held = carFor(*v);
            if (!held) return held.error();
            vehicle = *held;
        }
        auto added = run("INSERT INTO leads(id, store_id, customer_id, vehicle_id, salesperson_id, stage, source, "
                         "lost_reason, stage_changed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                         "ON CONFLICT (id) DO NOTHING",
                         *id, m_store.id, *customer, vehicle, salesperson, stage, textOr(p, "source", "walk_in"),
                         textOf(p, "lost_reason"), textOr(p, "stage_changed_at", *created), *created, *created);
        if (!added) return added.error();
        if (*added == 0) return {}; // opened once; a second copy of the event changes nothing
        return exec("INSERT INTO lead_stage_history(lead_id, from_stage, to_stage, staff_id, at) VALUES (?, NULL, ?, ?, ?)",
                   *id, stage, salesperson, *created);
    }

    Status leadMoved(const StoredEvent& e, const json& p, const std::string& at) {
        auto to = required(p, "to");
        if (!to) return to.error();
        std::optional<std::string> reason;
        if (*to == "lost") reason = textOr(p, "lost_reason");
        auto moved = run("UPDATE leads SET stage = ?, lost_reason = ?, stage_changed_at = ?, updated_at = ? WHERE id = ?",
                         *to, reason, at, at, e.entityId);
        if (!moved) return moved.error();
        if (*moved == 0) return skip("no lead " + e.entityId);
        return exec("INSERT INTO lead_stage_history(lead_id, from_stage, to_stage, staff_id, at) VALUES (?, ?, ?, NULL, ?)",
                   e.entityId, textOf(p, "from"), *to, at);
    }

    Status followUp(const json& p) {
        auto id = required(p, "id");
        if (!id) return id.error();
        auto lead = required(p, "lead_id");
        if (!lead) return lead.error();
        auto due = required(p, "due_at");
        if (!due) return due.error();
        return exec("INSERT INTO follow_ups(id, lead_id, assigned_to, due_at, note, done_at, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET assigned_to = excluded.assigned_to, "
                   "due_at = excluded.due_at, note = excluded.note, done_at = excluded.done_at",
                   *id, *lead, textOf(p, "assigned_to"), *due, textOr(p, "note"), textOf(p, "done_at"),
                   textOr(p, "created_at", *due));
    }

    Status testDrive(const json& p) {
        auto id = required(p, "id");
        if (!id) return id.error();
        auto customer = required(p, "customer_id");
        if (!customer) return customer.error();
        auto vehicleId = required(p, "vehicle_id");
        if (!vehicleId) return vehicleId.error();
        auto out = required(p, "out_at");
        if (!out) return out.error();
        auto car = carFor(*vehicleId);
        if (!car) return car.error();
        return exec("INSERT INTO test_drives(id, lead_id, customer_id, vehicle_id, staff_id, licence_checked, "
                   "licence_last4, licence_expiry, out_at, in_at, odometer_out, odometer_in, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                   "in_at = excluded.in_at, odometer_in = excluded.odometer_in",
                   *id, textOf(p, "lead_id"), *customer, *car, textOf(p, "staff_id"), flag(p, "licence_checked") ? 1 : 0,
                   textOr(p, "licence_last4"), textOf(p, "licence_expiry"), *out, textOf(p, "in_at"),
                   integerOr(p, "odometer_out", 0), optionalInteger(p, "odometer_in"), *out);
    }

    // -- deals ------------------------------------------------------------------------------------

    Status dealCreated(const StoredEvent& e, const json& p) {
        auto number = required(p, "deal_no");
        if (!number) return number.error();
        auto customer = required(p, "customer_id");
        if (!customer) return customer.error();
        auto vehicleId = required(p, "vehicle_id");
        if (!vehicleId) return vehicleId.error();
        auto car = carFor(*vehicleId);
        if (!car) return car.error();
        core::Cents cents[7] = {};
        const char* keys[7] = {"price",           "discount",        "backend_gross",   "sales_tax",
                               "amount_financed", "monthly_payment", "total_sale_price"};
        for (int i = 0; i < 7; ++i) {
            auto v = moneyOf(p, keys[i]);
            if (!v) return skip(std::string("\"") + keys[i] + "\": " + v.error().message);
            cents[i] = *v;
        }
        return exec("INSERT INTO deals(id, deal_no, store_id, customer_id, vehicle_id, lead_id, salesperson_id, status, "
                   "kind, price_cents, discount_cents, backend_gross_cents, sales_tax_cents, amount_financed_cents, "
                   "monthly_payment_cents, total_sale_price_cents, term_months, created_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                   e.entityId, qualified(*number), m_store.id, *customer, *car, textOf(p, "lead_id"),
                   textOf(p, "salesperson_id"), textOr(p, "status", "draft"), textOr(p, "kind", "cash"), cents[0],
                   cents[1], cents[2], cents[3], cents[4], cents[5], cents[6], integerOr(p, "term", 0),
                   textOr(p, "created_at", e.createdAt));
    }

    Status dealStatus(const StoredEvent& e, const json& p, const std::string& to, const std::string& at) {
        // The column each status stamps, as Deals::setStatus writes it.
        const char* sql = to == "signed"      ? "UPDATE deals SET status = 'signed', signed_at = ? WHERE id = ?"
                          : to == "delivered" ? "UPDATE deals SET status = 'delivered', delivered_at = ? WHERE id = ?"
                                              : nullptr;
        auto changed = sql ? run(sql, at, e.entityId)
                           : run("UPDATE deals SET status = 'cancelled', cancelled_at = ?, "
                                 "cancel_reason = coalesce(?, cancel_reason) WHERE id = ?",
                                 at, textOf(p, "reason"), e.entityId);
        if (!changed) return changed.error();
        if (*changed == 0) return skip("no deal " + e.entityId);
        return {};
    }

    // -- vehicles ---------------------------------------------------------------------------------

    /// The copy's id for a showroom's vehicle id (its alias, or the id itself).
    Result<std::string> carFor(const std::string& storeVehicleId) {
        auto alias = one("SELECT vehicle_id FROM replica_vehicle_alias WHERE store_vehicle_id = ?", storeVehicleId);
        if (!alias) return alias.error();
        return alias->value_or(storeVehicleId);
    }

    /// The copy's row for a showroom's vehicle: by id (or its alias), else by VIN (recording the alias);
    /// nullopt when the copy has no such car yet.
    Result<std::optional<std::string>> rowOf(const std::string& storeVehicleId, const std::string& vin) {
        auto car = carFor(storeVehicleId);
        if (!car) return car.error();
        auto byId = one("SELECT id FROM vehicles WHERE id = ?", *car);
        if (!byId) return byId.error();
        if (*byId) return *byId;
        if (vin.empty()) return std::optional<std::string>();
        auto byVin = one("SELECT id FROM vehicles WHERE vin = ?", vin);
        if (!byVin) return byVin.error();
        if (*byVin) {
            auto aliased = run("INSERT INTO replica_vehicle_alias(store_vehicle_id, vehicle_id) VALUES (?, ?) "
                               "ON CONFLICT (store_vehicle_id) DO UPDATE SET vehicle_id = excluded.vehicle_id",
                               storeVehicleId, **byVin);
            if (!aliased) return aliased.error();
        }
        return *byVin;
    }

    struct Clock {
        std::string state, price;
    };
    Result<Clock> clockOf(const std::string& id) {
        auto stmt = bound("SELECT state_hlc, price_hlc FROM replica_vehicle_clock WHERE vehicle_id = ?", id);
        if (!stmt) return stmt.error();
        auto row = (*stmt)->step();
        if (!row) return row.error();
        if (!*row) return Clock{};
        return Clock{(*stmt)->getText(0), (*stmt)->getText(1)};
    }
    Status setClock(const std::string& id, const Clock& c) {
        return exec("INSERT INTO replica_vehicle_clock(vehicle_id, state_hlc, price_hlc) VALUES (?, ?, ?) "
                   "ON CONFLICT (vehicle_id) DO UPDATE SET state_hlc = excluded.state_hlc, price_hlc = excluded.price_hlc",
                   id, c.state, c.price);
    }

    /// A whole vehicle record: a check-in, an addition, a transfer's arrival.
    Status vehicleRecord(const StoredEvent& e, const json& p, const std::string& at) {
        auto vin = required(p, "vin");
        if (!vin) return vin.error();
        const std::string storeId = textOr(p, "id", e.entityId);
        core::Cents money[3] = {};
        const char* keys[3] = {"msrp", "price", "cost"};
        for (int i = 0; i < 3; ++i) {
            auto v = moneyOf(p, keys[i]);
            if (!v) return skip(std::string("\"") + keys[i] + "\": " + v.error().message);
            money[i] = *v;
        }
        const auto [msrp, price, cost] = money;
        auto row = rowOf(storeId, *vin);
        if (!row) return row.error();
        const std::string stock = qualified(textOr(p, "stock_no").empty() ? storeId : textOr(p, "stock_no"));
        const std::string received = textOr(p, "received_at").empty() ? at : textOr(p, "received_at");
        if (!*row) {
            auto added = run(
                "INSERT INTO vehicles(id, store_id, vin, stock_no, condition, year, make, model, trim, body, fuel, "
                "drivetrain, transmission, exterior_color, interior_color, odometer, msrp_cents, price_cents, "
                "cost_cents, features, lot_location, status, received_at, status_changed_at, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                storeId, m_store.id, *vin, stock, textOr(p, "condition", "used"), integerOr(p, "year", 0),
                textOr(p, "make"), textOr(p, "model"), textOr(p, "trim"), textOr(p, "body"), textOr(p, "fuel"),
                textOr(p, "drivetrain"), textOr(p, "transmission"), textOr(p, "exterior_color"),
                textOr(p, "interior_color"), integerOr(p, "odometer", 0), msrp, price, cost, joinList(p, "features"),
                textOr(p, "lot_location"), textOr(p, "status", "in_stock"), received,
                textOr(p, "status_changed_at", at), textOr(p, "created_at", at), at);
            if (!added) return added.error();
            return setClock(storeId, Clock{e.hlc, e.hlc});
        }
        const std::string& id = **row;
        auto clock = clockOf(id);
        if (!clock) return clock.error();
        if (e.hlc < clock->state) {
            // An older record from elsewhere: it only tells the copy a cost it did not know.
            if (cost == 0) return {};
            return exec("UPDATE vehicles SET cost_cents = ? WHERE id = ? AND cost_cents = 0", cost, id);
        }
        const bool priceToo = e.hlc >= clock->price;
        auto updated = run(
            "UPDATE vehicles SET store_id = ?, stock_no = ?, condition = ?, year = ?, make = ?, model = ?, trim = ?, "
            "body = ?, fuel = ?, drivetrain = ?, transmission = ?, exterior_color = ?, interior_color = ?, "
            "odometer = ?, msrp_cents = ?, price_cents = CASE WHEN ? THEN ? ELSE price_cents END, "
            "cost_cents = CASE WHEN ? > 0 THEN ? ELSE cost_cents END, features = ?, lot_location = ?, status = ?, "
            "received_at = ?, status_changed_at = ?, updated_at = ? WHERE id = ?",
            m_store.id, stock, textOr(p, "condition", "used"), integerOr(p, "year", 0), textOr(p, "make"),
            textOr(p, "model"), textOr(p, "trim"), textOr(p, "body"), textOr(p, "fuel"), textOr(p, "drivetrain"),
            textOr(p, "transmission"), textOr(p, "exterior_color"), textOr(p, "interior_color"),
            integerOr(p, "odometer", 0), msrp, priceToo ? 1 : 0, price, cost, cost, joinList(p, "features"),
            textOr(p, "lot_location"), textOr(p, "status", "in_stock"), received, textOr(p, "status_changed_at", at),
            at, id);
        if (!updated) return updated.error();
        return setClock(id, Clock{e.hlc, priceToo ? e.hlc : clock->price});
    }

    /// A status change at this showroom; `to` "transferred" for a car it sent away.
    Status vehicleStatus(const StoredEvent& e, const json& p, const std::string& from, const std::string& to,
                         const std::string& at) {
        if (to.empty()) return skip("no \"to\"");
        auto row = rowOf(e.entityId, textOr(p, "vin"));
        if (!row) return row.error();
        if (!*row) return skip("no vehicle " + e.entityId);
        const std::string& id = **row;
        auto clock = clockOf(id);
        if (!clock) return clock.error();
        if (e.hlc < clock->state) return {}; // another showroom's later write already holds the car
        // A car arriving from a transfer starts its stock age again (Inventory::transition).
        const bool restartsAging = from == "incoming" && to == "in_stock";
        auto changed = run("UPDATE vehicles SET store_id = ?, status = ?, status_changed_at = ?, updated_at = ?, "
                           "received_at = CASE WHEN ? THEN ? ELSE received_at END WHERE id = ?",
                           m_store.id, to, at, at, restartsAging ? 1 : 0, at, id);
        if (!changed) return changed.error();
        return setClock(id, Clock{e.hlc, clock->price});
    }

    Status vehiclePrice(const StoredEvent& e, const json& p) {
        auto price = moneyOf(p, "price");
        if (!price) return skip(std::string("\"price\": ") + price.error().message);
        auto row = rowOf(e.entityId, textOr(p, "vin"));
        if (!row) return row.error();
        if (!*row) return skip("no vehicle " + e.entityId);
        auto clock = clockOf(**row);
        if (!clock) return clock.error();
        if (e.hlc < clock->price) return {};
        auto changed = run("UPDATE vehicles SET price_cents = ? WHERE id = ?", *price, **row);
        if (!changed) return changed.error();
        return setClock(**row, Clock{clock->state, e.hlc});
    }

    core::db::Connection& m_db;
    const StoreInfo& m_store;
    std::map<const char*, Statement> m_statements;
};

struct Cursor {
    EventPosition at;
    std::int64_t read = 0, skipped = 0;
};

Result<Cursor> cursorOf(core::db::Connection& db, const std::string& storeId) {
    auto stmt = db.prepare("SELECT seq, event_id, read, skipped FROM replica_cursor WHERE store_id = ?");
    if (!stmt) return stmt.error();
    stmt->bindAll(storeId);
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return Cursor{};
    return Cursor{EventPosition{stmt->getInt(0), stmt->getText(1)}, stmt->getInt(2), stmt->getInt(3)};
}

Status saveCursor(core::db::Connection& db, const std::string& storeId, const Cursor& c) {
    auto stmt = db.prepare("INSERT INTO replica_cursor(store_id, seq, event_id, read, skipped) VALUES (?, ?, ?, ?, ?) "
                           "ON CONFLICT (store_id) DO UPDATE SET seq = excluded.seq, event_id = excluded.event_id, "
                           "read = excluded.read, skipped = excluded.skipped");
    if (!stmt) return stmt.error();
    return stmt->bindAll(storeId, c.at.seq, c.at.eventId, c.read, c.skipped).run();
}

Result<std::string> metaValue(core::db::Connection& db, const char* key) {
    auto stmt = db.prepare("SELECT value FROM replica_meta WHERE key = ?");
    if (!stmt) return stmt.error();
    stmt->bindAll(key);
    auto row = stmt->step();
    if (!row) return row.error();
    return *row ? stmt->getText(0) : std::string();
}

/// HQ's showrooms and its own staff accounts, as the copy's stores and staff.
Status copyDirectory(core::db::Connection& db, Hq& hq, const std::vector<StoreInfo>& stores) {
    std::map<std::string, std::string> idOfCode;
    for (const auto& s : stores) {
        idOfCode.emplace(s.code, s.id);
        auto stmt = db.prepare("INSERT INTO stores(id, code, name, created_at) VALUES (?, ?, ?, ?) "
                               "ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name");
        if (!stmt) return stmt.error();
        if (auto st = stmt->bindAll(s.id, s.code, s.name, s.createdAt).run(); !st) return st;
    }
    auto staff = hq.staff();
    if (!staff) return staff.error();
    for (const auto& a : *staff) {
        const auto store = idOfCode.find(a.storeCode);
        auto stmt = db.prepare("INSERT INTO staff(id, store_id, name, role, active, created_at) "
                               "VALUES (?, ?, ?, ?, ?, '') ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                               "role = excluded.role, active = excluded.active");
        if (!stmt) return stmt.error();
        // An account for every showroom belongs to none of them in particular.
        if (auto st = stmt->bindAll(a.id, store == idOfCode.end() ? std::string() : store->second, a.name, a.role,
                                    a.active ? 1 : 0)
                          .run();
            !st)
            return st;
    }
    return {};
}

} // namespace

Result<ReportReplica> ReportReplica::open(const std::string& path) {
    {
        // The file must be a copy of ours or new: a showroom's own database given by mistake is never
        // emptied and rebuilt.
        core::db::OpenOptions probeOptions;
        auto probe = core::db::Connection::open(path, probeOptions);
        if (!probe) return probe.error();
        auto stmt = probe->prepare("SELECT count(*), coalesce(sum(name = 'replica_meta'), 0) FROM sqlite_master "
                                   "WHERE type = 'table'");
        if (!stmt) return stmt.error();
        auto row = stmt->step();
        if (!row) return row.error();
        if (stmt->getInt(0) > 0 && stmt->getInt(1) == 0)
            return core::fail(ErrorCode::InvalidInput,
                              path + " holds another database (a showroom's?), not HQ's report copy: choose another "
                                     "--reports-db");
        if (auto st = probe->exec("CREATE TABLE IF NOT EXISTS replica_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) "
                                  "WITHOUT ROWID");
            !st)
            return st.error();
    }
    auto db = core::openStore(path);
    if (!db) return db.error();
    // A copy is rebuilt from HQ at will: it needs no fsync per commit, and rows may arrive before
    // the rows they refer to (an event the store quarantined).
    if (auto st = db->exec("PRAGMA foreign_keys = OFF; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY"); !st)
        return st.error();
    if (auto st = db->exec(kReplicaSchema); !st) return st.error();
    return ReportReplica(std::move(*db));
}

Status ReportReplica::wipe() {
    if (auto st = m_db.exec(kWipe); !st) return st;
    return {};
}

Result<std::int64_t> ReportReplica::skippedTotal() {
    auto stmt = m_db.prepare("SELECT coalesce(sum(skipped), 0) FROM replica_cursor");
    if (!stmt) return stmt.error();
    auto row = stmt->step();
    if (!row) return row.error();
    return stmt->getInt(0);
}

Result<CatchUp> ReportReplica::catchUp(Hq& hq) {
    CatchUp out;
    auto stores = hq.stores();
    if (!stores) return stores.error();

    // Rebuild first if the mapping changed or a showroom's events arrived below where the copy stands.
    auto version = metaValue(m_db, "projection_version");
    if (!version) return version.error();
    bool rebuild = *version != std::to_string(kProjectionVersion);
    for (const auto& s : *stores) {
        if (rebuild) break;
        auto cursor = cursorOf(m_db, s.id);
        if (!cursor) return cursor.error();
        if (cursor->read == 0) continue;
        auto held = hq.countEventsUpTo(s.id, cursor->at);
        if (!held) return held.error();
        rebuild = *held != cursor->read;
    }
    {
        auto tx = core::db::Transaction::begin(m_db);
        if (!tx) return tx.error();
        if (rebuild) {
            if (auto st = wipe(); !st) return st.error();
            auto stmt = m_db.prepare("INSERT INTO replica_meta(key, value) VALUES ('projection_version', ?) "
                                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
            if (!stmt) return stmt.error();
            if (auto st = stmt->bindAll(std::to_string(kProjectionVersion)).run(); !st) return st.error();
            out.rebuilt = true;
        }
        if (auto st = copyDirectory(m_db, hq, *stores); !st) return st.error();
        if (auto st = tx->commit(); !st) return st.error();
    }

    for (const auto& store : *stores) {
        auto cursor = cursorOf(m_db, store.id);
        if (!cursor) return cursor.error();
        Projector projector(m_db, store);
        for (;;) {
            auto page = hq.eventsOf(store.id, cursor->at, kPage);
            if (!page) return page.error();
            if (page->empty()) break;
            auto tx = core::db::Transaction::begin(m_db);
            if (!tx) return tx.error();
            for (const auto& e : *page) {
                // Each event in a savepoint: one that fails leaves nothing half-applied.
                auto savepoint = core::db::Transaction::begin(m_db);
                if (!savepoint) return savepoint.error();
                auto outcome = projector.apply(e);
                if (outcome) {
                    if (auto st = savepoint->commit(); !st) return st.error();
                    if (*outcome == Outcome::Applied) ++out.applied;
                } else if (const ErrorCode code = outcome.error().code; code == ErrorCode::InvalidInput ||
                                                                        code == ErrorCode::Duplicate ||
                                                                        code == ErrorCode::Conflict) {
                    ++out.skipped; // a payload the copy cannot use, or a row the schema refuses
                    ++cursor->skipped;
                } else {
                    return outcome.error(); // the copy itself failed (disk full, locked): stop
                }
            }
            out.read += static_cast<std::int64_t>(page->size());
            cursor->read += static_cast<std::int64_t>(page->size());
            cursor->at = EventPosition{page->back().seq, page->back().eventId};
            if (auto st = saveCursor(m_db, store.id, *cursor); !st) return st.error();
            if (auto st = tx->commit(); !st) return st.error();
            if (page->size() < static_cast<std::size_t>(kPage)) break;
        }
    }
    // A big catch-up (a rebuild) leaves the whole copy in the write-ahead log: fold it into the file
    // now rather than in the middle of the next run's catch-up.
    if (out.read >= kPage)
        if (auto st = m_db.exec("PRAGMA wal_checkpoint(TRUNCATE)"); !st) return st.error();
    return out;
}

} // namespace showroom::sync
