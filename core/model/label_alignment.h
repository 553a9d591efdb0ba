// Word-level tags <-> sub-word tokens for token classification (Torch-free).
#pragma once

#include <cstdint>
#include <vector>

namespace tb::model {

// Loss-ignored label, as torch's cross_entropy ignore_index and Hugging Face use it.
constexpr std::int64_t kIgnoreIndex = -100;

// word_ids: for each token of one encoded sequence, the index of the word it came from, or -1
// for special tokens ([CLS], [SEP], padding) — Hugging Face's `word_ids()` with None as -1.
// word_labels: one label id per word of that sequence.
// Returns one label per token, as Hugging Face's token-classification recipe does: the first
// token of each word gets the word's label, special tokens get -100, and the following
// sub-tokens of a word get -100 (or the word's label when label_all_tokens is true).
// "First token of a word" means the word id differs from the previous token's (a special token
// in between counts as a different word id). Words cut off by truncation simply get no token.
// Throws tb::Error if a word id is < -1 or >= word_labels.size().
std::vector<std::int64_t> align_word_labels(const std::vector<int>& word_ids,
                                            const std::vector<std::int64_t>& word_labels,
                                            bool label_all_tokens = false);

// The inverse for predictions: token_predictions[i] is the predicted label of token i (same
// length as word_ids, else tb::Error). Each word takes the prediction of its first token
// (the token that carried its label in training); words with no token (truncated) get
// `missing`. Returns num_words labels. Throws tb::Error if a word id is >= num_words.
std::vector<std::int64_t> word_predictions(const std::vector<int>& word_ids,
                                           const std::vector<std::int64_t>& token_predictions,
                                           std::size_t num_words, std::int64_t missing = -1);

}  // namespace tb::model
