// Inspects a Hugging Face model folder before anything is loaded: what is there, what it is.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/bert_config.h"

namespace tb::model {

// Safetensors metadata key written by create_random_bert_folder: its weights are not pretrained.
inline constexpr const char* kRandomInitMetadataKey = "tunebench_random_init";

struct ModelFolderInfo {
    std::string path;  // the folder holding config.json (a hub-cache snapshot once resolved)
    std::string config_path, weights_path, vocab_path;
    // Every safetensors file to load, in order: {weights_path} for a single file, the shards
    // named by the index for a sharded model (then weights_path is the index file).
    std::vector<std::string> weight_files;
    std::string tokenizer_json_path;           // empty if absent
    std::string tokenizer_config_path;         // empty if absent
    std::string vocab_json_path, merges_path;  // byte-level BPE (RoBERTa); empty if absent
    std::string sentencepiece_path;            // sentencepiece.bpe.model (XLM-R); empty if absent
    bool do_lower_case = true;                 // from tokenizer_config.json; true when not stated
    std::int64_t model_max_length = 0;         // from tokenizer_config.json; 0 when not stated
    BertConfig config;                 // any supported encoder family (see encoder_config.h)
    std::int64_t parameter_count = 0;  // from the safetensors header (all tensors)
    std::int64_t weights_bytes = 0;    // total size of the weight files
    std::vector<std::string>
        notes;  // human-readable remarks (e.g. "no tokenizer_config.json: lowercase assumed")
};

// Accepts a model folder or a hub-cache repository folder (models--org--name, resolved to the
// snapshot refs/main points at). Throws tb::Error with an actionable message: folder missing;
// config.json missing or not a supported encoder (load_encoder_config); only pytorch_model.bin (or
// TF/Flax weights) present (refused: pickle can execute code; convert to safetensors);
// model.safetensors missing; no tokenizer files (vocab.txt, tokenizer.json, vocab.json + merges.txt
// or sentencepiece.bpe.model); a weight file with a bad header.
ModelFolderInfo inspect_model_folder(const std::string& dir);

}  // namespace tb::model
