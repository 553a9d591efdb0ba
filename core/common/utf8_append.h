// Appends a Unicode code point to a string as UTF-8 (for decoders of other encodings and escapes).
#pragma once

#include <cstdint>
#include <string>

namespace tb {

// `code_point` must be a Unicode scalar value (<= 0x10FFFF, not a surrogate): callers check.
inline void append_utf8(std::string& out, std::uint32_t code_point) {
    const std::uint32_t cp = code_point;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

}  // namespace tb
