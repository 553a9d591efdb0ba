// Evaluates a task model on one split: mean loss and the task's report (scikit-learn-style for
// single- and multi-label classification, seqeval-style entities for BIO token tagging).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "metrics/multilabel_report.h"
#include "train/prepared_data.h"
#include "train/training_events.h"

namespace tb::train {

struct EvalOutput {
    double loss = 0.0;
    std::string task;              // head kind name: sequence_classification, multi_label, ...
    std::vector<int> predictions;  // per example, in split order (single-label classification)
    // multi_label: the predicted 0/1 row per example; token_classification: the predicted tag
    // per word of each example (a word cut off by max_length gets tag 0, usually "O").
    std::vector<std::vector<int>> label_sets;
    std::vector<std::vector<int>> word_tags;
    // Per class (single-label), per label (multi-label), per entity type (BIO tagging) or per
    // tag (other tagging); accuracy is exact-match (multi-label) or per word (tagging).
    metrics::ClassificationReport report;
    std::string details_json;  // task-specific extras as JSON (samples avg, entity counts), or ""
    // regression: the de-normalised prediction per example (report stays empty; the scores
    // and details_json hold mse, rmse, mae, r2, pearson, spearman).
    std::vector<double> values;
    // multi_label: the sigmoid probability per example and label (threshold tuning).
    std::vector<std::vector<float>> probabilities;
    std::map<std::string, double> scores;  // headline scores by name (EvalReport::scores)
};

// Recomputes a multi-label output's decisions, report and scores from its probabilities with
// new thresholds (one per label; predict 1 when p >= threshold), as evaluate() would have.
void rescore_multilabel(EvalOutput& out, const EncodedSplit& split,
                        const std::vector<std::string>& labels,
                        const std::vector<float>& thresholds);

class DistributedContext;
class RunModel;

// Runs in eval mode under NoGradGuard and restores train mode afterwards. Batches of text are
// sorted by length so padding is minimal (predictions are returned in the original order).
// With a distributed context every rank must call it: each scores its eval_shard of the
// length-sorted examples, then predictions and the loss sum are combined, so every rank returns
// the whole split's output, equal to a single process's (the loss up to float rounding).
// Loss: cross entropy per example (single-label), the head's loss otherwise (regression: MSE
// of the normalised targets), averaged over examples.
EvalOutput evaluate(RunModel& model, const EncodedSplit& split,
                    const std::vector<std::string>& labels, int batch_size, std::int64_t pad_id,
                    const torch::Device& device, DistributedContext* distributed = nullptr);

// Tag sequences are BIO entities when every tag is "O" or starts with "B-" / "I-"; then the
// report is entity-level (seqeval), else per word (POS tagging).
bool tags_are_entities(const std::vector<std::string>& tags);

}  // namespace tb::train
