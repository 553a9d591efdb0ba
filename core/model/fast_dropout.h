// Dropout for the text models: on the CPU the keep-mask comes from a counter-based hash run in
// parallel, because LibTorch's CPU bernoulli_ without MKL (Debian's build) draws element by
// element from one Mersenne Twister and took ~12 % of a small BERT's training step. Elsewhere
// (CUDA) it is torch's own fused dropout.
#pragma once

#include <cstdint>

#include <torch/torch.h>

namespace tb::model {

// x * mask / (1 - p), with each element kept with probability 1 - p. The mask of element i is
// a function of (seed, i) only, where the seed is one 64-bit draw from the default CPU
// generator: results are the same for every thread count, and a run restored with the saved
// generator state (resume) draws the same masks. Gradients flow as through x * mask.
// p must lie in [0, 1); p == 0 returns x.
torch::Tensor fast_dropout(const torch::Tensor& x, double p);

class DropoutImpl : public torch::nn::Module {
public:
    explicit DropoutImpl(double p = 0.5);
    // Identity in eval mode, fast_dropout in train mode.
    torch::Tensor forward(const torch::Tensor& x);
    double p() const { return p_; }

private:
    double p_;
};
TORCH_MODULE(Dropout);

}  // namespace tb::model
