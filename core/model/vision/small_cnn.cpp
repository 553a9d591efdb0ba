// The small CNN for small images.
#include "model/vision/small_cnn.h"

#include "common/error.h"

namespace tb::model::vision {

SmallCnn::SmallCnn(const SmallCnnOptions& o) : num_classes_(o.num_classes) {
    if (o.height < 6 || o.width < 6 || o.in_channels < 1 || o.num_classes < 1)
        throw Error(
            "the small CNN needs images of at least 6x6 pixels with 1 or more channels "
            "and at least one class (got " +
                std::to_string(o.width) + "x" + std::to_string(o.height) + ", " +
                std::to_string(o.in_channels) + " channel(s), " + std::to_string(o.num_classes) +
                " class(es))",
            SourceLocation{"", 0, 0, "small_cnn"});
    conv1_ = register_module("conv1", torch::nn::Conv2d(o.in_channels, 32, 3));
    conv2_ = register_module("conv2", torch::nn::Conv2d(32, 64, 3));
    conv_dropout_ = register_module("conv_dropout", torch::nn::Dropout(o.conv_dropout));
    const std::int64_t flat = 64 * ((o.height - 4) / 2) * ((o.width - 4) / 2);
    fc1_ = register_module("fc1", torch::nn::Linear(flat, 128));
    dense_dropout_ = register_module("dense_dropout", torch::nn::Dropout(o.dense_dropout));
    fc_ = register_module("fc", torch::nn::Linear(128, num_classes_));
}

torch::Tensor SmallCnn::features(const torch::Tensor& images) {
    torch::Tensor x = torch::relu(conv2_(torch::relu(conv1_(images))));
    x = conv_dropout_(torch::max_pool2d(x, /*kernel_size=*/2)).flatten(1);
    return dense_dropout_(torch::relu(fc1_(x)));
}

torch::Tensor SmallCnn::forward(const torch::Tensor& images) {
    return fc_(features(images));
}

void SmallCnn::reset_head(std::int64_t num_classes) {
    if (num_classes < 1)
        throw Error("the classification head needs at least one class",
                    SourceLocation{"", 0, 0, "num_classes"});
    num_classes_ = num_classes;
    fc_ = replace_module("fc", torch::nn::Linear(128, num_classes_));
}

}  // namespace tb::model::vision
