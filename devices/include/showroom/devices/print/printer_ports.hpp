#pragma once
// Receipt printer connections, chosen by a connection string:
//
//   tcp:HOST[:PORT][?connect_ms=3000&io_ms=15000]   raw TCP ("port 9100", JetDirect), default port 9100
//   usb:VID:PID | usb:auto                           USB printer class 7, bulk OUT and IN (libusb)
//   dev:/dev/usb/lp0                                 a kernel printer device (usblp, parallel)
//   file:PATH                                        append every job to a file (status: unknown)
//   virtual                                          the in-process virtual printer (demo, tests)
// Each may end with `#PROFILE` naming the paper and fonts (escpos::PrinterProfile::named), e.g.
// `tcp:192.168.1.50#58mm`, `usb:04b8:0202#80mm+gb18030`. Default 80mm.
//
// TcpPrinterPort: connects with a timeout, turns on TCP keep-alive, and keeps the connection between
// jobs. Printers drop idle connections; before each use the port checks whether the peer has
// closed and reconnects, so a dropped idle connection costs nothing. Status is DLE EOT 1..4 over the
// same connection, each answer awaited for io_ms at most.
//
// DevicePrinterPort (dev: and file:): opens, writes, closes per job (O_APPEND for files). A device
// that answers reads is asked DLE EOT; one that does not (or a file) reports status known = false.
//
// Threads: a port is used by one thread at a time.

#include "showroom/core/print.hpp"
#include "showroom/core/result.hpp"
#include "showroom/devices/print/escpos.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace showroom::devices::print {

struct PrinterConnection {
    enum class Kind { Tcp, Usb, Device, File, Virtual };
    Kind kind = Kind::Virtual;
    std::string host;               ///< tcp
    int port = 9100;                ///< tcp
    int connectMs = 3000, ioMs = 15000;
    std::string path;               ///< dev, file
    std::string usb;                ///< "VID:PID" or "auto"
    escpos::PrinterProfile profile;
    std::string text;               ///< as given
};

/// Parses a connection string. InvalidInput names the bad part.
core::Result<PrinterConnection> parsePrinterConnection(std::string_view connection);

/// Opens the port for a connection (no I/O yet: the first status() or send() connects).
/// `virtual` gives a fresh VirtualPrinterPort. InvalidInput for a bad connection string.
core::Result<std::unique_ptr<core::print::PrinterPort>> openPrinterPort(std::string_view connection);

class TcpPrinterPort final : public core::print::PrinterPort {
public:
    explicit TcpPrinterPort(PrinterConnection connection);
    ~TcpPrinterPort() override;
    std::string describe() const override;
    core::Result<core::print::PrinterStatus> status() override;
    core::print::SendResult send(std::string_view bytes) override;
    int connectionsMade() const { return m_connects; }

private:
    core::Status ensureConnected();
    void disconnect();
    PrinterConnection m_conn;
    int m_fd = -1;
    int m_connects = 0;
    bool m_unconfirmed = false; ///< a job went out on m_fd and no status answer on m_fd followed yet
};

class DevicePrinterPort final : public core::print::PrinterPort {
public:
    explicit DevicePrinterPort(PrinterConnection connection) : m_conn(std::move(connection)) {}
    std::string describe() const override;
    core::Result<core::print::PrinterStatus> status() override;
    core::print::SendResult send(std::string_view bytes) override;

private:
    PrinterConnection m_conn;
};

} // namespace showroom::devices::print
