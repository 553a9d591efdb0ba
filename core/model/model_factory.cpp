// Writes a random-weight BERT folder that inspect_model_folder and load_weights accept.
#include "model/model_factory.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "model/bert_model.h"
#include "model/model_folder.h"
#include "model/weight_loading.h"

namespace tb::model {
namespace {

namespace fs = std::filesystem;

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out)
        throw Error("cannot write file", SourceLocation{path.string(), 0, 0, {}});
}

void check_vocab(const std::string& dir, const BertConfig& config,
                 const std::vector<std::string>& tokens) {
    SourceLocation where{dir, 0, 0, "vocab"};
    if (static_cast<std::int64_t>(tokens.size()) != config.vocab_size)
        throw Error("the vocabulary has " + std::to_string(tokens.size()) +
                        " tokens but vocab_size is " + std::to_string(config.vocab_size),
                    where);
    std::set<std::string> seen;
    for (const auto& token : tokens) {
        if (token.empty() || token.find_first_of("\r\n") != std::string::npos)
            throw Error("vocabulary tokens must be non-empty single-line strings", where);
        if (!seen.insert(token).second)
            throw Error("token '" + token + "' appears twice in the vocabulary", where);
    }
    for (const char* special : {"[UNK]", "[CLS]", "[SEP]", "[PAD]"})
        if (!seen.count(special))
            throw Error(std::string("the vocabulary lacks ") + special, where);
    if (tokens[static_cast<std::size_t>(config.pad_token_id)] != "[PAD]")
        throw Error("pad_token_id " + std::to_string(config.pad_token_id) + " is not [PAD]", where);
}

std::string tokenizer_config_json(const BertConfig& config, bool lowercase) {
    nlohmann::ordered_json j;
    j["tokenizer_class"] = "BertTokenizer";
    j["do_lower_case"] = lowercase;
    j["model_max_length"] = config.max_position_embeddings;
    j["unk_token"] = "[UNK]";
    j["sep_token"] = "[SEP]";
    j["pad_token"] = "[PAD]";
    j["cls_token"] = "[CLS]";
    j["mask_token"] = "[MASK]";
    j["tokenize_chinese_chars"] = true;
    j["strip_accents"] = nullptr;
    return j.dump(2) + "\n";
}

}  // namespace

void create_random_bert_folder(const std::string& dir, const BertConfig& config,
                               const std::vector<std::string>& vocab_tokens, std::uint64_t seed,
                               bool lowercase) {
    std::error_code ec;
    const fs::path target(dir);
    if (fs::exists(target, ec) && (!fs::is_directory(target, ec) || !fs::is_empty(target, ec)))
        throw Error(
            "refusing to create a model here: the path exists and is not an empty "
            "folder (nothing is overwritten)",
            SourceLocation{dir, 0, 0, {}});
    // Round-trip the config through the parser so an invalid one fails before anything is written.
    const std::string config_json = to_config_json(config);
    parse_bert_config(config_json, dir + "/config.json");
    check_vocab(dir, config, vocab_tokens);

    fs::path parent = target.parent_path();
    if (!parent.empty())
        fs::create_directories(parent, ec);
    const fs::path tmp = target.string() + ".tmp-" + std::to_string(::getpid());
    fs::remove_all(tmp, ec);
    try {
        fs::create_directories(tmp);
        write_text(tmp / "config.json", config_json);
        std::string vocab;
        for (const auto& token : vocab_tokens)
            vocab += token + "\n";
        write_text(tmp / "vocab.txt", vocab);
        write_text(tmp / "tokenizer_config.json", tokenizer_config_json(config, lowercase));

        torch::manual_seed(seed);
        BertModel model(config);
        init_bert_weights(*model, config.initializer_range);
        // Recorded in the weights themselves so every view of the folder can say it is not
        // pretrained (see ModelFolderInfo::notes).
        save_module_safetensors(
            *model, (tmp / "model.safetensors").string(), /*strip_prefix=*/"",
            {{kRandomInitMetadataKey, "normal(0, " + std::to_string(config.initializer_range) +
                                          "), seed " + std::to_string(seed)}});

        // rename(2) replaces an empty directory, so an existing empty `dir` is fine too.
        fs::rename(tmp, target);
    } catch (const fs::filesystem_error& e) {
        fs::remove_all(tmp, ec);
        throw Error(std::string("cannot create the model folder: ") + e.code().message(),
                    SourceLocation{dir, 0, 0, {}});
    } catch (...) {
        fs::remove_all(tmp, ec);
        throw;
    }
}

}  // namespace tb::model
