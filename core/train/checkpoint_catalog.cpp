#include "train/checkpoint_catalog.h"

#include <algorithm>
#include <filesystem>

#include "common/error.h"
#include "io/checkpoint.h"

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

std::vector<CheckpointEntry> list_checkpoints(const std::string& run_dir) {
    const fs::path dir = fs::path(run_dir) / "checkpoints";
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error("not a run folder: it has no checkpoints/ folder",
                    SourceLocation{run_dir, 0, 0, ""});
    std::vector<CheckpointEntry> out;
    std::string best;
    for (const auto& item : fs::directory_iterator(dir, ec)) {
        if (item.path().extension() != ".h5" || !item.is_regular_file(ec))
            continue;
        try {
            const io::Checkpoint header = io::load_checkpoint_header(item.path().string());
            CheckpointEntry e;
            e.path = item.path().string();
            e.file_name = item.path().filename().string();
            e.epoch = header.trainer.epoch;
            e.global_step = header.trainer.global_step;
            e.step_in_epoch = header.trainer.step_in_epoch;
            e.reason = header.trainer.reason;
            e.state = header.trainer.state;
            e.created = header.created;
            out.push_back(e);
        } catch (const Error&) {
            // A foreign or damaged file is not offered for resuming.
        }
    }
    std::sort(out.begin(), out.end(), [](const CheckpointEntry& a, const CheckpointEntry& b) {
        return a.global_step != b.global_step ? a.global_step < b.global_step
                                              : a.file_name < b.file_name;
    });
    // The newest checkpoint names the run's best (each save records the best so far).
    if (!out.empty()) {
        try {
            best = io::load_checkpoint_header(out.back().path).trainer.best_checkpoint;
        } catch (const Error&) {
        }
    }
    for (auto& e : out)
        e.is_best = !best.empty() && e.file_name == best;
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
        for (const fs::path candidate :
             {fs::path(run_dir) / "checkpoints" / which, fs::path(which)})
            if (fs::is_regular_file(candidate, ec))
                return candidate.string();
    }
    const auto entries = list_checkpoints(run_dir);
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
