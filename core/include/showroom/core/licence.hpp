#pragma once
// Driver's licences and ID cards: the AAMVA DL/ID card design standard payload that the PDF417
// barcode on the back of a North American card carries (versions 01 to 10), and the checks the
// showroom makes before a test drive.
//
// Rules:
//  - Everything here is a pure function over its arguments (no clock, no locale, no I/O, no
//    logging) and is safe to call from any thread.
//  - The payload is untrusted. It is never echoed back: error messages name the part that is wrong
//    (header, directory, element ID, date field), never the bytes or the holder's data.
//  - An empty string in Licence means "not on the card" (or unreadable, for optional fields).

#include "showroom/core/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace showroom::core::licence {

/// Largest payload parse() accepts; a real card carries well under 1 KiB.
inline constexpr std::size_t kMaxPayloadBytes = 4096;

/// What the showroom reads off a card. Dates are "YYYY-MM-DD"; sex is "M", "F", "X" or empty.
struct Licence {
    std::string documentType;  ///< "DL" or "ID": the subfile the fields came from
    std::string licenceNumber; ///< DAQ
    std::string familyName;    ///< DCS, or DAB / the first part of DAA on old cards
    std::string firstName;     ///< DAC, or the first part of DCT (versions 02-03) or DAA (version 01)
    std::string middleName;    ///< DAD, or the rest of DCT / DAA
    std::string birthDate;     ///< DBB, required
    std::string expiryDate;    ///< DBA, required
    std::string issueDate;     ///< DBD; empty when absent or unreadable
    std::string sex;           ///< DBC: 1 or M -> "M", 2 or F -> "F", 9 or X -> "X"
    std::string street;        ///< DAG
    std::string city;          ///< DAI
    std::string state;         ///< DAJ, the jurisdiction code ("VA", "ON")
    std::string postalCode;    ///< DAK: "12345", "12345-6789" or "M5V 2T6"
    std::string country;       ///< DCG; "USA" / "CAN" inferred from DAJ when absent, else empty
    std::string issuerId;      ///< the 6-digit issuer identification number (IIN) of the header
    int aamvaVersion = 0;      ///< 1..10
};

/// Parses a raw PDF417 payload: "@" LF RS CR, file type "ANSI " (or "AAMVA" on version 01 cards),
/// IIN, version, jurisdiction version (02+), entry count, subfile directory, then the DL or ID
/// subfile whose elements are separated by LF (CR or RS tolerated). Dates are MMDDCCYY on US cards and
/// CCYYMMDD on Canadian ones (DCG "CAN" or a province in DAJ); a date that only reads the other way is
/// taken that way. Directory offsets that miss are recovered by searching for the subfile designator;
/// unknown subfiles and elements are ignored. Fails with InvalidInput and a one-line reason for: more
/// than kMaxPayloadBytes, a control or non-ASCII byte other than the separators, a missing "@" or
/// compliance indicator, an unknown file type, a version outside 01..10, a truncated header or
/// directory, no DL/ID subfile, or a missing licence number, family name, first name, birth or expiry date.
[[nodiscard]] Result<Licence> parse(std::string_view payload);

/// Whether the holder may take a test drive on `todayYmd` ("YYYY-MM-DD"): the licence must not have
/// expired (the expiry date itself still counts) and the holder must be at least `minimumAge` years
/// old. InvalidInput saying which rule failed ("the licence expired on ...", "... at least 21 ...").
[[nodiscard]] Status checkForTestDrive(const Licence& licence, std::string_view todayYmd, int minimumAge);

} // namespace showroom::core::licence
