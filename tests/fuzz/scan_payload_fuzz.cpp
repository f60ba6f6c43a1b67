// Fuzz target for what a scanner hands to core: licence payloads and VIN labels are untrusted bytes
// from a barcode anyone can print. Whatever the bytes, nothing may crash, hang or read out of bounds,
// and what comes back must still keep the promises the headers make (checked below; a broken
// promise traps, so both libFuzzer and the replay runner report it as a crash).
//
// Built two ways: with clang's libFuzzer (`make fuzz`, SHOWROOM_FUZZ=ON) for open-ended runs, and
// linked to replay_main.cpp for the test suite, which replays seeds and a fixed set of mutations.

#include "showroom/core/licence.hpp"
#include "showroom/core/scan.hpp"
#include "showroom/core/vin.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

void require(bool promise) {
    if (!promise) __builtin_trap();
}

bool isDate(const std::string& s) {
    if (s.empty()) return true;
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

bool printable(const std::string& s) {
    for (unsigned char c : s)
        if (c < 0x20 || c > 0x7E) return false;
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace licence = showroom::core::licence;
    namespace scan = showroom::core::scan;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);

    if (auto l = licence::parse(bytes)) {
        require(size <= licence::kMaxPayloadBytes);
        require(!l->licenceNumber.empty() && !l->familyName.empty() && !l->firstName.empty());
        require(isDate(l->birthDate) && !l->birthDate.empty() && isDate(l->expiryDate) && !l->expiryDate.empty());
        require(isDate(l->issueDate));
        require(l->sex.empty() || l->sex == "M" || l->sex == "F" || l->sex == "X");
        require(l->aamvaVersion >= 1 && l->aamvaVersion <= 10);
        for (const std::string* field : {&l->licenceNumber, &l->familyName, &l->firstName, &l->middleName, &l->street,
                                         &l->city, &l->state, &l->postalCode, &l->country})
            require(printable(*field));
        (void)licence::checkForTestDrive(*l, "2026-11-22", 21);
    } else {
        require(!l.error().message.empty());
    }

    const scan::VinFinding vin = scan::findVin(bytes, 2027);
    if (vin.kind == scan::VinFinding::Kind::Valid) {
        require(vin.vin.size() == 17);
        require(showroom::core::vin::decode(vin.vin, 2027).valid);
    }
    if (vin.kind == scan::VinFinding::Kind::Invalid) require(!vin.problem.empty());

    const std::string utf8 = scan::toValidUtf8(bytes);
    require(scan::toValidUtf8(utf8) == utf8);
    const scan::AimSplit aim = scan::splitAim(bytes);
    require(aim.aim.size() + aim.rest.size() == size);
    return 0;
}
