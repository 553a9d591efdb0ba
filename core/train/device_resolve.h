// Turns training.device ("auto", "cpu", "cuda", "cuda:N") into a torch::Device, with a clear
// error when CUDA is asked for but this build or machine has none.
#pragma once

#include <string>

#include <torch/torch.h>

namespace tb::train {

torch::Device resolve_device(const std::string& name);

}  // namespace tb::train
