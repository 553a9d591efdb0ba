// stb_image (Debian libstb) behind a small API; stb's process-global failure reason is read
// right after each call on the same thread.
#include "data/image_decode.h"

#include <cctype>
#include <filesystem>
#include <memory>

#include <stb_image.h>

#include "common/error.h"
#include "data/file_bytes.h"

namespace tb::data {
namespace {

std::string reason() {
    const char* r = stbi_failure_reason();
    return r ? r : "unknown reason";
}

void check_not_empty(const std::string& bytes, const std::string& source) {
    if (bytes.empty()) {
        throw Error("the image file is empty (0 bytes); remove it or copy it again",
                    SourceLocation{source, 0, 0, {}});
    }
}

}  // namespace

Image decode_image(const std::string& bytes, const std::string& source) {
    check_not_empty(bytes, source);
    int w = 0;
    int h = 0;
    int c = 0;
    std::unique_ptr<stbi_uc, void (*)(void*)> data(
        stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()),
                              static_cast<int>(bytes.size()), &w, &h, &c, 0),
        stbi_image_free);
    if (!data) {
        throw Error("cannot decode the image (" + reason() +
                        "); the file is corrupt or not a "
                        "PNG, JPEG or BMP image",
                    SourceLocation{source, 0, 0, {}});
    }
    Image image;
    image.width = w;
    image.height = h;
    image.channels = c;
    image.pixels.assign(data.get(), data.get() + static_cast<std::size_t>(w) * h * c);
    return image;
}

Image decode_image_file(const std::string& path) {
    return decode_image(read_file_bytes(path), path);
}

ImageInfo image_file_info(const std::string& path) {
    // Headers are at the start: 64 KiB covers PNG/BMP and JPEG files with large EXIF blocks.
    const std::string head = read_file_bytes(path, 64 * 1024);
    check_not_empty(head, path);
    ImageInfo info;
    if (!stbi_info_from_memory(reinterpret_cast<const stbi_uc*>(head.data()),
                               static_cast<int>(head.size()), &info.width, &info.height,
                               &info.channels)) {
        throw Error("cannot read the image header (" + reason() +
                        "); the file is corrupt or not a PNG, JPEG or BMP image",
                    SourceLocation{path, 0, 0, {}});
    }
    return info;
}

bool has_image_extension(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    for (char& ch : ext)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".bmp";
}

}  // namespace tb::data
