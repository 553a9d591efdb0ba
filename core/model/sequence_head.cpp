// Sequence-level heads in the three Hugging Face layouts (BERT, DistilBERT, RoBERTa).
#include "model/sequence_head.h"

#include <cmath>

#include "common/error.h"
#include "common/tensor_blob.h"
#include "model/head_losses.h"
#include "model/pooling.h"

namespace tb::model {

RobertaClassifierImpl::RobertaClassifierImpl(std::int64_t hidden_size, std::int64_t num_outputs,
                                             double dropout_p) {
    dense = register_module("dense", torch::nn::Linear(hidden_size, hidden_size));
    dropout = register_module("dropout", Dropout(dropout_p));
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
            dropout = register_module("dropout", Dropout(o.dropout));
            classifier =
                register_module("classifier", torch::nn::Linear(o.hidden_size, o.num_outputs));
            break;
        case HeadStyle::DistilBert:
            pre_classifier =
                register_module("pre_classifier", torch::nn::Linear(o.hidden_size, o.hidden_size));
            dropout = register_module("dropout", Dropout(o.dropout));
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
        thresholds_ =
            register_buffer("multi_label_thresholds",
                            o.thresholds.empty() ? torch::full({o.num_outputs}, 0.5, torch::kFloat)
                                                 : torch::tensor(o.thresholds, torch::kFloat));
    if (o.kind == HeadKind::Regression)
        target_ = register_buffer("regression_target",
                                  torch::tensor({o.target_mean, o.target_std}, torch::kDouble));
}

std::vector<float> SequenceHead::thresholds() const {
    if (options_.kind != HeadKind::MultiLabel)
        return TaskHead::thresholds();
    const auto t = thresholds_.to(torch::kCPU, torch::kFloat).contiguous();
    return std::vector<float>(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
}

void SequenceHead::set_thresholds(const std::vector<float>& thresholds) {
    if (options_.kind != HeadKind::MultiLabel)
        return TaskHead::set_thresholds(thresholds);
    if (static_cast<std::int64_t>(thresholds.size()) != thresholds_.numel())
        throw Error("there are " + std::to_string(thresholds.size()) + " thresholds for " +
                        std::to_string(thresholds_.numel()) + " labels; give one per label",
                    SourceLocation{{}, 0, 0, "model.multi_label_thresholds"});
    for (float t : thresholds)
        if (!(t > 0.0f && t < 1.0f))
            throw Error(
                "thresholds are probabilities strictly between 0 and 1, got " + std::to_string(t),
                SourceLocation{{}, 0, 0, "model.multi_label_thresholds"});
    torch::NoGradGuard no_grad;
    thresholds_.copy_(torch::tensor(thresholds, torch::kFloat));
}

TargetNormalization SequenceHead::target_normalization() const {
    if (options_.kind != HeadKind::Regression)
        return TaskHead::target_normalization();
    const auto t = target_.to(torch::kCPU, torch::kDouble);
    return {t[0].item<double>(), t[1].item<double>()};
}

void SequenceHead::set_target_normalization(const TargetNormalization& n) {
    if (options_.kind != HeadKind::Regression)
        return TaskHead::set_target_normalization(n);
    if (!(n.std > 0.0) || !std::isfinite(n.std) || !std::isfinite(n.mean))
        throw Error("target_std must be positive and target_mean finite",
                    SourceLocation{{}, 0, 0, "model.target_std"});
    torch::NoGradGuard no_grad;
    target_.copy_(torch::tensor({n.mean, n.std}, torch::kDouble));
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
            // Normalised in double, then in the logits' type (exact for large target values).
            const auto stats = target_.to(logits.device());
            const auto target = ((labels.to(logits.device(), torch::kDouble) - stats[0]) / stats[1])
                                    .to(logits.scalar_type());
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
            return logits.to(torch::kDouble) * target_[1].to(logits.device()) +
                   target_[0].to(logits.device());
        default:
            return logits.argmax(-1);
    }
}

}  // namespace tb::model
