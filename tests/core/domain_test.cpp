#include "showroom/core/domain.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace core = showroom::core;
using core::ErrorCode;
using core::LeadStage;
using core::VehicleStatus;

namespace {

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

constexpr VehicleStatus kAllStatuses[] = {VehicleStatus::Incoming,  VehicleStatus::InStock,
                                          VehicleStatus::OnHold,    VehicleStatus::Sold,
                                          VehicleStatus::Delivered, VehicleStatus::Transferred};
constexpr LeadStage kAllStages[] = {LeadStage::Inquiry,  LeadStage::Visit,     LeadStage::TestDrive, LeadStage::Quote,
                                    LeadStage::Contract, LeadStage::Delivered, LeadStage::FollowUp,  LeadStage::Lost};

::testing::AssertionResult vehicleMove(VehicleStatus from, VehicleStatus to, bool viaCancelledDeal = false) {
    auto st = core::checkVehicleTransition(from, to, viaCancelledDeal);
    if (st) return ::testing::AssertionSuccess() << toString(from) << " -> " << toString(to) << " allowed";
    if (st.error().code != ErrorCode::InvalidTransition)
        return ::testing::AssertionFailure() << "refused with the wrong code: " << toString(st.error().code);
    return ::testing::AssertionFailure() << toString(from) << " -> " << toString(to)
                                         << " refused: " << st.error().message;
}

::testing::AssertionResult leadMove(LeadStage from, LeadStage to) {
    auto st = core::checkLeadTransition(from, to);
    if (st) return ::testing::AssertionSuccess() << toString(from) << " -> " << toString(to) << " allowed";
    if (st.error().code != ErrorCode::InvalidTransition)
        return ::testing::AssertionFailure() << "refused with the wrong code: " << toString(st.error().code);
    return ::testing::AssertionFailure() << toString(from) << " -> " << toString(to)
                                         << " refused: " << st.error().message;
}

// ---- vehicle lifecycle ----------------------------------------------------------------------------------

TEST(VehicleTransitions, HappyPathFromArrivalToDeliveryIsAllowed) {
    EXPECT_TRUE(vehicleMove(VehicleStatus::Incoming, VehicleStatus::InStock));
    EXPECT_TRUE(vehicleMove(VehicleStatus::InStock, VehicleStatus::OnHold));
    EXPECT_TRUE(vehicleMove(VehicleStatus::OnHold, VehicleStatus::Sold));
    EXPECT_TRUE(vehicleMove(VehicleStatus::Sold, VehicleStatus::Delivered));
}

TEST(VehicleTransitions, SoldCarReturnsToStockOnlyThroughACancelledDeal) {
    auto st = core::checkVehicleTransition(VehicleStatus::Sold, VehicleStatus::InStock);
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, ErrorCode::InvalidTransition);
    EXPECT_TRUE(contains(st.error().message, "cancel")) << st.error().message;
    EXPECT_TRUE(contains(st.error().message, "deal")) << st.error().message;

    EXPECT_TRUE(vehicleMove(VehicleStatus::Sold, VehicleStatus::InStock, /*viaCancelledDeal=*/true));
}

TEST(VehicleTransitions, CancelledDealOpensNoOtherDoor) {
    // viaCancelledDeal only unlocks sold -> in_stock; it is not a master key.
    EXPECT_FALSE(vehicleMove(VehicleStatus::Sold, VehicleStatus::Incoming, true));
    EXPECT_FALSE(vehicleMove(VehicleStatus::Delivered, VehicleStatus::InStock, true));
    EXPECT_FALSE(vehicleMove(VehicleStatus::Incoming, VehicleStatus::Sold, true));
}

TEST(VehicleTransitions, DeliveredVehicleCannotChangeAgain) {
    for (VehicleStatus to : kAllStatuses) {
        auto st = core::checkVehicleTransition(VehicleStatus::Delivered, to);
        ASSERT_FALSE(st.ok()) << "delivered -> " << toString(to);
        EXPECT_EQ(st.error().code, ErrorCode::InvalidTransition);
        if (to != VehicleStatus::Delivered) {
            EXPECT_TRUE(contains(st.error().message, "delivered")) << st.error().message;
        }
    }
}

TEST(VehicleTransitions, TransferredVehicleComesBackAsIncoming) {
    EXPECT_TRUE(vehicleMove(VehicleStatus::Transferred, VehicleStatus::Incoming));
    EXPECT_FALSE(vehicleMove(VehicleStatus::Transferred, VehicleStatus::InStock));
    EXPECT_FALSE(vehicleMove(VehicleStatus::Transferred, VehicleStatus::Sold));
}

TEST(VehicleTransitions, SameStateIsRefusedSayingSo) {
    for (VehicleStatus s : kAllStatuses) {
        auto st = core::checkVehicleTransition(s, s);
        ASSERT_FALSE(st.ok()) << toString(s);
        EXPECT_EQ(st.error().code, ErrorCode::InvalidTransition);
        EXPECT_TRUE(contains(st.error().message, "already")) << st.error().message;
        EXPECT_TRUE(contains(st.error().message, toString(s))) << st.error().message;
    }
}

TEST(VehicleTransitions, FullTableMatchesTheLifecycle) {
    // Rows: from; columns: to, in kAllStatuses order (incoming, in_stock, on_hold, sold, delivered, transferred).
    // A vehicle in the yard can be transferred out; a held vehicle can be released back to stock; stock can be
    // sold outright without a hold; nothing skips sold on the way to delivered.
    constexpr bool kAllowed[6][6] = {
        /* incoming    */ {false, true, false, false, false, true},
        /* in_stock    */ {false, false, true, true, false, true},
        /* on_hold     */ {false, true, false, true, false, true},
        /* sold        */ {false, false, false, false, true, false},
        /* delivered   */ {false, false, false, false, false, false},
        /* transferred */ {true, false, false, false, false, false},
    };
    for (std::size_t f = 0; f < 6; ++f)
        for (std::size_t t = 0; t < 6; ++t)
            EXPECT_EQ(core::checkVehicleTransition(kAllStatuses[f], kAllStatuses[t]).ok(), kAllowed[f][t])
                << toString(kAllStatuses[f]) << " -> " << toString(kAllStatuses[t]);
}

// ---- sales pipeline -------------------------------------------------------------------------------------

TEST(LeadTransitions, PipelineStagesAreInSalesOrderWithoutLost) {
    const auto stages = core::pipelineStages();
    const std::vector<LeadStage> expected{LeadStage::Inquiry, LeadStage::Visit,    LeadStage::TestDrive,
                                          LeadStage::Quote,   LeadStage::Contract, LeadStage::Delivered,
                                          LeadStage::FollowUp};
    EXPECT_EQ(std::vector<LeadStage>(stages.begin(), stages.end()), expected);
}

TEST(LeadTransitions, EveryForwardMoveIsAllowedIncludingSkips) {
    const auto stages = core::pipelineStages();
    for (std::size_t i = 0; i < stages.size(); ++i)
        for (std::size_t j = i + 1; j < stages.size(); ++j)
            EXPECT_TRUE(leadMove(stages[i], stages[j]));
    // The everyday skip: not every buyer test-drives.
    EXPECT_TRUE(leadMove(LeadStage::Visit, LeadStage::Quote));
}

TEST(LeadTransitions, BackwardMovesAreRefused) {
    const auto stages = core::pipelineStages();
    for (std::size_t i = 0; i < stages.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            EXPECT_FALSE(leadMove(stages[i], stages[j]));

    auto st = core::checkLeadTransition(LeadStage::Quote, LeadStage::Visit);
    ASSERT_FALSE(st.ok());
    EXPECT_TRUE(contains(st.error().message, "quote")) << st.error().message;
    EXPECT_TRUE(contains(st.error().message, "visit")) << st.error().message;
}

TEST(LeadTransitions, SameStageIsRefused) {
    for (LeadStage s : kAllStages)
        EXPECT_FALSE(leadMove(s, s));
}

TEST(LeadTransitions, OpenLeadsCanBeLostButDeliveredCustomersCannot) {
    for (LeadStage open :
         {LeadStage::Inquiry, LeadStage::Visit, LeadStage::TestDrive, LeadStage::Quote, LeadStage::Contract})
        EXPECT_TRUE(leadMove(open, LeadStage::Lost));
    for (LeadStage done : {LeadStage::Delivered, LeadStage::FollowUp}) {
        auto st = core::checkLeadTransition(done, LeadStage::Lost);
        ASSERT_FALSE(st.ok()) << toString(done);
        EXPECT_EQ(st.error().code, ErrorCode::InvalidTransition);
        EXPECT_TRUE(contains(st.error().message, "delivered")) << st.error().message;
    }
}

TEST(LeadTransitions, LostLeadReopensOnlyAsInquiry) {
    EXPECT_TRUE(leadMove(LeadStage::Lost, LeadStage::Inquiry));
    for (LeadStage to : kAllStages) {
        if (to == LeadStage::Inquiry || to == LeadStage::Lost) continue;
        auto st = core::checkLeadTransition(LeadStage::Lost, to);
        ASSERT_FALSE(st.ok()) << "lost -> " << toString(to);
        EXPECT_TRUE(contains(st.error().message, "inquiry")) << st.error().message;
    }
}

// ---- words ----------------------------------------------------------------------------------------------

template <class E, class Parse> void expectRoundTrip(std::initializer_list<E> all, Parse parse) {
    std::vector<std::string_view> seen;
    for (E e : all) {
        const std::string_view word = toString(e);
        EXPECT_NE(word, "unknown");
        EXPECT_EQ(std::count(seen.begin(), seen.end(), word), 0) << "two enumerators share '" << word << "'";
        seen.push_back(word);
        auto parsed = parse(word);
        ASSERT_TRUE(parsed.ok()) << word << ": " << parsed.error().message;
        EXPECT_EQ(*parsed, e) << word;
        std::string upper(word);
        std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
        auto parsedUpper = parse(upper);
        ASSERT_TRUE(parsedUpper.ok()) << upper << ": " << parsedUpper.error().message;
        EXPECT_EQ(*parsedUpper, e) << upper;
    }
}

template <class Parse>
void expectRefusalListsWords(Parse parse, std::string_view bad, std::initializer_list<std::string_view> words) {
    auto result = parse(bad);
    ASSERT_FALSE(result.ok()) << "'" << bad << "' was accepted";
    EXPECT_EQ(result.error().code, ErrorCode::InvalidInput);
    EXPECT_TRUE(contains(result.error().message, bad)) << result.error().message;
    for (std::string_view w : words)
        EXPECT_TRUE(contains(result.error().message, w)) << result.error().message;
}

TEST(DomainWords, EveryConditionRoundTrips) {
    using C = core::Condition;
    expectRoundTrip({C::New, C::Used, C::Certified}, core::parseCondition);
    expectRefusalListsWords(core::parseCondition, "mint", {"new", "used", "certified"});
}

TEST(DomainWords, EveryVehicleStatusRoundTrips) {
    using S = VehicleStatus;
    expectRoundTrip({S::Incoming, S::InStock, S::OnHold, S::Sold, S::Delivered, S::Transferred},
                    core::parseVehicleStatus);
    expectRefusalListsWords(core::parseVehicleStatus, "parked",
                            {"incoming", "in_stock", "on_hold", "sold", "delivered", "transferred"});
}

TEST(DomainWords, EveryLeadStageRoundTrips) {
    using L = LeadStage;
    expectRoundTrip({L::Inquiry, L::Visit, L::TestDrive, L::Quote, L::Contract, L::Delivered, L::FollowUp, L::Lost},
                    core::parseLeadStage);
    expectRefusalListsWords(core::parseLeadStage, "negotiation",
                            {"inquiry", "visit", "test_drive", "quote", "contract", "delivered", "follow_up", "lost"});
}

TEST(DomainWords, EveryStaffRoleRoundTrips) {
    using R = core::StaffRole;
    expectRoundTrip({R::Sales, R::Manager, R::Finance, R::Porter, R::Admin}, core::parseStaffRole);
    expectRefusalListsWords(core::parseStaffRole, "janitor", {"sales", "manager", "finance", "porter", "admin"});
}

TEST(DomainWords, EveryDealStatusRoundTrips) {
    using D = core::DealStatus;
    expectRoundTrip({D::Draft, D::Signed, D::Delivered, D::Cancelled}, core::parseDealStatus);
    expectRefusalListsWords(core::parseDealStatus, "pending", {"draft", "signed", "delivered", "cancelled"});
}

TEST(DomainWords, EveryPaymentMethodRoundTrips) {
    using P = core::PaymentMethod;
    expectRoundTrip({P::Cash, P::Card, P::Check, P::Wire, P::Financing}, core::parsePaymentMethod);
    expectRefusalListsWords(core::parsePaymentMethod, "bitcoin", {"cash", "card", "check", "wire", "financing"});
}

TEST(DomainWords, TypedSpellingsWithSpaceOrHyphenAreAccepted) {
    EXPECT_EQ(core::parseVehicleStatus("In Stock").value(), VehicleStatus::InStock);
    EXPECT_EQ(core::parseVehicleStatus("on-hold").value(), VehicleStatus::OnHold);
    EXPECT_EQ(core::parseLeadStage("Test Drive").value(), LeadStage::TestDrive);
    EXPECT_EQ(core::parseLeadStage("follow-up").value(), LeadStage::FollowUp);
}

TEST(DomainWords, EmptyAndOverlongWordsAreRefused) {
    EXPECT_FALSE(core::parseCondition("").ok());
    const std::string huge(10'000, 'x');
    auto result = core::parseLeadStage(huge);
    ASSERT_FALSE(result.ok());
    EXPECT_LT(result.error().message.size(), 300u) << "the message echoes the whole input";
}

// ---- contact details ------------------------------------------------------------------------------------

TEST(ContactNormalise, PhoneKeepsDigitsAndDropsUsCountryCode) {
    EXPECT_EQ(core::normalisePhone("+1 (555) 010-2000"), "5550102000");
    EXPECT_EQ(core::normalisePhone("(555) 010-2000"), "5550102000");
    EXPECT_EQ(core::normalisePhone("555.010.2000"), "5550102000");
    EXPECT_EQ(core::normalisePhone("15550102000"), "5550102000");
    // Only an 11-digit number loses a leading 1; others are kept whole.
    EXPECT_EQ(core::normalisePhone("+44 20 7946 0958"), "442079460958");
    EXPECT_EQ(core::normalisePhone("1234"), "1234");
    EXPECT_EQ(core::normalisePhone("call me"), "");
}

TEST(ContactNormalise, EmailIsTrimmedAndLowerCased) {
    EXPECT_EQ(core::normaliseEmail(" Jane@Example.COM "), "jane@example.com");
    EXPECT_EQ(core::normaliseEmail("\tjane.doe+cars@mail.example\n"), "jane.doe+cars@mail.example");
}

TEST(ContactNormalise, EmailWithoutExactlyOneInnerAtIsEmpty) {
    EXPECT_EQ(core::normaliseEmail("a@@b"), "");
    EXPECT_EQ(core::normaliseEmail("a@b@c"), "");
    EXPECT_EQ(core::normaliseEmail("@x"), "");
    EXPECT_EQ(core::normaliseEmail("x@"), "");
    EXPECT_EQ(core::normaliseEmail(" x@ "), "");
    EXPECT_EQ(core::normaliseEmail("no-at-sign"), "");
    EXPECT_EQ(core::normaliseEmail(""), "");
}

// ---- feature and photo lists ----------------------------------------------------------------------------

TEST(FeatureList, JoinThenSplitRoundTrips) {
    const std::vector<std::string> features{"Panoramic roof", "Heated seats", "Apple CarPlay / Android Auto",
                                            "Tow package (3,500 lb)"};
    const std::string joined = core::joinList(features);
    EXPECT_EQ(joined, "Panoramic roof; Heated seats; Apple CarPlay / Android Auto; Tow package (3,500 lb)");
    EXPECT_EQ(core::splitList(joined), features);
}

TEST(FeatureList, EmptyItemsAndStraySpacesDisappear) {
    EXPECT_EQ(core::joinList({}), "");
    EXPECT_EQ(core::joinList({"", "Sunroof", ""}), "Sunroof");
    EXPECT_TRUE(core::splitList("").empty());
    EXPECT_TRUE(core::splitList(" ; ;").empty());
    EXPECT_EQ(core::splitList("  Sunroof ;;Heated seats;  "), (std::vector<std::string>{"Sunroof", "Heated seats"}));
    EXPECT_EQ(core::splitList("front.jpg;rear.jpg"), (std::vector<std::string>{"front.jpg", "rear.jpg"}));
}

} // namespace
