// One-pass sentence indexer for token files. The file is read in blocks cut after a line break,
// so every block starts at a line start: the in-memory encoding check runs on each block with
// the block's file offset and line, and lines are classified with the readers' own rules.
#include "data/sentence_index.h"

#include <algorithm>
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

bool blank_line(const char* p, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        if (p[i] != ' ' && p[i] != '\t')
            return false;
    }
    return true;
}

// Length of the prefix of `buffer` that ends with a complete line break. A CR as the last byte
// may be the first half of a CRLF, so it is left for the next read unless the file ends.
std::size_t complete_lines(const std::string& buffer, bool eof) {
    if (eof)
        return buffer.size();
    for (std::size_t i = buffer.size(); i > 0; --i) {
        const char c = buffer[i - 1];
        if (c == '\n')
            return i;
        if (c == '\r' && i < buffer.size())
            return i;  // a lone CR (the next byte is not LF, or this loop would have stopped)
    }
    return 0;
}

}  // namespace

std::size_t SentenceIndex::sentence_at_line(long line) const {
    const auto it = std::upper_bound(lines.begin(), lines.end(),
                                     static_cast<std::uint64_t>(std::max(0L, line)));
    return it == lines.begin() ? sentences() : static_cast<std::size_t>(it - lines.begin()) - 1;
}

TokenFormat resolve_token_format(const std::string& path, TokenFormat format) {
    if (format != TokenFormat::Auto)
        return format;
    return detect_token_format(read_text_file(path, 64 * 1024), path);
}

SentenceIndex build_sentence_index(const std::string& path, TokenFormat format,
                                   const ImportProgress& progress, std::size_t buffer_bytes) {
    DataFile file = open_data_file(path);
    SentenceIndex index;
    index.path = path;
    index.format = resolve_token_format(path, format);
    std::error_code ec;
    index.file_size = std::filesystem::file_size(path, ec);
    if (ec)
        index.file_size = 0;
    const bool conll = index.format == TokenFormat::Conll;

    buffer_bytes = std::max<std::size_t>(buffer_bytes, 16);
    std::string buffer;        // [carried unfinished line][new bytes]
    std::uint64_t base = 0;    // file offset of buffer[0]
    long line = 1;             // file line of buffer[0]
    bool in_sentence = false;  // CoNLL: inside a run of token lines
    bool first = true;
    for (;;) {
        const std::size_t carry = buffer.size();
        buffer.resize(carry + buffer_bytes);
        const std::size_t got = std::fread(&buffer[carry], 1, buffer_bytes, file.get());
        buffer.resize(carry + got);
        if (got < buffer_bytes && std::ferror(file.get()))
            throw Error("error while reading the file", SourceLocation{path, 0, 0, {}});
        const bool eof = got < buffer_bytes;
        std::size_t start = 0;
        if (first) {
            first = false;
            start = check_byte_order_mark(buffer, path);
        }
        const std::size_t cut = complete_lines(buffer, eof);
        if (cut > 0) {
            const std::string block(buffer, 0, cut);
            check_utf8_text(block, start, base, line, path);
            std::size_t pos = start;
            while (pos < cut) {
                std::size_t end = pos;
                while (end < cut && block[end] != '\n' && block[end] != '\r')
                    ++end;
                const char* text = block.data() + pos;
                const std::size_t length = end - pos;
                bool starts = false;
                if (conll) {
                    const bool token = conll_line_kind(text, length) == ConllLineKind::Token;
                    starts = token && !in_sentence;
                    in_sentence = token;
                } else {
                    starts = !blank_line(text, length);
                }
                if (starts) {
                    index.offsets.push_back(base + pos);
                    index.lines.push_back(static_cast<std::uint64_t>(line));
                }
                if (end < cut && block[end] == '\r' && end + 1 < cut && block[end + 1] == '\n')
                    ++end;
                pos = end + 1;
                ++line;
            }
            buffer.erase(0, cut);
            base += cut;
        }
        if (progress && !progress(base, index.file_size)) {
            index.cancelled = true;
            break;
        }
        if (eof)
            break;
    }
    index.data_end = base;
    return index;
}

TokenFile parse_indexed_sentences(const SentenceIndex& index, std::size_t first,
                                  const std::string& bytes, const ConllOptions& conll) {
    TokenFile file;
    switch (index.format) {
        case TokenFormat::Jsonl:
            file = parse_token_jsonl(bytes, 0, index.path);
            break;
        case TokenFormat::Tagged:
            file = parse_tagged_text(bytes, 0, index.path);
            break;
        default:
            file = parse_conll(bytes, 0, conll, index.path);
            break;
    }
    // Line 1 of `bytes` is the first sentence's line in the file.
    const long shift = first < index.sentences() ? static_cast<long>(index.lines[first]) - 1 : 0;
    for (RawTokenSentence& s : file.sentences) {
        for (long& l : s.lines)
            l += shift;
    }
    for (DataProblem& p : file.problems) {
        if (p.line > 0)
            p.line += shift;
    }
    return file;
}

TokenFile read_sentences(const SentenceIndex& index, std::size_t first, std::size_t count,
                         const ConllOptions& conll) {
    if (first >= index.sentences() || count == 0) {
        TokenFile empty;
        empty.source = index.path;
        empty.format = index.format;
        return empty;
    }
    const std::size_t last = std::min(index.sentences(), first + count);
    const std::uint64_t begin = index.offsets[first];
    const std::uint64_t end = last < index.sentences() ? index.offsets[last] : index.data_end;
    DataFile file = open_data_file(index.path);
    const std::string bytes = read_file_range(file.get(), index.path, begin, end);
    return parse_indexed_sentences(index, first, bytes, conll);
}

}  // namespace tb::data
