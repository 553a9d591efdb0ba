// Parameter names and sizes of a model folder read from its safetensors headers (Torch-free).
#include "model/parameter_census.h"

#include <algorithm>
#include <map>

#include "model/safetensors.h"

namespace tb::model {

std::vector<StoredTensor> stored_tensors(const std::vector<std::string>& weight_files) {
    std::vector<StoredTensor> out;
    for (const auto& file : weight_files) {
        const SafetensorsFile st = SafetensorsFile::open(file);
        for (const auto& entry : st.entries()) {
            StoredTensor t;
            t.name = entry.name;
            t.shape = entry.shape;
            t.numel = 1;
            for (const auto d : entry.shape)
                t.numel *= d;
            out.push_back(std::move(t));
        }
    }
    std::sort(out.begin(), out.end(),
              [](const StoredTensor& a, const StoredTensor& b) { return a.name < b.name; });
    return out;
}

std::vector<ParameterInfo> parameter_infos(const std::vector<StoredTensor>& tensors) {
    std::vector<ParameterInfo> out;
    out.reserve(tensors.size());
    for (const auto& t : tensors)
        out.push_back({t.name, t.numel});
    return out;
}

namespace {

bool is_pooler(const std::string& name) {
    return name.rfind("pooler.", 0) == 0 || name.find(".pooler.") != std::string::npos;
}

}  // namespace

std::vector<TensorGroup> group_tensors(const std::vector<StoredTensor>& tensors) {
    TensorGroup embeddings{"embeddings", 0, {}};
    TensorGroup pooler{"pooler", 0, {}};
    TensorGroup other{"other", 0, {}};
    std::map<int, TensorGroup> layers;
    for (const auto& t : tensors) {
        TensorGroup* group = &other;
        if (const auto layer = encoder_layer_index(t.name)) {
            auto& g = layers[*layer];
            g.name = "layer " + std::to_string(*layer);
            group = &g;
        } else if (is_embedding_parameter(t.name)) {
            group = &embeddings;
        } else if (is_pooler(t.name)) {
            group = &pooler;
        }
        group->numel += t.numel;
        group->tensors.push_back(t);
    }
    std::vector<TensorGroup> out;
    if (!embeddings.tensors.empty())
        out.push_back(std::move(embeddings));
    for (auto& [index, g] : layers)
        out.push_back(std::move(g));
    if (!pooler.tensors.empty())
        out.push_back(std::move(pooler));
    if (!other.tensors.empty())
        out.push_back(std::move(other));
    return out;
}

}  // namespace tb::model
