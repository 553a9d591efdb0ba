// Captures and restores the random-number generator states a training step depends on (dropout
// masks): Torch's default CPU generator and, when a CUDA device is in use, the GPU's generator.
#pragma once

#include <vector>

#include <torch/torch.h>

#include "common/tensor_blob.h"

namespace tb::train {

// Blobs named "torch_cpu" and, for a CUDA `device`, "torch_cuda_<index>".
std::vector<TensorBlob> capture_rng_states(const torch::Device& device);

// Restores every state in `blobs` this process has a generator for. Throws tb::Error if the
// CPU state is missing (the resume would not be exact) or a state has the wrong size.
void restore_rng_states(const std::vector<TensorBlob>& blobs, const torch::Device& device);

}  // namespace tb::train
