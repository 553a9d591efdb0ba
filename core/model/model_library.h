// The model library: finds model folders (Hugging Face, image model folders, fastText) and model
// files (TorchScript .pt, fastText .ftz/.bin) in configured folders and the local hub cache, and
// describes each one from its files (config.json, safetensors headers), without loading
// weights; plus the built-in architectures trained from scratch. Torch-free, so the GUI and CLI
// can list models cheaply.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tb::model {

struct ModelLibraryEntry {
    // What model.path takes: the folder holding config.json (for the hub cache: the snapshot),
    // or a model file (.pt, .ftz, .bin). Empty for built-in architectures.
    std::string path;
    std::string source;         // "folder", "file", "hub-cache" or "built-in"
    std::string repo_id;        // "org/name" for hub-cache entries, else empty
    std::string model_type;     // config.json model_type (as written; may be empty)
    std::string architecture;   // first entry of config.json architectures, else empty
    std::string family;         // "BERT", "RoBERTa", "DistilBERT", "ELECTRA"; image folders:
                                // the architecture's display name ("ResNet-18"); empty if unknown
    std::string kind = "text";  // "text" (Hugging Face folder) or "image" (image model folder)
    // Where the weights come from: "Hugging Face safetensors", "torchvision safetensors",
    // "tunebench safetensors", "TorchScript", "fasttext" (a .ftz/.bin file or a folder holding
    // one), "tfjs (...)" (an imported Keras / TF.js model) or "built-in, random init".
    std::string source_format;
    // Built-ins: the model.architecture value that trains it (resnet18, ..., bilstm); then
    // path is empty. Everything else is chosen by model.path.
    std::string model_architecture;
    // The weights' licence as recorded (config.json "license", a model card's front matter,
    // known files such as lid.176.ftz), "none (random initialisation)" for built-ins, or a
    // sentence saying it is not recorded.
    std::string license;
    // Which dataset.task values it trains: empty = every task of its kind (text encoders);
    // "text_classification" for BiLSTM and fastText, "image_classification" for image models.
    std::string tasks;
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

// Describes one model file: a fastText .ftz/.bin (checked by its magic number) or a TorchScript
// archive (.pt/.pth/.ts: a zip holding code/ and constants.pkl; a pickled torch.save archive
// is listed as unsupported with the reason). Never throws.
ModelLibraryEntry describe_model_file(const std::string& file);

// Whether `file` is one describe_model_file lists (by extension and first bytes).
bool is_model_file(const std::string& file);

// Every model folder and model file under `folders` (searched recursively up to `max_depth`
// levels; a folder holding config.json is an entry and is not searched further; in other
// folders each fastText / TorchScript file is an entry; hidden folders are skipped; an element
// of `folders` may itself be a model file) and, when include_hub_cache, under hub_cache_dir():
// each models--org--name repository gives the snapshot refs/main names (or every snapshot
// without refs/main). Missing folders are skipped. Entries are unique by canonical path, sorted
// by path. Built-in architectures are not included: see builtin_model_entries
// (model/builtin_models.h).
std::vector<ModelLibraryEntry> scan_model_library(const std::vector<std::string>& folders,
                                                  bool include_hub_cache = true, int max_depth = 4);

}  // namespace tb::model
