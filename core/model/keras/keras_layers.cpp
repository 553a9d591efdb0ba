// Keras layers as LibTorch operations, with Keras' semantics (TF 'same' padding puts the odd
// pixel at the bottom / right; average pooling with 'same' padding divides by the pixels inside
// the image; Flatten / Reshape work on the channels-last order).
#include "model/keras/keras_layers.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace tb::model::keras {
namespace {

namespace F = torch::nn::functional;

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

// Keras axis of a [N, H, W, C] / [N, F] tensor -> our dimension (NCHW / NF).
std::int64_t torch_axis(std::int64_t axis, std::size_t rank) {
    if (axis < 0)
        axis += static_cast<std::int64_t>(rank);
    if (rank != 4)
        return axis;
    static const std::int64_t map[] = {0, 2, 3, 1};
    return map[axis];
}

}  // namespace

std::string keras_module_name(const std::string& layer) {
    std::string n = layer;
    std::replace(n.begin(), n.end(), '.', '_');
    return n;
}

torch::Tensor to_keras_layout(const torch::Tensor& t) {
    return t.dim() == 4 ? t.permute({0, 2, 3, 1}).contiguous() : t;
}

torch::Tensor run_keras_node(KerasNode& n, const std::vector<torch::Tensor>& in, bool training) {
    const torch::Tensor& x = in.empty() ? torch::Tensor() : in[0];
    switch (n.kind) {
        case LayerKind::Input:
            return x;
        case LayerKind::Conv2D:
        case LayerKind::Depthwise: {
            torch::Tensor y = x;
            if (n.same) {
                const auto [top, bottom] = same_padding(x.size(2), n.kh, n.sh, n.dh);
                const auto [left, right] = same_padding(x.size(3), n.kw, n.sw, n.dw);
                if (top || bottom || left || right)
                    y = F::pad(y, F::PadFuncOptions({left, right, top, bottom}));
            }
            return activate(n.conv->forward(y), n.activation);
        }
        case LayerKind::BatchNorm:
            return torch::batch_norm(x, n.bn->weight, n.bn->bias, n.bn->running_mean,
                                     n.bn->running_var, training && n.bn->is_training(), n.momentum,
                                     n.eps,
                                     /*cudnn_enabled=*/false);
        case LayerKind::Activation:
            return activate(x, n.activation);
        case LayerKind::ReLU: {
            torch::Tensor y = n.slope != 0 || n.threshold != 0
                                  ? torch::where(x >= n.threshold, x, n.slope * (x - n.threshold))
                                  : torch::relu(x);
            return n.relu_max >= 0 ? torch::clamp_max(y, n.relu_max) : y;
        }
        case LayerKind::LeakyReLU:
            return F::leaky_relu(x, F::LeakyReLUFuncOptions().negative_slope(n.slope));
        case LayerKind::Softmax:
            return torch::softmax(x, torch_axis(n.axis, static_cast<std::size_t>(x.dim())));
        case LayerKind::ZeroPad:
            return F::pad(x, F::PadFuncOptions({n.pad[0], n.pad[1], n.pad[2], n.pad[3]}));
        case LayerKind::Merge: {
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
        case LayerKind::Concat:
            return torch::cat(in, torch_axis(n.axis, static_cast<std::size_t>(x.dim())));
        case LayerKind::MaxPool:
        case LayerKind::AvgPool: {
            torch::Tensor y = x;
            std::int64_t pads[4] = {0, 0, 0, 0};
            if (n.same) {
                std::tie(pads[2], pads[3]) = same_padding(x.size(2), n.kh, n.sh, 1);
                std::tie(pads[0], pads[1]) = same_padding(x.size(3), n.kw, n.sw, 1);
            }
            const bool padded = pads[0] || pads[1] || pads[2] || pads[3];
            const std::vector<std::int64_t> k{n.kh, n.kw}, s{n.sh, n.sw};
            if (n.kind == LayerKind::MaxPool) {
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
        case LayerKind::GlobalAvg:
            return n.keepdims ? x.mean({2, 3}, true) : x.mean({2, 3});
        case LayerKind::GlobalMax:
            return n.keepdims ? x.amax({2, 3}, true) : x.amax({2, 3});
        case LayerKind::Dense:
            return activate(n.dense->forward(x), n.activation);
        case LayerKind::Dropout:
            return n.rate > 0 ? F::dropout(x, F::DropoutFuncOptions().p(n.rate).training(training))
                              : x;
        case LayerKind::SpatialDropout:
            return n.rate > 0 ? torch::feature_dropout(x, n.rate, training) : x;
        case LayerKind::Flatten:
            return to_keras_layout(x).flatten(1);
        case LayerKind::Reshape: {
            std::vector<std::int64_t> shape{x.size(0)};
            shape.insert(shape.end(), n.target.begin(), n.target.end());
            torch::Tensor y = to_keras_layout(x).reshape(shape);
            return y.dim() == 4 ? y.permute({0, 3, 1, 2}) : y;
        }
    }
    return x;
}

}  // namespace tb::model::keras
