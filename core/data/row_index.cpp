// One-pass row indexer. A byte-level state machine mirrors the readers' row splitting (quotes at
// the start of a field may span lines; "" is an escaped quote; blank lines are skipped) and
// validates UTF-8 on the way.
#include "data/row_index.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "common/error.h"
#include "data/file_bytes.h"
#include "data/text_encoding.h"

namespace tb::data {
namespace {

// Length of a valid UTF-8 sequence at p (n bytes available), 0 if invalid, -1 if it may be
// valid but is cut off by the end of the buffer.
int utf8_length(const unsigned char* p, std::size_t n) {
    const unsigned char b0 = p[0];
    int len = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        lo = b0 == 0xE0 ? 0xA0 : 0x80;
        hi = b0 == 0xED ? 0x9F : 0xBF;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        lo = b0 == 0xF0 ? 0x90 : 0x80;
        hi = b0 == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    for (int k = 1; k < len; ++k) {
        if (static_cast<std::size_t>(k) >= n)
            return -1;
        const unsigned char lo_k = k == 1 ? lo : 0x80;
        const unsigned char hi_k = k == 1 ? hi : 0xBF;
        if (p[k] < lo_k || p[k] > hi_k)
            return 0;
    }
    return len;
}

// Eight-byte steps over the bytes the state machine need not look at (ASCII other than NUL,
// line breaks and, when quoting, '"' and the separator): most of a typical file.
struct PlainWordStops {
    std::uint64_t patterns[4];  // each stop byte repeated in every byte of a word
};

constexpr std::uint64_t kOnes = 0x0101010101010101ull;
constexpr std::uint64_t kHighs = 0x8080808080808080ull;

PlainWordStops plain_word_stops(char separator, bool quoting) {
    const auto repeat = [](char c) { return kOnes * static_cast<unsigned char>(c); };
    return PlainWordStops{
        {repeat('\n'), repeat('\r'), repeat(quoting ? '"' : '\n'), repeat(separator)}};
}

// Non-zero when some byte of `word` is zero (the classic bit trick; exact for "any").
inline std::uint64_t has_zero_byte(std::uint64_t word) {
    return (word - kOnes) & ~word & kHighs;
}

std::size_t skip_plain_words(const unsigned char* bytes, std::size_t i, std::size_t stop,
                             const PlainWordStops& stops) {
    while (i + 8 <= stop) {
        std::uint64_t word;
        std::memcpy(&word, bytes + i, 8);
        const std::uint64_t special =
            (word & kHighs) | has_zero_byte(word) | has_zero_byte(word ^ stops.patterns[0]) |
            has_zero_byte(word ^ stops.patterns[1]) | has_zero_byte(word ^ stops.patterns[2]) |
            has_zero_byte(word ^ stops.patterns[3]);
        if (special != 0)
            break;  // the byte loop finds which byte it is
        i += 8;
    }
    return i;
}

std::size_t line_breaks(const std::string& s) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= s.size() || s[i + 1] != '\n')))
            ++n;
    }
    return n;
}

[[noreturn]] void throw_encoding(std::FILE* f, const std::string& path, std::uint64_t line,
                                 std::uint64_t line_start, std::uint64_t offset, bool nul) {
    const std::string prefix = read_file_range(f, path, line_start, offset);
    long column = 1;
    for (char c : prefix)
        column += starts_character(c) ? 1 : 0;
    // The same words as check_text_encoding (a file read whole says the same).
    const std::string byte = nul ? std::string() : read_file_range(f, path, offset, offset + 1);
    throw Error(nul ? nul_byte_message(offset)
                    : invalid_utf8_message(offset, static_cast<unsigned char>(byte[0])),
                SourceLocation{path, static_cast<long>(line), column, {}});
}

}  // namespace

RowIndex build_row_index(const std::string& path, TableFormat format,
                         const ImportProgress& progress, std::size_t buffer_bytes) {
    if (format == TableFormat::Auto)
        format = detect_table_format(path);
    DataFile file = open_data_file(path);
    RowIndex index;
    index.path = path;
    index.format = format;
    std::error_code ec;
    index.file_size = std::filesystem::file_size(path, ec);
    if (ec)
        index.file_size = 0;

    const bool quoting = format == TableFormat::Csv || format == TableFormat::Tsv;
    const char separator = format == TableFormat::Tsv ? '\t' : ',';
    const bool blank_spaces = !quoting;  // JSONL / label_text: a line of spaces is blank

    // Bytes the state machine must look at; runs of other bytes inside a row are skipped in a
    // tight loop (most of a typical file), which is what makes the pass fast.
    bool special[256] = {};
    special[0] = special[static_cast<unsigned char>('\n')] =
        special[static_cast<unsigned char>('\r')] = true;
    for (int b = 0x80; b < 256; ++b)
        special[b] = true;
    if (quoting)
        special[static_cast<unsigned char>('"')] = special[static_cast<unsigned char>(separator)] =
            true;

    const PlainWordStops word_stops = plain_word_stops(quoting ? separator : '\n', quoting);
    std::vector<unsigned char> buffer(std::max<std::size_t>(buffer_bytes, 16) + 4);
    std::size_t carry = 0;   // bytes of a split UTF-8 sequence kept at the buffer's front
    std::uint64_t base = 0;  // file offset of buffer[0]
    std::uint64_t line = 1;  // current line
    std::uint64_t line_start = 0;
    bool prev_cr = false;
    bool in_row = false;
    bool header_pending = quoting;
    std::uint64_t header_end = 0;
    bool in_quotes = false;
    bool quote_pending = false;  // a quote inside a quoted field: escape or end, by the next byte
    bool field_start = true;
    bool first = true;

    for (;;) {
        const std::size_t got =
            std::fread(buffer.data() + carry, 1, buffer.size() - 4 - carry, file.get());
        if (got == 0 && std::ferror(file.get()))
            throw Error("error while reading the file", SourceLocation{path, 0, 0, {}});
        const std::size_t n = carry + got;
        const bool eof = got == 0 || std::feof(file.get());
        std::size_t i = 0;
        if (first) {
            first = false;
            const std::string head(reinterpret_cast<const char*>(buffer.data()),
                                   std::min<std::size_t>(n, 4));
            if (head.size() >= 2 && (static_cast<unsigned char>(head[0]) == 0xFF ||
                                     static_cast<unsigned char>(head[0]) == 0xFE ||
                                     (head.size() == 4 && head[0] == 0 && head[1] == 0))) {
                check_text_encoding(head, path);  // throws the UTF-16/32 message
            }
            if (n >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF) {
                i = 3;
                line_start = 3;
            }
        }
        std::size_t stop = n;
        while (i < stop) {
            if (in_row && !quote_pending) {
                const std::size_t from = i;
                i = skip_plain_words(buffer.data(), i, stop, word_stops);
                while (i < stop) {
                    const unsigned char b = buffer[i];
                    if (!special[b]) {
                        ++i;
                    } else if (b >= 0x80) {
                        const int len = utf8_length(buffer.data() + i, n - i);
                        if (len <= 0)
                            break;  // invalid or cut off: the general path below decides
                        i += static_cast<std::size_t>(len);
                    } else {
                        break;
                    }
                }
                if (i > from) {
                    field_start = false;
                    continue;
                }
            }
            const unsigned char c = buffer[i];
            if (c >= 0x80) {
                const int len = utf8_length(buffer.data() + i, n - i);
                if (len < 0 && !eof) {
                    stop = i;  // finish this sequence with the next read
                    break;
                }
                if (len <= 0)
                    throw_encoding(file.get(), path, line, line_start, base + i, false);
                if (!in_row) {
                    in_row = true;
                    if (!header_pending) {
                        index.offsets.push_back(line_start);
                        index.lines.push_back(line);
                    }
                }
                if (quote_pending) {
                    in_quotes = false;
                    quote_pending = false;
                }
                field_start = false;
                i += static_cast<std::size_t>(len);
                continue;
            }
            if (c == 0)
                throw_encoding(file.get(), path, line, line_start, base + i, true);
            if (c == '\n' || c == '\r') {
                if (c == '\n' && prev_cr) {
                    prev_cr = false;
                    line_start = base + i + 1;
                    ++i;
                    continue;
                }
                prev_cr = c == '\r';
                ++line;
                line_start = base + i + 1;
                if (quote_pending) {
                    in_quotes = false;
                    quote_pending = false;
                }
                if (!in_quotes && in_row) {
                    in_row = false;
                    field_start = true;
                    if (header_pending) {
                        header_pending = false;
                        header_end = base + i + 1;
                    }
                }
                ++i;
                continue;
            }
            prev_cr = false;
            if (!in_row) {
                if (blank_spaces && (c == ' ' || c == '\t')) {
                    ++i;
                    continue;
                }
                in_row = true;
                field_start = true;
                if (!header_pending) {
                    index.offsets.push_back(line_start);
                    index.lines.push_back(line);
                }
            }
            if (!quoting) {
                ++i;
                continue;
            }
            if (in_quotes) {
                if (quote_pending) {
                    quote_pending = false;
                    if (c == '"') {
                        ++i;
                        continue;
                    }
                    in_quotes = false;  // the quote closed the field; read c as unquoted
                } else {
                    if (c == '"')
                        quote_pending = true;
                    ++i;
                    continue;
                }
            }
            if (c == static_cast<unsigned char>(separator)) {
                field_start = true;
            } else if (c == '"' && field_start) {
                in_quotes = true;
                field_start = false;
            } else {
                field_start = false;
            }
            ++i;
        }
        // Keep an unfinished UTF-8 sequence for the next read.
        carry = n - stop;
        if (carry > 0)
            std::memmove(buffer.data(), buffer.data() + stop, carry);
        base += stop;
        if (progress && !progress(base, index.file_size)) {
            index.cancelled = true;
            break;
        }
        if (eof && carry == 0)
            break;
        if (eof && carry > 0)  // a truncated sequence at the very end
            throw_encoding(file.get(), path, line, line_start, base, false);
    }
    index.data_end = base;
    if (quoting) {
        if (header_pending && !in_row && index.cancelled == false) {
            throw Error("the file is empty: expected a header line with column names",
                        SourceLocation{path, 1, 1, {}});
        }
        std::uint64_t bom = 0;
        {
            const std::string head =
                read_file_range(file.get(), path, 0, std::min<std::uint64_t>(3, index.data_end));
            if (head == "\xEF\xBB\xBF")
                bom = 3;
        }
        const std::uint64_t end = index.offsets.empty()
                                      ? (header_end > 0 ? header_end : index.data_end)
                                      : index.offsets.front();
        index.header_text = read_file_range(file.get(), path, bom, end);
        const Table header = parse_table(index.header_text, format, path);
        index.columns = header.columns;
    } else if (format == TableFormat::LabelText) {
        index.columns = {"label", "text"};
    }
    return index;
}

Table read_rows(const RowIndex& index, std::size_t first, std::size_t count) {
    Table out;
    if (first >= index.rows() || count == 0) {
        out.source = index.path;
        out.columns = index.columns;
        out.format = index.format;
        return out;
    }
    const std::size_t last = std::min(index.rows(), first + count);
    const std::uint64_t begin = index.offsets[first];
    const std::uint64_t end = last < index.rows() ? index.offsets[last] : index.data_end;
    DataFile file = open_data_file(index.path);
    const std::string bytes = read_file_range(file.get(), index.path, begin, end);
    const bool quoting = index.format == TableFormat::Csv || index.format == TableFormat::Tsv;
    const long header_lines = quoting ? static_cast<long>(line_breaks(index.header_text)) : 0;
    const long first_line = static_cast<long>(index.lines[first]);
    // Line L of the parsed text is line first_line + (L - header_lines - 1) of the file.
    auto file_line = [&](long l) {
        return l > header_lines ? first_line + l - header_lines - 1 : l;
    };
    try {
        // build_row_index validated every byte of the file: not checked a second time.
        out = parse_checked_table(quoting ? index.header_text + bytes : bytes, 0, index.format,
                                  index.path);
    } catch (const Error& e) {
        SourceLocation where = e.where();
        if (where.line > 0)
            where.line = file_line(where.line);
        throw Error(e.message(), where);
    }
    for (long& l : out.row_lines)
        l = file_line(l);
    return out;
}

}  // namespace tb::data
