#include "showroom/core/crm.hpp"
#include "showroom/core/demo.hpp"
#include "showroom/core/inventory.hpp"
#include "showroom/core/store.hpp"

#include "store_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace core = showroom::core;
using core::ErrorCode;
using core::LeadStage;
using core::VehicleStatus;
using showroom::test::TempDir;

namespace {

using showroom::test::count;
using showroom::test::kNow;
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

std::int64_t customerCount(Store& s) {
    return count(s.conn, "SELECT count(*) FROM customers");
}

core::Customer person(std::string first, std::string last, std::string phone, std::string email = "") {
    core::Customer c;
    c.firstName = std::move(first);
    c.lastName = std::move(last);
    c.phone = std::move(phone);
    c.email = std::move(email);
    return c;
}

core::Customer mustAdd(core::Crm& crm, core::Customer c) {
    auto added = crm.addCustomer(c);
    if (!added) {
        ADD_FAILURE() << "addCustomer " << c.fullName() << ": " << added.error().message;
        return c;
    }
    return *added;
}

std::vector<std::string> namesOf(const std::vector<core::Customer>& customers) {
    std::vector<std::string> names;
    for (const auto& c : customers)
        names.push_back(c.fullName());
    std::sort(names.begin(), names.end());
    return names;
}

std::vector<std::string> search(core::Crm& crm, std::string typed) {
    core::CustomerQuery q;
    q.text = std::move(typed);
    auto found = crm.customers(q);
    if (!found) {
        ADD_FAILURE() << "customers('" << q.text << "'): " << found.error().message;
        return {};
    }
    return namesOf(*found);
}

// ---- customers -------------------------------------------------------------------------------------------

TEST(CrmCustomer, NeedsANameAndAPhoneOrAnEmail) {
    Store s;
    core::Crm crm(s.ctx);
    const core::Customer refused[] = {
        person("", "", "555-010-2000"),
        person("  ", "\t", "555-010-2000", "ann@example.com"),
        person("Ann", "Lee", ""),
        person("Ann", "Lee", "", ""),
    };
    for (const auto& c : refused) {
        auto result = crm.addCustomer(c);
        ASSERT_FALSE(result.ok()) << "'" << c.fullName() << "'";
        EXPECT_EQ(result.error().code, ErrorCode::InvalidInput);
    }
    EXPECT_EQ(customerCount(s), 0);

    auto byPhone = crm.addCustomer(person("Ann", "Lee", "555-010-2000"));
    ASSERT_TRUE(byPhone.ok()) << byPhone.error().message;
    auto byEmail = crm.addCustomer(person("", "Okafor", "", "okafor@example.com"));
    ASSERT_TRUE(byEmail.ok()) << byEmail.error().message;
    EXPECT_EQ(customerCount(s), 2);

    auto stored = crm.customer(byPhone->id);
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(stored->fullName(), "Ann Lee");
    EXPECT_EQ(stored->storeId, core::localStoreId(s.conn).value());
    EXPECT_EQ(
        count(s.conn, "SELECT count(*) FROM audit_log WHERE action = 'customer.added' AND entity_id = ?", byPhone->id),
        1);
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM outbox WHERE type = 'customer.added' AND entity_id = ?", byPhone->id),
              1);
}

TEST(CrmCustomer, MalformedEmailOrPhoneIsRefused) {
    Store s;
    core::Crm crm(s.ctx);
    for (std::string email : {"ann.example.com", "ann@", "@example.com", "ann@@example.com", "a@b@example.com"}) {
        auto result = crm.addCustomer(person("Ann", "Lee", "", email));
        ASSERT_FALSE(result.ok()) << email;
        EXPECT_EQ(result.error().code, ErrorCode::InvalidInput) << email;
        EXPECT_TRUE(contains(result.error().message, "e-mail")) << result.error().message;
    }
    for (std::string phone : {"12345", "call me", "555-01", "1234567890123456789"}) {
        auto result = crm.addCustomer(person("Ann", "Lee", phone, "ann@example.com"));
        ASSERT_FALSE(result.ok()) << phone;
        EXPECT_EQ(result.error().code, ErrorCode::InvalidInput) << phone;
        EXPECT_TRUE(contains(result.error().message, "phone")) << result.error().message;
    }
    EXPECT_EQ(customerCount(s), 0);
}

TEST(CrmCustomer, SamePhoneInAnotherFormatIsADuplicateNamingTheCustomer) {
    Store s;
    core::Crm crm(s.ctx);
    const core::Customer ann = mustAdd(crm, person("Ann", "Lee", "+1 555-010-2000"));
    for (std::string phone : {"(555) 010-2000", "5550102000", "1-555-010-2000", "555.010.2000"}) {
        auto dup = crm.addCustomer(person("Annie", "Lee-Smith", phone, "annie@example.com"));
        ASSERT_FALSE(dup.ok()) << phone;
        EXPECT_EQ(dup.error().code, ErrorCode::Duplicate) << phone;
        EXPECT_TRUE(contains(dup.error().message, "Ann Lee")) << dup.error().message;
        EXPECT_TRUE(contains(dup.error().message, ann.id)) << dup.error().message;
    }
    EXPECT_EQ(customerCount(s), 1);
    // A different number is a different person.
    EXPECT_TRUE(crm.addCustomer(person("Bob", "Lee", "(555) 010-2001")).ok());
}

TEST(CrmCustomer, SameEmailInAnotherCaseIsADuplicateNamingTheCustomer) {
    Store s;
    core::Crm crm(s.ctx);
    const core::Customer ann = mustAdd(crm, person("Ann", "Lee", "", "Ann.Lee@Example.com"));
    EXPECT_EQ(ann.email, "ann.lee@example.com");
    EXPECT_EQ(crm.customer(ann.id)->email, "ann.lee@example.com");

    auto dup = crm.addCustomer(person("A.", "Lee", "555-010-3000", "  ANN.LEE@example.COM "));
    ASSERT_FALSE(dup.ok());
    EXPECT_EQ(dup.error().code, ErrorCode::Duplicate);
    EXPECT_TRUE(contains(dup.error().message, "Ann Lee")) << dup.error().message;
    EXPECT_TRUE(contains(dup.error().message, ann.id)) << dup.error().message;
    EXPECT_EQ(customerCount(s), 1);
}

TEST(CrmCustomer, ConsentTimeIsRecordedOnlyWithConsent) {
    Store s;
    core::Crm crm(s.ctx);
    core::Customer contact = person("Ann", "Lee", "555-010-2000");
    contact.consentContact = true;
    core::Customer marketing = person("Bob", "Stone", "555-010-2001");
    marketing.consentMarketing = true;
    core::Customer none = person("Cara", "Diaz", "555-010-2002");
    none.consentAt = "2020-01-01T00:00:00Z"; // a stale value from a form must not be kept without consent

    const auto a = mustAdd(crm, contact);
    const auto b = mustAdd(crm, marketing);
    const auto c = mustAdd(crm, none);
    EXPECT_EQ(a.consentAt, kNow);
    EXPECT_EQ(b.consentAt, kNow);
    EXPECT_EQ(c.consentAt, "");
    EXPECT_EQ(text(s.conn, "SELECT consent_at FROM customers WHERE id = ?", a.id), std::string(kNow));
    EXPECT_EQ(text(s.conn, "SELECT consent_at FROM customers WHERE id = ?", b.id), std::string(kNow));
    EXPECT_EQ(text(s.conn, "SELECT consent_at FROM customers WHERE id = ?", c.id), std::nullopt);
    EXPECT_TRUE(crm.customer(a.id)->consentContact);
    EXPECT_FALSE(crm.customer(c.id)->consentContact);
}

TEST(CrmCustomer, SearchFindsByNameEmailAndPhoneDigits) {
    Store s;
    core::Crm crm(s.ctx);
    mustAdd(crm, person("Ann", "Lee", "+1 555-010-2000", "ann.lee@example.com"));
    mustAdd(crm, person("Bob", "Stone", "555-777-1234", "bob@stone.example.org"));
    mustAdd(crm, person("Cara", "Leeds", "", "cara@example.com"));
    mustAdd(crm, person("Dan", "Okafor", "(312) 555-0199"));

    EXPECT_EQ(search(crm, "lee"), (std::vector<std::string>{"Ann Lee", "Cara Leeds"}));
    EXPECT_EQ(search(crm, "Ann Lee"), (std::vector<std::string>{"Ann Lee"}));
    EXPECT_EQ(search(crm, "example.org"), (std::vector<std::string>{"Bob Stone"}));
    EXPECT_EQ(search(crm, "cara@"), (std::vector<std::string>{"Cara Leeds"}));
    EXPECT_EQ(search(crm, "010-2000"), (std::vector<std::string>{"Ann Lee"}));
    EXPECT_EQ(search(crm, "(555) 010 2000"), (std::vector<std::string>{"Ann Lee"}));
    EXPECT_EQ(search(crm, "+1 312 555 0199"), (std::vector<std::string>{"Dan Okafor"}));
    EXPECT_EQ(search(crm, "7771234"), (std::vector<std::string>{"Bob Stone"}));
    EXPECT_EQ(search(crm, "nobody"), std::vector<std::string>{});
    EXPECT_EQ(search(crm, "").size(), 4u);
}

TEST(CrmCustomer, SearchTreatsLikeWildcardsAsPlainCharacters) {
    Store s;
    core::Crm crm(s.ctx);
    mustAdd(crm, person("Ann", "Lee", "", "ann_lee@example.com"));
    mustAdd(crm, person("Annxlee", "Jones", "", "annxlee@example.com")); // 'x' where '_' would match
    mustAdd(crm, person("Sales", "Desk", "", "sales%fleet@example.com"));
    mustAdd(crm, person("Bob", "Stone", "", "bob@example.com"));

    EXPECT_EQ(search(crm, "%"), (std::vector<std::string>{"Sales Desk"}));
    EXPECT_EQ(search(crm, "_"), (std::vector<std::string>{"Ann Lee"}));
    EXPECT_EQ(search(crm, "ann_lee"), (std::vector<std::string>{"Ann Lee"}));
    EXPECT_EQ(search(crm, "s%f"), (std::vector<std::string>{"Sales Desk"}));
    EXPECT_EQ(search(crm, "%fleet@example.com"), (std::vector<std::string>{"Sales Desk"}));
    EXPECT_EQ(search(crm, "\\"), std::vector<std::string>{});
    EXPECT_EQ(search(crm, "'; DROP TABLE customers; --"), std::vector<std::string>{});
    EXPECT_EQ(customerCount(s), 4);
}

TEST(CrmCustomer, SearchIgnoresTheCaseOfAccentedLetters) {
    // Names are typed as people spell them; "élodie" must find "Élodie" as "ann" finds "Ann".
    // (Vehicle search already folds case and accents: its index uses unicode61 remove_diacritics.)
    Store s;
    core::Crm crm(s.ctx);
    mustAdd(crm, person("Élodie", "Müller", "555-010-4000"));
    mustAdd(crm, person("Ann", "Lee", "555-010-2000"));
    EXPECT_EQ(search(crm, "Élodie"), (std::vector<std::string>{"Élodie Müller"}));
    EXPECT_EQ(search(crm, "élodie"), (std::vector<std::string>{"Élodie Müller"}));
    EXPECT_EQ(search(crm, "MÜLLER"), (std::vector<std::string>{"Élodie Müller"}));
}

// ---- leads -----------------------------------------------------------------------------------------------

struct LeadSetup {
    core::Customer customer;
    core::Vehicle vehicle;
};

core::Vehicle mustAddVehicle(Store& s, std::string vin, std::int64_t odometer = 12,
                             VehicleStatus status = VehicleStatus::InStock) {
    core::Vehicle v;
    v.vin = std::move(vin);
    v.year = 2024;
    v.make = "Tesla";
    v.model = "Model 3";
    v.price = 4'299'000;
    v.odometer = odometer;
    v.status = status;
    auto added = core::Inventory(s.ctx).add(v);
    if (!added) {
        ADD_FAILURE() << "add " << v.vin << ": " << added.error().message;
        return v;
    }
    return *added;
}

std::int64_t historyRows(Store& s, const std::string& leadId) {
    return count(s.conn, "SELECT count(*) FROM lead_stage_history WHERE lead_id = ?", leadId);
}

core::Lead mustOpen(Store& s, const core::Customer& c, std::optional<std::string> vehicle = std::nullopt) {
    auto lead = core::Crm(s.ctx).openLead(c.id, std::move(vehicle), std::nullopt, "web");
    if (!lead) {
        ADD_FAILURE() << "openLead: " << lead.error().message;
        return {};
    }
    return *lead;
}

TEST(CrmLead, OpensAtInquiryWithAStageHistoryRow) {
    Store s;
    core::Crm crm(s.ctx);
    const auto ann = mustAdd(crm, person("Ann", "Lee", "555-010-2000"));
    const auto car = mustAddVehicle(s, core::demo::makeVin("5YJ", 2024, 1));

    auto lead = crm.openLead(ann.id, car.stockNo, std::nullopt, "web");
    ASSERT_TRUE(lead.ok()) << lead.error().message;
    EXPECT_EQ(lead->stage, LeadStage::Inquiry);
    EXPECT_EQ(lead->customerId, ann.id);
    EXPECT_EQ(lead->vehicleId, car.id) << "the stock number is resolved to the vehicle";
    EXPECT_EQ(lead->source, "web");
    EXPECT_EQ(lead->stageChangedAt, kNow);

    EXPECT_EQ(crm.lead(lead->id)->stage, LeadStage::Inquiry);
    EXPECT_EQ(historyRows(s, lead->id), 1);
    EXPECT_EQ(count(s.conn,
                    "SELECT count(*) FROM lead_stage_history WHERE lead_id = ? AND from_stage IS NULL "
                    "AND to_stage = 'inquiry'",
                    lead->id),
              1);
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM outbox WHERE type = 'lead.opened' AND entity_id = ?", lead->id), 1);

    auto nobody = crm.openLead("no-such-customer", std::nullopt, std::nullopt, "web");
    ASSERT_FALSE(nobody.ok());
    EXPECT_EQ(nobody.error().code, ErrorCode::NotFound);
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM leads"), 1);
}

TEST(CrmLead, MovesThroughEveryPipelineStageRecordingEachStep) {
    Store s;
    core::Crm crm(s.ctx);
    const auto lead = mustOpen(s, mustAdd(crm, person("Ann", "Lee", "555-010-2000")));
    LeadStage from = LeadStage::Inquiry;
    std::int64_t moves = 0;
    for (LeadStage to : core::pipelineStages()) {
        if (to == LeadStage::Inquiry) continue;
        s.clock.advance(86400);
        auto moved = crm.moveLead(lead.id, to);
        ASSERT_TRUE(moved.ok()) << core::toString(to) << ": " << moved.error().message;
        ++moves;
        EXPECT_EQ(moved->stage, to);
        EXPECT_EQ(moved->stageChangedAt, core::formatUtc(s.clock.now()));
        EXPECT_EQ(historyRows(s, lead.id), 1 + moves);
        EXPECT_EQ(count(s.conn,
                        "SELECT count(*) FROM lead_stage_history WHERE lead_id = ? AND from_stage = ? AND to_stage = ?",
                        lead.id, core::toString(from), core::toString(to)),
                  1)
            << core::toString(from) << " -> " << core::toString(to);
        EXPECT_EQ(count(s.conn, "SELECT count(*) FROM outbox WHERE type = 'lead.moved' AND entity_id = ?", lead.id),
                  moves);
        from = to;
    }
    EXPECT_EQ(moves, 6);
    EXPECT_EQ(crm.lead(lead.id)->stage, LeadStage::FollowUp);
}

TEST(CrmLead, StagesCanBeSkippedButNeverGoBack) {
    Store s;
    core::Crm crm(s.ctx);
    const auto lead = mustOpen(s, mustAdd(crm, person("Ann", "Lee", "555-010-2000")));
    auto quoted = crm.moveLead(lead.id, LeadStage::Quote); // not every buyer test-drives
    ASSERT_TRUE(quoted.ok()) << quoted.error().message;
    const auto history = historyRows(s, lead.id);
    const auto outbox = count(s.conn, "SELECT count(*) FROM outbox");

    for (LeadStage back : {LeadStage::Visit, LeadStage::Inquiry, LeadStage::TestDrive, LeadStage::Quote}) {
        auto refused = crm.moveLead(lead.id, back);
        ASSERT_FALSE(refused.ok()) << core::toString(back);
        EXPECT_EQ(refused.error().code, ErrorCode::InvalidTransition) << core::toString(back);
    }
    EXPECT_EQ(crm.lead(lead.id)->stage, LeadStage::Quote);
    EXPECT_EQ(historyRows(s, lead.id), history);
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM outbox"), outbox);
}

TEST(CrmLead, LostNeedsAReasonAndCanBeReopenedAsInquiry) {
    Store s;
    core::Crm crm(s.ctx);
    const auto lead = mustOpen(s, mustAdd(crm, person("Ann", "Lee", "555-010-2000")));
    ASSERT_TRUE(crm.moveLead(lead.id, LeadStage::Visit).ok());

    for (std::string reason : {"", "   ", "\t"}) {
        auto refused = crm.moveLead(lead.id, LeadStage::Lost, reason);
        ASSERT_FALSE(refused.ok()) << "'" << reason << "'";
        EXPECT_EQ(refused.error().code, ErrorCode::InvalidInput);
    }
    EXPECT_EQ(crm.lead(lead.id)->stage, LeadStage::Visit);

    auto lost = crm.moveLead(lead.id, LeadStage::Lost, "  bought elsewhere ");
    ASSERT_TRUE(lost.ok()) << lost.error().message;
    EXPECT_EQ(lost->stage, LeadStage::Lost);
    EXPECT_EQ(lost->lostReason, "bought elsewhere");

    auto skipAhead = crm.moveLead(lead.id, LeadStage::Quote);
    ASSERT_FALSE(skipAhead.ok());
    EXPECT_EQ(skipAhead.error().code, ErrorCode::InvalidTransition);

    auto reopened = crm.moveLead(lead.id, LeadStage::Inquiry);
    ASSERT_TRUE(reopened.ok()) << reopened.error().message;
    EXPECT_EQ(reopened->stage, LeadStage::Inquiry);
    EXPECT_EQ(reopened->lostReason, std::nullopt) << "a reopened lead is no longer lost";
    EXPECT_EQ(count(s.conn,
                    "SELECT count(*) FROM lead_stage_history WHERE lead_id = ? AND from_stage = 'lost' "
                    "AND to_stage = 'inquiry'",
                    lead.id),
              1);
}

TEST(CrmLead, DeliveredCustomerCannotBeMarkedLost) {
    Store s;
    core::Crm crm(s.ctx);
    const auto lead = mustOpen(s, mustAdd(crm, person("Ann", "Lee", "555-010-2000")));
    ASSERT_TRUE(crm.moveLead(lead.id, LeadStage::Delivered).ok());
    auto lost = crm.moveLead(lead.id, LeadStage::Lost, "changed their mind");
    ASSERT_FALSE(lost.ok());
    EXPECT_EQ(lost.error().code, ErrorCode::InvalidTransition);
    EXPECT_EQ(crm.lead(lead.id)->stage, LeadStage::Delivered);
}

// ---- follow-ups ------------------------------------------------------------------------------------------

TEST(CrmFollowUp, DueListShowsOverdueAndTodayInDueOrderButNotTomorrow) {
    Store s;
    core::Crm crm(s.ctx);
    const auto lead = mustOpen(s, mustAdd(crm, person("Ann", "Lee", "555-010-2000")));
    const std::pair<std::string, std::string> planned[] = {
        {"2026-11-02", "tomorrow, midnight"},
        {"2026-11-01T23:59:59Z", "today, last second"},
        {"2026-10-28", "overdue"},
        {"2026-11-01T09:00:00Z", "today, morning"},
        {"2026-11-05T12:00:00Z", "next week"},
        {"2026-10-31T18:30:00Z", "yesterday evening"},
    };
    for (const auto& [due, note] : planned) {
        auto added = crm.addFollowUp(lead.id, due, note);
        ASSERT_TRUE(added.ok()) << due << ": " << added.error().message;
    }

    auto due = crm.dueFollowUps("2026-11-01");
    ASSERT_TRUE(due.ok()) << due.error().message;
    std::vector<std::string> notes;
    for (const auto& f : *due)
        notes.push_back(f.note);
    EXPECT_EQ(notes,
              (std::vector<std::string>{"overdue", "yesterday evening", "today, morning", "today, last second"}));
    ASSERT_FALSE(due->empty());
    EXPECT_EQ(due->front().dueAt, "2026-10-28T00:00:00Z");

    auto tomorrow = crm.dueFollowUps("2026-11-02");
    ASSERT_TRUE(tomorrow.ok());
    EXPECT_EQ(tomorrow->size(), 5u);

    auto badDay = crm.dueFollowUps("next tuesday");
    ASSERT_FALSE(badDay.ok());
    EXPECT_EQ(badDay.error().code, ErrorCode::InvalidInput);
}

TEST(CrmFollowUp, CompletingOneRemovesItAndCompletingTwiceIsRefused) {
    Store s;
    core::Crm crm(s.ctx);
    const auto lead = mustOpen(s, mustAdd(crm, person("Ann", "Lee", "555-010-2000")));
    auto call = crm.addFollowUp(lead.id, "2026-10-30", "call back");
    auto mail = crm.addFollowUp(lead.id, "2026-11-01T08:00:00Z", "send brochure");
    ASSERT_TRUE(call.ok() && mail.ok());

    s.clock.advance(600);
    auto done = crm.completeFollowUp(call->id);
    ASSERT_TRUE(done.ok()) << done.error().message;
    EXPECT_EQ(done->doneAt, core::formatUtc(s.clock.now()));

    auto due = crm.dueFollowUps("2026-11-01");
    ASSERT_TRUE(due.ok());
    ASSERT_EQ(due->size(), 1u);
    EXPECT_EQ(due->front().id, mail->id);

    const auto audit = count(s.conn, "SELECT count(*) FROM audit_log");
    s.clock.advance(600);
    auto twice = crm.completeFollowUp(call->id);
    ASSERT_FALSE(twice.ok());
    EXPECT_EQ(twice.error().code, ErrorCode::InvalidTransition);
    EXPECT_EQ(text(s.conn, "SELECT done_at FROM follow_ups WHERE id = ?", call->id), done->doneAt)
        << "the first completion time stays";
    EXPECT_EQ(count(s.conn, "SELECT count(*) FROM audit_log"), audit);

    auto missing = crm.completeFollowUp("no-such-follow-up");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, ErrorCode::NotFound);
}

// ---- test drives -----------------------------------------------------------------------------------------

struct DriveSetup {
    Store s;
    core::Crm crm{s.ctx};
    core::Customer ann = mustAdd(crm, person("Ann", "Lee", "555-010-2000"));
    core::Vehicle car = mustAddVehicle(s, core::demo::makeVin("5YJ", 2024, 1), 12);
};

std::int64_t driveCount(Store& s) {
    return count(s.conn, "SELECT count(*) FROM test_drives");
}

TEST(CrmTestDrive, RefusedWithoutALicenceCheck) {
    DriveSetup t;
    auto drive = t.crm.startTestDrive(t.ann.id, t.car.id, std::nullopt, false, "D1234-5678-9012", "2030-01-01", 12);
    ASSERT_FALSE(drive.ok());
    EXPECT_EQ(drive.error().code, ErrorCode::InvalidInput);
    EXPECT_TRUE(contains(drive.error().message, "licence")) << drive.error().message;
    EXPECT_EQ(driveCount(t.s), 0);
}

TEST(CrmTestDrive, RefusedWithAnExpiredLicence) {
    DriveSetup t;
    auto expired = t.crm.startTestDrive(t.ann.id, t.car.id, std::nullopt, true, "D1234-5678-9012", "2026-10-31", 12);
    ASSERT_FALSE(expired.ok());
    EXPECT_EQ(expired.error().code, ErrorCode::InvalidInput);
    EXPECT_TRUE(contains(expired.error().message, "expired")) << expired.error().message;
    EXPECT_EQ(driveCount(t.s), 0);

    // A licence valid through today is still valid.
    auto today = t.crm.startTestDrive(t.ann.id, t.car.id, std::nullopt, true, "D1234-5678-9012", "2026-11-01", 12);
    ASSERT_TRUE(today.ok()) << today.error().message;
    EXPECT_EQ(today->licenceExpiry, "2026-11-01");
}

TEST(CrmTestDrive, RefusedForASoldVehicle) {
    DriveSetup t;
    const auto sold = mustAddVehicle(t.s, core::demo::makeVin("5YJ", 2024, 2), 30, VehicleStatus::Sold);
    auto drive = t.crm.startTestDrive(t.ann.id, sold.stockNo, std::nullopt, true, "D1234-5678-9012", "2030-01-01", 30);
    ASSERT_FALSE(drive.ok());
    EXPECT_TRUE(contains(drive.error().message, "sold")) << drive.error().message;
    EXPECT_EQ(driveCount(t.s), 0);
}

TEST(CrmTestDrive, SecondDriveOfTheSameCarWhileItIsOutIsAConflict) {
    DriveSetup t;
    const auto bob = mustAdd(t.crm, person("Bob", "Stone", "555-010-2001"));
    const auto other = mustAddVehicle(t.s, core::demo::makeVin("5YJ", 2024, 2), 40);
    auto first = t.crm.startTestDrive(t.ann.id, t.car.id, std::nullopt, true, "D1234-5678-9012", std::nullopt, 12);
    ASSERT_TRUE(first.ok()) << first.error().message;

    auto second = t.crm.startTestDrive(bob.id, t.car.vin, std::nullopt, true, "S9999-0000-1111", std::nullopt, 12);
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().code, ErrorCode::Conflict);
    EXPECT_TRUE(contains(second.error().message, t.car.stockNo)) << second.error().message;
    EXPECT_EQ(driveCount(t.s), 1);

    // Another car is free, and the first car is free again once it is back.
    EXPECT_TRUE(t.crm.startTestDrive(bob.id, other.id, std::nullopt, true, "S9999-0000-1111", std::nullopt, 40).ok());
    ASSERT_TRUE(t.crm.finishTestDrive(first->id, 20).ok());
    auto again = t.crm.startTestDrive(bob.id, t.car.id, std::nullopt, true, "S9999-0000-1111", std::nullopt, 20);
    EXPECT_TRUE(again.ok()) << again.error().message;
}

TEST(CrmTestDrive, KeepsOnlyTheLastFourLicenceCharacters) {
    DriveSetup t;
    auto drive = t.crm.startTestDrive(t.ann.id, t.car.id, std::nullopt, true, "D1234-5678-9012", "2030-01-01", 12);
    ASSERT_TRUE(drive.ok()) << drive.error().message;
    EXPECT_EQ(drive->licenceLast4, "9012");
    EXPECT_EQ(text(t.s.conn, "SELECT licence_last4 FROM test_drives WHERE id = ?", drive->id), "9012");
    ASSERT_TRUE(t.crm.finishTestDrive(drive->id, 20).ok());
    // The whole number appears nowhere: not in the row, the audit log or the events sent to headquarters.
    for (std::string_view part : {"D1234", "5678"}) {
        const std::string like = "%" + std::string(part) + "%";
        EXPECT_EQ(count(t.s.conn, "SELECT count(*) FROM test_drives WHERE licence_last4 LIKE ?", like), 0);
        EXPECT_EQ(count(t.s.conn, "SELECT count(*) FROM audit_log WHERE details LIKE ?", like), 0);
        EXPECT_EQ(count(t.s.conn, "SELECT count(*) FROM outbox WHERE payload LIKE ?", like), 0);
    }
}

TEST(CrmTestDrive, FinishingWithALowerOdometerIsRefused) {
    DriveSetup t;
    auto drive = t.crm.startTestDrive(t.ann.id, t.car.id, std::nullopt, true, "D1234-5678-9012", std::nullopt, 12);
    ASSERT_TRUE(drive.ok()) << drive.error().message;

    auto back = t.crm.finishTestDrive(drive->id, 11);
    ASSERT_FALSE(back.ok());
    EXPECT_EQ(back.error().code, ErrorCode::InvalidInput);
    EXPECT_TRUE(contains(back.error().message, "11")) << back.error().message;
    EXPECT_EQ(text(t.s.conn, "SELECT in_at FROM test_drives WHERE id = ?", drive->id), std::nullopt)
        << "the drive is still out";
    EXPECT_EQ(core::Inventory(t.s.ctx).find(t.car.id)->odometer, 12);

    auto done = t.crm.finishTestDrive(drive->id, 12); // parked in the same spot: zero miles is fine
    ASSERT_TRUE(done.ok()) << done.error().message;
    auto twice = t.crm.finishTestDrive(drive->id, 30);
    ASSERT_FALSE(twice.ok());
    EXPECT_EQ(twice.error().code, ErrorCode::InvalidTransition);
}

TEST(CrmTestDrive, FinishingUpdatesTheOdometerAndTheLeadReachesTestDrive) {
    DriveSetup t;
    const auto lead = mustOpen(t.s, t.ann, t.car.id);
    ASSERT_TRUE(t.crm.moveLead(lead.id, LeadStage::Visit).ok());

    t.s.clock.advance(600);
    auto drive = t.crm.startTestDrive(t.ann.id, t.car.stockNo, lead.id, true, "D1234-5678-9012", "2030-01-01", 12);
    ASSERT_TRUE(drive.ok()) << drive.error().message;
    EXPECT_EQ(drive->outAt, core::formatUtc(t.s.clock.now()));
    t.s.clock.advance(1800);
    auto done = t.crm.finishTestDrive(drive->id, 27);
    ASSERT_TRUE(done.ok()) << done.error().message;
    EXPECT_EQ(done->odometerIn, 27);
    EXPECT_EQ(done->inAt, core::formatUtc(t.s.clock.now()));

    EXPECT_EQ(core::Inventory(t.s.ctx).find(t.car.id)->odometer, 27);
    EXPECT_EQ(t.crm.lead(lead.id)->stage, LeadStage::TestDrive);
    EXPECT_EQ(count(t.s.conn,
                    "SELECT count(*) FROM lead_stage_history WHERE lead_id = ? AND from_stage = 'visit' "
                    "AND to_stage = 'test_drive'",
                    lead.id),
              1);
    EXPECT_EQ(
        count(t.s.conn, "SELECT count(*) FROM outbox WHERE type = 'test_drive.finished' AND entity_id = ?", drive->id),
        1);
}

TEST(CrmTestDrive, LeadAlreadyPastTestDriveStaysWhereItIs) {
    DriveSetup t;
    const auto lead = mustOpen(t.s, t.ann, t.car.id);
    ASSERT_TRUE(t.crm.moveLead(lead.id, LeadStage::Quote).ok());
    const auto history = historyRows(t.s, lead.id);
    auto drive = t.crm.startTestDrive(t.ann.id, t.car.id, lead.id, true, "D1234-5678-9012", std::nullopt, 12);
    ASSERT_TRUE(drive.ok()) << drive.error().message;
    ASSERT_TRUE(t.crm.finishTestDrive(drive->id, 20).ok());
    EXPECT_EQ(t.crm.lead(lead.id)->stage, LeadStage::Quote);
    EXPECT_EQ(historyRows(t.s, lead.id), history);
}

} // namespace
