// The layer graph of a Keras / TF.js layers model (functional "Model" / "Functional" or
// "Sequential"), parsed from its model_config JSON: layers in execution order with their
// inputs, cut at a layer, and written back in the same layout. Torch-free.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tb::model::keras {

struct KerasLayer {
    std::string name;
    std::string class_name;           // "Conv2D", "BatchNormalization", ...
    nlohmann::json config;            // the layer's Keras config
    std::vector<std::string> inputs;  // names of the layers feeding it (empty for the input)
};

struct KerasGraph {
    std::string name;
    std::vector<KerasLayer> layers;         // topological order; layers[0] is the InputLayer
    std::string output;                     // the layer whose output is the model's output
    std::vector<std::int64_t> input_shape;  // Keras layout without batch: [height, width, channels]
};

// Parses a model_config ({"class_name": ..., "config": ...}). Errors (tb::Error naming `path`
// and the layer): several model inputs or outputs, a layer used more than once (shared layers),
// an input that no earlier layer produces, an input shape that is not [height, width, channels]
// with known sizes. Layer types are checked when a model is built (KerasImageModel).
KerasGraph parse_keras_graph(const nlohmann::json& model_config, const std::string& path);

// The part of `graph` that `layer`'s output depends on, with `layer` as the output. tb::Error
// listing some layer names when there is no such layer.
KerasGraph cut_keras_graph(const KerasGraph& graph, const std::string& layer,
                           const std::string& path);

// A functional-model config of `graph` (initializer / regularizer / constraint settings left
// out) that parse_keras_graph reads back to the same graph.
nlohmann::json keras_graph_to_json(const KerasGraph& graph);

}  // namespace tb::model::keras
