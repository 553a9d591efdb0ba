// Reads a BERT-family (WordPiece) Hugging Face tokenizer.json: vocabulary and settings.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "text/added_tokens.h"
#include "text/tokenizer_config.h"
#include "text/vocab.h"

namespace tb::text {

struct TokenizerJson {
    Vocab vocab;             // model.vocab (+ added_tokens outside it), ids as in the file
    TokenizerConfig config;  // normalizer options, special token names, truncation length
    std::vector<AddedToken> added_tokens;  // every entry of "added_tokens"
};

// The "added_tokens" array of a tokenizer.json document (empty when absent). Throws tb::Error
// naming `path` for entries without a string content or an integer id.
std::vector<AddedToken> read_added_tokens(const nlohmann::json& doc, const std::string& path);

// Accepts what BERT-family models ship: model WordPiece ("##" prefix, 100 characters per word),
// normalizer BertNormalizer with clean_text, pre_tokenizer BertPreTokenizer, post_processor
// BertProcessing or TemplateProcessing ([CLS] $A [SEP]). Anything else (BPE or Unigram
// models, other normalizers) throws tb::Error naming the file and the key, since tokenizing
// with BERT rules would silently produce other ids than the model was trained with.
TokenizerJson read_tokenizer_json(const std::string& path);

}  // namespace tb::text
