// `showroom license parse FILE`: reads the raw PDF417 payload of a driver's licence or ID card.
#include "cli.hpp"

#include "showroom/core/licence.hpp"

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

namespace showroom::cli {

namespace {

// Reads at most one byte more than parse() accepts, so a huge or endless input costs nothing and
// still fails as "too large".
std::optional<std::string> readPayload(const std::string& path) {
    std::ifstream file;
    std::istream* in = &std::cin;
    if (path != "-") {
        file.open(path, std::ios::binary);
        if (!file) return std::nullopt;
        in = &file;
    }
    std::string payload(core::licence::kMaxPayloadBytes + 1, '\0');
    in->read(payload.data(), static_cast<std::streamsize>(payload.size()));
    if (in->bad()) return std::nullopt;
    payload.resize(static_cast<std::size_t>(in->gcount()));
    return payload;
}

nlohmann::json orNull(const std::string& value) {
    return value.empty() ? nlohmann::json() : nlohmann::json(value);
}

} // namespace

void addLicenceCommands(CLI::App& app, Cli& cli) {
    auto* licence = app.add_subcommand("license", "Driver's licences and ID cards (AAMVA PDF417 payloads)");
    licence->alias("licence");
    licence->require_subcommand(1);

    auto file = std::make_shared<std::string>();
    auto* cmd = licence->add_subcommand("parse", "Read the fields of a scanned licence barcode; always prints JSON");
    cmd->add_option("file", *file, "File with the raw barcode payload, or - for stdin")->required();
    cli.on(cmd, [&cli, file] {
        const auto payload = readPayload(*file);
        if (!payload) return cli.report(core::fail(core::ErrorCode::InvalidInput, "cannot read " + *file));
        // The payload is the holder's personal data: it is never printed back, only the reason.
        auto l = core::licence::parse(*payload);
        if (!l) return cli.report(l.error());
        cli.printJson({{"licence_number", orNull(l->licenceNumber)},
                       {"family_name", orNull(l->familyName)},
                       {"first_name", orNull(l->firstName)},
                       {"middle_name", orNull(l->middleName)},
                       {"birth_date", orNull(l->birthDate)},
                       {"expiry_date", orNull(l->expiryDate)},
                       {"issue_date", orNull(l->issueDate)},
                       {"sex", orNull(l->sex)},
                       {"street", orNull(l->street)},
                       {"city", orNull(l->city)},
                       {"state", orNull(l->state)},
                       {"postal_code", orNull(l->postalCode)},
                       {"country", orNull(l->country)}});
        return Exit::Ok;
    });
}

} // namespace showroom::cli
