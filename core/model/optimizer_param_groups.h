// Turns named ParameterGroups into LibTorch AdamW parameter groups for one module.
#pragma once

#include <vector>

#include <torch/torch.h>

#include "model/parameter_groups.h"

namespace tb::model {

struct AdamWGroups {
    std::vector<torch::optim::OptimizerParamGroup> groups;  // AdamWOptions(base_lr x mult, wd)
    std::vector<double> lr_multipliers;                     // same order as `groups`
};

// One AdamW group per ParameterGroup, taking only the module's trainable (requires_grad)
// parameters. When the schedule changes the learning rate, set group i's lr to
// lr x lr_multipliers[i] (a single lr for all groups would undo the multipliers).
// Throws tb::Error if a group names a parameter the module lacks or that is frozen.
AdamWGroups adamw_param_groups(torch::nn::Module& module, const std::vector<ParameterGroup>& groups,
                               double base_lr);

// Convenience: make_parameter_groups over the module's trainable parameters, then the above.
AdamWGroups adamw_param_groups(torch::nn::Module& module, const ParameterGroupOptions& options,
                               double base_lr);

}  // namespace tb::model
