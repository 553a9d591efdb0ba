// Masked-language-model input corruption: BERT's 15 % selection with 80/10/10 replacement.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace tb::pretrain {

inline constexpr std::int64_t kIgnoreLabel = -100;  // positions the loss skips (as Hugging Face)

struct MaskingOptions {
    double mask_probability = 0.15;   // share of (non-special) tokens that are predicted
    double mask_token_share = 0.8;    // of those: replaced by [MASK]
    double random_token_share = 0.1;  // of those: replaced by a random token; the rest unchanged
    bool whole_word = false;          // select whole words (a token and its "##" continuations)
};

// What masking needs to know about the vocabulary.
struct MaskingVocab {
    std::int64_t mask_id = 4;
    std::int64_t vocab_size = 0;
    std::vector<bool> is_special;       // per id: never selected ([CLS], [SEP], [PAD], ...)
    std::vector<bool> is_continuation;  // per id: a "##" piece (continues the previous word)
};

struct MaskedSequence {
    std::vector<std::int64_t> input_ids;  // corrupted input
    std::vector<std::int64_t> labels;     // original id where selected, kIgnoreLabel elsewhere
};

// Hugging Face's DataCollatorForLanguageModeling: each non-special token is selected with
// probability mask_probability; a selected token becomes [MASK] with probability
// mask_token_share, else a uniformly random vocabulary id with probability
// random_token_share / (1 - mask_token_share), else stays. With whole_word
// (DataCollatorForWholeWordMask): words are visited in random order and taken whole while the
// selected tokens stay within round(mask_probability * tokens) (at least one token), then
// each selected token is replaced as above. Deterministic for a given engine state.
MaskedSequence mask_sequence(const std::vector<std::int64_t>& ids, const MaskingVocab& vocab,
                             const MaskingOptions& options, std::mt19937_64& engine);

}  // namespace tb::pretrain
