// A Keras / TF.js layers graph as a LibTorch image model: the graph (up to its output layer) is
// the backbone, its output average-pooled over space when it is a feature map, and a new linear
// head `fc` sits on top. Tensors run channels-first (NCHW); layouts are converted once at import
// (HWIO -> OIHW, depthwise [kh, kw, C, M] -> [C*M, 1, kh, kw], Dense [in, out] -> [out, in]).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/keras/keras_graph.h"
#include "model/keras/tfjs_weights.h"
#include "model/vision/image_model.h"

namespace tb::model::keras {

struct KerasNode;

class KerasImageModel : public vision::ImageModel {
public:
    // Builds every layer of `graph` with fresh weights (load them with load_tfjs_weights or from
    // safetensors by name: "<layer>.weight", "<layer>.bias", "<layer>.running_mean", ...; a '.'
    // in a Keras layer name becomes '_'). num_classes 0: no head (forward() then throws).
    // tb::Error naming the layer and its type for an unsupported layer or setting (`path` is
    // the file the graph came from).
    KerasImageModel(KerasGraph graph, std::int64_t num_classes, const std::string& path = "");

    torch::Tensor features(const torch::Tensor& images) override;
    torch::Tensor forward(const torch::Tensor& images) override;
    std::int64_t feature_size() const override { return feature_size_; }
    std::int64_t num_classes() const override { return num_classes_; }
    void reset_head(std::int64_t num_classes) override;
    std::string head_prefix() const override { return "fc."; }
    std::string architecture() const override { return "keras"; }

    // The graph's output as Keras computes it (channels-last for feature maps) for images
    // [N, C, H, W].
    torch::Tensor graph_output(const torch::Tensor& images);
    // Outputs of the named layers (channels-last, as Keras reports them). tb::Error for a name
    // that is not a layer of the graph.
    std::vector<torch::Tensor> layer_outputs(const torch::Tensor& images,
                                             const std::vector<std::string>& names);

    // Copies the TF.js weights into the layers (converting layouts). tb::Error naming the
    // manifest weight that is missing or has another shape than the layer needs.
    void load_tfjs_weights(const std::map<std::string, TfjsWeight>& weights,
                           const std::string& path);

    const KerasGraph& graph() const { return graph_; }
    // [channels, height, width] the graph was built for.
    std::vector<std::int64_t> input_shape() const;
    // Keras-layout output shape (no batch) of a layer: [H, W, C] or [features].
    std::vector<std::int64_t> layer_shape(const std::string& name) const;

private:
    std::vector<torch::Tensor> run(const torch::Tensor& images, std::size_t upto);

    KerasGraph graph_;
    std::vector<std::shared_ptr<KerasNode>> nodes_;
    std::int64_t feature_size_ = 0;
    std::int64_t num_classes_ = 0;
    torch::nn::Linear fc_{nullptr};
};

}  // namespace tb::model::keras
