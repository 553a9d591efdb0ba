// Evaluates a classifier on one split: mean loss and scikit-learn-style report.
#pragma once

#include <string>
#include <vector>

#include "model/bert_model.h"
#include "train/prepared_data.h"
#include "train/training_events.h"

namespace tb::train {

struct EvalOutput {
    double loss = 0.0;
    std::vector<int> predictions;  // per example, in split order
    metrics::ClassificationReport report;
};

class DistributedContext;

// Runs in eval mode under NoGradGuard and restores train mode afterwards. Batches are sorted by
// length so padding is minimal (predictions are returned in the original order).
// With a distributed context every rank must call it: each scores its eval_shard of the
// length-sorted examples, then predictions and the loss sum are combined, so every rank returns
// the whole split's output, equal to a single process's (the loss up to float rounding).
EvalOutput evaluate(model::BertForSequenceClassification& model, const EncodedSplit& split,
                    const std::vector<std::string>& labels, int batch_size, std::int64_t pad_id,
                    const torch::Device& device, DistributedContext* distributed = nullptr);

}  // namespace tb::train
