#pragma once
// Waiting for the next event without burning CPU, on every SDL video driver.
//
// SDL_WaitEventTimeout really sleeps only where the video driver can wait (X11, Wayland, KMS).
// Under the offscreen driver that headless runs use, SDL 2.26 polls every millisecond instead,
// which costs an idle kiosk ~1.5 % CPU. EventWait sleeps on a semaphore there, posted by an SDL
// event watch (any SDL_PushEvent, e.g. from a device thread) and by wakeFromSignal().
//
// Thread: construct and wait() on the main thread after SDL_Init; wakeFromSignal() may be called
// from a signal handler (it only posts a semaphore).

#include <SDL.h>

namespace showroom::kiosk {

class EventWait {
public:
    EventWait();
    ~EventWait();
    EventWait(const EventWait&) = delete;
    EventWait& operator=(const EventWait&) = delete;

    /// The next event, waiting at most timeoutMs; false when the time passed with none.
    bool wait(SDL_Event* event, int timeoutMs);
    /// True when SDL's own wait sleeps for this video driver.
    bool driverCanWait() const { return m_driverCanWait; }

    /// Async-signal-safe: ends a wait() early (the caller then checks its stop flag).
    static void wakeFromSignal();

private:
    bool m_driverCanWait = true;
};

} // namespace showroom::kiosk
