// Reads and writes Hugging Face BERT config.json files.
#include "model/bert_config.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace tb::model {
namespace {

using json = nlohmann::json;

const char* const kSupported =
    "supported: BERT encoders (model_type \"bert\"; architectures BertModel, BertForMaskedLM, "
    "BertForPreTraining, BertForSequenceClassification, BertForTokenClassification, ...)";

[[noreturn]] void fail(const std::string& source, const std::string& message,
                       const std::string& key = {}, long line = 0, long column = 0) {
    SourceLocation where;
    where.file = source;
    where.key = key;
    where.line = line;
    where.column = column;
    throw Error(message, where);
}

// Typed access to one optional key: absent keeps the HF default, a wrong type is an error.
class Reader {
public:
    Reader(const json& root, const std::string& source) : root_(root), source_(source) {}

    void integer(const char* key, std::int64_t& out) const {
        auto it = root_.find(key);
        if (it == root_.end() || it->is_null())
            return;
        if (!it->is_number_integer())
            fail(source_, std::string("'") + key + "' must be an integer, got " + it->dump(), key);
        out = it->get<std::int64_t>();
    }
    void number(const char* key, double& out) const {
        auto it = root_.find(key);
        if (it == root_.end() || it->is_null())
            return;
        if (!it->is_number())
            fail(source_, std::string("'") + key + "' must be a number, got " + it->dump(), key);
        out = it->get<double>();
    }
    void text(const char* key, std::string& out) const {
        auto it = root_.find(key);
        if (it == root_.end() || it->is_null())
            return;
        if (!it->is_string())
            fail(source_, std::string("'") + key + "' must be a string, got " + it->dump(), key);
        out = it->get<std::string>();
    }

private:
    const json& root_;
    const std::string& source_;
};

void check_architecture(const json& root, const std::string& source) {
    auto type_it = root.find("model_type");
    if (type_it != root.end()) {
        if (!type_it->is_string() || type_it->get<std::string>() != "bert")
            fail(source, "model_type " + type_it->dump() + " is not supported; " + kSupported,
                 "model_type");
        return;
    }
    // Older configs lack model_type; then the architectures list decides, and a config with
    // neither is taken as BERT (the original Google BERT configs look like that).
    auto arch_it = root.find("architectures");
    if (arch_it == root.end() || arch_it->is_null())
        return;
    if (!arch_it->is_array())
        fail(source, "'architectures' must be a list", "architectures");
    for (const auto& arch : *arch_it) {
        if (!arch.is_string() || arch.get<std::string>().rfind("Bert", 0) != 0)
            fail(source, "architecture " + arch.dump() + " is not supported; " + kSupported,
                 "architectures");
    }
}

void check_positive(const std::string& source, const char* key, std::int64_t value) {
    if (value <= 0)
        fail(source, std::string("'") + key + "' must be positive, got " + std::to_string(value),
             key);
}

void check_probability(const std::string& source, const char* key, double value) {
    if (!(value >= 0.0 && value < 1.0))
        fail(source, std::string("'") + key + "' must be in [0, 1), got " + std::to_string(value),
             key);
}

}  // namespace

BertConfig parse_bert_config(const std::string& json_text, const std::string& source) {
    json root;
    try {
        root = json::parse(json_text);
    } catch (const json::parse_error& e) {
        // e.byte is the 1-based offset of the offending character; turn it into line:column.
        long line = 1, column = 1;
        for (std::size_t i = 0; i + 1 < e.byte && i < json_text.size(); ++i) {
            if (json_text[i] == '\n') {
                ++line;
                column = 1;
            } else {
                ++column;
            }
        }
        fail(source, std::string("config is not valid JSON: ") + e.what(), {}, line, column);
    }
    if (!root.is_object())
        fail(source, "config must be a JSON object");
    check_architecture(root, source);

    BertConfig c;
    if (root.contains("architectures") && root["architectures"].is_array())
        for (const auto& arch : root["architectures"])
            if (arch.is_string())
                c.architectures.push_back(arch.get<std::string>());
    Reader r(root, source);
    r.integer("vocab_size", c.vocab_size);
    r.integer("hidden_size", c.hidden_size);
    r.integer("num_hidden_layers", c.num_hidden_layers);
    r.integer("num_attention_heads", c.num_attention_heads);
    r.integer("intermediate_size", c.intermediate_size);
    r.text("hidden_act", c.hidden_act);
    r.number("hidden_dropout_prob", c.hidden_dropout_prob);
    r.number("attention_probs_dropout_prob", c.attention_probs_dropout_prob);
    r.integer("max_position_embeddings", c.max_position_embeddings);
    r.integer("type_vocab_size", c.type_vocab_size);
    r.number("layer_norm_eps", c.layer_norm_eps);
    r.integer("pad_token_id", c.pad_token_id);
    r.number("initializer_range", c.initializer_range);
    double classifier_dropout = 0.0;
    if (root.contains("classifier_dropout") && !root["classifier_dropout"].is_null()) {
        r.number("classifier_dropout", classifier_dropout);
        check_probability(source, "classifier_dropout", classifier_dropout);
        c.classifier_dropout = classifier_dropout;
    }

    std::string position_type = "absolute";
    r.text("position_embedding_type", position_type);
    if (position_type != "absolute")
        fail(source,
             "position_embedding_type \"" + position_type +
                 "\" is not supported (only \"absolute\")",
             "position_embedding_type");
    if (c.hidden_act != "gelu" && c.hidden_act != "gelu_new" &&
        c.hidden_act != "gelu_pytorch_tanh" && c.hidden_act != "relu")
        fail(source,
             "hidden_act \"" + c.hidden_act +
                 "\" is not supported (gelu, gelu_new, gelu_pytorch_tanh, relu)",
             "hidden_act");

    check_positive(source, "vocab_size", c.vocab_size);
    check_positive(source, "hidden_size", c.hidden_size);
    check_positive(source, "num_hidden_layers", c.num_hidden_layers);
    check_positive(source, "num_attention_heads", c.num_attention_heads);
    check_positive(source, "intermediate_size", c.intermediate_size);
    check_positive(source, "max_position_embeddings", c.max_position_embeddings);
    check_positive(source, "type_vocab_size", c.type_vocab_size);
    check_probability(source, "hidden_dropout_prob", c.hidden_dropout_prob);
    check_probability(source, "attention_probs_dropout_prob", c.attention_probs_dropout_prob);
    if (!(c.layer_norm_eps > 0.0))
        fail(source, "'layer_norm_eps' must be positive", "layer_norm_eps");
    if (c.pad_token_id < 0 || c.pad_token_id >= c.vocab_size)
        fail(source,
             "'pad_token_id' " + std::to_string(c.pad_token_id) + " is outside the vocabulary (" +
                 std::to_string(c.vocab_size) + " tokens)",
             "pad_token_id");
    if (c.hidden_size % c.num_attention_heads != 0)
        fail(source,
             "'hidden_size' (" + std::to_string(c.hidden_size) +
                 ") must be a multiple of 'num_attention_heads' (" +
                 std::to_string(c.num_attention_heads) + ")",
             "num_attention_heads");
    return c;
}

BertConfig load_bert_config(const std::string& config_json_path) {
    std::ifstream in(config_json_path, std::ios::binary);
    if (!in)
        fail(config_json_path, "cannot open config file");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_bert_config(text.str(), config_json_path);
}

std::string to_config_json(const BertConfig& config) {
    nlohmann::ordered_json j;
    if (config.architectures.empty())
        j["architectures"] = nlohmann::ordered_json::array({"BertModel"});
    else
        j["architectures"] = config.architectures;
    j["model_type"] = config.model_type;
    j["vocab_size"] = config.vocab_size;
    j["hidden_size"] = config.hidden_size;
    j["num_hidden_layers"] = config.num_hidden_layers;
    j["num_attention_heads"] = config.num_attention_heads;
    j["intermediate_size"] = config.intermediate_size;
    j["hidden_act"] = config.hidden_act;
    j["hidden_dropout_prob"] = config.hidden_dropout_prob;
    j["attention_probs_dropout_prob"] = config.attention_probs_dropout_prob;
    j["max_position_embeddings"] = config.max_position_embeddings;
    j["type_vocab_size"] = config.type_vocab_size;
    j["layer_norm_eps"] = config.layer_norm_eps;
    j["pad_token_id"] = config.pad_token_id;
    j["initializer_range"] = config.initializer_range;
    j["position_embedding_type"] = "absolute";
    if (config.classifier_dropout)
        j["classifier_dropout"] = *config.classifier_dropout;
    else
        j["classifier_dropout"] = nullptr;
    j["torch_dtype"] = "float32";
    return j.dump(2) + "\n";
}

}  // namespace tb::model
