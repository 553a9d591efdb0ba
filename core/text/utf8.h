// UTF-8 <-> code point conversion for the tokenizers (lenient decoding, as BERT expects).
#pragma once

#include <string>
#include <string_view>

namespace tb::text {

// Decodes UTF-8. Each byte that does not start a well-formed sequence (overlong forms,
// surrogates, values above U+10FFFF, truncated sequences) becomes one U+FFFD.
std::u32string decode_utf8(const std::string& text);

// Appends the UTF-8 form of `cp` (assumed to be a valid scalar value).
void append_utf8(std::string& out, char32_t cp);

std::string encode_utf8(const std::u32string& cps);

// Decodes the code point at byte `pos` and advances `pos` past it; like decode_utf8, a byte
// that does not start a well-formed sequence yields U+FFFD and advances by one. pos < size.
char32_t decode_next(std::string_view text, std::size_t& pos);

// Bytes of the UTF-8 form of `cp` (1 to 4).
inline std::size_t utf8_length(char32_t cp) {
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

// Number of code points in well-formed UTF-8 (continuation bytes are not counted).
std::size_t count_code_points(const std::string& text);

}  // namespace tb::text
