#include "train/batch_prefetcher.h"

namespace tb::train {

BatchPrefetcher::BatchPrefetcher(const EncodedSplit& split,
                                 std::vector<std::vector<std::size_t>> plan, std::size_t first,
                                 std::int64_t pad_id, const torch::Device& device, int depth,
                                 std::int64_t epoch)
    : split_(split),
      plan_(std::move(plan)),
      next_(first),
      pad_id_(pad_id),
      device_(device),
      depth_(depth > 0 ? static_cast<std::size_t>(depth) : 0),
      epoch_(epoch) {
    if (depth_ > 0 && next_ < plan_.size())
        worker_ = std::thread([this] { work(); });
}

BatchPrefetcher::~BatchPrefetcher() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    changed_.notify_all();
    if (worker_.joinable())
        worker_.join();
}

void BatchPrefetcher::work() {
    std::size_t index = next_;
    try {
        for (; index < plan_.size(); ++index) {
            {
                std::unique_lock<std::mutex> lock(mutex_);
                changed_.wait(lock, [this] { return stop_ || ready_.size() < depth_; });
                if (stop_)
                    return;
            }
            // Collated on the CPU here; moved to the device by next() on the training thread.
            Batch batch = collate(split_, plan_[index], pad_id_, torch::kCPU, epoch_);
            {
                std::lock_guard<std::mutex> lock(mutex_);
                ready_.push_back(std::move(batch));
            }
            changed_.notify_all();
        }
    } catch (...) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            error_ = std::current_exception();
        }
        changed_.notify_all();
    }
}

Batch BatchPrefetcher::next() {
    if (depth_ == 0)
        return collate(split_, plan_[next_++], pad_id_, device_, epoch_);
    Batch batch;
    {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [this] { return !ready_.empty() || error_; });
        if (ready_.empty())
            std::rethrow_exception(error_);
        batch = std::move(ready_.front());
        ready_.pop_front();
    }
    changed_.notify_all();
    ++next_;
    if (device_.is_cpu())
        return batch;
    return to_device(batch, device_);
}

}  // namespace tb::train
