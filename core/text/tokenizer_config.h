// Reads the BERT-relevant settings of a Hugging Face tokenizer_config.json.
#pragma once

#include <cstdint>
#include <string>

#include "text/basic_tokenizer.h"
#include "text/special_tokens.h"

namespace tb::text {

struct TokenizerConfig {
    BasicTokenizerOptions options;      // do_lower_case, strip_accents, tokenize_chinese_chars
    std::int64_t model_max_length = 0;  // 0 = not stated, or HF's "no limit" placeholder (1e30)
    SpecialTokens special_tokens;       // unk_token, cls_token, sep_token, pad_token, mask_token
};

// Keys that are absent or null keep the values of `base` (by default HF's defaults; a
// tokenizer.json's settings when there is one, which tokenizer_config.json overrides as in
// transformers). Throws tb::Error with the file (and line/column for malformed JSON, the key
// for a wrong type) when the file cannot be used, and for do_basic_tokenize=false or
// do_split_on_punc=false, which this tokenizer does not implement.
TokenizerConfig read_tokenizer_config(const std::string& path, TokenizerConfig base = {});

}  // namespace tb::text
