// Keras layer configs -> KerasNode: settings, output shapes (Keras' rules for 'valid' / 'same'
// padding), and the LibTorch modules holding the weights.
#include <map>

#include "common/error.h"
#include "model/keras/keras_layers.h"

namespace tb::model::keras {
namespace {

using json = nlohmann::json;

const std::map<std::string, LayerKind>& kinds() {
    static const std::map<std::string, LayerKind> k{
        {"InputLayer", LayerKind::Input},
        {"Conv2D", LayerKind::Conv2D},
        {"DepthwiseConv2D", LayerKind::Depthwise},
        {"BatchNormalization", LayerKind::BatchNorm},
        {"Activation", LayerKind::Activation},
        {"ReLU", LayerKind::ReLU},
        {"LeakyReLU", LayerKind::LeakyReLU},
        {"Softmax", LayerKind::Softmax},
        {"ZeroPadding2D", LayerKind::ZeroPad},
        {"Add", LayerKind::Merge},
        {"Subtract", LayerKind::Merge},
        {"Multiply", LayerKind::Merge},
        {"Average", LayerKind::Merge},
        {"Maximum", LayerKind::Merge},
        {"Minimum", LayerKind::Merge},
        {"Concatenate", LayerKind::Concat},
        {"MaxPooling2D", LayerKind::MaxPool},
        {"AveragePooling2D", LayerKind::AvgPool},
        {"GlobalAveragePooling2D", LayerKind::GlobalAvg},
        {"GlobalMaxPooling2D", LayerKind::GlobalMax},
        {"Dense", LayerKind::Dense},
        {"Dropout", LayerKind::Dropout},
        {"SpatialDropout2D", LayerKind::SpatialDropout},
        {"Flatten", LayerKind::Flatten},
        {"Reshape", LayerKind::Reshape},
    };
    return k;
}

std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
    return (a + b - 1) / b;
}

std::int64_t out_size(std::int64_t in, std::int64_t k, std::int64_t s, std::int64_t d, bool same) {
    return same ? ceil_div(in, s) : (in - ((k - 1) * d + 1)) / s + 1;
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

}  // namespace

const std::vector<std::string>& supported_keras_layers() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> n;
        for (const auto& [name, kind] : kinds())
            n.push_back(name);
        return n;
    }();
    return names;
}

std::shared_ptr<KerasNode> make_keras_node(const KerasLayer& layer,
                                           const std::vector<std::vector<std::int64_t>>& in_shapes,
                                           const std::vector<std::int64_t>& graph_input_shape,
                                           const std::string& path) {
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
                        "', which the Keras / TF.js importer does not support (supported: " + list +
                        "); cut the model before it with --cut",
                    SourceLocation{path, 0, 0, layer.name});
    }
    auto node = std::make_shared<KerasNode>();
    node->kind = kind->second;
    node->name = layer.name;
    node->class_name = layer.class_name;
    const json& c = layer.config;
    const bool single = node->kind != LayerKind::Merge && node->kind != LayerKind::Concat;
    if (node->kind != LayerKind::Input && single && in_shapes.size() != 1)
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
    switch (node->kind) {
        case LayerKind::Input:
            node->shape = graph_input_shape;
            break;
        case LayerKind::Conv2D:
        case LayerKind::Depthwise: {
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
            if (node->kind == LayerKind::Conv2D) {
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
            node->conv =
                (torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, out, {node->kh, node->kw})
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
        case LayerKind::BatchNorm: {
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
            node->bn = (torch::nn::BatchNorm2d(
                torch::nn::BatchNorm2dOptions(in.back()).eps(node->eps).momentum(node->momentum)));
            node->shape = in;
            break;
        }
        case LayerKind::Activation:
            set_activation("activation");
            node->shape = in;
            break;
        case LayerKind::ReLU:
            if (c.contains("max_value") && c["max_value"].is_number())
                node->relu_max = c["max_value"].get<double>();
            node->slope = c.value("negative_slope", 0.0);
            node->threshold = c.value("threshold", 0.0);
            node->shape = in;
            break;
        case LayerKind::LeakyReLU:
            node->slope = c.contains("negative_slope") ? c.value("negative_slope", 0.3)
                                                       : c.value("alpha", 0.3);
            node->shape = in;
            break;
        case LayerKind::Softmax:
            node->axis = c.contains("axis") && c["axis"].is_number_integer()
                             ? c["axis"].get<std::int64_t>()
                             : -1;
            node->shape = in;
            break;
        case LayerKind::ZeroPad: {
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
        case LayerKind::Merge:
            if (in_shapes.size() < 2)
                throw fail("needs at least two inputs");
            for (const auto& s : in_shapes)
                if (s != in_shapes[0])
                    throw fail("inputs have different shapes");
            if (layer.class_name == "Subtract" && in_shapes.size() != 2)
                throw fail("needs exactly two inputs");
            node->shape = in;
            break;
        case LayerKind::Concat: {
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
        case LayerKind::MaxPool:
        case LayerKind::AvgPool: {
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
        case LayerKind::GlobalAvg:
        case LayerKind::GlobalMax:
            need_map();
            node->keepdims = c.value("keepdims", false);
            node->shape = node->keepdims ? std::vector<std::int64_t>{1, 1, in[2]}
                                         : std::vector<std::int64_t>{in[2]};
            break;
        case LayerKind::Dense: {
            if (in.size() != 1)
                throw fail("needs a flat input (add Flatten or global pooling before it)");
            const std::int64_t units = c.value("units", std::int64_t{0});
            if (units < 1)
                throw fail("'units' must be a positive integer");
            set_activation("activation");
            node->dense = (torch::nn::Linear(
                torch::nn::LinearOptions(in[0], units).bias(c.value("use_bias", true))));
            node->shape = {units};
            break;
        }
        case LayerKind::Dropout:
        case LayerKind::SpatialDropout:
            node->rate = c.value("rate", 0.0);
            if (c.contains("noise_shape") && !c["noise_shape"].is_null())
                throw fail("noise_shape is not supported");
            node->shape = in;
            break;
        case LayerKind::Flatten: {
            std::int64_t n = 1;
            for (auto d : in)
                n *= d;
            node->shape = {n};
            break;
        }
        case LayerKind::Reshape: {
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
    return node;
}

}  // namespace tb::model::keras
