// Keras layers as LibTorch operations, with Keras' shape rules (TF 'same' padding puts the odd
// pixel at the bottom / right; average pooling with 'same' padding divides by the pixels inside
// the image).
#include "model/keras/keras_model.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/error.h"
#include "common/tensor_blob.h"

namespace tb::model::keras {
namespace {

using json = nlohmann::json;
namespace F = torch::nn::functional;

enum class Kind {
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

const std::map<std::string, Kind>& kinds() {
    static const std::map<std::string, Kind> k{
        {"InputLayer", Kind::Input},
        {"Conv2D", Kind::Conv2D},
        {"DepthwiseConv2D", Kind::Depthwise},
        {"BatchNormalization", Kind::BatchNorm},
        {"Activation", Kind::Activation},
        {"ReLU", Kind::ReLU},
        {"LeakyReLU", Kind::LeakyReLU},
        {"Softmax", Kind::Softmax},
        {"ZeroPadding2D", Kind::ZeroPad},
        {"Add", Kind::Merge},
        {"Subtract", Kind::Merge},
        {"Multiply", Kind::Merge},
        {"Average", Kind::Merge},
        {"Maximum", Kind::Merge},
        {"Minimum", Kind::Merge},
        {"Concatenate", Kind::Concat},
        {"MaxPooling2D", Kind::MaxPool},
        {"AveragePooling2D", Kind::AvgPool},
        {"GlobalAveragePooling2D", Kind::GlobalAvg},
        {"GlobalMaxPooling2D", Kind::GlobalMax},
        {"Dense", Kind::Dense},
        {"Dropout", Kind::Dropout},
        {"SpatialDropout2D", Kind::SpatialDropout},
        {"Flatten", Kind::Flatten},
        {"Reshape", Kind::Reshape},
    };
    return k;
}

std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
    return (a + b - 1) / b;
}

// TF's 'same' padding: output ceil(in / stride); the total padding split with the extra pixel
// after (bottom / right).
std::pair<std::int64_t, std::int64_t> same_padding(std::int64_t in, std::int64_t k, std::int64_t s,
                                                   std::int64_t d) {
    const std::int64_t effective = (k - 1) * d + 1;
    const std::int64_t total =
        std::max<std::int64_t>((ceil_div(in, s) - 1) * s + effective - in, 0);
    return {total / 2, total - total / 2};
}

std::int64_t out_size(std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t d, bool same) {
    return same ? ceil_div(in, s) : (in - ((k - 1) * d + 1)) / s + 1;
}

torch::Tensor activate(const torch::Tensor& x, const std::string& name) {
    if (name == "linear" || name.empty())
        return x;
    if (name == "relu")
        return torch::relu(x);
    if (name == "relu6")
        return torch::clamp(x, 0, 6);
    if (name == "sigmoid")
        return torch::sigmoid(x);
    if (name == "tanh")
        return torch::tanh(x);
    if (name == "softmax")
        return torch::softmax(x, x.dim() == 4 ? 1 : -1);
    if (name == "elu")
        return F::elu(x);
    if (name == "selu")
        return torch::selu(x);
    if (name == "softplus")
        return F::softplus(x);
    if (name == "softsign")
        return x / (1 + torch::abs(x));
    if (name == "swish" || name == "silu")
        return x * torch::sigmoid(x);
    if (name == "hard_sigmoid")  // Keras 2 / tfjs: clip(0.2 x + 0.5, 0, 1)
        return torch::clamp(0.2 * x + 0.5, 0, 1);
    return {};
}

bool known_activation(const std::string& name) {
    static const char* names[] = {"linear",  "relu", "relu6",       "sigmoid",  "tanh",
                                  "softmax", "elu",  "selu",        "softplus", "softsign",
                                  "swish",   "silu", "hard_sigmoid"};
    for (const char* n : names)
        if (name == n)
            return true;
    return name.empty();
}

std::string module_name(const std::string& layer) {
    std::string n = layer;
    std::replace(n.begin(), n.end(), '.', '_');
    return n;
}

// Keras axis of a [N, H, W, C] / [N, F] tensor -> our dimension (NCHW / NF).
std::int64_t torch_axis(std::int64_t axis, std::size_t rank) {
    if (axis < 0)
        axis += static_cast<std::int64_t>(rank);
    if (rank != 4)
        return axis;
    static const std::int64_t map[] = {0, 2, 3, 1};
    return map[axis];
}

torch::Tensor to_keras_layout(const torch::Tensor& t) {
    return t.dim() == 4 ? t.permute({0, 2, 3, 1}).contiguous() : t;
}

}  // namespace

struct KerasImageModel::Node {
    Kind kind = Kind::Input;
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

const std::vector<std::string>& supported_keras_layers() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> n;
        for (const auto& [name, kind] : kinds())
            n.push_back(name);
        return n;
    }();
    return names;
}

KerasImageModel::KerasImageModel(KerasGraph graph, std::int64_t num_classes,
                                 const std::string& path)
    : graph_(std::move(graph)) {
    std::map<std::string, std::size_t> index;
    for (const KerasLayer& layer : graph_.layers) {
        auto fail = [&](const std::string& what) {
            return Error("layer '" + layer.name + "' (" + layer.class_name + "): " + what,
                         SourceLocation{path, 0, 0, layer.name});
        };
        const auto kind = kinds().find(layer.class_name);
        if (kind == kinds().end()) {
            std::string list;
            for (const auto& n : supported_keras_layers())
                list += (list.empty() ? "" : ", ") + n;
            throw Error("layer '" + layer.name + "' has type '" + layer.class_name +
                            "', which the Keras / TF.js importer does not support (supported: " +
                            list + "); cut the model before it with --cut",
                        SourceLocation{path, 0, 0, layer.name});
        }
        auto node = std::make_shared<Node>();
        node->kind = kind->second;
        node->name = layer.name;
        node->class_name = layer.class_name;
        const json& c = layer.config;
        for (const auto& in : layer.inputs)
            node->inputs.push_back(index.at(in));
        std::vector<std::vector<std::int64_t>> in_shapes;
        for (auto i : node->inputs)
            in_shapes.push_back(nodes_[i]->shape);
        const bool single = node->kind != Kind::Merge && node->kind != Kind::Concat;
        if (node->kind != Kind::Input && single && in_shapes.size() != 1)
            throw fail("expects one input, got " + std::to_string(in_shapes.size()));
        if (c.contains("data_format") && c["data_format"].is_string() &&
            c["data_format"].get<std::string>() != "channels_last")
            throw fail("data_format '" + c["data_format"].get<std::string>() +
                       "' is not supported (channels_last is)");
        auto pair = [&](const char* key,
                        std::int64_t fallback) -> std::pair<std::int64_t, std::int64_t> {
            if (!c.contains(key) || c[key].is_null())
                return {fallback, fallback};
            if (c[key].is_number_integer())
                return {c[key].get<std::int64_t>(), c[key].get<std::int64_t>()};
            if (c[key].is_array() && c[key].size() == 2 && c[key][0].is_number_integer() &&
                c[key][1].is_number_integer())
                return {c[key][0].get<std::int64_t>(), c[key][1].get<std::int64_t>()};
            throw fail("'" + std::string(key) + "' must be an integer or two integers");
        };
        auto padding_mode = [&]() {
            const std::string p = c.value("padding", std::string("valid"));
            if (p != "valid" && p != "same")
                throw fail("padding '" + p + "' is not supported (valid, same are)");
            node->same = p == "same";
        };
        auto set_activation = [&](const std::string& key) {
            node->activation = c.value(key, std::string("linear"));
            if (!known_activation(node->activation))
                throw fail("activation '" + node->activation + "' is not supported");
        };
        const std::vector<std::int64_t> in =
            in_shapes.empty() ? std::vector<std::int64_t>{} : in_shapes[0];
        auto need_map = [&]() {
            if (in.size() != 3)
                throw fail("needs a feature map [height, width, channels] input, got rank " +
                           std::to_string(in.size()));
        };
        const std::string mod = module_name(layer.name);
        switch (node->kind) {
            case Kind::Input:
                node->shape = graph_.input_shape;
                break;
            case Kind::Conv2D:
            case Kind::Depthwise: {
                need_map();
                std::tie(node->kh, node->kw) = pair("kernel_size", 1);
                std::tie(node->sh, node->sw) = pair("strides", 1);
                std::tie(node->dh, node->dw) = pair("dilation_rate", 1);
                if ((node->sh > 1 || node->sw > 1) && (node->dh > 1 || node->dw > 1))
                    throw fail("strides and dilation together are not supported");
                padding_mode();
                set_activation("activation");
                const bool bias = c.value("use_bias", true);
                const std::int64_t channels = in[2];
                std::int64_t out = 0, groups = 1;
                if (node->kind == Kind::Conv2D) {
                    out = c.value("filters", std::int64_t{0});
                    groups = c.value("groups", std::int64_t{1});
                    if (out < 1 || groups < 1 || channels % groups || out % groups)
                        throw fail("'filters' / 'groups' do not fit " + std::to_string(channels) +
                                   " input channels");
                } else {
                    const std::int64_t m = c.value("depth_multiplier", std::int64_t{1});
                    out = channels * m;
                    groups = channels;
                }
                node->conv = register_module(
                    mod,
                    torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, out, {node->kh, node->kw})
                                          .stride({node->sh, node->sw})
                                          .dilation({node->dh, node->dw})
                                          .groups(groups)
                                          .bias(bias)));
                node->shape = {out_size(in[0], node->kh, node->sh, node->dh, node->same),
                               out_size(in[1], node->kw, node->sw, node->dw, node->same), out};
                if (node->shape[0] < 1 || node->shape[1] < 1)
                    throw fail("the input is smaller than the kernel");
                break;
            }
            case Kind::BatchNorm: {
                std::int64_t axis = -1;
                if (c.contains("axis")) {
                    const json& a = c["axis"];
                    if (a.is_number_integer())
                        axis = a.get<std::int64_t>();
                    else if (a.is_array() && a.size() == 1 && a[0].is_number_integer())
                        axis = a[0].get<std::int64_t>();
                    else
                        throw fail("'axis' must be one integer");
                }
                const auto rank = static_cast<std::int64_t>(in.size()) + 1;
                if (axis != -1 && axis != rank - 1)
                    throw fail("normalises axis " + std::to_string(axis) +
                               "; only the channel (last) axis is supported");
                node->eps = c.value("epsilon", 1e-3);
                node->momentum = 1.0 - c.value("momentum", 0.99);
                node->bn = register_module(
                    mod, torch::nn::BatchNorm2d(
                             torch::nn::BatchNorm2dOptions(in.back()).eps(node->eps).momentum(
                                 node->momentum)));
                node->shape = in;
                break;
            }
            case Kind::Activation:
                set_activation("activation");
                node->shape = in;
                break;
            case Kind::ReLU:
                if (c.contains("max_value") && c["max_value"].is_number())
                    node->relu_max = c["max_value"].get<double>();
                node->slope = c.value("negative_slope", 0.0);
                node->threshold = c.value("threshold", 0.0);
                node->shape = in;
                break;
            case Kind::LeakyReLU:
                node->slope = c.contains("negative_slope") ? c.value("negative_slope", 0.3)
                                                           : c.value("alpha", 0.3);
                node->shape = in;
                break;
            case Kind::Softmax:
                node->axis = c.contains("axis") && c["axis"].is_number_integer()
                                 ? c["axis"].get<std::int64_t>()
                                 : -1;
                node->shape = in;
                break;
            case Kind::ZeroPad: {
                need_map();
                const json& p = c.contains("padding") ? c["padding"] : json(1);
                std::int64_t t = 0, b = 0, l = 0, r = 0;
                if (p.is_number_integer()) {
                    t = b = l = r = p.get<std::int64_t>();
                } else if (p.is_array() && p.size() == 2 && p[0].is_number_integer()) {
                    t = b = p[0].get<std::int64_t>();
                    l = r = p[1].get<std::int64_t>();
                } else if (p.is_array() && p.size() == 2 && p[0].is_array() && p[1].is_array() &&
                           p[0].size() == 2 && p[1].size() == 2) {
                    t = p[0][0].get<std::int64_t>();
                    b = p[0][1].get<std::int64_t>();
                    l = p[1][0].get<std::int64_t>();
                    r = p[1][1].get<std::int64_t>();
                } else {
                    throw fail("'padding' must be n, [h, w] or [[top, bottom], [left, right]]");
                }
                node->pad[0] = l;
                node->pad[1] = r;
                node->pad[2] = t;
                node->pad[3] = b;
                node->shape = {in[0] + t + b, in[1] + l + r, in[2]};
                break;
            }
            case Kind::Merge:
                if (in_shapes.size() < 2)
                    throw fail("needs at least two inputs");
                for (const auto& s : in_shapes)
                    if (s != in_shapes[0])
                        throw fail("inputs have different shapes");
                if (layer.class_name == "Subtract" && in_shapes.size() != 2)
                    throw fail("needs exactly two inputs");
                node->shape = in;
                break;
            case Kind::Concat: {
                if (in_shapes.empty())
                    throw fail("has no inputs");
                node->axis = c.value("axis", std::int64_t{-1});
                const auto rank = static_cast<std::int64_t>(in.size());
                const std::int64_t a = node->axis < 0 ? node->axis + rank + 1 : node->axis;
                if (a < 1 || a > rank)
                    throw fail("axis " + std::to_string(node->axis) + " is out of range");
                node->shape = in;
                node->shape[a - 1] = 0;
                for (const auto& s : in_shapes) {
                    if (s.size() != in.size())
                        throw fail("inputs have different ranks");
                    for (std::size_t d = 0; d < s.size(); ++d)
                        if (static_cast<std::int64_t>(d) != a - 1 && s[d] != in[d])
                            throw fail("inputs differ outside the concatenation axis");
                    node->shape[a - 1] += s[a - 1];
                }
                break;
            }
            case Kind::MaxPool:
            case Kind::AvgPool: {
                need_map();
                std::tie(node->kh, node->kw) = pair("pool_size", 2);
                const auto strides = c.contains("strides") && !c["strides"].is_null()
                                         ? pair("strides", 1)
                                         : std::make_pair(node->kh, node->kw);
                std::tie(node->sh, node->sw) = strides;
                padding_mode();
                node->shape = {out_size(in[0], node->kh, node->sh, 1, node->same),
                               out_size(in[1], node->kw, node->sw, 1, node->same), in[2]};
                if (node->shape[0] < 1 || node->shape[1] < 1)
                    throw fail("the input is smaller than the pooling window");
                break;
            }
            case Kind::GlobalAvg:
            case Kind::GlobalMax:
                need_map();
                node->keepdims = c.value("keepdims", false);
                node->shape = node->keepdims ? std::vector<std::int64_t>{1, 1, in[2]}
                                             : std::vector<std::int64_t>{in[2]};
                break;
            case Kind::Dense: {
                if (in.size() != 1)
                    throw fail("needs a flat input (add Flatten or global pooling before it)");
                const std::int64_t units = c.value("units", std::int64_t{0});
                if (units < 1)
                    throw fail("'units' must be a positive integer");
                set_activation("activation");
                node->dense = register_module(
                    mod,
                    torch::nn::Linear(
                        torch::nn::LinearOptions(in[0], units).bias(c.value("use_bias", true))));
                node->shape = {units};
                break;
            }
            case Kind::Dropout:
            case Kind::SpatialDropout:
                node->rate = c.value("rate", 0.0);
                if (c.contains("noise_shape") && !c["noise_shape"].is_null())
                    throw fail("noise_shape is not supported");
                node->shape = in;
                break;
            case Kind::Flatten: {
                std::int64_t n = 1;
                for (auto d : in)
                    n *= d;
                node->shape = {n};
                break;
            }
            case Kind::Reshape: {
                if (!c.contains("target_shape") || !c["target_shape"].is_array())
                    throw fail("has no target_shape");
                std::int64_t total = 1, known = 1, unknown = -1;
                for (auto d : in)
                    total *= d;
                for (std::size_t i = 0; i < c["target_shape"].size(); ++i) {
                    const auto d = c["target_shape"][i].get<std::int64_t>();
                    if (d == -1)
                        unknown = static_cast<std::int64_t>(i);
                    else
                        known *= d;
                    node->target.push_back(d);
                }
                if (unknown >= 0 && known > 0)
                    node->target[unknown] = total / known;
                std::int64_t product = 1;
                for (auto d : node->target)
                    product *= d;
                if (product != total || (node->target.size() != 1 && node->target.size() != 3))
                    throw fail("target_shape " + c["target_shape"].dump() +
                               " does not fit the input or is not [features] / [h, w, c]");
                node->shape = node->target;
                break;
            }
        }
        index[layer.name] = nodes_.size();
        nodes_.push_back(node);
    }
    const std::vector<std::int64_t>& out = nodes_.back()->shape;
    feature_size_ = out.back();
    if (out.size() == 1)
        feature_size_ = out[0];
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

torch::Tensor KerasImageModel::apply(Node& n, const std::vector<torch::Tensor>& in) {
    const torch::Tensor& x = in.empty() ? torch::Tensor() : in[0];
    switch (n.kind) {
        case Kind::Input:
            return x;
        case Kind::Conv2D:
        case Kind::Depthwise: {
            torch::Tensor y = x;
            if (n.same) {
                const auto [top, bottom] = same_padding(x.size(2), n.kh, n.sh, n.dh);
                const auto [left, right] = same_padding(x.size(3), n.kw, n.sw, n.dw);
                if (top || bottom || left || right)
                    y = F::pad(y, F::PadFuncOptions({left, right, top, bottom}));
            }
            return activate(n.conv->forward(y), n.activation);
        }
        case Kind::BatchNorm:
            return torch::batch_norm(x, n.bn->weight, n.bn->bias, n.bn->running_mean,
                                     n.bn->running_var, is_training(), n.momentum, n.eps,
                                     /*cudnn_enabled=*/false);
        case Kind::Activation:
            return activate(x, n.activation);
        case Kind::ReLU: {
            torch::Tensor y = n.slope != 0 || n.threshold != 0
                                  ? torch::where(x >= n.threshold, x, n.slope * (x - n.threshold))
                                  : torch::relu(x);
            return n.relu_max >= 0 ? torch::clamp_max(y, n.relu_max) : y;
        }
        case Kind::LeakyReLU:
            return F::leaky_relu(x, F::LeakyReLUFuncOptions().negative_slope(n.slope));
        case Kind::Softmax:
            return torch::softmax(x, torch_axis(n.axis, static_cast<std::size_t>(x.dim())));
        case Kind::ZeroPad:
            return F::pad(x, F::PadFuncOptions({n.pad[0], n.pad[1], n.pad[2], n.pad[3]}));
        case Kind::Merge: {
            torch::Tensor y = in[0];
            for (std::size_t i = 1; i < in.size(); ++i) {
                if (n.class_name == "Add" || n.class_name == "Average")
                    y = y + in[i];
                else if (n.class_name == "Subtract")
                    y = y - in[i];
                else if (n.class_name == "Multiply")
                    y = y * in[i];
                else if (n.class_name == "Maximum")
                    y = torch::maximum(y, in[i]);
                else
                    y = torch::minimum(y, in[i]);
            }
            return n.class_name == "Average" ? y / static_cast<double>(in.size()) : y;
        }
        case Kind::Concat:
            return torch::cat(in, torch_axis(n.axis, static_cast<std::size_t>(x.dim())));
        case Kind::MaxPool:
        case Kind::AvgPool: {
            torch::Tensor y = x;
            std::int64_t pads[4] = {0, 0, 0, 0};
            if (n.same) {
                std::tie(pads[2], pads[3]) = same_padding(x.size(2), n.kh, n.sh, 1);
                std::tie(pads[0], pads[1]) = same_padding(x.size(3), n.kw, n.sw, 1);
            }
            const bool padded = pads[0] || pads[1] || pads[2] || pads[3];
            const std::vector<std::int64_t> k{n.kh, n.kw}, s{n.sh, n.sw};
            if (n.kind == Kind::MaxPool) {
                if (padded)
                    y = F::pad(y, F::PadFuncOptions({pads[0], pads[1], pads[2], pads[3]})
                                      .value(-std::numeric_limits<double>::infinity()));
                return torch::max_pool2d(y, k, s);
            }
            if (!padded)
                return torch::avg_pool2d(y, k, s);
            // TF averages over the window's pixels inside the image only.
            const auto opts = F::PadFuncOptions({pads[0], pads[1], pads[2], pads[3]});
            const torch::Tensor ones = torch::ones({1, 1, x.size(2), x.size(3)}, x.options());
            return torch::avg_pool2d(F::pad(y, opts), k, s) /
                   torch::avg_pool2d(F::pad(ones, opts), k, s);
        }
        case Kind::GlobalAvg:
            return n.keepdims ? x.mean({2, 3}, true) : x.mean({2, 3});
        case Kind::GlobalMax:
            return n.keepdims ? x.amax({2, 3}, true) : x.amax({2, 3});
        case Kind::Dense:
            return activate(n.dense->forward(x), n.activation);
        case Kind::Dropout:
            return n.rate > 0
                       ? F::dropout(x, F::DropoutFuncOptions().p(n.rate).training(is_training()))
                       : x;
        case Kind::SpatialDropout:
            return n.rate > 0 ? torch::feature_dropout(x, n.rate, is_training()) : x;
        case Kind::Flatten:
            return to_keras_layout(x).flatten(1);
        case Kind::Reshape: {
            std::vector<std::int64_t> shape{x.size(0)};
            shape.insert(shape.end(), n.target.begin(), n.target.end());
            torch::Tensor y = to_keras_layout(x).reshape(shape);
            return y.dim() == 4 ? y.permute({0, 3, 1, 2}) : y;
        }
    }
    return x;
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
        out[i] = apply(*nodes_[i], in);
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
    auto find = [&](const Node& n, const std::string& w,
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
        const Node& n = *nodes_[i];
        const json& c = graph_.layers[i].config;
        if (n.conv) {
            const auto& w = n.conv->weight;  // [out, in / groups, kh, kw]
            if (n.kind == Kind::Conv2D) {
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
