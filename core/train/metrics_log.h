// Appends training and evaluation records to metrics.jsonl and metrics.csv in the run folder,
// flushed after every record so a crash or a watcher never sees a half-written history.
// metrics.csv's score columns fit the task (metrics_csv_columns).
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include "train/training_events.h"

namespace tb::train {

// The score columns of metrics.csv after kind,epoch,step,loss,learning_rate, by dataset.task:
// text_classification (and image_classification): accuracy, macro_f1; multi_label: micro_f1,
// macro_f1, samples_f1; token_classification: precision, recall, f1 (entity-level micro for BIO
// tags, per word otherwise); regression: mse, rmse, mae, r2. Names are EvalReport::scores keys.
std::vector<std::string> metrics_csv_columns(const std::string& task);

class MetricsLog {
public:
    MetricsLog(const std::string& run_dir, const std::string& task = "text_classification");
    void write_step(const StepMetrics& step);
    void write_eval(const EvalReport& eval);

private:
    void write_csv(const std::string& kind, int epoch, std::int64_t step, double loss, double lr,
                   const std::vector<double>& scores);
    std::vector<std::string> columns_;
    bool fresh_csv_;  // declared before the streams: decided before they create the files
    std::ofstream jsonl_;
    std::ofstream csv_;
};

}  // namespace tb::train
