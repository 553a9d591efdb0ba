// Forwards a training run's reports to the real observer, except that the non-primary ranks of a
// distributed run stay quiet: only their state, errors and outcome pass (rank 0 reports
// progress, evaluations, checkpoints and log lines for the whole job).
#pragma once

#include "train/training_observer.h"

namespace tb::train {

class RankObserver : public TrainingObserver {
public:
    explicit RankObserver(TrainingObserver& inner) : inner_(inner) {}

    void set_primary(bool primary) { primary_ = primary; }
    bool primary() const { return primary_; }

    void on_start(const RunInfo& info) override {
        if (primary_)
            inner_.on_start(info);
    }
    void on_state(RunState state) override { inner_.on_state(state); }
    void on_step(const StepMetrics& metrics) override {
        if (primary_)
            inner_.on_step(metrics);
    }
    void on_eval(const EvalReport& report) override {
        if (primary_)
            inner_.on_eval(report);
    }
    void on_checkpoint(const CheckpointInfo& info) override {
        if (primary_)
            inner_.on_checkpoint(info);
    }
    void on_log(const std::string& line) override {
        if (primary_)
            inner_.on_log(line);
    }
    void on_finished(const RunResult& result) override { inner_.on_finished(result); }
    void on_error(const std::string& message) override { inner_.on_error(message); }

private:
    TrainingObserver& inner_;
    bool primary_ = true;
};

}  // namespace tb::train
