#pragma once
// A fault-injecting TCP proxy on 127.0.0.1 for the sync tests: stands between the store's client and
// HQ and, connection by connection, forwards faithfully or breaks the exchange the ways a real
// network does.
//
// Each accepted connection takes the next planned Fault (plan()), or the default (setDefault()) when
// none is queued. The proxy knows only as much HTTP as its faults need: where a request ends (headers
// and Content-Length, for Replay) and that the first byte from upstream starts the response (for
// DropResponse). One thread runs every connection with poll(); each connection is closed after
// kSessionLimit whatever happens, and stop() (or the destructor) closes everything.
//
// Threads: start() and stop() from the test's thread; every other member from any thread.

#include "showroom/core/result.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace showroom::test {

struct Fault {
    enum class Kind {
        None,         ///< forward both ways
        DropRequest,  ///< forward `afterBytes` bytes of the request, then hang up on both sides
        DropResponse, ///< forward the whole request; hang up on both sides when the response starts
        Replay,       ///< forward as usual, and send the same request bytes to upstream a second time
    };
    Kind kind = Kind::None;
    std::size_t afterBytes = 0;         ///< DropRequest only
    std::chrono::milliseconds delay{0}; ///< hold the response this long after its first byte arrives
};

class FaultProxy {
public:
    static constexpr std::chrono::seconds kSessionLimit{30};

    /// Listens on 127.0.0.1 (a free port) and forwards to 127.0.0.1:`targetPort`. Io when it cannot listen.
    static core::Result<std::unique_ptr<FaultProxy>> start(int targetPort);
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    int port() const { return m_port; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

    /// Queues `fault` for the next connection not yet accepted.
    void plan(Fault fault);
    /// The fault for connections when nothing is queued (initially None).
    void setDefault(Fault fault);

    int connections() const { return m_connections; }
    /// Connections a DropRequest or DropResponse actually cut.
    int dropped() const { return m_dropped; }
    /// Raw HTTP responses upstream sent to replayed requests, once each is complete.
    std::vector<std::string> replayResponses() const;
    /// Waits until `n` replays are answered (or upstream hung up on them); false on timeout.
    bool waitForReplays(std::size_t n, std::chrono::milliseconds limit) const;
    /// Why the proxy thread stopped early ("" while it runs or after a clean stop()).
    std::string failure() const;

    /// Closes every connection and the listener; joins the thread. Idempotent.
    void stop();

    struct Session; // one client connection, its upstream and its replay (fault_proxy.cpp)

private:
    FaultProxy(int listenFd, int port, int targetPort);
    void serve(const std::stop_token& stop);
    void serveLoop(const std::stop_token& stop);
    Fault nextFault();

    int m_listenFd;
    int m_port;
    int m_targetPort;
    std::atomic<int> m_connections{0};
    std::atomic<int> m_dropped{0};

    mutable std::mutex m_mutex; // guards the members below; never held across I/O
    std::deque<Fault> m_planned;
    Fault m_default;
    std::vector<std::string> m_replayResponses;
    std::string m_failure;

    std::jthread m_thread; // last: joined before the members it uses die
};

} // namespace showroom::test
