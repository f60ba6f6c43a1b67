#pragma once
// The Store fixture filled with the demo dealership: three showrooms, staff with the demo PIN, 60
// vehicles, customers and leads at every stage.

#include "store_fixture.hpp"

#include "showroom/core/auth.hpp"
#include "showroom/core/demo.hpp"

namespace showroom::test {

struct DemoStore : Store {
    DemoStore() {
        auto seeded = core::demo::seed(conn, {60, 3, core::parseUtc("2026-11-01").value()});
        if (!seeded) ADD_FAILURE() << "demo::seed: " << seeded.error().message;
    }

    /// The first active staff member of this showroom with `role`.
    core::StaffMember member(core::StaffRole role) {
        auto all = core::Auth(ctx).staff();
        if (!all) {
            ADD_FAILURE() << all.error().message;
            return {};
        }
        for (const auto& m : *all)
            if (m.role == role) return m;
        ADD_FAILURE() << "no " << core::toString(role) << " at this showroom";
        return {};
    }
};

} // namespace showroom::test
