// The names of BERT's special tokens (tokenizer_config.json may rename them).
#pragma once

#include <string>

namespace tb::text {

struct SpecialTokens {
    std::string unk = "[UNK]";
    std::string cls = "[CLS]";
    std::string sep = "[SEP]";
    std::string pad = "[PAD]";
    std::string mask = "[MASK]";  // optional in the vocabulary (only fill-mask models need it)
};

}  // namespace tb::text
