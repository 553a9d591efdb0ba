#include "train/checkpoint_policy.h"

#include <algorithm>

namespace tb::train {

CheckpointPolicy::CheckpointPolicy(const io::OutputConfig& output)
    : keep_(output.keep_last_checkpoints),
      every_steps_(output.checkpoint_every_steps),
      each_epoch_(output.checkpoint_each_epoch) {}

std::vector<std::string> CheckpointPolicy::add_rolling(const std::string& path) {
    // The same file saved again (same stem) moves to the newest position.
    rolling_.erase(std::remove(rolling_.begin(), rolling_.end(), path), rolling_.end());
    rolling_.push_back(path);
    return prune();
}

std::vector<std::string> CheckpointPolicy::set_best(const std::string& path) {
    best_ = path;
    return prune();
}

std::vector<std::string> CheckpointPolicy::prune() {
    std::vector<std::string> remove;
    if (keep_ <= 0)
        return remove;
    std::vector<std::string> kept;
    const std::size_t keep = static_cast<std::size_t>(keep_);
    for (std::size_t i = 0; i < rolling_.size(); ++i) {
        const bool recent = i + keep >= rolling_.size();
        if (recent || rolling_[i] == best_)
            kept.push_back(rolling_[i]);
        else
            remove.push_back(rolling_[i]);
    }
    rolling_ = std::move(kept);
    return remove;
}

}  // namespace tb::train
