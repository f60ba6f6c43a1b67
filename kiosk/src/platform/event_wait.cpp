#include "event_wait.hpp"

#include <semaphore.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace showroom::kiosk {

namespace {

sem_t g_wake;
bool g_ready = false;

int onEvent(void*, SDL_Event* event) {
    // SDL_PollEvent itself queues a sentinel on every call; waking for it would spin.
    if (event->type != SDL_POLLSENTINEL) sem_post(&g_wake);
    return 1;
}

} // namespace

EventWait::EventWait() {
    const char* driver = SDL_GetCurrentVideoDriver();
    m_driverCanWait = !(driver && (std::strcmp(driver, "offscreen") == 0 || std::strcmp(driver, "dummy") == 0));
    if (!g_ready) {
        sem_init(&g_wake, 0, 0);
        g_ready = true;
    }
    if (!m_driverCanWait) SDL_AddEventWatch(onEvent, nullptr);
}

EventWait::~EventWait() {
    if (!m_driverCanWait) SDL_DelEventWatch(onEvent, nullptr);
}

void EventWait::wakeFromSignal() {
    if (g_ready) sem_post(&g_wake);
}

bool EventWait::wait(SDL_Event* event, int timeoutMs) {
    if (m_driverCanWait) return SDL_WaitEventTimeout(event, timeoutMs) != 0;
    if (SDL_PollEvent(event)) return true;
    timespec until{};
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeoutMs / 1000;
    until.tv_nsec += static_cast<long>(timeoutMs % 1000) * 1'000'000L;
    if (until.tv_nsec >= 1'000'000'000L) {
        until.tv_sec += 1;
        until.tv_nsec -= 1'000'000'000L;
    }
    while (sem_timedwait(&g_wake, &until) != 0 && errno == EINTR) {
    }
    while (sem_trywait(&g_wake) == 0) {   // one look at the queue answers every pending post
    }
    return SDL_PollEvent(event) != 0;
}

} // namespace showroom::kiosk
