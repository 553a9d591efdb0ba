// Lists the checkpoints of a run folder and picks one to resume from (CLI `resume --checkpoint`,
// GUI "pick a run -> pick a checkpoint -> Resume"). Torch-free: reads HDF5 attributes only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tb::train {

struct CheckpointEntry {
    std::string path;       // absolute or as found under <run>/checkpoints
    std::string file_name;  // e.g. "epoch-002.h5", "step-000120.h5", "cancel-step-37.h5"
    int epoch = 0;          // completed epochs at the save
    std::int64_t global_step = 0;
    std::int64_t step_in_epoch = 0;
    std::string reason;  // epoch | step | best | request | cancel | final ("" in old files)
    std::string state;   // running | finished | cancelled
    std::string created;
    bool is_best = false;  // the run's best checkpoint by output.best_metric
};

// The complete checkpoints in <run_dir>/checkpoints (io::list_checkpoints: truncated, foreign
// and temp files are never offered), oldest to newest, with why each was saved and which is the
// run's best. Throws tb::Error if run_dir has no checkpoints folder.
std::vector<CheckpointEntry> run_checkpoints(const std::string& run_dir);

// Picks the checkpoint to resume from. `which`:
//   ""       the newest complete one (highest global step);
//   "N"      (digits) the checkpoint taken at global optimizer step N;
//   other    a file name inside <run_dir>/checkpoints, or a path to a .h5 file.
// `run_dir` may also be a checkpoint file itself (then `which` must be empty).
// Throws tb::Error naming the available steps when nothing matches.
std::string select_checkpoint(const std::string& run_dir, const std::string& which = "");

}  // namespace tb::train
