// Task type -> valid heads/losses, and the names of every enum used in configs and the UI.
#include "model/task_catalog.h"

#include <utility>

#include "common/error.h"

namespace tb::model {
namespace {

template <typename Enum>
using NameTable = std::vector<std::pair<Enum, const char*>>;

const NameTable<TaskType>& task_names() {
    static const NameTable<TaskType> table{{TaskType::TextClassification, "text_classification"},
                                           {TaskType::SentencePair, "sentence_pair"},
                                           {TaskType::MultiLabel, "multi_label"},
                                           {TaskType::TokenClassification, "token_classification"},
                                           {TaskType::Regression, "regression"}};
    return table;
}

const NameTable<HeadKind>& head_names() {
    static const NameTable<HeadKind> table{
        {HeadKind::SequenceClassification, "sequence_classification"},
        {HeadKind::MultiLabel, "multi_label"},
        {HeadKind::TokenClassification, "token_classification"},
        {HeadKind::Regression, "regression"}};
    return table;
}

const NameTable<LossKind>& loss_names() {
    static const NameTable<LossKind> table{
        {LossKind::CrossEntropy, "cross_entropy"},
        {LossKind::BinaryCrossEntropyWithLogits, "bce_with_logits"},
        {LossKind::MeanSquaredError, "mse"}};
    return table;
}

const NameTable<Pooling>& pooling_names() {
    static const NameTable<Pooling> table{
        {Pooling::Pooler, "pooler"}, {Pooling::Cls, "cls"}, {Pooling::Mean, "mean"}};
    return table;
}

const NameTable<HeadStyle>& style_names() {
    static const NameTable<HeadStyle> table{{HeadStyle::Bert, "bert"},
                                            {HeadStyle::DistilBert, "distilbert"},
                                            {HeadStyle::Roberta, "roberta"}};
    return table;
}

template <typename Enum>
std::string name_of(const NameTable<Enum>& table, Enum value) {
    for (const auto& [v, name] : table)
        if (v == value)
            return name;
    return "unknown";
}

template <typename Enum>
Enum from_name(const NameTable<Enum>& table, const std::string& name, const char* what) {
    std::string accepted;
    for (const auto& [v, n] : table) {
        if (name == n)
            return v;
        accepted += (accepted.empty() ? "" : ", ") + std::string(n);
    }
    throw Error("unknown " + std::string(what) + " '" + name + "'; use one of: " + accepted,
                SourceLocation{{}, 0, 0, what});
}

bool has_pooler(const std::string& model_type) {
    return model_type != "distilbert" && model_type != "roberta" && model_type != "xlm-roberta";
}

}  // namespace

std::vector<HeadChoice> valid_heads(TaskType task) {
    // Pooler first where the encoder has one is decided by default_pooling(); here the list
    // is architecture-independent: a head that needs a pooler fails at forward() with a clear
    // message if the encoder has none.
    const std::vector<Pooling> sequence_poolings{Pooling::Pooler, Pooling::Cls, Pooling::Mean};
    switch (task) {
        case TaskType::TextClassification:
        case TaskType::SentencePair:
            return {{HeadKind::SequenceClassification, LossKind::CrossEntropy, sequence_poolings}};
        case TaskType::MultiLabel:
            return {
                {HeadKind::MultiLabel, LossKind::BinaryCrossEntropyWithLogits, sequence_poolings}};
        case TaskType::TokenClassification:
            return {{HeadKind::TokenClassification, LossKind::CrossEntropy, {}}};
        case TaskType::Regression:
            return {{HeadKind::Regression, LossKind::MeanSquaredError, sequence_poolings}};
    }
    return {};
}

bool is_valid_head(TaskType task, HeadKind head, LossKind loss) {
    for (const auto& choice : valid_heads(task))
        if (choice.head == head && choice.loss == loss)
            return true;
    return false;
}

void validate_head(TaskType task, HeadKind head, LossKind loss) {
    if (is_valid_head(task, head, loss))
        return;
    std::string valid;
    for (const auto& choice : valid_heads(task))
        valid += (valid.empty() ? "" : ", ") + head_kind_name(choice.head) + " with " +
                 loss_kind_name(choice.loss);
    throw Error("the " + head_kind_name(head) + " head with " + loss_kind_name(loss) +
                    " loss does not fit a " + task_type_name(task) + " dataset; valid: " + valid,
                SourceLocation{{}, 0, 0, "model.head"});
}

Pooling default_pooling(const std::string& model_type) {
    return has_pooler(model_type) ? Pooling::Pooler : Pooling::Cls;
}

HeadStyle default_head_style(const std::string& model_type) {
    if (model_type == "distilbert")
        return HeadStyle::DistilBert;
    if (model_type == "roberta" || model_type == "xlm-roberta")
        return HeadStyle::Roberta;
    return HeadStyle::Bert;
}

std::string task_type_name(TaskType task) {
    return name_of(task_names(), task);
}
std::string head_kind_name(HeadKind head) {
    return name_of(head_names(), head);
}
std::string loss_kind_name(LossKind loss) {
    return name_of(loss_names(), loss);
}
std::string pooling_name(Pooling pooling) {
    return name_of(pooling_names(), pooling);
}
std::string head_style_name(HeadStyle style) {
    return name_of(style_names(), style);
}

TaskType task_type_from_name(const std::string& name) {
    return from_name(task_names(), name, "task type");
}
HeadKind head_kind_from_name(const std::string& name) {
    return from_name(head_names(), name, "head");
}
LossKind loss_kind_from_name(const std::string& name) {
    return from_name(loss_names(), name, "loss");
}
Pooling pooling_from_name(const std::string& name) {
    return from_name(pooling_names(), name, "pooling");
}
HeadStyle head_style_from_name(const std::string& name) {
    return from_name(style_names(), name, "head style");
}

}  // namespace tb::model
