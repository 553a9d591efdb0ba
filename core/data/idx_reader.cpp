// IDX parsing on top of zlib's gzread, which reads gzip and plain files alike.
#include "data/idx_reader.h"

#include <zlib.h>

#include <memory>

#include "common/error.h"

namespace tb::data {
namespace {

struct GzCloser {
    void operator()(gzFile_s* f) const { gzclose(f); }
};

std::uint32_t big_endian(const unsigned char* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
}

}  // namespace

IdxArray read_idx(const std::string& path) {
    std::unique_ptr<gzFile_s, GzCloser> f(gzopen(path.c_str(), "rb"));
    if (!f)
        throw Error("cannot open the IDX file", SourceLocation{path, 0, 0, {}});
    auto read = [&](void* out, std::size_t n) -> std::size_t {
        std::size_t total = 0;
        while (total < n) {
            const unsigned chunk =
                static_cast<unsigned>(std::min<std::size_t>(n - total, 1u << 30));
            const int got = gzread(f.get(), static_cast<char*>(out) + total, chunk);
            if (got < 0) {
                int code = 0;
                throw Error(std::string("cannot read the IDX file: ") + gzerror(f.get(), &code),
                            SourceLocation{path, 0, 0, {}});
            }
            if (got == 0)
                break;
            total += static_cast<std::size_t>(got);
        }
        return total;
    };
    unsigned char magic[4];
    if (read(magic, 4) != 4 || magic[0] != 0 || magic[1] != 0) {
        throw Error(
            "not an IDX file (it must start with two zero bytes, a type byte and a "
            "dimension count)",
            SourceLocation{path, 0, 0, {}});
    }
    if (magic[2] != 0x08) {
        throw Error("IDX element type 0x" + std::to_string(magic[2]) +
                        " is not supported; only unsigned bytes (0x08) as in MNIST",
                    SourceLocation{path, 0, 0, {}});
    }
    const int rank = magic[3];
    if (rank < 1 || rank > 4) {
        throw Error(
            "IDX files with " + std::to_string(rank) + " dimensions are not supported (1 to 4)",
            SourceLocation{path, 0, 0, {}});
    }
    IdxArray array;
    std::uint64_t total = 1;
    for (int d = 0; d < rank; ++d) {
        unsigned char b[4];
        if (read(b, 4) != 4)
            throw Error("the IDX header is cut short", SourceLocation{path, 0, 0, {}});
        array.dims.push_back(big_endian(b));
        total *= array.dims.back();
    }
    if (total > (std::uint64_t{1} << 34))
        throw Error("the IDX header claims an array too large to load",
                    SourceLocation{path, 0, 0, {}});
    array.data.resize(static_cast<std::size_t>(total));
    const std::size_t got = read(array.data.data(), array.data.size());
    unsigned char extra = 0;
    if (got != array.data.size() || read(&extra, 1) != 0) {
        throw Error("the IDX header says " + std::to_string(total) +
                        " bytes of data but the file " +
                        (got != array.data.size() ? "holds only " + std::to_string(got)
                                                  : std::string("holds more")) +
                        "; the file is truncated or not an IDX file",
                    SourceLocation{path, 0, 0, {}});
    }
    return array;
}

ImageArrayDataset read_idx_dataset(const std::string& images_path, const std::string& labels_path,
                                   const std::vector<std::string>& class_names) {
    IdxArray images = read_idx(images_path);
    const IdxArray labels = read_idx(labels_path);
    if (images.dims.size() != 3 && images.dims.size() != 4) {
        throw Error(
            "an images IDX file has 3 dimensions (count, height, width) or 4 (with "
            "channels); this one has " +
                std::to_string(images.dims.size()),
            SourceLocation{images_path, 0, 0, {}});
    }
    if (labels.dims.size() != 1) {
        throw Error(
            "a labels IDX file has 1 dimension; this one has " + std::to_string(labels.dims.size()),
            SourceLocation{labels_path, 0, 0, {}});
    }
    if (labels.dims[0] != images.dims[0]) {
        throw Error("the labels file has " + std::to_string(labels.dims[0]) +
                        " labels but the images file '" + images_path + "' has " +
                        std::to_string(images.dims[0]) + " images",
                    SourceLocation{labels_path, 0, 0, {}});
    }
    ImageArrayDataset out;
    out.source = images_path;
    out.count = static_cast<int>(images.dims[0]);
    out.height = static_cast<int>(images.dims[1]);
    out.width = static_cast<int>(images.dims[2]);
    out.channels = images.dims.size() == 4 ? static_cast<int>(images.dims[3]) : 1;
    out.pixels = std::move(images.data);
    int max_label = -1;
    for (std::uint8_t l : labels.data)
        max_label = std::max(max_label, static_cast<int>(l));
    std::vector<std::string> names = class_names;
    if (names.empty()) {
        for (int i = 0; i <= max_label; ++i)
            names.push_back(std::to_string(i));
    }
    if (max_label >= static_cast<int>(names.size())) {
        throw Error("label " + std::to_string(max_label) + " has no class name (" +
                        std::to_string(names.size()) + " given)",
                    SourceLocation{labels_path, 0, 0, {}});
    }
    out.classes = LabelMap(names);
    out.labels.assign(labels.data.begin(), labels.data.end());
    return out;
}

const std::vector<std::string>& fashion_mnist_class_names() {
    static const std::vector<std::string> names{"T-shirt/top", "Trouser",   "Pullover", "Dress",
                                                "Coat",        "Sandal",    "Shirt",    "Sneaker",
                                                "Bag",         "Ankle boot"};
    return names;
}

}  // namespace tb::data
