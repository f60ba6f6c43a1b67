#include "hq_backends.hpp"

#include <sqlite3.h>

#include <string>
#include <unordered_map>
#include <utility>

namespace showroom::sync::detail {

using core::ErrorCode;
using core::Result;

namespace {

struct DbCloser {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
    void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

ErrorCode codeFor(int rc) {
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return ErrorCode::Busy;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT: return ErrorCode::NotADatabase;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL: return ErrorCode::Io;
    default: break;
    }
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) return ErrorCode::Duplicate;
    return ErrorCode::Storage;
}

class SqliteHqStorage final : public HqStorage {
public:
    SqliteHqStorage(DbPtr db, std::string path) : m_db(std::move(db)), m_path(std::move(path)) {}

    ~SqliteHqStorage() override {
        m_statements.clear(); // finalized before the connection closes
    }

    std::string describe() const override { return "sqlite:" + m_path; }

    core::Status migrate() override {
        // Version 1 of HQ's schema; Hq::migrate() takes it from there (hq_schema). The one difference
        // from PostgreSQL's is how changes.seq counts (AUTOINCREMENT: never reused, so a store's pull
        // cursor never skips a change written after a deleted one).
        static constexpr const char* kSchema = R"sql(
BEGIN IMMEDIATE;
CREATE TABLE IF NOT EXISTS stores (
    id           TEXT PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    event_id    TEXT PRIMARY KEY,
    store_id    TEXT NOT NULL REFERENCES stores(id),
    seq         BIGINT NOT NULL,
    type        TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    payload     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    hlc         TEXT NOT NULL DEFAULT '',
    received_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_store ON events(store_id);
CREATE TABLE IF NOT EXISTS changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL,
    store_id   TEXT REFERENCES stores(id),
    store_code TEXT NOT NULL,
    data       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS change_lock (
    id BIGINT PRIMARY KEY,
    n  BIGINT NOT NULL
);
INSERT INTO change_lock(id, n) VALUES (1, 0) ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS hq_schema (
    id      BIGINT PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO hq_schema(id, version) VALUES (1, 1) ON CONFLICT DO NOTHING;
COMMIT;
)sql";
        char* message = nullptr;
        const int rc = sqlite3_exec(m_db.get(), kSchema, nullptr, nullptr, &message);
        if (rc != SQLITE_OK) {
            std::string text = message ? message : sqlite3_errstr(rc);
            sqlite3_free(message);
            rollback();
            return core::fail(codeFor(rc), describe() + ": cannot create HQ's tables: " + text);
        }
        return {};
    }

    // IMMEDIATE: take the write lock at once, so two writers queue on the busy timeout instead of
    // one failing when it upgrades a read to a write.
    core::Status begin() override { return exec("BEGIN IMMEDIATE", "begin a transaction"); }
    core::Status commit() override { return exec("COMMIT", "commit"); }
    void rollback() override {
        if (!sqlite3_get_autocommit(m_db.get())) sqlite3_exec(m_db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    }

    Result<std::vector<Row>> query(std::string_view sql,
                                   const std::vector<std::optional<std::string>>& params) override {
        auto prepared = statement(sql);
        if (!prepared) return prepared.error();
        sqlite3_stmt* stmt = *prepared;
        // Leaves the cached statement clean whatever happens below.
        struct Reset {
            sqlite3_stmt* s;
            ~Reset() {
                sqlite3_reset(s);
                sqlite3_clear_bindings(s);
            }
        } reset{stmt};

        const int expected = sqlite3_bind_parameter_count(stmt);
        if (expected != static_cast<int>(params.size()))
            return core::fail(ErrorCode::Internal, describe() + ": statement takes " + std::to_string(expected) +
                                                       " parameters, got " + std::to_string(params.size()));
        for (std::size_t i = 0; i < params.size(); ++i) {
            const int index = static_cast<int>(i) + 1;
            const int rc = params[i] ? sqlite3_bind_text(stmt, index, params[i]->data(),
                                                         static_cast<int>(params[i]->size()), SQLITE_TRANSIENT)
                                     : sqlite3_bind_null(stmt, index);
            if (rc != SQLITE_OK) return error(rc, "bind a parameter");
        }

        std::vector<Row> rows;
        const int columns = sqlite3_column_count(stmt);
        for (;;) {
            const int rc = sqlite3_step(stmt);
            if (rc == SQLITE_DONE) break;
            if (rc != SQLITE_ROW) return error(rc, "run a statement");
            Row row;
            row.reserve(static_cast<std::size_t>(columns));
            for (int c = 0; c < columns; ++c) {
                if (sqlite3_column_type(stmt, c) == SQLITE_NULL) {
                    row.emplace_back(std::nullopt);
                } else {
                    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
                    row.emplace_back(std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c))));
                }
            }
            rows.push_back(std::move(row));
        }
        return rows;
    }

private:
    /// A prepared statement for `sql`, cached for the life of the connection (HQ runs a handful of
    /// statements over and over).
    Result<sqlite3_stmt*> statement(std::string_view sql) {
        std::string key(sql);
        if (auto it = m_statements.find(key); it != m_statements.end()) return it->second.get();
        if (m_statements.size() >= kMaxCachedStatements) m_statements.clear();
        sqlite3_stmt* raw = nullptr;
        const char* tail = nullptr;
        const int rc = sqlite3_prepare_v2(m_db.get(), key.c_str(), static_cast<int>(key.size()) + 1, &raw, &tail);
        StmtPtr stmt(raw);
        if (rc != SQLITE_OK) return error(rc, "prepare a statement");
        if (!stmt) return core::fail(ErrorCode::Internal, describe() + ": empty statement");
        for (; tail && *tail; ++tail)
            if (*tail != ' ' && *tail != '\n' && *tail != '\t' && *tail != '\r' && *tail != ';')
                return core::fail(ErrorCode::Internal, describe() + ": query() runs one statement at a time");
        return m_statements.emplace(std::move(key), std::move(stmt)).first->second.get();
    }

    core::Status exec(const char* sql, const char* what) {
        const int rc = sqlite3_exec(m_db.get(), sql, nullptr, nullptr, nullptr);
        if (rc != SQLITE_OK) return error(rc, what);
        return {};
    }

    core::Error error(int rc, const char* what) const {
        const int extended = sqlite3_extended_errcode(m_db.get());
        const int code = (extended & 0xff) == (rc & 0xff) ? extended : rc;
        return core::fail(codeFor(code), describe() + ": cannot " + what + ": " + sqlite3_errmsg(m_db.get()));
    }

    static constexpr std::size_t kMaxCachedStatements = 64;

    DbPtr m_db;
    std::string m_path;
    std::unordered_map<std::string, StmtPtr> m_statements;
};

} // namespace

Result<std::unique_ptr<HqStorage>> openSqliteHqStorage(const std::string& path) {
    if (path.empty()) return core::fail(ErrorCode::InvalidInput, "sqlite: needs a file path (sqlite:PATH)");
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    DbPtr db(raw);
    if (rc != SQLITE_OK) {
        const std::string message = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
        return core::fail(codeFor(rc), "sqlite:" + path + ": cannot open: " + message);
    }
    sqlite3_extended_result_codes(db.get(), 1);
    sqlite3_busy_timeout(db.get(), 5000);
    // FULL: an event HQ has acknowledged must survive a power cut, or the store would never resend it.
    // The first pragma also reads the header, so a file that is not SQLite fails here.
    char* message = nullptr;
    const int prc = sqlite3_exec(db.get(), "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
                                 nullptr, nullptr, &message);
    if (prc != SQLITE_OK) {
        std::string text = message ? message : sqlite3_errstr(prc);
        sqlite3_free(message);
        return core::fail(codeFor(prc), "sqlite:" + path + ": cannot open: " + text);
    }
    return std::unique_ptr<HqStorage>(std::make_unique<SqliteHqStorage>(std::move(db), path));
}

} // namespace showroom::sync::detail
