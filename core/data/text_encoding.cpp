// BOM handling, UTF-8 validation and line/column arithmetic for the table readers.
#include "data/text_encoding.h"

#include <cstdio>

#include <utf8proc.h>

#include "common/error.h"
#include "common/utf8_append.h"

namespace tb::data {
namespace {

unsigned char byte_at(const std::string& s, std::size_t pos) {
    return static_cast<unsigned char>(s[pos]);
}

bool has_prefix(const std::string& s, const char* prefix, std::size_t length) {
    return s.size() >= length && s.compare(0, length, prefix, length) == 0;
}

// Line (1-based) and character column of byte `pos`, counting from `start` (past the BOM).
// Line breaks are LF, CRLF and a lone CR, the same rule the readers use.
SourceLocation locate(const std::string& s, std::size_t start, std::size_t pos,
                      const std::string& source) {
    long line = 1;
    std::size_t line_start = start;
    for (std::size_t i = start; i < pos && i < s.size(); ++i) {
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= s.size() || s[i + 1] != '\n'))) {
            ++line;
            line_start = i + 1;
        }
    }
    return SourceLocation{source, line, character_column(s, line_start, pos), {}};
}

std::string hex_byte(unsigned char b) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "0x%02X", b);
    return buffer;
}

[[noreturn]] void throw_wrong_encoding(const std::string& encoding, const std::string& source) {
    throw Error("the file is encoded as " + encoding +
                    " (it starts with a byte order mark); only UTF-8 is supported. Convert it, "
                    "e.g. `iconv -f " +
                    encoding + " -t UTF-8 in > out`, or re-save it as UTF-8 in your editor",
                SourceLocation{source, 1, 1, {}});
}

}  // namespace

std::size_t utf8_sequence_length(const std::string& s, std::size_t pos) {
    const std::size_t n = s.size();
    const unsigned char b0 = byte_at(s, pos);
    if (b0 < 0x80)
        return 1;
    auto in = [&](std::size_t offset, unsigned char lo, unsigned char hi) {
        return pos + offset < n && byte_at(s, pos + offset) >= lo && byte_at(s, pos + offset) <= hi;
    };
    if (b0 >= 0xC2 && b0 <= 0xDF)
        return in(1, 0x80, 0xBF) ? 2 : 0;
    if (b0 >= 0xE0 && b0 <= 0xEF) {
        // E0 excludes overlong forms, ED excludes UTF-16 surrogates (U+D800..U+DFFF).
        const unsigned char lo = b0 == 0xE0 ? 0xA0 : 0x80;
        const unsigned char hi = b0 == 0xED ? 0x9F : 0xBF;
        return in(1, lo, hi) && in(2, 0x80, 0xBF) ? 3 : 0;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
        // F0 excludes overlong forms, F4 caps at U+10FFFF.
        const unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80;
        const unsigned char hi = b0 == 0xF4 ? 0x8F : 0xBF;
        return in(1, lo, hi) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF) ? 4 : 0;
    }
    return 0;
}

long character_column(const std::string& s, std::size_t line_start, std::size_t pos) {
    long column = 1;
    for (std::size_t i = line_start; i < pos && i < s.size(); ++i) {
        if (starts_character(s[i]))
            ++column;
    }
    return column;
}

std::string nul_byte_message(std::uint64_t offset) {
    return "the file contains a NUL byte at byte offset " + std::to_string(offset) +
           "; it is binary or encoded as UTF-16/UTF-32 without a byte order mark. Only UTF-8 "
           "text is supported";
}

std::string invalid_utf8_message(std::uint64_t offset, unsigned char byte) {
    return "invalid UTF-8 at byte offset " + std::to_string(offset) + " (byte " + hex_byte(byte) +
           "); the file may be in a legacy encoding such as Windows-1252 or GBK. Convert it to "
           "UTF-8, e.g. `iconv -f GBK -t UTF-8 in > out`";
}

std::string utf16_as_utf8(std::string content, const std::string& source, bool prefix) {
    // A UTF-32 LE mark starts with the UTF-16 LE one: UTF-32 is left to check_text_encoding.
    if (has_prefix(content, "\xFF\xFE\x00\x00", 4))
        return content;
    const bool little = has_prefix(content, "\xFF\xFE", 2);
    if (!little && !has_prefix(content, "\xFE\xFF", 2))
        return content;
    std::size_t end = content.size();
    if (prefix)
        end -= (end - 2) % 2;  // a code unit cut in half at the end of the head
    std::string out;
    out.reserve(end + end / 2);
    long line = 1;
    long column = 1;
    auto unit_at = [&](std::size_t pos) {
        const auto a = static_cast<unsigned char>(content[pos]);
        const auto b = static_cast<unsigned char>(content[pos + 1]);
        return static_cast<std::uint32_t>(little ? (b << 8 | a) : (a << 8 | b));
    };
    auto fail = [&](std::size_t pos, const std::string& what) {
        throw Error("invalid UTF-16 at byte offset " + std::to_string(pos) + ": " + what +
                        "; the file may be damaged. Re-save it as UTF-8 (or UTF-16) in your "
                        "editor",
                    SourceLocation{source, line, column, {}});
    };
    std::size_t pos = 2;
    while (pos < end) {
        if (pos + 1 >= end)
            fail(pos, "an odd number of bytes (half a character at the end)");
        std::uint32_t cp = unit_at(pos);
        std::size_t size = 2;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (pos + 3 >= end) {
                if (prefix)
                    break;  // the pair is cut off by the end of the head
                fail(pos, "a high surrogate at the end of the file");
            }
            const std::uint32_t low = unit_at(pos + 2);
            if (low < 0xDC00 || low > 0xDFFF)
                fail(pos, "a high surrogate not followed by a low surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            size = 4;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail(pos, "a low surrogate without a high surrogate before it");
        }
        append_utf8(out, cp);
        if (cp == '\n' || (cp == '\r' && !(pos + 3 < end && unit_at(pos + 2) == '\n'))) {
            ++line;
            column = 1;
        } else if (cp != '\r') {
            ++column;
        }
        pos += size;
    }
    return out;
}

std::size_t check_byte_order_mark(const std::string& head, const std::string& source) {
    // UTF-32 LE must be tested before UTF-16 LE: its BOM starts with the UTF-16 LE one.
    if (has_prefix(head, "\xFF\xFE\x00\x00", 4))
        throw_wrong_encoding("UTF-32LE", source);
    if (has_prefix(head, "\x00\x00\xFE\xFF", 4))
        throw_wrong_encoding("UTF-32BE", source);
    if (has_prefix(head, "\xFF\xFE", 2))
        throw_wrong_encoding("UTF-16LE", source);
    if (has_prefix(head, "\xFE\xFF", 2))
        throw_wrong_encoding("UTF-16BE", source);
    return has_prefix(head, "\xEF\xBB\xBF", 3) ? 3 : 0;
}

void check_utf8_text(const std::string& text, std::size_t start, std::uint64_t base_offset,
                     long base_line, const std::string& source) {
    // Errors are located in the block, then moved to the file: line base_line is the block's
    // first line, and byte offsets count from the start of the file.
    auto where = [&](std::size_t pos) {
        SourceLocation at = locate(text, start, pos, source);
        at.line += base_line - 1;
        return at;
    };
    std::size_t pos = start;
    const std::size_t n = text.size();
    while (pos < n) {
        const unsigned char b = byte_at(text, pos);
        if (b > 0 && b < 0x80) {
            ++pos;
            continue;
        }
        if (b == 0) {
            throw Error(nul_byte_message(base_offset + pos), where(pos));
        }
        const std::size_t length = utf8_sequence_length(text, pos);
        if (length == 0) {
            throw Error(invalid_utf8_message(base_offset + pos, b), where(pos));
        }
        pos += length;
    }
}

std::size_t check_text_encoding(const std::string& content, const std::string& source) {
    const std::size_t bom = check_byte_order_mark(content, source);
    check_utf8_text(content, bom, 0, 1, source);
    return bom;
}

namespace {

bool is_blank_codepoint(utf8proc_int32_t cp) {
    if (cp < 0x80)
        return cp == ' ' || (cp >= '\t' && cp <= '\r');
    if (cp == 0x85)
        return true;
    // Zero-width space and a stray BOM are invisible: a cell of only these reads as empty.
    if (cp == 0x200B || cp == 0xFEFF)
        return true;
    const utf8proc_category_t category = utf8proc_category(cp);
    return category == UTF8PROC_CATEGORY_ZS || category == UTF8PROC_CATEGORY_ZL ||
           category == UTF8PROC_CATEGORY_ZP;
}

// Decodes the character at `pos`; returns its length, or 0 for invalid UTF-8 (which is never
// blank).
std::size_t decode_at(const std::string& s, std::size_t pos, utf8proc_int32_t* cp) {
    const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(s.data()) + pos;
    const utf8proc_ssize_t length = utf8proc_iterate(bytes, s.size() - pos, cp);
    return length > 0 ? static_cast<std::size_t>(length) : 0;
}

// Byte offset just past the leading blank characters.
std::size_t skip_leading_blank(const std::string& text) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        const unsigned char first = static_cast<unsigned char>(text[pos]);
        if (first < 0x80) {  // ASCII: no decoding needed (the common case)
            if (!is_blank_codepoint(first))
                break;
            ++pos;
            continue;
        }
        utf8proc_int32_t cp = 0;
        const std::size_t length = decode_at(text, pos, &cp);
        if (length == 0 || !is_blank_codepoint(cp))
            break;
        pos += length;
    }
    return pos;
}

}  // namespace

bool is_blank(const std::string& text) {
    return skip_leading_blank(text) == text.size();
}

std::string_view trimmed_view(const std::string& text) {
    const std::size_t begin = skip_leading_blank(text);
    std::size_t end = text.size();
    while (end > begin) {
        const unsigned char last = static_cast<unsigned char>(text[end - 1]);
        if (last < 0x80) {  // ASCII: no decoding needed (the common case)
            if (!is_blank_codepoint(last))
                break;
            --end;
            continue;
        }
        std::size_t start = end - 1;  // back up to the first byte of the last character
        while (start > begin && !starts_character(text[start]))
            --start;
        utf8proc_int32_t cp = 0;
        if (decode_at(text, start, &cp) != end - start || !is_blank_codepoint(cp))
            break;
        end = start;
    }
    return std::string_view(text).substr(begin, end - begin);
}

std::string trim_blank(const std::string& text) {
    return std::string(trimmed_view(text));
}

}  // namespace tb::data
