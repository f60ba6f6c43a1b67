#pragma once
// Screens draw view-model state and call view-model intents; they hold no SQL, no device I/O and
// no business rules, and every visible word comes from the string table.
// Thread: main thread, inside an ImGui frame.

#include "../viewmodels/kiosk_vm.hpp"
#include "../viewmodels/staff_vm.hpp"
#include "../widgets/widgets.hpp"

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
};

/// Draws the whole kiosk for the view-model's current screen (customer mode).
void draw(ui::Ui& ui, KioskViewModel& vm, DrawState& state);
/// Draws staff mode: sign-in, PIN pad, and the areas the signed-in role may use.
void drawStaff(ui::Ui& ui, StaffViewModel& staff, DrawState& state);

} // namespace showroom::kiosk::screens
