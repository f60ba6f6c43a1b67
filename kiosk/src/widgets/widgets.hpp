#pragma once
// Touch widgets drawn with the theme, used by every screen.
//
// Rules: nothing depends on hover; every tappable thing is at least theme::kMinTouch tall (scaled)
// and gives press feedback (colour shift and a slight shrink) in the frame it is pressed; a tap
// is a press and release without dragging, so scrolling a list never taps a card. Every tappable
// widget registers itself by id and label in Ui::targets, which is how headless scripts tap it.
// Thread: main thread, inside an ImGui frame.

#include "../viewmodels/keyboard.hpp"
#include "../viewmodels/photo_cache.hpp"
#include "../viewmodels/strings.hpp"

#include <imgui.h>

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace showroom::kiosk::ui {

struct Target {
    std::string id;      ///< stable, e.g. "browse.card.3", "detail.book_test_drive"
    std::string label;   ///< the text shown, in the current language
    ImVec2 min, max;     ///< screen rectangle
};

/// What the widgets share during one frame.
struct Ui {
    const Strings* strings = nullptr;
    float scale = 1.0f;
    std::vector<Target> targets;   ///< rebuilt every frame
    bool animating = false;        ///< something moves: draw the next frame without waiting
    OnScreenKeyboard keyboard;     ///< lives across frames
    ImVec2 focusedMin, focusedMax; ///< the focused text field's rectangle this frame
    float sheetTop = 1e9f;         ///< top edge of the open keyboard sheet (screen px)
    const PhotoFolder* photos = nullptr;   ///< the configured photo folder, if any
    PhotoCache* photoCache = nullptr;      ///< decoded photos as textures
    std::map<std::string, std::string> probes;   ///< what screens report for scripts' `expect`
    /// A receipt as printed (ESC/POS bytes rendered by the virtual printer's renderer) as a texture,
    /// cached by print job id; wired in app.cpp. texture 0 when it cannot be drawn.
    struct Preview {
        std::uint64_t texture = 0;
        int width = 0, height = 0;
    };
    std::function<Preview(std::int64_t jobId, const std::string& escpos)> receiptPreview;

    const std::string& tr(std::string_view key) const { return strings->tr(key); }
    float px(float at1080p) const { return at1080p * scale; }
    /// Finds a target of the last frame by id, or else by exact label.
    const Target* find(std::string_view idOrLabel) const;
};

enum class ButtonStyle { Primary, Secondary, Quiet };

/// A button of the given size (height at least the touch minimum). True on tap.
bool button(Ui& ui, const std::string& id, const std::string& label, ImVec2 size,
            ButtonStyle style = ButtonStyle::Primary);
/// A pill that toggles; `selected` draws it filled. True on tap.
bool chip(Ui& ui, const std::string& id, const std::string& label, bool selected);
/// An invisible tappable area over `min..max` (cards, photos). True on tap.
bool tapArea(Ui& ui, const std::string& id, const std::string& label, ImVec2 min, ImVec2 max);

/// A touch text field: a tap focuses it and opens the on-screen keyboard with `layout`; keys (and
/// a physical keyboard) edit `value` at its end. Pin fields show dots. Registers `id` as a target.
FieldEvent textField(Ui& ui, const std::string& id, const std::string& hint, std::string& value, float width,
                     KeyLayout layout = KeyLayout::Text);
/// The keyboard bottom sheet for the focused field; call once at the end of every frame. A tap
/// outside the sheet and the field closes it; a field that is no longer drawn closes it too.
void keyboardSheet(Ui& ui);
/// Height of the open sheet, for screens that keep their content above it (0 when closed).
float keyboardHeight(const Ui& ui);

/// Text in a theme font and colour at the cursor.
void text(ImFont* font, ImU32 color, std::string_view text);
/// Text centred in [min, max].
void textCentered(ImDrawList* dl, ImFont* font, ImU32 color, ImVec2 min, ImVec2 max, std::string_view text);

/// A clean side view of a vehicle of `body` style ("sedan", "suv", ...) in `paint` (a colour name
/// such as "Celestial Blue"), on a studio gradient, filling `min..max`. `alpha` fades it.
void carArt(ImDrawList* dl, ImVec2 min, ImVec2 max, std::string_view body, std::string_view paint, float alpha = 1.0f);
/// The vehicle's photo number `index` (cover-fitted and cropped to `min..max`) when the photo folder
/// has it and it is decoded; the drawn car otherwise (also while the photo decodes off-thread).
/// Returns true when a photo was drawn.
bool vehiclePicture(Ui& ui, ImDrawList* dl, ImVec2 min, ImVec2 max, const core::Vehicle& vehicle,
                    std::size_t index = 0, float alpha = 1.0f);
/// How many photos the folder has for the vehicle (0: the drawn car stands in).
std::size_t photoCount(const Ui& ui, const core::Vehicle& vehicle);

/// The paint colour a colour name stands for ("Ruby Red Metallic" -> red).
ImU32 paintColor(std::string_view name);

/// Drag-to-scroll with momentum for the current child window. Call once per frame inside it.
struct KineticScroll {
    float velocity = 0; ///< px per second
    bool dragging = false;
    void update(Ui& ui);
};

} // namespace showroom::kiosk::ui
