// HQ's network rules (hq.hpp, "Network rules"): merged vehicles, claims and conflicts, customers,
// transfers, and HQ's own prices, staff accounts and catalog going down.
//
// Like hq.cpp, every statement runs unchanged on SQLite and PostgreSQL: `?` parameters bound as
// text, INSERT ... ON CONFLICT, RETURNING, and nothing vendor-specific.

#include "hq_network.hpp"

#include "hq_backends.hpp"

#include "showroom/core/auth.hpp"
#include "showroom/core/clock.hpp"
#include "showroom/core/csv.hpp"
#include "showroom/core/domain.hpp"
#include "showroom/core/hlc.hpp"
#include "showroom/core/money.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <set>
#include <tuple>

namespace showroom::sync {

using core::ErrorCode;
using core::Result;
using core::Status;
using Params = std::vector<std::optional<std::string>>;
using nlohmann::json;

namespace {

using detail::number;
using detail::text;

constexpr std::string_view kHqNode = "HQ";

std::string nowUtc() {
    return core::formatUtc(core::SystemClock().now());
}

std::string newId() {
    static thread_local core::IdGenerator ids;
    return ids.uuid();
}

std::string dump(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

/// payload[key] when it is a string, else "".
std::string field(const json& payload, const char* key) {
    if (!payload.is_object()) return {};
    const auto it = payload.find(key);
    return it != payload.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// Orders two stamps: < 0 when `a` is older. A stamp that does not parse ("" from a store before
/// schema 4) is older than any that does.
int compareStamps(const std::string& a, const std::string& b) {
    const auto pa = core::hlc::parse(a);
    const auto pb = core::hlc::parse(b);
    if (!pa || !pb) return (pa ? 1 : 0) - (pb ? 1 : 0);
    if (*pa < *pb) return -1;
    if (*pb < *pa) return 1;
    return 0;
}

Result<std::optional<std::string>> storeIdOfCode(HqStorage& s, const std::string& code) {
    auto rows = s.query("SELECT id FROM stores WHERE code = ?", Params{code});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<std::string>();
    return std::optional<std::string>(text(rows->front(), 0));
}

Result<std::string> storeName(HqStorage& s, const std::string& code) {
    auto rows = s.query("SELECT name FROM stores WHERE code = ?", Params{code});
    if (!rows) return rows.error();
    return rows->empty() ? code : text(rows->front(), 0);
}

/// Appends a change. `fromStoreId` is the store it is about (never sent a "vehicle" change of its
/// own); `targetStoreId` the only store that receives it (nullopt: every store).
Status emitChange(HqStorage& s, std::string_view kind, std::optional<std::string> fromStoreId,
                  const std::string& storeCode, std::optional<std::string> targetStoreId, const json& data,
                  const std::string& now) {
    auto rows = s.query(
        "INSERT INTO changes(kind, store_id, store_code, data, created_at, target_store_id) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        Params{std::string(kind), std::move(fromStoreId), storeCode, dump(data), now, std::move(targetStoreId)});
    if (!rows) return rows.error();
    return {};
}

/// HQ's next clock stamp (node "HQ"), persisted in hq_clock.
Result<std::string> nextHqStamp(HqStorage& s) {
    auto rows = s.query("SELECT last_stamp FROM hq_clock WHERE id = 1");
    if (!rows) return rows.error();
    core::hlc::Stamp last;
    if (!rows->empty())
        if (auto parsed = core::hlc::parse(text(rows->front(), 0))) last = *parsed;
    const std::string stamp = core::hlc::next(last, core::SystemClock().now() * 1000, kHqNode).toString();
    auto updated = s.query("UPDATE hq_clock SET last_stamp = ? WHERE id = 1", Params{stamp});
    if (!updated) return updated.error();
    return stamp;
}

// -- vehicles -------------------------------------------------------------------------------------

/// Who wrote a field value: the stamp and the writer's store ("HQ" for HQ itself).
struct Writer {
    std::string stamp;
    std::string code;
    std::optional<std::string> storeId; ///< nullopt for HQ
    std::string name;                   ///< the store's name ("" for HQ)
};

/// Whether `e` carries the whole vehicle as a store has it in stock (a check-in, a transfer's arrival):
/// a handover, not an edit, so it records no losers.
bool isFullRecord(const Event& e) {
    return e.type == "vehicle.added" || e.type == "vehicle.checked_in" || e.type == "vehicle.incoming";
}

/// The fields an event writes to the merged vehicle record; empty when it writes none.
json vehicleFields(const Event& e, const StoreInfo& store) {
    const json& p = e.payload;
    if (isFullRecord(e)) {
        json fields = json::object();
        for (auto it = p.begin(); it != p.end(); ++it) {
            static constexpr std::array<std::string_view, 6> kLocal = {
                "id", "store_id", "cost", "check_digit_ok", "check_digit_confirmed_by_porter", "transfer_id"};
            if (std::find(kLocal.begin(), kLocal.end(), it.key()) == kLocal.end()) fields[it.key()] = it.value();
        }
        fields["store_code"] = store.code;
        return fields;
    }
    if (e.type == "vehicle.status_changed" && !field(p, "to").empty()) return {{"status", field(p, "to")}};
    if (e.type == "vehicle.moved" && p.contains("to")) return {{"lot_location", p["to"]}};
    if (e.type == "vehicle.price_changed" && !field(p, "price").empty()) return {{"price", field(p, "price")}};
    if (e.type == "vehicle.transferred") return {{"status", "transferred"}};
    return json::object();
}

/// The record as other stores see it: no cost, the owner's name (the writer's when it is the owner:
/// no lookup on the usual path).
Result<json> publicRecord(HqStorage& s, json record, const Writer& writer) {
    record.erase("cost");
    const std::string owner = field(record, "store_code");
    if (owner == writer.code && writer.storeId) {
        record["store_name"] = writer.name;
        return record;
    }
    auto name = storeName(s, owner);
    if (!name) return name.error();
    record["store_name"] = *name;
    return record;
}

/// Merges `fields` written at `writer` into the record of `vin` (field-level last writer wins),
/// records the losers (unless it is a handover), and sends the merged record to the other stores.
/// Returns the owner's store id after the merge (nullopt when the owner is not enrolled).
Result<std::optional<std::string>> mergeVehicle(HqStorage& s, const std::string& vin, const json& fields,
                                                const Writer& writer, bool handover, const std::string& eventId,
                                                const std::string& now) {
    auto rows = s.query("SELECT store_id, data, stamps FROM net_vehicles WHERE vin = ?", Params{vin});
    if (!rows) return rows.error();
    json data = json::object(), stamps = json::object();
    std::optional<std::string> ownerId;
    const bool known = !rows->empty();
    if (known) {
        data = json::parse(text(rows->front(), 1), nullptr, false);
        stamps = json::parse(text(rows->front(), 2), nullptr, false);
        if (!data.is_object() || !stamps.is_object())
            return core::fail(ErrorCode::Internal, "HQ's record of " + vin + " is not JSON");
        if ((*rows)[0][0]) ownerId = text(rows->front(), 0);
    }
    const std::string ownerBefore = field(data, "store_code");
    bool changed = !known;
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        const std::string& name = it.key();
        const json& value = it.value();
        const json previous = stamps.value(name, json::object());
        const std::string oldStamp = field(previous, "hlc");
        const std::string oldCode = field(previous, "by");
        const bool oldWasEdit = previous.value("edit", false);
        const bool had = data.contains(name);
        const int order = compareStamps(writer.stamp, oldStamp);
        // Equal stamps that parse are the same write; two stamp-less writes go by arrival.
        const bool wins = !had || order > 0 || (order == 0 && !core::hlc::parse(writer.stamp));
        // Two edits of one field from different places: whichever arrives first, the older one is
        // recorded as the loser. A handover (a whole record) is the vehicle's baseline, not an edit:
        // an edit that loses to it is recorded, the baseline an edit overwrites is not.
        const bool contested =
            !handover && had && data[name] != value && oldCode != writer.code && (!wins || oldWasEdit);
        if (contested) {
            const json& lost = wins ? data[name] : value;
            const json& kept = wins ? value : data[name];
            auto loss = s.query(
                "INSERT INTO field_losses(id, vin, field, lost_value, lost_hlc, lost_store, kept_value, kept_hlc, "
                "kept_store, event_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Params{newId(), vin, name, dump(lost), wins ? oldStamp : writer.stamp, wins ? oldCode : writer.code,
                       dump(kept), wins ? writer.stamp : oldStamp, wins ? writer.code : oldCode, eventId, now});
            if (!loss) return loss.error();
        }
        if (wins && (!had || data[name] != value || oldStamp != writer.stamp)) {
            changed = changed || !had || data[name] != value;
            data[name] = value;
            stamps[name] = {{"hlc", writer.stamp}, {"by", writer.code}, {"edit", !handover}};
        }
    }
    if (const std::string owner = field(data, "store_code"); owner != ownerBefore || !known) {
        if (owner == writer.code && writer.storeId) {
            ownerId = writer.storeId;
        } else {
            auto id = storeIdOfCode(s, owner);
            if (!id) return id.error();
            ownerId = *id;
        }
    }
    data["vin"] = vin;
    auto write =
        s.query(known ? "UPDATE net_vehicles SET store_id = ?, data = ?, stamps = ?, updated_at = ? WHERE vin = ?"
                      : "INSERT INTO net_vehicles(store_id, data, stamps, updated_at, vin) VALUES (?, ?, ?, ?, ?)",
                Params{ownerId, dump(data), dump(stamps), now, vin});
    if (!write) return write.error();
    if (changed) {
        auto record = publicRecord(s, data, writer);
        if (!record) return record.error();
        SHOWROOM_TRY(emitChange(s, "vehicle", ownerId, field(data, "store_code"), std::nullopt, *record, now));
    }
    return ownerId;
}

// -- claims and conflicts -------------------------------------------------------------------------

struct ConflictDraft {
    std::string kind, storeId, vin, dealId, dealNo;
    std::optional<std::string> otherStoreId;
    std::string otherCode, message, eventId;
};

/// Records a conflict for a store's people (once per store, vehicle and deal) and tells the store.
Status raiseConflict(HqStorage& s, const ConflictDraft& c, const std::string& now) {
    auto open = s.query("SELECT 1 FROM conflicts WHERE store_id = ? AND vin = ? AND deal_id = ? AND kind = ? AND "
                        "resolved_at IS NULL",
                        Params{c.storeId, c.vin, c.dealId, c.kind});
    if (!open) return open.error();
    if (!open->empty()) return {};
    const std::string id = newId();
    auto rows =
        s.query("INSERT INTO conflicts(id, kind, store_id, vin, deal_id, deal_no, other_store_id, message, "
                "event_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Params{id, c.kind, c.storeId, c.vin, c.dealId, c.dealNo, c.otherStoreId, c.message, c.eventId, now});
    if (!rows) return rows.error();
    const json data{{"id", id},
                    {"kind", c.kind},
                    {"vin", c.vin},
                    {"deal_id", c.dealId},
                    {"deal_no", c.dealNo},
                    {"other_store", c.otherCode},
                    {"message", c.message},
                    {"resolved", false}};
    return emitChange(s, "conflict", std::nullopt, c.otherCode, c.storeId, data, now);
}

/// Closes the open conflicts `where` selects (with `params`) and tells their stores.
Status closeConflicts(HqStorage& s, const std::string& where, Params params, const std::string& resolution,
                      const std::string& now) {
    auto rows =
        s.query("SELECT c.id, c.kind, c.store_id, c.vin, c.deal_id, c.deal_no, coalesce(o.code, ''), c.message "
                "FROM conflicts c LEFT JOIN stores o ON o.id = c.other_store_id WHERE c.resolved_at IS NULL AND " +
                    where,
                params);
    if (!rows) return rows.error();
    for (const auto& row : *rows) {
        auto done = s.query("UPDATE conflicts SET resolved_at = ?, resolution = ? WHERE id = ?",
                            Params{now, resolution, text(row, 0)});
        if (!done) return done.error();
        const json data{{"id", text(row, 0)},      {"kind", text(row, 1)},    {"vin", text(row, 3)},
                        {"deal_id", text(row, 4)}, {"deal_no", text(row, 5)}, {"other_store", text(row, 6)},
                        {"message", text(row, 7)}, {"resolved", true},        {"resolution", resolution}};
        SHOWROOM_TRY(emitChange(s, "conflict", std::nullopt, text(row, 6), text(row, 2), data, now));
    }
    return {};
}

std::string dealLabel(const std::string& dealNo) {
    return dealNo.empty() ? std::string("a hand-made hold") : "deal " + dealNo;
}

/// The claim rules for a status change of `vin` at `store`.
Status applyClaim(HqStorage& s, const StoreInfo& store, const Event& e, const std::string& vin,
                  const std::string& now) {
    const std::string to = field(e.payload, "to"), from = field(e.payload, "from");
    const std::string dealId = field(e.payload, "deal_id"), dealNo = field(e.payload, "deal_no");
    if (to == "on_hold" || to == "sold") {
        const std::string kind = to == "sold" ? "sale" : "hold";
        auto rows = s.query("SELECT c.store_id, c.kind, c.deal_id, c.deal_no, o.code FROM vehicle_claims c "
                            "JOIN stores o ON o.id = c.store_id WHERE c.vin = ?",
                            Params{vin});
        if (!rows) return rows.error();
        if (rows->empty() || text(rows->front(), 0) == store.id) {
            auto claim =
                s.query("INSERT INTO vehicle_claims(vin, store_id, kind, deal_id, deal_no, event_id, claimed_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (vin) DO UPDATE SET store_id = excluded.store_id, "
                        "kind = excluded.kind, deal_id = excluded.deal_id, deal_no = excluded.deal_no, "
                        "event_id = excluded.event_id, claimed_at = excluded.claimed_at",
                        Params{vin, store.id, kind, dealId, dealNo, e.eventId, now});
            if (!claim) return claim.error();
            return {};
        }
        const Row& held = rows->front();
        const std::string holderId = text(held, 0), holderKind = text(held, 1), holderCode = text(held, 4);
        if (holderKind == "hold" && kind == "sale") {
            // The first committed sale wins: this store takes the claim, the holder's deal is flagged.
            auto claim = s.query("UPDATE vehicle_claims SET store_id = ?, kind = ?, deal_id = ?, deal_no = ?, "
                                 "event_id = ?, claimed_at = ? WHERE vin = ?",
                                 Params{store.id, kind, dealId, dealNo, e.eventId, now, vin});
            if (!claim) return claim.error();
            return raiseConflict(
                s,
                ConflictDraft{"vehicle_sold_elsewhere", holderId, vin, text(held, 2), text(held, 3), store.id,
                              store.code,
                              vin + " was sold at " + store.code + " (" + dealLabel(dealNo) + ") while your " +
                                  dealLabel(text(held, 3)) +
                                  " held it; the first committed sale wins. Your deal stays, flagged: cancel it or "
                                  "move the customer to another vehicle.",
                              e.eventId},
                now);
        }
        const bool soldThere = holderKind == "sale";
        return raiseConflict(
            s,
            ConflictDraft{soldThere ? "vehicle_sold_elsewhere" : "vehicle_held_elsewhere", store.id, vin, dealId,
                          dealNo, holderId, holderCode,
                          soldThere
                              ? vin + " was already sold at " + holderCode + " (" + dealLabel(text(held, 3)) +
                                    "). Your " + dealLabel(dealNo) +
                                    " stays, flagged: cancel it or move the customer to another vehicle."
                              : vin + " is on hold at " + holderCode + " for " + dealLabel(text(held, 3)) + ". Your " +
                                    dealLabel(dealNo) + " stays, flagged, until one of the two holds is released.",
                          e.eventId},
            now);
    }
    if ((to == "in_stock" || to == "transferred") && (from == "on_hold" || from == "sold")) {
        auto released = s.query("DELETE FROM vehicle_claims WHERE vin = ? AND store_id = ?", Params{vin, store.id});
        if (!released) return released.error();
        if (!dealId.empty())
            return closeConflicts(s, "c.store_id = ? AND c.deal_id = ?", Params{store.id, dealId},
                                  "deal " + dealNo + " was cancelled at " + store.code, now);
    }
    return {};
}

// -- transfers ------------------------------------------------------------------------------------

Status applyTransfer(HqStorage& s, const StoreInfo& store, const Event& e, const std::string& vin,
                     const std::string& now) {
    const std::string toCode = field(e.payload, "to_store");
    auto dest = storeIdOfCode(s, toCode);
    if (!dest) return dest.error();
    if (!*dest || **dest == store.id)
        return raiseConflict(s,
                             ConflictDraft{"transfer_refused", store.id, vin, "", "", std::nullopt, "",
                                           vin + " was sent to showroom '" + toCode + "', " +
                                               (*dest ? "which is this showroom" : "which HQ does not know") +
                                               ": it is marked transferred here but no showroom expects it. "
                                               "Check it back in, then transfer it to an enrolled showroom.",
                                           e.eventId},
                             now);
    const std::string id = newId();
    auto rows = s.query("INSERT INTO transfers(id, vin, from_store_id, to_store_id, status, requested_at, event_id) "
                        "VALUES (?, ?, ?, ?, 'in_transit', ?, ?)",
                        Params{id, vin, store.id, **dest, now, e.eventId});
    if (!rows) return rows.error();
    json vehicle =
        e.payload.contains("vehicle") && e.payload["vehicle"].is_object() ? e.payload["vehicle"] : json{{"vin", vin}};
    vehicle.erase("cost");
    const json data{{"transfer_id", id}, {"vin", vin}, {"from_store", store.code}, {"vehicle", vehicle}};
    return emitChange(s, "transfer", store.id, store.code, **dest, data, now);
}

// -- customers ------------------------------------------------------------------------------------

/// The match keys of a phone and an e-mail ("phone:5550102000", "email:ann@example.com").
std::vector<std::string> customerKeys(const std::string& phone, const std::string& email) {
    std::vector<std::string> keys;
    if (const std::string p = core::normalisePhone(phone); p.size() >= 7) keys.push_back("phone:" + p);
    if (const std::string m = core::normaliseEmail(email); !m.empty()) keys.push_back("email:" + m);
    return keys;
}

Status applyCustomer(HqStorage& s, const StoreInfo& store, const Event& e, const std::string& now) {
    const json& p = e.payload;
    const std::vector<std::string> keys = customerKeys(field(p, "phone"), field(p, "email"));
    // Network customers sharing a key, oldest first: the first one keeps the person.
    std::vector<std::pair<std::string, std::string>> found; // (id, key that matched)
    for (const auto& key : keys) {
        auto rows = s.query("SELECT k.network_id FROM customer_keys k WHERE k.match_key = ?", Params{key});
        if (!rows) return rows.error();
        for (const auto& row : *rows)
            if (std::none_of(found.begin(), found.end(), [&](const auto& f) { return f.first == text(row, 0); }))
                found.emplace_back(text(row, 0), key);
    }
    std::string keep;
    if (found.empty()) {
        keep = newId();
        auto rows = s.query("INSERT INTO net_customers(id, first_name, last_name, first_hlc, created_at) "
                            "VALUES (?, ?, ?, ?, ?)",
                            Params{keep, field(p, "first_name"), field(p, "last_name"), e.hlc, now});
        if (!rows) return rows.error();
    } else {
        struct Candidate {
            std::string stamp, createdAt, id;
        };
        std::vector<Candidate> byAge;
        for (const auto& f : found) {
            auto rows = s.query("SELECT first_hlc, created_at FROM net_customers WHERE id = ?", Params{f.first});
            if (!rows) return rows.error();
            byAge.push_back(rows->empty() ? Candidate{"", "", f.first}
                                          : Candidate{text(rows->front(), 0), text(rows->front(), 1), f.first});
        }
        // The oldest by the creating event's stamp, then by when HQ heard of it.
        std::sort(byAge.begin(), byAge.end(), [](const Candidate& a, const Candidate& b) {
            if (const int order = compareStamps(a.stamp, b.stamp); order != 0) return order < 0;
            return std::tie(a.createdAt, a.id) < std::tie(b.createdAt, b.id);
        });
        keep = byAge.front().id;
        for (std::size_t i = 1; i < byAge.size(); ++i) {
            const std::string& merged = byAge[i].id;
            for (const char* sql : {"UPDATE customer_links SET network_id = ? WHERE network_id = ?",
                                    "UPDATE customer_keys SET network_id = ? WHERE network_id = ?",
                                    "UPDATE net_customers SET merged_into = ? WHERE id = ? OR merged_into = ?"}) {
                Params params{keep, merged};
                if (std::string_view(sql).find("OR merged_into") != std::string_view::npos) params.push_back(merged);
                auto rows = s.query(sql, params);
                if (!rows) return rows.error();
            }
        }
        for (const auto& f : found) {
            auto rows = s.query("INSERT INTO customer_merges(id, network_id, joined, match_key, event_id, merged_at) "
                                "VALUES (?, ?, ?, ?, ?, ?)",
                                Params{newId(), keep, f.first == keep ? store.code + ":" + e.entityId : f.first,
                                       f.second, e.eventId, now});
            if (!rows) return rows.error();
        }
    }
    for (const auto& key : keys) {
        auto rows = s.query("INSERT INTO customer_keys(match_key, network_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                            Params{key, keep});
        if (!rows) return rows.error();
    }
    auto link = s.query("INSERT INTO customer_links(store_id, customer_id, network_id, linked_at) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT DO NOTHING",
                        Params{store.id, e.entityId, keep, now});
    if (!link) return link.error();
    return {};
}

/// The store-local customer an event is about ("" when none).
std::string customerOf(const Event& e) {
    if (e.entity == "customer") return e.entityId;
    return field(e.payload, "customer_id");
}

// -- schema ---------------------------------------------------------------------------------------

/// Step N brings the schema from version N-1 to N. Version 1 is the backend's base schema.
struct SchemaStep {
    int version;
    std::vector<const char*> statements;
};

const std::vector<SchemaStep>& schemaSteps() {
    static const std::vector<SchemaStep> kSteps = {
        {2,
         {
             "ALTER TABLE changes ADD COLUMN target_store_id TEXT", // NULL: every store
             "CREATE TABLE net_vehicles (vin TEXT PRIMARY KEY, store_id TEXT, data TEXT NOT NULL, "
             "stamps TEXT NOT NULL, updated_at TEXT NOT NULL)",
             "CREATE TABLE field_losses (id TEXT PRIMARY KEY, vin TEXT NOT NULL, field TEXT NOT NULL, "
             "lost_value TEXT NOT NULL, lost_hlc TEXT NOT NULL, lost_store TEXT NOT NULL, kept_value TEXT NOT NULL, "
             "kept_hlc TEXT NOT NULL, kept_store TEXT NOT NULL, event_id TEXT NOT NULL, recorded_at TEXT NOT NULL)",
             "CREATE INDEX field_losses_vin ON field_losses(vin)",
             "CREATE TABLE vehicle_claims (vin TEXT PRIMARY KEY, store_id TEXT NOT NULL REFERENCES stores(id), "
             "kind TEXT NOT NULL, deal_id TEXT NOT NULL, deal_no TEXT NOT NULL, event_id TEXT NOT NULL, "
             "claimed_at TEXT NOT NULL)",
             "CREATE TABLE conflicts (id TEXT PRIMARY KEY, kind TEXT NOT NULL, "
             "store_id TEXT NOT NULL REFERENCES stores(id), vin TEXT NOT NULL, deal_id TEXT NOT NULL, "
             "deal_no TEXT NOT NULL, other_store_id TEXT REFERENCES stores(id), message TEXT NOT NULL, "
             "event_id TEXT NOT NULL, created_at TEXT NOT NULL, resolved_at TEXT, resolution TEXT)",
             "CREATE INDEX conflicts_store ON conflicts(store_id, vin)",
             // first_hlc: the stamp of the store event that created it, to tell which of two is older.
             "CREATE TABLE net_customers (id TEXT PRIMARY KEY, first_name TEXT NOT NULL, last_name TEXT NOT NULL, "
             "first_hlc TEXT NOT NULL, created_at TEXT NOT NULL, merged_into TEXT)",
             "CREATE TABLE customer_keys (match_key TEXT PRIMARY KEY, network_id TEXT NOT NULL)",
             "CREATE INDEX customer_keys_network ON customer_keys(network_id)",
             "CREATE TABLE customer_links (store_id TEXT NOT NULL REFERENCES stores(id), customer_id TEXT NOT NULL, "
             "network_id TEXT NOT NULL, linked_at TEXT NOT NULL, PRIMARY KEY (store_id, customer_id))",
             "CREATE INDEX customer_links_network ON customer_links(network_id)",
             "CREATE TABLE customer_merges (id TEXT PRIMARY KEY, network_id TEXT NOT NULL, joined TEXT NOT NULL, "
             "match_key TEXT NOT NULL, event_id TEXT NOT NULL, merged_at TEXT NOT NULL)",
             "CREATE TABLE customer_events (event_id TEXT PRIMARY KEY, store_id TEXT NOT NULL, "
             "customer_id TEXT NOT NULL)",
             "CREATE INDEX customer_events_customer ON customer_events(store_id, customer_id)",
             "CREATE TABLE staff_accounts (id TEXT PRIMARY KEY, store_id TEXT REFERENCES stores(id), "
             "name TEXT NOT NULL, email TEXT NOT NULL, role TEXT NOT NULL, pin_hash TEXT NOT NULL, "
             "active BIGINT NOT NULL, updated_at TEXT NOT NULL)",
             "CREATE TABLE catalog (model_year BIGINT NOT NULL, make TEXT NOT NULL, model TEXT NOT NULL, "
             "trim_level TEXT NOT NULL, data TEXT NOT NULL, updated_at TEXT NOT NULL, "
             "PRIMARY KEY (model_year, make, model, trim_level))",
             "CREATE TABLE transfers (id TEXT PRIMARY KEY, vin TEXT NOT NULL, "
             "from_store_id TEXT NOT NULL REFERENCES stores(id), to_store_id TEXT NOT NULL REFERENCES stores(id), "
             "status TEXT NOT NULL, requested_at TEXT NOT NULL, received_at TEXT, event_id TEXT NOT NULL)",
             "CREATE TABLE hq_clock (id BIGINT PRIMARY KEY, last_stamp TEXT NOT NULL)",
             "INSERT INTO hq_clock(id, last_stamp) VALUES (1, '')",
         }},
        {3,
         {
             // A store's events in the order it wrote them, as the report replica reads them.
             "CREATE INDEX events_store_seq ON events(store_id, seq, event_id)",
         }},
    };
    return kSteps;
}

/// Runs `work` in a transaction that writes changes; rolls back on any failure.
template <class Work> auto inChangeTransaction(HqStorage& s, Work&& work) -> decltype(work()) {
    SHOWROOM_TRY(s.begin());
    auto result = [&]() -> decltype(work()) {
        SHOWROOM_TRY(detail::lockChanges(s));
        return work();
    }();
    if (!result) {
        s.rollback();
        return result;
    }
    if (auto st = s.commit(); !st) {
        s.rollback();
        return st.error();
    }
    return result;
}

bool knownRole(const std::string& role) {
    return core::parseStaffRole(role).ok();
}

} // namespace

namespace detail {

bool interpretedByHq(const Event& e) {
    return e.type.starts_with("vehicle.") || e.type == "customer.added" || e.type == "store.conflict_resolved";
}

Status lockChanges(HqStorage& storage) {
    auto locked = storage.query("UPDATE change_lock SET n = n + 1 WHERE id = 1");
    if (!locked) return locked.error();
    return {};
}

Status applyNetworkRules(HqStorage& s, const StoreInfo& store, const Event& e, const std::string& now) {
    if (const std::string customer = customerOf(e); !customer.empty()) {
        auto rows = s.query("INSERT INTO customer_events(event_id, store_id, customer_id) VALUES (?, ?, ?) "
                            "ON CONFLICT DO NOTHING",
                            Params{e.eventId, store.id, customer});
        if (!rows) return rows.error();
    }
    if (e.type.starts_with("vehicle.")) {
        const std::string vin = field(e.payload, "vin");
        if (vin.empty()) return {}; // nothing to key it by; stored and counted only
        const json fields = vehicleFields(e, store);
        if (!fields.empty()) {
            auto owner = mergeVehicle(s, vin, fields, Writer{e.hlc, store.code, store.id, store.name}, isFullRecord(e),
                                      e.eventId, now);
            if (!owner) return owner.error();
        }
        if (e.type == "vehicle.status_changed") {
            SHOWROOM_TRY(applyClaim(s, store, e, vin, now));
            if (field(e.payload, "from") == "incoming" && field(e.payload, "to") == "in_stock") {
                auto received = s.query("UPDATE transfers SET status = 'received', received_at = ? "
                                        "WHERE vin = ? AND to_store_id = ? AND status = 'in_transit'",
                                        Params{now, vin, store.id});
                if (!received) return received.error();
            }
        }
        if (e.type == "vehicle.transferred") return applyTransfer(s, store, e, vin, now);
        return {};
    }
    if (e.type == "customer.added") return applyCustomer(s, store, e, now);
    if (e.type == "store.conflict_resolved") {
        const std::string id = field(e.payload, "conflict_id");
        const std::string note = field(e.payload, "note");
        auto rows = s.query("UPDATE conflicts SET resolved_at = ?, resolution = ? WHERE id = ? AND store_id = ? AND "
                            "resolved_at IS NULL",
                            Params{now, note.empty() ? "resolved at " + store.code : note, id, store.id});
        if (!rows) return rows.error();
    }
    return {};
}

Status migrateNetworkSchema(HqStorage& s) {
    SHOWROOM_TRY(s.begin());
    auto work = [&]() -> Status {
        // Updating the row locks it: a second HQ process migrating at once waits, then sees the new version.
        auto rows = s.query("UPDATE hq_schema SET version = version WHERE id = 1 RETURNING version");
        if (!rows) return rows.error();
        if (rows->empty()) return core::fail(ErrorCode::Internal, "HQ's schema version row is missing");
        auto version = number(rows->front(), 0);
        if (!version) return version.error();
        for (const auto& step : schemaSteps()) {
            if (step.version <= *version) continue;
            for (const char* sql : step.statements) {
                auto done = s.query(sql);
                if (!done)
                    return core::fail(done.error().code, "cannot upgrade HQ's tables to version " +
                                                             std::to_string(step.version) + ": " +
                                                             done.error().message);
            }
            auto bumped =
                s.query("UPDATE hq_schema SET version = ? WHERE id = 1", Params{std::to_string(step.version)});
            if (!bumped) return bumped.error();
        }
        return {};
    };
    if (auto st = work(); !st) {
        s.rollback();
        return st;
    }
    if (auto st = s.commit(); !st) {
        s.rollback();
        return st;
    }
    return {};
}

} // namespace detail

// -- Hq: the network's read side and HQ's own data -----------------------------------------------

Status Hq::migrate() {
    SHOWROOM_TRY(m_storage->migrate());
    return detail::migrateNetworkSchema(*m_storage);
}

Result<std::vector<Conflict>> Hq::conflicts(bool openOnly) {
    const std::string sql =
        std::string("SELECT c.id, c.kind, s.code, c.vin, c.deal_id, c.deal_no, coalesce(o.code, ''), c.message, "
                    "c.created_at, coalesce(c.resolved_at, ''), coalesce(c.resolution, '') FROM conflicts c "
                    "JOIN stores s ON s.id = c.store_id LEFT JOIN stores o ON o.id = c.other_store_id") +
        (openOnly ? " WHERE c.resolved_at IS NULL" : "") + " ORDER BY c.created_at, c.id";
    auto rows = m_storage->query(sql);
    if (!rows) return rows.error();
    std::vector<Conflict> out;
    for (const auto& r : *rows)
        out.push_back(Conflict{text(r, 0), text(r, 1), text(r, 2), text(r, 3), text(r, 4), text(r, 5), text(r, 6),
                               text(r, 7), text(r, 8), text(r, 9), text(r, 10)});
    return out;
}

Status Hq::resolveConflict(std::string_view id, std::string_view note) {
    auto exists = m_storage->query("SELECT resolved_at FROM conflicts WHERE id = ?", Params{std::string(id)});
    if (!exists) return exists.error();
    if (exists->empty()) return core::fail(ErrorCode::NotFound, "no conflict '" + std::string(id.substr(0, 40)) + "'");
    const std::string now = nowUtc();
    return inChangeTransaction(*m_storage, [&]() -> Status {
        return closeConflicts(*m_storage, "c.id = ?", Params{std::string(id)},
                              note.empty() ? std::string("resolved at HQ") : std::string(note), now);
    });
}

Result<std::vector<FieldLoss>> Hq::fieldLosses(std::string_view vin) {
    auto rows = m_storage->query("SELECT vin, field, lost_value, kept_value, lost_hlc, kept_hlc, lost_store, "
                                 "kept_store, recorded_at FROM field_losses WHERE vin = ? ORDER BY recorded_at, id",
                                 Params{std::string(vin)});
    if (!rows) return rows.error();
    std::vector<FieldLoss> out;
    for (const auto& r : *rows)
        out.push_back(FieldLoss{text(r, 0), text(r, 1), json::parse(text(r, 2), nullptr, false),
                                json::parse(text(r, 3), nullptr, false), text(r, 4), text(r, 5), text(r, 6), text(r, 7),
                                text(r, 8)});
    return out;
}

Result<json> Hq::vehicle(std::string_view vin) {
    auto rows = m_storage->query("SELECT data FROM net_vehicles WHERE vin = ?", Params{std::string(vin)});
    if (!rows) return rows.error();
    if (rows->empty()) return core::fail(ErrorCode::NotFound, "no showroom has sent HQ vehicle " + std::string(vin));
    json data = json::parse(text(rows->front(), 0), nullptr, false);
    if (!data.is_object())
        return core::fail(ErrorCode::Internal, "HQ's record of " + std::string(vin) + " is not JSON");
    return data;
}

Result<std::optional<NetworkCustomer>> Hq::findCustomer(std::string_view phoneOrEmail) {
    const std::string given(phoneOrEmail);
    const auto keys = given.find('@') != std::string::npos ? customerKeys("", given) : customerKeys(given, "");
    if (keys.empty()) return std::optional<NetworkCustomer>();
    auto found = m_storage->query("SELECT n.id, n.first_name, n.last_name FROM customer_keys k "
                                  "JOIN net_customers n ON n.id = k.network_id WHERE k.match_key = ?",
                                  Params{keys.front()});
    if (!found) return found.error();
    if (found->empty()) return std::optional<NetworkCustomer>();
    NetworkCustomer c;
    c.id = text(found->front(), 0);
    c.firstName = text(found->front(), 1);
    c.lastName = text(found->front(), 2);
    auto links = m_storage->query("SELECT s.code, l.customer_id, l.linked_at FROM customer_links l "
                                  "JOIN stores s ON s.id = l.store_id WHERE l.network_id = ? "
                                  "ORDER BY l.linked_at, s.code",
                                  Params{c.id});
    if (!links) return links.error();
    for (const auto& r : *links)
        c.records.push_back({text(r, 0), text(r, 1), text(r, 2)});
    auto history =
        m_storage->query("SELECT s.code, e.type, e.entity_id, e.created_at FROM customer_links l "
                         "JOIN customer_events ce ON ce.store_id = l.store_id AND ce.customer_id = l.customer_id "
                         "JOIN events e ON e.event_id = ce.event_id JOIN stores s ON s.id = e.store_id "
                         "WHERE l.network_id = ? ORDER BY e.created_at, e.hlc, e.event_id",
                         Params{c.id});
    if (!history) return history.error();
    for (const auto& r : *history)
        c.history.push_back({text(r, 0), text(r, 1), text(r, 2), text(r, 3)});
    auto merged = m_storage->query(
        "SELECT id FROM net_customers WHERE merged_into = ? ORDER BY first_hlc, created_at, id", Params{c.id});
    if (!merged) return merged.error();
    for (const auto& r : *merged)
        c.mergedFrom.push_back(text(r, 0));
    return std::optional<NetworkCustomer>(std::move(c));
}

Status Hq::setPrice(std::string_view vin, std::int64_t priceCents) {
    if (priceCents < 0) return core::fail(ErrorCode::InvalidInput, "a price cannot be negative");
    const std::string v(vin);
    const std::string now = nowUtc();
    return inChangeTransaction(*m_storage, [&]() -> Status {
        auto rows = m_storage->query("SELECT store_id FROM net_vehicles WHERE vin = ?", Params{v});
        if (!rows) return rows.error();
        if (rows->empty()) return core::fail(ErrorCode::NotFound, "no showroom has sent HQ vehicle " + v);
        auto stamp = nextHqStamp(*m_storage);
        if (!stamp) return stamp.error();
        const std::string price = core::formatCents(priceCents);
        auto owner = mergeVehicle(*m_storage, v, json{{"price", price}}, Writer{*stamp, std::string(kHqNode), {}, ""},
                                  false, "hq:" + *stamp, now);
        if (!owner) return owner.error();
        if (!*owner) return {};
        auto record = vehicle(v);
        if (!record) return record.error();
        return emitChange(*m_storage, "price", **owner, field(*record, "store_code"), **owner,
                          json{{"vin", v}, {"price", price}, {"hlc", *stamp}}, now);
    });
}

Result<std::string> Hq::putStaff(const StaffAccount& a) {
    if (a.name.find_first_not_of(" \t\r\n") == std::string::npos)
        return core::fail(ErrorCode::InvalidInput, "a staff account needs a name");
    if (!knownRole(a.role))
        return core::fail(ErrorCode::InvalidInput,
                          "role '" + a.role + "' is not one of sales, manager, finance, porter, admin");
    const std::string email = a.email.empty() ? std::string() : core::normaliseEmail(a.email);
    if (!a.email.empty() && email.empty())
        return core::fail(ErrorCode::InvalidInput, "'" + a.email.substr(0, 60) + "' is not an e-mail address");
    std::string pinHash;
    if (!a.pin.empty()) {
        auto hashed = core::hashPin(a.pin);
        if (!hashed) return hashed.error();
        pinHash = std::move(*hashed);
    }
    std::optional<std::string> storeId;
    if (!a.storeCode.empty()) {
        auto id = storeIdOfCode(*m_storage, a.storeCode);
        if (!id) return id.error();
        if (!*id) return core::fail(ErrorCode::InvalidInput, "no showroom with code " + a.storeCode + " is enrolled");
        storeId = *id;
    }
    const std::string id = a.id.empty() ? newId() : a.id;
    const std::string now = nowUtc();
    auto done = inChangeTransaction(*m_storage, [&]() -> Status {
        auto rows = m_storage->query(
            "INSERT INTO staff_accounts(id, store_id, name, email, role, pin_hash, active, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET store_id = excluded.store_id, "
            "name = excluded.name, email = excluded.email, role = excluded.role, "
            "pin_hash = CASE WHEN excluded.pin_hash = '' THEN staff_accounts.pin_hash ELSE excluded.pin_hash END, "
            "active = excluded.active, updated_at = excluded.updated_at",
            Params{id, storeId, a.name, email, a.role, pinHash, a.active ? "1" : "0", now});
        if (!rows) return rows.error();
        const json data{{"id", id},       {"name", a.name},      {"email", email},
                        {"role", a.role}, {"pin_hash", pinHash}, {"active", a.active}};
        return emitChange(*m_storage, "staff", std::nullopt, a.storeCode, storeId, data, now);
    });
    if (!done) return done.error();
    return id;
}

Result<std::vector<StaffAccount>> Hq::staff() {
    auto rows = m_storage->query("SELECT a.id, coalesce(s.code, ''), a.name, a.email, a.role, a.active "
                                 "FROM staff_accounts a LEFT JOIN stores s ON s.id = a.store_id ORDER BY a.name, a.id");
    if (!rows) return rows.error();
    std::vector<StaffAccount> out;
    for (const auto& r : *rows)
        out.push_back(StaffAccount{text(r, 0), text(r, 1), text(r, 2), text(r, 3), text(r, 4), "", text(r, 5) == "1"});
    return out;
}

Result<CatalogImport> Hq::importCatalog(std::string_view csvText) {
    static constexpr std::array<std::string_view, 9> kColumns = {"year", "make",       "model", "trim",    "body",
                                                                 "fuel", "drivetrain", "msrp",  "features"};
    core::csv::Reader reader(csvText);
    auto header = reader.next();
    if (!header) return core::fail(ErrorCode::InvalidInput, "the catalog is empty: it needs a header line");
    if (!header->error.empty())
        return core::fail(ErrorCode::InvalidInput, "line " + std::to_string(header->line) + ": " + header->error);
    std::vector<std::string> names = header->fields;
    for (auto& n : names)
        std::transform(n.begin(), n.end(), n.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (names.size() != kColumns.size() || !std::equal(names.begin(), names.end(), kColumns.begin()))
        return core::fail(ErrorCode::InvalidInput,
                          "the catalog's header must be: year,make,model,trim,body,fuel,drivetrain,msrp,features");

    CatalogImport report;
    std::vector<CatalogLine> lines;
    std::set<std::string> seen;
    while (auto record = reader.next()) {
        const std::string where = "line " + std::to_string(record->line) + ": ";
        if (!record->error.empty()) {
            report.errors.push_back(where + record->error);
            continue;
        }
        const auto& f = record->fields;
        if (f.size() == 1 && f[0].empty()) continue; // a blank line
        if (f.size() != kColumns.size()) {
            report.errors.push_back(where + std::to_string(f.size()) + " fields, expected " +
                                    std::to_string(kColumns.size()));
            continue;
        }
        CatalogLine line;
        int year = 0;
        const auto [end, ec] = std::from_chars(f[0].data(), f[0].data() + f[0].size(), year);
        if (f[0].empty() || ec != std::errc() || end != f[0].data() + f[0].size() || year < 1980 || year > 2100) {
            report.errors.push_back(where + "year '" + f[0].substr(0, 20) + "' is not a model year (1980-2100)");
            continue;
        }
        if (f[1].empty() || f[2].empty()) {
            report.errors.push_back(where + "make and model are required");
            continue;
        }
        auto msrp = core::parseMoney(f[7]);
        if (!msrp || *msrp < 0) {
            report.errors.push_back(where + "msrp '" + f[7].substr(0, 20) + "' is not an amount");
            continue;
        }
        line = CatalogLine{year, f[1], f[2], f[3], f[4], f[5], f[6], f[8], *msrp};
        const std::string key = std::to_string(year) + "|" + line.make + "|" + line.model + "|" + line.trim;
        if (!seen.insert(key).second) {
            report.errors.push_back(where + "repeats " + std::to_string(year) + " " + line.make + " " + line.model +
                                    (line.trim.empty() ? "" : " " + line.trim));
            continue;
        }
        lines.push_back(std::move(line));
    }
    const std::string now = nowUtc();
    auto done = inChangeTransaction(*m_storage, [&]() -> Status {
        for (const auto& l : lines) {
            const json data{{"year", l.year},
                            {"make", l.make},
                            {"model", l.model},
                            {"trim", l.trim},
                            {"body", l.body},
                            {"fuel", l.fuel},
                            {"drivetrain", l.drivetrain},
                            {"msrp", core::formatCents(l.msrpCents)},
                            {"features", l.features}};
            const Params key{std::to_string(l.year), l.make, l.model, l.trim};
            auto old = m_storage->query(
                "SELECT data FROM catalog WHERE model_year = ? AND make = ? AND model = ? AND trim_level = ?", key);
            if (!old) return old.error();
            if (!old->empty() && text(old->front(), 0) == dump(data)) continue; // unchanged: nothing to send
            auto rows = m_storage->query(
                "INSERT INTO catalog(model_year, make, model, trim_level, data, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (model_year, make, model, trim_level) DO UPDATE SET data = excluded.data, "
                "updated_at = excluded.updated_at",
                Params{key[0], key[1], key[2], key[3], dump(data), now});
            if (!rows) return rows.error();
            SHOWROOM_TRY(emitChange(*m_storage, "catalog", std::nullopt, "", std::nullopt, data, now));
            ++report.lines;
        }
        return {};
    });
    if (!done) return done.error();
    return report;
}

Result<std::vector<Transfer>> Hq::transfers() {
    auto rows = m_storage->query("SELECT t.id, t.vin, f.code, d.code, t.status, t.requested_at, "
                                 "coalesce(t.received_at, '') FROM transfers t JOIN stores f ON f.id = t.from_store_id "
                                 "JOIN stores d ON d.id = t.to_store_id ORDER BY t.requested_at, t.id");
    if (!rows) return rows.error();
    std::vector<Transfer> out;
    for (const auto& r : *rows)
        out.push_back(Transfer{text(r, 0), text(r, 1), text(r, 2), text(r, 3), text(r, 4), text(r, 5), text(r, 6)});
    return out;
}

} // namespace showroom::sync
