// Image files to 8-bit pixel buffers (PNG, JPEG, BMP, also GIF/TGA/PNM via stb_image), plus the
// header-only check the importers use to find corrupt files quickly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tb::data {

// Interleaved (HWC) 8-bit pixels; channels is 1 (grey), 2 (grey+alpha), 3 (RGB) or 4 (RGBA).
struct Image {
    int width = 0;
    int height = 0;
    int channels = 0;
    std::vector<std::uint8_t> pixels;  // size width * height * channels
};

struct ImageInfo {
    int width = 0;
    int height = 0;
    int channels = 0;
};

// Decodes a whole file. Throws tb::Error naming the file for a 0-byte file, an unreadable file,
// and data stb_image cannot decode (with its reason, e.g. "bad png sig" or "not a JPEG").
Image decode_image_file(const std::string& path);
Image decode_image(const std::string& bytes, const std::string& source);

// Reads only the header: size and channels, or tb::Error as above (a truncated body is found
// only by decode_image_file).
ImageInfo image_file_info(const std::string& path);

// True for the extensions the folder and CSV importers accept: .png .jpg .jpeg .bmp (any case).
bool has_image_extension(const std::string& path);

}  // namespace tb::data
