#pragma once
// The deal desk: pick a customer and a vehicle, enter trade-in, fees, tax, discount and down
// payment, compare cash against finance on a payment grid (terms x down payments), and desk the
// deal. A discount above the approval threshold needs a manager's PIN unless the person desking
// may approve discounts. Figures always come from core::finance::quote(); nothing is recomputed.
// A deal HQ flagged (an open core::SyncConflict names it: the car was sold at another showroom
// first, ...) stays fully usable; the desk shows HQ's message and signing it takes a second tap.
// Thread: main thread only.

#include "signature.hpp"
#include "strings.hpp"

#include "showroom/core/contract.hpp"
#include "showroom/core/crm.hpp"
#include "showroom/core/deals.hpp"
#include "showroom/core/finance.hpp"
#include "showroom/core/inventory.hpp"
#include "showroom/core/network.hpp"
#include "showroom/core/print.hpp"
#include "showroom/core/receipt.hpp"

#include <filesystem>
#include <functional>
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

/// Where receipts go: the receipt printer's connection string (the print spooler's thread prints
/// what is queued for it) and how to tell the spooler a job is waiting.
struct ReceiptPrinting {
    std::string printer;            ///< "" when the kiosk has no receipt printer
    std::function<void()> kick;     ///< wakes the spooler; may be empty (it looks every few seconds)
};

/// A payment's receipt as the payment screen follows it through the print queue.
struct ReceiptView {
    std::string receiptNo;
    std::int64_t jobId = 0;
    core::print::JobState state = core::print::JobState::Queued;
    std::string waitingFor;         ///< why it is not printed yet: paper_out, cover_open, offline, unreachable, ...
    std::string lastError;
    bool copy = false;              ///< it printed (or will print) marked COPY / REPRINT
    std::string bytes;              ///< the ESC/POS bytes of the original, for the on-screen preview
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
    /// Opens a desked deal again, by id or deal number: its buyer, car and figures as desked.
    /// NotFound leaves the desk as it was (notice() says why).
    core::Status openDeal(const std::string& idOrDealNo);

    // HQ's flag. Nothing here blocks the deal or deletes it: the flag is for a person to act on.
    /// The open conflict naming the deal, as last read (refreshFlag()); nullopt when not flagged.
    const std::optional<core::SyncConflict>& flag() const { return m_flag; }
    /// The banner for a flagged deal: "kiosk.desk.flag.banner" with HQ's {message} (the kind's
    /// label when HQ sent none); empty when the deal is not flagged.
    Notice flagBanner() const;
    /// Reads the flag again (call after a sync or when a conflict was resolved).
    void refreshFlag();
    /// The salesperson asks to have the deal signed: true when the signing pad may open. On a
    /// flagged deal the first ask only warns (notice kiosk.desk.flag.confirm_sign) and the next
    /// ask goes ahead; signContract() asks the same way when nobody confirmed yet.
    bool requestSigning();
    /// The warning was shown and the next tap signs: the button reads "Sign anyway".
    bool signingNeedsConfirmation() const {
        return m_flag && m_flagWarned == m_flag->id && m_flagAccepted != m_flag->id;
    }

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

    // Payments and receipts (the payment screen). A payment on a draft deal is a deposit.
    void setReceiptPrinting(ReceiptPrinting printing) { m_receiptPrinting = std::move(printing); }
    core::Cents stillDue() const;   ///< what the buyer still owes on the desked deal
    /// Amounts offered as one-tap choices: $500 and $1,000 deposits while the deal is a draft (when
    /// less than what is due), and the whole balance.
    std::vector<core::Cents> paymentChoices() const;
    core::Cents paymentAmount() const { return m_paymentAmount; }
    void setPaymentAmount(core::Cents amount) { m_paymentAmount = amount; }
    core::PaymentMethod paymentMethod() const { return m_paymentMethod; }
    void setPaymentMethod(core::PaymentMethod method) { m_paymentMethod = method; }
    /// Records the payment (its receipt number is given in the same transaction), then queues its
    /// receipt for the receipt printer, stored before a byte goes out. The money is recorded even when
    /// the receipt cannot be queued: notice() says so and reprintReceipt() queues it again.
    core::Status takePayment();
    const std::optional<ReceiptView>& receipt() const { return m_receipt; }
    /// Re-reads the receipt's print job (call when the spooler reports a change).
    void refreshReceipt();
    /// Queues the last receipt again, marked COPY / REPRINT (the buyer asked for another one).
    core::Status reprintReceipt();

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
    ReceiptPrinting m_receiptPrinting;
    core::Cents m_paymentAmount = 0;
    core::PaymentMethod m_paymentMethod = core::PaymentMethod::Card;
    std::optional<ReceiptView> m_receipt;
    core::Status queueReceipt(const core::ReceiptDocument& doc, bool asCopy);
    core::Cents m_approvedDiscount = -1;
    Signature m_signature;
    std::optional<SignatureImage> m_signedImage;
    std::optional<core::SyncConflict> m_flag;
    std::string m_flagWarned, m_flagAccepted; ///< ids of the conflict warned about / signed anyway
};

/// The i18n key of a conflict kind's short label ("kiosk.conflict.kind.vehicle_sold_elsewhere");
/// "kiosk.conflict.kind.other" for a kind this kiosk does not know.
std::string conflictKindKey(std::string_view kind);

} // namespace showroom::kiosk
