// DistilBERT forward pass following Hugging Face's modeling_distilbert math.
#include "model/distilbert_model.h"

#include <cmath>

#include "common/error.h"

namespace tb::model {

void fill_sinusoidal_positions(torch::Tensor weight) {
    torch::NoGradGuard no_grad;
    const auto positions = weight.size(0);
    const auto dim = weight.size(1);
    auto pos = torch::arange(positions, torch::kDouble).unsqueeze(1);
    auto j = torch::arange(dim, torch::kDouble).unsqueeze(0);
    auto angle = pos / torch::pow(10000.0, 2.0 * torch::floor(j / 2.0) / static_cast<double>(dim));
    auto table = torch::empty({positions, dim}, torch::kDouble);
    using torch::indexing::None;
    using torch::indexing::Slice;
    table.index_put_({Slice(), Slice(0, None, 2)},
                     torch::sin(angle.index({Slice(), Slice(0, None, 2)})));
    table.index_put_({Slice(), Slice(1, None, 2)},
                     torch::cos(angle.index({Slice(), Slice(1, None, 2)})));
    weight.copy_(table.to(weight.dtype()));
}

DistilBertEmbeddingsImpl::DistilBertEmbeddingsImpl(const BertConfig& c) {
    word_embeddings = register_module(
        "word_embeddings",
        torch::nn::Embedding(
            torch::nn::EmbeddingOptions(c.vocab_size, c.hidden_size).padding_idx(c.pad_token_id)));
    position_embeddings = register_module(
        "position_embeddings", torch::nn::Embedding(c.max_position_embeddings, c.hidden_size));
    if (c.sinusoidal_pos_embds) {
        fill_sinusoidal_positions(position_embeddings->weight);
        position_embeddings->weight.set_requires_grad(false);
    }
    layer_norm = register_module(
        "LayerNorm",
        torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden_size}).eps(c.layer_norm_eps)));
    dropout = register_module("dropout", Dropout(c.hidden_dropout_prob));
}

torch::Tensor DistilBertEmbeddingsImpl::forward(const torch::Tensor& input_ids) {
    auto positions =
        torch::arange(input_ids.size(1), torch::dtype(torch::kLong).device(input_ids.device()))
            .unsqueeze(0);
    return dropout(layer_norm(word_embeddings(input_ids) + position_embeddings(positions)));
}

DistilBertAttentionImpl::DistilBertAttentionImpl(const BertConfig& c)
    : num_heads_(c.num_attention_heads), head_size_(c.hidden_size / c.num_attention_heads) {
    q_lin = register_module("q_lin", LoraLinear(c.hidden_size, c.hidden_size));
    k_lin = register_module("k_lin", LoraLinear(c.hidden_size, c.hidden_size));
    v_lin = register_module("v_lin", LoraLinear(c.hidden_size, c.hidden_size));
    out_lin = register_module("out_lin", LoraLinear(c.hidden_size, c.hidden_size));
    dropout = register_module("dropout", Dropout(c.attention_probs_dropout_prob));
}

torch::Tensor DistilBertAttentionImpl::forward(const torch::Tensor& hidden,
                                               const torch::Tensor& mask_bias,
                                               bool first_token_only) {
    const auto batch = hidden.size(0);
    const auto seq = hidden.size(1);
    auto split_heads = [&](const torch::Tensor& t) {
        return t.view({batch, seq, num_heads_, head_size_}).permute({0, 2, 1, 3});
    };
    // HF scales q before the product; the same value up to rounding.
    // first_token_only: position 0's query alone (it attends over every key and value).
    const auto rows = first_token_only ? std::int64_t{1} : seq;
    auto q =
        (first_token_only ? q_lin(hidden.narrow(/*dim=*/1, 0, 1)) : split_heads(q_lin(hidden)));
    if (first_token_only)
        q = q.view({batch, 1, num_heads_, head_size_}).permute({0, 2, 1, 3});
    q = q / std::sqrt(static_cast<double>(head_size_));
    auto k = split_heads(k_lin(hidden));
    auto v = split_heads(v_lin(hidden));
    auto scores = torch::matmul(q, k.transpose(-1, -2)) + mask_bias;
    auto probs = dropout(torch::softmax(scores, /*dim=*/-1));
    auto context = torch::matmul(probs, v).permute({0, 2, 1, 3}).contiguous();
    return out_lin(context.view({batch, rows, num_heads_ * head_size_}));
}

DistilBertFfnImpl::DistilBertFfnImpl(const BertConfig& c)
    : activation_(activation_from_name(c.hidden_act)) {
    lin1 = register_module("lin1", LoraLinear(c.hidden_size, c.intermediate_size));
    lin2 = register_module("lin2", LoraLinear(c.intermediate_size, c.hidden_size));
    dropout = register_module("dropout", Dropout(c.hidden_dropout_prob));
}

torch::Tensor DistilBertFfnImpl::forward(const torch::Tensor& hidden) {
    return dropout(lin2(apply_activation(activation_, lin1(hidden))));
}

DistilBertLayerImpl::DistilBertLayerImpl(const BertConfig& c) {
    auto norm = [&c] {
        return torch::nn::LayerNorm(
            torch::nn::LayerNormOptions({c.hidden_size}).eps(c.layer_norm_eps));
    };
    attention = register_module("attention", DistilBertAttention(c));
    sa_layer_norm = register_module("sa_layer_norm", norm());
    ffn = register_module("ffn", DistilBertFfn(c));
    output_layer_norm = register_module("output_layer_norm", norm());
}

torch::Tensor DistilBertLayerImpl::forward(const torch::Tensor& hidden,
                                           const torch::Tensor& mask_bias, bool first_token_only) {
    auto attended = sa_layer_norm(attention(hidden, mask_bias, first_token_only) +
                                  (first_token_only ? hidden.narrow(/*dim=*/1, 0, 1) : hidden));
    return output_layer_norm(ffn(attended) + attended);
}

DistilBertModelImpl::DistilBertModelImpl(const BertConfig& config) : config_(config) {
    if (config.num_attention_heads <= 0 || config.hidden_size % config.num_attention_heads != 0)
        throw Error("dim must be a multiple of n_heads", SourceLocation{{}, 0, 0, "n_heads"});
    embeddings = register_module("embeddings", DistilBertEmbeddings(config));
    transformer = register_module("transformer", std::make_shared<torch::nn::Module>());
    layer = transformer->register_module("layer", torch::nn::ModuleList());
    for (std::int64_t i = 0; i < config.num_hidden_layers; ++i) {
        DistilBertLayer block(config);
        layer->push_back(block);
        layers.push_back(block);
    }
}

std::vector<std::shared_ptr<torch::nn::Module>> DistilBertModelImpl::layer_modules() {
    std::vector<std::shared_ptr<torch::nn::Module>> out;
    for (auto& block : layers)
        out.push_back(block.ptr());
    return out;
}

EncoderOutput DistilBertModelImpl::encode(const torch::Tensor& input_ids,
                                          const torch::Tensor& attention_mask,
                                          const torch::Tensor& /*token_type_ids*/,
                                          bool output_hidden_states) {
    const auto ids = checked_input_ids(config_, input_ids, attention_mask, {});
    auto x = embeddings(ids);
    const auto mask = attention_mask.defined() ? attention_mask : torch::ones_like(ids);
    const auto mask_bias = extended_attention_mask(mask, x.scalar_type());
    EncoderOutput out;
    if (output_hidden_states)
        out.hidden_states.push_back(x);
    const bool first_only = first_token_only() && !output_hidden_states;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        x = layers[i](x, mask_bias, first_only && i + 1 == layers.size());
        if (output_hidden_states)
            out.hidden_states.push_back(x);
    }
    out.last_hidden_state = x;
    return out;
}

}  // namespace tb::model
