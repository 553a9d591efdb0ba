// LoRA-capable linear layer (Hu et al. 2021): frozen base, trainable low-rank update.
#include "model/lora_linear.h"

#include <cmath>

#include "common/error.h"

namespace tb::model {

LoraMatrixImpl::LoraMatrixImpl(std::int64_t rows, std::int64_t cols) {
    weight = register_parameter("weight", torch::zeros({rows, cols}));
}

LoraLinearImpl::LoraLinearImpl(std::int64_t in_features, std::int64_t out_features, bool with_bias)
    : in_features_(in_features), out_features_(out_features) {
    weight = register_parameter("weight", torch::empty({out_features, in_features}));
    torch::nn::init::kaiming_uniform_(weight, std::sqrt(5.0));
    if (with_bias) {
        const double bound =
            in_features > 0 ? 1.0 / std::sqrt(static_cast<double>(in_features)) : 0.0;
        bias = register_parameter("bias", torch::empty({out_features}).uniform_(-bound, bound));
    }
}

torch::Tensor LoraLinearImpl::forward(const torch::Tensor& x) {
    auto y = torch::nn::functional::linear(x, weight, bias);
    if (rank_ > 0 && enabled_ && !merged_) {
        auto low = torch::nn::functional::linear(lora_dropout(x), lora_A->weight);
        y = y + torch::nn::functional::linear(low, lora_B->weight) * scaling();
    }
    return y;
}

void LoraLinearImpl::add_adapter(std::int64_t rank, double alpha, double dropout) {
    if (rank_ > 0)
        throw Error("this layer already has a LoRA adapter", SourceLocation{{}, 0, 0, "lora"});
    if (rank <= 0)
        throw Error("LoRA rank must be positive, got " + std::to_string(rank),
                    SourceLocation{{}, 0, 0, "lora.rank"});
    if (!(alpha > 0.0))
        throw Error("LoRA alpha must be positive", SourceLocation{{}, 0, 0, "lora.alpha"});
    if (!(dropout >= 0.0 && dropout < 1.0))
        throw Error("LoRA dropout must be in [0, 1)", SourceLocation{{}, 0, 0, "lora.dropout"});
    const auto options = torch::TensorOptions().dtype(weight.dtype()).device(weight.device());
    lora_A = register_module("lora_A", LoraMatrix(rank, in_features_));
    lora_B = register_module("lora_B", LoraMatrix(out_features_, rank));
    lora_dropout = register_module("lora_dropout", Dropout(dropout));
    {
        torch::NoGradGuard no_grad;
        lora_A->weight.set_data(torch::empty({rank, in_features_}, options));
        torch::nn::init::kaiming_uniform_(lora_A->weight, std::sqrt(5.0));
        lora_B->weight.set_data(torch::zeros({out_features_, rank}, options));
    }
    lora_dropout->train(is_training());
    rank_ = rank;
    alpha_ = alpha;
}

torch::Tensor LoraLinearImpl::delta() const {
    return (torch::matmul(lora_B->weight, lora_A->weight) * scaling()).to(weight.dtype());
}

void LoraLinearImpl::merge() {
    if (rank_ == 0 || merged_)
        return;
    torch::NoGradGuard no_grad;
    weight.add_(delta());
    merged_ = true;
}

void LoraLinearImpl::unmerge() {
    if (rank_ == 0 || !merged_)
        return;
    torch::NoGradGuard no_grad;
    weight.sub_(delta());
    merged_ = false;
}

}  // namespace tb::model
