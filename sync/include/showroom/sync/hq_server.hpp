#pragma once
// The headquarters HTTP(S) server (`showroom-hq serve`): the routes of protocol.hpp over cpp-httplib.
//
// TLS with the given certificate and key; plain HTTP only with `insecure` (development). Every route
// but /v1/health needs a store token (401 without one or with a wrong one); a body over
// kMaxBodyBytes is 413, malformed JSON 400; nothing is written for a refused request. Each worker
// thread has its own Hq (its own database connection).
//
// Threads: start() returns once the server listens; stop() may be called from any thread.

#include "showroom/core/result.hpp"

#include <memory>
#include <string>

namespace showroom::sync {

struct HqServerOptions {
    std::string storage = "sqlite:hq.db";   ///< see openHqStorage
    std::string host = "127.0.0.1";
    int port = 0;                           ///< 0: any free port (see HqServer::port)
    std::string certFile, keyFile;          ///< PEM; both required unless insecure
    bool insecure = false;                  ///< plain HTTP
    int threads = 8;
};

class HqServer {
public:
    /// Opens the storage (migrating it), binds and starts serving. InvalidInput for missing
    /// certificate files without insecure; Io when the address cannot be bound.
    static core::Result<std::unique_ptr<HqServer>> start(HqServerOptions options);
    ~HqServer();
    HqServer(const HqServer&) = delete;
    HqServer& operator=(const HqServer&) = delete;

    int port() const;
    std::string url() const;   ///< "https://127.0.0.1:PORT" (http:// when insecure)
    void stop();
    /// Blocks until stop() (for `showroom-hq serve`).
    void wait();

    struct Impl;

private:
    explicit HqServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace showroom::sync
