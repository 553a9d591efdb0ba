// BertTokenizer: basic tokenizer + WordPiece + [CLS]/[SEP], truncation, padding, attention mask.
// Produces the same ids as Hugging Face's BertTokenizer for the same vocab and options.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "text/basic_tokenizer.h"
#include "text/special_tokens.h"
#include "text/vocab.h"

namespace tb::text {

struct Encoding {
    std::vector<std::int64_t> input_ids;
    std::vector<std::int64_t> attention_mask;  // 1 for real tokens, 0 for padding
    std::vector<std::int64_t> token_type_ids;  // all 0 for single sentences
};

// Thread-safety: all const members may be called from several threads at once.
class BertTokenizer {
public:
    // Throws tb::Error when the vocabulary lacks the unk, cls, sep or pad token.
    BertTokenizer(Vocab vocab, BasicTokenizerOptions options);
    BertTokenizer(Vocab vocab, BasicTokenizerOptions options, SpecialTokens special_tokens);
    // Reads vocab.txt (or, when the folder has none, a WordPiece tokenizer.json) and, when
    // present, tokenizer_config.json (do_lower_case, strip_accents, tokenize_chinese_chars,
    // model_max_length, *_token names), whose settings win. Throws tb::Error naming the
    // missing or unusable file.
    static BertTokenizer from_model_dir(const std::string& dir);
    // The same tokenizer (vocabulary, special tokens, model_max_length) with other options.
    BertTokenizer with_options(const BasicTokenizerOptions& options) const;

    // Word pieces without [CLS]/[SEP]. Special tokens written in the text (e.g. "[MASK]",
    // matched exactly, case-sensitive) stay whole, as in Hugging Face's tokenizers.
    std::vector<std::string> tokenize(const std::string& text) const;
    // [CLS] pieces [SEP], truncated to max_length (pieces cut, [SEP] kept), padded with [PAD]
    // to max_length when pad_to_max is true. Throws tb::Error when max_length < 2.
    Encoding encode(const std::string& text, std::size_t max_length, bool pad_to_max = false) const;
    // encode() for every text, results in input order and identical to sequential encode().
    // Large batches are split into contiguous chunks encoded on std::threads; num_threads 0
    // picks min(hardware threads, one per 64 texts).
    std::vector<Encoding> encode_batch(const std::vector<std::string>& texts,
                                       std::size_t max_length, bool pad_to_max = false,
                                       std::size_t num_threads = 0) const;

    const Vocab& vocab() const { return vocab_; }
    const BasicTokenizerOptions& options() const { return options_; }
    std::int64_t model_max_length() const { return model_max_length_; }  // 0 = unknown
    std::int64_t pad_id() const { return pad_id_; }
    const SpecialTokens& special_tokens() const { return special_tokens_; }

private:
    void append_ids(const std::string& text, std::vector<std::int64_t>& ids) const;

    Vocab vocab_;
    BasicTokenizerOptions options_;
    SpecialTokens special_tokens_;
    std::vector<std::string> split_tokens_;  // special tokens present in vocab_, longest first
    std::int64_t cls_id_ = -1, sep_id_ = -1, pad_id_ = 0, unk_id_ = -1;
    std::int64_t model_max_length_ = 0;
};

// Builds a WordPiece vocabulary from raw texts for a model trained from scratch: specials
// ([PAD] [UNK] [CLS] [SEP] [MASK]), every character seen (plain and "##", most frequent first),
// then the whole basic tokens of two or more characters seen at least `min_frequency` times,
// most frequent first; the list is cut at `max_size` (so a tiny max_size may drop rare
// characters). Deterministic: ties are broken by token string (bytewise). Throws tb::Error when
// max_size < 5.
Vocab build_vocab(const std::vector<std::string>& texts, const BasicTokenizerOptions& options,
                  std::size_t max_size, std::size_t min_frequency = 2);

}  // namespace tb::text
