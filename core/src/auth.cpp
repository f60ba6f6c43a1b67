#include "showroom/core/auth.hpp"

#include "showroom/core/inventory.hpp"

#include <nlohmann/json.hpp>
#include <sodium.h>

namespace showroom::core {

bool can(StaffRole role, Permission p) {
    switch (role) {
    case StaffRole::Admin:
    case StaffRole::Manager: return true;
    case StaffRole::Sales:
        return p == Permission::WorkLeads || p == Permission::DeskDeals || p == Permission::ManageInventory ||
               p == Permission::CheckIn;
    case StaffRole::Finance: return p == Permission::DeskDeals || p == Permission::WorkLeads;
    case StaffRole::Porter: return p == Permission::CheckIn || p == Permission::ManageInventory;
    }
    return false;
}

namespace {

constexpr std::string_view kColumns = "id, store_id, name, coalesce(email, ''), role, active";

StaffMember read(const db::Statement& s) {
    return StaffMember{s.getText(0), s.getText(1), s.getText(2), s.getText(3), parseStaffRole(s.getText(4)).value(),
                       s.getInt(5) != 0};
}

Status checkPinShape(std::string_view pin) {
    if (pin.size() < 4 || pin.size() > 8) return fail(ErrorCode::InvalidInput, "a PIN has 4 to 8 digits");
    for (char c : pin)
        if (c < '0' || c > '9') return fail(ErrorCode::InvalidInput, "a PIN has digits only");
    bool same = true, up = true, down = true;
    for (std::size_t i = 1; i < pin.size(); ++i) {
        same = same && pin[i] == pin[0];
        up = up && pin[i] == pin[i - 1] + 1;
        down = down && pin[i] == pin[i - 1] - 1;
    }
    if (same || up || down) return fail(ErrorCode::InvalidInput, "that PIN is too easy to guess (like 1111 or 1234)");
    return {};
}

} // namespace

Result<StaffMember> Auth::addStaff(std::string_view name, StaffRole role, std::string_view email) {
    if (name.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return fail(ErrorCode::InvalidInput, "a staff member needs a name");
    if (!email.empty() && normaliseEmail(email).empty())
        return fail(ErrorCode::InvalidInput, "'" + std::string(email.substr(0, 60)) + "' is not an e-mail address");
    auto store = localStoreId(m_ctx.db);
    if (!store) return store.error();
    auto tx = db::Transaction::begin(m_ctx.db);
    if (!tx) return tx.error();
    StaffMember m{m_ctx.ids.uuid(), *store, std::string(name), normaliseEmail(email), role, true};
    auto stmt = m_ctx.db.prepare(
        "INSERT INTO staff(id, store_id, name, email, role, active, created_at) VALUES (?, ?, ?, ?, ?, 1, ?)");
    if (!stmt) return stmt.error();
    std::optional<std::string> mail;
    if (!m.email.empty()) mail = m.email;
    if (auto st = stmt->bindAll(m.id, m.storeId, m.name, mail, toString(role), m_ctx.now()).run(); !st) {
        if (st.error().code == ErrorCode::Duplicate)
            return fail(ErrorCode::Duplicate, "e-mail " + m.email + " already belongs to a staff member");
        return st.error();
    }
    if (auto st = record(m_ctx, "staff.added", "staff", m.id, {{"name", m.name}, {"role", toString(role)}}); !st)
        return st.error();
    if (auto st = tx->commit(); !st) return st.error();
    return m;
}

Result<std::vector<StaffMember>> Auth::staff() {
    auto store = localStoreId(m_ctx.db);
    if (!store) return store.error();
    auto stmt = m_ctx.db.prepare("SELECT " + std::string(kColumns) +
                                 " FROM staff WHERE store_id = ? AND active = 1 ORDER BY name");
    if (!stmt) return stmt.error();
    stmt->bindAll(*store);
    std::vector<StaffMember> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) return out;
        out.push_back(read(*stmt));
    }
}

Result<StaffMember> Auth::member(std::string_view id) {
    auto stmt = m_ctx.db.prepare("SELECT " + std::string(kColumns) + " FROM staff WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bindAll(id);
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return fail(ErrorCode::NotFound, "no staff member '" + std::string(id.substr(0, 40)) + "'");
    return read(*stmt);
}

Result<std::string> hashPin(std::string_view pin) {
    if (auto st = checkPinShape(pin); !st) return st.error();
    if (sodium_init() < 0) return fail(ErrorCode::Internal, "libsodium could not start");
    char hash[crypto_pwhash_STRBYTES];
    const std::string secret(pin);
    if (crypto_pwhash_str(hash, secret.c_str(), secret.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return fail(ErrorCode::Internal, "out of memory while hashing the PIN");
    return std::string(hash);
}

bool isPinHash(std::string_view text) {
    return text.starts_with("$argon2id$") && text.size() < crypto_pwhash_STRBYTES;
}

Status Auth::setPin(std::string_view staffId, std::string_view pin) {
    auto hashed = hashPin(pin);
    if (!hashed) return hashed.error();
    const std::string& hash = *hashed;
    auto tx = db::Transaction::begin(m_ctx.db);
    if (!tx) return tx.error();
    auto m = member(staffId);
    if (!m) return m.error();
    auto stmt = m_ctx.db.prepare(
        "UPDATE staff SET pin_hash = ?, failed_pin_attempts = 0, locked_until = NULL WHERE id = ?");
    if (!stmt) return stmt.error();
    if (auto st = stmt->bindAll(hash, m->id).run(); !st) return st;
    // The audit says a PIN changed, never what it is.
    if (auto st = record(m_ctx, "staff.pin_set", "staff", m->id, nlohmann::json::object(), Sync::No); !st) return st;
    return tx->commit();
}

Result<std::int64_t> Auth::lockedFor(std::string_view staffId) {
    auto stmt = m_ctx.db.prepare("SELECT locked_until FROM staff WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bindAll(staffId);
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return fail(ErrorCode::NotFound, "no staff member '" + std::string(staffId.substr(0, 40)) + "'");
    const auto until = stmt->getOptionalText(0);
    if (!until) return std::int64_t{0};
    auto t = parseUtc(*until);
    if (!t) return std::int64_t{0};
    return std::max<std::int64_t>(0, *t - m_ctx.clock.now());
}

Result<StaffMember> Auth::signIn(std::string_view staffId, std::string_view pin) {
    if (sodium_init() < 0) return fail(ErrorCode::Internal, "libsodium could not start");
    auto tx = db::Transaction::begin(m_ctx.db);
    if (!tx) return tx.error();
    auto stmt = m_ctx.db.prepare("SELECT " + std::string(kColumns) +
                                 ", pin_hash, failed_pin_attempts, locked_until FROM staff WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bindAll(staffId);
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return fail(ErrorCode::NotFound, "no staff member '" + std::string(staffId.substr(0, 40)) + "'");
    const StaffMember m = read(*stmt);
    const auto hash = stmt->getOptionalText(6);
    const std::int64_t failures = stmt->getInt(7);
    const auto lockedUntil = stmt->getOptionalText(8);
    const UnixSeconds now = m_ctx.clock.now();
    // Every refusal is audited, so a manager sees someone trying a locked or retired account.
    auto refuse = [&](std::string_view reason, std::string message) -> Result<StaffMember> {
        if (auto st = record(m_ctx, "staff.pin_refused", "staff", m.id, {{"reason", reason}}, Sync::No); !st)
            return st.error();
        if (auto st = tx->commit(); !st) return st.error();
        return fail(ErrorCode::Denied, std::move(message));
    };
    if (!m.active) return refuse("inactive", m.name + "'s account is not active");
    if (lockedUntil) {
        if (auto until = parseUtc(*lockedUntil); until && *until > now)
            return refuse("locked", "too many wrong PINs: " + m.name + "'s account is locked until " +
                                        lockedUntil->substr(11, 5) + " UTC");
    }
    if (!hash) return refuse("no_pin", m.name + " has no PIN yet: a manager sets it");
    const std::string secret(pin);
    const bool ok = crypto_pwhash_str_verify(hash->c_str(), secret.c_str(), secret.size()) == 0;
    stmt = m_ctx.db.prepare(ok ? "UPDATE staff SET failed_pin_attempts = 0, locked_until = NULL WHERE id = ?1"
                               : "UPDATE staff SET failed_pin_attempts = ?2, locked_until = ?3 WHERE id = ?1");
    if (!stmt) return stmt.error();
    // A lock that has run out starts a fresh count of five.
    const std::int64_t attempts = (lockedUntil ? 0 : failures) + 1;
    std::optional<std::string> lock;
    if (!ok && attempts >= kMaxPinAttempts) lock = formatUtc(now + kPinLockSeconds);
    if (ok) stmt->bindAll(m.id);
    else stmt->bindAll(m.id, attempts >= kMaxPinAttempts ? 0 : attempts, lock);
    if (auto st = stmt->run(); !st) return st.error();
    if (auto st = record(m_ctx, ok ? "staff.signed_in" : "staff.pin_refused", "staff", m.id,
                         lock ? nlohmann::json{{"locked_until", *lock}} : nlohmann::json::object(), Sync::No);
        !st)
        return st.error();
    if (auto st = tx->commit(); !st) return st.error();
    if (ok) return m;
    if (lock)
        return fail(ErrorCode::Denied, "wrong PIN: " + m.name + "'s account is locked for 5 minutes, until " +
                                           lock->substr(11, 5) + " UTC");
    return fail(ErrorCode::Denied, "wrong PIN: " + std::to_string(kMaxPinAttempts - attempts) + " attempts left");
}

} // namespace showroom::core
