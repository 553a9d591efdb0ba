// An imported fastText model's input table as a trainable text backbone with a new linear
// head: the mean of a text's feature rows (words + character/word n-grams, as fastText sums
// them) -> logits. The input ids are the rows fasttext::line_features gives.
#pragma once

#include <cstdint>

#include <torch/torch.h>

#include "model/fasttext_format.h"

namespace tb::model::fasttext {

// Tensor names: embedding.weight [rows, dim] (the dequantized input matrix), classifier.weight
// [classes, dim], classifier.bias. `trainable` = false freezes the table (only the head learns).
class FastTextClassifierImpl : public torch::nn::Module {
public:
    FastTextClassifierImpl(const Model& model, std::int64_t num_classes, bool trainable);

    // input_ids, attention_mask: int64 [batch, seq] of input-matrix rows (mask 1 = feature).
    // A text with no features is the zero vector, as in fastText.
    torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask);
    // embedding.weight, the table FGM adversarial training perturbs.
    torch::Tensor word_embeddings() const { return embedding_->weight; }

private:
    torch::nn::Embedding embedding_{nullptr};
    torch::nn::Linear classifier_{nullptr};
};
TORCH_MODULE(FastTextClassifier);

}  // namespace tb::model::fasttext
