#include "train/checkpoint_catalog.h"

#include <algorithm>
#include <filesystem>

#include "common/error.h"
#include "io/checkpoint.h"
#include "io/checkpoint_scan.h"

namespace fs = std::filesystem;

namespace tb::train {
namespace {

bool all_digits(const std::string& text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string available_steps(const std::vector<CheckpointEntry>& entries) {
    std::string list;
    for (const auto& e : entries)
        list +=
            (list.empty() ? "" : ", ") + std::to_string(e.global_step) + " (" + e.file_name + ")";
    return list.empty() ? "none" : list;
}

}  // namespace

std::vector<CheckpointEntry> run_checkpoints(const std::string& run_dir) {
    const fs::path dir = fs::path(run_dir) / "checkpoints";
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error("not a run folder: it has no checkpoints/ folder",
                    SourceLocation{run_dir, 0, 0, ""});
    std::vector<CheckpointEntry> out;
    for (const auto& info : io::list_checkpoints(dir.string()).complete) {
        CheckpointEntry e;
        e.path = info.path;
        e.file_name = fs::path(info.path).filename().string();
        e.epoch = info.epoch;
        e.global_step = info.global_step;
        e.step_in_epoch = info.step_in_epoch;
        e.state = info.state;
        e.created = info.created;
        try {
            e.reason = io::load_checkpoint_header(info.path).trainer.reason;
        } catch (const Error&) {
            // Complete but unreadable a moment later (deleted by pruning): still listed.
        }
        out.push_back(e);
    }
    // The newest checkpoint names the run's best (each save records the best so far).
    std::string best;
    if (!out.empty()) {
        try {
            best = io::load_checkpoint_header(out.back().path).trainer.best_checkpoint;
        } catch (const Error&) {
        }
    }
    for (auto& e : out)
        e.is_best = !best.empty() && e.file_name == fs::path(best).filename().string();
    return out;
}

std::string select_checkpoint(const std::string& run_dir, const std::string& which) {
    std::error_code ec;
    if (fs::is_regular_file(run_dir, ec)) {
        if (!which.empty())
            throw Error("give either a checkpoint file or a run folder with --checkpoint, not both",
                        SourceLocation{run_dir, 0, 0, ""});
        return run_dir;
    }
    if (!which.empty() && !all_digits(which)) {
        for (const fs::path& candidate :
             {fs::path(run_dir) / "checkpoints" / which, fs::path(which)})
            if (fs::is_regular_file(candidate, ec))
                return candidate.string();
    }
    const auto entries = run_checkpoints(run_dir);
    if (entries.empty())
        throw Error("the run has no checkpoint to resume from", SourceLocation{run_dir, 0, 0, ""});
    if (which.empty())
        return entries.back().path;
    if (all_digits(which)) {
        const long long step = which.size() > 18 ? -1 : std::stoll(which);
        // Several files may hold the same step (an epoch end that was also cancelled there):
        // they hold the same weights; the last by name is as good as any.
        for (auto it = entries.rbegin(); it != entries.rend(); ++it)
            if (it->global_step == step)
                return it->path;
        throw Error("the run has no checkpoint at global step " + which +
                        "; available steps: " + available_steps(entries),
                    SourceLocation{run_dir, 0, 0, ""});
    }
    throw Error("no checkpoint named '" + which + "'; available: " + available_steps(entries),
                SourceLocation{run_dir, 0, 0, ""});
}

}  // namespace tb::train
