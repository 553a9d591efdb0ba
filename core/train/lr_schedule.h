// Learning-rate schedule: linear warmup from 0 to the peak, then linear decay to 0
// (the schedule BERT fine-tuning uses; Hugging Face's get_linear_schedule_with_warmup).
#pragma once

#include <cstdint>

namespace tb::train {

class LinearWarmupDecay {
public:
    LinearWarmupDecay(double peak_lr, std::int64_t warmup_steps, std::int64_t total_steps);
    // Learning rate to use for optimizer step `step` (0-based: the first update uses step 0).
    double lr_at(std::int64_t step) const;
    std::int64_t warmup_steps() const { return warmup_steps_; }

private:
    double peak_lr_;
    std::int64_t warmup_steps_;
    std::int64_t total_steps_;
};

}  // namespace tb::train
