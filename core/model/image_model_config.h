// The config.json of a tunebench image model folder ({"architecture": "resnet18", ...}) and the
// facts the model library shows about image architectures. Torch-free.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tb::model {

// A folder holding config.json with a string "architecture" (text-model folders from Hugging
// Face have a list "architectures" instead) plus the weights file it names.
struct ImageModelConfig {
    std::string architecture;      // resnet18, resnet34, resnet50, mobilenet_v2, small_cnn,
                                   // mlp, torchscript, keras (imported TF.js / Keras graph)
    std::int64_t num_classes = 0;  // classes of the head stored with the weights; 0: none
    std::string weights;           // file name inside the folder; default by architecture:
                                   // model.safetensors, or model.pt for torchscript
    std::string weights_format;    // "torchvision" (safetensors, torchvision tensor names),
                                   // "tunebench" (safetensors), "torchscript"
                                   // or "keras" (safetensors, Keras layer names)
    std::vector<std::int64_t> input_shape;  // [channels, height, width]; empty: by architecture
    std::string preprocessing_json;         // the "preprocessing" object as JSON text, "" if absent
    std::vector<std::string> class_names;   // optional, index order
    std::string graph;    // "keras": the layer-graph file (default keras_graph.json)
    std::string source;   // optional: where the weights come from (shown in the model library)
    std::string license;  // optional: their licence (shown in the model library)
    std::int64_t feature_size = 0;  // optional, informational: pooled feature size ("keras")
};

struct ImageArchitectureFacts {
    std::string name;
    std::string display_name;    // "ResNet-18"
    std::string weights_format;  // see ImageModelConfig::weights_format
    std::int64_t feature_size;   // 0 where it depends on the file (torchscript)
};
const std::vector<ImageArchitectureFacts>& image_architectures();
const ImageArchitectureFacts* find_image_architecture(const std::string& name);  // or nullptr

// True when dir/config.json is a JSON object whose "architecture" is a string.
bool is_image_model_folder(const std::string& dir);

// Reads and checks dir/config.json: a known architecture, types of every key, unknown keys are
// errors (tb::Error with the file and key). Does not open the weights.
ImageModelConfig load_image_model_config(const std::string& dir);

}  // namespace tb::model
