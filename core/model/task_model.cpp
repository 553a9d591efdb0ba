// TaskModel: registration under Hugging Face names and the encoder -> head forward pass.
#include "model/task_model.h"

#include "common/error.h"

namespace tb::model {

TaskModelImpl::TaskModelImpl(std::shared_ptr<TextEncoder> encoder, std::shared_ptr<TaskHead> head)
    : encoder_(std::move(encoder)), head_(std::move(head)) {
    if (!encoder_ || !head_)
        throw Error("a task model needs an encoder and a head", SourceLocation{{}, 0, 0, "model"});
    encoder_name_ = encoder_->checkpoint_prefix();
    if (!encoder_name_.empty() && encoder_name_.back() == '.')
        encoder_name_.pop_back();
    register_module(encoder_name_, encoder_);
    register_head_modules(*this, head_);
    encoder_->set_first_token_only(head_->reads_first_token_only());
}

torch::Tensor TaskModelImpl::forward(const torch::Tensor& input_ids,
                                     const torch::Tensor& attention_mask,
                                     const torch::Tensor& token_type_ids) {
    const EncoderOutput out = encoder_->encode(input_ids, attention_mask, token_type_ids);
    return head_->forward(out.last_hidden_state, attention_mask, out.pooled);
}

}  // namespace tb::model
