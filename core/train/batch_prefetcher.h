// Collates the next training batches on a background thread while the current one trains:
// a bounded queue (at most `depth` batches ahead), strictly in plan order, and an exception
// thrown while collating is rethrown by next() on the training thread. depth 0 collates on the
// calling thread. Collation draws from no shared generator (image augmentation is seeded per
// example), so prefetching never changes results.
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "train/batching.h"

namespace tb::train {

class BatchPrefetcher {
public:
    // Batches plan[first], plan[first + 1], ... of `split` (which must outlive this object),
    // moved to `device` on the training thread. `epoch` seeds an image split's augmentation
    // (collate), so images are decoded and augmented here, off the training thread.
    BatchPrefetcher(const EncodedSplit& split, std::vector<std::vector<std::size_t>> plan,
                    std::size_t first, std::int64_t pad_id, const torch::Device& device, int depth,
                    std::int64_t epoch = -1);
    ~BatchPrefetcher();  // stops the worker and joins it; pending batches are dropped
    BatchPrefetcher(const BatchPrefetcher&) = delete;
    BatchPrefetcher& operator=(const BatchPrefetcher&) = delete;

    bool has_next() const { return next_ < plan_.size(); }
    // The next batch in plan order. Precondition: has_next().
    Batch next();

private:
    void work();

    const EncodedSplit& split_;
    std::vector<std::vector<std::size_t>> plan_;
    std::size_t next_;  // next index handed out by next()
    std::int64_t pad_id_;
    torch::Device device_;
    std::size_t depth_;
    std::int64_t epoch_;

    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<Batch> ready_;
    std::exception_ptr error_;
    bool stop_ = false;
    std::thread worker_;
};

}  // namespace tb::train
