// Seeded image augmentation (see image_augment.h for the exact recipe).
#include "data/image_augment.h"

#include <algorithm>
#include <cmath>

namespace tb::data {
namespace {

// splitmix64: a small, portable generator (std:: distributions differ between libraries).
class Draws {
public:
    explicit Draws(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    double uniform(double low, double high) {  // [low, high)
        return low + (high - low) * static_cast<double>(next() >> 11) * 0x1.0p-53;
    }
    int integer(int low, int high) {  // [low, high]
        return low + static_cast<int>(next() % static_cast<std::uint64_t>(high - low + 1));
    }

private:
    std::uint64_t state_;
};

Image crop(const Image& image, int left, int top, int width, int height) {
    Image out;
    out.width = width;
    out.height = height;
    out.channels = image.channels;
    const std::size_t row = static_cast<std::size_t>(width) * image.channels;
    out.pixels.resize(row * static_cast<std::size_t>(height));
    for (int y = 0; y < height; ++y) {
        const std::size_t from =
            (static_cast<std::size_t>(top + y) * image.width + left) * image.channels;
        std::copy_n(image.pixels.begin() + static_cast<long>(from), row,
                    out.pixels.begin() + static_cast<long>(row * y));
    }
    return out;
}

Image random_resized_crop(const Image& image, double min_scale, const ImageTransform& t,
                          Draws& draws) {
    const Image img = convert_channels(image, t.channels);
    const double area = static_cast<double>(img.width) * img.height;
    int w = img.width, h = img.height, left = 0, top = 0;
    for (int attempt = 0; attempt < 10; ++attempt) {
        const double target = area * draws.uniform(min_scale, 1.0);
        const double ratio = std::exp(draws.uniform(std::log(3.0 / 4.0), std::log(4.0 / 3.0)));
        const int cw = static_cast<int>(std::lround(std::sqrt(target * ratio)));
        const int ch = static_cast<int>(std::lround(std::sqrt(target / ratio)));
        if (cw > 0 && ch > 0 && cw <= img.width && ch <= img.height) {
            w = cw;
            h = ch;
            top = draws.integer(0, img.height - ch);
            left = draws.integer(0, img.width - cw);
            break;
        }
    }
    return resize_bilinear(crop(img, left, top, w, h), t.width, t.height);
}

void flip(Image& img) {
    const int c = img.channels;
    for (int y = 0; y < img.height; ++y) {
        std::uint8_t* row = img.pixels.data() + static_cast<std::size_t>(y) * img.width * c;
        for (int x = 0; x < img.width / 2; ++x)
            for (int k = 0; k < c; ++k)
                std::swap(row[x * c + k], row[(img.width - 1 - x) * c + k]);
    }
}

Image rotate(const Image& img, double degrees) {
    const double a = degrees * 3.14159265358979323846 / 180.0;
    const double cs = std::cos(a), sn = std::sin(a);
    const double cx = (img.width - 1) / 2.0, cy = (img.height - 1) / 2.0;
    const int c = img.channels;
    Image out = img;
    std::fill(out.pixels.begin(), out.pixels.end(), std::uint8_t{0});
    auto at = [&](int x, int y, int k) -> double {
        if (x < 0 || y < 0 || x >= img.width || y >= img.height)
            return 0.0;
        return img.pixels[(static_cast<std::size_t>(y) * img.width + x) * c + k];
    };
    for (int y = 0; y < img.height; ++y) {
        for (int x = 0; x < img.width; ++x) {
            // Inverse mapping: where this output pixel comes from in the input.
            const double sx = cs * (x - cx) + sn * (y - cy) + cx;
            const double sy = -sn * (x - cx) + cs * (y - cy) + cy;
            const int x0 = static_cast<int>(std::floor(sx)), y0 = static_cast<int>(std::floor(sy));
            const double fx = sx - x0, fy = sy - y0;
            for (int k = 0; k < c; ++k) {
                const double v = (1 - fy) * ((1 - fx) * at(x0, y0, k) + fx * at(x0 + 1, y0, k)) +
                                 fy * ((1 - fx) * at(x0, y0 + 1, k) + fx * at(x0 + 1, y0 + 1, k));
                out.pixels[(static_cast<std::size_t>(y) * img.width + x) * c + k] =
                    static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L));
            }
        }
    }
    return out;
}

std::uint8_t clamp_byte(double v) {
    return static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L));
}

double grey_of(const std::uint8_t* p, int channels) {
    return channels == 3 ? 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2] : p[0];
}

void jitter(Image& img, double strength, Draws& draws) {
    const double brightness = draws.uniform(1.0 - strength, 1.0 + strength);
    const double contrast = draws.uniform(1.0 - strength, 1.0 + strength);
    const double saturation = draws.uniform(1.0 - strength, 1.0 + strength);
    const int c = img.channels;
    const std::size_t n = static_cast<std::size_t>(img.width) * img.height;
    for (auto& v : img.pixels)
        v = clamp_byte(v * brightness);
    double mean = 0.0;
    for (std::size_t i = 0; i < n; ++i)
        mean += grey_of(&img.pixels[i * c], c);
    mean /= static_cast<double>(std::max<std::size_t>(1, n));
    for (auto& v : img.pixels)
        v = clamp_byte((v - mean) * contrast + mean);
    if (c != 3)
        return;
    for (std::size_t i = 0; i < n; ++i) {
        std::uint8_t* p = &img.pixels[i * 3];
        const double g = grey_of(p, 3);
        for (int k = 0; k < 3; ++k)
            p[k] = clamp_byte((p[k] - g) * saturation + g);
    }
}

}  // namespace

std::uint64_t augmentation_seed(std::uint64_t run_seed, std::int64_t epoch, std::uint64_t example) {
    Draws mix(run_seed ^ 0x5bd1e9955bd1e995ULL);
    std::uint64_t h = mix.next() ^ static_cast<std::uint64_t>(epoch) * 0x9e3779b97f4a7c15ULL;
    Draws second(h);
    return second.next() ^ (example * 0xd6e8feb86659fd93ULL);
}

Image augment_image(const Image& image, const ImageAugmentation& a, const ImageTransform& t,
                    std::uint64_t seed) {
    Draws draws(seed);
    Image img = a.random_resized_crop ? random_resized_crop(image, a.crop_min_scale, t, draws)
                                      : fit_image(image, t);
    if (a.horizontal_flip && draws.uniform(0.0, 1.0) < 0.5)
        flip(img);
    if (a.rotation_degrees > 0.0) {
        const double angle = draws.uniform(-a.rotation_degrees, a.rotation_degrees);
        img = rotate(img, angle);
    }
    if (a.color_jitter > 0.0)
        jitter(img, a.color_jitter, draws);
    return img;
}

}  // namespace tb::data
