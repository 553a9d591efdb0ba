// Benchmark: milliseconds per fine-tuning step (forward, backward, clip, AdamW) of tunebench's
// BERT sequence classifier on random token ids. bench/run_train_step.sh runs it next to the
// PyTorch reference (bench/reference/train_step.py) with the same shapes and prints the ratio;
// bench/run_train_step_gpu.sh does the same on a CUDA GPU (bf16 autocast), also against
// Hugging Face transformers.
// Arguments: hidden layers batch seq steps [device cpu|cuda] [precision fp32|bf16|fp16]
//            [heads (0: hidden/32)] [vocab 8000]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <string>

#include <torch/torch.h>

#include "model/bert_model.h"
#include "train/device_resolve.h"
#include "train/mixed_precision.h"
#include "train/optimizer_setup.h"

// The benchmark's optimizer (multi-tensor AdamW) against LibTorch's per-parameter AdamW on the
// same device: five steps from the same weights and gradients, largest parameter difference.
// On CUDA the fused _foreach kernels run, which the CPU tests cannot cover.
double optimizer_difference(const std::vector<tb::train::NamedParameter>& params) {
    std::vector<tb::train::NamedParameter> a, b;
    for (const auto& p : params) {
        a.push_back({p.name, p.tensor.detach().clone().requires_grad_()});
        b.push_back({p.name, p.tensor.detach().clone().requires_grad_()});
    }
    auto fast = tb::train::make_adamw(a, 1e-3, 0.01);
    std::vector<torch::Tensor> plain_params;
    for (const auto& p : b)
        plain_params.push_back(p.tensor);
    torch::optim::AdamW plain(plain_params, torch::optim::AdamWOptions(1e-3).weight_decay(0.01));
    for (int step = 0; step < 5; ++step) {
        for (std::size_t i = 0; i < a.size(); ++i) {
            auto g = torch::randn_like(a[i].tensor);
            a[i].tensor.mutable_grad() = g.clone();
            b[i].tensor.mutable_grad() = g;
        }
        fast->step();
        plain.step();
    }
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, (a[i].tensor - b[i].tensor).abs().max().item<double>());
    return worst;
}

int main(int argc, char** argv) {
    // Defaults: the demo model's shape (hidden 128, 2 layers), batch 32, sequence 128.
    auto arg = [&](int i, long fallback) { return argc > i ? std::atol(argv[i]) : fallback; };
    const long hidden = arg(1, 128), layers = arg(2, 2), batch = arg(3, 32), seq = arg(4, 128);
    const long steps = arg(5, 20), warmup = 3;
    const std::string device_name = argc > 6 ? argv[6] : "cpu";
    const std::string precision = argc > 7 ? argv[7] : "fp32";
    const long heads = arg(8, 0), vocab = arg(9, 8000);
    const torch::Device device = tb::train::resolve_device(device_name);
    tb::train::configure_precision(precision, /*allow_tf32=*/false, device);
    // Kernels run asynchronously on a GPU: wait for them before reading the clock.
    auto sync = [&] {
        if (device.is_cuda())
            torch::cuda::synchronize();
    };

    tb::model::BertConfig config;
    config.vocab_size = vocab;
    config.hidden_size = hidden;
    config.num_hidden_layers = layers;
    config.num_attention_heads = heads > 0 ? heads : std::max(1L, hidden / 32);
    config.intermediate_size = hidden * 4;
    config.max_position_embeddings = std::max(512L, seq);
    torch::manual_seed(0);
    tb::model::BertForSequenceClassification model(config, /*num_labels=*/2,
                                                   /*classifier_dropout=*/0.1);
    tb::model::init_bert_weights(*model);
    model->to(device);
    model->train();
    std::vector<tb::train::NamedParameter> params;
    for (const auto& p : model->named_parameters())
        params.push_back({p.key(), p.value()});
    auto optimizer = tb::train::make_adamw(params, 1e-4, 0.01);

    auto ids = torch::randint(1, config.vocab_size, {batch, seq}, torch::kInt64).to(device);
    auto mask = torch::ones({batch, seq}, torch::kInt64).to(device);
    auto types = torch::zeros({batch, seq}, torch::kInt64).to(device);
    auto labels = torch::randint(0, 2, {batch}, torch::kInt64).to(device);

    // Per-phase totals show where a difference to the reference comes from.
    using Clock = std::chrono::steady_clock;
    auto ms_since = [](Clock::time_point t) {
        return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
    };
    double total_ms = 0, forward_ms = 0, backward_ms = 0, clip_ms = 0, optimizer_ms = 0;
    // The fastest step: on a shared machine other work only ever slows a step down, so the
    // minimum is the steadiest estimate of the uncontended step (the mean is printed too).
    double min_ms = std::numeric_limits<double>::infinity();
    for (long s = 0; s < warmup + steps; ++s) {
        const bool timed = s >= warmup;
        sync();
        const auto t0 = Clock::now();
        optimizer->zero_grad();
        torch::Tensor loss;
        {
            tb::train::AutocastScope autocast(precision, device);
            loss = torch::nn::functional::cross_entropy(model->forward(ids, mask, types), labels);
        }
        sync();
        const auto t1 = Clock::now();
        loss.backward();
        sync();
        const auto t2 = Clock::now();
        torch::nn::utils::clip_grad_norm_(model->parameters(), 1.0);
        sync();
        const auto t3 = Clock::now();
        optimizer->step();
        sync();
        if (!timed)
            continue;
        forward_ms += std::chrono::duration<double, std::milli>(t1 - t0).count();
        backward_ms += std::chrono::duration<double, std::milli>(t2 - t1).count();
        clip_ms += std::chrono::duration<double, std::milli>(t3 - t2).count();
        optimizer_ms += ms_since(t3);
        const double step_ms = ms_since(t0);
        total_ms += step_ms;
        min_ms = std::min(min_ms, step_ms);
    }
    const double n = static_cast<double>(steps);
    std::printf(
        "tunebench_cpp hidden=%ld layers=%ld batch=%ld seq=%ld threads=%d device=%s "
        "precision=%s ms_per_step=%.2f min_ms=%.2f (forward %.2f backward %.2f clip %.2f "
        "optimizer %.2f)\n",
        hidden, layers, batch, seq, torch::get_num_threads(), device.str().c_str(),
        precision.c_str(), total_ms / n, min_ms, forward_ms / n, backward_ms / n, clip_ms / n,
        optimizer_ms / n);
    if (device.is_cuda()) {
        // make_adamw puts biases/LayerNorm in a no-decay group; the check uses one group for both.
        std::vector<tb::train::NamedParameter> weights;
        for (const auto& p : params)
            if (!tb::train::excluded_from_weight_decay(p.name))
                weights.push_back(p);
        std::printf("optimizer check (multi-tensor vs LibTorch AdamW, 5 steps): max|diff| %.3g\n",
                    optimizer_difference(weights));
    }
    return 0;
}
