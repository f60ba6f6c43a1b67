#include "showroom/core/store.hpp"

#include <cstdlib>

namespace showroom::core {

namespace {

// "0007_add_things.sql" -> 7; -1 when the name does not start with a number.
int migrationNumber(std::string_view name) {
    int n = 0;
    std::size_t i = 0;
    for (; i < name.size() && name[i] >= '0' && name[i] <= '9'; ++i) n = n * 10 + (name[i] - '0');
    return i == 0 ? -1 : n;
}

} // namespace

int latestSchemaVersion() {
    int latest = 0;
    for (const auto& m : builtinMigrations()) latest = std::max(latest, migrationNumber(m.name));
    return latest;
}

Result<int> schemaVersion(db::Connection& db) {
    auto stmt = db.prepare("PRAGMA user_version");
    if (!stmt) return stmt.error();
    auto row = stmt->step();
    if (!row) return row.error();
    return static_cast<int>(stmt->getInt(0));
}

Result<MigrationReport> migrate(db::Connection& db) {
    auto current = schemaVersion(db);
    if (!current) return current.error();
    MigrationReport report;
    report.fromVersion = report.toVersion = *current;
    const int latest = latestSchemaVersion();
    if (*current > latest) {
        return fail(ErrorCode::SchemaTooNew,
                    "database '" + db.path() + "' has schema version " + std::to_string(*current) +
                        ", but this Showroom only knows up to version " + std::to_string(latest) +
                        "; it was written by a newer release. Upgrade Showroom instead of opening it with this one.");
    }
    // WAL: readers never block the writer, and a crash mid-write never corrupts the file.
    if (auto st = db.exec("PRAGMA journal_mode=WAL"); !st) return st.error();
    for (const auto& m : builtinMigrations()) {
        const int number = migrationNumber(m.name);
        if (number <= report.toVersion) continue;
        auto tx = db::Transaction::begin(db);
        if (!tx) return tx.error();
        // Re-read inside the write lock: another process may have migrated while we waited.
        auto again = schemaVersion(db);
        if (!again) return again.error();
        if (*again >= number) {
            report.toVersion = *again;
            continue;
        }
        if (auto st = db.exec(m.contents); !st)
            return fail(st.error().code, "migration " + std::string(m.name) + " failed: " + st.error().message);
        if (auto st = db.exec("PRAGMA user_version = " + std::to_string(number)); !st) return st.error();
        if (auto st = tx->commit(); !st) return st.error();
        report.toVersion = number;
        report.applied.emplace_back(m.name);
    }
    return report;
}

Result<db::Connection> openStore(const std::string& path, const db::OpenOptions& options) {
    auto conn = db::Connection::open(path, options);
    if (!conn) return conn.error();
    if (options.readOnly) {
        auto version = schemaVersion(*conn);
        if (!version) return version.error();
        if (*version > latestSchemaVersion())
            return fail(ErrorCode::SchemaTooNew, "database '" + path + "' has schema version " +
                                                     std::to_string(*version) + ", newer than this Showroom knows");
        return conn;
    }
    auto report = migrate(*conn);
    if (!report) return report.error();
    return conn;
}

Result<CheckReport> check(db::Connection& db) {
    CheckReport report;
    auto version = schemaVersion(db);
    if (!version) return version.error();
    report.schemaVersion = *version;
    {
        auto stmt = db.prepare("PRAGMA integrity_check");
        if (!stmt) return stmt.error();
        for (;;) {
            auto row = stmt->step();
            if (!row) return row.error();
            if (!*row) break;
            std::string line = stmt->getText(0);
            if (line != "ok") report.problems.push_back("integrity: " + line);
        }
    }
    {
        auto stmt = db.prepare("PRAGMA foreign_key_check");
        if (!stmt) return stmt.error();
        for (;;) {
            auto row = stmt->step();
            if (!row) return row.error();
            if (!*row) break;
            report.problems.push_back("foreign key: row " + std::to_string(stmt->getInt(1)) + " of " +
                                      stmt->getText(0) + " points to a missing " + stmt->getText(2));
        }
    }
    if (report.schemaVersion < latestSchemaVersion())
        report.problems.push_back("schema version " + std::to_string(report.schemaVersion) + " is behind " +
                                  std::to_string(latestSchemaVersion()) + ": run `showroom db migrate`");
    report.integrityOk = report.problems.empty();
    return report;
}

Result<std::string> getSetting(db::Connection& db, std::string_view key, std::string_view fallback) {
    auto stmt = db.prepare("SELECT value FROM settings WHERE key = ?");
    if (!stmt) return stmt.error();
    stmt->bindAll(key);
    auto row = stmt->step();
    if (!row) return row.error();
    return *row ? stmt->getText(0) : std::string(fallback);
}

Status setSetting(db::Connection& db, std::string_view key, std::string_view value) {
    auto stmt = db.prepare("INSERT INTO settings(key, value) VALUES (?, ?) "
                           "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    if (!stmt) return stmt.error();
    return stmt->bindAll(key, value).run();
}

} // namespace showroom::core
