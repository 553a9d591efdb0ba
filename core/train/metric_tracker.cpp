#include "train/metric_tracker.h"

#include "common/error.h"

namespace tb::train {

double metric_value(const std::string& name, const EvalReport& dev) {
    if (name == "dev_macro_f1")
        return dev.report.macro.f1;
    if (name == "dev_weighted_f1")
        return dev.report.weighted.f1;
    if (name == "dev_accuracy")
        return dev.report.accuracy;
    if (name == "dev_loss")
        return dev.loss;
    throw Error("unknown metric '" + name +
                    "'; use dev_macro_f1, dev_weighted_f1, dev_accuracy or dev_loss",
                SourceLocation{{}, 0, 0, "output.best_metric"});
}

bool higher_is_better(const std::string& name) {
    return name != "dev_loss";
}

MetricTracker::MetricTracker(std::string metric, double min_delta)
    : metric_(std::move(metric)), min_delta_(min_delta) {}

bool MetricTracker::update(double value) {
    const bool improved =
        evaluations_ == 0 ||
        (higher_is_better(metric_) ? value > best_ + min_delta_ : value < best_ - min_delta_);
    ++evaluations_;
    if (improved) {
        best_ = value;
        since_best_ = 0;
    } else {
        ++since_best_;
    }
    return improved;
}

void MetricTracker::restore(double best, std::int64_t evaluations, std::int64_t since_best) {
    best_ = best;
    evaluations_ = evaluations;
    since_best_ = since_best;
}

}  // namespace tb::train
