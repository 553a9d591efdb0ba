// Cross entropy with ignore_index, BCE with logits (pos_weight) and MSE for the task heads.
#include "model/head_losses.h"

#include "common/error.h"
#include "common/tensor_blob.h"
#include "model/label_alignment.h"

namespace tb::model {
namespace {

std::string shape_of(const torch::Tensor& t) {
    return shape_text(t.sizes().vec());
}

}  // namespace

torch::Tensor classification_loss(const torch::Tensor& logits, const torch::Tensor& targets) {
    if (logits.dim() != 2 || targets.dim() != 1 || targets.size(0) != logits.size(0))
        throw Error("cross entropy needs logits [n, classes] and labels [n], got " +
                    shape_of(logits) + " and " + shape_of(targets));
    const auto labels = targets.to(torch::kLong);
    const auto valid = labels != kIgnoreIndex;
    if (!valid.any().item<bool>())
        return logits.sum() * 0.0;
    const auto classes = logits.size(1);
    const auto out_of_range = valid & ((labels < 0) | (labels >= classes));
    if (out_of_range.any().item<bool>())
        throw Error("a label is outside 0.." + std::to_string(classes - 1) +
                    " (and not -100); check the label map against the head's number of classes");
    return torch::nn::functional::cross_entropy(
        logits, labels,
        torch::nn::functional::CrossEntropyFuncOptions().ignore_index(kIgnoreIndex));
}

torch::Tensor multi_label_loss(const torch::Tensor& logits, const torch::Tensor& targets,
                               const torch::Tensor& pos_weight) {
    if (logits.sizes() != targets.sizes())
        throw Error("multi-label targets " + shape_of(targets) + " do not match logits " +
                    shape_of(logits) + "; give one 0/1 value per label");
    auto options = torch::nn::functional::BinaryCrossEntropyWithLogitsFuncOptions();
    if (pos_weight.defined())
        options.pos_weight(pos_weight.to(logits.device(), logits.scalar_type()));
    return torch::nn::functional::binary_cross_entropy_with_logits(
        logits, targets.to(logits.scalar_type()), options);
}

torch::Tensor regression_loss(const torch::Tensor& predictions, const torch::Tensor& targets) {
    if (predictions.numel() != targets.numel())
        throw Error("regression targets " + shape_of(targets) + " do not match predictions " +
                    shape_of(predictions) + "; give one number per example");
    return torch::nn::functional::mse_loss(
        predictions, targets.to(predictions.scalar_type()).reshape(predictions.sizes()));
}

}  // namespace tb::model
