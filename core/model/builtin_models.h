// The model library's built-in architectures (model.architecture: resnet18 ... bilstm_char):
// networks trained from scratch, listed with their parameter counts computed from their layer
// sizes (Torch-free, no model is built).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/model_library.h"

namespace tb::model {

// The sizes a built-in's parameter count depends on. Callers fill them from the experiment
// (dataset image size, the model's BiLSTM keys); the defaults are the stated ones the CLI
// lists without an experiment.
struct BuiltinSizes {
    std::int64_t num_classes = 2;
    // ResNet / MobileNetV2 take any input size (global pooling); small_cnn and mlp are sized
    // for it (their dense layers): MNIST-sized greyscale by default.
    std::int64_t image_channels = 1, image_height = 28, image_width = 28;
    // BiLSTM (io::ModelConfig's embedding_dim, hidden_size, num_layers, vocab_max_size).
    std::int64_t embedding_dim = 128, hidden_size = 128, num_layers = 1;
    std::int64_t vocab_size = 30000;  // the vocabulary limit: the real one comes from the data
    bool attention_pooling = false;
};

// The architectures in the order the library lists them.
const std::vector<std::string>& builtin_architecture_names();

// Parameters of `architecture` with a head for sizes.num_classes classes (every trainable
// tensor; batch-norm statistics are buffers, as torchvision counts). 0 for an unknown name or
// sizes too small for the network (small_cnn needs at least 6x6 images).
std::int64_t builtin_parameter_count(const std::string& architecture, const BuiltinSizes& sizes);

// One entry per built-in: source "built-in", source_format "built-in, random init", path empty,
// model_architecture set, licence "none (random initialisation)", summaries for `sizes`.
std::vector<ModelLibraryEntry> builtin_model_entries(const BuiltinSizes& sizes = {});

}  // namespace tb::model
