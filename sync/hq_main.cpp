// `showroom-hq`: headquarters from a shell — serve the sync API, enrol stores, see what arrived.
// The network's commands (conflicts, vehicles, customers, prices, staff, catalog, transfers) are in
// hq_cmd_network.cpp.
//
// Same contract as `showroom` (tools/cli.hpp): human output on stdout by default, one JSON document
// with --json; errors on stderr as "showroom-hq: <message>"; exit 0 on success, 2 on bad input,
// 1 on any other failure.
#include "cli_main.hpp"
#include "hq_cli.hpp"
#include "showroom/core/money.hpp"
#include "showroom/sync/hq.hpp"
#include "showroom/sync/hq_server.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <signal.h>

#include <atomic>
#include <cctype>
#include <charconv>
#include <ctime>
#include <functional>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace showroom::hq {

/// A store code from a name: its letters, upper-cased, at most 8 ("Downtown Motors" -> "DOWNTOWN").
std::string codeFromName(const std::string& name) {
    std::string code;
    for (unsigned char c : name)
        if (std::isalpha(c) && c < 0x80 && code.size() < 8) code += static_cast<char>(std::toupper(c));
    return code;
}

bool validCode(const std::string& code) {
    if (code.empty() || code.size() > 16) return false;
    for (unsigned char c : code)
        if (!(std::isupper(c) || std::isdigit(c) || c == '-' || c == '_')) return false;
    return true;
}

struct ListenAddress {
    std::string host;
    int port = 0;
};

/// "HOST:PORT" or "[V6]:PORT"; port 0 asks for any free port.
std::optional<ListenAddress> parseListen(const std::string& text) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) return std::nullopt;
    std::string host = text.substr(0, colon);
    const std::string port = text.substr(colon + 1);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    int value = -1;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value < 0 || value > 65535)
        return std::nullopt;
    return ListenAddress{host, value};
}

void addServeCommand(CLI::App& app, Cli& cli) {
    struct Flags {
        std::string listen = "127.0.0.1:8443", cert, key;
        bool insecure = false;
        int threads = 8;
    };
    auto f = std::make_shared<Flags>();
    auto* cmd = app.add_subcommand("serve", "Serve the sync API to the showrooms until SIGINT or SIGTERM");
    cmd->add_option("--listen", f->listen, "HOST:PORT to listen on (port 0: any free port, printed)")
        ->capture_default_str();
    auto* cert = cmd->add_option("--cert", f->cert, "TLS certificate (PEM)");
    auto* key = cmd->add_option("--key", f->key, "TLS private key (PEM)");
    cmd->add_flag("--insecure", f->insecure, "Plain HTTP, for a development machine only")
        ->excludes(cert)
        ->excludes(key);
    cmd->add_option("--threads", f->threads, "Worker threads (each has its own database connection)")
        ->capture_default_str()
        ->check(CLI::Range(1, 256));
    cli.on(cmd, [&cli, f] {
        if (!f->insecure && (f->cert.empty() || f->key.empty()))
            return cli.badInput("serve needs --cert FILE and --key FILE (or --insecure for plain HTTP on a "
                                "development machine)");
        auto address = parseListen(f->listen);
        if (!address) return cli.badInput("--listen: expected HOST:PORT, got '" + f->listen + "'");

        // Block the stop signals in every thread (the server's threads inherit this mask) and take
        // them synchronously below, so no signal handler ever runs inside the server.
        sigset_t stopSignals;
        sigemptyset(&stopSignals);
        sigaddset(&stopSignals, SIGINT);
        sigaddset(&stopSignals, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

        sync::HqServerOptions options;
        options.storage = cli.db;
        options.host = address->host;
        options.port = address->port;
        options.certFile = f->cert;
        options.keyFile = f->key;
        options.insecure = f->insecure;
        options.threads = f->threads;
        auto server = sync::HqServer::start(options);
        if (!server) return cli.report(server.error());
        // The first line names the real port (tests and scripts listen on port 0 and read it).
        std::cout << "HQ listening on " << (*server)->url() << std::endl;
        if (f->insecure) std::cerr << "showroom-hq: warning: plain HTTP; tokens travel in the clear\n";

        std::atomic<bool> finished = false;
        std::jthread signals([&server, &finished, &stopSignals] {
            while (!finished) {
                const timespec tick{0, 200'000'000};
                const int sig = sigtimedwait(&stopSignals, nullptr, &tick);
                if (sig == SIGINT || sig == SIGTERM) {
                    (*server)->stop();
                    return;
                }
            }
        });
        (*server)->wait();
        finished = true;
        signals.join();
        std::cout << "HQ stopped" << std::endl;
        return Exit::Ok;
    });
}

void addStoreCommands(CLI::App& app, Cli& cli) {
    auto* store = app.add_subcommand("store", "Showrooms enrolled with headquarters");
    store->require_subcommand(1);
    {
        struct Flags {
            std::vector<std::string> words;
            std::string code;
        };
        auto f = std::make_shared<Flags>();
        auto* cmd = store->add_subcommand(
            "add", "Enrol a showroom; prints its token (shown once, HQ keeps only its hash) as the last line");
        cmd->add_option("name", f->words, "NAME, or CODE NAME")->required()->expected(1, 2);
        cmd->add_option("--code", f->code, "Short code (default: the name's first 8 letters, upper-cased)");
        cli.on(cmd, [&cli, f] {
            std::string code = f->code, name;
            if (f->words.size() == 2) {
                if (!code.empty()) return cli.badInput("give the code either as CODE NAME or with --code, not both");
                code = f->words[0];
                name = f->words[1];
            } else {
                name = f->words[0];
            }
            if (name.find_first_not_of(" \t") == std::string::npos) return cli.badInput("the store name is empty");
            if (code.empty()) code = codeFromName(name);
            for (auto& c : code)
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            if (!validCode(code))
                return cli.badInput("store code '" + code +
                                    "': expected 1 to 16 letters, digits, '-' or '_' (set one with --code)");
            Exit exit = Exit::Ok;
            auto hq = cli.open(exit);
            if (!hq) return exit;
            auto token = hq->addStore(code, name);
            if (!token) return cli.report(token.error());
            std::string id;
            if (auto all = hq->stores())
                for (const auto& s : *all)
                    if (s.code == code) id = s.id;
            if (cli.json) {
                cli.printJson({{"id", id}, {"code", code}, {"name", name}, {"token", *token}});
            } else {
                std::cout << "Enrolled " << name << " (" << code << ")" << (id.empty() ? "" : ", id " + id) << "\n"
                          << "Its token, shown only this once (put it in the showroom's sync configuration):\n"
                          << *token << std::endl;
            }
            return Exit::Ok;
        });
    }
    {
        auto* cmd = store->add_subcommand("list", "List the enrolled showrooms");
        cli.on(cmd, [&cli] {
            Exit exit = Exit::Ok;
            auto hq = cli.open(exit);
            if (!hq) return exit;
            auto all = hq->stores();
            if (!all) return cli.report(all.error());
            if (cli.json) {
                nlohmann::json j = nlohmann::json::array();
                for (const auto& s : *all)
                    j.push_back({{"id", s.id}, {"code", s.code}, {"name", s.name}, {"created_at", s.createdAt}});
                cli.printJson(j);
                return Exit::Ok;
            }
            if (all->empty()) {
                std::cout << "No stores enrolled; add one with: showroom-hq store add NAME\n";
                return Exit::Ok;
            }
            std::cout << std::left << std::setw(18) << "CODE" << std::setw(32) << "NAME" << std::setw(26) << "ENROLLED"
                      << "ID\n";
            for (const auto& s : *all)
                std::cout << std::left << std::setw(18) << s.code << std::setw(32) << s.name << std::setw(26)
                          << s.createdAt << s.id << "\n";
            return Exit::Ok;
        });
    }
}

void addStatsCommand(CLI::App& app, Cli& cli) {
    auto* cmd = app.add_subcommand("stats", "Per showroom: events received, deals, leads, vehicles, last event");
    cli.on(cmd, [&cli] {
        Exit exit = Exit::Ok;
        auto hq = cli.open(exit);
        if (!hq) return exit;
        auto all = hq->stats();
        if (!all) return cli.report(all.error());
        if (cli.json) {
            nlohmann::json j = nlohmann::json::array();
            for (const auto& s : *all)
                j.push_back(
                    {{"id", s.store.id},
                     {"code", s.store.code},
                     {"name", s.store.name},
                     {"events", s.events},
                     {"deals", s.deals},
                     {"leads", s.leads},
                     {"vehicles", s.vehicles},
                     {"last_event_at", s.lastEventAt.empty() ? nlohmann::json() : nlohmann::json(s.lastEventAt)}});
            cli.printJson(j);
            return Exit::Ok;
        }
        if (all->empty()) {
            std::cout << "No stores enrolled\n";
            return Exit::Ok;
        }
        std::cout << std::left << std::setw(18) << "CODE" << std::setw(28) << "NAME" << std::right << std::setw(10)
                  << "EVENTS" << std::setw(8) << "DEALS" << std::setw(8) << "LEADS" << std::setw(10) << "VEHICLES"
                  << "  LAST EVENT\n";
        for (const auto& s : *all)
            std::cout << std::left << std::setw(18) << s.store.code << std::setw(28) << s.store.name << std::right
                      << std::setw(10) << s.events << std::setw(8) << s.deals << std::setw(8) << s.leads
                      << std::setw(10) << s.vehicles << "  " << (s.lastEventAt.empty() ? "-" : s.lastEventAt) << "\n";
        return Exit::Ok;
    });
}

} // namespace showroom::hq

int main(int argc, char** argv) {
    using namespace showroom::hq;
    Cli cli;
    CLI::App app{"showroom-hq: headquarters for a network of showrooms (sync API, store enrolment, figures)"};
    app.set_version_flag("--version", "showroom-hq 0.1.0");
    app.require_subcommand(1);
    app.fallthrough(); // --db and --json may come after the subcommand
    app.add_option("--db", cli.db, "HQ database: sqlite:PATH or postgresql://USER@HOST:PORT/DB")->capture_default_str();
    app.add_option("--reports-db", cli.reportsDb,
                   "HQ's copy of the network for the reports (SQLite file; default: next to a SQLite --db, else "
                   "./hq-reports.db). Derived data: deleting it only costs a rebuild");
    app.add_flag("--json", cli.json, "Print JSON instead of text");
    addServeCommand(app, cli);
    addStoreCommands(app, cli);
    addStatsCommand(app, cli);
    addReportCommands(app, cli);
    addNetworkCommands(app, cli);
    return showroom::cli::parseAndRun(app, argc, argv, "showroom-hq", [&]() -> std::optional<int> {
        Action* action = cli.selected();
        if (!action) return std::nullopt;
        return static_cast<int>((*action)());
    });
}
