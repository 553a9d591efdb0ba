// The two batched matrix products of self-attention (scores = q k^T, context = p v) on the CPU,
// with the batch x heads small GEMMs spread over the cores.
#pragma once

#include <torch/torch.h>

namespace tb::model {

// a [..., M, K] x b [..., K, N] -> [..., M, N], as torch::matmul, differentiable. On the CPU
// (float32, at least 2 matrices, 2+ cores, OpenBLAS present) the matrices are split between
// threads, each running single-threaded GEMMs. LibTorch's CPU bmm instead loops over them one by
// one and hands each small GEMM (e.g. 128x64 by 64x128) to the multi-threaded BLAS, whose
// per-call thread hand-off costs more than the product itself at these sizes. Elsewhere (CUDA,
// other dtypes) it is torch::matmul.
torch::Tensor attention_matmul(const torch::Tensor& a, const torch::Tensor& b);

}  // namespace tb::model
