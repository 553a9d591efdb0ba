// "Largest batch that fits" for an experiment: builds the run's model on the run's device and
// searches the batch sizes (batch_size_search.h) for one training step at model.max_length.
#pragma once

#include <cstdint>
#include <string>

#include "io/experiment_config.h"
#include "train/batch_size_search.h"
#include "train/prepared_data.h"

namespace tb::train {

struct BatchSizeFinding {
    BatchSizeSearch search;
    std::string device;                // "cpu", "cuda:0"
    std::string method;                // "trial steps" (CUDA) or "memory estimate" (CPU)
    std::int64_t sequence_length = 0;  // every trial uses full-length sequences (worst case)
    std::int64_t budget_bytes = 0;     // CPU: the memory the estimate must stay under
};

// On CUDA each trial runs a real forward + backward + optimizer step (with the experiment's
// precision) on random full-length token ids; an out-of-memory error means "does not fit" and
// the allocator's cache is emptied before the next trial. On the CPU a real out-of-memory ends
// the process (the kernel's OOM killer) instead of raising an error, so trials compare the
// training-memory estimate (memory_estimate.h) with 80 % of the memory available now
// (MemAvailable). Sizes go up to `limit`. Throws tb::Error for a bad model folder or device.
BatchSizeFinding find_batch_size(const io::ExperimentConfig& config, std::int64_t limit,
                                 const LogFn& log);

// Bytes of memory the kernel reports as available for new allocations (MemAvailable in
// /proc/meminfo); 0 when unknown.
std::int64_t available_host_memory();

}  // namespace tb::train
