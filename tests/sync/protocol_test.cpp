#include "showroom/sync/protocol.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace showroom;
using namespace showroom::sync;
using nlohmann::json;

namespace {

Event sampleEvent(int n = 1) {
    Event e;
    e.eventId = "6f1c2d3e-0000-4000-8000-00000000000" + std::to_string(n);
    e.seq = n;
    e.type = "deal.signed";
    e.entity = "deal";
    e.entityId = "deal-" + std::to_string(n);
    e.payload =
        json{{"total_cents", 2'450'000}, {"customer", "Ada Lovelace"}, {"vehicle", {{"vin", "WVWZZZ1JZXW000001"}}}};
    e.createdAt = "2026-12-01T10:15:00Z";
    return e;
}

json validEventJson() {
    return toJson(sampleEvent());
}

/// The message of a refusal, failing the test when the input was accepted.
template <class T> std::string refusal(const core::Result<T>& r) {
    EXPECT_FALSE(r.ok());
    if (r.ok()) return {};
    EXPECT_EQ(r.error().code, core::ErrorCode::InvalidInput);
    return r.error().message;
}

} // namespace

TEST(Protocol, EventRoundTripKeepsEveryField) {
    const Event e = sampleEvent(7);
    auto back = eventFromJson(json::parse(toJson(e).dump()));
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->eventId, e.eventId);
    EXPECT_EQ(back->seq, 7);
    EXPECT_EQ(back->type, "deal.signed");
    EXPECT_EQ(back->entity, "deal");
    EXPECT_EQ(back->entityId, "deal-7");
    EXPECT_EQ(back->payload, e.payload);
    EXPECT_EQ(back->createdAt, "2026-12-01T10:15:00Z");
}

TEST(Protocol, WireNamesAreSnakeCase) {
    const json j = toJson(sampleEvent());
    for (const char* field : {"event_id", "seq", "type", "entity", "entity_id", "payload", "created_at"})
        EXPECT_TRUE(j.contains(field)) << field;
    EXPECT_EQ(toJson(PushRequest{}).value("version", 0), kProtocolVersion);
}

TEST(Protocol, PushRequestRoundTrip) {
    PushRequest r;
    for (int i = 1; i <= 3; ++i)
        r.events.push_back(sampleEvent(i));
    auto back = pushRequestFromJson(json::parse(toJson(r).dump()));
    ASSERT_TRUE(back.ok()) << back.error().message;
    ASSERT_EQ(back->events.size(), 3u);
    EXPECT_EQ(back->events[2].eventId, r.events[2].eventId);
    EXPECT_EQ(back->events[2].seq, 3);
}

TEST(Protocol, PushResponseRoundTrip) {
    PushResponse r;
    r.accepted = {"a", "b"};
    r.duplicates = {"c"};
    r.rejected = {Rejection{"d", "unknown event type 'bogus.x'"}};
    auto back = pushResponseFromJson(json::parse(toJson(r).dump()));
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->accepted, r.accepted);
    EXPECT_EQ(back->duplicates, r.duplicates);
    ASSERT_EQ(back->rejected.size(), 1u);
    EXPECT_EQ(back->rejected[0].eventId, "d");
    EXPECT_EQ(back->rejected[0].reason, "unknown event type 'bogus.x'");
}

TEST(Protocol, PullResponseRoundTrip) {
    PullResponse r;
    r.changes.push_back(Change{41, "vehicle", "DTN", json{{"vin", "WVWZZZ1JZXW000001"}, {"entity_id", "v-1"}}});
    r.changes.push_back(Change{42, "price", "", json{{"model", "Golf"}, {"price_cents", 2'999'000}}});
    r.cursor = 42;
    r.more = true;
    auto back = pullResponseFromJson(json::parse(toJson(r).dump()));
    ASSERT_TRUE(back.ok()) << back.error().message;
    ASSERT_EQ(back->changes.size(), 2u);
    EXPECT_EQ(back->changes[0].seq, 41);
    EXPECT_EQ(back->changes[0].kind, "vehicle");
    EXPECT_EQ(back->changes[0].storeCode, "DTN");
    EXPECT_EQ(back->changes[0].data, r.changes[0].data);
    EXPECT_EQ(back->changes[1].storeCode, "");
    EXPECT_EQ(back->cursor, 42);
    EXPECT_TRUE(back->more);
}

TEST(Protocol, EmptyBatchAndEmptyPageAreValid) {
    auto push = pushRequestFromJson(json{{"events", json::array()}});
    ASSERT_TRUE(push.ok()) << push.error().message;
    EXPECT_TRUE(push->events.empty());
    auto pull = pullResponseFromJson(json{{"changes", json::array()}, {"cursor", 0}, {"more", false}});
    ASSERT_TRUE(pull.ok()) << pull.error().message;
    EXPECT_TRUE(pull->changes.empty());
}

TEST(Protocol, EachMissingEventFieldIsNamed) {
    for (const char* field : {"event_id", "seq", "type", "entity", "entity_id", "payload", "created_at"}) {
        json j = validEventJson();
        j.erase(field);
        const std::string message = refusal(eventFromJson(j));
        EXPECT_NE(message.find(field), std::string::npos) << field << ": " << message;
        EXPECT_NE(message.find("missing"), std::string::npos) << message;
    }
}

TEST(Protocol, EachMistypedEventFieldIsNamed) {
    const std::pair<const char*, json> cases[] = {
        {"event_id", 12},        {"seq", "12"},       {"seq", 1.5},     {"seq", -1},
        {"type", json::array()}, {"entity", nullptr}, {"entity_id", 3}, {"created_at", false},
    };
    for (const auto& [field, value] : cases) {
        json j = validEventJson();
        j[field] = value;
        const std::string message = refusal(eventFromJson(j));
        EXPECT_NE(message.find(field), std::string::npos) << field << "=" << value.dump() << ": " << message;
    }
}

TEST(Protocol, PayloadOfAnyJsonTypeIsLeftToHq) {
    // Whether a payload is acceptable is HQ's per-event judgement (a rejection, not a refused batch).
    json j = validEventJson();
    j["payload"] = json::array({1, 2});
    auto e = eventFromJson(j);
    ASSERT_TRUE(e.ok()) << e.error().message;
    EXPECT_TRUE(e->payload.is_array());
}

TEST(Protocol, ABadEventInABatchIsNamedByIndex) {
    PushRequest r;
    for (int i = 1; i <= 4; ++i)
        r.events.push_back(sampleEvent(i));
    json j = toJson(r);
    j["events"][2].erase("entity_id");
    const std::string message = refusal(pushRequestFromJson(j));
    EXPECT_NE(message.find("events[2].entity_id"), std::string::npos) << message;

    j = toJson(r);
    j["events"][3] = "not an event";
    const std::string notObject = refusal(pushRequestFromJson(j));
    EXPECT_NE(notObject.find("events[3]"), std::string::npos) << notObject;
}

TEST(Protocol, BatchLimitIsEnforced) {
    PushRequest r;
    for (std::size_t i = 0; i < kMaxBatchEvents; ++i)
        r.events.push_back(sampleEvent(static_cast<int>(i)));
    EXPECT_TRUE(pushRequestFromJson(toJson(r)).ok());
    r.events.push_back(sampleEvent(9999));
    const std::string message = refusal(pushRequestFromJson(toJson(r)));
    EXPECT_NE(message.find("events"), std::string::npos) << message;
    EXPECT_NE(message.find(std::to_string(kMaxBatchEvents)), std::string::npos) << message;
}

TEST(Protocol, MalformedPushRequestsAreRefused) {
    EXPECT_NE(refusal(pushRequestFromJson(json::array())).find("must be an object"), std::string::npos);
    EXPECT_NE(refusal(pushRequestFromJson(json::object())).find("events is missing"), std::string::npos);
    EXPECT_NE(refusal(pushRequestFromJson(json{{"events", json::object()}})).find("events must be an array"),
              std::string::npos);
    const std::string version = refusal(pushRequestFromJson(json{{"version", 2}, {"events", json::array()}}));
    EXPECT_NE(version.find("version 2"), std::string::npos) << version;
}

TEST(Protocol, MalformedPushResponsesAreRefused) {
    const json good = toJson(PushResponse{{"a"}, {"b"}, {Rejection{"c", "why"}}});
    for (const char* field : {"accepted", "duplicates", "rejected"}) {
        json j = good;
        j.erase(field);
        const std::string message = refusal(pushResponseFromJson(j));
        EXPECT_NE(message.find(field), std::string::npos) << message;
    }
    json j = good;
    j["accepted"][0] = 5;
    EXPECT_NE(refusal(pushResponseFromJson(j)).find("accepted[0]"), std::string::npos);
    j = good;
    j["rejected"][0].erase("reason");
    EXPECT_NE(refusal(pushResponseFromJson(j)).find("rejected[0].reason"), std::string::npos);
}

TEST(Protocol, MalformedPullResponsesAreRefused) {
    const json good = toJson(PullResponse{{Change{1, "vehicle", "DTN", json::object()}}, 1, false});
    for (const char* field : {"changes", "cursor", "more"}) {
        json j = good;
        j.erase(field);
        const std::string message = refusal(pullResponseFromJson(j));
        EXPECT_NE(message.find(field), std::string::npos) << message;
    }
    for (const char* field : {"seq", "kind", "store_code", "data"}) {
        json j = good;
        j["changes"][0].erase(field);
        const std::string message = refusal(pullResponseFromJson(j));
        EXPECT_NE(message.find(std::string("changes[0].") + field), std::string::npos) << message;
    }
    json j = good;
    j["more"] = "yes";
    EXPECT_NE(refusal(pullResponseFromJson(j)).find("more"), std::string::npos);
    j = good;
    j["cursor"] = -3;
    EXPECT_NE(refusal(pullResponseFromJson(j)).find("cursor"), std::string::npos);
}

TEST(Protocol, ParseBodyAcceptsAnObject) {
    auto j = parseBody(R"({"events": []})");
    ASSERT_TRUE(j.ok()) << j.error().message;
    EXPECT_TRUE(j->contains("events"));
}

TEST(Protocol, ParseBodyRefusesWhatIsNotAJsonObject) {
    const std::string broken = refusal(parseBody(R"({"events": [)"));
    EXPECT_NE(broken.find("not valid JSON"), std::string::npos) << broken;
    EXPECT_NE(broken.find("byte"), std::string::npos) << broken;
    EXPECT_NE(refusal(parseBody("")).find("not valid JSON"), std::string::npos);
    EXPECT_NE(refusal(parseBody("[1, 2]")).find("must be a JSON object"), std::string::npos);
    EXPECT_NE(refusal(parseBody("\"text\"")).find("must be a JSON object"), std::string::npos);
    EXPECT_NE(refusal(parseBody("{} trailing")).find("not valid JSON"), std::string::npos);
}

TEST(Protocol, ParseBodyRefusesDeepNesting) {
    std::string deep = R"({"a":)";
    for (int i = 0; i < 100'000; ++i)
        deep += '[';
    for (int i = 0; i < 100'000; ++i)
        deep += ']';
    deep += '}';
    EXPECT_NE(refusal(parseBody(deep)).find("nests deeper"), std::string::npos);
}

TEST(Protocol, ParseBodyRefusesAnOversizedBody) {
    const std::string big = R"({"pad":")" + std::string(kMaxBodyBytes, 'x') + R"("})";
    EXPECT_NE(refusal(parseBody(big)).find("at most"), std::string::npos);
}
