// Runs the fuzz target without libFuzzer, as part of `make test`: every seed, then a fixed number of
// deterministic mutations of them (bit flips, truncations, insertions, splices, repeated bytes).
// It cannot explore like libFuzzer does, but it keeps every promise checked on every build, with
// the sanitizers in the asan preset. `--write-seeds DIR` writes the seeds for `make fuzz`.
//
// Usage: scan_payload_fuzz_replay [--iterations N] [--write-seeds DIR]

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::string twoDigits(int n) {
    return (n < 10 ? "0" : "") + std::to_string(n);
}

std::string fourDigits(std::size_t n) {
    std::string s = std::to_string(n);
    return std::string(4 - std::min<std::size_t>(4, s.size()), '0') + s;
}

// A well-formed card of the given version with one DL subfile (offsets counted from the start).
std::string card(int version, const std::string& body) {
    const std::string fileType = version == 1 ? "AAMVA" : "ANSI ";
    std::string header = std::string("@\n\x1e\r") + fileType + "636000" + twoDigits(version) +
                         (version >= 2 ? "00" : "") + "01";
    const std::size_t offset = header.size() + 10;
    return header + "DL" + fourDigits(offset) + fourDigits(body.size() + 2) + "DL" + body + "\r";
}

std::vector<std::string> seeds() {
    const std::string us = "DAQT64235789\nDCSSAMPLE\nDACJANE\nDADQ\nDBD01012020\nDBB07041990\nDBA07042030\nDBC2\n"
                           "DAG123 MAIN ST\nDAIANYTOWN\nDAJVA\nDAK232190000  \nDCGUSA";
    const std::string ca = "DAQA1234-56789-01234\nDCSTREMBLAY\nDACMARIE\nDBB19850214\nDBA20290214\nDBC2\n"
                           "DAJON\nDAKM5V 2T6\nDCGCAN";
    const std::string old = "DAQ123456789\nDAASMITH,JOHN,Q\nDBB07041960\nDBA07042025\nDAJTX";
    std::vector<std::string> out;
    for (int v = 1; v <= 10; ++v)
        out.push_back(card(v, v == 1 ? old : us));
    out.push_back(card(10, ca));
    out.push_back("1M8GDM9AXKP042788");
    out.push_back("I1M8GDM9AXKP042788");
    out.push_back("]Q1VIN:1HGCM82633A004352;STOCK:A123");
    out.push_back("https://dealer.example/v?vin=1hgcm82633a004352&x=1");
    out.push_back("MSRP 31995\x1d" "1M8GDM9A5KP042788\x1d" "COLOR");
    out.push_back("caf\xC3\xA9 \xF0\x9F\x9A\x97 \xC0\xAF \xED\xA0\x80");
    return out;
}

std::string mutate(const std::string& seed, const std::vector<std::string>& all, std::mt19937_64& rng) {
    std::string s = seed;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
        const std::size_t at = s.empty() ? 0 : rng() % s.size();
        switch (rng() % 7) {
        case 0: if (!s.empty()) s[at] = static_cast<char>(s[at] ^ (1 << (rng() % 8))); break;
        case 1: s.resize(at); break;                                                    // truncated scan
        case 2: s.insert(at, 1, static_cast<char>(rng() % 256)); break;
        case 3: if (!s.empty()) s.erase(at, 1 + rng() % 8); break;
        case 4: { const std::string& other = all[rng() % all.size()];                  // splice
                  s.insert(at, other.substr(rng() % (other.size() + 1))); break; }
        case 5: s.insert(at, std::string(1 + rng() % 64, s.empty() ? '0' : s[at])); break;
        case 6: if (!s.empty()) s[at] = "\n\r\x1e\x1d@0 9A"[rng() % 10]; break;          // separators
        }
    }
    return s;
}

} // namespace

int main(int argc, char** argv) {
    long iterations = 200'000;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--iterations") == 0 && i + 1 < argc) {
            iterations = std::strtol(argv[++i], nullptr, 10);
        } else if (std::strcmp(argv[i], "--write-seeds") == 0 && i + 1 < argc) {
            const std::filesystem::path dir = argv[++i];
            std::filesystem::create_directories(dir);
            int n = 0;
            for (const auto& s : seeds())
                std::ofstream(dir / ("seed-" + std::to_string(++n)), std::ios::binary) << s;
            std::printf("wrote %d seeds to %s\n", n, dir.c_str());
            return 0;
        } else {
            std::fprintf(stderr, "usage: %s [--iterations N] [--write-seeds DIR]\n", argv[0]);
            return 2;
        }
    }
    const auto all = seeds();
    auto run = [](const std::string& s) {
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
    };
    for (const auto& s : all) {
        run(s);
        for (std::size_t n = 0; n <= s.size(); ++n)   // every truncation of every seed
            run(s.substr(0, n));
    }
    std::mt19937_64 rng(20261122);
    for (long i = 0; i < iterations; ++i)
        run(mutate(all[static_cast<std::size_t>(i) % all.size()], all, rng));
    std::printf("%zu seeds, their truncations and %ld mutations: every promise kept\n", all.size(), iterations);
    return 0;
}
