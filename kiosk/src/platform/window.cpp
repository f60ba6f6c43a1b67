#include "window.hpp"

#include <SDL.h>
#include <SDL_opengl.h>
#include <backends/imgui_impl_opengl3.h>
#include <backends/imgui_impl_sdl.h>
#include <imgui.h>

#include <stb/stb_image_write.h>

#include <cstdlib>
#include <vector>

namespace showroom::kiosk {

core::Result<std::unique_ptr<Window>> Window::open(const WindowOptions& options) {
    if (options.headless) setenv("SDL_VIDEODRIVER", "offscreen", 1);
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER | SDL_INIT_EVENTS) != 0)
        return core::fail(core::ErrorCode::Io, std::string("cannot start SDL: ") + SDL_GetError());
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_FLAGS, 0);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
    SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 8);

    std::unique_ptr<Window> w(new Window());
    w->m_headless = options.headless;
    Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI;
    if (!options.headless) flags |= SDL_WINDOW_RESIZABLE;
    if (options.fullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
    w->m_window = SDL_CreateWindow("Showroom", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, options.width,
                                   options.height, flags);
    if (!w->m_window) return core::fail(core::ErrorCode::Io, std::string("cannot open a window: ") + SDL_GetError());
    w->m_gl = SDL_GL_CreateContext(w->m_window);
    if (!w->m_gl) return core::fail(core::ErrorCode::Io, std::string("no OpenGL 3.3 context: ") + SDL_GetError());
    SDL_GL_MakeCurrent(w->m_window, w->m_gl);
    SDL_GL_SetSwapInterval(options.headless ? 0 : 1);
    w->refreshSize();

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr; // a kiosk starts the same every time
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    if (!ImGui_ImplSDL2_InitForOpenGL(w->m_window, w->m_gl) || !ImGui_ImplOpenGL3_Init("#version 330"))
        return core::fail(core::ErrorCode::Io, "cannot start the Dear ImGui backends");
    w->m_imguiReady = true;
    return w;
}

Window::~Window() {
    if (m_imguiReady) {
        ImGui_ImplOpenGL3_Shutdown();
        ImGui_ImplSDL2_Shutdown();
        ImGui::DestroyContext();
    }
    if (m_gl) SDL_GL_DeleteContext(m_gl);
    if (m_window) SDL_DestroyWindow(m_window);
    SDL_Quit();
}

void Window::refreshSize() { SDL_GL_GetDrawableSize(m_window, &m_width, &m_height); }

void Window::beginFrame() {
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplSDL2_NewFrame();
}

core::Status Window::endFrame(const std::string* screenshotPath) {
    ImGui::Render();
    refreshSize();
    glViewport(0, 0, m_width, m_height);
    glClearColor(0.059f, 0.067f, 0.082f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    core::Status saved;
    if (screenshotPath) {
        std::vector<unsigned char> pixels(static_cast<std::size_t>(m_width) * m_height * 4);
        glReadBuffer(GL_BACK);
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glReadPixels(0, 0, m_width, m_height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
        for (std::size_t i = 3; i < pixels.size(); i += 4) pixels[i] = 255; // the frame is opaque
        const int stride = m_width * 4;
        // OpenGL's first row is the bottom one; PNG's is the top.
        if (!stbi_write_png(screenshotPath->c_str(), m_width, m_height, 4,
                            pixels.data() + static_cast<std::size_t>(m_height - 1) * stride, -stride))
            saved = core::fail(core::ErrorCode::Io, "cannot write the screenshot " + *screenshotPath);
    }
    SDL_GL_SwapWindow(m_window);
    // Offscreen, nothing paces llvmpipe: without a finish it queues frame after frame and then
    // rasterises the backlog in one stall of many seconds. Each frame pays for itself instead.
    if (m_headless) glFinish();
    return saved;
}

} // namespace showroom::kiosk
