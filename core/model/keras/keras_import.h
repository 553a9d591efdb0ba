// Imports a TF.js / Keras layers model as a tunebench image model folder: config.json
// ("architecture": "keras"), keras_graph.json (the layer graph up to the cut) and
// model.safetensors (the converted weights). See docs/models.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/keras/keras_graph.h"

namespace tb::model::keras {

struct TfjsImportOptions {
    // Layer whose output becomes the backbone's features (average-pooled when it is a feature
    // map). Empty: default_cut_layer.
    std::string cut;
    // "preprocessing" object for config.json (docs/models.md); empty: the input size stretched
    // (resize_shorter 0), RGB, pixel / 255 (mean 0, std 1), as nsfwjs feeds its models.
    std::string preprocessing_json;
    // Where the model comes from and its licence (shown in the model library). Empty: taken
    // from the npm package the model file ships in (the nearest package.json above it: name,
    // version, "license"), else "unknown".
    std::string source;
    std::string license;
};

struct TfjsImportResult {
    std::string cut_layer;
    std::int64_t feature_size = 0;
    std::int64_t parameter_count = 0;  // backbone parameters (batch-norm statistics excluded)
    std::size_t layers = 0;            // layers kept (input included)
    std::vector<std::string> unused_weights;  // manifest weights of layers after the cut
};

// The layer before the classifier top: walking back from the output over Dense, Dropout,
// Flatten, Reshape, Activation, Softmax and global pooling layers, the first other layer
// (the model's output when it ends in none of those).
std::string default_cut_layer(const KerasGraph& graph);

// Reads `model_path` (see read_tfjs_layers_model), cuts, converts and writes `out_dir`
// (created; existing config.json / keras_graph.json / model.safetensors are replaced).
// tb::Error from reading, an unsupported layer before the cut, or writing.
TfjsImportResult import_tfjs_model(const std::string& model_path, const std::string& out_dir,
                                   const TfjsImportOptions& options);

}  // namespace tb::model::keras
