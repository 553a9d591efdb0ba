// Applies FreezeOptions to a module and counts its trainable parameters.
#pragma once

#include <string>
#include <vector>

#include <torch/torch.h>

#include "model/freezing.h"

namespace tb::model {

// Sets requires_grad(false) on every parameter is_frozen() selects and returns their names.
// It never sets requires_grad(true), so parameters frozen for another reason (LoRA base
// weights) stay frozen; to loosen a freeze, rebuild or reload the model.
// Frozen parameters must also be left out of the optimizer: LibTorch's AdamW applies weight
// decay (p -= lr * wd * p) to every parameter in its groups that has a gradient tensor, even an
// all-zero one (zero_grad() leaves zeros; a tensor frozen after it trained keeps one).
std::vector<std::string> apply_freezing(torch::nn::Module& module, const FreezeOptions& options);

// Every parameter's name and size (for count_parameters(infos, options) in the UI).
std::vector<ParameterInfo> parameter_infos(const torch::nn::Module& module);

// Total and requires_grad parameter counts as the module is now.
ParameterCounts count_parameters(const torch::nn::Module& module);

// The parameters that train (requires_grad), in module order, with their names.
std::vector<std::pair<std::string, torch::Tensor>> trainable_parameters(
    const torch::nn::Module& module);

}  // namespace tb::model
