#include "showroom/core/journal.hpp"

#include "showroom/core/hlc.hpp"
#include "showroom/core/store.hpp"

#include <nlohmann/json.hpp>

namespace showroom::core {

namespace {

// The node is the showroom's code (unique in the network); before the store is set up, "local".
// Returns the node and the last stamp given.
Result<std::pair<std::string, hlc::Stamp>> clockState(Context& ctx) {
    auto node = ctx.db.prepare("SELECT coalesce((SELECT code FROM stores WHERE id = (SELECT value FROM settings "
                               "WHERE key = 'local_store_id')), 'local'), "
                               "coalesce((SELECT value FROM settings WHERE key = 'hlc_last'), '')");
    if (!node) return node.error();
    if (auto row = node->step(); !row) return row.error();
    hlc::Stamp last;
    if (auto parsed = hlc::parse(node->getText(1))) last = *parsed;
    return std::pair{node->getText(0), std::move(last)};
}

} // namespace

Result<std::string> nextClockStamp(Context& ctx) {
    auto state = clockState(ctx);
    if (!state) return state.error();
    const auto stamp = hlc::next(state->second, ctx.clock.now() * 1000, state->first).toString();
    if (auto st = setSetting(ctx.db, "hlc_last", stamp); !st) return st.error();
    return stamp;
}

Status observeClockStamp(Context& ctx, std::string_view remote) {
    auto heard = hlc::parse(remote);
    if (!heard) return heard.error();
    auto state = clockState(ctx);
    if (!state) return state.error();
    return setSetting(ctx.db, "hlc_last",
                      hlc::receive(state->second, *heard, ctx.clock.now() * 1000, state->first).toString());
}

Status record(Context& ctx, std::string_view action, std::string_view entity, std::string_view entityId,
              const nlohmann::json& details, Sync sync) {
    const std::string at = ctx.now();
    const std::string payload = details.dump();
    auto audit = ctx.db.prepare(
        "INSERT INTO audit_log(at, actor, action, entity, entity_id, details) VALUES (?, ?, ?, ?, ?, ?)");
    if (!audit) return audit.error();
    if (auto st = audit->bindAll(at, ctx.actor, action, entity, entityId, payload).run(); !st) return st;
    if (sync == Sync::No) return {};
    auto stamp = nextClockStamp(ctx);
    if (!stamp) return stamp.error();
    auto outbox = ctx.db.prepare(
        "INSERT INTO outbox(event_id, type, entity, entity_id, payload, created_at, hlc) VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!outbox) return outbox.error();
    return outbox->bindAll(ctx.ids.uuid(), action, entity, entityId, payload, at, *stamp).run();
}

Result<std::int64_t> pendingOutboxEvents(db::Connection& db) {
    auto stmt = db.prepare("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND quarantined_at IS NULL");
    if (!stmt) return stmt.error();
    auto row = stmt->step();
    if (!row) return row.error();
    return stmt->getInt(0);
}

} // namespace showroom::core
