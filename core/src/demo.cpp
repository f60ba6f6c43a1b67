#include "showroom/core/demo.hpp"

#include "showroom/core/auth.hpp"
#include "showroom/core/crm.hpp"
#include "showroom/core/deals.hpp"
#include "showroom/core/demo_catalog.hpp"
#include "showroom/core/inventory.hpp"
#include "showroom/core/journal.hpp"
#include "showroom/core/json.hpp"
#include "showroom/core/store.hpp"
#include "showroom/core/vin.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

namespace showroom::core::demo {

namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kHistoryDays = 540; // 18 months

// Small deterministic helpers on top of mt19937_64, whose output is fixed by the standard (the
// <random> distributions are not, and would make the demo differ between standard libraries).
class Dice {
public:
    explicit Dice(std::uint64_t seed) : m_rng(seed) {}
    std::int64_t between(std::int64_t lo, std::int64_t hi) {
        return lo + static_cast<std::int64_t>(m_rng() % static_cast<std::uint64_t>(hi - lo + 1));
    }
    double unit() { return static_cast<double>(m_rng() >> 11) * (1.0 / 9007199254740992.0); }
    bool chance(double p) { return unit() < p; }
    template <class T>
    const T& pick(std::span<const T> items) {
        return items[static_cast<std::size_t>(between(0, static_cast<std::int64_t>(items.size()) - 1))];
    }
    std::uint64_t raw() { return m_rng(); }

private:
    std::mt19937_64 m_rng;
};

constexpr std::string_view kVinAlphabet = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ";
constexpr std::string_view kYearCodes = "ABCDEFGHJKLMNPRSTVWXY123456789"; // 1980 + i, 30-year cycle

char yearCode(int year) { return kYearCodes[static_cast<std::size_t>((year - 1980) % 30)]; }

const ModelSpec& pickModel(Dice& dice) {
    const auto all = models();
    int total = 0;
    for (const auto& m : all) total += m.weight;
    auto roll = dice.between(1, total);
    for (const auto& m : all) {
        roll -= m.weight;
        if (roll <= 0) return m;
    }
    return all.front();
}

// Monthly demand shape: spring and year-end peaks, a February trough (US retail pattern).
double seasonality(int month) {
    static constexpr double kShape[] = {0.85, 0.80, 1.05, 1.05, 1.10, 1.05, 1.00, 1.05, 0.95, 0.95, 1.00, 1.15};
    return kShape[month - 1];
}

int monthOf(UnixSeconds t) { return std::stoi(formatDate(t).substr(5, 2)); }

// A sale date in the last 18 months, drawn so that volume trends up ~15 % a year and follows
// seasonality (rejection sampling keeps it exact and deterministic).
UnixSeconds saleDate(Dice& dice, UnixSeconds asOf) {
    for (;;) {
        const std::int64_t daysAgo = dice.between(1, kHistoryDays);
        const UnixSeconds t = asOf - daysAgo * kDay + dice.between(9 * 3600, 19 * 3600) - asOf % kDay;
        const double trend = 1.0 - 0.15 * static_cast<double>(daysAgo) / 365.0;
        if (dice.unit() * 1.3 < trend * seasonality(monthOf(t))) return t;
    }
}

Cents roundTo(Cents cents, Cents step) { return (cents + step / 2) / step * step; }

struct StaffIds {
    std::vector<std::string> sales;
    std::string manager, porter;
};

Result<std::string> addStaff(Context& ctx, const std::string& storeId, std::string_view name, StaffRole role) {
    const std::string id = ctx.ids.uuid();
    std::string email;
    for (char c : name) email += c == ' ' ? '.' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    email += "@riverside-motors.example";
    auto stmt = ctx.db.prepare(
        "INSERT INTO staff(id, store_id, name, email, role, active, created_at) VALUES (?, ?, ?, ?, ?, 1, ?)");
    if (!stmt) return stmt.error();
    if (auto st = stmt->bindAll(id, storeId, name, email, toString(role), ctx.now()).run(); !st) return st.error();
    if (auto st = record(ctx, "staff.added", "staff", id, {{"name", name}, {"role", toString(role)}}, Sync::No); !st)
        return st.error();
    return id;
}

std::string personName(Dice& dice) {
    return std::string(dice.pick(firstNames())) + " " + std::string(dice.pick(lastNames()));
}

// Two showrooms of the group this store only knows through headquarters: their stock as HQ's
// "vehicle" changes leave it in network_vehicles (sync/protocol.hpp), so the kiosk can offer it as
// "available at another showroom". Fixed cars, no dice: the rest of the demo stays as it was.
// Rivians are nowhere in the local catalog, so searching "rivian" finds them only there.
Status seedNetworkStock(db::Connection& db, int thisYear, UnixSeconds asOf) {
    struct Car {
        const char* store;
        const char* wmi;
        int age;
        const char *make, *model, *trim, *body, *fuel, *color;
        Condition condition;
        std::int64_t odometer;
        Cents price;
        VehicleStatus status;
    };
    static constexpr Car kCars[] = {
        {"NTH", "7PD", 0, "Rivian", "R1S", "Adventure Dual-Motor", "suv", "electric", "Rivian Blue", Condition::New, 12,
         8'499'000, VehicleStatus::InStock},
        {"NTH", "WP0", 2, "Porsche", "Taycan", "4S", "sedan", "electric", "Frozen Blue Metallic", Condition::Certified,
         14'200, 8'990'000, VehicleStatus::InStock},
        {"NTH", "3TM", 3, "Toyota", "Tacoma", "TRD Off-Road", "pickup", "gasoline", "Army Green", Condition::Used,
         33'800, 3'840'000, VehicleStatus::InStock},
        {"NTH", "2HG", 1, "Honda", "Civic", "Sport", "sedan", "gasoline", "Sonic Gray Pearl", Condition::Used, 11'200,
         2'490'000, VehicleStatus::Sold},
        {"AIR", "7FC", 1, "Rivian", "R1T", "Adventure Quad-Motor", "pickup", "electric", "Launch Green",
         Condition::Used, 9'850, 7'250'000, VehicleStatus::InStock},
        {"AIR", "2T2", 0, "Lexus", "RX", "350h Premium", "suv", "hybrid", "Caviar Black", Condition::New, 8, 5'620'000,
         VehicleStatus::InStock},
        {"AIR", "WBS", 3, "BMW", "M4", "Competition", "coupe", "gasoline", "Isle of Man Green Metallic",
         Condition::Used, 18'400, 6'890'000, VehicleStatus::InStock},
        {"AIR", "WMW", 2, "MINI", "Cooper S", "Hardtop 2 Door", "hatchback", "gasoline", "Chili Red",
         Condition::Certified, 16'900, 2'740'000, VehicleStatus::InStock},
        {"AIR", "KND", 1, "Kia", "Carnival", "EX", "van", "gasoline", "Astra Blue", Condition::Used, 21'000, 3'390'000,
         VehicleStatus::OnHold},
    };
    auto insert = db.prepare("INSERT INTO network_vehicles(store_code, vin, data, hq_seq) VALUES (?, ?, ?, ?)");
    if (!insert) return insert.error();
    std::int64_t seq = 0;
    for (const Car& c : kCars) {
        Vehicle v;
        v.id = std::string("hq-") + c.store + "-" + std::to_string(seq + 1);
        v.storeId = v.id;
        v.year = thisYear - c.age;
        v.vin = makeVin(c.wmi, v.year, 900'001 + static_cast<std::uint64_t>(seq));
        v.stockNo = std::string(c.store) + "-" + std::to_string(7001 + seq);
        v.condition = c.condition;
        v.make = c.make;
        v.model = c.model;
        v.trim = c.trim;
        v.body = c.body;
        v.fuel = c.fuel;
        v.drivetrain = c.body == std::string_view("sedan") ? "AWD" : "4WD";
        v.transmission = "Automatic";
        v.exteriorColor = c.color;
        v.interiorColor = "Black";
        v.odometer = c.odometer;
        v.price = c.price;
        v.msrp = c.price;
        v.status = c.status;
        v.receivedAt = formatUtc(asOf - (12 + 9 * seq) * kDay);
        v.statusChangedAt = v.receivedAt;
        v.createdAt = v.receivedAt;
        v.updatedAt = v.receivedAt;
        nlohmann::json data = v;
        data.erase("cost"); // HQ never sends another showroom's cost
        data["store_code"] = c.store;
        data["store_name"] =
            c.store == std::string_view("NTH") ? "Riverside Motors North Hills" : "Riverside Motors Airport";
        insert->reset();
        if (auto st = insert->bindAll(std::string(c.store), v.vin, data.dump(), ++seq).run(); !st) return st.error();
    }
    return {};
}

} // namespace

std::string makeVin(std::string_view wmi, int modelYear, std::uint64_t serial) {
    std::string v(wmi);
    std::uint64_t bits = serial * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL;
    for (int i = 0; i < 5; ++i) {
        v += kVinAlphabet[bits % kVinAlphabet.size()];
        bits /= kVinAlphabet.size();
    }
    // Position 7 tells the 30-year cycle apart for North American VINs: a digit before 2010.
    const bool northAmerican = !wmi.empty() && wmi[0] >= '1' && wmi[0] <= '5';
    if (northAmerican) v[6] = modelYear >= 2010 ? "ABCDEFGHJKLMNPRSTUVWXYZ"[bits % 23] : "0123456789"[bits % 10];
    v += '0'; // position 9: the check digit, computed once the rest is known
    v += yearCode(modelYear);
    v += kVinAlphabet[(bits / 7) % kVinAlphabet.size()]; // plant
    const std::string digits = std::to_string(100000 + serial % 900000);
    v += digits;
    v[8] = vin::computeCheckDigit(v);
    return v;
}

Result<SeedReport> seed(db::Connection& db, const SeedOptions& o) {
    if (o.vehicles < 1 || o.vehicles > 1'000'000)
        return fail(ErrorCode::InvalidInput, "the demo needs 1..1,000,000 vehicles");
    {
        auto stmt = db.prepare("SELECT count(*) FROM vehicles");
        if (!stmt) return stmt.error();
        auto row = stmt->step();
        if (!row) return row.error();
        if (stmt->getInt(0) > 0)
            return fail(ErrorCode::Conflict, "the database already holds vehicles: seed the demo into a new file");
    }
    Dice dice(o.seed);
    ManualClock clock(o.asOf - (kHistoryDays + 240) * kDay);
    IdGenerator ids(o.seed ^ 0x5EEDULL);
    Context ctx{db, clock, ids, "demo"};
    SeedReport report;

    auto tx = db::Transaction::begin(db);
    if (!tx) return tx.error();

    // Showrooms and staff.
    auto local = ensureLocalStore(ctx, "DTN", "Riverside Motors Downtown", "Springfield");
    if (!local) return local.error();
    // A postal address and phone for the contract header (a real store enters these at setup).
    if (auto addr = db.prepare("UPDATE stores SET street = '1200 Riverside Drive', state = 'IL', "
                               "postal_code = '62704', phone = '(217) 555-0142' WHERE id = ?");
        !addr || !addr->bindAll(local->id).run())
        return fail(ErrorCode::Storage, "could not set the demo showroom's address");
    std::vector<Showroom> showrooms{*local};
    for (auto [code, name, city] : {std::tuple{"NGT", "Riverside Motors Northgate", "Shelbyville"},
                                    std::tuple{"LKS", "Riverside Motors Lakeside", "Capital City"}}) {
        auto s = addShowroom(ctx, Showroom{"", code, name, city, "", "UTC"});
        if (!s) return s.error();
        showrooms.push_back(*s);
    }
    report.showrooms = static_cast<int>(showrooms.size());
    std::vector<StaffIds> staff(showrooms.size());
    for (std::size_t i = 0; i < showrooms.size(); ++i) {
        for (int k = 0; k < 3; ++k) {
            auto id = addStaff(ctx, showrooms[i].id, personName(dice), StaffRole::Sales);
            if (!id) return id.error();
            staff[i].sales.push_back(*id);
        }
        auto manager = addStaff(ctx, showrooms[i].id, personName(dice), StaffRole::Manager);
        auto finance = addStaff(ctx, showrooms[i].id, personName(dice), StaffRole::Finance);
        auto porter = addStaff(ctx, showrooms[i].id, personName(dice), StaffRole::Porter);
        for (const auto* r : {&manager, &finance, &porter})
            if (!*r) return r->error();
        staff[i].manager = *manager;
        staff[i].porter = *porter;
        report.staff += 6;
    }
    auto admin = addStaff(ctx, local->id, "Pat Admin", StaffRole::Admin);
    if (!admin) return admin.error();
    ++report.staff;
    // One argon2id hash (~60 ms) shared by every demo account instead of one each.
    if (auto st = Auth(ctx).setPin(*admin, kDemoPin); !st) return st.error();
    if (auto st = db.exec("UPDATE staff SET pin_hash = (SELECT pin_hash FROM staff WHERE name = 'Pat Admin')"); !st)
        return st.error();

    Inventory inventory(ctx);
    Crm crm(ctx);
    Deals deals(ctx);
    const int thisYear = yearOf(o.asOf);
    std::uint64_t serial = 1;
    int customerNo = 0;

    auto newCustomer = [&](const std::string& storeId, std::string_view source) -> Result<Customer> {
        Customer c;
        c.storeId = storeId;
        c.firstName = dice.pick(firstNames());
        c.lastName = dice.pick(lastNames());
        ++customerNo;
        c.phone = "(555) " + std::to_string(200 + customerNo / 9000) + "-" +
                  std::to_string(1000 + customerNo % 9000);
        std::string user = c.firstName + "." + c.lastName + std::to_string(customerNo);
        std::transform(user.begin(), user.end(), user.begin(),
                       [](unsigned char ch) { return ch == ' ' ? '.' : static_cast<char>(std::tolower(ch)); });
        c.email = user + "@mail.example";
        c.street = std::to_string(dice.between(10, 9900)) + " " + std::string(dice.pick(streets()));
        c.city = dice.pick(cities());
        c.state = "IL";
        c.postalCode = std::to_string(dice.between(60001, 62999));
        c.consentContact = true;
        c.consentMarketing = dice.chance(0.6);
        c.source = source;
        auto added = crm.addCustomer(c);
        if (added) ++report.customers;
        return added;
    };

    // Nothing happens after the demo's today: every step is clamped to a few hours before it.
    const UnixSeconds latest = o.asOf - 4 * 3600;
    auto later = [&](UnixSeconds t, std::int64_t by) { return std::max(t, std::min(t + by, latest)); };

    // Walks a lead from its stage to `last`, a few days per stage, starting at `t`.
    auto walkLead = [&](Lead& lead, LeadStage last, UnixSeconds& t) -> Status {
        const auto stages = pipelineStages();
        auto index = [&](LeadStage s) { return std::find(stages.begin(), stages.end(), s) - stages.begin(); };
        for (LeadStage s : stages) {
            if (index(s) <= index(lead.stage)) continue;
            if (index(s) > index(last)) break;
            t = later(t, dice.between(1, 6) * kDay + dice.between(0, 8 * 3600));
            clock.set(t);
            auto moved = crm.moveLead(lead.id, s);
            if (!moved) return moved.error();
            lead = *moved;
        }
        return {};
    };

    for (int n = 0; n < o.vehicles; ++n) {
        const std::size_t storeIndex = dice.chance(0.6) ? 0 : (dice.chance(0.5) ? 1 : 2);
        const Showroom& store = showrooms[storeIndex];
        const ModelSpec& spec = pickModel(dice);
        const auto& trim = spec.trims[static_cast<std::size_t>(dice.between(0, static_cast<std::int64_t>(spec.trims.size()) - 1))];

        // Roughly a third of the cars were sold during the 18 months of history.
        const bool sold = dice.chance(0.34);
        const UnixSeconds soldAt = sold ? saleDate(dice, o.asOf) : 0;
        const UnixSeconds received = sold ? soldAt - dice.between(5, 150) * kDay
                                          : o.asOf - dice.between(0, dice.chance(0.15) ? 200 : 90) * kDay -
                                                dice.between(0, 10 * 3600);
        const int receivedYear = yearOf(received);

        Vehicle v;
        v.storeId = store.id;
        const double kind = dice.unit();
        v.condition = kind < 0.45 ? Condition::New : (kind < 0.88 ? Condition::Used : Condition::Certified);
        int age = 0;
        if (v.condition == Condition::New) {
            v.year = receivedYear + (monthOf(received) >= 8 ? 1 : 0);
            v.odometer = dice.between(3, 40);
        } else {
            age = static_cast<int>(v.condition == Condition::Certified ? dice.between(1, 4) : dice.between(1, 9));
            v.year = std::max(spec.firstYear, receivedYear - age);
            age = receivedYear - v.year;
            v.odometer = std::max<std::int64_t>(1500, age * dice.between(8000, 15000) + dice.between(0, 6000));
        }
        if (v.year > thisYear + 1) v.year = thisYear + 1;
        v.make = spec.make;
        v.model = spec.model;
        v.trim = trim.name;
        v.body = spec.body;
        v.fuel = spec.fuel;
        v.drivetrain = trim.drivetrain;
        v.transmission = trim.transmission;
        v.exteriorColor = dice.pick(exteriorColors());
        v.interiorColor = dice.pick(interiorColors());
        const auto pool = features();
        const int featureCount = static_cast<int>(dice.between(3, 8));
        for (int k = 0; k < featureCount; ++k) {
            std::string f(dice.pick(pool));
            if (std::find(v.features.begin(), v.features.end(), f) == v.features.end()) v.features.push_back(f);
        }
        // Prices: MSRP drifts ~3 % a model year; used cars lose ~15 % the first year, then ~7 %.
        const double yearFactor = std::pow(1.03, v.year - thisYear);
        v.msrp = roundTo(static_cast<Cents>(static_cast<double>(trim.msrpCents) * yearFactor), 5000);
        double value = static_cast<double>(v.msrp);
        if (v.condition != Condition::New) {
            value *= 0.85 * std::pow(0.93, std::max(0, age - 1));
            value *= 1.0 - std::min(0.15, static_cast<double>(v.odometer) / 4'000'000.0);
            if (v.condition == Condition::Certified) value *= 1.04;
        }
        v.price = roundTo(static_cast<Cents>(value * (0.97 + 0.05 * dice.unit())), 10000) - 100; // $x,x99 pricing
        v.cost = roundTo(static_cast<Cents>(static_cast<double>(v.price) * (0.86 + 0.07 * dice.unit())), 100);
        v.lotLocation = std::string(1, static_cast<char>('A' + dice.between(0, 5))) + "-" +
                        std::to_string(dice.between(1, 40));
        v.vin = makeVin(spec.wmi, v.year, serial++);
        v.receivedAt = formatUtc(received);
        v.status = VehicleStatus::InStock;
        if (!sold && received > o.asOf - 4 * kDay && dice.chance(0.5)) v.status = VehicleStatus::Incoming;
        clock.set(received);
        auto added = inventory.add(v);
        if (!added) {
            if (added.error().code == ErrorCode::Duplicate) continue; // a VIN collision: draw another car
            return added.error();
        }
        ++report.vehicles;
        const StaffIds& team = staff[storeIndex];
        const std::string& salesperson =
            team.sales[static_cast<std::size_t>(dice.between(0, static_cast<std::int64_t>(team.sales.size()) - 1))];

        if (!sold) {
            // Some stock has an open deal on it (on hold) for the deal desk demo.
            if (added->status == VehicleStatus::InStock && dice.chance(0.04)) {
                UnixSeconds t = o.asOf - dice.between(3, 9) * kDay;
                clock.set(t);
                auto c = newCustomer(store.id, "walk_in");
                if (!c) return c.error();
                auto lead = crm.openLead(c->id, added->id, salesperson, "walk_in");
                if (!lead) return lead.error();
                ++report.leads;
                if (auto st = walkLead(*lead, LeadStage::TestDrive, t); !st) return st.error();
                clock.set(t = later(t, kDay));
                finance::DealInput in;
                in.price = added->price;
                in.tax.rate = Rate{62'500};
                in.docFee = 49'900;
                in.titleFee = 22'500;
                in.cashDown = roundTo(added->price / 10, 50'000);
                in.financed = true;
                in.apr = Rate{69'000};
                in.termMonths = 60;
                auto deal = deals.create(c->id, added->id, in, lead->id, salesperson);
                if (!deal) return deal.error();
                ++report.deals;
            }
            continue;
        }

        // A sold car: the buyer's lead walked the whole pipeline, a test drive, a deal, payments.
        UnixSeconds t = std::max(received + kDay, soldAt - dice.between(8, 30) * kDay);
        clock.set(t);
        static constexpr std::string_view kSources[] = {"walk_in", "website", "phone", "referral", "kiosk",
                                                        "third_party"};
        const std::string_view source = kSources[static_cast<std::size_t>(dice.between(0, 5))];
        auto buyer = newCustomer(store.id, source);
        if (!buyer) return buyer.error();
        auto lead = crm.openLead(buyer->id, added->id, salesperson, source);
        if (!lead) return lead.error();
        ++report.leads;
        if (auto st = walkLead(*lead, LeadStage::Visit, t); !st) return st.error();
        if (dice.chance(0.85)) {
            clock.set(t += 3600);
            auto drive = crm.startTestDrive(buyer->id, added->id, lead->id, true,
                                            "D" + std::to_string(dice.between(1000000, 9999999)),
                                            formatDate(o.asOf + dice.between(200, 1500) * kDay), added->odometer);
            if (!drive) return drive.error();
            clock.set(t += dice.between(1200, 3600));
            auto back = crm.finishTestDrive(drive->id, added->odometer + dice.between(3, 18));
            if (!back) return back.error();
            ++report.testDrives;
            if (auto l = crm.lead(lead->id)) *lead = *l;
        }
        if (auto st = walkLead(*lead, LeadStage::TestDrive, t); !st) return st.error();

        finance::DealInput in;
        in.price = added->price;
        in.discount = dice.chance(0.5) ? roundTo(added->price * dice.between(1, 5) / 100, 10000) : 0;
        in.tax.rate = Rate{62'500};
        in.tax.netOfTrade = true;
        in.docFee = 49'900;
        in.titleFee = 22'500;
        if (dice.chance(0.35)) {
            in.tradeInAllowance = roundTo(added->price * dice.between(15, 45) / 100, 50'000);
            in.tradeInPayoff = dice.chance(0.4) ? roundTo(in.tradeInAllowance * dice.between(40, 120) / 100, 10'000) : 0;
        }
        if (dice.chance(0.3)) in.addOns.push_back({"Extended service contract", 189'500, false});
        in.financed = dice.chance(0.7);
        in.cashDown = in.financed ? roundTo(added->price * dice.between(5, 25) / 100, 50'000) : 0;
        in.apr = Rate{dice.between(19, 129) * 1000};
        in.termMonths = static_cast<int>(std::array{36, 48, 60, 60, 72, 72, 84}[dice.between(0, 6)]);
        auto q = finance::quote(in);
        if (!q) {
            in.tradeInPayoff = 0; // an implausible combination: fall back to a clean trade
            q = finance::quote(in);
            if (!q) return q.error();
        }
        if (!in.financed) in.cashDown = q->totalDue;
        const Cents backEnd = (in.financed ? q->amountFinanced / 100 : 0) + (in.addOns.empty() ? 0 : 90'000);
        clock.set(t = later(t, std::max<std::int64_t>(3600, soldAt - dice.between(1, 3) * kDay - t)));
        auto deal = deals.create(buyer->id, added->id, in, lead->id, salesperson, backEnd);
        if (!deal) return deal.error();
        ++report.deals;
        const UnixSeconds signedAt = later(t, std::max<std::int64_t>(1800, soldAt - t));
        clock.set(signedAt);
        if (auto signedDeal = deals.sign(deal->id); !signedDeal) return signedDeal.error();
        const Cents down = in.financed ? in.cashDown : q->totalDue;
        if (down > 0) {
            auto paid = deals.recordPayment(deal->id, down, dice.chance(0.6) ? PaymentMethod::Card : PaymentMethod::Check,
                                            "down payment");
            if (!paid) return paid.error();
            ++report.payments;
        }
        // Recent contracts are often still waiting for the lender or for the car to be prepared.
        const UnixSeconds deliveredAt = signedAt + dice.between(0, 4) * kDay + 3 * 3600;
        const bool waiting = signedAt > o.asOf - 12 * kDay && dice.chance(0.6);
        if (deliveredAt < o.asOf && !waiting) {
            clock.set(deliveredAt);
            if (in.financed && deal->quote.amountFinanced > 0) {
                auto funded = deals.recordPayment(deal->id, deal->quote.amountFinanced, PaymentMethod::Financing,
                                                  "lender funding");
                if (!funded) return funded.error();
                ++report.payments;
            }
            auto delivered = deals.deliver(deal->id);
            if (!delivered) return delivered.error();
            if (dice.chance(0.5) && deliveredAt + 30 * kDay < o.asOf) {
                clock.set(deliveredAt + 30 * kDay);
                auto after = crm.moveLead(lead->id, LeadStage::FollowUp);
                if (!after) return after.error();
            }
        }

        // For every buyer, a couple of shoppers who did not buy: leads stopped at every stage.
        for (int k = 0; k < 2; ++k) {
            UnixSeconds s = std::min(soldAt - dice.between(0, 60) * kDay, latest - kDay);
            clock.set(s);
            auto shopper = newCustomer(store.id, kSources[static_cast<std::size_t>(dice.between(0, 5))]);
            if (!shopper) return shopper.error();
            auto open = crm.openLead(shopper->id, std::nullopt, salesperson, shopper->source);
            if (!open) return open.error();
            ++report.leads;
            static constexpr LeadStage kStops[] = {LeadStage::Inquiry, LeadStage::Visit, LeadStage::TestDrive,
                                                   LeadStage::Quote};
            const LeadStage stop = kStops[static_cast<std::size_t>(dice.between(0, 3))];
            if (stop != LeadStage::Inquiry)
                if (auto st = walkLead(*open, stop, s); !st) return st.error();
            if (s < o.asOf - 45 * kDay && dice.chance(0.7)) {
                clock.set(s = later(s, dice.between(3, 20) * kDay));
                auto lost = crm.moveLead(open->id, LeadStage::Lost, dice.pick(lostReasons()));
                if (!lost) return lost.error();
            } else {
                clock.set(s);
                const UnixSeconds due = o.asOf + dice.between(-5, 7) * kDay - o.asOf % kDay + 15 * 3600;
                auto f = crm.addFollowUp(open->id, formatUtc(due), "Call back about financing options");
                if (!f) return f.error();
                ++report.followUps;
            }
        }
    }
    if (auto st = seedNetworkStock(db, thisYear, o.asOf); !st) return st.error();
    if (auto st = tx->commit(); !st) return st.error();
    return report;
}

std::int64_t Summary::vehicles() const {
    std::int64_t n = 0;
    for (const auto& [k, v] : vehiclesByStatus) n += v;
    return n;
}
std::int64_t Summary::leads() const {
    std::int64_t n = 0;
    for (const auto& [k, v] : leadsByStage) n += v;
    return n;
}
std::int64_t Summary::deals() const {
    std::int64_t n = 0;
    for (const auto& [k, v] : dealsByStatus) n += v;
    return n;
}

Result<Summary> summarize(db::Connection& db) {
    Summary s;
    auto scalar = [&](std::string_view sql, std::int64_t& out) -> Status {
        auto stmt = db.prepare(sql);
        if (!stmt) return stmt.error();
        auto row = stmt->step();
        if (!row) return row.error();
        out = stmt->getInt(0);
        return {};
    };
    auto grouped = [&](std::string_view sql, std::map<std::string, std::int64_t>& out) -> Status {
        auto stmt = db.prepare(sql);
        if (!stmt) return stmt.error();
        for (;;) {
            auto row = stmt->step();
            if (!row) return row.error();
            if (!*row) return {};
            out[stmt->getText(0)] = stmt->getInt(1);
        }
    };
    for (auto st : {scalar("SELECT count(*) FROM stores", s.showrooms), scalar("SELECT count(*) FROM staff", s.staff),
                    scalar("SELECT count(*) FROM customers", s.customers),
                    scalar("SELECT count(*) FROM test_drives", s.testDrives),
                    scalar("SELECT count(*) FROM follow_ups WHERE done_at IS NULL", s.openFollowUps),
                    scalar("SELECT count(*) FROM payments", s.payments),
                    scalar("SELECT coalesce(sum(amount_cents), 0) FROM payments", s.paymentsTotalCents),
                    scalar("SELECT count(*) FROM outbox WHERE sent_at IS NULL", s.outboxPending),
                    grouped("SELECT status, count(*) FROM vehicles GROUP BY status", s.vehiclesByStatus),
                    grouped("SELECT stage, count(*) FROM leads GROUP BY stage", s.leadsByStage),
                    grouped("SELECT status, count(*) FROM deals GROUP BY status", s.dealsByStatus)})
        if (!st) return st.error();
    auto id = getSetting(db, "local_store_id");
    if (!id) return id.error();
    auto name = db.prepare("SELECT name FROM stores WHERE id = ?");
    if (!name) return name.error();
    name->bindAll(*id);
    if (auto row = name->step(); row && *row) s.localShowroom = name->getText(0);
    return s;
}

} // namespace showroom::core::demo
