#include "train/metrics_log.h"

#include <cmath>
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "metrics/report_json.h"

namespace tb::train {

namespace {

bool empty_or_missing(const std::string& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    return ec || size == 0;
}

}  // namespace

std::vector<std::string> metrics_csv_columns(const std::string& task) {
    if (task == "multi_label")
        return {"micro_f1", "macro_f1", "samples_f1"};
    if (task == "token_classification")
        return {"precision", "recall", "f1"};
    if (task == "regression")
        return {"mse", "rmse", "mae", "r2"};
    return {"accuracy", "macro_f1"};
}

MetricsLog::MetricsLog(const std::string& run_dir, const std::string& task)
    : columns_(metrics_csv_columns(task)),
      fresh_csv_(empty_or_missing(run_dir + "/metrics.csv")),
      jsonl_(run_dir + "/metrics.jsonl", std::ios::app),
      csv_(run_dir + "/metrics.csv", std::ios::app) {
    if (!jsonl_ || !csv_)
        throw Error("cannot open the metrics log", SourceLocation{run_dir, 0, 0, {}});
    // A resumed run's log already starts with its parent's rows (and the header).
    if (fresh_csv_) {
        csv_ << "kind,epoch,step,loss,learning_rate";
        for (const auto& c : columns_)
            csv_ << ',' << c;
        csv_ << '\n' << std::flush;
    }
}

void MetricsLog::write_csv(const std::string& kind, int epoch, std::int64_t step, double loss,
                           double lr, const std::vector<double>& scores) {
    // %.9g keeps small learning rates (2e-5 during warmup) and full loss precision.
    auto num = [](double v) {
        if (std::isnan(v))
            return std::string();
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.9g", v);
        return std::string(buf);
    };
    csv_ << kind << ',' << epoch << ',' << step << ',' << num(loss) << ',' << num(lr);
    for (std::size_t i = 0; i < columns_.size(); ++i)
        csv_ << ',' << (i < scores.size() ? num(scores[i]) : std::string());
    csv_ << '\n' << std::flush;
}

void MetricsLog::write_step(const StepMetrics& s) {
    nlohmann::json j = {{"kind", "train"},
                        {"epoch", s.epoch},
                        {"step", s.step},
                        {"loss", s.loss},
                        {"learning_rate", s.learning_rate},
                        {"grad_norm", s.grad_norm},
                        {"elapsed_seconds", s.elapsed_seconds}};
    jsonl_ << j.dump() << '\n' << std::flush;
    write_csv("train", s.epoch, s.step, s.loss, s.learning_rate, {});
}

void MetricsLog::write_eval(const EvalReport& e) {
    nlohmann::json j = {{"kind", e.split}, {"epoch", e.epoch},
                        {"step", e.step},  {"loss", e.loss},
                        {"task", e.task},  {"report", metrics::report_to_json(e.report)}};
    if (!e.scores.empty())
        j["scores"] = e.scores;
    if (!e.details_json.empty())
        j["details"] = nlohmann::json::parse(e.details_json);
    jsonl_ << j.dump() << '\n' << std::flush;
    // A score the evaluation did not compute stays an empty cell.
    std::vector<double> scores;
    for (const auto& c : columns_) {
        const auto it = e.scores.find(c);
        if (it != e.scores.end())
            scores.push_back(it->second);
        else if (c == "accuracy")
            scores.push_back(e.report.accuracy);
        else if (c == "macro_f1")
            scores.push_back(e.report.macro.f1);
        else
            scores.push_back(NAN);
    }
    write_csv(e.split, e.epoch, e.step, e.loss, NAN, scores);
}

}  // namespace tb::train
