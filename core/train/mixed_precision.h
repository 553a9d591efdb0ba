// Mixed precision on CUDA: autocast scopes (bf16 / fp16), dynamic loss scaling for fp16 (what
// PyTorch's GradScaler does, written with plain tensor ops) and the TF32 switch. On the CPU
// only fp32 is allowed: the trainer rejects anything else before a step runs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <torch/torch.h>

namespace tb::train {

// Throws tb::Error (key training.precision) when `precision` is not fp32 and `device` is not
// CUDA. Applies training.allow_tf32 on CUDA.
void configure_precision(const std::string& precision, bool allow_tf32,
                         const torch::Device& device);

// Autocast for the forward pass and the loss while alive; a no-op for fp32.
class AutocastScope {
public:
    AutocastScope(const std::string& precision, const torch::Device& device);
    ~AutocastScope();
    AutocastScope(const AutocastScope&) = delete;
    AutocastScope& operator=(const AutocastScope&) = delete;

private:
    bool active_ = false;
};

// Dynamic loss scaling (fp16): multiply the loss by scale() before backward, then unscale();
// a step whose gradients overflowed is skipped and the scale halved; after `growth_interval`
// good steps in a row the scale doubles. Disabled: scale 1, never skips.
class LossScaler {
public:
    explicit LossScaler(bool enabled, double initial_scale = 65536.0,
                        std::int64_t growth_interval = 2000);
    bool enabled() const { return enabled_; }
    double scale() const { return scale_; }
    std::int64_t good_steps() const { return good_steps_; }
    void restore(double scale, std::int64_t good_steps);

    // Divides every gradient by the scale. Returns false when any gradient is inf or NaN (then
    // the optimizer step must be skipped).
    bool unscale(const std::vector<torch::Tensor>& parameters) const;
    // After each step: found_finite = what unscale() returned.
    void update(bool found_finite);

private:
    bool enabled_;
    double scale_;
    std::int64_t growth_interval_;
    std::int64_t good_steps_ = 0;
};

}  // namespace tb::train
