// Name rules for freezing embeddings and the first N encoder layers.
#include "model/freezing.h"

#include <algorithm>
#include <cctype>

namespace tb::model {
namespace {

std::vector<std::string> split_segments(const std::string& name) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const auto dot = name.find('.', start);
        out.push_back(name.substr(start, dot - start));
        if (dot == std::string::npos)
            return out;
        start = dot + 1;
    }
}

bool is_index(const std::string& s) {
    return !s.empty() && s.size() < 9 &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

}  // namespace

std::optional<int> encoder_layer_index(const std::string& parameter_name) {
    const auto segments = split_segments(parameter_name);
    for (std::size_t k = 1; k + 1 < segments.size(); ++k) {
        if (segments[k] == "layer" &&
            (segments[k - 1] == "encoder" || segments[k - 1] == "transformer") &&
            is_index(segments[k + 1]))
            return std::stoi(segments[k + 1]);
    }
    return std::nullopt;
}

bool is_embedding_parameter(const std::string& parameter_name) {
    const auto segments = split_segments(parameter_name);
    return std::find(segments.begin(), segments.end(), "embeddings") != segments.end();
}

bool is_frozen(const std::string& parameter_name, const FreezeOptions& options) {
    if (options.embeddings && is_embedding_parameter(parameter_name))
        return true;
    const auto layer = encoder_layer_index(parameter_name);
    return layer && *layer < options.first_layers;
}

ParameterCounts count_parameters(const std::vector<ParameterInfo>& parameters,
                                 const FreezeOptions& options) {
    ParameterCounts counts;
    for (const auto& p : parameters) {
        counts.total += p.numel;
        if (!is_frozen(p.name, options))
            counts.trainable += p.numel;
        if (const auto layer = encoder_layer_index(p.name))
            counts.num_layers = std::max(counts.num_layers, *layer + 1);
    }
    return counts;
}

}  // namespace tb::model
