// Reads a BERT-family (WordPiece) Hugging Face tokenizer.json: vocabulary and settings.
#include "text/tokenizer_json.h"

#include <map>

#include "common/error.h"
#include "text/json_file.h"

namespace tb::text {

namespace {

using nlohmann::json;

class Reader {
public:
    explicit Reader(std::string path) : path_(std::move(path)) {}

    [[noreturn]] void fail(const std::string& key, const std::string& message) const {
        SourceLocation where;
        where.file = path_;
        where.key = key;
        throw Error(message, where);
    }

    const json& object(const json& parent, const char* name, const std::string& key) const {
        const auto it = parent.find(name);
        if (it == parent.end() || !it->is_object()) {
            fail(key, "expected an object");
        }
        return *it;
    }

    std::string string(const json& parent, const char* name, const std::string& key) const {
        const auto it = parent.find(name);
        if (it == parent.end() || !it->is_string()) {
            fail(key, "expected a string");
        }
        return it->get<std::string>();
    }

    std::string type_of(const json& component, const std::string& key) const {
        if (!component.is_object()) {
            fail(key, "expected an object with a \"type\"");
        }
        return string(component, "type", key + ".type");
    }

private:
    std::string path_;
};

Vocab read_vocab(const json& doc, const json& model, const Reader& r) {
    std::map<std::int64_t, std::string> by_id;
    for (const auto& [token, id] : r.object(model, "vocab", "model.vocab").items()) {
        if (!id.is_number_integer() || id.get<std::int64_t>() < 0) {
            r.fail("model.vocab", "the id of \"" + token + "\" is not a non-negative integer");
        }
        if (!by_id.emplace(id.get<std::int64_t>(), token).second) {
            r.fail("model.vocab", "id " + id.dump() + " is used twice");
        }
    }
    // Added tokens normally repeat vocabulary entries; those beyond it extend it, as in HF.
    const auto added = doc.find("added_tokens");
    if (added != doc.end() && added->is_array()) {
        for (const auto& token : *added) {
            const auto id = token.find("id");
            const auto content = token.find("content");
            if (id != token.end() && id->is_number_integer() && content != token.end() &&
                content->is_string()) {
                by_id.emplace(id->get<std::int64_t>(), content->get<std::string>());
            }
        }
    }
    std::vector<std::string> tokens;
    tokens.reserve(by_id.size());
    for (const auto& [id, token] : by_id) {
        if (id != static_cast<std::int64_t>(tokens.size())) {
            r.fail("model.vocab", "ids must run from 0 without gaps; id " +
                                      std::to_string(tokens.size()) + " is missing");
        }
        tokens.push_back(token);
    }
    if (tokens.empty()) {
        r.fail("model.vocab", "the vocabulary is empty");
    }
    return Vocab(std::move(tokens));
}

void read_model(const json& model, TokenizerConfig& config, const Reader& r) {
    const std::string type = r.type_of(model, "model");
    if (type != "WordPiece") {
        r.fail("model.type",
               "a " + type + " tokenizer is not supported; BERT-family models use WordPiece");
    }
    config.special_tokens.unk = r.string(model, "unk_token", "model.unk_token");
    const auto prefix = model.find("continuing_subword_prefix");
    if (prefix != model.end() && !prefix->is_null() && *prefix != "##") {
        r.fail("model.continuing_subword_prefix", "only the \"##\" prefix is supported");
    }
    const auto max_chars = model.find("max_input_chars_per_word");
    if (max_chars != model.end() && !max_chars->is_null() && *max_chars != 100) {
        r.fail("model.max_input_chars_per_word", "only BERT's limit of 100 is supported");
    }
}

void read_normalizer(const json& doc, TokenizerConfig& config, const Reader& r) {
    const auto it = doc.find("normalizer");
    if (it == doc.end() || it->is_null()) {
        r.fail("normalizer", "missing; BERT-family tokenizers use a BertNormalizer");
    }
    if (r.type_of(*it, "normalizer") != "BertNormalizer") {
        r.fail("normalizer.type", "only BertNormalizer is supported");
    }
    const auto flag = [&](const char* name, bool fallback) {
        const auto value = it->find(name);
        if (value == it->end() || value->is_null()) {
            return fallback;
        }
        if (!value->is_boolean()) {
            r.fail(std::string("normalizer.") + name, "expected true or false");
        }
        return value->get<bool>();
    };
    if (!flag("clean_text", true)) {
        r.fail("normalizer.clean_text", "clean_text=false is not supported");
    }
    config.options.lowercase = flag("lowercase", true);
    config.options.tokenize_chinese_chars = flag("handle_chinese_chars", true);
    const auto strip = it->find("strip_accents");
    config.options.strip_accents =
        strip == it->end() || strip->is_null() ? -1 : (flag("strip_accents", false) ? 1 : 0);
}

void read_pre_tokenizer(const json& doc, const Reader& r) {
    const auto it = doc.find("pre_tokenizer");
    if (it == doc.end() || it->is_null() || r.type_of(*it, "pre_tokenizer") != "BertPreTokenizer") {
        r.fail("pre_tokenizer", "only BertPreTokenizer is supported");
    }
}

// [CLS]/[SEP] names from BertProcessing {"cls": [name, id], "sep": [name, id]} or from the
// first and last SpecialToken of TemplateProcessing's "single" template.
void read_post_processor(const json& doc, TokenizerConfig& config, const Reader& r) {
    const auto it = doc.find("post_processor");
    if (it == doc.end() || it->is_null()) {
        return;
    }
    const std::string type = r.type_of(*it, "post_processor");
    if (type == "BertProcessing") {
        for (const auto& [name, target] :
             {std::pair<const char*, std::string*>{"cls", &config.special_tokens.cls},
              {"sep", &config.special_tokens.sep}}) {
            const auto pair = it->find(name);
            if (pair == it->end() || !pair->is_array() || pair->empty() ||
                !(*pair)[0].is_string()) {
                r.fail(std::string("post_processor.") + name, "expected [token, id]");
            }
            *target = (*pair)[0].get<std::string>();
        }
        return;
    }
    if (type != "TemplateProcessing") {
        r.fail("post_processor.type", "only BertProcessing and TemplateProcessing are supported");
    }
    const auto single = it->find("single");
    std::vector<std::string> specials;
    bool sequence_seen = false;
    if (single != it->end() && single->is_array()) {
        for (const auto& piece : *single) {
            if (piece.contains("SpecialToken")) {
                specials.push_back(piece["SpecialToken"].value("id", std::string()));
            } else if (piece.contains("Sequence")) {
                sequence_seen = true;
                if (specials.size() != 1) {
                    break;
                }
            }
        }
    }
    if (!sequence_seen || specials.size() != 2 || specials[0].empty() || specials[1].empty()) {
        r.fail("post_processor.single", "expected the template \"[CLS] $A [SEP]\"");
    }
    config.special_tokens.cls = specials[0];
    config.special_tokens.sep = specials[1];
}

}  // namespace

std::vector<AddedToken> read_added_tokens(const json& doc, const std::string& path) {
    std::vector<AddedToken> out;
    const auto added = doc.find("added_tokens");
    if (added == doc.end() || added->is_null()) {
        return out;
    }
    const Reader r(path);
    if (!added->is_array()) {
        r.fail("added_tokens", "expected an array");
    }
    for (std::size_t i = 0; i < added->size(); ++i) {
        const json& entry = (*added)[i];
        const std::string key = "added_tokens[" + std::to_string(i) + "]";
        if (!entry.is_object()) {
            r.fail(key, "expected an object");
        }
        AddedToken token;
        token.content = r.string(entry, "content", key + ".content");
        const auto id = entry.find("id");
        if (id == entry.end() || !id->is_number_integer() || id->get<std::int64_t>() < 0) {
            r.fail(key + ".id", "expected a non-negative integer");
        }
        token.id = id->get<std::int64_t>();
        token.special = entry.value("special", false);
        token.lstrip = entry.value("lstrip", false);
        token.rstrip = entry.value("rstrip", false);
        token.single_word = entry.value("single_word", false);
        out.push_back(std::move(token));
    }
    return out;
}

TokenizerJson read_tokenizer_json(const std::string& path) {
    const json doc = read_json_file(path);
    const Reader r(path);
    TokenizerJson out;
    const json& model = r.object(doc, "model", "model");
    read_model(model, out.config, r);
    read_normalizer(doc, out.config, r);
    read_pre_tokenizer(doc, r);
    read_post_processor(doc, out.config, r);
    const auto padding = doc.find("padding");
    if (padding != doc.end() && padding->is_object() && padding->contains("pad_token")) {
        out.config.special_tokens.pad = r.string(*padding, "pad_token", "padding.pad_token");
    }
    const auto truncation = doc.find("truncation");
    if (truncation != doc.end() && truncation->is_object()) {
        const auto max_length = truncation->find("max_length");
        if (max_length != truncation->end() && max_length->is_number_unsigned()) {
            out.config.model_max_length = max_length->get<std::int64_t>();
        }
    }
    out.vocab = read_vocab(doc, model, r);
    out.added_tokens = read_added_tokens(doc, path);
    return out;
}

}  // namespace tb::text
