#pragma once
// Screens draw view-model state and call view-model intents; they hold no SQL, no device I/O and
// no business rules, and every visible word comes from the string table.
// Thread: main thread, inside an ImGui frame.

#include "../viewmodels/kiosk_vm.hpp"
#include "../viewmodels/staff_vm.hpp"
#include "../widgets/widgets.hpp"

#include <map>
#include <string>

namespace showroom::kiosk::screens {

/// Per-screen state that is only about drawing (scroll momentum, text being typed).
struct DrawState {
    ui::KineticScroll browseScroll, filterScroll;
    std::string searchBuffer;
    ContactForm formBuffer;
    int maxPriceThousands = 0;
    std::string stockSearch;
    std::string deskCustomer, deskVehicle, approvalPin;
    std::string conflictNote;       ///< the note of the conflict being resolved
    bool focusConflictNote = false; ///< open the keyboard on that note in the next frame
    std::string photoVehicle;      ///< the car whose gallery is showing
    std::size_t photoIndex = 0;    ///< which of its photos
    std::int64_t nowMs = 0;
    std::map<std::string, int> chartSelection; ///< the dashboard's tapped bar per chart (-1: none)
};

/// Draws the whole kiosk for the view-model's current screen (customer mode).
void draw(ui::Ui& ui, KioskViewModel& vm, DrawState& state);
/// Draws staff mode: sign-in, PIN pad, and the areas the signed-in role may use.
void drawStaff(ui::Ui& ui, StaffViewModel& staff, DrawState& state);

namespace common {
// Shared by the staff screens' files.
void staffWindow(const char* name);                      ///< a full-screen staff window (Begin; caller Ends)
void staffBar(ui::Ui& ui, StaffViewModel& staff);        ///< who is signed in, Home and Sign out
} // namespace common

/// The manager's dashboard (dashboard_screen.cpp).
void dashboardScreen(ui::Ui& ui, StaffViewModel& staff, DrawState& state);

} // namespace showroom::kiosk::screens
