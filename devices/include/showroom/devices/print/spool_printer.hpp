#pragma once
// The virtual document printer: every job becomes a file in a spool folder,
// job-000001-contract-d2026-000042.pdf, written whole (temporary name, fsync, rename) so a reader
// never sees half a job. The demo, the headless kiosk and the tests print here; a real printer
// arrives with the print queue (issue #5) behind the same core::DocumentPrinter port.
//
// setOffline(true) makes it refuse jobs as an unplugged printer would (Unavailable-style Io error
// naming the folder), so callers' "printing failed, the document is safe" paths can be tested.
//
// Thread: one instance per thread; two instances on one folder may pick the same job number.

#include "showroom/core/contract.hpp"

#include <filesystem>
#include <string>

namespace showroom::devices {

class SpoolPrinter final : public core::DocumentPrinter {
public:
    explicit SpoolPrinter(std::filesystem::path dir);

    std::string describe() const override;
    /// Writes the job; returns its reference ("job-000001"). Io when the folder cannot be written
    /// or the printer is set offline.
    core::Result<std::string> print(std::string_view title, std::string_view pdfBytes) override;

    void setOffline(bool offline) { m_offline = offline; }
    const std::filesystem::path& dir() const { return m_dir; }
    /// Jobs in the folder so far.
    int jobCount() const;

private:
    std::filesystem::path m_dir;
    bool m_offline = false;
};

} // namespace showroom::devices
