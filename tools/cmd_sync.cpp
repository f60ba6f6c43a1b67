// `showroom sync status|push|pull|run|configure|conflicts`: the store's side of the sync with headquarters.
//
// The HQ address, token and CA come from --hq/--token/--ca, else from the store's settings
// (`sync configure` writes them: hq_url, hq_token, hq_ca, hq_insecure). Exit codes as everywhere:
// 0 ok, 2 bad input (flags, no HQ configured, plain http without --insecure), 1 when HQ cannot be
// reached or refuses the store.
#include "cli.hpp"

#include "showroom/core/network.hpp"
#include "showroom/core/store.hpp"
#include "showroom/sync/client.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

namespace showroom::cli {

namespace {

std::atomic<bool> g_stopSync{false};

extern "C" void onSyncSignal(int) {
    g_stopSync = true;
}

struct HqFlags {
    std::string url, token, caFile;
    bool insecure = false;
};

void addHqFlags(CLI::App* cmd, HqFlags& f) {
    cmd->add_option("--hq", f.url, "HQ address, https://host:port (default: the configured one)");
    cmd->add_option("--token", f.token, "This store's token from `showroom-hq store add`");
    cmd->add_option("--ca", f.caFile, "PEM file of the CA that signed HQ's certificate");
    cmd->add_flag("--insecure", f.insecure, "Allow plain http:// (development only)");
}

// Sync failures: bad input is 2; HQ unreachable or refusing (Io, Denied), a busy lock and the rest are 1.
Exit syncFailure(const core::Error& error) {
    std::cerr << "showroom: " << error.message << "\n";
    switch (error.code) {
    case core::ErrorCode::InvalidInput:
    case core::ErrorCode::NotFound: return Exit::BadInput;
    default: return Exit::Failure;
    }
}

nlohmann::json orNull(const std::string& s) {
    return s.empty() ? nlohmann::json() : nlohmann::json(s);
}

// The flags when --hq is given (the configured token and CA belong to the configured HQ and are not
// sent elsewhere), else the store's settings with any flag given on top. InvalidInput when no HQ is known.
core::Result<sync::HqConnection> resolveConnection(Cli& cli, const HqFlags& f) {
    sync::HqConnection hq{f.url, f.token, f.caFile, f.insecure};
    if (hq.url.empty()) {
        auto conn = core::openStore(cli.globals.dbPath);
        if (!conn) return conn.error();
        auto setting = [&](std::string& field, std::string_view key) -> core::Status {
            if (!field.empty()) return {};
            auto value = core::getSetting(*conn, key);
            if (!value) return value.error();
            field = *value;
            return {};
        };
        SHOWROOM_TRY(setting(hq.url, "hq_url"));
        SHOWROOM_TRY(setting(hq.token, "hq_token"));
        SHOWROOM_TRY(setting(hq.caFile, "hq_ca"));
        auto insecure = core::getSetting(*conn, "hq_insecure");
        if (!insecure) return insecure.error();
        hq.insecure = hq.insecure || *insecure == "1";
    }
    if (hq.url.empty())
        return core::fail(
            core::ErrorCode::InvalidInput,
            "no HQ configured: run `showroom sync configure --hq URL --token TOKEN` or pass --hq and --token");
    if (hq.token.empty())
        return core::fail(core::ErrorCode::InvalidInput, "no store token for " + hq.url + ": pass --token");
    return hq;
}

core::Result<std::unique_ptr<sync::SyncClient>> openClient(Cli& cli, const HqFlags& f) {
    // Syncing a store that does not exist would create an empty one: refuse, as `sync status` does.
    std::error_code ec;
    if (!std::filesystem::exists(cli.globals.dbPath, ec))
        return core::fail(core::ErrorCode::NotFound, "no store database at " + cli.globals.dbPath);
    auto hq = resolveConnection(cli, f);
    if (!hq) return hq.error();
    return sync::SyncClient::open(cli.globals.dbPath, std::move(*hq));
}

nlohmann::json statusJson(const sync::SyncStatus& s) {
    return {{"online", s.online},
            {"queued", s.queued},
            {"oldest_queued_at", orNull(s.oldestQueuedAt)},
            {"quarantined", s.quarantined},
            {"last_success_at", orNull(s.lastSuccessAt)},
            {"last_error", orNull(s.lastError)},
            {"cursor", s.cursor},
            {"conflicts", s.conflicts}};
}

void printStatus(const Cli& cli, const sync::SyncStatus& s) {
    if (cli.globals.json) {
        cli.printJson(statusJson(s));
        return;
    }
    std::cout << "HQ:          " << (s.online ? "online" : "offline") << "\n"
              << "queued:      " << s.queued << (s.queued > 0 ? " (oldest " + s.oldestQueuedAt + ")" : "") << "\n"
              << "quarantined: " << s.quarantined << "\n"
              << "conflicts:   " << s.conflicts << "\n"
              << "last success:" << (s.lastSuccessAt.empty() ? "never" : s.lastSuccessAt) << "\n";
    if (!s.lastError.empty()) std::cout << "last error:  " << s.lastError << "\n";
}

} // namespace

void addSyncCommands(CLI::App& app, Cli& cli) {
    auto* group = app.add_subcommand("sync", "Exchange events and changes with headquarters");
    group->require_subcommand(1);

    auto* status = group->add_subcommand("status", "Queue, quarantine and the last exchange with HQ (no network)");
    cli.on(status, [&cli] {
        auto s = sync::readSyncStatus(cli.globals.dbPath);
        if (!s) return syncFailure(s.error());
        printStatus(cli, *s);
        return Exit::Ok;
    });

    auto configure = std::make_shared<HqFlags>();
    auto* conf = group->add_subcommand("configure", "Remember the HQ address, token and CA in this store");
    conf->add_option("--hq", configure->url, "HQ address, https://host:port")->required();
    conf->add_option("--token", configure->token, "This store's token from `showroom-hq store add`")->required();
    conf->add_option("--ca", configure->caFile, "PEM file of the CA that signed HQ's certificate")
        ->check(CLI::ExistingFile);
    conf->add_flag("--insecure", configure->insecure, "Allow plain http:// (development only)");
    cli.on(conf, [&cli, configure] {
        const auto& f = *configure;
        if (!(f.url.starts_with("https://") || (f.url.starts_with("http://") && f.insecure)))
            return syncFailure(core::fail(core::ErrorCode::InvalidInput,
                                          f.url.starts_with("http://") ? "plain http needs --insecure"
                                                                       : "the HQ address must start with https://"));
        if (f.token.empty()) return syncFailure(core::fail(core::ErrorCode::InvalidInput, "--token is empty"));
        // Stored absolute: the kiosk and the CLI do not start in the same directory.
        std::error_code ec;
        const std::string ca = f.caFile.empty() ? "" : std::filesystem::absolute(f.caFile, ec).string();
        auto conn = cli.openStore();
        if (!conn) return Exit::Failure;
        auto tx = core::db::Transaction::begin(*conn);
        if (!tx) return cli.report(tx.error());
        for (const auto& [key, value] : {std::pair<std::string_view, std::string>{"hq_url", f.url},
                                         {"hq_token", f.token},
                                         {"hq_ca", ca},
                                         {"hq_insecure", f.insecure ? "1" : "0"}})
            if (auto st = core::setSetting(*conn, key, value); !st) return cli.report(st.error());
        if (auto st = tx->commit(); !st) return cli.report(st.error());
        if (cli.globals.json)
            cli.printJson({{"hq", f.url}, {"ca", orNull(ca)}, {"insecure", f.insecure}});
        else
            std::cout << "HQ set to " << f.url << "\n";
        return Exit::Ok;
    });

    // sync conflicts [--all] / sync conflicts resolve ID --note TEXT
    {
        auto all = std::make_shared<bool>(false);
        auto* conflicts = group->add_subcommand(
            "conflicts", "What HQ decided against this store, and changes it sent that could not be applied");
        conflicts->add_flag("--all", *all, "Resolved ones too");
        cli.on(conflicts, [&cli, all] {
            auto conn = cli.openStore();
            if (!conn) return Exit::Failure;
            auto ctx = cli.context(*conn);
            auto list = core::Conflicts(ctx).list(*all);
            if (!list) return cli.report(list.error());
            if (cli.globals.json) {
                cli.printJson(*list);
                return Exit::Ok;
            }
            if (list->empty()) {
                std::cout << (*all ? "No conflicts.\n" : "No open conflicts.\n");
                return Exit::Ok;
            }
            for (const auto& c : *list) {
                std::cout << c.id << "  " << c.kind << (c.open() ? "" : "  (resolved " + *c.resolvedAt + ")") << "\n";
                if (!c.dealNo.empty()) std::cout << "  deal     " << c.dealNo << "\n";
                if (!c.vin.empty()) std::cout << "  VIN      " << c.vin << "\n";
                if (!c.otherStore.empty()) std::cout << "  showroom " << c.otherStore << "\n";
                if (!c.message.empty()) std::cout << "  " << c.message << "\n";
                if (!c.resolutionNote.empty()) std::cout << "  note     " << c.resolutionNote << "\n";
            }
            return Exit::Ok;
        });

        struct ResolveFlags {
            std::string id, note;
        };
        auto f = std::make_shared<ResolveFlags>();
        auto* resolve = conflicts->add_subcommand("resolve", "Close a conflict, saying what was done (HQ hears of it)");
        resolve->add_option("id", f->id, "The conflict's id, from `showroom sync conflicts`")->required();
        resolve->add_option("--note", f->note, "What was done about it")->required();
        cli.on(resolve, [&cli, f] {
            auto conn = cli.openStore();
            if (!conn) return Exit::Failure;
            auto ctx = cli.context(*conn);
            auto c = core::Conflicts(ctx).resolve(f->id, f->note);
            if (!c) return cli.report(c.error());
            if (cli.globals.json)
                cli.printJson(*c);
            else
                std::cout << "Conflict " << c->id << " resolved\n";
            return Exit::Ok;
        });
    }

    auto pushFlags = std::make_shared<HqFlags>();
    auto* push = group->add_subcommand("push", "Send the queued events to HQ now");
    addHqFlags(push, *pushFlags);
    cli.on(push, [&cli, pushFlags] {
        auto client = openClient(cli, *pushFlags);
        if (!client) return syncFailure(client.error());
        auto r = (*client)->push();
        if (!r) return syncFailure(r.error());
        if (cli.globals.json) {
            cli.printJson({{"sent", r->sent},
                           {"duplicates", r->duplicates},
                           {"quarantined", r->quarantined},
                           {"batches", r->batches}});
        } else {
            if (r->batches == 0 && r->quarantined == 0) {
                std::cout << "nothing queued; HQ not contacted\n";
                return Exit::Ok;
            }
            std::cout << "sent " << r->sent << " event(s)";
            if (r->duplicates > 0) std::cout << " (" << r->duplicates << " HQ already had)";
            std::cout << " in " << r->batches << " batch(es)\n";
            if (r->quarantined > 0)
                std::cout << r->quarantined << " event(s) refused by HQ and quarantined; see `showroom sync status`\n";
        }
        return Exit::Ok;
    });

    auto pullFlags = std::make_shared<HqFlags>();
    auto* pull = group->add_subcommand("pull", "Fetch what HQ has for this store now");
    addHqFlags(pull, *pullFlags);
    cli.on(pull, [&cli, pullFlags] {
        auto client = openClient(cli, *pullFlags);
        if (!client) return syncFailure(client.error());
        auto r = (*client)->pull();
        if (!r) return syncFailure(r.error());
        if (cli.globals.json)
            cli.printJson({{"changes", r->changes}, {"cursor", r->cursor}});
        else
            std::cout << "pulled " << r->changes << " change(s); cursor " << r->cursor << "\n";
        return Exit::Ok;
    });

    struct RunOptions {
        HqFlags hq;
        double seconds = 0;
    };
    auto runOptions = std::make_shared<RunOptions>();
    auto* run = group->add_subcommand("run", "Keep pushing and pulling until Ctrl+C (or --seconds)");
    addHqFlags(run, runOptions->hq);
    run->add_option("--seconds", runOptions->seconds, "Stop after this long")->check(CLI::PositiveNumber);
    cli.on(run, [&cli, runOptions] {
        auto client = openClient(cli, runOptions->hq);
        if (!client) return syncFailure(client.error());
        sync::SyncClient& c = **client;

        g_stopSync = false;
        const auto previousInt = std::signal(SIGINT, onSyncSignal);
        const auto previousTerm = std::signal(SIGTERM, onSyncSignal);
        // Status lines come from the client's thread; they are printed here only (one writer).
        std::atomic<bool> changed{false};
        std::jthread worker([&c, &changed] { c.run([&changed] { changed = true; }); });
        const auto deadline = runOptions->seconds > 0
                                  ? std::chrono::steady_clock::now() +
                                        std::chrono::milliseconds(static_cast<std::int64_t>(runOptions->seconds * 1000))
                                  : std::chrono::steady_clock::time_point::max();
        while (!g_stopSync && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            if (!changed.exchange(false)) continue;
            if (auto s = sync::readSyncStatus(cli.globals.dbPath)) {
                if (cli.globals.json)
                    std::cout << statusJson(*s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                              << std::endl;
                else
                    std::cout << (s->online ? "online" : "offline") << ", " << s->queued << " queued, "
                              << s->quarantined << " quarantined"
                              << (s->lastError.empty() ? "" : "; last error: " + s->lastError) << std::endl;
            }
        }
        c.stop();
        worker.join();
        std::signal(SIGINT, previousInt);
        std::signal(SIGTERM, previousTerm);
        auto s = sync::readSyncStatus(cli.globals.dbPath);
        if (!s) return syncFailure(s.error());
        if (!s->online) {
            std::cerr << "showroom: HQ unreachable or refusing"
                      << (s->lastError.empty() ? std::string() : ": " + s->lastError) << "\n";
            return Exit::Failure;
        }
        return Exit::Ok;
    });
}

} // namespace showroom::cli
