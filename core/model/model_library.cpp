// Scans folders and the hub cache for model folders and summarises each without loading it.
#include "model/model_library.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "model/encoder_config.h"
#include "model/fasttext_library.h"
#include "model/image_model_config.h"
#include "model/model_folder.h"
#include "model/safetensors.h"
#include "model/torchscript_census.h"

namespace tb::model {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const char* const kTokenizerFiles[] = {"tokenizer.json",
                                       "vocab.txt",
                                       "vocab.json",
                                       "merges.txt",
                                       "sentencepiece.bpe.model",
                                       "spiece.model",
                                       "tokenizer_config.json",
                                       "special_tokens_map.json"};

bool is_file(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

bool is_dir(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p, ec);
}

std::int64_t folder_bytes(const fs::path& dir, int depth) {
    std::int64_t total = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        std::error_code e2;
        if (entry.is_regular_file(e2))  // follows links (hub snapshots link into blobs/)
            total += static_cast<std::int64_t>(entry.file_size(e2));
        else if (depth > 0 && entry.is_directory(e2))
            total += folder_bytes(entry.path(), depth - 1);
    }
    return total;
}

std::int64_t first_int(const json& config, std::initializer_list<const char*> keys) {
    for (const char* key : keys) {
        auto it = config.find(key);
        if (it != config.end() && it->is_number_integer())
            return it->get<std::int64_t>();
    }
    return 0;
}

// Best-effort facts for folders that cannot be loaded (other architectures, missing files).
void fill_from_raw_files(const fs::path& dir, ModelLibraryEntry& e) {
    std::ifstream in(dir / "config.json", std::ios::binary);
    if (in) {
        std::ostringstream text;
        text << in.rdbuf();
        json config = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
        if (config.is_object()) {
            if (config.contains("model_type") && config["model_type"].is_string())
                e.model_type = config["model_type"].get<std::string>();
            if (config.contains("architectures") && config["architectures"].is_array() &&
                !config["architectures"].empty() && config["architectures"][0].is_string())
                e.architecture = config["architectures"][0].get<std::string>();
            e.vocab_size = first_int(config, {"vocab_size"});
            e.hidden_size = first_int(config, {"hidden_size", "dim", "d_model", "n_embd"});
            e.layers =
                first_int(config, {"num_hidden_layers", "n_layers", "num_layers", "n_layer"});
            e.max_positions = first_int(config, {"max_position_embeddings", "n_positions"});
        }
    }
    if (e.parameter_count == 0 && is_file(dir / "model.safetensors")) {
        try {
            // Keep the file alive: a range-for over open(...).entries() would iterate a
            // destroyed temporary.
            const SafetensorsFile file =
                SafetensorsFile::open((dir / "model.safetensors").string());
            for (const auto& t : file.entries()) {
                std::int64_t n = 1;
                for (auto d : t.shape)
                    n *= d;
                e.parameter_count += n;
            }
        } catch (const Error&) {
        }
    }
}

const char* const kLicenseNotRecorded =
    "not recorded with the model: check the licence where it came from";

// A Hugging Face model card (README.md) states the licence in its YAML front matter
// ("license: apache-2.0"); the line is read without a YAML parser (a list gives its first item).
std::string model_card_license(const fs::path& dir) {
    std::ifstream in(dir / "README.md");
    std::string line;
    if (!in || !std::getline(in, line) || line.rfind("---", 0) != 0)
        return kLicenseNotRecorded;
    auto trim = [](std::string text) {
        const auto first = text.find_first_not_of(" \t\r\"'-");
        const auto last = text.find_last_not_of(" \t\r\"'");
        return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
    };
    bool in_list = false;
    while (std::getline(in, line) && line.rfind("---", 0) != 0) {
        if (in_list) {
            const std::string item = trim(line);
            if (!item.empty() && line.find('-') != std::string::npos)
                return item + " (model card)";
            in_list = false;
        }
        if (line.rfind("license:", 0) == 0) {
            const std::string value = trim(line.substr(8));
            if (!value.empty())
                return value + " (model card)";
            in_list = true;
        }
    }
    return kLicenseNotRecorded;
}

// The parameter count of a TorchScript archive, read without running it, and a note saying how
// it was counted, or that it is unknown and why.
void add_torchscript_parameters(const std::string& file, ModelLibraryEntry& e) {
    try {
        const TorchScriptCensus c = census_torchscript(file);
        e.parameter_count = c.parameters;
        e.notes.push_back("parameters: " + std::to_string(c.parameters) + " in " +
                          std::to_string(c.parameter_tensors) +
                          " tensors the module classes declare as parameters (buffers such as "
                          "batch-norm statistics, " +
                          std::to_string(c.buffer_elements) +
                          " values, not counted); read from data.pkl without running the "
                          "file's code");
    } catch (const Error& error) {
        e.parameter_count = 0;
        e.notes.push_back(std::string("parameter count unknown: ") + error.what());
    }
}

// Reads up to `count` bytes at `offset` from the end (offset < 0) or the start.
std::string read_bytes(const fs::path& file, std::int64_t count, bool from_end) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return {};
    in.seekg(0, std::ios::end);
    const std::int64_t size = in.tellg();
    const std::int64_t n = std::min(count, size);
    in.seekg(from_end ? size - n : 0);
    std::string out(static_cast<std::size_t>(n), '\0');
    in.read(out.data(), n);
    out.resize(static_cast<std::size_t>(in.gcount()));
    return out;
}

bool has_extension(const fs::path& file, std::initializer_list<const char*> extensions) {
    std::string ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const char* e : extensions)
        if (ext == e)
            return true;
    return false;
}

// The snapshots of a hub repository folder that the library lists.
std::vector<fs::path> hub_snapshots(const fs::path& repo) {
    std::vector<fs::path> out;
    std::ifstream ref(repo / "refs" / "main");
    std::string commit;
    if (ref && std::getline(ref, commit) && !commit.empty() && is_dir(repo / "snapshots" / commit))
        return {repo / "snapshots" / commit};
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(repo / "snapshots", ec))
        if (entry.is_directory())
            out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    return out;
}

// "models--org--name" -> "org/name"
std::string repo_id_of(const fs::path& repo) {
    std::string name = repo.filename().string().substr(8);
    for (auto pos = name.find("--"); pos != std::string::npos; pos = name.find("--"))
        name.replace(pos, 2, "/");
    return name;
}

bool is_hub_repo(const fs::path& dir) {
    return dir.filename().string().rfind("models--", 0) == 0 && is_dir(dir / "snapshots");
}

struct Collector {
    std::map<std::string, ModelLibraryEntry> by_path;

    void add(const fs::path& dir, const std::string& source, const std::string& repo_id) {
        std::error_code ec;
        fs::path canonical = fs::canonical(dir, ec);
        const std::string key = ec ? dir.string() : canonical.string();
        if (by_path.count(key))
            return;
        ModelLibraryEntry e = describe_model_folder(dir.string());
        e.source = source;
        e.repo_id = repo_id;
        by_path.emplace(key, std::move(e));
    }

    void walk(const fs::path& dir, int depth) {
        if (is_hub_repo(dir)) {
            for (const auto& snap : hub_snapshots(dir))
                add(snap, "hub-cache", repo_id_of(dir));
            return;
        }
        if (is_file(dir / "config.json")) {
            add(dir, "folder", "");
            return;
        }
        std::error_code ec;
        std::vector<fs::path> children;
        for (const auto& entry : fs::directory_iterator(dir, ec)) {
            std::error_code e2;
            const std::string name = entry.path().filename().string();
            if (name.empty() || name[0] == '.')
                continue;
            if (entry.is_directory(e2))
                children.push_back(entry.path());
            else if (is_model_file(entry.path().string()))
                add_file(entry.path());
        }
        if (depth <= 0)
            return;
        std::sort(children.begin(), children.end());
        for (const auto& child : children)
            walk(child, depth - 1);
    }

    void add_file(const fs::path& file) {
        std::error_code ec;
        fs::path canonical = fs::canonical(file, ec);
        const std::string key = ec ? file.string() : canonical.string();
        if (!by_path.count(key))
            by_path.emplace(key, describe_model_file(file.string()));
    }
};

}  // namespace

std::string hub_cache_dir() {
    auto env = [](const char* name) {
        const char* v = std::getenv(name);
        return v && *v ? std::string(v) : std::string();
    };
    if (!env("HF_HUB_CACHE").empty())
        return env("HF_HUB_CACHE");
    if (!env("HF_HOME").empty())
        return (fs::path(env("HF_HOME")) / "hub").string();
    if (!env("XDG_CACHE_HOME").empty())
        return (fs::path(env("XDG_CACHE_HOME")) / "huggingface" / "hub").string();
    return (fs::path(env("HOME")) / ".cache" / "huggingface" / "hub").string();
}

// Image model folders (config.json with a string "architecture"): facts from the config and the
// weights' header; parameter counts leave out batch-norm statistics, as torchvision counts.
static void describe_image_folder(const fs::path& dir, ModelLibraryEntry& e) {
    e.kind = "image";
    e.tasks = "image_classification";
    e.model_type = "image";
    try {
        const ImageModelConfig config = load_image_model_config(dir.string());
        const ImageArchitectureFacts* facts = find_image_architecture(config.architecture);
        e.architecture = config.architecture;
        e.family = facts->display_name;
        e.feature_size = facts->feature_size > 0 ? facts->feature_size : config.feature_size;
        const fs::path weights = dir / config.weights;
        if (!is_file(weights))
            throw Error("the weights file " + config.weights +
                            " named by config.json (\"weights\") is missing",
                        SourceLocation{weights.string(), 0, 0, "weights"});
        if (config.weights_format == "torchscript") {
            e.source_format = "TorchScript";
            e.notes.push_back(
                "TorchScript files contain code: load only files from a source you trust");
            add_torchscript_parameters(weights.string(), e);
        } else {
            e.source_format = config.weights_format + " safetensors";
            const SafetensorsFile file = SafetensorsFile::open(weights.string());
            for (const auto& t : file.entries()) {
                const std::string& n = t.name;
                auto ends = [&n](const std::string& suffix) {
                    return n.size() >= suffix.size() &&
                           n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0;
                };
                if (ends("running_mean") || ends("running_var") || ends("num_batches_tracked"))
                    continue;
                std::int64_t count = 1;
                for (auto d : t.shape)
                    count *= d;
                e.parameter_count += count;
            }
        }
        if (config.num_classes > 0)
            e.notes.push_back("head for " + std::to_string(config.num_classes) + " classes");
        if (config.architecture == "keras") {
            e.source_format = "tfjs (Keras layers model, converted to safetensors)";
            if (!is_file(dir / config.graph))
                throw Error("the layer graph " + config.graph +
                                " named by config.json (\"graph\") is missing",
                            SourceLocation{(dir / config.graph).string(), 0, 0, "graph"});
        }
        if (config.input_shape.size() == 3)
            e.notes.push_back("input " + std::to_string(config.input_shape[0]) + "x" +
                              std::to_string(config.input_shape[1]) + "x" +
                              std::to_string(config.input_shape[2]) +
                              " (channels x height x width)");
        if (!config.preprocessing_json.empty()) {
            // One line for the library: the JSON object without its layout whitespace.
            std::string compact;
            for (char ch : config.preprocessing_json)
                if (ch != '\n' && ch != '\r' &&
                    !(ch == ' ' && !compact.empty() && compact.back() == ' '))
                    compact += ch;
            e.notes.push_back("preprocessing: " + compact);
        }
        if (!config.source.empty())
            e.notes.push_back("source: " + config.source);
        if (!config.license.empty())
            e.notes.push_back("licence: " + config.license);
        e.license = config.license.empty() || config.license == "unknown"
                        ? std::string(kLicenseNotRecorded)
                        : config.license;
        e.supported = true;
    } catch (const Error& error) {
        e.supported = false;
        e.reason = error.message();
    }
}

ModelLibraryEntry describe_model_folder(const std::string& dir_text) {
    ModelLibraryEntry e;
    fs::path dir(dir_text);
    e.path = dir.string();
    if (is_hub_repo(dir)) {
        e.source = "hub-cache";
        e.repo_id = repo_id_of(dir);
        auto snaps = hub_snapshots(dir);
        if (snaps.size() == 1)
            dir = snaps.front();
        e.path = dir.string();
    } else {
        e.source = "folder";
    }
    if (is_dir(dir)) {
        e.disk_bytes = folder_bytes(dir, 3);
        for (const char* f : kTokenizerFiles)
            if (is_file(dir / f))
                e.tokenizer_files.push_back(f);
        e.tokenizer_present = is_file(dir / "tokenizer.json") || is_file(dir / "vocab.txt") ||
                              (is_file(dir / "vocab.json") && is_file(dir / "merges.txt")) ||
                              is_file(dir / "sentencepiece.bpe.model");
    }
    if (is_image_model_folder(dir.string())) {
        describe_image_folder(dir, e);
        return e;
    }
    if (const std::string ft = find_fasttext_model_file(dir.string()); !ft.empty()) {
        describe_fasttext_model(ft, e);
        return e;
    }
    e.source_format = "Hugging Face safetensors";
    e.license = model_card_license(dir);
    try {
        ModelFolderInfo info = inspect_model_folder(dir.string());
        e.path = info.path;
        e.model_type = info.config.model_type;
        e.architecture =
            info.config.architectures.empty() ? std::string() : info.config.architectures.front();
        e.family = encoder_family_name(encoder_family(info.config));
        e.parameter_count = info.parameter_count;
        e.vocab_size = info.config.vocab_size;
        e.max_positions = max_input_length(info.config);
        e.hidden_size = info.config.hidden_size;
        e.layers = info.config.num_hidden_layers;
        e.notes = info.notes;
        e.supported = true;
    } catch (const Error& error) {
        e.supported = false;
        e.reason = error.message();
        fill_from_raw_files(dir, e);
    } catch (const std::exception& error) {
        e.supported = false;
        e.reason = error.what();
        fill_from_raw_files(dir, e);
    }
    return e;
}

bool is_model_file(const std::string& file_text) {
    const fs::path file(file_text);
    if (!is_file(file))
        return false;
    if (has_extension(file, {".ftz", ".bin"}))
        return has_fasttext_magic(file_text);
    if (has_extension(file, {".pt", ".pth", ".ts", ".torchscript"}))
        return read_bytes(file, 4, /*from_end=*/false) == std::string("PK\x03\x04", 4);
    return false;
}

ModelLibraryEntry describe_model_file(const std::string& file_text) {
    ModelLibraryEntry e;
    const fs::path file(file_text);
    e.path = file.string();
    e.source = "file";
    std::error_code ec;
    e.disk_bytes = is_file(file) ? static_cast<std::int64_t>(fs::file_size(file, ec)) : 0;
    if (has_extension(file, {".ftz", ".bin"})) {
        describe_fasttext_model(file.string(), e);
        return e;
    }
    e.kind = "image";
    e.model_type = "image";
    e.tasks = "image_classification";
    e.architecture = "torchscript";
    e.family = "TorchScript module";
    e.source_format = "TorchScript";
    e.license = kLicenseNotRecorded;
    e.notes.push_back("TorchScript files contain code: load only files from a source you trust");
    // A zip's central directory (file names) is at its end: TorchScript archives hold code/ and
    // constants.pkl; torch.save archives hold data.pkl only (a pickle, which is never loaded).
    const std::string head = read_bytes(file, 4, /*from_end=*/false);
    const std::string tail = read_bytes(file, std::int64_t{1} << 20, /*from_end=*/true);
    if (head != std::string("PK\x03\x04", 4)) {
        e.reason =
            "not a TorchScript archive (no zip header); save the module with "
            "torch.jit.save(torch.jit.script(model), \"model.pt\")";
    } else if (tail.find("constants.pkl") == std::string::npos &&
               tail.find("/code/") == std::string::npos) {
        e.reason = tail.find("data.pkl") != std::string::npos
                       ? "a pickled PyTorch file (torch.save), not TorchScript: pickle files can "
                         "run code and are not loaded; save the module with "
                         "torch.jit.save(torch.jit.script(model), \"model.pt\")"
                       : "not a TorchScript archive (no code/ or constants.pkl inside)";
    } else {
        e.supported = true;
        add_torchscript_parameters(file.string(), e);
        e.notes.push_back(
            "an image backbone: its output size is probed when loaded, with input of the "
            "dataset's image size (dataset.image_channels x image_height x image_width)");
        e.notes.push_back("licence: " + e.license);
    }
    return e;
}

std::vector<ModelLibraryEntry> scan_model_library(const std::vector<std::string>& folders,
                                                  bool include_hub_cache, int max_depth) {
    Collector collector;
    for (const auto& folder : folders) {
        if (is_dir(folder))
            collector.walk(folder, max_depth);
        else if (is_file(folder) && is_model_file(folder))
            collector.add_file(folder);
    }
    if (include_hub_cache) {
        const fs::path hub = hub_cache_dir();
        std::error_code ec;
        std::vector<fs::path> repos;
        for (const auto& entry : fs::directory_iterator(hub, ec))
            if (is_hub_repo(entry.path()))
                repos.push_back(entry.path());
        std::sort(repos.begin(), repos.end());
        for (const auto& repo : repos)
            for (const auto& snap : hub_snapshots(repo))
                collector.add(snap, "hub-cache", repo_id_of(repo));
    }
    std::vector<ModelLibraryEntry> out;
    for (auto& [path, entry] : collector.by_path)
        out.push_back(std::move(entry));
    return out;
}

}  // namespace tb::model
