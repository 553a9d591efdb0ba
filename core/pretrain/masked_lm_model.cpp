// BertForMaskedLM: encoder + transform (dense, activation, LayerNorm) + tied decoder.
#include "pretrain/masked_lm_model.h"

#include "common/error.h"

namespace tb::pretrain {

BertForMaskedLMImpl::BertForMaskedLMImpl(const model::BertConfig& config)
    : config_(config), activation_(model::activation_from_name(config.hidden_act)) {
    if (config.model_type != "bert" || config.embedding_size != 0 || config.sinusoidal_pos_embds) {
        throw Error(
            "masked-LM pretraining supports BERT models (model_type \"bert\"); this one is \"" +
                config.model_type + "\"",
            SourceLocation{"config.json", 0, 0, "model_type"});
    }
    bert = register_module("bert", model::BertModel(config, /*with_pooler=*/true));
    auto cls = register_module("cls", std::make_shared<torch::nn::Module>());
    auto predictions = cls->register_module("predictions", std::make_shared<torch::nn::Module>());
    auto transform =
        predictions->register_module("transform", std::make_shared<torch::nn::Module>());
    transform_dense = transform->register_module(
        "dense", torch::nn::Linear(config.hidden_size, config.hidden_size));
    transform_layer_norm = transform->register_module(
        "LayerNorm",
        torch::nn::LayerNorm(
            torch::nn::LayerNormOptions({config.hidden_size}).eps(config.layer_norm_eps)));
    decoder_bias = predictions->register_parameter("bias", torch::zeros({config.vocab_size}));
}

torch::Tensor BertForMaskedLMImpl::predict(const torch::Tensor& hidden) {
    auto x = transform_layer_norm(model::apply_activation(activation_, transform_dense(hidden)));
    return torch::nn::functional::linear(x, bert->embeddings->word_embeddings->weight,
                                         decoder_bias);
}

torch::Tensor BertForMaskedLMImpl::loss(const torch::Tensor& input_ids,
                                        const torch::Tensor& attention_mask,
                                        const torch::Tensor& labels) {
    const auto hidden = bert->forward(input_ids, attention_mask, {}).last_hidden_state;
    const auto flat_labels = labels.reshape({-1});
    const auto positions = (flat_labels != -100).nonzero().squeeze(1);
    if (positions.numel() == 0) {
        return (hidden.sum() * 0.0);
    }
    const auto selected = hidden.reshape({-1, hidden.size(-1)}).index_select(0, positions);
    const auto logits = predict(selected);
    return torch::nn::functional::cross_entropy(logits, flat_labels.index_select(0, positions));
}

void BertForMaskedLMImpl::init_weights() {
    model::init_bert_weights(*this, config_.initializer_range);
    torch::NoGradGuard no_grad;
    decoder_bias.zero_();
}

}  // namespace tb::pretrain
