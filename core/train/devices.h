// The compute devices this build can train on, for the GUI's device picker and `--dry-run`.
// LibTorch stays out of the header so the UI can include it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tb::train {

struct ComputeDevice {
    std::string id;                 // value for training.device: "cpu", "cuda:0", ...
    std::string name;               // "CPU (16 threads)", "NVIDIA H100 80GB HBM3"
    std::int64_t memory_bytes = 0;  // total device memory; 0 when unknown (CPU, or no headers)
};

// The CPU first, then every CUDA GPU the runtime reports. A CPU-only LibTorch lists the CPU.
std::vector<ComputeDevice> list_compute_devices();

}  // namespace tb::train
