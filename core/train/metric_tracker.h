// Tracks the best value of a dev metric (for the best checkpoint and early stopping), with the
// metric's direction: higher is better for F1 and accuracy, lower for the loss.
#pragma once

#include <cstdint>
#include <string>

#include "train/training_events.h"

namespace tb::train {

// The value of `name` (one of io::selectable_metrics(): dev_macro_f1, dev_weighted_f1,
// dev_accuracy, dev_loss) in a dev evaluation.
double metric_value(const std::string& name, const EvalReport& dev);
bool higher_is_better(const std::string& name);

class MetricTracker {
public:
    MetricTracker(std::string metric, double min_delta = 0.0);

    // Records one evaluation; true when it improves the best by more than min_delta (the first
    // evaluation always does).
    bool update(double value);

    const std::string& metric() const { return metric_; }
    bool has_best() const { return evaluations_ > 0; }
    double best() const { return best_; }
    std::int64_t evaluations() const { return evaluations_; }
    std::int64_t evaluations_since_best() const { return since_best_; }

    // From a checkpoint: continues exactly where the saved run was.
    void restore(double best, std::int64_t evaluations, std::int64_t since_best);

private:
    std::string metric_;
    double min_delta_;
    double best_ = 0.0;
    std::int64_t evaluations_ = 0;
    std::int64_t since_best_ = 0;
};

}  // namespace tb::train
