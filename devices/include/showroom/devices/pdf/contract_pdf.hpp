#pragma once
// The sales contract on paper: HaruContractRenderer implements core::DocumentRenderer with libharu
// 2.3.0. A cash deal becomes a "Buyer's Order", a financed deal a "Retail Installment Sale Contract"
// with the federal Truth-in-Lending box and the payment schedule; US Letter, English or Simplified
// Chinese (ContractDocument::language "en" / "zh-CN").
//
// Rules:
//  - Figures are printed, never computed: every amount comes from doc.deal.quote or doc.deal.input
//    (the schedule is doc.deal.quote.schedule; an empty schedule prints no schedule table).
//  - Deterministic: equal documents give equal bytes. No clock, no document ID, no creation date;
//    fonts, images and objects are written in a fixed order. A signed deal re-rendered from the
//    database gives the SHA-256 stored on the deal.
//  - Errors are values: a libharu error handler records the first error and the renderer checks it
//    after each group of calls; nothing longjmps or throws through libharu's C frames. A font or a
//    signature image that cannot be read or decoded is InvalidInput naming the file.
//  - Threads: each call creates and frees its own HPDF document and the renderer holds nothing but
//    its font paths, so any thread may call it, and several threads may call it at once.
//
// Every page carries "Deal <no> · Page N of M" and the first 16 hex digits of contractFingerprint(),
// so a page that strays from its contract, or a figure altered on a copy, can be told.

#include "showroom/core/clock.hpp"
#include "showroom/core/contract.hpp"
#include "showroom/core/money.hpp"
#include "showroom/core/result.hpp"

#include <string>
#include <string_view>

namespace showroom::devices::pdf {

/// An amount as written out on a check: "Nineteen thousand two hundred dollars and 00/100",
/// "One dollar and 05/100", "Zero dollars and 00/100"; a negative amount starts with "Minus ". Pure.
std::string amountInWords(core::Cents amount);

/// An amount in Chinese financial uppercase (大写金额) as the PBOC rules write it: "壹万玖仟贰佰元整",
/// "叁佰贰拾伍元零肆分", "伍角", "零元整"; a negative amount starts with "负". Pure.
std::string amountInChineseUppercase(core::Cents amount);

/// Due dates: core::addMonths (YYYY-MM-DD plus calendar months, the day clamped).
using core::addMonths;

/// Hex SHA-256 of a canonical text of every figure the contract prints (VIN and odometer, the
/// itemization, rates, Truth-in-Lending figures, schedule rows with due dates). Independent of the
/// language, the parties and the signatures: equal fingerprints, equal terms. Pure.
std::string contractFingerprint(const core::ContractDocument& doc);

/// A rendered contract and what the caller may want to tell about it.
struct RenderedContract {
    std::string pdf; ///< the PDF bytes
    int pages = 0;
    std::string fingerprint; ///< contractFingerprint(doc), full length
};

class HaruContractRenderer final : public core::DocumentRenderer {
public:
    /// TrueType files embedded in the PDF. Latin text uses DejaVu; zh-CN uses AR PL UMing for all
    /// text (index 0 of the collection), the one CJK font libharu 2.3.0 embeds without losing glyphs.
    struct Fonts {
        std::string regular = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
        std::string bold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
        std::string cjk = "/usr/share/fonts/truetype/arphic/uming.ttc";
    };

    HaruContractRenderer();
    explicit HaruContractRenderer(Fonts fonts);

    /// The PDF bytes of `doc`. InvalidInput for an unknown language, an unreadable font or an
    /// unreadable, undecodable or altered signature PNG (its bytes must hash to pngSha256 when that
    /// is set); Internal when libharu fails otherwise.
    core::Result<std::string> renderContract(const core::ContractDocument& doc) override;

    /// renderContract() plus the page count and the fingerprint.
    core::Result<RenderedContract> render(const core::ContractDocument& doc) const;

private:
    Fonts m_fonts;
};

} // namespace showroom::devices::pdf
