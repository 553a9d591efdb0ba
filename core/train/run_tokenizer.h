// The tokenizer a run uses: the model folder's own (text::load_tokenizer) with the experiment's
// model.lowercase override. One function for training, dry runs and inference. Torch-free.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "io/experiment_config.h"
#include "text/tokenizer.h"

namespace tb::train {

// load_tokenizer(model_dir), then model.lowercase (when not auto) replaces the folder's
// do_lower_case for WordPiece tokenizers. Byte-level BPE tokenizers (RoBERTa) are
// case-sensitive by design and keep their behaviour. Throws tb::Error as load_tokenizer does.
std::unique_ptr<text::Tokenizer> load_run_tokenizer(const io::ExperimentConfig& config,
                                                    const std::string& model_dir);

// Every token string in id order (0 .. vocab_size-1): what a checkpoint stores under
// /tokenizer/vocab so a run can check it is given the vocabulary it was trained with.
std::vector<std::string> tokenizer_vocabulary(const text::Tokenizer& tokenizer);

}  // namespace tb::train
