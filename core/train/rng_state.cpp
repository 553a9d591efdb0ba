#include "train/rng_state.h"

#include <ATen/Context.h>

#include "common/error.h"
#include "model/weight_loading.h"

namespace tb::train {
namespace {

std::string cuda_name(const torch::Device& device) {
    return "torch_cuda_" + std::to_string(device.has_index() ? device.index() : 0);
}

// at::Context::defaultGenerator works in CPU-only builds too: the CUDA branch is only taken
// with a CUDA device, which a CPU-only LibTorch never resolves to.
at::Generator generator_for(const torch::Device& device) {
    return at::globalContext().defaultGenerator(device);
}

}  // namespace

std::vector<TensorBlob> capture_rng_states(const torch::Device& device) {
    std::vector<TensorBlob> out;
    {
        auto cpu = generator_for(torch::kCPU);
        std::lock_guard<std::mutex> lock(cpu.mutex());
        out.push_back(model::from_torch("torch_cpu", cpu.get_state()));
    }
    if (device.is_cuda()) {
        auto cuda = generator_for(device);
        std::lock_guard<std::mutex> lock(cuda.mutex());
        out.push_back(model::from_torch(cuda_name(device), cuda.get_state()));
    }
    return out;
}

void restore_rng_states(const std::vector<TensorBlob>& blobs, const torch::Device& device) {
    bool have_cpu = false;
    for (const auto& blob : blobs) {
        torch::Device target = torch::kCPU;
        if (blob.name == "torch_cpu") {
            have_cpu = true;
        } else if (device.is_cuda() && blob.name == cuda_name(device)) {
            target = device;
        } else {
            continue;  // e.g. a GPU state when resuming on the CPU: the CPU stream is what counts
        }
        auto generator = generator_for(target);
        std::lock_guard<std::mutex> lock(generator.mutex());
        try {
            generator.set_state(model::to_torch(blob));
        } catch (const c10::Error& e) {
            throw Error("cannot restore the random-number state '" + blob.name +
                            "': " + e.what_without_backtrace(),
                        SourceLocation{{}, 0, 0, "trainer/rng/" + blob.name});
        }
    }
    if (!have_cpu)
        throw Error(
            "the checkpoint has no random-number state (trainer/rng/torch_cpu): it cannot be "
            "resumed exactly",
            SourceLocation{{}, 0, 0, "trainer/rng"});
}

}  // namespace tb::train
