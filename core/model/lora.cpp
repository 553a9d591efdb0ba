// Applying, merging, saving and loading LoRA adapters over LoraLinear layers.
#include "model/lora.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "model/safetensors.h"
#include "model/weight_loading.h"

namespace tb::model {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const char* const kPeftPrefix = "base_model.model.";
const char* const kAdapterFile = "adapter_model.safetensors";
const char* const kAdapterConfig = "adapter_config.json";

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool starts_with(const std::string& s, const std::string& prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

bool matches_target(const std::string& name, const std::string& target) {
    return name == target || ends_with(name, "." + target);
}

bool is_lora_tensor(const std::string& name) {
    return name.find(".lora_A.") != std::string::npos || name.find(".lora_B.") != std::string::npos;
}

}  // namespace

std::vector<std::string> default_lora_targets(EncoderFamily family) {
    if (family == EncoderFamily::DistilBert)
        return {"q_lin", "v_lin"};
    return {"query", "value"};
}

std::vector<std::pair<std::string, LoraLinearImpl*>> lora_linears(torch::nn::Module& root) {
    std::vector<std::pair<std::string, LoraLinearImpl*>> out;
    for (const auto& item : root.named_modules(/*name_prefix=*/"", /*include_self=*/true))
        if (auto* linear = item.value()->as<LoraLinearImpl>())
            out.emplace_back(item.key(), linear);
    return out;
}

std::vector<std::string> apply_lora(torch::nn::Module& root, const LoraOptions& options) {
    if (options.target_modules.empty())
        throw Error("LoRA needs at least one target module (e.g. query, value)",
                    SourceLocation{{}, 0, 0, "lora.target_modules"});
    const auto layers = lora_linears(root);
    std::vector<std::string> adapted;
    for (const auto& target : options.target_modules) {
        bool found = false;
        for (const auto& [name, layer] : layers)
            if (matches_target(name, target)) {
                found = true;
                if (!layer->has_adapter()) {
                    layer->add_adapter(options.rank, options.alpha, options.dropout);
                    adapted.push_back(name);
                }
            }
        if (!found) {
            std::set<std::string> candidates;
            for (const auto& [name, layer] : layers) {
                const auto dot = name.rfind("layer.");
                // "encoder.layer.3.attention.self.query" -> "attention.self.query"
                std::string tail = name;
                if (dot != std::string::npos) {
                    const auto after = name.find('.', dot + 6);
                    if (after != std::string::npos)
                        tail = name.substr(after + 1);
                }
                candidates.insert(tail);
            }
            std::string list;
            for (const auto& c : candidates)
                list += (list.empty() ? "" : ", ") + c;
            throw Error("LoRA target '" + target +
                            "' matches no linear layer of this model; "
                            "linear layers are: " +
                            list,
                        SourceLocation{{}, 0, 0, "lora.target_modules"});
        }
    }
    for (const auto& item : root.named_parameters(/*recurse=*/true))
        if (!is_lora_tensor(item.key()))
            item.value().set_requires_grad(false);
    return adapted;
}

void set_lora_enabled(torch::nn::Module& root, bool enabled) {
    for (auto& [name, layer] : lora_linears(root))
        layer->set_adapter_enabled(enabled);
}

void merge_lora(torch::nn::Module& root) {
    for (auto& [name, layer] : lora_linears(root))
        layer->merge();
}

void unmerge_lora(torch::nn::Module& root) {
    for (auto& [name, layer] : lora_linears(root))
        layer->unmerge();
}

void save_lora_adapter(torch::nn::Module& root, const std::string& dir, const LoraOptions& options,
                       const std::string& name_prefix) {
    std::vector<TensorBlob> blobs;
    for (const auto& [name, layer] : lora_linears(root)) {
        if (!layer->has_adapter())
            continue;
        const std::string base = kPeftPrefix + name_prefix + name;
        blobs.push_back(from_torch(base + ".lora_A.weight", layer->lora_A->weight));
        blobs.push_back(from_torch(base + ".lora_B.weight", layer->lora_B->weight));
    }
    if (blobs.empty())
        throw Error("the model has no LoRA adapter to save", SourceLocation{dir, 0, 0, {}});
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw Error("cannot create the adapter folder: " + ec.message(),
                    SourceLocation{dir, 0, 0, {}});
    write_safetensors((fs::path(dir) / kAdapterFile).string(), blobs, {{"format", "pt"}});
    nlohmann::ordered_json config;
    config["peft_type"] = "LORA";
    config["r"] = options.rank;
    config["lora_alpha"] = options.alpha;
    config["lora_dropout"] = options.dropout;
    config["target_modules"] = options.target_modules;
    config["bias"] = "none";
    config["fan_in_fan_out"] = false;
    config["inference_mode"] = true;
    const fs::path config_path = fs::path(dir) / kAdapterConfig;
    std::ofstream out(config_path, std::ios::binary | std::ios::trunc);
    out << config.dump(2) << "\n";
    if (!out.flush())
        throw Error("cannot write file", SourceLocation{config_path.string(), 0, 0, {}});
}

LoraOptions read_lora_adapter_config(const std::string& dir) {
    const std::string path = (fs::path(dir) / kAdapterConfig).string();
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("no adapter_config.json: this is not a LoRA adapter folder",
                    SourceLocation{path, 0, 0, {}});
    std::ostringstream text;
    text << in.rdbuf();
    json j;
    try {
        j = json::parse(text.str());
    } catch (const json::exception& e) {
        throw Error(std::string("not valid JSON: ") + e.what(), SourceLocation{path, 0, 0, {}});
    }
    auto need = [&](const char* key, bool number) -> const json& {
        if (!j.contains(key) || (number ? !j[key].is_number() : !j[key].is_array()))
            throw Error(std::string("'") + key + "' is missing or has the wrong type",
                        SourceLocation{path, 0, 0, key});
        return j[key];
    };
    if (j.contains("peft_type") && j["peft_type"] != "LORA")
        throw Error("only LoRA adapters are supported, this is " + j["peft_type"].dump(),
                    SourceLocation{path, 0, 0, "peft_type"});
    LoraOptions options;
    options.rank = need("r", true).get<std::int64_t>();
    options.alpha = need("lora_alpha", true).get<double>();
    if (j.contains("lora_dropout") && j["lora_dropout"].is_number())
        options.dropout = j["lora_dropout"].get<double>();
    for (const auto& t : need("target_modules", false))
        if (t.is_string())
            options.target_modules.push_back(t.get<std::string>());
    return options;
}

void load_lora_adapter(torch::nn::Module& root, const std::string& dir,
                       const std::string& name_prefix) {
    const LoraOptions options = read_lora_adapter_config(dir);
    bool has_adapter = false;
    for (const auto& [name, layer] : lora_linears(root))
        has_adapter = has_adapter || layer->has_adapter();
    if (!has_adapter)
        apply_lora(root, options);

    const std::string path = (fs::path(dir) / kAdapterFile).string();
    SafetensorsFile file = SafetensorsFile::open(path);
    std::vector<std::string> problems;
    torch::NoGradGuard no_grad;
    for (const auto& [name, layer] : lora_linears(root)) {
        if (!layer->has_adapter())
            continue;
        for (const char* part : {".lora_A.weight", ".lora_B.weight"}) {
            torch::Tensor target = part[6] == 'A' ? layer->lora_A->weight : layer->lora_B->weight;
            const SafetensorsEntry* entry = nullptr;
            for (const std::string& candidate :
                 {kPeftPrefix + name_prefix + name + part, kPeftPrefix + name + part,
                  name_prefix + name + part, name + part})
                if (!entry)
                    entry = file.find(candidate);
            if (!entry) {
                problems.push_back("missing: " + name + part + " " +
                                   shape_text(target.sizes().vec()));
                continue;
            }
            if (c10::IntArrayRef(entry->shape) != target.sizes()) {
                problems.push_back(name + part + ": file " + shape_text(entry->shape) +
                                   " vs model " + shape_text(target.sizes().vec()));
                continue;
            }
            target.copy_(
                to_torch(file.read(entry->name)).to(target.device(), target.scalar_type()));
        }
    }
    if (!problems.empty()) {
        std::string message = "the LoRA adapter does not fit this model:";
        for (const auto& p : problems)
            message += "\n  " + p;
        throw Error(message, SourceLocation{path, 0, 0, {}});
    }
}

std::map<std::string, torch::Tensor> merged_state(torch::nn::Module& root) {
    std::map<std::string, torch::Tensor> state;
    torch::NoGradGuard no_grad;
    for (const auto& item : root.named_parameters(/*recurse=*/true))
        if (!is_lora_tensor(item.key()))
            state[item.key()] = item.value().detach().clone();
    for (const auto& item : root.named_buffers(/*recurse=*/true))
        state[item.key()] = item.value().detach().clone();
    for (const auto& [name, layer] : lora_linears(root)) {
        if (!layer->has_adapter() || layer->merged())
            continue;
        auto& weight = state[name.empty() ? "weight" : name + ".weight"];
        const auto delta =
            torch::matmul(layer->lora_B->weight, layer->lora_A->weight) * layer->scaling();
        weight.add_(delta.to(weight.scalar_type()));
    }
    return state;
}

void save_merged_safetensors(torch::nn::Module& root, const std::string& path,
                             const std::string& strip_prefix) {
    std::vector<TensorBlob> blobs;
    for (const auto& [name, tensor] : merged_state(root)) {
        std::string stored = name;
        if (!strip_prefix.empty() && starts_with(stored, strip_prefix))
            stored = stored.substr(strip_prefix.size());
        blobs.push_back(from_torch(stored, tensor));
    }
    write_safetensors(path, blobs, {{"format", "pt"}});
}

}  // namespace tb::model
