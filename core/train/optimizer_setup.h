// AdamW with two parameter groups: weight decay on weights, none on biases and LayerNorm
// (as BERT fine-tuning does), and helpers to set the learning rate and export moments.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "common/tensor_blob.h"

namespace tb::train {

struct NamedParameter {
    std::string name;
    torch::Tensor tensor;
};

bool excluded_from_weight_decay(const std::string& parameter_name);

std::unique_ptr<torch::optim::AdamW> make_adamw(const std::vector<NamedParameter>& parameters,
                                                double lr, double weight_decay);
void set_learning_rate(torch::optim::Optimizer& optimizer, double lr);

// AdamW moments as blobs named "<param>/exp_avg", "<param>/exp_avg_sq", "<param>/step".
std::vector<TensorBlob> export_adamw_state(torch::optim::AdamW& optimizer,
                                           const std::vector<NamedParameter>& parameters);

}  // namespace tb::train
