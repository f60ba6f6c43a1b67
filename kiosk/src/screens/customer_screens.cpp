#include "screens.hpp"

#include "../widgets/theme.hpp"

#include "showroom/core/money.hpp"

#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>

namespace showroom::kiosk::screens {

namespace {

using theme::Font;

std::string title(const core::Vehicle& v) { return std::to_string(v.year) + " " + v.make + " " + v.model; }

std::string wholeDollars(core::Cents c) {
    const std::string s = core::formatMoney(c);
    return s.substr(0, s.size() - 3); // "$31,450"
}

std::string miles(std::int64_t m) {
    std::string digits = std::to_string(m), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

void fullScreenWindow(const char* name) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->Pos);
    ImGui::SetNextWindowSize(vp->Size);
    ImGui::Begin(name, nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
}

void languageSwitch(ui::Ui& ui, KioskViewModel& vm) {
    if (ui::chip(ui, "lang.en", ui.tr("kiosk.language.english"), vm.language() == Language::English))
        vm.setLanguage(Language::English);
    ImGui::SameLine(0, ui.px(theme::kSpace1));
    if (ui::chip(ui, "lang.zh", ui.tr("kiosk.language.chinese"), vm.language() == Language::Chinese))
        vm.setLanguage(Language::Chinese);
}

// The customer-mode top bar: store name, language switch, "Start over".
void topBar(ui::Ui& ui, KioskViewModel& vm) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x, height = ui.px(88);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + height), theme::kSurface);
    // Staff enter by touching the store name: discreet, but a full-size target.
    if (ui::tapArea(ui, "staff.enter", "staff", origin, ImVec2(origin.x + ui.px(360), origin.y + height)))
        vm.requestStaff();
    ImGui::SetCursorScreenPos(ImVec2(origin.x + ui.px(theme::kSpace4), origin.y + ui.px(22)));
    ui::text(theme::font(Font::Heading), theme::kText, ui.tr("kiosk.store_name"));
    ImGui::SetCursorScreenPos(ImVec2(origin.x + width - ui.px(560), origin.y + ui.px(20)));
    ImGui::PushFont(theme::font(Font::Small));
    languageSwitch(ui, vm);
    ImGui::PopFont();
    ImGui::SetCursorScreenPos(ImVec2(origin.x + width - ui.px(240), origin.y + ui.px(20)));
    ImGui::PushFont(theme::font(Font::Body));
    if (ui::button(ui, "topbar.start_over", ui.tr("kiosk.start_over"), ImVec2(ui.px(208), ui.px(48)),
                   ui::ButtonStyle::Secondary))
        vm.startOver();
    ImGui::PopFont();
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + height));
}

void attract(ui::Ui& ui, KioskViewModel& vm) {
    fullScreenWindow("attract");
    const ImVec2 min = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
    const ImVec2 max(min.x + size.x, min.y + size.y);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const auto& featured = vm.featured();
    if (featured.empty()) {
        ui::textCentered(dl, theme::font(Font::Title), theme::kText, min, max, ui.tr("kiosk.attract.welcome"));
    } else {
        const auto& now = featured[vm.featuredIndex() % featured.size()];
        const auto& next = featured[(vm.featuredIndex() + 1) % featured.size()];
        const float fade = vm.featuredFade();
        ui::vehiclePicture(ui, dl, min, ImVec2(max.x, min.y + size.y * 0.82f), now, 0, 1.0f - fade);
        if (fade > 0) ui::vehiclePicture(ui, dl, min, ImVec2(max.x, min.y + size.y * 0.82f), next, 0, fade);
        const auto& shown = fade > 0.5f ? next : now;
        const float textAlpha = std::abs(fade - 0.5f) * 2.0f;
        const ImU32 white = IM_COL32(0xF2, 0xF4, 0xF8, static_cast<int>(255 * (fade > 0 ? textAlpha : 1.0f)));
        ImFont* display = theme::font(Font::Display);
        const std::string name = title(shown) + " " + shown.trim;
        dl->AddText(display, display->FontSize, ImVec2(min.x + ui.px(96), min.y + ui.px(96)), white, name.c_str());
        ImFont* heading = theme::font(Font::Title);
        const std::string price = wholeDollars(shown.price);
        dl->AddText(heading, heading->FontSize, ImVec2(min.x + ui.px(96), min.y + ui.px(184)), white, price.c_str());
        // Progress dots: which car of how many.
        const float dotsX = max.x - ui.px(96) - static_cast<float>(featured.size()) * ui.px(24);
        for (std::size_t i = 0; i < featured.size(); ++i) {
            const bool current = i == vm.featuredIndex() % featured.size();
            dl->AddCircleFilled(ImVec2(dotsX + static_cast<float>(i) * ui.px(24), max.y - ui.px(64)), ui.px(6),
                                current ? theme::kText : IM_COL32(255, 255, 255, 80));
        }
    }
    const ImVec2 cta(ui.px(520), ui.px(96));
    ImGui::SetCursorScreenPos(ImVec2(min.x + (size.x - cta.x) / 2, max.y - ui.px(220)));
    ImGui::PushFont(theme::font(Font::Heading));
    if (ui::button(ui, "attract.start", ui.tr("kiosk.attract.touch_to_start"), cta)) vm.touchToStart();
    ImGui::PopFont();
    ImGui::SetCursorScreenPos(ImVec2(min.x + ui.px(96), max.y - ui.px(96)));
    ImGui::PushFont(theme::font(Font::Small));
    languageSwitch(ui, vm);
    ImGui::PopFont();
    // Everywhere else is "touch to start". Submitted last: the first item under a finger takes the
    // touch, so the language switch keeps its own.
    if (ui::tapArea(ui, "attract.touch", ui.tr("kiosk.attract.touch_to_start"), min, max)) vm.touchToStart();
    ImGui::End();
}

void filterPanel(ui::Ui& ui, KioskViewModel& vm, DrawState& state, float width, float height = 0) {
    ImGui::BeginChild("filters", ImVec2(width, height), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    state.filterScroll.update(ui);
    ImGui::SetCursorPos(ImVec2(ui.px(theme::kSpace4), ui.px(theme::kSpace3)));
    ImGui::BeginGroup();
    const auto& f = vm.filters();
    const auto& facets = vm.facets();
    auto section = [&](const char* key) {
        ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace1)));
        ui::text(theme::font(Font::Small), theme::kTextMuted, ui.tr(key));
    };
    auto chipRow = [&](const std::vector<std::string>& values, const std::set<std::string>& selected,
                       const char* idPrefix, const char* labelPrefix, auto&& onTap) {
        float x = 0;
        const float limit = width - ui.px(2 * theme::kSpace4);
        ImGui::PushFont(theme::font(Font::Small));
        for (const auto& value : values) {
            const std::string label = labelPrefix ? ui.tr(std::string(labelPrefix) + value) : value;
            const float w = ImGui::CalcTextSize(label.c_str()).x + ui.px(2 * theme::kSpace3);
            if (x > 0 && x + w > limit) x = 0;
            else if (x > 0) ImGui::SameLine(0, ui.px(theme::kSpace1));
            if (ui::chip(ui, std::string(idPrefix) + value, label, selected.count(value) > 0)) onTap(value);
            x += w + ui.px(theme::kSpace1);
        }
        ImGui::PopFont();
    };
    section("kiosk.browse.filter.make");
    chipRow(facets.makes, f.makes, "filter.make.", nullptr, [&](const std::string& v) { vm.toggleMake(v); });
    section("kiosk.browse.filter.body");
    chipRow(facets.bodies, f.bodies, "filter.body.", "kiosk.body.", [&](const std::string& v) { vm.toggleBody(v); });
    section("kiosk.browse.filter.fuel");
    chipRow(facets.fuels, f.fuels, "filter.fuel.", "kiosk.fuel.", [&](const std::string& v) { vm.toggleFuel(v); });
    section("kiosk.browse.filter.condition");
    {
        std::set<std::string> selected;
        for (auto c : f.conditions) selected.insert(std::string(core::toString(c)));
        chipRow({"new", "used", "certified"}, selected, "filter.condition.", "kiosk.condition.",
                [&](const std::string& v) { vm.toggleCondition(core::parseCondition(v).value()); });
    }
    section("kiosk.browse.filter.max_price");
    {
        // A slider in whole thousands of dollars; the filter applies when the finger lifts.
        int& maxThousands = state.maxPriceThousands;
        const int high = static_cast<int>((facets.priceHigh + 99'999) / 100'000);
        if (!f.priceMax && !ImGui::IsAnyItemActive()) maxThousands = high;
        ImGui::PushFont(theme::font(Font::Small));
        ImGui::SetNextItemWidth(width - ui.px(2 * theme::kSpace4));
        const std::string label = "$%dk";
        ImGui::SliderInt("##maxprice", &maxThousands, std::max(1, static_cast<int>(facets.priceLow / 100'000)),
                         std::max(2, high), label.c_str());
        ui.targets.push_back({"filter.max_price", "max_price", ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
        if (ImGui::IsItemDeactivatedAfterEdit())
            vm.setPriceRange(std::nullopt, maxThousands >= high ? std::nullopt
                                                                : std::optional<core::Cents>(maxThousands * 100'000LL));
        ImGui::PopFont();
    }
    ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace2)));
    ImGui::PushFont(theme::font(Font::Body));
    if (ui::button(ui, "filter.reset", ui.tr("kiosk.browse.reset"), ImVec2(width - ui.px(2 * theme::kSpace4), 0),
                   ui::ButtonStyle::Secondary))
        vm.resetFilters();
    ImGui::PopFont();
    ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace4)));
    ImGui::EndGroup();
    ImGui::EndChild();
}

void vehicleCard(ui::Ui& ui, KioskViewModel& vm, const core::Vehicle& v, std::size_t index, ImVec2 size) {
    const ImVec2 min = ImGui::GetCursorScreenPos();
    const ImVec2 max(min.x + size.x, min.y + size.y);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(min, max, theme::kSurface, ui.px(theme::kRadiusCard));
    const float photoH = size.y * 0.58f;
    dl->PushClipRect(min, ImVec2(max.x, min.y + photoH), true);
    ui::vehiclePicture(ui, dl, min, ImVec2(max.x, min.y + photoH), v);
    dl->PopClipRect();
    if (vm.newArrival(v)) {
        ImFont* f = theme::font(Font::Small);
        const std::string badge = ui.tr("kiosk.badge.new_arrival");
        const ImVec2 ts = f->CalcTextSizeA(f->FontSize, 1e9f, 0, badge.c_str());
        const ImVec2 b0(min.x + ui.px(12), min.y + ui.px(12)), b1(b0.x + ts.x + ui.px(20), b0.y + ts.y + ui.px(8));
        dl->AddRectFilled(b0, b1, theme::kSuccess, ui.px(theme::kRadiusChip));
        ui::textCentered(dl, f, IM_COL32(0x0F, 0x11, 0x15, 255), b0, b1, badge);
    }
    const float pad = ui.px(theme::kSpace2);
    ImFont* body = theme::font(Font::Body);
    ImFont* heading = theme::font(Font::Heading);
    float y = min.y + photoH + pad * 0.75f;
    const std::string name = title(v);
    dl->AddText(body, body->FontSize, ImVec2(min.x + pad, y), theme::kText, name.c_str());
    y += body->FontSize * 1.15f;
    dl->AddText(body, body->FontSize, ImVec2(min.x + pad, y), theme::kTextMuted, v.trim.c_str());
    y += body->FontSize * 1.35f;
    const std::string price = wholeDollars(v.price);
    dl->AddText(heading, heading->FontSize, ImVec2(min.x + pad, y), theme::kText, price.c_str());
    const std::string odo = ui.strings->format("kiosk.card.miles", {{"miles", miles(v.odometer)}});
    const ImVec2 os = body->CalcTextSizeA(body->FontSize, 1e9f, 0, odo.c_str());
    dl->AddText(body, body->FontSize, ImVec2(max.x - pad - os.x, y + (heading->FontSize - body->FontSize)),
                theme::kTextMuted, odo.c_str());
    if (ui::tapArea(ui, "browse.card." + std::to_string(index), name, min, max)) vm.openVehicle(v.id);
}

// Another showroom's car for the picture widgets (its photos, body and paint); drawing only.
core::Vehicle pictureOf(const core::NetworkVehicle& n) {
    core::Vehicle v;
    v.id = "network:" + n.vin;
    v.vin = n.vin;
    v.body = n.body;
    v.exteriorColor = n.exteriorColor;
    v.photos = n.photos;
    return v;
}

std::string title(const core::NetworkVehicle& v) {
    return std::to_string(v.year) + " " + v.make + " " + v.model;
}

// The showroom that has the car: a dark pill with an accent outline, over a photo or a card.
void storeBadge(ui::Ui& ui, ImDrawList* dl, ImVec2 at, const std::string& store, float maxWidth) {
    ImFont* f = theme::font(Font::Small);
    const float padX = ui.px(12), padY = ui.px(4);
    const ImVec2 ts = f->CalcTextSizeA(f->FontSize, maxWidth - 2 * padX, 0, store.c_str());
    const ImVec2 b1(at.x + std::min(ts.x + 2 * padX, maxWidth), at.y + ts.y + 2 * padY);
    dl->AddRectFilled(at, b1, IM_COL32(0x0F, 0x11, 0x15, 235), ui.px(theme::kRadiusChip));
    dl->AddRect(at, b1, theme::kAccent, ui.px(theme::kRadiusChip), 0, std::max(1.0f, ui.px(2)));
    dl->PushClipRect(at, b1, true);
    dl->AddText(f, f->FontSize, ImVec2(at.x + padX, at.y + padY), theme::kText, store.c_str());
    dl->PopClipRect();
}

// A card of another showroom's car. Full: like a local card, the showroom's badge on the photo.
// Compact (the strip below local results): photo left, showroom, name and price right.
// True on tap.
bool networkCard(ui::Ui& ui, const core::NetworkVehicle& v, std::size_t index, ImVec2 size, bool compact) {
    const ImVec2 min = ImGui::GetCursorScreenPos();
    const ImVec2 max(min.x + size.x, min.y + size.y);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(min, max, theme::kSurface, ui.px(theme::kRadiusCard));
    const core::Vehicle picture = pictureOf(v);
    const float pad = ui.px(theme::kSpace2);
    ImFont* body = theme::font(Font::Body);
    ImFont* heading = theme::font(Font::Heading);
    const std::string name = title(v), price = wholeDollars(v.price);
    if (compact) {
        const ImVec2 pmax(min.x + size.x * 0.34f, max.y);
        dl->PushClipRect(min, pmax, true);
        ui::vehiclePicture(ui, dl, min, pmax, picture);
        dl->PopClipRect();
        const float x = pmax.x + pad, width = max.x - x - pad;
        float y = min.y + pad;
        storeBadge(ui, dl, ImVec2(x, y), v.storeName, width);
        y += theme::font(Font::Small)->FontSize + ui.px(8) + ui.px(theme::kSpace1);
        dl->PushClipRect(ImVec2(x, min.y), ImVec2(max.x - pad, max.y), true);
        dl->AddText(body, body->FontSize, ImVec2(x, y), theme::kText, name.c_str());
        y += body->FontSize * 1.15f;
        dl->AddText(body, body->FontSize, ImVec2(x, y), theme::kTextMuted, v.trim.c_str());
        dl->PopClipRect();
        dl->AddText(heading, heading->FontSize, ImVec2(x, max.y - pad - heading->FontSize), theme::kText,
                    price.c_str());
    } else {
        const float photoH = size.y * 0.58f;
        dl->PushClipRect(min, ImVec2(max.x, min.y + photoH), true);
        ui::vehiclePicture(ui, dl, min, ImVec2(max.x, min.y + photoH), picture);
        dl->PopClipRect();
        storeBadge(ui, dl, ImVec2(min.x + ui.px(12), min.y + ui.px(12)), v.storeName, size.x - ui.px(24));
        float y = min.y + photoH + pad * 0.75f;
        dl->AddText(body, body->FontSize, ImVec2(min.x + pad, y), theme::kText, name.c_str());
        y += body->FontSize * 1.15f;
        dl->AddText(body, body->FontSize, ImVec2(min.x + pad, y), theme::kTextMuted, v.trim.c_str());
        y += body->FontSize * 1.35f;
        dl->AddText(heading, heading->FontSize, ImVec2(min.x + pad, y), theme::kText, price.c_str());
        const std::string odo = ui.strings->format("kiosk.card.miles", {{"miles", miles(v.odometer)}});
        const ImVec2 os = body->CalcTextSizeA(body->FontSize, 1e9f, 0, odo.c_str());
        dl->AddText(body, body->FontSize, ImVec2(max.x - pad - os.x, y + (heading->FontSize - body->FontSize)),
                    theme::kTextMuted, odo.c_str());
    }
    return ui::tapArea(ui, "browse.network." + std::to_string(index), name, min, max);
}

// Nothing here matches, the other showrooms do: they fill the results area under a heading.
// Returns the VIN tapped ("" for none); the caller opens it after the loop.
std::string networkResults(ui::Ui& ui, KioskViewModel& vm, float avail) {
    const auto& cars = vm.network();
    ui::text(theme::font(Font::Title), theme::kText,
             ui.strings->format("kiosk.network.main_title", {{"count", std::to_string(vm.networkTotal())}}));
    ui::text(theme::font(Font::Body), theme::kTextMuted, ui.tr("kiosk.network.main_hint"));
    ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace2)));
    const float gap = ui.px(theme::kSpace3);
    const int columns = std::max(1, static_cast<int>((avail + gap) / (ui.px(420) + gap)));
    const float cardW = (avail - gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
    const float cardH = cardW * 0.84f;
    std::string tapped;
    for (std::size_t i = 0; i < cars.size(); i += static_cast<std::size_t>(columns)) {
        const ImVec2 rowStart = ImGui::GetCursorScreenPos();
        for (int col = 0; col < columns && i + static_cast<std::size_t>(col) < cars.size(); ++col) {
            const std::size_t k = i + static_cast<std::size_t>(col);
            ImGui::SetCursorScreenPos(ImVec2(rowStart.x + static_cast<float>(col) * (cardW + gap), rowStart.y));
            if (networkCard(ui, cars[k], k, ImVec2(cardW, cardH), false)) tapped = cars[k].vin;
        }
        ImGui::SetCursorScreenPos(rowStart);
        ImGui::Dummy(ImVec2(avail, cardH + gap));
    }
    ui.probes["network.cards"] = std::to_string(cars.size());
    return tapped;
}

// Below this showroom's results: "At our other showrooms", as many compact cards as fit.
std::string networkStrip(ui::Ui& ui, KioskViewModel& vm, ImVec2 min, float width) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddLine(min, ImVec2(min.x + width, min.y), theme::kSurfaceRaised, std::max(1.0f, ui.px(2)));
    ImGui::SetCursorScreenPos(ImVec2(min.x, min.y + ui.px(theme::kSpace2)));
    ui::text(theme::font(Font::Heading), theme::kText, ui.tr("kiosk.network.title"));
    ImFont* small = theme::font(Font::Small);
    const std::string more = ui.strings->format("kiosk.network.more", {{"count", std::to_string(vm.networkTotal())}});
    const float moreW = small->CalcTextSizeA(small->FontSize, 1e9f, 0, more.c_str()).x;
    const float headingH = theme::font(Font::Heading)->FontSize;
    dl->AddText(small, small->FontSize,
                ImVec2(min.x + width - moreW, min.y + ui.px(theme::kSpace2) + headingH - small->FontSize),
                theme::kTextMuted, more.c_str());
    const float top = min.y + ui.px(theme::kSpace2) + headingH + ui.px(theme::kSpace2);
    const float gap = ui.px(theme::kSpace3);
    const int fit = std::max(1, static_cast<int>((width + gap) / (ui.px(480) + gap)));
    const auto& cars = vm.network();
    const int shown = std::min(fit, static_cast<int>(cars.size()));
    const float cardW = (width - gap * static_cast<float>(fit - 1)) / static_cast<float>(fit);
    std::string tapped;
    for (int i = 0; i < shown; ++i) {
        ImGui::SetCursorScreenPos(ImVec2(min.x + static_cast<float>(i) * (cardW + gap), top));
        if (networkCard(ui, cars[static_cast<std::size_t>(i)], static_cast<std::size_t>(i), ImVec2(cardW, ui.px(176)),
                        true))
            tapped = cars[static_cast<std::size_t>(i)].vin;
    }
    ui.probes["network.cards"] = std::to_string(shown);
    return tapped;
}

void browse(ui::Ui& ui, KioskViewModel& vm, DrawState& state) {
    fullScreenWindow("browse");
    topBar(ui, vm);
    // Landscape: filters in a column on the left. Portrait: filters in a band above the grid.
    const ImVec2 screen = ImGui::GetContentRegionAvail();
    const bool portrait = screen.y > screen.x;
    if (portrait) {
        filterPanel(ui, vm, state, screen.x, screen.y * 0.30f);
    } else {
        filterPanel(ui, vm, state, ui.px(440));
        ImGui::SameLine(0, 0);
    }
    ImGui::BeginGroup();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::SetCursorScreenPos(ImVec2(origin.x + ui.px(theme::kSpace3), origin.y + ui.px(theme::kSpace3)));
    // Search field and sort.
    ImGui::PushFont(theme::font(Font::Body));
    const float avail = ImGui::GetContentRegionAvail().x - ui.px(theme::kSpace4);
    if (ui.keyboard.field() != "browse.search") state.searchBuffer = vm.filters().text;
    // The grid follows the text as it is typed; Done (or Enter) puts the keyboard away.
    if (ui::textField(ui, "browse.search", ui.tr("kiosk.browse.search_hint"), state.searchBuffer,
                      avail - ui.px(640)) != FieldEvent::None)
        vm.setSearchText(state.searchBuffer);
    ImGui::SameLine(0, ui.px(theme::kSpace2));
    const bool byPrice = vm.filters().sort == core::SortKey::PriceAsc;
    if (ui::chip(ui, "sort.price", ui.tr("kiosk.browse.sort.price"), byPrice)) vm.setSort(core::SortKey::PriceAsc);
    ImGui::SameLine(0, ui.px(theme::kSpace1));
    if (ui::chip(ui, "sort.newest", ui.tr("kiosk.browse.sort.newest"), vm.filters().sort == core::SortKey::NewestArrival))
        vm.setSort(core::SortKey::NewestArrival);
    ImGui::SameLine(0, ui.px(theme::kSpace1));
    if (ui::chip(ui, "sort.mileage", ui.tr("kiosk.browse.sort.mileage"), vm.filters().sort == core::SortKey::MileageAsc))
        vm.setSort(core::SortKey::MileageAsc);
    ImGui::PopFont();

    ImGui::SetCursorScreenPos(ImVec2(origin.x + ui.px(theme::kSpace3), ImGui::GetCursorScreenPos().y));
    const std::string count =
        ui.strings->format(vm.totalIsAtLeast() ? "kiosk.browse.count_at_least" : "kiosk.browse.count",
                           {{"count", std::to_string(vm.total())}});
    ui::text(theme::font(Font::Small), theme::kTextMuted, count);

    ImGui::SetCursorScreenPos(ImVec2(origin.x + ui.px(theme::kSpace3), ImGui::GetCursorScreenPos().y));
    // The other showrooms' matches: a strip under this showroom's grid, or the grid itself.
    const NetworkPlacement placement = vm.networkPlacement();
    const float stripH = placement == NetworkPlacement::Strip ? ui.px(296) : 0.0f;
    std::string networkTapped;
    ImGui::BeginChild("grid", ImVec2(avail, -stripH), false,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    state.browseScroll.update(ui);
    const auto& results = vm.results();
    if (results.empty() && placement == NetworkPlacement::Main) {
        networkTapped = networkResults(ui, vm, avail);
    } else if (results.empty()) {
        const ImVec2 gmin = ImGui::GetWindowPos(), gsize = ImGui::GetWindowSize();
        ui::textCentered(ImGui::GetWindowDrawList(), theme::font(Font::Heading), theme::kTextMuted, gmin,
                         ImVec2(gmin.x + gsize.x, gmin.y + gsize.y * 0.6f), ui.tr("kiosk.browse.no_results"));
    } else {
        const float gap = ui.px(theme::kSpace3);
        const int columns = std::max(1, static_cast<int>((avail + gap) / (ui.px(420) + gap)));
        const float cardW = (avail - gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
        const float cardH = cardW * 0.84f;
        const int rows = static_cast<int>((results.size() + columns - 1) / columns);
        // Only the visible rows are drawn: 100,000 cars scroll like 100.
        ImGuiListClipper clipper;
        clipper.Begin(rows, cardH + gap);
        while (clipper.Step()) {
            for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
                const ImVec2 rowStart = ImGui::GetCursorScreenPos();
                for (int col = 0; col < columns; ++col) {
                    const std::size_t i = static_cast<std::size_t>(row * columns + col);
                    if (i >= results.size()) break;
                    ImGui::SetCursorScreenPos(ImVec2(rowStart.x + static_cast<float>(col) * (cardW + gap), rowStart.y));
                    vehicleCard(ui, vm, results[i], i, ImVec2(cardW, cardH));
                }
                ImGui::SetCursorScreenPos(rowStart);
                ImGui::Dummy(ImVec2(avail, cardH + gap));
            }
        }
        clipper.End();
        if (vm.canLoadMore() && ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - cardH * 2) vm.loadMore();
    }
    ImGui::EndChild();
    if (placement == NetworkPlacement::Strip) {
        const ImVec2 below(origin.x + ui.px(theme::kSpace3), ImGui::GetItemRectMax().y + ui.px(theme::kSpace2));
        networkTapped = networkStrip(ui, vm, below, avail);
    }
    ImGui::EndGroup();
    ImGui::End();
    if (!networkTapped.empty()) vm.openNetworkVehicle(networkTapped);
}

void specRow(ui::Ui& ui, const char* key, const std::string& value) {
    ImGui::PushFont(theme::font(Font::Body));
    ImGui::PushStyleColor(ImGuiCol_Text, theme::kTextMuted);
    ImGui::TextUnformatted(ui.tr(key).c_str());
    ImGui::PopStyleColor();
    ImGui::SameLine(ui.px(220));
    ImGui::TextUnformatted(value.c_str());
    ImGui::PopFont();
}

/// Where a vehicle's detail screen puts things. Landscape: photo and specs left, the offer right.
/// Portrait: photo, offer, specs top to bottom.
struct DetailLayout {
    ImVec2 photoMin, photoMax;
    ImVec2 specs;      ///< top-left of the spec rows
    ImVec2 offer;      ///< top-left of the right (portrait: middle) column
    float offerWidth;
};

DetailLayout detailLayout(ui::Ui& ui) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 size = ImGui::GetContentRegionAvail();
    const bool portrait = size.y > size.x;
    const float leftW = portrait ? size.x - ui.px(theme::kSpace4) : size.x * 0.58f;
    DetailLayout l;
    l.photoMin = ImVec2(origin.x + ui.px(theme::kSpace4), origin.y + ui.px(theme::kSpace4));
    l.photoMax = ImVec2(origin.x + leftW, origin.y + size.y * (portrait ? 0.30f : 0.58f));
    l.specs = ImVec2(l.photoMin.x, portrait ? origin.y + size.y * 0.79f : l.photoMax.y + ui.px(theme::kSpace3));
    const float rx = portrait ? l.photoMin.x : origin.x + leftW + ui.px(theme::kSpace6);
    l.offer = ImVec2(rx, portrait ? l.photoMax.y + ui.px(theme::kSpace3) : origin.y + ui.px(theme::kSpace4));
    l.offerWidth = origin.x + size.x - rx - ui.px(theme::kSpace4);
    return l;
}

void detail(ui::Ui& ui, KioskViewModel& vm, DrawState& state) {
    fullScreenWindow("detail");
    topBar(ui, vm);
    if (!vm.vehicle()) {
        ImGui::End();
        return;
    }
    const core::Vehicle& v = *vm.vehicle();
    if (state.photoVehicle != v.id) {   // another car: its gallery starts at the first photo
        state.photoVehicle = v.id;
        state.photoIndex = 0;
    }
    const DetailLayout layout = detailLayout(ui);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 photoMin = layout.photoMin, photoMax = layout.photoMax;
    dl->PushClipRect(photoMin, photoMax, true);
    const std::size_t photos = ui::photoCount(ui, v);
    const std::size_t shown = photos ? state.photoIndex % photos : 0;
    const bool photo = ui::vehiclePicture(ui, dl, photoMin, photoMax, v, shown);
    ui.probes["detail.picture"] = photo ? "photo " + std::to_string(shown + 1) + "/" + std::to_string(photos) : "drawn";
    dl->PopClipRect();
    // The gallery: a tap on the photo shows the next one; dots tell how many there are.
    if (photos > 1) {
        if (ui::tapArea(ui, "detail.photo.next", ui.tr("kiosk.detail.next_photo"), photoMin, photoMax)) ++state.photoIndex;
        const float dot = ui.px(10), gapDots = ui.px(12);
        const float width = static_cast<float>(photos) * dot + static_cast<float>(photos - 1) * gapDots;
        float x = (photoMin.x + photoMax.x - width) / 2;
        for (std::size_t i = 0; i < photos; ++i, x += dot + gapDots)
            dl->AddCircleFilled(ImVec2(x + dot / 2, photoMax.y - ui.px(24)), dot / 2,
                                i == shown ? theme::kAccent : IM_COL32(255, 255, 255, 120));
    }

    ImGui::SetCursorScreenPos(layout.specs);
    ImGui::BeginGroup();
    specRow(ui, "kiosk.detail.spec.condition", ui.tr("kiosk.condition." + std::string(core::toString(v.condition))));
    specRow(ui, "kiosk.detail.spec.mileage", ui.strings->format("kiosk.card.miles", {{"miles", miles(v.odometer)}}));
    specRow(ui, "kiosk.detail.spec.body", ui.tr("kiosk.body." + v.body));
    specRow(ui, "kiosk.detail.spec.fuel", ui.tr("kiosk.fuel." + v.fuel));
    specRow(ui, "kiosk.detail.spec.drivetrain", v.drivetrain + " · " + v.transmission);
    specRow(ui, "kiosk.detail.spec.colors", v.exteriorColor + " / " + v.interiorColor);
    specRow(ui, "kiosk.detail.spec.stock", v.stockNo);
    ImGui::EndGroup();
    ImGui::SameLine(0, ui.px(theme::kSpace6));
    ImGui::BeginGroup();
    ui::text(theme::font(Font::Small), theme::kTextMuted, ui.tr("kiosk.detail.features"));
    ImGui::PushFont(theme::font(Font::Body));
    for (std::size_t i = 0; i < v.features.size() && i < 8; ++i) ImGui::TextUnformatted(("· " + v.features[i]).c_str());
    ImGui::PopFont();
    ImGui::EndGroup();

    // Right column: name, price, estimator, actions.
    const float rw = layout.offerWidth;
    ImGui::SetCursorScreenPos(layout.offer);
    ImGui::BeginGroup();
    ui::text(theme::font(Font::Title), theme::kText, title(v));
    ui::text(theme::font(Font::Heading), theme::kTextMuted, v.trim);
    ui::text(theme::font(Font::Display), theme::kText, wholeDollars(v.price));
    ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace2)));

    const Estimate& e = vm.estimate();
    ImGui::PushFont(theme::font(Font::Body));
    int downHundreds = static_cast<int>(e.down / 10'000);
    int term = e.termMonths;
    float apr = static_cast<float>(e.apr.ppm) / 10'000.0f;
    bool changed = false;
    ImGui::SetNextItemWidth(rw);
    const std::string downLabel = ui.tr("kiosk.estimate.down") + ": $%d00";
    changed |= ImGui::SliderInt("##down", &downHundreds, 0, static_cast<int>(v.price / 10'000 / 2), downLabel.c_str());
    ui.targets.push_back({"estimate.down", "down", ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
    ImGui::SetNextItemWidth(rw);
    const std::string termLabel = ui.tr("kiosk.estimate.term") + ": %d";
    changed |= ImGui::SliderInt("##term", &term, 24, 84, termLabel.c_str());
    ui.targets.push_back({"estimate.term", "term", ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
    ImGui::SetNextItemWidth(rw);
    const std::string aprLabel = ui.tr("kiosk.estimate.apr") + ": %.2f%%";
    changed |= ImGui::SliderFloat("##apr", &apr, 0.0f, 15.0f, aprLabel.c_str());
    ui.targets.push_back({"estimate.apr", "apr", ImGui::GetItemRectMin(), ImGui::GetItemRectMax()});
    if (changed) {
        term = (term + 6) / 12 * 12; // whole years, as lenders quote
        vm.setEstimate(static_cast<core::Cents>(downHundreds) * 10'000, std::max(12, term),
                       core::Rate{static_cast<std::int64_t>(std::lround(apr * 100.0f)) * 100});
    }
    ImGui::PopFont();
    for (const auto& [store, count] : vm.elsewhere())
        ui::text(theme::font(Font::Small), theme::kSuccess,
                 ui.strings->format("kiosk.detail.elsewhere", {{"store", store}, {"count", std::to_string(count)}}));
    if (e.quote) {
        ui::text(theme::font(Font::Title), theme::kText,
                 ui.strings->format("kiosk.estimate.per_month", {{"amount", core::formatMoney(e.quote->monthlyPayment)}}));
        ui::text(theme::font(Font::Small), theme::kTextMuted, ui.tr("kiosk.estimate.disclaimer"));
    } else {
        ui::text(theme::font(Font::Body), theme::kWarning, ui.tr(e.errorKey));
    }
    ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace3)));
    ImGui::PushFont(theme::font(Font::Heading));
    if (ui::button(ui, "detail.book_test_drive", ui.tr("kiosk.detail.book_test_drive"), ImVec2(rw, ui.px(80))))
        vm.openContact(ContactForm::Kind::TestDrive);
    ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace2)));
    ImGui::PopFont();
    ImGui::PushFont(theme::font(Font::Body));
    const float half = (rw - ui.px(theme::kSpace2)) / 2;
    if (ui::button(ui, "detail.contact_me", ui.tr("kiosk.detail.contact_me"), ImVec2(half, ui.px(64)),
                   ui::ButtonStyle::Secondary))
        vm.openContact(ContactForm::Kind::ContactMe);
    ImGui::SameLine(0, ui.px(theme::kSpace2));
    if (ui::button(ui, "detail.compare", ui.tr("kiosk.detail.compare"), ImVec2(half, ui.px(64)),
                   ui::ButtonStyle::Secondary)) {
        vm.addToCompare();
        vm.openCompare();
    }
    ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace2)));
    if (ui::button(ui, "detail.back", ui.tr("kiosk.back"), ImVec2(rw, ui.px(56)), ui::ButtonStyle::Quiet)) vm.back();
    ImGui::PopFont();
    ImGui::EndGroup();
    ImGui::End();
}

// Text that wraps at `width` (explanations; titles and prices stay on one line).
void wrapped(ImFont* font, ImU32 color, const std::string& s, float width) {
    ImGui::PushFont(font);
    ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width);
    ImGui::TextUnformatted(s.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    ImGui::PopFont();
}

// Another showroom's car: the picture and specs like the detail screen; on the right, where it is
// and "Ask a salesperson to bring it here", which only tells the shopper what staff can do.
void networkDetail(ui::Ui& ui, KioskViewModel& vm) {
    fullScreenWindow("network_detail");
    topBar(ui, vm);
    if (!vm.networkVehicle()) {
        ImGui::End();
        return;
    }
    const core::NetworkVehicle& v = *vm.networkVehicle();
    const DetailLayout layout = detailLayout(ui);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 photoMin = layout.photoMin, photoMax = layout.photoMax;
    dl->PushClipRect(photoMin, photoMax, true);
    ui::vehiclePicture(ui, dl, photoMin, photoMax, pictureOf(v));
    dl->PopClipRect();
    storeBadge(ui, dl, ImVec2(photoMin.x + ui.px(theme::kSpace2), photoMin.y + ui.px(theme::kSpace2)), v.storeName,
               photoMax.x - photoMin.x - ui.px(theme::kSpace4));

    ImGui::SetCursorScreenPos(layout.specs);
    ImGui::BeginGroup();
    specRow(ui, "kiosk.detail.spec.condition", ui.tr("kiosk.condition." + std::string(core::toString(v.condition))));
    specRow(ui, "kiosk.detail.spec.mileage", ui.strings->format("kiosk.card.miles", {{"miles", miles(v.odometer)}}));
    if (!v.body.empty()) specRow(ui, "kiosk.detail.spec.body", ui.tr("kiosk.body." + v.body));
    if (!v.fuel.empty()) specRow(ui, "kiosk.detail.spec.fuel", ui.tr("kiosk.fuel." + v.fuel));
    if (!v.exteriorColor.empty()) specRow(ui, "kiosk.detail.spec.colors", v.exteriorColor);
    specRow(ui, "kiosk.detail.spec.vin", v.vin);
    ImGui::EndGroup();

    const float rw = layout.offerWidth;
    ImGui::SetCursorScreenPos(layout.offer);
    ImGui::BeginGroup();
    ui::text(theme::font(Font::Title), theme::kText, title(v));
    ui::text(theme::font(Font::Heading), theme::kTextMuted, v.trim);
    ui::text(theme::font(Font::Display), theme::kText, wholeDollars(v.price));
    ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace3)));
    ui::text(theme::font(Font::Heading), theme::kAccent,
             ui.strings->format("kiosk.network.at_store", {{"store", v.storeName}}));
    ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace1)));
    wrapped(theme::font(Font::Body), theme::kTextMuted, ui.tr("kiosk.network.explain"), rw);
    ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace4)));
    if (vm.bringHereAsked()) {
        // A calm confirmation panel in place of the button: nothing was sent, a person takes over.
        const ImVec2 p0 = ImGui::GetCursorScreenPos();
        ImGui::SetCursorScreenPos(ImVec2(p0.x + ui.px(theme::kSpace3), p0.y + ui.px(theme::kSpace3)));
        dl->ChannelsSplit(2);
        dl->ChannelsSetCurrent(1);
        ImGui::BeginGroup();
        ui::text(theme::font(Font::Heading), theme::kText, ui.tr("kiosk.network.asked_title"));
        ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace1)));
        wrapped(theme::font(Font::Body), theme::kText,
                ui.strings->format("kiosk.network.asked", {{"store", v.storeName}}), rw - ui.px(2 * theme::kSpace3));
        ImGui::EndGroup();
        const ImVec2 p1(p0.x + rw, ImGui::GetItemRectMax().y + ui.px(theme::kSpace3));
        dl->ChannelsSetCurrent(0);
        dl->AddRectFilled(p0, p1, theme::kSurfaceRaised, ui.px(theme::kRadiusCard));
        dl->AddRectFilled(p0, ImVec2(p0.x + ui.px(6), p1.y), theme::kSuccess, ui.px(theme::kRadiusCard),
                          ImDrawFlags_RoundCornersLeft);
        dl->ChannelsMerge();
        ImGui::SetCursorScreenPos(ImVec2(p0.x, p1.y));
        ImGui::Dummy(ImVec2(rw, ui.px(theme::kSpace3)));
    } else {
        ImGui::PushFont(theme::font(Font::Heading));
        if (ui::button(ui, "network.ask", ui.tr("kiosk.network.ask"), ImVec2(rw, ui.px(80)))) vm.askToBringHere();
        ImGui::PopFont();
        ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace2)));
    }
    ImGui::PushFont(theme::font(Font::Body));
    if (ui::button(ui, "network.back", ui.tr("kiosk.back"), ImVec2(rw, ui.px(56)), ui::ButtonStyle::Quiet)) vm.back();
    ImGui::PopFont();
    ImGui::EndGroup();
    ImGui::End();
}

void compare(ui::Ui& ui, KioskViewModel& vm) {
    fullScreenWindow("compare");
    topBar(ui, vm);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 size = ImGui::GetContentRegionAvail();
    const auto& cars = vm.compare();
    const float gap = ui.px(theme::kSpace4);
    const float colW = (size.x - gap * 4) / 3;
    std::string openId, removeId;
    for (std::size_t i = 0; i < cars.size(); ++i) {
        const auto& v = cars[i];
        const float x = origin.x + gap + static_cast<float>(i) * (colW + gap);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const ImVec2 pmin(x, origin.y + gap), pmax(x + colW, origin.y + gap + colW * 0.56f);
        dl->PushClipRect(pmin, pmax, true);
        ui::vehiclePicture(ui, dl, pmin, pmax, v);
        dl->PopClipRect();
        if (ui::tapArea(ui, "compare.open." + std::to_string(i), title(v), pmin, pmax)) openId = v.id;
        ImGui::SetCursorScreenPos(ImVec2(x, pmax.y + ui.px(theme::kSpace2)));
        ImGui::BeginGroup();
        ui::text(theme::font(Font::Heading), theme::kText, title(v));
        ui::text(theme::font(Font::Body), theme::kTextMuted, v.trim);
        ui::text(theme::font(Font::Title), theme::kText, wholeDollars(v.price));
        specRow(ui, "kiosk.detail.spec.mileage", ui.strings->format("kiosk.card.miles", {{"miles", miles(v.odometer)}}));
        specRow(ui, "kiosk.detail.spec.fuel", ui.tr("kiosk.fuel." + v.fuel));
        specRow(ui, "kiosk.detail.spec.drivetrain", v.drivetrain);
        ImGui::PushFont(theme::font(Font::Body));
        if (ui::button(ui, "compare.remove." + std::to_string(i), ui.tr("kiosk.compare.remove"), ImVec2(colW, 0),
                       ui::ButtonStyle::Secondary))
            removeId = v.id;
        ImGui::PopFont();
        ImGui::EndGroup();
    }
    ImGui::SetCursorScreenPos(ImVec2(origin.x + gap, origin.y + size.y - ui.px(96)));
    ImGui::PushFont(theme::font(Font::Body));
    if (ui::button(ui, "compare.back", ui.tr("kiosk.back"), ImVec2(ui.px(240), ui.px(56)), ui::ButtonStyle::Quiet))
        vm.back();
    ImGui::PopFont();
    ImGui::End();
    if (!openId.empty()) vm.openVehicle(openId);
    if (!removeId.empty()) vm.removeFromCompare(removeId);
}

void field(ui::Ui& ui, const std::string& id, const char* labelKey, std::string& value, float width,
           KeyLayout layout = KeyLayout::Text) {
    ui::text(theme::font(Font::Small), theme::kTextMuted, ui.tr(labelKey));
    ui::textField(ui, id, ui.tr(labelKey), value, width, layout);
    ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace1) / 2));
}

void contact(ui::Ui& ui, KioskViewModel& vm, DrawState& state) {
    fullScreenWindow("contact");
    topBar(ui, vm);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 size = ImGui::GetContentRegionAvail();
    // Landscape puts the fields two by two, so the whole form (consent and Send too) stays above
    // the on-screen keyboard; portrait has the height for one column.
    const bool portrait = size.y > size.x;
    const float width = std::min(size.x - ui.px(96), ui.px(portrait ? 900 : 1240));
    ImGui::SetCursorScreenPos(ImVec2(origin.x + (size.x - width) / 2, origin.y + ui.px(theme::kSpace3)));
    ImGui::BeginGroup();
    const bool drive = vm.contact().kind == ContactForm::Kind::TestDrive;
    ui::text(theme::font(Font::Title), theme::kText,
             ui.tr(drive ? "kiosk.contact.title_test_drive" : "kiosk.contact.title_contact"));
    if (vm.vehicle()) ui::text(theme::font(Font::Body), theme::kTextMuted, title(*vm.vehicle()) + " " + vm.vehicle()->trim);
    if (drive) {
        // On the vehicle line's right, so the form's height (and Send above the keyboard) is unchanged.
        const bool checked = vm.contact().licenceChecked;
        const std::string licence =
            checked ? ui.strings->format("kiosk.contact.licence_checked", {{"expiry", vm.contact().licenceExpiry}})
                    : ui.tr("kiosk.contact.licence_hint");
        ImFont* font = theme::font(checked ? Font::Body : Font::Small);
        const float textWidth = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, licence.c_str()).x;
        if (vm.vehicle()) ImGui::SameLine(std::max(0.0f, width - textWidth));
        ui::text(font, checked ? theme::kSuccess : theme::kTextMuted, licence);
    }
    ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace1)));
    ImGui::PushFont(theme::font(Font::Body));
    ContactForm& f = state.formBuffer;
    if (f.revision != vm.contact().revision) f = vm.contact();   // a licence scan filled the name
    f.kind = vm.contact().kind;
    const float gap = ui.px(theme::kSpace3);
    const float column = portrait ? width : (width - gap) / 2;
    auto pair = [&](auto&& left, auto&& right) {
        ImGui::BeginGroup();
        left();
        ImGui::EndGroup();
        if (!portrait) ImGui::SameLine(0, gap);
        ImGui::BeginGroup();
        right();
        ImGui::EndGroup();
    };
    pair([&] { field(ui, "contact.name", "kiosk.contact.name", f.name, column); },
         [&] { field(ui, "contact.phone", "kiosk.contact.phone", f.phone, column, KeyLayout::Phone); });
    pair([&] { field(ui, "contact.email", "kiosk.contact.email", f.email, column, KeyLayout::Email); },
         [&] { field(ui, "contact.time", "kiosk.contact.preferred_time", f.preferredTime, column); });
    ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace1)));
    // The consent box is explicit and large: nothing is stored without it.
    if (ui::chip(ui, "contact.consent", (f.consent ? "✓  " : "○  ") + ui.tr("kiosk.contact.consent"), f.consent))
        f.consent = !f.consent;
    ImGui::PopFont();
    if (!vm.contact().errorKey.empty()) {
        ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace1)));
        ui::text(theme::font(Font::Body), theme::kDanger, ui.strings->format(vm.contact().errorKey, vm.contact().errorValues));
    }
    ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace2)));
    vm.editContact(f);
    pair(
        [&] {
            ImGui::PushFont(theme::font(Font::Heading));
            if (ui::button(ui, "contact.submit", ui.tr("kiosk.contact.submit"), ImVec2(column, ui.px(80))))
                vm.submitContact();
            ImGui::PopFont();
        },
        [&] {
            ImGui::PushFont(theme::font(Font::Body));
            if (ui::button(ui, "contact.back", ui.tr("kiosk.back"), ImVec2(column, ui.px(80)), ui::ButtonStyle::Quiet))
                vm.back();
            ImGui::PopFont();
        });
    ImGui::EndGroup();
    ImGui::End();
}

void contactDone(ui::Ui& ui, KioskViewModel& vm, DrawState& state) {
    fullScreenWindow("contact_done");
    topBar(ui, vm);
    state.formBuffer = {};
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 size = ImGui::GetContentRegionAvail();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ui::textCentered(dl, theme::font(Font::Title), theme::kText, origin,
                     ImVec2(origin.x + size.x, origin.y + size.y * 0.45f), ui.tr("kiosk.contact.thanks"));
    ui::textCentered(dl, theme::font(Font::Body), theme::kTextMuted, ImVec2(origin.x, origin.y + size.y * 0.3f),
                     ImVec2(origin.x + size.x, origin.y + size.y * 0.6f), ui.tr("kiosk.contact.thanks_detail"));
    ImGui::SetCursorScreenPos(ImVec2(origin.x + (size.x - ui.px(420)) / 2, origin.y + size.y * 0.62f));
    ImGui::PushFont(theme::font(Font::Heading));
    if (ui::button(ui, "done.keep_browsing", ui.tr("kiosk.contact.keep_browsing"), ImVec2(ui.px(420), ui.px(80))))
        vm.back();
    ImGui::PopFont();
    ImGui::End();
}

// Shown for a few seconds after a frame failed, instead of a frozen or half-drawn screen.
void recovery(ui::Ui& ui) {
    fullScreenWindow("recovery");
    const ImVec2 min = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ui::textCentered(dl, theme::font(Font::Title), theme::kText, min, ImVec2(min.x + size.x, min.y + size.y * 0.9f),
                     ui.tr("kiosk.recovery.title"));
    ui::textCentered(dl, theme::font(Font::Body), theme::kTextMuted, ImVec2(min.x, min.y + size.y * 0.1f),
                     ImVec2(min.x + size.x, min.y + size.y), ui.tr("kiosk.recovery.detail"));
    ImGui::End();
}

} // namespace

void draw(ui::Ui& ui, KioskViewModel& vm, DrawState& state) {
    ui.targets.clear();
    ui.probes.clear();
    ui.animating = false;
    switch (vm.screen()) {
    case Screen::Attract: attract(ui, vm); break;
    case Screen::Browse: browse(ui, vm, state); break;
    case Screen::Detail: detail(ui, vm, state); break;
    case Screen::NetworkDetail: networkDetail(ui, vm); break;
    case Screen::Compare: compare(ui, vm); break;
    case Screen::Contact: contact(ui, vm, state); break;
    case Screen::ContactDone: contactDone(ui, vm, state); break;
    case Screen::Recovery: recovery(ui); break;
    }
    // "Still there?" bottom sheet during the last seconds before the idle reset.
    if (vm.screen() != Screen::Attract && vm.idle().phase(state.nowMs) == IdleTimer::Phase::Warning) {
        const ImGuiViewport* vp = ImGui::GetMainViewport();
        const float h = ui.px(200);
        ImGui::SetNextWindowPos(ImVec2(vp->Pos.x, vp->Pos.y + vp->Size.y - h));
        ImGui::SetNextWindowSize(ImVec2(vp->Size.x, h));
        ImGui::PushStyleColor(ImGuiCol_WindowBg, theme::kSurfaceRaised);
        ImGui::Begin("idle", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove);
        ImGui::SetCursorPos(ImVec2(ui.px(96), ui.px(48)));
        ui::text(theme::font(Font::Heading), theme::kText,
                 ui.strings->format("kiosk.idle.still_there", {{"seconds", std::to_string(vm.idle().secondsLeft(state.nowMs))}}));
        ImGui::SetCursorPos(ImVec2(vp->Size.x - ui.px(96 + 420), ui.px(56)));
        ImGui::PushFont(theme::font(Font::Heading));
        // Any touch counts as activity; the button gives the customer something obvious to touch.
        ui::button(ui, "idle.still_here", ui.tr("kiosk.idle.still_here"), ImVec2(ui.px(420), ui.px(88)));
        ImGui::PopFont();
        ImGui::End();
        ImGui::PopStyleColor();
    }
}

} // namespace showroom::kiosk::screens
