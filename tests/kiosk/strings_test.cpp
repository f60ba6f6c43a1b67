// The kiosk's string tables (assets/i18n/en.json, zh-CN.json): every text a customer can be shown
// exists in both languages, with the same placeholders, and the table code behaves as documented.

#include "viewmodels/strings.hpp"

#include "showroom/core/demo_catalog.hpp"
#include "showroom/core/domain.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#ifndef SHOWROOM_SOURCE_DIR
#error "SHOWROOM_SOURCE_DIR must name the repository root"
#endif

namespace core = showroom::core;
using showroom::kiosk::Language;
using showroom::kiosk::Strings;

namespace {

const std::string kAssets = SHOWROOM_SOURCE_DIR "/assets";

Strings table(Language language) {
    auto loaded = Strings::load(kAssets, language);
    if (!loaded) {
        ADD_FAILURE() << loaded.error().message;
        return Strings::parse("{}").value();
    }
    return std::move(loaded).value();
}

std::set<std::string> placeholders(const std::string& text) {
    static const std::regex kPlaceholder(R"(\{[^{}]*\})");
    std::set<std::string> out;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), kPlaceholder); it != std::sregex_iterator(); ++it)
        out.insert(it->str());
    return out;
}

// Every whole string literal "kiosk.<dotted.lowercase>" in the kiosk sources, with where it was seen.
// Literals ending in '.' ("kiosk.body.") are prefixes completed at run time and do not match.
std::map<std::string, std::string> keysUsedInSources() {
    static const std::regex kLiteral("\"(kiosk\\.[a-z0-9_.]+[a-z0-9_])\"");
    std::map<std::string, std::string> out;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(SHOWROOM_SOURCE_DIR "/kiosk/src")) {
        const auto ext = entry.path().extension();
        if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp")) continue;
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        const std::string source = text.str();
        for (auto it = std::sregex_iterator(source.begin(), source.end(), kLiteral); it != std::sregex_iterator(); ++it)
            out.emplace((*it)[1].str(), entry.path().filename().string());
    }
    return out;
}

} // namespace

TEST(StringTables, EnglishAndChineseHaveTheSameKeys) {
    const auto en = table(Language::English), zh = table(Language::Chinese);
    ASSERT_FALSE(en.keys().empty());
    const auto enKeys = en.keys(), zhKeys = zh.keys();
    const std::set<std::string> a(enKeys.begin(), enKeys.end()), b(zhKeys.begin(), zhKeys.end());
    for (const auto& key : a) EXPECT_TRUE(b.count(key)) << key << " has no Chinese text";
    for (const auto& key : b) EXPECT_TRUE(a.count(key)) << key << " has no English text";
}

TEST(StringTables, NoTextIsEmpty) {
    for (auto language : {Language::English, Language::Chinese}) {
        const auto strings = table(language);
        for (const auto& key : strings.keys())
            EXPECT_FALSE(strings.tr(key).empty()) << showroom::kiosk::languageCode(language) << ": " << key;
    }
}

TEST(StringTables, TranslationsKeepEveryPlaceholder) {
    const auto en = table(Language::English), zh = table(Language::Chinese);
    int withPlaceholders = 0;
    for (const auto& key : en.keys()) {
        if (!zh.has(key)) continue; // reported by EnglishAndChineseHaveTheSameKeys
        const auto p = placeholders(en.tr(key));
        withPlaceholders += !p.empty();
        EXPECT_EQ(p, placeholders(zh.tr(key))) << key << ": \"" << en.tr(key) << "\" vs \"" << zh.tr(key) << "\"";
    }
    EXPECT_GT(withPlaceholders, 0) << "the count and price texts carry placeholders";
}

TEST(StringTables, EveryKeyTheKioskShowsExistsInBothLanguages) {
    const auto en = table(Language::English), zh = table(Language::Chinese);
    const auto used = keysUsedInSources();
    ASSERT_GT(used.size(), 20u) << "scanned " SHOWROOM_SOURCE_DIR "/kiosk/src and found hardly any keys";
    ASSERT_TRUE(used.count("kiosk.estimate.cannot_estimate")) << "the view-model's error keys are scanned too";
    for (const auto& [key, file] : used) {
        EXPECT_TRUE(en.has(key)) << key << " (used in " << file << ") is missing from en.json";
        EXPECT_TRUE(zh.has(key)) << key << " (used in " << file << ") is missing from zh-CN.json";
    }
}

TEST(StringTables, EveryBodyFuelAndConditionChipHasALabel) {
    const auto en = table(Language::English), zh = table(Language::Chinese);
    std::set<std::string> keys;
    for (const auto& model : core::demo::models()) {
        keys.insert("kiosk.body." + std::string(model.body));
        keys.insert("kiosk.fuel." + std::string(model.fuel));
    }
    for (auto condition : {core::Condition::New, core::Condition::Used, core::Condition::Certified})
        keys.insert("kiosk.condition." + std::string(core::toString(condition)));
    ASSERT_GE(keys.size(), 3u + 6u + 5u);
    for (const auto& key : keys) {
        EXPECT_TRUE(en.has(key)) << key << " is missing from en.json";
        EXPECT_TRUE(zh.has(key)) << key << " is missing from zh-CN.json";
    }
}

TEST(StringTables, AMissingKeyShowsTheKeyRatherThanNothing) {
    const auto en = table(Language::English);
    EXPECT_EQ(en.tr("kiosk.no_such.key"), "kiosk.no_such.key");
    EXPECT_EQ(en.tr("kiosk.no_such.key"), "kiosk.no_such.key") << "asked twice, still the key";
    EXPECT_FALSE(en.has("kiosk.no_such.key"));
    EXPECT_EQ(en.format("kiosk.no_such.key", {{"count", "3"}}), "kiosk.no_such.key");
    EXPECT_EQ(en.tr("kiosk.back"), "Back");
}

TEST(StringTables, FormatFillsInEveryPlaceholder) {
    const auto en = table(Language::English), zh = table(Language::Chinese);
    EXPECT_EQ(en.format("kiosk.browse.count", {{"count", "48"}}), "48 cars");
    const std::string chinese = zh.format("kiosk.browse.count", {{"count", "48"}});
    EXPECT_NE(chinese.find("48"), std::string::npos) << chinese;
    EXPECT_EQ(chinese.find("{count}"), std::string::npos) << chinese;

    auto t = Strings::parse(R"({"k": "{a} and {b}, again {a}", "self": "{x}{x}", "none": "plain"})");
    ASSERT_TRUE(t) << t.error().message;
    EXPECT_EQ(t->format("k", {{"a", "Alice"}, {"b", "Bo"}}), "Alice and Bo, again Alice");
    EXPECT_EQ(t->format("self", {{"x", "{x}"}}), "{x}{x}") << "a value that looks like a placeholder is not expanded";
    EXPECT_EQ(t->format("none", {{"a", "Alice"}}), "plain");
    EXPECT_EQ(t->format("k", {{"a", ""}, {"b", ""}}), " and , again ");
}

TEST(StringTables, ParseRefusesAnythingButAnObjectOfTexts) {
    for (const char* bad : {"", "not json", "[\"kiosk.back\", \"Back\"]", "\"Back\"", "42", "null",
                            R"({"kiosk.back": 1})", R"({"kiosk.back": {"text": "Back"}})", R"({"kiosk.back": null})",
                            R"({"kiosk.a": "A", "kiosk.b": ["B"]})", R"({"kiosk.back": "Back")"}) {
        auto parsed = Strings::parse(bad);
        ASSERT_FALSE(parsed) << "accepted: " << bad;
        EXPECT_EQ(parsed.error().code, core::ErrorCode::InvalidInput) << bad;
    }
    auto empty = Strings::parse("{}");
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->keys().empty());
    auto good = Strings::parse(R"({"kiosk.back": "返回"})");
    ASSERT_TRUE(good);
    EXPECT_EQ(good->tr("kiosk.back"), "返回");
}

TEST(StringTables, LoadingFromAMissingFolderIsAnError) {
    auto missing = Strings::load(SHOWROOM_SOURCE_DIR "/no-such-assets", Language::English);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, core::ErrorCode::Io);
    EXPECT_EQ(showroom::kiosk::languageCode(Language::English), "en");
    EXPECT_EQ(showroom::kiosk::languageCode(Language::Chinese), "zh-CN");
}

namespace {

// Screens and widgets show words only through the string tables. Any other string literal there
// must be an id, a key, a format or a symbol: one that looks like prose (a capital letter, or words
// separated by a space) fails this test with its file and line.
TEST(KioskStrings, ScreensHoldNoUserVisibleLiterals) {
    const std::regex literal(R"re("((?:[^"\\]|\\.)*)")re");
    const std::regex prose(R"([A-Za-z][^"]*[ ][A-Za-z]|[A-Z][a-z])");
    std::vector<std::string> offenders;
    // theme.cpp is left out: its strings are font paths and start-up errors for the log, never drawn.
    std::vector<std::filesystem::path> files{std::string(SHOWROOM_SOURCE_DIR) + "/kiosk/src/widgets/widgets.cpp"};
    for (const auto& entry : std::filesystem::directory_iterator(std::string(SHOWROOM_SOURCE_DIR) + "/kiosk/src/screens"))
        files.push_back(entry.path());
    {
        for (const auto& entry : files) {
            std::ifstream in(entry);
            std::string line;
            int number = 0;
            while (std::getline(in, line)) {
                ++number;
                const auto code = line.substr(0, line.find("//"));
                if (code.find("#include") != std::string::npos) continue;
                for (std::sregex_iterator it(code.begin(), code.end(), literal), end; it != end; ++it) {
                    const std::string text = (*it)[1];
                    if (text.rfind("kiosk.", 0) == 0) continue;
                    if (std::regex_search(text, prose))
                        offenders.push_back(entry.filename().string() + ":" + std::to_string(number) + " \"" +
                                            text + "\"");
                }
            }
        }
    }
    for (const auto& o : offenders) ADD_FAILURE() << "literal text in a screen: " << o;
    EXPECT_TRUE(offenders.empty());
}

} // namespace
