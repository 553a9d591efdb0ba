// Reads a TF.js layers model from disk: the model JSON (plain, or the JavaScript module form)
// and its weights (manifest + shards, binary or base64 JavaScript modules), decoding float32,
// int32 and the uint8 / uint16 / float16 quantized encodings exactly as @tensorflow/tfjs-core
// does. Torch-free.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tb::model::keras {

struct TfjsWeight {
    std::string name;  // as in the manifest, e.g. "Conv1/kernel"
    std::vector<std::int64_t> shape;
    std::vector<float> values;  // row-major in the manifest's (Keras) layout
};

struct TfjsLayersModel {
    std::string path;             // the model file read
    nlohmann::json model_config;  // {"class_name": "Model"|"Functional"|"Sequential", "config"}
    std::string keras_version;    // modelTopology.keras_version when given
    std::map<std::string, TfjsWeight> weights;
};

// Quantized values to float32: uint8 / uint16 as v * scale + min (computed in double, rounded
// once, as tfjs does), float16 as IEEE half precision. `quantization_dtype` is "uint8",
// "uint16" or "float16"; `bytes` holds count values of that type, little-endian. tb::Error
// naming `weight` for another dtype.
std::vector<float> dequantize_tfjs(const std::uint8_t* bytes, std::size_t count,
                                   const std::string& quantization_dtype, double scale, double min,
                                   const std::string& weight);
float half_to_float(std::uint16_t half);

// `path` is the model JSON (model.json, or a bundle such as nsfwjs' model.min.js) or a folder
// holding model.json / model.min.js / model.js. Shards are found next to it by the manifest's
// paths, as is or with ".min.js" / ".js" appended (the base64 module form). Errors (tb::Error
// naming the file and the weight): no modelTopology, a manifest entry without name / shape /
// dtype, an unsupported dtype or quantization, a missing shard, shards shorter than the
// manifest says (truncated: names the first weight that does not fit) or longer (size
// mismatch).
TfjsLayersModel read_tfjs_layers_model(const std::string& path);

}  // namespace tb::model::keras
