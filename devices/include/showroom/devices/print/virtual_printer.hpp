#pragma once
// The virtual receipt printer: the twin of an ESC/POS printer on raw TCP port 9100.
//
// renderEscPos() is the pure half: it interprets an ESC/POS stream the way a thermal printer does
// (modes, code pages, GB18030, raster images, Code 128, QR codes, feed and cut) and draws what
// comes out of it, one RenderedReceipt per cut, as text and as a picture. The kiosk's receipt
// preview and the tests use it; what is drawn is what a real printer would print, not what the
// encoder meant to print. QR codes (libqrencode) and Code 128 symbols (ZXing's writer) are drawn
// for real, so the paper scans the way the printed receipt does.
//
// VirtualPrinter is the transport half: a TCP server on 127.0.0.1 that accepts one connection at a
// time, answers DLE EOT status queries from the status it is told to have, and prints (renders)
// what it receives. It can be told to fail the way real printers fail: paper out or cover open
// (status answers say so and bytes received are not printed), paper running out after N bytes of a
// job, dropping the connection after N bytes, closing a connection left idle, printing slowly.
//
// Threads: the server runs one thread; every public method may be called from any thread.

#include "showroom/core/print.hpp"
#include "showroom/core/result.hpp"
#include "showroom/devices/print/bitmap.hpp"
#include "showroom/devices/print/escpos.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace showroom::devices::print {

/// What one cut of paper shows.
struct RenderedReceipt {
    std::string text;                 ///< the printed lines (UTF-8), raster lines as "[image WxH]"
    Bitmap paper;                     ///< the paper as burnt, profile.dotsPerLine wide, at most 20000 dots long
    std::vector<std::string> qrCodes; ///< the data of each QR code printed
    std::vector<std::string> barcodes;///< the data of each Code 128 printed
    bool cut = false;                 ///< ended with a cut (false: the stream, connection or paper ended first)
    bool drawerKicked = false;
};

/// Interprets `bytes` (one or more jobs). Unknown commands are skipped by their length where
/// ESC/POS defines it; status queries are ignored here. `raster` draws text (nullptr: text only,
/// the picture stays blank where text would be).
std::vector<RenderedReceipt> renderEscPos(std::string_view bytes, const escpos::PrinterProfile& profile,
                                          const TextRasterizer* raster);

class VirtualPrinter {
public:
    struct Faults {
        bool paperOut = false;
        bool coverOpen = false;
        bool offline = false;                      ///< answers status "offline"; prints nothing
        std::optional<std::size_t> paperOutAfter;  ///< bytes of printing left before the roll ends
        std::optional<std::size_t> dropAfter;      ///< close the connection after this many more bytes
        int idleCloseMs = 0;                       ///< close a connection idle this long (0: never)
        int bytesPerSecond = 0;                    ///< read no faster than this (0: as fast as sent)
    };
    struct Options {
        std::string host = "127.0.0.1";
        int port = 0;                              ///< 0: any free port (see port())
        escpos::PrinterProfile profile;
        std::optional<std::filesystem::path> outDir; ///< write receipt-NNN.{bin,txt,png} per cut
    };

    /// Binds and starts serving. Io when the address cannot be bound.
    static core::Result<std::unique_ptr<VirtualPrinter>> start(Options options);
    ~VirtualPrinter();
    VirtualPrinter(const VirtualPrinter&) = delete;
    VirtualPrinter& operator=(const VirtualPrinter&) = delete;

    int port() const;
    std::string connection() const;            ///< "tcp:127.0.0.1:<port>"
    void setFaults(const Faults& faults);
    Faults faults() const;
    core::print::PrinterStatus status() const; ///< what it answers now
    /// Every receipt printed so far, in order: one per cut, and what a connection that closed (or paper
    /// that ran out) left uncut, with cut = false.
    std::vector<RenderedReceipt> receipts() const;
    std::string printed() const;               ///< every byte that reached the paper
    std::size_t connections() const;           ///< connections accepted so far
    /// Waits until at least `count` receipts were printed (see receipts()); false on timeout.
    bool waitForReceipts(std::size_t count, int timeoutMs) const;
    void stop();

    struct State;

private:
    explicit VirtualPrinter(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

/// The in-process twin: a PrinterPort straight into a renderer, with the same faults, no socket.
/// The kiosk's demo printer (`--printer virtual`).
class VirtualPrinterPort final : public core::print::PrinterPort {
public:
    explicit VirtualPrinterPort(escpos::PrinterProfile profile = {}, const TextRasterizer* raster = nullptr);
    std::string describe() const override { return "virtual"; }
    core::Result<core::print::PrinterStatus> status() override;
    core::print::SendResult send(std::string_view bytes) override;

    void setFaults(const VirtualPrinter::Faults& faults);
    std::vector<RenderedReceipt> receipts() const;

private:
    struct Inner;
    std::shared_ptr<Inner> m_inner;
};

} // namespace showroom::devices::print
