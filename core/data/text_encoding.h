// Encoding checks shared by the table readers: BOM handling, UTF-8 validation, and the
// line/column arithmetic every reader uses so that all errors point at the same place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tb::data {

// Checks that `content` is UTF-8 text the readers can parse and returns the number of bytes
// to skip (3 for a UTF-8 BOM, else 0). Throws tb::Error with file/line/column for a UTF-16 or
// UTF-32 BOM (naming the encoding), a NUL byte (binary file or UTF-16/32 without BOM), or the
// first invalid UTF-8 sequence (the message gives its byte offset from the start of the file).
std::size_t check_text_encoding(const std::string& content, const std::string& source);

// UTF-16 text that starts with its byte order mark (LE or BE; Excel's "Unicode Text", Windows
// Notepad's "Unicode") as UTF-8 without the mark; any other content is returned unchanged (so
// UTF-8, and UTF-32, which check_text_encoding names, pass through). tb::Error naming `source`
// with line, column and the byte offset in the UTF-16 file for an unpaired surrogate or a
// trailing odd byte. `prefix`: `content` is the head of a longer file, so a code unit or
// surrogate pair cut off at its end is dropped instead of reported.
std::string utf16_as_utf8(std::string content, const std::string& source, bool prefix = false);

// The two halves of check_text_encoding, for readers that stream a file in blocks:
// check_byte_order_mark looks at the file's first bytes (the UTF-16/32 errors; returns 3 for a
// UTF-8 BOM, else 0); check_utf8_text validates `text` from `start` as check_text_encoding does,
// for a block that begins at a line start: `base_offset` is the file offset of text[0] and
// `base_line` the file line of its first line, so errors name the same byte offset, line and
// column as when the file is checked whole.
std::size_t check_byte_order_mark(const std::string& head, const std::string& source);
void check_utf8_text(const std::string& text, std::size_t start, std::uint64_t base_offset,
                     long base_line, const std::string& source);

// Length of the UTF-8 sequence starting at `s[pos]` if it is a valid, shortest-form encoding of
// a scalar value (no surrogates, <= U+10FFFF); 0 if it is invalid or truncated.
std::size_t utf8_sequence_length(const std::string& s, std::size_t pos);

// True for bytes that start a character (i.e. not 10xxxxxx continuation bytes). Columns are
// counted in characters (code points), as editors show them, not in bytes.
inline bool starts_character(char byte) {
    return (static_cast<unsigned char>(byte) & 0xC0) != 0x80;
}

// 1-based character column of byte `pos` in the line starting at byte `line_start`.
long character_column(const std::string& s, std::size_t line_start, std::size_t pos);

// True if `text` is empty or only whitespace (ASCII whitespace and Unicode Zs/Zl/Zp, e.g.
// U+00A0 and the ideographic space U+3000). `text` must be valid UTF-8.
bool is_blank(const std::string& text);

// `text` without leading/trailing whitespace as is_blank() defines it.
std::string trim_blank(const std::string& text);
// The messages of check_text_encoding's errors, for readers that validate as they stream (the
// row index), so that both paths word the same error the same way.
std::string nul_byte_message(std::uint64_t offset);
std::string invalid_utf8_message(std::uint64_t offset, unsigned char byte);
// The same characters as trim_blank(text), without a copy (valid while `text` is).
std::string_view trimmed_view(const std::string& text);

}  // namespace tb::data
