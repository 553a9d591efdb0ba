// ResNet-18/34/50 with torchvision's layout and tensor names (conv1, bn1, layerN.i.*, fc), so
// torchvision state dicts saved as safetensors load by name.
#pragma once

#include <vector>

#include "model/vision/image_model.h"

namespace tb::model::vision {

struct ResNetOptions {
    std::string name = "resnet18";
    std::vector<int> blocks{2, 2, 2, 2};  // residual blocks in layer1..layer4
    bool bottleneck = false;              // Bottleneck (1x1-3x3-1x1, expansion 4) or BasicBlock
    std::int64_t num_classes = 1000;
    std::int64_t in_channels = 3;
};

// "resnet18", "resnet34" or "resnet50"; tb::Error naming the supported ones otherwise.
ResNetOptions resnet_options(const std::string& architecture, std::int64_t num_classes);

// One residual block. BasicBlock: conv1 3x3 (stride) -> conv2 3x3. Bottleneck (torchvision's
// "v1.5"): conv1 1x1 -> conv2 3x3 (stride) -> conv3 1x1 to planes * 4. `downsample` (1x1 conv +
// batch norm) is present where the stride or channel count changes.
class ResidualBlockImpl : public torch::nn::Module {
public:
    ResidualBlockImpl(std::int64_t in_channels, std::int64_t planes, std::int64_t stride,
                      bool bottleneck);
    torch::Tensor forward(const torch::Tensor& x);
    std::int64_t out_channels() const { return out_channels_; }

private:
    torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr}, conv3_{nullptr};
    torch::nn::BatchNorm2d bn1_{nullptr}, bn2_{nullptr}, bn3_{nullptr};
    torch::nn::Sequential downsample_{nullptr};
    std::int64_t out_channels_ = 0;
};
TORCH_MODULE(ResidualBlock);

class ResNet : public ImageModel {
public:
    explicit ResNet(const ResNetOptions& options);

    torch::Tensor features(const torch::Tensor& images) override;
    torch::Tensor forward(const torch::Tensor& images) override;
    std::int64_t feature_size() const override { return feature_size_; }
    std::int64_t num_classes() const override { return num_classes_; }
    void reset_head(std::int64_t num_classes) override;
    std::string head_prefix() const override { return "fc."; }
    std::string architecture() const override { return name_; }

private:
    torch::nn::Conv2d conv1_{nullptr};
    torch::nn::BatchNorm2d bn1_{nullptr};
    torch::nn::Sequential layer1_{nullptr}, layer2_{nullptr}, layer3_{nullptr}, layer4_{nullptr};
    torch::nn::Linear fc_{nullptr};
    std::string name_;
    std::int64_t feature_size_ = 0;
    std::int64_t num_classes_ = 0;
};

}  // namespace tb::model::vision
