// The training loss: cross-entropy with optional class weights and label smoothing, returned
// as a SUM over the batch. The trainer divides by the number of examples in the whole
// (accumulated, and in distributed training global) batch, so gradient accumulation and a
// SUM all-reduce across processes give exactly the single-process, single-batch math.
#pragma once

#include <string>
#include <vector>

#include <torch/torch.h>

#include "io/experiment_config.h"

namespace tb::train {

// Per-class weights for training.class_weights: empty for "none"; "balanced" is
// n_examples / (n_classes * count[c]) as scikit-learn's compute_class_weight (a class absent
// from the training split gets 1); "list" checks that there is one weight per label.
// Throws tb::Error (key training.class_weights) on a length mismatch.
std::vector<double> class_weights(const io::TrainingConfig& training,
                                  const std::vector<int>& train_labels, std::size_t num_labels);

class LossFunction {
public:
    LossFunction(std::vector<double> weights, double label_smoothing, const torch::Device& device);
    // Sum over the batch of the per-example losses (weighted by the target class's weight).
    torch::Tensor sum(const torch::Tensor& logits, const torch::Tensor& labels) const;

private:
    torch::Tensor weights_;  // undefined: unweighted
    double label_smoothing_;
};

}  // namespace tb::train
