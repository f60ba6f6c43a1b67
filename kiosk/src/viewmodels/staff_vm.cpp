#include "staff_vm.hpp"

#include "showroom/core/scan.hpp"

#include "showroom/core/money.hpp"

#include <algorithm>

namespace showroom::kiosk {

std::string_view toString(StaffScreen screen) {
    switch (screen) {
    case StaffScreen::PickName: return "staff_pick";
    case StaffScreen::Pin: return "staff_pin";
    case StaffScreen::Home: return "staff_home";
    case StaffScreen::CheckIn: return "staff_checkin";
    case StaffScreen::Inventory: return "staff_inventory";
    case StaffScreen::Leads: return "staff_leads";
    case StaffScreen::Status: return "staff_status";
    case StaffScreen::Desk: return "staff_desk";
    case StaffScreen::Sign: return "staff_sign";
    case StaffScreen::Payment: return "staff_payment";
    case StaffScreen::Dashboard: return "staff_dashboard";
    }
    return "staff_pick";
}

StaffViewModel::StaffViewModel(core::Context& ctx, std::int64_t idleTimeoutMs, DeskConfig desk)
    : m_ctx(ctx), m_idleTimeoutMs(idleTimeoutMs), m_desk(ctx, std::move(desk)), m_dashboard(ctx) {}

void StaffViewModel::open() {
    m_active = true;
    m_screen = StaffScreen::PickName;
    m_picked.reset();
    m_pin.clear();
    m_pinErrorKey.clear();
    if (auto all = core::Auth(m_ctx).staff()) m_staff = std::move(*all);
}

void StaffViewModel::pick(const std::string& staffId) {
    auto it = std::find_if(m_staff.begin(), m_staff.end(), [&](const auto& m) { return m.id == staffId; });
    if (it == m_staff.end()) return;
    m_picked = *it;
    m_pin.clear();
    m_pinErrorKey.clear();
    m_screen = StaffScreen::Pin;
}

void StaffViewModel::pinDigit(char digit) {
    if (digit < '0' || digit > '9' || m_pin.size() >= 8) return;
    m_pin += digit;
}

void StaffViewModel::pinBackspace() {
    if (!m_pin.empty()) m_pin.pop_back();
}

void StaffViewModel::submitPin() {
    if (!m_picked) return;
    auto result = core::Auth(m_ctx).signIn(m_picked->id, m_pin);
    m_pin.clear();
    m_pinErrorValues.clear();
    if (result) {
        m_signedIn = std::move(*result);
        m_pinErrorKey.clear();
        m_screen = StaffScreen::Home;
        return;
    }
    const Notice refusal = Notice::pinRefusal(result.error());
    m_pinErrorKey = refusal.key;
    m_pinErrorValues = refusal.values;
}

void StaffViewModel::signOut() {
    // Nothing of the last person's session stays on screen for the next one.
    m_due.clear();
    m_names.clear();
    m_desk.setSalesperson(std::nullopt);
    m_desk.reset();
    m_dashboard.close();
    m_stockQuery.clear();
    m_inventoryNotice = {};
    m_pinErrorKey.clear();
    m_pinErrorValues.clear();
    m_active = false;
    m_signedIn.reset();
    m_picked.reset();
    m_pin.clear();
    m_checkIn = {};
    m_stock.clear();
    m_board.clear();
    m_resolving.clear();
    m_conflictNotice = {};
    m_screen = StaffScreen::PickName;
}

bool StaffViewModel::allowed(core::Permission p) const { return m_signedIn && core::can(m_signedIn->role, p); }

void StaffViewModel::go(StaffScreen area) {
    if (!m_signedIn) return;
    const bool ok = area == StaffScreen::Home || (area == StaffScreen::CheckIn && allowed(core::Permission::CheckIn)) ||
                    (area == StaffScreen::Inventory && allowed(core::Permission::ManageInventory)) ||
                    (area == StaffScreen::Leads && allowed(core::Permission::WorkLeads)) ||
                    (area == StaffScreen::Desk && allowed(core::Permission::DeskDeals)) ||
                    (area == StaffScreen::Sign && allowed(core::Permission::DeskDeals) && m_desk.deal()) ||
                    (area == StaffScreen::Payment && allowed(core::Permission::DeskDeals) && m_desk.deal()) ||
                    (area == StaffScreen::Dashboard && allowed(core::Permission::ViewReports)) ||
                    area == StaffScreen::Status;
    if (!ok) return;
    m_screen = area;
    if (area == StaffScreen::CheckIn) m_checkIn = {};
    if (area == StaffScreen::Inventory) searchStock(m_stockQuery);
    if (area == StaffScreen::Leads) loadBoard();
    if (area == StaffScreen::Dashboard) (void)m_dashboard.open(m_signedIn, m_dashboard.period()); // notice says why
    if (area == StaffScreen::Status) {
        m_resolving.clear();
        m_conflictNotice = {};
        refreshStatus();
    }
    if (area == StaffScreen::Desk) {
        m_desk.reset();
        m_desk.setSalesperson(m_signedIn);
    }
}

void StaffViewModel::refreshStatus() {
    auto stmt = m_ctx.db.prepare("SELECT count(*), coalesce(min(created_at), '') FROM outbox WHERE sent_at IS NULL "
                                 "AND quarantined_at IS NULL");
    if (stmt && stmt->step()) {
        m_status.outboxPending = stmt->getInt(0);
        m_status.oldestUnsentAt = stmt->getText(1);
    }
    // What the sync client (sync/, its own thread or `showroom sync run`) last recorded.
    auto sync = m_ctx.db.prepare(
        "SELECT (SELECT count(*) FROM outbox WHERE quarantined_at IS NOT NULL), "
        "coalesce((SELECT value FROM sync_state WHERE key = 'last_success_at'), ''), "
        "coalesce((SELECT value FROM sync_state WHERE key = 'last_error'), ''), "
        "coalesce((SELECT value FROM sync_state WHERE key = 'online'), '0')");
    if (sync && sync->step()) {
        m_status.quarantined = sync->getInt(0);
        m_status.lastSyncAt = sync->getText(1);
        m_status.lastSyncError = sync->getText(2);
        m_status.syncOnline = sync->getText(3) == "1" || sync->getText(3) == "true";
    }
    auto jobs = m_ctx.db.prepare("SELECT count(*) FILTER (WHERE state IN ('queued', 'sending')), "
                                 "count(*) FILTER (WHERE state = 'failed') FROM print_jobs");
    if (jobs && jobs->step()) {
        m_status.receiptJobsWaiting = jobs->getInt(0);
        m_status.receiptJobsFailed = jobs->getInt(1);
    }
    if (auto open = core::Conflicts(m_ctx).list()) {
        m_conflicts = std::move(*open);
        m_status.openConflicts = static_cast<std::int64_t>(m_conflicts.size());
    }
    // HQ may have flagged (or closed) the deal on the desk since it was last read.
    m_desk.refreshFlag();
}

void StaffViewModel::startResolving(const std::string& conflictId) {
    if (!mayResolveConflicts()) {
        m_conflictNotice = Notice::error("kiosk.staff.not_allowed");
        return;
    }
    m_resolving = conflictId;
    m_conflictNotice = {};
}

core::Status StaffViewModel::resolveConflict(const std::string& note) {
    if (!mayResolveConflicts()) {
        m_conflictNotice = Notice::error("kiosk.staff.not_allowed");
        return core::fail(core::ErrorCode::Denied, "only a manager or an admin may resolve a conflict");
    }
    if (m_resolving.empty()) return core::fail(core::ErrorCode::InvalidInput, "no conflict is being resolved");
    if (note.find_first_not_of(" \t\r\n") == std::string::npos) {
        m_conflictNotice = Notice::error("kiosk.conflict.error.no_note");
        return core::fail(core::ErrorCode::InvalidInput, "say what was done about the conflict (a note)");
    }
    auto ctx = m_ctx;
    ctx.actor = m_signedIn->id;
    auto resolved = core::Conflicts(ctx).resolve(m_resolving, note);
    if (!resolved) {
        m_conflictNotice = Notice::fromError(resolved.error());
        refreshStatus(); // HQ may have closed it meanwhile: the list shows what is still open
        return resolved.error();
    }
    m_resolving.clear();
    m_conflictNotice = Notice::info("kiosk.conflict.resolved",
                                    {{"what", resolved->dealNo.empty() ? resolved->vin : resolved->dealNo}});
    refreshStatus();
    return {};
}

void StaffViewModel::openConflictDeal(const std::string& conflictId) {
    if (!allowed(core::Permission::DeskDeals)) {
        m_conflictNotice = Notice::error("kiosk.staff.not_allowed");
        return;
    }
    auto it = std::find_if(m_conflicts.begin(), m_conflicts.end(), [&](const auto& c) { return c.id == conflictId; });
    if (it == m_conflicts.end() || it->dealId.empty()) return;
    const std::string dealId = it->dealId;
    go(StaffScreen::Desk);
    (void)m_desk.openDeal(dealId); // the desk's notice says when the deal cannot be found
}

void StaffViewModel::receiptPrinterStatus(std::string connection, std::string state, std::string message) {
    m_status.receiptPrinter = std::move(connection);
    m_status.receiptPrinterState = std::move(state);
    m_status.receiptPrinterMessage = std::move(message);
    m_desk.refreshReceipt();
    refreshStatus();
}

void StaffViewModel::requestClose() {
    if (allowed(core::Permission::ManageStaff)) m_closeRequested = true;
}

void StaffViewModel::scan(const std::string& payload) {
    m_status.lastScanAt = core::formatUtc(m_ctx.clock.now());
    CheckInForm form;
    // Every action checks the role again, not only the screen that offers it.
    if (!allowed(core::Permission::CheckIn)) {
        form.messageKey = "kiosk.staff.not_allowed";
        form.messageIsError = true;
        m_checkIn = std::move(form);
        return;
    }
    if (core::scan::looksLikeLicence(payload)) {
        // Personal data: neither shown nor kept on the check-in form.
        form.messageKey = "kiosk.checkin.licence_not_vin";
        form.messageIsError = true;
        m_checkIn = std::move(form);
        return;
    }
    // The VIN inside whatever was scanned: a bare label, "VIN:...;STOCK:...", a QR code's URL. What
    // was typed by hand, or a barcode without a VIN, gets clean()'s reason for refusing it.
    const core::scan::VinFinding found = core::scan::findVin(payload, core::yearOf(m_ctx.clock.now()) + 1);
    const std::string candidate = found.kind == core::scan::VinFinding::Kind::None ? payload : found.vin;
    form.vin = candidate;
    auto cleaned = core::vin::clean(candidate);
    if (!cleaned) {
        form.messageKey = "kiosk.checkin.bad_vin";
        form.messageValues = {{"why", cleaned.error().message}};
        form.messageIsError = true;
        m_checkIn = std::move(form);
        return;
    }
    const auto report = core::vin::decode(*cleaned, core::yearOf(m_ctx.clock.now()) + 1);
    form.vin = report.vin;
    form.make = report.manufacturer;
    if (report.modelYearCandidates.size() == 1) form.year = std::to_string(report.modelYearCandidates.front());
    form.report = report;
    if (!report.checkDigitOk && report.region == "North America") {
        form.messageKey = "kiosk.checkin.check_digit";
        form.messageIsError = true;
    }
    // Already here? Say so at once, before the porter types anything.
    if (auto existing = core::Inventory(m_ctx).find(report.vin)) {
        form.make = existing->make;
        form.model = existing->model;
        form.trim = existing->trim;
        form.year = std::to_string(existing->year);
        form.color = existing->exteriorColor;
        form.lot = existing->lotLocation;
        const bool arriving = existing->status == core::VehicleStatus::Incoming ||
                              existing->status == core::VehicleStatus::Transferred;
        const bool gone = existing->status == core::VehicleStatus::Sold ||
                          existing->status == core::VehicleStatus::Delivered;
        form.messageKey = arriving ? "kiosk.checkin.incoming" : gone ? "kiosk.checkin.sold" : "kiosk.checkin.duplicate";
        form.messageValues = {{"stock_no", existing->stockNo}, {"status", std::string(core::toString(existing->status))}};
        form.messageIsError = !arriving;
    }
    m_checkIn = std::move(form);
}

void StaffViewModel::editCheckIn(const CheckInForm& form) {
    const auto message = m_checkIn.messageKey;
    const auto values = m_checkIn.messageValues;
    const bool isError = m_checkIn.messageIsError;
    const auto report = m_checkIn.report;
    m_checkIn = form;
    m_checkIn.messageKey = message;
    m_checkIn.messageValues = values;
    m_checkIn.messageIsError = isError;
    m_checkIn.report = report;
}

void StaffViewModel::submitCheckIn() {
    CheckInForm& f = m_checkIn;
    if (!allowed(core::Permission::CheckIn)) {
        f.messageKey = "kiosk.staff.not_allowed";
        f.messageValues.clear();
        f.messageIsError = true;
        return;
    }
    core::CheckInDetails d;
    auto text = [](const std::string& s) { return s.empty() ? std::nullopt : std::optional<std::string>(s); };
    d.make = text(f.make);
    d.model = text(f.model);
    d.trim = text(f.trim);
    d.exteriorColor = text(f.color);
    d.lotLocation = text(f.lot);
    d.acceptBadCheckDigit = f.acceptBadCheckDigit;
    f.messageValues.clear();
    f.messageIsError = true;
    if (!f.year.empty()) {
        try {
            d.year = std::stoi(f.year);
        } catch (const std::exception&) {
            f.messageKey = "kiosk.checkin.bad_year";
            return;
        }
    }
    if (!f.odometer.empty()) {
        try {
            d.odometer = std::stoll(f.odometer);
        } catch (const std::exception&) {
            f.messageKey = "kiosk.checkin.bad_odometer";
            return;
        }
    }
    if (!f.price.empty()) {
        auto price = core::parseMoney(f.price);
        if (!price) {
            f.messageKey = "kiosk.checkin.bad_price";
            return;
        }
        d.price = *price;
    }
    auto ctx = m_ctx;
    if (m_signedIn) ctx.actor = m_signedIn->id;
    auto result = core::Inventory(ctx).checkIn(f.vin, d);
    if (!result) {
        const Notice n = Notice::fromError(result.error());
        f.messageKey = n.key;
        f.messageValues = n.values;
        return;
    }
    f.messageIsError = result->outcome == core::CheckInResult::Outcome::AlreadyInStock;
    f.messageKey = result->outcome == core::CheckInResult::Outcome::AlreadyInStock ? "kiosk.checkin.duplicate"
                                                                                   : "kiosk.checkin.done";
    f.messageValues = {{"stock_no", result->vehicle.stockNo},
                       {"status", std::string(core::toString(result->vehicle.status))}};
}

void StaffViewModel::searchStock(const std::string& text) {
    m_stockQuery = text;
    core::SearchQuery q;
    q.text = text;
    q.sort = core::SortKey::NewestArrival;
    q.pageSize = 200;
    if (auto local = core::localStoreId(m_ctx.db)) q.storeId = *local;
    auto page = core::Inventory(m_ctx).search(q);
    if (page) m_stock = std::move(page->vehicles);
}

void StaffViewModel::setStatus(const std::string& vehicleId, core::VehicleStatus status) {
    auto ctx = m_ctx;
    if (m_signedIn) ctx.actor = m_signedIn->id;
    if (!allowed(core::Permission::ManageInventory)) {
        m_inventoryNotice = Notice::error("kiosk.staff.not_allowed");
        return;
    }
    auto v = core::Inventory(ctx).changeStatus(vehicleId, status, "changed at the kiosk");
    m_inventoryNotice = v ? Notice{} : Notice::fromError(v.error());
    searchStock(m_stockQuery);
}

void StaffViewModel::moveVehicle(const std::string& vehicleId, const std::string& lot) {
    auto ctx = m_ctx;
    if (m_signedIn) ctx.actor = m_signedIn->id;
    if (!allowed(core::Permission::ManageInventory)) {
        m_inventoryNotice = Notice::error("kiosk.staff.not_allowed");
        return;
    }
    auto v = core::Inventory(ctx).moveTo(vehicleId, lot);
    m_inventoryNotice = v ? Notice{} : Notice::fromError(v.error());
    searchStock(m_stockQuery);
}

void StaffViewModel::loadBoard() {
    m_board.clear();
    core::Crm crm(m_ctx);
    for (core::LeadStage stage : core::pipelineStages()) {
        core::LeadQuery q;
        q.stage = stage;
        q.limit = 50;
        if (auto leads = crm.leads(q)) m_board[stage] = std::move(*leads);
    }
    if (auto due = crm.dueFollowUps(core::formatDate(m_ctx.clock.now()))) m_due = std::move(*due);
}

void StaffViewModel::advanceLead(const std::string& leadId) {
    if (!allowed(core::Permission::WorkLeads)) return;
    core::Crm crm(m_ctx);
    auto lead = crm.lead(leadId);
    if (!lead) return;
    const auto stages = core::pipelineStages();
    auto it = std::find(stages.begin(), stages.end(), lead->stage);
    if (it == stages.end() || it + 1 == stages.end()) return;
    auto ctx = m_ctx;
    if (m_signedIn) ctx.actor = m_signedIn->id;
    (void)core::Crm(ctx).moveLead(leadId, *(it + 1));
    loadBoard();
}

std::string StaffViewModel::customerName(const std::string& customerId) {
    if (auto it = m_names.find(customerId); it != m_names.end()) return it->second;
    auto c = core::Crm(m_ctx).customer(customerId);
    std::string name = c ? c->fullName() : customerId.substr(0, 8);
    m_names.emplace(customerId, name);
    return name;
}

std::int64_t StaffViewModel::tick(std::int64_t nowMs) {
    if (!m_active) return 60'000;
    const std::int64_t idle = nowMs - m_lastActivityMs;
    if (idle >= m_idleTimeoutMs) {
        signOut();
        return 60'000;
    }
    return m_idleTimeoutMs - idle;
}

} // namespace showroom::kiosk
