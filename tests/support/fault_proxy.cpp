#include "fault_proxy.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <optional>

namespace showroom::test {

using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kChunk = 64 * 1024;
constexpr int kTickMs = 10; // poll's timeout: how often held responses, deadlines and stop() are looked at

void closeFd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

// A dropped connection is dropped, not finished: an RST instead of an orderly FIN.
void abortFd(int& fd) {
    if (fd < 0) return;
    const linger hard{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    closeFd(fd);
}

bool setNonBlocking(int fd) {
    const int flags = ::fcntl(fd, F_GETFL);
    return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

// A non-blocking socket connected to 127.0.0.1:`port`; -1 when nothing listens there. The connect
// itself blocks, which on loopback means microseconds (or an immediate refusal).
int connectLoopback(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 || !setNonBlocking(fd)) closeFd(fd);
    return fd;
}

// The length of the first request in `in` once all of it is there (headers and Content-Length
// bytes of body); npos before that. Chunked bodies are not understood: the sync client never sends one.
std::size_t completeRequestLength(const std::string& in) {
    const auto end = in.find("\r\n\r\n");
    if (end == std::string::npos) return std::string::npos;
    std::string head = in.substr(0, end);
    std::transform(head.begin(), head.end(), head.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    std::size_t length = 0;
    if (const auto at = head.find("\r\ncontent-length:"); at != std::string::npos)
        length = std::strtoull(head.c_str() + at + 17, nullptr, 10);
    const std::size_t total = end + 4 + length;
    return in.size() >= total ? total : std::string::npos;
}

bool wouldBlock() {
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}

// Sends what it can of `out` (and erases it); false when the peer is gone.
bool flush(int fd, std::string& out) {
    while (!out.empty()) {
        const auto n = ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
        if (n < 0) return wouldBlock();
        out.erase(0, static_cast<std::size_t>(n));
    }
    return true;
}

enum class Read { Data, Nothing, Closed };

Read receive(int fd, std::string& into) {
    char buf[kChunk];
    const auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
        into.assign(buf, static_cast<std::size_t>(n));
        return Read::Data;
    }
    if (n < 0 && wouldBlock()) return Read::Nothing;
    return Read::Closed;
}

} // namespace

struct FaultProxy::Session {
    int client = -1;
    int upstream = -1;
    int replay = -1;
    Fault fault;
    Clock::time_point deadline;

    std::string toUpstream, toClient, toReplay;
    std::size_t requestBytes = 0; // request bytes taken from the client
    std::string request;          // Replay: the request as the client sent it
    bool replayStarted = false;
    std::string replayResponse;
    std::optional<Clock::time_point> releaseAt; // the response is held until then (Fault::delay)
    bool closeUpstreamWhenFlushed = false;      // DropRequest: let HQ see the partial request, then hang up
    bool upstreamDone = false;                  // upstream hung up: close the client once toClient is out

    Session() = default;
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;
    ~Session() {
        closeFd(client);
        closeFd(upstream);
        closeFd(replay);
    }
    bool finished() const { return client < 0 && upstream < 0 && replay < 0; }
};

core::Result<std::unique_ptr<FaultProxy>> FaultProxy::start(int targetPort) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return core::fail(core::ErrorCode::Io, std::string("proxy socket: ") + std::strerror(errno));
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(fd, 64) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0 || !setNonBlocking(fd)) {
        const std::string why = std::strerror(errno);
        closeFd(fd);
        return core::fail(core::ErrorCode::Io, "proxy cannot listen on 127.0.0.1: " + why);
    }
    return std::unique_ptr<FaultProxy>(new FaultProxy(fd, ntohs(addr.sin_port), targetPort));
}

FaultProxy::FaultProxy(int listenFd, int port, int targetPort)
    : m_listenFd(listenFd), m_port(port), m_targetPort(targetPort) {
    m_thread = std::jthread([this](std::stop_token stop) { serve(stop); });
}

FaultProxy::~FaultProxy() {
    stop();
}

void FaultProxy::stop() {
    if (m_thread.joinable()) {
        m_thread.request_stop();
        m_thread.join();
    }
    closeFd(m_listenFd);
}

void FaultProxy::plan(Fault fault) {
    std::lock_guard lock(m_mutex);
    m_planned.push_back(fault);
}

void FaultProxy::setDefault(Fault fault) {
    std::lock_guard lock(m_mutex);
    m_default = fault;
}

Fault FaultProxy::nextFault() {
    std::lock_guard lock(m_mutex);
    if (m_planned.empty()) return m_default;
    const Fault f = m_planned.front();
    m_planned.pop_front();
    return f;
}

std::vector<std::string> FaultProxy::replayResponses() const {
    std::lock_guard lock(m_mutex);
    return m_replayResponses;
}

bool FaultProxy::waitForReplays(std::size_t n, std::chrono::milliseconds limit) const {
    const auto deadline = Clock::now() + limit;
    for (;;) {
        {
            std::lock_guard lock(m_mutex);
            if (m_replayResponses.size() >= n) return true;
        }
        if (Clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

std::string FaultProxy::failure() const {
    std::lock_guard lock(m_mutex);
    return m_failure;
}

void FaultProxy::serve(const std::stop_token& stop) {
    try {
        serveLoop(stop);
    } catch (const std::exception& e) {
        std::lock_guard lock(m_mutex);
        m_failure = std::string("proxy thread: ") + e.what();
    } catch (...) {
        std::lock_guard lock(m_mutex);
        m_failure = "proxy thread: unknown exception";
    }
}

void FaultProxy::serveLoop(const std::stop_token& stop) {
    std::vector<std::unique_ptr<Session>> sessions;
    std::vector<pollfd> fds;
    struct Slots {
        int client = -1, upstream = -1, replay = -1; // indexes into fds
    };
    std::vector<Slots> slots;
    std::string data;

    const auto finishReplay = [this](Session& s) {
        if (s.replay < 0) return;
        closeFd(s.replay);
        std::lock_guard lock(m_mutex);
        m_replayResponses.push_back(std::move(s.replayResponse));
    };

    // Request bytes from the client, handled as the session's fault says.
    const auto fromClient = [this](Session& s, const std::string& bytes) {
        switch (s.fault.kind) {
        case Fault::Kind::DropRequest: {
            const std::size_t room = s.fault.afterBytes - std::min(s.fault.afterBytes, s.requestBytes);
            const std::size_t take = std::min(room, bytes.size());
            s.toUpstream.append(bytes, 0, take);
            s.requestBytes += take;
            if (s.requestBytes >= s.fault.afterBytes) {
                abortFd(s.client);
                s.closeUpstreamWhenFlushed = true;
                ++m_dropped;
            }
            return;
        }
        case Fault::Kind::Replay:
            s.toUpstream += bytes;
            s.requestBytes += bytes.size();
            if (!s.replayStarted) {
                s.request += bytes;
                if (const auto n = completeRequestLength(s.request); n != std::string::npos) {
                    s.replayStarted = true;
                    s.toReplay = s.request.substr(0, n);
                    s.replay = connectLoopback(m_targetPort);
                    if (s.replay < 0) {
                        std::lock_guard lock(m_mutex);
                        m_replayResponses.emplace_back(); // nothing answered it
                    }
                }
            }
            return;
        case Fault::Kind::None:
        case Fault::Kind::DropResponse:
            s.toUpstream += bytes;
            s.requestBytes += bytes.size();
            return;
        }
    };

    while (!stop.stop_requested()) {
        const auto now = Clock::now();
        for (auto& sp : sessions) {
            Session& s = *sp;
            if (now > s.deadline) {
                abortFd(s.client);
                abortFd(s.upstream);
                finishReplay(s);
            }
            // Nobody left to answer: HQ's side goes too (after a partial request when that is the fault).
            if (s.client < 0 && s.upstream >= 0 && (!s.closeUpstreamWhenFlushed || s.toUpstream.empty()))
                closeFd(s.upstream);
            if (s.upstreamDone && s.toClient.empty()) closeFd(s.client);
        }
        std::erase_if(sessions, [](const auto& sp) { return sp->finished(); });

        fds.clear();
        slots.clear();
        fds.push_back({m_listenFd, POLLIN, 0});
        for (auto& sp : sessions) {
            Session& s = *sp;
            Slots slot;
            const auto add = [&](int fd, bool wantWrite) {
                fds.push_back({fd, static_cast<short>(POLLIN | (wantWrite ? POLLOUT : 0)), 0});
                return static_cast<int>(fds.size()) - 1;
            };
            const bool released = !s.releaseAt || now >= *s.releaseAt;
            if (s.client >= 0) slot.client = add(s.client, !s.toClient.empty() && released);
            if (s.upstream >= 0) slot.upstream = add(s.upstream, !s.toUpstream.empty());
            if (s.replay >= 0) slot.replay = add(s.replay, !s.toReplay.empty());
            slots.push_back(slot);
        }
        const int ready = ::poll(fds.data(), fds.size(), kTickMs);
        if (ready < 0) {
            if (errno == EINTR) continue;
            std::lock_guard lock(m_mutex);
            m_failure = std::string("proxy poll: ") + std::strerror(errno);
            return;
        }
        if (ready == 0) continue;

        for (std::size_t i = 0; i < sessions.size(); ++i) {
            Session& s = *sessions[i];
            const Slots& slot = slots[i];
            const auto events = [&](int index) { return index < 0 ? 0 : fds[static_cast<std::size_t>(index)].revents; };

            if (const auto ev = events(slot.upstream); ev != 0 && s.upstream >= 0) {
                if ((ev & POLLOUT) && !flush(s.upstream, s.toUpstream)) {
                    closeFd(s.upstream);
                    s.upstreamDone = true;
                } else if (ev & (POLLIN | POLLHUP | POLLERR)) {
                    const Read r = receive(s.upstream, data);
                    if (r == Read::Data && s.fault.kind == Fault::Kind::DropResponse) {
                        // HQ has answered, so whatever it does on a request it has done; the answer is lost.
                        abortFd(s.client);
                        abortFd(s.upstream);
                        s.toClient.clear();
                        ++m_dropped;
                    } else if (r == Read::Data) {
                        s.toClient += data;
                        if (s.fault.delay.count() > 0 && !s.releaseAt) s.releaseAt = Clock::now() + s.fault.delay;
                    } else if (r == Read::Closed) {
                        closeFd(s.upstream);
                        s.upstreamDone = true;
                    }
                }
            }

            if (const auto ev = events(slot.client); ev != 0 && s.client >= 0) {
                if ((ev & POLLOUT) && !flush(s.client, s.toClient)) {
                    closeFd(s.client);
                } else if (ev & (POLLIN | POLLHUP | POLLERR)) {
                    const Read r = receive(s.client, data);
                    if (r == Read::Data)
                        fromClient(s, data);
                    else if (r == Read::Closed)
                        closeFd(s.client);
                }
            }

            if (const auto ev = events(slot.replay); ev != 0 && s.replay >= 0) {
                if ((ev & POLLOUT) && !flush(s.replay, s.toReplay)) {
                    finishReplay(s);
                } else if (ev & (POLLIN | POLLHUP | POLLERR)) {
                    const Read r = receive(s.replay, data);
                    if (r == Read::Data)
                        s.replayResponse += data;
                    else if (r == Read::Closed)
                        finishReplay(s);
                }
            }
        }

        if (fds[0].revents & POLLIN) {
            for (;;) {
                const int c = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
                if (c < 0) break;
                ++m_connections;
                auto s = std::make_unique<Session>();
                s->client = c;
                s->fault = nextFault();
                s->deadline = Clock::now() + kSessionLimit;
                s->upstream = connectLoopback(m_targetPort);
                if (s->upstream < 0) abortFd(s->client); // upstream is down: so is the proxy, to the client
                sessions.push_back(std::move(s));
            }
        }
    }
}

} // namespace showroom::test
