// What a training run reports, as it happens. Called on the training thread: implementations
// must not block for long and must copy what they keep (the UI forwards by queued signals).
#pragma once

#include <string>

#include "train/training_events.h"

namespace tb::train {

class TrainingObserver {
public:
    virtual ~TrainingObserver() = default;
    virtual void on_start(const RunInfo&) {}
    virtual void on_state(RunState) {}
    virtual void on_step(const StepMetrics&) {}
    virtual void on_eval(const EvalReport&) {}
    virtual void on_checkpoint(const CheckpointInfo&) {}
    virtual void on_log(const std::string& /*line*/) {}
    virtual void on_finished(const RunResult&) {}
    virtual void on_error(const std::string& /*message*/) {}
};

}  // namespace tb::train
