// Finds and checks the files of a Hugging Face BERT folder, with messages that say what to do.
#include "model/model_folder.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "model/encoder_config.h"
#include "model/safetensors.h"

namespace tb::model {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

[[noreturn]] void fail(const std::string& file, const std::string& message,
                       const std::string& key = {}) {
    SourceLocation where;
    where.file = file;
    where.key = key;
    throw Error(message, where);
}

bool is_file(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

json read_json(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        fail(path.string(), "cannot open file");
    std::ostringstream text;
    text << in.rdbuf();
    try {
        return json::parse(text.str());
    } catch (const json::exception& e) {
        fail(path.string(), std::string("not valid JSON: ") + e.what());
    }
}

// A hub-cache repository folder (models--org--name) holds refs/ and snapshots/<commit>/;
// the model files live in the snapshot refs/main names.
fs::path resolve_hub_snapshot(const fs::path& dir, std::vector<std::string>& notes) {
    const fs::path snapshots = dir / "snapshots";
    std::error_code ec;
    if (!fs::is_directory(snapshots, ec))
        return dir;

    std::ifstream ref(dir / "refs" / "main");
    std::string commit;
    if (ref && std::getline(ref, commit) && !commit.empty() &&
        fs::is_directory(snapshots / commit, ec)) {
        notes.push_back("hub cache folder: using snapshot " + commit + " (refs/main)");
        return snapshots / commit;
    }
    std::vector<fs::path> found;
    for (const auto& entry : fs::directory_iterator(snapshots, ec))
        if (entry.is_directory())
            found.push_back(entry.path());
    if (found.size() == 1) {
        notes.push_back("hub cache folder: using its only snapshot " +
                        found.front().filename().string());
        return found.front();
    }
    if (found.empty())
        fail(dir.string(), "this hub cache folder has no snapshot; download the model again");
    std::string names;
    for (const auto& p : found)
        names += "\n  " + p.string();
    fail(dir.string(),
         "this hub cache folder has several snapshots and no refs/main; choose one of:" + names);
}

[[noreturn]] void refuse_pickle(const fs::path& dir, const std::string& file) {
    fail((dir / file).string(),
         "only " + file +
             " was found, and tunebench does not load pickle files: pickle files can execute "
             "arbitrary code when loaded. Convert the weights to safetensors once, in Python: "
             "`import torch; from safetensors.torch import save_file; "
             "save_file(torch.load('" +
             file +
             "'), 'model.safetensors', metadata={'format': 'pt'})`, or with transformers: "
             "`model.save_pretrained(dir, safe_serialization=True)`. Then point tunebench at "
             "the folder holding model.safetensors.");
}

std::int64_t count_parameters(const SafetensorsFile& file) {
    std::int64_t total = 0;
    for (const auto& e : file.entries()) {
        std::int64_t n = 1;
        for (auto d : e.shape)
            n *= d;
        total += n;
    }
    return total;
}

// Collects the shard files of a sharded checkpoint and checks the index against them.
void add_sharded_weights(const fs::path& dir, const fs::path& index_path, ModelFolderInfo& info) {
    json index = read_json(index_path);
    auto map_it = index.find("weight_map");
    if (map_it == index.end() || !map_it->is_object())
        fail(index_path.string(), "index has no 'weight_map' object", "weight_map");
    std::map<std::string, std::vector<std::string>> names_by_shard;
    for (auto it = map_it->begin(); it != map_it->end(); ++it) {
        if (!it->is_string())
            fail(index_path.string(), "shard name must be a string", it.key());
        names_by_shard[it->get<std::string>()].push_back(it.key());
    }
    for (const auto& [shard, names] : names_by_shard) {
        const fs::path shard_path = dir / shard;
        if (!is_file(shard_path))
            fail(index_path.string(), "shard '" + shard + "' named by the index is missing",
                 names.front());
        SafetensorsFile file = SafetensorsFile::open(shard_path.string());
        for (const auto& name : names)
            if (!file.find(name))
                fail(shard_path.string(), "the index places this tensor here, but it is absent",
                     name);
        info.weight_files.push_back(shard_path.string());
        info.parameter_count += count_parameters(file);
        info.weights_bytes += static_cast<std::int64_t>(fs::file_size(shard_path));
    }
}

void read_tokenizer_settings(ModelFolderInfo& info) {
    bool lowercase_known = false;
    if (!info.tokenizer_config_path.empty()) {
        json tc = read_json(info.tokenizer_config_path);
        if (tc.is_object()) {
            auto lc = tc.find("do_lower_case");
            if (lc != tc.end() && lc->is_boolean()) {
                info.do_lower_case = lc->get<bool>();
                lowercase_known = true;
            }
            // HF writes a huge float for "no limit"; only a real integer is a limit.
            auto ml = tc.find("model_max_length");
            if (ml != tc.end() && ml->is_number_integer() && ml->get<std::int64_t>() > 0)
                info.model_max_length = ml->get<std::int64_t>();
        }
    }
    if (!lowercase_known && !info.tokenizer_json_path.empty()) {
        json tj = read_json(info.tokenizer_json_path);
        const json* normalizer =
            tj.is_object() && tj.contains("normalizer") ? &tj["normalizer"] : nullptr;
        if (normalizer && normalizer->is_object() && normalizer->contains("lowercase") &&
            (*normalizer)["lowercase"].is_boolean()) {
            info.do_lower_case = (*normalizer)["lowercase"].get<bool>();
            lowercase_known = true;
        }
    }
    if (!lowercase_known)
        info.notes.push_back(info.tokenizer_config_path.empty()
                                 ? "no tokenizer_config.json: lowercase assumed"
                                 : "tokenizer_config.json does not say do_lower_case: "
                                   "lowercase assumed");
    const std::int64_t limit = max_input_length(info.config);
    if (info.model_max_length == 0)
        info.model_max_length = limit;
    if (info.model_max_length > limit) {
        info.notes.push_back("model_max_length " + std::to_string(info.model_max_length) +
                             " exceeds what max_position_embeddings allows; using " +
                             std::to_string(limit));
        info.model_max_length = limit;
    }
}

}  // namespace

ModelFolderInfo inspect_model_folder(const std::string& dir_text) {
    ModelFolderInfo info;
    std::error_code ec;
    fs::path dir(dir_text);
    if (!fs::exists(dir, ec))
        fail(dir_text, "model folder does not exist");
    if (!fs::is_directory(dir, ec))
        fail(dir_text, "not a folder: choose the folder that holds config.json, not a file in it");
    dir = resolve_hub_snapshot(dir, info.notes);
    info.path = dir.string();

    const fs::path config = dir / "config.json";
    if (!is_file(config))
        fail(info.path,
             "no config.json here: this is not a Hugging Face model folder. Choose the folder "
             "that holds config.json, model.safetensors and vocab.txt (in the hub cache: "
             "~/.cache/huggingface/hub/models--<org>--<name>/snapshots/<commit>/)");
    info.config_path = config.string();
    info.config = load_encoder_config(info.config_path);

    const fs::path single = dir / "model.safetensors";
    const fs::path index = dir / "model.safetensors.index.json";
    if (is_file(single)) {
        info.weights_path = single.string();
        SafetensorsFile file = SafetensorsFile::open(info.weights_path);
        info.weight_files.push_back(info.weights_path);
        info.parameter_count = count_parameters(file);
        info.weights_bytes = static_cast<std::int64_t>(fs::file_size(single));
        const auto init = file.metadata().find(kRandomInitMetadataKey);
        if (init != file.metadata().end())
            info.notes.push_back("randomly initialised weights, NOT pretrained (" + init->second +
                                 ")");
    } else if (is_file(index)) {
        info.weights_path = index.string();
        add_sharded_weights(dir, index, info);
    } else if (is_file(dir / "pytorch_model.bin")) {
        refuse_pickle(dir, "pytorch_model.bin");
    } else if (is_file(dir / "pytorch_model.bin.index.json")) {
        refuse_pickle(dir, "pytorch_model.bin.index.json");
    } else if (is_file(dir / "tf_model.h5") || is_file(dir / "flax_model.msgpack")) {
        fail(info.path,
             "only TensorFlow/Flax weights were found; tunebench loads model.safetensors. Convert "
             "once with transformers: `BertModel.from_pretrained(dir, from_tf=True)"
             ".save_pretrained(dir, safe_serialization=True)` (from_flax=True for Flax)");
    } else {
        fail(info.path,
             "no model.safetensors (or model.safetensors.index.json) in the folder: the weights "
             "are missing. Copy them next to config.json");
    }
    if (is_file(dir / "pytorch_model.bin"))
        info.notes.push_back("pytorch_model.bin ignored: model.safetensors is used instead");

    const fs::path vocab = dir / "vocab.txt";
    const fs::path tokenizer_json = dir / "tokenizer.json";
    const fs::path tokenizer_config = dir / "tokenizer_config.json";
    if (is_file(vocab))
        info.vocab_path = vocab.string();
    if (is_file(tokenizer_json))
        info.tokenizer_json_path = tokenizer_json.string();
    if (is_file(tokenizer_config))
        info.tokenizer_config_path = tokenizer_config.string();
    if (is_file(dir / "vocab.json") && is_file(dir / "merges.txt")) {
        info.vocab_json_path = (dir / "vocab.json").string();
        info.merges_path = (dir / "merges.txt").string();
    }
    if (is_file(dir / "sentencepiece.bpe.model"))
        info.sentencepiece_path = (dir / "sentencepiece.bpe.model").string();
    if (info.vocab_path.empty() && info.tokenizer_json_path.empty() &&
        info.vocab_json_path.empty() && info.sentencepiece_path.empty())
        fail(info.path,
             "no vocab.txt, tokenizer.json or vocab.json + merges.txt in the folder: the "
             "tokenizer vocabulary is missing. Copy the tokenizer files from the model's "
             "original download next to config.json");
    read_tokenizer_settings(info);
    return info;
}

}  // namespace tb::model
