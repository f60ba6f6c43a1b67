#include "barcode_images.hpp"

#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <fstream>

namespace showroom::test {

namespace {

std::string quote(const std::string& s) {
    std::string q = "'";
    for (char c : s)
        q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

std::uint8_t clampByte(double v) {
    return static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L));
}

// Bilinear sample; outside the image it is `background`.
double sample(const Gray& in, double x, double y, double background) {
    const int x0 = static_cast<int>(std::floor(x)), y0 = static_cast<int>(std::floor(y));
    const double fx = x - x0, fy = y - y0;
    auto px = [&](int xx, int yy) -> double {
        return xx < 0 || yy < 0 || xx >= in.width || yy >= in.height ? background : in.at(xx, yy);
    };
    return (px(x0, y0) * (1 - fx) + px(x0 + 1, y0) * fx) * (1 - fy) +
           (px(x0, y0 + 1) * (1 - fx) + px(x0 + 1, y0 + 1) * fx) * fy;
}

// A tiny deterministic generator (the same numbers on every platform, unlike <random>'s distributions).
struct Lcg {
    std::uint32_t state;
    std::uint32_t next() {
        state = state * 1664525u + 1013904223u;
        return state >> 8;
    }
    int range(int lo, int hi) { return lo + static_cast<int>(next() % std::uint32_t(hi - lo + 1)); }
};

} // namespace

std::optional<Gray> zintSymbol(const std::string& dir, const std::string& symbology, const std::string& payload,
                               int scale, const std::string& extra) {
    static int counter = 0;
    const std::string stem = dir + "/zint-" + std::to_string(++counter);
    {
        std::ofstream data(stem + ".txt", std::ios::binary | std::ios::trunc);
        data << payload;
    }
    const std::string cmd = "zint -b " + symbology + " --quietzones --scale=" + std::to_string(scale) + " " + extra +
                            " -i " + quote(stem + ".txt") + " -o " + quote(stem + ".png") + " >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) return std::nullopt;
    return loadGray(stem + ".png");
}

std::optional<Gray> loadGray(const std::string& path) {
    int w = 0, h = 0, n = 0;
    unsigned char* p = stbi_load(path.c_str(), &w, &h, &n, 1);
    if (!p) return std::nullopt;
    Gray g;
    g.width = w;
    g.height = h;
    g.px.assign(p, p + std::size_t(w) * std::size_t(h));
    stbi_image_free(p);
    return g;
}

bool writePng(const std::string& path, const Gray& image) {
    return stbi_write_png(path.c_str(), image.width, image.height, 1, image.px.data(), image.width) != 0;
}

Gray rotate(const Gray& in, double degrees) {
    const double a = degrees * M_PI / 180.0, c = std::cos(a), s = std::sin(a);
    const int w = static_cast<int>(std::ceil(std::abs(in.width * c) + std::abs(in.height * s)));
    const int h = static_cast<int>(std::ceil(std::abs(in.width * s) + std::abs(in.height * c)));
    Gray out(w, h, 255);
    const double cx = in.width / 2.0, cy = in.height / 2.0, ox = w / 2.0, oy = h / 2.0;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const double dx = x - ox, dy = y - oy;
            out.at(x, y) = clampByte(sample(in, cx + dx * c + dy * s, cy - dx * s + dy * c, 255));
        }
    return out;
}

Gray blur(const Gray& in, double sigma) {
    const int r = std::max(1, static_cast<int>(std::ceil(sigma * 3)));
    std::vector<double> k(std::size_t(2 * r + 1));
    double sum = 0;
    for (int i = -r; i <= r; ++i)
        sum += k[std::size_t(i + r)] = std::exp(-(i * i) / (2 * sigma * sigma));
    for (double& v : k)
        v /= sum;
    Gray tmp(in.width, in.height, 255), out(in.width, in.height, 255);
    for (int y = 0; y < in.height; ++y)
        for (int x = 0; x < in.width; ++x) {
            double v = 0;
            for (int i = -r; i <= r; ++i)
                v += k[std::size_t(i + r)] * in.at(std::clamp(x + i, 0, in.width - 1), y);
            tmp.at(x, y) = clampByte(v);
        }
    for (int y = 0; y < in.height; ++y)
        for (int x = 0; x < in.width; ++x) {
            double v = 0;
            for (int i = -r; i <= r; ++i)
                v += k[std::size_t(i + r)] * tmp.at(x, std::clamp(y + i, 0, in.height - 1));
            out.at(x, y) = clampByte(v);
        }
    return out;
}

Gray addNoise(const Gray& in, int amplitude, std::uint32_t seed) {
    Gray out = in;
    Lcg rng{seed};
    for (auto& p : out.px)
        p = clampByte(p + rng.range(-amplitude, amplitude));
    return out;
}

Gray lowContrast(const Gray& in, int dark, int light) {
    Gray out = in;
    for (auto& p : out.px)
        p = clampByte(dark + (light - dark) * (p / 255.0));
    return out;
}

Gray perspective(const Gray& in, double shrink) {
    // Destination quad of the source rectangle: the right edge shorter and the label narrower.
    const double w = in.width, h = in.height;
    const int outW = static_cast<int>(w * (0.6 + 0.4 * shrink)), outH = in.height;
    const double inset = h * (1 - shrink) / 2;
    const std::array<std::array<double, 2>, 4> dst = {
        {{0, 0}, {double(outW), inset}, {double(outW), h - inset}, {0, h}}};
    const std::array<std::array<double, 2>, 4> src = {{{0, 0}, {w, 0}, {w, h}, {0, h}}};
    // Solve the 8 unknowns of the homography mapping dst -> src (Gaussian elimination).
    double m[8][9] = {};
    for (int i = 0; i < 4; ++i) {
        const double x = dst[std::size_t(i)][0], y = dst[std::size_t(i)][1];
        const double u = src[std::size_t(i)][0], v = src[std::size_t(i)][1];
        const double r1[9] = {x, y, 1, 0, 0, 0, -u * x, -u * y, u};
        const double r2[9] = {0, 0, 0, x, y, 1, -v * x, -v * y, v};
        std::copy(r1, r1 + 9, m[2 * i]);
        std::copy(r2, r2 + 9, m[2 * i + 1]);
    }
    for (int col = 0; col < 8; ++col) {
        int pivot = col;
        for (int r = col + 1; r < 8; ++r)
            if (std::abs(m[r][col]) > std::abs(m[pivot][col])) pivot = r;
        std::swap(m[col], m[pivot]);
        for (int r = 0; r < 8; ++r) {
            if (r == col) continue;
            const double f = m[r][col] / m[col][col];
            for (int c = col; c < 9; ++c)
                m[r][c] -= f * m[col][c];
        }
    }
    double H[9];
    for (int i = 0; i < 8; ++i)
        H[i] = m[i][8] / m[i][i];
    H[8] = 1;
    Gray out(outW, outH, 255);
    for (int y = 0; y < outH; ++y)
        for (int x = 0; x < outW; ++x) {
            const double d = H[6] * x + H[7] * y + H[8];
            out.at(x, y) =
                clampByte(sample(in, (H[0] * x + H[1] * y + H[2]) / d, (H[3] * x + H[4] * y + H[5]) / d, 255));
        }
    return out;
}

Gray scaled(const Gray& in, double factor) {
    const int w = std::max(1, static_cast<int>(in.width * factor)),
              h = std::max(1, static_cast<int>(in.height * factor));
    Gray out(w, h, 255);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            out.at(x, y) = clampByte(sample(in, (x + 0.5) / factor - 0.5, (y + 0.5) / factor - 0.5, 255));
    return out;
}

Gray clutteredFrame(int width, int height, std::uint32_t seed) {
    Gray frame(width, height, 128);
    Lcg rng{seed};
    for (int i = 0; i < 12; ++i) {
        const int x0 = rng.range(0, width - 1), y0 = rng.range(0, height - 1);
        const int w = rng.range(20, 200), h = rng.range(20, 200);
        const auto g = static_cast<std::uint8_t>(rng.next() % 2 ? rng.range(20, 70) : rng.range(180, 230));
        for (int y = y0; y < std::min(height, y0 + h); ++y)
            for (int x = x0; x < std::min(width, x0 + w); ++x)
                frame.at(x, y) = g;
    }
    return frame;
}

void paste(Gray& frame, const Gray& symbol, int x, int y) {
    for (int sy = 0; sy < symbol.height; ++sy)
        for (int sx = 0; sx < symbol.width; ++sx) {
            const int fx = x + sx, fy = y + sy;
            if (fx >= 0 && fy >= 0 && fx < frame.width && fy < frame.height) frame.at(fx, fy) = symbol.at(sx, sy);
        }
}

} // namespace showroom::test
