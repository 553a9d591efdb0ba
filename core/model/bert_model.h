// BERT encoder and the sequence-classification head, with the LibTorch C++ frontend.
// Sub-module names mirror Hugging Face's, so named_parameters() yields HF tensor names
// ("bert.encoder.layer.0.attention.self.query.weight", "classifier.weight").
#pragma once

#include <torch/torch.h>

#include "model/bert_config.h"
#include "model/bert_layers.h"
#include "model/fast_dropout.h"
#include "model/text_encoder.h"

namespace tb::model {

struct BertOutput {
    torch::Tensor last_hidden_state;  // [batch, seq, hidden]
    torch::Tensor pooled;             // [batch, hidden] tanh(dense(CLS))
};

// Also hosts the RoBERTa family (padding-aware position ids) and ELECTRA (embeddings_project
// when embedding_size != hidden_size), whose tensor names are BERT's.
class BertModelImpl : public TextEncoder {
public:
    // with_pooler false: no "pooler" module (RoBERTa/ELECTRA task checkpoints have none);
    // `pooled` is then undefined.
    explicit BertModelImpl(const BertConfig& config, bool with_pooler = true);
    // input_ids, attention_mask, token_type_ids: int64 [batch, seq]; mask 1 = real token.
    // An undefined mask means all ones, undefined token types all zeros (as HF). Throws
    // tb::Error for mismatched shapes or seq longer than max_position_embeddings.
    BertOutput forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                       const torch::Tensor& token_type_ids);
    EncoderOutput encode(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                         const torch::Tensor& token_type_ids = {},
                         bool output_hidden_states = false) override;
    // encode() with the last layer's extent given explicitly instead of by
    // set_first_token_only(): `first_token_only` computes position 0 alone there.
    EncoderOutput encode_layers(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                                const torch::Tensor& token_type_ids, bool output_hidden_states,
                                bool first_token_only);
    const BertConfig& config() const override { return config_; }
    bool has_pooler() const override { return !pooler.is_empty(); }
    std::shared_ptr<torch::nn::Module> embeddings_module() override { return embeddings.ptr(); }
    std::vector<std::shared_ptr<torch::nn::Module>> layer_modules() override;

    // Registered as "embeddings", "embeddings_project" (ELECTRA only), "encoder", "pooler"
    // (when built with one); public so callers can freeze parts.
    BertEmbeddings embeddings{nullptr};
    LoraLinear embeddings_project{nullptr};
    BertEncoder encoder{nullptr};
    BertPooler pooler{nullptr};

private:
    BertConfig config_;
};
TORCH_MODULE(BertModel);

class BertForSequenceClassificationImpl : public torch::nn::Module {
public:
    BertForSequenceClassificationImpl(const BertConfig& config, std::int64_t num_labels,
                                      double classifier_dropout);
    torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                          const torch::Tensor& token_type_ids);  // logits [batch, num_labels]
    BertModel bert{nullptr};
    Dropout dropout{nullptr};
    torch::nn::Linear classifier{nullptr};
};
TORCH_MODULE(BertForSequenceClassification);

// HF-style initialisation (normal(0, 0.02) weights, zero biases, LayerNorm 1/0) with the
// global Torch RNG; seed it before calling for reproducible heads.
void init_bert_weights(torch::nn::Module& module, double initializer_range = 0.02);

}  // namespace tb::model
