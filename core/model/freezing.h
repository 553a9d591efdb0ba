// Which parameters a freeze setting freezes, decided from parameter names (Torch-free, for the UI).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tb::model {

struct FreezeOptions {
    bool embeddings = false;  // every parameter under an "embeddings" module
    int first_layers = 0;     // encoder layers 0 .. first_layers-1
};

// The encoder layer a parameter belongs to, from Hugging Face names with any prefix:
// "...encoder.layer.<i>...." (BERT, RoBERTa, ELECTRA, MiniLM) or "...transformer.layer.<i>...."
// (DistilBERT). std::nullopt for anything else (embeddings, pooler, head).
std::optional<int> encoder_layer_index(const std::string& parameter_name);

// True if a name segment is exactly "embeddings" (so "embeddings.word_embeddings.weight" and
// "bert.embeddings.LayerNorm.bias", never a head named e.g. "word_embeddings_proj").
bool is_embedding_parameter(const std::string& parameter_name);

bool is_frozen(const std::string& parameter_name, const FreezeOptions& options);

// Parameter name and element count: enough to count trainable parameters without a model
// instance in the UI thread (take them once from parameter_infos() in module_freezing.h).
struct ParameterInfo {
    std::string name;
    std::int64_t numel = 0;
};

struct ParameterCounts {
    std::int64_t total = 0;
    std::int64_t trainable = 0;
    int num_layers = 0;  // encoder layers seen (max index + 1), for a "freeze first N" slider
};

// Counts as if `options` were applied (parameters already frozen elsewhere, e.g. by LoRA, are
// not known here: pass only the ones that would otherwise train).
ParameterCounts count_parameters(const std::vector<ParameterInfo>& parameters,
                                 const FreezeOptions& options);

}  // namespace tb::model
