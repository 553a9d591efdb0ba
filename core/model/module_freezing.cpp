// Freezing on a live module: requires_grad, parameter counts, the trainable list.
#include "model/module_freezing.h"

#include <algorithm>

namespace tb::model {

std::vector<std::string> apply_freezing(torch::nn::Module& module, const FreezeOptions& options) {
    std::vector<std::string> frozen;
    for (auto& item : module.named_parameters(/*recurse=*/true)) {
        if (!is_frozen(item.key(), options))
            continue;
        item.value().set_requires_grad(false);
        frozen.push_back(item.key());
    }
    return frozen;
}

std::vector<ParameterInfo> parameter_infos(const torch::nn::Module& module) {
    std::vector<ParameterInfo> out;
    for (const auto& item : module.named_parameters(/*recurse=*/true))
        out.push_back(ParameterInfo{item.key(), item.value().numel()});
    return out;
}

ParameterCounts count_parameters(const torch::nn::Module& module) {
    ParameterCounts counts;
    for (const auto& item : module.named_parameters(/*recurse=*/true)) {
        counts.total += item.value().numel();
        if (item.value().requires_grad())
            counts.trainable += item.value().numel();
        if (const auto layer = encoder_layer_index(item.key()))
            counts.num_layers = std::max(counts.num_layers, *layer + 1);
    }
    return counts;
}

std::vector<std::pair<std::string, torch::Tensor>> trainable_parameters(
    const torch::nn::Module& module) {
    std::vector<std::pair<std::string, torch::Tensor>> out;
    for (const auto& item : module.named_parameters(/*recurse=*/true))
        if (item.value().requires_grad())
            out.emplace_back(item.key(), item.value());
    return out;
}

}  // namespace tb::model
