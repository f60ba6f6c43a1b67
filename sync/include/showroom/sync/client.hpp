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
    std::int64_t conflicts = 0;     ///< conflicts HQ reported that wait for a person
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
