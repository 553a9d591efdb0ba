// The interface every image classifier implements: a backbone giving pooled features and a
// replaceable linear head, so a task head can be put on any backbone.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <torch/torch.h>

namespace tb::model::vision {

// Inputs are float images [N, C, H, W], already normalised as the model's ImagePreprocessing
// says. Train/eval mode is the caller's (batch norm and dropout follow module.train()).
class ImageModel : public torch::nn::Module {
public:
    // Pooled backbone features [N, feature_size()].
    virtual torch::Tensor features(const torch::Tensor& images) = 0;
    // Class logits [N, num_classes()]: the head applied to features().
    virtual torch::Tensor forward(const torch::Tensor& images) = 0;

    virtual std::int64_t feature_size() const = 0;
    virtual std::int64_t num_classes() const = 0;
    // Replaces the head with a freshly initialised one for `num_classes` outputs (the backbone
    // keeps its weights). Call before moving the model to another device or building an
    // optimizer: the new head's parameters are new tensors.
    virtual void reset_head(std::int64_t num_classes) = 0;
    // Module-name prefix of the head's tensors ("fc." for ResNet, "classifier." for
    // MobileNetV2): those may be missing or differently shaped in a backbone's weights file.
    virtual std::string head_prefix() const = 0;
    // Architecture name as the factory knows it ("resnet18", "mobilenet_v2", ...).
    virtual std::string architecture() const = 0;
};

// Number of scalar values in all parameters (buffers such as batch-norm statistics excluded),
// the count torchvision reports as sum(p.numel() for p in model.parameters()).
std::int64_t parameter_count(torch::nn::Module& module);

}  // namespace tb::model::vision
