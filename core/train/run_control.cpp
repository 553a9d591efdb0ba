#include "train/run_control.h"

namespace tb::train {

void RunControl::pause() {
    std::lock_guard<std::mutex> lock(mutex_);
    paused_ = true;
}

void RunControl::resume() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        paused_ = false;
    }
    wake_.notify_all();
}

void RunControl::cancel() {
    {
        // Set under the mutex so a thread about to wait cannot miss the wake-up.
        std::lock_guard<std::mutex> lock(mutex_);
        cancelled_.store(true);
    }
    wake_.notify_all();
}

void RunControl::request_checkpoint() {
    checkpoint_requested_.store(true);
}

bool RunControl::is_paused() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return paused_;
}

bool RunControl::checkpoint() {
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait(lock, [this] { return !paused_ || cancelled_.load(); });
    return !cancelled_.load();
}

}  // namespace tb::train
