#pragma once
// Vehicle photos: where they are (PhotoFolder) and a bounded cache of decoded pictures that never
// decodes on the main thread (PhotoCache).
//
// PhotoFolder indexes a configured folder once: <VIN>.jpg|jpeg|png and <VIN>-<n>.jpg|jpeg|png
// (case-insensitive VIN), plus any file a vehicle's `photos` list names inside the folder. Cars
// without photos are drawn (widgets::carArt), so a missing folder is not an error.
//
// PhotoCache hands out texture handles. get() on a picture not yet decoded queues it for the one
// decoder thread and returns 0 (the screen draws the car instead); the decoder reads, decodes and
// shrinks it to the size asked for; pump(), called by the main thread once a frame, uploads what
// is ready through the Upload function (OpenGL in the kiosk, a counter in the tests) and releases
// the least recently used textures beyond the byte budget. A file that cannot be decoded is
// remembered as failed and never retried, so a broken photo costs one attempt, not one a frame.
//
// Threads: every public function on the main thread; the decoder thread touches only the queues.
// `wake` is called from the decoder thread when a picture is ready (the kiosk posts an SDL event).

#include "showroom/core/domain.hpp"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <list>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace showroom::kiosk {

class PhotoFolder {
public:
    PhotoFolder() = default;
    explicit PhotoFolder(const std::filesystem::path& dir);   ///< scans once; an absent folder is empty

    /// Full paths of the vehicle's photos, the main one (<VIN>.*) first, then by number.
    std::vector<std::string> photosFor(const core::Vehicle& vehicle) const;
    std::size_t files() const { return m_files; }
    const std::filesystem::path& dir() const { return m_dir; }

private:
    std::filesystem::path m_dir;
    std::unordered_map<std::string, std::vector<std::pair<int, std::string>>> m_byVin;   ///< VIN -> (number, path)
    std::size_t m_files = 0;
};

struct DecodedImage {
    std::string key;
    int width = 0, height = 0;
    std::vector<unsigned char> rgba;   ///< width * height * 4
    std::string error;                 ///< why it could not be decoded; rgba empty then
};

class PhotoCache {
public:
    using Upload = std::function<std::uint64_t(const DecodedImage&)>;   ///< returns a non-zero handle
    using Release = std::function<void(std::uint64_t)>;

    PhotoCache(Upload upload, Release release, std::size_t budgetBytes, std::function<void()> wake = {});
    ~PhotoCache();
    PhotoCache(const PhotoCache&) = delete;
    PhotoCache& operator=(const PhotoCache&) = delete;

    /// The handle of `path` shrunk to fit `maxSide` px, or 0 while it decodes or when it cannot be read.
    std::uint64_t get(const std::string& path, int maxSide);
    /// Its size in pixels once uploaded (0, 0 otherwise).
    std::pair<int, int> size(const std::string& path, int maxSide) const;
    /// Uploads up to `maxUploads` decoded pictures and trims to the budget. Returns how many it uploaded.
    int pump(int maxUploads = 4);
    /// True while pictures are queued or decoding (the kiosk keeps drawing frames to show them).
    bool busy() const;

    std::size_t bytes() const { return m_bytes; }
    std::size_t textures() const { return m_entries.size(); }
    bool failed(const std::string& path, int maxSide) const { return m_failed.count(keyOf(path, maxSide)) > 0; }

private:
    struct Entry {
        std::uint64_t handle = 0;
        std::size_t bytes = 0;
        int width = 0, height = 0;
        std::list<std::string>::iterator lru;
    };
    struct Job {
        std::string key, path;
        int maxSide = 0;
    };
    static std::string keyOf(const std::string& path, int maxSide) { return std::to_string(maxSide) + ":" + path; }
    void run();
    void trim();

    Upload m_upload;
    Release m_release;
    std::size_t m_budget;
    std::function<void()> m_wake;
    std::unordered_map<std::string, Entry> m_entries;
    std::list<std::string> m_lru;   ///< most recently used first
    std::set<std::string> m_pending, m_failed;
    std::size_t m_bytes = 0;

    mutable std::mutex m_mutex;     ///< guards the two queues and m_stop
    std::condition_variable m_cv;
    std::deque<Job> m_jobs;
    std::deque<DecodedImage> m_done;
    bool m_stop = false;
    std::thread m_worker;           ///< last: starts after everything above exists
};

/// Reads and decodes an image file (JPEG, PNG, ...) and shrinks it to fit `maxSide` (never enlarges).
DecodedImage decodeImage(const std::string& path, int maxSide);

} // namespace showroom::kiosk
