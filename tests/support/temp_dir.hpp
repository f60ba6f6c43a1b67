#pragma once
// A fresh directory under the system temp dir, removed with everything in it on destruction.

#include <filesystem>
#include <string>

namespace showroom::test {

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

/// Writes `contents` to `path` (binary), replacing it.
void writeFile(const std::string& path, const std::string& contents);
/// Reads a whole file; "" when it cannot be read.
std::string readFile(const std::string& path);

} // namespace showroom::test
