#pragma once
// The kiosk's look in one place: colours (../shared/UI.md tokens), the type scale, spacing, and the
// fonts loaded once at start-up (DejaVu Sans for Latin, WenQuanYi Micro Hei merged in for Chinese).
// Thread: main thread only; call loadFonts() before the first frame.

#include "showroom/core/result.hpp"

#include <imgui.h>

#include <string>
#include <string_view>

namespace showroom::kiosk::theme {

// Colours (sRGB, opaque unless noted).
inline constexpr ImU32 kBackground = IM_COL32(0x0F, 0x11, 0x15, 0xFF);
inline constexpr ImU32 kSurface = IM_COL32(0x18, 0x1B, 0x22, 0xFF);
inline constexpr ImU32 kSurfaceRaised = IM_COL32(0x22, 0x26, 0x32, 0xFF);
inline constexpr ImU32 kText = IM_COL32(0xF2, 0xF4, 0xF8, 0xFF);
inline constexpr ImU32 kTextMuted = IM_COL32(0xA7, 0xAF, 0xBF, 0xFF);
inline constexpr ImU32 kAccent = IM_COL32(0x3D, 0x7B, 0xFF, 0xFF);
inline constexpr ImU32 kAccentPressed = IM_COL32(0x2F, 0x63, 0xD6, 0xFF);
inline constexpr ImU32 kSuccess = IM_COL32(0x2B, 0xB6, 0x73, 0xFF);
inline constexpr ImU32 kWarning = IM_COL32(0xF5, 0xA5, 0x24, 0xFF);
inline constexpr ImU32 kDanger = IM_COL32(0xE5, 0x48, 0x4D, 0xFF);

// Radii and the 8-px spacing grid, at 1080p; multiplied by scale() for other screens.
inline constexpr float kRadiusCard = 12, kRadiusButton = 10, kRadiusChip = 999;
inline constexpr float kSpace1 = 8, kSpace2 = 16, kSpace3 = 24, kSpace4 = 32, kSpace6 = 48;
inline constexpr float kMinTouch = 48; ///< smallest hit target at 1080p

enum class Font { Small, Body, Heading, Title, Display, Count };   ///< 20, 24, 32, 48, 64 px at 1080p

/// Loads every font size once (Latin + CJK merged). `scale` follows the screen (1.0 at 1080p).
/// `text` is every string the kiosk may show (both string tables): its characters are added to the
/// atlas beyond the 2,500 common Chinese ones, so no shown glyph is ever missing.
core::Status loadFonts(float scale, std::string_view text);
ImFont* font(Font which);
float scale();

/// Applies colours, rounding and spacing to ImGui's style.
void apply(float scale);

/// WCAG relative-luminance contrast ratio of two colours (1..21). Used by tests of the palette.
double contrast(ImU32 a, ImU32 b);

} // namespace showroom::kiosk::theme
