#pragma once
// The one owner of an HPDF_Doc. libharu reports errors through a callback; the owner's callback
// records the first error and returns (it never longjmps or throws through libharu's C frames),
// and callers check failed() after each group of calls. Move-only; the destructor frees the document.
// Thread: one owner; separate documents may live on separate threads.

#include "showroom/core/result.hpp"

#include <hpdf.h>

#include <memory>
#include <string>
#include <string_view>

namespace showroom::devices::pdf::detail {

/// The first error libharu reported on a document.
struct HaruErrors {
    HPDF_STATUS error = HPDF_OK, detail = 0;
};

class HaruDocument {
public:
    /// A new, empty document; Internal when libharu cannot allocate one.
    static core::Result<HaruDocument> create();

    HPDF_Doc get() const { return m_state->doc; }
    /// True once libharu has reported an error on this document.
    bool failed() const { return m_state->errors.error != HPDF_OK; }
    /// The recorded error as a message: "<what>: libharu error 0x1017 (detail 2)".
    core::Error error(core::ErrorCode code, std::string_view what) const;
    /// failed() ? error(code, what) : success.
    core::Status check(core::ErrorCode code, std::string_view what) const;

    /// Writes the document and returns its bytes.
    core::Result<std::string> save();

private:
    struct State {
        HPDF_Doc doc = nullptr;
        HaruErrors errors;
        ~State() {
            if (doc) HPDF_Free(doc);
        }
    };
    explicit HaruDocument(std::unique_ptr<State> state) : m_state(std::move(state)) {}
    // On the heap: libharu keeps its address as the error callback's user data.
    std::unique_ptr<State> m_state;
};

} // namespace showroom::devices::pdf::detail
