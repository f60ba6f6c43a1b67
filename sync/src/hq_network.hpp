#pragma once
// HQ's network rules (hq.hpp, "Network rules"), applied by Hq::ingest to each event it stores, in
// the transaction that stores it. Private to sync/.

#include "showroom/sync/hq.hpp"

#include <string>

namespace showroom::sync::detail {

/// Whether HQ does more with `e` than store it (it then writes changes, so ingest takes the change
/// lock before storing anything).
bool interpretedByHq(const Event& e);

/// Applies the rules for one newly stored event of `store`.
core::Status applyNetworkRules(HqStorage& storage, const StoreInfo& store, const Event& e, const std::string& now);

/// Takes the row lock that makes change writers commit in sequence order (see Hq::ingest). Call it
/// first thing in a transaction that will write changes.
core::Status lockChanges(HqStorage& storage);

/// The numbered schema steps after the backend's base schema (portable SQL), for Hq::migrate.
core::Status migrateNetworkSchema(HqStorage& storage);

} // namespace showroom::sync::detail
