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

// Runs in eval mode under NoGradGuard and restores train mode afterwards. Batches are sorted by
// length so padding is minimal (predictions are returned in the original order).
EvalOutput evaluate(model::BertForSequenceClassification& model, const EncodedSplit& split,
                    const std::vector<std::string>& labels, int batch_size, std::int64_t pad_id,
                    const torch::Device& device);

}  // namespace tb::train
