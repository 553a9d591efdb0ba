// What resuming needs besides the tensors: which checkpoint, the experiment it was trained with,
// whether the experiment given now may continue it (and what differs), and the parent run's
// metric rows that begin the new run's logs. Torch-free, for the CLI and GUI as well.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/experiment_config.h"

namespace tb::train {

// FNV-1a (hex) of to_yaml(config): identifies an experiment in run.json and checkpoints.
std::string config_hash(const io::ExperimentConfig& config);

struct ConfigDifference {
    std::string key;  // dotted, e.g. "training.batch_size"
    std::string before, after;
};
std::vector<ConfigDifference> config_differences(const io::ExperimentConfig& before,
                                                 const io::ExperimentConfig& after);

// Keys that may change on resume because they do not alter the data, model or per-step math:
// epochs / max_steps (train longer; the schedule is recomputed), evaluation, logging, output,
// device, threads and the like. Every other difference makes check_resume_compatible throw a
// tb::Error that names each key with both values. Returns the allowed differences.
std::vector<ConfigDifference> check_resume_compatible(const io::ExperimentConfig& checkpointed,
                                                      const io::ExperimentConfig& now);

struct ResumePlan {
    std::string checkpoint;       // the .h5 file to continue from
    std::string parent_run_dir;   // its run folder; empty if the file is not inside one
    io::ExperimentConfig config;  // the checkpoint's experiment, paths resolving as originally
    int epoch = 0;                // completed epochs at the checkpoint
    std::int64_t global_step = 0;
};

// `run_dir_or_checkpoint` and `which` as for select_checkpoint(). The experiment comes from
// the checkpoint itself; relative paths resolve against the original experiment's folder
// (recorded in the parent's run.json), so a resume works from any working directory.
// Callers may then change allowed keys (e.g. training.epochs) before starting the Trainer.
ResumePlan plan_resume(const std::string& run_dir_or_checkpoint, const std::string& which = "");

// The run folder holding `checkpoint` (<run>/checkpoints/<file>.h5 with <run>/run.json), or
// "" when the file lies elsewhere.
std::string run_dir_of_checkpoint(const std::string& checkpoint);

// Writes the parent's metrics.jsonl / metrics.csv rows with step <= max_step (test rows
// excluded: they describe the parent's final model) into `run_dir`, so the continued run's
// curves start where the parent's stopped. Missing parent logs are not an error.
void copy_metrics_prefix(const std::string& parent_run_dir, const std::string& run_dir,
                         std::int64_t max_step);

}  // namespace tb::train
