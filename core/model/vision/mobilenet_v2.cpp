// MobileNetV2 as torchvision builds it (torchvision/models/mobilenetv2.py, v0.14): same modules
// in the same order under the same names, same initialisation.
#include "model/vision/mobilenet_v2.h"

#include <cmath>

#include "common/error.h"

namespace tb::model::vision {
namespace {

// torchvision's _make_divisible: round to a multiple of 8, never dropping more than 10 %.
std::int64_t make_divisible(double value, std::int64_t divisor = 8) {
    std::int64_t rounded = std::max<std::int64_t>(
        divisor, static_cast<std::int64_t>(value + divisor / 2.0) / divisor * divisor);
    if (static_cast<double>(rounded) < 0.9 * value)
        rounded += divisor;
    return rounded;
}

// torchvision's Conv2dNormActivation: conv without bias, batch norm, ReLU6, named 0, 1, 2. A
// Sequential subclass with a plain forward, so it can sit inside another Sequential.
class ConvBnRelu6Impl : public torch::nn::SequentialImpl {
public:
    ConvBnRelu6Impl(std::int64_t in, std::int64_t out, std::int64_t kernel, std::int64_t stride,
                    std::int64_t groups) {
        push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel)
                                        .stride(stride)
                                        .padding((kernel - 1) / 2)
                                        .groups(groups)
                                        .bias(false)));
        push_back(torch::nn::BatchNorm2d(out));
        push_back(torch::nn::ReLU6());
    }
    torch::Tensor forward(torch::Tensor x) { return SequentialImpl::forward(x); }
};
TORCH_MODULE(ConvBnRelu6);

torch::nn::Sequential make_classifier(std::int64_t features, std::int64_t num_classes,
                                      double dropout) {
    torch::nn::Linear linear(features, num_classes);
    torch::NoGradGuard no_grad;
    torch::nn::init::normal_(linear->weight, /*mean=*/0.0, /*std=*/0.01);
    torch::nn::init::zeros_(linear->bias);
    return torch::nn::Sequential(torch::nn::Dropout(dropout), linear);
}

}  // namespace

InvertedResidualImpl::InvertedResidualImpl(std::int64_t in_channels, std::int64_t out_channels,
                                           std::int64_t stride, std::int64_t expand_ratio) {
    const auto hidden =
        static_cast<std::int64_t>(std::nearbyint(static_cast<double>(in_channels) * expand_ratio));
    residual_ = stride == 1 && in_channels == out_channels;
    torch::nn::Sequential layers;
    if (expand_ratio != 1)
        layers->push_back(ConvBnRelu6(in_channels, hidden, 1, 1, 1));
    layers->push_back(ConvBnRelu6(hidden, hidden, 3, stride, /*groups=*/hidden));
    layers->push_back(torch::nn::Conv2d(
        torch::nn::Conv2dOptions(hidden, out_channels, 1).stride(1).padding(0).bias(false)));
    layers->push_back(torch::nn::BatchNorm2d(out_channels));
    conv_ = register_module("conv", layers);
}

torch::Tensor InvertedResidualImpl::forward(const torch::Tensor& x) {
    return residual_ ? x + conv_->forward(x) : conv_->forward(x);
}

MobileNetV2::MobileNetV2(const MobileNetV2Options& options) : dropout_(options.dropout) {
    if (options.num_classes < 1 || !(options.width_mult > 0.0))
        throw Error("MobileNetV2 needs at least one class and a positive width multiplier",
                    SourceLocation{"", 0, 0, "mobilenet_v2"});
    // expansion t, output channels c, repeats n, first stride s (the paper's Table 2).
    const std::int64_t settings[7][4] = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2},
                                         {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2},
                                         {6, 320, 1, 1}};
    std::int64_t channels = make_divisible(32 * options.width_mult);
    feature_size_ = make_divisible(1280 * std::max(1.0, options.width_mult));
    torch::nn::Sequential features;
    features->push_back(ConvBnRelu6(3, channels, 3, 2, 1));
    for (const auto& s : settings) {
        const std::int64_t out = make_divisible(static_cast<double>(s[1]) * options.width_mult);
        for (std::int64_t i = 0; i < s[2]; ++i) {
            features->push_back(InvertedResidual(channels, out, i == 0 ? s[3] : 1, s[0]));
            channels = out;
        }
    }
    features->push_back(ConvBnRelu6(channels, feature_size_, 1, 1, 1));
    features_ = register_module("features", features);

    torch::NoGradGuard no_grad;
    for (auto& m : modules(/*include_self=*/false)) {
        if (auto* c = m->as<torch::nn::Conv2d>()) {
            torch::nn::init::kaiming_normal_(c->weight, /*a=*/0.0, torch::kFanOut);
        } else if (auto* bn = m->as<torch::nn::BatchNorm2d>()) {
            torch::nn::init::ones_(bn->weight);
            torch::nn::init::zeros_(bn->bias);
        }
    }
    num_classes_ = options.num_classes;
    classifier_ =
        register_module("classifier", make_classifier(feature_size_, num_classes_, dropout_));
}

torch::Tensor MobileNetV2::features(const torch::Tensor& images) {
    return torch::adaptive_avg_pool2d(features_->forward(images), {1, 1}).flatten(1);
}

torch::Tensor MobileNetV2::forward(const torch::Tensor& images) {
    return classifier_->forward(features(images));
}

void MobileNetV2::reset_head(std::int64_t num_classes) {
    if (num_classes < 1)
        throw Error(
            "the classification head needs at least one class, not " + std::to_string(num_classes),
            SourceLocation{"", 0, 0, "num_classes"});
    num_classes_ = num_classes;
    classifier_ =
        replace_module("classifier", make_classifier(feature_size_, num_classes_, dropout_));
}

}  // namespace tb::model::vision
