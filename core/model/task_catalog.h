// Which task heads and losses fit which dataset task type (Torch-free, so the UI can offer them).
#pragma once

#include <string>
#include <vector>

namespace tb::model {

// What the dataset is; comes from the dataset, never from the model.
enum class TaskType {
    TextClassification,
    SentencePair,
    MultiLabel,
    TokenClassification,
    Regression
};

// The head's shape of output: one label per text, a 0/1 vector per text, one label per token,
// or one number per text.
enum class HeadKind { SequenceClassification, MultiLabel, TokenClassification, Regression };

enum class LossKind {
    CrossEntropy,                  // softmax over classes; labels -100 are ignored
    BinaryCrossEntropyWithLogits,  // one sigmoid per label; optional pos_weight
    MeanSquaredError,              // regression on (optionally normalised) targets
};

// How a sequence head turns [batch, seq, hidden] into one vector per text.
enum class Pooling {
    Pooler,  // the encoder's pooled output (BERT: tanh(dense(CLS))); needs an encoder with a pooler
    Cls,     // the first token's hidden state
    Mean,    // mean over tokens whose attention mask is 1
};

// The layers between the pooled vector and the logits, named as Hugging Face names them so
// task checkpoints (BertFor…, DistilBertFor…, RobertaFor…SequenceClassification) load:
enum class HeadStyle {
    Bert,        // dropout -> classifier                                       (classifier.*)
    DistilBert,  // pre_classifier -> ReLU -> dropout -> classifier    (pre_classifier.*,
                 // classifier.*)
    Roberta,     // dropout -> dense -> tanh -> dropout -> out_proj (classifier.dense.*,
                 // classifier.out_proj.*)
};

struct HeadChoice {
    HeadKind head;
    LossKind loss;
    std::vector<Pooling> poolings;  // valid poolings, default first; empty for token heads
};

// The heads (with their loss) valid for a task type, the default first. Every task type has at
// least one. The UI offers only these; validate_head() rejects anything else.
std::vector<HeadChoice> valid_heads(TaskType task);
bool is_valid_head(TaskType task, HeadKind head, LossKind loss);
// Throws tb::Error naming the task and the valid choices if (head, loss) does not fit the task.
void validate_head(TaskType task, HeadKind head, LossKind loss);

// The default pooling and style for an encoder's config.json model_type, as Hugging Face's
// *ForSequenceClassification does it: bert (and others with a pooler) -> Pooler + Bert style;
// distilbert -> Cls + DistilBert style; roberta / xlm-roberta -> Cls + Roberta style.
Pooling default_pooling(const std::string& model_type);
HeadStyle default_head_style(const std::string& model_type);

// Names used in YAML, the CLI and the UI: "text_classification", "sentence_pair", "multi_label",
// "token_classification", "regression"; heads "sequence_classification", "multi_label",
// "token_classification", "regression"; losses "cross_entropy", "bce_with_logits", "mse";
// poolings "pooler", "cls", "mean"; styles "bert", "distilbert", "roberta".
// The *_from_name functions throw tb::Error listing the accepted names.
std::string task_type_name(TaskType task);
std::string head_kind_name(HeadKind head);
std::string loss_kind_name(LossKind loss);
std::string pooling_name(Pooling pooling);
std::string head_style_name(HeadStyle style);
TaskType task_type_from_name(const std::string& name);
HeadKind head_kind_from_name(const std::string& name);
LossKind loss_kind_from_name(const std::string& name);
Pooling pooling_from_name(const std::string& name);
HeadStyle head_style_from_name(const std::string& name);

}  // namespace tb::model
