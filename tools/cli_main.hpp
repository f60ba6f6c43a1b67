#pragma once
// The part of main() that `showroom` and `showroom-hq` share: refuse unknown command words, parse
// with CLI11, run the selected command, and map what goes wrong to the exit codes of cli.hpp
// (2 bad input, 1 failure). Header-only so both programs (tools/ and sync/) use it unchanged.

#include "showroom/core/result.hpp"

#include <CLI/CLI.hpp>

#include <exception>
#include <functional>
#include <iostream>
#include <optional>
#include <string>

namespace showroom::cli {

/// The exit code for an error: 2 when the user can fix the input (bad or unknown values, refused
/// changes, a wrong token), 1 for everything else.
inline int exitCodeFor(core::ErrorCode code) {
    switch (code) {
    case core::ErrorCode::InvalidInput:
    case core::ErrorCode::NotFound:
    case core::ErrorCode::Duplicate:
    case core::ErrorCode::InvalidTransition:
    case core::ErrorCode::Conflict:
    case core::ErrorCode::Denied: return 2;
    default: return 1;
    }
}

/// CLI11 answers --help before it notices an unknown command, so `showroom nosuch --help` would
/// print the root help and exit 0, and a script could not tell a missing command from a present
/// one. This walks the command words first; the unknown one ("group word"), or nullopt.
inline std::optional<std::string> unknownCommand(CLI::App& app, int argc, char** argv) {
    CLI::App* current = &app;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--") break;
        if (arg.rfind("-", 0) == 0) {
            // Skip the value of an option given as "--name value".
            if (arg.find('=') == std::string::npos) {
                const CLI::Option* opt = nullptr;
                for (CLI::App* a = current; a && !opt; a = a->get_parent()) opt = a->get_option_no_throw(arg);
                if (opt && opt->get_type_size() > 0 && opt->get_expected_min() > 0) ++i;
            }
            continue;
        }
        if (current->get_subcommands({}).empty()) break;
        CLI::App* next = nullptr;
        for (CLI::App* sub : current->get_subcommands({}))
            if (sub->check_name(arg)) next = sub;
        if (!next) return (current == &app ? "" : current->get_name() + " ") + arg;
        current = next;
    }
    return std::nullopt;
}

/// Parses and runs. `run` runs the selected command and returns its exit code, or nullopt when no
/// command was selected. Messages go to stderr as "PROGRAM: ...".
inline int parseAndRun(CLI::App& app, int argc, char** argv, const std::string& program,
                       const std::function<std::optional<int>()>& run) {
    constexpr int kBadInput = 2, kFailure = 1;
    if (auto unknown = unknownCommand(app, argc, argv)) {
        std::cerr << program << ": unknown command '" << *unknown << "'; run with --help for the list\n";
        return kBadInput;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::cerr << program << ": " << e.what() << "\nRun with --help for usage.\n";
        return kBadInput;
    }
    try {
        if (auto code = run()) return *code;
        std::cerr << program << ": choose a command; run with --help for the list\n";
        return kBadInput;
    } catch (const std::exception& e) {
        std::cerr << program << ": internal error: " << e.what() << "\n";
        return kFailure;
    }
}

} // namespace showroom::cli
