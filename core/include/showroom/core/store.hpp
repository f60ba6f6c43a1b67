#pragma once
// Opening a Showroom database: connection + schema migrations.
//
// Migrations live in core/migrations/NNNN_name.sql and are compiled into the binary. Each runs in
// its own transaction and bumps PRAGMA user_version to its number, so a crash between two leaves
// a database at a well-defined version. A database whose user_version is newer than the newest
// migration this binary knows is refused (SchemaTooNew) rather than written to.

#include "showroom/core/db.hpp"
#include "showroom/core/result.hpp"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace showroom::core {

struct EmbeddedFile {
    std::string_view name;
    std::string_view contents;
};

/// The migration scripts compiled into this binary, in order ("0001_initial.sql", ...).
std::span<const EmbeddedFile> builtinMigrations();

/// Version the schema reaches after every built-in migration.
int latestSchemaVersion();

struct MigrationReport {
    int fromVersion = 0;
    int toVersion = 0;
    std::vector<std::string> applied;
};

/// Applies the pending built-in migrations. Fails with SchemaTooNew when the database is ahead.
Result<MigrationReport> migrate(db::Connection& db);

/// Reads PRAGMA user_version.
Result<int> schemaVersion(db::Connection& db);

/// Opens (creating when asked) and migrates. This is how every program opens a store.
Result<db::Connection> openStore(const std::string& path, const db::OpenOptions& options = {});

struct CheckReport {
    int schemaVersion = 0;
    bool integrityOk = false;
    std::vector<std::string> problems;   ///< integrity_check and foreign_key_check findings
};

/// Runs PRAGMA integrity_check and foreign_key_check without changing anything.
Result<CheckReport> check(db::Connection& db);

/// Reads and writes the settings table (local store id, deal number counter, ...).
Result<std::string> getSetting(db::Connection& db, std::string_view key, std::string_view fallback = "");
Status setSetting(db::Connection& db, std::string_view key, std::string_view value);

} // namespace showroom::core
