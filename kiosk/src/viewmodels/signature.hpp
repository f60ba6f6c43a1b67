#pragma once
// The customer's signature, drawn with a finger: strokes in pad coordinates (0..1 on both axes),
// rasterised on acceptance to a PNG at twice the pad's on-screen size, with its SHA-256, so the
// signed deal can show exactly what was signed and when. Pure apart from accept() writing the file.
// Thread: main thread only.

#include "showroom/core/result.hpp"

#include <string>
#include <vector>

namespace showroom::kiosk {

struct SignaturePoint {
    float x, y;   ///< 0..1 across and down the pad
};

struct SignatureImage {
    std::string path;     ///< the PNG written
    std::string sha256;   ///< hex digest of the PNG bytes
    int width = 0, height = 0;
};

class Signature {
public:
    void beginStroke(SignaturePoint p);
    void extendStroke(SignaturePoint p);   ///< ignored before beginStroke
    void clear() { m_strokes.clear(); }
    const std::vector<std::vector<SignaturePoint>>& strokes() const { return m_strokes; }
    /// Enough ink to be a signature rather than a tap (total stroke length >= 0.25 pad widths).
    bool looksSigned() const;

    /// Rasterises the strokes (dark ink on white, smoothed, `width` x `height` pixels) and writes a
    /// PNG to `path`. InvalidInput when nothing that looks like a signature was drawn.
    core::Result<SignatureImage> accept(const std::string& path, int width, int height) const;

private:
    std::vector<std::vector<SignaturePoint>> m_strokes;
};

} // namespace showroom::kiosk
