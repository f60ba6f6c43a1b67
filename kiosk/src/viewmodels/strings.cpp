#include "strings.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace showroom::kiosk {

std::string_view languageCode(Language language) { return language == Language::Chinese ? "zh-CN" : "en"; }

core::Result<Strings> Strings::parse(std::string_view json) {
    const auto doc = nlohmann::json::parse(json, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
        return core::fail(core::ErrorCode::InvalidInput, "a string table must be a JSON object of key -> text");
    Strings strings;
    for (const auto& [key, value] : doc.items()) {
        if (!value.is_string())
            return core::fail(core::ErrorCode::InvalidInput, "string table entry '" + key + "' is not text");
        strings.m_table.emplace(key, value.get<std::string>());
    }
    return strings;
}

core::Result<Strings> Strings::load(const std::string& assetsDir, Language language) {
    const std::string path = assetsDir + "/i18n/" + std::string(languageCode(language)) + ".json";
    std::ifstream in(path);
    if (!in) return core::fail(core::ErrorCode::Io, "cannot read the string table " + path);
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = parse(text.str());
    if (!parsed) return core::fail(parsed.error().code, path + ": " + parsed.error().message);
    return parsed;
}

const std::string& Strings::tr(std::string_view key) const {
    if (auto it = m_table.find(key); it != m_table.end()) return it->second;
    auto [it, inserted] = m_missing.emplace(std::string(key), std::string(key));
    return it->second;
}

std::string Strings::format(std::string_view key, const std::map<std::string, std::string>& values) const {
    std::string text = tr(key);
    for (const auto& [name, value] : values) {
        const std::string token = "{" + name + "}";
        for (auto pos = text.find(token); pos != std::string::npos; pos = text.find(token, pos + value.size()))
            text.replace(pos, token.size(), value);
    }
    return text;
}

std::string Strings::allText() const {
    std::string out;
    for (const auto& [key, text] : m_table) out += text;
    return out;
}

std::vector<std::string> Strings::keys() const {
    std::vector<std::string> out;
    for (const auto& [key, text] : m_table) out.push_back(key);
    return out;
}

std::string Strings::show(const Notice& notice) const {
    std::map<std::string, std::string> values = notice.values;
    for (const auto& [name, value] : notice.values)
        if (name.size() > 4 && name.compare(name.size() - 4, 4, "_key") == 0)
            values[name.substr(0, name.size() - 4)] = tr(value);
    return format(notice.key, values);
}

Notice Notice::info(std::string key, std::map<std::string, std::string> values) {
    return {std::move(key), std::move(values), false};
}

Notice Notice::error(std::string key, std::map<std::string, std::string> values) {
    return {std::move(key), std::move(values), true};
}

Notice Notice::fromError(const core::Error& e) {
    return error("kiosk.error." + std::string(core::toString(e.code)), {{"detail", e.message}});
}

Notice Notice::pinRefusal(const core::Error& e) {
    // Auth's sentences are for the audit log; the kiosk shows its own, translated.
    const std::string& why = e.message;
    if (why.find("locked") != std::string::npos) {
        const auto at = why.rfind("until ");
        return error("kiosk.staff.pin.locked", {{"until", at == std::string::npos ? "" : why.substr(at + 6)}});
    }
    if (const auto left = why.find(" attempts left"); left != std::string::npos) {
        const auto start = why.rfind(' ', left - 1);
        return error("kiosk.staff.pin.wrong", {{"left", why.substr(start + 1, left - start - 1)}});
    }
    return error("kiosk.staff.pin.refused");
}

} // namespace showroom::kiosk
