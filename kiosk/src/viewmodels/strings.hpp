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

/// Something to tell the person at the screen: an i18n key and the values it names. View-models
/// say what happened as a Notice; screens turn it into text with Strings::show(). Core's error
/// sentences are English and meant for logs: they appear only as the {detail} of a generic key.
struct Notice {
    std::string key;   ///< empty: nothing to say
    std::map<std::string, std::string> values;
    bool isError = false;

    bool empty() const { return key.empty(); }
    static Notice info(std::string key, std::map<std::string, std::string> values = {});
    static Notice error(std::string key, std::map<std::string, std::string> values = {});
    /// "kiosk.error.<code>" (e.g. kiosk.error.conflict) with the core's sentence as {detail}.
    static Notice fromError(const core::Error& error);
    /// A refused PIN (wrong, locked, or otherwise), as the PIN pad and manager approval show it.
    static Notice pinRefusal(const core::Error& error);
};

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

    /// The text of a notice. A value named "<x>_key" is itself a key: its text fills "{x}".
    std::string show(const Notice& notice) const;

    std::vector<std::string> keys() const;
    /// Every text of the table run together (for building the font atlas).
    std::string allText() const;
    bool has(std::string_view key) const { return m_table.count(std::string(key)) > 0; }

private:
    std::map<std::string, std::string, std::less<>> m_table;
    mutable std::map<std::string, std::string, std::less<>> m_missing;
};

} // namespace showroom::kiosk
