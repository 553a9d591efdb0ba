// The interface every pretrained text encoder implements (BERT, RoBERTa, DistilBERT, ELECTRA):
// token ids + attention mask in, hidden states [B, T, H] out. Task heads build on this.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "model/bert_config.h"
#include "model/encoder_config.h"

namespace tb::model {

struct EncoderOutput {
    torch::Tensor last_hidden_state;  // [batch, seq, hidden]
    // With output_hidden_states: the embedding output, then every layer's output
    // (num_layers + 1 tensors, as Hugging Face's hidden_states); empty otherwise.
    std::vector<torch::Tensor> hidden_states;
    torch::Tensor pooled;  // [batch, hidden] tanh(dense(CLS)); undefined without a pooler
};

class TextEncoder : public torch::nn::Module {
public:
    // input_ids, attention_mask (1 = real token), token_type_ids: integer [batch, seq]. An
    // undefined mask means all ones, undefined token types all zeros; encoders without token
    // types (DistilBERT) ignore them. Throws tb::Error for mismatched shapes or an input longer
    // than max_input_length(config()).
    virtual EncoderOutput encode(const torch::Tensor& input_ids,
                                 const torch::Tensor& attention_mask,
                                 const torch::Tensor& token_type_ids = {},
                                 bool output_hidden_states = false) = 0;
    virtual const BertConfig& config() const = 0;
    virtual bool has_pooler() const = 0;
    // The embedding block and the transformer blocks in order (for freezing the first N).
    virtual std::shared_ptr<torch::nn::Module> embeddings_module() = 0;
    virtual std::vector<std::shared_ptr<torch::nn::Module>> layer_modules() = 0;

    // A head that reads only the first token (CLS or pooler pooling) sets this: the last layer
    // then computes position 0 alone (its keys and values still cover every position), and
    // last_hidden_state is [batch, 1, hidden]. The same first-token vector (up to rounding) for
    // about 1/num_layers less work in training and inference. Ignored with output_hidden_states.
    void set_first_token_only(bool on) { first_token_only_ = on; }
    bool first_token_only() const { return first_token_only_; }

    EncoderFamily family() const { return encoder_family(config()); }
    // Prefix of this encoder's tensors in task checkpoints ("bert.", "roberta.", ...): register
    // the encoder under this name (without the dot) in a task model for HF-compatible names.
    std::string checkpoint_prefix() const { return tb::model::checkpoint_prefix(config()); }
    std::int64_t hidden_size() const { return config().hidden_size; }
    std::int64_t num_layers() const { return config().num_hidden_layers; }

private:
    bool first_token_only_ = false;
};

// Shared input checks; returns int64 ids. Throws tb::Error as TextEncoder::encode documents.
torch::Tensor checked_input_ids(const BertConfig& config, const torch::Tensor& input_ids,
                                const torch::Tensor& attention_mask,
                                const torch::Tensor& token_type_ids);

}  // namespace tb::model
