// The on-screen signature: what the buyer drew is what is stored, and a tap is not a signature.
#include "viewmodels/signature.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#define STB_IMAGE_IMPLEMENTATION
#include <stb/stb_image.h>

#include <cstring>

namespace {

using showroom::kiosk::Signature;

// A horizontal stroke across the middle third of the pad.
Signature zigzag() {
    Signature s;
    s.beginStroke({0.2f, 0.5f});
    for (int i = 1; i <= 60; ++i) s.extendStroke({0.2f + 0.01f * static_cast<float>(i), i % 2 ? 0.48f : 0.52f});
    return s;
}

TEST(Signature, ATapIsNotASignature) {
    Signature s;
    s.beginStroke({0.5f, 0.5f});
    s.extendStroke({0.51f, 0.5f});
    EXPECT_FALSE(s.looksSigned());
    showroom::test::TempDir dir;
    auto image = s.accept(dir.file("tap.png"), 800, 300);
    ASSERT_FALSE(image.ok());
    EXPECT_EQ(image.error().code, showroom::core::ErrorCode::InvalidInput);
}

TEST(Signature, TheStoredImageShowsTheInkWhereItWasDrawnAndNowhereElse) {
    showroom::test::TempDir dir;
    const Signature s = zigzag();
    ASSERT_TRUE(s.looksSigned());
    auto image = s.accept(dir.file("sig.png"), 800, 300);
    ASSERT_TRUE(image.ok()) << image.error().message;
    int w = 0, h = 0, n = 0;
    unsigned char* px = stbi_load(image->path.c_str(), &w, &h, &n, 3);
    ASSERT_NE(px, nullptr);
    EXPECT_EQ(w, 800);
    EXPECT_EQ(h, 300);
    auto dark = [&](int x, int y) { return px[(y * w + x) * 3] < 100; };
    // The stroke zigzags between 48 % and 52 % of the height: ink somewhere in that band.
    bool inked = false;
    for (int y = 140; y <= 160; ++y) inked = inked || dark(400, y);
    EXPECT_TRUE(inked) << "ink on the stroke";
    EXPECT_FALSE(dark(100, 150)) << "no ink left of the stroke";
    EXPECT_FALSE(dark(400, 40)) << "no ink above it";
    EXPECT_FALSE(dark(700, 150)) << "no ink right of it";
    stbi_image_free(px);
}

TEST(Signature, TheDigestIsTheSha256OfTheStoredFile) {
    showroom::test::TempDir dir;
    auto image = zigzag().accept(dir.file("sig.png"), 400, 150);
    ASSERT_TRUE(image.ok()) << image.error().message;
    const std::string bytes = showroom::test::readFile(image->path);
    ASSERT_FALSE(bytes.empty());
    ASSERT_GE(sodium_init(), 0);
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    EXPECT_EQ(image->sha256, hex);
    EXPECT_EQ(image->sha256.size(), 64u);
}

TEST(Signature, ClearStartsOver) {
    Signature s = zigzag();
    s.clear();
    EXPECT_TRUE(s.strokes().empty());
    EXPECT_FALSE(s.looksSigned());
    s.extendStroke({0.1f, 0.1f});
    EXPECT_TRUE(s.strokes().empty()) << "a move without a press draws nothing";
}

} // namespace
