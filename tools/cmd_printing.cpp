// `showroom receipt print|render` and `showroom printer status|queue|virtual`: receipts through the
// print queue, the queue itself, and the virtual receipt printer.
//
// Exit codes: 0 printed / ready / served; 2 bad input (a bad connection string, an unknown deal,
// no payment to receipt); 1 anything else, including a receipt that is safely queued but not printed
// yet when --wait runs out (its JSON says "state": "queued" and why it waits).
#include "cli.hpp"

#include "showroom/core/deals.hpp"
#include "showroom/core/print.hpp"
#include "showroom/core/receipt.hpp"
#include "showroom/devices/print/bitmap.hpp"
#include "showroom/devices/print/printer_ports.hpp"
#include "showroom/devices/print/receipt_escpos.hpp"
#include "showroom/devices/print/receipt_job.hpp"
#include "showroom/devices/print/virtual_printer.hpp"

#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

namespace showroom::cli {

namespace {

namespace print = devices::print;
using core::print::JobState;

nlohmann::json statusJson(const core::print::PrinterStatus& s) {
    return {{"known", s.known},           {"ready", s.ready()},
            {"blocker", s.blocker()},     {"online", s.online},
            {"cover_open", s.coverOpen},  {"paper_near_end", s.paperNearEnd},
            {"paper_out", s.paperOut},    {"error", s.error},
            {"recoverable", s.recoverable}, {"drawer_open", s.drawerOpen}};
}

nlohmann::json jobJson(const core::print::Job& j) {
    return {{"id", j.id},
            {"kind", j.kind},
            {"reference", j.reference},
            {"printer", j.printer},
            {"state", core::print::toString(j.state)},
            {"attempts", j.attempts},
            {"uncertain", j.uncertain},
            {"waiting_for", j.waitingFor},
            {"last_error", j.lastError},
            {"created_at", j.createdAt},
            {"updated_at", j.updatedAt},
            {"printed_at", j.printedAt ? nlohmann::json(*j.printedAt) : nlohmann::json()},
            {"printed_as_copy", j.printedAsCopy},
            {"bytes", j.bytes}};
}

// What a waiting printer needs from a person, for the human output.
std::string waitingText(std::string_view why) {
    if (why == "paper_out") return "the printer is out of paper";
    if (why == "cover_open") return "the printer's cover is open";
    if (why == "offline") return "the printer is offline";
    if (why == "unreachable") return "the printer cannot be reached";
    if (why == "busy") return "another program is printing on it";
    if (why == "error") return "the printer reports an error";
    return std::string(why);
}

// Runs the queue of `printer` until job `jobId` is printed or failed, or `waitSeconds` pass.
core::Result<core::print::Job> printUntilDone(core::Context& ctx, core::print::PrinterPort& port,
                                              const std::string& printer, std::int64_t jobId, int waitSeconds) {
    core::print::PrintQueue queue(ctx);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(waitSeconds);
    for (;;) {
        auto out = queue.printNext(printer, port);
        if (!out) return out.error();
        auto job = queue.find(jobId);
        if (!job) return job.error();
        if (job->state == JobState::Printed || job->state == JobState::Failed) return job;
        // Jobs ahead of ours printed, or a send broke: go on at once; a waiting printer: ask again soon.
        const bool waiting = out->has_value() && !(*out)->waitingFor.empty();
        if (std::chrono::steady_clock::now() >= deadline) {
            // Behind an older job only that job records why the printer waits; ours waits for the same.
            if (waiting && job->waitingFor.empty()) job->waitingFor = (*out)->waitingFor;
            return job;
        }
        if (waiting) std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
}

core::Result<core::ReceiptDocument> findReceipt(core::Context& ctx, const std::string& deal, const std::string& payment,
                                                const std::string& language) {
    if (!payment.empty()) return core::receiptForPayment(ctx, payment, language);
    return core::receiptForDeal(ctx, deal, language);
}

core::Status writeFile(const std::string& path, std::string_view bytes) {
    const std::string partial = path + ".partial";
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        if (!out || !out.write(bytes.data(), static_cast<std::streamsize>(bytes.size())))
            return core::fail(core::ErrorCode::Io, "cannot write " + partial);
    }
    std::error_code ec;
    std::filesystem::rename(partial, path, ec);
    if (ec) return core::fail(core::ErrorCode::Io, "cannot write " + path + ": " + ec.message());
    return {};
}

struct ReceiptFlags {
    std::string deal, payment, printer, out, language = "en", logo, profile = "80mm";
    bool drawer = false, reprint = false;
    int wait = 30;
};

void addReceiptCommands(CLI::App& app, Cli& cli) {
    auto* receipt = app.add_subcommand("receipt", "Payment receipts on ESC/POS printers");
    receipt->require_subcommand(1);
    auto f = std::make_shared<ReceiptFlags>();
    auto common = [f](CLI::App* cmd) {
        cmd->add_option("--deal", f->deal, "Deal id or number: the receipt of its newest payment");
        cmd->add_option("--payment", f->payment, "A payment id or receipt number (instead of the newest)");
        cmd->add_option("--lang", f->language, "en or zh-CN")->check(CLI::IsMember({"en", "zh-CN"}))->capture_default_str();
    };
    {
        auto* cmd = receipt->add_subcommand("print", "Queue a receipt for a printer and print it");
        common(cmd);
        cmd->add_option("--printer", f->printer,
                        "tcp:HOST[:PORT], usb:VID:PID, usb:auto, dev:PATH, file:PATH (each with #80mm, #80mm-42, "
                        "#58mm, +gb18030)")
            ->required();
        cmd->add_option("--wait", f->wait, "Seconds to keep trying before leaving the job in the queue")
            ->check(CLI::Range(0, 3600))
            ->capture_default_str();
        cmd->add_flag("--drawer", f->drawer, "Open the cash drawer for a cash payment");
        cmd->add_option("--logo", f->logo, "PNG printed at the top");
        cli.on(cmd, [&cli, f] {
            if (f->deal.empty() && f->payment.empty())
                return cli.report(core::fail(core::ErrorCode::InvalidInput, "give --deal ID or --payment RECEIPT_NO"));
            auto port = print::openPrinterPort(f->printer);
            if (!port) return cli.report(port.error());
            std::optional<print::Bitmap> logo;
            if (!f->logo.empty()) {
                auto l = print::loadBitmap(f->logo, print::parsePrinterConnection(f->printer)->profile.dotsPerLine);
                if (!l) return cli.report(l.error());
                logo = std::move(*l);
            }
            auto conn = cli.openStore();
            if (!conn) return Exit::Failure;
            auto ctx = cli.context(*conn);
            auto doc = findReceipt(ctx, f->deal, f->payment, f->language);
            if (!doc) return cli.report(doc.error());
            auto job = print::receiptJob(*doc, f->printer, {f->drawer, logo ? &*logo : nullptr});
            if (!job) return cli.report(job.error());
            if (auto deal = core::Deals(ctx).find(doc->dealNo); deal) job->dealId = deal->id;
            core::print::PrintQueue queue(ctx);
            // A job some dead process left half-sent on this printer goes first, marked as a copy.
            if (auto r = queue.recover(); !r) return cli.report(r.error());
            auto queued = queue.enqueue(*job);
            if (!queued) return cli.report(queued.error());
            auto done = printUntilDone(ctx, **port, f->printer, queued->id, f->wait);
            if (!done) return cli.report(done.error());
            if (cli.globals.json) {
                auto j = jobJson(*done);
                j["receipt_no"] = doc->receiptNo;
                j["deal_no"] = doc->dealNo;
                cli.printJson(j);
            } else if (done->state == JobState::Printed) {
                std::cout << "Receipt " << doc->receiptNo << " printed on " << (*port)->describe()
                          << (done->printedAsCopy ? " (marked COPY / REPRINT: an earlier attempt may have printed)" : "")
                          << "\n";
            } else if (done->state == JobState::Failed) {
                std::cerr << "showroom: receipt " << doc->receiptNo << " (job " << done->id << ") failed: " << done->lastError
                          << "\n";
            } else {
                std::cerr << "showroom: receipt " << doc->receiptNo << " is queued as job " << done->id
                          << " and not printed yet: " << waitingText(done->waitingFor)
                          << (done->lastError.empty() ? "" : " (" + done->lastError + ")")
                          << ". It prints when the printer is back (the kiosk, or `showroom printer queue --run`).\n";
            }
            return done->state == JobState::Printed ? Exit::Ok : Exit::Failure;
        });
    }
    {
        auto* cmd = receipt->add_subcommand("render", "Write a receipt as ESC/POS bytes (.bin), a picture (.png) or text (.txt)");
        common(cmd);
        cmd->add_option("--out", f->out, "FILE.bin, FILE.png or FILE.txt")->required();
        cmd->add_option("--profile", f->profile, "80mm, 80mm-42 or 58mm, optionally +gb18030")->capture_default_str();
        cmd->add_flag("--reprint", f->reprint, "Mark it COPY / REPRINT");
        cli.on(cmd, [&cli, f] {
            if (f->deal.empty() && f->payment.empty())
                return cli.report(core::fail(core::ErrorCode::InvalidInput, "give --deal ID or --payment RECEIPT_NO"));
            const auto ext = std::filesystem::path(f->out).extension().string();
            if (ext != ".bin" && ext != ".png" && ext != ".txt")
                return cli.report(core::fail(core::ErrorCode::InvalidInput, "--out must end in .bin, .png or .txt"));
            auto profile = devices::escpos::PrinterProfile::named(f->profile);
            if (!profile) return cli.report(profile.error());
            auto conn = cli.openStore();
            if (!conn) return Exit::Failure;
            auto ctx = cli.context(*conn);
            auto doc = findReceipt(ctx, f->deal, f->payment, f->language);
            if (!doc) return cli.report(doc.error());
            devices::escpos::ReceiptOptions options;
            options.profile = *profile;
            options.reprint = f->reprint;
            options.raster = print::sharedRasterizer();
            const auto signature = print::buyerSignature(*doc, profile->dotsPerLine);
            options.signature = signature ? &*signature : nullptr;
            auto bytes = devices::escpos::encodeReceipt(*doc, options);
            if (!bytes) return cli.report(bytes.error());
            std::string out = *bytes;
            if (ext != ".bin") {
                auto paper = print::renderEscPos(*bytes, *profile, print::sharedRasterizer());
                if (paper.empty()) return cli.report(core::fail(core::ErrorCode::Internal, "the receipt printed nothing"));
                if (ext == ".txt") {
                    out = paper.front().text;
                } else {
                    auto png = print::encodePng(paper.front().paper);
                    if (!png) return cli.report(png.error());
                    out = std::move(*png);
                }
            }
            if (auto st = writeFile(f->out, out); !st) return cli.report(st.error());
            if (cli.globals.json)
                cli.printJson({{"receipt_no", doc->receiptNo}, {"deal_no", doc->dealNo}, {"kind", core::toString(doc->kind)},
                               {"path", f->out}, {"bytes", out.size()}});
            else
                std::cout << "Receipt " << doc->receiptNo << " written to " << f->out << "\n";
            return Exit::Ok;
        });
    }
}

std::atomic<bool> g_stop{false};
extern "C" void onStopSignal(int) { g_stop = true; }

struct VirtualFlags {
    std::string listen = "127.0.0.1:9100", profile = "80mm", out;
    bool paperOut = false, coverOpen = false;
    long long dropAfter = -1, paperOutAfter = -1;
    int idleCloseMs = 0, bytesPerSecond = 0, seconds = 0;
};

// One line on stdin changes the printer: "paper out", "paper in", "cover open", "cover close",
// "offline", "online", "drop after N", "paper out after N", "slow N", "quit".
bool applyCommand(print::VirtualPrinter& printer, std::string line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    auto faults = printer.faults();
    auto number = [&line](std::string_view prefix) -> std::optional<std::size_t> {
        if (!line.starts_with(prefix)) return std::nullopt;
        try {
            return static_cast<std::size_t>(std::stoull(line.substr(prefix.size())));
        } catch (...) {
            return std::nullopt;
        }
    };
    if (line == "quit") return false;
    if (line == "paper out") faults.paperOut = true;
    else if (line == "paper in") faults.paperOut = false, faults.paperOutAfter.reset();
    else if (line == "cover open") faults.coverOpen = true;
    else if (line == "cover close") faults.coverOpen = false;
    else if (line == "offline") faults.offline = true;
    else if (line == "online") faults.offline = false;
    else if (auto after = number("paper out after ")) faults.paperOutAfter = *after;
    else if (auto drop = number("drop after ")) faults.dropAfter = *drop;
    else if (auto rate = number("slow ")) faults.bytesPerSecond = static_cast<int>(*rate);
    else {
        std::cerr << "showroom: unknown printer command '" << line << "'\n";
        return true;
    }
    printer.setFaults(faults);
    std::cout << "ok " << line << std::endl;
    return true;
}

void addPrinterCommands(CLI::App& app, Cli& cli) {
    auto* printer = app.add_subcommand("printer", "Receipt printers: status, the print queue, the virtual printer");
    printer->require_subcommand(1);
    {
        auto conn = std::make_shared<std::string>();
        auto* cmd = printer->add_subcommand("status", "Ask a printer how it is (paper, cover, errors)");
        cmd->add_option("connection", *conn, "tcp:HOST[:PORT], usb:VID:PID, usb:auto, dev:PATH, file:PATH, virtual")
            ->required();
        cli.on(cmd, [&cli, conn] {
            auto port = print::openPrinterPort(*conn);
            if (!port) return cli.report(port.error());
            auto status = (*port)->status();
            if (cli.globals.json) {
                nlohmann::json j = {{"printer", *conn}, {"description", (*port)->describe()}, {"reachable", status.ok()}};
                if (status) j.update(statusJson(*status));
                else j["error_message"] = status.error().message;
                cli.printJson(j);
            } else if (!status) {
                std::cerr << "showroom: " << status.error().message << "\n";
            } else if (!status->known) {
                std::cout << (*port)->describe() << ": cannot be asked (a file or a one-way device); jobs go to it as sent\n";
            } else {
                std::cout << (*port)->describe() << ": " << (status->ready() ? "ready" : waitingText(status->blocker()))
                          << (status->paperNearEnd && !status->paperOut ? " (paper near its end)" : "")
                          << (status->drawerOpen ? " (cash drawer open)" : "") << "\n";
            }
            return status && status->ready() ? Exit::Ok : Exit::Failure;
        });
    }
    {
        struct Flags {
            std::string state;
            int limit = 50, wait = 30;
            long long retry = 0;
            bool run = false;
        };
        auto f = std::make_shared<Flags>();
        auto* cmd = printer->add_subcommand("queue", "The print queue: list jobs, retry a failed one, print what waits");
        cmd->add_option("--state", f->state, "Only jobs in this state: queued, sending, printed, failed");
        cmd->add_option("--limit", f->limit, "At most this many jobs, newest first")->check(CLI::Range(1, 10000))->capture_default_str();
        cmd->add_option("--retry", f->retry, "Put a failed job back in the queue");
        cmd->add_flag("--run", f->run, "Print every job that waits, on every printer, then list");
        cmd->add_option("--wait", f->wait, "With --run: seconds to keep trying a printer that waits")->capture_default_str();
        cli.on(cmd, [&cli, f] {
            std::optional<JobState> state;
            if (!f->state.empty()) {
                auto s = core::print::parseJobState(f->state);
                if (!s) return cli.report(s.error());
                state = *s;
            }
            auto conn = cli.openStore();
            if (!conn) return Exit::Failure;
            auto ctx = cli.context(*conn);
            core::print::PrintQueue queue(ctx);
            if (f->retry > 0) {
                auto r = queue.retry(f->retry);
                if (!r) return cli.report(r.error());
            }
            if (f->run) {
                if (auto r = queue.recover(); !r) return cli.report(r.error());
                auto printers = queue.printersWithWork();
                if (!printers) return cli.report(printers.error());
                const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(f->wait);
                for (const auto& p : *printers) {
                    auto port = print::openPrinterPort(p);
                    if (!port) {
                        std::cerr << "showroom: " << p << ": " << port.error().message << "\n";
                        continue;
                    }
                    for (;;) {
                        auto out = queue.printNext(p, **port);
                        if (!out) return cli.report(out.error());
                        if (!out->has_value()) break;
                        if ((*out)->waitingFor.empty()) continue;
                        if (std::chrono::steady_clock::now() >= deadline) break;
                        std::this_thread::sleep_for(std::chrono::milliseconds(500));
                    }
                }
            }
            auto jobs = queue.list(state, f->limit);
            if (!jobs) return cli.report(jobs.error());
            if (cli.globals.json) {
                nlohmann::json list = nlohmann::json::array();
                for (const auto& j : *jobs) list.push_back(jobJson(j));
                cli.printJson({{"jobs", list}});
            } else {
                if (jobs->empty()) std::cout << "No print jobs.\n";
                for (const auto& j : *jobs) {
                    std::cout << j.id << "  " << j.kind << " " << j.reference << "  " << core::print::toString(j.state)
                              << "  " << j.printer << "  attempts " << j.attempts;
                    if (j.printedAsCopy) std::cout << "  printed as COPY / REPRINT";
                    else if (j.uncertain && j.state != JobState::Printed) std::cout << "  next print marked COPY / REPRINT";
                    if (!j.waitingFor.empty()) std::cout << "  waits: " << waitingText(j.waitingFor);
                    if (!j.lastError.empty() && j.state != JobState::Printed) std::cout << "  (" << j.lastError << ")";
                    std::cout << "\n";
                }
            }
            bool anyUnfinished = false;
            for (const auto& j : *jobs) anyUnfinished = anyUnfinished || (f->run && j.state != JobState::Printed);
            return anyUnfinished ? Exit::Failure : Exit::Ok;
        });
    }
    {
        auto f = std::make_shared<VirtualFlags>();
        auto* cmd = printer->add_subcommand(
            "virtual", "Run the virtual receipt printer on raw TCP (port 9100 style): answers status, renders what it "
                       "prints; stdin lines change it: paper out|paper in|cover open|cover close|offline|online|"
                       "paper out after N|drop after N|slow N|quit");
        cmd->add_option("--listen", f->listen, "HOST:PORT to listen on (port 0: any free port)")->capture_default_str();
        cmd->add_option("--profile", f->profile, "80mm, 80mm-42, 58mm, optionally +gb18030")->capture_default_str();
        cmd->add_option("--out", f->out, "Write each receipt there as receipt-NNN.bin, .txt and .png");
        cmd->add_flag("--paper-out", f->paperOut, "Start out of paper");
        cmd->add_flag("--cover-open", f->coverOpen, "Start with the cover open");
        cmd->add_option("--drop-after", f->dropAfter, "Drop the connection after this many bytes");
        cmd->add_option("--paper-out-after", f->paperOutAfter, "Run out of paper after printing this many bytes");
        cmd->add_option("--idle-close-ms", f->idleCloseMs, "Close a connection left idle this long");
        cmd->add_option("--bytes-per-second", f->bytesPerSecond, "Print slowly");
        cmd->add_option("--seconds", f->seconds, "Stop after this many seconds (0: on Ctrl+C, quit or end of input)");
        cli.on(cmd, [&cli, f] {
            const auto colon = f->listen.rfind(':');
            int port = -1;
            try {
                if (colon != std::string::npos) port = std::stoi(f->listen.substr(colon + 1));
            } catch (...) {
            }
            if (colon == std::string::npos || port < 0 || port > 65535)
                return cli.report(core::fail(core::ErrorCode::InvalidInput, "--listen must be HOST:PORT"));
            auto profile = devices::escpos::PrinterProfile::named(f->profile);
            if (!profile) return cli.report(profile.error());
            print::VirtualPrinter::Options options;
            options.host = f->listen.substr(0, colon);
            options.port = port;
            options.profile = *profile;
            if (!f->out.empty()) options.outDir = f->out;
            auto started = print::VirtualPrinter::start(options);
            if (!started) return cli.report(started.error());
            auto& vp = *started;
            print::VirtualPrinter::Faults faults;
            faults.paperOut = f->paperOut;
            faults.coverOpen = f->coverOpen;
            if (f->dropAfter >= 0) faults.dropAfter = static_cast<std::size_t>(f->dropAfter);
            if (f->paperOutAfter >= 0) faults.paperOutAfter = static_cast<std::size_t>(f->paperOutAfter);
            faults.idleCloseMs = f->idleCloseMs;
            faults.bytesPerSecond = f->bytesPerSecond;
            vp->setFaults(faults);
            if (cli.globals.json)
                cli.printJson({{"listening", vp->connection()}, {"port", vp->port()}});
            else
                std::cout << "Virtual printer listening on " << vp->connection() << std::endl;

            g_stop = false;
            const auto previousInt = std::signal(SIGINT, onStopSignal);
            const auto previousTerm = std::signal(SIGTERM, onStopSignal);
            const auto until = f->seconds > 0 ? std::chrono::steady_clock::now() + std::chrono::seconds(f->seconds)
                                              : std::chrono::steady_clock::time_point::max();
            std::size_t reported = 0;
            std::string pending;
            bool stdinOpen = true;
            while (!g_stop && std::chrono::steady_clock::now() < until) {
                pollfd p{STDIN_FILENO, POLLIN, 0};
                const int ready = ::poll(&p, stdinOpen ? 1 : 0, 100);
                if (ready > 0) {
                    char buf[256];
                    const auto n = ::read(STDIN_FILENO, buf, sizeof buf);
                    if (n <= 0) {
                        stdinOpen = false;
                        if (f->seconds == 0) break;   // end of input ends a session driven by a script
                    } else {
                        pending.append(buf, static_cast<std::size_t>(n));
                        bool quit = false;
                        for (auto nl = pending.find('\n'); nl != std::string::npos && !quit; nl = pending.find('\n')) {
                            quit = !applyCommand(*vp, pending.substr(0, nl));
                            pending.erase(0, nl + 1);
                        }
                        if (quit) break;
                    }
                }
                const auto receipts = vp->receipts();
                for (; reported < receipts.size(); ++reported) {
                    const auto& r = receipts[reported];
                    std::cout << "receipt " << reported + 1 << ": " << std::count(r.text.begin(), r.text.end(), '\n')
                              << " lines" << (r.cut ? ", cut" : "") << (r.drawerKicked ? ", drawer opened" : "")
                              << std::endl;
                }
            }
            std::signal(SIGINT, previousInt);
            std::signal(SIGTERM, previousTerm);
            vp->stop();
            return Exit::Ok;
        });
    }
}

} // namespace

void addPrintingCommands(CLI::App& app, Cli& cli) {
    addReceiptCommands(app, cli);
    addPrinterCommands(app, cli);
}

} // namespace showroom::cli
