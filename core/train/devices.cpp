#include "train/devices.h"

#include "common/error.h"
#include "train/device_resolve.h"

#include <thread>

#include <torch/torch.h>

// Device names and memory need the CUDA runtime headers, which only CUDA builds of LibTorch
// ship; elsewhere GPUs (if any) are listed by index alone.
#if __has_include(<ATen/cuda/CUDAContext.h>) && __has_include(<cuda_runtime_api.h>)
#include <ATen/cuda/CUDAContext.h>
#define TB_HAVE_CUDA_PROPERTIES 1
#endif

namespace tb::train {

std::vector<ComputeDevice> list_compute_devices() {
    std::vector<ComputeDevice> devices;
    const int threads = torch::get_num_threads();
    devices.push_back({"cpu",
                       "CPU (" + std::to_string(threads) + " of " +
                           std::to_string(std::thread::hardware_concurrency()) + " threads)",
                       0});
    if (!torch::cuda::is_available())
        return devices;
    const auto count = static_cast<int>(torch::cuda::device_count());
    for (int i = 0; i < count; ++i) {
        ComputeDevice d{"cuda:" + std::to_string(i), "CUDA GPU " + std::to_string(i), 0};
#ifdef TB_HAVE_CUDA_PROPERTIES
        if (const cudaDeviceProp* p = at::cuda::getDeviceProperties(i)) {
            d.name = p->name;
            d.memory_bytes = static_cast<std::int64_t>(p->totalGlobalMem);
        }
#endif
        devices.push_back(d);
    }
    return devices;
}

torch::Device resolve_device(const std::string& name) {
    if (name == "cpu")
        return torch::kCPU;
    if (name == "auto")
        return torch::cuda::is_available() ? torch::Device(torch::kCUDA, 0) : torch::kCPU;
    if (!torch::cuda::is_available())
        throw Error(
            "device '" + name + "' was requested but no CUDA GPU is available to this build",
            SourceLocation{{}, 0, 0, "training.device"});
    const torch::Device device(name == "cuda" ? "cuda:0" : name);
    if (device.index() >= static_cast<int>(torch::cuda::device_count()))
        throw Error("device '" + name + "' does not exist: this machine has " +
                        std::to_string(torch::cuda::device_count()) + " CUDA GPU(s)",
                    SourceLocation{{}, 0, 0, "training.device"});
    return device;
}

}  // namespace tb::train
