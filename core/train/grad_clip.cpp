#include "train/grad_clip.h"

#include <torch/version.h>

namespace tb::train {

double clip_grad_norm(const std::vector<torch::Tensor>& parameters, double max_norm) {
    torch::NoGradGuard no_grad;
    std::vector<torch::Tensor> grads;
    grads.reserve(parameters.size());
    for (const auto& p : parameters)
        if (p.grad().defined())
            grads.push_back(p.grad());
    if (grads.empty())
        return 0.0;
    const auto norms = torch::_foreach_norm(grads, 2);
    const torch::Tensor total = torch::stack(norms).norm(2);
    const torch::Tensor coefficient = torch::clamp_max(max_norm / (total + 1e-6), 1.0);
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 1)
    torch::_foreach_mul_(grads, coefficient);  // no host round trip before the scaling
#else
    for (auto& g : grads)
        g.mul_(coefficient);
#endif
    return total.item<double>();
}

}  // namespace tb::train
