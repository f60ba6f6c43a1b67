#pragma once
// HQ's reporting copy of the network, for `showroom-hq report sales|funnel|aging|rfm|forecast|followups`.
//
// The reports of core/reports.hpp and core/analytics.hpp read a store's database; HQ holds events.
// A ReportReplica is a SQLite database with the store schema (core/store.hpp's migrations) that holds
// every showroom's rows as their events describe them (sync/protocol.hpp lists what each carries), so
// HQ runs the very same report functions over the whole network.
//
// Rules:
//  - catchUp() applies each showroom's new events in the order the showroom wrote them (outbox seq),
//    a page at a time, each page in one transaction: a reader sees whole events, never half of one.
//  - Rows keep their showroom's ids and store_id. What is unique only within a showroom is qualified
//    in the copy: deal and stock numbers get the showroom's code ("NTH/D2026-000012"), staff e-mails
//    are not copied.
//  - A vehicle is one car, by VIN: a transfer's arrival, or the same VIN checked in at two showrooms,
//    is the same row, and the other showroom's vehicle id is an alias of it. Where the car is, its
//    status, price and description are the latest by hybrid-logical clock (core/hlc.hpp), whatever
//    order the showrooms' events are applied in. Its cost is the latest non-zero cost a showroom
//    reported: a transfer's destination is told no cost, but the network's capital is still in it.
//  - Two live deals on one car at two showrooms (a conflict HQ flagged) are both counted: both
//    showrooms reported the sale until one of them cancels it.
//  - An event that cannot be applied (a payload without the keys it needs, a row the schema refuses)
//    is skipped and counted (CatchUp::skipped), and the rest still apply. Events no report reads
//    (payments, printing, sign-ins) are read past.
//  - The copy is derived data: delete the file and the next catch-up rebuilds it. It rebuilds itself
//    when its projection version changes, and when HQ holds a showroom event below the point already
//    applied (an event quarantined at the store and released later), since applying it out of order
//    could leave stale rows.
//  - One writer at a time: a second process's catch-up waits for the first (SQLite's lock) and then
//    finds little or nothing left to apply.

#include "showroom/core/db.hpp"
#include "showroom/core/result.hpp"
#include "showroom/sync/hq.hpp"

#include <cstdint>
#include <string>

namespace showroom::sync {

struct CatchUp {
    std::int64_t read = 0;    ///< events read from HQ this time
    std::int64_t applied = 0; ///< of those, events that changed the copy
    std::int64_t skipped = 0; ///< of those, events that could not be applied
    bool rebuilt = false;     ///< the copy was emptied and rebuilt from the first event
};

class ReportReplica {
public:
    /// Opens (creating and migrating) the copy at `path`.
    static core::Result<ReportReplica> open(const std::string& path);

    /// Brings the copy up to the events `hq` holds now (see the rules above).
    core::Result<CatchUp> catchUp(Hq& hq);

    /// The store-schema database the reports read.
    core::db::Connection& db() { return m_db; }

    /// Events skipped since the copy was last rebuilt, over every showroom.
    core::Result<std::int64_t> skippedTotal();

    /// The mapping's version: bumped whenever what an event becomes in the copy changes, so copies
    /// made by an older `showroom-hq` rebuild themselves.
    static constexpr int kProjectionVersion = 1;

private:
    explicit ReportReplica(core::db::Connection db) : m_db(std::move(db)) {}
    core::Status wipe();

    core::db::Connection m_db;
};

} // namespace showroom::sync
