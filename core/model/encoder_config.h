// Reads config.json of any supported text-encoder family (BERT, RoBERTa/XLM-R, DistilBERT,
// ELECTRA) into one BertConfig, and says why other architectures are refused.
#pragma once

#include <string>

#include "model/bert_config.h"

namespace tb::model {

// How the encoder is laid out and named in checkpoints.
//   Bert:       BertModel ("bert." in task checkpoints), positions 0..T-1, token types, pooler.
//   Roberta:    RobertaModel / XLMRobertaModel / CamembertModel ("roberta." prefix): BERT
//               layout, but position ids count only non-padding tokens and start at
//               pad_token_id + 1; the pooler is optional (task checkpoints drop it).
//   DistilBert: DistilBertModel ("distilbert." prefix): its own tensor names, no token
//               types, no pooler.
//   Electra:    ElectraModel ("electra." prefix): BERT layout with embedding_size-wide
//               embeddings projected by "embeddings_project" when it differs, no pooler.
enum class EncoderFamily { Bert, Roberta, DistilBert, Electra };

EncoderFamily encoder_family(const BertConfig& config);  // from config.model_type
const char* encoder_family_name(EncoderFamily family);   // "BERT", "RoBERTa", ...
// "bert.", "roberta.", "distilbert.", "electra.": the encoder's prefix in task checkpoints.
std::string checkpoint_prefix(const BertConfig& config);
// RoBERTa family: position id of token t is pad_token_id + (number of non-padding tokens up
// to and including t), and padding tokens get pad_token_id.
bool uses_padding_aware_positions(const BertConfig& config);
// The longest input the position table allows (max_position_embeddings minus RoBERTa's
// pad_token_id + 1 offset).
std::int64_t max_input_length(const BertConfig& config);

// Dispatches on model_type (or, without it, on the architectures list; neither means BERT):
// bert; roberta, xlm-roberta, camembert; distilbert (keys dim, n_layers, n_heads, hidden_dim,
// activation, dropout, attention_dropout, sinusoidal_pos_embds mapped onto the BertConfig
// fields); electra. Throws tb::Error (file + key) for anything else, saying why (e.g. a
// decoder-only language model) and what is supported, and for invalid values.
BertConfig parse_encoder_config(const std::string& json_text, const std::string& source);
BertConfig load_encoder_config(const std::string& config_json_path);

// Returns an empty string when `model_type` names a supported encoder family, else the reason
// it is refused (for listings that must not throw).
std::string unsupported_reason(const std::string& model_type);

// Writes a config.json that parse_encoder_config and Hugging Face transformers read as the same
// model (DistilBERT keys for DistilBERT).
std::string to_encoder_config_json(const BertConfig& config);

}  // namespace tb::model
