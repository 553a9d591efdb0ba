// Sequence-level heads in the three Hugging Face layouts (BERT, DistilBERT, RoBERTa).
#include "model/sequence_head.h"

#include "common/error.h"
#include "common/tensor_blob.h"
#include "model/head_losses.h"
#include "model/pooling.h"

namespace tb::model {

RobertaClassifierImpl::RobertaClassifierImpl(std::int64_t hidden_size, std::int64_t num_outputs,
                                             double dropout_p) {
    dense = register_module("dense", torch::nn::Linear(hidden_size, hidden_size));
    dropout = register_module("dropout", torch::nn::Dropout(dropout_p));
    out_proj = register_module("out_proj", torch::nn::Linear(hidden_size, num_outputs));
}

torch::Tensor RobertaClassifierImpl::forward(const torch::Tensor& pooled) {
    auto x = torch::tanh(dense(dropout(pooled)));
    return out_proj(dropout(x));
}

SequenceHead::SequenceHead(HeadOptions options) : TaskHead(std::move(options)) {
    const auto& o = options_;
    switch (o.style) {
        case HeadStyle::Bert:
            dropout = register_module("dropout", torch::nn::Dropout(o.dropout));
            classifier =
                register_module("classifier", torch::nn::Linear(o.hidden_size, o.num_outputs));
            break;
        case HeadStyle::DistilBert:
            pre_classifier =
                register_module("pre_classifier", torch::nn::Linear(o.hidden_size, o.hidden_size));
            dropout = register_module("dropout", torch::nn::Dropout(o.dropout));
            classifier =
                register_module("classifier", torch::nn::Linear(o.hidden_size, o.num_outputs));
            break;
        case HeadStyle::Roberta:
            roberta_classifier = register_module(
                "classifier", RobertaClassifier(o.hidden_size, o.num_outputs, o.dropout));
            break;
    }
    if (!o.pos_weight.empty())
        pos_weight_ = torch::tensor(o.pos_weight, torch::kFloat);
    if (o.kind == HeadKind::MultiLabel)
        thresholds_ = o.thresholds.empty() ? torch::full({o.num_outputs}, 0.5, torch::kFloat)
                                           : torch::tensor(o.thresholds, torch::kFloat);
}

torch::Tensor SequenceHead::forward(const torch::Tensor& last_hidden_state,
                                    const torch::Tensor& attention_mask,
                                    const torch::Tensor& pooled) {
    auto x = pool(options_.pooling, last_hidden_state, attention_mask, pooled);
    torch::Tensor logits;
    switch (options_.style) {
        case HeadStyle::Bert:
            logits = classifier(dropout(x));
            break;
        case HeadStyle::DistilBert:
            logits = classifier(dropout(torch::relu(pre_classifier(x))));
            break;
        case HeadStyle::Roberta:
            logits = roberta_classifier(x);
            break;
    }
    return options_.kind == HeadKind::Regression ? logits.squeeze(-1) : logits;
}

torch::Tensor SequenceHead::loss(const torch::Tensor& logits, const torch::Tensor& labels) const {
    switch (options_.kind) {
        case HeadKind::MultiLabel:
            return multi_label_loss(logits, labels, pos_weight_);
        case HeadKind::Regression: {
            const auto target =
                (labels.to(logits.scalar_type()) - options_.target_mean) / options_.target_std;
            return regression_loss(logits, target);
        }
        default:
            return classification_loss(logits, labels);
    }
}

torch::Tensor SequenceHead::predict(const torch::Tensor& logits) const {
    torch::NoGradGuard no_grad;
    switch (options_.kind) {
        case HeadKind::MultiLabel:
            return (torch::sigmoid(logits) >= thresholds_.to(logits.device(), logits.scalar_type()))
                .to(torch::kLong);
        case HeadKind::Regression:
            return logits * options_.target_std + options_.target_mean;
        default:
            return logits.argmax(-1);
    }
}

}  // namespace tb::model
