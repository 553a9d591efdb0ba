// Reading byte-level BPE tokenizers from model folders: vocab.json + merges.txt (+
// tokenizer_config.json / special_tokens_map.json), or tokenizer.json.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "common/error.h"
#include "text/bpe_tokenizer.h"
#include "text/json_file.h"
#include "text/post_processor.h"
#include "text/tokenizer_json.h"

namespace tb::text {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

[[noreturn]] void fail(const std::string& path, const std::string& key,
                       const std::string& message) {
    SourceLocation where;
    where.file = path;
    where.key = key;
    throw Error(message, where);
}

// id -> token from a {token: id} object; ids must run from 0 without gaps.
std::vector<std::string> read_vocab_object(const json& vocab, const std::string& path,
                                           const std::string& key) {
    if (!vocab.is_object()) {
        fail(path, key, "expected an object mapping each token to its id");
    }
    std::vector<std::string> tokens(vocab.size());
    std::vector<bool> seen(vocab.size(), false);
    for (const auto& [token, id] : vocab.items()) {
        if (!id.is_number_integer() || id.get<std::int64_t>() < 0 ||
            id.get<std::uint64_t>() >= tokens.size()) {
            fail(path, key,
                 "the id of \"" + token + "\" is not an integer in [0, " +
                     std::to_string(tokens.size()) + ")");
        }
        const auto i = id.get<std::size_t>();
        if (seen[i]) {
            fail(path, key, "id " + std::to_string(i) + " is used twice");
        }
        seen[i] = true;
        tokens[i] = token;
    }
    return tokens;
}

// Adds the added tokens whose ids lie beyond the vocabulary (ids must continue it).
void extend_with_added(std::vector<std::string>& tokens, const std::vector<AddedToken>& added,
                       const std::string& path) {
    std::map<std::int64_t, std::string> beyond;
    for (const auto& token : added) {
        if (token.id >= static_cast<std::int64_t>(tokens.size())) {
            beyond.emplace(token.id, token.content);
        }
    }
    for (const auto& [id, content] : beyond) {
        if (id != static_cast<std::int64_t>(tokens.size())) {
            fail(path, "added_tokens",
                 "added token ids must continue the vocabulary; id " +
                     std::to_string(tokens.size()) + " is missing");
        }
        tokens.push_back(content);
    }
}

std::vector<std::pair<std::string, std::string>> read_merges_txt(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        fail(path, "", "cannot open merges.txt (check that it exists and is readable)");
    }
    std::vector<std::pair<std::string, std::string>> merges;
    std::string line;
    long number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (line.empty() || (number == 1 && line.rfind("#version", 0) == 0)) {
            continue;
        }
        const auto space = line.find(' ');
        if (space == std::string::npos || space == 0 || space + 1 >= line.size() ||
            line.find(' ', space + 1) != std::string::npos) {
            SourceLocation where;
            where.file = path;
            where.line = number;
            throw Error(
                "expected two tokens separated by one space (\"a b\"), found \"" + line + "\"",
                where);
        }
        merges.emplace_back(line.substr(0, space), line.substr(space + 1));
    }
    return merges;
}

// A special token in tokenizer_config.json / special_tokens_map.json: "<s>" or an AddedToken
// object {"content": "<mask>", "lstrip": true, ...}.
bool read_special(const json& doc, const char* key, AddedToken& token) {
    const auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) {
        return false;
    }
    if (it->is_string()) {
        token.content = it->get<std::string>();
        return true;
    }
    if (it->is_object() && it->contains("content") && (*it)["content"].is_string()) {
        token.content = (*it)["content"].get<std::string>();
        token.lstrip = it->value("lstrip", false);
        token.rstrip = it->value("rstrip", false);
        token.single_word = it->value("single_word", false);
        return true;
    }
    return false;
}

std::int64_t max_length_of(const json& doc) {
    const auto it = doc.find("model_max_length");
    if (it == doc.end() || !it->is_number()) {
        return 0;
    }
    const double value = it->get<double>();
    return value >= 1 && value < 1e15 ? static_cast<std::int64_t>(value) : 0;
}

// tokenizer_config.json keys shared by both layouts: model_max_length, special token names.
void read_config_specials(const json& config, BpeSpec& spec) {
    spec.model_max_length = max_length_of(config);
    AddedToken t;
    if (read_special(config, "pad_token", t))
        spec.pad = t.content;
    if (read_special(config, "cls_token", t))
        spec.cls = t.content;
    if (read_special(config, "sep_token", t))
        spec.sep = t.content;
    if (read_special(config, "mask_token", t))
        spec.mask = t.content;
    if (read_special(config, "unk_token", t) && spec.unk.empty())
        spec.unk = t.content;
}

std::string present(const std::vector<std::string>& tokens, const std::string& token) {
    for (const auto& t : tokens) {
        if (t == token) {
            return token;
        }
    }
    return {};
}

}  // namespace

BpeTokenizer BpeTokenizer::from_vocab_merges(const std::string& model_dir) {
    const fs::path dir(model_dir);
    const std::string vocab_path = (dir / "vocab.json").string();
    const std::string merges_path = (dir / "merges.txt").string();
    BpeSpec spec;
    spec.tokens = read_vocab_object(read_json_file(vocab_path), vocab_path, "");
    spec.merges = read_merges_txt(merges_path);
    spec.merges_source = merges_path;

    // special_tokens_map.json, then tokenizer_config.json on top (transformers' order).
    json config = json::object();
    for (const char* name : {"special_tokens_map.json", "tokenizer_config.json"}) {
        const fs::path file = dir / name;
        std::error_code ec;
        if (fs::exists(file, ec)) {
            const json part = read_json_file(file.string());
            for (const auto& [key, value] : part.items()) {
                config[key] = value;
            }
        }
    }
    const std::string tokenizer_class = config.value("tokenizer_class", std::string());
    const bool gpt2 = tokenizer_class.rfind("GPT2", 0) == 0;
    spec.add_prefix_space = config.value("add_prefix_space", false);
    // Defaults: RoBERTa's names where the vocabulary has them.
    spec.cls = present(spec.tokens, "<s>");
    spec.sep = present(spec.tokens, "</s>");
    spec.pad = present(spec.tokens, "<pad>");
    spec.mask = present(spec.tokens, "<mask>");
    spec.unk = present(spec.tokens, "<unk>");
    read_config_specials(config, spec);
    const std::int64_t vocab_count = static_cast<std::int64_t>(spec.tokens.size());
    auto id_of = [&](const std::string& token) -> std::int64_t {
        for (std::int64_t i = 0; i < vocab_count; ++i) {
            if (spec.tokens[static_cast<std::size_t>(i)] == token) {
                return i;
            }
        }
        return -1;
    };
    const bool roberta = !gpt2 && !spec.cls.empty() && !spec.sep.empty() && id_of(spec.cls) >= 0 &&
                         id_of(spec.sep) >= 0;
    if (roberta) {
        spec.post = PostProcessor::roberta(id_of(spec.cls), id_of(spec.sep));
    } else {
        spec.post = PostProcessor::none();
    }
    // transformers' converters: RobertaProcessing trims offsets by default, GPT-2's ByteLevel
    // post-processor does not.
    spec.post.trim_offsets = config.value("trim_offsets", !gpt2);
    spec.post.add_prefix_space = spec.add_prefix_space;

    // Every named special token the vocabulary has is an added (special) token.
    auto add_special = [&](const AddedToken& token) {
        AddedToken t = token;
        t.id = id_of(t.content);
        t.special = true;
        if (t.id >= 0) {
            spec.added_tokens.push_back(t);
        }
    };
    for (const char* key : {"bos_token", "eos_token", "unk_token", "sep_token", "pad_token",
                            "cls_token", "mask_token"}) {
        AddedToken t;
        if (read_special(config, key, t)) {
            // transformers' RobertaTokenizer always strips spaces left of <mask>.
            t.lstrip = t.lstrip || (roberta && std::string(key) == "mask_token");
            add_special(t);
        }
    }
    if (roberta && config.find("mask_token") == config.end() && !spec.mask.empty()) {
        AddedToken t;
        t.content = spec.mask;
        t.lstrip = true;
        add_special(t);
    }
    for (const char* name : {"<s>", "</s>", "<unk>", "<pad>"}) {
        if (roberta && config.find("bos_token") == config.end() &&
            !present(spec.tokens, name).empty()) {
            AddedToken t;
            t.content = name;
            add_special(t);
        }
    }
    const auto extras = config.find("additional_special_tokens");
    if (extras != config.end() && extras->is_array()) {
        for (std::size_t i = 0; i < extras->size(); ++i) {
            AddedToken t;
            json wrapper = json::object();
            wrapper["token"] = (*extras)[i];
            if (read_special(wrapper, "token", t)) {
                add_special(t);
            }
        }
    }
    return BpeTokenizer(std::move(spec));
}

BpeTokenizer BpeTokenizer::from_tokenizer_json(const std::string& path) {
    const json doc = read_json_file(path);
    const auto model_it = doc.find("model");
    if (model_it == doc.end() || !model_it->is_object()) {
        fail(path, "model", "expected an object");
    }
    const json& model = *model_it;
    if (model.value("type", std::string()) != "BPE") {
        fail(path, "model.type", "expected a BPE model");
    }
    auto null_or = [&](const char* key, auto accept) {
        const auto it = model.find(key);
        return it == model.end() || it->is_null() || accept(*it);
    };
    if (!null_or("dropout", [](const json&) { return false; })) {
        fail(path, "model.dropout", "BPE dropout is a training-time option; set it to null");
    }
    for (const char* key : {"continuing_subword_prefix", "end_of_word_suffix"}) {
        if (!null_or(key,
                     [](const json& v) { return v.is_string() && v.get<std::string>().empty(); })) {
            fail(path, std::string("model.") + key,
                 "not supported: only byte-level BPE (GPT-2, RoBERTa) is, which has none");
        }
    }
    if (!null_or("byte_fallback", [](const json& v) { return v.is_boolean() && !v.get<bool>(); })) {
        fail(path, "model.byte_fallback",
             "byte_fallback BPE (SentencePiece-style models such as Llama) is not supported yet");
    }
    const auto normalizer = doc.find("normalizer");
    if (normalizer != doc.end() && !normalizer->is_null()) {
        fail(path, "normalizer.type",
             "normalizer \"" + normalizer->value("type", std::string("?")) +
                 "\" is not supported with BPE; byte-level BPE models (GPT-2, RoBERTa) have none");
    }
    const auto pre = doc.find("pre_tokenizer");
    if (pre == doc.end() || !pre->is_object() || pre->value("type", std::string()) != "ByteLevel") {
        fail(path, "pre_tokenizer",
             "only the ByteLevel pre-tokenizer (GPT-2, RoBERTa) is supported with BPE; found " +
                 (pre == doc.end() || pre->is_null() ? std::string("none")
                                                     : pre->value("type", std::string("?"))));
    }

    BpeSpec spec;
    spec.tokens = read_vocab_object(model.value("vocab", json()), path, "model.vocab");
    const auto added = read_added_tokens(doc, path);
    extend_with_added(spec.tokens, added, path);
    spec.added_tokens = added;
    spec.merges_source = path;
    const auto merges = model.find("merges");
    if (merges == model.end() || !merges->is_array()) {
        fail(path, "model.merges", "expected an array of merges");
    }
    for (const auto& merge : *merges) {
        if (merge.is_string()) {
            const std::string line = merge.get<std::string>();
            const auto space = line.find(' ');
            if (space == std::string::npos) {
                fail(path, "model.merges", "merge \"" + line + "\" is not \"a b\"");
            }
            spec.merges.emplace_back(line.substr(0, space), line.substr(space + 1));
        } else if (merge.is_array() && merge.size() == 2 && merge[0].is_string() &&
                   merge[1].is_string()) {
            spec.merges.emplace_back(merge[0].get<std::string>(), merge[1].get<std::string>());
        } else {
            fail(path, "model.merges", "expected \"a b\" or [\"a\", \"b\"] entries");
        }
    }
    spec.add_prefix_space = pre->value("add_prefix_space", false);
    spec.use_regex = pre->value("use_regex", true);
    spec.ignore_merges = model.value("ignore_merges", false);
    spec.fuse_unk = model.value("fuse_unk", false);
    if (model.contains("unk_token") && model["unk_token"].is_string()) {
        spec.unk = model["unk_token"].get<std::string>();
    }
    spec.post = PostProcessor::none();
    const auto post = doc.find("post_processor");
    if (post != doc.end() && !post->is_null()) {
        read_post_processor_json(*post, spec.tokens, path, spec.post);
    }
    // Special token names: the post-processor's cls/sep, else tokenizer_config.json beside.
    auto name_of = [&](std::int64_t id) {
        return id >= 0 && id < static_cast<std::int64_t>(spec.tokens.size())
                   ? spec.tokens[static_cast<std::size_t>(id)]
                   : std::string();
    };
    for (const auto& piece : spec.post.single) {
        if (piece.sequence < 0 && spec.cls.empty()) {
            spec.cls = name_of(piece.id);
        } else if (piece.sequence < 0) {
            spec.sep = name_of(piece.id);
        }
    }
    spec.pad = present(spec.tokens, "<pad>");
    spec.mask = present(spec.tokens, "<mask>");
    const auto padding = doc.find("padding");
    if (padding != doc.end() && padding->is_object() && padding->contains("pad_token")) {
        spec.pad = padding->value("pad_token", spec.pad);
    }
    const auto truncation = doc.find("truncation");
    if (truncation != doc.end() && truncation->is_object()) {
        spec.model_max_length = truncation->value("max_length", 0);
    }
    const fs::path config_path = fs::path(path).parent_path() / "tokenizer_config.json";
    std::error_code ec;
    if (fs::exists(config_path, ec)) {
        read_config_specials(read_json_file(config_path.string()), spec);
    }
    return BpeTokenizer(std::move(spec));
}

}  // namespace tb::text
