#pragma once
// The two HqStorage backends, for openHqStorage (hq.cpp). Private to sync/.

#include "showroom/sync/hq.hpp"

#include <memory>
#include <string>

namespace showroom::sync::detail {

/// SQLite file at `path` (created when missing): WAL, a 5 s busy timeout, foreign keys on.
core::Result<std::unique_ptr<HqStorage>> openSqliteHqStorage(const std::string& path);
/// A libpq connection string (`postgresql://user@host:port/db`); Io when the server cannot be reached.
core::Result<std::unique_ptr<HqStorage>> openPostgresHqStorage(const std::string& url);

} // namespace showroom::sync::detail
