// The print queue's promise: a job is stored before a byte goes out, waits (without failing) while the
// printer cannot take it, and is never printed twice as an original nor lost.
//
// The printer here is a scripted core::print::PrinterPort: core/ cannot reach real printers, and these
// tests pin down the queue's rules one failure at a time. The same rules run against the real TCP
// virtual printer in tests/devices/printer_ports_test.cpp and across a killed process in the CLI tests.
#include "showroom/core/print.hpp"
#include "showroom/core/store.hpp"

#include "store_fixture.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <utility>

namespace core = showroom::core;
using core::print::JobState;
using core::print::PrinterStatus;
using showroom::test::count;
using showroom::test::Store;

namespace {

class ScriptedPrinter final : public core::print::PrinterPort {
public:
    std::string describe() const override { return "scripted"; }
    core::Result<PrinterStatus> status() override {
        ++statusCalls;
        if (auto hook = std::exchange(onStatus, nullptr)) hook();
        if (!statusScript.empty()) {
            auto next = statusScript.front();
            statusScript.pop_front();
            return next;
        }
        if (unreachable) return core::fail(core::ErrorCode::Io, "cannot reach the printer: connection refused");
        return now;
    }
    core::print::SendResult send(std::string_view bytes) override {
        if (onSend) onSend();
        if (breakAfter) {
            const auto n = std::min(*breakAfter, bytes.size());
            received.emplace_back(bytes.substr(0, n));
            breakAfter.reset();
            return {core::fail(core::ErrorCode::Io, "the printer closed the connection during the job"), n};
        }
        received.emplace_back(bytes);
        return {};
    }

    PrinterStatus now;
    bool unreachable = false;
    std::deque<core::Result<PrinterStatus>> statusScript;   ///< answers before falling back to `now`
    std::optional<std::size_t> breakAfter;                  ///< the next send breaks after this many bytes
    std::function<void()> onSend, onStatus;   ///< run once, at the next send / status call
    std::vector<std::string> received;
    int statusCalls = 0;
};

PrinterStatus paperOut() {
    PrinterStatus s;
    s.paperOut = true;
    s.online = false;
    return s;
}

const std::string kPrinter = "tcp:192.0.2.10";

core::print::NewJob receipt(std::string ref = "R2026-000001") {
    return {"receipt", ref, kPrinter, "ORIGINAL " + ref, "COPY / REPRINT " + ref, ""};
}

struct Fixture {
    Store s;
    core::print::PrintQueue queue{s.ctx};
    ScriptedPrinter printer;

    core::print::Outcome next() {
        auto r = queue.printNext(kPrinter, printer);
        EXPECT_TRUE(r.ok()) << (r ? "" : r.error().message);
        EXPECT_TRUE(r.ok() && r->has_value()) << "no job to print";
        return r.ok() && r->has_value() ? **r : core::print::Outcome{};
    }
    core::print::Job job(std::int64_t id) { return queue.find(id).value(); }
};

// A process on this host that cannot be running: its pid is above any pid_max.
std::string deadToken() {
    const auto& mine = core::print::processToken();
    return mine.substr(0, mine.find('/')) + "/99999999/12345";
}

} // namespace

TEST(PrintQueue, AJobOfADeadProcessIsRecoveredAtOnceAndOfALiveOneOnlyWhenStale) {
    EXPECT_TRUE(core::print::processAlive(core::print::processToken()));
    EXPECT_FALSE(core::print::processAlive(deadToken()));
    EXPECT_FALSE(core::print::processAlive(""));
    EXPECT_TRUE(core::print::processAlive("some-other-host/1/1"));   // cannot be asked: staleness decides
    // This process's pid with another start time is a reused pid: not the sender.
    const auto& mine = core::print::processToken();
    EXPECT_FALSE(core::print::processAlive(mine.substr(0, mine.rfind('/')) + "/1"));
}

TEST(PrintQueue, AJobIsStoredBeforeAnythingIsSent) {
    Fixture f;
    auto job = f.queue.enqueue(receipt());
    ASSERT_TRUE(job.ok()) << job.error().message;
    EXPECT_EQ(job->state, JobState::Queued);
    EXPECT_EQ(job->attempts, 0);
    EXPECT_EQ(job->bytes, std::string("ORIGINAL R2026-000001").size());
    EXPECT_TRUE(f.printer.received.empty());
    EXPECT_EQ(count(f.s.conn, "SELECT count(*) FROM print_jobs WHERE state = 'queued'"), 1);
    EXPECT_EQ(count(f.s.conn, "SELECT count(*) FROM audit_log WHERE action = 'print_job.queued'"), 1);
}

TEST(PrintQueue, BadJobsAreRefused) {
    Fixture f;
    auto empty = receipt();
    empty.payload.clear();
    EXPECT_EQ(f.queue.enqueue(empty).error().code, core::ErrorCode::InvalidInput);
    auto noPrinter = receipt();
    noPrinter.printer.clear();
    EXPECT_EQ(f.queue.enqueue(noPrinter).error().code, core::ErrorCode::InvalidInput);
    auto kind = receipt();
    kind.kind = "poster";
    EXPECT_EQ(f.queue.enqueue(kind).error().code, core::ErrorCode::InvalidInput);
    EXPECT_EQ(count(f.s.conn, "SELECT count(*) FROM print_jobs"), 0);
}

TEST(PrintQueue, AReadyPrinterPrintsTheOriginalOnce) {
    Fixture f;
    const auto id = f.queue.enqueue(receipt())->id;
    const auto out = f.next();
    EXPECT_EQ(out.state, JobState::Printed);
    EXPECT_TRUE(out.sent);
    EXPECT_FALSE(out.asCopy);
    ASSERT_EQ(f.printer.received.size(), 1U);
    EXPECT_EQ(f.printer.received[0], "ORIGINAL R2026-000001");
    const auto j = f.job(id);
    EXPECT_EQ(j.state, JobState::Printed);
    EXPECT_EQ(j.attempts, 1);
    EXPECT_TRUE(j.printedAt.has_value());
    EXPECT_FALSE(j.printedAsCopy);
    // Nothing left: the queue says so and sends nothing more.
    auto more = f.queue.printNext(kPrinter, f.printer);
    ASSERT_TRUE(more.ok());
    EXPECT_FALSE(more->has_value());
    EXPECT_EQ(f.printer.received.size(), 1U);
}

TEST(PrintQueue, OutOfPaperTheJobWaitsWithoutUsingAnAttemptAndPrintsWhenPaperIsBack) {
    Fixture f;
    const auto id = f.queue.enqueue(receipt())->id;
    f.printer.now = paperOut();
    for (int i = 0; i < 10; ++i) {   // more waits than maxAttempts: waiting never fails a job
        const auto out = f.next();
        EXPECT_EQ(out.state, JobState::Queued);
        EXPECT_EQ(out.waitingFor, "paper_out");
        EXPECT_FALSE(out.sent);
    }
    EXPECT_TRUE(f.printer.received.empty());
    auto waiting = f.job(id);
    EXPECT_EQ(waiting.waitingFor, "paper_out");
    EXPECT_EQ(waiting.attempts, 0);

    f.printer.now = PrinterStatus{};
    EXPECT_EQ(f.next().state, JobState::Printed);
    ASSERT_EQ(f.printer.received.size(), 1U);
    EXPECT_EQ(f.printer.received[0], "ORIGINAL R2026-000001");   // nothing had printed: still the original
    EXPECT_EQ(f.job(id).waitingFor, "");
}

TEST(PrintQueue, CoverOpenOfflineAndUnreachableAreWaitsWithTheirReason) {
    Fixture f;
    const auto id = f.queue.enqueue(receipt())->id;
    PrinterStatus cover;
    cover.coverOpen = true;
    f.printer.now = cover;
    EXPECT_EQ(f.next().waitingFor, "cover_open");
    PrinterStatus offline;
    offline.online = false;
    f.printer.now = offline;
    EXPECT_EQ(f.next().waitingFor, "offline");
    f.printer.unreachable = true;
    f.printer.now = PrinterStatus{};
    const auto out = f.next();
    EXPECT_EQ(out.waitingFor, "unreachable");
    EXPECT_NE(f.job(id).lastError.find("connection refused"), std::string::npos);
    EXPECT_EQ(f.job(id).state, JobState::Queued);
    EXPECT_TRUE(f.printer.received.empty());
}

TEST(PrintQueue, AConnectionLostMidJobMeansTheRetryIsMarkedCopy) {
    Fixture f;
    const auto id = f.queue.enqueue(receipt())->id;
    f.printer.breakAfter = 5;
    const auto broken = f.next();
    EXPECT_EQ(broken.state, JobState::Queued);
    EXPECT_NE(broken.error.find("closed the connection"), std::string::npos);
    EXPECT_TRUE(f.job(id).uncertain);

    const auto retried = f.next();
    EXPECT_EQ(retried.state, JobState::Printed);
    EXPECT_TRUE(retried.asCopy);
    ASSERT_EQ(f.printer.received.size(), 2U);
    EXPECT_EQ(f.printer.received[1], "COPY / REPRINT R2026-000001");
    const auto j = f.job(id);
    EXPECT_TRUE(j.printedAsCopy);
    EXPECT_EQ(j.attempts, 2);
}

TEST(PrintQueue, NothingAcceptedMeansNothingPrintedSoTheRetryIsStillTheOriginal) {
    Fixture f;
    const auto id = f.queue.enqueue(receipt())->id;
    f.printer.breakAfter = 0;
    EXPECT_EQ(f.next().state, JobState::Queued);
    EXPECT_FALSE(f.job(id).uncertain);
    EXPECT_EQ(f.next().state, JobState::Printed);
    EXPECT_EQ(f.printer.received.back(), "ORIGINAL R2026-000001");
    EXPECT_FALSE(f.job(id).printedAsCopy);
}

TEST(PrintQueue, PaperRunningOutDuringTheJobMeansAReprintWhenPaperIsBack) {
    Fixture f;
    const auto id = f.queue.enqueue(receipt())->id;
    f.printer.statusScript = {PrinterStatus{}, paperOut()};   // fine before, out of paper after
    f.printer.now = paperOut();
    const auto out = f.next();
    EXPECT_EQ(out.state, JobState::Queued);
    EXPECT_EQ(out.waitingFor, "paper_out");
    EXPECT_TRUE(f.job(id).uncertain);
    EXPECT_EQ(f.next().waitingFor, "paper_out");   // waits; nothing sent
    EXPECT_EQ(f.printer.received.size(), 1U);
    f.printer.now = PrinterStatus{};
    EXPECT_EQ(f.next().state, JobState::Printed);
    EXPECT_EQ(f.printer.received.back(), "COPY / REPRINT R2026-000001");
}

TEST(PrintQueue, APrinterThatCannotBeAskedAfterTheJobCountsAsMaybePrinted) {
    Fixture f;
    const auto id = f.queue.enqueue(receipt())->id;
    f.printer.statusScript = {PrinterStatus{}, core::fail(core::ErrorCode::Io, "timed out")};
    EXPECT_EQ(f.next().state, JobState::Queued);
    EXPECT_TRUE(f.job(id).uncertain);
    EXPECT_EQ(f.next().state, JobState::Printed);
    EXPECT_EQ(f.printer.received.back(), "COPY / REPRINT R2026-000001");
}

TEST(PrintQueue, AJobLeftSendingByACrashIsReprintedAsACopyAfterRestart) {
    Fixture f;
    const auto id = f.queue.enqueue(receipt())->id;
    // The crash: the job was taken (committed as sending) and the process died during send().
    f.printer.onSend = [&] {
        f.printer.onSend = nullptr;
        // What a fresh process finds on start: the job sending, by a process that is gone. (A pid
        // above the kernel's pid_max cannot be running.)
        core::print::PrintQueue afterRestart(f.s.ctx);
        EXPECT_EQ(f.job(id).state, JobState::Sending);
        EXPECT_EQ(showroom::test::texts(f.s.conn, "SELECT sending_by FROM print_jobs").at(0), core::print::processToken());
        ASSERT_TRUE(f.s.conn.exec("UPDATE print_jobs SET sending_by = '" + deadToken() + "'").ok());
        auto recovered = afterRestart.recover();
        ASSERT_TRUE(recovered.ok());
        EXPECT_EQ(*recovered, 1);
    };
    f.printer.breakAfter = 3;   // and the dying process never finished its write
    (void)f.next();
    auto j = f.job(id);
    EXPECT_EQ(j.state, JobState::Queued);
    EXPECT_TRUE(j.uncertain);
    EXPECT_EQ(f.next().state, JobState::Printed);
    EXPECT_EQ(f.printer.received.back(), "COPY / REPRINT R2026-000001");
    EXPECT_EQ(count(f.s.conn, "SELECT count(*) FROM audit_log WHERE action = 'print_job.recovered'"), 1);
}

TEST(PrintQueue, AJobALiveProcessIsSendingHoldsTheLineUntilItGoesStale) {
    Fixture f;
    const auto first = f.queue.enqueue(receipt("R2026-000001"))->id;
    f.queue.enqueue(receipt("R2026-000002")).value();
    // Sending, by a process that runs (this one, as far as the queue can tell).
    ASSERT_TRUE(f.s.conn
                    .exec("UPDATE print_jobs SET state = 'sending', attempts = 1, sending_by = '" +
                          core::print::processToken() + "' WHERE id = " + std::to_string(first))
                    .ok());
    auto busy = f.next();
    EXPECT_EQ(busy.state, JobState::Sending);
    EXPECT_EQ(busy.waitingFor, "busy");
    EXPECT_TRUE(f.printer.received.empty());   // the second receipt does not jump ahead of the first
    // Recovery leaves a job alone while its sender runs.
    EXPECT_EQ(f.queue.recover().value(), 0);

    f.s.clock.set(f.s.clock.now() + core::print::kStaleSendingSeconds + 1);
    auto out = f.next();
    EXPECT_EQ(out.jobId, first);
    EXPECT_EQ(out.state, JobState::Printed);
    EXPECT_EQ(f.printer.received.back(), "COPY / REPRINT R2026-000001");
    EXPECT_EQ(f.next().state, JobState::Printed);
    EXPECT_EQ(f.printer.received.back(), "ORIGINAL R2026-000002");
}

TEST(PrintQueue, AnUnrecoverablePrinterErrorFailsTheJobAndRetryQueuesItAgain) {
    Fixture f;
    const auto id = f.queue.enqueue(receipt())->id;
    PrinterStatus jam;
    jam.error = true;
    jam.recoverable = false;
    f.printer.now = jam;
    const auto out = f.next();
    EXPECT_EQ(out.state, JobState::Failed);
    EXPECT_NE(f.job(id).lastError.find("cannot recover"), std::string::npos);
    EXPECT_TRUE(f.printer.received.empty());
    // A failed job is not picked up again by itself...
    auto none = f.queue.printNext(kPrinter, f.printer);
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value());
    // ...until someone clears the jam and retries it.
    f.printer.now = PrinterStatus{};
    auto retried = f.queue.retry(id);
    ASSERT_TRUE(retried.ok());
    EXPECT_EQ(retried->state, JobState::Queued);
    EXPECT_EQ(f.next().state, JobState::Printed);
    EXPECT_EQ(f.queue.retry(id).error().code, core::ErrorCode::InvalidTransition);
}

TEST(PrintQueue, SendsThatKeepBreakingFailAfterMaxAttemptsAndStayMarkedUncertain) {
    Store s;
    core::print::PrintQueue queue(s.ctx, 3);
    ScriptedPrinter printer;
    const auto id = queue.enqueue(receipt())->id;
    for (int i = 0; i < 3; ++i) {
        printer.breakAfter = 10;
        auto out = queue.printNext(kPrinter, printer);
        ASSERT_TRUE(out.ok() && out->has_value());
        EXPECT_EQ((*out)->state, i < 2 ? JobState::Queued : JobState::Failed);
    }
    auto j = queue.find(id).value();
    EXPECT_EQ(j.state, JobState::Failed);
    EXPECT_EQ(j.attempts, 3);
    EXPECT_TRUE(j.uncertain);
    EXPECT_NE(j.lastError.find("gave up after 3 attempts"), std::string::npos);
    auto again = queue.retry(id);
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again->uncertain);   // retrying does not forget that a copy may be out there
    EXPECT_EQ(again->attempts, 0);
}

TEST(PrintQueue, EachPrinterPrintsItsOwnJobsInOrder) {
    Fixture f;
    auto other = receipt("R2026-000002");
    other.printer = "usb:auto";
    f.queue.enqueue(receipt("R2026-000001")).value();
    f.queue.enqueue(other).value();
    f.queue.enqueue(receipt("R2026-000003")).value();
    EXPECT_EQ(f.queue.printersWithWork().value(), (std::vector<std::string>{kPrinter, "usb:auto"}));
    f.next();
    f.next();
    EXPECT_EQ(f.printer.received, (std::vector<std::string>{"ORIGINAL R2026-000001", "ORIGINAL R2026-000003"}));
    EXPECT_EQ(f.queue.printersWithWork().value(), (std::vector<std::string>{"usb:auto"}));
    EXPECT_EQ(f.queue.list(JobState::Printed).value().size(), 2U);
    EXPECT_EQ(f.queue.list().value().front().reference, "R2026-000003");   // newest first
}

TEST(PrintQueue, TwoQueuesOnOneDatabaseNeverBothSendTheSameJob) {
    Fixture f;
    const auto id = f.queue.enqueue(receipt())->id;
    auto second = core::openStore(f.s.conn.path());
    ASSERT_TRUE(second.ok());
    core::Context ctx2{*second, f.s.clock, f.s.ids, "kiosk"};
    core::print::PrintQueue other(ctx2);
    ScriptedPrinter printer2;
    // This queue has picked the job and is asking its printer; meanwhile the other process (its own
    // connection) takes the same job and prints it.
    f.printer.onStatus = [&] {
        auto took = other.printNext(kPrinter, printer2);
        ASSERT_TRUE(took.ok() && took->has_value());
        EXPECT_EQ((*took)->state, JobState::Printed);
    };
    auto mine = f.queue.printNext(kPrinter, f.printer);
    ASSERT_TRUE(mine.ok() && mine->has_value());
    EXPECT_FALSE((*mine)->sent);
    EXPECT_TRUE(f.printer.received.empty());
    EXPECT_EQ(printer2.received.size(), 1U);
    EXPECT_EQ(f.job(id).attempts, 1);
    EXPECT_EQ(f.job(id).state, JobState::Printed);
}
