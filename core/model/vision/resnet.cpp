// ResNet as torchvision builds it (torchvision/models/resnet.py, v0.14): same modules in the
// same order under the same names, same initialisation.
#include "model/vision/resnet.h"

#include "common/error.h"

namespace tb::model::vision {
namespace {

torch::nn::Conv2d conv(std::int64_t in, std::int64_t out, std::int64_t kernel,
                       std::int64_t stride) {
    return torch::nn::Conv2d(
        torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(kernel / 2).bias(false));
}

// torchvision: Kaiming-normal (fan_out, ReLU) convolutions, batch norm weight 1 and bias 0.
void init_backbone(torch::nn::Module& module) {
    torch::NoGradGuard no_grad;
    for (auto& m : module.modules(/*include_self=*/false)) {
        if (auto* c = m->as<torch::nn::Conv2d>()) {
            torch::nn::init::kaiming_normal_(c->weight, /*a=*/0.0, torch::kFanOut, torch::kReLU);
        } else if (auto* bn = m->as<torch::nn::BatchNorm2d>()) {
            torch::nn::init::ones_(bn->weight);
            torch::nn::init::zeros_(bn->bias);
        }
    }
}

}  // namespace

ResNetOptions resnet_options(const std::string& architecture, std::int64_t num_classes) {
    ResNetOptions o;
    o.name = architecture;
    o.num_classes = num_classes;
    if (architecture == "resnet18") {
        o.blocks = {2, 2, 2, 2};
    } else if (architecture == "resnet34") {
        o.blocks = {3, 4, 6, 3};
    } else if (architecture == "resnet50") {
        o.blocks = {3, 4, 6, 3};
        o.bottleneck = true;
    } else {
        throw Error("unknown ResNet architecture '" + architecture +
                        "'; supported: resnet18, resnet34, resnet50",
                    SourceLocation{"", 0, 0, "architecture"});
    }
    return o;
}

ResidualBlockImpl::ResidualBlockImpl(std::int64_t in_channels, std::int64_t planes,
                                     std::int64_t stride, bool bottleneck) {
    if (bottleneck) {
        out_channels_ = planes * 4;
        conv1_ = register_module("conv1", conv(in_channels, planes, 1, 1));
        bn1_ = register_module("bn1", torch::nn::BatchNorm2d(planes));
        conv2_ = register_module("conv2", conv(planes, planes, 3, stride));
        bn2_ = register_module("bn2", torch::nn::BatchNorm2d(planes));
        conv3_ = register_module("conv3", conv(planes, out_channels_, 1, 1));
        bn3_ = register_module("bn3", torch::nn::BatchNorm2d(out_channels_));
    } else {
        out_channels_ = planes;
        conv1_ = register_module("conv1", conv(in_channels, planes, 3, stride));
        bn1_ = register_module("bn1", torch::nn::BatchNorm2d(planes));
        conv2_ = register_module("conv2", conv(planes, planes, 3, 1));
        bn2_ = register_module("bn2", torch::nn::BatchNorm2d(planes));
    }
    if (stride != 1 || in_channels != out_channels_) {
        downsample_ = register_module(
            "downsample", torch::nn::Sequential(conv(in_channels, out_channels_, 1, stride),
                                                torch::nn::BatchNorm2d(out_channels_)));
    }
}

torch::Tensor ResidualBlockImpl::forward(const torch::Tensor& x) {
    torch::Tensor out = torch::relu(bn1_(conv1_(x)));
    out = bn2_(conv2_(out));
    if (conv3_)
        out = bn3_(conv3_(torch::relu(out)));
    const torch::Tensor identity = downsample_ ? downsample_->forward(x) : x;
    return torch::relu(out + identity);
}

ResNet::ResNet(const ResNetOptions& options) : name_(options.name) {
    if (options.blocks.size() != 4 || options.num_classes < 1 || options.in_channels < 1)
        throw Error("a ResNet needs 4 stages, at least one class and one input channel",
                    SourceLocation{"", 0, 0, options.name});
    conv1_ = register_module(
        "conv1",
        torch::nn::Conv2d(
            torch::nn::Conv2dOptions(options.in_channels, 64, 7).stride(2).padding(3).bias(false)));
    bn1_ = register_module("bn1", torch::nn::BatchNorm2d(64));
    std::int64_t channels = 64;
    torch::nn::Sequential* layers[4] = {&layer1_, &layer2_, &layer3_, &layer4_};
    for (int stage = 0; stage < 4; ++stage) {
        const std::int64_t planes = 64LL << stage;
        torch::nn::Sequential layer;
        for (int i = 0; i < options.blocks[stage]; ++i) {
            const std::int64_t stride = (stage > 0 && i == 0) ? 2 : 1;
            ResidualBlock block(channels, planes, stride, options.bottleneck);
            channels = block->out_channels();
            layer->push_back(block);
        }
        *layers[stage] = register_module("layer" + std::to_string(stage + 1), layer);
    }
    feature_size_ = channels;
    init_backbone(*this);
    num_classes_ = options.num_classes;
    fc_ = register_module("fc", torch::nn::Linear(feature_size_, num_classes_));
}

torch::Tensor ResNet::features(const torch::Tensor& images) {
    torch::Tensor x = torch::relu(bn1_(conv1_(images)));
    x = torch::max_pool2d(x, /*kernel_size=*/3, /*stride=*/2, /*padding=*/1);
    x = layer4_->forward(layer3_->forward(layer2_->forward(layer1_->forward(x))));
    return torch::adaptive_avg_pool2d(x, {1, 1}).flatten(1);
}

torch::Tensor ResNet::forward(const torch::Tensor& images) {
    return fc_(features(images));
}

void ResNet::reset_head(std::int64_t num_classes) {
    if (num_classes < 1)
        throw Error(
            "the classification head needs at least one class, not " + std::to_string(num_classes),
            SourceLocation{"", 0, 0, "num_classes"});
    num_classes_ = num_classes;
    fc_ = replace_module("fc", torch::nn::Linear(feature_size_, num_classes_));
}

}  // namespace tb::model::vision
