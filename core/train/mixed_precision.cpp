#include "train/mixed_precision.h"

#include <ATen/Context.h>
#include <ATen/autocast_mode.h>
#include <torch/version.h>

#include "common/error.h"

namespace tb::train {

void configure_precision(const std::string& precision, bool allow_tf32,
                         const torch::Device& device) {
    if (precision != "fp32" && !device.is_cuda())
        throw Error("precision " + precision + " needs a CUDA GPU; training runs on " +
                        device.str() + ": set training.precision to fp32",
                    SourceLocation{{}, 0, 0, "training.precision"});
    if (device.is_cuda()) {
        at::globalContext().setAllowTF32CuBLAS(allow_tf32);
        at::globalContext().setAllowTF32CuDNN(allow_tf32);
    }
}

AutocastScope::AutocastScope(const std::string& precision, const torch::Device& device) {
    if (precision == "fp32" || !device.is_cuda())
        return;
    const auto dtype = precision == "bf16" ? at::kBFloat16 : at::kHalf;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    at::autocast::set_autocast_dtype(at::kCUDA, dtype);
    at::autocast::set_autocast_enabled(at::kCUDA, true);
#else
    at::autocast::set_autocast_gpu_dtype(dtype);
    at::autocast::set_enabled(true);
#endif
    at::autocast::increment_nesting();
    active_ = true;
}

AutocastScope::~AutocastScope() {
    if (!active_)
        return;
    // Leaving the outermost scope frees the casted weight copies, as torch.autocast does.
    if (at::autocast::decrement_nesting() == 0)
        at::autocast::clear_cache();
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    at::autocast::set_autocast_enabled(at::kCUDA, false);
#else
    at::autocast::set_enabled(false);
#endif
}

LossScaler::LossScaler(bool enabled, double initial_scale, std::int64_t growth_interval)
    : enabled_(enabled), scale_(enabled ? initial_scale : 1.0), growth_interval_(growth_interval) {}

void LossScaler::restore(double scale, std::int64_t good_steps) {
    if (!enabled_ || !(scale > 0.0))
        return;
    scale_ = scale;
    good_steps_ = good_steps;
}

bool LossScaler::unscale(const std::vector<torch::Tensor>& parameters) const {
    if (!enabled_)
        return true;
    torch::NoGradGuard no_grad;
    bool finite = true;
    const double inverse = 1.0 / scale_;
    for (const auto& p : parameters) {
        auto grad = p.grad();
        if (!grad.defined())
            continue;
        grad.mul_(inverse);
        if (finite && !torch::isfinite(grad).all().item<bool>())
            finite = false;
    }
    return finite;
}

void LossScaler::update(bool found_finite) {
    if (!enabled_)
        return;
    if (!found_finite) {
        scale_ *= 0.5;
        good_steps_ = 0;
    } else if (++good_steps_ >= growth_interval_) {
        scale_ *= 2.0;
        good_steps_ = 0;
    }
}

}  // namespace tb::train
