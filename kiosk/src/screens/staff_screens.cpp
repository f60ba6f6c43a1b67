#include "screens.hpp"

#include "../widgets/theme.hpp"

#include "showroom/core/money.hpp"

#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

namespace showroom::kiosk::screens {

namespace common {

using theme::Font;

void staffWindow(const char* name) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->Pos);
    ImGui::SetNextWindowSize(vp->Size);
    ImGui::Begin(name, nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus);
}

// Staff top bar: who is signed in, the role, and the way out.
void staffBar(ui::Ui& ui, StaffViewModel& staff) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x, height = ui.px(72);
    ImGui::GetWindowDrawList()->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + height), theme::kSurface);
    ImGui::SetCursorScreenPos(ImVec2(origin.x + ui.px(theme::kSpace4), origin.y + ui.px(20)));
    std::string who = ui.tr("kiosk.staff.title");
    if (staff.signedIn())
        who += "  ·  " + staff.signedIn()->name + "  ·  " +
               ui.tr("kiosk.staff.role." + std::string(core::toString(staff.signedIn()->role)));
    ui::text(theme::font(Font::Body), theme::kText, who);
    ImGui::PushFont(theme::font(Font::Small));
    float x = origin.x + width - ui.px(theme::kSpace4 + 200);
    ImGui::SetCursorScreenPos(ImVec2(x, origin.y + ui.px(12)));
    if (ui::button(ui, "staff.sign_out", ui.tr(staff.signedIn() ? "kiosk.staff.sign_out" : "kiosk.staff.cancel"),
                   ImVec2(ui.px(200), ui.px(48)), ui::ButtonStyle::Secondary))
        staff.signOut();
    if (staff.signedIn() && staff.screen() != StaffScreen::Home) {
        x -= ui.px(theme::kSpace2 + 160);
        ImGui::SetCursorScreenPos(ImVec2(x, origin.y + ui.px(12)));
        if (ui::button(ui, "staff.home", ui.tr("kiosk.staff.home"), ImVec2(ui.px(160), ui.px(48)),
                       ui::ButtonStyle::Secondary))
            staff.go(StaffScreen::Home);
    }
    ImGui::PopFont();
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + height + ui.px(theme::kSpace3)));
}

} // namespace common

namespace {

using common::staffBar;
using common::staffWindow;
using theme::Font;

// HQ flagged the open deal: a banner across the top with HQ's message, on every screen of the deal.
// It has no close button; it goes when the conflict is resolved. The deal stays usable below it.
void flagBanner(ui::Ui& ui, const DeskViewModel& desk) {
    const Notice banner = desk.flagBanner();
    if (banner.empty()) return;
    const std::string message = ui.strings->show(banner);
    ui.probes["desk.banner"] = message;
    const float margin = ui.px(theme::kSpace3);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x - 2 * margin;
    ImFont* f = theme::font(Font::Body);
    const float pad = ui.px(theme::kSpace2), stripe = ui.px(8);
    const float wrap = width - 2 * pad - stripe;
    const ImVec2 size = f->CalcTextSizeA(f->FontSize, 1e9f, wrap, message.c_str());
    const ImVec2 min(at.x + margin, at.y), max(at.x + margin + width, at.y + size.y + 2 * pad);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(min, max, theme::kSurfaceRaised, ui.px(theme::kRadiusCard));
    dl->AddRectFilled(min, ImVec2(min.x + stripe, max.y), theme::kWarning, ui.px(theme::kRadiusCard),
                      ImDrawFlags_RoundCornersLeft);
    dl->AddText(f, f->FontSize, ImVec2(min.x + stripe + pad, min.y + pad), theme::kWarning, message.c_str(), nullptr,
                wrap);
    ImGui::SetCursorScreenPos(at);
    ImGui::Dummy(ImVec2(width, max.y - min.y));
    ImGui::SetCursorScreenPos(ImVec2(at.x, max.y + ui.px(theme::kSpace2)));
}

void pickName(ui::Ui& ui, StaffViewModel& staff) {
    staffWindow("staff_pick");
    staffBar(ui, staff);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::SetCursorScreenPos(ImVec2(origin.x + ui.px(theme::kSpace6), origin.y));
    ImGui::BeginGroup();
    ui::text(theme::font(Font::Heading), theme::kText, ui.tr("kiosk.staff.who"));
    ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace2)));
    ImGui::PushFont(theme::font(Font::Body));
    const ImVec2 tile(ui.px(340), ui.px(72));
    int column = 0;
    for (const auto& m : staff.staff()) {
        if (column > 0) ImGui::SameLine(0, ui.px(theme::kSpace2));
        const std::string label = m.name + "  ·  " + ui.tr("kiosk.staff.role." + std::string(core::toString(m.role)));
        if (ui::button(ui, "staff.pick." + m.name, label, tile, ui::ButtonStyle::Secondary)) staff.pick(m.id);
        column = (column + 1) % 4;
    }
    ImGui::PopFont();
    ImGui::EndGroup();
    ImGui::End();
}

void pinPad(ui::Ui& ui, StaffViewModel& staff) {
    staffWindow("staff_pin");
    staffBar(ui, staff);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float key = ui.px(120), gap = ui.px(theme::kSpace2);
    const float padW = key * 3 + gap * 2;
    ImGui::SetCursorScreenPos(ImVec2(origin.x + (avail.x - padW) / 2, origin.y));
    ImGui::BeginGroup();
    ui::text(theme::font(Font::Heading), theme::kText, staff.picked() ? staff.picked()->name : "");
    ui::text(theme::font(Font::Small), theme::kTextMuted, ui.tr("kiosk.staff.enter_pin"));
    // Dots, never digits: the PIN is not shown, even to the person typing it.
    const ImVec2 dots = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (std::size_t i = 0; i < 8; ++i) {
        const ImVec2 c(dots.x + ui.px(16) + static_cast<float>(i) * ui.px(36), dots.y + ui.px(24));
        if (i < staff.pinLength()) dl->AddCircleFilled(c, ui.px(10), theme::kText);
        else dl->AddCircle(c, ui.px(10), theme::kTextMuted, 0, ui.px(2));
    }
    ImGui::Dummy(ImVec2(padW, ui.px(56)));
    if (!staff.pinErrorKey().empty())
        ui::text(theme::font(Font::Small), theme::kDanger, ui.strings->format(staff.pinErrorKey(), staff.pinErrorValues()));
    ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace1)));
    ImGui::PushFont(theme::font(Font::Title));
    static constexpr const char* kKeys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "<", "0", "ok"};
    for (int i = 0; i < 12; ++i) {
        if (i % 3 != 0) ImGui::SameLine(0, gap);
        const std::string k = kKeys[i];
        const std::string label = k == "<" ? "\u232B" : k == "ok" ? ui.tr("kiosk.staff.ok") : k;
        const auto style = k == "ok" ? ui::ButtonStyle::Primary : ui::ButtonStyle::Secondary;
        if (ui::button(ui, "pin." + k, label, ImVec2(key, key * 0.8f), style)) {
            if (k == "<") staff.pinBackspace();
            else if (k == "ok") staff.submitPin();
            else staff.pinDigit(k[0]);
        }
        if (i % 3 == 2) ImGui::Dummy(ImVec2(0, gap - ImGui::GetStyle().ItemSpacing.y));
    }
    ImGui::PopFont();
    ImGui::EndGroup();
    ImGui::End();
}

void home(ui::Ui& ui, StaffViewModel& staff) {
    staffWindow("staff_home");
    staffBar(ui, staff);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::SetCursorScreenPos(ImVec2(origin.x + ui.px(theme::kSpace6), origin.y + ui.px(theme::kSpace4)));
    ImGui::BeginGroup();
    ImGui::PushFont(theme::font(Font::Heading));
    struct Area {
        const char* id;
        const char* key;
        StaffScreen screen;
    };
    std::vector<Area> areas;
    auto offer = [&](const char* id, const char* key, StaffScreen screen, std::optional<core::Permission> p) {
        if (!p || staff.allowed(*p)) areas.push_back({id, key, screen}); // a role sees only what it may use
    };
    offer("staff.area.checkin", "kiosk.staff.area.checkin", StaffScreen::CheckIn, core::Permission::CheckIn);
    offer("staff.area.inventory", "kiosk.staff.area.inventory", StaffScreen::Inventory,
          core::Permission::ManageInventory);
    offer("staff.area.leads", "kiosk.staff.area.leads", StaffScreen::Leads, core::Permission::WorkLeads);
    offer("staff.area.desk", "kiosk.staff.area.desk", StaffScreen::Desk, core::Permission::DeskDeals);
    offer("staff.area.dashboard", "kiosk.staff.area.dashboard", StaffScreen::Dashboard, core::Permission::ViewReports);
    offer("staff.area.status", "kiosk.staff.area.status", StaffScreen::Status, std::nullopt);
    // As many 320-px tiles a row as fit (narrower, down to 260 px, rather than wrap one tile alone).
    const float gap = ui.px(theme::kSpace3);
    const float room = ImGui::GetContentRegionAvail().x - ui.px(theme::kSpace6);
    const auto n = static_cast<float>(areas.size());
    float columns = std::clamp(std::floor((room + gap) / (ui.px(260) + gap)), 1.0f, n);
    const ImVec2 tile(std::min(ui.px(320), (room - gap * (columns - 1)) / columns), ui.px(200));
    for (std::size_t i = 0; i < areas.size(); ++i) {
        if (i % static_cast<std::size_t>(columns) != 0) ImGui::SameLine(0, gap);
        if (ui::button(ui, areas[i].id, ui.tr(areas[i].key), tile, ui::ButtonStyle::Secondary)) staff.go(areas[i].screen);
    }
    ImGui::PopFont();
    if (staff.allowed(core::Permission::ManageStaff)) {
        ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace6)));
        ImGui::PushFont(theme::font(Font::Body));
        if (ui::button(ui, "staff.close_kiosk", ui.tr("kiosk.staff.close_kiosk"), ImVec2(ui.px(320), ui.px(56)),
                       ui::ButtonStyle::Quiet))
            staff.requestClose();
        ImGui::PopFont();
    }
    ImGui::EndGroup();
    ImGui::End();
}

void labelledInput(ui::Ui& ui, const std::string& id, const char* key, std::string& value, float width,
                   KeyLayout layout = KeyLayout::Text) {
    ImGui::BeginGroup();
    ui::text(theme::font(Font::Small), theme::kTextMuted, ui.tr(key));
    ui::textField(ui, id, ui.tr(key), value, width, layout);
    ImGui::EndGroup();
}

void checkIn(ui::Ui& ui, StaffViewModel& staff, DrawState& /*state*/) {
    staffWindow("staff_checkin");
    staffBar(ui, staff);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x - ui.px(2 * theme::kSpace6);
    ImGui::SetCursorScreenPos(ImVec2(origin.x + ui.px(theme::kSpace6), origin.y));
    ImGui::BeginGroup();
    ui::text(theme::font(Font::Heading), theme::kText, ui.tr("kiosk.checkin.scan_prompt"));
    ui::text(theme::font(Font::Small), theme::kTextMuted, ui.tr("kiosk.checkin.scan_hint"));
    if (const KioskStatus& st = staff.status(); st.scannerState != core::scan::ScannerStatus::State::Connected) {
        // An unplugged scanner explains why nothing happens when the porter pulls the trigger.
        ui::text(theme::font(Font::Small), theme::kWarning,
                 ui.tr("kiosk.status_screen.scanner") + ": " +
                     ui.tr("kiosk.scanner." + std::string(core::scan::toString(st.scannerState))) +
                     (st.scannerMessage.empty() ? "" : " (" + st.scannerMessage + ")"));
    }
    ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace1)));
    ImGui::PushFont(theme::font(Font::Body));
    // The view-model holds the form; the fields edit a copy that goes straight back.
    CheckInForm f = staff.checkIn();
    // The VIN typed by hand goes through the same decoding as a scan.
    if (ui::textField(ui, "checkin.vin", ui.tr("kiosk.checkin.vin"), f.vin, ui.px(520)) == FieldEvent::Submitted)
        staff.scan(f.vin);
    ImGui::SameLine();
    if (ui::button(ui, "checkin.decode", ui.tr("kiosk.checkin.decode"), ImVec2(ui.px(200), 0), ui::ButtonStyle::Secondary))
        staff.scan(f.vin);
    if (const auto& r = staff.checkIn().report) {
        std::string line = r->vin + "  ·  " + (r->manufacturer.empty() ? r->wmi : r->manufacturer);
        if (!r->country.empty()) line += ", " + r->country;
        for (int y : r->modelYearCandidates) line += "  ·  " + std::to_string(y);
        ui::text(theme::font(Font::Body), theme::kTextMuted, line);
    }
    ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace2)));
    const float field = (width - ui.px(3 * theme::kSpace2)) / 4;
    labelledInput(ui, "checkin.make", "kiosk.checkin.make", f.make, field);
    ImGui::SameLine();
    labelledInput(ui, "checkin.model", "kiosk.checkin.model", f.model, field);
    ImGui::SameLine();
    labelledInput(ui, "checkin.trim", "kiosk.checkin.trim", f.trim, field);
    ImGui::SameLine();
    labelledInput(ui, "checkin.year", "kiosk.checkin.year", f.year, field, KeyLayout::Decimal);
    labelledInput(ui, "checkin.color", "kiosk.checkin.color", f.color, field);
    ImGui::SameLine();
    labelledInput(ui, "checkin.odometer", "kiosk.checkin.odometer", f.odometer, field, KeyLayout::Decimal);
    ImGui::SameLine();
    labelledInput(ui, "checkin.price", "kiosk.checkin.price", f.price, field, KeyLayout::Decimal);
    ImGui::SameLine();
    labelledInput(ui, "checkin.lot", "kiosk.checkin.lot", f.lot, field);
    if (staff.checkIn().report && !staff.checkIn().report->checkDigitOk) {
        if (ui::chip(ui, "checkin.accept_check_digit",
                     (f.acceptBadCheckDigit ? "\u2713  " : "\u25CB  ") + ui.tr("kiosk.checkin.accept_check_digit"),
                     f.acceptBadCheckDigit))
            f.acceptBadCheckDigit = !f.acceptBadCheckDigit;
    }
    staff.editCheckIn(f);
    ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace2)));
    if (ui::button(ui, "checkin.submit", ui.tr("kiosk.checkin.submit"), ImVec2(ui.px(360), ui.px(64))))
        staff.submitCheckIn();
    ImGui::PopFont();
    if (!staff.checkIn().messageKey.empty()) {
        ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace1)));
        ui::text(theme::font(Font::Body), staff.checkIn().messageIsError ? theme::kWarning : theme::kSuccess,
                 ui.strings->format(staff.checkIn().messageKey, staff.checkIn().messageValues));
    }
    ImGui::EndGroup();
    ImGui::End();
}

void inventory(ui::Ui& ui, StaffViewModel& staff, DrawState& state) {
    staffWindow("staff_inventory");
    staffBar(ui, staff);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::SetCursorScreenPos(ImVec2(origin.x + ui.px(theme::kSpace4), origin.y));
    ImGui::PushFont(theme::font(Font::Small));
    if (ui::textField(ui, "inventory.search", ui.tr("kiosk.inventory.search"), state.stockSearch, ui.px(520)) ==
        FieldEvent::Submitted)
        staff.searchStock(state.stockSearch);
    if (!staff.inventoryNotice().empty())
        ui::text(theme::font(Font::Small), theme::kWarning, ui.strings->show(staff.inventoryNotice()));
    ImGui::SetCursorScreenPos(ImVec2(origin.x + ui.px(theme::kSpace4), ImGui::GetCursorScreenPos().y));
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    if (ImGui::BeginTable("stock", 6, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp,
                          ImVec2(avail.x - ui.px(theme::kSpace4), avail.y - ui.px(theme::kSpace3)))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        for (const char* key : {"kiosk.inventory.col.stock", "kiosk.inventory.col.vehicle", "kiosk.inventory.col.vin",
                                "kiosk.inventory.col.price", "kiosk.inventory.col.status", "kiosk.inventory.col.lot"})
            ImGui::TableSetupColumn(ui.tr(key).c_str());
        ImGui::TableHeadersRow();
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(staff.stock().size()));
        std::string holdId, releaseId;
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const auto& v = staff.stock()[static_cast<std::size_t>(i)];
                ImGui::TableNextRow(0, ui.px(theme::kMinTouch));
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(v.stockNo.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted((std::to_string(v.year) + " " + v.make + " " + v.model + " " + v.trim).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(v.vin.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(core::formatMoney(v.price).c_str());
                ImGui::TableNextColumn();
                const std::string status(core::toString(v.status));
                ImGui::TextUnformatted(ui.tr("kiosk.status." + status).c_str());
                if (v.status == core::VehicleStatus::InStock || v.status == core::VehicleStatus::OnHold) {
                    ImGui::SameLine();
                    const bool held = v.status == core::VehicleStatus::OnHold;
                    if (ui::button(ui, "inventory." + std::string(held ? "release." : "hold.") + v.stockNo,
                                   ui.tr(held ? "kiosk.inventory.release" : "kiosk.inventory.hold"),
                                   ImVec2(ui.px(120), ui.px(36)), ui::ButtonStyle::Secondary))
                        (held ? releaseId : holdId) = v.id;
                }
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(v.lotLocation.empty() ? "-" : v.lotLocation.c_str());
            }
        }
        ImGui::EndTable();
        if (!holdId.empty()) staff.setStatus(holdId, core::VehicleStatus::OnHold);
        if (!releaseId.empty()) staff.setStatus(releaseId, core::VehicleStatus::InStock);
    }
    ImGui::PopFont();
    ImGui::End();
}

void leads(ui::Ui& ui, StaffViewModel& staff) {
    staffWindow("staff_leads");
    staffBar(ui, staff);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float dueW = ui.px(360), gap = ui.px(theme::kSpace2);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    // Follow-ups due today, first thing a salesperson sees.
    ImGui::SetCursorScreenPos(ImVec2(origin.x + gap, origin.y));
    ImGui::BeginGroup();
    ui::text(theme::font(Font::Body), theme::kText,
             ui.strings->format("kiosk.leads.due_today", {{"count", std::to_string(staff.dueToday().size())}}));
    ImGui::PushFont(theme::font(Font::Small));
    for (std::size_t i = 0; i < staff.dueToday().size() && i < 12; ++i) {
        const auto& f = staff.dueToday()[i];
        ImGui::PushStyleColor(ImGuiCol_Text, theme::kWarning);
        ImGui::TextUnformatted((f.dueAt.substr(5, 11) + "  " + f.note.substr(0, 28)).c_str());
        ImGui::PopStyleColor();
    }
    ImGui::PopFont();
    ImGui::EndGroup();
    // The pipeline board: one column per stage.
    const auto stages = core::pipelineStages();
    const float columns = static_cast<float>(stages.size());
    const float colW = (avail.x - dueW - gap * (columns + 1)) / columns;
    std::string advance;
    for (std::size_t s = 0; s < stages.size(); ++s) {
        const float x = origin.x + dueW + gap * static_cast<float>(s + 1) + colW * static_cast<float>(s);
        const auto it = staff.board().find(stages[s]);
        const std::size_t count = it == staff.board().end() ? 0 : it->second.size();
        dl->AddRectFilled(ImVec2(x, origin.y), ImVec2(x + colW, origin.y + avail.y - gap), theme::kSurface,
                          ui.px(theme::kRadiusCard));
        ImGui::SetCursorScreenPos(ImVec2(x + ui.px(12), origin.y + ui.px(12)));
        ui::text(theme::font(Font::Small), theme::kTextMuted,
                 ui.tr("kiosk.stage." + std::string(core::toString(stages[s]))) + "  " + std::to_string(count));
        float y = origin.y + ui.px(52);
        if (it == staff.board().end()) continue;
        for (std::size_t k = 0; k < it->second.size() && y + ui.px(76) < origin.y + avail.y - gap; ++k) {
            const auto& lead = it->second[k];
            const ImVec2 cmin(x + ui.px(8), y), cmax(x + colW - ui.px(8), y + ui.px(68));
            dl->AddRectFilled(cmin, cmax, theme::kSurfaceRaised, ui.px(8));
            ImFont* f = theme::font(Font::Small);
            const std::string name = staff.customerName(lead.customerId);
            dl->AddText(f, f->FontSize, ImVec2(cmin.x + ui.px(10), cmin.y + ui.px(8)), theme::kText, name.c_str());
            const std::string meta = lead.source + "  " + lead.stageChangedAt.substr(0, 10);
            dl->AddText(f, f->FontSize * 0.85f, ImVec2(cmin.x + ui.px(10), cmin.y + ui.px(36)), theme::kTextMuted,
                        meta.c_str());
            if (s + 1 < stages.size() &&
                ui::tapArea(ui, "leads.advance." + std::to_string(s) + "." + std::to_string(k), name, cmin, cmax))
                advance = lead.id;
            y += ui.px(76);
        }
    }
    ImGui::End();
    if (!advance.empty()) staff.advanceLead(advance);
}

// HQ's open conflicts under the status rows: what happened (kind, car, deal, HQ's message, when).
// Managers and admins resolve one with a short note typed on the on-screen keyboard; the note
// panel sits above the list so the keyboard never covers it. Others read the list.
void conflictList(ui::Ui& ui, StaffViewModel& staff, DrawState& state, float x) {
    const auto& conflicts = staff.conflicts();
    const float width = ImGui::GetWindowPos().x + ImGui::GetWindowWidth() - x - ui.px(theme::kSpace6);
    ImGui::SetCursorScreenPos(ImVec2(x, ImGui::GetCursorScreenPos().y + ui.px(theme::kSpace3)));
    ImGui::BeginGroup();
    ui::text(theme::font(Font::Heading), theme::kText,
             ui.strings->format("kiosk.conflict.title", {{"count", std::to_string(conflicts.size())}}));
    if (!staff.conflictNotice().empty())
        ui::text(theme::font(Font::Small), staff.conflictNotice().isError ? theme::kWarning : theme::kSuccess,
                 ui.strings->show(staff.conflictNotice()));
    if (conflicts.empty()) {
        ui::text(theme::font(Font::Body), theme::kTextMuted, ui.tr("kiosk.conflict.none"));
        ui.probes["conflict.rows"] = "0";
        ImGui::EndGroup();
        return;
    }
    if (!staff.mayResolveConflicts())
        ui::text(theme::font(Font::Small), theme::kTextMuted, ui.tr("kiosk.conflict.read_only"));
    ImGui::PushFont(theme::font(Font::Small));
    // The note for the conflict being resolved.
    const auto resolving = std::find_if(conflicts.begin(), conflicts.end(),
                                        [&](const core::SyncConflict& c) { return c.id == staff.resolving(); });
    if (resolving != conflicts.end()) {
        ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace1)));
        ui::text(theme::font(Font::Body), theme::kText,
                 ui.strings->format("kiosk.conflict.note_for",
                                    {{"kind", ui.tr(conflictKindKey(resolving->kind))},
                                     {"what", resolving->dealNo.empty() ? resolving->vin : resolving->dealNo}}));
        // Opened on the frame after the tap on Resolve: that tap's release would put it away again.
        if (std::exchange(state.focusConflictNote, false)) ui.keyboard.focus("conflict.note", KeyLayout::Text);
        bool save = ui::textField(ui, "conflict.note", ui.tr("kiosk.conflict.note"), state.conflictNote,
                                  width * 0.55f) == FieldEvent::Submitted;
        ImGui::SameLine(0, ui.px(theme::kSpace2));
        save |= ui::button(ui, "conflict.save", ui.tr("kiosk.conflict.save"), ImVec2(ui.px(260), 0));
        ImGui::SameLine(0, ui.px(theme::kSpace1));
        if (ui::button(ui, "conflict.cancel", ui.tr("kiosk.conflict.cancel"), ImVec2(ui.px(180), 0),
                       ui::ButtonStyle::Secondary)) {
            staff.cancelResolving();
            ui.keyboard.close();
        } else if (save && staff.resolveConflict(state.conflictNote)) {
            state.conflictNote.clear();
            ui.keyboard.close();
        }
    }
    ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace1)));
    // One card per conflict, newest first, as many as fit; the count above says how many there are.
    const float bottom = ImGui::GetCursorScreenPos().y + ImGui::GetContentRegionAvail().y - ui.px(theme::kSpace2);
    std::string openDeal, resolve;
    int shown = 0;
    for (std::size_t i = 0; i < conflicts.size(); ++i) {
        const auto& c = conflicts[i];
        ImFont* f = theme::font(Font::Small);
        const float buttonsW = ui.px(2 * 200 + theme::kSpace1);
        const float wrap = width - buttonsW - ui.px(2 * theme::kSpace2);
        const float messageH = f->CalcTextSizeA(f->FontSize, 1e9f, wrap, c.message.c_str()).y;
        const float cardH = std::max(ui.px(96), ui.px(theme::kSpace2) * 2 + f->FontSize * 1.5f + messageH);
        const ImVec2 min = ImGui::GetCursorScreenPos(), max(min.x + width, min.y + cardH);
        if (max.y > bottom && shown > 0) break;
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(min, max, theme::kSurface, ui.px(theme::kRadiusCard));
        const float pad = ui.px(theme::kSpace2);
        std::string head = ui.tr(conflictKindKey(c.kind));
        const std::string headRest =
            (c.dealNo.empty() ? "" : "  ·  " + ui.strings->format("kiosk.conflict.deal", {{"deal_no", c.dealNo}})) +
            (c.vin.empty() ? "" : "  ·  " + ui.strings->format("kiosk.conflict.vin", {{"vin", c.vin}})) + "  ·  " +
            ui.strings->format("kiosk.conflict.received", {{"at", c.receivedAt}});
        dl->AddText(f, f->FontSize, ImVec2(min.x + pad, min.y + pad), theme::kWarning, head.c_str());
        const float headW = f->CalcTextSizeA(f->FontSize, 1e9f, 0, head.c_str()).x;
        dl->AddText(f, f->FontSize, ImVec2(min.x + pad + headW, min.y + pad), theme::kTextMuted, headRest.c_str());
        dl->AddText(f, f->FontSize, ImVec2(min.x + pad, min.y + pad + f->FontSize * 1.5f), theme::kText,
                    c.message.c_str(), nullptr, wrap);
        float bx = max.x - pad;
        const float by = min.y + (cardH - ui.px(theme::kMinTouch)) / 2;
        if (staff.mayResolveConflicts()) {
            bx -= ui.px(200);
            ImGui::SetCursorScreenPos(ImVec2(bx, by));
            if (ui::button(ui, "conflict.resolve." + std::to_string(i), ui.tr("kiosk.conflict.resolve"),
                           ImVec2(ui.px(200), 0)))
                resolve = c.id;
            bx -= ui.px(theme::kSpace1);
        }
        if (!c.dealId.empty() && staff.allowed(core::Permission::DeskDeals)) {
            bx -= ui.px(200);
            ImGui::SetCursorScreenPos(ImVec2(bx, by));
            if (ui::button(ui, "conflict.open_deal." + std::to_string(i), ui.tr("kiosk.conflict.open_deal"),
                           ImVec2(ui.px(200), 0), ui::ButtonStyle::Secondary))
                openDeal = c.id;
        }
        ImGui::SetCursorScreenPos(min);
        ImGui::Dummy(ImVec2(width, cardH));
        ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace1) - ImGui::GetStyle().ItemSpacing.y));
        ++shown;
    }
    ui.probes["conflict.rows"] = std::to_string(shown);
    ImGui::PopFont();
    ImGui::EndGroup();
    if (!resolve.empty()) {
        staff.startResolving(resolve);
        state.conflictNote.clear();
        state.focusConflictNote = true; // the keyboard opens on the note at once
    }
    if (!openDeal.empty()) {
        state.deskCustomer.clear();
        state.deskVehicle.clear();
        staff.openConflictDeal(openDeal);
    }
}

void statusScreen(ui::Ui& ui, StaffViewModel& staff, DrawState& state) {
    staffWindow("staff_status");
    staffBar(ui, staff);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::SetCursorScreenPos(ImVec2(origin.x + ui.px(theme::kSpace6), origin.y));
    ImGui::BeginGroup();
    const KioskStatus& st = staff.status();
    auto row = [&](const char* key, const std::string& value, ImU32 dot) {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(p.x + ui.px(8), p.y + ui.px(16)), ui.px(7), dot);
        ImGui::SetCursorScreenPos(ImVec2(p.x + ui.px(28), p.y));
        ui::text(theme::font(Font::Body), theme::kText, ui.tr(key) + ":  " + value);
    };
    const std::string never = ui.tr("kiosk.status_screen.never");
    using ScannerState = core::scan::ScannerStatus::State;
    const std::string scannerState = ui.tr("kiosk.scanner." + std::string(core::scan::toString(st.scannerState))) +
                                     (st.scannerMessage.empty() ? "" : " (" + st.scannerMessage + ")");
    row("kiosk.status_screen.scanner", st.scanner + "  ·  " + scannerState + "  ·  " +
                                           ui.tr("kiosk.status_screen.last_scan") + " " +
                                           (st.lastScanAt.empty() ? never : st.lastScanAt),
        st.scannerState == ScannerState::Connected ? theme::kSuccess
        : st.scannerState == ScannerState::Failed  ? theme::kDanger
                                                   : theme::kWarning);
    row("kiosk.status_screen.printer", st.printer, theme::kSuccess);
    if (!st.receiptPrinter.empty()) {
        const bool ready = st.receiptPrinterState == "ready";
        std::string value = st.receiptPrinter + "  ·  " + ui.tr("kiosk.printer." + st.receiptPrinterState);
        if (!ready && !st.receiptPrinterMessage.empty()) value += " (" + st.receiptPrinterMessage + ")";
        value += "  ·  " + ui.strings->format("kiosk.status_screen.receipts_value",
                                              {{"waiting", std::to_string(st.receiptJobsWaiting)},
                                               {"failed", std::to_string(st.receiptJobsFailed)}});
        row("kiosk.status_screen.receipt_printer", value,
            ready && st.receiptJobsFailed == 0 ? theme::kSuccess
            : st.receiptJobsFailed > 0         ? theme::kDanger
                                               : theme::kWarning);
        ui.probes["receipt_printer.state"] = st.receiptPrinterState;
    }
    row("kiosk.status_screen.queue",
        ui.strings->format("kiosk.status_screen.queue_value", {{"count", std::to_string(st.outboxPending)},
                                                               {"oldest", st.oldestUnsentAt.empty() ? "-" : st.oldestUnsentAt}}),
        st.outboxPending == 0 ? theme::kSuccess : theme::kWarning);
    row("kiosk.status_screen.last_sync",
        (st.lastSyncAt.empty() ? never : st.lastSyncAt) +
            (st.lastSyncError.empty() ? "" : "  ·  " + ui.tr("kiosk.status_screen.sync_error") + " " + st.lastSyncError),
        st.syncOnline ? theme::kSuccess : theme::kWarning);
    if (st.quarantined > 0)
        row("kiosk.status_screen.quarantined",
            ui.strings->format("kiosk.status_screen.quarantined_value", {{"count", std::to_string(st.quarantined)}}),
            theme::kDanger);
    if (st.openConflicts > 0)
        row("kiosk.status_screen.conflicts",
            ui.strings->format("kiosk.status_screen.conflicts_value", {{"count", std::to_string(st.openConflicts)}}),
            theme::kWarning);
    ui.probes["sync.quarantined"] = std::to_string(st.quarantined);
    ui.probes["sync.last"] = st.lastSyncAt.empty() ? "never" : st.lastSyncAt;
    ui.probes["sync.online"] = st.syncOnline ? "yes" : "no";
    ImGui::EndGroup();
    conflictList(ui, staff, state, origin.x + ui.px(theme::kSpace6));
    ImGui::End();
}

void deskScreen(ui::Ui& ui, StaffViewModel& staff, DrawState& state) {
    staffWindow("staff_desk");
    staffBar(ui, staff);
    DeskViewModel& desk = staff.desk();
    flagBanner(ui, desk);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float gap = ui.px(theme::kSpace3);
    const float colW = (avail.x - gap * 4) / 3;
    ImGui::PushFont(theme::font(Font::Small));

    // Column 1: customer and vehicle.
    ImGui::SetCursorScreenPos(ImVec2(origin.x + gap, origin.y));
    ImGui::BeginGroup();
    ui::text(theme::font(Font::Body), theme::kText, ui.tr("kiosk.desk.customer"));
    if (desk.customer()) ui::text(theme::font(Font::Small), theme::kSuccess, desk.customer()->fullName() + "  " + desk.customer()->phone);
    if (ui::textField(ui, "desk.find_customer", ui.tr("kiosk.desk.find_customer"), state.deskCustomer, colW) ==
        FieldEvent::Submitted)
        desk.findCustomers(state.deskCustomer);
    std::string pickedCustomer, pickedVehicle;
    for (std::size_t i = 0; i < desk.customerMatches().size() && i < 5; ++i) {
        const auto& c = desk.customerMatches()[i];
        if (ui::button(ui, "desk.customer." + std::to_string(i), c.fullName() + "  " + c.phone, ImVec2(colW, ui.px(48)),
                       ui::ButtonStyle::Secondary))
            pickedCustomer = c.id;
    }
    ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace2)));
    ui::text(theme::font(Font::Body), theme::kText, ui.tr("kiosk.desk.vehicle"));
    if (desk.vehicle())
        ui::text(theme::font(Font::Small), theme::kSuccess,
                 desk.vehicle()->stockNo + "  " + std::to_string(desk.vehicle()->year) + " " + desk.vehicle()->make + " " +
                     desk.vehicle()->model);
    if (ui::textField(ui, "desk.find_vehicle", ui.tr("kiosk.desk.find_vehicle"), state.deskVehicle, colW) ==
        FieldEvent::Submitted)
        desk.findVehicles(state.deskVehicle);
    for (std::size_t i = 0; i < desk.vehicleMatches().size() && i < 5; ++i) {
        const auto& v = desk.vehicleMatches()[i];
        if (ui::button(ui, "desk.vehicle." + std::to_string(i),
                       v.stockNo + "  " + std::to_string(v.year) + " " + v.make + " " + v.model + "  " + core::formatMoney(v.price),
                       ImVec2(colW, ui.px(48)), ui::ButtonStyle::Secondary))
            pickedVehicle = v.id;
    }
    ImGui::EndGroup();

    // Column 2: the figures.
    ImGui::SetCursorScreenPos(ImVec2(origin.x + gap * 2 + colW, origin.y));
    ImGui::BeginGroup();
    DeskForm f = desk.form();
    bool changed = false;
    // The view-model holds the form and re-prices on every key, so the payment follows the typing.
    auto money = [&](const std::string& id, const char* key, std::string& value) {
        ui::text(theme::font(Font::Small), theme::kTextMuted, ui.tr(key));
        changed |= ui::textField(ui, id, ui.tr(key), value, colW, KeyLayout::Decimal) != FieldEvent::None;
    };
    money("desk.price", "kiosk.desk.price", f.price);
    money("desk.discount", "kiosk.desk.discount", f.discount);
    money("desk.tradein", "kiosk.desk.trade_in", f.tradeIn);
    money("desk.payoff", "kiosk.desk.payoff", f.payoff);
    money("desk.down", "kiosk.desk.down", f.down);
    money("desk.apr", "kiosk.desk.apr", f.apr);
    ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace1)));
    if (ui::chip(ui, "desk.finance", ui.tr("kiosk.desk.finance"), f.financed)) {
        f.financed = true;
        changed = true;
    }
    ImGui::SameLine(0, ui.px(theme::kSpace1));
    if (ui::chip(ui, "desk.cash", ui.tr("kiosk.desk.cash"), !f.financed)) {
        f.financed = false;
        changed = true;
    }
    for (int term : {36, 48, 60, 72, 84}) {
        if (term != 36) ImGui::SameLine(0, ui.px(theme::kSpace1));
        if (ui::chip(ui, "desk.term." + std::to_string(term), std::to_string(term), f.term == term)) {
            f.term = term;
            changed = true;
        }
    }
    if (changed) desk.edit(f);
    ImGui::EndGroup();

    // Column 3: Truth in Lending, the grid, approval, desking.
    ImGui::SetCursorScreenPos(ImVec2(origin.x + gap * 3 + colW * 2, origin.y));
    ImGui::BeginGroup();
    if (!desk.problem().empty()) ui::text(theme::font(Font::Small), theme::kWarning, ui.strings->show(desk.problem()));
    if (const auto& q = desk.quote()) {
        auto line = [&](const char* key, core::Cents c, bool strong = false) {
            ui::text(theme::font(strong ? Font::Heading : Font::Small), theme::kText, ui.tr(key) + "  " + core::formatMoney(c));
        };
        line("kiosk.desk.total_due", q->totalDue);
        if (desk.form().financed) {
            ui::text(theme::font(Font::Heading), theme::kText, ui.tr("kiosk.desk.tila.apr") + "  " + core::formatPercent(q->apr) + " %");
            line("kiosk.desk.tila.finance_charge", q->financeCharge, true);
            line("kiosk.desk.tila.amount_financed", q->amountFinanced);
            line("kiosk.desk.tila.total_of_payments", q->totalOfPayments);
            line("kiosk.desk.tila.total_sale_price", q->totalSalePrice);
            ui::text(theme::font(Font::Body), theme::kText,
                     ui.strings->format("kiosk.desk.payment", {{"count", std::to_string(q->numberOfPayments)},
                                                               {"amount", core::formatMoney(q->monthlyPayment)}}));
        }
    }
    if (const auto& g = desk.grid()) {
        if (ImGui::BeginTable("grid", static_cast<int>(g->terms.size()) + 1, ImGuiTableFlags_Borders, ImVec2(colW, 0))) {
            ImGui::TableSetupColumn(ui.tr("kiosk.desk.grid.down").c_str());
            for (int t : g->terms) ImGui::TableSetupColumn(std::to_string(t).c_str());
            ImGui::TableHeadersRow();
            for (std::size_t r = 0; r < g->downs.size(); ++r) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(core::formatMoney(g->downs[r]).c_str());
                for (std::size_t c = 0; c < g->terms.size(); ++c) {
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(core::formatMoney(g->payments[r][c]).c_str());
                }
            }
            ImGui::EndTable();
        }
    }
    ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace2)));
    if (desk.needsApproval()) {
        ui::text(theme::font(Font::Small), theme::kWarning, ui.tr("kiosk.desk.needs_approval"));
        ui::textField(ui, "desk.approval_pin", ui.tr("kiosk.desk.manager_pin"), state.approvalPin, ui.px(240),
                      KeyLayout::Pin);
        for (const auto& m : staff.staff()) {
            if (!core::can(m.role, core::Permission::ApproveDiscounts)) continue;
            if (ui::button(ui, "desk.approve." + m.name, ui.strings->format("kiosk.desk.approve_as", {{"name", m.name}}),
                           ImVec2(colW, ui.px(48)), ui::ButtonStyle::Secondary)) {
                (void)desk.approve(m.id, state.approvalPin);   // notice() tells the outcome
                state.approvalPin.clear();
            }
        }
    }
    ImGui::PushFont(theme::font(Font::Body));
    if (ui::button(ui, "desk.create", ui.tr("kiosk.desk.create"), ImVec2(colW, ui.px(64)))) {
        (void)desk.create();
    }
    if (desk.deal() && desk.deal()->status == core::DealStatus::Draft) {
        ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace1)));
        // A flagged deal: the first tap warns, the second ("Sign anyway") opens the pad.
        const bool confirm = desk.signingNeedsConfirmation();
        if (ui::button(ui, "desk.sign", ui.tr(confirm ? "kiosk.desk.flag.sign_anyway" : "kiosk.desk.sign"),
                       ImVec2(colW, ui.px(64)), confirm ? ui::ButtonStyle::Primary : ui::ButtonStyle::Secondary) &&
            desk.requestSigning()) {
            desk.signature().clear();
            staff.go(StaffScreen::Sign);
        }
    }
    if (desk.deal() && desk.stillDue() > 0) {
        ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace1)));
        if (ui::button(ui, "desk.pay", ui.tr("kiosk.pay.open"), ImVec2(colW, ui.px(64)), ui::ButtonStyle::Secondary))
            staff.go(StaffScreen::Payment);
    }
    ImGui::PopFont();
    if (!desk.notice().empty()) {
        ImGui::PushTextWrapPos(origin.x + gap * 3 + colW * 3);
        ui::text(theme::font(Font::Small), desk.notice().isError ? theme::kWarning : theme::kSuccess,
                 ui.strings->show(desk.notice()));
        ImGui::PopTextWrapPos();
    }
    ImGui::EndGroup();
    ImGui::PopFont();
    ImGui::End();
    if (!pickedCustomer.empty()) desk.pickCustomer(pickedCustomer);
    if (!pickedVehicle.empty()) desk.pickVehicle(pickedVehicle);
}

// The contract's terms as the buyer will sign them: every figure from the desked deal.
void contractPreview(ui::Ui& ui, const DeskViewModel& desk, float width) {
    const auto& deal = *desk.deal();
    const auto& q = deal.quote;
    ImGui::BeginGroup();
    ui::text(theme::font(Font::Heading), theme::kText, ui.tr("kiosk.sign.preview"));
    ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace1)));
    auto line = [&](const std::string& label, const std::string& value, Font font = Font::Small) {
        ImFont* f = theme::font(font);
        const ImVec2 at = ImGui::GetCursorScreenPos();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddText(f, f->FontSize, at, theme::kTextMuted, label.c_str());
        const float w = f->CalcTextSizeA(f->FontSize, 1e9f, 0, value.c_str()).x;
        dl->AddText(f, f->FontSize, ImVec2(at.x + width - w, at.y), theme::kText, value.c_str());
        ImGui::Dummy(ImVec2(width, f->FontSize * 1.45f));
    };
    if (desk.customer()) line(ui.tr("kiosk.sign.preview.buyer"), desk.customer()->fullName());
    if (desk.vehicle())
        line(ui.tr("kiosk.sign.preview.vehicle"), std::to_string(desk.vehicle()->year) + " " + desk.vehicle()->make + " " +
                                                      desk.vehicle()->model + "  " + desk.vehicle()->vin);
    line(ui.tr("kiosk.sign.preview.cash_price"), core::formatMoney(q.cashPrice));
    line(ui.tr("kiosk.sign.preview.sales_tax"), core::formatMoney(q.salesTax));
    line(ui.tr("kiosk.sign.preview.fees"), core::formatMoney(q.fees));
    line(ui.tr("kiosk.sign.preview.trade_equity"), core::formatMoney(q.tradeEquity));
    line(ui.tr("kiosk.sign.preview.down"), core::formatMoney(q.downPayment));
    if (deal.input.financed) {
        ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace1)));
        line(ui.tr("kiosk.desk.tila.apr"), core::formatPercent(q.apr) + " %", Font::Body);
        line(ui.tr("kiosk.desk.tila.finance_charge"), core::formatMoney(q.financeCharge), Font::Body);
        line(ui.tr("kiosk.desk.tila.amount_financed"), core::formatMoney(q.amountFinanced));
        line(ui.tr("kiosk.desk.tila.total_of_payments"), core::formatMoney(q.totalOfPayments));
        line(ui.tr("kiosk.desk.tila.total_sale_price"), core::formatMoney(q.totalSalePrice));
        ui::text(theme::font(Font::Small), theme::kTextMuted,
                 ui.strings->format("kiosk.sign.preview.schedule",
                                    {{"count", std::to_string(q.numberOfPayments)},
                                     {"amount", core::formatMoney(q.monthlyPayment)},
                                     {"date", desk.firstPaymentDue()}}));
    } else {
        line(ui.tr("kiosk.sign.preview.balance_due"), core::formatMoney(q.balanceDueOnDelivery), Font::Body);
    }
    ImGui::EndGroup();
}

// The contract preview beside a large white signing panel with a baseline; the buyer signs with a
// finger, then the contract is produced, stored and printed.
void signScreen(ui::Ui& ui, StaffViewModel& staff, DrawState& state) {
    staffWindow("staff_sign");
    staffBar(ui, staff);
    DeskViewModel& desk = staff.desk();
    flagBanner(ui, desk);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const bool portrait = avail.y > avail.x;
    const float margin = ui.px(theme::kSpace6);
    ImGui::SetCursorScreenPos(ImVec2(origin.x + margin, origin.y));
    if (desk.deal())
        ui::text(theme::font(Font::Heading), theme::kText,
                 ui.strings->format("kiosk.sign.title", {{"deal_no", desk.deal()->dealNo},
                                                          {"total", core::formatMoney(desk.deal()->quote.totalSalePrice)}}));
    // Landscape: preview on the left, the pad on the right. Portrait: preview above the pad.
    const float previewW = portrait ? avail.x - 2 * margin : std::min(ui.px(620), avail.x * 0.36f);
    ImVec2 padMin(origin.x + margin, origin.y + ui.px(72));
    if (desk.deal()) {
        ImGui::SetCursorScreenPos(ImVec2(origin.x + margin, origin.y + ui.px(72)));
        contractPreview(ui, desk, previewW);
        ImGui::SetCursorScreenPos(ImVec2(origin.x + margin, ImGui::GetCursorScreenPos().y + ui.px(theme::kSpace2)));
        ImGui::BeginGroup();
        ImGui::PushFont(theme::font(Font::Small));
        ui::text(theme::font(Font::Small), theme::kTextMuted, ui.tr("kiosk.sign.language"));
        if (ui::chip(ui, "sign.lang.en", ui.tr("kiosk.language.english"), desk.contractLanguage() == "en"))
            desk.setContractLanguage("en");
        ImGui::SameLine(0, ui.px(theme::kSpace1));
        if (ui::chip(ui, "sign.lang.zh", ui.tr("kiosk.language.chinese"), desk.contractLanguage() == "zh-CN"))
            desk.setContractLanguage("zh-CN");
        ImGui::PopFont();
        ImGui::EndGroup();
        if (portrait) padMin.y = ImGui::GetCursorScreenPos().y + ui.px(theme::kSpace3);
        else padMin.x = origin.x + margin + previewW + ui.px(theme::kSpace4);
    }
    const ImVec2 padMax(origin.x + avail.x - margin, origin.y + avail.y - ui.px(140));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(padMin, padMax, IM_COL32(255, 255, 255, 255), ui.px(theme::kRadiusCard));
    const float baseline = padMin.y + (padMax.y - padMin.y) * 0.72f;
    dl->AddLine(ImVec2(padMin.x + ui.px(48), baseline), ImVec2(padMax.x - ui.px(48), baseline), IM_COL32(0x8A, 0x90, 0x99, 255), ui.px(2));
    ImFont* small = theme::font(Font::Small);
    const std::string hint = ui.tr("kiosk.sign.here");
    dl->AddText(small, small->FontSize, ImVec2(padMin.x + ui.px(48), baseline + ui.px(8)), IM_COL32(0x8A, 0x90, 0x99, 255), hint.c_str());
    // Capture: pressing on the pad starts a stroke, moving extends it.
    ImGui::SetCursorScreenPos(padMin);
    ImGui::InvisibleButton("sign.pad", ImVec2(padMax.x - padMin.x, padMax.y - padMin.y));
    ui.targets.push_back({"sign.pad", hint, padMin, padMax});
    const ImVec2 size(padMax.x - padMin.x, padMax.y - padMin.y);
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const SignaturePoint p{(mouse.x - padMin.x) / size.x, (mouse.y - padMin.y) / size.y};
    const bool signable = desk.deal() && desk.deal()->status == core::DealStatus::Draft;
    if (signable && ImGui::IsItemActivated()) desk.signature().beginStroke(p);
    else if (signable && ImGui::IsItemActive()) desk.signature().extendStroke(p);
    for (const auto& stroke : desk.signature().strokes()) {
        for (std::size_t i = 1; i < stroke.size(); ++i)
            dl->AddLine(ImVec2(padMin.x + stroke[i - 1].x * size.x, padMin.y + stroke[i - 1].y * size.y),
                        ImVec2(padMin.x + stroke[i].x * size.x, padMin.y + stroke[i].y * size.y), IM_COL32(0x14, 0x1B, 0x2D, 255),
                        ui.px(4));
    }
    ImGui::SetCursorScreenPos(ImVec2(padMin.x, padMax.y + ui.px(theme::kSpace3)));
    ImGui::PushFont(theme::font(Font::Body));
    if (signable) {
        if (ui::button(ui, "sign.clear", ui.tr("kiosk.sign.clear"), ImVec2(ui.px(240), ui.px(64)), ui::ButtonStyle::Secondary))
            desk.signature().clear();
        ImGui::SameLine(0, ui.px(theme::kSpace3));
        if (ui::button(ui, "sign.accept",
                       ui.tr(desk.signingNeedsConfirmation() ? "kiosk.desk.flag.sign_anyway" : "kiosk.sign.accept"),
                       ImVec2(ui.px(320), ui.px(64))))
            (void)desk.signContract(static_cast<int>(size.x), static_cast<int>(size.y));
    } else if (desk.contract()) {
        if (ui::button(ui, "sign.reprint", ui.tr("kiosk.sign.reprint"), ImVec2(ui.px(280), ui.px(64)),
                       ui::ButtonStyle::Secondary))
            (void)desk.printContract();
        if (desk.stillDue() > 0) {
            ImGui::SameLine(0, ui.px(theme::kSpace3));
            if (ui::button(ui, "sign.pay", ui.tr("kiosk.pay.open"), ImVec2(ui.px(320), ui.px(64))))
                staff.go(StaffScreen::Payment);
        }
    }
    ImGui::PopFont();
    if (!desk.notice().empty()) {
        ImGui::SameLine(0, ui.px(theme::kSpace3));
        ImGui::PushTextWrapPos(padMax.x);
        ui::text(theme::font(Font::Small), desk.notice().isError ? theme::kWarning : theme::kSuccess,
                 ui.strings->show(desk.notice()));
        ImGui::PopTextWrapPos();
    }
    (void)state;
    ImGui::End();
}


// Taking a payment: the amount (one tap: a deposit, or the balance), how it was paid, then the
// receipt as the printer will print it, and where it is in the print queue (waiting for paper, ...).
void paymentScreen(ui::Ui& ui, StaffViewModel& staff, DrawState& state) {
    staffWindow("staff_payment");
    staffBar(ui, staff);
    DeskViewModel& desk = staff.desk();
    flagBanner(ui, desk);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float margin = ui.px(theme::kSpace6);
    const float colW = std::min(ui.px(760), avail.x * 0.5f - margin);
    ImGui::SetCursorScreenPos(ImVec2(origin.x + margin, origin.y));
    ImGui::BeginGroup();
    if (const auto& deal = desk.deal()) {
        ui::text(theme::font(Font::Heading), theme::kText,
                 ui.strings->format("kiosk.pay.title", {{"deal_no", deal->dealNo}}));
        auto line = [&](const char* key, const std::string& value) {
            ui::text(theme::font(Font::Body), theme::kTextMuted, ui.tr(key) + ":  " + value);
        };
        if (desk.customer()) line("kiosk.sign.preview.buyer", desk.customer()->fullName());
        line("kiosk.pay.total_due", core::formatMoney(core::Deals::amountDue(*deal)));
        line("kiosk.pay.paid", core::formatMoney(deal->paid));
        line("kiosk.pay.still_due", core::formatMoney(desk.stillDue()));
        ui.probes["pay.still_due"] = core::formatCents(desk.stillDue());
        ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace3)));
        if (desk.stillDue() <= 0) {
            ui::text(theme::font(Font::Body), theme::kSuccess, ui.tr("kiosk.pay.paid_in_full"));
            ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace2)));
        }
        if (desk.stillDue() > 0) ui::text(theme::font(Font::Small), theme::kTextMuted, ui.tr("kiosk.pay.amount"));
        ImGui::PushFont(theme::font(Font::Small));
        int n = 0;
        for (core::Cents amount : desk.paymentChoices()) {
            if (n++) ImGui::SameLine(0, ui.px(theme::kSpace1));
            const bool whole = amount == desk.stillDue();
            const std::string label = whole ? ui.strings->format("kiosk.pay.balance", {{"amount", core::formatMoney(amount)}})
                                            : ui.strings->format("kiosk.pay.deposit", {{"amount", core::formatMoney(amount)}});
            if (ui::chip(ui, whole ? "pay.amount.balance" : "pay.amount." + std::to_string(amount / 100), label,
                         desk.paymentAmount() == amount))
                desk.setPaymentAmount(amount);
        }
        ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace2)));
        if (desk.stillDue() > 0) ui::text(theme::font(Font::Small), theme::kTextMuted, ui.tr("kiosk.pay.method"));
        n = 0;
        for (auto method : {core::PaymentMethod::Card, core::PaymentMethod::Cash, core::PaymentMethod::Check,
                            core::PaymentMethod::Wire}) {
            if (desk.stillDue() <= 0) break;
            if (n++) ImGui::SameLine(0, ui.px(theme::kSpace1));
            const std::string name(core::toString(method));
            if (ui::chip(ui, "pay.method." + name, ui.tr("kiosk.pay.method." + name), desk.paymentMethod() == method))
                desk.setPaymentMethod(method);
        }
        ImGui::PopFont();
        ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace3)));
        ImGui::PushFont(theme::font(Font::Body));
        if (desk.stillDue() > 0 &&
            ui::button(ui, "pay.take", ui.tr("kiosk.pay.take"), ImVec2(colW, ui.px(64))))
            (void)desk.takePayment();
        if (desk.receipt()) {
            ImGui::Dummy(ImVec2(0, ui.px(theme::kSpace1)));
            if (ui::button(ui, "pay.reprint", ui.tr("kiosk.pay.reprint"), ImVec2(colW, ui.px(64)),
                           ui::ButtonStyle::Secondary))
                (void)desk.reprintReceipt();
        }
        ImGui::PopFont();
        if (!desk.notice().empty()) {
            ImGui::PushTextWrapPos(origin.x + margin + colW);
            ui::text(theme::font(Font::Small), desk.notice().isError ? theme::kWarning : theme::kSuccess,
                     ui.strings->show(desk.notice()));
            ImGui::PopTextWrapPos();
        }
    }
    ImGui::EndGroup();

    // The receipt: its place in the queue, then the paper as the printer will burn it.
    if (const auto& receipt = desk.receipt()) {
        const float x = origin.x + avail.x - margin - colW;
        ImGui::SetCursorScreenPos(ImVec2(x, origin.y));
        ImGui::BeginGroup();
        using core::print::JobState;
        std::string where;
        ImU32 colour = theme::kWarning;
        if (receipt->state == JobState::Printed) {
            where = ui.tr(receipt->copy ? "kiosk.pay.receipt.printed_copy" : "kiosk.pay.receipt.printed");
            colour = theme::kSuccess;
        } else if (receipt->state == JobState::Failed) {
            where = ui.strings->format("kiosk.pay.receipt.failed", {{"detail", receipt->lastError}});
            colour = theme::kDanger;
        } else if (!receipt->waitingFor.empty() && receipt->waitingFor != "busy") {
            where = ui.tr("kiosk.pay.receipt.waiting") + " " + ui.tr("kiosk.printer." + receipt->waitingFor);
        } else {
            where = ui.tr("kiosk.pay.receipt.printing");
        }
        ui::text(theme::font(Font::Body), theme::kText, ui.strings->format("kiosk.pay.receipt", {{"receipt_no", receipt->receiptNo}}));
        ImGui::PushTextWrapPos(x + colW);
        ui::text(theme::font(Font::Small), colour, where);
        ImGui::PopTextWrapPos();
        ui.probes["receipt.no"] = receipt->receiptNo;
        ui.probes["receipt.state"] = std::string(core::print::toString(receipt->state)) +
                                     (receipt->waitingFor.empty() ? "" : ":" + receipt->waitingFor);
        ui.probes["receipt.copy"] = receipt->copy ? "yes" : "no";
        if (ui.receiptPreview) {
            const auto preview = ui.receiptPreview(receipt->jobId, receipt->bytes);
            if (preview.texture) {
                const ImVec2 at = ImGui::GetCursorScreenPos();
                const float maxH = origin.y + avail.y - at.y - ui.px(theme::kSpace3);
                const float w = std::min(colW, static_cast<float>(preview.width) * ui.scale * 0.75f);
                float h = w * static_cast<float>(preview.height) / static_cast<float>(preview.width);
                float v1 = 1.0f;
                if (h > maxH) {   // a long receipt: its top shows, like paper coming out of the printer
                    v1 = maxH / h;
                    h = maxH;
                }
                ImDrawList* dl = ImGui::GetWindowDrawList();
                dl->AddRectFilled(ImVec2(at.x - ui.px(8), at.y - ui.px(8)), ImVec2(at.x + w + ui.px(8), at.y + h + ui.px(8)),
                                  IM_COL32(255, 255, 255, 255), ui.px(6));
                dl->AddImage(reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(preview.texture)), at,
                             ImVec2(at.x + w, at.y + h), ImVec2(0, 0), ImVec2(1, v1));
                ImGui::Dummy(ImVec2(w, h));
            }
        }
        ImGui::EndGroup();
    }
    (void)state;
    ImGui::End();
}
} // namespace

void drawStaff(ui::Ui& ui, StaffViewModel& staff, DrawState& state) {
    ui.targets.clear();
    ui.probes.clear();
    ui.animating = false;
    switch (staff.screen()) {
    case StaffScreen::PickName: pickName(ui, staff); break;
    case StaffScreen::Pin: pinPad(ui, staff); break;
    case StaffScreen::Home: home(ui, staff); break;
    case StaffScreen::CheckIn: checkIn(ui, staff, state); break;
    case StaffScreen::Inventory: inventory(ui, staff, state); break;
    case StaffScreen::Leads: leads(ui, staff); break;
    case StaffScreen::Status: statusScreen(ui, staff, state); break;
    case StaffScreen::Desk: deskScreen(ui, staff, state); break;
    case StaffScreen::Sign: signScreen(ui, staff, state); break;
    case StaffScreen::Payment: paymentScreen(ui, staff, state); break;
    case StaffScreen::Dashboard: dashboardScreen(ui, staff, state); break;
    }
}

} // namespace showroom::kiosk::screens
