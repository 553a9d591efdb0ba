// Optimizers (AdamW, SGD with momentum, RMSprop) with two parameter groups: weight decay on
// weights, none on biases and LayerNorm (as BERT fine-tuning does); the learning rate setter;
// and export/import of the per-parameter state for checkpoints, so a resumed run continues
// with exactly the moments and step counts it had.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "common/tensor_blob.h"
#include "io/experiment_config.h"

namespace tb::train {

struct NamedParameter {
    std::string name;
    torch::Tensor tensor;
};

bool excluded_from_weight_decay(const std::string& parameter_name);

// training.optimizer and its options; `lr` is the initial learning rate (the schedule sets it
// again before every step).
std::unique_ptr<torch::optim::Optimizer> make_optimizer(
    const io::TrainingConfig& training, const std::vector<NamedParameter>& parameters, double lr);
std::unique_ptr<torch::optim::AdamW> make_adamw(const std::vector<NamedParameter>& parameters,
                                                double lr, double weight_decay);
// With training.head_learning_rate_multiplier or layer_lr_decay set, the groups follow
// model::make_parameter_groups (docs/heads.md) and `lr_multipliers` receives each group's
// multiplier in group order; otherwise two groups (decay, no decay) with multipliers 1.
std::unique_ptr<torch::optim::Optimizer> make_optimizer(
    const io::TrainingConfig& training, const std::vector<NamedParameter>& parameters, double lr,
    std::vector<double>& lr_multipliers);
void set_learning_rate(torch::optim::Optimizer& optimizer, double lr);
// Group i gets lr x lr_multipliers[i] (1 where the list is shorter).
void set_learning_rate(torch::optim::Optimizer& optimizer, double lr,
                       const std::vector<double>& lr_multipliers);

// Per-parameter state as blobs named "<param>/<slot>": AdamW exp_avg, exp_avg_sq, step; SGD
// momentum_buffer; RMSprop square_avg, step and (with momentum) momentum_buffer. Parameters
// without state yet (before their first step) have no entries.
std::vector<TensorBlob> export_optimizer_state(torch::optim::Optimizer& optimizer,
                                               const std::vector<NamedParameter>& parameters);
std::vector<TensorBlob> export_adamw_state(torch::optim::AdamW& optimizer,
                                           const std::vector<NamedParameter>& parameters);
// The inverse; `kind` is training.optimizer. Throws tb::Error naming the parameter when a slot
// is missing or has the wrong shape (a checkpoint of another optimizer or model).
void import_optimizer_state(torch::optim::Optimizer& optimizer, const std::string& kind,
                            const std::vector<NamedParameter>& parameters,
                            const std::vector<TensorBlob>& blobs);

}  // namespace tb::train
