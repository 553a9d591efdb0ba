#include "train/training_events.h"

namespace tb::train {

std::string run_state_name(RunState state) {
    switch (state) {
        case RunState::Idle:
            return "idle";
        case RunState::Running:
            return "running";
        case RunState::Paused:
            return "paused";
        case RunState::Cancelling:
            return "cancelling";
        case RunState::Finished:
            return "finished";
        case RunState::Cancelled:
            return "cancelled";
        case RunState::Failed:
            return "failed";
    }
    return "unknown";
}

}  // namespace tb::train
