#pragma once
// Time and identity ports: where "now" and new UUIDs come from.
//
// Every timestamp Showroom stores is UTC, as ISO 8601 text with a 'Z' ("2026-11-22T09:30:00Z"),
// which sorts as text in time order. Services never read the system clock directly; they take a
// Clock, so tests and the demo generator can fix time.

#include "showroom/core/result.hpp"

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace showroom::core {

using UnixSeconds = std::int64_t;

class Clock {
public:
    virtual ~Clock() = default;
    virtual UnixSeconds now() const = 0;
};

/// The real UTC clock. Thread-safe.
class SystemClock final : public Clock {
public:
    UnixSeconds now() const override;
};

/// A clock that only moves when told to. For tests and the demo generator.
class ManualClock final : public Clock {
public:
    explicit ManualClock(UnixSeconds start) : m_now(start) {}
    UnixSeconds now() const override { return m_now; }
    void set(UnixSeconds t) { m_now = t; }
    void advance(std::int64_t seconds) { m_now += seconds; }

private:
    UnixSeconds m_now;
};

/// "2026-11-22T09:30:00Z".
std::string formatUtc(UnixSeconds t);
/// "2026-11-22".
std::string formatDate(UnixSeconds t);
/// Accepts "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SSZ" and "YYYY-MM-DD HH:MM:SS" (taken as UTC).
Result<UnixSeconds> parseUtc(std::string_view text);

/// `ymd` (YYYY-MM-DD) plus `months` calendar months, the day clamped to the month's length
/// (2027-01-31 + 1 -> 2027-02-28), as lenders date installments. "" when `ymd` is not a date.
std::string addMonths(std::string_view ymd, int months);
/// Days since 1970-01-01 for a civil date (proleptic Gregorian), and back.
std::int64_t daysFromCivil(int year, unsigned month, unsigned day);
int yearOf(UnixSeconds t);

/// Makes random (version 4) UUIDs. Seeded: the same seed gives the same sequence (demo data,
/// tests); unseeded: from the OS entropy source. Not thread-safe: one per thread.
class IdGenerator {
public:
    IdGenerator();
    explicit IdGenerator(std::uint64_t seed) : m_rng(seed) {}
    std::string uuid();

private:
    std::mt19937_64 m_rng;
};

} // namespace showroom::core
