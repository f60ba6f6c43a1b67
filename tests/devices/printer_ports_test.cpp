// Receipt printer transports and the print spooler with real parts: the TCP virtual printer on
// 127.0.0.1, a real store file, real files and pseudo-terminals standing in for /dev/usb/lp0.
//
// tests/core/print_queue_test.cpp pins the print queue's rules with a scripted port; here the same
// rules run through TcpPrinterPort and the spooler thread, and what is asserted is what comes out of
// the (virtual) printer: the receipt printed whole, once as an original, and any reprint marked
// COPY / REPRINT.
#include "showroom/core/print.hpp"
#include "showroom/core/receipt.hpp"
#include "showroom/core/store.hpp"
#include "showroom/devices/print/escpos.hpp"
#include "showroom/devices/print/print_spooler.hpp"
#include "showroom/devices/print/printer_ports.hpp"
#include "showroom/devices/print/receipt_job.hpp"
#include "showroom/devices/print/virtual_printer.hpp"

#include "store_fixture.hpp"
#include "receipt_sample.hpp"
#include "temp_dir.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace showroom::devices::print {
namespace {

using Clock = std::chrono::steady_clock;
using core::print::JobState;
using core::print::PrinterStatus;

std::string bytes(std::initializer_list<int> list) {
    std::string s;
    for (int b : list)
        s += static_cast<char>(b);
    return s;
}

const std::string kInit = bytes({0x1B, '@'});
const std::string kCut = bytes({0x1D, 'V', 66, 0});
constexpr std::string_view kCopy = "COPY / REPRINT";

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Polls `done` every 10 ms until it holds or `timeoutMs` passed; its last answer.
bool waitUntil(const std::function<bool()>& done, int timeoutMs) {
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    while (!done()) {
        if (Clock::now() >= deadline) return done();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

std::unique_ptr<VirtualPrinter> startPrinter(VirtualPrinter::Faults faults = {}, int port = 0) {
    VirtualPrinter::Options options;
    options.port = port;
    auto started = VirtualPrinter::start(std::move(options));
    if (!started) {
        ADD_FAILURE() << started.error().message;
        return nullptr;
    }
    (*started)->setFaults(faults);
    return std::move(started.value());
}

std::unique_ptr<TcpPrinterPort> tcpPort(const std::string& connection) {
    auto c = parsePrinterConnection(connection);
    if (!c) {
        ADD_FAILURE() << connection << ": " << c.error().message;
        return nullptr;
    }
    return std::make_unique<TcpPrinterPort>(std::move(*c));
}

/// A port on 127.0.0.1 that nothing listens on: bound (so it was free), then closed.
int closedPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        ADD_FAILURE() << "cannot bind a socket on 127.0.0.1";
    ::close(fd);
    return ntohs(addr.sin_port);
}

/// A receipt job by hand: `lines` numbered lines, then a cut; the reprint says COPY / REPRINT first.
core::print::NewJob simpleJob(const std::string& printer, const std::string& ref, int lines = 3) {
    std::string body;
    for (int i = 0; i < lines; ++i)
        body += ref + " line " + std::to_string(i) + "\n";
    return {"receipt", ref, printer, kInit + body + kCut, kInit + std::string(kCopy) + "\n" + body + kCut, ""};
}


/// The sample card deposit, numbered `receiptNo`.
core::ReceiptDocument receiptDocument(const std::string& receiptNo = "R2026-000012") {
    auto r = showroom::test::sampleReceipt(core::ReceiptKind::Deposit);
    r.receiptNo = receiptNo;
    r.qrPayload = "showroom:deal/" + r.dealNo + "?receipt=" + r.receiptNo;
    return r;
}

/// Receipts that came out of `printer` without the COPY / REPRINT marker.
std::size_t originals(const VirtualPrinter& printer) {
    std::size_t n = 0;
    for (const auto& r : printer.receipts())
        if (!contains(r.text, kCopy)) ++n;
    return n;
}

/// A process on this host that cannot be running: its pid is above any pid_max.
std::string deadToken() {
    const auto& mine = core::print::processToken();
    return mine.substr(0, mine.find('/')) + "/99999999/12345";
}

/// A pseudo-terminal standing in for a printer device node. The test keeps the slave side open (raw,
/// so nothing is echoed or translated) for as long as it lives; answer() plays a printer on the master.
class PseudoTerminal {
public:
    PseudoTerminal() {
        m_master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (m_master < 0 || ::grantpt(m_master) != 0 || ::unlockpt(m_master) != 0) return;
        char name[128] = {};
        if (::ptsname_r(m_master, name, sizeof name) != 0) return;
        m_slave = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (m_slave < 0) return;
        termios raw{};
        if (::tcgetattr(m_slave, &raw) != 0) return;
        ::cfmakeraw(&raw);
        if (::tcsetattr(m_slave, TCSANOW, &raw) != 0) return;
        m_path = name;
    }
    ~PseudoTerminal() {
        if (m_thread.joinable()) {
            m_thread.request_stop();
            m_thread.join();
        }
        if (m_slave >= 0) ::close(m_slave);
        if (m_master >= 0) ::close(m_master);
    }
    PseudoTerminal(const PseudoTerminal&) = delete;
    PseudoTerminal& operator=(const PseudoTerminal&) = delete;

    const std::string& path() const { return m_path; }

    /// Reads everything written to the device; answers each DLE EOT n with the byte of `status`.
    void answer(const PrinterStatus& status) {
        setStatus(status);
        m_thread = std::jthread([this](std::stop_token stop) { serve(stop); });
    }
    void setStatus(const PrinterStatus& status) {
        std::lock_guard lock(m_mutex);
        m_answers = escpos::statusAnswers(status);
    }
    std::string received() const {
        std::lock_guard lock(m_mutex);
        return m_received;
    }

private:
    void serve(const std::stop_token& stop) {
        std::size_t scanned = 0;
        while (!stop.stop_requested()) {
            pollfd p{m_master, POLLIN, 0};
            if (::poll(&p, 1, 20) <= 0 || !(p.revents & POLLIN)) continue;
            char buf[4096];
            const auto n = ::read(m_master, buf, sizeof buf);
            if (n <= 0) continue;
            std::string reply;
            {
                std::lock_guard lock(m_mutex);
                m_received.append(buf, static_cast<std::size_t>(n));
                for (; scanned + 2 < m_received.size(); ++scanned) {
                    const auto q = static_cast<unsigned char>(m_received[scanned + 2]);
                    if (m_received[scanned] == 0x10 && m_received[scanned + 1] == 0x04 && q >= 1 && q <= 4) {
                        reply += static_cast<char>(m_answers[q - 1]);
                        scanned += 2;
                    }
                }
            }
            if (!reply.empty() && ::write(m_master, reply.data(), reply.size()) < 0)
                ADD_FAILURE() << "cannot answer on the pseudo-terminal";
        }
    }

    int m_master = -1, m_slave = -1;
    std::string m_path;
    mutable std::mutex m_mutex;
    std::array<std::uint8_t, 4> m_answers{}; // guarded by m_mutex
    std::string m_received;                  // guarded by m_mutex
    std::jthread m_thread;
};

// ---------------------------------------------------------------------------------------------
// Connection strings

TEST(PrinterPortConnection, ParsesEveryKind) {
    auto tcp = parsePrinterConnection("tcp:192.168.1.50");
    ASSERT_TRUE(tcp) << tcp.error().message;
    EXPECT_EQ(tcp->kind, PrinterConnection::Kind::Tcp);
    EXPECT_EQ(tcp->host, "192.168.1.50");
    EXPECT_EQ(tcp->port, 9100);
    EXPECT_EQ(tcp->connectMs, 3000);
    EXPECT_EQ(tcp->ioMs, 15000);
    EXPECT_EQ(tcp->profile.name, "80mm");
    EXPECT_EQ(tcp->profile.columns, 48);
    EXPECT_EQ(tcp->text, "tcp:192.168.1.50");

    auto withPort = parsePrinterConnection("tcp:printer.local:9101?connect_ms=500&io_ms=20000#58mm");
    ASSERT_TRUE(withPort) << withPort.error().message;
    EXPECT_EQ(withPort->host, "printer.local");
    EXPECT_EQ(withPort->port, 9101);
    EXPECT_EQ(withPort->connectMs, 500);
    EXPECT_EQ(withPort->ioMs, 20000);
    EXPECT_EQ(withPort->profile.columns, 32);
    EXPECT_EQ(withPort->profile.dotsPerLine, 384);

    auto ioOnly = parsePrinterConnection("tcp:10.0.0.7?io_ms=100");
    ASSERT_TRUE(ioOnly) << ioOnly.error().message;
    EXPECT_EQ(ioOnly->port, 9100);
    EXPECT_EQ(ioOnly->ioMs, 100);
    EXPECT_EQ(ioOnly->connectMs, 3000);

    auto chinese = parsePrinterConnection("usb:04b8:0202#80mm+gb18030");
    ASSERT_TRUE(chinese) << chinese.error().message;
    EXPECT_EQ(chinese->kind, PrinterConnection::Kind::Usb);
    EXPECT_EQ(chinese->usb, "04b8:0202");
    EXPECT_TRUE(chinese->profile.chineseFont);
    EXPECT_EQ(chinese->profile.columns, 48);

    auto usbAuto = parsePrinterConnection("usb:auto");
    ASSERT_TRUE(usbAuto) << usbAuto.error().message;
    EXPECT_EQ(usbAuto->kind, PrinterConnection::Kind::Usb);
    EXPECT_EQ(usbAuto->usb, "auto");
    EXPECT_FALSE(usbAuto->profile.chineseFont);

    auto dev = parsePrinterConnection("dev:/dev/usb/lp0");
    ASSERT_TRUE(dev) << dev.error().message;
    EXPECT_EQ(dev->kind, PrinterConnection::Kind::Device);
    EXPECT_EQ(dev->path, "/dev/usb/lp0");

    auto file = parsePrinterConnection("file:/var/spool/showroom/receipts.bin#58mm");
    ASSERT_TRUE(file) << file.error().message;
    EXPECT_EQ(file->kind, PrinterConnection::Kind::File);
    EXPECT_EQ(file->path, "/var/spool/showroom/receipts.bin");
    EXPECT_EQ(file->profile.columns, 32);

    auto virt = parsePrinterConnection("virtual");
    ASSERT_TRUE(virt) << virt.error().message;
    EXPECT_EQ(virt->kind, PrinterConnection::Kind::Virtual);
}

TEST(PrinterPortConnection, BadStringsAreRefusedNamingTheProblem) {
    struct Case {
        const char* text;
        const char* says;
    };
    const Case cases[] = {
        {"lpt:1", "unknown printer"},
        {"192.168.1.50", "unknown printer"},
        {"", "unknown printer"},
        {"tcp:printer:0", "port must be 1..65535"},
        {"tcp:printer:70000", "port must be 1..65535"},
        {"tcp:printer:", "port must be 1..65535"},
        {"tcp:printer:ninety", "port must be 1..65535"},
        {"tcp:", "names no host"},
        {"tcp::9100", "names no host"},
        {"tcp:printer?speed=fast", "unknown option 'speed'"},
        {"tcp:printer?connect_ms=5", "connect_ms must be"},
        {"tcp:printer?io_ms=soon", "io_ms must be"},
        {"tcp:printer#60mm", "unknown printer profile"},
        {"usb:#80mm+gb2312", "unknown printer profile"},
        {"usb:epson", "not a USB printer"},
        {"usb:0000:0000", "not a USB printer"},
        {"dev:", "names no path"},
        {"file:", "names no path"},
    };
    for (const auto& c : cases) {
        auto parsed = parsePrinterConnection(c.text);
        ASSERT_FALSE(parsed) << "'" << c.text << "' was accepted";
        EXPECT_EQ(parsed.error().code, core::ErrorCode::InvalidInput) << c.text;
        EXPECT_TRUE(contains(parsed.error().message, c.says)) << c.text << ": " << parsed.error().message;
        // openPrinterPort refuses the same strings the same way, before any I/O.
        auto opened = openPrinterPort(c.text);
        ASSERT_FALSE(opened) << c.text;
        EXPECT_EQ(opened.error().message, parsed.error().message);
    }
}

TEST(PrinterPortConnection, OpenGivesEachKindItsTransport) {
    for (const auto& [text, describe] : std::initializer_list<std::pair<const char*, const char*>>{
             {"tcp:192.0.2.10", "tcp 192.0.2.10:9100"},
             {"tcp:192.0.2.10:9101?io_ms=500#58mm", "tcp 192.0.2.10:9101"},
             {"dev:/dev/usb/lp0", "device /dev/usb/lp0"},
             {"file:/tmp/receipts.bin", "file /tmp/receipts.bin"},
             {"virtual", "virtual"}}) {
        auto port = openPrinterPort(text);
        ASSERT_TRUE(port) << text << ": " << port.error().message;
        EXPECT_EQ((*port)->describe(), describe);
    }
}

// ---------------------------------------------------------------------------------------------
// TCP (port 9100) against the virtual printer

TEST(TcpPrinterPort, StatusSaysReadyOrWhatIsWrong) {
    auto printer = startPrinter();
    ASSERT_TRUE(printer);
    auto port = tcpPort(printer->connection() + "?io_ms=2000");
    ASSERT_TRUE(port);
    EXPECT_EQ(port->describe(), "tcp 127.0.0.1:" + std::to_string(printer->port()));
    EXPECT_EQ(port->connectionsMade(), 0) << "opening a port does no I/O";

    auto ready = port->status();
    ASSERT_TRUE(ready) << ready.error().message;
    EXPECT_TRUE(ready->known);
    EXPECT_TRUE(ready->ready());
    EXPECT_EQ(ready->blocker(), "");

    struct Case {
        const char* blocker;
        VirtualPrinter::Faults faults;
    };
    std::vector<Case> cases(3);
    cases[0] = {"paper_out", {}};
    cases[0].faults.paperOut = true;
    cases[1] = {"cover_open", {}};
    cases[1].faults.coverOpen = true;
    cases[2] = {"offline", {}};
    cases[2].faults.offline = true;
    for (const auto& c : cases) {
        printer->setFaults(c.faults);
        auto st = port->status();
        ASSERT_TRUE(st) << c.blocker << ": " << st.error().message;
        EXPECT_FALSE(st->ready()) << c.blocker;
        EXPECT_EQ(st->blocker(), c.blocker);
    }
    printer->setFaults({});
    ASSERT_TRUE(port->status());
    EXPECT_TRUE(port->status()->ready());
    EXPECT_EQ(port->connectionsMade(), 1) << "every question went over the one connection";
    EXPECT_TRUE(printer->receipts().empty()) << "status questions print nothing";
}

TEST(TcpPrinterPort, AJobArrivesWholeAndTheConnectionIsKeptBetweenJobs) {
    auto printer = startPrinter();
    ASSERT_TRUE(printer);
    auto port = tcpPort(printer->connection() + "?io_ms=5000");
    ASSERT_TRUE(port);
    std::string text;
    for (int i = 0; i < 150; ++i)
        text += "Line " + std::to_string(1000 + i) + " of a long receipt\n";
    const std::string first = kInit + text + kCut;
    const std::string second = kInit + "Second receipt\n" + kCut;

    auto sent = port->send(first);
    ASSERT_TRUE(sent.status) << sent.status.error().message;
    EXPECT_EQ(sent.written, first.size());
    sent = port->send(second);
    ASSERT_TRUE(sent.status) << sent.status.error().message;
    EXPECT_EQ(sent.written, second.size());

    ASSERT_TRUE(printer->waitForReceipts(2, 5000));
    const auto receipts = printer->receipts();
    ASSERT_EQ(receipts.size(), 2U);
    EXPECT_EQ(receipts[0].text, text);
    EXPECT_TRUE(receipts[0].cut);
    EXPECT_EQ(receipts[1].text, "Second receipt\n");
    EXPECT_EQ(printer->printed(), first + second) << "every byte reached the paper, in order, once";
    EXPECT_EQ(port->connectionsMade(), 1);
    EXPECT_EQ(printer->connections(), 1U);
}

TEST(TcpPrinterPort, ARefusedConnectionIsAQuickIoErrorSayingWhere) {
    const int nobody = closedPort();
    auto port = tcpPort("tcp:127.0.0.1:" + std::to_string(nobody));
    ASSERT_TRUE(port);
    const auto start = Clock::now();
    auto st = port->status();
    EXPECT_LT(secondsSince(start), 1.0);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, core::ErrorCode::Io);
    EXPECT_TRUE(contains(st.error().message, "127.0.0.1:" + std::to_string(nobody))) << st.error().message;
    EXPECT_TRUE(contains(st.error().message, "refused")) << st.error().message;

    auto sent = port->send(kInit + "lost\n" + kCut);
    EXPECT_FALSE(sent.status);
    EXPECT_EQ(sent.status.error().code, core::ErrorCode::Io);
    EXPECT_EQ(sent.written, 0U);
    EXPECT_EQ(port->connectionsMade(), 0);
}

TEST(TcpPrinterPort, APrinterThatNeverAnswersTheConnectGivesUpWithinConnectMs) {
    // A host that swallows the SYN, made on 127.0.0.1: a listener with a backlog of 0 whose one queue
    // place is taken drops every further SYN. (A "non-routable" address such as 10.255.255.1 is no good
    // here: a sandbox or a corporate network may answer for any address, or refuse it at once.)
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    socklen_t len = sizeof addr;
    ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::listen(listener, 0), 0);
    ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    const int filler = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_EQ(::connect(filler, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    const std::string where = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));

    auto port = tcpPort("tcp:" + where + "?connect_ms=300");
    ASSERT_TRUE(port);
    const auto start = Clock::now();
    auto st = port->status();
    const double took = secondsSince(start);
    ::close(filler);
    ::close(listener);
    ASSERT_FALSE(st) << "a printer that never accepted the connection was asked";
    EXPECT_EQ(st.error().code, core::ErrorCode::Io);
    EXPECT_TRUE(contains(st.error().message, where)) << st.error().message;
    EXPECT_TRUE(contains(st.error().message, "no answer within 300 ms")) << st.error().message;
    EXPECT_GE(took, 0.25);
    EXPECT_LT(took, 2.0);
}

TEST(TcpPrinterPort, AnIdleConnectionThePrinterDroppedIsReopenedTransparently) {
    VirtualPrinter::Faults faults;
    faults.idleCloseMs = 150;
    auto printer = startPrinter(faults);
    ASSERT_TRUE(printer);
    auto port = tcpPort(printer->connection() + "?io_ms=3000");
    ASSERT_TRUE(port);
    ASSERT_TRUE(port->status());
    EXPECT_EQ(port->connectionsMade(), 1);

    // The wait is the point of the test: the connection must sit idle longer than the printer allows.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    auto st = port->status();
    ASSERT_TRUE(st) << st.error().message;
    EXPECT_TRUE(st->ready());
    EXPECT_EQ(port->connectionsMade(), 2);

    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const std::string job = kInit + "After a pause\n" + kCut;
    auto sent = port->send(job);
    ASSERT_TRUE(sent.status) << sent.status.error().message;
    EXPECT_EQ(sent.written, job.size());
    EXPECT_EQ(port->connectionsMade(), 3);
    ASSERT_TRUE(printer->waitForReceipts(1, 5000));
    EXPECT_EQ(printer->receipts()[0].text, "After a pause\n");
    EXPECT_TRUE(printer->receipts()[0].cut);
}

TEST(TcpPrinterPort, AConnectionDroppedMidJobSaysHowFarItGot) {
    VirtualPrinter::Faults faults;
    faults.dropAfter = 1000;
    auto printer = startPrinter(faults);
    ASSERT_TRUE(printer);
    auto port = tcpPort(printer->connection() + "?io_ms=5000");
    ASSERT_TRUE(port);
    // Bigger than what the kernel buffers on both ends of a loopback connection, so the drop is seen
    // while the job is still being written.
    std::string job = kInit;
    while (job.size() < 24U * 1024U * 1024U)
        job += "0123456789 abcdefghijklmnopqrstuvwxyz 0123456789\n";
    job += kCut;
    const auto start = Clock::now();
    const auto sent = port->send(job);
    EXPECT_LT(secondsSince(start), 5.0);
    ASSERT_FALSE(sent.status) << "a job cut at 1000 bytes was reported sent";
    EXPECT_EQ(sent.status.error().code, core::ErrorCode::Io);
    EXPECT_TRUE(contains(sent.status.error().message, "closed the connection")) << sent.status.error().message;
    EXPECT_GT(sent.written, 0U);
    EXPECT_LT(sent.written, job.size());

    ASSERT_TRUE(printer->waitForReceipts(1, 5000));
    EXPECT_FALSE(printer->receipts()[0].cut) << "the paper shows a receipt cut short";
    EXPECT_EQ(printer->printed(), job.substr(0, 1000));

    // The printer is back: the port reconnects by itself.
    auto st = port->status();
    ASSERT_TRUE(st) << st.error().message;
    EXPECT_TRUE(st->ready());
    EXPECT_EQ(port->connectionsMade(), 2);
}

TEST(TcpPrinterPort, AJobThePrinterCutShortAfterTakingItIsNotConfirmed) {
    // A small job fits the socket buffers, so send() cannot see the drop; the status question after the
    // job (PrintQueue asks it) is the only proof the printer read it all, and must not come from a new
    // connection as if nothing had happened.
    const std::string first = kInit + "Line one\n";
    const std::string job = first + "Line two\n" + kCut;
    VirtualPrinter::Faults faults;
    faults.dropAfter = first.size();
    auto printer = startPrinter(faults);
    ASSERT_TRUE(printer);
    auto port = tcpPort(printer->connection() + "?io_ms=3000");
    ASSERT_TRUE(port);
    const auto sent = port->send(job);
    ASSERT_TRUE(sent.status) << sent.status.error().message;
    ASSERT_TRUE(printer->waitForReceipts(1, 5000));
    EXPECT_FALSE(printer->receipts()[0].cut);

    auto after = port->status();
    EXPECT_FALSE(after) << "the printer dropped the job after " << first.size() << " bytes, yet it was confirmed";
    if (!after) {
        EXPECT_EQ(after.error().code, core::ErrorCode::Io);
    }
    // Asked again (before the next job), it reconnects and is ready.
    auto again = port->status();
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_TRUE(again->ready());
}

TEST(TcpPrinterPort, ASlowPrinterTakesAsLongAsItsRateAndTheJobStillCompletes) {
    VirtualPrinter::Faults faults;
    faults.bytesPerSecond = 4000;
    auto printer = startPrinter(faults);
    ASSERT_TRUE(printer);
    auto port = tcpPort(printer->connection() + "?io_ms=4000");
    ASSERT_TRUE(port);
    std::string text;
    while (text.size() < 4000)
        text += "0123456789 slow printer 0123456789\n";
    const std::string job = kInit + text + kCut;

    const auto start = Clock::now();
    const auto sent = port->send(job);
    ASSERT_TRUE(sent.status) << sent.status.error().message;
    // The answer to a status question comes after the printer has read the whole job before it.
    auto st = port->status();
    const double took = secondsSince(start);
    ASSERT_TRUE(st) << st.error().message;
    EXPECT_TRUE(st->ready());
    // ~4 kB at 4 kB/s (the printer lets a burst of a tenth of a second through): about one second.
    EXPECT_GE(took, 0.7);
    EXPECT_LT(took, 3.0);
    ASSERT_TRUE(printer->waitForReceipts(1, 5000));
    EXPECT_EQ(printer->receipts()[0].text, text);
    EXPECT_TRUE(printer->receipts()[0].cut);
}

// ---------------------------------------------------------------------------------------------
// The print queue's rules over real TCP

struct QueueOverTcp {
    test::Store s;
    core::print::PrintQueue queue{s.ctx};
    std::unique_ptr<VirtualPrinter> printer = startPrinter();
    std::string connection = printer ? printer->connection() + "?io_ms=3000" : "";
    std::unique_ptr<TcpPrinterPort> port = printer ? tcpPort(connection) : nullptr;

    core::print::Outcome next() {
        auto r = queue.printNext(connection, *port);
        EXPECT_TRUE(r.ok()) << (r ? "" : r.error().message);
        EXPECT_TRUE(r.ok() && r->has_value()) << "no job to print";
        return r.ok() && r->has_value() ? **r : core::print::Outcome{};
    }
    core::print::Job job(std::int64_t id) { return queue.find(id).value(); }
    std::int64_t enqueueReceipt(const std::string& receiptNo = "R2026-000012") {
        auto j = receiptJob(receiptDocument(receiptNo), connection);
        EXPECT_TRUE(j) << (j ? "" : j.error().message);
        if (!j) return 0;
        auto stored = queue.enqueue(*j);
        EXPECT_TRUE(stored) << (stored ? "" : stored.error().message);
        return stored ? stored->id : 0;
    }
    std::size_t payloadSize(std::int64_t id) { return queue.payloadToSend(id).value().size(); }
};

TEST(PrintQueueOverTcp, OutOfPaperTheReceiptWaitsAndPrintsAsTheOriginalWhenPaperIsBack) {
    QueueOverTcp f;
    ASSERT_TRUE(f.port);
    const auto id = f.enqueueReceipt();
    VirtualPrinter::Faults faults;
    faults.paperOut = true;
    f.printer->setFaults(faults);
    for (int i = 0; i < 3; ++i) {
        const auto out = f.next();
        EXPECT_EQ(out.state, JobState::Queued);
        EXPECT_EQ(out.waitingFor, "paper_out");
        EXPECT_FALSE(out.sent);
    }
    EXPECT_EQ(f.job(id).waitingFor, "paper_out");
    EXPECT_EQ(f.job(id).attempts, 0);
    EXPECT_TRUE(f.printer->receipts().empty());

    f.printer->setFaults({});
    const auto out = f.next();
    EXPECT_EQ(out.state, JobState::Printed) << out.error;
    EXPECT_FALSE(out.asCopy);
    ASSERT_TRUE(f.printer->waitForReceipts(1, 5000));
    const auto receipts = f.printer->receipts();
    ASSERT_EQ(receipts.size(), 1U);
    EXPECT_TRUE(contains(receipts[0].text, "R2026-000012")) << receipts[0].text;
    EXPECT_TRUE(contains(receipts[0].text, "DEPOSIT RECEIPT")) << receipts[0].text;
    EXPECT_FALSE(contains(receipts[0].text, kCopy)) << "nothing had printed: it is the original";
    EXPECT_TRUE(receipts[0].cut);
    const auto j = f.job(id);
    EXPECT_EQ(j.state, JobState::Printed);
    EXPECT_EQ(j.waitingFor, "");
    EXPECT_EQ(j.attempts, 1);
    EXPECT_FALSE(j.printedAsCopy);
}

TEST(PrintQueueOverTcp, AConnectionDroppedMidReceiptIsReprintedAsACopy) {
    QueueOverTcp f;
    ASSERT_TRUE(f.port);
    const auto id = f.enqueueReceipt();
    VirtualPrinter::Faults faults;
    faults.dropAfter = f.payloadSize(id) / 2;
    f.printer->setFaults(faults);

    const auto broken = f.next();
    EXPECT_TRUE(broken.sent);
    EXPECT_EQ(broken.state, JobState::Queued) << "half a receipt came out; the job must not count as printed";
    EXPECT_TRUE(f.job(id).uncertain);
    EXPECT_EQ(f.job(id).attempts, 1);

    const auto retried = f.next();
    EXPECT_EQ(retried.state, JobState::Printed) << retried.error;
    EXPECT_TRUE(retried.asCopy);
    ASSERT_TRUE(f.printer->waitForReceipts(2, 5000));
    const auto receipts = f.printer->receipts();
    ASSERT_EQ(receipts.size(), 2U);
    EXPECT_FALSE(receipts[0].cut) << "the first one was cut short";
    EXPECT_TRUE(contains(receipts.back().text, kCopy)) << receipts.back().text;
    EXPECT_TRUE(contains(receipts.back().text, "R2026-000012"));
    EXPECT_TRUE(receipts.back().cut);
    EXPECT_LE(originals(*f.printer), 1U) << "never two originals for one payment";
    EXPECT_TRUE(f.job(id).printedAsCopy);
}

TEST(PrintQueueOverTcp, PaperRunningOutMidReceiptWaitsThenReprintsACopy) {
    QueueOverTcp f;
    ASSERT_TRUE(f.port);
    const auto id = f.enqueueReceipt();
    VirtualPrinter::Faults faults;
    faults.paperOutAfter = f.payloadSize(id) / 2;
    f.printer->setFaults(faults);

    const auto first = f.next();
    EXPECT_TRUE(first.sent);
    EXPECT_EQ(first.state, JobState::Queued);
    EXPECT_EQ(first.waitingFor, "paper_out");
    EXPECT_TRUE(f.job(id).uncertain);
    ASSERT_TRUE(f.printer->waitForReceipts(1, 5000));

    const auto waiting = f.next();
    EXPECT_EQ(waiting.waitingFor, "paper_out");
    EXPECT_FALSE(waiting.sent);
    EXPECT_EQ(f.printer->receipts().size(), 1U);

    f.printer->setFaults({}); // a new roll
    const auto reprinted = f.next();
    EXPECT_EQ(reprinted.state, JobState::Printed) << reprinted.error;
    EXPECT_TRUE(reprinted.asCopy);
    ASSERT_TRUE(f.printer->waitForReceipts(2, 5000));
    const auto receipts = f.printer->receipts();
    ASSERT_EQ(receipts.size(), 2U);
    EXPECT_FALSE(receipts[0].cut);
    EXPECT_TRUE(contains(receipts[1].text, kCopy)) << receipts[1].text;
    EXPECT_TRUE(receipts[1].cut);
    EXPECT_LE(originals(*f.printer), 1U);
    EXPECT_TRUE(f.job(id).printedAsCopy);
}

TEST(PrintQueueOverTcp, APrinterSwitchedOnLaterPrintsTheOriginal) {
    test::Store s;
    core::print::PrintQueue queue(s.ctx);
    const int where = closedPort();
    const std::string connection = "tcp:127.0.0.1:" + std::to_string(where) + "?connect_ms=500&io_ms=3000";
    auto port = tcpPort(connection);
    ASSERT_TRUE(port);
    const auto id = queue.enqueue(simpleJob(connection, "R2026-000077")).value().id;

    auto out = queue.printNext(connection, *port);
    ASSERT_TRUE(out && out->has_value());
    EXPECT_EQ((*out)->waitingFor, "unreachable");
    EXPECT_FALSE((*out)->sent);
    EXPECT_TRUE(contains(queue.find(id)->lastError, "refused")) << queue.find(id)->lastError;
    EXPECT_EQ(queue.find(id)->attempts, 0);

    auto printer = startPrinter({}, where);
    ASSERT_TRUE(printer) << "port " << where << " was taken meanwhile";
    out = queue.printNext(connection, *port);
    ASSERT_TRUE(out && out->has_value());
    EXPECT_EQ((*out)->state, JobState::Printed) << (*out)->error;
    EXPECT_FALSE((*out)->asCopy) << "nothing had reached the printer: still the original";
    ASSERT_TRUE(printer->waitForReceipts(1, 5000));
    EXPECT_EQ(printer->receipts()[0].text, "R2026-000077 line 0\nR2026-000077 line 1\nR2026-000077 line 2\n");
}

// ---------------------------------------------------------------------------------------------
// Device paths and files

TEST(DevicePrinterPort, AFileGetsEveryJobAppendedInOrderAndCannotTellItsStatus) {
    test::TempDir dir;
    const auto path = dir.file("receipts.bin");
    auto port = openPrinterPort("file:" + path);
    ASSERT_TRUE(port) << port.error().message;
    EXPECT_EQ((*port)->describe(), "file " + path);
    auto st = (*port)->status();
    ASSERT_TRUE(st) << st.error().message;
    EXPECT_FALSE(st->known);
    EXPECT_TRUE(st->ready()) << "nobody can tell: treated as ready";

    const std::string first = kInit + "First\n" + kCut, second = kInit + "Second\n" + kCut;
    auto sent = (*port)->send(first);
    ASSERT_TRUE(sent.status) << sent.status.error().message;
    EXPECT_EQ(sent.written, first.size());
    sent = (*port)->send(second);
    ASSERT_TRUE(sent.status) << sent.status.error().message;
    EXPECT_EQ(test::readFile(path), first + second);
}

TEST(DevicePrinterPort, AFileInAMissingDirectoryIsAnIoErrorNamingIt) {
    test::TempDir dir;
    const auto path = (dir.path() / "missing" / "receipts.bin").string();
    auto port = openPrinterPort("file:" + path);
    ASSERT_TRUE(port);
    auto st = (*port)->status();
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, core::ErrorCode::Io);
    EXPECT_TRUE(contains(st.error().message, path)) << st.error().message;
    auto sent = (*port)->send(kInit + "lost\n" + kCut);
    ASSERT_FALSE(sent.status);
    EXPECT_EQ(sent.status.error().code, core::ErrorCode::Io);
    EXPECT_TRUE(contains(sent.status.error().message, path)) << sent.status.error().message;
    EXPECT_EQ(sent.written, 0U);
}

TEST(DevicePrinterPort, ADeviceThatAnswersReportsItsStatusAndTakesTheJob) {
    PseudoTerminal tty;
    ASSERT_FALSE(tty.path().empty()) << "no pseudo-terminal";
    PrinterStatus out;
    out.paperOut = true;
    tty.answer(out);
    auto port = openPrinterPort("dev:" + tty.path());
    ASSERT_TRUE(port);
    EXPECT_EQ((*port)->describe(), "device " + tty.path());

    auto st = (*port)->status();
    ASSERT_TRUE(st) << st.error().message;
    EXPECT_TRUE(st->known);
    EXPECT_TRUE(st->paperOut);
    EXPECT_EQ(st->blocker(), "paper_out");

    PrinterStatus cover;
    cover.coverOpen = true;
    tty.setStatus(cover);
    st = (*port)->status();
    ASSERT_TRUE(st) << st.error().message;
    EXPECT_EQ(st->blocker(), "cover_open");

    tty.setStatus({});
    st = (*port)->status();
    ASSERT_TRUE(st) << st.error().message;
    EXPECT_TRUE(st->known);
    EXPECT_TRUE(st->ready());

    const std::string job = kInit + "To the device\n" + kCut;
    auto sent = (*port)->send(job);
    ASSERT_TRUE(sent.status) << sent.status.error().message;
    EXPECT_EQ(sent.written, job.size());
    EXPECT_TRUE(waitUntil([&] { return tty.received().ends_with(job); }, 3000)) << "the job did not reach the device";
}

TEST(DevicePrinterPort, ADeviceThatNeverAnswersIsUnknownWithinASecond) {
    PseudoTerminal tty; // nobody reads or answers on the other side
    ASSERT_FALSE(tty.path().empty()) << "no pseudo-terminal";
    auto port = openPrinterPort("dev:" + tty.path());
    ASSERT_TRUE(port);
    const auto start = Clock::now();
    auto st = (*port)->status();
    const double took = secondsSince(start);
    ASSERT_TRUE(st) << st.error().message;
    EXPECT_FALSE(st->known);
    EXPECT_TRUE(st->ready());
    EXPECT_LT(took, 1.5);
}

TEST(DevicePrinterPort, AMissingDeviceIsAnIoErrorNamingIt) {
    test::TempDir dir;
    const auto path = dir.file("lp9");
    auto port = openPrinterPort("dev:" + path);
    ASSERT_TRUE(port);
    auto st = (*port)->status();
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, core::ErrorCode::Io);
    EXPECT_TRUE(contains(st.error().message, path)) << st.error().message;
    auto sent = (*port)->send(kInit + "lost\n" + kCut);
    ASSERT_FALSE(sent.status);
    EXPECT_EQ(sent.status.error().code, core::ErrorCode::Io);
    EXPECT_TRUE(contains(sent.status.error().message, path)) << sent.status.error().message;
    EXPECT_EQ(sent.written, 0U);
    EXPECT_FALSE(std::filesystem::exists(path)) << "a device port never creates the node";
}

// ---------------------------------------------------------------------------------------------
// The spooler thread

/// Counts the status questions the spooler asks through a real port.
class CountingPort final : public core::print::PrinterPort {
public:
    CountingPort(std::unique_ptr<core::print::PrinterPort> inner, std::shared_ptr<std::atomic<int>> statusCalls)
        : m_inner(std::move(inner)), m_statusCalls(std::move(statusCalls)) {}
    std::string describe() const override { return m_inner->describe(); }
    core::Result<PrinterStatus> status() override {
        ++*m_statusCalls;
        return m_inner->status();
    }
    core::print::SendResult send(std::string_view bytes) override { return m_inner->send(bytes); }

private:
    std::unique_ptr<core::print::PrinterPort> m_inner;
    std::shared_ptr<std::atomic<int>> m_statusCalls;
};

struct SpoolerFixture {
    test::Store s;
    core::print::PrintQueue queue{s.ctx};
    std::unique_ptr<VirtualPrinter> printer = startPrinter();
    std::string connection = printer ? printer->connection() + "?io_ms=3000" : "";
    std::shared_ptr<std::atomic<int>> statusCalls = std::make_shared<std::atomic<int>>(0);

    std::unique_ptr<PrintSpooler> start() {
        PrintSpooler::Options options;
        options.dbPath = s.dir.file("s.db");
        options.retryMs = 100;
        options.openPort =
            [calls = statusCalls](std::string_view c) -> core::Result<std::unique_ptr<core::print::PrinterPort>> {
            auto port = openPrinterPort(c);
            if (!port) return port.error();
            return std::unique_ptr<core::print::PrinterPort>(std::make_unique<CountingPort>(std::move(*port), calls));
        };
        auto spooler = PrintSpooler::start(std::move(options));
        if (!spooler) {
            ADD_FAILURE() << spooler.error().message;
            return nullptr;
        }
        return std::move(*spooler);
    }
    bool printedWithin(std::int64_t id, int ms) {
        return waitUntil([&] { return queue.find(id).value().state == JobState::Printed; }, ms);
    }
    /// Marks a job `sending` by `token`, updated now by the wall clock (the spooler's clock).
    bool takeAsSending(std::int64_t id, const std::string& token) {
        auto taken = s.conn.prepare("UPDATE print_jobs SET state = 'sending', attempts = 1, sending_by = ?, "
                                    "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?");
        return taken && taken->bindAll(token, id).run() && s.conn.changes() == 1;
    }
    std::optional<PrintSpooler::PrinterState> stateOf(const PrintSpooler& spooler) const {
        for (const auto& p : spooler.printers())
            if (p.printer == connection) return p;
        return std::nullopt;
    }
};

void stopPromptly(PrintSpooler& spooler) {
    const auto start = Clock::now();
    spooler.stop();
    EXPECT_LT(secondsSince(start), 2.0);
}

TEST(PrintSpooler, AQueuedReceiptIsPrintedSoonAfterAKick) {
    SpoolerFixture f;
    ASSERT_TRUE(f.printer);
    auto spooler = f.start();
    ASSERT_TRUE(spooler);
    EXPECT_EQ(spooler->recoveredAtStart(), 0);

    auto job = receiptJob(receiptDocument("R2026-000031"), f.connection);
    ASSERT_TRUE(job) << job.error().message;
    const auto id = f.queue.enqueue(*job).value().id;
    spooler->kick();
    ASSERT_TRUE(f.printedWithin(id, 5000)) << f.queue.find(id)->lastError;
    ASSERT_TRUE(f.printer->waitForReceipts(1, 5000));
    EXPECT_TRUE(contains(f.printer->receipts()[0].text, "R2026-000031"));
    EXPECT_FALSE(contains(f.printer->receipts()[0].text, kCopy));
    EXPECT_FALSE(f.queue.find(id)->printedAsCopy);

    ASSERT_TRUE(waitUntil([&] { return f.stateOf(*spooler) && f.stateOf(*spooler)->status; }, 3000));
    const auto state = *f.stateOf(*spooler);
    EXPECT_EQ(state.waitingFor, "");
    EXPECT_EQ(state.description, "tcp 127.0.0.1:" + std::to_string(f.printer->port()));
    EXPECT_TRUE(state.status->ready());
    EXPECT_EQ(f.printer->connections(), 1U) << "the spooler keeps its port (and connection) between jobs";

    // A second job goes the same way, on the same connection.
    const auto second = f.queue.enqueue(simpleJob(f.connection, "R2026-000032")).value().id;
    spooler->kick();
    ASSERT_TRUE(f.printedWithin(second, 5000)) << f.queue.find(second)->lastError;
    ASSERT_TRUE(f.printer->waitForReceipts(2, 5000));
    EXPECT_EQ(f.printer->connections(), 1U);
    stopPromptly(*spooler);
}

TEST(PrintSpooler, OutOfPaperItWaitsAsksAgainEveryRetryMsAndPrintsWhenPaperIsBack) {
    SpoolerFixture f;
    ASSERT_TRUE(f.printer);
    VirtualPrinter::Faults faults;
    faults.paperOut = true;
    f.printer->setFaults(faults);
    const auto id = f.queue.enqueue(simpleJob(f.connection, "R2026-000041")).value().id;
    auto spooler = f.start(); // finds the job by itself at start
    ASSERT_TRUE(spooler);

    ASSERT_TRUE(waitUntil([&] { return f.stateOf(*spooler) && f.stateOf(*spooler)->waitingFor == "paper_out"; }, 5000));
    EXPECT_EQ(f.queue.find(id)->waitingFor, "paper_out");
    EXPECT_EQ(f.queue.find(id)->state, JobState::Queued);

    // Asked again about every 100 ms: a dozen times in a second, give or take, not a busy loop.
    const int before = *f.statusCalls;
    const auto start = Clock::now();
    ASSERT_TRUE(waitUntil([&] { return *f.statusCalls - before >= 5; }, 3000));
    const double took = secondsSince(start);
    EXPECT_GE(took, 0.3);
    EXPECT_LT(took, 2.0);
    EXPECT_TRUE(f.printer->receipts().empty());
    EXPECT_EQ(f.queue.find(id)->attempts, 0);

    f.printer->setFaults({}); // paper back; nobody kicks the spooler
    ASSERT_TRUE(f.printedWithin(id, 5000)) << f.queue.find(id)->lastError;
    ASSERT_TRUE(f.printer->waitForReceipts(1, 5000));
    EXPECT_EQ(f.printer->receipts()[0].text, "R2026-000041 line 0\nR2026-000041 line 1\nR2026-000041 line 2\n");
    EXPECT_EQ(originals(*f.printer), 1U);
    ASSERT_TRUE(waitUntil([&] { return f.stateOf(*spooler) && f.stateOf(*spooler)->waitingFor.empty(); }, 3000));
    stopPromptly(*spooler);
}

TEST(PrintSpooler, AJobLeftSendingByADeadProcessIsRecoveredAndPrintedAsACopy) {
    SpoolerFixture f;
    ASSERT_TRUE(f.printer);
    auto job = receiptJob(receiptDocument("R2026-000051"), f.connection);
    ASSERT_TRUE(job) << job.error().message;
    const auto id = f.queue.enqueue(*job).value().id;
    // The kiosk died while sending it, just now (so not stale: only the dead sender tells): it may have printed.
    ASSERT_TRUE(f.takeAsSending(id, deadToken()));
    EXPECT_EQ(f.queue.find(id)->state, JobState::Sending);

    auto spooler = f.start();
    ASSERT_TRUE(spooler);
    EXPECT_EQ(spooler->recoveredAtStart(), 1);
    ASSERT_TRUE(f.printedWithin(id, 5000)) << f.queue.find(id)->lastError;
    const auto j = f.queue.find(id).value();
    EXPECT_TRUE(j.printedAsCopy);
    EXPECT_EQ(j.attempts, 2);
    ASSERT_TRUE(f.printer->waitForReceipts(1, 5000));
    ASSERT_EQ(f.printer->receipts().size(), 1U);
    EXPECT_TRUE(contains(f.printer->receipts()[0].text, kCopy)) << f.printer->receipts()[0].text;
    EXPECT_TRUE(contains(f.printer->receipts()[0].text, "R2026-000051"));
    EXPECT_EQ(originals(*f.printer), 0U);
    stopPromptly(*spooler);
}

TEST(PrintSpooler, AJobALiveProcessIsSendingIsLeftAloneAndHoldsTheLine) {
    SpoolerFixture f;
    ASSERT_TRUE(f.printer);
    const auto first = f.queue.enqueue(simpleJob(f.connection, "R2026-000055")).value().id;
    const auto second = f.queue.enqueue(simpleJob(f.connection, "R2026-000056")).value().id;
    // The CLI (this process, alive) is sending the first one right now.
    ASSERT_TRUE(f.takeAsSending(first, core::print::processToken()));
    auto spooler = f.start();
    ASSERT_TRUE(spooler);
    EXPECT_EQ(spooler->recoveredAtStart(), 0);
    ASSERT_TRUE(waitUntil([&] { return f.stateOf(*spooler) && f.stateOf(*spooler)->waitingFor == "busy"; }, 5000));
    EXPECT_EQ(f.queue.find(first)->state, JobState::Sending);
    EXPECT_EQ(f.queue.find(second)->state, JobState::Queued) << "the second receipt must not jump the line";
    EXPECT_TRUE(f.printer->receipts().empty());
    stopPromptly(*spooler);
}

TEST(PrintSpooler, StopsPromptlyWhileAPrinterIsUnreachable) {
    SpoolerFixture f;
    const std::string nowhere = "tcp:127.0.0.1:" + std::to_string(closedPort()) + "?connect_ms=500";
    const auto id = f.queue.enqueue(simpleJob(nowhere, "R2026-000061")).value().id;
    auto spooler = f.start();
    ASSERT_TRUE(spooler);
    ASSERT_TRUE(waitUntil(
        [&] {
            for (const auto& p : spooler->printers())
                if (p.printer == nowhere && p.waitingFor == "unreachable") return true;
            return false;
        },
        5000));
    EXPECT_EQ(f.queue.find(id)->state, JobState::Queued);
    EXPECT_TRUE(contains(f.queue.find(id)->lastError, "refused")) << f.queue.find(id)->lastError;
    stopPromptly(*spooler);
}

} // namespace
} // namespace showroom::devices::print
