#include "train/lr_schedule.h"

#include <algorithm>

namespace tb::train {

LinearWarmupDecay::LinearWarmupDecay(double peak_lr, std::int64_t warmup_steps,
                                     std::int64_t total_steps)
    : peak_lr_(peak_lr),
      warmup_steps_(std::max<std::int64_t>(0, warmup_steps)),
      total_steps_(std::max<std::int64_t>(1, total_steps)) {}

double LinearWarmupDecay::lr_at(std::int64_t step) const {
    // Same factors as HF's lr_lambda(current_step) evaluated at the step being taken.
    if (step < warmup_steps_)
        return peak_lr_ * static_cast<double>(step) /
               static_cast<double>(std::max<std::int64_t>(1, warmup_steps_));
    const double remaining = static_cast<double>(total_steps_ - step);
    const double span =
        static_cast<double>(std::max<std::int64_t>(1, total_steps_ - warmup_steps_));
    return peak_lr_ * std::max(0.0, remaining / span);
}

}  // namespace tb::train
