#pragma once
// The kiosk's user-visible text, one JSON table per language (assets/i18n/<lang>.json).
//
// Keys are dotted and lowercase ("kiosk.detail.book_test_drive"). Screens hold no literals: they ask
// tr(key). A missing key shows the key itself (never an empty button) and is counted, and a test
// fails when any key is missing in either language. Text may name values as "{name}", filled in by format().
// Thread: main thread only.

#include "showroom/core/result.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace showroom::kiosk {

enum class Language { English, Chinese };
std::string_view languageCode(Language language); ///< "en", "zh-CN"

class Strings {
public:
    /// Parses one table: a JSON object of key -> string. Anything else is InvalidInput.
    static core::Result<Strings> parse(std::string_view json);
    /// Reads assets/i18n/<code>.json under `assetsDir`.
    static core::Result<Strings> load(const std::string& assetsDir, Language language);

    /// The text for `key`, or the key itself when it is missing.
    const std::string& tr(std::string_view key) const;
    /// tr(key) with each "{name}" replaced by its value.
    std::string format(std::string_view key, const std::map<std::string, std::string>& values) const;

    std::vector<std::string> keys() const;
    /// Every text of the table run together (for building the font atlas).
    std::string allText() const;
    bool has(std::string_view key) const { return m_table.count(std::string(key)) > 0; }

private:
    std::map<std::string, std::string, std::less<>> m_table;
    mutable std::map<std::string, std::string, std::less<>> m_missing;
};

} // namespace showroom::kiosk
