#include "showroom/core/print.hpp"

#include "showroom/core/clock.hpp"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <fstream>
#include <sstream>

namespace showroom::core::print {

namespace {

constexpr std::string_view kJobColumns =
    "id, kind, reference, printer, coalesce(deal_id, ''), state, attempts, uncertain, waiting_for, last_error, "
    "created_at, updated_at, printed_at, printed_as_copy, length(payload)";

Result<Job> readJob(const db::Statement& s) {
    Job j;
    j.id = s.getInt(0);
    j.kind = s.getText(1);
    j.reference = s.getText(2);
    j.printer = s.getText(3);
    j.dealId = s.getText(4);
    auto state = parseJobState(s.getText(5));
    if (!state) return state.error();
    j.state = *state;
    j.attempts = static_cast<int>(s.getInt(6));
    j.uncertain = s.getInt(7) != 0;
    j.waitingFor = s.getText(8);
    j.lastError = s.getText(9);
    j.createdAt = s.getText(10);
    j.updatedAt = s.getText(11);
    j.printedAt = s.getOptionalText(12);
    j.printedAsCopy = s.getInt(13) != 0;
    j.bytes = static_cast<std::size_t>(s.getInt(14));
    return j;
}

Result<std::vector<Job>> readJobs(db::Statement& s) {
    std::vector<Job> out;
    for (;;) {
        auto row = s.step();
        if (!row) return row.error();
        if (!*row) return out;
        auto job = readJob(s);
        if (!job) return job.error();
        out.push_back(std::move(*job));
    }
}

// One UPDATE in its own (autocommit) statement: every state change is durable the moment it returns.
template <class... Args>
Status update(Context& ctx, std::string_view sql, const Args&... args) {
    auto stmt = ctx.db.prepare(sql);
    if (!stmt) return stmt.error();
    return stmt->bindAll(args...).run();
}

// Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot; "" when unknown.
std::string startTime(long pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    if (!std::getline(in, stat)) return "";
    const auto close = stat.rfind(')');   // the command name may hold spaces and parentheses
    if (close == std::string::npos) return "";
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    for (int i = 3; i <= 22 && fields >> field; ++i)
        if (i == 22) return field;
    return "";
}

std::string hostName() {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0) return "localhost";
    return host;
}

} // namespace

const std::string& processToken() {
    static const std::string token = [] {
        const long pid = static_cast<long>(::getpid());
        return hostName() + "/" + std::to_string(pid) + "/" + startTime(pid);
    }();
    return token;
}

bool processAlive(std::string_view token) {
    const auto a = token.find('/'), b = token.rfind('/');
    if (a == std::string_view::npos || a == b) return false;
    if (token.substr(0, a) != hostName()) return true;   // another host: only staleness can tell
    long pid = 0;
    try {
        pid = std::stol(std::string(token.substr(a + 1, b - a - 1)));
    } catch (...) {
        return false;
    }
    const auto started = startTime(pid);
    return !started.empty() && started == token.substr(b + 1);   // a reused pid has another start time
}

bool PrinterStatus::ready() const { return !known || blocker().empty(); }

std::string_view PrinterStatus::blocker() const {
    if (!known) return "";
    if (paperOut) return "paper_out";
    if (coverOpen) return "cover_open";
    if (error) return "error";
    if (!online) return "offline";
    return "";
}

std::string_view toString(JobState s) {
    switch (s) {
    case JobState::Queued: return "queued";
    case JobState::Sending: return "sending";
    case JobState::Printed: return "printed";
    case JobState::Failed: return "failed";
    }
    return "queued";
}

Result<JobState> parseJobState(std::string_view text) {
    for (auto s : {JobState::Queued, JobState::Sending, JobState::Printed, JobState::Failed})
        if (toString(s) == text) return s;
    return fail(ErrorCode::InvalidInput, "unknown print job state '" + std::string(text) +
                                             "' (queued, sending, printed, failed)");
}

Result<Job> PrintQueue::enqueue(const NewJob& job) {
    if (job.payload.empty() || job.reprintPayload.empty())
        return fail(ErrorCode::InvalidInput, "a print job needs its bytes (and its reprint bytes)");
    if (job.printer.empty()) return fail(ErrorCode::InvalidInput, "a print job needs a printer");
    if (job.kind != "receipt" && job.kind != "test")
        return fail(ErrorCode::InvalidInput, "unknown print job kind '" + job.kind + "' (receipt, test)");
    auto tx = db::Transaction::begin(m_ctx.db);
    if (!tx) return tx.error();
    const std::string now = m_ctx.now();
    auto stmt = m_ctx.db.prepare(
        "INSERT INTO print_jobs(kind, reference, printer, deal_id, payload, reprint_payload, state, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?)");
    if (!stmt) return stmt.error();
    stmt->bindAll(job.kind, job.reference, job.printer,
                  job.dealId.empty() ? std::optional<std::string>() : std::optional<std::string>(job.dealId));
    stmt->bindBlob(5, job.payload).bindBlob(6, job.reprintPayload).bind(7, now).bind(8, now);
    if (auto st = stmt->run(); !st) return st.error();
    const auto id = m_ctx.db.lastInsertRowId();
    if (auto st = record(m_ctx, "print_job.queued", "print_job", std::to_string(id),
                         {{"kind", job.kind}, {"reference", job.reference}, {"printer", job.printer},
                          {"bytes", job.payload.size()}},
                         Sync::No);
        !st)
        return st.error();
    if (auto st = tx->commit(); !st) return st.error();
    return find(id);
}

Result<Job> PrintQueue::find(std::int64_t id) {
    auto stmt = m_ctx.db.prepare("SELECT " + std::string(kJobColumns) + " FROM print_jobs WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bindAll(id);
    auto jobs = readJobs(*stmt);
    if (!jobs) return jobs.error();
    if (jobs->empty()) return fail(ErrorCode::NotFound, "no print job " + std::to_string(id));
    return std::move(jobs->front());
}

Result<std::vector<Job>> PrintQueue::list(std::optional<JobState> state, int limit) {
    auto stmt = m_ctx.db.prepare("SELECT " + std::string(kJobColumns) +
                                 " FROM print_jobs WHERE ? IS NULL OR state = ? ORDER BY id DESC LIMIT ?");
    if (!stmt) return stmt.error();
    const auto s = state ? std::optional<std::string>(std::string(toString(*state))) : std::nullopt;
    stmt->bindAll(s, s, limit);
    return readJobs(*stmt);
}

Result<std::vector<std::string>> PrintQueue::printersWithWork() {
    auto stmt = m_ctx.db.prepare("SELECT printer FROM print_jobs WHERE state IN ('queued', 'sending') "
                                 "GROUP BY printer ORDER BY min(id)");
    if (!stmt) return stmt.error();
    std::vector<std::string> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) return out;
        out.push_back(stmt->getText(0));
    }
}

Result<int> PrintQueue::recover() {
    auto tx = db::Transaction::begin(m_ctx.db);
    if (!tx) return tx.error();
    auto sending = m_ctx.db.prepare("SELECT id, sending_by, updated_at FROM print_jobs WHERE state = 'sending'");
    if (!sending) return sending.error();
    std::vector<std::int64_t> abandoned;
    for (;;) {
        auto row = sending->step();
        if (!row) return row.error();
        if (!*row) break;
        const auto since = parseUtc(sending->getText(2));
        const bool stale = !since || *since <= m_ctx.clock.now() - kStaleSendingSeconds;
        if (stale || !processAlive(sending->getText(1))) abandoned.push_back(sending->getInt(0));
    }
    for (const auto id : abandoned) {
        SHOWROOM_TRY(update(m_ctx,
                            "UPDATE print_jobs SET state = 'queued', uncertain = 1, sending_by = '', updated_at = ?, "
                            "last_error = 'interrupted while sending (crash or power cut): it may have printed, so "
                            "the next print is marked COPY / REPRINT' WHERE id = ? AND state = 'sending'",
                            m_ctx.now(), id));
        SHOWROOM_TRY(record(m_ctx, "print_job.recovered", "print_job", std::to_string(id), nlohmann::json::object(),
                            Sync::No));
    }
    if (auto st = tx->commit(); !st) return st.error();
    return static_cast<int>(abandoned.size());
}

Result<std::optional<Outcome>> PrintQueue::printNext(std::string_view printer, PrinterPort& port) {
    // The oldest unfinished job of this printer; a job another process is sending right now holds the
    // line (receipts come out in order), one left `sending` for long by a dead process is recovered.
    auto next = m_ctx.db.prepare("SELECT " + std::string(kJobColumns) +
                                 " FROM print_jobs WHERE printer = ? AND state IN ('queued', 'sending') "
                                 "ORDER BY id LIMIT 1");
    if (!next) return next.error();
    next->bindAll(printer);
    auto jobs = readJobs(*next);
    if (!jobs) return jobs.error();
    if (jobs->empty()) return std::optional<Outcome>();
    Job job = std::move(jobs->front());
    Outcome out;
    out.jobId = job.id;
    if (job.state == JobState::Sending) {
        if (auto n = recover(); !n) return n.error();
        auto again = find(job.id);
        if (!again) return again.error();
        if (again->state == JobState::Sending) {   // its sender is alive and well: wait our turn
            out.state = JobState::Sending;
            out.waitingFor = "busy";
            return std::optional<Outcome>(out);
        }
        job = std::move(*again);
    }

    // Before: can the printer take it?
    auto before = port.status();
    if (!before || !before->ready()) {
        std::string why, error;
        if (!before) {
            why = "unreachable";
            error = before.error().message;
        } else {
            why = std::string(before->blocker());
            error = "the printer reports " + why;
            if (before->error && !before->recoverable) {
                error = "the printer stopped on an error it cannot recover from (cutter jam or head fault): "
                        "clear it, then retry the job";
                SHOWROOM_TRY(update(m_ctx,
                                    "UPDATE print_jobs SET state = 'failed', waiting_for = '', last_error = ?, "
                                    "updated_at = ? WHERE id = ?",
                                    error, m_ctx.now(), job.id));
                SHOWROOM_TRY(record(m_ctx, "print_job.failed", "print_job", std::to_string(job.id),
                                    {{"error", error}}, Sync::No));
                out.state = JobState::Failed;
                out.error = error;
                return std::optional<Outcome>(out);
            }
        }
        SHOWROOM_TRY(update(m_ctx,
                            "UPDATE print_jobs SET waiting_for = ?, last_error = ?, updated_at = ? WHERE id = ? "
                            "AND state = 'queued'",
                            why, error, m_ctx.now(), job.id));
        out.waitingFor = why;
        out.error = error;
        return std::optional<Outcome>(out);
    }

    // Take it: committed before the first byte goes out, so a crash from here on is seen by recover().
    SHOWROOM_TRY(update(m_ctx,
                        "UPDATE print_jobs SET state = 'sending', attempts = attempts + 1, waiting_for = '', "
                        "sending_by = ?, updated_at = ? WHERE id = ? AND state = 'queued'",
                        processToken(), m_ctx.now(), job.id));
    if (m_ctx.db.changes() != 1) {   // another queue took it between the SELECT and here
        out.state = JobState::Sending;
        out.waitingFor = "busy";
        return std::optional<Outcome>(out);
    }
    ++job.attempts;
    auto payload = payloadToSend(job.id);
    if (!payload) return payload.error();
    out.sent = true;
    out.asCopy = job.uncertain;
    const auto sent = port.send(*payload);

    // After: did it come out whole?
    std::string problem;
    bool mayHavePrinted = false;
    if (!sent.status) {
        problem = sent.status.error().message;
        mayHavePrinted = sent.written > 0;
    } else if (auto after = port.status(); !after) {
        problem = "the printer could not be asked after the job (" + after.error().message + ")";
        mayHavePrinted = true;
    } else if (after->paperOut || after->coverOpen || (after->error)) {
        problem = "the printer reported " + std::string(after->blocker()) + " during the job";
        mayHavePrinted = true;
        out.waitingFor = std::string(after->blocker());
    }

    const std::string now = m_ctx.now();
    if (problem.empty()) {
        SHOWROOM_TRY(update(m_ctx,
                            "UPDATE print_jobs SET state = 'printed', printed_at = ?, printed_as_copy = ?, "
                            "last_error = '', sending_by = '', updated_at = ? WHERE id = ?",
                            now, job.uncertain ? 1 : 0, now, job.id));
        SHOWROOM_TRY(record(m_ctx, "print_job.printed", "print_job", std::to_string(job.id),
                            {{"reference", job.reference}, {"copy", job.uncertain}, {"attempts", job.attempts}},
                            Sync::No));
        out.state = JobState::Printed;
        return std::optional<Outcome>(out);
    }
    const bool uncertain = job.uncertain || mayHavePrinted;
    const bool give_up = job.attempts >= m_maxAttempts;
    if (give_up)
        problem += " (gave up after " + std::to_string(job.attempts) + " attempts: retry it from the print queue)";
    SHOWROOM_TRY(update(m_ctx,
                        "UPDATE print_jobs SET state = ?, uncertain = ?, last_error = ?, waiting_for = ?, "
                        "sending_by = '', updated_at = ? WHERE id = ?",
                        give_up ? "failed" : "queued", uncertain ? 1 : 0, problem, out.waitingFor, now, job.id));
    if (give_up)
        SHOWROOM_TRY(record(m_ctx, "print_job.failed", "print_job", std::to_string(job.id), {{"error", problem}},
                            Sync::No));
    out.state = give_up ? JobState::Failed : JobState::Queued;
    out.error = problem;
    return std::optional<Outcome>(out);
}

Result<Job> PrintQueue::retry(std::int64_t id) {
    auto job = find(id);
    if (!job) return job.error();
    if (job->state != JobState::Failed)
        return fail(ErrorCode::InvalidTransition,
                    "print job " + std::to_string(id) + " is " + std::string(toString(job->state)) + ", not failed");
    SHOWROOM_TRY(update(m_ctx, "UPDATE print_jobs SET state = 'queued', attempts = 0, updated_at = ? WHERE id = ?",
                        m_ctx.now(), id));
    SHOWROOM_TRY(record(m_ctx, "print_job.retried", "print_job", std::to_string(id), {{"uncertain", job->uncertain}},
                        Sync::No));
    return find(id);
}

Result<std::string> PrintQueue::payloadToSend(std::int64_t id) {
    auto stmt = m_ctx.db.prepare("SELECT CASE uncertain WHEN 1 THEN reprint_payload ELSE payload END "
                                 "FROM print_jobs WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bindAll(id);
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return fail(ErrorCode::NotFound, "no print job " + std::to_string(id));
    return stmt->getBlob(0);
}

} // namespace showroom::core::print
