// Reads run folders (run.json + checkpoints/) without LibTorch, for the GUI's Runs page and
// `tunebench-cli runs`: local runs and runs written elsewhere (a cluster's shared folder).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tb::runs {

struct RunSummary {
    std::string path;   // the run folder
    std::string name;   // its folder name
    std::string state;  // running | paused | cancelled | failed | finished | unknown
    std::string experiment, device, started, ended, error;
    std::string last_checkpoint, best_checkpoint;
    std::string resumed_from;  // parent run folder when this run continued another
    double wall_seconds = 0.0;
    std::int64_t last_activity = 0;  // newest mtime (Unix seconds) of run.json / metrics log
    std::string problem;             // why run.json could not be read (empty when it was)
};

// Never throws: an unreadable or missing run.json becomes `problem` and state "unknown".
RunSummary read_run_summary(const std::string& run_dir);

// Every sub-folder of runs_dir holding a run.json, newest first (by start time, then name).
// A missing runs_dir gives an empty list.
std::vector<RunSummary> list_runs(const std::string& runs_dir);

// "running" when the run is running, or "running?" when it says running but nothing in the
// folder changed for stale_after_seconds (killed, or a remote run that lost its node).
std::string display_state(const RunSummary& run, std::int64_t now_unix,
                          std::int64_t stale_after_seconds = 600);

}  // namespace tb::runs
