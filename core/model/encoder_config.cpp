// config.json for every supported encoder family, reduced to one BertConfig.
#include "model/encoder_config.h"

#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace tb::model {
namespace {

using json = nlohmann::json;

const char* const kSupportedList =
    "supported text encoders: bert (incl. MiniLM and Chinese BERT), roberta, xlm-roberta, "
    "camembert, distilbert, electra";

[[noreturn]] void fail(const std::string& source, const std::string& message,
                       const std::string& key = {}, long line = 0, long column = 0) {
    throw Error(message, SourceLocation{source, line, column, key});
}

bool is_one_of(const std::string& s, std::initializer_list<const char*> names) {
    for (const char* n : names)
        if (s == n)
            return true;
    return false;
}

json parse_json(const std::string& text, const std::string& source) {
    try {
        return json::parse(text);
    } catch (const json::parse_error& e) {
        long line = 1, column = 1;
        for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
            if (text[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        fail(source, std::string("config is not valid JSON: ") + e.what(), {}, line, column);
    }
}

// model_type, or derived from the architectures list (Bert*, Roberta*, ...), or "bert".
std::string detect_model_type(const json& root, const std::string& source) {
    auto type_it = root.find("model_type");
    if (type_it != root.end() && !type_it->is_null()) {
        if (!type_it->is_string())
            fail(source, "'model_type' must be a string, got " + type_it->dump(), "model_type");
        return type_it->get<std::string>();
    }
    auto arch_it = root.find("architectures");
    if (arch_it == root.end() || arch_it->is_null() || !arch_it->is_array() || arch_it->empty())
        return "bert";
    const json& first = arch_it->front();
    if (!first.is_string())
        fail(source, "'architectures' must be a list of names", "architectures");
    const std::string arch = first.get<std::string>();
    const std::pair<const char*, const char*> by_prefix[] = {
        {"XLMRoberta", "xlm-roberta"}, {"Roberta", "roberta"}, {"Camembert", "camembert"},
        {"DistilBert", "distilbert"},  {"Electra", "electra"}, {"Bert", "bert"}};
    for (const auto& [prefix, type] : by_prefix)
        if (arch.rfind(prefix, 0) == 0)
            return type;
    fail(source, "architecture \"" + arch + "\" is not supported; " + kSupportedList,
         "architectures");
}

// BERT-layout families: the BERT parser validates the keys, with family defaults filled in.
BertConfig parse_bert_layout(json root, const std::string& model_type, const std::string& source) {
    auto set_default = [&root](const char* key, const json& value) {
        if (!root.contains(key) || root[key].is_null())
            root[key] = value;
    };
    if (model_type == "roberta") {
        set_default("vocab_size", 50265);
        set_default("pad_token_id", 1);
    } else if (model_type == "xlm-roberta" || model_type == "camembert") {
        set_default("pad_token_id", 1);
    } else if (model_type == "electra") {
        set_default("embedding_size", 128);
        set_default("hidden_size", 256);
        set_default("num_attention_heads", 4);
        set_default("intermediate_size", 1024);
    }
    json architectures = root.contains("architectures") ? root["architectures"] : json();
    root["model_type"] = "bert";
    root.erase("architectures");
    BertConfig c = parse_bert_config(root.dump(), source);
    c.model_type = model_type;
    if (architectures.is_array())
        for (const auto& a : architectures)
            if (a.is_string())
                c.architectures.push_back(a.get<std::string>());
    if (model_type == "electra") {
        const json& e = root["embedding_size"];
        if (!e.is_number_integer() || e.get<std::int64_t>() <= 0)
            fail(source, "'embedding_size' must be a positive integer, got " + e.dump(),
                 "embedding_size");
        c.embedding_size = e.get<std::int64_t>();
    }
    if (uses_padding_aware_positions(c) && max_input_length(c) < 1)
        fail(source,
             "'max_position_embeddings' (" + std::to_string(c.max_position_embeddings) +
                 ") leaves no room after the position offset pad_token_id + 1",
             "max_position_embeddings");
    return c;
}

// DistilBERT names its keys differently; they are renamed to the BERT keys, validated by the
// BERT parser, and errors are reported under the DistilBERT key names.
BertConfig parse_distilbert(const json& root, const std::string& source) {
    const std::pair<const char*, const char*> renames[] = {
        {"dim", "hidden_size"},
        {"n_layers", "num_hidden_layers"},
        {"n_heads", "num_attention_heads"},
        {"hidden_dim", "intermediate_size"},
        {"activation", "hidden_act"},
        {"dropout", "hidden_dropout_prob"},
        {"attention_dropout", "attention_probs_dropout_prob"},
        {"seq_classif_dropout", "classifier_dropout"},
        {"vocab_size", "vocab_size"},
        {"max_position_embeddings", "max_position_embeddings"},
        {"pad_token_id", "pad_token_id"},
        {"initializer_range", "initializer_range"}};
    // DistilBertConfig's defaults.
    json bert = {{"model_type", "bert"},       {"hidden_size", 768},
                 {"num_hidden_layers", 6},     {"num_attention_heads", 12},
                 {"intermediate_size", 3072},  {"hidden_act", "gelu"},
                 {"hidden_dropout_prob", 0.1}, {"attention_probs_dropout_prob", 0.1},
                 {"classifier_dropout", 0.2},  {"type_vocab_size", 1},
                 {"layer_norm_eps", 1e-12}};
    for (const auto& [from, to] : renames)
        if (root.contains(from) && !root[from].is_null())
            bert[to] = root[from];
    BertConfig c;
    try {
        c = parse_bert_config(bert.dump(), source);
    } catch (const Error& e) {
        std::string key = e.where().key, message = e.message();
        for (const auto& [from, to] : renames) {
            if (key == to)
                key = from;
            const std::string quoted_to = std::string("'") + to + "'";
            for (auto pos = message.find(quoted_to); pos != std::string::npos;
                 pos = message.find(quoted_to))
                message.replace(pos, quoted_to.size(), std::string("'") + from + "'");
        }
        fail(source, message, key);
    }
    c.model_type = "distilbert";
    c.type_vocab_size = 0;
    auto sin = root.find("sinusoidal_pos_embds");
    if (sin != root.end() && !sin->is_null()) {
        if (!sin->is_boolean())
            fail(source, "'sinusoidal_pos_embds' must be true or false", "sinusoidal_pos_embds");
        c.sinusoidal_pos_embds = sin->get<bool>();
    }
    auto arch_it = root.find("architectures");
    if (arch_it != root.end() && arch_it->is_array())
        for (const auto& a : *arch_it)
            if (a.is_string())
                c.architectures.push_back(a.get<std::string>());
    return c;
}

}  // namespace

EncoderFamily encoder_family(const BertConfig& config) {
    const std::string& t = config.model_type;
    if (is_one_of(t, {"roberta", "xlm-roberta", "camembert"}))
        return EncoderFamily::Roberta;
    if (t == "distilbert")
        return EncoderFamily::DistilBert;
    if (t == "electra")
        return EncoderFamily::Electra;
    return EncoderFamily::Bert;
}

const char* encoder_family_name(EncoderFamily family) {
    switch (family) {
        case EncoderFamily::Bert:
            return "BERT";
        case EncoderFamily::Roberta:
            return "RoBERTa";
        case EncoderFamily::DistilBert:
            return "DistilBERT";
        case EncoderFamily::Electra:
            return "ELECTRA";
    }
    return "?";
}

std::string checkpoint_prefix(const BertConfig& config) {
    switch (encoder_family(config)) {
        case EncoderFamily::Bert:
            return "bert.";
        case EncoderFamily::Roberta:
            return "roberta.";
        case EncoderFamily::DistilBert:
            return "distilbert.";
        case EncoderFamily::Electra:
            return "electra.";
    }
    return "bert.";
}

bool uses_padding_aware_positions(const BertConfig& config) {
    return encoder_family(config) == EncoderFamily::Roberta;
}

std::int64_t max_input_length(const BertConfig& config) {
    return uses_padding_aware_positions(config)
               ? config.max_position_embeddings - config.pad_token_id - 1
               : config.max_position_embeddings;
}

std::string unsupported_reason(const std::string& t) {
    if (is_one_of(t, {"bert", "roberta", "xlm-roberta", "camembert", "distilbert", "electra"}))
        return {};
    if (is_one_of(t, {"gpt2", "gpt_neo", "gpt_neox", "gptj", "llama", "mistral", "mixtral", "opt",
                      "bloom", "falcon", "qwen2", "phi", "phi3", "gemma", "gemma2", "ctrl"}))
        return "model_type \"" + t +
               "\" is a decoder-only (causal) language model; tunebench fine-tunes encoders (" +
               kSupportedList + ")";
    if (is_one_of(t, {"t5", "mt5", "bart", "mbart", "marian", "pegasus", "m2m_100", "led"}))
        return "model_type \"" + t + "\" is an encoder-decoder model; " + kSupportedList;
    if (is_one_of(t, {"deberta", "deberta-v2"}))
        return "model_type \"" + t +
               "\": disentangled relative-position attention is not implemented; " + kSupportedList;
    if (is_one_of(t, {"albert"}))
        return "model_type \"albert\": factorised embeddings with shared layers are not "
               "implemented; " +
               std::string(kSupportedList);
    if (is_one_of(t, {"vit", "resnet", "convnext", "clip", "swin", "beit", "deit"}))
        return "model_type \"" + t + "\" is not a text encoder; " + kSupportedList;
    return "model_type \"" + t + "\" is not supported; " + kSupportedList;
}

BertConfig parse_encoder_config(const std::string& json_text, const std::string& source) {
    json root = parse_json(json_text, source);
    if (!root.is_object())
        fail(source, "config must be a JSON object");
    const std::string model_type = detect_model_type(root, source);
    const std::string reason = unsupported_reason(model_type);
    if (!reason.empty())
        fail(source, reason, "model_type");
    if (model_type == "distilbert")
        return parse_distilbert(root, source);
    if (model_type == "bert")
        return parse_bert_config(json_text, source);
    return parse_bert_layout(std::move(root), model_type, source);
}

BertConfig load_encoder_config(const std::string& config_json_path) {
    std::ifstream in(config_json_path, std::ios::binary);
    if (!in)
        fail(config_json_path, "cannot open config file");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_encoder_config(text.str(), config_json_path);
}

std::string to_encoder_config_json(const BertConfig& config) {
    if (encoder_family(config) != EncoderFamily::DistilBert) {
        json j = json::parse(to_config_json(config));
        j["model_type"] = config.model_type;
        if (config.architectures.empty()) {
            const char* arch = encoder_family(config) == EncoderFamily::Roberta   ? "RobertaModel"
                               : encoder_family(config) == EncoderFamily::Electra ? "ElectraModel"
                                                                                  : "BertModel";
            j["architectures"] = json::array({arch});
        }
        if (config.embedding_size > 0)
            j["embedding_size"] = config.embedding_size;
        return j.dump(2) + "\n";
    }
    nlohmann::ordered_json j;
    j["architectures"] = config.architectures.empty()
                             ? nlohmann::ordered_json::array({"DistilBertModel"})
                             : nlohmann::ordered_json(config.architectures);
    j["model_type"] = "distilbert";
    j["vocab_size"] = config.vocab_size;
    j["dim"] = config.hidden_size;
    j["n_layers"] = config.num_hidden_layers;
    j["n_heads"] = config.num_attention_heads;
    j["hidden_dim"] = config.intermediate_size;
    j["activation"] = config.hidden_act;
    j["dropout"] = config.hidden_dropout_prob;
    j["attention_dropout"] = config.attention_probs_dropout_prob;
    j["max_position_embeddings"] = config.max_position_embeddings;
    j["sinusoidal_pos_embds"] = config.sinusoidal_pos_embds;
    j["pad_token_id"] = config.pad_token_id;
    j["initializer_range"] = config.initializer_range;
    j["seq_classif_dropout"] = config.classifier_dropout.value_or(0.2);
    return j.dump(2) + "\n";
}

}  // namespace tb::model
