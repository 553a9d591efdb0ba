// The from-scratch text classifier of the seed experiments: embedding + bidirectional LSTM +
// pooling (masked mean or additive attention) + dropout + linear layer.
#pragma once

#include <cstdint>

#include <torch/torch.h>

namespace tb::model {

struct BiLstmOptions {
    std::int64_t vocab_size = 2;  // id 0 is padding (its embedding row stays zero)
    std::int64_t embedding_dim = 128;
    std::int64_t hidden_size = 128;  // per direction; the pooled state has 2 x hidden_size
    std::int64_t num_layers = 1;
    double dropout = 0.3;  // on embeddings, between LSTM layers and before the classifier
    bool attention_pooling = false;
    std::int64_t num_classes = 2;
};

// Tensor names: embedding.weight, lstm.weight_ih_l0 / ..._reverse (PyTorch's nn.LSTM names),
// attention.weight/bias (with attention pooling), classifier.weight/bias.
class BiLstmClassifierImpl : public torch::nn::Module {
public:
    explicit BiLstmClassifierImpl(const BiLstmOptions& options);

    // input_ids, attention_mask: int64 [batch, seq] (mask 1 = real token, real tokens first).
    // Sequences are packed, so padding never reaches the LSTM: a text's logits do not depend
    // on what it is batched with. An empty text is read as its first (padding) position.
    torch::Tensor forward(const torch::Tensor& input_ids, const torch::Tensor& attention_mask);
    const BiLstmOptions& options() const { return options_; }
    // embedding.weight, the table FGM adversarial training perturbs.
    torch::Tensor word_embeddings() const { return embedding_->weight; }

private:
    BiLstmOptions options_;
    torch::nn::Embedding embedding_{nullptr};
    torch::nn::LSTM lstm_{nullptr};
    torch::nn::Linear attention_{nullptr};
    torch::nn::Dropout dropout_{nullptr};
    torch::nn::Linear classifier_{nullptr};
};
TORCH_MODULE(BiLstmClassifier);

}  // namespace tb::model
