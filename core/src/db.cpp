#include "showroom/core/db.hpp"

#include <sqlite3.h>

namespace showroom::core::db {

ErrorCode classify(int sqliteCode) noexcept {
    switch (sqliteCode & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return ErrorCode::Busy;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT: return ErrorCode::NotADatabase;
    case SQLITE_CONSTRAINT:
        if (sqliteCode == SQLITE_CONSTRAINT_UNIQUE || sqliteCode == SQLITE_CONSTRAINT_PRIMARYKEY)
            return ErrorCode::Duplicate;
        return ErrorCode::InvalidInput;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY: return ErrorCode::Io;
    default: return ErrorCode::Storage;
    }
}

namespace {

std::string describe(ErrorCode code, std::string_view what, const char* sqliteMessage, const std::string& path) {
    std::string prefix(what);
    switch (code) {
    case ErrorCode::Busy:
        return prefix + ": the database '" + path + "' is locked by another program (" + sqliteMessage +
               "); try again when it has finished";
    case ErrorCode::NotADatabase:
        return prefix + ": '" + path + "' is not a Showroom database (not SQLite, or damaged: " + sqliteMessage + ")";
    default: return prefix + ": " + sqliteMessage;
    }
}

} // namespace

namespace {

// showroom_fold(text): lower-case for search, beyond SQLite's ASCII-only lower(): Latin-1,
// Latin Extended-A and basic Cyrillic capitals too, so "MÜLLER" finds "Müller".
void foldFunction(sqlite3_context* context, int, sqlite3_value** argv) {
    const auto* in = sqlite3_value_text(argv[0]);
    if (!in) {
        sqlite3_result_null(context);
        return;
    }
    std::string out(reinterpret_cast<const char*>(in), static_cast<std::size_t>(sqlite3_value_bytes(argv[0])));
    for (std::size_t i = 0; i < out.size(); ++i) {
        auto c = static_cast<unsigned char>(out[i]);
        if (c >= 'A' && c <= 'Z') {
            out[i] = static_cast<char>(c + 32);
        } else if (i + 1 < out.size() && (c == 0xC3 || c == 0xC4 || c == 0xC5 || c == 0xD0)) {
            auto d = static_cast<unsigned char>(out[i + 1]);
            unsigned cp = ((c & 0x1Fu) << 6) | (d & 0x3Fu);
            if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)) cp += 0x20;                  // À..Þ
            else if (cp >= 0x100 && cp <= 0x17F && cp % 2 == 0 && cp != 0x130) cp += 1; // Ā..ž pairs
            else if (cp >= 0x410 && cp <= 0x42F) cp += 0x20;                           // А..Я
            out[i] = static_cast<char>(0xC0 | (cp >> 6)); // still two bytes: every result is below U+0800
            out[i + 1] = static_cast<char>(0x80 | (cp & 0x3F));
            ++i;
        }
    }
    sqlite3_result_text(context, out.data(), static_cast<int>(out.size()), SQLITE_TRANSIENT);
}

} // namespace

void Connection::Closer::operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }

Connection::~Connection() = default;

Result<Connection> Connection::open(const std::string& path, const OpenOptions& options) {
    int flags = options.readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (options.create && !options.readOnly) flags |= SQLITE_OPEN_CREATE;
    flags |= SQLITE_OPEN_NOMUTEX; // one connection per thread: no need for SQLite's own mutex
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
    Connection conn(raw, path);
    if (rc != SQLITE_OK) {
        std::string msg = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
        return fail(classify(rc) == ErrorCode::Storage ? ErrorCode::Io : classify(rc),
                    "cannot open database '" + path + "': " + msg);
    }
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, options.busyTimeoutMs);
    // The first read of the header tells whether this is SQLite at all.
    if (auto st = conn.exec("SELECT count(*) FROM sqlite_schema"); !st) return st.error();
    // synchronous=FULL: a committed deal survives power loss. (WAL is switched on by migrate(),
    // after the schema version is known to be ours: a refused database is left as it was.)
    if (!options.readOnly)
        if (auto st = conn.exec("PRAGMA synchronous=FULL"); !st) return st.error();
    if (auto st = conn.exec("PRAGMA foreign_keys=ON"); !st) return st.error();
    sqlite3_create_function_v2(raw, "showroom_fold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                               nullptr, foldFunction, nullptr, nullptr, nullptr);
    // 64 MB of page cache: an import or a sync batch of 100,000 rows stays in memory until commit
    // instead of spilling to the WAL page by page.
    if (auto st = conn.exec("PRAGMA cache_size=-65536"); !st) return st.error();
    return conn;
}

Result<Statement> Connection::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v2(m_db.get(), sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return lastError("prepare");
    }
    return Statement(stmt);
}

Status Connection::exec(std::string_view sql) {
    std::string text(sql);
    char* message = nullptr;
    const int rc = sqlite3_exec(m_db.get(), text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string msg = message ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        const ErrorCode code = classify(sqlite3_extended_errcode(m_db.get()));
        return fail(code, describe(code, "database", msg.c_str(), m_path));
    }
    return {};
}

std::int64_t Connection::lastInsertRowId() const { return sqlite3_last_insert_rowid(m_db.get()); }
int Connection::changes() const { return sqlite3_changes(m_db.get()); }

Error lastError(sqlite3* db, std::string_view what) {
    const ErrorCode code = classify(sqlite3_extended_errcode(db));
    const char* file = sqlite3_db_filename(db, "main");
    return fail(code, describe(code, what, sqlite3_errmsg(db), file && *file ? file : ":memory:"));
}

Error Connection::lastError(std::string_view what) const { return db::lastError(m_db.get(), what); }

void Statement::Finalizer::operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }

Statement::~Statement() = default;

Statement& Statement::bind(int index, std::int64_t value) {
    if (sqlite3_bind_int64(m_stmt.get(), index, value) != SQLITE_OK && !m_bindFailed) {
        m_bindFailed = true;
        m_bindError = "bind parameter " + std::to_string(index);
    }
    return *this;
}

Statement& Statement::bind(int index, double value) {
    if (sqlite3_bind_double(m_stmt.get(), index, value) != SQLITE_OK && !m_bindFailed) {
        m_bindFailed = true;
        m_bindError = "bind parameter " + std::to_string(index);
    }
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    if (sqlite3_bind_text64(m_stmt.get(), index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8) !=
            SQLITE_OK &&
        !m_bindFailed) {
        m_bindFailed = true;
        m_bindError = "bind parameter " + std::to_string(index);
    }
    return *this;
}

Statement& Statement::bindBlob(int index, std::string_view bytes) {
    // A zero-length blob still binds as a blob (not NULL): sqlite3_bind_blob64 with a non-null pointer.
    static const char kEmpty = 0;
    if (sqlite3_bind_blob64(m_stmt.get(), index, bytes.empty() ? &kEmpty : bytes.data(), bytes.size(),
                            SQLITE_TRANSIENT) != SQLITE_OK &&
        !m_bindFailed) {
        m_bindFailed = true;
        m_bindError = "bind parameter " + std::to_string(index);
    }
    return *this;
}

Statement& Statement::bind(int index, std::nullptr_t) {
    sqlite3_bind_null(m_stmt.get(), index);
    return *this;
}

Result<bool> Statement::step() {
    if (m_bindFailed) return fail(ErrorCode::Internal, "statement could not " + m_bindError);
    const int rc = sqlite3_step(m_stmt.get());
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return db::lastError(sqlite3_db_handle(m_stmt.get()), "query");
}

Status Statement::run() {
    for (;;) {
        auto r = step();
        if (!r) return r.error();
        if (!*r) return {};
    }
}

void Statement::reset() {
    sqlite3_reset(m_stmt.get());
    sqlite3_clear_bindings(m_stmt.get());
    m_bindFailed = false;
}

int Statement::columnCount() const { return sqlite3_column_count(m_stmt.get()); }
bool Statement::isNull(int column) const { return sqlite3_column_type(m_stmt.get(), column) == SQLITE_NULL; }
std::int64_t Statement::getInt(int column) const { return sqlite3_column_int64(m_stmt.get(), column); }
double Statement::getDouble(int column) const { return sqlite3_column_double(m_stmt.get(), column); }

std::string Statement::getText(int column) const {
    const auto* text = sqlite3_column_text(m_stmt.get(), column);
    if (!text) return {};
    return std::string(reinterpret_cast<const char*>(text),
                       static_cast<std::size_t>(sqlite3_column_bytes(m_stmt.get(), column)));
}

std::string Statement::getBlob(int column) const {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(m_stmt.get(), column));
    if (!data) return {};
    return std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt.get(), column)));
}

std::optional<std::string> Statement::getOptionalText(int column) const {
    if (isNull(column)) return std::nullopt;
    return getText(column);
}

std::optional<std::int64_t> Statement::getOptionalInt(int column) const {
    if (isNull(column)) return std::nullopt;
    return getInt(column);
}

Result<Transaction> Transaction::begin(Connection& db, Mode mode) {
    if (!sqlite3_get_autocommit(db.handle())) {
        static thread_local unsigned counter = 0;
        std::string name = "sp" + std::to_string(++counter);
        if (auto st = db.exec("SAVEPOINT " + name); !st) return st.error();
        return Transaction(&db, std::move(name));
    }
    if (auto st = db.exec(mode == Mode::Immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED"); !st) return st.error();
    return Transaction(&db, {});
}

Transaction::~Transaction() {
    if (!m_db) return;
    if (!m_savepoint.empty()) {
        const std::string undo = "ROLLBACK TO " + m_savepoint + "; RELEASE " + m_savepoint;
        sqlite3_exec(m_db->handle(), undo.c_str(), nullptr, nullptr, nullptr);
    } else if (!sqlite3_get_autocommit(m_db->handle())) {
        sqlite3_exec(m_db->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

Status Transaction::commit() {
    if (!m_db) return fail(ErrorCode::Internal, "commit of a finished transaction");
    auto st = m_db->exec(m_savepoint.empty() ? std::string("COMMIT") : "RELEASE " + m_savepoint);
    if (!st) return st; // still open: the destructor rolls back
    m_db = nullptr;
    return {};
}

} // namespace showroom::core::db
