// One process of the data-parallel equivalence test (tst_distributed): trains a tiny MLP for a
// fixed list of global batches, taking its shard of each and all-reducing gradients, then
// evaluates with a sharded split and summed counts. Without rank variables it is the
// single-process reference. Writes its final weights and metrics as JSON.
//
// usage: tb_distributed_worker OUT.json contiguous|strided TIMEOUT_SECONDS
//        tb_distributed_worker --backends   (lists the process-group backends built in)
#include <cstdio>
#include <fstream>
#include <iostream>

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "train/data_sharding.h"
#include "train/distributed_context.h"

using namespace tb::train;

namespace {

constexpr int kExamples = 40;
constexpr int kFeatures = 5;
constexpr int kClasses = 3;
// Global batch sizes per step: uneven splits (5 over 2 ranks) and a batch smaller than the
// world (1), which leaves a rank with no examples and undefined gradients.
const std::vector<int> kBatchSizes = {8, 8, 8, 5, 8, 8, 1, 8, 8, 8};

struct MlpImpl : torch::nn::Module {
    torch::nn::Linear hidden{nullptr}, out{nullptr};
    MlpImpl() {
        hidden = register_module("hidden", torch::nn::Linear(kFeatures, 16));
        out = register_module("out", torch::nn::Linear(16, kClasses));
    }
    torch::Tensor forward(const torch::Tensor& x) { return out(torch::tanh(hidden(x))); }
};
TORCH_MODULE(Mlp);

int run(const std::string& out_path, ShardMode mode, int timeout_seconds) {
    const auto env = distributed_env_from_process();
    DistributedOptions options;
    options.timeout = std::chrono::seconds(timeout_seconds);
    options.bucket_bytes = 256;  // several buckets even for this tiny model
    auto ctx = DistributedContext::connect(env, torch::kCPU, options);

    // Same data on every rank; different initial weights on ranks > 0, so only the broadcast
    // from rank 0 can make the runs agree.
    torch::manual_seed(7);
    const auto x = torch::randn({kExamples, kFeatures});
    const auto y = torch::randint(0, kClasses, {kExamples});
    torch::manual_seed(1 + static_cast<std::uint64_t>(ctx.rank()));
    Mlp model;
    std::vector<at::Tensor> params;
    for (const auto& p : model->parameters())
        params.push_back(p);
    ctx.broadcast(params, 0);
    torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.2).momentum(0.9));

    std::vector<double> losses;
    std::size_t cursor = 0;
    for (const int size : kBatchSizes) {
        std::vector<std::size_t> batch;
        for (int i = 0; i < size; ++i)
            batch.push_back((cursor++ * 7) % kExamples);
        const auto mine = shard_batch(batch, ctx.rank(), ctx.world_size(), mode);
        optimizer.zero_grad();
        double loss_sum = 0.0;
        if (!mine.empty()) {
            std::vector<std::int64_t> idx(mine.begin(), mine.end());
            const auto rows = torch::tensor(idx, torch::kInt64);
            // Sum of per-example losses over the global batch size: summing the ranks'
            // gradients gives the gradient of the global-batch mean.
            auto loss =
                torch::nn::functional::cross_entropy(
                    model->forward(x.index_select(0, rows)), y.index_select(0, rows),
                    torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum)) /
                static_cast<double>(size);
            loss.backward();
            loss_sum = loss.item<double>();
        }
        ctx.all_reduce_gradients(params, ReduceMode::Sum);
        optimizer.step();
        losses.push_back(ctx.all_reduce_sum(loss_sum));
    }

    // Sharded evaluation: each rank scores its examples; predictions and counts are summed.
    torch::NoGradGuard no_grad;
    std::vector<std::int64_t> predictions(kExamples, 0);
    std::int64_t correct = 0;
    double eval_loss = 0.0;
    for (auto i : eval_shard(kExamples, ctx.rank(), ctx.world_size())) {
        const auto row = x.index({static_cast<std::int64_t>(i)}).unsqueeze(0);
        const auto logits = model->forward(row);
        const auto label = y.index({static_cast<std::int64_t>(i)}).unsqueeze(0);
        eval_loss += torch::nn::functional::cross_entropy(logits, label).item<double>();
        const auto p = logits.argmax(1).item<std::int64_t>();
        predictions[i] = p + 1;  // 0 = not scored here
        correct += p == label.item<std::int64_t>() ? 1 : 0;
    }
    predictions = ctx.all_reduce_sum(predictions);
    correct = ctx.all_reduce_sum(correct);
    eval_loss = ctx.all_reduce_sum(eval_loss);
    ctx.barrier();

    nlohmann::json out;
    out["rank"] = ctx.rank();
    out["world_size"] = ctx.world_size();
    out["backend"] = ctx.backend();
    out["losses"] = losses;
    std::vector<double> weights;
    for (const auto& p : params) {
        const auto flat = p.detach().reshape({-1}).to(torch::kFloat64).contiguous();
        weights.insert(weights.end(), flat.data_ptr<double>(),
                       flat.data_ptr<double>() + flat.numel());
    }
    out["weights"] = weights;
    out["predictions"] = predictions;
    out["correct"] = correct;
    out["eval_loss"] = eval_loss;
    std::ofstream(out_path) << out.dump() << '\n';
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 2 && std::string(argv[1]) == "--backends") {
        for (const auto& name : DistributedContext::available_backends())
            std::cout << name << '\n';
        return 0;
    }
    if (argc != 4) {
        std::cerr << "usage: tb_distributed_worker OUT.json contiguous|strided TIMEOUT_SECONDS\n";
        return 2;
    }
    try {
        const std::string mode = argv[2];
        return run(argv[1], mode == "strided" ? ShardMode::Strided : ShardMode::Contiguous,
                   std::atoi(argv[3]));
    } catch (const std::exception& e) {
        std::cerr << "worker failed: " << e.what() << '\n';
        return 1;
    }
}
