#include "photo_cache.hpp"

#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>

#include <algorithm>
#include <cctype>

namespace showroom::kiosk {

namespace {

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

bool isPicture(const std::filesystem::path& p) {
    const std::string ext = upper(p.extension().string());
    return ext == ".JPG" || ext == ".JPEG" || ext == ".PNG";
}

constexpr std::uintmax_t kMaxFileBytes = 40u << 20;   // a photo larger than 40 MB is not a photo
constexpr int kMaxPixels = 12'000;                    // per side, before shrinking

} // namespace

PhotoFolder::PhotoFolder(const std::filesystem::path& dir) : m_dir(dir) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        if (!entry.is_regular_file(ec) || !isPicture(entry.path())) continue;
        const std::string stem = upper(entry.path().stem().string());
        std::string vin = stem;
        int number = 0;
        if (const auto dash = stem.rfind('-'); dash != std::string::npos && dash + 1 < stem.size() &&
                                               std::all_of(stem.begin() + static_cast<long>(dash) + 1, stem.end(),
                                                           [](unsigned char c) { return std::isdigit(c); })) {
            vin = stem.substr(0, dash);
            number = std::stoi(stem.substr(dash + 1));
        }
        m_byVin[vin].emplace_back(number, entry.path().string());
        ++m_files;
    }
    for (auto& [vin, list] : m_byVin) std::sort(list.begin(), list.end());
}

std::vector<std::string> PhotoFolder::photosFor(const core::Vehicle& v) const {
    std::vector<std::string> out;
    if (auto it = m_byVin.find(upper(v.vin)); it != m_byVin.end())
        for (const auto& [n, path] : it->second) out.push_back(path);
    // Photos named on the vehicle record (e.g. from a CSV import or HQ), inside the folder only.
    std::error_code ec;
    for (const auto& name : v.photos) {
        const auto path = m_dir / std::filesystem::path(name).filename();
        if (!m_dir.empty() && isPicture(path) && std::filesystem::is_regular_file(path, ec) &&
            std::find(out.begin(), out.end(), path.string()) == out.end())
            out.push_back(path.string());
    }
    return out;
}

DecodedImage decodeImage(const std::string& path, int maxSide) {
    DecodedImage img;
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(path, ec);
    if (ec) {
        img.error = "cannot read " + path;
        return img;
    }
    if (bytes > kMaxFileBytes) {
        img.error = path + " is too large for a photo";
        return img;
    }
    int w = 0, h = 0, channels = 0;
    if (!stbi_info(path.c_str(), &w, &h, &channels) || w <= 0 || h <= 0 || w > kMaxPixels || h > kMaxPixels) {
        img.error = path + " is not a picture this kiosk can show";
        return img;
    }
    unsigned char* pixels = stbi_load(path.c_str(), &w, &h, &channels, 4);
    if (!pixels) {
        img.error = path + ": " + (stbi_failure_reason() ? stbi_failure_reason() : "cannot decode");
        return img;
    }
    const double scale = std::min(1.0, static_cast<double>(maxSide) / std::max(w, h));
    img.width = std::max(1, static_cast<int>(w * scale + 0.5));
    img.height = std::max(1, static_cast<int>(h * scale + 0.5));
    img.rgba.resize(static_cast<std::size_t>(img.width) * img.height * 4);
    if (scale >= 1.0) std::copy(pixels, pixels + img.rgba.size(), img.rgba.begin());
    else stbir_resize_uint8(pixels, w, h, 0, img.rgba.data(), img.width, img.height, 0, 4);
    stbi_image_free(pixels);
    return img;
}

PhotoCache::PhotoCache(Upload upload, Release release, std::size_t budgetBytes, std::function<void()> wake)
    : m_upload(std::move(upload)), m_release(std::move(release)), m_budget(budgetBytes), m_wake(std::move(wake)),
      m_worker([this] { run(); }) {}

PhotoCache::~PhotoCache() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    m_worker.join();
    for (const auto& [key, e] : m_entries) m_release(e.handle);
}

void PhotoCache::run() {
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_cv.wait(lock, [&] { return m_stop || !m_jobs.empty(); });
            if (m_stop) return;
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        DecodedImage img = decodeImage(job.path, job.maxSide);
        img.key = job.key;
        {
            std::lock_guard lock(m_mutex);
            m_done.push_back(std::move(img));
        }
        if (m_wake) m_wake();
    }
}

std::uint64_t PhotoCache::get(const std::string& path, int maxSide) {
    const std::string key = keyOf(path, maxSide);
    if (auto it = m_entries.find(key); it != m_entries.end()) {
        m_lru.splice(m_lru.begin(), m_lru, it->second.lru);
        return it->second.handle;
    }
    if (m_failed.count(key) || m_pending.count(key)) return 0;
    m_pending.insert(key);
    {
        std::lock_guard lock(m_mutex);
        // Newest requests first: the cards on screen now matter more than those scrolled past.
        m_jobs.push_front({key, path, maxSide});
    }
    m_cv.notify_one();
    return 0;
}

std::pair<int, int> PhotoCache::size(const std::string& path, int maxSide) const {
    auto it = m_entries.find(keyOf(path, maxSide));
    return it == m_entries.end() ? std::pair{0, 0} : std::pair{it->second.width, it->second.height};
}

bool PhotoCache::busy() const {
    return !m_pending.empty();
}

int PhotoCache::pump(int maxUploads) {
    std::deque<DecodedImage> ready;
    {
        std::lock_guard lock(m_mutex);
        while (!m_done.empty() && static_cast<int>(ready.size()) < maxUploads) {
            ready.push_back(std::move(m_done.front()));
            m_done.pop_front();
        }
    }
    int uploaded = 0;
    for (auto& img : ready) {
        m_pending.erase(img.key);
        if (img.rgba.empty()) {
            m_failed.insert(img.key);
            continue;
        }
        const std::uint64_t handle = m_upload(img);
        if (!handle) {
            m_failed.insert(img.key);
            continue;
        }
        m_lru.push_front(img.key);
        m_entries[img.key] = {handle, img.rgba.size(), img.width, img.height, m_lru.begin()};
        m_bytes += img.rgba.size();
        ++uploaded;
    }
    trim();
    return uploaded;
}

void PhotoCache::trim() {
    // Keep at least the most recent picture, even if it alone is over the budget.
    while (m_bytes > m_budget && m_lru.size() > 1) {
        const std::string key = m_lru.back();
        m_lru.pop_back();
        auto it = m_entries.find(key);
        m_bytes -= it->second.bytes;
        m_release(it->second.handle);
        m_entries.erase(it);
    }
}

} // namespace showroom::kiosk
