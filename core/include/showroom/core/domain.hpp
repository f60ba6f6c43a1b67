#pragma once
// The dealership's vocabulary: plain value types and the rules for moving between states.
//
// Every enum has toString() giving the exact word stored in SQLite and printed in JSON, and a
// parseX() that accepts that word (case-insensitive) and refuses anything else with InvalidInput.

#include "showroom/core/money.hpp"
#include "showroom/core/result.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace showroom::core {

enum class Condition { New, Used, Certified };
enum class VehicleStatus { Incoming, InStock, OnHold, Sold, Delivered, Transferred };
enum class LeadStage { Inquiry, Visit, TestDrive, Quote, Contract, Delivered, FollowUp, Lost };
enum class StaffRole { Sales, Manager, Finance, Porter, Admin };
enum class DealStatus { Draft, Signed, Delivered, Cancelled };
enum class PaymentMethod { Cash, Card, Check, Wire, Financing };

std::string_view toString(Condition);
std::string_view toString(VehicleStatus);
std::string_view toString(LeadStage);
std::string_view toString(StaffRole);
std::string_view toString(DealStatus);
std::string_view toString(PaymentMethod);

Result<Condition> parseCondition(std::string_view);
Result<VehicleStatus> parseVehicleStatus(std::string_view);
Result<LeadStage> parseLeadStage(std::string_view);
Result<StaffRole> parseStaffRole(std::string_view);
Result<DealStatus> parseDealStatus(std::string_view);
Result<PaymentMethod> parsePaymentMethod(std::string_view);

/// The vehicle lifecycle: incoming -> in_stock -> on_hold -> sold -> delivered, plus transferred.
/// `viaCancelledDeal` is how sold -> in_stock is allowed: only when a deal is cancelled.
/// Returns an explanation for a refused change, or success.
Status checkVehicleTransition(VehicleStatus from, VehicleStatus to, bool viaCancelledDeal = false);

/// The sales pipeline: inquiry -> visit -> test_drive -> quote -> contract -> delivered -> follow_up.
/// A lead moves forward (stages may be skipped: not every buyer test-drives), never back; any open
/// stage may become lost; a lost lead may be reopened as an inquiry.
Status checkLeadTransition(LeadStage from, LeadStage to);

/// The ordered pipeline stages without `lost`.
std::span<const LeadStage> pipelineStages();

struct Showroom {
    std::string id, code, name, city, region, timezone = "UTC";
};

struct Vehicle {
    std::string id;
    std::string storeId;
    std::string vin;
    std::string stockNo;
    Condition condition = Condition::New;
    int year = 0;
    std::string make, model, trim, body, fuel, drivetrain, transmission;
    std::string exteriorColor, interiorColor;
    std::int64_t odometer = 0;   ///< miles
    Cents msrp = 0, price = 0, cost = 0;
    std::vector<std::string> features;
    std::vector<std::string> photos;
    std::string lotLocation;
    VehicleStatus status = VehicleStatus::Incoming;
    std::string receivedAt, statusChangedAt, createdAt, updatedAt;
};

struct Customer {
    std::string id, storeId;
    std::string firstName, lastName, phone, email;
    std::string street, city, state, postalCode;
    bool consentContact = false, consentMarketing = false;
    std::string consentAt;
    std::string source = "walk_in";
    std::string createdAt, updatedAt;
    std::string fullName() const { return lastName.empty() ? firstName : firstName + " " + lastName; }
};

struct Lead {
    std::string id, storeId, customerId;
    std::optional<std::string> vehicleId, salespersonId;
    LeadStage stage = LeadStage::Inquiry;
    std::string source = "walk_in";
    std::optional<std::string> lostReason;
    std::string stageChangedAt, createdAt, updatedAt;
};

struct FollowUp {
    std::string id, leadId;
    std::optional<std::string> assignedTo;
    std::string dueAt, note;
    std::optional<std::string> doneAt;
    std::string createdAt;
};

struct TestDrive {
    std::string id;
    std::optional<std::string> leadId;
    std::string customerId, vehicleId;
    std::optional<std::string> staffId;
    bool licenceChecked = false;
    std::string licenceLast4;
    std::optional<std::string> licenceExpiry;
    std::string outAt;
    std::optional<std::string> inAt;
    std::int64_t odometerOut = 0;
    std::optional<std::int64_t> odometerIn;
};

struct StaffMember {
    std::string id, storeId, name, email;
    StaffRole role = StaffRole::Sales;
    bool active = true;
};

/// Normalises a phone number for matching: digits only, a leading US country code 1 dropped from
/// 11-digit numbers ("+1 (555) 010-2000" -> "5550102000").
std::string normalisePhone(std::string_view phone);
/// Lower-cases and trims an e-mail address; "" when it has no single '@' with text on both sides.
std::string normaliseEmail(std::string_view email);

/// Joins/splits the '; '-separated lists stored for features and photos.
std::string joinList(const std::vector<std::string>& items);
std::vector<std::string> splitList(std::string_view text);

} // namespace showroom::core
