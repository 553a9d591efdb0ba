// HDF5 checkpoints (layout: docs/checkpoint-format.md, DESIGN.md section 5). Torch-free: tensors
// travel as TensorBlob so h5py, h5dump and our tests read them without LibTorch.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/tensor_blob.h"

namespace tb::io {

struct TrainerState {
    int epoch = 0;  // completed epochs
    std::int64_t global_step = 0;
    std::int64_t step_in_epoch = 0;  // optimizer steps already taken in the current epoch
    double best_metric = 0.0;
    std::string best_metric_name;
    std::uint64_t seed = 0;
    std::string state = "running";  // finished | cancelled | running (mid-run save)

    // Optional attributes (absent in files written before they existed; defaults then).
    std::string reason;                // why it was saved: epoch | step | best | request | cancel
    std::string data_hash;             // PreparedData::data_hash of the run's data
    std::string config_hash;           // config_hash() of the run's experiment
    std::string best_checkpoint;       // path of the best so far (maybe in a parent run's folder)
    std::int64_t best_step = -1;       // global step at which best_metric was measured
    double early_stopping_best = 0.0;  // best value of training.early_stopping_metric
    std::int64_t early_stopping_bad_evals = 0;  // evaluations since it last improved
    std::int64_t early_stopping_evals = 0;      // evaluations counted so far
    std::int64_t skipped_steps = 0;             // steps skipped by nan_policy: skip
    double loss_scale = 0.0;                    // fp16 dynamic loss scale (0: not used)
    std::int64_t loss_scale_good_steps = 0;     // steps since the scale last changed
};

struct Checkpoint {
    std::string config_yaml;        // /config attr "yaml"
    std::vector<TensorBlob> model;  // /model/<hf.name>
    std::vector<TensorBlob>
        optimizer;         // /optimizer/<param>/<exp_avg|exp_avg_sq|step>, name = "<param>/<slot>"
    TrainerState trainer;  // /trainer attrs
    std::vector<TensorBlob> rng;      // /trainer/rng/<name> (e.g. torch_cpu state bytes)
    std::vector<std::string> labels;  // /labels
    std::vector<std::string> vocab;   // /tokenizer/vocab
    std::map<std::string, std::vector<double>> metrics;  // /metrics/<series>
    std::string created;                                 // ISO-8601 UTC, set on save if empty
    std::string tunebench_version;  // on load: the writer's; save writes this build's
};

// Atomic: writes "<path>.tmp", flushes, fsyncs, renames over <path>, fsyncs the folder. On any
// failure the temp file is removed, a previous <path> is untouched, and tb::Error says why.
// Invalid content (names, byte counts: see checkpoint_validate.h) fails before any I/O. The
// file's metadata is built in memory first and the tensors are then written straight from
// `checkpoint`: the save needs little extra memory (tens of MB for BERT-base).
void save_checkpoint(const Checkpoint& checkpoint, const std::string& path);
// Throws tb::Error if the file is not a tunebench checkpoint or its format_version is newer.
// Tensors come back in the order they were saved (optimizer entries grouped by parameter).
Checkpoint load_checkpoint(const std::string& path);
// Root attributes, /config, /trainer attributes and /labels only: no tensors, vocabulary or
// metric series, so listing a run's checkpoints stays fast for large models.
Checkpoint load_checkpoint_header(const std::string& path);
Checkpoint load_checkpoint(const std::string& path, bool with_tensors);

inline constexpr int kCheckpointFormatVersion = 1;

}  // namespace tb::io
