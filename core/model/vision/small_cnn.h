// A small convolutional network for small greyscale (or colour) images trained from scratch:
// the classic MNIST CNN (two 3x3 convolutions, max-pooling, dropout, a 128-unit dense layer).
#pragma once

#include "model/vision/image_model.h"

namespace tb::model::vision {

struct SmallCnnOptions {
    std::int64_t in_channels = 1;
    std::int64_t height = 28;  // the input size fixes the flattened size of the dense layer
    std::int64_t width = 28;
    std::int64_t num_classes = 10;
    double conv_dropout = 0.25;  // after the pooling
    double dense_dropout = 0.5;  // after the 128-unit layer
};

// conv1 (32, 3x3, valid) -> ReLU -> conv2 (64, 3x3) -> ReLU -> 2x2 max-pool -> dropout ->
// flatten -> fc1 (128) -> ReLU -> dropout = features (128) -> fc (head).
class SmallCnn : public ImageModel {
public:
    explicit SmallCnn(const SmallCnnOptions& options = {});

    torch::Tensor features(const torch::Tensor& images) override;
    torch::Tensor forward(const torch::Tensor& images) override;
    std::int64_t feature_size() const override { return 128; }
    std::int64_t num_classes() const override { return num_classes_; }
    void reset_head(std::int64_t num_classes) override;
    std::string head_prefix() const override { return "fc."; }
    std::string architecture() const override { return "small_cnn"; }

private:
    torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr};
    torch::nn::Dropout conv_dropout_{nullptr}, dense_dropout_{nullptr};
    torch::nn::Linear fc1_{nullptr}, fc_{nullptr};
    std::int64_t num_classes_ = 0;
};

}  // namespace tb::model::vision
