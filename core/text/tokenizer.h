// The tokenizer interface of tunebench: text -> ids, with offsets and word ids, for every
// tokenizer family (WordPiece/BERT, byte-level BPE/RoBERTa/GPT-2). load_tokenizer picks one.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "text/added_tokens.h"
#include "text/encoding.h"
#include "text/post_processor.h"

namespace tb::text {

// Tokens of one text before truncation and framing: parallel vectors, spans in bytes of the
// text. Implementations append to it; the buffer is reused between texts.
struct TokenBuffer {
    std::vector<std::int64_t> ids;
    std::vector<TokenSpan> spans;
    std::vector<std::int64_t> word_ids;
    // Only when the post-processor trims offsets: the whitespace the token's text starts and
    // ends with, packed by pack_trim (counts in characters and in bytes).
    std::vector<std::uint32_t> trims;
    void clear() {
        ids.clear();
        spans.clear();
        word_ids.clear();
        trims.clear();
    }
    std::size_t size() const { return ids.size(); }
};

// Results equal Hugging Face's tokenizers (Rust, the engine behind transformers' fast
// tokenizers) for the same files: ids, type ids, attention mask, offsets (in code points by
// default, see OffsetUnit) and word ids; the parity test checks this on a mixed corpus.
// Input is UTF-8; invalid bytes never throw.
// Thread-safety: all const members may be called from several threads at once.
class Tokenizer {
public:
    virtual ~Tokenizer() = default;

    // "WordPiece" or "BPE".
    virtual std::string kind() const = 0;

    // One text: template specials (unless !add_special_tokens), truncation to max_length
    // (special tokens kept), padding. Throws tb::Error when max_length is non-zero but
    // shorter than the special tokens.
    Encoding encode(std::string_view text, const EncodeOptions& options = {}) const;
    // A pair (sentence-pair tasks): BERT [CLS] A [SEP] B [SEP] with type ids 0/1; RoBERTa
    // <s> A </s></s> B </s>. Truncation as options.truncation says; throws tb::Error when the
    // strategy cannot reach max_length (OnlyFirst/OnlySecond with that text too short).
    Encoding encode_pair(std::string_view first, std::string_view second,
                         const EncodeOptions& options = {}) const;
    // Already split words (CoNLL-style NER): each word is tokenized on its own, word_ids give
    // the word's index, offsets are relative to the word itself (Hugging Face's
    // is_split_into_words). A byte-level BPE tokenizer with add_prefix_space puts a space in
    // front of every word; without it, words are tokenized as if glued together.
    Encoding encode_words(const std::vector<std::string>& words,
                          const EncodeOptions& options = {}) const;

    // encode()/encode_pair() for every input, in input order and identical to sequential calls
    // (Padding::ToLongest pads to the longest of the batch). Large batches are split into
    // contiguous chunks on std::threads; num_threads 0 picks min(hardware threads, one per 64
    // texts). The first error in input order is rethrown.
    std::vector<Encoding> encode_batch(const std::vector<std::string>& texts,
                                       const EncodeOptions& options = {},
                                       std::size_t num_threads = 0) const;
    std::vector<Encoding> encode_pair_batch(
        const std::vector<std::pair<std::string, std::string>>& pairs,
        const EncodeOptions& options = {}, std::size_t num_threads = 0) const;

    // The token strings of `text` without specials (vocabulary spelling: "##ing", "Ġthe").
    std::vector<std::string> tokenize(std::string_view text) const;

    virtual std::int64_t vocab_size() const = 0;                         // including added tokens
    virtual std::int64_t token_to_id(std::string_view token) const = 0;  // -1 if absent
    // Throws std::out_of_range for an id outside [0, vocab_size()).
    virtual std::string id_to_token(std::int64_t id) const = 0;

    // -1 where the tokenizer has no such token (GPT-2 has no pad, cls, sep or mask).
    std::int64_t pad_id() const { return pad_id_; }
    std::int64_t unk_id() const { return unk_id_; }
    std::int64_t cls_id() const { return cls_id_; }
    std::int64_t sep_id() const { return sep_id_; }
    std::int64_t mask_id() const { return mask_id_; }
    std::int64_t model_max_length() const { return model_max_length_; }  // 0 = unknown
    const AddedTokens& added_tokens() const { return added_; }
    const PostProcessor& post_processor() const { return post_; }

protected:
    // Appends the tokens of text[begin, end), a piece without added tokens, with spans in
    // bytes of `text` and word ids counted from `next_word` (advanced past the words used).
    virtual void encode_segment(std::string_view text, std::size_t begin, std::size_t end,
                                TokenBuffer& out, std::int64_t& next_word) const = 0;
    // For TokenBuffer::trims: leading and trailing whitespace, in characters and in bytes.
    static std::uint32_t pack_trim(std::size_t lead_chars, std::size_t trail_chars,
                                   std::size_t lead_bytes, std::size_t trail_bytes);

    AddedTokens added_;
    PostProcessor post_;
    std::int64_t pad_id_ = -1, unk_id_ = -1, cls_id_ = -1, sep_id_ = -1, mask_id_ = -1;
    std::int64_t model_max_length_ = 0;

private:
    void encode_text(std::string_view text, TokenBuffer& out) const;
    Encoding finish(std::string_view first, TokenBuffer& a, std::string_view second, TokenBuffer* b,
                    const EncodeOptions& options, bool spans_converted) const;
};

// Reads the tokenizer of a Hugging Face model folder: tokenizer.json when present (model
// WordPiece or BPE), else vocab.txt (+ tokenizer_config.json) for BERT, else vocab.json +
// merges.txt (+ tokenizer_config.json) for RoBERTa / GPT-2 byte-level BPE. Throws tb::Error
// naming the file for what is not supported (SentencePiece / Unigram models, other
// pre-tokenizers) and, when nothing is found, saying which files to put there.
std::unique_ptr<Tokenizer> load_tokenizer(const std::string& model_dir);

}  // namespace tb::text
