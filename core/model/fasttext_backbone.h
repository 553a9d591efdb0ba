// An imported fastText model as a trainable text backbone: EmbeddingBag (mean) over the
// dequantized input matrix, fed with fastText's own word + n-gram features; output size = dim.
#pragma once

#include <string>
#include <vector>

#include <torch/torch.h>

#include "model/fasttext_format.h"

namespace tb::model::fasttext {

// The input matrix as a float tensor [rows, dim], quantized rows decoded as fastText does.
torch::Tensor dequantized_input(const Model& model);

class FastTextBackboneImpl : public torch::nn::Module {
public:
    // Copies the embedding table; `model` is only used for feature extraction afterwards and
    // must outlive the module. `trainable` = false freezes the table (only a head learns).
    FastTextBackboneImpl(const Model& model, bool trainable);

    // One row per text: the mean of its feature rows (zeros for a text with no features).
    torch::Tensor forward(const std::vector<std::string>& texts);
    int64_t output_size() const { return dim_; }

private:
    const Model& model_;
    int64_t dim_;
    torch::nn::EmbeddingBag bag_{nullptr};
};
TORCH_MODULE(FastTextBackbone);

}  // namespace tb::model::fasttext
