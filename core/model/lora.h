// LoRA over a whole model: pick target linear layers by name, freeze the base, merge for export,
// save/load adapter-only weights in PEFT's file layout (adapter_model.safetensors +
// adapter_config.json).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <torch/torch.h>

#include "model/encoder_config.h"
#include "model/lora_linear.h"

namespace tb::model {

struct LoraOptions {
    std::int64_t rank = 8;
    double alpha = 16.0;
    double dropout = 0.05;
    // Module names as in the HF tensor names; a module matches when its full name equals an
    // entry or ends with "." + entry (PEFT's rule), e.g. "query", "attention.output.dense",
    // "q_lin". Empty: default_lora_targets() of the encoder family.
    std::vector<std::string> target_modules;
};

// {"query", "value"} for BERT-layout encoders, {"q_lin", "v_lin"} for DistilBERT.
std::vector<std::string> default_lora_targets(EncoderFamily family);

// Every LoraLinear under `root` by module name (with or without an adapter).
std::vector<std::pair<std::string, LoraLinearImpl*>> lora_linears(torch::nn::Module& root);

// Adds an adapter to every matching LoraLinear under `root` and freezes every other parameter
// under `root` (pass the encoder to keep a separate head trainable). `options.target_modules`
// must not be empty here (fill it from default_lora_targets). Returns the adapted module
// names. Throws tb::Error when a target matches no linear layer (listing the candidates) or
// for invalid rank/alpha/dropout.
std::vector<std::string> apply_lora(torch::nn::Module& root, const LoraOptions& options);

void set_lora_enabled(torch::nn::Module& root, bool enabled);
void merge_lora(torch::nn::Module& root);    // W += B A alpha/r in every adapted layer
void unmerge_lora(torch::nn::Module& root);  // the inverse (up to rounding)

// Adapter tensors only, as PEFT names them: "base_model.model." + name_prefix + module name +
// ".lora_A.weight" / ".lora_B.weight" (name_prefix e.g. "bert." when the adapted encoder sits
// under that name in the task model). Writes `dir`/adapter_model.safetensors and
// `dir`/adapter_config.json (peft_type LORA, r, lora_alpha, lora_dropout, target_modules,
// bias "none"), creating `dir`. Throws tb::Error when `root` has no adapter.
void save_lora_adapter(torch::nn::Module& root, const std::string& dir, const LoraOptions& options,
                       const std::string& name_prefix = "");
// Reads adapter_config.json (r, lora_alpha, lora_dropout, target_modules).
LoraOptions read_lora_adapter_config(const std::string& dir);
// Applies read_lora_adapter_config(dir) to `root` when it has no adapter yet, then copies the
// adapter tensors in (names with or without "base_model.model." and name_prefix). Throws
// tb::Error naming every adapter tensor that is missing or has another shape.
void load_lora_adapter(torch::nn::Module& root, const std::string& dir,
                       const std::string& name_prefix = "");

// The module's parameters and buffers with every adapter folded into its base weight and no
// lora_* tensors: what an exported model holds. `root` itself is left unchanged.
std::map<std::string, torch::Tensor> merged_state(torch::nn::Module& root);
// merged_state() written as HF-style safetensors (names minus strip_prefix, metadata
// format=pt), atomically.
void save_merged_safetensors(torch::nn::Module& root, const std::string& path,
                             const std::string& strip_prefix = "");

}  // namespace tb::model
