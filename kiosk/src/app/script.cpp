#include "script.hpp"

#include "showroom/devices/scan/virtual_scanner.hpp"

#include <charconv>
#include <sstream>

namespace showroom::kiosk {

namespace {

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

bool number(const std::string& s, long long& out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

} // namespace

core::Result<std::vector<ScriptStep>> parseScript(const std::string& text) {
    std::vector<ScriptStep> steps;
    std::istringstream in(text);
    std::string raw;
    int line = 0;
    while (std::getline(in, raw)) {
        ++line;
        const std::string l = trim(raw);
        if (l.empty() || l.front() == '#') continue;
        const auto space = l.find(' ');
        const std::string verb = l.substr(0, space);
        const std::string rest = space == std::string::npos ? "" : trim(l.substr(space + 1));
        auto bad = [&](const std::string& why) {
            return core::fail(core::ErrorCode::InvalidInput, "script line " + std::to_string(line) + ": " + why);
        };
        ScriptStep step{ScriptStep::Kind::Tap, "", "", 0, line};
        if (verb == "tap") {
            if (rest.empty()) return bad("tap needs a widget id or label");
            step.target = rest;
        } else if (verb == "type") {
            step.kind = ScriptStep::Kind::Type;
            // Keep the text as written after "type ", including inner spaces.
            step.text = space == std::string::npos ? "" : raw.substr(raw.find("type") + 5);
            while (!step.text.empty() && (step.text.back() == '\r' || step.text.back() == '\n')) step.text.pop_back();
        } else if (verb == "scanner") {
            step.kind = ScriptStep::Kind::Scanner;
            auto payload = devices::unescapePayload(rest);
            if (!payload || payload->empty()) return bad("scanner needs a payload (\\r \\n \\xHH escapes allowed)");
            step.text = std::move(*payload);
        } else if (verb == "scan") {
            step.kind = ScriptStep::Kind::Scan;
            if (rest.empty()) return bad("scan needs the scanned text");
            step.text = rest;
        } else if (verb == "key") {
            step.kind = ScriptStep::Kind::Key;
            if (rest != "enter" && rest != "tab" && rest != "backspace") return bad("key must be enter, tab or backspace");
            step.target = rest;
        } else if (verb == "drag") {
            step.kind = ScriptStep::Kind::Drag;
            const auto last = rest.rfind(' ');
            if (last == std::string::npos || !number(rest.substr(last + 1), step.number))
                return bad("drag needs a widget and a distance in pixels");
            step.target = trim(rest.substr(0, last));
        } else if (verb == "wait") {
            step.kind = ScriptStep::Kind::Wait;
            if (!number(rest, step.number) || step.number < 0 || step.number > 3'600'000)
                return bad("wait needs milliseconds (0..3600000)");
        } else if (verb == "expect") {
            step.kind = ScriptStep::Kind::Expect;
            const auto sp = rest.find(' ');
            if (sp == std::string::npos) return bad("expect needs a name and a value");
            step.target = rest.substr(0, sp);
            step.text = trim(rest.substr(sp + 1));
        } else if (verb == "await") {
            // await NAME VALUE: like expect, but background work (printing) may take real time.
            step.kind = ScriptStep::Kind::Await;
            const auto sp = rest.find(' ');
            if (sp == std::string::npos) return bad("await needs a name and a value");
            step.target = rest.substr(0, sp);
            step.text = trim(rest.substr(sp + 1));
            step.number = 10'000;
        } else if (verb == "settle") {
            step.kind = ScriptStep::Kind::Settle;
            if (!rest.empty()) return bad("settle takes nothing after it");
        } else if (verb == "screenshot") {
            step.kind = ScriptStep::Kind::Screenshot;
            if (rest.empty() || rest.find('/') != std::string::npos) return bad("screenshot needs a plain file name");
            step.target = rest;
        } else {
            return bad("unknown command '" + verb + "'");
        }
        steps.push_back(std::move(step));
    }
    return steps;
}

} // namespace showroom::kiosk
