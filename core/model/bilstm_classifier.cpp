#include "model/bilstm_classifier.h"

#include <limits>

namespace tb::model {

BiLstmClassifierImpl::BiLstmClassifierImpl(const BiLstmOptions& options) : options_(options) {
    embedding_ = register_module(
        "embedding",
        torch::nn::Embedding(
            torch::nn::EmbeddingOptions(options.vocab_size, options.embedding_dim).padding_idx(0)));
    lstm_ = register_module(
        "lstm", torch::nn::LSTM(torch::nn::LSTMOptions(options.embedding_dim, options.hidden_size)
                                    .num_layers(options.num_layers)
                                    .batch_first(true)
                                    .bidirectional(true)
                                    .dropout(options.num_layers > 1 ? options.dropout : 0.0)));
    if (options.attention_pooling)
        attention_ = register_module("attention", torch::nn::Linear(2 * options.hidden_size, 1));
    dropout_ = register_module("dropout", torch::nn::Dropout(options.dropout));
    classifier_ = register_module("classifier",
                                  torch::nn::Linear(2 * options.hidden_size, options.num_classes));
}

torch::Tensor BiLstmClassifierImpl::forward(const torch::Tensor& input_ids,
                                            const torch::Tensor& attention_mask) {
    const auto total = input_ids.size(1);
    auto lengths = attention_mask.sum(1).clamp_min(1).to(torch::kCPU, torch::kInt64);
    auto x = dropout_(embedding_(input_ids));
    auto packed = torch::nn::utils::rnn::pack_padded_sequence(x, lengths, /*batch_first=*/true,
                                                              /*enforce_sorted=*/false);
    auto out = std::get<0>(lstm_->forward_with_packed_input(packed));
    auto states = std::get<0>(torch::nn::utils::rnn::pad_packed_sequence(
        out, /*batch_first=*/true, /*padding_value=*/0.0, /*total_length=*/total));
    // Positions the LSTM read: the mask, with empty texts' first position included.
    const auto positions = torch::arange(total, input_ids.options()).unsqueeze(0);
    const auto read = positions < lengths.to(input_ids.device()).unsqueeze(1);
    torch::Tensor pooled;
    if (options_.attention_pooling) {
        auto scores = attention_(states).squeeze(-1).masked_fill(
            read.logical_not(), -std::numeric_limits<float>::infinity());
        pooled = (torch::softmax(scores, 1).unsqueeze(-1) * states).sum(1);
    } else {
        const auto weights = read.to(states.scalar_type()).unsqueeze(-1);
        pooled = (states * weights).sum(1) / weights.sum(1);
    }
    return classifier_(dropout_(pooled));
}

}  // namespace tb::model
