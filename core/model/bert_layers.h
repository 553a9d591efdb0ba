// The building blocks of a BERT encoder, one module per Hugging Face module, registered under
// HF's names (including "self" and "LayerNorm") so parameter names match HF checkpoints.
#pragma once

#include <vector>

#include <torch/torch.h>

#include "model/bert_config.h"
#include "model/fast_dropout.h"
#include "model/lora_linear.h"

namespace tb::model {

enum class Activation { Gelu, GeluTanh, Relu };
// gelu -> Gelu (erf); gelu_new / gelu_pytorch_tanh -> GeluTanh; relu -> Relu. Throws tb::Error.
Activation activation_from_name(const std::string& hidden_act);
torch::Tensor apply_activation(Activation activation, const torch::Tensor& x);

// Additive attention bias [batch, 1, 1, seq] in `dtype`: 0 where mask is 1, the dtype's
// lowest finite value where it is 0 (current HF behaviour; exp() of it underflows to exactly 0,
// as with the -10000 older HF versions used).
torch::Tensor extended_attention_mask(const torch::Tensor& attention_mask, torch::Dtype dtype);

// Position ids [batch, seq]: 0..seq-1 for BERT; for the RoBERTa family pad_token_id + the
// running count of non-padding tokens, and pad_token_id on padding (as HF computes them).
torch::Tensor position_ids_for(const BertConfig& config, const torch::Tensor& input_ids);

// word + position + token type embeddings, then LayerNorm and dropout. Width is
// config.embedding_size when set (ELECTRA), else hidden_size.
class BertEmbeddingsImpl : public torch::nn::Module {
public:
    explicit BertEmbeddingsImpl(const BertConfig& config);
    // input_ids, token_type_ids: int64 [batch, seq] -> [batch, seq, width]
    torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& token_type_ids);

    torch::nn::Embedding word_embeddings{nullptr};
    torch::nn::Embedding position_embeddings{nullptr};
    torch::nn::Embedding token_type_embeddings{nullptr};
    torch::nn::LayerNorm layer_norm{nullptr};  // "LayerNorm"
    Dropout dropout{nullptr};

private:
    BertConfig config_;
};
TORCH_MODULE(BertEmbeddings);

// Multi-head scaled dot-product attention projections (HF "attention.self").
class BertSelfAttentionImpl : public torch::nn::Module {
public:
    explicit BertSelfAttentionImpl(const BertConfig& config);
    // hidden [batch, seq, hidden], mask_bias [batch, 1, 1, seq] -> context [batch, seq, hidden]
    // first_token_only: queries from position 0 only (keys and values from every position), so
    // the result is [batch, 1, hidden]: what a head reading the first token needs.
    torch::Tensor forward(const torch::Tensor& hidden, const torch::Tensor& mask_bias,
                          bool first_token_only = false);

    LoraLinear query{nullptr}, key{nullptr}, value{nullptr};
    Dropout dropout{nullptr};

private:
    // True when query/key/value are plain linear layers (no active unmerged LoRA adapter) and
    // can run as one fused matmul.
    bool fusable_projections() const;

    std::int64_t num_heads_;
    std::int64_t head_size_;
};
TORCH_MODULE(BertSelfAttention);

// dense -> dropout -> LayerNorm(x + residual): HF's BertSelfOutput and BertOutput share it.
class BertResidualOutputImpl : public torch::nn::Module {
public:
    BertResidualOutputImpl(const BertConfig& config, std::int64_t in_features);
    torch::Tensor forward(const torch::Tensor& hidden, const torch::Tensor& residual);

    LoraLinear dense{nullptr};
    torch::nn::LayerNorm layer_norm{nullptr};  // "LayerNorm"
    Dropout dropout{nullptr};
};
TORCH_MODULE(BertResidualOutput);

class BertAttentionImpl : public torch::nn::Module {
public:
    explicit BertAttentionImpl(const BertConfig& config);
    torch::Tensor forward(const torch::Tensor& hidden, const torch::Tensor& mask_bias,
                          bool first_token_only = false);

    BertSelfAttention self_attention{nullptr};  // "self"
    BertResidualOutput output{nullptr};
};
TORCH_MODULE(BertAttention);

class BertIntermediateImpl : public torch::nn::Module {
public:
    explicit BertIntermediateImpl(const BertConfig& config);
    torch::Tensor forward(const torch::Tensor& hidden);

    LoraLinear dense{nullptr};

private:
    Activation activation_;
};
TORCH_MODULE(BertIntermediate);

// One post-LayerNorm transformer block ("encoder.layer.N").
class BertLayerImpl : public torch::nn::Module {
public:
    explicit BertLayerImpl(const BertConfig& config);
    torch::Tensor forward(const torch::Tensor& hidden, const torch::Tensor& mask_bias,
                          bool first_token_only = false);

    BertAttention attention{nullptr};
    BertIntermediate intermediate{nullptr};
    BertResidualOutput output{nullptr};
};
TORCH_MODULE(BertLayer);

class BertEncoderImpl : public torch::nn::Module {
public:
    explicit BertEncoderImpl(const BertConfig& config);
    torch::Tensor forward(const torch::Tensor& hidden, const torch::Tensor& mask_bias);

    torch::nn::ModuleList layer{nullptr};  // "layer.N", as HF names them
    std::vector<BertLayer> layers;         // the same modules, typed (e.g. to freeze the first N)
    // Each layer's output in order (appended to `all` when it is non-null). first_token_only:
    // the last layer computes position 0 only (see TextEncoder::set_first_token_only).
    torch::Tensor forward_all(const torch::Tensor& hidden, const torch::Tensor& mask_bias,
                              std::vector<torch::Tensor>* all, bool first_token_only = false);
};
TORCH_MODULE(BertEncoder);

// tanh(dense(hidden[:, 0])): the [CLS] summary.
class BertPoolerImpl : public torch::nn::Module {
public:
    explicit BertPoolerImpl(const BertConfig& config);
    torch::Tensor forward(const torch::Tensor& hidden);

    LoraLinear dense{nullptr};
};
TORCH_MODULE(BertPooler);

}  // namespace tb::model
