// A linear layer with an optional LoRA adapter: y = x W^T + b + dropout(x) A^T B^T * alpha/r.
// The base keeps Hugging Face's parameter names ("weight", "bias"); the adapter adds
// "lora_A.weight" [r, in] and "lora_B.weight" [out, r], PEFT's names.
#pragma once

#include <cstdint>

#include <torch/torch.h>

#include "model/fast_dropout.h"

namespace tb::model {

// One adapter matrix, a module of its own so it is named "<layer>.lora_A.weight" as in PEFT.
class LoraMatrixImpl : public torch::nn::Module {
public:
    LoraMatrixImpl(std::int64_t rows, std::int64_t cols);
    torch::Tensor weight;
};
TORCH_MODULE(LoraMatrix);

class LoraLinearImpl : public torch::nn::Module {
public:
    // Initialised like torch::nn::Linear (kaiming-uniform weight, uniform bias).
    LoraLinearImpl(std::int64_t in_features, std::int64_t out_features, bool with_bias = true);
    torch::Tensor forward(const torch::Tensor& x);

    // Adds the adapter: A kaiming-uniform (a = sqrt(5), as PEFT), B zero, so the output is
    // unchanged until B is trained. Throws tb::Error for rank <= 0, alpha <= 0, dropout outside
    // [0, 1), or when an adapter is already present.
    void add_adapter(std::int64_t rank, double alpha, double dropout);
    bool has_adapter() const { return rank_ > 0; }
    // Disabled adapters are skipped in forward (the base model's output); merged ones are
    // already inside `weight`.
    void set_adapter_enabled(bool enabled) { enabled_ = enabled; }
    bool adapter_enabled() const { return enabled_; }
    // weight += B A * alpha / r (once; the adapter is then skipped in forward). unmerge()
    // subtracts it again. No-ops without an adapter or when already (un)merged.
    void merge();
    void unmerge();
    bool merged() const { return merged_; }
    std::int64_t rank() const { return rank_; }
    double alpha() const { return alpha_; }
    double scaling() const { return rank_ > 0 ? alpha_ / static_cast<double>(rank_) : 0.0; }
    std::int64_t in_features() const { return in_features_; }
    std::int64_t out_features() const { return out_features_; }

    torch::Tensor weight, bias;  // bias undefined when built without one
    LoraMatrix lora_A{nullptr}, lora_B{nullptr};
    Dropout lora_dropout{nullptr};

private:
    torch::Tensor delta() const;  // B A * scaling, in weight's dtype

    std::int64_t in_features_, out_features_;
    std::int64_t rank_ = 0;
    double alpha_ = 0.0;
    bool enabled_ = true;
    bool merged_ = false;
};
TORCH_MODULE(LoraLinear);

}  // namespace tb::model
