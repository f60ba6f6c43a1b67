// Serial scanners as a porter meets them: the framer turns bytes into exactly the payloads scanned
// (licences byte-exact, half a scan never), and the driver reads a real pseudo-terminal, reports
// unplugging, and picks the scanner up again when it comes back, with no restart.

#include "showroom/devices/scan/serial_scanner.hpp"

#include "scan_collector.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

using showroom::core::scan::ScanEvent;
using showroom::core::scan::ScanMailbox;
using showroom::core::scan::ScannerStatus;
using showroom::devices::parseSerialConnection;
using showroom::devices::SerialFramer;
using showroom::devices::SerialOptions;
using showroom::devices::SerialScanner;
using Suffix = SerialOptions::Suffix;

namespace {

constexpr const char* kVin = "1M8GDM9AXKP042788";
const std::string kLicence = std::string("@\n\x1e\r") + "ANSI 636000100002DL00410046ZV00870017" +
                             "DLDAQT64235789\nDCSSAMPLE\nDACJANE\r" + "ZVZVA01\r";

std::vector<std::string> feedAll(SerialFramer& f, const std::vector<std::string>& chunks, std::int64_t t = 0) {
    std::vector<std::string> out;
    for (const auto& c : chunks) {
        auto frames = f.feed(c, t);
        out.insert(out.end(), frames.begin(), frames.end());
        t += 2;
    }
    return out;
}

} // namespace

// ---- Connection strings ------------------------------------------------------------------------

TEST(SerialConnection, PathAndOptions) {
    auto o = parseSerialConnection("serial:/dev/ttyACM0?baud=115200&suffix=crlf&idle_ms=30");
    ASSERT_TRUE(o) << o.error().message;
    EXPECT_EQ(o->path, "/dev/ttyACM0");
    EXPECT_EQ(o->baud, 115200);
    EXPECT_EQ(o->suffix, Suffix::CrLf);
    EXPECT_EQ(o->idleMs, 30);
    auto d = parseSerialConnection("serial:/dev/serial/by-id/usb-Honeywell_1900-if00");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->baud, 9600);
    EXPECT_EQ(d->suffix, Suffix::Auto);
}

TEST(SerialConnection, MistakesAreNamed) {
    struct Case {
        const char* connection;
        const char* mentions;
    };
    for (const Case& c : {Case{"usb:/dev/ttyACM0", "serial:"}, Case{"serial:", "absolute path"},
                          Case{"serial:ttyACM0", "absolute path"}, Case{"serial:/dev/ttyACM0?baud=9601", "9601"},
                          Case{"serial:/dev/ttyACM0?baud=fast", "fast"}, Case{"serial:/dev/ttyACM0?suffix=etx", "etx"},
                          Case{"serial:/dev/ttyACM0?idle_ms=0", "idle_ms"}, Case{"serial:/dev/ttyACM0?parity=odd", "parity"}}) {
        auto o = parseSerialConnection(c.connection);
        ASSERT_FALSE(o) << c.connection;
        EXPECT_NE(o.error().message.find(c.mentions), std::string::npos) << o.error().message;
    }
}

// ---- Framing -----------------------------------------------------------------------------------

TEST(SerialFramer, CrLfAndCrAndLfEachEndAScanInAutoMode) {
    SerialFramer f;
    EXPECT_EQ(feedAll(f, {std::string(kVin) + "\r\n", "A123\r", "B456\n"}), (std::vector<std::string>{kVin, "A123", "B456"}));
    EXPECT_FALSE(f.deadlineMs().has_value());
}

TEST(SerialFramer, PayloadSplitAcrossReadsIsJoined) {
    SerialFramer f;
    // 9600 baud delivers a VIN in several reads; the CRLF itself may be split too.
    EXPECT_EQ(feedAll(f, {"1M8GD", "M9AXKP04", "2788\r", "\n", "2T1BU", "RHE5JC012345\r\n"}),
              (std::vector<std::string>{kVin, "2T1BURHE5JC012345"}));
}

TEST(SerialFramer, TwoScansInOneReadAreTwo) {
    SerialFramer f;
    EXPECT_EQ(f.feed(std::string(kVin) + "\r\nA123\r\n", 0), (std::vector<std::string>{kVin, "A123"}));
}

TEST(SerialFramer, LicenceKeepsItsInnerCrAndLfAndEndsOnSilence) {
    SerialFramer f(Suffix::Auto, 60);
    EXPECT_TRUE(feedAll(f, {kLicence.substr(0, 10), kLicence.substr(10), "\r\n"}).empty());
    ASSERT_TRUE(f.deadlineMs().has_value());
    EXPECT_TRUE(f.poll(*f.deadlineMs() - 1).empty());
    EXPECT_EQ(f.poll(*f.deadlineMs()), std::vector<std::string>{kLicence + "\r\n"});
}

TEST(SerialFramer, VinThenLicenceInOneRead) {
    SerialFramer f;
    EXPECT_EQ(f.feed(std::string(kVin) + "\r" + kLicence, 0), std::vector<std::string>{kVin});
    EXPECT_EQ(f.poll(1000), std::vector<std::string>{kLicence});
}

TEST(SerialFramer, ExplicitSuffixesAndSilenceOnly) {
    SerialFramer cr(Suffix::Cr);
    EXPECT_EQ(cr.feed("A\nB\rC", 0), std::vector<std::string>{"A\nB"});
    SerialFramer crlf(Suffix::CrLf);
    EXPECT_EQ(crlf.feed("A\rB\r\nC", 0), std::vector<std::string>{"A\rB"});
    SerialFramer none(Suffix::None, 50);
    EXPECT_TRUE(none.feed(std::string(kVin) + "\r\n", 0).empty());
    EXPECT_EQ(none.poll(50), std::vector<std::string>{std::string(kVin) + "\r\n"});
}

TEST(SerialFramer, APauseInsideAScanWithoutSuffixEndsItButAResetDropsHalfAScan) {
    SerialFramer f(Suffix::Auto, 60);
    EXPECT_TRUE(f.feed("1M8GD", 0).empty());
    f.reset();   // the cable came out
    EXPECT_FALSE(f.deadlineMs().has_value());
    EXPECT_EQ(f.feed("A123\r", 500), std::vector<std::string>{"A123"});
}

// ---- The driver on a pseudo-terminal -----------------------------------------------------------

namespace {

// A scanner on the far end of a pseudo-terminal, reached through a stable symlink the way
// /dev/serial/by-id/... reaches a real one. unplug() closes it and removes the link.
class FakeScanner {
public:
    explicit FakeScanner(std::string link) : m_link(std::move(link)) { plug(); }
    ~FakeScanner() { unplug(); }

    void plug() {
        int slave = -1;
        char name[256] = {};
        if (::openpty(&m_master, &slave, name, nullptr, nullptr) != 0) throw std::runtime_error("openpty failed");
        ::close(slave);   // the driver opens its own end by name
        std::filesystem::remove(m_link);
        std::filesystem::create_symlink(name, m_link);
    }
    void unplug() {
        if (m_master >= 0) ::close(m_master);
        m_master = -1;
        std::error_code ec;
        std::filesystem::remove(m_link, ec);
    }
    void send(const std::string& bytes) const {
        ASSERT_EQ(::write(m_master, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
    }

private:
    std::string m_link;
    int m_master = -1;
};

using Collector = showroom::test::ScanCollector;

SerialOptions fastRetry(const std::string& path) {
    SerialOptions o;
    o.path = path;
    o.retryMs = 50;
    return o;
}

} // namespace

TEST(SerialScanner, ReadsScansFromAPseudoTerminalExactly) {
    showroom::test::TempDir dir;
    const std::string link = dir.file("ttyScanner");
    FakeScanner scanner(link);
    Collector c;
    SerialScanner driver("serial:" + link, fastRetry(link));
    driver.start(c.mailbox.sink());
    ASSERT_TRUE(c.waitFor([&] { return c.lastStateIs(ScannerStatus::State::Connected); }));

    scanner.send(std::string(kVin) + "\r\n");
    scanner.send(kLicence);
    ASSERT_TRUE(c.waitFor([&] { return c.payloads().size() == 2; }));
    EXPECT_EQ(c.payloads()[0], kVin);
    EXPECT_EQ(c.payloads()[1], kLicence) << "raw mode: no CR/LF translation, no echo, nothing lost";
    const auto& first = std::get<showroom::core::scan::Scan>(*std::find_if(
        c.events.begin(), c.events.end(), [](const ScanEvent& e) { return std::holds_alternative<showroom::core::scan::Scan>(e); }));
    EXPECT_EQ(first.source, "serial:" + link);
    driver.stop();
}

TEST(SerialScanner, UnplugIsReportedAndTheScannerIsPickedUpAgainWithoutRestart) {
    showroom::test::TempDir dir;
    const std::string link = dir.file("ttyScanner");
    FakeScanner scanner(link);
    Collector c;
    SerialScanner driver("serial:" + link, fastRetry(link));
    driver.start(c.mailbox.sink());
    ASSERT_TRUE(c.waitFor([&] { return c.lastStateIs(ScannerStatus::State::Connected); }));

    scanner.send("1M8GD");   // half a VIN, then the cable comes out
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    scanner.unplug();
    ASSERT_TRUE(c.waitFor([&] { return c.lastStateIs(ScannerStatus::State::Disconnected); }));

    scanner.plug();
    ASSERT_TRUE(c.waitFor([&] { return c.lastStateIs(ScannerStatus::State::Connected); }));
    scanner.send("2T1BURHE5JC012345\r");
    ASSERT_TRUE(c.waitFor([&] { return !c.payloads().empty(); }));
    EXPECT_EQ(c.payloads(), std::vector<std::string>{"2T1BURHE5JC012345"}) << "half a VIN must never become a scan";
    EXPECT_EQ(c.states(), (std::vector<ScannerStatus::State>{ScannerStatus::State::Connected,
                                                             ScannerStatus::State::Disconnected,
                                                             ScannerStatus::State::Connected}));
    driver.stop();
}

TEST(SerialScanner, APortThatIsNotThereYetIsWaitedFor) {
    showroom::test::TempDir dir;
    const std::string link = dir.file("ttyLater");
    Collector c;
    SerialScanner driver("serial:" + link, fastRetry(link));
    driver.start(c.mailbox.sink());
    ASSERT_TRUE(c.waitFor([&] { return c.lastStateIs(ScannerStatus::State::Disconnected); }));
    FakeScanner scanner(link);
    ASSERT_TRUE(c.waitFor([&] { return c.lastStateIs(ScannerStatus::State::Connected); }));
    scanner.send("A123\r");
    ASSERT_TRUE(c.waitFor([&] { return c.payloads().size() == 1; }));
    driver.stop();
}

TEST(SerialScanner, AFileThatIsNotASerialPortFailsWithAReason) {
    showroom::test::TempDir dir;
    const std::string path = dir.file("notatty");
    showroom::test::writeFile(path, "x");
    Collector c;
    SerialScanner driver("serial:" + path, fastRetry(path));
    driver.start(c.mailbox.sink());
    ASSERT_TRUE(c.waitFor([&] { return c.lastStateIs(ScannerStatus::State::Failed); }));
    const auto& status = std::get<ScannerStatus>(c.events.back());
    EXPECT_NE(status.message.find("not a serial port"), std::string::npos) << status.message;
    driver.stop();
}

TEST(SerialScanner, PermissionDeniedNamesTheFix) {
    showroom::test::TempDir dir;
    const std::string path = dir.file("ttyLocked");
    showroom::test::writeFile(path, "");
    std::filesystem::permissions(path, std::filesystem::perms::none);
    // Root opens any file whatever its mode, so the driver runs in a child that has dropped to an
    // ordinary user, as the kiosk runs; the child's exit code carries the verdict.
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(3);
        Collector c;
        SerialScanner driver("serial:" + path, fastRetry(path));
        driver.start(c.mailbox.sink());
        const bool failed = c.waitFor([&] { return c.lastStateIs(ScannerStatus::State::Failed); });
        const bool named = failed && std::get<ScannerStatus>(c.events.back()).message.find("dialout") != std::string::npos;
        driver.stop();
        ::_exit(!failed ? 1 : !named ? 2 : 0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_NE(WEXITSTATUS(status), 1) << "the driver did not report Failed";
    EXPECT_NE(WEXITSTATUS(status), 2) << "the Failed message does not name the dialout group";
    EXPECT_NE(WEXITSTATUS(status), 3) << "could not drop to an ordinary user";
    EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(SerialScanner, StopIsPromptWhileWaitingForAPort) {
    showroom::test::TempDir dir;
    SerialScanner driver("serial:" + dir.file("never"), fastRetry(dir.file("never")));
    Collector c;
    driver.start(c.mailbox.sink());
    ASSERT_TRUE(c.waitFor([&] { return c.lastStateIs(ScannerStatus::State::Disconnected); }));
    const auto before = std::chrono::steady_clock::now();
    driver.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(1));
}
