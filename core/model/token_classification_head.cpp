// Per-token classifier with first-sub-token labels and -100 ignored in the loss.
#include "model/token_classification_head.h"

#include "common/error.h"
#include "common/tensor_blob.h"
#include "model/head_losses.h"

namespace tb::model {

TokenClassificationHead::TokenClassificationHead(HeadOptions options)
    : TaskHead(std::move(options)) {
    dropout = register_module("dropout", Dropout(options_.dropout));
    classifier = register_module("classifier",
                                 torch::nn::Linear(options_.hidden_size, options_.num_outputs));
}

torch::Tensor TokenClassificationHead::forward(const torch::Tensor& last_hidden_state,
                                               const torch::Tensor& /*attention_mask*/,
                                               const torch::Tensor& /*pooled*/) {
    if (last_hidden_state.dim() != 3)
        throw Error("hidden states must be [batch, seq, hidden], got " +
                    shape_text(last_hidden_state.sizes().vec()));
    return classifier(dropout(last_hidden_state));
}

torch::Tensor TokenClassificationHead::loss(const torch::Tensor& logits,
                                            const torch::Tensor& labels) const {
    if (logits.dim() != 3 || labels.dim() != 2 || labels.size(0) != logits.size(0) ||
        labels.size(1) != logits.size(1))
        throw Error("token labels " + shape_text(labels.sizes().vec()) +
                    " do not match token logits " + shape_text(logits.sizes().vec()) +
                    "; give one label (or -100) per token");
    return classification_loss(logits.reshape({-1, logits.size(2)}), labels.reshape({-1}));
}

torch::Tensor TokenClassificationHead::predict(const torch::Tensor& logits) const {
    torch::NoGradGuard no_grad;
    return logits.argmax(-1);
}

}  // namespace tb::model
