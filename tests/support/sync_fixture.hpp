#pragma once
// What the sync tests share: looking into HQ's database, enrolling a store, the store's outbox as
// the client leaves it, and which HQ backends a run has (SQLite always; PostgreSQL when
// tests/sync/with_postgres.sh started one and set SHOWROOM_TEST_POSTGRES).

#include "store_fixture.hpp"

#include "showroom/sync/hq.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

namespace showroom::test {

/// The rows `sql` returns from HQ's database at `storageUrl` (a test failure and none on error).
inline std::vector<sync::Row> hqRows(const std::string& storageUrl, const std::string& sql) {
    auto storage = sync::openHqStorage(storageUrl);
    if (!storage) {
        ADD_FAILURE() << storage.error().message;
        return {};
    }
    auto rows = (*storage)->query(sql);
    if (!rows) {
        ADD_FAILURE() << sql << ": " << rows.error().message;
        return {};
    }
    return std::move(*rows);
}

/// The single number `sql` returns from HQ's database; -1 (and a test failure) when none.
inline std::int64_t hqCount(const std::string& storageUrl, const std::string& sql) {
    const auto rows = hqRows(storageUrl, sql);
    if (rows.empty() || rows.front().empty() || !rows.front()[0]) {
        ADD_FAILURE() << sql << ": no answer";
        return -1;
    }
    return std::stoll(*rows.front()[0]);
}

/// Enrols a store with `code` at HQ (migrating HQ's database first); its token, "" on failure.
inline std::string enrol(const std::string& storageUrl, const std::string& code) {
    auto storage = sync::openHqStorage(storageUrl);
    if (!storage) {
        ADD_FAILURE() << storage.error().message;
        return "";
    }
    sync::Hq hq(std::move(*storage));
    if (auto st = hq.migrate(); !st) ADD_FAILURE() << st.error().message;
    auto token = hq.addStore(code, code + " showroom");
    if (!token) {
        ADD_FAILURE() << token.error().message;
        return "";
    }
    return *token;
}

/// An outbox row HQ will refuse: a type it does not know.
inline void writePoison(Store& store, const std::string& eventId) {
    auto stmt = store.conn.prepare("INSERT INTO outbox(event_id, type, entity, entity_id, payload, created_at) "
                                   "VALUES (?, 'bogus.thing', 'bogus', 'x', '{}', '2026-11-01T10:00:00Z')");
    ASSERT_TRUE(stmt);
    ASSERT_TRUE(stmt->bindAll(eventId).run());
}

/// Events still waiting to go up (not sent, not quarantined).
inline std::int64_t unsent(Store& s) {
    return count(s.conn, "SELECT count(*) FROM outbox WHERE sent_at IS NULL AND quarantined_at IS NULL");
}

/// The PostgreSQL URL with_postgres.sh exported, or nullptr.
inline const char* postgresUrl() {
    const char* url = std::getenv("SHOWROOM_TEST_POSTGRES");
    return url && *url ? url : nullptr;
}

/// The HQ backends this run tests: "sqlite", plus "postgresql" when one was started for it.
inline std::vector<std::string> hqBackends() {
    std::vector<std::string> out{"sqlite"};
    if (postgresUrl()) out.emplace_back("postgresql");
    return out;
}

/// A fresh, empty HQ database for one test on `backend` ("sqlite" or "postgresql"): a new SQLite file
/// in `dir`, or the run's PostgreSQL with its schema emptied (the server lives for the whole run).
/// "" (and a test failure) when the database cannot be reached.
inline std::string freshHqUrl(const std::string& backend, const TempDir& dir) {
    if (backend == "sqlite") return "sqlite:" + dir.file("hq.db");
    const char* url = postgresUrl();
    if (!url) {
        ADD_FAILURE() << "no PostgreSQL for this run";
        return "";
    }
    auto storage = sync::openHqStorage(url);
    if (!storage) {
        ADD_FAILURE() << storage.error().message;
        return "";
    }
    for (const char* sql : {"DROP SCHEMA public CASCADE", "CREATE SCHEMA public"}) {
        if (auto done = (*storage)->query(sql); !done) {
            ADD_FAILURE() << done.error().message;
            return "";
        }
    }
    return url;
}

/// Makes a self-signed certificate for 127.0.0.1 and localhost with openssl; false when it failed.
inline bool makeLocalhostCertificate(const std::string& certFile, const std::string& keyFile) {
    const std::string command = "openssl req -x509 -newkey rsa:2048 -nodes -keyout " + keyFile + " -out " + certFile +
                                " -days 2 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost"
                                " >/dev/null 2>&1";
    return std::system(command.c_str()) == 0;
}

/// HQ's database for the integration tests (a real server): SQLite, or PostgreSQL when the run sets
/// SHOWROOM_TEST_HQ_BACKEND=postgresql (the ctest entry sync_integration_postgresql does, under
/// with_postgres.sh), so the same tests run once on each backend.
inline std::string integrationHqUrl(const TempDir& dir) {
    const char* backend = std::getenv("SHOWROOM_TEST_HQ_BACKEND");
    return freshHqUrl(backend && std::string(backend) == "postgresql" ? "postgresql" : "sqlite", dir);
}

} // namespace showroom::test
