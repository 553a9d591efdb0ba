// What LoRA would add to a model folder, counted from its safetensors headers (Torch-free).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/freezing.h"
#include "model/parameter_census.h"

namespace tb::model {

// The LoRA targets used when none are configured, by config.json model_type (the same choice
// as default_lora_targets() in lora.h): {"q_lin", "v_lin"} for distilbert, else
// {"query", "value"}.
std::vector<std::string> default_lora_target_names(const std::string& model_type);

// The target names worth offering for a model_type, defaults first: BERT layout: query, value,
// key, attention.output.dense, intermediate.dense, output.dense; DistilBERT: q_lin, v_lin,
// k_lin, out_lin, ffn.lin1, ffn.lin2.
std::vector<std::string> lora_target_choices(const std::string& model_type);

// PEFT's rule (as apply_lora): `module` matches when it equals `target` or ends with
// "." + target.
bool lora_target_matches(const std::string& module, const std::string& target);

struct LoraCensus {
    std::vector<std::string> modules;     // adapted linear layers (module names), sorted
    std::vector<std::string> unmatched;   // targets that match no linear layer
    std::int64_t adapter_parameters = 0;  // sum of rank * (in + out) over `modules`
};

// The encoder's LoRA-capable linear layers are the 2-D ".weight" tensors of the encoder layers,
// the pooler and ELECTRA's embeddings_project (never embedding tables or a task head's
// classifier). Each one matched by a target gets lora_A [rank, in] and lora_B [out, rank].
LoraCensus lora_census(const std::vector<StoredTensor>& tensors,
                       const std::vector<std::string>& targets, std::int64_t rank);

// Counts as training would see them: without LoRA, count_parameters(freeze); with LoRA, every
// stored tensor is frozen and the adapters are the trainable ones (total = stored + adapters),
// so `freeze` changes nothing.
ParameterCounts count_parameters_with_lora(const std::vector<StoredTensor>& tensors,
                                           const FreezeOptions& freeze, const LoraCensus* lora);

}  // namespace tb::model
