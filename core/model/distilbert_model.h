// DistilBERT encoder with Hugging Face's module names ("embeddings.word_embeddings",
// "transformer.layer.N.attention.q_lin", "sa_layer_norm", "ffn.lin1", "output_layer_norm").
#pragma once

#include <torch/torch.h>

#include "model/bert_layers.h"
#include "model/fast_dropout.h"
#include "model/lora_linear.h"
#include "model/text_encoder.h"

namespace tb::model {

// Writes HF's create_sinusoidal_embeddings table into `weight` [positions, dim]:
// even columns sin(pos / 10000^(2(j/2)/dim)), odd columns cos of the same.
void fill_sinusoidal_positions(torch::Tensor weight);

// word + position embeddings, LayerNorm, dropout (no token types). With sinusoidal_pos_embds
// the position table is the fixed sinusoid and not trained (it is still stored in checkpoints).
class DistilBertEmbeddingsImpl : public torch::nn::Module {
public:
    explicit DistilBertEmbeddingsImpl(const BertConfig& config);
    torch::Tensor forward(const torch::Tensor& input_ids);

    torch::nn::Embedding word_embeddings{nullptr};
    torch::nn::Embedding position_embeddings{nullptr};
    torch::nn::LayerNorm layer_norm{nullptr};  // "LayerNorm"
    Dropout dropout{nullptr};
};
TORCH_MODULE(DistilBertEmbeddings);

class DistilBertAttentionImpl : public torch::nn::Module {
public:
    explicit DistilBertAttentionImpl(const BertConfig& config);
    torch::Tensor forward(const torch::Tensor& hidden, const torch::Tensor& mask_bias,
                          bool first_token_only = false);

    LoraLinear q_lin{nullptr}, k_lin{nullptr}, v_lin{nullptr}, out_lin{nullptr};
    Dropout dropout{nullptr};

private:
    std::int64_t num_heads_, head_size_;
};
TORCH_MODULE(DistilBertAttention);

class DistilBertFfnImpl : public torch::nn::Module {
public:
    explicit DistilBertFfnImpl(const BertConfig& config);
    torch::Tensor forward(const torch::Tensor& hidden);

    LoraLinear lin1{nullptr}, lin2{nullptr};
    Dropout dropout{nullptr};

private:
    Activation activation_;
};
TORCH_MODULE(DistilBertFfn);

// Post-LN block: sa_layer_norm(attention(x) + x), then output_layer_norm(ffn(.) + .).
class DistilBertLayerImpl : public torch::nn::Module {
public:
    explicit DistilBertLayerImpl(const BertConfig& config);
    torch::Tensor forward(const torch::Tensor& hidden, const torch::Tensor& mask_bias,
                          bool first_token_only = false);

    DistilBertAttention attention{nullptr};
    torch::nn::LayerNorm sa_layer_norm{nullptr};
    DistilBertFfn ffn{nullptr};
    torch::nn::LayerNorm output_layer_norm{nullptr};
};
TORCH_MODULE(DistilBertLayer);

class DistilBertModelImpl : public TextEncoder {
public:
    explicit DistilBertModelImpl(const BertConfig& config);
    EncoderOutput encode(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                         const torch::Tensor& token_type_ids = {},
                         bool output_hidden_states = false) override;
    EncoderOutput forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask) {
        return encode(input_ids, attention_mask);
    }
    const BertConfig& config() const override { return config_; }
    bool has_pooler() const override { return false; }
    std::shared_ptr<torch::nn::Module> embeddings_module() override { return embeddings.ptr(); }
    std::vector<std::shared_ptr<torch::nn::Module>> layer_modules() override;

    DistilBertEmbeddings embeddings{nullptr};
    std::shared_ptr<torch::nn::Module> transformer;  // "transformer" (holds "layer")
    torch::nn::ModuleList layer{nullptr};            // "transformer.layer.N"
    std::vector<DistilBertLayer> layers;

private:
    BertConfig config_;
};
TORCH_MODULE(DistilBertModel);

}  // namespace tb::model
