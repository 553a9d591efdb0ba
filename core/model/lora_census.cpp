// What LoRA would add to a model folder, counted from its safetensors headers (Torch-free).
#include "model/lora_census.h"

#include <algorithm>

namespace tb::model {
namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_pooler_name(const std::string& name) {
    return name.rfind("pooler.", 0) == 0 || name.find(".pooler.") != std::string::npos;
}

// The module name of a LoRA-capable linear weight, or "" for anything else.
std::string linear_module(const StoredTensor& t) {
    static const std::string suffix = ".weight";
    if (t.shape.size() != 2 || !ends_with(t.name, suffix) || is_embedding_parameter(t.name))
        return {};
    const std::string module = t.name.substr(0, t.name.size() - suffix.size());
    const bool in_encoder = encoder_layer_index(t.name).has_value() || is_pooler_name(t.name) ||
                            module == "embeddings_project" ||
                            ends_with(module, ".embeddings_project");
    return in_encoder ? module : std::string();
}

}  // namespace

std::vector<std::string> default_lora_target_names(const std::string& model_type) {
    if (model_type == "distilbert")
        return {"q_lin", "v_lin"};
    return {"query", "value"};
}

std::vector<std::string> lora_target_choices(const std::string& model_type) {
    if (model_type == "distilbert")
        return {"q_lin", "v_lin", "k_lin", "out_lin", "ffn.lin1", "ffn.lin2"};
    return {"query",       "value", "key", "attention.output.dense", "intermediate.dense",
            "output.dense"};
}

bool lora_target_matches(const std::string& module, const std::string& target) {
    return !target.empty() && (module == target || ends_with(module, "." + target));
}

LoraCensus lora_census(const std::vector<StoredTensor>& tensors,
                       const std::vector<std::string>& targets, std::int64_t rank) {
    LoraCensus out;
    std::vector<bool> used(targets.size(), false);
    for (const auto& t : tensors) {
        const std::string module = linear_module(t);
        if (module.empty())
            continue;
        bool matched = false;
        for (std::size_t i = 0; i < targets.size(); ++i)
            if (lora_target_matches(module, targets[i])) {
                used[i] = true;
                matched = true;
            }
        if (!matched)
            continue;
        // Weight [out, in]: lora_A [rank, in] + lora_B [out, rank].
        out.modules.push_back(module);
        out.adapter_parameters += rank * (t.shape[0] + t.shape[1]);
    }
    for (std::size_t i = 0; i < targets.size(); ++i)
        if (!used[i])
            out.unmatched.push_back(targets[i]);
    std::sort(out.modules.begin(), out.modules.end());
    return out;
}

ParameterCounts count_parameters_with_lora(const std::vector<StoredTensor>& tensors,
                                           const FreezeOptions& freeze, const LoraCensus* lora) {
    ParameterCounts counts = count_parameters(parameter_infos(tensors), freeze);
    if (lora == nullptr)
        return counts;
    counts.total += lora->adapter_parameters;
    counts.trainable = lora->adapter_parameters;
    return counts;
}

}  // namespace tb::model
