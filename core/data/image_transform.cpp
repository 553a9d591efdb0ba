// Channel conversion, bilinear resize (torch's align_corners=False sampling), center crop and
// normalization to a CHW float buffer.
#include "data/image_transform.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"

namespace tb::data {

ResizeMode resize_mode_from_name(const std::string& name) {
    if (name == "stretch")
        return ResizeMode::Stretch;
    if (name == "shorter_side_crop")
        return ResizeMode::ShorterSideCrop;
    if (name == "center_crop")
        return ResizeMode::CenterCrop;
    throw Error("unknown resize mode '" + name +
                "'; expected one of: stretch, shorter_side_crop, center_crop");
}

Image convert_channels(const Image& image, int channels) {
    if (channels != 1 && channels != 3)
        throw Error("images can be converted to 1 or 3 channels, not " + std::to_string(channels));
    Image out;
    out.width = image.width;
    out.height = image.height;
    out.channels = channels;
    const std::size_t n = static_cast<std::size_t>(image.width) * image.height;
    out.pixels.resize(n * static_cast<std::size_t>(channels));
    const int c_in = image.channels;
    for (std::size_t p = 0; p < n; ++p) {
        const std::uint8_t* px = &image.pixels[p * static_cast<std::size_t>(c_in)];
        const bool colour = c_in >= 3;
        if (channels == 1) {
            out.pixels[p] = colour ? static_cast<std::uint8_t>(
                                         std::lround(0.299 * px[0] + 0.587 * px[1] + 0.114 * px[2]))
                                   : px[0];
        } else {
            for (int c = 0; c < 3; ++c)
                out.pixels[p * 3 + static_cast<std::size_t>(c)] = colour ? px[c] : px[0];
        }
    }
    return out;
}

Image resize_bilinear(const Image& image, int width, int height) {
    if (width <= 0 || height <= 0 || image.width <= 0 || image.height <= 0)
        throw Error("cannot resize an image to or from an empty size");
    Image out;
    out.width = width;
    out.height = height;
    out.channels = image.channels;
    out.pixels.resize(static_cast<std::size_t>(width) * height * image.channels);
    const double sx = static_cast<double>(image.width) / width;
    const double sy = static_cast<double>(image.height) / height;
    auto source = [](int dst, double scale) {
        const double s = scale * (dst + 0.5) - 0.5;
        return s < 0.0 ? 0.0 : s;
    };
    const int c_n = image.channels;
    for (int y = 0; y < height; ++y) {
        const double fy = source(y, sy);
        const int y0 = static_cast<int>(fy);
        const int y1 = y0 + (y0 < image.height - 1 ? 1 : 0);
        const double ly = fy - y0;
        for (int x = 0; x < width; ++x) {
            const double fx = source(x, sx);
            const int x0 = static_cast<int>(fx);
            const int x1 = x0 + (x0 < image.width - 1 ? 1 : 0);
            const double lx = fx - x0;
            for (int c = 0; c < c_n; ++c) {
                auto at = [&](int yy, int xx) {
                    return static_cast<double>(
                        image.pixels[(static_cast<std::size_t>(yy) * image.width + xx) * c_n + c]);
                };
                const double v = (1 - ly) * ((1 - lx) * at(y0, x0) + lx * at(y0, x1)) +
                                 ly * ((1 - lx) * at(y1, x0) + lx * at(y1, x1));
                out.pixels[(static_cast<std::size_t>(y) * width + x) * c_n + c] =
                    static_cast<std::uint8_t>(std::clamp(std::lround(v), 0L, 255L));
            }
        }
    }
    return out;
}

Image center_crop(const Image& image, int width, int height) {
    if (width > image.width || height > image.height) {
        throw Error("cannot crop " + std::to_string(width) + "x" + std::to_string(height) +
                    " from a " + std::to_string(image.width) + "x" + std::to_string(image.height) +
                    " image");
    }
    // Python's round (half to even), as torchvision computes the offsets.
    const int top = static_cast<int>(std::nearbyint((image.height - height) / 2.0));
    const int left = static_cast<int>(std::nearbyint((image.width - width) / 2.0));
    Image out;
    out.width = width;
    out.height = height;
    out.channels = image.channels;
    const std::size_t row = static_cast<std::size_t>(width) * image.channels;
    out.pixels.resize(row * height);
    for (int y = 0; y < height; ++y) {
        const std::size_t from =
            (static_cast<std::size_t>(top + y) * image.width + left) * image.channels;
        std::copy_n(image.pixels.begin() + static_cast<long>(from), row,
                    out.pixels.begin() + static_cast<long>(row * y));
    }
    return out;
}

namespace {

void check_normalization(const ImageTransform& t) {
    if (t.mean.size() != static_cast<std::size_t>(t.channels) ||
        t.std.size() != static_cast<std::size_t>(t.channels)) {
        throw Error("normalization needs " + std::to_string(t.channels) +
                    " mean and std values (one per channel)");
    }
    for (float s : t.std) {
        if (!(s > 0.0f))
            throw Error("normalization std values must be > 0");
    }
}

}  // namespace

Image fit_image(const Image& image, const ImageTransform& t) {
    Image img = convert_channels(image, t.channels);
    switch (t.mode) {
        case ResizeMode::Stretch:
            if (img.width != t.width || img.height != t.height)
                img = resize_bilinear(img, t.width, t.height);
            break;
        case ResizeMode::ShorterSideCrop: {
            int w = img.width, h = img.height;
            if (t.resize_shorter > 0) {
                // torchvision's Resize(int): the shorter side becomes resize_shorter, the longer
                // one scales with it (truncated).
                const bool wide = img.width >= img.height;
                const long long shorter = wide ? img.height : img.width;
                const long long longer = wide ? img.width : img.height;
                const int scaled = static_cast<int>(t.resize_shorter * longer / shorter);
                w = wide ? scaled : t.resize_shorter;
                h = wide ? t.resize_shorter : scaled;
            } else {
                const double scale = std::max(static_cast<double>(t.width) / img.width,
                                              static_cast<double>(t.height) / img.height);
                w = static_cast<int>(std::lround(img.width * scale));
                h = static_cast<int>(std::lround(img.height * scale));
            }
            // A crop larger than the resized image: grow it to cover the crop first.
            w = std::max(t.width, w);
            h = std::max(t.height, h);
            if (w != img.width || h != img.height)
                img = resize_bilinear(img, w, h);
            img = center_crop(img, t.width, t.height);
            break;
        }
        case ResizeMode::CenterCrop:
            if (img.width < t.width || img.height < t.height) {
                img = resize_bilinear(img, std::max(img.width, t.width),
                                      std::max(img.height, t.height));
            }
            img = center_crop(img, t.width, t.height);
            break;
    }
    return img;
}

std::vector<float> normalize_image(const Image& img, const ImageTransform& t) {
    check_normalization(t);
    if (img.width != t.width || img.height != t.height || img.channels != t.channels)
        throw Error("normalize_image needs a " + std::to_string(t.width) + "x" +
                    std::to_string(t.height) + "x" + std::to_string(t.channels) + " image, got " +
                    std::to_string(img.width) + "x" + std::to_string(img.height) + "x" +
                    std::to_string(img.channels));
    const std::size_t plane = static_cast<std::size_t>(t.width) * t.height;
    std::vector<float> out(plane * static_cast<std::size_t>(t.channels));
    for (int c = 0; c < t.channels; ++c) {
        const float mean = t.mean[static_cast<std::size_t>(c)];
        const float inv_std = 1.0f / t.std[static_cast<std::size_t>(c)];
        // Decoded pixels are RGB: a BGR model's first plane is the image's third channel.
        const int source = t.bgr && t.channels == 3 ? 2 - c : c;
        for (std::size_t p = 0; p < plane; ++p) {
            const float v = img.pixels[p * static_cast<std::size_t>(t.channels) + source] / 255.0f;
            out[static_cast<std::size_t>(c) * plane + p] = (v - mean) * inv_std;
        }
    }
    return out;
}

std::vector<float> preprocess_image(const Image& image, const ImageTransform& t) {
    check_normalization(t);
    return normalize_image(fit_image(image, t), t);
}

}  // namespace tb::data
