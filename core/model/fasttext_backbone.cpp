// fastText text backbone (EmbeddingBag mean over the imported input matrix).
#include "model/fasttext_backbone.h"

#include "model/fasttext_features.h"

namespace tb::model::fasttext {

torch::Tensor dequantized_input(const Model& model) {
    const Matrix& m = model.input;
    auto table = torch::zeros({m.rows, m.cols}, torch::kFloat32);
    float* data = table.data_ptr<float>();
    for (int64_t r = 0; r < m.rows; ++r)
        m.add_row_to(r, data + r * m.cols);
    return table;
}

FastTextBackboneImpl::FastTextBackboneImpl(const Model& model, bool trainable)
    : model_(model), dim_(model.args.dim) {
    auto table = dequantized_input(model);
    bag_ = register_module("embedding", torch::nn::EmbeddingBag(torch::nn::EmbeddingBagOptions(
                                                                    table.size(0), table.size(1))
                                                                    .mode(torch::kMean)
                                                                    ._weight(table)));
    bag_->weight.set_requires_grad(trainable);
}

torch::Tensor FastTextBackboneImpl::forward(const std::vector<std::string>& texts) {
    std::vector<int64_t> ids;
    std::vector<int64_t> offsets;
    for (const std::string& text : texts) {
        offsets.push_back(static_cast<int64_t>(ids.size()));
        for (int32_t row : line_features(model_, text))
            ids.push_back(row);
    }
    auto input = torch::tensor(ids, torch::kLong);
    auto offs = torch::tensor(offsets, torch::kLong);
    return bag_->forward(input, offs).to(bag_->weight.device());
}

}  // namespace tb::model::fasttext
