#include "theme.hpp"

#include <array>
#include <cmath>
#include <filesystem>

namespace showroom::kiosk::theme {

namespace {

std::array<ImFont*, static_cast<std::size_t>(Font::Count)> g_fonts{};
float g_scale = 1.0f;
// The atlas keeps pointers to its glyph ranges until it is built: they live here.
ImVector<ImWchar> g_latinRanges, g_cjkRanges;

constexpr const char* kLatin = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr const char* kLatinBold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
constexpr const char* kCjk = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

double channel(unsigned c) {
    const double v = c / 255.0;
    return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
}

double luminance(ImU32 c) {
    return 0.2126 * channel(c & 0xFF) + 0.7152 * channel((c >> 8) & 0xFF) + 0.0722 * channel((c >> 16) & 0xFF);
}

} // namespace

double contrast(ImU32 a, ImU32 b) {
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

float scale() { return g_scale; }

ImFont* font(Font which) { return g_fonts[static_cast<std::size_t>(which)]; }

core::Status loadFonts(float s, std::string_view text) {
    g_scale = s;
    for (const char* path : {kLatin, kLatinBold, kCjk})
        if (!std::filesystem::exists(path))
            return core::fail(core::ErrorCode::NotFound, std::string("font missing: ") + path +
                                                             " (install fonts-dejavu-core and fonts-wqy-microhei)");
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    const std::string shown(text);
    {
        ImFontGlyphRangesBuilder latin;
        latin.AddRanges(io.Fonts->GetGlyphRangesDefault());
        latin.AddText("\u2026\u2713\u25CB\u00B7\u2014\u2022"); // … ✓ ○ · — •
        latin.AddText(shown.c_str());
        g_latinRanges.clear();
        latin.BuildRanges(&g_latinRanges);
        ImFontGlyphRangesBuilder cjk;
        cjk.AddRanges(io.Fonts->GetGlyphRangesChineseSimplifiedCommon());
        cjk.AddText(shown.c_str());
        g_cjkRanges.clear();
        cjk.BuildRanges(&g_cjkRanges);
    }
    constexpr float kSizes[] = {20, 24, 32, 48, 64};
    for (std::size_t i = 0; i < g_fonts.size(); ++i) {
        const float px = std::round(kSizes[i] * s);
        ImFontConfig latin;
        latin.OversampleH = 2;
        // Titles and prices read better bold; body text regular.
        g_fonts[i] = io.Fonts->AddFontFromFileTTF(i >= 3 ? kLatinBold : kLatin, px, &latin, g_latinRanges.Data);
        if (!g_fonts[i]) return core::fail(core::ErrorCode::Io, std::string("cannot load ") + kLatin);
        ImFontConfig cjk;
        cjk.MergeMode = true;
        cjk.OversampleH = 1;
        cjk.PixelSnapH = true;
        if (!io.Fonts->AddFontFromFileTTF(kCjk, px, &cjk, g_cjkRanges.Data))
            return core::fail(core::ErrorCode::Io, std::string("cannot load ") + kCjk);
    }
    io.FontDefault = font(Font::Body);
    if (!io.Fonts->Build()) return core::fail(core::ErrorCode::Io, "cannot build the font atlas");
    return {};
}

void apply(float s) {
    ImGuiStyle& style = ImGui::GetStyle();
    style = ImGuiStyle();
    style.WindowPadding = ImVec2(0, 0);
    style.WindowBorderSize = 0;
    style.WindowRounding = 0;
    style.FramePadding = ImVec2(kSpace2 * s, kSpace1 * s);
    style.FrameRounding = kRadiusButton * s;
    style.ItemSpacing = ImVec2(kSpace2 * s, kSpace2 * s);
    style.GrabMinSize = 32 * s;
    style.GrabRounding = kRadiusChip;
    style.ScrollbarSize = 0; // touch: drag to scroll, no bars to aim at
    style.TouchExtraPadding = ImVec2(4 * s, 4 * s);
    ImVec4* c = style.Colors;
    c[ImGuiCol_WindowBg] = ImGui::ColorConvertU32ToFloat4(kBackground);
    c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_PopupBg] = ImGui::ColorConvertU32ToFloat4(kSurfaceRaised);
    c[ImGuiCol_Text] = ImGui::ColorConvertU32ToFloat4(kText);
    c[ImGuiCol_TextDisabled] = ImGui::ColorConvertU32ToFloat4(kTextMuted);
    c[ImGuiCol_FrameBg] = ImGui::ColorConvertU32ToFloat4(kSurfaceRaised);
    c[ImGuiCol_FrameBgHovered] = ImGui::ColorConvertU32ToFloat4(kSurfaceRaised);
    c[ImGuiCol_FrameBgActive] = ImGui::ColorConvertU32ToFloat4(kSurface);
    c[ImGuiCol_SliderGrab] = ImGui::ColorConvertU32ToFloat4(kAccent);
    c[ImGuiCol_SliderGrabActive] = ImGui::ColorConvertU32ToFloat4(kAccentPressed);
    c[ImGuiCol_CheckMark] = ImGui::ColorConvertU32ToFloat4(kAccent);
    c[ImGuiCol_Button] = ImGui::ColorConvertU32ToFloat4(kAccent);
    c[ImGuiCol_ButtonHovered] = ImGui::ColorConvertU32ToFloat4(kAccent);
    c[ImGuiCol_ButtonActive] = ImGui::ColorConvertU32ToFloat4(kAccentPressed);
    c[ImGuiCol_NavHighlight] = ImGui::ColorConvertU32ToFloat4(kAccent);
    c[ImGuiCol_TextSelectedBg] = ImVec4(0.24f, 0.48f, 1.0f, 0.35f);
}

} // namespace showroom::kiosk::theme
