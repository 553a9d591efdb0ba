#include "model/fasttext_classifier.h"

#include "model/fasttext_backbone.h"

namespace tb::model::fasttext {

FastTextClassifierImpl::FastTextClassifierImpl(const Model& model, std::int64_t num_classes,
                                               bool trainable) {
    auto table = dequantized_input(model);
    embedding_ = register_module(
        "embedding", torch::nn::Embedding(
                         torch::nn::EmbeddingOptions(table.size(0), table.size(1))._weight(table)));
    embedding_->weight.set_requires_grad(trainable);
    classifier_ = register_module("classifier", torch::nn::Linear(table.size(1), num_classes));
}

torch::Tensor FastTextClassifierImpl::forward(const torch::Tensor& input_ids,
                                              const torch::Tensor& attention_mask) {
    const auto weights = attention_mask.to(torch::kFloat32).unsqueeze(-1);
    const auto rows = embedding_(input_ids) * weights;
    return classifier_(rows.sum(1) / weights.sum(1).clamp_min(1.0));
}

}  // namespace tb::model::fasttext
