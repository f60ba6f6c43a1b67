#include "showroom/sync/hq_server.hpp"

#include "showroom/sync/hq.hpp"
#include "showroom/sync/protocol.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>

#include <atomic>
#include <cctype>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace showroom::sync {

namespace {

using core::ErrorCode;

constexpr int kDefaultPullLimit = 500;
constexpr int kMaxPullLimit = 1000;
constexpr auto kStartTimeout = std::chrono::seconds(10);

void sendJson(httplib::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

void sendError(httplib::Response& res, int status, const std::string& message) {
    sendJson(res, status, {{"error", message}});
}

/// The message for a response httplib produced itself (no handler wrote a body).
std::string defaultMessage(int status) {
    switch (status) {
    case 400: return "malformed HTTP request";
    case 404: return "no such route; see /v1/health";
    case 405: return "method not allowed";
    case 413: return "request body over " + std::to_string(kMaxBodyBytes >> 20) + " MiB";
    case 414: return "request line too long";
    default: return "request refused";
    }
}

/// The token of an `Authorization: Bearer TOKEN` header; "" when there is none.
std::string bearerToken(const httplib::Request& req) {
    const std::string header = req.get_header_value("Authorization");
    constexpr std::string_view kScheme = "bearer ";
    if (header.size() <= kScheme.size()) return {};
    for (std::size_t i = 0; i < kScheme.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return {};
    std::string token = header.substr(kScheme.size());
    while (!token.empty() && (token.front() == ' ' || token.front() == '\t'))
        token.erase(token.begin());
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t'))
        token.pop_back();
    return token;
}

std::optional<std::int64_t> parseInt(const std::string& text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

bool isStorageFailure(ErrorCode code) {
    return code == ErrorCode::Storage || code == ErrorCode::Busy || code == ErrorCode::Io ||
           code == ErrorCode::NotADatabase || code == ErrorCode::SchemaTooNew;
}

} // namespace

struct HqServer::Impl {
    HqServerOptions options;
    std::unique_ptr<httplib::Server> server;
    int port = 0;

    // Idle Hq instances (one database connection each). A worker takes one for a request and
    // gives it back after; the lock is held only to take or give, never across a query.
    std::mutex poolMutex;
    std::vector<std::unique_ptr<Hq>> idle;

    std::mutex doneMutex;
    std::condition_variable doneChanged;
    bool done = false;
    std::atomic<bool> stopRequested = false;

    std::jthread listener; // last: joined before the server it runs dies

    /// An Hq borrowed from the pool for one request; returned unless its connection broke.
    class Lease {
    public:
        Lease(Impl& impl, std::unique_ptr<Hq> hq) : m_impl(impl), m_hq(std::move(hq)) {}
        ~Lease() {
            if (!m_hq || m_broken) return;
            std::lock_guard lock(m_impl.poolMutex);
            m_impl.idle.push_back(std::move(m_hq));
        }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Hq* operator->() { return m_hq.get(); }
        /// A storage failure may mean a dead connection (PostgreSQL restarted): open a fresh one next time.
        void discard() { m_broken = true; }

    private:
        Impl& m_impl;
        std::unique_ptr<Hq> m_hq;
        bool m_broken = false;
    };

    core::Result<std::unique_ptr<Lease>> lease() {
        {
            std::lock_guard lock(poolMutex);
            if (!idle.empty()) {
                auto hq = std::move(idle.back());
                idle.pop_back();
                return std::make_unique<Lease>(*this, std::move(hq));
            }
        }
        auto storage = openHqStorage(options.storage);
        if (!storage) return storage.error();
        return std::make_unique<Lease>(*this, std::make_unique<Hq>(std::move(*storage)));
    }

    /// Answers a failed storage call: 400 for what the request got wrong, 503 for storage trouble
    /// (details go to the operator's log, not to the store), 500 for anything else.
    void fail(httplib::Response& res, Lease* lease, const core::Error& error) {
        if (error.code == ErrorCode::InvalidInput) return sendError(res, 400, error.message);
        std::cerr << "showroom-hq: " << core::toString(error.code) << ": " << error.message << "\n";
        if (isStorageFailure(error.code)) {
            if (lease) lease->discard();
            return sendError(res, 503, "headquarters storage is unavailable; retry later");
        }
        sendError(res, 500, "internal error at headquarters");
    }

    /// The authenticated store of a request, or nullopt after answering it (401, 503).
    std::optional<StoreInfo> authenticate(const httplib::Request& req, httplib::Response& res, Lease& hq) {
        const std::string token = bearerToken(req);
        if (token.empty()) {
            res.set_header("WWW-Authenticate", "Bearer");
            sendError(res, 401, "missing store token (Authorization: Bearer TOKEN)");
            return std::nullopt;
        }
        auto store = hq->authenticate(token);
        if (!store) {
            fail(res, &hq, store.error());
            return std::nullopt;
        }
        if (!*store) {
            res.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            sendError(res, 401, "unknown store token");
            return std::nullopt;
        }
        return std::move(**store);
    }

    void pushEvents(const httplib::Request& req, httplib::Response& res) {
        auto leased = lease();
        if (!leased) return fail(res, nullptr, leased.error());
        Lease& hq = **leased;
        auto store = authenticate(req, res, hq);
        if (!store) return;
        auto body = parseBody(req.body);
        if (!body) return sendError(res, 400, body.error().message);
        auto batch = pushRequestFromJson(*body);
        if (!batch) return sendError(res, 400, batch.error().message);
        auto result = hq->ingest(*store, batch->events);
        if (!result) return fail(res, &hq, result.error());
        sendJson(res, 200, toJson(*result));
    }

    void pullChanges(const httplib::Request& req, httplib::Response& res) {
        auto leased = lease();
        if (!leased) return fail(res, nullptr, leased.error());
        Lease& hq = **leased;
        auto store = authenticate(req, res, hq);
        if (!store) return;
        std::int64_t after = 0;
        std::int64_t limit = kDefaultPullLimit;
        if (req.has_param("after")) {
            auto v = parseInt(req.get_param_value("after"));
            if (!v || *v < 0) return sendError(res, 400, "after: expected a change sequence >= 0");
            after = *v;
        }
        if (req.has_param("limit")) {
            auto v = parseInt(req.get_param_value("limit"));
            if (!v || *v < 1 || *v > kMaxPullLimit)
                return sendError(res, 400, "limit: expected 1 to " + std::to_string(kMaxPullLimit));
            limit = *v;
        }
        auto result = hq->changesFor(*store, after, static_cast<int>(limit));
        if (!result) return fail(res, &hq, result.error());
        sendJson(res, 200, toJson(*result));
    }

    /// Wraps a route so that nothing escapes into httplib (which would answer 500 without a body).
    template <class Fn> httplib::Server::Handler guarded(Fn fn) {
        return [this, fn](const httplib::Request& req, httplib::Response& res) {
            try {
                (this->*fn)(req, res);
            } catch (const std::exception& e) {
                std::cerr << "showroom-hq: internal error: " << e.what() << "\n";
                sendError(res, 500, "internal error at headquarters");
            } catch (...) {
                std::cerr << "showroom-hq: internal error\n";
                sendError(res, 500, "internal error at headquarters");
            }
        };
    }

    void installRoutes() {
        server->set_payload_max_length(kMaxBodyBytes);
        server->set_keep_alive_timeout(2);
        const auto threads = static_cast<std::size_t>(options.threads);
        server->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
        server->Get("/v1/health", [](const httplib::Request&, httplib::Response& res) {
            sendJson(res, 200, {{"ok", true}, {"version", kProtocolVersion}});
        });
        server->Post("/v1/events", guarded(&Impl::pushEvents));
        server->Get("/v1/changes", guarded(&Impl::pullChanges));
        // Runs for every 4xx/5xx; fills in a JSON body where httplib answered by itself (413, 404).
        server->set_error_handler(
            httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
                if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
                sendError(res, res.status, defaultMessage(res.status));
                return httplib::Server::HandlerResponse::Handled;
            }));
    }
};

namespace {

// Debian's cpp-httplib 0.11 is a compiled library whose listen() backlog is 5. When a hundred
// showrooms reconnect at once after an outage, the kernel drops the rest of the queue and they wait
// for TCP's retransmission (1 s, then 3 s). The listening socket is not exposed, so it is found by
// its port among this process's descriptors and listen() is called again with the system maximum:
// Linux lets a listening socket change its backlog that way. Best effort; nothing fails without it.
void widenListenBacklog(int port) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
        int fd = -1;
        const auto name = entry.path().filename().string();
        if (std::from_chars(name.data(), name.data() + name.size(), fd).ec != std::errc() || fd < 0) continue;
        int listening = 0;
        socklen_t len = sizeof listening;
        if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening) continue;
        sockaddr_storage addr{};
        socklen_t addrLen = sizeof addr;
        if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &addrLen) != 0) continue;
        int boundPort = -1;
        if (addr.ss_family == AF_INET) boundPort = ntohs(reinterpret_cast<const sockaddr_in*>(&addr)->sin_port);
        else if (addr.ss_family == AF_INET6) boundPort = ntohs(reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_port);
        if (boundPort == port) ::listen(fd, SOMAXCONN);
    }
}

} // namespace

core::Result<std::unique_ptr<HqServer>> HqServer::start(HqServerOptions options) {
    if (options.threads < 1) return core::fail(ErrorCode::InvalidInput, "threads: expected at least 1");
    if (options.port < 0 || options.port > 65535)
        return core::fail(ErrorCode::InvalidInput, "port: expected 0 to 65535");
    if (!options.insecure) {
        if (options.certFile.empty() || options.keyFile.empty())
            return core::fail(ErrorCode::InvalidInput,
                              "HTTPS needs a certificate and a key (plain HTTP only when asked for as insecure)");
        for (const auto& file : {options.certFile, options.keyFile}) {
            std::error_code ec;
            if (!std::filesystem::is_regular_file(file, ec))
                return core::fail(ErrorCode::InvalidInput, "no such file: " + file);
        }
    }

    // A store that hangs up mid-reply must not kill HQ: OpenSSL writes with write(2), which raises
    // SIGPIPE on a closed socket. Only the default disposition is replaced; a host's own is kept.
    if (struct sigaction current{}; sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL)
        std::signal(SIGPIPE, SIG_IGN);

    auto impl = std::make_unique<Impl>();
    impl->options = std::move(options);
    const HqServerOptions& opts = impl->options;

    // Migrate once, up front; that first connection then serves requests like the others.
    auto storage = openHqStorage(opts.storage);
    if (!storage) return storage.error();
    auto hq = std::make_unique<Hq>(std::move(*storage));
    if (auto st = hq->migrate(); !st) return st.error();
    impl->idle.push_back(std::move(hq));

    if (opts.insecure) {
        impl->server = std::make_unique<httplib::Server>();
    } else {
        auto tls = std::make_unique<httplib::SSLServer>(opts.certFile.c_str(), opts.keyFile.c_str());
        if (!tls->is_valid())
            return core::fail(ErrorCode::InvalidInput,
                              "cannot use the certificate " + opts.certFile + " with the key " + opts.keyFile);
        SSL_CTX_set_min_proto_version(tls->ssl_context(), TLS1_2_VERSION);
        impl->server = std::move(tls);
    }
    impl->installRoutes();

    if (opts.port == 0) {
        impl->port = impl->server->bind_to_any_port(opts.host);
        if (impl->port < 0) return core::fail(ErrorCode::Io, "cannot listen on " + opts.host);
    } else {
        if (!impl->server->bind_to_port(opts.host, opts.port))
            return core::fail(ErrorCode::Io,
                              "cannot listen on " + opts.host + ":" + std::to_string(opts.port) + " (in use?)");
        impl->port = opts.port;
    }

    widenListenBacklog(impl->port);

    Impl* raw = impl.get();
    raw->listener = std::jthread([raw] {
        try {
            if (!raw->server->listen_after_bind() && !raw->stopRequested)
                std::cerr << "showroom-hq: the server stopped accepting connections\n";
        } catch (const std::exception& e) {
            std::cerr << "showroom-hq: server failed: " << e.what() << "\n";
        } catch (...) {
            std::cerr << "showroom-hq: server failed\n";
        }
        std::lock_guard lock(raw->doneMutex);
        raw->done = true;
        raw->doneChanged.notify_all();
    });

    // httplib 0.11 has no wait_until_ready(): poll until the accept loop runs (or gave up).
    const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
    while (!raw->server->is_running()) {
        {
            std::lock_guard lock(raw->doneMutex);
            if (raw->done) return core::fail(ErrorCode::Io, "the server could not start listening");
        }
        if (std::chrono::steady_clock::now() > deadline) {
            // The accept loop may still start later; it cannot be stopped before it runs, so it is
            // left to the process (this only happens on a machine too loaded to serve anyway).
            raw->listener.detach();
            (void)impl.release();
            return core::fail(ErrorCode::Io, "the server did not start listening within 10 s");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return std::unique_ptr<HqServer>(new HqServer(std::move(impl)));
}

HqServer::HqServer(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

HqServer::~HqServer() {
    stop();
    if (m_impl->listener.joinable()) m_impl->listener.join();
}

int HqServer::port() const {
    return m_impl->port;
}

std::string HqServer::url() const {
    const std::string& host = m_impl->options.host;
    const bool v6 = host.find(':') != std::string::npos;
    return std::string(m_impl->options.insecure ? "http://" : "https://") + (v6 ? "[" + host + "]" : host) + ":" +
           std::to_string(m_impl->port);
}

void HqServer::stop() {
    // httplib's stop() is not safe to race with itself; only the first caller passes.
    // start() returned only once the accept loop ran, so stop() reaches it.
    if (m_impl->stopRequested.exchange(true)) return;
    m_impl->server->stop();
}

void HqServer::wait() {
    std::unique_lock lock(m_impl->doneMutex);
    m_impl->doneChanged.wait(lock, [this] { return m_impl->done; });
}

} // namespace showroom::sync
