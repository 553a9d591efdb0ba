// Any TorchScript module (a .pt file from torch.jit.save) as an image backbone: its output,
// average-pooled when it is a feature map, feeds a new linear head.
#pragma once

#include <vector>

#include <torch/script.h>

#include "model/vision/image_model.h"

namespace tb::model::vision {

// Shown wherever a TorchScript file is listed or loaded.
extern const char* const kTorchScriptTrustWarning;

class TorchScriptBackbone : public ImageModel {
public:
    // Loads `path` onto the CPU (tb::Error naming the file when it is not TorchScript). The
    // output size is probed by running zeros of `input_shape` ([channels, height, width]) in
    // eval mode; when `declared_feature_size` > 0 it must match the probe. The module's output
    // must be [N, F] or a feature map [N, F, H, W] (average-pooled to [N, F]).
    TorchScriptBackbone(const std::string& path, const std::vector<std::int64_t>& input_shape,
                        std::int64_t num_classes, std::int64_t declared_feature_size = 0);

    torch::Tensor features(const torch::Tensor& images) override;
    torch::Tensor forward(const torch::Tensor& images) override;
    std::int64_t feature_size() const override { return feature_size_; }
    std::int64_t num_classes() const override { return num_classes_; }
    void reset_head(std::int64_t num_classes) override;
    std::string head_prefix() const override { return "fc."; }
    std::string architecture() const override { return "torchscript"; }
    // Switches the scripted module too (its batch norm / dropout follow this module's mode).
    void train(bool on = true) override;

private:
    torch::jit::Module script_;
    torch::nn::Linear fc_{nullptr};
    std::string path_;
    std::int64_t feature_size_ = 0;
    std::int64_t num_classes_ = 0;
};

}  // namespace tb::model::vision
