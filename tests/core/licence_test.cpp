#include "showroom/core/licence.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace licence = showroom::core::licence;
using showroom::core::ErrorCode;

namespace {

struct Subfile {
    std::string type;                  ///< "DL", "ID", "ZV", ...
    std::vector<std::string> elements; ///< "DAQT64235789", ...
    std::string separator = "\n";      ///< between elements; LF on a well-made card
};

struct Card {
    int version = 10;
    std::string fileType = "ANSI ";
    std::string iin = "636000";
    std::vector<Subfile> subfiles;
    int offsetSkew = 0; ///< added to every directory offset, as a careless issuer would
};

std::string twoDigits(int n) {
    return (n < 10 ? "0" : "") + std::to_string(n);
}

std::string fourDigits(std::size_t n) {
    std::string s = std::to_string(n);
    return std::string(4 - s.size(), '0') + s;
}

// Assembles a payload the way a card printer does: header, directory with offsets counted from the
// first byte of the payload, then each subfile "<type><elements>\r".
std::string assemble(const Card& card) {
    std::string header = std::string("@\n\x1e\r") + card.fileType + card.iin + twoDigits(card.version);
    if (card.version >= 2) header += "00";
    header += twoDigits(static_cast<int>(card.subfiles.size()));
    std::vector<std::string> bodies;
    for (const auto& s : card.subfiles) {
        std::string body = s.type;
        for (std::size_t i = 0; i < s.elements.size(); ++i)
            body += (i ? s.separator : "") + s.elements[i];
        bodies.push_back(body + "\r");
    }
    std::size_t offset = header.size() + 10 * card.subfiles.size();
    std::string directory, data;
    for (std::size_t i = 0; i < bodies.size(); ++i) {
        directory += card.subfiles[i].type + fourDigits(offset + static_cast<std::size_t>(card.offsetSkew)) +
                     fourDigits(bodies[i].size());
        offset += bodies[i].size();
        data += bodies[i];
    }
    return header + directory + data;
}

std::vector<std::string> modernElements() {
    return {"DAQT64235789", "DCSSAMPLE",      "DACJANE",    "DADQUINN", "DBD01152020",    "DBB07041990", "DBA07042030",
            "DBC2",         "DAG123 MAIN ST", "DAIANYTOWN", "DAJVA",    "DAK232190000  ", "DCGUSA"};
}

Card modernCard(int version = 10) {
    return Card{version, "ANSI ", "636000", {{"DL", modernElements()}}};
}

licence::Licence parsed(const std::string& payload) {
    auto r = licence::parse(payload);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : licence::Licence{};
}

// The refusal message, after checking the payload was refused as InvalidInput.
std::string refusal(const std::string& payload) {
    auto r = licence::parse(payload);
    EXPECT_FALSE(r.ok()) << "accepted a broken payload";
    if (r.ok()) return {};
    EXPECT_EQ(r.error().code, ErrorCode::InvalidInput);
    EXPECT_EQ(r.error().message.find("T64235789"), std::string::npos) << "echoes the payload";
    EXPECT_EQ(r.error().message.find("SAMPLE"), std::string::npos) << "echoes the payload";
    return r.error().message;
}

std::vector<std::string> without(std::vector<std::string> elements, std::string_view id) {
    std::erase_if(elements, [&](const std::string& e) { return e.rfind(id, 0) == 0; });
    return elements;
}

std::vector<std::string> replaced(std::vector<std::string> elements, const std::string& element) {
    for (auto& e : elements)
        if (e.compare(0, 3, element, 0, 3) == 0) e = element;
    return elements;
}

void expectSampleHolder(const licence::Licence& l) {
    EXPECT_EQ(l.licenceNumber, "T64235789");
    EXPECT_EQ(l.familyName, "SAMPLE");
    EXPECT_EQ(l.firstName, "JANE");
    EXPECT_EQ(l.birthDate, "1990-07-04");
    EXPECT_EQ(l.expiryDate, "2030-07-04");
}

} // namespace

TEST(Licence, Version10CardYieldsEveryField) {
    const auto l = parsed(assemble(modernCard(10)));
    expectSampleHolder(l);
    EXPECT_EQ(l.documentType, "DL");
    EXPECT_EQ(l.middleName, "QUINN");
    EXPECT_EQ(l.issueDate, "2020-01-15");
    EXPECT_EQ(l.sex, "F");
    EXPECT_EQ(l.street, "123 MAIN ST");
    EXPECT_EQ(l.city, "ANYTOWN");
    EXPECT_EQ(l.state, "VA");
    EXPECT_EQ(l.postalCode, "23219");
    EXPECT_EQ(l.country, "USA");
    EXPECT_EQ(l.issuerId, "636000");
    EXPECT_EQ(l.aamvaVersion, 10);
}

TEST(Licence, Versions08And09ReadLikeVersion10) {
    for (int version : {8, 9}) {
        const auto l = parsed(assemble(modernCard(version)));
        expectSampleHolder(l);
        EXPECT_EQ(l.aamvaVersion, version);
    }
}

TEST(Licence, Version01CardSplitsTheFullNameOfTheOldAamvaFileType) {
    Card card{1,
              "AAMVA",
              "636026",
              {{"DL",
                {"DAQ0123456", "DAAPUBLIC,JOHN,QUINCY", "DAG1 ELM ST", "DAIPHOENIX", "DAJAZ", "DAK85001", "DBB19700131",
                 "DBA20280131", "DBC1"}}}};
    const auto l = parsed(assemble(card));
    EXPECT_EQ(l.familyName, "PUBLIC");
    EXPECT_EQ(l.firstName, "JOHN");
    EXPECT_EQ(l.middleName, "QUINCY");
    EXPECT_EQ(l.aamvaVersion, 1);
    EXPECT_EQ(l.issuerId, "636026");
    // Version 01 cards wrote CCYYMMDD even in the US; no date reads both ways.
    EXPECT_EQ(l.birthDate, "1970-01-31");
    EXPECT_EQ(l.expiryDate, "2028-01-31");
    EXPECT_EQ(l.sex, "M");
    EXPECT_EQ(l.country, "USA"); // no DCG on a version 01 card; AZ is a US state
    EXPECT_EQ(l.postalCode, "85001");
}

TEST(Licence, Version03GivenNamesComeFromDctWithSpaceOrComma) {
    auto elements = without(without(modernElements(), "DAC"), "DAD");
    elements.push_back("DCTJANE QUINN");
    auto l = parsed(assemble(Card{3, "ANSI ", "636000", {{"DL", elements}}}));
    expectSampleHolder(l);
    EXPECT_EQ(l.middleName, "QUINN");
    EXPECT_EQ(l.aamvaVersion, 3);

    elements.back() = "DCTJANE,QUINN";
    l = parsed(assemble(Card{3, "ANSI ", "636000", {{"DL", elements}}}));
    EXPECT_EQ(l.firstName, "JANE");
    EXPECT_EQ(l.middleName, "QUINN");
}

TEST(Licence, CanadianCardReadsCcyymmddDatesAndFormatsThePostalCode) {
    Card card{8,
              "ANSI ",
              "636012",
              {{"DL",
                {"DAQS1234-56789-01234", "DCSTREMBLAY", "DACMARIE", "DBB19850315", "DBA20310315", "DBD20260315", "DBC2",
                 "DAG100 KING ST W", "DAITORONTO", "DAJON", "DAKM5V2T6", "DCGCAN"}}}};
    const auto l = parsed(assemble(card));
    EXPECT_EQ(l.birthDate, "1985-03-15");
    EXPECT_EQ(l.expiryDate, "2031-03-15");
    EXPECT_EQ(l.issueDate, "2026-03-15");
    EXPECT_EQ(l.postalCode, "M5V 2T6");
    EXPECT_EQ(l.country, "CAN");
    EXPECT_EQ(l.state, "ON");

    // A province in DAJ is enough when DCG is missing; a spaced postal code stays as printed.
    card.subfiles[0].elements = replaced(without(card.subfiles[0].elements, "DCG"), "DAKM5V 2T6  ");
    const auto noCountry = parsed(assemble(card));
    EXPECT_EQ(noCountry.country, "CAN");
    EXPECT_EQ(noCountry.postalCode, "M5V 2T6");
    EXPECT_EQ(noCountry.birthDate, "1985-03-15");
}

TEST(Licence, ElementsSeparatedByCrOrRsInsteadOfLfAreRead) {
    for (const char* separator : {"\r", "\x1e"}) {
        Card card = modernCard();
        card.subfiles[0].separator = separator;
        const auto l = parsed(assemble(card));
        expectSampleHolder(l);
        EXPECT_EQ(l.country, "USA");
    }
}

TEST(Licence, AnExtraJurisdictionSubfileIsIgnored) {
    Card card = modernCard();
    card.subfiles.push_back({"ZV", {"ZVA01", "ZVBDAQ999", "ZVCDCSOTHER"}});
    auto l = parsed(assemble(card));
    expectSampleHolder(l);
    EXPECT_EQ(l.country, "USA");

    // The Z subfile first, DL second.
    std::swap(card.subfiles[0], card.subfiles[1]);
    l = parsed(assemble(card));
    expectSampleHolder(l);
}

TEST(Licence, WrongDirectoryOffsetsFallBackToTheSubfileDesignator) {
    for (int skew : {-7, 5, 3000}) {
        Card card = modernCard();
        card.subfiles.push_back({"ZV", {"ZVA01"}});
        card.offsetSkew = skew;
        const auto l = parsed(assemble(card));
        expectSampleHolder(l);
        EXPECT_EQ(l.country, "USA") << skew;
    }
}

TEST(Licence, ZipCodesAreNormalised) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"DAK123450000", "12345"}, {"DAK123456789", "12345-6789"},   {"DAK12345", "12345"},
        {"DAK12345   ", "12345"},  {"DAK12345678900", "12345-6789"}, {"DAK12345-6789", "12345-6789"}};
    for (const auto& [element, expected] : cases) {
        Card card = modernCard();
        card.subfiles[0].elements = replaced(card.subfiles[0].elements, element);
        EXPECT_EQ(parsed(assemble(card)).postalCode, expected) << element;
    }
}

TEST(Licence, SexCodesMapToLetters) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"DBC1", "M"}, {"DBC2", "F"}, {"DBC9", "X"}, {"DBCM", "M"}, {"DBCF", "F"}, {"DBCX", "X"}, {"DBC7", ""}};
    for (const auto& [element, expected] : cases) {
        Card card = modernCard();
        card.subfiles[0].elements = replaced(card.subfiles[0].elements, element);
        EXPECT_EQ(parsed(assemble(card)).sex, expected) << element;
    }
}

TEST(Licence, IdCardsAndMissingOptionalFieldsAreAccepted) {
    Card card = modernCard();
    card.subfiles[0].type = "ID";
    card.subfiles[0].elements = {"DAQT64235789", "DCSSAMPLE", "DACJANE", "DBB07041990", "DBA07042030", "DBD0115"};
    const auto l = parsed(assemble(card));
    expectSampleHolder(l);
    EXPECT_EQ(l.documentType, "ID");
    EXPECT_EQ(l.issueDate, ""); // truncated, so unreadable
    EXPECT_EQ(l.middleName, "");
    EXPECT_EQ(l.postalCode, "");
    EXPECT_EQ(l.country, "");
}

TEST(Licence, ATruncatedHeaderIsRefused) {
    const std::string full = assemble(modernCard());
    EXPECT_NE(refusal(full.substr(0, 14)).find("header is truncated"), std::string::npos);
    EXPECT_NE(refusal(full.substr(0, 6)).find("header is truncated"), std::string::npos);
    EXPECT_NE(refusal("").find("'@'"), std::string::npos);
}

TEST(Licence, ATruncatedDirectoryIsRefused) {
    Card card = modernCard();
    card.subfiles.push_back({"ZV", {"ZVA01"}});
    const std::string full = assemble(card);
    EXPECT_NE(refusal(full.substr(0, 21 + 15)).find("directory is truncated"), std::string::npos);
}

TEST(Licence, AMissingLicenceNumberIsRefused) {
    Card card = modernCard();
    card.subfiles[0].elements = without(card.subfiles[0].elements, "DAQ");
    EXPECT_NE(refusal(assemble(card)).find("licence number (DAQ) is missing"), std::string::npos);
}

TEST(Licence, MissingNamesAreRefused) {
    Card card = modernCard();
    card.subfiles[0].elements = without(card.subfiles[0].elements, "DCS");
    EXPECT_NE(refusal(assemble(card)).find("family name"), std::string::npos);
    card = modernCard();
    card.subfiles[0].elements = without(card.subfiles[0].elements, "DAC");
    EXPECT_NE(refusal(assemble(card)).find("first name"), std::string::npos);
}

TEST(Licence, AnImpossibleDateIsRefused) {
    Card card = modernCard();
    card.subfiles[0].elements = replaced(card.subfiles[0].elements, "DBB13452020");
    EXPECT_NE(refusal(assemble(card)).find("birth date (DBB) is not a valid date"), std::string::npos);

    card = modernCard();
    card.subfiles[0].elements = replaced(card.subfiles[0].elements, "DBA02292031"); // 2031 is no leap year
    EXPECT_NE(refusal(assemble(card)).find("expiry date (DBA) is not a valid date"), std::string::npos);

    card = modernCard();
    card.subfiles[0].elements = replaced(card.subfiles[0].elements, "DBB02292000"); // 2000 is one
    EXPECT_EQ(parsed(assemble(card)).birthDate, "2000-02-29");

    card = modernCard();
    card.subfiles[0].elements = without(card.subfiles[0].elements, "DBA");
    EXPECT_NE(refusal(assemble(card)).find("expiry date (DBA) is missing"), std::string::npos);
}

TEST(Licence, HeadersThatAreNotAamvaAreRefusedWithAReason) {
    std::string payload = assemble(modernCard());
    EXPECT_NE(refusal("not a licence").find("'@'"), std::string::npos);
    EXPECT_NE(refusal(payload.substr(4)).find("'@'"), std::string::npos);

    std::string wrongType = payload;
    wrongType.replace(4, 5, "XXXX ");
    EXPECT_NE(refusal(wrongType).find("unknown file type"), std::string::npos);

    std::string version11 = payload;
    version11.replace(15, 2, "11");
    EXPECT_NE(refusal(version11).find("version 11"), std::string::npos);
    std::string version00 = payload;
    version00.replace(15, 2, "00");
    EXPECT_NE(refusal(version00).find("version 00"), std::string::npos);
}

TEST(Licence, APayloadWithoutADlOrIdSubfileIsRefused) {
    Card card{10, "ANSI ", "636000", {{"ZV", {"ZVA01", "ZVBDAQ999"}}}};
    EXPECT_NE(refusal(assemble(card)).find("no DL or ID subfile"), std::string::npos);
}

TEST(Licence, OversizedOrBinaryPayloadsAreRefused) {
    std::string payload = assemble(modernCard());
    EXPECT_NE(refusal(payload + std::string(licence::kMaxPayloadBytes, ' ')).find("bytes"), std::string::npos);

    std::string withNul = payload;
    withNul.insert(40, 1, '\0');
    EXPECT_NE(refusal(withNul).find("unexpected byte 0x00"), std::string::npos);
    std::string withHighByte = payload;
    withHighByte[40] = static_cast<char>(0xC3);
    EXPECT_NE(refusal(withHighByte).find("0xC3"), std::string::npos);
}

TEST(Licence, EveryPrefixOfAGoodPayloadIsHandledWithoutCrashing) {
    Card card = modernCard();
    card.subfiles.push_back({"ZV", {"ZVA01"}});
    const std::string payload = assemble(card);
    for (std::size_t n = 0; n <= payload.size(); ++n) {
        auto r = licence::parse(std::string_view(payload).substr(0, n));
        if (!r.ok()) {
            EXPECT_EQ(r.error().code, ErrorCode::InvalidInput);
        }
    }
}

TEST(Licence, TestDriveNeedsAnUnexpiredLicence) {
    const auto l = parsed(assemble(modernCard()));
    EXPECT_TRUE(licence::checkForTestDrive(l, "2030-07-04", 21).ok()); // valid through its expiry date
    auto expired = licence::checkForTestDrive(l, "2030-07-05", 21);
    ASSERT_FALSE(expired.ok());
    EXPECT_EQ(expired.error().code, ErrorCode::InvalidInput);
    EXPECT_EQ(expired.error().message, "the licence expired on 2030-07-04");
}

TEST(Licence, TestDriveNeedsTheMinimumAge) {
    const auto l = parsed(assemble(modernCard())); // born 1990-07-04
    EXPECT_TRUE(licence::checkForTestDrive(l, "2011-07-04", 21).ok());
    auto young = licence::checkForTestDrive(l, "2011-07-03", 21);
    ASSERT_FALSE(young.ok());
    EXPECT_EQ(young.error().code, ErrorCode::InvalidInput);
    EXPECT_NE(young.error().message.find("at least 21"), std::string::npos);

    auto leapling = l;
    leapling.birthDate = "2004-02-29";
    EXPECT_FALSE(licence::checkForTestDrive(leapling, "2025-02-28", 21).ok());
    EXPECT_TRUE(licence::checkForTestDrive(leapling, "2025-03-01", 21).ok());
    EXPECT_FALSE(licence::checkForTestDrive(l, "2026-13-01", 21).ok());
}
