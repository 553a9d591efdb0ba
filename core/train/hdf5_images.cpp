// HDF5 features to 8-bit images in row blocks (see hdf5_images.h).
#include "train/hdf5_images.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"
#include "data/hdf5_arrays.h"

namespace tb::train {
namespace {

struct Geometry {
    int height = 0, width = 0, channels = 1;
    bool chw = false;  // N x C x H x W: channels first in each row
};

Geometry image_geometry(const std::vector<std::size_t>& s, const std::string& x_name,
                        const std::string& path) {
    Geometry g;
    if (s.size() == 2) {
        g.height = static_cast<int>(s[0]);
        g.width = static_cast<int>(s[1]);
    } else if (s.size() == 3 && (s[2] == 1 || s[2] == 3)) {
        g.height = static_cast<int>(s[0]);
        g.width = static_cast<int>(s[1]);
        g.channels = static_cast<int>(s[2]);
    } else if (s.size() == 3 && (s[0] == 1 || s[0] == 3)) {
        g.channels = static_cast<int>(s[0]);
        g.height = static_cast<int>(s[1]);
        g.width = static_cast<int>(s[2]);
        g.chw = true;
    } else {
        std::string shape;
        for (auto d : s)
            shape += (shape.empty() ? "" : " x ") + std::to_string(d);
        throw Error("the HDF5 array '" + x_name + "' has rows of shape [" + shape +
                        "]; image classification needs images: N x H x W, N x H x W x C or "
                        "N x C x H x W with C = 1 or 3",
                    SourceLocation{path, 0, 0, "dataset.x_dataset"});
    }
    return g;
}

}  // namespace

std::shared_ptr<data::ImageArrayDataset> read_hdf5_images(const std::string& path,
                                                          const std::string& x_name,
                                                          const std::string& y_name,
                                                          std::size_t block_values) {
    const data::ArrayDataset meta = data::read_hdf5_labels(path, x_name, y_name);
    const Geometry g = image_geometry(meta.feature_shape, x_name, path);
    const std::size_t plane = static_cast<std::size_t>(g.height) * g.width;
    const std::size_t per_row = plane * static_cast<std::size_t>(g.channels);
    const std::size_t block_rows =
        std::max<std::size_t>(1, block_values / std::max<std::size_t>(per_row, 1));
    auto for_each_block = [&](auto&& visit) {
        for (std::size_t first = 0; first < meta.count; first += block_rows) {
            const std::size_t rows = std::min(block_rows, meta.count - first);
            visit(first, rows, data::read_hdf5_row_range(path, x_name, first, rows));
        }
    };
    float top = 0.0f;
    for_each_block([&](std::size_t, std::size_t, const std::vector<float>& values) {
        for (float v : values)
            top = std::max(top, v);
    });
    const float scale = top <= 1.0f ? 255.0f : 1.0f;

    auto out = std::make_shared<data::ImageArrayDataset>();
    out->source = path;
    out->count = static_cast<int>(meta.count);
    out->height = g.height;
    out->width = g.width;
    out->channels = g.channels;
    out->labels = meta.labels;
    out->classes = meta.classes;
    out->pixels.resize(meta.count * per_row);
    const int c = g.channels;
    for_each_block([&](std::size_t first, std::size_t rows, const std::vector<float>& values) {
        for (std::size_t n = 0; n < rows; ++n) {
            const float* row = values.data() + n * per_row;
            std::uint8_t* dst = out->pixels.data() + (first + n) * per_row;
            for (std::size_t p = 0; p < plane; ++p)
                for (int k = 0; k < c; ++k) {
                    const float v = g.chw ? row[static_cast<std::size_t>(k) * plane + p]
                                          : row[p * static_cast<std::size_t>(c) + k];
                    dst[p * static_cast<std::size_t>(c) + k] = static_cast<std::uint8_t>(
                        std::clamp(std::lround(static_cast<double>(v) * scale), 0L, 255L));
                }
        }
    });
    return out;
}

}  // namespace tb::train
