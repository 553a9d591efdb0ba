// Reading a tokenizer.json "post_processor" into a PostProcessor template.
#include "text/post_processor.h"

#include "common/error.h"

namespace tb::text {

namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& path, const std::string& key,
                       const std::string& message) {
    SourceLocation where;
    where.file = path;
    where.key = key;
    throw Error(message, where);
}

// Template pieces of TemplateProcessing's "single" / "pair".
std::vector<TemplatePiece> read_template(const json& processor, const char* name,
                                         const std::string& path,
                                         const std::vector<std::string>& tokens) {
    std::vector<TemplatePiece> out;
    const std::string key = std::string("post_processor.") + name;
    const auto it = processor.find(name);
    if (it == processor.end() || !it->is_array()) {
        fail(path, key, "expected an array of template pieces");
    }
    const json specials = processor.value("special_tokens", json::object());
    for (const auto& piece : *it) {
        if (piece.contains("Sequence")) {
            const json& seq = piece["Sequence"];
            out.push_back(
                {seq.value("id", std::string("A")) == "B" ? 1 : 0, -1, seq.value("type_id", 0)});
        } else if (piece.contains("SpecialToken")) {
            const json& special = piece["SpecialToken"];
            const std::string name_of = special.value("id", std::string());
            const auto def = specials.find(name_of);
            if (def == specials.end() || !def->contains("ids") || !(*def)["ids"].is_array()) {
                fail(path, key, "special token \"" + name_of + "\" is not in special_tokens");
            }
            for (const auto& id : (*def)["ids"]) {
                if (!id.is_number_integer() || id.get<std::int64_t>() < 0 ||
                    id.get<std::uint64_t>() >= tokens.size()) {
                    fail(path, key, "special token \"" + name_of + "\" has an unknown id");
                }
                out.push_back({-1, id.get<std::int64_t>(), special.value("type_id", 0)});
            }
        } else {
            fail(path, key, "expected {\"Sequence\": ...} or {\"SpecialToken\": ...}");
        }
    }
    return out;
}

std::int64_t pair_id(const json& processor, const char* name, const std::string& path) {
    const auto it = processor.find(name);
    if (it == processor.end() || !it->is_array() || it->size() != 2 ||
        !(*it)[1].is_number_integer()) {
        fail(path, std::string("post_processor.") + name, "expected [token, id]");
    }
    return (*it)[1].get<std::int64_t>();
}

}  // namespace

void read_post_processor_json(const json& processor, const std::vector<std::string>& tokens,
                              const std::string& path, PostProcessor& post) {
    const std::string type = processor.value("type", std::string());
    if (type == "RobertaProcessing") {
        post = PostProcessor::roberta(pair_id(processor, "cls", path),
                                      pair_id(processor, "sep", path));
        post.trim_offsets = processor.value("trim_offsets", true);
        post.add_prefix_space = processor.value("add_prefix_space", true);
    } else if (type == "BertProcessing") {
        post =
            PostProcessor::bert(pair_id(processor, "cls", path), pair_id(processor, "sep", path));
    } else if (type == "ByteLevel") {
        post.trim_offsets = processor.value("trim_offsets", true);
        post.add_prefix_space = processor.value("add_prefix_space", true);
    } else if (type == "TemplateProcessing") {
        post.single = read_template(processor, "single", path, tokens);
        post.pair = read_template(processor, "pair", path, tokens);
    } else if (type == "Sequence") {
        const auto inner = processor.find("processors");
        if (inner == processor.end() || !inner->is_array()) {
            fail(path, "post_processor.processors", "expected an array");
        }
        for (std::size_t i = 0; i < inner->size(); ++i) {
            read_post_processor_json((*inner)[i], tokens, path, post);
        }
    } else {
        fail(path, "post_processor.type",
             "post-processor \"" + type +
                 "\" is not supported (supported: RobertaProcessing, BertProcessing, "
                 "TemplateProcessing, ByteLevel, Sequence)");
    }
}

}  // namespace tb::text
