#pragma once
// Staff accounts and PINs.
//
// PINs are 4 to 8 digits, stored only as argon2id hashes (libsodium crypto_pwhash_str, interactive
// limits: ~60 ms a check on a kiosk-class CPU). Five wrong PINs in a row lock the account for five
// minutes; a right PIN resets the count. Roles decide what a signed-in person may do (can()).
// Threading: borrows its Context's connection; use on that connection's thread.

#include "showroom/core/domain.hpp"
#include "showroom/core/journal.hpp"

#include <optional>
#include <string>
#include <vector>

namespace showroom::core {

inline constexpr int kMaxPinAttempts = 5;
inline constexpr std::int64_t kPinLockSeconds = 5 * 60;

/// Things staff do on the kiosk; can() says which role may do which.
enum class Permission { CheckIn, ManageInventory, WorkLeads, DeskDeals, ApproveDiscounts, ManageStaff, ViewReports };
bool can(StaffRole role, Permission permission);

/// The argon2id hash of a PIN as it is stored (and as HQ sends staff accounts down); InvalidInput
/// for a PIN setPin() would refuse.
Result<std::string> hashPin(std::string_view pin);
/// Whether `text` is a PIN hash hashPin() could have made (what the store accepts from HQ).
bool isPinHash(std::string_view text);

class Auth {
public:
    explicit Auth(Context& ctx) : m_ctx(ctx) {}

    /// Adds a staff member of the local showroom (name, role, optional e-mail).
    Result<StaffMember> addStaff(std::string_view name, StaffRole role, std::string_view email = "");
    /// Active staff of the local showroom, by name.
    Result<std::vector<StaffMember>> staff();
    Result<StaffMember> member(std::string_view staffId);

    /// Sets (or replaces) a PIN: 4..8 digits, not all the same digit, not a run like 1234.
    Status setPin(std::string_view staffId, std::string_view pin);

    /// Checks a PIN. Wrong -> Denied with the attempts left; the fifth wrong one locks the account
    /// for kPinLockSeconds; while locked -> Denied saying until when, without checking the PIN.
    Result<StaffMember> signIn(std::string_view staffId, std::string_view pin);

    /// Seconds until the account unlocks (0 when not locked).
    Result<std::int64_t> lockedFor(std::string_view staffId);

private:
    Context& m_ctx;
};

} // namespace showroom::core
