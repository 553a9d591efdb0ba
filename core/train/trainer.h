// Runs one fine-tuning experiment end to end, synchronously, on the calling thread:
// data -> split -> tokenize -> model -> train (AdamW, warmup+decay, clipping) -> dev eval per
// epoch -> test eval, writing the run directory (config, split, metrics log, checkpoints).
// LibTorch stays out of this header so the UI can include it.
#pragma once

#include <memory>

#include "io/experiment_config.h"
#include "train/run_control.h"
#include "train/training_observer.h"

namespace tb::train {

class Trainer {
public:
    Trainer(io::ExperimentConfig config, TrainingObserver& observer, RunControl& control);
    ~Trainer();

    // Never throws: every failure (bad data, bad model folder, Torch errors, I/O) becomes a
    // Failed result and an on_error() call. Cancel stops at the next batch boundary, saves a
    // checkpoint and returns Cancelled.
    RunResult run();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tb::train
