// BertModel / BertForSequenceClassification forward passes and HF-style weight initialisation.
#include "model/bert_model.h"

#include "common/error.h"

namespace tb::model {
namespace {

std::string sizes_text(const torch::Tensor& t) {
    std::string out = "[";
    for (std::int64_t i = 0; i < t.dim(); ++i) {
        if (i > 0)
            out += ", ";
        out += std::to_string(t.size(i));
    }
    return out + "]";
}

void check_same_shape(const torch::Tensor& ids, const torch::Tensor& other, const char* name) {
    if (other.defined() && other.sizes() != ids.sizes())
        throw Error(std::string(name) + " has shape " + sizes_text(other) + " but input_ids has " +
                    sizes_text(ids));
}

}  // namespace

BertModelImpl::BertModelImpl(const BertConfig& config) : config_(config) {
    if (config.num_attention_heads <= 0 || config.hidden_size % config.num_attention_heads != 0)
        throw Error("hidden_size must be a multiple of num_attention_heads",
                    SourceLocation{{}, 0, 0, "num_attention_heads"});
    embeddings = register_module("embeddings", BertEmbeddings(config));
    encoder = register_module("encoder", BertEncoder(config));
    pooler = register_module("pooler", BertPooler(config));
}

BertOutput BertModelImpl::forward(const torch::Tensor& input_ids,
                                  const torch::Tensor& attention_mask,
                                  const torch::Tensor& token_type_ids) {
    if (input_ids.dim() != 2)
        throw Error("input_ids must be [batch, seq], got " + sizes_text(input_ids));
    check_same_shape(input_ids, attention_mask, "attention_mask");
    check_same_shape(input_ids, token_type_ids, "token_type_ids");
    if (input_ids.size(1) > config_.max_position_embeddings)
        throw Error("sequence length " + std::to_string(input_ids.size(1)) +
                    " exceeds max_position_embeddings (" +
                    std::to_string(config_.max_position_embeddings) +
                    "); lower the maximum sequence length");

    const auto ids = input_ids.to(torch::kLong);
    const auto types =
        token_type_ids.defined() ? token_type_ids.to(torch::kLong) : torch::zeros_like(ids);
    auto hidden = embeddings(ids, types);
    const auto mask = attention_mask.defined() ? attention_mask : torch::ones_like(ids);
    const auto mask_bias = extended_attention_mask(mask, hidden.scalar_type());
    BertOutput out;
    out.last_hidden_state = encoder(hidden, mask_bias);
    out.pooled = pooler(out.last_hidden_state);
    return out;
}

BertForSequenceClassificationImpl::BertForSequenceClassificationImpl(const BertConfig& config,
                                                                     std::int64_t num_labels,
                                                                     double classifier_dropout) {
    if (num_labels <= 0)
        throw Error("num_labels must be positive");
    bert = register_module("bert", BertModel(config));
    dropout = register_module("dropout", torch::nn::Dropout(classifier_dropout));
    classifier = register_module("classifier", torch::nn::Linear(config.hidden_size, num_labels));
}

torch::Tensor BertForSequenceClassificationImpl::forward(const torch::Tensor& input_ids,
                                                         const torch::Tensor& attention_mask,
                                                         const torch::Tensor& token_type_ids) {
    auto pooled = bert(input_ids, attention_mask, token_type_ids).pooled;
    return classifier(dropout(pooled));
}

void init_bert_weights(torch::nn::Module& module, double initializer_range) {
    torch::NoGradGuard no_grad;
    module.apply([initializer_range](torch::nn::Module& m) {
        if (auto* linear = m.as<torch::nn::LinearImpl>()) {
            linear->weight.normal_(/*mean=*/0.0, /*std=*/initializer_range);
            if (linear->bias.defined())
                linear->bias.zero_();
        } else if (auto* embedding = m.as<torch::nn::EmbeddingImpl>()) {
            embedding->weight.normal_(/*mean=*/0.0, /*std=*/initializer_range);
            if (auto pad = embedding->options.padding_idx())
                embedding->weight[*pad].zero_();
        } else if (auto* norm = m.as<torch::nn::LayerNormImpl>()) {
            if (norm->weight.defined())
                norm->weight.fill_(1.0);
            if (norm->bias.defined())
                norm->bias.zero_();
        }
    });
}

}  // namespace tb::model
