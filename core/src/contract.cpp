#include "showroom/core/contract.hpp"

#include "showroom/core/crm.hpp"
#include "showroom/core/inventory.hpp"
#include "showroom/core/network.hpp"

#include <nlohmann/json.hpp>

#include <sodium.h>

#include <unistd.h>

#include <cstdio>

namespace showroom::core {

namespace {

// "2026-11-22T10:00:00Z" -> "2026-11-22"
std::string datePart(std::string_view utc) { return std::string(utc.substr(0, 10)); }

} // namespace

std::string sha256Hex(std::string_view bytes) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

Result<ContractDocument> contractFor(Context& ctx, std::string_view dealKey, std::string_view language) {
    if (language != "en" && language != "zh-CN")
        return fail(ErrorCode::InvalidInput, "contracts are available in en and zh-CN, not '" + std::string(language) + "'");
    ContractDocument doc;
    doc.language = std::string(language);
    auto deal = Deals(ctx).find(dealKey);
    if (!deal) return deal.error();
    doc.deal = std::move(*deal);

    auto store = ctx.db.prepare("SELECT name, street, city, state, postal_code, phone FROM stores WHERE id = ?");
    if (!store) return store.error();
    store->bindAll(doc.deal.storeId);
    if (auto row = store->step(); !row) return row.error();
    else if (*row)
        doc.dealer = {store->getText(0), store->getText(1), store->getText(2), store->getText(3), store->getText(4),
                      store->getText(5), ""};

    auto buyer = Crm(ctx).customer(doc.deal.customerId);
    if (!buyer) return buyer.error();
    doc.buyer = {buyer->fullName(), buyer->street, buyer->city,  buyer->state,
                 buyer->postalCode, buyer->phone,  buyer->email};

    auto vehicle = Inventory(ctx).find(doc.deal.vehicleId);
    if (!vehicle) return vehicle.error();
    doc.vehicle = std::move(*vehicle);

    if (doc.deal.salespersonId) {
        auto who = ctx.db.prepare("SELECT name FROM staff WHERE id = ?");
        if (!who) return who.error();
        who->bindAll(*doc.deal.salespersonId);
        if (auto row = who->step(); row && *row) doc.salesperson = who->getText(0);
    }

    doc.contractDate = datePart(doc.deal.signedAt.value_or(doc.deal.createdAt));
    if (doc.financed()) doc.firstPaymentDue = addMonths(doc.contractDate, 1);

    auto sigs = ctx.db.prepare("SELECT role, signer_name, png_path, png_sha256, signed_at FROM deal_signatures "
                               "WHERE deal_id = ? ORDER BY CASE role WHEN 'buyer' THEN 0 WHEN 'co_buyer' THEN 1 ELSE 2 END");
    if (!sigs) return sigs.error();
    sigs->bindAll(doc.deal.id);
    for (;;) {
        auto row = sigs->step();
        if (!row) return row.error();
        if (!*row) break;
        doc.signatures.push_back(
            {sigs->getText(0), sigs->getText(1), sigs->getText(2), sigs->getText(3), sigs->getText(4)});
    }
    return doc;
}

Status recordSignature(Context& ctx, std::string_view dealId, const ContractSignature& s) {
    if (s.role != "buyer" && s.role != "co_buyer" && s.role != "dealer")
        return fail(ErrorCode::InvalidInput, "a signature is the buyer's, the co-buyer's or the dealer's");
    auto stmt = ctx.db.prepare("INSERT INTO deal_signatures(id, deal_id, role, signer_name, png_path, png_sha256, "
                               "signed_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    if (auto st = stmt->bindAll(ctx.ids.uuid(), dealId, s.role, s.signerName, s.pngPath, s.pngSha256, s.signedAt).run();
        !st) {
        if (st.error().code == ErrorCode::Duplicate)
            return fail(ErrorCode::Duplicate, "this deal already has the " + s.role + "'s signature");
        return st.error();
    }
    return record(ctx, "contract.signature_captured", "deal", dealId,
                  {{"role", s.role}, {"signature_sha256", s.pngSha256}, {"signed_at", s.signedAt}}, Sync::No);
}

Result<SignedContract> signContract(Context& ctx, std::string_view dealKey, const ContractSignature& buyer,
                                    DocumentRenderer& renderer, const std::filesystem::path& contractsDir,
                                    std::string_view language) {
    auto tx = db::Transaction::begin(ctx.db);
    if (!tx) return tx.error();
    auto deal = Deals(ctx).find(dealKey);
    if (!deal) return deal.error();
    if (deal->status != DealStatus::Draft)
        return fail(ErrorCode::InvalidTransition, "deal " + deal->dealNo + " is " + std::string(toString(deal->status)) +
                                                      ": only a draft deal can be signed");
    if (auto st = recordSignature(ctx, deal->id, buyer); !st) return st.error();
    // Signing over HQ's flag is a person's decision: it is kept with the conflict it overrode.
    auto flag = Conflicts(ctx).openConflictFor(deal->id);
    if (!flag) return flag.error();
    if (*flag) {
        const SyncConflict& c = **flag;
        if (auto st = record(ctx, "contract.signed_despite_conflict", "deal", deal->id,
                             {{"deal_no", deal->dealNo}, {"conflict_id", c.id}, {"kind", c.kind}, {"message", c.message}});
            !st)
            return st.error();
    }
    if (auto s = Deals(ctx).sign(deal->id); !s) return s.error();
    auto doc = contractFor(ctx, deal->id, language);
    if (!doc) return doc.error();
    auto pdf = renderer.renderContract(*doc);
    if (!pdf) return pdf.error();

    SignedContract out;
    out.sha256 = sha256Hex(*pdf);
    out.path = contractsDir / (deal->dealNo + (language == "en" ? "" : "." + std::string(language)) + ".pdf");
    std::error_code ec;
    std::filesystem::create_directories(contractsDir, ec);
    const auto partial = std::filesystem::path(out.path.string() + ".partial");
    {
        std::FILE* f = std::fopen(partial.c_str(), "wb");
        if (!f) return fail(ErrorCode::Io, "cannot write the contract to " + partial.string());
        const bool written = std::fwrite(pdf->data(), 1, pdf->size(), f) == pdf->size();
        const bool flushed = std::fflush(f) == 0 && ::fsync(fileno(f)) == 0;
        if (std::fclose(f) != 0 || !written || !flushed) {
            std::filesystem::remove(partial, ec);
            return fail(ErrorCode::Io, "could not write the whole contract to " + partial.string());
        }
    }
    auto stmt = ctx.db.prepare("UPDATE deals SET contract_sha256 = ?, contract_path = ? WHERE id = ?");
    if (!stmt) return stmt.error();
    if (auto st = stmt->bindAll(out.sha256, out.path.string(), deal->id).run(); !st) return st.error();
    if (auto st = record(ctx, "contract.signed", "deal", deal->id,
                         {{"deal_no", deal->dealNo},
                          {"contract_sha256", out.sha256},
                          {"signature_sha256", buyer.pngSha256},
                          {"signed_at", buyer.signedAt}});
        !st)
        return st.error();
    std::filesystem::rename(partial, out.path, ec);
    if (ec) {
        std::filesystem::remove(partial, ec);
        return fail(ErrorCode::Io, "cannot store the contract as " + out.path.string() + ": " + ec.message());
    }
    if (auto st = tx->commit(); !st) {
        std::filesystem::remove(out.path, ec);
        return st.error();
    }
    auto signedDeal = Deals(ctx).find(deal->id);
    if (!signedDeal) return signedDeal.error();
    out.deal = std::move(*signedDeal);
    out.pdf = std::move(*pdf);
    return out;
}

} // namespace showroom::core
