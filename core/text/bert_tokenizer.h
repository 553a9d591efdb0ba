// BertTokenizer: basic tokenizer + WordPiece + [CLS]/[SEP], truncation, padding, attention mask.
// Produces the same ids as Hugging Face's BertTokenizer for the same vocab and options.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "text/basic_tokenizer.h"
#include "text/special_tokens.h"
#include "text/tokenizer.h"
#include "text/vocab.h"

namespace tb::text {

// The tb::text::Tokenizer for BERT-family (WordPiece) models; the encode/encode_batch
// overloads with (max_length, pad_to_max) are the original interface, kept for its callers.
// Thread-safety: all const members may be called from several threads at once.
class BertTokenizer : public Tokenizer {
public:
    // Throws tb::Error when the vocabulary lacks the unk, cls, sep or pad token.
    BertTokenizer(Vocab vocab, BasicTokenizerOptions options);
    BertTokenizer(Vocab vocab, BasicTokenizerOptions options, SpecialTokens special_tokens);
    // Reads vocab.txt (or, when the folder has none, a WordPiece tokenizer.json) and, when
    // present, tokenizer_config.json (do_lower_case, strip_accents, tokenize_chinese_chars,
    // model_max_length, *_token names), whose settings win. Throws tb::Error naming the
    // missing or unusable file.
    static BertTokenizer from_model_dir(const std::string& dir);
    // The folder's tokenizer.json (vocabulary, normalizer options, added tokens), with
    // tokenizer_config.json over it when present; what load_tokenizer uses.
    static BertTokenizer from_tokenizer_json(const std::string& dir);
    // The same tokenizer (vocabulary, special tokens, model_max_length) with other options.
    BertTokenizer with_options(const BasicTokenizerOptions& options) const;

    using Tokenizer::encode;
    using Tokenizer::encode_batch;

    // Word pieces without [CLS]/[SEP] (Tokenizer::tokenize). Special tokens written in the
    // text (e.g. "[MASK]", matched exactly, case-sensitive) stay whole, as in Hugging Face's
    // tokenizers.
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
    const SpecialTokens& special_tokens() const { return special_tokens_; }

    std::string kind() const override { return "WordPiece"; }
    std::int64_t vocab_size() const override { return vocab_.size(); }
    std::int64_t token_to_id(std::string_view token) const override {
        return vocab_.id(std::string(token));
    }
    std::string id_to_token(std::int64_t id) const override { return vocab_.token(id); }

    // Further added tokens (tokenizer.json's added_tokens), matched in the raw text like the
    // special tokens; ids must lie inside the vocabulary.
    void add_tokens(const std::vector<AddedToken>& tokens);
    void set_model_max_length(std::int64_t length) { model_max_length_ = length; }

protected:
    void encode_segment(std::string_view text, std::size_t begin, std::size_t end, TokenBuffer& out,
                        std::int64_t& next_word) const override;

private:
    Vocab vocab_;
    BasicTokenizerOptions options_;
    SpecialTokens special_tokens_;
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
