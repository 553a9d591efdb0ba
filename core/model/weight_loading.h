// Loads safetensors weights into a module by HF tensor name and reports what did not match.
#pragma once

#include <string>
#include <vector>

#include <torch/torch.h>

#include "common/tensor_blob.h"
#include "model/safetensors.h"

namespace tb::model {

struct LoadReport {
    std::vector<std::string> loaded;   // module names that received a tensor
    std::vector<std::string> missing;  // "name [shape]": module tensors with no tensor in the file
    std::vector<std::string>
        unexpected;  // "name [shape]": file tensors the module has no place for
    std::vector<std::string> mismatched;  // "name: file [a, b] vs model [c, d]"
    std::string summary() const;          // multi-line, human-readable
};

// Maps file names to module names: tries the name as is, then with/without `prefix`
// (e.g. "bert." so both BertModel and BertFor* checkpoints load). Converts dtypes (F16/BF16 ->
// module dtype) and copies onto the module's device. Module tensors under
// `allowed_missing_prefixes` (e.g. the new head) may be missing or mis-shaped: they are
// reported and keep their current (initial) values. Non-persistent HF buffers
// ("*position_ids") in the file are ignored, as HF does.
// Throws tb::Error listing every other missing/mismatched tensor by name and shape; the module
// is then partly loaded and should be discarded.
LoadReport load_weights(torch::nn::Module& module, const SafetensorsFile& file,
                        const std::string& prefix = "bert.",
                        const std::vector<std::string>& allowed_missing_prefixes = {"classifier."});
// The same over the shards of a sharded checkpoint (a tensor is taken from the first shard
// holding it).
LoadReport load_weights(torch::nn::Module& module, const std::vector<SafetensorsFile>& files,
                        const std::string& prefix = "bert.",
                        const std::vector<std::string>& allowed_missing_prefixes = {"classifier."});

// Conversions between TensorBlob and torch::Tensor (CPU, contiguous copies). Throw tb::Error
// for a blob whose byte count does not match its shape, or a tensor dtype safetensors lacks.
torch::Tensor to_torch(const TensorBlob& blob);
TensorBlob from_torch(const std::string& name, const torch::Tensor& tensor);

// Saves a module's parameters and buffers (names as the module reports them, minus
// `strip_prefix` where they start with it), atomically, with metadata {"format": "pt"} as
// HF writes it, plus `metadata`.
void save_module_safetensors(torch::nn::Module& module, const std::string& path,
                             const std::string& strip_prefix = "",
                             std::map<std::string, std::string> metadata = {});

}  // namespace tb::model
