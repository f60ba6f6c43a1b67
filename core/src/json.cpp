#include "showroom/core/json.hpp"

namespace showroom::core {

namespace {
template <class T>
nlohmann::json optional(const std::optional<T>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}
} // namespace

void to_json(nlohmann::json& j, const Showroom& s) {
    j = {{"id", s.id}, {"code", s.code}, {"name", s.name}, {"city", s.city}, {"region", s.region},
         {"timezone", s.timezone}};
}

void to_json(nlohmann::json& j, const Vehicle& v) {
    j = {{"id", v.id},
         {"store_id", v.storeId},
         {"vin", v.vin},
         {"stock_no", v.stockNo},
         {"condition", toString(v.condition)},
         {"year", v.year},
         {"make", v.make},
         {"model", v.model},
         {"trim", v.trim},
         {"body", v.body},
         {"fuel", v.fuel},
         {"drivetrain", v.drivetrain},
         {"transmission", v.transmission},
         {"exterior_color", v.exteriorColor},
         {"interior_color", v.interiorColor},
         {"odometer", v.odometer},
         {"msrp", formatCents(v.msrp)},
         {"price", formatCents(v.price)},
         {"cost", formatCents(v.cost)},
         {"features", v.features},
         {"photos", v.photos},
         {"lot_location", v.lotLocation},
         {"status", toString(v.status)},
         {"received_at", v.receivedAt},
         {"status_changed_at", v.statusChangedAt},
         {"created_at", v.createdAt},
         {"updated_at", v.updatedAt}};
}

void to_json(nlohmann::json& j, const Customer& c) {
    j = {{"id", c.id},
         {"store_id", c.storeId},
         {"first_name", c.firstName},
         {"last_name", c.lastName},
         {"phone", c.phone},
         {"email", c.email},
         {"street", c.street},
         {"city", c.city},
         {"state", c.state},
         {"postal_code", c.postalCode},
         {"consent_contact", c.consentContact},
         {"consent_marketing", c.consentMarketing},
         {"consent_at", c.consentAt.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.consentAt)},
         {"source", c.source},
         {"created_at", c.createdAt},
         {"updated_at", c.updatedAt}};
}

void to_json(nlohmann::json& j, const Lead& l) {
    j = {{"id", l.id},
         {"store_id", l.storeId},
         {"customer_id", l.customerId},
         {"vehicle_id", optional(l.vehicleId)},
         {"salesperson_id", optional(l.salespersonId)},
         {"stage", toString(l.stage)},
         {"source", l.source},
         {"lost_reason", optional(l.lostReason)},
         {"stage_changed_at", l.stageChangedAt},
         {"created_at", l.createdAt},
         {"updated_at", l.updatedAt}};
}

void to_json(nlohmann::json& j, const FollowUp& f) {
    j = {{"id", f.id},         {"lead_id", f.leadId}, {"assigned_to", optional(f.assignedTo)},
         {"due_at", f.dueAt},  {"note", f.note},      {"done_at", optional(f.doneAt)},
         {"created_at", f.createdAt}};
}

void to_json(nlohmann::json& j, const TestDrive& t) {
    j = {{"id", t.id},
         {"lead_id", optional(t.leadId)},
         {"customer_id", t.customerId},
         {"vehicle_id", t.vehicleId},
         {"staff_id", optional(t.staffId)},
         {"licence_checked", t.licenceChecked},
         {"licence_last4", t.licenceLast4},
         {"licence_expiry", optional(t.licenceExpiry)},
         {"out_at", t.outAt},
         {"in_at", optional(t.inAt)},
         {"odometer_out", t.odometerOut},
         {"odometer_in", optional(t.odometerIn)}};
}

namespace vin {
void to_json(nlohmann::json& j, const Report& r) {
    j = {{"input", r.input},
         {"vin", r.vin.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.vin)},
         {"valid", r.valid},
         {"check_digit_ok", r.checkDigitOk},
         {"errors", r.errors},
         {"warnings", r.warnings},
         {"wmi", r.wmi},
         {"manufacturer", r.manufacturer},
         {"region", r.region},
         {"country", r.country},
         {"model_year_candidates", r.modelYearCandidates},
         {"model_year_ambiguous", r.modelYearAmbiguous}};
}
} // namespace vin

} // namespace showroom::core
