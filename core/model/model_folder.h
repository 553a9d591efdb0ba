// Inspects a Hugging Face model folder before anything is loaded: what is there, what it is.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/bert_config.h"

namespace tb::model {

struct ModelFolderInfo {
    std::string path;
    std::string config_path, weights_path, vocab_path;
    BertConfig config;
    std::int64_t parameter_count = 0;      // from the safetensors header (all tensors)
    std::int64_t weights_bytes = 0;
    std::vector<std::string> notes;        // human-readable remarks (e.g. "no tokenizer_config.json: lowercase assumed")
};

// Throws tb::Error with an actionable message: folder missing; config.json missing;
// only pytorch_model.bin present (refused: pickle can execute code; convert to safetensors);
// model.safetensors missing; vocab.txt missing.
ModelFolderInfo inspect_model_folder(const std::string& dir);

}  // namespace tb::model
