#include "haru_document.hpp"

#include <cstdio>

namespace showroom::devices::pdf::detail {

// libharu's error callback: keep the first error and return to libharu, which unwinds by return codes.
extern "C" {
static void recordHaruError(HPDF_STATUS error, HPDF_STATUS detail, void* user) {
    auto* errors = static_cast<HaruErrors*>(user);
    if (errors->error == HPDF_OK) *errors = {error, detail};
}
}

core::Result<HaruDocument> HaruDocument::create() {
    auto state = std::make_unique<State>();
    state->doc = HPDF_New(recordHaruError, &state->errors);
    if (!state->doc) return core::fail(core::ErrorCode::Internal, "libharu could not create a PDF document");
    return HaruDocument(std::move(state));
}

core::Error HaruDocument::error(core::ErrorCode code, std::string_view what) const {
    char codes[64];
    std::snprintf(codes, sizeof codes, ": libharu error 0x%04X (detail %u)",
                  static_cast<unsigned>(m_state->errors.error), static_cast<unsigned>(m_state->errors.detail));
    return core::fail(code, std::string(what) + codes);
}

core::Status HaruDocument::check(core::ErrorCode code, std::string_view what) const {
    if (failed()) return error(code, what);
    return {};
}

core::Result<std::string> HaruDocument::save() {
    if (HPDF_SaveToStream(get()) != HPDF_OK || failed()) return error(core::ErrorCode::Internal, "writing the PDF");
    HPDF_UINT32 size = HPDF_GetStreamSize(get());
    std::string bytes(size, '\0');
    // Exactly the stream's size: asking for more would report end-of-stream as an error.
    if (HPDF_ReadFromStream(get(), reinterpret_cast<HPDF_BYTE*>(bytes.data()), &size) != HPDF_OK || failed())
        return error(core::ErrorCode::Internal, "reading the PDF back");
    bytes.resize(size);
    return bytes;
}

} // namespace showroom::devices::pdf::detail
