#pragma once
// The print spooler: one thread that drains the print queue (core/print.hpp) to the printers.
//
// It opens its own connection to the store, recovers jobs a crash left `sending` (they reprint as
// COPY / REPRINT), then loops: for every printer with work, PrintQueue::printNext() until its queue is
// empty or it has to wait; a waiting printer (paper out, cover open, offline, unreachable) is asked
// again every `retryMs`; kick() wakes it at once when a job was queued. A printer's port is opened
// once and kept, so a TCP printer keeps its connection between jobs.
//
// What the kiosk shows comes from printers(): each printer's last status and why it waits, and from
// the print_jobs table (read on the kiosk's own connection). onChange is called on the spooler
// thread after anything changed; it must only post (e.g. an SDL user event), never block.
//
// Threads: start(), kick(), printers() and stop() may be called from any thread.

#include "showroom/core/print.hpp"
#include "showroom/core/result.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace showroom::devices::print {

class PrintSpooler {
public:
    using PortFactory =
        std::function<core::Result<std::unique_ptr<core::print::PrinterPort>>(std::string_view connection)>;

    struct Options {
        std::string dbPath;
        PortFactory openPort;              ///< default: openPrinterPort
        int retryMs = 2000;                ///< how often a waiting printer is asked again
        std::function<void()> onChange;    ///< called on the spooler thread after a job or printer changed
    };

    struct PrinterState {
        std::string printer;               ///< connection string
        std::string description;           ///< PrinterPort::describe()
        std::optional<core::print::PrinterStatus> status;  ///< last answer, nullopt when unreachable
        std::string waitingFor;            ///< "" or paper_out, cover_open, offline, error, unreachable, busy
        std::string lastError;
    };

    /// Opens the store, recovers interrupted jobs and starts the thread. Errors opening the store.
    static core::Result<std::unique_ptr<PrintSpooler>> start(Options options);
    ~PrintSpooler();
    PrintSpooler(const PrintSpooler&) = delete;
    PrintSpooler& operator=(const PrintSpooler&) = delete;

    void kick();                            ///< a job was queued: look now
    std::vector<PrinterState> printers() const;
    int recoveredAtStart() const;           ///< jobs found `sending` at start
    void stop();                            ///< finishes the job being sent, then returns

    struct State;

private:
    explicit PrintSpooler(std::shared_ptr<State> state);
    std::shared_ptr<State> m_state;
};

} // namespace showroom::devices::print
