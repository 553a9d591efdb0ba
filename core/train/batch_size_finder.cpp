#include "train/batch_size_finder.h"

#include <fstream>
#include <sstream>

#include <torch/torch.h>

// The allocator header needs the CUDA runtime headers, which only CUDA builds of LibTorch ship.
#if __has_include(<c10/cuda/CUDACachingAllocator.h>) && __has_include(<cuda_runtime_api.h>)
#include <c10/cuda/CUDACachingAllocator.h>
#define TB_HAVE_CUDA_ALLOCATOR 1
#endif

#include "common/error.h"
#include "model/model_folder.h"
#include "train/device_resolve.h"
#include "train/memory_estimate.h"
#include "train/mixed_precision.h"
#include "train/optimizer_setup.h"
#include "train/task_model_setup.h"

namespace tb::train {

std::int64_t available_host_memory() {
    std::ifstream in("/proc/meminfo");
    std::string key;
    std::int64_t kib = 0;
    std::string unit;
    while (in >> key >> kib >> unit)
        if (key == "MemAvailable:")
            return kib * 1024;
    return 0;
}

namespace {

bool is_out_of_memory(const std::exception& e) {
    const std::string what = e.what();
    return what.find("out of memory") != std::string::npos ||
           what.find("CUDA error: out of memory") != std::string::npos;
}

void release_cached_memory() {
#ifdef TB_HAVE_CUDA_ALLOCATOR
    c10::cuda::CUDACachingAllocator::emptyCache();
#endif
}

}  // namespace

BatchSizeFinding find_batch_size(const io::ExperimentConfig& config, std::int64_t limit,
                                 const LogFn& log) {
    BatchSizeFinding finding;
    const auto folder = model::inspect_model_folder(config.resolve(config.model.path));
    const torch::Device device = resolve_device(config.training.device);
    finding.device = device.str();
    finding.sequence_length = config.model.max_length;
    configure_precision(config.training.precision, config.training.allow_tf32, device);

    // The number of outputs hardly changes memory next to the encoder: two stand in for the
    // dataset's label count, so the finder needs no pass over the data.
    auto setup = build_task_model(config, folder, /*num_outputs=*/2, /*load_pretrained=*/false);
    auto& net = setup.model;
    std::vector<NamedParameter> parameters;
    std::int64_t total = 0, trainable = 0;
    for (const auto& p : net->named_parameters()) {
        total += p.value().numel();
        if (p.value().requires_grad()) {
            trainable += p.value().numel();
            parameters.push_back({p.key(), p.value()});
        }
    }

    if (device.is_cpu()) {
        finding.method = "memory estimate";
        finding.budget_bytes = available_host_memory() * 8 / 10;
        MemoryEstimateInput m;
        m.parameters = total;
        m.trainable_parameters = trainable;
        m.sequence_length = finding.sequence_length;
        m.hidden_size = folder.config.hidden_size;
        m.layers = folder.config.num_hidden_layers;
        m.attention_heads = folder.config.num_attention_heads;
        auto fits = [&](std::int64_t n) {
            m.batch_size = n;
            return estimate_training_memory(m).total_bytes() <= finding.budget_bytes;
        };
        finding.search = search_largest_batch(fits, 1, limit);
        return finding;
    }

    finding.method = "trial steps";
    net->to(device);
    net->train();
    auto optimizer = make_optimizer(config.training, parameters, config.training.learning_rate);
    const std::int64_t vocab = folder.config.vocab_size;
    auto fits = [&](std::int64_t n) {
        if (log)
            log("trying batch size " + std::to_string(n));
        try {
            const auto options = torch::TensorOptions().dtype(torch::kInt64).device(device);
            auto ids = torch::randint(1, vocab, {n, finding.sequence_length}, options);
            auto mask = torch::ones({n, finding.sequence_length}, options);
            auto types = torch::zeros({n, finding.sequence_length}, options);
            optimizer->zero_grad();
            torch::Tensor loss;
            {
                AutocastScope autocast(config.training.precision, device);
                // A stand-in loss with the real backward graph: every logit gets a gradient.
                loss = net->forward(ids, mask, types).to(torch::kFloat).pow(2).mean();
            }
            loss.backward();
            optimizer->step();
            if (device.is_cuda())
                torch::cuda::synchronize();
            return true;
        } catch (const std::exception& e) {
            optimizer->zero_grad();
            release_cached_memory();
            if (is_out_of_memory(e))
                throw Error("out of memory at batch size " + std::to_string(n));
            throw;
        }
    };
    finding.search = search_largest_batch(fits, 1, limit);
    release_cached_memory();
    return finding;
}

}  // namespace tb::train
