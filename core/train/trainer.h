// Runs one fine-tuning experiment end to end, synchronously, on the calling thread:
// data -> split -> tokenize -> model -> train (optimizer, schedule, accumulation, clipping) ->
// dev evaluation -> test evaluation, writing the run directory (config, split, metrics log,
// checkpoints, run.json). A run can also continue exactly from a checkpoint (see TrainerOptions).
// LibTorch stays out of this header so the UI can include it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "io/experiment_config.h"
#include "train/run_control.h"
#include "train/training_observer.h"

namespace tb::train {

struct TrainerOptions {
    // Continue from this checkpoint file (pick one with select_checkpoint / plan_resume). The
    // run restores weights, optimizer state, step, epoch, data position, schedule position,
    // random-number state, early-stopping state, the best metric and the metric history, and
    // writes a NEW run folder whose run.json records `resumed_from` and whose metrics logs begin
    // with the parent's rows. Refused (Failed, with the reason) when the data differs from the
    // checkpoint's (data hash) or the experiment differs in a setting that changes the training
    // (see check_resume_compatible). Empty: a fresh run.
    std::string resume_from;
    // False on the non-primary processes of a distributed run: they train but create no run
    // folder and write no logs or checkpoints.
    bool is_primary = true;
    // Test hook: called with each optimizer step's 1-based number before its loss is used;
    // returning true makes that step's loss NaN (exercises training.nan_policy).
    std::function<bool(std::int64_t step)> inject_nan;
};

class Trainer {
public:
    Trainer(io::ExperimentConfig config, TrainingObserver& observer, RunControl& control);
    Trainer(io::ExperimentConfig config, TrainingObserver& observer, RunControl& control,
            TrainerOptions options);
    ~Trainer();

    // Never throws: every failure (bad data, bad model folder, Torch errors, I/O, refused
    // resume, non-finite loss, out of memory) becomes a Failed result and an on_error() call.
    // Cancel stops at the next batch boundary, saves a checkpoint and returns Cancelled.
    RunResult run();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tb::train
