#include "train/evaluator.h"

#include <algorithm>
#include <numeric>

#include "train/batching.h"
#include "train/data_sharding.h"
#include "train/distributed_context.h"

namespace tb::train {

EvalOutput evaluate(model::BertForSequenceClassification& model, const EncodedSplit& split,
                    const std::vector<std::string>& labels, int batch_size, std::int64_t pad_id,
                    const torch::Device& device, DistributedContext* distributed) {
    EvalOutput out;
    out.predictions.assign(split.size(), 0);
    if (split.size() == 0) {
        out.report = metrics::classification_report(std::vector<int>{}, std::vector<int>{}, labels);
        return out;
    }
    const bool was_training = model->is_training();
    model->eval();
    torch::NoGradGuard no_grad;

    std::vector<std::size_t> order(split.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return split.input_ids[a].size() < split.input_ids[b].size();
    });
    const bool sharded = distributed && distributed->is_distributed();
    if (sharded) {
        // Strided over the length-sorted order: every rank gets a similar mix of lengths.
        std::vector<std::size_t> mine;
        for (auto position :
             eval_shard(order.size(), distributed->rank(), distributed->world_size()))
            mine.push_back(order[position]);
        order = std::move(mine);
    }

    double loss_sum = 0.0;
    for (std::size_t start = 0; start < order.size();
         start += static_cast<std::size_t>(batch_size)) {
        const std::size_t end =
            std::min(order.size(), start + static_cast<std::size_t>(batch_size));
        std::vector<std::size_t> idx(order.begin() + static_cast<std::ptrdiff_t>(start),
                                     order.begin() + static_cast<std::ptrdiff_t>(end));
        Batch batch = collate(split, idx, pad_id, device);
        auto logits = model->forward(batch.input_ids, batch.attention_mask, batch.token_type_ids);
        auto loss = torch::nn::functional::cross_entropy(
            logits, batch.labels,
            torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
        loss_sum += loss.item<double>();
        auto pred = logits.argmax(1).to(torch::kCPU);
        auto* p = pred.data_ptr<std::int64_t>();
        for (std::size_t i = 0; i < idx.size(); ++i)
            out.predictions[idx[i]] = static_cast<int>(p[i]);
    }
    if (sharded) {
        // Each example was scored on exactly one rank: prediction + 1 there, 0 elsewhere.
        std::vector<std::int64_t> scored(split.size(), 0);
        for (auto i : order)
            scored[i] = out.predictions[i] + 1;
        scored = distributed->all_reduce_sum(scored);
        for (std::size_t i = 0; i < scored.size(); ++i)
            out.predictions[i] = static_cast<int>(scored[i] - 1);
        loss_sum = distributed->all_reduce_sum(loss_sum);
    }
    out.loss = loss_sum / static_cast<double>(split.size());
    out.report = metrics::classification_report(split.labels, out.predictions, labels);
    if (was_training)
        model->train();
    return out;
}

}  // namespace tb::train
