#include "train/lr_schedule.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"

namespace tb::train {

LrSchedule::Kind LrSchedule::kind_from_name(const std::string& name) {
    if (name == "constant")
        return Kind::Constant;
    if (name == "linear")
        return Kind::Linear;
    if (name == "cosine")
        return Kind::Cosine;
    throw Error("unknown schedule '" + name + "'; use constant, linear or cosine",
                SourceLocation{{}, 0, 0, "training.schedule"});
}

LrSchedule::LrSchedule(Kind kind, double peak_lr, std::int64_t warmup_steps,
                       std::int64_t total_steps)
    : kind_(kind),
      peak_lr_(peak_lr),
      warmup_steps_(std::max<std::int64_t>(0, warmup_steps)),
      total_steps_(std::max<std::int64_t>(1, total_steps)) {}

double LrSchedule::lr_at(std::int64_t step) const {
    // Same factors as HF's lr_lambda(current_step) evaluated at the step being taken.
    if (step < warmup_steps_)
        return peak_lr_ * static_cast<double>(step) /
               static_cast<double>(std::max<std::int64_t>(1, warmup_steps_));
    if (kind_ == Kind::Constant)
        return peak_lr_;
    const double span =
        static_cast<double>(std::max<std::int64_t>(1, total_steps_ - warmup_steps_));
    const double progress = static_cast<double>(step - warmup_steps_) / span;
    if (kind_ == Kind::Cosine)
        return peak_lr_ * std::max(0.0, 0.5 * (1.0 + std::cos(M_PI * progress)));
    return peak_lr_ * std::max(0.0, static_cast<double>(total_steps_ - step) / span);
}

}  // namespace tb::train
