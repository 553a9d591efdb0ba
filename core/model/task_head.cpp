// TaskHead basics, the head factory and HF-style registration of head modules on a task model.
#include "model/task_head.h"

#include <cmath>

#include "common/error.h"
#include "model/bert_model.h"
#include "model/sequence_head.h"
#include "model/token_classification_head.h"

namespace tb::model {
namespace {

SourceLocation key(const char* name) {
    return SourceLocation{{}, 0, 0, name};
}

void check_options(HeadOptions& o) {
    if (o.hidden_size <= 0)
        throw Error("the head's hidden size must be positive", key("hidden_size"));
    if (o.kind == HeadKind::Regression)
        o.num_outputs = 1;
    if (o.num_outputs <= 0)
        throw Error("the head needs at least one output (the label map is empty?)",
                    key("num_labels"));
    if (!(o.dropout >= 0.0 && o.dropout < 1.0))
        throw Error("dropout must be in [0, 1)", key("model.dropout"));
    const auto n = static_cast<std::size_t>(o.num_outputs);
    if (o.kind == HeadKind::MultiLabel) {
        if (!o.thresholds.empty() && o.thresholds.size() != n)
            throw Error("there are " + std::to_string(o.thresholds.size()) + " thresholds for " +
                            std::to_string(n) + " labels; give one per label",
                        key("model.thresholds"));
        for (float t : o.thresholds)
            if (!(t > 0.0f && t < 1.0f))
                throw Error("thresholds are probabilities strictly between 0 and 1, got " +
                                std::to_string(t),
                            key("model.thresholds"));
        if (!o.pos_weight.empty() && o.pos_weight.size() != n)
            throw Error("there are " + std::to_string(o.pos_weight.size()) +
                            " pos_weight values for " + std::to_string(n) +
                            " labels; give one per label",
                        key("model.pos_weight"));
        for (float w : o.pos_weight)
            if (!(w > 0.0f) || !std::isfinite(w))
                throw Error("pos_weight values must be positive", key("model.pos_weight"));
    } else if (!o.thresholds.empty() || !o.pos_weight.empty()) {
        throw Error("thresholds and pos_weight apply to multi-label heads only", key("model.head"));
    }
    if (!(o.target_std > 0.0) || !std::isfinite(o.target_std) || !std::isfinite(o.target_mean))
        throw Error("target_std must be positive and target_mean finite", key("model.target_std"));
}

}  // namespace

TaskHead::TaskHead(HeadOptions options) : options_(std::move(options)) {}

LossKind TaskHead::loss_kind() const {
    switch (options_.kind) {
        case HeadKind::MultiLabel:
            return LossKind::BinaryCrossEntropyWithLogits;
        case HeadKind::Regression:
            return LossKind::MeanSquaredError;
        default:
            return LossKind::CrossEntropy;
    }
}

TargetNormalization fit_target_normalization(const std::vector<double>& targets) {
    TargetNormalization out;
    if (targets.empty())
        return out;
    double sum = 0.0;
    for (double t : targets)
        sum += t;
    out.mean = sum / static_cast<double>(targets.size());
    double squares = 0.0;
    for (double t : targets)
        squares += (t - out.mean) * (t - out.mean);
    const double std = std::sqrt(squares / static_cast<double>(targets.size()));
    out.std = std > 0.0 && std::isfinite(std) ? std : 1.0;
    return out;
}

std::shared_ptr<TaskHead> make_task_head(const HeadOptions& options) {
    auto o = options;
    check_options(o);
    std::shared_ptr<TaskHead> head;
    if (o.kind == HeadKind::TokenClassification)
        head = std::make_shared<TokenClassificationHead>(o);
    else
        head = std::make_shared<SequenceHead>(o);
    init_bert_weights(*head, o.initializer_range);
    return head;
}

std::vector<float> TaskHead::thresholds() const {
    throw Error("only multi-label heads have thresholds", key("model.multi_label_thresholds"));
}

void TaskHead::set_thresholds(const std::vector<float>&) {
    throw Error("only multi-label heads have thresholds", key("model.multi_label_thresholds"));
}

TargetNormalization TaskHead::target_normalization() const {
    throw Error("only regression heads normalise targets", key("model.head"));
}

void TaskHead::set_target_normalization(const TargetNormalization&) {
    throw Error("only regression heads normalise targets", key("model.head"));
}

bool is_optional_head_buffer(const std::string& name) {
    return name == "multi_label_thresholds" || name == "regression_target";
}

void register_head_modules(torch::nn::Module& parent, const std::shared_ptr<TaskHead>& head) {
    for (const auto& item : head->named_children())
        parent.register_module(item.key(), item.value());
    // The same tensors: restoring or moving the parent's buffer updates the head's.
    for (const auto& item : head->named_buffers(/*recurse=*/false))
        parent.register_buffer(item.key(), item.value());
}

}  // namespace tb::model
