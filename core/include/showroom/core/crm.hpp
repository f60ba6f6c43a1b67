#pragma once
// Customers, leads through the sales pipeline, follow-up tasks and test drives.
//
// Threading: borrows its Context's connection; use on that connection's thread. Every change is
// one transaction with its audit row and outbox event.

#include "showroom/core/domain.hpp"
#include "showroom/core/journal.hpp"

#include <optional>
#include <string>
#include <vector>

namespace showroom::core {

struct CustomerQuery {
    std::string text;   ///< matches name, phone digits or e-mail; empty lists everyone
    int limit = 50;
    int offset = 0;
};

struct LeadQuery {
    std::optional<LeadStage> stage;
    std::optional<std::string> customerId, salespersonId;
    int limit = 100;
};

class Crm {
public:
    explicit Crm(Context& ctx) : m_ctx(ctx) {}

    /// Adds a customer. Needs a first or last name and a phone or e-mail; a phone or e-mail that
    /// already belongs to a customer of this showroom -> Duplicate naming that customer.
    /// `consentContact` must be true for anyone who asked to be contacted from the kiosk.
    Result<Customer> addCustomer(Customer customer);
    Result<Customer> customer(std::string_view id);
    /// Records that the customer agreed, now, to be contacted (e.g. ticked the box at the kiosk).
    Status recordContactConsent(std::string_view customerId);
    /// The customer of this showroom with this phone (any format) or e-mail (any case), if any.
    Result<std::optional<Customer>> findByContact(std::string_view phone, std::string_view email);
    Result<std::vector<Customer>> customers(const CustomerQuery& query);

    /// Opens a lead at `inquiry` (or the given stage when importing history).
    Result<Lead> openLead(std::string_view customerId, std::optional<std::string> vehicleId,
                          std::optional<std::string> salespersonId, std::string_view source);
    Result<Lead> lead(std::string_view id);
    Result<std::vector<Lead>> leads(const LeadQuery& query);

    /// Moves a lead along the pipeline (see checkLeadTransition). `lost` needs a reason.
    Result<Lead> moveLead(std::string_view leadId, LeadStage to, std::string_view lostReason = "");
    /// Logs a call, note, e-mail ... against a lead.
    Status logActivity(std::string_view leadId, std::string_view kind, std::string_view body);

    /// Schedules a follow-up; `dueAt` is UTC ("YYYY-MM-DD" or full timestamp).
    Result<FollowUp> addFollowUp(std::string_view leadId, std::string_view dueAt, std::string_view note,
                                 std::optional<std::string> assignedTo = std::nullopt);
    Result<FollowUp> completeFollowUp(std::string_view followUpId);
    /// Open follow-ups due before the end of the given UTC day ("YYYY-MM-DD"), overdue first.
    Result<std::vector<FollowUp>> dueFollowUps(std::string_view day);

    /// Starts a test drive: the vehicle must be in stock and not already out; the licence must
    /// have been checked. Moves the lead to test_drive when it is earlier in the pipeline.
    Result<TestDrive> startTestDrive(std::string_view customerId, std::string_view vehicleId,
                                     std::optional<std::string> leadId, bool licenceChecked,
                                     std::string_view licenceNumber, std::optional<std::string> licenceExpiry,
                                     std::int64_t odometerOut);
    /// Ends a test drive; the odometer cannot go backwards. Updates the vehicle's odometer.
    Result<TestDrive> finishTestDrive(std::string_view testDriveId, std::int64_t odometerIn);

private:
    Context& m_ctx;
};

} // namespace showroom::core
