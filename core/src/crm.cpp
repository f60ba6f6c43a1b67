#include "showroom/core/crm.hpp"

#include "showroom/core/inventory.hpp"
#include "showroom/core/json.hpp"

namespace showroom::core {

namespace {

constexpr std::string_view kCustomerColumns =
    "id, store_id, first_name, last_name, phone, email, street, city, state, postal_code, consent_contact, "
    "consent_marketing, consent_at, source, created_at, updated_at";

Customer readCustomer(const db::Statement& s) {
    Customer c;
    c.id = s.getText(0);
    c.storeId = s.getText(1);
    c.firstName = s.getText(2);
    c.lastName = s.getText(3);
    c.phone = s.getText(4);
    c.email = s.getText(5);
    c.street = s.getText(6);
    c.city = s.getText(7);
    c.state = s.getText(8);
    c.postalCode = s.getText(9);
    c.consentContact = s.getInt(10) != 0;
    c.consentMarketing = s.getInt(11) != 0;
    c.consentAt = s.getText(12);
    c.source = s.getText(13);
    c.createdAt = s.getText(14);
    c.updatedAt = s.getText(15);
    return c;
}

constexpr std::string_view kLeadColumns = "id, store_id, customer_id, vehicle_id, salesperson_id, stage, source, "
                                          "lost_reason, stage_changed_at, created_at, updated_at";

Lead readLead(const db::Statement& s) {
    Lead l;
    l.id = s.getText(0);
    l.storeId = s.getText(1);
    l.customerId = s.getText(2);
    l.vehicleId = s.getOptionalText(3);
    l.salespersonId = s.getOptionalText(4);
    l.stage = parseLeadStage(s.getText(5)).value();
    l.source = s.getText(6);
    l.lostReason = s.getOptionalText(7);
    l.stageChangedAt = s.getText(8);
    l.createdAt = s.getText(9);
    l.updatedAt = s.getText(10);
    return l;
}

constexpr std::string_view kFollowUpColumns = "id, lead_id, assigned_to, due_at, note, done_at, created_at";

FollowUp readFollowUp(const db::Statement& s) {
    return FollowUp{s.getText(0), s.getText(1),           s.getOptionalText(2), s.getText(3),
                    s.getText(4), s.getOptionalText(5), s.getText(6)};
}

constexpr std::string_view kTestDriveColumns =
    "id, lead_id, customer_id, vehicle_id, staff_id, licence_checked, licence_last4, licence_expiry, out_at, in_at, "
    "odometer_out, odometer_in";

TestDrive readTestDrive(const db::Statement& s) {
    TestDrive t;
    t.id = s.getText(0);
    t.leadId = s.getOptionalText(1);
    t.customerId = s.getText(2);
    t.vehicleId = s.getText(3);
    t.staffId = s.getOptionalText(4);
    t.licenceChecked = s.getInt(5) != 0;
    t.licenceLast4 = s.getText(6);
    t.licenceExpiry = s.getOptionalText(7);
    t.outAt = s.getText(8);
    t.inAt = s.getOptionalText(9);
    t.odometerOut = s.getInt(10);
    t.odometerIn = s.getOptionalInt(11);
    return t;
}

template <class T, class Reader>
Result<T> fetchById(db::Connection& db, std::string_view table, std::string_view columns, std::string_view id,
                    std::string_view what, Reader read) {
    auto stmt = db.prepare("SELECT " + std::string(columns) + " FROM " + std::string(table) + " WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bindAll(id);
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return fail(ErrorCode::NotFound, "no " + std::string(what) + " with id '" + std::string(id.substr(0, 40)) + "'");
    return read(*stmt);
}

template <class T, class Reader>
Result<std::vector<T>> fetchAll(db::Statement& stmt, Reader read) {
    std::vector<T> out;
    for (;;) {
        auto row = stmt.step();
        if (!row) return row.error();
        if (!*row) return out;
        out.push_back(read(stmt));
    }
}

std::string trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return std::string(s);
}

} // namespace

Result<Customer> Crm::addCustomer(Customer c) {
    c.firstName = trimmed(c.firstName);
    c.lastName = trimmed(c.lastName);
    if (c.firstName.empty() && c.lastName.empty()) return fail(ErrorCode::InvalidInput, "a customer needs a name");
    if (c.firstName.size() > 100 || c.lastName.size() > 100)
        return fail(ErrorCode::InvalidInput, "a name longer than 100 characters is not plausible");
    const std::string phone = normalisePhone(c.phone);
    if (!c.phone.empty() && (phone.size() < 7 || phone.size() > 15))
        return fail(ErrorCode::InvalidInput, "'" + c.phone.substr(0, 30) + "' is not a phone number");
    if (!c.email.empty()) {
        const std::string email = normaliseEmail(c.email);
        if (email.empty()) return fail(ErrorCode::InvalidInput, "'" + c.email.substr(0, 60) + "' is not an e-mail address");
        c.email = email;
    }
    if (phone.empty() && c.email.empty())
        return fail(ErrorCode::InvalidInput, "a customer needs a phone number or an e-mail address");

    auto tx = db::Transaction::begin(m_ctx.db);
    if (!tx) return tx.error();
    if (c.storeId.empty()) {
        auto store = localStoreId(m_ctx.db);
        if (!store) return store.error();
        c.storeId = *store;
    }
    // The same person twice splits their history: match on normalised phone and e-mail first.
    auto same = m_ctx.db.prepare("SELECT id, first_name, last_name, email = ?2 FROM customers WHERE store_id = ?1 "
                                 "AND ((?2 <> '' AND email = ?2) OR (?3 <> '' AND phone_key = ?3)) LIMIT 1");
    if (!same) return same.error();
    same->bindAll(c.storeId, c.email, phone);
    auto hit = same->step();
    if (!hit) return hit.error();
    if (*hit)
        return fail(ErrorCode::Duplicate, (same->getInt(3) ? "e-mail " + c.email : "phone " + c.phone) +
                                              " already belongs to customer " + same->getText(1) + " " +
                                              same->getText(2) + " (" + same->getText(0) + ")");
    const std::string now = m_ctx.now();
    c.id = m_ctx.ids.uuid();
    c.createdAt = c.updatedAt = now;
    if (c.consentContact || c.consentMarketing) {
        if (c.consentAt.empty()) c.consentAt = now;
    } else {
        c.consentAt.clear();
    }
    auto stmt = m_ctx.db.prepare("INSERT INTO customers(" + std::string(kCustomerColumns) +
                                 ", phone_key) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!stmt) return stmt.error();
    stmt->bindAll(c.id, c.storeId, c.firstName, c.lastName, c.phone, c.email, c.street, c.city, c.state,
                  c.postalCode, c.consentContact ? 1 : 0, c.consentMarketing ? 1 : 0,
                  c.consentAt.empty() ? std::optional<std::string>() : std::optional<std::string>(c.consentAt),
                  c.source, c.createdAt, c.updatedAt, phone);
    if (auto st = stmt->run(); !st) return st.error();
    if (auto st = record(m_ctx, "customer.added", "customer", c.id, c); !st) return st.error();
    if (auto st = tx->commit(); !st) return st.error();
    return c;
}

Result<Customer> Crm::customer(std::string_view id) {
    return fetchById<Customer>(m_ctx.db, "customers", kCustomerColumns, id, "customer", readCustomer);
}

Status Crm::recordContactConsent(std::string_view customerId) {
    auto tx = db::Transaction::begin(m_ctx.db);
    if (!tx) return tx.error();
    auto c = customer(customerId);
    if (!c) return c.error();
    if (c->consentContact) return tx->commit();
    const std::string now = m_ctx.now();
    auto stmt = m_ctx.db.prepare("UPDATE customers SET consent_contact = 1, consent_at = ?, updated_at = ? WHERE id = ?");
    if (!stmt) return stmt.error();
    if (auto st = stmt->bindAll(now, now, c->id).run(); !st) return st;
    if (auto st = record(m_ctx, "customer.consent_given", "customer", c->id, {{"consent_contact", true}, {"at", now}});
        !st)
        return st;
    return tx->commit();
}

Result<std::optional<Customer>> Crm::findByContact(std::string_view phone, std::string_view email) {
    auto store = localStoreId(m_ctx.db);
    if (!store) return store.error();
    auto stmt = m_ctx.db.prepare("SELECT " + std::string(kCustomerColumns) + " FROM customers WHERE store_id = ?1 AND "
                                 "((?2 <> '' AND phone_key = ?2) OR (?3 <> '' AND email = ?3)) LIMIT 1");
    if (!stmt) return stmt.error();
    stmt->bindAll(*store, normalisePhone(phone), normaliseEmail(email));
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return std::optional<Customer>();
    return std::optional<Customer>(readCustomer(*stmt));
}

Result<std::vector<Customer>> Crm::customers(const CustomerQuery& q) {
    const std::string digits = normalisePhone(q.text);
    auto stmt = m_ctx.db.prepare(
        "SELECT " + std::string(kCustomerColumns) +
        " FROM customers WHERE ?1 = '' OR showroom_fold(first_name || ' ' || last_name) LIKE '%' || showroom_fold(?1) "
        "|| '%' ESCAPE '\\' OR email LIKE '%' || ?1 || '%' ESCAPE '\\' OR (?2 <> '' AND phone_key LIKE '%' || ?2 || '%') ORDER BY last_name, first_name LIMIT ?3 OFFSET ?4");
    if (!stmt) return stmt.error();
    // LIKE wildcards typed by a person are literal characters, not patterns.
    std::string escaped;
    for (char c : q.text) {
        if (c == '%' || c == '_' || c == '\\') escaped += '\\';
        escaped += c;
    }
    stmt->bindAll(escaped, digits.size() >= 3 ? digits : std::string(), q.limit, q.offset);
    return fetchAll<Customer>(*stmt, readCustomer);
}

Result<Lead> Crm::openLead(std::string_view customerId, std::optional<std::string> vehicleId,
                           std::optional<std::string> salespersonId, std::string_view source) {
    auto tx = db::Transaction::begin(m_ctx.db);
    if (!tx) return tx.error();
    auto c = customer(customerId);
    if (!c) return c.error();
    if (vehicleId) {
        auto v = Inventory(m_ctx).find(*vehicleId);
        if (!v) return v.error();
        vehicleId = v->id;
    }
    Lead l;
    l.id = m_ctx.ids.uuid();
    l.storeId = c->storeId;
    l.customerId = c->id;
    l.vehicleId = vehicleId;
    l.salespersonId = salespersonId;
    l.source = source.empty() ? "walk_in" : std::string(source);
    l.stageChangedAt = l.createdAt = l.updatedAt = m_ctx.now();
    auto stmt = m_ctx.db.prepare("INSERT INTO leads(" + std::string(kLeadColumns) + ") VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    if (!stmt) return stmt.error();
    stmt->bindAll(l.id, l.storeId, l.customerId, l.vehicleId, l.salespersonId, toString(l.stage), l.source,
                  l.lostReason, l.stageChangedAt, l.createdAt, l.updatedAt);
    if (auto st = stmt->run(); !st) return st.error();
    auto history = m_ctx.db.prepare(
        "INSERT INTO lead_stage_history(lead_id, from_stage, to_stage, staff_id, at) VALUES (?, NULL, ?, ?, ?)");
    if (!history) return history.error();
    if (auto st = history->bindAll(l.id, toString(l.stage), salespersonId, l.createdAt).run(); !st) return st.error();
    if (auto st = record(m_ctx, "lead.opened", "lead", l.id, l); !st) return st.error();
    if (auto st = tx->commit(); !st) return st.error();
    return l;
}

Result<Lead> Crm::lead(std::string_view id) {
    return fetchById<Lead>(m_ctx.db, "leads", kLeadColumns, id, "lead", readLead);
}

Result<std::vector<Lead>> Crm::leads(const LeadQuery& q) {
    auto stmt = m_ctx.db.prepare("SELECT " + std::string(kLeadColumns) +
                                 " FROM leads WHERE (?1 IS NULL OR stage = ?1) AND (?2 IS NULL OR customer_id = ?2) "
                                 "AND (?3 IS NULL OR salesperson_id = ?3) ORDER BY stage_changed_at DESC LIMIT ?4");
    if (!stmt) return stmt.error();
    std::optional<std::string> stage;
    if (q.stage) stage = std::string(toString(*q.stage));
    stmt->bindAll(stage, q.customerId, q.salespersonId, q.limit);
    return fetchAll<Lead>(*stmt, readLead);
}

Result<Lead> Crm::moveLead(std::string_view leadId, LeadStage to, std::string_view lostReason) {
    if (to == LeadStage::Lost && trimmed(lostReason).empty())
        return fail(ErrorCode::InvalidInput, "say why the lead was lost (e.g. \"bought elsewhere\")");
    auto tx = db::Transaction::begin(m_ctx.db);
    if (!tx) return tx.error();
    auto l = lead(leadId);
    if (!l) return l.error();
    if (auto st = checkLeadTransition(l->stage, to); !st) return st.error();
    const std::string now = m_ctx.now();
    auto stmt = m_ctx.db.prepare(
        "UPDATE leads SET stage = ?, lost_reason = ?, stage_changed_at = ?, updated_at = ? WHERE id = ?");
    if (!stmt) return stmt.error();
    std::optional<std::string> reason;
    if (to == LeadStage::Lost) reason = trimmed(lostReason);
    if (auto st = stmt->bindAll(toString(to), reason, now, now, l->id).run(); !st) return st.error();
    auto history = m_ctx.db.prepare(
        "INSERT INTO lead_stage_history(lead_id, from_stage, to_stage, staff_id, at) VALUES (?, ?, ?, ?, ?)");
    if (!history) return history.error();
    std::optional<std::string> staff;
    if (m_ctx.actor.size() == 36) staff = m_ctx.actor;
    if (auto st = history->bindAll(l->id, toString(l->stage), toString(to), staff, now).run(); !st) return st.error();
    nlohmann::json details{{"from", toString(l->stage)}, {"to", toString(to)}, {"at", now}};
    if (reason) details["lost_reason"] = *reason;
    if (auto st = record(m_ctx, "lead.moved", "lead", l->id, details); !st) return st.error();
    if (auto st = tx->commit(); !st) return st.error();
    return lead(l->id);
}

Status Crm::logActivity(std::string_view leadId, std::string_view kind, std::string_view body) {
    static constexpr std::string_view kKinds[] = {"note", "call", "email", "sms", "visit", "test_drive", "quote"};
    if (std::find(std::begin(kKinds), std::end(kKinds), kind) == std::end(kKinds))
        return fail(ErrorCode::InvalidInput, "'" + std::string(kind.substr(0, 20)) +
                                                 "' is not an activity (note, call, email, sms, visit, test_drive, quote)");
    auto tx = db::Transaction::begin(m_ctx.db);
    if (!tx) return tx.error();
    auto l = lead(leadId);
    if (!l) return l.error();
    const std::string id = m_ctx.ids.uuid();
    auto stmt = m_ctx.db.prepare(
        "INSERT INTO lead_activities(id, lead_id, kind, body, staff_id, created_at) VALUES (?, ?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    std::optional<std::string> staff;
    if (m_ctx.actor.size() == 36) staff = m_ctx.actor;
    if (auto st = stmt->bindAll(id, l->id, kind, body, staff, m_ctx.now()).run(); !st) return st;
    if (auto st = record(m_ctx, "lead.activity", "lead", l->id, {{"activity_id", id}, {"kind", kind}, {"body", body}});
        !st)
        return st;
    return tx->commit();
}

Result<FollowUp> Crm::addFollowUp(std::string_view leadId, std::string_view dueAt, std::string_view note,
                                  std::optional<std::string> assignedTo) {
    auto due = parseUtc(dueAt);
    if (!due) return due.error();
    auto tx = db::Transaction::begin(m_ctx.db);
    if (!tx) return tx.error();
    auto l = lead(leadId);
    if (!l) return l.error();
    FollowUp f{m_ctx.ids.uuid(), l->id, assignedTo ? assignedTo : l->salespersonId, formatUtc(*due),
               std::string(note), std::nullopt, m_ctx.now()};
    auto stmt = m_ctx.db.prepare("INSERT INTO follow_ups(" + std::string(kFollowUpColumns) + ") VALUES (?,?,?,?,?,?,?)");
    if (!stmt) return stmt.error();
    if (auto st = stmt->bindAll(f.id, f.leadId, f.assignedTo, f.dueAt, f.note, f.doneAt, f.createdAt).run(); !st)
        return st.error();
    if (auto st = record(m_ctx, "follow_up.added", "follow_up", f.id, f); !st) return st.error();
    if (auto st = tx->commit(); !st) return st.error();
    return f;
}

Result<FollowUp> Crm::completeFollowUp(std::string_view id) {
    auto tx = db::Transaction::begin(m_ctx.db);
    if (!tx) return tx.error();
    auto f = fetchById<FollowUp>(m_ctx.db, "follow_ups", kFollowUpColumns, id, "follow-up", readFollowUp);
    if (!f) return f.error();
    if (f->doneAt) return fail(ErrorCode::InvalidTransition, "this follow-up was already done at " + *f->doneAt);
    f->doneAt = m_ctx.now();
    auto stmt = m_ctx.db.prepare("UPDATE follow_ups SET done_at = ? WHERE id = ?");
    if (!stmt) return stmt.error();
    if (auto st = stmt->bindAll(f->doneAt, f->id).run(); !st) return st.error();
    if (auto st = record(m_ctx, "follow_up.done", "follow_up", f->id, *f); !st) return st.error();
    if (auto st = tx->commit(); !st) return st.error();
    return f;
}

Result<std::vector<FollowUp>> Crm::dueFollowUps(std::string_view day) {
    auto start = parseUtc(day);
    if (!start) return start.error();
    const std::string endOfDay = formatUtc(*start - *start % 86400 + 86399);
    auto stmt = m_ctx.db.prepare("SELECT " + std::string(kFollowUpColumns) +
                                 " FROM follow_ups WHERE done_at IS NULL AND due_at <= ? ORDER BY due_at");
    if (!stmt) return stmt.error();
    stmt->bindAll(endOfDay);
    return fetchAll<FollowUp>(*stmt, readFollowUp);
}

Result<TestDrive> Crm::startTestDrive(std::string_view customerId, std::string_view vehicleKey,
                                      std::optional<std::string> leadId, bool licenceChecked,
                                      std::string_view licenceNumber, std::optional<std::string> licenceExpiry,
                                      std::int64_t odometerOut) {
    if (!licenceChecked)
        return fail(ErrorCode::InvalidInput, "check the driver's licence before the test drive");
    if (odometerOut < 0) return fail(ErrorCode::InvalidInput, "the odometer cannot be negative");
    const std::string now = m_ctx.now();
    if (licenceExpiry) {
        auto expiry = parseUtc(*licenceExpiry);
        if (!expiry) return expiry.error();
        if (formatDate(*expiry) < now.substr(0, 10))
            return fail(ErrorCode::InvalidInput, "the driver's licence expired on " + formatDate(*expiry));
        licenceExpiry = formatDate(*expiry);
    }
    auto tx = db::Transaction::begin(m_ctx.db);
    if (!tx) return tx.error();
    auto c = customer(customerId);
    if (!c) return c.error();
    auto v = Inventory(m_ctx).find(vehicleKey);
    if (!v) return v.error();
    if (v->status != VehicleStatus::InStock && v->status != VehicleStatus::OnHold)
        return fail(ErrorCode::InvalidTransition, v->stockNo + " is " + std::string(toString(v->status)) +
                                                      ": only vehicles in stock can be test-driven");
    auto out = m_ctx.db.prepare("SELECT id FROM test_drives WHERE vehicle_id = ? AND in_at IS NULL");
    if (!out) return out.error();
    out->bindAll(v->id);
    auto busy = out->step();
    if (!busy) return busy.error();
    if (*busy) return fail(ErrorCode::Conflict, v->stockNo + " is already out on a test drive");
    TestDrive t;
    t.id = m_ctx.ids.uuid();
    t.leadId = leadId;
    t.customerId = c->id;
    t.vehicleId = v->id;
    if (m_ctx.actor.size() == 36) t.staffId = m_ctx.actor;
    t.licenceChecked = true;
    // Keep only what the dealership needs: the last four characters identify the card on file.
    // Scanners append CR/LF; those are not part of the number.
    const std::string number = trimmed(std::string(licenceNumber.substr(
        0, licenceNumber.find_last_not_of(" \t\r\n") == std::string_view::npos
               ? 0
               : licenceNumber.find_last_not_of(" \t\r\n") + 1)));
    t.licenceLast4 = number.size() > 4 ? number.substr(number.size() - 4) : number;
    t.licenceExpiry = licenceExpiry;
    t.outAt = now;
    t.odometerOut = odometerOut;
    auto stmt = m_ctx.db.prepare("INSERT INTO test_drives(" + std::string(kTestDriveColumns) +
                                 ", created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!stmt) return stmt.error();
    stmt->bindAll(t.id, t.leadId, t.customerId, t.vehicleId, t.staffId, 1, t.licenceLast4, t.licenceExpiry, t.outAt,
                  t.inAt, t.odometerOut, t.odometerIn, now);
    if (auto st = stmt->run(); !st) return st.error();
    if (auto st = record(m_ctx, "test_drive.started", "test_drive", t.id, t); !st) return st.error();
    if (leadId) {
        auto l = lead(*leadId);
        if (!l) return l.error();
        if (l->customerId != c->id)
            return fail(ErrorCode::InvalidInput, "lead " + *leadId + " belongs to another customer");
        const auto stages = pipelineStages();
        auto index = [&](LeadStage s) { return std::find(stages.begin(), stages.end(), s) - stages.begin(); };
        if (l->stage != LeadStage::Lost && index(l->stage) < index(LeadStage::TestDrive)) {
            auto moved = moveLead(l->id, LeadStage::TestDrive);
            if (!moved) return moved.error();
        }
    }
    if (auto st = tx->commit(); !st) return st.error();
    return t;
}

Result<TestDrive> Crm::finishTestDrive(std::string_view id, std::int64_t odometerIn) {
    auto tx = db::Transaction::begin(m_ctx.db);
    if (!tx) return tx.error();
    auto t = fetchById<TestDrive>(m_ctx.db, "test_drives", kTestDriveColumns, id, "test drive", readTestDrive);
    if (!t) return t.error();
    if (t->inAt) return fail(ErrorCode::InvalidTransition, "this test drive already ended at " + *t->inAt);
    if (odometerIn < t->odometerOut)
        return fail(ErrorCode::InvalidInput, "the odometer reads " + std::to_string(odometerIn) + ", less than the " +
                                                 std::to_string(t->odometerOut) + " it showed at the start");
    t->inAt = m_ctx.now();
    t->odometerIn = odometerIn;
    auto stmt = m_ctx.db.prepare("UPDATE test_drives SET in_at = ?, odometer_in = ? WHERE id = ?");
    if (!stmt) return stmt.error();
    if (auto st = stmt->bindAll(t->inAt, odometerIn, t->id).run(); !st) return st.error();
    auto odo = m_ctx.db.prepare("UPDATE vehicles SET odometer = max(odometer, ?), updated_at = ? WHERE id = ?");
    if (!odo) return odo.error();
    if (auto st = odo->bindAll(odometerIn, *t->inAt, t->vehicleId).run(); !st) return st.error();
    if (auto st = record(m_ctx, "test_drive.finished", "test_drive", t->id, *t); !st) return st.error();
    if (auto st = tx->commit(); !st) return st.error();
    return t;
}

} // namespace showroom::core
