#pragma once
// Printing without losing a receipt: the printer port and the print queue.
//
// Every job is written to SQLite (print_jobs, migration 0003) before a byte goes to the printer, and
// moves queued -> sending -> printed | failed, counting attempts and keeping the last error.
//
// The rules PrintQueue::printNext() follows, one job at a time, oldest first, per printer:
//  - Before sending it asks the printer (PrinterPort::status). Paper out, cover open, offline or
//    unreachable: the job stays queued with `waitingFor` set ("paper_out", "cover_open", "offline",
//    "unreachable", "error") and no attempt is counted; waiting never fails a job.
//  - The job becomes `sending` (attempts + 1) in a committed transaction, then the bytes go out.
//  - Every byte accepted and the printer fine afterwards: printed.
//  - Nothing accepted (refused connection, no byte written): queued again, nothing can have printed.
//  - Some or all bytes accepted but the connection broke, or the printer ran out of paper or opened
//    its cover during the job: whether the paper came out whole is unknown. The job is queued again
//    and marked `uncertain`; every later send uses the job's reprint payload, which says
//    "COPY / REPRINT". Never a silent second original, never a silent loss.
//  - A printer error that is not recoverable (cutter jam, head fault) or `maxAttempts` sends that
//    all broke: failed, with the last error. `printer queue --retry ID` (PrintQueue::retry) puts a
//    failed job back in the queue, still marked uncertain when it was.
//  - After a crash or a power cycle, jobs left `sending` may or may not have printed. A sending job
//    records which process sends it (host, pid and start time); recover() (call it at start) and
//    printNext() queue a job again, marked uncertain, as soon as that process is gone, or when it
//    has been sending for longer than kStaleSendingSeconds (a process on another host, a reused pid).
//    While its sender lives, a sending job holds its printer's line: receipts come out in order.
//
// Threading: a PrintQueue uses its Context's connection on that connection's thread. Two queues on
// two connections to the same database may run at once (the kiosk's spooler thread and the CLI):
// taking a job is a single UPDATE ... WHERE state = 'queued', so a job is sent by one of them only.

#include "showroom/core/journal.hpp"
#include "showroom/core/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace showroom::core::print {

/// What a printer says about itself. ESC/POS printers answer DLE EOT 1..4 (parsed in devices/);
/// a plain file or a one-way device cannot be asked and reports `known = false`.
struct PrinterStatus {
    bool known = true;          ///< false: nobody can tell (file, write-only device): treated as ready
    bool online = true;
    bool coverOpen = false;
    bool paperNearEnd = false;  ///< still prints; the kiosk warns
    bool paperOut = false;
    bool error = false;         ///< the printer stopped on an error
    bool recoverable = true;    ///< the error clears by itself or by closing the cover (else: failed)
    bool drawerOpen = false;    ///< cash drawer sensor (DLE EOT 1, bit 2)

    /// Ready to take a job: online, cover closed, paper present, no error (or nothing known).
    bool ready() const;
    /// Why it is not ready: "paper_out", "cover_open", "error", "offline"; "" when ready.
    std::string_view blocker() const;
};

/// The outcome of writing a job's bytes to a printer.
struct SendResult {
    Status status;              ///< ok when every byte was accepted
    std::size_t written = 0;    ///< bytes accepted before a failure (all of them on success)
};

/// One printer connection (devices/: USB, raw TCP 9100, device path or file, virtual).
/// Implementations reconnect by themselves: a port that lost its printer tries again on the next call.
class PrinterPort {
public:
    virtual ~PrinterPort() = default;
    /// Short, for lists and the kiosk's status screen: "tcp 192.168.1.50:9100", "usb 04b8:0202".
    virtual std::string describe() const = 0;
    /// Asks the printer how it is. Io when it cannot be reached (unplugged, refused, timed out).
    virtual Result<PrinterStatus> status() = 0;
    /// Writes a whole job. On failure `written` tells how far it got.
    virtual SendResult send(std::string_view bytes) = 0;
};

enum class JobState { Queued, Sending, Printed, Failed };
std::string_view toString(JobState);
Result<JobState> parseJobState(std::string_view);

/// What to print. `payload` is the original; `reprintPayload` is the same document marked
/// "COPY / REPRINT", sent instead whenever an earlier send may have printed.
struct NewJob {
    std::string kind;        ///< "receipt", "test"
    std::string reference;   ///< what the job prints, e.g. the receipt number "R2026-000012"
    std::string printer;     ///< connection string of the printer it goes to
    std::string payload, reprintPayload;
    std::string dealId;      ///< "" when the job belongs to no deal
};

struct Job {
    std::int64_t id = 0;
    std::string kind, reference, printer, dealId;
    JobState state = JobState::Queued;
    int attempts = 0;           ///< sends started
    bool uncertain = false;     ///< an earlier send may have printed: later sends say COPY / REPRINT
    std::string waitingFor;     ///< "" or why the printer cannot take it now (see PrinterStatus::blocker, "unreachable")
    std::string lastError;
    std::string createdAt, updatedAt;
    std::optional<std::string> printedAt;
    bool printedAsCopy = false; ///< it was the reprint payload that printed
    std::size_t bytes = 0;
};

/// What one printNext() call did.
struct Outcome {
    std::int64_t jobId = 0;
    JobState state = JobState::Queued;   ///< where the job is now
    bool sent = false;                   ///< bytes went to the printer this time
    bool asCopy = false;                 ///< they were the reprint payload
    std::string waitingFor;              ///< set when the job waits for the printer
    std::string error;                   ///< what went wrong, if anything
};

/// A job `sending` for this long is taken to be abandoned, whoever says they are sending it.
inline constexpr int kStaleSendingSeconds = 120;

/// This process as print_jobs.sending_by records it: "HOST/PID/START" (START from /proc, in clock ticks).
const std::string& processToken();
/// False when `token` names a process on this host that has ended (or "" ); true when it runs, or
/// when it is on another host and cannot be asked.
bool processAlive(std::string_view token);

class PrintQueue {
public:
    explicit PrintQueue(Context& ctx, int maxAttempts = 5) : m_ctx(ctx), m_maxAttempts(maxAttempts) {}

    /// Stores a job (queued) and commits before returning. InvalidInput for an empty payload or printer.
    Result<Job> enqueue(const NewJob& job);
    Result<Job> find(std::int64_t id);
    /// Newest first; only jobs in `state` when given.
    Result<std::vector<Job>> list(std::optional<JobState> state = std::nullopt, int limit = 100);
    /// Printers with queued or sending jobs (their connection strings), oldest job first.
    Result<std::vector<std::string>> printersWithWork();
    /// Jobs whose sending process is gone (or that have been sending too long) become queued and
    /// uncertain. Returns how many.
    Result<int> recover();
    /// Runs the oldest unfinished job of `printer` through `port` (see the rules above).
    /// nullopt when that printer has nothing to print.
    Result<std::optional<Outcome>> printNext(std::string_view printer, PrinterPort& port);
    /// failed -> queued with a fresh count of attempts (keeps `uncertain`). InvalidTransition for a
    /// job that has not failed.
    Result<Job> retry(std::int64_t id);
    /// The stored bytes a job would send now (the reprint payload when uncertain).
    Result<std::string> payloadToSend(std::int64_t id);

private:
    Context& m_ctx;
    int m_maxAttempts;
};

} // namespace showroom::core::print
