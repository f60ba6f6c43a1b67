#include "showroom/devices/print/spool_printer.hpp"

#include <unistd.h>

#include <cctype>
#include <cstdio>

namespace showroom::devices {

namespace {

// "Contract D2026-000042 (copy)" -> "contract-d2026-000042-copy"
std::string slug(std::string_view title) {
    std::string out;
    for (char c : title) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u)) out += static_cast<char>(std::tolower(u));
        else if (!out.empty() && out.back() != '-') out += '-';
        if (out.size() >= 60) break;
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out.empty() ? "document" : out;
}

} // namespace

SpoolPrinter::SpoolPrinter(std::filesystem::path dir) : m_dir(std::move(dir)) {}

std::string SpoolPrinter::describe() const { return "virtual (spool: " + m_dir.string() + ")"; }

int SpoolPrinter::jobCount() const {
    std::error_code ec;
    int n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(m_dir, ec))
        if (entry.path().filename().string().rfind("job-", 0) == 0 && entry.path().extension() == ".pdf") ++n;
    return n;
}

core::Result<std::string> SpoolPrinter::print(std::string_view title, std::string_view pdfBytes) {
    if (m_offline) return core::fail(core::ErrorCode::Io, "the printer (" + describe() + ") is offline");
    std::error_code ec;
    std::filesystem::create_directories(m_dir, ec);
    if (ec) return core::fail(core::ErrorCode::Io, "cannot create the spool folder " + m_dir.string() + ": " + ec.message());
    char ref[16];
    std::snprintf(ref, sizeof ref, "job-%06d", jobCount() + 1);
    const auto path = m_dir / (std::string(ref) + "-" + slug(title) + ".pdf");
    const auto partial = m_dir / (std::string(ref) + ".partial");
    std::FILE* f = std::fopen(partial.c_str(), "wb");
    if (!f) return core::fail(core::ErrorCode::Io, "cannot write to the spool folder " + m_dir.string());
    const bool written = std::fwrite(pdfBytes.data(), 1, pdfBytes.size(), f) == pdfBytes.size();
    const bool synced = std::fflush(f) == 0 && ::fsync(fileno(f)) == 0;
    if (std::fclose(f) != 0 || !written || !synced) {
        std::filesystem::remove(partial, ec);
        return core::fail(core::ErrorCode::Io, "the spool folder " + m_dir.string() + " took only part of the job");
    }
    std::filesystem::rename(partial, path, ec);
    if (ec) {
        std::filesystem::remove(partial, ec);
        return core::fail(core::ErrorCode::Io, "cannot finish the job in " + m_dir.string());
    }
    return std::string(ref);
}

} // namespace showroom::devices
