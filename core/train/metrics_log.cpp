#include "train/metrics_log.h"

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

MetricsLog::MetricsLog(const std::string& run_dir)
    : fresh_csv_(empty_or_missing(run_dir + "/metrics.csv")),
      jsonl_(run_dir + "/metrics.jsonl", std::ios::app),
      csv_(run_dir + "/metrics.csv", std::ios::app) {
    if (!jsonl_ || !csv_)
        throw Error("cannot open the metrics log", SourceLocation{run_dir, 0, 0, {}});
    // A resumed run's log already starts with its parent's rows (and the header).
    if (fresh_csv_)
        csv_ << "kind,epoch,step,loss,learning_rate,accuracy,macro_f1\n" << std::flush;
}

void MetricsLog::write_csv(const std::string& kind, int epoch, std::int64_t step, double loss,
                           double lr, double accuracy, double macro_f1) {
    // %.9g keeps small learning rates (2e-5 during warmup) and full loss precision.
    auto num = [](double v) {
        if (std::isnan(v))
            return std::string();
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.9g", v);
        return std::string(buf);
    };
    csv_ << kind << ',' << epoch << ',' << step << ',' << num(loss) << ',' << num(lr) << ','
         << num(accuracy) << ',' << num(macro_f1) << '\n'
         << std::flush;
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
    write_csv("train", s.epoch, s.step, s.loss, s.learning_rate, NAN, NAN);
}

void MetricsLog::write_eval(const EvalReport& e) {
    nlohmann::json j = {{"kind", e.split}, {"epoch", e.epoch},
                        {"step", e.step},  {"loss", e.loss},
                        {"task", e.task},  {"report", metrics::report_to_json(e.report)}};
    if (!e.details_json.empty())
        j["details"] = nlohmann::json::parse(e.details_json);
    jsonl_ << j.dump() << '\n' << std::flush;
    write_csv(e.split, e.epoch, e.step, e.loss, NAN, e.report.accuracy, e.report.macro.f1);
}

}  // namespace tb::train
