// Text models trained from scratch (model.architecture: bilstm): the vocabulary built from the
// training split, the tokenizer rebuilt from a checkpoint's vocabulary, and the model.
//
// Design: the BiLSTM is a RunModel of its own rather than a TextEncoder under the existing
// task heads, because TextEncoder is shaped around a BERT config (positions, layers, pooler)
// that an LSTM lacks; its vocabulary travels as the tokenizer's vocabulary, which every
// checkpoint already stores (/tokenizer/vocab) and which a resume already compares.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/experiment_config.h"
#include "text/word_level_tokenizer.h"
#include "train/prepared_data.h"

namespace tb::train {

class RunModel;

// model.architecture names a text model trained from scratch (the run has no model folder):
// bilstm (word-level vocabulary) or bilstm_char (one unit per character, e.g. Chinese).
bool is_scratch_text_model(const io::ExperimentConfig& config);

// The BiLSTM's sizes and vocabulary limits come from the experiment (model.embedding_dim,
// lstm_hidden_size, lstm_layers, vocab_min_count, vocab_max_size), as do the vocabulary level
// (architecture), pooling (model.pooling: auto / mean or attention), dropout
// (model.classifier_dropout), max_length and lowercase.

// The word/char tokenizer over `vocabulary` (the checkpoint's /tokenizer/vocab), with the
// architecture's vocabulary level and model.lowercase (auto = lowercase).
std::unique_ptr<text::WordLevelTokenizer> scratch_tokenizer(const io::ExperimentConfig& config,
                                                            std::vector<std::string> vocabulary);

struct ScratchTextData {
    PreparedData data;
    std::unique_ptr<text::WordLevelTokenizer> tokenizer;
};

// prepare_data with a vocabulary built from the TRAINING split only (model.vocab_min_count,
// model.vocab_max_size; deterministic): the data is read once with a growing tokenizer, training
// units are counted, and every split's ids are mapped onto the final vocabulary, the same ids
// the final tokenizer gives (dev/test units absent from training become [UNK]).
ScratchTextData prepare_scratch_text_data(const io::ExperimentConfig& config, const LogFn& log);

// The BiLSTM classifier for `vocab_size` units and `num_classes` labels, randomly initialised
// from the global Torch generator, on the CPU in train mode.
std::shared_ptr<RunModel> build_bilstm_run_model(const io::ExperimentConfig& config,
                                                 std::int64_t vocab_size, std::int64_t num_classes);

}  // namespace tb::train
