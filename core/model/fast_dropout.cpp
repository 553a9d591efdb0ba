// Parallel counter-based dropout masks for CPU tensors (see fast_dropout.h for why).
#include "model/fast_dropout.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>

#include <mutex>
#include <string>

#include "common/error.h"

namespace tb::model {
namespace {

// SplitMix64's output function: a bijective 64-bit mixer whose outputs for consecutive inputs
// pass BigCrush, far more than a dropout mask needs.
inline std::uint64_t mix64(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

std::uint64_t draw_seed() {
    auto generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    return at::check_generator<at::CPUGeneratorImpl>(generator)->random64();
}

// mask[i] = scale where the 32-bit hash of (seed, i) lies below `threshold`, else 0. Two
// decisions per 64-bit hash (the low and the high half).
template <typename T>
void fill_mask(T* mask, std::int64_t n, std::uint64_t seed, std::uint64_t threshold, T scale) {
    const T zero = static_cast<T>(0);
    at::parallel_for(0, (n + 1) / 2, 16384, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t pair = begin; pair < end; ++pair) {
            const std::uint64_t h =
                mix64(seed + static_cast<std::uint64_t>(pair) * 0x9e3779b97f4a7c15ull);
            const std::int64_t i = 2 * pair;
            mask[i] = (h & 0xffffffffull) < threshold ? scale : zero;
            if (i + 1 < n)
                mask[i + 1] = (h >> 32) < threshold ? scale : zero;
        }
    });
}

}  // namespace

torch::Tensor fast_dropout(const torch::Tensor& x, double p) {
    if (!(p >= 0.0 && p < 1.0))
        throw Error("dropout probability " + std::to_string(p) + " is outside [0, 1)");
    if (p == 0.0)
        return x;
    const auto type = x.scalar_type();
    if (!x.device().is_cpu() ||
        (type != torch::kFloat && type != torch::kDouble && type != torch::kBFloat16))
        return torch::dropout(x, p, /*train=*/true);
    const double keep = 1.0 - p;
    // P(hash32 < threshold) = threshold / 2^32 = keep, to within 2^-32.
    const auto threshold = static_cast<std::uint64_t>(keep * 4294967296.0);
    const std::uint64_t seed = draw_seed();
    const std::int64_t n = x.numel();
    torch::Tensor mask;
    if (type == torch::kDouble) {
        mask = torch::empty(x.sizes(), x.options().requires_grad(false));
        fill_mask(mask.data_ptr<double>(), n, seed, threshold, 1.0 / keep);
    } else {
        // bf16 inputs (CPU autocast) get a float mask; the product is promoted as torch's is.
        mask = torch::empty(x.sizes(), x.options().dtype(torch::kFloat).requires_grad(false));
        fill_mask(mask.data_ptr<float>(), n, seed, threshold, static_cast<float>(1.0 / keep));
        if (type == torch::kBFloat16)
            mask = mask.to(torch::kBFloat16);
    }
    return x * mask;
}

DropoutImpl::DropoutImpl(double p) : p_(p) {
    if (!(p >= 0.0 && p < 1.0))
        throw Error("dropout probability " + std::to_string(p) + " is outside [0, 1)");
}

torch::Tensor DropoutImpl::forward(const torch::Tensor& x) {
    return is_training() ? fast_dropout(x, p_) : x;
}

}  // namespace tb::model
