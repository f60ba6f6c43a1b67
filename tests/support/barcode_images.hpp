#pragma once
// Barcode pictures for tests and benchmarks: symbols drawn by the zint CLI (always with quiet
// zones, as a printed label has them), then spoiled the way a camera spoils them: turned, blurred,
// noisy, washed out, seen at an angle, small inside a 1280x720 frame. Everything is deterministic
// (fixed seeds, no clock), so a failing case fails the same way on every run.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace showroom::test {

/// An 8-bit grayscale image, rows packed (stride == width).
struct Gray {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> px;

    Gray() = default;
    Gray(int w, int h, std::uint8_t fill) : width(w), height(h), px(std::size_t(w) * std::size_t(h), fill) {}
    std::uint8_t at(int x, int y) const { return px[std::size_t(y) * std::size_t(width) + std::size_t(x)]; }
    std::uint8_t& at(int x, int y) { return px[std::size_t(y) * std::size_t(width) + std::size_t(x)]; }
};

/// Draws `payload` (any bytes; passed to zint through a file, so LF, RS and CR survive) with
/// `zint -b <symbology> --quietzones --scale=<scale> <extra>` into `dir` and loads it as gray.
/// nullopt when zint is missing or refuses the payload.
std::optional<Gray> zintSymbol(const std::string& dir, const std::string& symbology, const std::string& payload,
                               int scale = 2, const std::string& extra = "--notext");

/// Loads any image file stb_image reads, as gray; nullopt when it cannot.
std::optional<Gray> loadGray(const std::string& path);
/// Writes a PNG; false on failure.
bool writePng(const std::string& path, const Gray& image);

// Degradations. Each returns a new image; the background brought in is white (paper) unless said.
Gray rotate(const Gray& in, double degrees);                      ///< bilinear, canvas grows to fit
Gray blur(const Gray& in, double sigma);                          ///< Gaussian
Gray addNoise(const Gray& in, int amplitude, std::uint32_t seed); ///< uniform +-amplitude
Gray lowContrast(const Gray& in, int dark, int light);            ///< black -> dark, white -> light
/// Seen from the side: the right edge is `shrink` (0..1) times the height of the left edge, and
/// the whole label leans back; a true projective warp.
Gray perspective(const Gray& in, double shrink);
Gray scaled(const Gray& in, double factor); ///< bilinear resize
/// A camera-like frame: mid-gray background with a few dark and light boxes as clutter.
Gray clutteredFrame(int width, int height, std::uint32_t seed);
/// Copies `symbol` into `frame` with its top-left corner at (x, y) (clipped).
void paste(Gray& frame, const Gray& symbol, int x, int y);

} // namespace showroom::test
