// BERT building blocks following Hugging Face's modeling_bert math (post-LN encoder).
#include "model/bert_layers.h"

#include <cmath>
#include <limits>

#include <torch/version.h>

#include "common/error.h"
#include "model/encoder_config.h"

namespace tb::model {

Activation activation_from_name(const std::string& hidden_act) {
    if (hidden_act == "gelu")
        return Activation::Gelu;
    if (hidden_act == "gelu_new" || hidden_act == "gelu_pytorch_tanh")
        return Activation::GeluTanh;
    if (hidden_act == "relu")
        return Activation::Relu;
    SourceLocation where;
    where.key = "hidden_act";
    throw Error("hidden_act \"" + hidden_act +
                    "\" is not supported (gelu, gelu_new, gelu_pytorch_tanh, relu)",
                where);
}

torch::Tensor apply_activation(Activation activation, const torch::Tensor& x) {
    switch (activation) {
        case Activation::Gelu:
            return torch::gelu(x);
        case Activation::GeluTanh: {
            // HF's NewGELUActivation, written out as HF does.
            const double k = std::sqrt(2.0 / M_PI);
            return 0.5 * x * (1.0 + torch::tanh(k * (x + 0.044715 * torch::pow(x, 3.0))));
        }
        case Activation::Relu:
            return torch::relu(x);
    }
    return x;
}

torch::Tensor extended_attention_mask(const torch::Tensor& attention_mask, torch::Dtype dtype) {
    double lowest = 0.0;
    AT_DISPATCH_FLOATING_TYPES_AND2(torch::kHalf, torch::kBFloat16, dtype, "mask_lowest", [&] {
        lowest = static_cast<double>(std::numeric_limits<scalar_t>::lowest());
    });
    auto mask = attention_mask.to(dtype).unsqueeze(1).unsqueeze(2);
    return (1.0 - mask) * lowest;
}

torch::Tensor position_ids_for(const BertConfig& config, const torch::Tensor& input_ids) {
    if (uses_padding_aware_positions(config)) {
        auto real = input_ids.ne(config.pad_token_id).to(torch::kLong);
        return torch::cumsum(real, /*dim=*/1) * real + config.pad_token_id;
    }
    return torch::arange(input_ids.size(1), torch::dtype(torch::kLong).device(input_ids.device()))
        .unsqueeze(0)
        .expand_as(input_ids);
}

BertEmbeddingsImpl::BertEmbeddingsImpl(const BertConfig& c) : config_(c) {
    const std::int64_t width = c.embedding_size > 0 ? c.embedding_size : c.hidden_size;
    word_embeddings = register_module(
        "word_embeddings",
        torch::nn::Embedding(
            torch::nn::EmbeddingOptions(c.vocab_size, width).padding_idx(c.pad_token_id)));
    // RoBERTa's position table has padding_idx too (padding positions get no gradient).
    auto position_options = torch::nn::EmbeddingOptions(c.max_position_embeddings, width);
    if (uses_padding_aware_positions(c))
        position_options.padding_idx(c.pad_token_id);
    position_embeddings =
        register_module("position_embeddings", torch::nn::Embedding(position_options));
    token_type_embeddings =
        register_module("token_type_embeddings", torch::nn::Embedding(c.type_vocab_size, width));
    layer_norm = register_module(
        "LayerNorm",
        torch::nn::LayerNorm(torch::nn::LayerNormOptions({width}).eps(c.layer_norm_eps)));
    dropout = register_module("dropout", Dropout(c.hidden_dropout_prob));
}

torch::Tensor BertEmbeddingsImpl::forward(const torch::Tensor& input_ids,
                                          const torch::Tensor& token_type_ids) {
    auto x = word_embeddings(input_ids) + token_type_embeddings(token_type_ids) +
             position_embeddings(position_ids_for(config_, input_ids));
    return dropout(layer_norm(x));
}

BertSelfAttentionImpl::BertSelfAttentionImpl(const BertConfig& c)
    : num_heads_(c.num_attention_heads), head_size_(c.hidden_size / c.num_attention_heads) {
    query = register_module("query", LoraLinear(c.hidden_size, c.hidden_size));
    key = register_module("key", LoraLinear(c.hidden_size, c.hidden_size));
    value = register_module("value", LoraLinear(c.hidden_size, c.hidden_size));
    dropout = register_module("dropout", Dropout(c.attention_probs_dropout_prob));
}

torch::Tensor BertSelfAttentionImpl::forward(const torch::Tensor& hidden,
                                             const torch::Tensor& mask_bias,
                                             bool first_token_only) {
    const auto batch = hidden.size(0);
    const auto seq = hidden.size(1);
    torch::Tensor q, k, v;  // [batch, heads, seq, head_size]
    if (fusable_projections()) {
        // One [3H, H] matmul instead of three [H, H] ones: the weights keep their Hugging Face
        // names and tensors (the concatenation is a view for autograd, its gradient splits).
        const auto weight = torch::cat({query->weight, key->weight, value->weight});
        const auto bias = torch::cat({query->bias, key->bias, value->bias});
        const auto qkv = torch::nn::functional::linear(hidden, weight, bias)
                             .view({batch, seq, 3, num_heads_, head_size_})
                             .permute({2, 0, 3, 1, 4});
        q = qkv[0];
        k = qkv[1];
        v = qkv[2];
    } else {
        auto split_heads = [&](const torch::Tensor& t) {
            return t.view({batch, seq, num_heads_, head_size_}).permute({0, 2, 1, 3});
        };
        q = split_heads(query(hidden));
        k = split_heads(key(hidden));
        v = split_heads(value(hidden));
    }
    // Position 0's query attends over every key and value; the other queries are not needed.
    const auto rows = first_token_only ? std::int64_t{1} : seq;
    if (first_token_only)
        q = q.narrow(/*dim=*/2, 0, 1);
#if TORCH_VERSION_MAJOR >= 2
    if (hidden.is_cuda()) {
        // On GPUs one fused kernel (memory-efficient or flash attention) replaces the scores
        // matmul, softmax, dropout and context matmul, and never stores the [seq, seq] scores.
        // Same math as below; its dropout uses torch's CUDA generator.
        const double p = is_training() ? dropout->p() : 0.0;
        auto context = at::scaled_dot_product_attention(q, k, v, mask_bias, p, /*is_causal=*/false);
        return context.permute({0, 2, 1, 3})
            .contiguous()
            .view({batch, rows, num_heads_ * head_size_});
    }
#endif
    // Scaling q ([.., seq, head_size]) instead of the scores ([.., seq, seq]) touches fewer
    // elements for the same result (up to rounding).
    q = q * (1.0 / std::sqrt(static_cast<double>(head_size_)));
    auto scores = torch::matmul(q, k.transpose(-1, -2)) + mask_bias;
    auto probs = dropout(torch::softmax(scores, /*dim=*/-1));
    auto context = torch::matmul(probs, v).permute({0, 2, 1, 3}).contiguous();
    return context.view({batch, rows, num_heads_ * head_size_});
}

bool BertSelfAttentionImpl::fusable_projections() const {
    auto plain = [](const LoraLinear& l) {
        return l->bias.defined() && (!l->has_adapter() || !l->adapter_enabled() || l->merged());
    };
    return plain(query) && plain(key) && plain(value) &&
           query->weight.dtype() == key->weight.dtype() &&
           key->weight.dtype() == value->weight.dtype();
}

BertResidualOutputImpl::BertResidualOutputImpl(const BertConfig& c, std::int64_t in_features) {
    dense = register_module("dense", LoraLinear(in_features, c.hidden_size));
    layer_norm = register_module(
        "LayerNorm",
        torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden_size}).eps(c.layer_norm_eps)));
    dropout = register_module("dropout", Dropout(c.hidden_dropout_prob));
}

torch::Tensor BertResidualOutputImpl::forward(const torch::Tensor& hidden,
                                              const torch::Tensor& residual) {
    return layer_norm(dropout(dense(hidden)) + residual);
}

BertAttentionImpl::BertAttentionImpl(const BertConfig& c) {
    self_attention = register_module("self", BertSelfAttention(c));
    output = register_module("output", BertResidualOutput(c, c.hidden_size));
}

torch::Tensor BertAttentionImpl::forward(const torch::Tensor& hidden,
                                         const torch::Tensor& mask_bias, bool first_token_only) {
    return output(self_attention(hidden, mask_bias, first_token_only),
                  first_token_only ? hidden.narrow(/*dim=*/1, 0, 1) : hidden);
}

BertIntermediateImpl::BertIntermediateImpl(const BertConfig& c)
    : activation_(activation_from_name(c.hidden_act)) {
    dense = register_module("dense", LoraLinear(c.hidden_size, c.intermediate_size));
}

torch::Tensor BertIntermediateImpl::forward(const torch::Tensor& hidden) {
    return apply_activation(activation_, dense(hidden));
}

BertLayerImpl::BertLayerImpl(const BertConfig& c) {
    attention = register_module("attention", BertAttention(c));
    intermediate = register_module("intermediate", BertIntermediate(c));
    output = register_module("output", BertResidualOutput(c, c.intermediate_size));
}

torch::Tensor BertLayerImpl::forward(const torch::Tensor& hidden, const torch::Tensor& mask_bias,
                                     bool first_token_only) {
    auto attended = attention(hidden, mask_bias, first_token_only);
    return output(intermediate(attended), attended);
}

BertEncoderImpl::BertEncoderImpl(const BertConfig& c) {
    layer = register_module("layer", torch::nn::ModuleList());
    for (std::int64_t i = 0; i < c.num_hidden_layers; ++i) {
        BertLayer block(c);
        layer->push_back(block);
        layers.push_back(block);
    }
}

torch::Tensor BertEncoderImpl::forward(const torch::Tensor& hidden,
                                       const torch::Tensor& mask_bias) {
    return forward_all(hidden, mask_bias, nullptr);
}

torch::Tensor BertEncoderImpl::forward_all(const torch::Tensor& hidden,
                                           const torch::Tensor& mask_bias,
                                           std::vector<torch::Tensor>* all, bool first_token_only) {
    auto x = hidden;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        x = layers[i](x, mask_bias, first_token_only && i + 1 == layers.size());
        if (all)
            all->push_back(x);
    }
    return x;
}

BertPoolerImpl::BertPoolerImpl(const BertConfig& c) {
    dense = register_module("dense", LoraLinear(c.hidden_size, c.hidden_size));
}

torch::Tensor BertPoolerImpl::forward(const torch::Tensor& hidden) {
    return torch::tanh(dense(hidden.select(/*dim=*/1, /*index=*/0)));
}

}  // namespace tb::model
