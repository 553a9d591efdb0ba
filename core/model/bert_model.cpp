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

torch::Tensor checked_input_ids(const BertConfig& config, const torch::Tensor& input_ids,
                                const torch::Tensor& attention_mask,
                                const torch::Tensor& token_type_ids) {
    if (input_ids.dim() != 2)
        throw Error("input_ids must be [batch, seq], got " + sizes_text(input_ids));
    check_same_shape(input_ids, attention_mask, "attention_mask");
    check_same_shape(input_ids, token_type_ids, "token_type_ids");
    const std::int64_t limit = max_input_length(config);
    if (input_ids.size(1) > limit)
        throw Error("sequence length " + std::to_string(input_ids.size(1)) + " exceeds " +
                    (limit == config.max_position_embeddings
                         ? "max_position_embeddings (" + std::to_string(limit) + ")"
                         : "the longest input the position table allows (" + std::to_string(limit) +
                               ": max_position_embeddings " +
                               std::to_string(config.max_position_embeddings) +
                               " minus the padding offset)") +
                    "; lower the maximum sequence length");
    return input_ids.to(torch::kLong);
}

BertModelImpl::BertModelImpl(const BertConfig& config, bool with_pooler) : config_(config) {
    if (config.num_attention_heads <= 0 || config.hidden_size % config.num_attention_heads != 0)
        throw Error("hidden_size must be a multiple of num_attention_heads",
                    SourceLocation{{}, 0, 0, "num_attention_heads"});
    if (encoder_family(config) == EncoderFamily::DistilBert)
        throw Error("a DistilBERT config needs DistilBertModel, not BertModel",
                    SourceLocation{{}, 0, 0, "model_type"});
    embeddings = register_module("embeddings", BertEmbeddings(config));
    if (config.embedding_size > 0 && config.embedding_size != config.hidden_size)
        embeddings_project = register_module("embeddings_project",
                                             LoraLinear(config.embedding_size, config.hidden_size));
    encoder = register_module("encoder", BertEncoder(config));
    if (with_pooler)
        pooler = register_module("pooler", BertPooler(config));
}

std::vector<std::shared_ptr<torch::nn::Module>> BertModelImpl::layer_modules() {
    std::vector<std::shared_ptr<torch::nn::Module>> out;
    for (auto& layer : encoder->layers)
        out.push_back(layer.ptr());
    return out;
}

EncoderOutput BertModelImpl::encode(const torch::Tensor& input_ids,
                                    const torch::Tensor& attention_mask,
                                    const torch::Tensor& token_type_ids,
                                    bool output_hidden_states) {
    return encode_layers(input_ids, attention_mask, token_type_ids, output_hidden_states,
                         first_token_only() && !output_hidden_states);
}

EncoderOutput BertModelImpl::encode_layers(const torch::Tensor& input_ids,
                                           const torch::Tensor& attention_mask,
                                           const torch::Tensor& token_type_ids,
                                           bool output_hidden_states, bool first_token_only) {
    const auto ids = checked_input_ids(config_, input_ids, attention_mask, token_type_ids);
    const auto types =
        token_type_ids.defined() ? token_type_ids.to(torch::kLong) : torch::zeros_like(ids);
    auto hidden = embeddings(ids, types);
    if (!embeddings_project.is_empty())
        hidden = embeddings_project(hidden);
    const auto mask = attention_mask.defined() ? attention_mask : torch::ones_like(ids);
    const auto mask_bias = extended_attention_mask(mask, hidden.scalar_type());
    EncoderOutput out;
    if (output_hidden_states)
        out.hidden_states.push_back(hidden);
    out.last_hidden_state = encoder->forward_all(
        hidden, mask_bias, output_hidden_states ? &out.hidden_states : nullptr, first_token_only);
    if (!pooler.is_empty())
        out.pooled = pooler(out.last_hidden_state);
    return out;
}

BertOutput BertModelImpl::forward(const torch::Tensor& input_ids,
                                  const torch::Tensor& attention_mask,
                                  const torch::Tensor& token_type_ids) {
    EncoderOutput encoded = encode(input_ids, attention_mask, token_type_ids, false);
    BertOutput out;
    out.last_hidden_state = encoded.last_hidden_state;
    out.pooled = encoded.pooled;
    return out;
}

BertForSequenceClassificationImpl::BertForSequenceClassificationImpl(const BertConfig& config,
                                                                     std::int64_t num_labels,
                                                                     double classifier_dropout) {
    if (num_labels <= 0)
        throw Error("num_labels must be positive");
    if (encoder_family(config) != EncoderFamily::Bert)
        throw Error(std::string("this classifier takes BERT models; the folder holds a ") +
                        encoder_family_name(encoder_family(config)) +
                        " model, which needs the text-encoder factory and a task head",
                    SourceLocation{{}, 0, 0, "model_type"});
    bert = register_module("bert", BertModel(config));
    dropout = register_module("dropout", Dropout(classifier_dropout));
    classifier = register_module("classifier", torch::nn::Linear(config.hidden_size, num_labels));
}

torch::Tensor BertForSequenceClassificationImpl::forward(const torch::Tensor& input_ids,
                                                         const torch::Tensor& attention_mask,
                                                         const torch::Tensor& token_type_ids) {
    // Only [CLS] reaches the pooler: the last layer computes position 0 alone, as a TaskModel
    // with a pooler head does. `bert` called directly still gives every position.
    auto pooled = bert->encode_layers(input_ids, attention_mask, token_type_ids,
                                      /*output_hidden_states=*/false, /*first_token_only=*/true)
                      .pooled;
    return classifier(dropout(pooled));
}

void init_bert_weights(torch::nn::Module& module, double initializer_range) {
    torch::NoGradGuard no_grad;
    module.apply([initializer_range](torch::nn::Module& m) {
        if (auto* lora = m.as<LoraLinearImpl>()) {
            lora->weight.normal_(/*mean=*/0.0, /*std=*/initializer_range);
            if (lora->bias.defined())
                lora->bias.zero_();
        } else if (auto* linear = m.as<torch::nn::LinearImpl>()) {
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
