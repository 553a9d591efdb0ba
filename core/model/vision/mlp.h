// A multilayer perceptron on flattened small images, trained from scratch: the classic MNIST
// MLP (dense 512 -> ReLU -> dropout, twice, then the class layer).
#pragma once

#include <vector>

#include "model/vision/image_model.h"

namespace tb::model::vision {

struct MlpOptions {
    std::int64_t in_features = 28 * 28;  // channels * height * width of the input images
    std::vector<std::int64_t> hidden{512, 512};
    double dropout = 0.2;  // after every hidden layer
    std::int64_t num_classes = 10;
};

// Images [N, C, H, W] (or any [N, ...] with in_features values per row) are flattened;
// hidden.<3i> is the i-th dense layer; features are the last hidden layer's output.
class Mlp : public ImageModel {
public:
    explicit Mlp(const MlpOptions& options = {});

    torch::Tensor features(const torch::Tensor& images) override;
    torch::Tensor forward(const torch::Tensor& images) override;
    std::int64_t feature_size() const override { return feature_size_; }
    std::int64_t num_classes() const override { return num_classes_; }
    void reset_head(std::int64_t num_classes) override;
    std::string head_prefix() const override { return "fc."; }
    std::string architecture() const override { return "mlp"; }

private:
    torch::nn::Sequential hidden_{nullptr};
    torch::nn::Linear fc_{nullptr};
    std::int64_t in_features_ = 0;
    std::int64_t feature_size_ = 0;
    std::int64_t num_classes_ = 0;
};

}  // namespace tb::model::vision
