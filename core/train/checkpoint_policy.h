// When to save checkpoints and which to delete: every N steps and/or each epoch, keep the last
// k rolling checkpoints, never delete the best one. Torch-free; the trainer does the saving.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/experiment_config.h"

namespace tb::train {

class CheckpointPolicy {
public:
    explicit CheckpointPolicy(const io::OutputConfig& output);

    bool due_after_step(std::int64_t global_step) const {
        return every_steps_ > 0 && global_step % every_steps_ == 0;
    }
    bool each_epoch() const { return each_epoch_; }

    // A rolling checkpoint (epoch, periodic or best) was written. Returns the files to delete
    // now: the oldest beyond keep-last-k, except the best. Requested and cancel checkpoints are
    // never passed here and never deleted.
    std::vector<std::string> add_rolling(const std::string& path);
    // Marks `path` as the best; an older best then becomes prunable. Returns files to delete.
    std::vector<std::string> set_best(const std::string& path);
    const std::string& best() const { return best_; }

private:
    std::vector<std::string> prune();

    int keep_;
    std::int64_t every_steps_;
    bool each_epoch_;
    std::vector<std::string> rolling_;  // oldest first
    std::string best_;
};

}  // namespace tb::train
