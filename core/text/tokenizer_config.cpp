// Reads the BERT-relevant settings of a Hugging Face tokenizer_config.json.
#include "text/tokenizer_config.h"

#include <utility>

#include "common/error.h"
#include "text/json_file.h"

namespace tb::text {

namespace {

using nlohmann::json;

// HF writes model_max_length = int(1e30) ("no limit") when a model does not state one.
constexpr double kNoLimitThreshold = 1e15;

SourceLocation at_key(const std::string& path, const std::string& key) {
    SourceLocation where;
    where.file = path;
    where.key = key;
    return where;
}

// Absent or null: leave `value` as it is.
void read_bool(const json& doc, const std::string& path, const char* key, bool& value) {
    const auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) {
        return;
    }
    if (!it->is_boolean()) {
        throw Error(std::string("expected true or false, found ") + it->type_name(),
                    at_key(path, key));
    }
    value = it->get<bool>();
}

// Special tokens are written either as a string or as a serialized AddedToken object
// {"__type": "AddedToken", "content": "[UNK]", ...}.
void read_token(const json& doc, const std::string& path, const char* key, std::string& value) {
    const auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) {
        return;
    }
    if (it->is_string()) {
        value = it->get<std::string>();
        return;
    }
    if (it->is_object()) {
        const auto content = it->find("content");
        if (content != it->end() && content->is_string()) {
            value = content->get<std::string>();
            return;
        }
    }
    throw Error("expected a token string or an object with a \"content\" string",
                at_key(path, key));
}

std::int64_t read_max_length(const json& doc, const std::string& path) {
    const auto it = doc.find("model_max_length");
    if (it == doc.end() || it->is_null()) {
        return 0;
    }
    if (it->is_number_unsigned() || it->is_number_integer()) {
        if (it->is_number_integer() && !it->is_number_unsigned() && it->get<std::int64_t>() < 0) {
            throw Error("expected a positive length", at_key(path, "model_max_length"));
        }
        const auto value = it->get<std::uint64_t>();
        return value >= static_cast<std::uint64_t>(kNoLimitThreshold)
                   ? 0
                   : static_cast<std::int64_t>(value);
    }
    if (it->is_number_float()) {
        const double value = it->get<double>();
        if (value >= kNoLimitThreshold) {
            return 0;
        }
        if (value >= 1 && static_cast<double>(static_cast<std::int64_t>(value)) == value) {
            return static_cast<std::int64_t>(value);
        }
    }
    throw Error(std::string("expected a positive whole number, found ") + it->dump(),
                at_key(path, "model_max_length"));
}

}  // namespace

TokenizerConfig read_tokenizer_config(const std::string& path, TokenizerConfig base) {
    const json doc = read_json_file(path);

    TokenizerConfig config = std::move(base);
    read_bool(doc, path, "do_lower_case", config.options.lowercase);
    read_bool(doc, path, "tokenize_chinese_chars", config.options.tokenize_chinese_chars);
    // strip_accents: an explicit null means "follow do_lower_case", as in HF.
    const auto strip = doc.find("strip_accents");
    if (strip != doc.end()) {
        if (strip->is_null()) {
            config.options.strip_accents = -1;
        } else {
            bool value = false;
            read_bool(doc, path, "strip_accents", value);
            config.options.strip_accents = value ? 1 : 0;
        }
    }
    for (const char* key : {"do_basic_tokenize", "do_split_on_punc"}) {
        bool enabled = true;
        read_bool(doc, path, key, enabled);
        if (!enabled) {
            throw Error(std::string(key) +
                            "=false is not supported (only BERT's standard basic tokenizer is); "
                            "remove the key to use the standard BERT pipeline",
                        at_key(path, key));
        }
    }
    if (doc.contains("model_max_length")) {
        config.model_max_length = read_max_length(doc, path);
    }
    read_token(doc, path, "unk_token", config.special_tokens.unk);
    read_token(doc, path, "cls_token", config.special_tokens.cls);
    read_token(doc, path, "sep_token", config.special_tokens.sep);
    read_token(doc, path, "pad_token", config.special_tokens.pad);
    read_token(doc, path, "mask_token", config.special_tokens.mask);
    return config;
}

}  // namespace tb::text
