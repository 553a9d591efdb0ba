// Task heads on top of any text encoder: logits from encoder outputs, and the task's loss.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "model/label_alignment.h"
#include "model/task_catalog.h"

namespace tb::model {

struct HeadOptions {
    HeadKind kind = HeadKind::SequenceClassification;
    std::int64_t hidden_size = 768;
    // Classes (sequence/token classification) or labels (multi-label); forced to 1 for
    // regression.
    std::int64_t num_outputs = 2;
    Pooling pooling = Pooling::Pooler;  // sequence-level heads only
    HeadStyle style = HeadStyle::Bert;  // sequence-level heads only (token heads are Bert-style)
    double dropout = 0.1;               // HF: classifier_dropout, else hidden_dropout_prob
    double initializer_range = 0.02;    // normal(0, range) weights, zero biases, as HF
    // Multi-label: positive-class weight per label (empty = none) and decision threshold per
    // label on the sigmoid probability (empty = 0.5 each).
    std::vector<float> pos_weight;
    std::vector<float> thresholds;
    // Regression: the loss sees (y - target_mean) / target_std and predict() maps back. The
    // defaults (0, 1) are "no normalisation"; record both with the run so predictions match.
    double target_mean = 0.0;
    double target_std = 1.0;
};

// Target normalisation statistics from the training targets: mean and population standard
// deviation (1 when the targets are constant or empty, so nothing divides by 0).
struct TargetNormalization {
    double mean = 0.0;
    double std = 1.0;
};
TargetNormalization fit_target_normalization(const std::vector<double>& targets);

// The interface every head implements. Inputs are what any encoder produces, so heads do not
// depend on the encoder architecture.
class TaskHead : public torch::nn::Module {
public:
    explicit TaskHead(HeadOptions options);
    // last_hidden_state [batch, seq, hidden]; attention_mask [batch, seq] (1 = real token,
    // undefined = all real); pooled [batch, hidden] or undefined when the encoder has no pooler.
    // Returns logits: [batch, num_outputs] (sequence heads), [batch] (regression: one value),
    // [batch, seq, num_outputs] (token classification).
    virtual torch::Tensor forward(const torch::Tensor& last_hidden_state,
                                  const torch::Tensor& attention_mask,
                                  const torch::Tensor& pooled) = 0;
    // The task's loss, mean over examples (over labelled tokens for token heads):
    //   sequence classification: cross entropy, labels int64 [batch], -100 ignored;
    //   multi-label: BCE with logits (pos_weight), labels 0/1 [batch, num_outputs], any dtype;
    //   regression: MSE against the normalised target, labels [batch] or [batch, 1];
    //   token classification: cross entropy, labels int64 [batch, seq], -100 ignored.
    // A batch whose labels are all -100 gives a loss of 0 (still attached to the graph)
    // instead of torch's NaN. Throws tb::Error for label shapes that do not fit.
    virtual torch::Tensor loss(const torch::Tensor& logits, const torch::Tensor& labels) const = 0;
    // Decisions from logits: class ids int64 [batch] / [batch, seq]; 0/1 int64
    // [batch, num_outputs] (sigmoid >= threshold); de-normalised float values [batch].
    virtual torch::Tensor predict(const torch::Tensor& logits) const = 0;

    const HeadOptions& options() const { return options_; }
    LossKind loss_kind() const;

    // State a trained head carries beyond its weights, held in buffers so checkpoints store it
    // ("multi_label_thresholds" [labels] float, "regression_target" [2] double = mean, std) and
    // restoring a checkpoint brings it back. The setters throw tb::Error for another head kind
    // or invalid values (thresholds outside (0, 1), a wrong count, std <= 0).
    // True when forward() reads only the first position of last_hidden_state (and the pooler):
    // the task model then lets the encoder skip the other positions in its last layer.
    virtual bool reads_first_token_only() const { return false; }
    virtual std::vector<float> thresholds() const;
    virtual void set_thresholds(const std::vector<float>& thresholds);
    virtual TargetNormalization target_normalization() const;
    virtual void set_target_normalization(const TargetNormalization& normalization);

protected:
    HeadOptions options_;
};

// Builds the head `options.kind` names, initialised HF-style with the global Torch RNG (seed
// it first). Throws tb::Error for non-positive sizes, a thresholds/pos_weight list whose
// length is not num_outputs, thresholds outside (0, 1), or target_std <= 0.
std::shared_ptr<TaskHead> make_task_head(const HeadOptions& options);

// Whether a TaskModel buffer is head state a checkpoint written before it existed may lack
// (restoring such a checkpoint keeps the value the head was built with).
bool is_optional_head_buffer(const std::string& name);

// Registers the head's sub-modules (classifier, pre_classifier, dropout) and its state buffers
// directly on `parent`,
// so a task model's parameters are named as Hugging Face names them ("classifier.weight", not
// "head.classifier.weight") and HF task checkpoints load. The head keeps working: both share
// the same modules.
void register_head_modules(torch::nn::Module& parent, const std::shared_ptr<TaskHead>& head);

}  // namespace tb::model
