#pragma once
// Collects what a scanner driver posts, for tests: every wait is bounded (5 s), so a driver that
// never delivers fails the test instead of hanging it.

#include "showroom/core/scan.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace showroom::test {

struct ScanCollector {
    /// Drains the mailbox until `until()` holds (true) or five seconds pass (false).
    template <class Pred>
    bool waitFor(Pred until) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (std::chrono::steady_clock::now() < deadline) {
            for (auto& e : mailbox.waitAndDrain(std::chrono::milliseconds(20)))
                events.push_back(std::move(e));
            if (until()) return true;
        }
        return false;
    }
    std::vector<core::scan::Scan> scans() const {
        std::vector<core::scan::Scan> out;
        for (const auto& e : events)
            if (const auto* s = std::get_if<core::scan::Scan>(&e)) out.push_back(*s);
        return out;
    }
    /// The scans' bytes, in order.
    std::vector<std::string> payloads() const {
        std::vector<std::string> out;
        for (const auto& s : scans())
            out.push_back(s.bytes);
        return out;
    }
    std::vector<core::scan::ScannerStatus::State> states() const {
        std::vector<core::scan::ScannerStatus::State> out;
        for (const auto& e : events)
            if (const auto* s = std::get_if<core::scan::ScannerStatus>(&e)) out.push_back(s->state);
        return out;
    }
    bool lastStateIs(core::scan::ScannerStatus::State state) const {
        const auto all = states();
        return !all.empty() && all.back() == state;
    }

    core::scan::ScanMailbox mailbox;
    std::vector<core::scan::ScanEvent> events;
};

} // namespace showroom::test
