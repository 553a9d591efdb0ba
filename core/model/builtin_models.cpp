// Built-in architectures as model library entries, with parameter counts from layer sizes.
#include "model/builtin_models.h"

namespace tb::model {
namespace {

struct Builtin {
    const char* name;
    const char* display;
    const char* kind;  // "image" or "text"
    std::int64_t layers;
    std::int64_t backbone;  // image: parameters without the head (torchvision's counts)
    std::int64_t features;  // image: pooled feature size
};

// Backbone counts: torchvision 0.14's models with their fc / classifier left out (checked
// against our modules in tests/core/tst_builtin_models.cpp). Layers: the weight layers
// torchvision's names count (ResNet-18 ... 50; MobileNetV2: 52 convolutions + the classifier).
const Builtin kBuiltins[] = {
    {"resnet18", "ResNet-18", "image", 18, 11176512, 512},
    {"resnet34", "ResNet-34", "image", 34, 21284672, 512},
    {"resnet50", "ResNet-50", "image", 50, 23508032, 2048},
    {"mobilenet_v2", "MobileNetV2", "image", 53, 2223872, 1280},
    {"small_cnn", "small CNN", "image", 4, 0, 128},
    {"mlp", "MLP", "image", 3, 0, 512},
    {"bilstm", "BiLSTM (word vocabulary)", "text", 0, 0, 0},
    {"bilstm_char", "BiLSTM (character vocabulary)", "text", 0, 0, 0},
};

const Builtin* find_builtin(const std::string& name) {
    for (const auto& b : kBuiltins)
        if (name == b.name)
            return &b;
    return nullptr;
}

std::int64_t linear(std::int64_t in, std::int64_t out) {
    return in * out + out;
}

std::string shape(std::int64_t c, std::int64_t h, std::int64_t w) {
    return std::to_string(c) + "x" + std::to_string(h) + "x" + std::to_string(w);
}

}  // namespace

const std::vector<std::string>& builtin_architecture_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& b : kBuiltins)
            out.push_back(b.name);
        return out;
    }();
    return names;
}

std::int64_t builtin_parameter_count(const std::string& architecture, const BuiltinSizes& s) {
    const Builtin* b = find_builtin(architecture);
    if (!b || s.num_classes < 1)
        return 0;
    const std::string name = architecture;
    if (name == "small_cnn") {
        if (s.image_height < 6 || s.image_width < 6)
            return 0;
        const std::int64_t flat = 64 * ((s.image_height - 4) / 2) * ((s.image_width - 4) / 2);
        return (s.image_channels * 32 * 9 + 32) + (32 * 64 * 9 + 64) + linear(flat, 128) +
               linear(128, s.num_classes);
    }
    if (name == "mlp") {
        const std::int64_t in = s.image_channels * s.image_height * s.image_width;
        return linear(in, 512) + linear(512, 512) + linear(512, s.num_classes);
    }
    if (name == "bilstm" || name == "bilstm_char") {
        const std::int64_t h = s.hidden_size;
        std::int64_t total = s.vocab_size * s.embedding_dim;
        for (std::int64_t layer = 0; layer < s.num_layers; ++layer) {
            const std::int64_t in = layer == 0 ? s.embedding_dim : 2 * h;
            total += 2 * (4 * h * in + 4 * h * h + 8 * h);  // two directions, two biases each
        }
        if (s.attention_pooling)
            total += linear(2 * h, 1);
        return total + linear(2 * h, s.num_classes);
    }
    return b->backbone + linear(b->features, s.num_classes);
}

std::vector<ModelLibraryEntry> builtin_model_entries(const BuiltinSizes& s) {
    std::vector<ModelLibraryEntry> out;
    for (const auto& b : kBuiltins) {
        ModelLibraryEntry e;
        e.source = "built-in";
        e.source_format = "built-in, random init";
        e.model_architecture = b.name;
        e.architecture = b.name;
        e.family = b.display;
        e.kind = b.kind;
        e.model_type = e.kind == "image" ? "image" : "bilstm";
        e.license = "none (random initialisation, no pretrained weights)";
        e.supported = true;
        e.parameter_count = builtin_parameter_count(b.name, s);
        const std::string classes = std::to_string(s.num_classes) + " classes";
        if (e.kind == "image") {
            e.tasks = "image_classification";
            e.feature_size = b.features;
            e.layers = b.layers;
            const bool sized = e.architecture == "small_cnn" || e.architecture == "mlp";
            if (sized) {
                e.notes.push_back("input " +
                                  shape(s.image_channels, s.image_height, s.image_width) +
                                  " (channels x height x width: the dataset's image size; the "
                                  "dense layers are sized for it)");
                if (e.parameter_count == 0) {
                    e.supported = false;
                    e.reason = "images of " +
                               shape(s.image_channels, s.image_height, s.image_width) +
                               " are too small for the small CNN (at least 6x6)";
                }
            } else {
                e.notes.push_back(
                    "input 3xHxW RGB images of any size (global average pooling; 224x224 as "
                    "torchvision trains it)");
            }
            e.notes.push_back("parameters for a head of " + classes);
            e.notes.push_back(
                "random (seeded) weights, trained from scratch; for pretrained weights use an "
                "image model folder with torchvision-format safetensors");
        } else {
            e.tasks = "text_classification";
            e.hidden_size = s.hidden_size;
            e.layers = s.num_layers;
            e.vocab_size = s.vocab_size;
            e.feature_size = 2 * s.hidden_size;
            e.notes.push_back("embedding " + std::to_string(s.embedding_dim) +
                              " -> bidirectional LSTM, " + std::to_string(s.num_layers) +
                              " layer(s) of " + std::to_string(s.hidden_size) +
                              " per direction -> " + (s.attention_pooling ? "attention" : "mean") +
                              " pooling -> linear classifier");
            e.notes.push_back(
                std::string("input: text, ") +
                (e.architecture == "bilstm" ? "one unit per word" : "one unit per character") +
                "; the vocabulary (at most " + std::to_string(s.vocab_size) +
                " units) is built from the training split and stored in every checkpoint");
            e.notes.push_back("parameters for a full vocabulary of " +
                              std::to_string(s.vocab_size) + " units and " + classes + " (" +
                              std::to_string(s.embedding_dim) + " per unit)");
            e.notes.push_back("random (seeded) weights, trained from scratch");
        }
        out.push_back(std::move(e));
    }
    return out;
}

}  // namespace tb::model
