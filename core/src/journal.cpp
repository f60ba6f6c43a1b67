#include "showroom/core/journal.hpp"

#include <nlohmann/json.hpp>

namespace showroom::core {

Status record(Context& ctx, std::string_view action, std::string_view entity, std::string_view entityId,
              const nlohmann::json& details, Sync sync) {
    const std::string at = ctx.now();
    const std::string payload = details.dump();
    auto audit = ctx.db.prepare(
        "INSERT INTO audit_log(at, actor, action, entity, entity_id, details) VALUES (?, ?, ?, ?, ?, ?)");
    if (!audit) return audit.error();
    if (auto st = audit->bindAll(at, ctx.actor, action, entity, entityId, payload).run(); !st) return st;
    if (sync == Sync::No) return {};
    auto outbox = ctx.db.prepare(
        "INSERT INTO outbox(event_id, type, entity, entity_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)");
    if (!outbox) return outbox.error();
    return outbox->bindAll(ctx.ids.uuid(), action, entity, entityId, payload, at).run();
}

Result<std::int64_t> pendingOutboxEvents(db::Connection& db) {
    auto stmt = db.prepare("SELECT count(*) FROM outbox WHERE sent_at IS NULL");
    if (!stmt) return stmt.error();
    auto row = stmt->step();
    if (!row) return row.error();
    return stmt->getInt(0);
}

} // namespace showroom::core
