// The kiosk's staff mode against a real demo store: signing in with a PIN, what each role may open,
// checking cars in by scan, holding stock, working the leads board, and signing out when idle.
// Every sign-in checks an argon2id hash (~60 ms), so the file keeps to a few dozen of them.

#include "viewmodels/staff_vm.hpp"

#include "demo_fixture.hpp"

#include "showroom/core/auth.hpp"
#include "showroom/core/crm.hpp"
#include "showroom/core/deals.hpp"
#include "showroom/core/demo.hpp"
#include "showroom/core/finance.hpp"
#include "showroom/core/inventory.hpp"
#include "showroom/core/network.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <ostream>
#include <set>
#include <string>
#include <vector>

namespace showroom::kiosk {
// Failures name the screen ("staff_home") instead of printing the enum's bytes.
inline void PrintTo(StaffScreen screen, std::ostream* out) {
    *out << toString(screen);
}
} // namespace showroom::kiosk

namespace core = showroom::core;
using showroom::kiosk::CheckInForm;
using showroom::kiosk::StaffScreen;
using showroom::kiosk::StaffViewModel;
using showroom::test::count;

namespace {

constexpr std::int64_t kIdleMs = 120'000;
constexpr const char* kLocal = "(SELECT value FROM settings WHERE key = 'local_store_id')";

using showroom::test::DemoStore;

using showroom::test::text;
using showroom::test::texts;

void typePin(StaffViewModel& vm, std::string_view pin) {
    for (char c : pin)
        vm.pinDigit(c);
}

// Opens staff mode and signs `who` in with the demo PIN, as a person at the kiosk does.
void signIn(StaffViewModel& vm, const core::StaffMember& who) {
    vm.open();
    vm.pick(who.id);
    typePin(vm, core::demo::kDemoPin);
    vm.submitPin();
    ASSERT_TRUE(vm.signedIn()) << who.name << ": " << vm.pinErrorKey();
}

std::int64_t vehiclesWithVin(DemoStore& s, const std::string& vin) {
    return count(s.conn, "SELECT count(*) FROM vehicles WHERE vin = ?", vin);
}

// A valid North American VIN with its check digit (position 9) changed to another digit.
std::string withWrongCheckDigit(std::string vin) {
    vin[8] = vin[8] == '3' ? '4' : '3';
    return vin;
}

// --- sign-in --------------------------------------------------------------------------------------

TEST(StaffViewModel, OpenListsThisShowroomsActiveStaffByName) {
    DemoStore s;
    // A retired member of this showroom is not offered.
    const auto retired = s.member(core::StaffRole::Finance);
    ASSERT_TRUE(s.conn.exec("UPDATE staff SET active = 0 WHERE id = '" + retired.id + "'"));

    StaffViewModel vm(s.ctx, kIdleMs);
    EXPECT_FALSE(vm.active());
    vm.open();
    EXPECT_TRUE(vm.active());
    EXPECT_EQ(vm.screen(), StaffScreen::PickName);
    EXPECT_FALSE(vm.signedIn());

    std::vector<std::string> names;
    for (const auto& m : vm.staff())
        names.push_back(m.name);
    const auto expected = texts(s.conn, std::string("SELECT name FROM staff WHERE active = 1 AND store_id = ") +
                                            kLocal + " ORDER BY name");
    EXPECT_EQ(names, expected);
    EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
    EXPECT_NE(std::find(names.begin(), names.end(), "Pat Admin"), names.end());
    EXPECT_EQ(std::find(names.begin(), names.end(), retired.name), names.end());
    ASSERT_GT(count(s.conn, std::string("SELECT count(*) FROM staff WHERE store_id <> ") + kLocal), 0)
        << "the other showrooms' staff must exist for this test to mean anything";
    for (const auto& m : vm.staff())
        EXPECT_EQ(m.storeId, text(s.conn, std::string("SELECT ") + kLocal)) << m.name;
}

TEST(StaffViewModel, RightPinSignsInAndGoesHome) {
    DemoStore s;
    const auto admin = s.member(core::StaffRole::Admin);
    ASSERT_EQ(admin.name, "Pat Admin");
    StaffViewModel vm(s.ctx, kIdleMs);
    vm.open();
    vm.pick(admin.id);
    EXPECT_EQ(vm.screen(), StaffScreen::Pin);
    ASSERT_TRUE(vm.picked());
    EXPECT_EQ(vm.picked()->id, admin.id);
    typePin(vm, "2580");
    EXPECT_EQ(vm.pinLength(), 4u);
    vm.submitPin();

    EXPECT_EQ(vm.screen(), StaffScreen::Home);
    ASSERT_TRUE(vm.signedIn());
    EXPECT_EQ(vm.signedIn()->id, admin.id);
    EXPECT_EQ(vm.pinErrorKey(), "");
    EXPECT_EQ(vm.pinLength(), 0u) << "the PIN is not kept after use";
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM audit_log WHERE action = 'staff.signed_in' AND entity_id = ?",
                    admin.id),
              1);
}

TEST(StaffViewModel, PickingSomeoneNotListedDoesNothing) {
    DemoStore s;
    StaffViewModel vm(s.ctx, kIdleMs);
    vm.open();
    vm.pick("not-a-staff-id");
    EXPECT_EQ(vm.screen(), StaffScreen::PickName);
    EXPECT_FALSE(vm.picked());
    // Someone of another showroom is not offered here, so cannot be picked either.
    vm.pick(text(s.conn, std::string("SELECT id FROM staff WHERE store_id <> ") + kLocal + " LIMIT 1"));
    EXPECT_EQ(vm.screen(), StaffScreen::PickName);
    EXPECT_FALSE(vm.picked());
}

TEST(StaffViewModel, WrongPinsCountDownThenLock) {
    DemoStore s;
    const auto sales = s.member(core::StaffRole::Sales);
    StaffViewModel vm(s.ctx, kIdleMs);
    vm.open();
    vm.pick(sales.id);
    for (const char* left : {"4", "3", "2", "1"}) {
        typePin(vm, "1397");
        vm.submitPin();
        EXPECT_EQ(vm.screen(), StaffScreen::Pin);
        EXPECT_FALSE(vm.signedIn());
        EXPECT_EQ(vm.pinErrorKey(), "kiosk.staff.pin.wrong");
        ASSERT_TRUE(vm.pinErrorValues().contains("left"));
        EXPECT_EQ(vm.pinErrorValues().at("left"), left);
        EXPECT_EQ(vm.pinLength(), 0u) << "a wrong PIN is cleared for the next try";
    }
    typePin(vm, "1397");
    vm.submitPin();
    EXPECT_EQ(vm.screen(), StaffScreen::Pin);
    EXPECT_FALSE(vm.signedIn());
    EXPECT_EQ(vm.pinErrorKey(), "kiosk.staff.pin.locked");
    ASSERT_TRUE(vm.pinErrorValues().contains("until"));
    EXPECT_FALSE(vm.pinErrorValues().at("until").empty());
    EXPECT_NE(vm.pinErrorValues().at("until").find("10:05"), std::string::npos)
        << "five minutes after 10:00, got '" << vm.pinErrorValues().at("until") << "'";
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM staff WHERE id = ? AND locked_until IS NOT NULL", sales.id), 1);

    // While locked even the right PIN is refused, and the screen still says until when.
    typePin(vm, core::demo::kDemoPin);
    vm.submitPin();
    EXPECT_FALSE(vm.signedIn());
    EXPECT_EQ(vm.pinErrorKey(), "kiosk.staff.pin.locked");
    EXPECT_FALSE(vm.pinErrorValues().at("until").empty());
}

TEST(StaffViewModel, PinPadTakesDigitsOnlyUpToEight) {
    DemoStore s;
    const auto admin = s.member(core::StaffRole::Admin);
    StaffViewModel vm(s.ctx, kIdleMs);
    vm.open();
    vm.pick(admin.id);

    for (char c : {'a', '#', ' ', '-', '\0', '/', ':'})
        vm.pinDigit(c);
    EXPECT_EQ(vm.pinLength(), 0u);
    vm.pinBackspace();
    EXPECT_EQ(vm.pinLength(), 0u) << "backspace on an empty PIN does nothing";
    typePin(vm, "1234567890");
    EXPECT_EQ(vm.pinLength(), 8u);
    vm.pinBackspace();
    EXPECT_EQ(vm.pinLength(), 7u);
    for (int i = 0; i < 7; ++i)
        vm.pinBackspace();
    EXPECT_EQ(vm.pinLength(), 0u);

    // Stray keys between the digits are not part of the PIN: "2x5y8z0" signs in with 2580.
    typePin(vm, "2x5y8z0");
    EXPECT_EQ(vm.pinLength(), 4u);
    vm.submitPin();
    EXPECT_TRUE(vm.signedIn()) << vm.pinErrorKey();
}

TEST(StaffViewModel, BackspaceRemovesTheLastDigit) {
    DemoStore s;
    const auto admin = s.member(core::StaffRole::Admin);
    StaffViewModel vm(s.ctx, kIdleMs);
    vm.open();
    vm.pick(admin.id);
    typePin(vm, "25809");
    vm.pinBackspace();
    EXPECT_EQ(vm.pinLength(), 4u);
    vm.submitPin();
    EXPECT_TRUE(vm.signedIn()) << "2580 after 25809 and one backspace: " << vm.pinErrorKey();
    EXPECT_EQ(vm.screen(), StaffScreen::Home);
}

// --- roles ----------------------------------------------------------------------------------------

TEST(StaffViewModel, NothingOpensBeforeSignIn) {
    DemoStore s;
    StaffViewModel vm(s.ctx, kIdleMs);
    vm.open();
    for (auto area : {StaffScreen::Home, StaffScreen::CheckIn, StaffScreen::Inventory, StaffScreen::Leads}) {
        vm.go(area);
        EXPECT_EQ(vm.screen(), StaffScreen::PickName);
    }
    EXPECT_TRUE(vm.stock().empty());
    EXPECT_TRUE(vm.board().empty());
}

TEST(StaffViewModel, PorterMayCheckInAndManageStockButNotWorkLeads) {
    DemoStore s;
    StaffViewModel vm(s.ctx, kIdleMs);
    signIn(vm, s.member(core::StaffRole::Porter));
    vm.go(StaffScreen::CheckIn);
    EXPECT_EQ(vm.screen(), StaffScreen::CheckIn);
    vm.go(StaffScreen::Home);
    vm.go(StaffScreen::Inventory);
    EXPECT_EQ(vm.screen(), StaffScreen::Inventory);
    EXPECT_FALSE(vm.stock().empty());
    vm.go(StaffScreen::Home);
    vm.go(StaffScreen::Leads);
    EXPECT_EQ(vm.screen(), StaffScreen::Home);
    EXPECT_TRUE(vm.board().empty()) << "the leads stay hidden from a porter";
    EXPECT_FALSE(vm.allowed(core::Permission::WorkLeads));
}

TEST(StaffViewModel, SalespersonMayWorkLeads) {
    DemoStore s;
    StaffViewModel vm(s.ctx, kIdleMs);
    signIn(vm, s.member(core::StaffRole::Sales));
    vm.go(StaffScreen::Leads);
    EXPECT_EQ(vm.screen(), StaffScreen::Leads);
    EXPECT_FALSE(vm.board().empty());
}

// --- check-in -------------------------------------------------------------------------------------

TEST(StaffViewModel, ScanOfANewVinPrefillsMakeAndYear) {
    DemoStore s;
    StaffViewModel vm(s.ctx, kIdleMs);
    signIn(vm, s.member(core::StaffRole::Porter));
    vm.go(StaffScreen::CheckIn);

    // A Japanese-built Toyota: the make is known; its model-year code means 1992 or 2022.
    const std::string japan = core::demo::makeVin("JTD", 2022, 99991);
    ASSERT_EQ(vehiclesWithVin(s, japan), 0);
    vm.scan(japan);
    EXPECT_EQ(vm.checkIn().vin, japan);
    EXPECT_EQ(vm.checkIn().make, "Toyota");
    EXPECT_EQ(vm.checkIn().messageKey, "");
    EXPECT_FALSE(vm.checkIn().messageIsError);
    // Outside North America the year cannot be told from the VIN alone: the screen shows both
    // candidates and the porter types the year rather than the kiosk guessing it.
    ASSERT_TRUE(vm.checkIn().report);
    EXPECT_EQ(vm.checkIn().report->modelYearCandidates, (std::vector<int>{1992, 2022}));
    EXPECT_EQ(vm.checkIn().year, "");

    // A US-built Toyota resolves its year (position 7 picks the cycle): the form says 2022.
    const std::string us = core::demo::makeVin("5TD", 2022, 99991);
    vm.scan(us);
    EXPECT_EQ(vm.checkIn().vin, us);
    EXPECT_EQ(vm.checkIn().make, "Toyota");
    EXPECT_EQ(vm.checkIn().year, "2022");
    EXPECT_EQ(vm.checkIn().messageKey, "");
    EXPECT_FALSE(vm.checkIn().messageIsError);
}

TEST(StaffViewModel, ScanCleansCode39PrefixSpacesAndCase) {
    DemoStore s;
    StaffViewModel vm(s.ctx, kIdleMs);
    signIn(vm, s.member(core::StaffRole::Porter));
    vm.go(StaffScreen::CheckIn);
    vm.scan(" i1m8gdm9axkp042788 ");
    EXPECT_EQ(vm.checkIn().vin, "1M8GDM9AXKP042788");
    EXPECT_EQ(vm.checkIn().make, "Motor Coach Industries");
    EXPECT_EQ(vm.checkIn().year, "1989") << "position 7 is a digit: the 1980s cycle";
    EXPECT_EQ(vm.checkIn().messageKey, "");
    EXPECT_FALSE(vm.checkIn().messageIsError);
}

TEST(StaffViewModel, ScanFindsTheVinInsideLabelsAndQrCodes) {
    DemoStore s;
    StaffViewModel vm(s.ctx, kIdleMs);
    signIn(vm, s.member(core::StaffRole::Porter));
    vm.go(StaffScreen::CheckIn);
    for (const char* label : {"VIN:1M8GDM9AXKP042788;STOCK:A123", "https://auction.example/lot?vin=1m8gdm9axkp042788",
                              "]A0I1M8GDM9AXKP042788"}) {
        vm.scan(label);
        EXPECT_EQ(vm.checkIn().vin, "1M8GDM9AXKP042788") << label;
        EXPECT_EQ(vm.checkIn().make, "Motor Coach Industries") << label;
        EXPECT_FALSE(vm.checkIn().messageIsError) << label;
    }
    // A label whose check digit fails is shown to the porter, not silently dropped or "fixed".
    vm.scan("VIN:1M8GDM9A5KP042788;STOCK:A123");
    EXPECT_EQ(vm.checkIn().vin, "1M8GDM9A5KP042788");
    EXPECT_EQ(vm.checkIn().messageKey, "kiosk.checkin.check_digit");
    EXPECT_TRUE(vm.checkIn().messageIsError);
}

TEST(StaffViewModel, ALicenceScannedAtCheckInIsRefusedAndNotShown) {
    DemoStore s;
    StaffViewModel vm(s.ctx, kIdleMs);
    signIn(vm, s.member(core::StaffRole::Porter));
    vm.go(StaffScreen::CheckIn);
    vm.scan(std::string("@\n\x1e\rANSI 636000100001DL00310045DLDAQT64235789\nDCSSAMPLE\nDACJANE\r"));
    EXPECT_EQ(vm.checkIn().messageKey, "kiosk.checkin.licence_not_vin");
    EXPECT_TRUE(vm.checkIn().messageIsError);
    EXPECT_EQ(vm.checkIn().vin, "") << "a licence's contents never reach the check-in form";
}

TEST(StaffViewModel, ScanOfGarbageSaysTheVinIsBad) {
    DemoStore s;
    StaffViewModel vm(s.ctx, kIdleMs);
    signIn(vm, s.member(core::StaffRole::Porter));
    vm.go(StaffScreen::CheckIn);
    for (const char* junk : {"hello world", "", "1M8GDM9AXKP04278", "1M8GDM9AXKP0427888", "1M8GDM9OXKP042788"}) {
        vm.scan(junk);
        EXPECT_EQ(vm.checkIn().messageKey, "kiosk.checkin.bad_vin") << junk;
        EXPECT_TRUE(vm.checkIn().messageIsError) << junk;
        ASSERT_TRUE(vm.checkIn().messageValues.contains("why")) << junk;
        EXPECT_FALSE(vm.checkIn().messageValues.at("why").empty()) << junk;
        EXPECT_EQ(vm.checkIn().make, "") << junk;
        EXPECT_FALSE(vm.checkIn().report) << junk;
    }
}

TEST(StaffViewModel, ScanOfAVinAlreadyInStockSaysSoAtOnce) {
    DemoStore s;
    StaffViewModel vm(s.ctx, kIdleMs);
    signIn(vm, s.member(core::StaffRole::Porter));
    vm.go(StaffScreen::CheckIn);
    const std::string vin = text(
        s.conn, std::string("SELECT vin FROM vehicles WHERE status = 'in_stock' AND store_id = ") + kLocal + " LIMIT 1");
    const std::string stockNo = text(s.conn, "SELECT stock_no FROM vehicles WHERE vin = ?", vin);
    const std::string model = text(s.conn, "SELECT model FROM vehicles WHERE vin = ?", vin);
    const auto before = count(s.conn, "SELECT count(*) FROM vehicles");

    vm.scan(vin);
    EXPECT_EQ(vm.checkIn().messageKey, "kiosk.checkin.duplicate");
    EXPECT_TRUE(vm.checkIn().messageIsError);
    ASSERT_TRUE(vm.checkIn().messageValues.contains("stock_no"));
    EXPECT_EQ(vm.checkIn().messageValues.at("stock_no"), stockNo);
    EXPECT_EQ(vm.checkIn().model, model) << "the form shows the car that is already here";
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM vehicles"), before) << "scanning alone writes nothing";
}

TEST(StaffViewModel, SubmitCheckInCreatesTheVehicleAsTheSignedInPorter) {
    DemoStore s;
    const auto porter = s.member(core::StaffRole::Porter);
    StaffViewModel vm(s.ctx, kIdleMs);
    signIn(vm, porter);
    vm.go(StaffScreen::CheckIn);
    const std::string vin = core::demo::makeVin("5TD", 2023, 4242);
    ASSERT_EQ(vehiclesWithVin(s, vin), 0);
    vm.scan(vin);
    ASSERT_EQ(vm.checkIn().messageKey, "");

    CheckInForm form = vm.checkIn();
    form.model = "Highlander";
    form.trim = "XLE";
    form.color = "Celestial Silver";
    form.price = "41,250.50";
    form.lot = "B-12";
    vm.editCheckIn(form);
    vm.submitCheckIn();

    EXPECT_EQ(vm.checkIn().messageKey, "kiosk.checkin.done")
        << (vm.checkIn().messageValues.contains("why") ? vm.checkIn().messageValues.at("why") : "");
    EXPECT_FALSE(vm.checkIn().messageIsError);
    ASSERT_EQ(vehiclesWithVin(s, vin), 1);
    EXPECT_EQ(count(s.conn, "SELECT price_cents FROM vehicles WHERE vin = ?", vin), 4'125'050);
    EXPECT_EQ(text(s.conn, "SELECT lot_location FROM vehicles WHERE vin = ?", vin), "B-12");
    EXPECT_EQ(text(s.conn, "SELECT model FROM vehicles WHERE vin = ?", vin), "Highlander");
    EXPECT_EQ(text(s.conn, "SELECT make FROM vehicles WHERE vin = ?", vin), "Toyota");
    EXPECT_EQ(count(s.conn, "SELECT year FROM vehicles WHERE vin = ?", vin), 2023);
    EXPECT_EQ(text(s.conn, "SELECT status FROM vehicles WHERE vin = ?", vin), "in_stock");
    EXPECT_EQ(text(s.conn, "SELECT store_id FROM vehicles WHERE vin = ?", vin), text(s.conn, std::string("SELECT ") + kLocal));
    ASSERT_TRUE(vm.checkIn().messageValues.contains("stock_no"));
    EXPECT_EQ(vm.checkIn().messageValues.at("stock_no"), text(s.conn, "SELECT stock_no FROM vehicles WHERE vin = ?", vin));
    EXPECT_EQ(text(s.conn,
                   "SELECT actor FROM audit_log WHERE action = 'vehicle.checked_in' AND entity = 'vehicle' AND "
                   "entity_id = (SELECT id FROM vehicles WHERE vin = ?)",
                   vin),
              porter.id);

    // Pressing submit again reports the car as here already and creates no second one.
    vm.submitCheckIn();
    EXPECT_EQ(vm.checkIn().messageKey, "kiosk.checkin.duplicate");
    EXPECT_TRUE(vm.checkIn().messageIsError);
    EXPECT_EQ(vehiclesWithVin(s, vin), 1);
}

TEST(StaffViewModel, UnreadablePriceIsRefusedAndNothingIsCreated) {
    DemoStore s;
    StaffViewModel vm(s.ctx, kIdleMs);
    signIn(vm, s.member(core::StaffRole::Porter));
    vm.go(StaffScreen::CheckIn);
    const std::string vin = core::demo::makeVin("5TD", 2023, 5151);
    vm.scan(vin);
    const auto before = count(s.conn, "SELECT count(*) FROM vehicles");

    CheckInForm form = vm.checkIn();
    form.model = "Sequoia";
    form.price = "12,5a";
    form.lot = "C-3";
    vm.editCheckIn(form);
    vm.submitCheckIn();
    EXPECT_EQ(vm.checkIn().messageKey, "kiosk.checkin.bad_price");
    EXPECT_TRUE(vm.checkIn().messageIsError);
    EXPECT_EQ(vehiclesWithVin(s, vin), 0);
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM vehicles"), before);
    EXPECT_EQ(vm.checkIn().model, "Sequoia") << "what the porter typed stays for correcting";
}

TEST(StaffViewModel, WrongCheckDigitNeedsThePortersConfirmation) {
    DemoStore s;
    StaffViewModel vm(s.ctx, kIdleMs);
    signIn(vm, s.member(core::StaffRole::Porter));
    vm.go(StaffScreen::CheckIn);
    const std::string vin = withWrongCheckDigit(core::demo::makeVin("5TD", 2024, 8080));
    ASSERT_NE(core::vin::computeCheckDigit(vin), vin[8]);

    vm.scan(vin);
    EXPECT_EQ(vm.checkIn().messageKey, "kiosk.checkin.check_digit");
    EXPECT_TRUE(vm.checkIn().messageIsError);
    EXPECT_EQ(vm.checkIn().make, "Toyota");

    CheckInForm form = vm.checkIn();
    form.model = "Tundra";
    form.price = "52000";
    form.lot = "D-1";
    vm.editCheckIn(form);
    vm.submitCheckIn();
    EXPECT_TRUE(vm.checkIn().messageIsError);
    EXPECT_NE(vm.checkIn().messageKey, "kiosk.checkin.done");
    EXPECT_EQ(vehiclesWithVin(s, vin), 0) << "not created without the porter's confirmation";

    form = vm.checkIn();
    form.acceptBadCheckDigit = true;
    vm.editCheckIn(form);
    EXPECT_TRUE(vm.checkIn().acceptBadCheckDigit);
    vm.submitCheckIn();
    EXPECT_EQ(vm.checkIn().messageKey, "kiosk.checkin.done")
        << (vm.checkIn().messageValues.contains("why") ? vm.checkIn().messageValues.at("why") : "");
    EXPECT_FALSE(vm.checkIn().messageIsError);
    EXPECT_EQ(vehiclesWithVin(s, vin), 1);
    EXPECT_EQ(count(s.conn, "SELECT price_cents FROM vehicles WHERE vin = ?", vin), 5'200'000);
}

TEST(StaffViewModel, IncomingCarIsAnnouncedAndReceivedIntoStock) {
    DemoStore s;
    StaffViewModel vm(s.ctx, kIdleMs);
    signIn(vm, s.member(core::StaffRole::Porter));
    vm.go(StaffScreen::CheckIn);
    core::Vehicle incoming;
    incoming.vin = core::demo::makeVin("5TD", 2025, 3131);
    incoming.year = 2025;
    incoming.make = "Toyota";
    incoming.model = "Camry";
    incoming.price = 3'100'000;
    incoming.status = core::VehicleStatus::Incoming;
    auto added = core::Inventory(s.ctx).add(incoming);
    ASSERT_TRUE(added) << added.error().message;

    vm.scan(incoming.vin);
    EXPECT_EQ(vm.checkIn().messageKey, "kiosk.checkin.incoming");
    EXPECT_FALSE(vm.checkIn().messageIsError);
    EXPECT_EQ(vm.checkIn().model, "Camry");
    CheckInForm form = vm.checkIn();
    form.lot = "E-4";
    vm.editCheckIn(form);
    vm.submitCheckIn();
    EXPECT_EQ(vm.checkIn().messageKey, "kiosk.checkin.done")
        << (vm.checkIn().messageValues.contains("why") ? vm.checkIn().messageValues.at("why") : "");
    EXPECT_FALSE(vm.checkIn().messageIsError);
    EXPECT_EQ(vehiclesWithVin(s, incoming.vin), 1);
    EXPECT_EQ(text(s.conn, "SELECT status FROM vehicles WHERE vin = ?", incoming.vin), "in_stock");
    EXPECT_EQ(text(s.conn, "SELECT lot_location FROM vehicles WHERE vin = ?", incoming.vin), "E-4");
}

TEST(StaffViewModel, CarComingBackFromATransferIsNotCalledAlreadyHere) {
    DemoStore s;
    StaffViewModel vm(s.ctx, kIdleMs);
    signIn(vm, s.member(core::StaffRole::Porter));
    vm.go(StaffScreen::CheckIn);
    const std::string vin = text(
        s.conn, std::string("SELECT vin FROM vehicles WHERE status = 'in_stock' AND store_id = ") + kLocal + " LIMIT 1");
    auto moved = core::Inventory(s.ctx).changeStatus(vin, core::VehicleStatus::Transferred, "to Northgate");
    ASSERT_TRUE(moved) << moved.error().message;

    // The car was sent to another showroom and is back on the lot: checking it in receives it.
    vm.scan(vin);
    EXPECT_NE(vm.checkIn().messageKey, "kiosk.checkin.duplicate")
        << "\"Already here ... not created again\" tells the porter to stop, yet submitting receives the car";
    EXPECT_FALSE(vm.checkIn().messageIsError);
    vm.submitCheckIn();
    EXPECT_EQ(vm.checkIn().messageKey, "kiosk.checkin.done");
    EXPECT_EQ(text(s.conn, "SELECT status FROM vehicles WHERE vin = ?", vin), "in_stock");
}

// --- inventory ------------------------------------------------------------------------------------

TEST(StaffViewModel, InventoryListsOnlyThisShowroomsVehiclesAndHoldsAndReleases) {
    DemoStore s;
    const auto porter = s.member(core::StaffRole::Porter);
    StaffViewModel vm(s.ctx, kIdleMs);
    signIn(vm, porter);
    vm.go(StaffScreen::Inventory);
    ASSERT_GT(count(s.conn, std::string("SELECT count(*) FROM vehicles WHERE store_id <> ") + kLocal), 0)
        << "the other showrooms' cars must exist for this test to mean anything";

    auto shown = [&] {
        std::set<std::string> ids;
        for (const auto& v : vm.stock())
            ids.insert(v.id);
        return ids;
    };
    const auto local = texts(s.conn, std::string("SELECT id FROM vehicles WHERE store_id = ") + kLocal);
    EXPECT_EQ(shown(), std::set<std::string>(local.begin(), local.end()));
    EXPECT_EQ(vm.stock().size(), local.size());

    vm.searchStock("");
    EXPECT_EQ(shown(), std::set<std::string>(local.begin(), local.end()));
    // A make sold at every showroom still lists only this one's cars.
    const std::string make = text(s.conn, std::string("SELECT make FROM vehicles WHERE store_id = ") + kLocal +
                                              " ORDER BY make LIMIT 1");
    vm.searchStock(make);
    EXPECT_FALSE(vm.stock().empty());
    for (const auto& v : vm.stock())
        EXPECT_EQ(v.storeId, text(s.conn, std::string("SELECT ") + kLocal)) << v.vin;

    vm.searchStock("");
    const std::string id = text(
        s.conn, std::string("SELECT id FROM vehicles WHERE status = 'in_stock' AND store_id = ") + kLocal + " LIMIT 1");
    vm.setStatus(id, core::VehicleStatus::OnHold);
    EXPECT_TRUE(vm.inventoryNotice().empty()) << vm.inventoryNotice().key;
    EXPECT_EQ(text(s.conn, "SELECT status FROM vehicles WHERE id = ?", id), "on_hold");
    auto it = std::find_if(vm.stock().begin(), vm.stock().end(), [&](const auto& v) { return v.id == id; });
    ASSERT_NE(it, vm.stock().end());
    EXPECT_EQ(it->status, core::VehicleStatus::OnHold) << "the list shows the hold at once";
    EXPECT_EQ(count(s.conn,
                    "SELECT count(*) FROM audit_log WHERE action = 'vehicle.status_changed' AND entity_id = ? AND "
                    "actor = ?",
                    id, porter.id),
              1);

    vm.setStatus(id, core::VehicleStatus::InStock);
    EXPECT_TRUE(vm.inventoryNotice().empty()) << vm.inventoryNotice().key;
    EXPECT_EQ(text(s.conn, "SELECT status FROM vehicles WHERE id = ?", id), "in_stock");
    it = std::find_if(vm.stock().begin(), vm.stock().end(), [&](const auto& v) { return v.id == id; });
    ASSERT_NE(it, vm.stock().end());
    EXPECT_EQ(it->status, core::VehicleStatus::InStock);
}

TEST(StaffViewModel, RefusedStatusChangeSaysWhyAndChangesNothing) {
    DemoStore s;
    StaffViewModel vm(s.ctx, kIdleMs);
    signIn(vm, s.member(core::StaffRole::Porter));
    vm.go(StaffScreen::Inventory);
    const std::string id = text(s.conn, std::string("SELECT id FROM vehicles WHERE status = 'delivered' AND "
                                                    "store_id = ") + kLocal + " LIMIT 1");
    vm.setStatus(id, core::VehicleStatus::OnHold);
    EXPECT_TRUE(vm.inventoryNotice().isError);
    EXPECT_EQ(vm.inventoryNotice().key.rfind("kiosk.error.", 0), 0u) << vm.inventoryNotice().key;
    EXPECT_FALSE(vm.inventoryNotice().values.at("detail").empty());
    EXPECT_EQ(text(s.conn, "SELECT status FROM vehicles WHERE id = ?", id), "delivered");
}

// --- leads ----------------------------------------------------------------------------------------

TEST(StaffViewModel, LeadsBoardShowsEveryPipelineStage) {
    DemoStore s;
    StaffViewModel vm(s.ctx, kIdleMs);
    signIn(vm, s.member(core::StaffRole::Sales));
    vm.go(StaffScreen::Leads);
    std::int64_t shown = 0;
    for (core::LeadStage stage : core::pipelineStages()) {
        const auto inDb =
            count(s.conn, "SELECT count(*) FROM leads WHERE stage = ?", std::string(core::toString(stage)));
        ASSERT_TRUE(vm.board().contains(stage)) << core::toString(stage);
        EXPECT_EQ(static_cast<std::int64_t>(vm.board().at(stage).size()), std::min<std::int64_t>(inDb, 50))
            << core::toString(stage);
        for (const auto& lead : vm.board().at(stage))
            EXPECT_EQ(lead.stage, stage);
        shown += static_cast<std::int64_t>(vm.board().at(stage).size());
    }
    EXPECT_GT(shown, 0);
    EXPECT_FALSE(vm.board().contains(core::LeadStage::Lost)) << "lost leads are not a pipeline column";
}

TEST(StaffViewModel, AdvanceLeadMovesItFromInquiryToVisit) {
    DemoStore s;
    const auto sales = s.member(core::StaffRole::Sales);
    StaffViewModel vm(s.ctx, kIdleMs);
    signIn(vm, sales);
    vm.go(StaffScreen::Leads);
    ASSERT_TRUE(vm.board().contains(core::LeadStage::Inquiry));
    ASSERT_FALSE(vm.board().at(core::LeadStage::Inquiry).empty());
    const std::string id = vm.board().at(core::LeadStage::Inquiry).front().id;
    const auto inquiries = vm.board().at(core::LeadStage::Inquiry).size();

    vm.advanceLead(id);
    EXPECT_EQ(text(s.conn, "SELECT stage FROM leads WHERE id = ?", id), "visit");
    EXPECT_EQ(count(s.conn,
                    "SELECT count(*) FROM lead_stage_history WHERE lead_id = ? AND from_stage = 'inquiry' AND "
                    "to_stage = 'visit' AND staff_id = ?",
                    id, sales.id),
              1);
    EXPECT_EQ(vm.board().at(core::LeadStage::Inquiry).size(), inquiries - 1);
    const auto& visits = vm.board().at(core::LeadStage::Visit);
    EXPECT_NE(std::find_if(visits.begin(), visits.end(), [&](const auto& l) { return l.id == id; }), visits.end())
        << "the board shows the lead in its new column at once";
}

// --- sign-out -------------------------------------------------------------------------------------

TEST(StaffViewModel, IdleStaffAreSignedOutAndTheFormWiped) {
    DemoStore s;
    StaffViewModel vm(s.ctx, kIdleMs);
    signIn(vm, s.member(core::StaffRole::Porter));
    vm.go(StaffScreen::CheckIn);
    vm.scan(core::demo::makeVin("5TD", 2023, 6161));
    CheckInForm form = vm.checkIn();
    form.price = "39000";
    vm.editCheckIn(form);
    vm.userActivity(0);

    EXPECT_EQ(vm.tick(kIdleMs - 1), 1) << "one millisecond left";
    EXPECT_TRUE(vm.active());
    EXPECT_TRUE(vm.signedIn());

    // Activity restarts the countdown.
    vm.userActivity(60'000);
    vm.tick(kIdleMs + 1);
    EXPECT_TRUE(vm.signedIn());
    EXPECT_EQ(vm.checkIn().price, "39000");

    vm.tick(60'000 + kIdleMs + 1);
    EXPECT_FALSE(vm.active());
    EXPECT_FALSE(vm.signedIn());
    EXPECT_EQ(vm.screen(), StaffScreen::PickName);
    EXPECT_EQ(vm.checkIn().vin, "");
    EXPECT_EQ(vm.checkIn().make, "");
    EXPECT_EQ(vm.checkIn().price, "");
    EXPECT_FALSE(vm.checkIn().report);
    // Nobody is signed in: nothing opens until a PIN is given again.
    vm.go(StaffScreen::CheckIn);
    EXPECT_NE(vm.screen(), StaffScreen::CheckIn);
}

TEST(StaffViewModel, SignOutLeavesNothingOfTheStaffScreensBehind) {
    DemoStore s;
    StaffViewModel vm(s.ctx, kIdleMs);
    signIn(vm, s.member(core::StaffRole::Manager));
    vm.go(StaffScreen::Inventory);
    EXPECT_FALSE(vm.stock().empty());
    vm.go(StaffScreen::Leads);
    EXPECT_FALSE(vm.board().empty());
    ASSERT_FALSE(vm.dueToday().empty()) << "the demo has follow-ups due today";
    vm.go(StaffScreen::CheckIn);
    vm.scan(core::demo::makeVin("5TD", 2023, 7171));
    CheckInForm form = vm.checkIn();
    form.model = "4Runner";
    form.lot = "A-7";
    vm.editCheckIn(form);

    vm.signOut();
    EXPECT_FALSE(vm.active());
    EXPECT_FALSE(vm.signedIn());
    EXPECT_FALSE(vm.picked());
    EXPECT_EQ(vm.screen(), StaffScreen::PickName);
    EXPECT_EQ(vm.checkIn().vin, "");
    EXPECT_EQ(vm.checkIn().model, "");
    EXPECT_EQ(vm.checkIn().lot, "");
    EXPECT_EQ(vm.checkIn().make, "");
    EXPECT_EQ(vm.checkIn().messageKey, "");
    EXPECT_FALSE(vm.checkIn().report);
    EXPECT_TRUE(vm.stock().empty());
    EXPECT_TRUE(vm.board().empty());
    EXPECT_TRUE(vm.dueToday().empty()) << "the follow-ups (customer names and notes) stay behind after sign-out";

    // The next person starts from the name list with an empty PIN pad.
    vm.open();
    EXPECT_EQ(vm.screen(), StaffScreen::PickName);
    EXPECT_EQ(vm.pinLength(), 0u);
    EXPECT_FALSE(vm.signedIn());
}

} // namespace

namespace {

TEST(StaffViewModel, StatusShowsTheQueueWaitingForHeadquarters) {
    DemoStore s;
    StaffViewModel vm(s.ctx, kIdleMs);
    signIn(vm, s.member(core::StaffRole::Porter));
    vm.go(StaffScreen::Status);
    EXPECT_EQ(vm.screen(), StaffScreen::Status) << "every role may see the status screen";
    EXPECT_EQ(vm.status().outboxPending, count(s.conn, "SELECT count(*) FROM outbox WHERE sent_at IS NULL"));
    EXPECT_GT(vm.status().outboxPending, 0);
    EXPECT_EQ(vm.status().oldestUnsentAt, text(s.conn, "SELECT min(created_at) FROM outbox WHERE sent_at IS NULL"));
    EXPECT_TRUE(vm.status().lastScanAt.empty());
    vm.go(StaffScreen::CheckIn);
    vm.scan("1M8GDM9AXKP042788");
    EXPECT_EQ(vm.status().lastScanAt, "2026-11-01T10:00:00Z");
}

TEST(StaffViewModel, OnlyAManagerOrAdminMayCloseTheKiosk) {
    DemoStore s;
    StaffViewModel porter(s.ctx, kIdleMs);
    signIn(porter, s.member(core::StaffRole::Porter));
    porter.requestClose();
    EXPECT_FALSE(porter.closeRequested());
    StaffViewModel manager(s.ctx, kIdleMs);
    signIn(manager, s.member(core::StaffRole::Manager));
    manager.requestClose();
    EXPECT_TRUE(manager.closeRequested());
}

// --- every action checks the role, not only the screen -----------------------------------------------

TEST(StaffViewModel, ActionsCheckTheRoleEvenWhenCalledWithoutTheirScreen) {
    DemoStore s;
    StaffViewModel vm(s.ctx, kIdleMs);
    signIn(vm, s.member(core::StaffRole::Finance));   // may desk deals and work leads, nothing else
    const auto vehicles = count(s.conn, "SELECT count(*) FROM vehicles");

    vm.scan("1M8GDM9AXKP042788");
    EXPECT_EQ(vm.checkIn().messageKey, "kiosk.staff.not_allowed");
    vm.submitCheckIn();
    EXPECT_EQ(vm.checkIn().messageKey, "kiosk.staff.not_allowed");
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM vehicles"), vehicles);

    const std::string id = text(s.conn, std::string("SELECT id FROM vehicles WHERE status = 'in_stock' AND store_id = ") +
                                            kLocal + " LIMIT 1");
    vm.setStatus(id, core::VehicleStatus::OnHold);
    EXPECT_EQ(vm.inventoryNotice().key, "kiosk.staff.not_allowed");
    vm.moveVehicle(id, "Z-99");
    EXPECT_EQ(text(s.conn, "SELECT status || '|' || lot_location FROM vehicles WHERE id = ?", id).rfind("in_stock|", 0), 0u);
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM vehicles WHERE id = ? AND lot_location = 'Z-99'", id), 0);
}

TEST(StaffViewModel, APorterCannotMoveALeadAlong) {
    DemoStore s;
    StaffViewModel vm(s.ctx, kIdleMs);
    signIn(vm, s.member(core::StaffRole::Porter));
    const std::string lead = text(s.conn, "SELECT id FROM leads WHERE stage = 'inquiry' LIMIT 1");
    vm.advanceLead(lead);
    EXPECT_EQ(text(s.conn, "SELECT stage FROM leads WHERE id = ?", lead), "inquiry");
}

} // namespace

TEST(StaffStatus, TheStatusScreenShowsWhatTheSyncClientLastRecorded) {
    showroom::test::DemoStore s;
    StaffViewModel staff(s.ctx, 300'000);
    // As the sync client leaves it after HQ refused one event and a later attempt failed.
    ASSERT_TRUE(s.conn.exec("UPDATE outbox SET quarantined_at = '2026-11-01T10:00:00Z', quarantine_reason = 'unknown "
                            "type' WHERE seq = (SELECT min(seq) FROM outbox);"
                            "INSERT INTO sync_state(key, value) VALUES ('last_success_at', '2026-11-01T09:59:00Z'), "
                            "('last_error', 'cannot reach headquarters'), ('online', '0');")
                    .ok());
    const auto pending = showroom::test::count(s.conn, "SELECT count(*) FROM outbox WHERE sent_at IS NULL") - 1;
    staff.refreshStatus();
    const auto& st = staff.status();
    EXPECT_EQ(st.quarantined, 1);
    EXPECT_EQ(st.outboxPending, pending);   // the quarantined event is not "waiting"
    EXPECT_EQ(st.lastSyncAt, "2026-11-01T09:59:00Z");
    EXPECT_EQ(st.lastSyncError, "cannot reach headquarters");
    EXPECT_FALSE(st.syncOnline);
}

// --- HQ's conflicts on the status screen --------------------------------------------------------------

namespace {

// A deal desked through core::Deals on one of this showroom's cars, then flagged by HQ (as the sync
// client stores HQ's decision). Returns the deal.
core::Deal flaggedDeal(showroom::test::DemoStore& s, const std::string& conflictId, const std::string& receivedAt) {
    const std::string carId =
        text(s.conn, std::string("SELECT id FROM vehicles WHERE status = 'in_stock' AND store_id = ") + kLocal +
                         " AND id NOT IN (SELECT vehicle_id FROM deals) ORDER BY stock_no LIMIT 1");
    core::Customer buyer;
    buyer.firstName = "Flag";
    buyer.lastName = conflictId;
    buyer.email = conflictId + "@example.test";
    auto added = core::Crm(s.ctx).addCustomer(buyer);
    if (!added) {
        ADD_FAILURE() << added.error().message;
        return {};
    }
    const std::string customerId = added->id;
    core::finance::DealInput in;
    in.price = count(s.conn, "SELECT price_cents FROM vehicles WHERE id = ?", carId);
    in.apr = core::Rate{69'000};
    in.termMonths = 60;
    auto deal = core::Deals(s.ctx).create(customerId, carId, in);
    if (!deal) {
        ADD_FAILURE() << deal.error().message;
        return {};
    }
    auto stmt = s.conn.prepare("INSERT INTO sync_conflicts(id, kind, vin, deal_id, deal_no, other_store, message, "
                               "received_at) SELECT ?, 'vehicle_sold_elsewhere', vin, ?, ?, 'DTN', ?, ? "
                               "FROM vehicles WHERE id = ?");
    if (!stmt || !stmt->bindAll(conflictId, deal->id, deal->dealNo,
                                "this car was sold at DTN first — cancel the deal or move the customer to another car.",
                                receivedAt, carId)
                      .run())
        ADD_FAILURE() << "could not store the conflict";
    return *deal;
}

std::int64_t resolvedEvents(showroom::test::DemoStore& s, const std::string& conflictId) {
    return count(s.conn, "SELECT count(*) FROM outbox WHERE type = 'store.conflict_resolved' AND entity_id = ?",
                 conflictId);
}

TEST(StaffConflicts, TheStatusScreenListsOpenConflictsNewestFirst) {
    showroom::test::DemoStore s;
    const auto older = flaggedDeal(s, "c-old", "2026-11-01T08:00:00Z");
    const auto newer = flaggedDeal(s, "c-new", "2026-11-01T09:00:00Z");
    ASSERT_TRUE(s.conn.exec("INSERT INTO sync_conflicts(id, kind, message, received_at, resolved_at, resolution_note) "
                            "VALUES ('c-done', 'transfer_refused', 'old news', '2026-10-01T08:00:00Z', "
                            "'2026-10-02T08:00:00Z', 'handled')"));
    StaffViewModel vm(s.ctx, kIdleMs);
    signIn(vm, s.member(core::StaffRole::Porter));
    vm.go(StaffScreen::Status);
    EXPECT_EQ(vm.status().openConflicts, 2);
    ASSERT_EQ(vm.conflicts().size(), 2u);
    EXPECT_EQ(vm.conflicts()[0].id, "c-new");
    EXPECT_EQ(vm.conflicts()[0].dealNo, newer.dealNo);
    EXPECT_EQ(vm.conflicts()[1].id, "c-old");
    EXPECT_EQ(vm.conflicts()[1].dealNo, older.dealNo);
    EXPECT_EQ(vm.conflicts()[1].otherStore, "DTN");
    EXPECT_EQ(vm.conflicts()[1].receivedAt, "2026-11-01T08:00:00Z");
    EXPECT_FALSE(vm.conflicts()[1].vin.empty());
}

TEST(StaffConflicts, AManagerResolvesAConflictWithANoteAndHqIsTold) {
    showroom::test::DemoStore s;
    const auto deal = flaggedDeal(s, "c-1", "2026-11-01T09:30:00Z");
    const auto manager = s.member(core::StaffRole::Manager);
    StaffViewModel vm(s.ctx, kIdleMs);
    signIn(vm, manager);
    EXPECT_TRUE(vm.mayResolveConflicts());
    vm.go(StaffScreen::Status);
    ASSERT_EQ(vm.conflicts().size(), 1u);

    vm.startResolving("c-1");
    EXPECT_EQ(vm.resolving(), "c-1");
    // A note is required: a blank one keeps the conflict open and the note panel up.
    EXPECT_FALSE(vm.resolveConflict("   "));
    EXPECT_EQ(vm.conflictNotice().key, "kiosk.conflict.error.no_note");
    EXPECT_EQ(vm.resolving(), "c-1");
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL"), 1);

    ASSERT_TRUE(vm.resolveConflict("Customer moved to another car"));
    EXPECT_TRUE(vm.resolving().empty());
    EXPECT_EQ(vm.conflictNotice().key, "kiosk.conflict.resolved");
    EXPECT_EQ(vm.conflictNotice().values.at("what"), deal.dealNo);
    EXPECT_TRUE(vm.conflicts().empty());
    EXPECT_EQ(vm.status().openConflicts, 0);
    EXPECT_EQ(text(s.conn, "SELECT resolved_at || '|' || resolution_note FROM sync_conflicts WHERE id = 'c-1'"),
              "2026-11-01T10:00:00Z|Customer moved to another car");
    EXPECT_EQ(resolvedEvents(s, "c-1"), 1);
    EXPECT_EQ(text(s.conn, "SELECT actor FROM audit_log WHERE action = 'store.conflict_resolved'"), manager.id);
    // The deal is never deleted or changed by resolving its conflict.
    EXPECT_EQ(text(s.conn, "SELECT status FROM deals WHERE id = ?", deal.id), "draft");

    // Resolving it again (HQ closed it meanwhile, or a second tap) says so and changes nothing.
    vm.startResolving("c-1");
    EXPECT_FALSE(vm.resolveConflict("again"));
    EXPECT_EQ(vm.conflictNotice().key, "kiosk.error.invalid_transition");
    EXPECT_EQ(resolvedEvents(s, "c-1"), 1);
}

TEST(StaffConflicts, OnlyRolesThatApproveDiscountsMayResolveOthersReadTheList) {
    showroom::test::DemoStore s;
    flaggedDeal(s, "c-1", "2026-11-01T09:30:00Z");
    for (auto role : {core::StaffRole::Sales, core::StaffRole::Finance, core::StaffRole::Porter}) {
        StaffViewModel vm(s.ctx, kIdleMs);
        signIn(vm, s.member(role));
        vm.go(StaffScreen::Status);
        EXPECT_EQ(vm.conflicts().size(), 1u) << core::toString(role) << " reads the list";
        EXPECT_FALSE(vm.mayResolveConflicts()) << core::toString(role);
        vm.startResolving("c-1");
        EXPECT_TRUE(vm.resolving().empty());
        EXPECT_EQ(vm.conflictNotice().key, "kiosk.staff.not_allowed");
        auto refused = vm.resolveConflict("I sorted it");
        ASSERT_FALSE(refused);
        EXPECT_EQ(refused.error().code, core::ErrorCode::Denied);
    }
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL"), 1);
    EXPECT_EQ(resolvedEvents(s, "c-1"), 0);
    StaffViewModel admin(s.ctx, kIdleMs);
    signIn(admin, s.member(core::StaffRole::Admin));
    EXPECT_TRUE(admin.mayResolveConflicts());
}

TEST(StaffConflicts, ASalespersonOpensTheFlaggedDealOnTheDeskFromTheList) {
    showroom::test::DemoStore s;
    const auto deal = flaggedDeal(s, "c-1", "2026-11-01T09:30:00Z");
    StaffViewModel vm(s.ctx, kIdleMs);
    signIn(vm, s.member(core::StaffRole::Sales));
    vm.go(StaffScreen::Status);
    vm.openConflictDeal("c-1");
    EXPECT_EQ(vm.screen(), StaffScreen::Desk);
    ASSERT_TRUE(vm.desk().deal());
    EXPECT_EQ(vm.desk().deal()->id, deal.id);
    ASSERT_TRUE(vm.desk().flag());
    EXPECT_EQ(vm.desk().flag()->id, "c-1");

    // A manager resolves it elsewhere; the next status refresh (a sync) takes the flag off the desk.
    ASSERT_TRUE(core::Conflicts(s.ctx).resolve("c-1", "moved to another car"));
    vm.refreshStatus();
    EXPECT_FALSE(vm.desk().flag());

    // A porter may not desk deals: the list stays, the desk does not open.
    StaffViewModel porter(s.ctx, kIdleMs);
    signIn(porter, s.member(core::StaffRole::Porter));
    porter.go(StaffScreen::Status);
    porter.openConflictDeal("c-1");
    EXPECT_EQ(porter.screen(), StaffScreen::Status);
}

} // namespace
