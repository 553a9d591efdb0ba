// Loads safetensors weights into a module by HF tensor name and reports what did not match.
#pragma once

#include <string>
#include <vector>

#include <torch/torch.h>

#include "common/tensor_blob.h"
#include "model/safetensors.h"

namespace tb::model {

struct LoadReport {
    std::vector<std::string> loaded;
    std::vector<std::string> missing;      // module parameters/buffers with no tensor in the file
    std::vector<std::string> unexpected;   // file tensors the module has no place for
    std::vector<std::string> mismatched;   // "name: file [a,b] vs model [c,d]"
    std::string summary() const;           // multi-line, human-readable
};

// Maps file names to module names: tries the name as is, then with/without `prefix`
// (e.g. "bert." so both BertModel and BertFor* checkpoints load). Converts dtypes (F16/BF16 ->
// module dtype). Parameters listed in `allowed_missing` (e.g. the new head) are not reported.
// Throws tb::Error listing every missing/mismatched tensor by name and shape if any are left.
LoadReport load_weights(torch::nn::Module& module, const SafetensorsFile& file,
                        const std::string& prefix = "bert.",
                        const std::vector<std::string>& allowed_missing_prefixes = {"classifier."});

// Conversions between TensorBlob and torch::Tensor (CPU, contiguous copies).
torch::Tensor to_torch(const TensorBlob& blob);
TensorBlob from_torch(const std::string& name, const torch::Tensor& tensor);

// Saves a module's parameters and buffers (names as the module reports them, minus `strip_prefix`).
void save_module_safetensors(torch::nn::Module& module, const std::string& path,
                             const std::string& strip_prefix = "");

}  // namespace tb::model
