// Hq::report(): network-wide figures for `showroom-hq report`.
//
// Counting is SQL both backends run (COUNT(DISTINCT CASE ...), MIN/MAX over ISO 8601 text, which
// sorts as time). Payment amounts are summed here instead: payloads are JSON text holding decimal
// strings ("500.00"), and reading them in SQL would need vendor JSON functions and a float sum.

#include "hq_backends.hpp"

#include "showroom/core/money.hpp"
#include "showroom/sync/hq.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <map>

namespace showroom::sync {

using core::ErrorCode;
using core::Result;

namespace {

using detail::number;
using detail::text;

/// The cents of a payment payload's "amount"; nullopt when it is missing or not a money string.
std::optional<core::Cents> paymentAmount(const std::string& payload) {
    const auto j = nlohmann::json::parse(payload, nullptr, false);
    if (!j.is_object()) return std::nullopt;
    const auto amount = j.find("amount");
    if (amount == j.end() || !amount->is_string()) return std::nullopt;
    auto cents = core::parseMoney(amount->get<std::string>());
    if (!cents) return std::nullopt;
    return *cents;
}

void addTo(ReportFigures& total, const ReportFigures& f) {
    total.events += f.events;
    total.dealsSigned += f.dealsSigned;
    total.paymentsReceived += f.paymentsReceived;
    total.paymentsCents += f.paymentsCents;
    total.paymentsWithoutAmount += f.paymentsWithoutAmount;
    total.vehiclesCheckedIn += f.vehiclesCheckedIn;
    total.leadsOpened += f.leadsOpened;
    if (!f.firstEventAt.empty() && (total.firstEventAt.empty() || f.firstEventAt < total.firstEventAt))
        total.firstEventAt = f.firstEventAt;
    if (f.lastEventAt > total.lastEventAt) total.lastEventAt = f.lastEventAt;
}

} // namespace

Result<NetworkReport> Hq::report() {
    auto rows = m_storage->query("SELECT s.id, s.code, s.name, s.created_at, COUNT(e.event_id), "
                                 "COUNT(DISTINCT CASE WHEN e.type = 'deal.signed' THEN e.entity_id END), "
                                 "COUNT(DISTINCT CASE WHEN e.type = 'vehicle.checked_in' THEN e.entity_id END), "
                                 "COUNT(DISTINCT CASE WHEN e.type = 'lead.opened' THEN e.entity_id END), "
                                 "MIN(e.created_at), MAX(e.created_at) "
                                 "FROM stores s LEFT JOIN events e ON e.store_id = s.id "
                                 "GROUP BY s.id, s.code, s.name, s.created_at ORDER BY s.code");
    if (!rows) return rows.error();
    NetworkReport out;
    out.stores.reserve(rows->size());
    std::map<std::string, std::size_t> byId;
    for (const auto& row : *rows) {
        StoreReport s;
        s.store = StoreInfo{text(row, 0), text(row, 1), text(row, 2), text(row, 3)};
        std::int64_t* counts[] = {&s.figures.events, &s.figures.dealsSigned, &s.figures.vehiclesCheckedIn,
                                  &s.figures.leadsOpened};
        for (std::size_t i = 0; i < 4; ++i) {
            auto n = number(row, 4 + i);
            if (!n) return n.error();
            *counts[i] = *n;
        }
        s.figures.firstEventAt = text(row, 8);
        s.figures.lastEventAt = text(row, 9);
        byId.emplace(s.store.id, out.stores.size());
        out.stores.push_back(std::move(s));
    }

    auto payments = m_storage->query("SELECT store_id, payload FROM events WHERE type = 'payment.received'");
    if (!payments) return payments.error();
    for (const auto& row : *payments) {
        const auto at = byId.find(text(row, 0));
        // Every event's store is enrolled (a foreign key); one missing means it enrolled after the
        // first statement ran, and its figures belong to the next report.
        if (at == byId.end()) continue;
        ReportFigures& f = out.stores[at->second].figures;
        ++f.paymentsReceived;
        if (const auto cents = paymentAmount(text(row, 1)))
            f.paymentsCents += *cents;
        else
            ++f.paymentsWithoutAmount;
    }

    for (const auto& s : out.stores)
        addTo(out.total, s.figures);
    return out;
}

} // namespace showroom::sync
