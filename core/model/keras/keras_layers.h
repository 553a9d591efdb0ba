// One Keras layer as LibTorch operations: its settings, output shape and modules built from the
// layer's config, and its forward computation (tensors channels-first). Internal to
// KerasImageModel, which registers the modules and wires the layers.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "model/keras/keras_graph.h"

namespace tb::model::keras {

enum class LayerKind {
    Input,
    Conv2D,
    Depthwise,
    BatchNorm,
    Activation,
    ReLU,
    LeakyReLU,
    Softmax,
    ZeroPad,
    Merge,
    Concat,
    MaxPool,
    AvgPool,
    GlobalAvg,
    GlobalMax,
    Dense,
    Dropout,
    SpatialDropout,
    Flatten,
    Reshape
};

struct KerasNode {
    LayerKind kind = LayerKind::Input;
    std::string name, class_name;
    std::vector<std::size_t> inputs;
    std::vector<std::int64_t> shape;  // Keras layout, no batch
    std::string activation;           // applied after conv / dense; Activation layers
    std::int64_t kh = 1, kw = 1, sh = 1, sw = 1, dh = 1, dw = 1;
    bool same = false;
    std::int64_t pad[4] = {0, 0, 0, 0};  // left, right, top, bottom
    double relu_max = -1, slope = 0, threshold = 0, rate = 0, eps = 1e-3, momentum = 0.01;
    std::int64_t axis = -1;
    bool keepdims = false;
    std::vector<std::int64_t> target;
    torch::nn::Conv2d conv{nullptr};
    torch::nn::BatchNorm2d bn{nullptr};
    torch::nn::Linear dense{nullptr};
};

// Layer types the importer converts (Keras class names).
const std::vector<std::string>& supported_keras_layers();

// Builds the node for `layer` whose inputs have the Keras-layout shapes `in_shapes` (no batch;
// `graph_input_shape` for the InputLayer). Modules are created, not registered. tb::Error naming
// the layer and its type for an unsupported layer or setting (`path`: the graph's file).
std::shared_ptr<KerasNode> make_keras_node(const KerasLayer& layer,
                                           const std::vector<std::vector<std::int64_t>>& in_shapes,
                                           const std::vector<std::int64_t>& graph_input_shape,
                                           const std::string& path);

// The layer's output for its inputs (NCHW feature maps, [N, F] vectors); `training` selects
// dropout and batch statistics.
torch::Tensor run_keras_node(KerasNode& node, const std::vector<torch::Tensor>& inputs,
                             bool training);

// [N, C, H, W] -> [N, H, W, C]; other ranks unchanged.
torch::Tensor to_keras_layout(const torch::Tensor& t);

// The module name of a Keras layer ('.' becomes '_').
std::string keras_module_name(const std::string& layer);

}  // namespace tb::model::keras
