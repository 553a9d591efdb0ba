// Plain value types the Trainer reports through TrainingObserver. No LibTorch, no Qt: the UI
// registers them as Qt meta-types and carries them across threads by value.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "metrics/classification_report.h"

namespace tb::train {

enum class RunState { Idle, Running, Paused, Cancelling, Finished, Cancelled, Failed };
std::string run_state_name(RunState state);  // "idle", "running", ... as written to run.json

struct RunInfo {  // sent once, before the first step
    std::string run_dir;
    std::string device;  // "cpu", "cuda:0"
    std::int64_t total_steps = 0;
    int epochs = 0;
    std::int64_t steps_per_epoch = 0;
    std::int64_t train_examples = 0;
    std::int64_t dev_examples = 0;
    std::int64_t test_examples = 0;
    std::vector<std::string> labels;
    std::int64_t parameters = 0;
    std::int64_t trainable_parameters = 0;
    std::int64_t start_step = 0;  // > 0 when resumed: steps already done by the parent run
    std::string resumed_from;     // the checkpoint continued from; empty for a fresh run
};

struct StepMetrics {        // after every optimizer step
    int epoch = 0;          // 1-based
    std::int64_t step = 0;  // global optimizer step, 1-based
    std::int64_t total_steps = 0;
    double loss = 0.0;  // this step's training loss
    double learning_rate = 0.0;
    double grad_norm = 0.0;  // before clipping
    double elapsed_seconds = 0.0;
    double eta_seconds = 0.0;  // remaining training time estimate (excludes evaluation)
    bool skipped = false;      // non-finite loss, skipped by nan_policy: skip (no update)
};

struct EvalReport {     // after each dev evaluation and the final test evaluation
    std::string split;  // "dev" | "test"
    int epoch = 0;
    std::int64_t step = 0;
    double loss = 0.0;
    // Per class / label / entity type; see train::EvalOutput for what accuracy means per task.
    metrics::ClassificationReport report;
    // The head kind: "sequence_classification", "multi_label", "token_classification",
    // "regression".
    std::string task = "sequence_classification";
    // Named headline scores of the task (metrics.csv columns, dev_<name> selection metrics):
    // regression mse, rmse, mae, r2, pearson, spearman; multi_label micro_f1, macro_f1,
    // samples_f1; token classification precision, recall, f1 (entity micro); classification
    // accuracy, macro_f1. Classification-style reports also fill `report`.
    std::map<std::string, double> scores;
    // Task-specific extras as a JSON object ("" when none): multi-label "samples avg",
    // subset_accuracy, hamming_loss; BIO tagging "entities" (seqeval-style counts and scores).
    std::string details_json;
};

struct CheckpointInfo {
    std::string path;
    int epoch = 0;
    std::int64_t step = 0;
    std::string reason;  // "epoch" | "step" | "best" | "request" | "cancel" | "final"
};

struct RunResult {
    RunState state = RunState::Idle;  // Finished, Cancelled or Failed
    std::string run_dir;
    std::string last_checkpoint;  // empty if none was written
    std::string error;            // for Failed
    double wall_seconds = 0.0;
};

}  // namespace tb::train
