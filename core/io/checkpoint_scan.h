// Finds the checkpoints of a run folder and the newest complete one to resume from (Torch-free).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tb::io {

// What a cheap check of one checkpoint file found (see inspect_checkpoint).
struct CheckpointInfo {
    std::string path;
    std::int64_t global_step = 0;
    int epoch = 0;  // completed epochs
    std::int64_t step_in_epoch = 0;
    std::string state;    // running | finished | cancelled (TrainerState::state)
    std::string created;  // ISO-8601 UTC time of the save ("" if the writer left it out)
    std::uintmax_t size_bytes = 0;
};

// A "*.h5" file in the folder that is not a usable tunebench checkpoint, and why.
struct CheckpointProblem {
    std::string path;
    std::string reason;
};

struct CheckpointScan {
    std::vector<CheckpointInfo> complete;         // ordered oldest to newest (see list_checkpoints)
    std::vector<CheckpointProblem> damaged;       // not HDF5, truncated, another format, too new...
    std::vector<std::string> temp_files;          // "*.tmp" leftovers of interrupted saves
    std::vector<std::string> removed_temp_files;  // those deleted (remove_temp_files = true)
};

// Verifies that `path` opens as a tunebench checkpoint this build can read and returns its
// position, without reading tensor data: the root format attributes and format_version, the
// /model group and the /trainer attributes are read, and every dataset's stored bytes must lie
// inside the file (a truncated or partly copied file fails; HDF5 itself also refuses a file
// shorter than its recorded end). Milliseconds even for a BERT-base checkpoint. Throws
// tb::Error located at `path` with the reason. Does not detect bit rot inside tensor data.
CheckpointInfo inspect_checkpoint(const std::string& path);

// Scans the regular files directly in `dir` (no recursion): "*.h5" files are inspected,
// "*.h5.tmp" and other "*.tmp" files are listed as leftovers of interrupted saves, everything
// else is ignored. `complete` is ordered by global_step, then `created`, then file name, so
// back() is the newest. With remove_temp_files the leftovers are deleted; do that only when no
// process is saving into `dir` (e.g. just before resuming), since a live save writes its .tmp
// there. Throws tb::Error if `dir` does not exist or cannot be listed.
CheckpointScan list_checkpoints(const std::string& dir, bool remove_temp_files = false);

// The newest complete checkpoint in `dir` (the back() of list_checkpoints), or std::nullopt if
// there is none. Damaged files and temp files are skipped, never returned; the folder is not
// modified. Throws tb::Error if `dir` does not exist or cannot be listed.
std::optional<CheckpointInfo> find_latest_complete_checkpoint(const std::string& dir);

}  // namespace tb::io
