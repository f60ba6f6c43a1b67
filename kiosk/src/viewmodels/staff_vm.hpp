#pragma once
// Staff mode: sign-in with a PIN, and the porter's and salespeople's screens (check-in by scan,
// inventory, leads board). Every screen checks the signed-in role; staff mode signs out by itself
// after its own idle timeout. Plain C++ over core services; tested without a window.
// Thread: main thread only.

#include "dashboard_vm.hpp"
#include "desk_vm.hpp"

#include "showroom/core/auth.hpp"
#include "showroom/core/crm.hpp"
#include "showroom/core/inventory.hpp"
#include "showroom/core/scan.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace showroom::kiosk {

enum class StaffScreen { PickName, Pin, Home, CheckIn, Inventory, Leads, Status, Desk, Sign, Payment, Dashboard };
std::string_view toString(StaffScreen screen);

struct CheckInForm {
    std::string vin;                  ///< as scanned or typed
    std::optional<core::vin::Report> report;
    std::string make, model, trim, color, lot, price, odometer, year;
    bool acceptBadCheckDigit = false;
    std::string messageKey;           ///< i18n key of the outcome or the problem
    std::map<std::string, std::string> messageValues;
    bool messageIsError = false;
};

/// What the status screen shows: devices and the sync queue.
struct KioskStatus {
    std::string scanner = "wedge";      ///< connection string of the scanner in use
    core::scan::ScannerStatus::State scannerState = core::scan::ScannerStatus::State::Connected;
    std::string scannerMessage;         ///< the driver's sentence when not connected (English)
    std::string lastScanAt;             ///< UTC, empty when none this session
    std::string printer = "virtual";    ///< the contract printer in use
    std::string receiptPrinter;         ///< the receipt printer's connection string ("" none)
    std::string receiptPrinterState = "unknown";   ///< ready, paper_near_end, or why it waits (paper_out, ...)
    std::string receiptPrinterMessage;  ///< the last error, in English
    std::int64_t receiptJobsWaiting = 0;   ///< receipts queued or being sent
    std::int64_t receiptJobsFailed = 0;    ///< receipts that need someone (retry from the print queue)
    std::int64_t outboxPending = 0;     ///< events waiting for headquarters
    std::string oldestUnsentAt;         ///< UTC of the oldest waiting event
    std::string lastSyncAt;             ///< the last exchange with headquarters that succeeded ("" never)
    bool syncOnline = false;            ///< the last exchange with headquarters succeeded
    std::string lastSyncError;          ///< why the last exchange failed ("" after a success)
    std::int64_t quarantined = 0;       ///< events headquarters refused, waiting for a person
    std::int64_t openConflicts = 0;     ///< HQ's decisions against this store, waiting for a person
};

class StaffViewModel {
public:
    StaffViewModel(core::Context& ctx, std::int64_t idleTimeoutMs, DeskConfig desk = {});

    // --- sign-in ----------------------------------------------------------------------------
    StaffScreen screen() const { return m_screen; }
    bool active() const { return m_active; }   ///< staff mode is showing (customer mode hidden)
    const std::vector<core::StaffMember>& staff() const { return m_staff; }
    const std::optional<core::StaffMember>& picked() const { return m_picked; }
    const std::optional<core::StaffMember>& signedIn() const { return m_signedIn; }
    std::size_t pinLength() const { return m_pin.size(); }
    const std::string& pinErrorKey() const { return m_pinErrorKey; }
    const std::map<std::string, std::string>& pinErrorValues() const { return m_pinErrorValues; }

    void open();                           ///< the discreet corner button
    void pick(const std::string& staffId);
    void pinDigit(char digit);
    void pinBackspace();
    void submitPin();
    void signOut();                        ///< back to customer mode
    bool allowed(core::Permission p) const;

    // --- home and areas ---------------------------------------------------------------------
    void go(StaffScreen area);            ///< refused (stays home) without the permission

    // Check-in.
    const CheckInForm& checkIn() const { return m_checkIn; }
    void scan(const std::string& payload);    ///< a scan or a typed VIN: decodes and prefills
    void editCheckIn(const CheckInForm& form);
    void submitCheckIn();

    // Inventory.
    const std::vector<core::Vehicle>& stock() const { return m_stock; }
    void searchStock(const std::string& text);
    void setStatus(const std::string& vehicleId, core::VehicleStatus status);
    void moveVehicle(const std::string& vehicleId, const std::string& lot);
    const Notice& inventoryNotice() const { return m_inventoryNotice; }

    // Leads.
    const std::map<core::LeadStage, std::vector<core::Lead>>& board() const { return m_board; }
    const std::vector<core::FollowUp>& dueToday() const { return m_due; }
    void advanceLead(const std::string& leadId);   ///< to the next pipeline stage
    std::string customerName(const std::string& customerId);

    // Deal desk.
    DeskViewModel& desk() { return m_desk; }
    const DeskViewModel& desk() const { return m_desk; }

    // The manager's dashboard (roles that may view reports; go(Dashboard) opens and loads it).
    DashboardViewModel& dashboard() { return m_dashboard; }
    const DashboardViewModel& dashboard() const { return m_dashboard; }

    // Status and closing the kiosk.
    const KioskStatus& status() const { return m_status; }
    void refreshStatus();
    void setPrinterDescription(std::string text) { m_status.printer = std::move(text); }
    void setScannerConnection(std::string connection) { m_status.scanner = std::move(connection); }
    /// What the print spooler last said about the receipt printer; also re-reads the payment's receipt.
    void receiptPrinterStatus(std::string connection, std::string state, std::string message);
    /// The scanner's driver reported a change (unplugged, back, permission refused).
    void scannerStatus(const core::scan::ScannerStatus& status) {
        m_status.scannerState = status.state;
        m_status.scannerMessage = status.message;
    }
    /// Only a manager or an admin may close a locked-down kiosk.
    void requestClose();

    // HQ's conflicts (the status screen lists them; refreshStatus() reads them again).
    /// The open ones, newest first.
    const std::vector<core::SyncConflict>& conflicts() const { return m_conflicts; }
    /// Resolving is a manager's decision about a deal: roles that may approve discounts (managers
    /// and admins). Everyone else sees the list read-only.
    bool mayResolveConflicts() const { return allowed(core::Permission::ApproveDiscounts); }
    /// Starts resolving one: the screen asks for a note. Refused (notice) without the permission.
    void startResolving(const std::string& conflictId);
    void cancelResolving() { m_resolving.clear(); }
    const std::string& resolving() const { return m_resolving; } ///< "" when not resolving
    /// Resolves the conflict being resolved with `note`, as the signed-in person (recorded for HQ as
    /// store.conflict_resolved); the list, the count and the desk's flag follow. An empty note is
    /// refused and keeps the note open.
    core::Status resolveConflict(const std::string& note);
    const Notice& conflictNotice() const { return m_conflictNotice; }
    /// Opens the desk on the deal a conflict names (for roles that desk deals).
    void openConflictDeal(const std::string& conflictId);
    bool closeRequested() const { return m_closeRequested; }

    // --- time -------------------------------------------------------------------------------
    void userActivity(std::int64_t nowMs) { m_lastActivityMs = nowMs; }
    /// Signs out after the staff idle timeout. Returns ms until it needs calling again.
    std::int64_t tick(std::int64_t nowMs);

private:
    void loadBoard();
    core::Context& m_ctx;
    std::int64_t m_idleTimeoutMs;
    std::int64_t m_lastActivityMs = 0;
    bool m_active = false;
    StaffScreen m_screen = StaffScreen::PickName;
    std::vector<core::StaffMember> m_staff;
    std::optional<core::StaffMember> m_picked, m_signedIn;
    std::string m_pin, m_pinErrorKey;
    std::map<std::string, std::string> m_pinErrorValues;
    CheckInForm m_checkIn;
    std::vector<core::Vehicle> m_stock;
    std::string m_stockQuery;
    Notice m_inventoryNotice;
    std::map<core::LeadStage, std::vector<core::Lead>> m_board;
    std::vector<core::FollowUp> m_due;
    std::map<std::string, std::string> m_names;
    KioskStatus m_status;
    std::vector<core::SyncConflict> m_conflicts;
    std::string m_resolving;
    Notice m_conflictNotice;
    DeskViewModel m_desk;
    DashboardViewModel m_dashboard;
    bool m_closeRequested = false;
};

} // namespace showroom::kiosk
