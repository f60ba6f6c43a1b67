#pragma once
// Thin RAII layer over SQLite: one move-only owner per C handle.
//
// Rules:
//  - Connection, Statement and Transaction are built by factories that return Result<...>, so a
//    half-open object never exists. Destructors never throw.
//  - A Connection belongs to one thread at a time (SQLite is built serialized, but our statements
//    and transactions are not shared). Open one connection per thread.
//  - A Transaction rolls back in its destructor unless commit() succeeded. Begun while another is
//    open on the same connection it becomes a SAVEPOINT, so services compose: the outer commit
//    decides, and an inner failure undoes only the inner work.
//  - SQLite errors are mapped to ErrorCode: BUSY/LOCKED -> Busy, NOTADB/CORRUPT -> NotADatabase,
//    UNIQUE/PRIMARY KEY constraint -> Duplicate, everything else -> Storage.

#include "showroom/core/result.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace showroom::core::db {

struct OpenOptions {
    bool create = true;          ///< create the file when missing
    bool readOnly = false;
    int busyTimeoutMs = 5000;    ///< how long a write waits for another writer before failing with Busy
};

class Statement;

class Connection {
public:
    /// Opens `path` (":memory:" works) with foreign keys, synchronous=FULL and the busy
    /// timeout set. Fails with NotADatabase when the file is not SQLite.
    static Result<Connection> open(const std::string& path, const OpenOptions& options = {});

    Connection(Connection&&) noexcept = default;
    Connection& operator=(Connection&&) noexcept = default;
    ~Connection();

    /// Prepares one statement. The Connection must outlive the Statement.
    Result<Statement> prepare(std::string_view sql);
    /// Runs one or more statements that return no rows (schema scripts, pragmas).
    Status exec(std::string_view sql);

    std::int64_t lastInsertRowId() const;
    int changes() const;
    const std::string& path() const { return m_path; }
    sqlite3* handle() const { return m_db.get(); }

    /// Builds an Error from the connection's last SQLite error, prefixed with `what`.
    Error lastError(std::string_view what) const;

private:
    struct Closer {
        void operator()(sqlite3* db) const noexcept;
    };
    Connection(sqlite3* db, std::string path) : m_db(db), m_path(std::move(path)) {}
    std::unique_ptr<sqlite3, Closer> m_db;
    std::string m_path;
};

class Statement {
public:
    Statement(Statement&&) noexcept = default;
    Statement& operator=(Statement&&) noexcept = default;
    ~Statement();

    // Binding: parameters are 1-based, as in SQLite. Text is copied (SQLITE_TRANSIENT).
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, std::nullptr_t);
    /// Binary data (any bytes, NULs included) as a BLOB.
    Statement& bindBlob(int index, std::string_view bytes);
    template <class T>
    Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bind(index, nullptr);
    }
    /// Binds every argument in order, starting at parameter 1.
    template <class... Args>
    Statement& bindAll(const Args&... args) {
        int i = 0;
        (bind(++i, args), ...);
        return *this;
    }

    /// Advances: true when a row is ready, false when done.
    Result<bool> step();
    /// Steps to completion (for INSERT/UPDATE/DELETE).
    Status run();
    /// Resets so the statement can run again; bindings are cleared.
    void reset();

    int columnCount() const;
    bool isNull(int column) const;
    std::int64_t getInt(int column) const;
    double getDouble(int column) const;
    std::string getText(int column) const;   ///< "" for NULL
    std::optional<std::string> getOptionalText(int column) const;
    std::optional<std::int64_t> getOptionalInt(int column) const;
    std::string getBlob(int column) const;   ///< the bytes of a BLOB (or TEXT) column, "" for NULL

private:
    friend class Connection;
    struct Finalizer {
        void operator()(sqlite3_stmt* stmt) const noexcept;
    };
    explicit Statement(sqlite3_stmt* stmt) : m_stmt(stmt) {}
    std::unique_ptr<sqlite3_stmt, Finalizer> m_stmt;
    bool m_bindFailed = false;
    std::string m_bindError;
};

class Transaction {
public:
    enum class Mode { Deferred, Immediate };
    /// BEGIN (IMMEDIATE by default: a writer takes the write lock up front, so a busy database
    /// fails here, before any work, instead of half way through).
    static Result<Transaction> begin(Connection& db, Mode mode = Mode::Immediate);

    Transaction(Transaction&& other) noexcept : m_db(other.m_db), m_savepoint(std::move(other.m_savepoint)) {
        other.m_db = nullptr;
    }
    Transaction& operator=(Transaction&&) = delete;
    ~Transaction();

    Status commit();

private:
    Transaction(Connection* db, std::string savepoint) : m_db(db), m_savepoint(std::move(savepoint)) {}
    Connection* m_db;
    std::string m_savepoint;   ///< empty for the outermost transaction
};

/// Maps an SQLite result code to our ErrorCode.
ErrorCode classify(int sqliteCode) noexcept;

/// Builds an Error from `db`'s last SQLite error, prefixed with `what`.
Error lastError(sqlite3* db, std::string_view what);

} // namespace showroom::core::db
