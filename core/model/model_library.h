// The model library: finds Hugging Face model folders in configured folders and the local hub
// cache and describes each one from its files (config.json, safetensors headers), without
// loading weights. Torch-free, so the GUI and CLI can list models cheaply.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tb::model {

struct ModelLibraryEntry {
    std::string path;           // the folder holding config.json (for the hub cache: the snapshot)
    std::string source;         // "folder" or "hub-cache"
    std::string repo_id;        // "org/name" for hub-cache entries, else empty
    std::string model_type;     // config.json model_type (as written; may be empty)
    std::string architecture;   // first entry of config.json architectures, else empty
    std::string family;         // "BERT", "RoBERTa", "DistilBERT", "ELECTRA"; image folders:
                                // the architecture's display name ("ResNet-18"); empty if unknown
    std::string kind = "text";  // "text" (Hugging Face folder) or "image" (image model folder)
    // Where the weights come from: "Hugging Face safetensors", "torchvision safetensors",
    // "tunebench safetensors", "TorchScript" or "fasttext" (a folder holding a .ftz/.bin).
    std::string source_format;
    std::int64_t feature_size = 0;     // image backbones: pooled feature size (0: probed at load)
    std::int64_t parameter_count = 0;  // every tensor in the safetensors headers
    std::int64_t vocab_size = 0, max_positions = 0, hidden_size = 0, layers = 0;
    std::int64_t labels = 0;                   // fastText classifiers: number of labels
    std::int64_t disk_bytes = 0;               // all files of the folder (links followed)
    std::vector<std::string> tokenizer_files;  // which of the known tokenizer files exist
    bool tokenizer_present = false;            // enough files to build a tokenizer
    bool supported = false;
    std::string reason;  // why it cannot be used, when !supported
    std::vector<std::string> notes;
};

// $HF_HUB_CACHE, else $HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub, else
// ~/.cache/huggingface/hub (as huggingface_hub resolves it). The folder may not exist.
std::string hub_cache_dir();

// Describes one model folder (or hub repository folder models--org--name). Never throws:
// problems become supported = false with the reason (the same message loading would give).
ModelLibraryEntry describe_model_folder(const std::string& dir);

// Every model folder under `folders` (searched recursively up to `max_depth` levels; a folder
// holding config.json is an entry and is not searched further; hidden folders are skipped) and,
// when include_hub_cache, under hub_cache_dir(): each models--org--name repository gives the
// snapshot refs/main names (or every snapshot without refs/main). Missing folders are skipped.
// Entries are unique by canonical path, sorted by path.
std::vector<ModelLibraryEntry> scan_model_library(const std::vector<std::string>& folders,
                                                  bool include_hub_cache = true, int max_depth = 4);

}  // namespace tb::model
