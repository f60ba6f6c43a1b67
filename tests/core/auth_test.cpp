#include "showroom/core/auth.hpp"
#include "showroom/core/inventory.hpp"

#include "store_fixture.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace core = showroom::core;
using core::ErrorCode;
using core::Permission;
using core::StaffRole;

namespace {

using showroom::test::count;
using showroom::test::Store;

template <class... Args>
std::optional<std::string> text(core::db::Connection& db, const std::string& sql, const Args&... args) {
    auto stmt = db.prepare(sql);
    if (!stmt) {
        ADD_FAILURE() << sql << ": " << stmt.error().message;
        return std::nullopt;
    }
    stmt->bindAll(args...);
    auto row = stmt->step();
    if (!row || !*row) return std::nullopt;
    return stmt->getOptionalText(0);
}

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

core::StaffMember mustAdd(core::Auth& auth, std::string_view name, StaffRole role, std::string_view email = "") {
    auto added = auth.addStaff(name, role, email);
    if (!added) {
        ADD_FAILURE() << "addStaff " << name << ": " << added.error().message;
        return {};
    }
    return *added;
}

void mustSetPin(core::Auth& auth, const std::string& id, std::string_view pin) {
    auto st = auth.setPin(id, pin);
    if (!st) ADD_FAILURE() << "setPin " << pin << ": " << st.error().message;
}

std::int64_t auditRows(Store& s, std::string_view action, const std::string& staffId) {
    return count(s.conn, "SELECT count(*) FROM audit_log WHERE action = ? AND entity = 'staff' AND entity_id = ?",
                 action, staffId);
}

/// Signs in with a wrong PIN and returns the message the salesperson sees ("" and a failure if it got in).
std::string wrongPin(core::Auth& auth, const std::string& id, std::string_view pin = "9753") {
    auto r = auth.signIn(id, pin);
    if (r) {
        ADD_FAILURE() << "wrong PIN " << pin << " signed in";
        return "";
    }
    EXPECT_EQ(r.error().code, ErrorCode::Denied) << r.error().message;
    return r.error().message;
}

std::int64_t lockedFor(core::Auth& auth, const std::string& id) {
    auto r = auth.lockedFor(id);
    if (!r) {
        ADD_FAILURE() << "lockedFor: " << r.error().message;
        return -1;
    }
    return *r;
}

const std::vector<Permission> kAllPermissions = {Permission::CheckIn,          Permission::ManageInventory,
                                                 Permission::WorkLeads,        Permission::DeskDeals,
                                                 Permission::ApproveDiscounts, Permission::ManageStaff,
                                                 Permission::ViewReports};

// ---- addStaff / staff() ----------------------------------------------------------------------

TEST(AuthStaff, AStaffMemberNeedsAName) {
    Store s;
    core::Auth auth(s.ctx);
    for (std::string_view name : {std::string_view(""), std::string_view("   ")}) {
        auto r = auth.addStaff(name, StaffRole::Sales);
        ASSERT_FALSE(r) << "'" << name << "' was accepted as a name";
        EXPECT_EQ(r.error().code, ErrorCode::InvalidInput);
        EXPECT_TRUE(contains(r.error().message, "name")) << r.error().message;
    }
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM staff"), 0);
}

TEST(AuthStaff, NewStaffMemberKeepsRoleAndEmailAndBelongsToThisShowroom) {
    Store s;
    core::Auth auth(s.ctx);
    const auto dana = mustAdd(auth, "Dana Reyes", StaffRole::Finance, "  Dana.Reyes@Example.COM ");
    const auto lou = mustAdd(auth, "Lou Park", StaffRole::Porter);

    auto back = auth.member(dana.id);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->name, "Dana Reyes");
    EXPECT_EQ(back->role, StaffRole::Finance);
    EXPECT_EQ(back->email, "dana.reyes@example.com");
    EXPECT_TRUE(back->active);
    EXPECT_EQ(back->storeId, core::localStoreId(s.conn).value());
    EXPECT_EQ(text(s.conn, "SELECT role FROM staff WHERE id = ?", dana.id), "finance");

    auto porter = auth.member(lou.id);
    ASSERT_TRUE(porter) << porter.error().message;
    EXPECT_EQ(porter->role, StaffRole::Porter);
    EXPECT_EQ(porter->email, "");
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM audit_log WHERE action = 'staff.added'"), 2);
}

TEST(AuthStaff, SecondStaffMemberWithTheSameEmailIsRefused) {
    Store s;
    core::Auth auth(s.ctx);
    mustAdd(auth, "Sam Ortiz", StaffRole::Sales, "sam@example.com");
    auto again = auth.addStaff("Samantha Ortiz", StaffRole::Manager, " SAM@example.com");
    ASSERT_FALSE(again) << "a second staff member got sam@example.com";
    EXPECT_EQ(again.error().code, ErrorCode::Duplicate);
    EXPECT_TRUE(contains(again.error().message, "sam@example.com")) << again.error().message;
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM staff"), 1);
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM audit_log WHERE action = 'staff.added'"), 1);

    // Staff without an e-mail never clash with each other.
    mustAdd(auth, "Lou Park", StaffRole::Porter);
    mustAdd(auth, "Kim Lee", StaffRole::Porter);
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM staff"), 3);
}

TEST(AuthStaff, StaffListShowsActiveStaffOfThisShowroomByName) {
    Store s;
    core::Auth auth(s.ctx);
    mustAdd(auth, "Zoe Adams", StaffRole::Sales);
    mustAdd(auth, "Adam Brook", StaffRole::Manager);
    const auto mia = mustAdd(auth, "Mia Chen", StaffRole::Finance);
    mustAdd(auth, "Lou Park", StaffRole::Porter);
    ASSERT_TRUE(s.conn.exec("UPDATE staff SET active = 0 WHERE id = '" + mia.id + "'"));
    ASSERT_TRUE(s.conn.exec("INSERT INTO stores(id, code, name, created_at) "
                            "VALUES ('other-store', 'OTH', 'Other Showroom', '2026-01-01T00:00:00Z');"
                            "INSERT INTO staff(id, store_id, name, role, created_at) "
                            "VALUES ('elsewhere', 'other-store', 'Aaron Elsewhere', 'sales', '2026-01-01T00:00:00Z')"));

    auto list = auth.staff();
    ASSERT_TRUE(list) << list.error().message;
    std::vector<std::string> names;
    for (const auto& m : *list)
        names.push_back(m.name);
    EXPECT_EQ(names, (std::vector<std::string>{"Adam Brook", "Lou Park", "Zoe Adams"}));
}

// ---- setPin ----------------------------------------------------------------------------------

TEST(AuthPin, MalformedOrEasyPinsAreRefused) {
    Store s;
    core::Auth auth(s.ctx);
    const auto sam = mustAdd(auth, "Sam Ortiz", StaffRole::Sales);
    for (std::string_view pin : {"", "258", "258013579", "25a0", "25 0", "+258", "1111", "00000000", "1234",
                                 "45678", "9876", "87654321"}) {
        auto st = auth.setPin(sam.id, pin);
        ASSERT_FALSE(st) << "PIN '" << pin << "' was accepted";
        EXPECT_EQ(st.error().code, ErrorCode::InvalidInput) << pin;
    }
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM staff WHERE pin_hash IS NOT NULL"), 0);
    EXPECT_EQ(auditRows(s, "staff.pin_set", sam.id), 0);
}

TEST(AuthPin, FourToEightDigitPinsAreAccepted) {
    Store s;
    core::Auth auth(s.ctx);
    const auto sam = mustAdd(auth, "Sam Ortiz", StaffRole::Sales);
    const auto kim = mustAdd(auth, "Kim Lee", StaffRole::Sales);
    EXPECT_TRUE(auth.setPin(sam.id, "2580"));
    EXPECT_TRUE(auth.setPin(kim.id, "13572468"));
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM staff WHERE pin_hash IS NOT NULL"), 2);
}

TEST(AuthPin, DatabaseHoldsOnlyAnArgon2idHashNeverThePin) {
    Store s;
    core::Auth auth(s.ctx);
    const auto sam = mustAdd(auth, "Sam Ortiz", StaffRole::Sales, "sam@example.com");
    ASSERT_TRUE(auth.setPin(sam.id, "2580"));

    const auto hash = text(s.conn, "SELECT pin_hash FROM staff WHERE id = ?", sam.id);
    ASSERT_TRUE(hash.has_value()) << "no pin_hash stored";
    EXPECT_TRUE(hash->starts_with("$argon2id$")) << *hash;
    EXPECT_NE(*hash, "2580");
    EXPECT_FALSE(contains(*hash, "2580")) << *hash;
    EXPECT_EQ(count(s.conn,
                    "SELECT count(*) FROM staff WHERE instr(coalesce(id, '') || '|' || coalesce(store_id, '') || '|' || "
                    "coalesce(name, '') || '|' || coalesce(email, '') || '|' || coalesce(role, '') || '|' || "
                    "coalesce(pin_hash, '') || '|' || coalesce(active, '') || '|' || "
                    "coalesce(failed_pin_attempts, '') || '|' || coalesce(locked_until, '') || '|' || "
                    "coalesce(created_at, ''), '2580') > 0"),
              0);

    EXPECT_EQ(auditRows(s, "staff.pin_set", sam.id), 1);
    const auto details =
        text(s.conn, "SELECT details FROM audit_log WHERE action = 'staff.pin_set' AND entity_id = ?", sam.id);
    ASSERT_TRUE(details.has_value());
    EXPECT_FALSE(contains(*details, "2580")) << *details;
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM audit_log WHERE instr(details, '2580') > 0"), 0);
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM outbox WHERE instr(payload, '2580') > 0"), 0);

    // The hash is a real one: the PIN signs in.
    auto in = auth.signIn(sam.id, "2580");
    EXPECT_TRUE(in) << in.error().message;
}

TEST(AuthPin, NewPinReplacesTheOldOne) {
    Store s;
    core::Auth auth(s.ctx);
    const auto sam = mustAdd(auth, "Sam Ortiz", StaffRole::Sales);
    mustSetPin(auth, sam.id, "2580");
    mustSetPin(auth, sam.id, "7319");
    wrongPin(auth, sam.id, "2580");
    auto in = auth.signIn(sam.id, "7319");
    EXPECT_TRUE(in) << in.error().message;
    EXPECT_EQ(auditRows(s, "staff.pin_set", sam.id), 2);
}

TEST(AuthPin, PinForUnknownStaffIsNotFound) {
    Store s;
    core::Auth auth(s.ctx);
    auto st = auth.setPin("no-such-person", "2580");
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, ErrorCode::NotFound);
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM audit_log WHERE action = 'staff.pin_set'"), 0);
}

// ---- signIn ----------------------------------------------------------------------------------

TEST(AuthSignIn, RightPinSignsTheMemberIn) {
    Store s;
    core::Auth auth(s.ctx);
    const auto sam = mustAdd(auth, "Sam Ortiz", StaffRole::Sales, "sam@example.com");
    mustSetPin(auth, sam.id, "2580");
    auto in = auth.signIn(sam.id, "2580");
    ASSERT_TRUE(in) << in.error().message;
    EXPECT_EQ(in->id, sam.id);
    EXPECT_EQ(in->name, "Sam Ortiz");
    EXPECT_EQ(in->role, StaffRole::Sales);
    EXPECT_EQ(in->email, "sam@example.com");
    EXPECT_EQ(auditRows(s, "staff.signed_in", sam.id), 1);
    EXPECT_EQ(auditRows(s, "staff.pin_refused", sam.id), 0);
}

TEST(AuthSignIn, EachWrongPinSaysHowManyAttemptsAreLeft) {
    Store s;
    core::Auth auth(s.ctx);
    const auto sam = mustAdd(auth, "Sam Ortiz", StaffRole::Sales);
    mustSetPin(auth, sam.id, "2580");
    EXPECT_TRUE(contains(wrongPin(auth, sam.id), "4 attempts left"));
    EXPECT_TRUE(contains(wrongPin(auth, sam.id), "3 attempts left"));
    EXPECT_TRUE(contains(wrongPin(auth, sam.id), "2 attempts left"));
    const auto last = wrongPin(auth, sam.id);
    EXPECT_TRUE(contains(last, "1 attempts left")) << last;
    EXPECT_FALSE(contains(last, "locked")) << last;
    EXPECT_EQ(lockedFor(auth, sam.id), 0);
    EXPECT_EQ(auditRows(s, "staff.pin_refused", sam.id), 4);
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM audit_log WHERE instr(details, '9753') > 0"), 0);
}

TEST(AuthSignIn, FifthWrongPinLocksTheAccountForFiveMinutesEvenAgainstTheRightPin) {
    Store s;
    core::Auth auth(s.ctx);
    const auto sam = mustAdd(auth, "Sam Ortiz", StaffRole::Sales);
    mustSetPin(auth, sam.id, "2580");
    for (int i = 0; i < 4; ++i)
        wrongPin(auth, sam.id);
    const auto fifth = wrongPin(auth, sam.id);
    EXPECT_TRUE(contains(fifth, "locked for 5 minutes")) << fifth;
    EXPECT_TRUE(contains(fifth, "10:05")) << fifth;
    EXPECT_EQ(lockedFor(auth, sam.id), core::kPinLockSeconds);
    EXPECT_EQ(auditRows(s, "staff.pin_refused", sam.id), 5);

    s.clock.advance(60);
    auto right = auth.signIn(sam.id, "2580");
    ASSERT_FALSE(right) << "the right PIN got into a locked account";
    EXPECT_EQ(right.error().code, ErrorCode::Denied);
    EXPECT_TRUE(contains(right.error().message, "locked until")) << right.error().message;
    EXPECT_TRUE(contains(right.error().message, "10:05")) << right.error().message;
    EXPECT_GT(lockedFor(auth, sam.id), 0);

    // A second before the five minutes are up it is still locked.
    s.clock.advance(core::kPinLockSeconds - 60 - 1);
    EXPECT_FALSE(auth.signIn(sam.id, "2580"));
    EXPECT_EQ(lockedFor(auth, sam.id), 1);
    EXPECT_EQ(auditRows(s, "staff.signed_in", sam.id), 0);
}

TEST(AuthSignIn, RefusalWhileLockedIsInTheAuditLog) {
    Store s;
    core::Auth auth(s.ctx);
    const auto sam = mustAdd(auth, "Sam Ortiz", StaffRole::Sales);
    mustSetPin(auth, sam.id, "2580");
    for (int i = 0; i < core::kMaxPinAttempts; ++i)
        wrongPin(auth, sam.id);
    ASSERT_GT(lockedFor(auth, sam.id), 0);
    const auto before = auditRows(s, "staff.pin_refused", sam.id);
    EXPECT_FALSE(auth.signIn(sam.id, "2580"));
    EXPECT_EQ(auditRows(s, "staff.pin_refused", sam.id), before + 1)
        << "a sign-in refused because the account is locked left no audit row";
}

TEST(AuthSignIn, AfterFiveMinutesTheRightPinWorksAndTheCountStartsFresh) {
    Store s;
    core::Auth auth(s.ctx);
    const auto sam = mustAdd(auth, "Sam Ortiz", StaffRole::Sales);
    mustSetPin(auth, sam.id, "2580");
    for (int i = 0; i < core::kMaxPinAttempts; ++i)
        wrongPin(auth, sam.id);
    ASSERT_GT(lockedFor(auth, sam.id), 0);

    s.clock.advance(5 * 60 + 1);
    EXPECT_EQ(lockedFor(auth, sam.id), 0);
    // Four more wrong PINs after the lock ran out do not lock again: the count started fresh.
    EXPECT_TRUE(contains(wrongPin(auth, sam.id), "4 attempts left"));
    EXPECT_TRUE(contains(wrongPin(auth, sam.id), "3 attempts left"));
    EXPECT_TRUE(contains(wrongPin(auth, sam.id), "2 attempts left"));
    EXPECT_TRUE(contains(wrongPin(auth, sam.id), "1 attempts left"));
    EXPECT_EQ(lockedFor(auth, sam.id), 0);
    auto in = auth.signIn(sam.id, "2580");
    ASSERT_TRUE(in) << in.error().message;
    EXPECT_EQ(in->id, sam.id);
    EXPECT_EQ(auditRows(s, "staff.signed_in", sam.id), 1);
}

TEST(AuthSignIn, RightPinResetsTheWrongPinCount) {
    Store s;
    core::Auth auth(s.ctx);
    const auto sam = mustAdd(auth, "Sam Ortiz", StaffRole::Sales);
    mustSetPin(auth, sam.id, "2580");
    for (int i = 0; i < 4; ++i)
        wrongPin(auth, sam.id);
    auto in = auth.signIn(sam.id, "2580");
    ASSERT_TRUE(in) << in.error().message;
    std::string last;
    for (int i = 0; i < 4; ++i)
        last = wrongPin(auth, sam.id);
    EXPECT_TRUE(contains(last, "1 attempts left")) << last;
    EXPECT_EQ(lockedFor(auth, sam.id), 0) << "locked after 4 wrong PINs that followed a right one";
    auto still = auth.signIn(sam.id, "2580");
    EXPECT_TRUE(still) << still.error().message;
}

TEST(AuthSignIn, StaffMemberWithoutAPinIsToldAManagerSetsIt) {
    Store s;
    core::Auth auth(s.ctx);
    const auto lou = mustAdd(auth, "Lou Park", StaffRole::Porter);
    auto r = auth.signIn(lou.id, "2580");
    ASSERT_FALSE(r) << "signed in without a PIN";
    EXPECT_EQ(r.error().code, ErrorCode::Denied);
    EXPECT_TRUE(contains(r.error().message, "manager")) << r.error().message;
    EXPECT_EQ(auditRows(s, "staff.pin_refused", lou.id), 1)
        << "a sign-in refused for want of a PIN left no audit row";
}

TEST(AuthSignIn, UnknownStaffIdIsNotFound) {
    Store s;
    core::Auth auth(s.ctx);
    mustAdd(auth, "Sam Ortiz", StaffRole::Sales);
    auto r = auth.signIn("no-such-person", "2580");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::NotFound);
}

TEST(AuthSignIn, InactiveStaffMemberCannotSignInEvenWithTheRightPin) {
    Store s;
    core::Auth auth(s.ctx);
    const auto sam = mustAdd(auth, "Sam Ortiz", StaffRole::Sales);
    mustSetPin(auth, sam.id, "2580");
    ASSERT_TRUE(s.conn.exec("UPDATE staff SET active = 0 WHERE id = '" + sam.id + "'"));
    auto r = auth.signIn(sam.id, "2580");
    ASSERT_FALSE(r) << "an inactive staff member signed in";
    EXPECT_EQ(r.error().code, ErrorCode::Denied);
    EXPECT_EQ(auditRows(s, "staff.signed_in", sam.id), 0);
    EXPECT_EQ(auditRows(s, "staff.pin_refused", sam.id), 1)
        << "a sign-in refused because the account is inactive left no audit row";
}

// ---- can() -----------------------------------------------------------------------------------

TEST(AuthRoles, PorterChecksInAndMovesStockButDoesNotSellOrDiscount) {
    EXPECT_TRUE(core::can(StaffRole::Porter, Permission::CheckIn));
    EXPECT_TRUE(core::can(StaffRole::Porter, Permission::ManageInventory));
    EXPECT_FALSE(core::can(StaffRole::Porter, Permission::DeskDeals));
    EXPECT_FALSE(core::can(StaffRole::Porter, Permission::ApproveDiscounts));
    EXPECT_FALSE(core::can(StaffRole::Porter, Permission::ManageStaff));
}

TEST(AuthRoles, SalesWorksLeadsAndDesksDealsButCannotApproveDiscountsOrManageStaff) {
    EXPECT_TRUE(core::can(StaffRole::Sales, Permission::WorkLeads));
    EXPECT_TRUE(core::can(StaffRole::Sales, Permission::DeskDeals));
    EXPECT_FALSE(core::can(StaffRole::Sales, Permission::ApproveDiscounts));
    EXPECT_FALSE(core::can(StaffRole::Sales, Permission::ManageStaff));
}

TEST(AuthRoles, FinanceDesksDealsButDoesNotCheckInCars) {
    EXPECT_TRUE(core::can(StaffRole::Finance, Permission::DeskDeals));
    EXPECT_FALSE(core::can(StaffRole::Finance, Permission::CheckIn));
    EXPECT_FALSE(core::can(StaffRole::Finance, Permission::ManageStaff));
}

TEST(AuthRoles, ManagerAndAdminMayDoEverything) {
    for (auto role : {StaffRole::Manager, StaffRole::Admin})
        for (auto p : kAllPermissions)
            EXPECT_TRUE(core::can(role, p)) << core::toString(role) << " permission " << static_cast<int>(p);
}

} // namespace
