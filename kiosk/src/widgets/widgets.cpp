#include "widgets.hpp"

#include "theme.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

namespace showroom::kiosk::ui {

namespace {

// A press becomes a tap only if the finger stayed within this distance (px at 1080p).
constexpr float kTapSlop = 12.0f;

ImU32 withAlpha(ImU32 c, float a) {
    const auto alpha = static_cast<unsigned>(std::clamp(a, 0.0f, 1.0f) * static_cast<float>((c >> 24) & 0xFF));
    return (c & 0x00FFFFFF) | (alpha << 24);
}

ImU32 mix(ImU32 a, ImU32 b, float t) {
    auto ch = [&](int shift) {
        const float x = static_cast<float>((a >> shift) & 0xFF), y = static_cast<float>((b >> shift) & 0xFF);
        return static_cast<ImU32>(x + (y - x) * t) << shift;
    };
    return ch(0) | ch(8) | ch(16) | (a & 0xFF000000);
}

// Shared press/tap logic: registers the target, returns {pressedNow, tapped}.
std::pair<bool, bool> pressable(Ui& ui, const std::string& id, const std::string& label, ImVec2 min, ImVec2 max) {
    ui.targets.push_back({id, label, min, max});
    ImGui::SetCursorScreenPos(min);
    ImGui::InvisibleButton(id.c_str(), ImVec2(std::max(1.0f, max.x - min.x), std::max(1.0f, max.y - min.y)));
    const bool active = ImGui::IsItemActive();
    const ImGuiIO& io = ImGui::GetIO();
    const bool dragged = std::abs(io.MouseDragMaxDistanceSqr[0]) > ui.px(kTapSlop) * ui.px(kTapSlop);
    const bool tapped = ImGui::IsItemDeactivated() && ImGui::IsItemHovered() && !dragged;
    return {active && !dragged, tapped};
}

} // namespace

const Target* Ui::find(std::string_view idOrLabel) const {
    for (const auto& t : targets)
        if (t.id == idOrLabel) return &t;
    for (const auto& t : targets)
        if (t.label == idOrLabel) return &t;
    return nullptr;
}

bool button(Ui& ui, const std::string& id, const std::string& label, ImVec2 size, ButtonStyle style) {
    const ImVec2 min = ImGui::GetCursorScreenPos();
    size.y = std::max(size.y, ui.px(theme::kMinTouch));
    const ImVec2 max(min.x + size.x, min.y + size.y);
    auto [pressed, tapped] = pressable(ui, id, label, min, max);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // Press feedback: darker and 2 % smaller, in the same frame.
    const float inset = pressed ? size.x * 0.01f : 0.0f;
    const ImVec2 a(min.x + inset, min.y + inset), b(max.x - inset, max.y - inset);
    ImU32 fill = 0, textColor = theme::kText;
    switch (style) {
    case ButtonStyle::Primary: fill = pressed ? theme::kAccentPressed : theme::kAccent; break;
    case ButtonStyle::Secondary: fill = pressed ? theme::kSurface : theme::kSurfaceRaised; break;
    case ButtonStyle::Quiet:
        fill = pressed ? theme::kSurfaceRaised : 0;
        textColor = theme::kTextMuted;
        break;
    }
    if (fill) dl->AddRectFilled(a, b, fill, ui.px(theme::kRadiusButton));
    if (style == ButtonStyle::Secondary) dl->AddRect(a, b, IM_COL32(255, 255, 255, 30), ui.px(theme::kRadiusButton));
    textCentered(dl, ImGui::GetFont(), textColor, a, b, label);
    return tapped;
}

bool chip(Ui& ui, const std::string& id, const std::string& label, bool selected) {
    ImFont* f = ImGui::GetFont();
    const ImVec2 textSize = f->CalcTextSizeA(f->FontSize, 1e9f, 0, label.c_str());
    const ImVec2 size(textSize.x + ui.px(2 * theme::kSpace3), ui.px(theme::kMinTouch));
    const ImVec2 min = ImGui::GetCursorScreenPos();
    const ImVec2 max(min.x + size.x, min.y + size.y);
    auto [pressed, tapped] = pressable(ui, id, label, min, max);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImU32 fill = selected ? theme::kAccent : theme::kSurfaceRaised;
    if (pressed) fill = mix(fill, IM_COL32(0, 0, 0, 255), 0.2f);
    dl->AddRectFilled(min, max, fill, size.y / 2);
    if (!selected) dl->AddRect(min, max, IM_COL32(255, 255, 255, 40), size.y / 2);
    textCentered(dl, f, selected ? theme::kText : theme::kTextMuted, min, max, label);
    return tapped;
}

bool tapArea(Ui& ui, const std::string& id, const std::string& label, ImVec2 min, ImVec2 max) {
    const ImVec2 cursor = ImGui::GetCursorScreenPos();
    auto [pressed, tapped] = pressable(ui, id, label, min, max);
    if (pressed) ImGui::GetWindowDrawList()->AddRectFilled(min, max, IM_COL32(0, 0, 0, 50), ui.px(theme::kRadiusCard));
    ImGui::SetCursorScreenPos(cursor);
    return tapped;
}

FieldEvent textField(Ui& ui, const std::string& id, const std::string& hint, std::string& value, float width,
                     KeyLayout layout) {
    ImFont* f = ImGui::GetFont();
    const ImVec2 min = ImGui::GetCursorScreenPos();
    const float height = std::max(ui.px(theme::kMinTouch), f->FontSize + ui.px(28));
    const ImVec2 max(min.x + width, min.y + height);
    FieldEvent event = FieldEvent::None;
    if (ui.keyboard.field() == id) event = ui.keyboard.apply(value);
    if (tapArea(ui, id, hint, min, max)) ui.keyboard.focus(id, layout);
    const bool focused = ui.keyboard.field() == id;
    if (focused) {
        ui.keyboard.markDrawn(id);
        ui.focusedMin = min;
        ui.focusedMax = max;
    }

    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float radius = ui.px(theme::kRadiusButton);
    dl->AddRectFilled(min, max, theme::kSurfaceRaised, radius);
    dl->AddRect(min, max, focused ? theme::kAccent : IM_COL32(255, 255, 255, 40), radius, 0, ui.px(focused ? 3 : 1));
    std::string shown = value;
    if (layout == KeyLayout::Pin) {
        shown.clear();
        for (std::size_t i = 0; i < value.size(); ++i) shown += "\u2022";
    }
    const float pad = ui.px(16);
    const ImVec2 textSize = f->CalcTextSizeA(f->FontSize, 1e9f, 0, shown.c_str());
    // Long text scrolls left so its end (where typing happens) stays visible.
    const float room = width - 2 * pad - ui.px(4);
    const float x = min.x + pad - std::max(0.0f, textSize.x - room);
    const float y = std::floor((min.y + max.y - f->FontSize) / 2);
    dl->PushClipRect(ImVec2(min.x + pad / 2, min.y), ImVec2(max.x - pad / 2, max.y), true);
    if (shown.empty() && !focused)
        dl->AddText(f, f->FontSize, ImVec2(min.x + pad, y), theme::kTextMuted, hint.c_str());
    else
        dl->AddText(f, f->FontSize, ImVec2(x, y), theme::kText, shown.c_str());
    if (focused) {   // a steady caret: a blinking one would wake an idle kiosk twice a second
        const float cx = x + textSize.x + ui.px(2);
        dl->AddRectFilled(ImVec2(cx, y), ImVec2(cx + ui.px(3), y + f->FontSize), theme::kAccent);
    }
    dl->PopClipRect();
    ImGui::SetCursorScreenPos(min);
    ImGui::Dummy(ImVec2(width, height));
    return event;
}

namespace {

struct Key {
    std::string id, label, text;   ///< text typed; empty for the special keys
    float width = 1.0f;            ///< in key units
};

std::vector<std::vector<Key>> keyRows(const Ui& ui, const OnScreenKeyboard& kb) {
    auto letters = [&](std::string_view row) {
        std::vector<Key> keys;
        for (char c : row) {
            const std::string lower(1, c);
            const std::string shown(1, kb.shift() ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
            keys.push_back({"key." + lower, shown, shown});
        }
        return keys;
    };
    auto chars = [&](std::string_view row) {
        std::vector<Key> keys;
        for (char c : row) keys.push_back({std::string("key.") + c, std::string(1, c), std::string(1, c)});
        return keys;
    };
    const Key backspace{"key.backspace", ui.tr("kiosk.keyboard.backspace"), "", 1.5f};
    const Key done{"key.done", ui.tr("kiosk.keyboard.done"), "", 2.0f};
    switch (kb.layout()) {
    case KeyLayout::Phone:
    case KeyLayout::Decimal:
    case KeyLayout::Pin: {
        Key extra{"key.none", "", "", 1.0f};
        if (kb.layout() == KeyLayout::Phone) extra = {"key.+", "+", "+"};
        if (kb.layout() == KeyLayout::Decimal) extra = {"key..", ".", "."};
        return {chars("123"), chars("456"), chars("789"), {extra, {"key.0", "0", "0"}, backspace}, {done}};
    }
    case KeyLayout::Text:
    case KeyLayout::Email: break;
    }
    std::vector<std::vector<Key>> rows;
    if (kb.symbols()) {
        rows = {chars("1234567890"), chars("@#&*-+=()'"), chars(".,?!/:;_")};
        rows[2].insert(rows[2].begin(), Key{"key.letters", ui.tr("kiosk.keyboard.letters"), "", 1.5f});
    } else {
        rows = {letters("qwertyuiop"), letters("asdfghjkl"), letters("zxcvbnm")};
        rows[2].insert(rows[2].begin(), Key{"key.shift", ui.tr("kiosk.keyboard.shift"), "", 1.5f});
    }
    rows[2].push_back(backspace);
    std::vector<Key> bottom{{"key.symbols", ui.tr(kb.symbols() ? "kiosk.keyboard.letters" : "kiosk.keyboard.symbols"), "",
                             1.5f}};
    if (kb.layout() == KeyLayout::Email) {
        bottom.push_back({"key.at", "@", "@"});
        bottom.push_back({"key.dot", ".", "."});
        bottom.push_back({"key.dotcom", ".com", ".com", 1.5f});
    } else {
        bottom.push_back({"key.space", ui.tr("kiosk.keyboard.space"), " ", 5.0f});
    }
    bottom.push_back(done);
    rows.push_back(std::move(bottom));
    return rows;
}

} // namespace

float keyboardHeight(const Ui& ui) {
    if (!ui.keyboard.open()) return 0;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const bool portrait = vp->Size.y > vp->Size.x;
    const bool keypad = ui.keyboard.layout() == KeyLayout::Phone || ui.keyboard.layout() == KeyLayout::Decimal ||
                        ui.keyboard.layout() == KeyLayout::Pin;
    return std::floor(vp->Size.y * (portrait ? 0.28f : keypad ? 0.42f : 0.38f));
}

void keyboardSheet(Ui& ui) {
    OnScreenKeyboard& kb = ui.keyboard;
    kb.endFrame();
    ui.sheetTop = 1e9f;
    if (!kb.open()) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float height = keyboardHeight(ui);
    const ImVec2 sheetMin(vp->Pos.x, vp->Pos.y + vp->Size.y - height);
    const ImVec2 sheetMax(vp->Pos.x + vp->Size.x, vp->Pos.y + vp->Size.y);
    ui.sheetTop = sheetMin.y;
    ImGui::SetNextWindowPos(sheetMin);
    ImGui::SetNextWindowSize(ImVec2(vp->Size.x, height));
    ImGui::Begin("keyboard", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoFocusOnAppearing);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(sheetMin, sheetMax, theme::kSurface);
    dl->AddLine(sheetMin, ImVec2(sheetMax.x, sheetMin.y), IM_COL32(255, 255, 255, 40), ui.px(2));

    const auto rows = keyRows(ui, kb);
    const bool keypad = rows.size() == 5 && rows.front().size() == 3;
    const float gap = ui.px(10);
    const float rowH = (height - gap * static_cast<float>(rows.size() + 1)) / static_cast<float>(rows.size());
    // Keys are as wide as the widest row allows, capped so a keypad stays a keypad.
    float widest = 0;
    for (const auto& row : rows) {
        float units = 0;
        for (const auto& k : row) units += k.width;
        widest = std::max(widest, units);
    }
    const float maxWidth = std::min(vp->Size.x - 2 * gap, keypad ? ui.px(720) : ui.px(1500));
    const float unit = (maxWidth - gap * (widest - 1)) / widest;
    ImGui::PushFont(theme::font(theme::Font::Heading));
    std::string typed;
    bool backspace = false, done = false, shift = false, symbols = false;
    float y = sheetMin.y + gap;
    for (const auto& row : rows) {
        float rowWidth = -gap;
        for (const auto& k : row) rowWidth += k.width * unit + gap;
        float x = vp->Pos.x + (vp->Size.x - rowWidth) / 2;
        for (const auto& k : row) {
            const float w = k.width * unit + gap * (k.width - 1);
            if (k.id != "key.none") {
                ImGui::SetCursorScreenPos(ImVec2(x, y));
                const bool lit = (k.id == "key.shift" && kb.shift()) || k.id == "key.done";
                if (button(ui, k.id, k.label, ImVec2(w, rowH), lit ? ButtonStyle::Primary : ButtonStyle::Secondary)) {
                    if (!k.text.empty()) typed = k.text;
                    else if (k.id == "key.backspace") backspace = true;
                    else if (k.id == "key.done") done = true;
                    else if (k.id == "key.shift") shift = true;
                    else symbols = true;
                }
            }
            x += w + gap;
        }
        y += rowH + gap;
    }
    ImGui::PopFont();

    // A tap anywhere but the sheet and the field puts the keyboard away.
    const ImGuiIO& io = ImGui::GetIO();
    auto inside = [&](ImVec2 a, ImVec2 b) {
        return io.MousePos.x >= a.x && io.MousePos.x < b.x && io.MousePos.y >= a.y && io.MousePos.y < b.y;
    };
    const bool tapOutside = ImGui::IsMouseReleased(0) && !inside(sheetMin, sheetMax) &&
                            !inside(ui.focusedMin, ui.focusedMax);
    ImGui::End();
    if (!typed.empty()) kb.type(typed);
    if (backspace) kb.backspace();
    if (shift) kb.toggleShift();
    if (symbols) kb.toggleSymbols();
    if (done) kb.enter();
    else if (tapOutside) kb.close();
    if (kb.open()) ui.animating = ui.animating || !typed.empty() || backspace || done;
}

void text(ImFont* font, ImU32 color, std::string_view s) {
    ImGui::PushFont(font);
    ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImGui::TextUnformatted(s.data(), s.data() + s.size());
    ImGui::PopStyleColor();
    ImGui::PopFont();
}

void textCentered(ImDrawList* dl, ImFont* font, ImU32 color, ImVec2 min, ImVec2 max, std::string_view s) {
    const ImVec2 size = font->CalcTextSizeA(font->FontSize, 1e9f, 0, s.data(), s.data() + s.size());
    const ImVec2 pos(std::floor((min.x + max.x - size.x) / 2), std::floor((min.y + max.y - size.y) / 2));
    dl->AddText(font, font->FontSize, pos, color, s.data(), s.data() + s.size());
}

std::size_t photoCount(const Ui& ui, const core::Vehicle& vehicle) {
    return ui.photos ? ui.photos->photosFor(vehicle).size() : 0;
}

bool vehiclePicture(Ui& ui, ImDrawList* dl, ImVec2 min, ImVec2 max, const core::Vehicle& v, std::size_t index,
                    float alpha) {
    if (ui.photos && ui.photoCache) {
        const auto paths = ui.photos->photosFor(v);
        if (index < paths.size()) {
            // Decoded at the size drawn (rounded up to a step, so resizing does not decode again).
            const float side = std::max(max.x - min.x, max.y - min.y);
            const int maxSide = std::min(2048, (static_cast<int>(side) / 256 + 1) * 256);
            if (const std::uint64_t tex = ui.photoCache->get(paths[index], maxSide)) {
                const auto [w, h] = ui.photoCache->size(paths[index], maxSide);
                // Cover: fill the box, crop the overflow evenly.
                const float boxAspect = (max.x - min.x) / std::max(1.0f, max.y - min.y);
                const float imgAspect = static_cast<float>(w) / static_cast<float>(std::max(1, h));
                ImVec2 uv0(0, 0), uv1(1, 1);
                if (imgAspect > boxAspect) {
                    const float keep = boxAspect / imgAspect;
                    uv0.x = (1 - keep) / 2;
                    uv1.x = 1 - uv0.x;
                } else {
                    const float keep = imgAspect / boxAspect;
                    uv0.y = (1 - keep) / 2;
                    uv1.y = 1 - uv0.y;
                }
                dl->AddImage(reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(tex)), min, max, uv0, uv1,
                             IM_COL32(255, 255, 255, static_cast<int>(255 * std::clamp(alpha, 0.0f, 1.0f))));
                return true;
            }
        }
    }
    carArt(dl, min, max, v.body, v.exteriorColor, alpha);
    return false;
}

ImU32 paintColor(std::string_view name) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    struct Paint {
        const char* word;
        ImU32 color;
    };
    static constexpr Paint kPaints[] = {
        {"black", IM_COL32(0x22, 0x24, 0x29, 255)},  {"white", IM_COL32(0xEE, 0xEF, 0xF1, 255)},
        {"silver", IM_COL32(0xB8, 0xBD, 0xC4, 255)}, {"gray", IM_COL32(0x6E, 0x74, 0x7C, 255)},
        {"grey", IM_COL32(0x6E, 0x74, 0x7C, 255)},   {"red", IM_COL32(0xB3, 0x1B, 0x24, 255)},
        {"blue", IM_COL32(0x24, 0x4E, 0x9A, 255)},   {"green", IM_COL32(0x2E, 0x6B, 0x46, 255)},
        {"orange", IM_COL32(0xE0, 0x6A, 0x1B, 255)}, {"yellow", IM_COL32(0xE8, 0xC2, 0x2C, 255)},
        {"bronze", IM_COL32(0x8C, 0x5E, 0x37, 255)}, {"brown", IM_COL32(0x5C, 0x40, 0x2C, 255)},
        {"beige", IM_COL32(0xC9, 0xB8, 0x96, 255)},  {"gold", IM_COL32(0xB8, 0x96, 0x4A, 255)},
        {"purple", IM_COL32(0x5B, 0x3A, 0x8C, 255)}, {"pearl", IM_COL32(0xE8, 0xE6, 0xE0, 255)},
    };
    for (const auto& p : kPaints)
        if (lower.find(p.word) != std::string::npos) return p.color;
    return IM_COL32(0x8A, 0x90, 0x99, 255);
}

namespace {

struct Shape {
    std::array<ImVec2, 8> lower;   ///< convex lower body, in a 0..1 box
    std::array<ImVec2, 4> cabin;   ///< convex greenhouse
    float wheelY, wheelR, frontX, rearX;
    bool bed;                      ///< pickup: draw the open bed line
};

const Shape& shapeFor(std::string_view body) {
    static const Shape kSedan{{{{0.02f, 0.70f}, {0.03f, 0.56f}, {0.10f, 0.49f}, {0.88f, 0.47f}, {0.97f, 0.53f},
                                {0.98f, 0.70f}, {0.95f, 0.76f}, {0.05f, 0.76f}}},
                              {{{0.24f, 0.49f}, {0.36f, 0.30f}, {0.62f, 0.29f}, {0.76f, 0.48f}}},
                              0.75f, 0.105f, 0.78f, 0.22f, false};
    static const Shape kSuv{{{{0.02f, 0.72f}, {0.02f, 0.50f}, {0.08f, 0.43f}, {0.92f, 0.42f}, {0.98f, 0.47f},
                              {0.98f, 0.72f}, {0.95f, 0.78f}, {0.05f, 0.78f}}},
                            {{{0.12f, 0.44f}, {0.20f, 0.22f}, {0.74f, 0.21f}, {0.84f, 0.43f}}},
                            0.77f, 0.12f, 0.80f, 0.21f, false};
    static const Shape kHatch{{{{0.04f, 0.70f}, {0.04f, 0.54f}, {0.12f, 0.47f}, {0.86f, 0.46f}, {0.95f, 0.52f},
                                {0.96f, 0.70f}, {0.93f, 0.76f}, {0.07f, 0.76f}}},
                              {{{0.08f, 0.48f}, {0.16f, 0.27f}, {0.58f, 0.26f}, {0.74f, 0.47f}}},
                              0.75f, 0.11f, 0.76f, 0.23f, false};
    static const Shape kPickup{{{{0.02f, 0.72f}, {0.02f, 0.48f}, {0.06f, 0.44f}, {0.94f, 0.43f}, {0.98f, 0.47f},
                                 {0.98f, 0.72f}, {0.95f, 0.78f}, {0.05f, 0.78f}}},
                               {{{0.44f, 0.45f}, {0.50f, 0.21f}, {0.74f, 0.20f}, {0.84f, 0.44f}}},
                               0.77f, 0.12f, 0.81f, 0.19f, true};
    static const Shape kCoupe{{{{0.02f, 0.70f}, {0.03f, 0.58f}, {0.12f, 0.52f}, {0.86f, 0.50f}, {0.97f, 0.56f},
                                {0.98f, 0.70f}, {0.95f, 0.75f}, {0.05f, 0.75f}}},
                              {{{0.22f, 0.52f}, {0.40f, 0.33f}, {0.58f, 0.33f}, {0.78f, 0.51f}}},
                              0.74f, 0.10f, 0.79f, 0.21f, false};
    static const Shape kVan{{{{0.02f, 0.74f}, {0.02f, 0.30f}, {0.06f, 0.20f}, {0.80f, 0.19f}, {0.96f, 0.42f},
                              {0.98f, 0.74f}, {0.95f, 0.79f}, {0.05f, 0.79f}}},
                            {{{0.62f, 0.42f}, {0.66f, 0.24f}, {0.79f, 0.24f}, {0.93f, 0.42f}}},
                            0.78f, 0.11f, 0.80f, 0.18f, false};
    if (body == "suv") return kSuv;
    if (body == "hatchback") return kHatch;
    if (body == "pickup") return kPickup;
    if (body == "coupe") return kCoupe;
    if (body == "van") return kVan;
    return kSedan;
}

} // namespace

void carArt(ImDrawList* dl, ImVec2 min, ImVec2 max, std::string_view body, std::string_view paint, float alpha) {
    const float w = max.x - min.x, h = max.y - min.y;
    // Studio backdrop: a soft vertical gradient and a lighter floor.
    dl->AddRectFilledMultiColor(min, max, withAlpha(IM_COL32(0x2A, 0x30, 0x3C, 255), alpha),
                                withAlpha(IM_COL32(0x2A, 0x30, 0x3C, 255), alpha),
                                withAlpha(IM_COL32(0x14, 0x17, 0x1D, 255), alpha),
                                withAlpha(IM_COL32(0x14, 0x17, 0x1D, 255), alpha));
    // The car sits in a 16:9-ish box centred on the floor line.
    const float boxW = std::min(w * 0.86f, h * 1.9f), boxH = boxW * 0.5f;
    const ImVec2 o(min.x + (w - boxW) / 2, min.y + h * 0.78f - boxH * 0.8f);
    auto at = [&](ImVec2 p) { return ImVec2(o.x + p.x * boxW, o.y + p.y * boxH); };
    const Shape& s = shapeFor(body);
    const ImU32 color = paintColor(paint);

    // Floor shadow: stacked translucent ellipses read as a soft contact shadow.
    // Three layers are enough for the eye and keep a software renderer's fill cost down.
    for (int i = 0; i < 3; ++i) {
        const float spread = 0.46f + 0.05f * static_cast<float>(i);
        const ImVec2 c = at(ImVec2(0.5f, s.wheelY + s.wheelR * 0.95f));
        dl->PathClear();
        for (int k = 0; k <= 32; ++k) {
            const float t = static_cast<float>(k) / 32.0f * 6.2831853f;
            dl->PathLineTo(ImVec2(c.x + std::cos(t) * boxW * spread, c.y + std::sin(t) * boxH * 0.035f * (1 + i)));
        }
        dl->PathFillConvex(withAlpha(IM_COL32(0, 0, 0, 60), alpha));
    }

    std::array<ImVec2, 8> lower;
    for (std::size_t i = 0; i < lower.size(); ++i) lower[i] = at(s.lower[i]);
    std::array<ImVec2, 4> cabin;
    for (std::size_t i = 0; i < cabin.size(); ++i) cabin[i] = at(s.cabin[i]);
    const ImU32 shade = mix(color, IM_COL32(0, 0, 0, 255), 0.25f);
    dl->AddConvexPolyFilled(cabin.data(), 4, withAlpha(shade, alpha));
    dl->AddConvexPolyFilled(lower.data(), 8, withAlpha(color, alpha));
    // Highlight along the shoulder line, and a darker rocker panel.
    dl->AddLine(at(ImVec2(0.08f, s.lower[3].y + 0.05f)), at(ImVec2(0.92f, s.lower[3].y + 0.04f)),
                withAlpha(mix(color, IM_COL32(255, 255, 255, 255), 0.35f), alpha), std::max(1.0f, boxH * 0.012f));
    dl->AddLine(at(ImVec2(0.06f, s.wheelY - 0.02f)), at(ImVec2(0.94f, s.wheelY - 0.02f)),
                withAlpha(mix(color, IM_COL32(0, 0, 0, 255), 0.45f), alpha), std::max(1.0f, boxH * 0.02f));

    // Windows: the greenhouse inset, split by a pillar.
    const ImVec2 c0 = s.cabin[0], c1 = s.cabin[1], c2 = s.cabin[2], c3 = s.cabin[3];
    auto lerp = [](ImVec2 a, ImVec2 b, float t) { return ImVec2(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t); };
    const float mid = 0.5f;
    const ImVec2 topMid = lerp(c1, c2, mid), bottomMid = lerp(c0, c3, mid);
    const ImU32 glass = withAlpha(IM_COL32(0x1C, 0x26, 0x33, 235), alpha);
    const float inset = 0.025f;
    ImVec2 rear[4] = {at(ImVec2(c0.x + inset * 1.5f, c0.y - inset)), at(ImVec2(c1.x + inset, c1.y + inset)),
                      at(ImVec2(topMid.x - inset * 0.5f, topMid.y + inset)),
                      at(ImVec2(bottomMid.x - inset * 0.5f, bottomMid.y - inset))};
    ImVec2 front[4] = {at(ImVec2(bottomMid.x + inset * 0.5f, bottomMid.y - inset)),
                       at(ImVec2(topMid.x + inset * 0.5f, topMid.y + inset)), at(ImVec2(c2.x - inset, c2.y + inset)),
                       at(ImVec2(c3.x - inset * 1.5f, c3.y - inset))};
    dl->AddConvexPolyFilled(rear, 4, glass);
    dl->AddConvexPolyFilled(front, 4, glass);
    dl->AddLine(rear[1], rear[2], withAlpha(IM_COL32(255, 255, 255, 40), alpha), 2.0f);
    if (s.bed) {
        dl->AddLine(at(ImVec2(0.05f, 0.45f)), at(ImVec2(0.42f, 0.45f)), withAlpha(shade, alpha), boxH * 0.02f);
    }
    // Lights.
    dl->AddRectFilled(at(ImVec2(0.94f, s.lower[4].y + 0.02f)), at(ImVec2(0.975f, s.lower[4].y + 0.07f)),
                      withAlpha(IM_COL32(0xF4, 0xF1, 0xE0, 255), alpha), 3.0f);
    dl->AddRectFilled(at(ImVec2(0.025f, s.lower[1].y + 0.01f)), at(ImVec2(0.05f, s.lower[1].y + 0.07f)),
                      withAlpha(IM_COL32(0xC4, 0x1E, 0x2A, 255), alpha), 3.0f);
    // Wheels: tyre, rim, hub.
    for (float x : {s.rearX, s.frontX}) {
        const ImVec2 c = at(ImVec2(x, s.wheelY));
        const float r = s.wheelR * boxW * 0.5f;
        dl->AddCircleFilled(c, r * 1.12f, withAlpha(mix(color, IM_COL32(0, 0, 0, 255), 0.6f), alpha), 40);
        dl->AddCircleFilled(c, r, withAlpha(IM_COL32(0x16, 0x17, 0x1A, 255), alpha), 40);
        dl->AddCircleFilled(c, r * 0.62f, withAlpha(IM_COL32(0xA9, 0xAE, 0xB6, 255), alpha), 32);
        dl->AddCircleFilled(c, r * 0.22f, withAlpha(IM_COL32(0x44, 0x48, 0x50, 255), alpha), 20);
    }
}

void KineticScroll::update(Ui& ui) {
    const ImGuiIO& io = ImGui::GetIO();
    const bool over = ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem |
                                             ImGuiHoveredFlags_ChildWindows);
    if (io.MouseDown[0] && (dragging || (over && ImGui::IsMouseDragging(0, ui.px(kTapSlop))))) {
        dragging = true;
        ImGui::SetScrollY(ImGui::GetScrollY() - io.MouseDelta.y);
        if (io.DeltaTime > 0) velocity = 0.8f * velocity + 0.2f * (-io.MouseDelta.y / io.DeltaTime);
        ui.animating = true;
        return;
    }
    dragging = false;
    if (std::abs(velocity) < 20.0f) {
        velocity = 0;
        return;
    }
    // Momentum: the list keeps gliding and slows down like a flicked card.
    ImGui::SetScrollY(ImGui::GetScrollY() + velocity * io.DeltaTime);
    velocity *= std::pow(0.04f, io.DeltaTime);
    const float y = ImGui::GetScrollY();
    if (y <= 0 || y >= ImGui::GetScrollMaxY()) velocity = 0;
    ui.animating = true;
}

} // namespace showroom::kiosk::ui
