#include "showroom/sync/protocol.hpp"

#include <limits>
#include <utility>

// Field names on the wire are snake_case, as in the store's outbox table. Readers are strict about
// the fields that identify and route an event (a missing or mistyped one refuses the whole batch,
// naming the event's index), and lenient about content: whether a type is known or a payload is an
// object is HQ's judgement per event (hq.hpp), so one bad event is rejected alone and never blocks
// the events behind it.

namespace showroom::sync {

using core::ErrorCode;
using core::Result;
using nlohmann::json;

namespace {

/// Deeper JSON than this is refused before it is built: no legitimate body nests this far, and
/// printing a pathological nest would recurse.
constexpr int kMaxDepth = 64;

core::Error invalid(std::string message) {
    return core::fail(ErrorCode::InvalidInput, std::move(message));
}

/// Reads fields of one JSON object, naming them as `<where><field>` in errors ("events[3].seq").
class Fields {
public:
    Fields(const json& object, std::string where) : m_object(object), m_where(std::move(where)) {}

    Result<const json*> required(const char* field) const {
        const auto it = m_object.find(field);
        if (it == m_object.end()) return invalid(name(field) + " is missing");
        return &*it;
    }

    Result<std::string> string(const char* field) const {
        auto v = required(field);
        if (!v) return v.error();
        if (!(*v)->is_string()) return invalid(name(field) + " must be a string");
        return (*v)->get<std::string>();
    }

    Result<std::int64_t> integer(const char* field, std::int64_t min = std::numeric_limits<std::int64_t>::min()) const {
        auto v = required(field);
        if (!v) return v.error();
        const json& j = **v;
        std::int64_t n = 0;
        if (j.is_number_unsigned()) {
            if (j.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                return invalid(name(field) + " is out of range");
            n = static_cast<std::int64_t>(j.get<std::uint64_t>());
        } else if (j.is_number_integer()) {
            n = j.get<std::int64_t>();
        } else {
            return invalid(name(field) + " must be an integer");
        }
        if (n < min) return invalid(name(field) + " must be at least " + std::to_string(min));
        return n;
    }

    Result<bool> boolean(const char* field) const {
        auto v = required(field);
        if (!v) return v.error();
        if (!(*v)->is_boolean()) return invalid(name(field) + " must be true or false");
        return (*v)->get<bool>();
    }

    Result<const json*> array(const char* field) const {
        auto v = required(field);
        if (!v) return v.error();
        if (!(*v)->is_array()) return invalid(name(field) + " must be an array");
        return *v;
    }

    /// A list of strings (event ids).
    Result<std::vector<std::string>> strings(const char* field) const {
        auto a = array(field);
        if (!a) return a.error();
        std::vector<std::string> out;
        out.reserve((*a)->size());
        for (std::size_t i = 0; i < (*a)->size(); ++i) {
            const json& item = (**a)[i];
            if (!item.is_string()) return invalid(name(field) + "[" + std::to_string(i) + "] must be a string");
            out.push_back(item.get<std::string>());
        }
        return out;
    }

    std::string name(const char* field) const { return m_where + field; }

private:
    const json& m_object;
    std::string m_where;
};

std::string element(const char* list, std::size_t index) {
    return std::string(list) + "[" + std::to_string(index) + "]";
}

/// `what` is an object, or an error naming it ("events[2] must be an object").
core::Status requireObject(const json& j, const std::string& what) {
    if (!j.is_object()) return invalid(what + " must be an object");
    return {};
}

Result<Event> readEvent(const json& j, const std::string& where) {
    SHOWROOM_TRY(requireObject(j, where.empty() ? std::string("event") : where));
    const Fields f(j, where.empty() ? std::string() : where + ".");
    Event e;
    auto id = f.string("event_id");
    if (!id) return id.error();
    e.eventId = std::move(*id);
    auto seq = f.integer("seq", 0);
    if (!seq) return seq.error();
    e.seq = *seq;
    auto type = f.string("type");
    if (!type) return type.error();
    e.type = std::move(*type);
    auto entity = f.string("entity");
    if (!entity) return entity.error();
    e.entity = std::move(*entity);
    auto entityId = f.string("entity_id");
    if (!entityId) return entityId.error();
    e.entityId = std::move(*entityId);
    auto payload = f.required("payload");
    if (!payload) return payload.error();
    e.payload = **payload;
    auto createdAt = f.string("created_at");
    if (!createdAt) return createdAt.error();
    e.createdAt = std::move(*createdAt);
    // The clock stamp: absent or "" for events a store wrote before it stamped them (schema < 4).
    if (j.contains("hlc")) {
        auto hlc = f.string("hlc");
        if (!hlc) return hlc.error();
        e.hlc = std::move(*hlc);
    }
    return e;
}

Result<Change> readChange(const json& j, const std::string& where) {
    SHOWROOM_TRY(requireObject(j, where));
    const Fields f(j, where + ".");
    Change c;
    auto seq = f.integer("seq", 1);
    if (!seq) return seq.error();
    c.seq = *seq;
    auto kind = f.string("kind");
    if (!kind) return kind.error();
    c.kind = std::move(*kind);
    auto storeCode = f.string("store_code");
    if (!storeCode) return storeCode.error();
    c.storeCode = std::move(*storeCode);
    auto data = f.required("data");
    if (!data) return data.error();
    c.data = **data;
    return c;
}

} // namespace

json toJson(const Event& e) {
    return json{{"event_id", e.eventId},   {"seq", e.seq},         {"type", e.type},           {"entity", e.entity},
                {"entity_id", e.entityId}, {"payload", e.payload}, {"created_at", e.createdAt}, {"hlc", e.hlc}};
}

json toJson(const PushRequest& r) {
    json events = json::array();
    for (const auto& e : r.events)
        events.push_back(toJson(e));
    return json{{"version", kProtocolVersion}, {"events", std::move(events)}};
}

json toJson(const PushResponse& r) {
    json rejected = json::array();
    for (const auto& x : r.rejected)
        rejected.push_back(json{{"event_id", x.eventId}, {"reason", x.reason}});
    return json{{"accepted", r.accepted}, {"duplicates", r.duplicates}, {"rejected", std::move(rejected)}};
}

json toJson(const Change& c) {
    return json{{"seq", c.seq}, {"kind", c.kind}, {"store_code", c.storeCode}, {"data", c.data}};
}

json toJson(const PullResponse& r) {
    json changes = json::array();
    for (const auto& c : r.changes)
        changes.push_back(toJson(c));
    return json{{"changes", std::move(changes)}, {"cursor", r.cursor}, {"more", r.more}};
}

Result<Event> eventFromJson(const json& j) {
    return readEvent(j, "");
}

Result<PushRequest> pushRequestFromJson(const json& j) {
    SHOWROOM_TRY(requireObject(j, "push request"));
    const Fields f(j, "");
    if (j.contains("version")) {
        auto version = f.integer("version");
        if (!version) return version.error();
        if (*version != kProtocolVersion)
            return invalid("version " + std::to_string(*version) + " is not supported (this HQ speaks version " +
                           std::to_string(kProtocolVersion) + ")");
    }
    auto events = f.array("events");
    if (!events) return events.error();
    const json& list = **events;
    if (list.size() > kMaxBatchEvents)
        return invalid("events: " + std::to_string(list.size()) + " events in one batch, at most " +
                       std::to_string(kMaxBatchEvents));
    PushRequest r;
    r.events.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
        auto e = readEvent(list[i], element("events", i));
        if (!e) return e.error();
        r.events.push_back(std::move(*e));
    }
    return r;
}

Result<PushResponse> pushResponseFromJson(const json& j) {
    SHOWROOM_TRY(requireObject(j, "push response"));
    const Fields f(j, "");
    PushResponse r;
    auto accepted = f.strings("accepted");
    if (!accepted) return accepted.error();
    r.accepted = std::move(*accepted);
    auto duplicates = f.strings("duplicates");
    if (!duplicates) return duplicates.error();
    r.duplicates = std::move(*duplicates);
    auto rejected = f.array("rejected");
    if (!rejected) return rejected.error();
    for (std::size_t i = 0; i < (*rejected)->size(); ++i) {
        const json& item = (**rejected)[i];
        const std::string where = element("rejected", i);
        SHOWROOM_TRY(requireObject(item, where));
        const Fields rf(item, where + ".");
        auto id = rf.string("event_id");
        if (!id) return id.error();
        auto reason = rf.string("reason");
        if (!reason) return reason.error();
        r.rejected.push_back(Rejection{std::move(*id), std::move(*reason)});
    }
    return r;
}

Result<PullResponse> pullResponseFromJson(const json& j) {
    SHOWROOM_TRY(requireObject(j, "pull response"));
    const Fields f(j, "");
    PullResponse r;
    auto changes = f.array("changes");
    if (!changes) return changes.error();
    r.changes.reserve((*changes)->size());
    for (std::size_t i = 0; i < (*changes)->size(); ++i) {
        auto c = readChange((**changes)[i], element("changes", i));
        if (!c) return c.error();
        r.changes.push_back(std::move(*c));
    }
    auto cursor = f.integer("cursor", 0);
    if (!cursor) return cursor.error();
    r.cursor = *cursor;
    auto more = f.boolean("more");
    if (!more) return more.error();
    r.more = *more;
    return r;
}

Result<json> parseBody(std::string_view body) {
    if (body.size() > kMaxBodyBytes)
        return invalid("body: " + std::to_string(body.size()) + " bytes, at most " + std::to_string(kMaxBodyBytes));
    bool tooDeep = false;
    // Returning false discards the nested value, so a pathological nest is skipped, never built.
    const json::parser_callback_t limitDepth = [&tooDeep](int depth, json::parse_event_t event, json&) {
        if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
            depth >= kMaxDepth) {
            tooDeep = true;
            return false;
        }
        return true;
    };
    json j;
    try {
        j = json::parse(body.begin(), body.end(), limitDepth);
    } catch (const json::parse_error& e) {
        // e.what() is "[json.exception.parse_error.101] parse error at line 1, column 7: ..."; keep the human part.
        std::string what = e.what();
        if (const auto close = what.find("] "); close != std::string::npos) what.erase(0, close + 2);
        return invalid("body is not valid JSON (byte " + std::to_string(e.byte) + "): " + what);
    }
    if (tooDeep) return invalid("body nests deeper than " + std::to_string(kMaxDepth) + " levels");
    if (!j.is_object()) return invalid("body must be a JSON object");
    return j;
}

} // namespace showroom::sync
