#pragma once
// The two HqStorage backends, for openHqStorage (hq.cpp), and reading their rows. Private to sync/.

#include "showroom/sync/hq.hpp"

#include <charconv>
#include <cstdint>
#include <memory>
#include <string>

namespace showroom::sync::detail {

/// SQLite file at `path` (created when missing): WAL, a 5 s busy timeout, foreign keys on.
core::Result<std::unique_ptr<HqStorage>> openSqliteHqStorage(const std::string& path);
/// A libpq connection string (`postgresql://user@host:port/db`); Io when the server cannot be reached.
core::Result<std::unique_ptr<HqStorage>> openPostgresHqStorage(const std::string& url);

/// Column `column` of a row as text ("" for NULL or a missing column).
inline const std::string& text(const Row& row, std::size_t column) {
    static const std::string kEmpty;
    return column < row.size() && row[column] ? *row[column] : kEmpty;
}

/// Column `column` of a row as a whole number; Internal when the database returned something else.
inline core::Result<std::int64_t> number(const Row& row, std::size_t column) {
    const std::string& s = text(row, column);
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size())
        return core::fail(core::ErrorCode::Internal, "HQ's database returned '" + s + "' where a number belongs");
    return n;
}

} // namespace showroom::sync::detail
