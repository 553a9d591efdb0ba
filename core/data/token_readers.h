// Readers for token-classification files: CoNLL columns, JSON Lines with `tokens`/`tags` arrays,
// and NLTK-style tagged text (`word/TAG word/TAG ...`, e.g. the Brown corpus).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "data/text_dataset.h"

namespace tb::data {

enum class TokenFormat { Auto, Conll, Jsonl, Tagged };
// "auto", "conll", "jsonl", "tagged"; throws tb::Error otherwise.
TokenFormat token_format_from_name(const std::string& name);
std::string token_format_name(TokenFormat format);
// By extension (.conll/.conllu/.bio/.iob/.txt-with-columns => conll, .jsonl => jsonl), then by
// content: a first non-blank line starting with '{' => jsonl; one whose whitespace-separated
// items all look like word/TAG => tagged; else conll.
TokenFormat detect_token_format(const std::string& content, const std::string& path);

// One sentence as read: tokens and their tag strings, and where each tag is in the file.
struct RawTokenSentence {
    std::vector<std::string> tokens;
    std::vector<std::string> tags;
    std::vector<long> lines;    // 1-based line of each token
    std::vector<long> columns;  // 1-based character column of each tag (0 when unknown)
};

struct TokenFile {
    std::string source;
    TokenFormat format = TokenFormat::Auto;
    std::vector<RawTokenSentence> sentences;  // sentences without problems
    std::vector<DataProblem> problems;        // sentences left out, and why
};

struct ConllOptions {
    int token_column = 1;  // 1-based
    int tag_column = 0;    // 1-based; 0 = the last column of each line
};

// CoNLL: one token per line, columns separated by tabs (a line with a tab) or else by runs of
// spaces, a blank line between sentences, `-DOCSTART-` lines skipped (they end a sentence).
// A line without the token or tag column, or with a different number of columns than the first
// line of its sentence, is reported ("missing_column" / "ragged_line", with line and column) and
// its sentence left out. Content must be encoding-checked text; `start` skips a BOM.
TokenFile parse_conll(const std::string& content, std::size_t start, const ConllOptions& options,
                      const std::string& source);

// What a CoNLL line is to the reader: blank (only spaces/tabs: ends a sentence), a `-DOCSTART-`
// line (its first column; ends a sentence, skipped) or a token line. `text` is the line without
// its line break. Shared by parse_conll and the streaming sentence index so both split sentences
// the same way.
enum class ConllLineKind { Blank, DocStart, Token };
ConllLineKind conll_line_kind(const char* text, std::size_t length);

// JSONL: one object per line with arrays of strings under `tokens_key` and `tags_key` of the same
// length. Invalid JSON, missing keys, non-string items and length mismatches are problems.
TokenFile parse_token_jsonl(const std::string& content, std::size_t start,
                            const std::string& source, const std::string& tokens_key = "tokens",
                            const std::string& tags_key = "tags");

// Tagged text: every non-blank line is one sentence of whitespace-separated `word/TAG` items,
// split at the last '/' (so "1/2/cd" is the word "1/2"). An item without '/' or with an empty
// word or tag is a problem ("untagged_token") and its sentence is left out.
TokenFile parse_tagged_text(const std::string& content, std::size_t start,
                            const std::string& source);

// Reads, encoding-checks (tb::Error as for tables) and parses `path` in `format` (Auto:
// detect_token_format).
TokenFile read_token_file(const std::string& path, TokenFormat format = TokenFormat::Auto,
                          const ConllOptions& conll = {});
TokenFile parse_token_file(const std::string& content, TokenFormat format,
                           const std::string& source, const ConllOptions& conll = {});

}  // namespace tb::data
