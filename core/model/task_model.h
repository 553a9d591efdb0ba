// A pretrained text encoder and a task head as one module, named as Hugging Face task models.
#pragma once

#include <memory>
#include <string>

#include <torch/torch.h>

#include "model/task_head.h"
#include "model/text_encoder.h"

namespace tb::model {

// named_parameters() yield Hugging Face task-checkpoint names: the encoder sits under its
// checkpoint prefix ("bert.", "roberta.", "distilbert.", "electra.") and the head's modules
// directly on the model ("classifier.weight", "pre_classifier.bias"), so checkpoints written
// from it read like BertForSequenceClassification / RobertaForTokenClassification files.
class TaskModelImpl : public torch::nn::Module {
public:
    TaskModelImpl(std::shared_ptr<TextEncoder> encoder, std::shared_ptr<TaskHead> head);

    // int64 [batch, seq] inputs (mask 1 = real token); logits as TaskHead::forward returns.
    torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask,
                          const torch::Tensor& token_type_ids);

    TextEncoder& encoder() const { return *encoder_; }
    TaskHead& head() const { return *head_; }
    HeadKind kind() const { return head_->options().kind; }
    // The registered name of the encoder ("bert"), i.e. its checkpoint prefix without the dot.
    const std::string& encoder_name() const { return encoder_name_; }

private:
    std::shared_ptr<TextEncoder> encoder_;
    std::shared_ptr<TaskHead> head_;
    std::string encoder_name_;
};
TORCH_MODULE(TaskModel);

}  // namespace tb::model
