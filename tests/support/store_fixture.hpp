#pragma once
// A real store file for service tests: migrated, the local showroom "TST" set up, a clock pinned at
// kNow and seeded ids; plus one-value SQL look-ups for asserting what landed in the database.

#include "temp_dir.hpp"

#include "showroom/core/inventory.hpp"
#include "showroom/core/store.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace showroom::test {

inline constexpr std::string_view kNow = "2026-11-01T10:00:00Z";

struct Store {
    TempDir dir;
    core::db::Connection conn;
    core::ManualClock clock;
    core::IdGenerator ids{42};
    core::Context ctx;

    /// A showroom with code `code` (the node of its clock stamps, its identity at HQ).
    explicit Store(std::string_view code = "TST")
        : conn(core::openStore(dir.file("s.db")).value()), clock(core::parseUtc(kNow).value()),
          ctx{conn, clock, ids, "test"} {
        auto local = core::ensureLocalStore(ctx, code, code == "TST" ? std::string("Test Showroom")
                                                                      : std::string(code) + " Showroom",
                                            "Springfield");
        if (!local) ADD_FAILURE() << "ensureLocalStore: " << local.error().message;
    }
};

/// First column of the first row of `sql`, with `args` bound in order; -1 (and a test failure) if none.
template <class... Args>
std::int64_t count(core::db::Connection& db, const std::string& sql, const Args&... args) {
    auto stmt = db.prepare(sql);
    if (!stmt) {
        ADD_FAILURE() << sql << ": " << stmt.error().message;
        return -1;
    }
    stmt->bindAll(args...);
    auto row = stmt->step();
    if (!row || !*row) {
        ADD_FAILURE() << sql << ": no row";
        return -1;
    }
    return stmt->getInt(0);
}

/// First column of every row of `sql`, as text.
template <class... Args>
std::vector<std::string> texts(core::db::Connection& db, const std::string& sql, const Args&... args) {
    std::vector<std::string> out;
    auto stmt = db.prepare(sql);
    if (!stmt) {
        ADD_FAILURE() << sql << ": " << stmt.error().message;
        return out;
    }
    stmt->bindAll(args...);
    for (;;) {
        auto row = stmt->step();
        if (!row) {
            ADD_FAILURE() << sql << ": " << row.error().message;
            return out;
        }
        if (!*row) return out;
        out.push_back(stmt->getText(0));
    }
}

/// First column of the first row of `sql`, as text ("" and a failure when there is none).
template <class... Args>
std::string text(core::db::Connection& db, const std::string& sql, const Args&... args) {
    auto all = texts(db, sql, args...);
    if (all.empty()) {
        ADD_FAILURE() << sql << ": no row";
        return "";
    }
    return all.front();
}

} // namespace showroom::test
