// Gradient-norm clipping with multi-tensor (_foreach) operations.
#pragma once

#include <vector>

#include <torch/torch.h>

namespace tb::train {

// What torch::nn::utils::clip_grad_norm_ does for the L2 norm: the total norm over the
// gradients of `parameters` (those without one are skipped), and every gradient multiplied by
// min(1, max_norm / (norm + 1e-6)). Returns the norm before clipping (inf or NaN when a gradient
// is). The per-tensor norms and the scaling are one _foreach kernel each on CUDA instead of one
// kernel per tensor (~200 for BERT-base); on the CPU the result equals LibTorch's to rounding.
double clip_grad_norm(const std::vector<torch::Tensor>& parameters, double max_norm);

}  // namespace tb::train
