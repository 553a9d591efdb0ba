// The losses task heads use, with the conventions of torch.nn.functional / Hugging Face.
#pragma once

#include <torch/torch.h>

namespace tb::model {

// Cross entropy averaged over targets != -100. logits [n, classes], targets int [n].
// All targets ignored: 0 attached to the graph (torch would give NaN and poison the step).
torch::Tensor classification_loss(const torch::Tensor& logits, const torch::Tensor& targets);

// Mean binary cross entropy with logits; pos_weight [labels] or undefined.
// logits and targets [n, labels]; targets are converted to logits' dtype.
torch::Tensor multi_label_loss(const torch::Tensor& logits, const torch::Tensor& targets,
                               const torch::Tensor& pos_weight);

// Mean squared error; predictions and targets of the same number of elements, targets converted
// to predictions' dtype and shape.
torch::Tensor regression_loss(const torch::Tensor& predictions, const torch::Tensor& targets);

}  // namespace tb::model
