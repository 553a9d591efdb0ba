#include "train/metric_tracker.h"

#include "common/error.h"
#include "io/experiment_config.h"

namespace tb::train {

double metric_value(const std::string& name, const EvalReport& dev) {
    if (name == "dev_macro_f1")
        return dev.report.macro.f1;
    if (name == "dev_weighted_f1")
        return dev.report.weighted.f1;
    if (name == "dev_accuracy")
        return dev.report.accuracy;
    if (name == "dev_micro_f1")
        return dev.report.micro.f1;
    if (name == "dev_loss")
        return dev.loss;
    if (name.rfind("dev_", 0) == 0) {
        const auto it = dev.scores.find(name.substr(4));
        if (it != dev.scores.end())
            return it->second;
    }
    std::string known;
    for (const auto& m : io::selectable_metrics())
        known += (known.empty() ? "" : ", ") + m;
    throw Error("the metric " + name + " is not computed for a " + dev.task +
                    " evaluation; use one of " + known + " that fits the task",
                SourceLocation{{}, 0, 0, "output.best_metric"});
}

bool higher_is_better(const std::string& name) {
    return io::metric_higher_is_better(name);
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
