#pragma once
// The kiosk's customer-mode view-model: which screen is up, the browse filters and results, the
// vehicle on the detail screen with its payment estimate, the compare list and the "book a test
// drive / contact me" form, and the cars the shopper's search finds at the group's other showrooms
// (core/network_stock.hpp). Screens draw this state and call these intents; nothing here knows
// about ImGui or SDL, so it is tested without a window.
//
// Thread: main thread only. The store connection it is given belongs to the main thread.

#include "strings.hpp"
#include "idle_timer.hpp"

#include "showroom/core/finance.hpp"
#include "showroom/core/inventory.hpp"
#include "showroom/core/journal.hpp"
#include "showroom/core/network_stock.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace showroom::kiosk {

enum class Screen { Attract, Browse, Detail, NetworkDetail, Compare, Contact, ContactDone, Recovery };
std::string_view toString(Screen screen);

struct KioskConfig {
    std::int64_t idleTimeoutMs = 90'000;   ///< customer mode: wipe and return to attract
    std::int64_t idleWarningMs = 10'000;   ///< countdown shown for this long before
    std::int64_t attractPeriodMs = 7'000;  ///< featured vehicle cross-fades this often
    int featuredCount = 8;
    core::finance::TaxRule tax{core::Rate{62'500}, true, true, false};   ///< for estimates
    core::Cents docFee = 49'900, titleFee = 22'500;                       ///< for estimates
    int pageSize = 48;
    int testDriveMinimumAge = 18;          ///< a scanned licence must show at least this age
    int networkLimit = 12;                 ///< other showrooms' cars shown for one search
};

struct BrowseFilters {
    std::string text;
    std::set<std::string> makes, bodies, fuels;
    std::set<core::Condition> conditions;
    std::optional<core::Cents> priceMin, priceMax;
    std::optional<int> yearMin, yearMax;
    core::SortKey sort = core::SortKey::PriceAsc;

    /// True when the shopper has searched or narrowed anything (the sort alone does not count).
    bool active() const;
};

/// Where the browse screen shows the other showrooms' matches.
enum class NetworkPlacement {
    None,  ///< no search or filter yet, or nothing matches elsewhere
    Strip, ///< below this showroom's results: "At our other showrooms"
    Main,  ///< nothing here matches: they are the result ("Not here, but 3 at our other showrooms")
};
std::string_view toString(NetworkPlacement placement);

struct Estimate {
    core::Cents down = 0;
    int termMonths = 60;
    core::Rate apr{69'000};
    std::optional<core::finance::Quote> quote;   ///< empty when the inputs cannot be priced
    std::string errorKey;                        ///< i18n key of why not, when empty quote
};

struct ContactForm {
    enum class Kind { TestDrive, ContactMe };
    Kind kind = Kind::TestDrive;
    std::string name, phone, email, preferredTime;
    bool consent = false;
    std::string errorKey;       ///< i18n key of the last validation failure
    std::map<std::string, std::string> errorValues;   ///< values for errorKey ({detail}, ...)
    // A driver's licence scanned on the form (test drives). Only what the showroom needs is kept:
    // never the full number, the address or the birth date.
    bool licenceChecked = false;   ///< read, not expired, holder old enough
    std::string licenceLast4;      ///< last four characters of the licence number
    std::string licenceExpiry;     ///< "YYYY-MM-DD"
    /// Bumped whenever the view-model itself changes the fields (a licence scan fills the name), so
    /// a screen holding a copy being typed into knows to take the new values.
    int revision = 0;
};

class KioskViewModel {
public:
    KioskViewModel(core::Context& ctx, KioskConfig config, std::int64_t nowMs);

    // --- state the screens draw -------------------------------------------------------------
    Screen screen() const { return m_screen; }
    Language language() const { return m_language; }
    const KioskConfig& config() const { return m_config; }
    const core::Facets& facets() const { return m_facets; }
    const BrowseFilters& filters() const { return m_filters; }
    const std::vector<core::Vehicle>& results() const { return m_results; }
    std::int64_t total() const { return m_total; }
    bool totalIsAtLeast() const { return m_totalIsAtLeast; }
    bool canLoadMore() const { return m_canLoadMore; }
    const std::vector<core::Vehicle>& featured() const { return m_featured; }
    std::size_t featuredIndex() const { return m_featuredIndex; }
    float featuredFade() const { return m_featuredFade; }   ///< 0..1 of the cross-fade to the next
    const std::optional<core::Vehicle>& vehicle() const { return m_vehicle; }
    const Estimate& estimate() const { return m_estimate; }
    const std::vector<core::Vehicle>& compare() const { return m_compare; }
    const ContactForm& contact() const { return m_contact; }
    /// Other showrooms of the group with the open vehicle's make and model in stock: name -> count.
    const std::vector<std::pair<std::string, int>>& elsewhere() const { return m_elsewhere; }
    /// The other showrooms' in-stock cars matching the current search and filters, cheapest first (at
    /// most KioskConfig::networkLimit), and how many match in all. Empty until a filter is active.
    const std::vector<core::NetworkVehicle>& network() const { return m_network; }
    std::int64_t networkTotal() const { return m_networkTotal; }
    NetworkPlacement networkPlacement() const;
    /// The other showroom's car on the NetworkDetail screen.
    const std::optional<core::NetworkVehicle>& networkVehicle() const { return m_networkVehicle; }
    /// The shopper asked for it to be brought here: the screen tells them a salesperson arranges it.
    bool bringHereAsked() const { return m_bringHereAsked; }
    const std::string& errorBanner() const { return m_errorBanner; }   ///< i18n key, empty when none
    const IdleTimer& idle() const { return m_idle; }
    bool newArrival(const core::Vehicle& v) const;   ///< in stock for 14 days or less

    // --- intents ---------------------------------------------------------------------------
    void touchToStart();
    /// The discreet staff entry was touched; the app opens staff mode and clears the request.
    void requestStaff() { m_staffRequested = true; }
    bool takeStaffRequest() { return std::exchange(m_staffRequested, false); }
    void setLanguage(Language language);
    void startOver();                               ///< wipe everything, back to attract
    /// A frame failed: show the recovery screen briefly, then start over.
    void recover(std::int64_t nowMs);

    void setSearchText(std::string text);
    void toggleMake(const std::string& make);
    void toggleBody(const std::string& body);
    void toggleFuel(const std::string& fuel);
    void toggleCondition(core::Condition condition);
    void setPriceRange(std::optional<core::Cents> low, std::optional<core::Cents> high);
    void setYearRange(std::optional<int> low, std::optional<int> high);
    void setSort(core::SortKey sort);
    void resetFilters();
    void loadMore();

    void openVehicle(const std::string& vehicleId);
    /// Opens another showroom's car (from network()) by VIN. Sold or held there since the search:
    /// the results refresh and the "no longer available" banner shows instead.
    void openNetworkVehicle(const std::string& vin);
    /// "Ask a salesperson to bring it here": nothing is stored or sent; the screen says that staff
    /// can arrange the move (the transfer itself is theirs to start).
    void askToBringHere();
    void back();
    void setEstimate(core::Cents down, int termMonths, core::Rate apr);

    /// Adds the open vehicle to the compare list (at most 3; the oldest drops out).
    void addToCompare();
    void removeFromCompare(const std::string& vehicleId);
    void openCompare();

    void openContact(ContactForm::Kind kind);
    /// The fields a person types (name, phone, e-mail, time, consent); the licence fields, the
    /// error and the revision stay the view-model's.
    void editContact(const ContactForm& form);
    /// Stores customer + lead (source "kiosk") when the form is valid and consent is given;
    /// otherwise sets contact().errorKey and stores nothing.
    void submitContact();
    /// A driver's licence barcode (AAMVA PDF417 payload) was scanned. On the test-drive form (or
    /// on a vehicle's page, which opens that form) it fills in the name and checks expiry and
    /// age (KioskConfig::testDriveMinimumAge); a refusal is shown on the form with its reason.
    /// Elsewhere it is ignored. Returns true when the form took it.
    bool scanLicence(std::string_view payload);

    // --- time -------------------------------------------------------------------------------
    /// Any touch, key or scan.
    void userActivity(std::int64_t nowMs);
    /// Advances timers (attract rotation, idle countdown, expiry). Returns ms until it needs to be
    /// called again when nothing else happens (the main loop sleeps that long).
    std::int64_t tick(std::int64_t nowMs);

private:
    core::SearchQuery query() const;
    void refresh();
    void refreshNetwork();
    void reprice();
    void loadFeatured();

    core::Context& m_ctx;
    std::optional<std::string> m_storeId;   ///< this showroom
    KioskConfig m_config;
    Screen m_screen = Screen::Attract;
    Language m_language = Language::English;
    IdleTimer m_idle;
    core::Facets m_facets;
    BrowseFilters m_filters;
    std::vector<core::Vehicle> m_results;
    std::int64_t m_total = 0;
    bool m_totalIsAtLeast = false;
    bool m_canLoadMore = false;
    int m_pagesLoaded = 0;
    std::vector<core::Vehicle> m_featured;
    std::size_t m_featuredIndex = 0;
    float m_featuredFade = 0;
    std::int64_t m_attractStartMs = 0;
    std::optional<core::Vehicle> m_vehicle;
    Estimate m_estimate;
    std::vector<core::Vehicle> m_compare;
    ContactForm m_contact;
    std::string m_errorBanner;
    Screen m_backTo = Screen::Browse;
    bool m_staffRequested = false;
    std::vector<std::pair<std::string, int>> m_elsewhere;
    std::vector<core::NetworkVehicle> m_network;
    std::int64_t m_networkTotal = 0;
    std::optional<core::NetworkVehicle> m_networkVehicle;
    bool m_bringHereAsked = false;
    std::int64_t m_recoverUntilMs = 0;
};

} // namespace showroom::kiosk
