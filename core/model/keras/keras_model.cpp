// KerasImageModel: wires the layers of a Keras graph, pools its output into features for a new
// head, and converts TF.js weights into the layers' LibTorch layouts.
#include "model/keras/keras_model.h"

#include "common/error.h"
#include "common/tensor_blob.h"
#include "model/keras/keras_layers.h"

namespace tb::model::keras {

using json = nlohmann::json;

KerasImageModel::KerasImageModel(KerasGraph graph, std::int64_t num_classes,
                                 const std::string& path)
    : graph_(std::move(graph)) {
    std::map<std::string, std::size_t> index;
    for (const KerasLayer& layer : graph_.layers) {
        std::vector<std::vector<std::int64_t>> in_shapes;
        for (const auto& in : layer.inputs)
            in_shapes.push_back(nodes_.at(index.at(in))->shape);
        auto node = make_keras_node(layer, in_shapes, graph_.input_shape, path);
        for (const auto& in : layer.inputs)
            node->inputs.push_back(index.at(in));
        const std::string mod = keras_module_name(layer.name);
        if (node->conv)
            register_module(mod, node->conv);
        if (node->bn)
            register_module(mod, node->bn);
        if (node->dense)
            register_module(mod, node->dense);
        index[layer.name] = nodes_.size();
        nodes_.push_back(node);
    }
    const std::vector<std::int64_t>& out = nodes_.back()->shape;
    feature_size_ = out.back();
    if (num_classes > 0)
        reset_head(num_classes);
}

std::vector<std::int64_t> KerasImageModel::input_shape() const {
    return {graph_.input_shape[2], graph_.input_shape[0], graph_.input_shape[1]};
}

std::vector<std::int64_t> KerasImageModel::layer_shape(const std::string& name) const {
    for (const auto& n : nodes_)
        if (n->name == name)
            return n->shape;
    throw Error("the model has no layer '" + name + "'", SourceLocation{"", 0, 0, name});
}

void KerasImageModel::reset_head(std::int64_t num_classes) {
    num_classes_ = num_classes;
    if (fc_)
        fc_ = replace_module("fc", torch::nn::Linear(feature_size_, num_classes));
    else
        fc_ = register_module("fc", torch::nn::Linear(feature_size_, num_classes));
}

std::vector<torch::Tensor> KerasImageModel::run(const torch::Tensor& images, std::size_t upto) {
    const auto expected = input_shape();
    if (images.dim() != 4 || images.size(1) != expected[0] || images.size(2) != expected[1] ||
        images.size(3) != expected[2])
        throw Error("the " + graph_.name + " model takes images [N, " +
                        std::to_string(expected[0]) + ", " + std::to_string(expected[1]) + ", " +
                        std::to_string(expected[2]) + "], got " + shape_text(images.sizes().vec()),
                    SourceLocation{"", 0, 0, "input_shape"});
    std::vector<torch::Tensor> out(upto + 1);
    out[0] = images;
    for (std::size_t i = 1; i <= upto; ++i) {
        std::vector<torch::Tensor> in;
        for (auto j : nodes_[i]->inputs)
            in.push_back(out[j]);
        out[i] = run_keras_node(*nodes_[i], in, is_training());
    }
    return out;
}

torch::Tensor KerasImageModel::graph_output(const torch::Tensor& images) {
    return to_keras_layout(run(images, nodes_.size() - 1).back());
}

std::vector<torch::Tensor> KerasImageModel::layer_outputs(const torch::Tensor& images,
                                                          const std::vector<std::string>& names) {
    std::vector<std::size_t> wanted;
    for (const auto& name : names) {
        std::size_t i = 0;
        while (i < nodes_.size() && nodes_[i]->name != name)
            ++i;
        if (i == nodes_.size())
            throw Error("the model has no layer '" + name + "'", SourceLocation{"", 0, 0, name});
        wanted.push_back(i);
    }
    const auto all = run(images, nodes_.size() - 1);
    std::vector<torch::Tensor> out;
    for (auto i : wanted)
        out.push_back(to_keras_layout(all[i]));
    return out;
}

torch::Tensor KerasImageModel::features(const torch::Tensor& images) {
    torch::Tensor y = run(images, nodes_.size() - 1).back();
    return y.dim() == 4 ? y.mean({2, 3}) : y;
}

torch::Tensor KerasImageModel::forward(const torch::Tensor& images) {
    if (!fc_)
        throw Error("the imported " + graph_.name + " backbone has no head: call reset_head",
                    SourceLocation{"", 0, 0, "num_classes"});
    return fc_->forward(features(images));
}

void KerasImageModel::load_tfjs_weights(const std::map<std::string, TfjsWeight>& weights,
                                        const std::string& path) {
    torch::NoGradGuard no_grad;
    auto find = [&](const KerasNode& n, const std::string& w,
                    const std::vector<std::int64_t>& shape) -> torch::Tensor {
        const std::string key = n.name + "/" + w;
        const TfjsWeight* found = nullptr;
        for (const auto& [name, weight] : weights) {
            const bool exact = name == key || name == key + ":0";
            const bool nested =
                name.size() > key.size() &&
                (name.compare(name.size() - key.size() - 1, key.size() + 1, "/" + key) == 0);
            if (exact || nested) {
                found = &weight;
                if (exact)
                    break;
            }
        }
        if (!found)
            throw Error("layer '" + n.name + "' (" + n.class_name + ") needs the weight '" + key +
                            "', which the weights manifest does not have",
                        SourceLocation{path, 0, 0, key});
        if (found->shape != shape)
            throw Error("weight '" + found->name + "' has shape " + shape_text(found->shape) +
                            " but layer '" + n.name + "' (" + n.class_name + ") needs " +
                            shape_text(shape),
                        SourceLocation{path, 0, 0, found->name});
        return torch::from_blob(const_cast<float*>(found->values.data()), shape, torch::kFloat32)
            .clone();
    };
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        const KerasNode& n = *nodes_[i];
        const json& c = graph_.layers[i].config;
        if (n.conv) {
            const auto& w = n.conv->weight;  // [out, in / groups, kh, kw]
            if (n.kind == LayerKind::Conv2D) {
                n.conv->weight.copy_(find(n, "kernel", {w.size(2), w.size(3), w.size(1), w.size(0)})
                                         .permute({3, 2, 0, 1}));
            } else {
                const std::int64_t channels = n.conv->options.in_channels();
                const std::int64_t m = w.size(0) / channels;
                n.conv->weight.copy_(
                    find(n, "depthwise_kernel", {w.size(2), w.size(3), channels, m})
                        .permute({2, 3, 0, 1})
                        .reshape(w.sizes()));
            }
            if (n.conv->bias.defined())
                n.conv->bias.copy_(find(n, "bias", {w.size(0)}));
        } else if (n.bn) {
            const std::vector<std::int64_t> shape{n.bn->weight.size(0)};
            if (c.value("scale", true))
                n.bn->weight.copy_(find(n, "gamma", shape));
            if (c.value("center", true))
                n.bn->bias.copy_(find(n, "beta", shape));
            n.bn->running_mean.copy_(find(n, "moving_mean", shape));
            n.bn->running_var.copy_(find(n, "moving_variance", shape));
        } else if (n.dense) {
            const auto& w = n.dense->weight;  // [units, in]
            n.dense->weight.copy_(find(n, "kernel", {w.size(1), w.size(0)}).t());
            if (n.dense->bias.defined())
                n.dense->bias.copy_(find(n, "bias", {w.size(0)}));
        }
    }
}

}  // namespace tb::model::keras
