#pragma once
// The service context and the journal: audit log plus sync outbox.
//
// Every service takes a Context (the connection, the clock, the id generator and who is acting).
// Every change a service makes calls record() inside the same transaction as the change: it
// appends an audit row and, for changes headquarters must know about, an outbox event, so the
// change and its events commit or vanish together.

#include "showroom/core/clock.hpp"
#include "showroom/core/db.hpp"
#include "showroom/core/result.hpp"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>

namespace showroom::core {

struct Context {
    db::Connection& db;
    const Clock& clock;
    IdGenerator& ids;
    std::string actor = "system";   ///< staff id, or "cli" / "kiosk" / "import" for unattended work

    std::string now() const { return formatUtc(clock.now()); }
};

enum class Sync { Yes, No };

/// Appends an audit row (action "vehicle.checked_in", entity "vehicle", id, details) and, when
/// `sync` is Yes, an outbox event of the same type with `details` as payload. Call it inside the
/// transaction of the change it describes.
Status record(Context& ctx, std::string_view action, std::string_view entity, std::string_view entityId,
              const nlohmann::json& details, Sync sync = Sync::Yes);

/// The store's next hybrid-logical-clock stamp (hlc.hpp), persisted as the last one given. record()
/// stamps every outbox event with it; call it inside the transaction of what it stamps.
Result<std::string> nextClockStamp(Context& ctx);

/// Moves the store's clock past `remote`, a stamp HQ sent with a change the store applied (hlc::receive),
/// so what the store changes afterwards is stamped later even when its wall clock is behind HQ's.
/// InvalidInput when `remote` is not a stamp. Call it inside the transaction that applies the change.
Status observeClockStamp(Context& ctx, std::string_view remote);

/// Number of outbox events not yet acknowledged by headquarters (quarantined ones not counted).
Result<std::int64_t> pendingOutboxEvents(db::Connection& db);

} // namespace showroom::core
