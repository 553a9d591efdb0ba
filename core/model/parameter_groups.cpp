// Discriminative / layer-wise learning rates and weight-decay exclusion as named groups.
#include "model/parameter_groups.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "common/error.h"
#include "model/freezing.h"

namespace tb::model {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string first_segment(const std::string& name) {
    return name.substr(0, name.find('.'));
}

void check_positive(double value, const char* key) {
    if (!(value > 0.0) || !std::isfinite(value))
        throw Error(std::string(key) + " must be a positive number, got " + std::to_string(value),
                    SourceLocation{{}, 0, 0, key});
}

}  // namespace

bool excluded_from_weight_decay(const std::string& name) {
    return ends_with(name, "bias") || name.find("LayerNorm") != std::string::npos ||
           name.find("layer_norm") != std::string::npos;
}

double lr_multiplier_for(const std::string& name, const ParameterGroupOptions& options,
                         int num_layers) {
    const auto& heads = options.head_modules;
    if (std::find(heads.begin(), heads.end(), first_segment(name)) != heads.end())
        return options.head_lr_multiplier;
    double depth_scale = 1.0;
    if (const auto layer = encoder_layer_index(name))
        depth_scale = std::pow(options.layer_decay, std::max(0, num_layers - 1 - *layer));
    else if (is_embedding_parameter(name))
        depth_scale = std::pow(options.layer_decay, num_layers);
    return options.encoder_lr_multiplier * depth_scale;
}

std::vector<ParameterGroup> make_parameter_groups(const std::vector<std::string>& trainable_names,
                                                  const ParameterGroupOptions& options) {
    check_positive(options.encoder_lr_multiplier, "encoder_lr_multiplier");
    check_positive(options.head_lr_multiplier, "head_lr_multiplier");
    check_positive(options.layer_decay, "layer_decay");
    if (!(options.weight_decay >= 0.0) || !std::isfinite(options.weight_decay))
        throw Error("weight_decay must be 0 or more", SourceLocation{{}, 0, 0, "weight_decay"});

    int num_layers = options.num_layers;
    if (num_layers <= 0)
        for (const auto& name : trainable_names)
            if (const auto layer = encoder_layer_index(name))
                num_layers = std::max(num_layers, *layer + 1);

    std::vector<ParameterGroup> groups;
    std::set<std::string> seen;
    for (const auto& name : trainable_names) {
        if (!seen.insert(name).second)
            throw Error("parameter '" + name + "' is listed twice", SourceLocation{{}, 0, 0, name});
        const double multiplier = lr_multiplier_for(name, options, num_layers);
        const double decay = excluded_from_weight_decay(name) ? 0.0 : options.weight_decay;
        auto it = std::find_if(groups.begin(), groups.end(), [&](const ParameterGroup& g) {
            return g.lr_multiplier == multiplier && g.weight_decay == decay;
        });
        if (it == groups.end()) {
            groups.push_back(ParameterGroup{{}, multiplier, decay});
            it = groups.end() - 1;
        }
        it->names.push_back(name);
    }
    return groups;
}

}  // namespace tb::model
