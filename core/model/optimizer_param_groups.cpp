// AdamW parameter groups from name-based groups (frozen parameters never enter the optimizer).
#include "model/optimizer_param_groups.h"

#include <map>

#include "common/error.h"
#include "model/module_freezing.h"

namespace tb::model {

AdamWGroups adamw_param_groups(torch::nn::Module& module, const std::vector<ParameterGroup>& groups,
                               double base_lr) {
    std::map<std::string, torch::Tensor> by_name;
    for (const auto& item : module.named_parameters(/*recurse=*/true))
        by_name.emplace(item.key(), item.value());
    AdamWGroups out;
    for (const auto& group : groups) {
        std::vector<torch::Tensor> tensors;
        for (const auto& name : group.names) {
            const auto it = by_name.find(name);
            if (it == by_name.end())
                throw Error("the model has no parameter '" + name + "'",
                            SourceLocation{{}, 0, 0, name});
            if (!it->second.requires_grad())
                throw Error("parameter '" + name +
                                "' is frozen and must not be given to the optimizer (AdamW "
                                "would still decay it)",
                            SourceLocation{{}, 0, 0, name});
            tensors.push_back(it->second);
        }
        out.groups.emplace_back(std::move(tensors),
                                std::make_unique<torch::optim::AdamWOptions>(
                                    torch::optim::AdamWOptions(base_lr * group.lr_multiplier)
                                        .weight_decay(group.weight_decay)));
        out.lr_multipliers.push_back(group.lr_multiplier);
    }
    return out;
}

AdamWGroups adamw_param_groups(torch::nn::Module& module, const ParameterGroupOptions& options,
                               double base_lr) {
    std::vector<std::string> names;
    for (const auto& [name, tensor] : trainable_parameters(module))
        names.push_back(name);
    return adamw_param_groups(module, make_parameter_groups(names, options), base_lr);
}

}  // namespace tb::model
