// One prediction per text (or text pair): single-label classification, multi-label, regression.
#pragma once

#include <torch/torch.h>

#include "model/fast_dropout.h"
#include "model/task_head.h"

namespace tb::model {

// RoBERTa's classification block, registered as "classifier" so its tensors are
// "classifier.dense.*" and "classifier.out_proj.*" as in RobertaForSequenceClassification.
class RobertaClassifierImpl : public torch::nn::Module {
public:
    RobertaClassifierImpl(std::int64_t hidden_size, std::int64_t num_outputs, double dropout);
    // pooled [batch, hidden] -> dropout -> dense -> tanh -> dropout -> out_proj
    torch::Tensor forward(const torch::Tensor& pooled);

    torch::nn::Linear dense{nullptr};
    torch::nn::Linear out_proj{nullptr};
    Dropout dropout{nullptr};
};
TORCH_MODULE(RobertaClassifier);

// Pools (options.pooling), then the layers of options.style (see HeadStyle), then:
// SequenceClassification -> logits [batch, classes], cross entropy;
// MultiLabel -> logits [batch, labels], BCE with logits, sigmoid >= threshold;
// Regression -> one value [batch], MSE on normalised targets.
class SequenceHead : public TaskHead {
public:
    explicit SequenceHead(HeadOptions options);
    torch::Tensor forward(const torch::Tensor& last_hidden_state,
                          const torch::Tensor& attention_mask,
                          const torch::Tensor& pooled) override;
    torch::Tensor loss(const torch::Tensor& logits, const torch::Tensor& labels) const override;
    torch::Tensor predict(const torch::Tensor& logits) const override;
    bool reads_first_token_only() const override {
        return options().pooling == Pooling::Cls || options().pooling == Pooling::Pooler;
    }
    std::vector<float> thresholds() const override;
    void set_thresholds(const std::vector<float>& thresholds) override;
    TargetNormalization target_normalization() const override;
    void set_target_normalization(const TargetNormalization& normalization) override;

    // Set by style: Bert/DistilBert use `classifier`, DistilBert also `pre_classifier`,
    // Roberta uses `roberta_classifier` (registered as "classifier").
    torch::nn::Linear pre_classifier{nullptr};
    Dropout dropout{nullptr};
    torch::nn::Linear classifier{nullptr};
    RobertaClassifier roberta_classifier{nullptr};

private:
    torch::Tensor pos_weight_;  // [labels] or undefined
    torch::Tensor thresholds_;  // buffer "multi_label_thresholds" [labels], multi-label only
    torch::Tensor target_;      // buffer "regression_target" [2] double (mean, std), regression
};

}  // namespace tb::model
