#pragma once
// The SDL2 window, its OpenGL context and the Dear ImGui backends: everything platform-specific the
// kiosk needs, in one owner. Headless runs use SDL's offscreen video driver with EGL on Mesa's
// llvmpipe, so the same renderer draws with no display attached and screenshots match the screen.
//
// Thread: create, use and destroy on the main thread only.

#include "showroom/core/result.hpp"

#include <cstdint>
#include <memory>
#include <string>

struct SDL_Window;

namespace showroom::kiosk {

struct WindowOptions {
    int width = 1920, height = 1080;
    bool headless = false;    ///< SDL_VIDEODRIVER=offscreen: no display needed
    bool fullscreen = false;  ///< kiosk lockdown: borderless full screen
};

class Window {
public:
    static core::Result<std::unique_ptr<Window>> open(const WindowOptions& options);
    ~Window();
    Window(const Window&) = delete;
    Window& operator=(const Window&) = delete;

    SDL_Window* sdl() const { return m_window; }
    int width() const { return m_width; }
    int height() const { return m_height; }
    void refreshSize();

    /// Starts an ImGui frame (backends first) ...
    void beginFrame();
    /// ... renders it, writes it as PNG to `screenshotPath` when given, and presents it.
    core::Status endFrame(const std::string* screenshotPath = nullptr);

private:
    Window() = default;
    SDL_Window* m_window = nullptr;
    void* m_gl = nullptr;
    int m_width = 0, m_height = 0;
    bool m_imguiReady = false;
    bool m_headless = false;
};

} // namespace showroom::kiosk
