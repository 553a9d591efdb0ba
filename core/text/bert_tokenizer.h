// BertTokenizer: basic tokenizer + WordPiece + [CLS]/[SEP], truncation, padding, attention mask.
// Produces the same ids as Hugging Face's BertTokenizer for the same vocab and options.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "text/basic_tokenizer.h"
#include "text/vocab.h"

namespace tb::text {

struct Encoding {
    std::vector<std::int64_t> input_ids;
    std::vector<std::int64_t> attention_mask;  // 1 for real tokens, 0 for padding
    std::vector<std::int64_t> token_type_ids;  // all 0 for single sentences
};

class BertTokenizer {
public:
    BertTokenizer(Vocab vocab, BasicTokenizerOptions options);
    // Reads vocab.txt and, when present, tokenizer_config.json (do_lower_case, strip_accents,
    // tokenize_chinese_chars, model_max_length). Throws tb::Error naming the missing file.
    static BertTokenizer from_model_dir(const std::string& dir);

    std::vector<std::string> tokenize(const std::string& text) const;  // word pieces, no specials
    // [CLS] pieces [SEP], truncated to max_length (pieces cut, [SEP] kept), padded with [PAD]
    // to max_length when pad_to_max is true.
    Encoding encode(const std::string& text, std::size_t max_length, bool pad_to_max = false) const;

    const Vocab& vocab() const { return vocab_; }
    const BasicTokenizerOptions& options() const { return options_; }
    std::int64_t model_max_length() const { return model_max_length_; }  // 0 = unknown
    std::int64_t pad_id() const { return pad_id_; }

private:
    Vocab vocab_;
    BasicTokenizerOptions options_;
    std::int64_t cls_id_ = -1, sep_id_ = -1, pad_id_ = 0, unk_id_ = -1;
    std::int64_t model_max_length_ = 0;
};

// Builds a WordPiece vocabulary from raw texts for a model trained from scratch: specials
// ([PAD] [UNK] [CLS] [SEP] [MASK]), every character seen (plain and "##"), then the most frequent
// whole basic tokens up to `max_size`. Deterministic (ties by token string).
Vocab build_vocab(const std::vector<std::string>& texts, const BasicTokenizerOptions& options,
                  std::size_t max_size, std::size_t min_frequency = 2);

}  // namespace tb::text
