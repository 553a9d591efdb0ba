// A BERT encoder's hyper-parameters, read from a Hugging Face config.json.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tb::model {

// Defaults are Hugging Face's BertConfig defaults, so a config.json that omits a key means
// the same thing here as in transformers.
struct BertConfig {
    std::string model_type = "bert";
    std::int64_t vocab_size = 30522;
    std::int64_t hidden_size = 768;
    std::int64_t num_hidden_layers = 12;
    std::int64_t num_attention_heads = 12;
    std::int64_t intermediate_size = 3072;
    std::string hidden_act = "gelu";  // gelu (erf) | gelu_new | gelu_pytorch_tanh (tanh) | relu
    double hidden_dropout_prob = 0.1;
    double attention_probs_dropout_prob = 0.1;
    std::int64_t max_position_embeddings = 512;
    std::int64_t type_vocab_size = 2;
    double layer_norm_eps = 1e-12;
    std::int64_t pad_token_id = 0;
    double initializer_range = 0.02;
    std::optional<double> classifier_dropout;  // unset: heads use hidden_dropout_prob (as HF)

    // Set by parse_encoder_config (encoder_config.h) for the other encoder families; a plain
    // BERT config leaves them at these values.
    std::vector<std::string> architectures;  // as listed in config.json (informational)
    std::int64_t embedding_size = 0;         // ELECTRA: embedding width if != hidden_size (0: same)
    bool sinusoidal_pos_embds = false;       // DistilBERT: fixed sinusoidal position table
};

// Throws tb::Error (file + key) for a missing file, bad JSON, a wrong value type, a non-BERT
// model_type, an unsupported hidden_act / position_embedding_type, non-positive sizes, or
// hidden_size not divisible by num_attention_heads.
BertConfig load_bert_config(const std::string& config_json_path);
BertConfig parse_bert_config(const std::string& json_text, const std::string& source);
std::string to_config_json(const BertConfig& config);  // HF-compatible (architectures: BertModel)

}  // namespace tb::model
