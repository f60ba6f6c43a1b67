#include "hq_backends.hpp"

#include <libpq-fe.h>

#include <cstring>
#include <optional>
#include <string>
#include <utility>

namespace showroom::sync::detail {

using core::ErrorCode;
using core::Result;

namespace {

struct ConnCloser {
    void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
struct ResultClearer {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using ConnPtr = std::unique_ptr<PGconn, ConnCloser>;
using ResultPtr = std::unique_ptr<PGresult, ResultClearer>;

/// `?` placeholders to PostgreSQL's $1, $2, ... Question marks inside '...' strings and "..."
/// identifiers are text and stay as they are.
std::string renumber(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 16);
    int next = 1;
    char quote = 0;
    for (const char c : sql) {
        if (quote) {
            if (c == quote) quote = 0; // a doubled quote closes and reopens: same result
            out += c;
        } else if (c == '\'' || c == '"') {
            quote = c;
            out += c;
        } else if (c == '?') {
            out += '$';
            out += std::to_string(next++);
        } else {
            out += c;
        }
    }
    return out;
}

/// libpq's messages span lines and end in a newline; one line reads better in a log and a reply.
std::string oneLine(const char* message) {
    std::string out;
    bool space = false;
    for (const char* p = message ? message : ""; *p; ++p) {
        if (*p == '\n' || *p == '\t' || *p == '\r') {
            space = true;
        } else {
            if (space && !out.empty()) out += ' ';
            space = false;
            out += *p;
        }
    }
    return out;
}

/// "postgresql://user@host:port/db" from a connection string, never with its password; nullopt
/// when libpq cannot parse it (its message may quote the password, so it is not passed on).
std::optional<std::string> describeUrl(const std::string& url) {
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
    if (!options) {
        PQfreemem(error);
        return std::nullopt;
    }
    std::string user, host, port, db;
    for (PQconninfoOption* o = options; o->keyword; ++o) {
        if (!o->val || !*o->val) continue;
        if (std::strcmp(o->keyword, "user") == 0)
            user = o->val;
        else if (std::strcmp(o->keyword, "host") == 0)
            host = o->val;
        else if (std::strcmp(o->keyword, "hostaddr") == 0 && host.empty())
            host = o->val;
        else if (std::strcmp(o->keyword, "port") == 0)
            port = o->val;
        else if (std::strcmp(o->keyword, "dbname") == 0)
            db = o->val;
    }
    PQconninfoFree(options);
    std::string out = "postgresql://";
    if (!user.empty()) out += user + "@";
    out += host.empty() ? "localhost" : host;
    out += ":" + (port.empty() ? std::string("5432") : port);
    if (!db.empty()) out += "/" + db;
    return out;
}

ErrorCode codeForState(const char* sqlstate) {
    const std::string s = sqlstate ? sqlstate : "";
    if (s == "23505") return ErrorCode::Duplicate;
    if (s == "40001" || s == "40P01" || s == "55P03") return ErrorCode::Busy; // serialization, deadlock, lock
    if (s.rfind("08", 0) == 0) return ErrorCode::Io;                          // connection exceptions
    return ErrorCode::Storage;
}

void ignoreNotice(void*, const char*) {}

class PostgresHqStorage final : public HqStorage {
public:
    PostgresHqStorage(ConnPtr conn, std::string description)
        : m_conn(std::move(conn)), m_description(std::move(description)) {}

    std::string describe() const override { return m_description; }

    core::Status migrate() override {
        // Version 1 of HQ's schema; Hq::migrate() takes it from there (hq_schema). The one difference
        // from SQLite's is how changes.seq counts (BIGSERIAL). The advisory
        // lock keeps two processes migrating at once from racing on CREATE TABLE IF NOT EXISTS.
        static constexpr const char* kSchema[] = {
            "SELECT pg_advisory_xact_lock(7316001)",
            R"sql(CREATE TABLE IF NOT EXISTS stores (
    id           TEXT PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    token_sha256 TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL
))sql",
            R"sql(CREATE TABLE IF NOT EXISTS events (
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
))sql",
            "CREATE INDEX IF NOT EXISTS events_store ON events(store_id)",
            R"sql(CREATE TABLE IF NOT EXISTS changes (
    seq        BIGSERIAL PRIMARY KEY,
    kind       TEXT NOT NULL,
    store_id   TEXT REFERENCES stores(id),
    store_code TEXT NOT NULL,
    data       TEXT NOT NULL,
    created_at TEXT NOT NULL
))sql",
            R"sql(CREATE TABLE IF NOT EXISTS change_lock (
    id BIGINT PRIMARY KEY,
    n  BIGINT NOT NULL
))sql",
            "INSERT INTO change_lock(id, n) VALUES (1, 0) ON CONFLICT DO NOTHING",
            "CREATE TABLE IF NOT EXISTS hq_schema (id BIGINT PRIMARY KEY, version BIGINT NOT NULL)",
            "INSERT INTO hq_schema(id, version) VALUES (1, 1) ON CONFLICT DO NOTHING",
        };
        SHOWROOM_TRY(begin());
        for (const char* sql : kSchema) {
            if (auto rows = query(sql, {}); !rows) {
                rollback();
                return core::fail(rows.error().code, "cannot create HQ's tables: " + rows.error().message);
            }
        }
        return commit();
    }

    core::Status begin() override {
        SHOWROOM_TRY(reconnectIfLost());
        return command("BEGIN");
    }

    core::Status commit() override {
        ResultPtr res(PQexec(m_conn.get(), "COMMIT"));
        if (auto st = check(res.get(), "commit"); !st) return st;
        // COMMIT of a transaction that already failed answers "ROLLBACK": nothing was stored.
        if (std::strcmp(PQcmdStatus(res.get()), "ROLLBACK") == 0)
            return core::fail(ErrorCode::Storage, m_description + ": the transaction was rolled back");
        return {};
    }

    void rollback() override {
        if (PQtransactionStatus(m_conn.get()) != PQTRANS_IDLE) ResultPtr(PQexec(m_conn.get(), "ROLLBACK"));
    }

    Result<std::vector<Row>> query(std::string_view sql,
                                   const std::vector<std::optional<std::string>>& params) override {
        SHOWROOM_TRY(reconnectIfLost());
        const std::string text = renumber(sql);
        std::vector<const char*> values;
        values.reserve(params.size());
        for (const auto& p : params)
            values.push_back(p ? p->c_str() : nullptr);
        // Text parameters, types left to the server (inferred from the columns they meet).
        ResultPtr res(PQexecParams(m_conn.get(), text.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                                   nullptr, nullptr, 0));
        if (auto st = check(res.get(), "run a statement"); !st) return st.error();
        std::vector<Row> rows;
        if (PQresultStatus(res.get()) != PGRES_TUPLES_OK) return rows;
        const int n = PQntuples(res.get());
        const int columns = PQnfields(res.get());
        rows.reserve(static_cast<std::size_t>(n));
        for (int r = 0; r < n; ++r) {
            Row row;
            row.reserve(static_cast<std::size_t>(columns));
            for (int c = 0; c < columns; ++c) {
                if (PQgetisnull(res.get(), r, c))
                    row.emplace_back(std::nullopt);
                else
                    row.emplace_back(std::string(PQgetvalue(res.get(), r, c),
                                                 static_cast<std::size_t>(PQgetlength(res.get(), r, c))));
            }
            rows.push_back(std::move(row));
        }
        return rows;
    }

private:
    core::Status command(const char* sql) {
        ResultPtr res(PQexec(m_conn.get(), sql));
        return check(res.get(), sql);
    }

    core::Status check(const PGresult* res, const char* what) const {
        const ExecStatusType status = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return {};
        if (PQstatus(m_conn.get()) == CONNECTION_BAD)
            return core::fail(ErrorCode::Io,
                              m_description + ": connection lost: " + oneLine(PQerrorMessage(m_conn.get())));
        const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
        const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
        return core::fail(codeForState(state),
                          m_description + ": cannot " + what + ": " +
                              (primary ? std::string(primary) : oneLine(PQerrorMessage(m_conn.get()))));
    }

    /// After the server restarted or the network dropped, the next call tries one reconnect; a
    /// transaction that was open is gone either way, and its caller has had an error for it.
    core::Status reconnectIfLost() {
        if (PQstatus(m_conn.get()) != CONNECTION_BAD) return {};
        PQreset(m_conn.get());
        if (PQstatus(m_conn.get()) != CONNECTION_OK)
            return core::fail(ErrorCode::Io,
                              m_description + ": cannot reconnect: " + oneLine(PQerrorMessage(m_conn.get())));
        PQsetNoticeProcessor(m_conn.get(), ignoreNotice, nullptr);
        return {};
    }

    ConnPtr m_conn;
    std::string m_description;
};

} // namespace

Result<std::unique_ptr<HqStorage>> openPostgresHqStorage(const std::string& url) {
    const auto parsed = describeUrl(url);
    if (!parsed)
        return core::fail(ErrorCode::InvalidInput,
                          "the PostgreSQL URL cannot be parsed (postgresql://user@host:port/database)");
    const std::string& description = *parsed;
    ConnPtr conn(PQconnectdb(url.c_str()));
    if (!conn) return core::fail(ErrorCode::Io, description + ": cannot connect: out of memory");
    if (PQstatus(conn.get()) != CONNECTION_OK)
        return core::fail(ErrorCode::Io, description + ": cannot connect: " + oneLine(PQerrorMessage(conn.get())));
    // "relation already exists, skipping" and friends would go to stderr otherwise.
    PQsetNoticeProcessor(conn.get(), ignoreNotice, nullptr);
    return std::unique_ptr<HqStorage>(std::make_unique<PostgresHqStorage>(std::move(conn), description));
}

} // namespace showroom::sync::detail
