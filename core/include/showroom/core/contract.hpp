#pragma once
// The sales contract as data, and the ports that turn it into paper.
//
// contractFor() gathers everything a buyer's order (cash deal) or a retail installment sale
// contract (financed deal) shows: dealer, buyer, vehicle, the itemization, the Truth-in-Lending
// figures and the payment schedule, and the captured signatures. Every figure comes from the deal
// as stored (finance::quote() at desking); renderers lay the figures out and never recompute them.
//
// Ports (implemented in devices/):
//  - DocumentRenderer turns a ContractDocument into PDF bytes. The same document renders to the
//    same bytes, so a signed deal can be re-rendered and compared.
//  - DocumentPrinter hands finished documents to a printer (or a virtual spool folder).
//
// Threading: contractFor() uses its Context's connection on that connection's thread. The
// document itself is a plain value, safe to hand to a renderer on any thread.

#include "showroom/core/deals.hpp"
#include "showroom/core/domain.hpp"
#include "showroom/core/journal.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace showroom::core {

/// One signature captured on the pad, as stored by recordSignature().
struct ContractSignature {
    std::string role;       ///< "buyer", "co_buyer", "dealer"
    std::string signerName;
    std::string pngPath;    ///< the image file, kept beside the database
    std::string pngSha256;  ///< hex digest of the file's bytes
    std::string signedAt;   ///< UTC, ISO 8601
};

struct ContractParty {
    std::string name;
    std::string street, city, state, postalCode;
    std::string phone, email;
};

struct ContractDocument {
    std::string language = "en";   ///< "en" or "zh-CN"
    Deal deal;                     ///< figures as stored: deal.input and deal.quote (schedule included)
    ContractParty dealer, buyer;
    std::string salesperson;
    Vehicle vehicle;
    std::string firstPaymentDue;   ///< YYYY-MM-DD, one month after the contract date; "" for cash deals
    std::string contractDate;      ///< YYYY-MM-DD
    std::vector<ContractSignature> signatures;

    bool financed() const { return deal.input.financed; }
};

/// The contract for a deal (by id or deal number) with its signatures so far.
Result<ContractDocument> contractFor(Context& ctx, std::string_view dealKey, std::string_view language = "en");

/// Stores a captured signature for a deal (call it inside the signing transaction).
Status recordSignature(Context& ctx, std::string_view dealId, const ContractSignature& signature);

/// Turns a contract into a document. Implementations must be deterministic: equal input, equal bytes.
class DocumentRenderer {
public:
    virtual ~DocumentRenderer() = default;
    /// PDF bytes; InvalidInput when the document cannot be laid out (e.g. a signature image is unreadable).
    virtual Result<std::string> renderContract(const ContractDocument& contract) = 0;
};

/// Where finished documents go to be printed.
class DocumentPrinter {
public:
    virtual ~DocumentPrinter() = default;
    /// A short description for the status screen, e.g. "virtual (spool: /var/lib/showroom/spool)".
    virtual std::string describe() const = 0;
    /// Queues a document; returns the job's reference. Unavailable when the printer cannot take it.
    virtual Result<std::string> print(std::string_view title, std::string_view pdfBytes) = 0;
};

struct SignedContract {
    Deal deal;                    ///< now signed, contractSha256 set
    std::filesystem::path path;   ///< where the PDF is stored
    std::string sha256;           ///< of the PDF bytes, also in deals.contract_sha256
    std::string pdf;              ///< the bytes, ready to print
};

/// The buyer signs a draft deal: in one transaction the signature is recorded, the deal is signed
/// (the vehicle becomes sold), the contract is rendered with the signature and stored under
/// `contractsDir` as <deal no>.pdf (written completely and fsynced before the commit), and its
/// SHA-256 goes on the deal. If rendering or writing fails nothing is signed and no file is left.
/// A deal HQ flagged (network.hpp, Conflicts::openConflictFor) is signed all the same, the person having
/// confirmed it; the same transaction records who signed it over which conflict
/// ("contract.signed_despite_conflict": deal_no, conflict_id, kind, message; audited and sent to HQ).
Result<SignedContract> signContract(Context& ctx, std::string_view dealKey, const ContractSignature& buyer,
                                    DocumentRenderer& renderer, const std::filesystem::path& contractsDir,
                                    std::string_view language = "en");

/// Hex SHA-256 of a byte string (libsodium).
std::string sha256Hex(std::string_view bytes);

} // namespace showroom::core
