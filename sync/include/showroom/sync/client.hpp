#pragma once
// The showroom's side of sync: drains the outbox to headquarters and pulls what HQ has for it.
//
// HQ connection string: `https://hq.example:8443` (the server's certificate checked against the
// system's CAs, or `ca` when given), `http://127.0.0.1:PORT` only with `insecure` (development).
//
// Rules:
//  - One client per store database, across processes: open() takes an exclusive lock on
//    `<db>.sync.lock` (flock) and refuses with Busy while another process holds it.
//  - push(): the oldest unsent, unquarantined events in outbox order, kMaxBatchEvents at a time.
//    An event is marked sent (sent_at) only when HQ's answer lists it as accepted or duplicate, in
//    one transaction after the answer; a reply lost on the way leaves them unsent, and the retry is
//    answered "duplicate". A rejected event is quarantined (quarantined_at, HQ's reason) and the
//    events behind it keep flowing. A transport failure counts an attempt and keeps last_error on
//    the events of the batch.
//  - pull(): pages of changes after the stored cursor; each page and the new cursor are applied in
//    one transaction, so a crash repeats at most one page (applying a change twice is harmless).
//    Each change (protocol.hpp) is applied in a savepoint of its own:
//      vehicle   -> network_vehicles (the VIN's rows at other showrooms dropped); skipped when the
//                   VIN is this store's own vehicle and not transferred away;
//      price     -> the local vehicle's price, audit only (HQ has it), unless the outbox holds a
//                   price change of that vehicle stamped later; an unknown VIN is ignored;
//      staff     -> the staff account (source 'hq'), the PIN hash only when isPinHash() accepts it;
//      catalog   -> catalog_models;
//      transfer  -> an incoming vehicle here (Inventory::receiveTransfer), out of network_vehicles;
//      conflict  -> sync_conflicts (open until resolved here or closed by HQ).
//    A change that cannot be applied (bad data, a duplicate e-mail, ...) is undone whole and kept as
//    a "change_not_applied" conflict with the reason; it never holds the cursor back. Only a
//    database that cannot be written fails the page. Kinds this client does not know are skipped.
//  - status().conflicts: open sync_conflicts rows (core/network.hpp lists and resolves them).
//  - run(): push and pull until stop(), sleeping with exponential backoff and jitter after a
//    failure (1 s doubling to 5 min), waking at once on wake() (a new event was written).
//
// Threading: a SyncClient uses its own connection to the store; run() blocks its caller (the kiosk
// gives it a thread); stop() and wake() may be called from any thread.

#include "showroom/core/result.hpp"
#include "showroom/sync/protocol.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace showroom::sync {

struct HqConnection {
    std::string url;            ///< https://host[:port] or, with insecure, http://host[:port]
    std::string token;          ///< the store's token from `showroom-hq store add`
    std::string caFile;         ///< PEM file of the CA that signed HQ's certificate; "" = system CAs
    bool insecure = false;      ///< allow plain http:// (development only)
    int timeoutMs = 10'000;     ///< connect, read and write, each
};

struct SyncStatus {
    bool online = false;            ///< the last exchange with HQ succeeded
    std::int64_t queued = 0;        ///< events waiting to go up
    std::string oldestQueuedAt;     ///< created_at of the oldest, "" when none
    std::int64_t quarantined = 0;   ///< events HQ refused, waiting for a person
    std::string lastSuccessAt;      ///< "" when never
    std::string lastError;          ///< "" after a success
    std::int64_t cursor = 0;        ///< pull position
    std::int64_t conflicts = 0;     ///< open sync_conflicts: HQ's decisions and changes not applied
};

struct PushReport {
    std::int64_t sent = 0;          ///< marked sent (accepted or duplicate)
    std::int64_t duplicates = 0;
    std::int64_t quarantined = 0;
    std::int64_t batches = 0;
};

struct PullReport {
    std::int64_t changes = 0;
    std::int64_t cursor = 0;
};

/// The sync status of a store database without taking the lock (for `sync status` and the kiosk).
core::Result<SyncStatus> readSyncStatus(const std::string& dbPath);

class SyncClient {
public:
    /// Opens the store database and takes the sync lock (Busy when another process has it).
    static core::Result<std::unique_ptr<SyncClient>> open(const std::string& dbPath, HqConnection hq);
    ~SyncClient();
    SyncClient(const SyncClient&) = delete;
    SyncClient& operator=(const SyncClient&) = delete;

    /// Pushes until the queue is empty (or `maxBatches` batches). Io when HQ cannot be reached,
    /// Denied when it refuses the token.
    core::Result<PushReport> push(int maxBatches = 1'000'000);
    core::Result<PullReport> pull(int maxPages = 1'000);
    core::Result<SyncStatus> status();

    /// push() and pull() until stop(); `onChange` (any thread) after each round that changed something.
    void run(const std::function<void()>& onChange = {});
    void wake();
    void stop();

    struct Impl;

private:
    explicit SyncClient(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace showroom::sync
