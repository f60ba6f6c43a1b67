#include "kiosk_vm.hpp"

#include "showroom/core/crm.hpp"
#include "showroom/core/licence.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace showroom::kiosk {

std::string_view toString(Screen screen) {
    switch (screen) {
    case Screen::Attract: return "attract";
    case Screen::Browse: return "browse";
    case Screen::Detail: return "detail";
    case Screen::NetworkDetail: return "network_detail";
    case Screen::Compare: return "compare";
    case Screen::Contact: return "contact";
    case Screen::ContactDone: return "contact_done";
    case Screen::Recovery: return "recovery";
    }
    return "attract";
}

std::string_view toString(NetworkPlacement placement) {
    switch (placement) {
    case NetworkPlacement::None: return "none";
    case NetworkPlacement::Strip: return "strip";
    case NetworkPlacement::Main: return "main";
    }
    return "none";
}

bool BrowseFilters::active() const {
    return text.find_first_not_of(" \t\r\n") != std::string::npos || !makes.empty() || !bodies.empty() ||
           !fuels.empty() || !conditions.empty() || priceMin || priceMax || yearMin || yearMax;
}

KioskViewModel::KioskViewModel(core::Context& ctx, KioskConfig config, std::int64_t nowMs)
    : m_ctx(ctx), m_config(config), m_idle(config.idleTimeoutMs, config.idleWarningMs), m_attractStartMs(nowMs) {
    m_idle.touch(nowMs);
    // The kiosk sells this showroom's stock; other showrooms' cars appear as "also available at".
    if (auto local = core::localStoreId(ctx.db)) m_storeId = *local;
    loadFeatured();
}

bool KioskViewModel::newArrival(const core::Vehicle& v) const {
    auto received = core::parseUtc(v.receivedAt);
    return received && m_ctx.clock.now() - *received <= 14 * 86400;
}

void KioskViewModel::loadFeatured() {
    core::SearchQuery q;
    q.statuses = {core::VehicleStatus::InStock};
    q.storeId = m_storeId;
    q.sort = core::SortKey::NewestArrival;
    q.pageSize = std::max(1, m_config.featuredCount);
    auto page = core::Inventory(m_ctx).search(q);
    if (page) m_featured = std::move(page->vehicles);
    m_featuredIndex = 0;
    m_featuredFade = 0;
}

void KioskViewModel::touchToStart() {
    m_screen = Screen::Browse;
    auto facets = core::Inventory(m_ctx).facets({core::VehicleStatus::InStock}, m_storeId);
    if (facets) m_facets = std::move(*facets);
    refresh();
}

void KioskViewModel::setLanguage(Language language) { m_language = language; }

void KioskViewModel::startOver() {
    m_filters = {};
    m_results.clear();
    m_total = 0;
    m_vehicle.reset();
    m_estimate = {};
    m_compare.clear();
    m_network.clear();
    m_networkTotal = 0;
    m_networkVehicle.reset();
    m_bringHereAsked = false;
    m_contact = {};
    m_errorBanner.clear();
    m_language = Language::English;
    m_screen = Screen::Attract;
    loadFeatured();
}

core::SearchQuery KioskViewModel::query() const {
    core::SearchQuery q;
    q.text = m_filters.text;
    q.statuses = {core::VehicleStatus::InStock};
    q.storeId = m_storeId;
    q.sort = m_filters.sort;
    q.priceMin = m_filters.priceMin;
    q.priceMax = m_filters.priceMax;
    q.yearMin = m_filters.yearMin;
    q.yearMax = m_filters.yearMax;
    q.makes.assign(m_filters.makes.begin(), m_filters.makes.end());
    q.bodies.assign(m_filters.bodies.begin(), m_filters.bodies.end());
    q.fuels.assign(m_filters.fuels.begin(), m_filters.fuels.end());
    q.conditions.assign(m_filters.conditions.begin(), m_filters.conditions.end());
    q.pageSize = m_config.pageSize;
    return q;
}

void KioskViewModel::refresh() {
    m_pagesLoaded = 0;
    m_results.clear();
    m_errorBanner.clear();
    refreshNetwork();
    auto result = core::Inventory(m_ctx).search(query());
    if (!result) {
        m_total = 0;
        m_canLoadMore = false;
        m_errorBanner = "kiosk.error.search_failed";
        return;
    }
    m_total = result->total;
    m_totalIsAtLeast = result->totalIsAtLeast;
    m_canLoadMore = static_cast<int>(result->vehicles.size()) == m_config.pageSize;
    m_results = std::move(result->vehicles);
}

// The same search at the group's other showrooms, once the shopper has asked for something: an
// unfiltered browse is this showroom's stock. A failure here only hides the extra section.
void KioskViewModel::refreshNetwork() {
    m_network.clear();
    m_networkTotal = 0;
    if (!m_filters.active()) return;
    core::NetworkStockQuery q;
    q.text = m_filters.text;
    q.makes.assign(m_filters.makes.begin(), m_filters.makes.end());
    q.bodies.assign(m_filters.bodies.begin(), m_filters.bodies.end());
    q.fuels.assign(m_filters.fuels.begin(), m_filters.fuels.end());
    q.conditions.assign(m_filters.conditions.begin(), m_filters.conditions.end());
    q.priceMin = m_filters.priceMin;
    q.priceMax = m_filters.priceMax;
    q.yearMin = m_filters.yearMin;
    q.yearMax = m_filters.yearMax;
    q.limit = m_config.networkLimit;
    if (auto page = core::searchNetworkStock(m_ctx.db, q)) {
        m_network = std::move(page->vehicles);
        m_networkTotal = page->total;
    }
}

NetworkPlacement KioskViewModel::networkPlacement() const {
    if (m_network.empty()) return NetworkPlacement::None;
    return m_results.empty() ? NetworkPlacement::Main : NetworkPlacement::Strip;
}

void KioskViewModel::openNetworkVehicle(const std::string& vin) {
    auto found = core::findNetworkVehicle(m_ctx.db, vin);
    if (!found || !*found) {
        refresh();
        m_errorBanner = "kiosk.error.vehicle_gone";
        return;
    }
    m_errorBanner.clear();
    m_networkVehicle = std::move(**found);
    m_bringHereAsked = false;
    m_screen = Screen::NetworkDetail;
}

void KioskViewModel::askToBringHere() {
    if (m_screen == Screen::NetworkDetail && m_networkVehicle) m_bringHereAsked = true;
}

void KioskViewModel::setSearchText(std::string text) {
    m_filters.text = std::move(text);
    refresh();
}

namespace {
template <class T>
void toggle(std::set<T>& set, const T& value) {
    if (!set.erase(value)) set.insert(value);
}
} // namespace

void KioskViewModel::toggleMake(const std::string& make) {
    toggle(m_filters.makes, make);
    refresh();
}
void KioskViewModel::toggleBody(const std::string& body) {
    toggle(m_filters.bodies, body);
    refresh();
}
void KioskViewModel::toggleFuel(const std::string& fuel) {
    toggle(m_filters.fuels, fuel);
    refresh();
}
void KioskViewModel::toggleCondition(core::Condition condition) {
    toggle(m_filters.conditions, condition);
    refresh();
}
void KioskViewModel::setPriceRange(std::optional<core::Cents> low, std::optional<core::Cents> high) {
    m_filters.priceMin = low;
    m_filters.priceMax = high;
    refresh();
}
void KioskViewModel::setYearRange(std::optional<int> low, std::optional<int> high) {
    m_filters.yearMin = low;
    m_filters.yearMax = high;
    refresh();
}
void KioskViewModel::setSort(core::SortKey sort) {
    m_filters.sort = sort;
    refresh();
}
void KioskViewModel::resetFilters() {
    m_filters = {};
    refresh();
}
void KioskViewModel::loadMore() {
    if (!m_canLoadMore) return;
    core::SearchQuery q = query();
    q.page = ++m_pagesLoaded;
    q.countCap = 0;
    auto result = core::Inventory(m_ctx).search(q);
    if (!result) {
        m_errorBanner = "kiosk.error.search_failed";
        return;
    }
    m_canLoadMore = static_cast<int>(result->vehicles.size()) == q.pageSize;
    m_results.insert(m_results.end(), result->vehicles.begin(), result->vehicles.end());
}

void KioskViewModel::openVehicle(const std::string& vehicleId) {
    auto v = core::Inventory(m_ctx).find(vehicleId);
    // Sold (or held) since the results were loaded: say so and refresh the grid.
    if (!v || v->status != core::VehicleStatus::InStock) {
        refresh(); // drops the car from the grid (and clears the banner, so set it after)
        m_errorBanner = "kiosk.error.vehicle_gone";
        return;
    }
    m_errorBanner.clear();
    m_backTo = m_screen == Screen::Compare ? Screen::Compare : Screen::Browse;
    m_vehicle = std::move(*v);
    m_estimate = Estimate{};
    m_estimate.down = m_vehicle->price / 10 / 10000 * 10000; // 10 % down, in whole $100s
    reprice();
    // The same make and model in stock at the group's other showrooms ("also at Northgate").
    m_elsewhere.clear();
    core::SearchQuery same;
    same.make = m_vehicle->make;
    same.model = m_vehicle->model;
    same.statuses = {core::VehicleStatus::InStock};
    same.pageSize = 500;
    same.countCap = 0;
    if (auto page = core::Inventory(m_ctx).search(same); page) {
        std::map<std::string, int> byStore;
        for (const auto& other : page->vehicles)
            if (!m_storeId || other.storeId != *m_storeId) ++byStore[other.storeId];
        if (!byStore.empty()) {
            if (auto stores = core::listShowrooms(m_ctx.db))
                for (const auto& st : *stores)
                    if (auto it = byStore.find(st.id); it != byStore.end()) m_elsewhere.emplace_back(st.name, it->second);
        }
    }
    m_screen = Screen::Detail;
}

void KioskViewModel::back() {
    switch (m_screen) {
    case Screen::Detail: m_screen = m_backTo; break;
    case Screen::NetworkDetail:
        m_screen = Screen::Browse;
        m_bringHereAsked = false;
        break;
    case Screen::Compare: m_screen = Screen::Browse; break;
    case Screen::Contact:
    case Screen::ContactDone: m_screen = m_vehicle ? Screen::Detail : Screen::Browse; break;
    case Screen::Browse:
    case Screen::Attract:
    case Screen::Recovery: startOver(); break;
    }
}

void KioskViewModel::setEstimate(core::Cents down, int termMonths, core::Rate apr) {
    m_estimate.down = std::max<core::Cents>(0, down);
    m_estimate.termMonths = termMonths;
    m_estimate.apr = apr;
    reprice();
}

void KioskViewModel::reprice() {
    if (!m_vehicle) return;
    core::finance::DealInput in;
    in.price = m_vehicle->price;
    in.docFee = m_config.docFee;
    in.titleFee = m_config.titleFee;
    in.tax = m_config.tax;
    in.cashDown = m_estimate.down;
    in.financed = true;
    in.apr = m_estimate.apr;
    in.termMonths = m_estimate.termMonths;
    auto q = core::finance::quote(in);
    if (q) {
        m_estimate.quote = std::move(*q);
        m_estimate.errorKey.clear();
    } else {
        m_estimate.quote.reset();
        m_estimate.errorKey = "kiosk.estimate.cannot_estimate";
    }
}

void KioskViewModel::addToCompare() {
    if (!m_vehicle) return;
    const auto same = [&](const core::Vehicle& v) { return v.id == m_vehicle->id; };
    if (std::any_of(m_compare.begin(), m_compare.end(), same)) return;
    if (m_compare.size() == 3) m_compare.erase(m_compare.begin());
    m_compare.push_back(*m_vehicle);
}

void KioskViewModel::removeFromCompare(const std::string& vehicleId) {
    std::erase_if(m_compare, [&](const core::Vehicle& v) { return v.id == vehicleId; });
}

void KioskViewModel::openCompare() {
    if (!m_compare.empty()) m_screen = Screen::Compare;
}

void KioskViewModel::openContact(ContactForm::Kind kind) {
    const int revision = m_contact.revision + 1;   // a fresh form replaces whatever a screen holds
    m_contact = ContactForm{};
    m_contact.revision = revision;
    m_contact.kind = kind;
    m_screen = Screen::Contact;
}

void KioskViewModel::editContact(const ContactForm& form) {
    m_contact.name = form.name;
    m_contact.phone = form.phone;
    m_contact.email = form.email;
    m_contact.preferredTime = form.preferredTime;
    m_contact.consent = form.consent;
}

namespace {

// "JANE" -> "Jane", "O'BRIEN-SMITH" -> "O'Brien-Smith": licences print names in capitals.
std::string displayName(std::string_view upper) {
    std::string out(upper);
    bool startOfWord = true;
    for (char& c : out) {
        const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        if (letter) c = startOfWord ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                                    : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        startOfWord = !letter;
    }
    return out;
}

} // namespace

bool KioskViewModel::scanLicence(std::string_view payload) {
    if (m_screen == Screen::Detail && m_vehicle) openContact(ContactForm::Kind::TestDrive);
    if (m_screen != Screen::Contact || m_contact.kind != ContactForm::Kind::TestDrive) return false;
    ContactForm& f = m_contact;
    ++f.revision;
    f.errorKey.clear();
    f.errorValues.clear();
    f.licenceChecked = false;
    f.licenceLast4.clear();
    f.licenceExpiry.clear();
    auto licence = core::licence::parse(payload);
    if (!licence) {
        // The reason names the part that is wrong, never the holder's data (licence.hpp).
        f.errorKey = "kiosk.contact.error.licence_unreadable";
        f.errorValues = {{"detail", licence.error().message}};
        return true;
    }
    f.name = displayName(licence->firstName) + " " + displayName(licence->familyName);
    const std::string today = core::formatUtc(m_ctx.clock.now()).substr(0, 10);
    if (auto ok = core::licence::checkForTestDrive(*licence, today, m_config.testDriveMinimumAge); !ok) {
        f.errorKey = licence->expiryDate < today ? "kiosk.contact.error.licence_expired" : "kiosk.contact.error.licence_age";
        f.errorValues = {{"expiry", licence->expiryDate}, {"age", std::to_string(m_config.testDriveMinimumAge)}};
        return true;
    }
    f.licenceChecked = true;
    const std::string& number = licence->licenceNumber;
    f.licenceLast4 = number.substr(number.size() > 4 ? number.size() - 4 : 0);
    f.licenceExpiry = licence->expiryDate;
    return true;
}

void KioskViewModel::submitContact() {
    ContactForm& f = m_contact;
    f.errorKey.clear();
    f.errorValues.clear();
    if (!f.consent) {
        f.errorKey = "kiosk.contact.error.consent";
        return;
    }
    const auto first = f.name.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        f.errorKey = "kiosk.contact.error.name";
        return;
    }
    if (f.phone.empty() && f.email.empty()) {
        f.errorKey = "kiosk.contact.error.reach";
        return;
    }
    // Checked here too, so a typo is shown even when the phone matches a customer we know.
    if (!f.email.empty() && core::normaliseEmail(f.email).empty()) {
        f.errorKey = "kiosk.contact.error.email";
        return;
    }
    const auto digits = core::normalisePhone(f.phone);
    if (!f.phone.empty() && (digits.size() < 7 || digits.size() > 15)) {
        f.errorKey = "kiosk.contact.error.phone";
        return;
    }
    core::Crm crm(m_ctx);
    auto known = crm.findByContact(f.phone, f.email);
    if (!known) {
        f.errorKey = "kiosk.error.save_failed";
        return;
    }
    std::string customerId;
    if (*known) {
        customerId = (*known)->id;
        if (!(*known)->consentContact && !crm.recordContactConsent(customerId)) {
            f.errorKey = "kiosk.error.save_failed";
            return;
        }
    } else {
        core::Customer c;
        std::string name = f.name.substr(first);
        name.erase(name.find_last_not_of(" \t\r\n") + 1);
        const auto space = name.find(' ');
        c.firstName = name.substr(0, space);
        c.lastName = space == std::string::npos ? "" : name.substr(space + 1);
        c.phone = f.phone;
        c.email = f.email;
        c.consentContact = true;
        c.source = "kiosk";
        auto added = crm.addCustomer(c);
        if (!added) {
            f.errorKey = added.error().message.find("e-mail") != std::string::npos ? "kiosk.contact.error.email"
                         : added.error().message.find("phone") != std::string::npos ? "kiosk.contact.error.phone"
                                                                                    : "kiosk.error.save_failed";
            return;
        }
        customerId = added->id;
    }
    std::optional<std::string> vehicleId;
    if (m_vehicle) vehicleId = m_vehicle->id;
    auto lead = crm.openLead(customerId, vehicleId, std::nullopt, "kiosk");
    if (!lead) {
        f.errorKey = "kiosk.error.save_failed";
        return;
    }
    const std::string what = f.kind == ContactForm::Kind::TestDrive ? "Test drive requested at the kiosk"
                                                                    : "Asked to be contacted at the kiosk";
    std::string note = what + (f.preferredTime.empty() ? std::string() : "; preferred time: " + f.preferredTime);
    if (f.licenceChecked)
        note += "; driver's licence checked at the kiosk (ending " + f.licenceLast4 + ", valid until " + f.licenceExpiry + ")";
    (void)crm.logActivity(lead->id, "note", note);
    // A salesperson calls back the same day.
    (void)crm.addFollowUp(lead->id, core::formatUtc(m_ctx.clock.now() + 4 * 3600), what);
    m_screen = Screen::ContactDone;
}

void KioskViewModel::recover(std::int64_t nowMs) {
    startOver();
    m_screen = Screen::Recovery;
    m_recoverUntilMs = nowMs + 3'000;
}

void KioskViewModel::userActivity(std::int64_t nowMs) { m_idle.touch(nowMs); }

std::int64_t KioskViewModel::tick(std::int64_t nowMs) {
    std::int64_t wake = 60'000;
    if (m_screen == Screen::Recovery) {
        if (nowMs < m_recoverUntilMs) return m_recoverUntilMs - nowMs;
        m_screen = Screen::Attract;
        m_attractStartMs = nowMs;
    }
    if (m_screen == Screen::Attract) {
        m_idle.touch(nowMs); // the attract loop is the idle state itself
        if (m_featured.size() > 1) {
            const std::int64_t period = m_config.attractPeriodMs;
            const std::int64_t elapsed = nowMs - m_attractStartMs;
            m_featuredIndex = static_cast<std::size_t>(elapsed / period) % m_featured.size();
            const std::int64_t inPeriod = elapsed % period;
            // A short cross-fade at 25 frames a second: smooth on a showroom screen, and the
            // only frames an idle kiosk draws.
            constexpr std::int64_t kFadeMs = 480, kFadeFrameMs = 40;
            if (inPeriod >= period - kFadeMs) {
                m_featuredFade = static_cast<float>(inPeriod - (period - kFadeMs)) / kFadeMs;
                wake = kFadeFrameMs;
            } else {
                m_featuredFade = 0;
                wake = period - kFadeMs - inPeriod;
            }
        }
        return wake;
    }
    switch (m_idle.phase(nowMs)) {
    case IdleTimer::Phase::Expired:
        startOver();
        m_attractStartMs = nowMs;
        return 0;
    case IdleTimer::Phase::Warning:
    case IdleTimer::Phase::Active: return std::min(wake, m_idle.msUntilNextChange(nowMs));
    }
    return wake;
}

} // namespace showroom::kiosk
