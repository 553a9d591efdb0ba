// Streaming import of large token-classification files (CoNLL, token JSONL, tagged text): one
// pass builds a sentence-offset index, and previews, jumps and batches then read just the
// sentences they need by offset.
//
// Memory bound (stated contract): building the index holds one read buffer (`buffer_bytes`,
// default 1 MiB, plus the unfinished last line of the previous read, i.e. at most the longest
// line) and 16 bytes per sentence (a 64-bit byte offset and a 64-bit line number; the vectors
// grow by doubling, so up to 32 bytes per sentence as allocated). A file is never loaded whole:
// a 300 MB CoNLL file of 15-token sentences (~14 bytes a line) holds ~1.4 million sentences,
// an index of ~23 MB. read_sentences() holds only the requested sentences' bytes and tokens.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "data/row_index.h"
#include "data/token_readers.h"

namespace tb::data {

// One entry per sentence as the readers split them: CoNLL, a run of token lines between blank
// or `-DOCSTART-` lines; JSONL and tagged text, a non-blank line. Entries whose sentence the
// reader leaves out (a problem, or no tokens) are still indexed: reading them reports the
// problem at its line, as reading the whole file does.
struct SentenceIndex {
    std::string path;
    TokenFormat format = TokenFormat::Auto;  // never Auto once built
    std::uint64_t file_size = 0;
    std::vector<std::uint64_t> offsets;  // byte offset where each sentence's first line starts
    std::vector<std::uint64_t> lines;    // 1-based line of that first line
    std::uint64_t data_end = 0;          // offset just past the last byte read
    bool cancelled = false;              // the callback stopped the pass: the index is partial

    std::size_t sentences() const { return offsets.size(); }
    // Index of the sentence holding file line `line` (the last one starting at or before it);
    // sentences() when the line comes before the first sentence.
    std::size_t sentence_at_line(long line) const;
};

// The format `path` is read as: `format` unless Auto, else detect_token_format on its first
// 64 KiB (as read_token_file does).
TokenFormat resolve_token_format(const std::string& path, TokenFormat format);

// One streaming pass over `path` (format Auto: resolve_token_format). Validates the encoding as
// it goes with the in-memory readers' checks and messages (check_byte_order_mark,
// check_utf8_text: UTF-8 with or without BOM; UTF-16/32 named by their BOM; invalid UTF-8 or a
// NUL byte with byte offset, line and column). `progress` is called after every buffer with the
// bytes read; returning false cancels (the index is then partial and `cancelled` set).
SentenceIndex build_sentence_index(const std::string& path, TokenFormat format = TokenFormat::Auto,
                                   const ImportProgress& progress = {},
                                   std::size_t buffer_bytes = std::size_t{1} << 20);

// Sentences [first, first + count) (clamped to the index), read by offset and parsed with the
// in-memory reader of the index's format (parse_conll, parse_token_jsonl, parse_tagged_text):
// the sentences and problems are those reading the whole file gives for these sentences, with
// the file's own line numbers.
TokenFile read_sentences(const SentenceIndex& index, std::size_t first, std::size_t count,
                         const ConllOptions& conll = {});

// Parses `bytes`, the file's bytes of sentences [first, ...) as read_sentences reads them, and
// moves its lines to the file's. For readers that keep the file open (token_summary.cpp).
TokenFile parse_indexed_sentences(const SentenceIndex& index, std::size_t first,
                                  const std::string& bytes, const ConllOptions& conll);

}  // namespace tb::data
