#include "showroom/core/db.hpp"
#include "showroom/core/store.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace core = showroom::core;
namespace db = showroom::core::db;
using core::ErrorCode;
using showroom::test::TempDir;

namespace {

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

// One text value from a single-row query; fails the test when the query does.
std::string queryText(db::Connection& conn, std::string_view sql) {
    auto stmt = conn.prepare(sql);
    EXPECT_TRUE(stmt.ok()) << (stmt.ok() ? "" : stmt.error().message);
    if (!stmt) return {};
    auto row = stmt->step();
    EXPECT_TRUE(row.ok() && *row) << sql;
    if (!row || !*row) return {};
    return stmt->getText(0);
}

std::int64_t queryInt(db::Connection& conn, std::string_view sql) {
    auto stmt = conn.prepare(sql);
    EXPECT_TRUE(stmt.ok()) << (stmt.ok() ? "" : stmt.error().message);
    if (!stmt) return -1;
    auto row = stmt->step();
    EXPECT_TRUE(row.ok() && *row) << sql;
    if (!row || !*row) return -1;
    return stmt->getInt(0);
}

// Compares two file images without dumping kilobytes of bytes: names the first offset that differs.
::testing::AssertionResult sameBytes(const std::string& before, const std::string& after) {
    if (before == after) return ::testing::AssertionSuccess();
    std::size_t i = 0;
    while (i < before.size() && i < after.size() && before[i] == after[i])
        ++i;
    auto byte = [](const std::string& s, std::size_t at) {
        return at < s.size() ? std::to_string(static_cast<unsigned char>(s[at])) : std::string("<end>");
    };
    return ::testing::AssertionFailure() << "file changed: " << before.size() << " -> " << after.size()
                                         << " bytes, first difference at offset " << i << " (" << byte(before, i)
                                         << " -> " << byte(after, i) << ")";
}

db::Connection openOrDie(const std::string& path, const db::OpenOptions& options = {}) {
    auto conn = core::openStore(path, options);
    if (!conn) ADD_FAILURE() << "openStore(" << path << ") failed: " << conn.error().message;
    return std::move(conn).value();
}

void insertSetting(db::Connection& conn, std::string_view key, std::string_view value) {
    auto stmt = conn.prepare("INSERT INTO settings(key, value) VALUES (?, ?)");
    ASSERT_TRUE(stmt.ok()) << stmt.error().message;
    auto st = stmt->bindAll(key, value).run();
    ASSERT_TRUE(st.ok()) << st.error().message;
}

bool hasSetting(db::Connection& conn, std::string_view key) {
    auto stmt = conn.prepare("SELECT count(*) FROM settings WHERE key = ?");
    EXPECT_TRUE(stmt.ok());
    if (!stmt) return false;
    stmt->bindAll(key);
    auto row = stmt->step();
    EXPECT_TRUE(row.ok() && *row);
    return row.ok() && *row && stmt->getInt(0) == 1;
}

// Creates a plain SQLite file the way the sqlite3 shell would (rollback journal, no Showroom schema)
// with the given user_version.
void makeRawDatabase(const std::string& path, int userVersion) {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    const std::string sql = "CREATE TABLE from_the_future(x); PRAGMA user_version=" + std::to_string(userVersion) + ";";
    EXPECT_EQ(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(raw);
    sqlite3_close(raw);
}

// ---- opening and migrating ------------------------------------------------------------------------------

TEST(StoreOpen, NewFileIsCreatedAndMigratedToTheLatestSchema) {
    TempDir dir;
    const std::string path = dir.file("showroom.db");
    auto conn = core::openStore(path);
    ASSERT_TRUE(conn.ok()) << conn.error().message;

    EXPECT_TRUE(std::filesystem::exists(path));
    auto version = core::schemaVersion(*conn);
    ASSERT_TRUE(version.ok());
    EXPECT_EQ(*version, core::latestSchemaVersion());
    // The tables the services rely on exist.
    for (const char* table :
         {"settings", "stores", "vehicles", "customers", "leads", "deals", "payments", "audit_log", "outbox"}) {
        EXPECT_EQ(queryInt(*conn, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '" +
                                      std::string(table) + "'"),
                  1)
            << table;
    }
}

TEST(StoreOpen, UsesWalJournalAndEnforcesForeignKeys) {
    TempDir dir;
    auto conn = core::openStore(dir.file("showroom.db"));
    ASSERT_TRUE(conn.ok()) << conn.error().message;

    EXPECT_EQ(queryText(*conn, "PRAGMA journal_mode"), "wal");
    EXPECT_EQ(queryInt(*conn, "PRAGMA foreign_keys"), 1);
    // Foreign keys are not only switched on but enforced: a payment for a missing deal is refused.
    auto st = conn->exec("INSERT INTO payments(id, deal_id, amount_cents, method, received_at, created_at) "
                         "VALUES ('p1', 'no-such-deal', 100, 'cash', '2026-01-01', '2026-01-01')");
    EXPECT_FALSE(st.ok());
    EXPECT_EQ(queryInt(*conn, "SELECT count(*) FROM payments"), 0);
}

TEST(StoreOpen, ReopeningAnUpToDateStoreAppliesNothingAndKeepsData) {
    TempDir dir;
    const std::string path = dir.file("showroom.db");
    {
        auto conn = core::openStore(path);
        ASSERT_TRUE(conn.ok()) << conn.error().message;
        ASSERT_TRUE(core::setSetting(*conn, "greeting", "hello").ok());
    }
    auto conn = core::openStore(path);
    ASSERT_TRUE(conn.ok()) << conn.error().message;
    auto report = core::migrate(*conn);
    ASSERT_TRUE(report.ok()) << report.error().message;
    EXPECT_TRUE(report->applied.empty());
    EXPECT_EQ(report->fromVersion, core::latestSchemaVersion());
    EXPECT_EQ(report->toVersion, core::latestSchemaVersion());
    EXPECT_EQ(core::getSetting(*conn, "greeting").value(), "hello");
}

TEST(StoreMigrations, FreshDatabaseGetsEveryBuiltinMigrationInOrder) {
    ASSERT_GE(core::latestSchemaVersion(), 1);
    const auto builtin = core::builtinMigrations();
    ASSERT_FALSE(builtin.empty());
    EXPECT_EQ(builtin.front().name.substr(0, 5), "0001_");
    EXPECT_TRUE(contains(builtin.front().contents, "CREATE TABLE"));

    TempDir dir;
    auto conn = db::Connection::open(dir.file("bare.db"));
    ASSERT_TRUE(conn.ok()) << conn.error().message;
    auto report = core::migrate(*conn);
    ASSERT_TRUE(report.ok()) << report.error().message;
    EXPECT_EQ(report->fromVersion, 0);
    EXPECT_EQ(report->toVersion, core::latestSchemaVersion());
    ASSERT_EQ(report->applied.size(), builtin.size());
    for (std::size_t i = 0; i < builtin.size(); ++i)
        EXPECT_EQ(report->applied[i], builtin[i].name);
    EXPECT_EQ(core::schemaVersion(*conn).value(), core::latestSchemaVersion());
}

TEST(StoreMigrations, FailedMigrationLeavesNoHalfAppliedSchema) {
    // A table that 0001 creates late in its script already exists, so 0001 fails part way through. Running
    // in its own transaction, it must leave nothing behind: no settings table, user_version still 0.
    TempDir dir;
    const std::string path = dir.file("clash.db");
    {
        auto conn = db::Connection::open(path);
        ASSERT_TRUE(conn.ok()) << conn.error().message;
        ASSERT_TRUE(conn->exec("CREATE TABLE outbox(x)").ok());
    }
    auto conn = db::Connection::open(path);
    ASSERT_TRUE(conn.ok()) << conn.error().message;
    auto report = core::migrate(*conn);
    ASSERT_FALSE(report.ok());
    EXPECT_TRUE(contains(report.error().message, std::string(core::builtinMigrations().front().name)))
        << report.error().message;
    EXPECT_EQ(core::schemaVersion(*conn).value(), 0);
    EXPECT_EQ(queryInt(*conn, "SELECT count(*) FROM sqlite_schema WHERE name IN ('settings', 'vehicles')"), 0);
}

TEST(StoreOpen, SchemaNewerThanThisBinaryIsRefusedAndLeftUntouched) {
    // The realistic case: a store written by a newer Showroom (WAL, our schema, a higher user_version).
    TempDir dir;
    const std::string path = dir.file("future.db");
    {
        auto conn = core::openStore(path);
        ASSERT_TRUE(conn.ok()) << conn.error().message;
        ASSERT_TRUE(conn->exec("PRAGMA user_version=999").ok());
    }
    const std::string before = showroom::test::readFile(path);
    ASSERT_FALSE(before.empty());

    auto conn = core::openStore(path);
    ASSERT_FALSE(conn.ok());
    EXPECT_EQ(conn.error().code, ErrorCode::SchemaTooNew);
    EXPECT_TRUE(contains(conn.error().message, "999")) << conn.error().message;
    EXPECT_TRUE(contains(conn.error().message, std::to_string(core::latestSchemaVersion()))) << conn.error().message;
    EXPECT_TRUE(sameBytes(before, showroom::test::readFile(path)));
}

TEST(StoreOpen, SchemaNewerInRollbackJournalFileIsRefusedWithoutConvertingItToWal) {
    // A file at user_version 999 made by the sqlite3 shell (rollback journal). Refusing it must not write to
    // it, which includes not switching its journal mode (that rewrites the file header).
    TempDir dir;
    const std::string path = dir.file("future.db");
    makeRawDatabase(path, 999);
    const std::string before = showroom::test::readFile(path);
    ASSERT_FALSE(before.empty());

    auto conn = core::openStore(path);
    ASSERT_FALSE(conn.ok());
    EXPECT_EQ(conn.error().code, ErrorCode::SchemaTooNew);
    EXPECT_TRUE(contains(conn.error().message, "999")) << conn.error().message;
    EXPECT_TRUE(contains(conn.error().message, std::to_string(core::latestSchemaVersion()))) << conn.error().message;
    // Offsets 18 and 19 of the header are the file format versions: 1 = rollback journal, 2 = WAL.
    EXPECT_TRUE(sameBytes(before, showroom::test::readFile(path))) << "the refused database was modified";
}

TEST(StoreOpen, TextFileIsNotADatabaseAndIsLeftUntouched) {
    TempDir dir;
    const std::string path = dir.file("notes.db");
    std::string text;
    while (text.size() < 4096)
        text += "These are the porter's notes, not a database. ";
    text.resize(4096);
    showroom::test::writeFile(path, text);

    auto conn = core::openStore(path);
    ASSERT_FALSE(conn.ok());
    EXPECT_EQ(conn.error().code, ErrorCode::NotADatabase);
    EXPECT_TRUE(contains(conn.error().message, path)) << conn.error().message;
    EXPECT_TRUE(sameBytes(text, showroom::test::readFile(path)));
}

// ---- another process holding the write lock -------------------------------------------------------------

// A child process that holds an exclusive write transaction on `path` until released (or 10 s pass).
class LockingChild {
public:
    explicit LockingChild(const std::string& path) {
        int ready[2];
        int release[2];
        if (pipe(ready) != 0 || pipe(release) != 0) {
            ADD_FAILURE() << "pipe failed";
            return;
        }
        m_pid = fork();
        if (m_pid == 0) {
            close(ready[0]);
            close(release[1]);
            sqlite3* raw = nullptr;
            char status = 'E';
            if (sqlite3_open(path.c_str(), &raw) == SQLITE_OK &&
                sqlite3_exec(raw, "BEGIN EXCLUSIVE; INSERT INTO settings(key, value) VALUES ('child', 'was here');",
                             nullptr, nullptr, nullptr) == SQLITE_OK)
                status = 'L';
            (void)!write(ready[1], &status, 1);
            pollfd wait{release[0], POLLIN, 0};
            poll(&wait, 1, 10'000); // readable (EOF) when the parent closes its end; give up after 10 s
            sqlite3_exec(raw, "ROLLBACK", nullptr, nullptr, nullptr);
            sqlite3_close(raw);
            _exit(0);
        }
        close(ready[1]);
        close(release[0]);
        m_release = release[1];
        if (m_pid < 0) {
            ADD_FAILURE() << "fork failed";
            close(ready[0]);
            return;
        }
        char status = 0;
        m_locked = read(ready[0], &status, 1) == 1 && status == 'L';
        close(ready[0]);
    }
    ~LockingChild() { release(); }
    LockingChild(const LockingChild&) = delete;
    LockingChild& operator=(const LockingChild&) = delete;

    bool locked() const { return m_locked; }

    // Lets the child roll back and exit; returns once it has.
    void release() {
        if (m_release >= 0) close(m_release);
        m_release = -1;
        if (m_pid > 0) {
            int status = 0;
            waitpid(m_pid, &status, 0);
            m_pid = -1;
        }
    }

private:
    pid_t m_pid = -1;
    int m_release = -1;
    bool m_locked = false;
};

TEST(StoreLocking, WriteWhileAnotherProcessHoldsTheLockFailsAsBusyThenSucceeds) {
    TempDir dir;
    const std::string path = dir.file("shared.db");
    { auto created = openOrDie(path); }

    LockingChild child(path);
    ASSERT_TRUE(child.locked()) << "the child process could not take the write lock";

    auto conn = core::openStore(path, db::OpenOptions{.busyTimeoutMs = 200});
    ASSERT_TRUE(conn.ok()) << "reading must still work while another process writes: " << conn.error().message;
    {
        auto tx = db::Transaction::begin(*conn);
        ASSERT_FALSE(tx.ok());
        EXPECT_EQ(tx.error().code, ErrorCode::Busy);
        EXPECT_TRUE(contains(tx.error().message, "locked")) << tx.error().message;
    }

    child.release();
    auto tx = db::Transaction::begin(*conn);
    ASSERT_TRUE(tx.ok()) << tx.error().message;
    insertSetting(*conn, "parent", "after the lock");
    ASSERT_TRUE(tx->commit().ok());
    EXPECT_TRUE(hasSetting(*conn, "parent"));
    EXPECT_FALSE(hasSetting(*conn, "child")); // the child never committed
}

// ---- transactions ---------------------------------------------------------------------------------------

TEST(StoreTransactions, UncommittedTransactionRollsBack) {
    TempDir dir;
    auto conn = openOrDie(dir.file("tx.db"));
    {
        auto tx = db::Transaction::begin(conn);
        ASSERT_TRUE(tx.ok()) << tx.error().message;
        insertSetting(conn, "draft", "1");
        EXPECT_TRUE(hasSetting(conn, "draft")); // visible inside the transaction
    }
    EXPECT_FALSE(hasSetting(conn, "draft"));
}

TEST(StoreTransactions, CommittedTransactionIsKeptAcrossReopen) {
    TempDir dir;
    const std::string path = dir.file("tx.db");
    {
        auto conn = openOrDie(path);
        auto tx = db::Transaction::begin(conn);
        ASSERT_TRUE(tx.ok()) << tx.error().message;
        insertSetting(conn, "kept", "1");
        ASSERT_TRUE(tx->commit().ok());
    }
    auto conn = openOrDie(path);
    EXPECT_TRUE(hasSetting(conn, "kept"));
}

TEST(StoreTransactions, InnerTransactionDroppedUndoesOnlyInnerWork) {
    TempDir dir;
    auto conn = openOrDie(dir.file("tx.db"));
    {
        auto outer = db::Transaction::begin(conn);
        ASSERT_TRUE(outer.ok()) << outer.error().message;
        insertSetting(conn, "outer", "1");
        {
            auto inner = db::Transaction::begin(conn);
            ASSERT_TRUE(inner.ok()) << inner.error().message;
            insertSetting(conn, "inner", "1");
        } // inner dropped without commit
        EXPECT_TRUE(hasSetting(conn, "outer"));
        EXPECT_FALSE(hasSetting(conn, "inner"));
        // The outer transaction is still usable after the inner one failed.
        insertSetting(conn, "outer-after", "1");
        ASSERT_TRUE(outer->commit().ok());
    }
    EXPECT_TRUE(hasSetting(conn, "outer"));
    EXPECT_TRUE(hasSetting(conn, "outer-after"));
    EXPECT_FALSE(hasSetting(conn, "inner"));
}

TEST(StoreTransactions, InnerCommitIsUndoneWhenOuterRollsBack) {
    TempDir dir;
    auto conn = openOrDie(dir.file("tx.db"));
    {
        auto outer = db::Transaction::begin(conn);
        ASSERT_TRUE(outer.ok()) << outer.error().message;
        insertSetting(conn, "outer", "1");
        auto inner = db::Transaction::begin(conn);
        ASSERT_TRUE(inner.ok()) << inner.error().message;
        insertSetting(conn, "inner", "1");
        ASSERT_TRUE(inner->commit().ok());
    } // outer dropped: the outer decides
    EXPECT_FALSE(hasSetting(conn, "outer"));
    EXPECT_FALSE(hasSetting(conn, "inner"));
}

TEST(StoreTransactions, InnerAndOuterCommitKeepBoth) {
    TempDir dir;
    auto conn = openOrDie(dir.file("tx.db"));
    {
        auto outer = db::Transaction::begin(conn);
        ASSERT_TRUE(outer.ok()) << outer.error().message;
        insertSetting(conn, "outer", "1");
        {
            auto inner = db::Transaction::begin(conn);
            ASSERT_TRUE(inner.ok()) << inner.error().message;
            insertSetting(conn, "inner", "1");
            ASSERT_TRUE(inner->commit().ok());
        }
        ASSERT_TRUE(outer->commit().ok());
    }
    EXPECT_TRUE(hasSetting(conn, "outer"));
    EXPECT_TRUE(hasSetting(conn, "inner"));
}

TEST(StoreTransactions, CommittingTwiceIsRefused) {
    TempDir dir;
    auto conn = openOrDie(dir.file("tx.db"));
    auto tx = db::Transaction::begin(conn);
    ASSERT_TRUE(tx.ok()) << tx.error().message;
    insertSetting(conn, "once", "1");
    ASSERT_TRUE(tx->commit().ok());
    EXPECT_FALSE(tx->commit().ok());
    EXPECT_TRUE(hasSetting(conn, "once"));
}

// ---- audit log ------------------------------------------------------------------------------------------

TEST(StoreAuditLog, RowsCannotBeChangedOrDeleted) {
    TempDir dir;
    auto conn = openOrDie(dir.file("audit.db"));
    ASSERT_TRUE(conn.exec("INSERT INTO audit_log(at, actor, action, entity, entity_id, details) VALUES "
                          "('2026-11-22T09:30:00Z', 'kiosk', 'vehicle.checked_in', 'vehicle', 'v1', '{}')")
                    .ok());

    auto update = conn.exec("UPDATE audit_log SET actor = 'someone else'");
    ASSERT_FALSE(update.ok());
    EXPECT_TRUE(contains(update.error().message, "append-only")) << update.error().message;

    auto remove = conn.exec("DELETE FROM audit_log");
    ASSERT_FALSE(remove.ok());
    EXPECT_TRUE(contains(remove.error().message, "append-only")) << remove.error().message;

    EXPECT_EQ(queryInt(conn, "SELECT count(*) FROM audit_log"), 1);
    EXPECT_EQ(queryText(conn, "SELECT actor || '|' || action || '|' || entity_id FROM audit_log"),
              "kiosk|vehicle.checked_in|v1");
}

// ---- check ----------------------------------------------------------------------------------------------

TEST(StoreCheck, FreshStoreIsHealthy) {
    TempDir dir;
    auto conn = openOrDie(dir.file("check.db"));
    auto report = core::check(conn);
    ASSERT_TRUE(report.ok()) << report.error().message;
    EXPECT_TRUE(report->integrityOk);
    EXPECT_TRUE(report->problems.empty());
    EXPECT_EQ(report->schemaVersion, core::latestSchemaVersion());
}

TEST(StoreCheck, OrphanRowIsReportedAsForeignKeyProblem) {
    TempDir dir;
    auto conn = openOrDie(dir.file("check.db"));
    ASSERT_TRUE(conn.exec("PRAGMA foreign_keys=OFF").ok());
    ASSERT_TRUE(conn.exec("INSERT INTO payments(id, deal_id, amount_cents, method, received_at, created_at) "
                          "VALUES ('p1', 'no-such-deal', 100, 'cash', '2026-01-01', '2026-01-01')")
                    .ok());
    ASSERT_TRUE(conn.exec("PRAGMA foreign_keys=ON").ok());

    auto report = core::check(conn);
    ASSERT_TRUE(report.ok()) << report.error().message;
    EXPECT_FALSE(report->integrityOk);
    ASSERT_EQ(report->problems.size(), 1u);
    EXPECT_TRUE(contains(report->problems[0], "foreign key")) << report->problems[0];
    EXPECT_TRUE(contains(report->problems[0], "payments")) << report->problems[0];
    EXPECT_TRUE(contains(report->problems[0], "deals")) << report->problems[0];
    // check() changes nothing: the orphan is still there for someone to look at.
    EXPECT_EQ(queryInt(conn, "SELECT count(*) FROM payments"), 1);
}

// ---- settings -------------------------------------------------------------------------------------------

TEST(StoreSettings, SetThenGetRoundTripsAndOverwrites) {
    TempDir dir;
    const std::string path = dir.file("settings.db");
    {
        auto conn = openOrDie(path);
        EXPECT_EQ(core::getSetting(conn, "local_store_id", "none").value(), "none");
        EXPECT_EQ(core::getSetting(conn, "local_store_id").value(), "");
        ASSERT_TRUE(core::setSetting(conn, "local_store_id", "store-1").ok());
        EXPECT_EQ(core::getSetting(conn, "local_store_id", "none").value(), "store-1");
        ASSERT_TRUE(core::setSetting(conn, "local_store_id", "store-2").ok());
        ASSERT_TRUE(core::setSetting(conn, "city", "Zürich ' \"quoted\"").ok());
    }
    auto conn = openOrDie(path);
    EXPECT_EQ(core::getSetting(conn, "local_store_id").value(), "store-2");
    EXPECT_EQ(core::getSetting(conn, "city").value(), "Zürich ' \"quoted\"");
    EXPECT_EQ(queryInt(conn, "SELECT count(*) FROM settings WHERE key = 'local_store_id'"), 1);
}

} // namespace
