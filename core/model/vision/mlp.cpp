// The MLP for small images.
#include "model/vision/mlp.h"

#include "common/error.h"

namespace tb::model::vision {

Mlp::Mlp(const MlpOptions& o) : in_features_(o.in_features), num_classes_(o.num_classes) {
    if (o.in_features < 1 || o.num_classes < 1 || o.hidden.empty())
        throw Error("the MLP needs at least one input value, one hidden layer and one class",
                    SourceLocation{"", 0, 0, "mlp"});
    torch::nn::Sequential hidden;
    std::int64_t width = o.in_features;
    for (std::int64_t units : o.hidden) {
        if (units < 1)
            throw Error("MLP hidden layers need at least one unit",
                        SourceLocation{"", 0, 0, "mlp.hidden"});
        hidden->push_back(torch::nn::Linear(width, units));
        hidden->push_back(torch::nn::ReLU());
        hidden->push_back(torch::nn::Dropout(o.dropout));
        width = units;
    }
    feature_size_ = width;
    hidden_ = register_module("hidden", hidden);
    fc_ = register_module("fc", torch::nn::Linear(feature_size_, num_classes_));
}

torch::Tensor Mlp::features(const torch::Tensor& images) {
    torch::Tensor x = images.flatten(1);
    if (x.size(1) != in_features_)
        throw Error("the MLP expects " + std::to_string(in_features_) +
                        " values per image but got " + std::to_string(x.size(1)) +
                        "; set the image size to match the model",
                    SourceLocation{"", 0, 0, "mlp"});
    return hidden_->forward(x);
}

torch::Tensor Mlp::forward(const torch::Tensor& images) {
    return fc_(features(images));
}

void Mlp::reset_head(std::int64_t num_classes) {
    if (num_classes < 1)
        throw Error("the classification head needs at least one class",
                    SourceLocation{"", 0, 0, "num_classes"});
    num_classes_ = num_classes;
    fc_ = replace_module("fc", torch::nn::Linear(feature_size_, num_classes_));
}

}  // namespace tb::model::vision
