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

inline constexpr int kCheckpointFormatVersion = 1;

}  // namespace tb::io
