// What a tokenizer returns for one text (or text pair) and the options that shape it.
#pragma once

#include <cstdint>
#include <vector>

namespace tb::text {

// A token's span in its input text: [begin, end). Special tokens added by the template and
// padding get (0, 0). Tokens of the second text of a pair point into the second text.
struct TokenSpan {
    std::int64_t begin = 0;
    std::int64_t end = 0;
    bool operator==(const TokenSpan& o) const { return begin == o.begin && end == o.end; }
    bool operator!=(const TokenSpan& o) const { return !(*this == o); }
};

// The unit of TokenSpan. CodePoints (Unicode scalar values) is the default because it is what
// Hugging Face's tokenizers return through their Node and Python bindings (offsets_type Char),
// so fixtures and user expectations carry over. Utf16 serves Qt's QString (and JavaScript)
// directly: an emoji outside the BMP counts 2 there and 1 in code points. Bytes index the
// UTF-8 input.
enum class OffsetUnit { CodePoints, Utf16, Bytes };

// How a pair is cut down to max_length (Hugging Face's TruncationStrategy, same results).
enum class TruncationStrategy { LongestFirst, OnlyFirst, OnlySecond };

// ToMaxLength pads every encoding to max_length; ToLongest (encode_batch only; alone it is
// None) pads to the longest encoding of the batch.
enum class Padding { None, ToMaxLength, ToLongest };

struct EncodeOptions {
    std::size_t max_length = 0;  // 0: no truncation. Counts the special tokens.
    TruncationStrategy truncation = TruncationStrategy::LongestFirst;
    Padding padding = Padding::None;
    bool add_special_tokens = true;  // false: no [CLS]/[SEP] (or <s>/</s>) framing
    OffsetUnit offset_unit = OffsetUnit::CodePoints;
};

// Parallel vectors, one entry per token. The first three are what a model takes.
struct Encoding {
    std::vector<std::int64_t> input_ids;
    std::vector<std::int64_t> attention_mask;  // 1 for real tokens, 0 for padding
    std::vector<std::int64_t> token_type_ids;  // 0 for the first text, 1 for BERT's second
    std::vector<TokenSpan> offsets;            // see TokenSpan and OffsetUnit
    // The word each token came from, -1 for template specials and padding. A word is a piece
    // of the pre-tokenizer (BERT: whitespace/punctuation split; byte-level BPE: the GPT-2
    // pattern's matches) or, for encode_words, the index of the given word. Numbering restarts
    // at 0 for the second text of a pair. Used to label only the first sub-token of a word.
    std::vector<std::int64_t> word_ids;
    // 0 or 1: which text of a pair the token came from; -1 for template specials and padding.
    std::vector<std::int64_t> sequence_ids;
};

}  // namespace tb::text
