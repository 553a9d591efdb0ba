// Appends training and evaluation records to metrics.jsonl and metrics.csv in the run folder,
// flushed after every record so a crash or a watcher never sees a half-written history.
#pragma once

#include <fstream>
#include <string>

#include "train/training_events.h"

namespace tb::train {

class MetricsLog {
public:
    explicit MetricsLog(const std::string& run_dir);
    void write_step(const StepMetrics& step);
    void write_eval(const EvalReport& eval);

private:
    void write_csv(const std::string& kind, int epoch, std::int64_t step, double loss, double lr,
                   double accuracy, double macro_f1);
    bool fresh_csv_;  // declared before the streams: decided before they create the files
    std::ofstream jsonl_;
    std::ofstream csv_;
};

}  // namespace tb::train
