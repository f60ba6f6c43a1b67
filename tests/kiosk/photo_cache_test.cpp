// Vehicle photos: the folder index, and the cache that decodes off the main thread, stays within
// its byte budget and never retries a broken file. The "upload" here records what the kiosk would
// hand to OpenGL (no window in unit tests); the decoding, threads and files are real.
#include "viewmodels/photo_cache.hpp"

#include "temp_dir.hpp"

#include <stb/stb_image_write.h>

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <set>
#include <thread>

namespace showroom::kiosk {
namespace {

void writePng(const std::filesystem::path& path, int w, int h, unsigned char shade) {
    std::vector<unsigned char> px(static_cast<std::size_t>(w) * h * 3, shade);
    ASSERT_TRUE(stbi_write_png(path.c_str(), w, h, 3, px.data(), w * 3));
}

core::Vehicle car(std::string vin) {
    core::Vehicle v;
    v.vin = std::move(vin);
    return v;
}

// Pumps until `done` holds or 5 s pass (the decoder runs on its own thread).
template <class Done>
bool pumpUntil(PhotoCache& cache, Done done) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        cache.pump();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
}

struct Gl {   // stands in for OpenGL: counts what is alive, notes the thread that uploads
    std::set<std::uint64_t> alive;
    std::uint64_t next = 1;
    std::thread::id uploader;
    std::vector<std::pair<int, int>> sizes;
    PhotoCache::Upload upload() {
        return [this](const DecodedImage& img) {
            uploader = std::this_thread::get_id();
            sizes.emplace_back(img.width, img.height);
            alive.insert(next);
            return next++;
        };
    }
    PhotoCache::Release release() {
        return [this](std::uint64_t h) { alive.erase(h); };
    }
};

TEST(PhotoFolder, FindsAVehiclesPhotosByVinMainOneFirst) {
    test::TempDir dir;
    writePng(dir.path() / "1HGCM82633A004352-2.png", 8, 8, 10);
    writePng(dir.path() / "1hgcm82633a004352.png", 8, 8, 20);   // the VIN in any case
    writePng(dir.path() / "1HGCM82633A004352-10.png", 8, 8, 30);
    writePng(dir.path() / "OTHERVIN000000000.png", 8, 8, 40);
    std::ofstream(dir.path() / "1HGCM82633A004352.txt") << "not a photo";
    const PhotoFolder folder(dir.path());
    const auto photos = folder.photosFor(car("1HGCM82633A004352"));
    ASSERT_EQ(photos.size(), 3u);
    EXPECT_EQ(std::filesystem::path(photos[0]).filename(), "1hgcm82633a004352.png");
    EXPECT_EQ(std::filesystem::path(photos[1]).filename(), "1HGCM82633A004352-2.png");
    EXPECT_EQ(std::filesystem::path(photos[2]).filename(), "1HGCM82633A004352-10.png");
    EXPECT_TRUE(folder.photosFor(car("5YJ3E1EA7KF000001")).empty());
}

TEST(PhotoFolder, AMissingFolderMeansDrawnPicturesNotAnError) {
    const PhotoFolder folder("/nonexistent/photos");
    EXPECT_EQ(folder.files(), 0u);
    EXPECT_TRUE(folder.photosFor(car("1HGCM82633A004352")).empty());
}

TEST(PhotoCache, DecodesOffTheMainThreadAndUploadsOnIt) {
    test::TempDir dir;
    writePng(dir.path() / "a.png", 1600, 900, 128);
    Gl gl;
    int wakes = 0;
    std::mutex m;
    PhotoCache cache(gl.upload(), gl.release(), 64u << 20, [&] {
        std::lock_guard lock(m);
        ++wakes;
    });
    const std::string path = (dir.path() / "a.png").string();
    EXPECT_EQ(cache.get(path, 512), 0u);   // not yet: the screen draws the placeholder
    EXPECT_TRUE(cache.busy());
    ASSERT_TRUE(pumpUntil(cache, [&] { return cache.get(path, 512) != 0; }));
    EXPECT_EQ(gl.uploader, std::this_thread::get_id());
    ASSERT_EQ(gl.sizes.size(), 1u);
    EXPECT_EQ(gl.sizes[0], (std::pair{512, 288}));   // shrunk to fit, aspect kept
    EXPECT_EQ(cache.size(path, 512), (std::pair{512, 288}));
    EXPECT_FALSE(cache.busy());
    std::lock_guard lock(m);
    EXPECT_EQ(wakes, 1);
}

TEST(PhotoCache, StaysWithinItsBudgetDroppingTheLeastRecentlyUsed) {
    test::TempDir dir;
    for (const char* n : {"a", "b", "c"}) writePng(dir.path() / (std::string(n) + ".png"), 64, 64, 50);
    auto path = [&](const char* n) { return (dir.path() / (std::string(n) + ".png")).string(); };
    Gl gl;
    const std::size_t one = 64 * 64 * 4;
    PhotoCache cache(gl.upload(), gl.release(), 2 * one + 100);
    for (const char* n : {"a", "b"}) {
        cache.get(path(n), 64);
        ASSERT_TRUE(pumpUntil(cache, [&] { return cache.get(path(n), 64) != 0; }));
    }
    cache.get(path("a"), 64);   // a was used last: b is now the oldest
    cache.get(path("c"), 64);
    ASSERT_TRUE(pumpUntil(cache, [&] { return cache.get(path("c"), 64) != 0; }));
    EXPECT_EQ(cache.textures(), 2u);
    EXPECT_LE(cache.bytes(), 2 * one + 100);
    EXPECT_EQ(gl.alive.size(), 2u);   // the dropped texture was released
    EXPECT_NE(cache.size(path("a"), 64).first, 0);
    EXPECT_EQ(cache.size(path("b"), 64).first, 0);
}

TEST(PhotoCache, ABrokenFileIsTriedOnceAndNeverUploaded) {
    test::TempDir dir;
    const auto bad = (dir.path() / "broken.jpg").string();
    std::ofstream(bad, std::ios::binary) << "\xff\xd8\xff\xe0 not really a JPEG";
    Gl gl;
    PhotoCache cache(gl.upload(), gl.release(), 1u << 20);
    EXPECT_EQ(cache.get(bad, 256), 0u);
    ASSERT_TRUE(pumpUntil(cache, [&] { return cache.failed(bad, 256); }));
    EXPECT_EQ(cache.get(bad, 256), 0u);
    EXPECT_FALSE(cache.busy());   // not queued again
    EXPECT_TRUE(gl.sizes.empty());
    EXPECT_EQ(cache.get((dir.path() / "missing.png").string(), 256), 0u);
    ASSERT_TRUE(pumpUntil(cache, [&] { return cache.failed((dir.path() / "missing.png").string(), 256); }));
}

} // namespace
} // namespace showroom::kiosk
