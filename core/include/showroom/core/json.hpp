#pragma once
// JSON forms of the domain types, used for outbox payloads and the CLI's --json output.
// Keys are snake_case and stable: scripts and headquarters read them. Money is a decimal string
// ("31450.00") so no reader turns cents into binary floating point.

#include "showroom/core/domain.hpp"
#include "showroom/core/vin.hpp"

#include <nlohmann/json.hpp>

namespace showroom::core {

void to_json(nlohmann::json& j, const Showroom& s);
void to_json(nlohmann::json& j, const Vehicle& v);
void to_json(nlohmann::json& j, const Customer& c);
void to_json(nlohmann::json& j, const Lead& l);
void to_json(nlohmann::json& j, const FollowUp& f);
void to_json(nlohmann::json& j, const TestDrive& t);

namespace vin {
/// The keys of `showroom vin decode --json`: input, vin, valid, check_digit_ok, errors, warnings,
/// wmi, manufacturer, region, country, model_year_candidates, model_year_ambiguous.
void to_json(nlohmann::json& j, const Report& r);
} // namespace vin

} // namespace showroom::core
