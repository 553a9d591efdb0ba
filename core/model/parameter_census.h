// Parameter names and sizes of a model folder read from its safetensors headers (Torch-free).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/freezing.h"

namespace tb::model {

// One tensor as stored: name, shape and element count (no data read).
struct StoredTensor {
    std::string name;
    std::vector<std::int64_t> shape;
    std::int64_t numel = 0;
};

// Every tensor of the given safetensors files (a single file or the shards of an index), sorted
// by name. Reads headers only; throws tb::Error naming the file for a bad header.
std::vector<StoredTensor> stored_tensors(const std::vector<std::string>& weight_files);

// The tensors as ParameterInfo for count_parameters() (freezing.h), so the UI can show trainable
// vs total counts for a freeze choice without building the model.
std::vector<ParameterInfo> parameter_infos(const std::vector<StoredTensor>& tensors);

// A group of the architecture summary: "embeddings", "layer 0".."layer N-1", "pooler" or
// "other" (anything else, e.g. a pretraining head), in that order, with its tensors.
struct TensorGroup {
    std::string name;
    std::int64_t numel = 0;
    std::vector<StoredTensor> tensors;
};
std::vector<TensorGroup> group_tensors(const std::vector<StoredTensor>& tensors);

}  // namespace tb::model
