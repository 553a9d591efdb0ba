// BERT with Hugging Face's masked-language-model head (BertForMaskedLM names and tying).
#pragma once

#include <torch/torch.h>

#include "model/bert_config.h"
#include "model/bert_model.h"

namespace tb::pretrain {

// Parameters, as named_parameters() reports them: "bert.*" (the encoder, pooler included so a
// fine-tune finds one), "cls.predictions.transform.dense.{weight,bias}",
// "cls.predictions.transform.LayerNorm.{weight,bias}" and "cls.predictions.bias". The decoder
// ("cls.predictions.decoder") has no weight of its own: it is tied to
// bert.embeddings.word_embeddings.weight, with cls.predictions.bias as its bias, as in HF.
class BertForMaskedLMImpl : public torch::nn::Module {
public:
    // Throws tb::Error for encoder families other than plain BERT (model_type "bert").
    explicit BertForMaskedLMImpl(const model::BertConfig& config);

    // Vocabulary logits for hidden states [..., hidden] -> [..., vocab].
    torch::Tensor predict(const torch::Tensor& hidden);
    // Masked-LM loss: mean cross-entropy over the positions whose label is not -100 (HF's
    // masked_lm_loss); the head runs on those positions only. All inputs int64 [batch, seq].
    // Returns a scalar (0 with no labelled position).
    torch::Tensor loss(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                       const torch::Tensor& labels);

    // HF's _init_weights over every module (normal(0, initializer_range), zero biases,
    // LayerNorm 1/0); the tied decoder follows the embeddings.
    void init_weights();

    const model::BertConfig& config() const { return config_; }

    model::BertModel bert{nullptr};
    torch::nn::Linear transform_dense{nullptr};          // cls.predictions.transform.dense
    torch::nn::LayerNorm transform_layer_norm{nullptr};  // cls.predictions.transform.LayerNorm
    torch::Tensor decoder_bias;                          // cls.predictions.bias

private:
    model::BertConfig config_;
    model::Activation activation_;
};
TORCH_MODULE(BertForMaskedLM);

}  // namespace tb::pretrain
