// One label per token (NER, POS): dropout and a per-token classifier, as
// BertForTokenClassification.
#pragma once

#include <torch/torch.h>

#include "model/fast_dropout.h"
#include "model/task_head.h"

namespace tb::model {

// Tensors "classifier.weight" / "classifier.bias" (the same in HF's BERT, RoBERTa and
// DistilBERT token-classification checkpoints). Labels follow align_word_labels(): the first
// sub-token of each word carries the word's tag, every other token -100.
class TokenClassificationHead : public TaskHead {
public:
    explicit TokenClassificationHead(HeadOptions options);
    // -> logits [batch, seq, classes]; the mask is not needed (padding is labelled -100).
    torch::Tensor forward(const torch::Tensor& last_hidden_state,
                          const torch::Tensor& attention_mask,
                          const torch::Tensor& pooled) override;
    // Cross entropy over tokens whose label is not -100; labels int [batch, seq].
    torch::Tensor loss(const torch::Tensor& logits, const torch::Tensor& labels) const override;
    // argmax per token, int64 [batch, seq]; map to words with word_predictions().
    torch::Tensor predict(const torch::Tensor& logits) const override;

    Dropout dropout{nullptr};
    torch::nn::Linear classifier{nullptr};
};

}  // namespace tb::model
