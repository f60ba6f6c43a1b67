#pragma once
// The deal desk: pick a customer and a vehicle, enter trade-in, fees, tax, discount and down
// payment, compare cash against finance on a payment grid (terms x down payments), and desk the
// deal. A discount above the approval threshold needs a manager's PIN unless the person desking
// may approve discounts. Figures always come from core::finance::quote(); nothing is recomputed.
// Thread: main thread only.

#include "signature.hpp"
#include "strings.hpp"

#include "showroom/core/contract.hpp"
#include "showroom/core/crm.hpp"
#include "showroom/core/deals.hpp"
#include "showroom/core/finance.hpp"
#include "showroom/core/inventory.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace showroom::kiosk {

struct DeskConfig {
    core::finance::TaxRule tax{core::Rate{62'500}, true, true, false};
    core::Cents docFee = 49'900, titleFee = 22'500;
    core::Cents discountApproval = 100'000;   ///< discounts above this need a manager ($1,000)
    std::vector<int> gridTerms{36, 48, 60, 72};
    std::vector<core::Cents> gridDowns{0, 200'000, 500'000};
};

/// Where contracts go: the renderer (libharu in the kiosk, wired in main.cpp), the printer (the
/// virtual spool printer until the print queue lands) and the folder that keeps the signed PDFs.
struct DeskDocuments {
    core::DocumentRenderer* renderer = nullptr;
    core::DocumentPrinter* printer = nullptr;
    std::filesystem::path contractsDir;   ///< empty: "contracts" beside the database
};

/// What the desk form holds, as typed (dollars and percent as text).
struct DeskForm {
    std::string price, discount = "0", tradeIn = "0", payoff = "0", down = "0", apr = "6.9";
    int term = 60;
    bool financed = true;
};

class DeskViewModel {
public:
    DeskViewModel(core::Context& ctx, DeskConfig config) : m_ctx(ctx), m_config(std::move(config)) {}

    void reset();
    /// Who is desking: their id goes on the deal; their role decides discount approval.
    void setSalesperson(std::optional<core::StaffMember> who) { m_salesperson = std::move(who); }

    // Picking.
    const std::vector<core::Customer>& customerMatches() const { return m_customerMatches; }
    const std::vector<core::Vehicle>& vehicleMatches() const { return m_vehicleMatches; }
    void findCustomers(const std::string& text);
    void findVehicles(const std::string& text);   ///< in stock or on hold, this showroom
    void pickCustomer(const std::string& customerId);
    void pickVehicle(const std::string& vehicleId);
    const std::optional<core::Customer>& customer() const { return m_customer; }
    const std::optional<core::Vehicle>& vehicle() const { return m_vehicle; }

    // Desking.
    const DeskForm& form() const { return m_form; }
    void edit(const DeskForm& form);   ///< re-prices at once
    const std::optional<core::finance::Quote>& quote() const { return m_quote; }
    const std::optional<core::finance::PaymentGrid>& grid() const { return m_grid; }
    const Notice& problem() const { return m_problem; }   ///< why the figures cannot be priced
    /// The outcome of the last action (desked, approval refused, signed, printed, ...).
    const Notice& notice() const { return m_notice; }

    /// True when the discount is above the threshold and nobody has approved it yet.
    bool needsApproval() const;
    /// A manager approves the discount with their PIN; Denied / wrong role leave it unapproved.
    core::Status approve(const std::string& managerId, const std::string& pin);
    const std::optional<core::StaffMember>& approvedBy() const { return m_approvedBy; }

    /// Desks the deal (vehicle goes on hold). Refused while approval is missing.
    core::Result<core::Deal> create();
    const std::optional<core::Deal>& deal() const { return m_deal; }

    /// The buyer signs the desked deal on the pad. The signature image (PNG, SHA-256) is stored
    /// beside the database under signatures/; then core::signContract() records it, signs the deal
    /// (the vehicle becomes sold), renders the contract with the signature and stores the PDF with
    /// its SHA-256 on the deal, all in one transaction; then the contract goes to the printer. A
    /// printer that fails leaves the deal signed and the PDF stored: notice() says so, and
    /// printContract() tries again.
    void setDocuments(DeskDocuments documents) { m_documents = std::move(documents); }
    void setContractLanguage(std::string language) { m_contractLanguage = std::move(language); }
    const std::string& contractLanguage() const { return m_contractLanguage; }
    Signature& signature() { return m_signature; }
    const Signature& signature() const { return m_signature; }
    core::Result<SignatureImage> signContract(int padWidthPx, int padHeightPx);
    const std::optional<SignatureImage>& signedImage() const { return m_signedImage; }
    const std::optional<core::SignedContract>& contract() const { return m_contract; }
    /// Sends the stored contract to the printer again (marked as a copy after the first print).
    core::Status printContract();
    /// When the first installment falls due if the buyer signs today (YYYY-MM-DD).
    std::string firstPaymentDue() const { return core::addMonths(core::formatUtc(m_ctx.clock.now()).substr(0, 10), 1); }
    const std::string& printJob() const { return m_printJob; }   ///< the printer's reference, "" until printed

private:
    void reprice();
    std::optional<core::finance::DealInput> input();
    core::Result<core::Deal> desk();   ///< create() without the notice

    core::Context& m_ctx;
    DeskConfig m_config;
    std::optional<core::StaffMember> m_salesperson, m_approvedBy;
    std::vector<core::Customer> m_customerMatches;
    std::vector<core::Vehicle> m_vehicleMatches;
    std::optional<core::Customer> m_customer;
    std::optional<core::Vehicle> m_vehicle;
    DeskForm m_form;
    std::optional<core::finance::Quote> m_quote;
    std::optional<core::finance::PaymentGrid> m_grid;
    Notice m_problem, m_notice;
    DeskDocuments m_documents;
    std::string m_contractLanguage = "en";
    std::optional<core::SignedContract> m_contract;
    std::string m_printJob;
    int m_prints = 0;
    std::optional<core::Deal> m_deal;
    core::Cents m_approvedDiscount = -1;
    Signature m_signature;
    std::optional<SignatureImage> m_signedImage;
};

} // namespace showroom::kiosk
