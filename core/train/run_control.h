// Thread-safe pause / resume / cancel for a running training loop (DESIGN.md section 3).
// The UI thread calls pause(), resume() and cancel() directly; the training thread calls
// checkpoint() at every batch boundary. std-only so the UI can hold one without LibTorch.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace tb::train {

class RunControl {
public:
    void pause();
    void resume();
    // Idempotent; wakes a paused run so it can stop.
    void cancel();
    // Asks the loop to save a checkpoint at the next batch boundary (cleared when taken).
    void request_checkpoint();

    bool is_paused() const;
    bool is_cancelled() const { return cancelled_.load(); }

    // Training thread only. Blocks while paused; returns false once cancelled (the loop must
    // then stop at this boundary). Returns true to continue.
    bool checkpoint();
    // Training thread only: true once after request_checkpoint().
    bool take_checkpoint_request() { return checkpoint_requested_.exchange(false); }

private:
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool paused_ = false;
    std::atomic<bool> cancelled_{false};
    std::atomic<bool> checkpoint_requested_{false};
};

}  // namespace tb::train
