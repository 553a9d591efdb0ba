// Learning-rate schedules, evaluated per optimizer step: linear warmup from 0 to the peak, then
// constant, linear decay to 0 (Hugging Face's get_linear_schedule_with_warmup) or half-cosine
// decay to 0 (get_cosine_schedule_with_warmup). Pure functions of the step, so a resumed run
// continues at exactly the same point of the schedule.
#pragma once

#include <cstdint>
#include <string>

namespace tb::train {

class LrSchedule {
public:
    enum class Kind { Constant, Linear, Cosine };
    // Throws tb::Error (key training.schedule) for an unknown name.
    static Kind kind_from_name(const std::string& name);

    LrSchedule(Kind kind, double peak_lr, std::int64_t warmup_steps, std::int64_t total_steps);
    // Learning rate to use for optimizer step `step` (0-based: the first update uses step 0).
    double lr_at(std::int64_t step) const;
    std::int64_t warmup_steps() const { return warmup_steps_; }

private:
    Kind kind_;
    double peak_lr_;
    std::int64_t warmup_steps_;
    std::int64_t total_steps_;
};

// The linear schedule, kept as its own name for the code and tests that predate LrSchedule.
class LinearWarmupDecay : public LrSchedule {
public:
    LinearWarmupDecay(double peak_lr, std::int64_t warmup_steps, std::int64_t total_steps)
        : LrSchedule(Kind::Linear, peak_lr, warmup_steps, total_steps) {}
};

}  // namespace tb::train
