// BERT's basic tokenizer (Hugging Face BasicTokenizer semantics): clean control characters and
// whitespace, put spaces around CJK ideographs, optional lowercasing + accent stripping (NFD,
// drop Mn), split on whitespace and on punctuation (Unicode P* plus ASCII symbol ranges).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "text/encoding.h"

namespace tb::text {

struct BasicTokenizerOptions {
    bool lowercase = true;
    int strip_accents = -1;  // -1: follow `lowercase` (HF default); 0: keep; 1: strip
    bool tokenize_chinese_chars = true;
};

// Input must be UTF-8; invalid bytes are replaced by U+FFFD rather than throwing.
std::vector<std::string> basic_tokenize(const std::string& text,
                                        const BasicTokenizerOptions& options);

// The same tokens, in order, handed to `emit` one at a time (the string is valid only during
// the call), so that encoders need not build the vector.
void for_each_basic_token(const std::string& text, const BasicTokenizerOptions& options,
                          const std::function<void(const std::string&)>& emit);

// The basic tokens of text[begin, end) with, for each code point of the token, the byte span
// in `text` of the input character it came from (a lowercased or accent-stripped character
// keeps its source's span; Hugging Face's alignments). Both arguments are valid only during
// the call.
using BasicWordEmit =
    std::function<void(const std::string& word, const std::vector<TokenSpan>& spans)>;
void for_each_basic_word(std::string_view text, std::size_t begin, std::size_t end,
                         const BasicTokenizerOptions& options, const BasicWordEmit& emit);

}  // namespace tb::text
