// MobileNetV2 with torchvision's layout and tensor names (features.N..., classifier.1), so
// torchvision state dicts saved as safetensors load by name.
#pragma once

#include "model/vision/image_model.h"

namespace tb::model::vision {

struct MobileNetV2Options {
    std::int64_t num_classes = 1000;
    double width_mult = 1.0;  // channel multiplier; channels rounded to multiples of 8
    double dropout = 0.2;     // before the classifier's linear layer
};

// Inverted residual block: optional 1x1 expansion (conv.0), 3x3 depthwise (next), 1x1 linear
// projection conv + batch norm (last two); the input is added back when the shape is unchanged.
class InvertedResidualImpl : public torch::nn::Module {
public:
    InvertedResidualImpl(std::int64_t in_channels, std::int64_t out_channels, std::int64_t stride,
                         std::int64_t expand_ratio);
    torch::Tensor forward(const torch::Tensor& x);

private:
    torch::nn::Sequential conv_{nullptr};
    bool residual_ = false;
};
TORCH_MODULE(InvertedResidual);

class MobileNetV2 : public ImageModel {
public:
    explicit MobileNetV2(const MobileNetV2Options& options = {});

    torch::Tensor features(const torch::Tensor& images) override;
    torch::Tensor forward(const torch::Tensor& images) override;
    std::int64_t feature_size() const override { return feature_size_; }
    std::int64_t num_classes() const override { return num_classes_; }
    void reset_head(std::int64_t num_classes) override;
    std::string head_prefix() const override { return "classifier."; }
    std::string architecture() const override { return "mobilenet_v2"; }

private:
    torch::nn::Sequential features_{nullptr};
    torch::nn::Sequential classifier_{nullptr};
    double dropout_ = 0.2;
    std::int64_t feature_size_ = 0;
    std::int64_t num_classes_ = 0;
};

}  // namespace tb::model::vision
