#include "signature.hpp"

#include <sodium.h>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>

namespace showroom::kiosk {

void Signature::beginStroke(SignaturePoint p) { m_strokes.push_back({p}); }

void Signature::extendStroke(SignaturePoint p) {
    if (m_strokes.empty()) return;
    auto& s = m_strokes.back();
    // Fingers jitter: skip points closer than a few hundredths of a percent of the pad.
    const auto& last = s.back();
    if (std::hypot(p.x - last.x, p.y - last.y) < 0.002f) return;
    s.push_back(p);
}

bool Signature::looksSigned() const {
    float length = 0;
    for (const auto& s : m_strokes)
        for (std::size_t i = 1; i < s.size(); ++i) length += std::hypot(s[i].x - s[i - 1].x, s[i].y - s[i - 1].y);
    return length >= 0.25f;
}

core::Result<SignatureImage> Signature::accept(const std::string& path, int width, int height) const {
    if (!looksSigned()) return core::fail(core::ErrorCode::InvalidInput, "nothing that looks like a signature was drawn");
    if (width < 16 || height < 16 || width > 8000 || height > 8000)
        return core::fail(core::ErrorCode::InvalidInput, "signature image size out of range");
    std::vector<unsigned char> rgba(static_cast<std::size_t>(width) * height * 4, 255);
    const float radius = std::max(1.5f, static_cast<float>(height) / 160.0f);
    // Stamps a soft round nib: coverage falls off over the last pixel, so edges are anti-aliased.
    auto stamp = [&](float cx, float cy) {
        const int x0 = std::max(0, static_cast<int>(cx - radius - 1)), x1 = std::min(width - 1, static_cast<int>(cx + radius + 1));
        const int y0 = std::max(0, static_cast<int>(cy - radius - 1)), y1 = std::min(height - 1, static_cast<int>(cy + radius + 1));
        for (int y = y0; y <= y1; ++y)
            for (int x = x0; x <= x1; ++x) {
                const float d = std::hypot(static_cast<float>(x) + 0.5f - cx, static_cast<float>(y) + 0.5f - cy);
                const float cover = std::clamp(radius + 0.5f - d, 0.0f, 1.0f);
                if (cover <= 0) continue;
                unsigned char* px = &rgba[(static_cast<std::size_t>(y) * width + x) * 4];
                // Ink colour #141B2D blended over what is there.
                const unsigned char ink[3] = {0x14, 0x1B, 0x2D};
                for (int c = 0; c < 3; ++c)
                    px[c] = static_cast<unsigned char>(std::min<float>(px[c], px[c] + (ink[c] - px[c]) * cover));
            }
    };
    for (const auto& s : m_strokes) {
        // Smooth with a 3-point moving average, then stamp along each segment.
        std::vector<SignaturePoint> smooth(s);
        for (std::size_t i = 1; i + 1 < s.size(); ++i)
            smooth[i] = {(s[i - 1].x + s[i].x + s[i + 1].x) / 3, (s[i - 1].y + s[i].y + s[i + 1].y) / 3};
        for (std::size_t i = 0; i < smooth.size(); ++i) {
            const float ax = smooth[i].x * static_cast<float>(width), ay = smooth[i].y * static_cast<float>(height);
            if (i == 0) {
                stamp(ax, ay);
                continue;
            }
            const float bx = smooth[i - 1].x * static_cast<float>(width), by = smooth[i - 1].y * static_cast<float>(height);
            const int steps = std::max(1, static_cast<int>(std::hypot(ax - bx, ay - by) / (radius * 0.5f)));
            for (int k = 1; k <= steps; ++k) {
                const float t = static_cast<float>(k) / static_cast<float>(steps);
                stamp(bx + (ax - bx) * t, by + (ay - by) * t);
            }
        }
    }
    // Written beside the target and renamed: a crash never leaves half a signature.
    const std::string tmp = path + ".partial";
    if (!stbi_write_png(tmp.c_str(), width, height, 4, rgba.data(), width * 4))
        return core::fail(core::ErrorCode::Io, "cannot write the signature image " + path);
    if (std::rename(tmp.c_str(), path.c_str()) != 0)
        return core::fail(core::ErrorCode::Io, "cannot write the signature image " + path);
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (sodium_init() < 0) return core::fail(core::ErrorCode::Internal, "libsodium could not start");
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return SignatureImage{path, hex, width, height};
}

} // namespace showroom::kiosk
