// Reads the BERT-relevant settings of a Hugging Face tokenizer_config.json.
#include "text/tokenizer_config.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/error.h"

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

// 1-based line and column of byte `offset` in `text`.
SourceLocation at_offset(const std::string& path, const std::string& text, std::size_t offset) {
    SourceLocation where;
    where.file = path;
    where.line = 1;
    where.column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++where.line;
            where.column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++where.column;
        }
    }
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

TokenizerConfig read_tokenizer_config(const std::string& path) {
    SourceLocation file_only;
    file_only.file = path;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw Error("cannot open tokenizer_config.json", file_only);
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();

    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::parse_error& e) {
        const std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
        throw Error("tokenizer_config.json is not valid JSON: " + std::string(e.what()),
                    at_offset(path, text, offset));
    }
    if (!doc.is_object()) {
        throw Error("tokenizer_config.json must hold a JSON object", file_only);
    }

    TokenizerConfig config;
    read_bool(doc, path, "do_lower_case", config.options.lowercase);
    read_bool(doc, path, "tokenize_chinese_chars", config.options.tokenize_chinese_chars);
    // strip_accents: null (or absent) follows do_lower_case, as in HF.
    const auto strip = doc.find("strip_accents");
    if (strip != doc.end() && !strip->is_null()) {
        bool value = false;
        read_bool(doc, path, "strip_accents", value);
        config.options.strip_accents = value ? 1 : 0;
    }
    bool basic = true;
    read_bool(doc, path, "do_basic_tokenize", basic);
    if (!basic) {
        throw Error(
            "do_basic_tokenize=false is not supported (WordPiece without BERT's basic "
            "tokenizer); remove the key to use the standard BERT pipeline",
            at_key(path, "do_basic_tokenize"));
    }
    config.model_max_length = read_max_length(doc, path);
    read_token(doc, path, "unk_token", config.special_tokens.unk);
    read_token(doc, path, "cls_token", config.special_tokens.cls);
    read_token(doc, path, "sep_token", config.special_tokens.sep);
    read_token(doc, path, "pad_token", config.special_tokens.pad);
    read_token(doc, path, "mask_token", config.special_tokens.mask);
    return config;
}

}  // namespace tb::text
