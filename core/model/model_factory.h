// Creates a randomly initialised BERT model folder in Hugging Face layout (demo and tests).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/bert_config.h"

namespace tb::model {

// Writes config.json, vocab.txt (vocab_tokens, one per line, in id order), tokenizer_config.json
// (do_lower_case = lowercase, model_max_length = max_position_embeddings) and model.safetensors
// (BertModel weights under HF names, init_bert_weights(config.initializer_range) after
// torch::manual_seed(seed), so the global Torch RNG is reseeded). The weights are random, not
// pretrained. The files are written into a temporary sibling folder which is then renamed to
// `dir`, so `dir` either appears complete or not at all.
// Throws tb::Error if `dir` exists and is not empty (nothing is overwritten), if
// vocab_tokens.size() != config.vocab_size, if a token is empty, repeated or holds a line
// break, or if [PAD] (at pad_token_id), [UNK], [CLS] or [SEP] is absent.
void create_random_bert_folder(const std::string& dir, const BertConfig& config,
                               const std::vector<std::string>& vocab_tokens, std::uint64_t seed,
                               bool lowercase);

}  // namespace tb::model
