#include "showroom/core/domain.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace showroom::core {

namespace {

template <class E, std::size_t N>
struct Names {
    std::array<std::pair<E, std::string_view>, N> entries;

    std::string_view name(E e) const {
        for (const auto& [value, text] : entries)
            if (value == e) return text;
        return "unknown";
    }

    Result<E> parse(std::string_view text, std::string_view what) const {
        std::string lowered(text);
        std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                       [](unsigned char c) { return c == '-' || c == ' ' ? '_' : static_cast<char>(std::tolower(c)); });
        for (const auto& [value, name] : entries)
            if (name == lowered) return value;
        std::string allowed;
        for (const auto& [value, name] : entries) allowed += (allowed.empty() ? "" : ", ") + std::string(name);
        return fail(ErrorCode::InvalidInput, "'" + std::string(text.substr(0, 40)) + "' is not a " + std::string(what) +
                                                 " (one of: " + allowed + ")");
    }
};

constexpr Names<Condition, 3> kConditions{{{{Condition::New, "new"},
                                             {Condition::Used, "used"},
                                             {Condition::Certified, "certified"}}}};
constexpr Names<VehicleStatus, 6> kVehicleStatuses{{{{VehicleStatus::Incoming, "incoming"},
                                                     {VehicleStatus::InStock, "in_stock"},
                                                     {VehicleStatus::OnHold, "on_hold"},
                                                     {VehicleStatus::Sold, "sold"},
                                                     {VehicleStatus::Delivered, "delivered"},
                                                     {VehicleStatus::Transferred, "transferred"}}}};
constexpr Names<LeadStage, 8> kLeadStages{{{{LeadStage::Inquiry, "inquiry"},
                                            {LeadStage::Visit, "visit"},
                                            {LeadStage::TestDrive, "test_drive"},
                                            {LeadStage::Quote, "quote"},
                                            {LeadStage::Contract, "contract"},
                                            {LeadStage::Delivered, "delivered"},
                                            {LeadStage::FollowUp, "follow_up"},
                                            {LeadStage::Lost, "lost"}}}};
constexpr Names<StaffRole, 5> kStaffRoles{{{{StaffRole::Sales, "sales"},
                                            {StaffRole::Manager, "manager"},
                                            {StaffRole::Finance, "finance"},
                                            {StaffRole::Porter, "porter"},
                                            {StaffRole::Admin, "admin"}}}};
constexpr Names<DealStatus, 4> kDealStatuses{{{{DealStatus::Draft, "draft"},
                                               {DealStatus::Signed, "signed"},
                                               {DealStatus::Delivered, "delivered"},
                                               {DealStatus::Cancelled, "cancelled"}}}};
constexpr Names<PaymentMethod, 5> kPaymentMethods{{{{PaymentMethod::Cash, "cash"},
                                                    {PaymentMethod::Card, "card"},
                                                    {PaymentMethod::Check, "check"},
                                                    {PaymentMethod::Wire, "wire"},
                                                    {PaymentMethod::Financing, "financing"}}}};

constexpr std::array kPipeline{LeadStage::Inquiry, LeadStage::Visit,     LeadStage::TestDrive, LeadStage::Quote,
                               LeadStage::Contract, LeadStage::Delivered, LeadStage::FollowUp};

int pipelineIndex(LeadStage s) {
    for (std::size_t i = 0; i < kPipeline.size(); ++i)
        if (kPipeline[i] == s) return static_cast<int>(i);
    return -1;
}

} // namespace

std::string_view toString(Condition v) { return kConditions.name(v); }
std::string_view toString(VehicleStatus v) { return kVehicleStatuses.name(v); }
std::string_view toString(LeadStage v) { return kLeadStages.name(v); }
std::string_view toString(StaffRole v) { return kStaffRoles.name(v); }
std::string_view toString(DealStatus v) { return kDealStatuses.name(v); }
std::string_view toString(PaymentMethod v) { return kPaymentMethods.name(v); }

Result<Condition> parseCondition(std::string_view t) { return kConditions.parse(t, "vehicle condition"); }
Result<VehicleStatus> parseVehicleStatus(std::string_view t) { return kVehicleStatuses.parse(t, "vehicle status"); }
Result<LeadStage> parseLeadStage(std::string_view t) { return kLeadStages.parse(t, "lead stage"); }
Result<StaffRole> parseStaffRole(std::string_view t) { return kStaffRoles.parse(t, "staff role"); }
Result<DealStatus> parseDealStatus(std::string_view t) { return kDealStatuses.parse(t, "deal status"); }
Result<PaymentMethod> parsePaymentMethod(std::string_view t) { return kPaymentMethods.parse(t, "payment method"); }

std::span<const LeadStage> pipelineStages() { return kPipeline; }

Status checkVehicleTransition(VehicleStatus from, VehicleStatus to, bool viaCancelledDeal) {
    using S = VehicleStatus;
    if (from == to)
        return fail(ErrorCode::InvalidTransition, "the vehicle is already " + std::string(toString(to)));
    bool allowed = false;
    switch (from) {
    case S::Incoming: allowed = to == S::InStock || to == S::Transferred; break;
    case S::InStock: allowed = to == S::OnHold || to == S::Sold || to == S::Transferred; break;
    case S::OnHold: allowed = to == S::InStock || to == S::Sold || to == S::Transferred; break;
    case S::Sold: allowed = to == S::Delivered || (to == S::InStock && viaCancelledDeal); break;
    case S::Delivered: allowed = false; break;
    case S::Transferred: allowed = to == S::Incoming; break;
    }
    if (allowed) return {};
    std::string why = "a vehicle cannot go from " + std::string(toString(from)) + " to " + std::string(toString(to));
    if (from == S::Sold && to == S::InStock) why += " unless its deal is cancelled (cancel the deal instead)";
    else if (from == S::Delivered) why += ": it has been delivered to its buyer";
    return fail(ErrorCode::InvalidTransition, why);
}

Status checkLeadTransition(LeadStage from, LeadStage to) {
    if (from == to) return fail(ErrorCode::InvalidTransition, "the lead is already at " + std::string(toString(to)));
    if (from == LeadStage::Lost) {
        if (to == LeadStage::Inquiry) return {};
        return fail(ErrorCode::InvalidTransition, "a lost lead can only be reopened as an inquiry");
    }
    if (to == LeadStage::Lost) {
        if (from == LeadStage::Delivered || from == LeadStage::FollowUp)
            return fail(ErrorCode::InvalidTransition, "a delivered customer's lead cannot be marked lost");
        return {};
    }
    if (pipelineIndex(to) < pipelineIndex(from))
        return fail(ErrorCode::InvalidTransition, "a lead moves forward only: " + std::string(toString(from)) +
                                                      " cannot go back to " + std::string(toString(to)));
    return {};
}

std::string normalisePhone(std::string_view phone) {
    std::string digits;
    for (char c : phone)
        if (c >= '0' && c <= '9') digits += c;
    if (digits.size() == 11 && digits.front() == '1') digits.erase(0, 1);
    return digits;
}

std::string normaliseEmail(std::string_view email) {
    while (!email.empty() && std::isspace(static_cast<unsigned char>(email.front()))) email.remove_prefix(1);
    while (!email.empty() && std::isspace(static_cast<unsigned char>(email.back()))) email.remove_suffix(1);
    const auto at = email.find('@');
    if (at == std::string_view::npos || at == 0 || at + 1 >= email.size() || email.find('@', at + 1) != email.npos)
        return {};
    std::string out(email);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string joinList(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        if (item.empty()) continue;
        if (!out.empty()) out += "; ";
        out += item;
    }
    return out;
}

std::vector<std::string> splitList(std::string_view text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find(';', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view item = text.substr(start, end - start);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (!item.empty()) out.emplace_back(item);
        start = end + 1;
    }
    return out;
}

} // namespace showroom::core
