// Image model folder config: parsing and validation.
#include "model/image_model_config.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace tb::model {
namespace {

using json = nlohmann::json;

const char* const kKeys[] = {"architecture", "num_classes",   "weights",     "weights_format",
                             "input_shape",  "preprocessing", "class_names", "graph",
                             "source",       "license",       "feature_size"};

bool read_config(const std::string& path, json& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    std::ostringstream text;
    text << in.rdbuf();
    out = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
    return !out.is_discarded();
}

}  // namespace

const std::vector<ImageArchitectureFacts>& image_architectures() {
    static const std::vector<ImageArchitectureFacts> facts{
        {"resnet18", "ResNet-18", "torchvision", 512},
        {"resnet34", "ResNet-34", "torchvision", 512},
        {"resnet50", "ResNet-50", "torchvision", 2048},
        {"mobilenet_v2", "MobileNetV2", "torchvision", 1280},
        {"small_cnn", "small CNN", "tunebench", 128},
        {"mlp", "MLP", "tunebench", 512},
        {"torchscript", "TorchScript module", "torchscript", 0},
        {"keras", "Keras / TF.js import", "keras", 0},
    };
    return facts;
}

const ImageArchitectureFacts* find_image_architecture(const std::string& name) {
    for (const auto& f : image_architectures())
        if (f.name == name)
            return &f;
    return nullptr;
}

bool is_image_model_folder(const std::string& dir) {
    json config;
    return read_config((std::filesystem::path(dir) / "config.json").string(), config) &&
           config.is_object() && config.contains("architecture") &&
           config["architecture"].is_string();
}

ImageModelConfig load_image_model_config(const std::string& dir) {
    const std::string path = (std::filesystem::path(dir) / "config.json").string();
    json j;
    if (!read_config(path, j) || !j.is_object())
        throw Error("config.json is missing or not a JSON object", SourceLocation{path, 0, 0, ""});
    auto fail = [&](const std::string& key, const std::string& what) {
        return Error("config.json: '" + key + "' " + what, SourceLocation{path, 0, 0, key});
    };
    for (auto it = j.begin(); it != j.end(); ++it) {
        bool known = false;
        for (const char* k : kKeys)
            known = known || it.key() == k;
        if (!known)
            throw fail(it.key(), "is not a known key of an image model config");
    }
    ImageModelConfig c;
    if (!j.contains("architecture") || !j["architecture"].is_string())
        throw fail("architecture", "must be a string");
    c.architecture = j["architecture"].get<std::string>();
    const ImageArchitectureFacts* facts = find_image_architecture(c.architecture);
    if (!facts) {
        std::string known;
        for (const auto& f : image_architectures())
            known += (known.empty() ? "" : ", ") + f.name;
        throw fail("architecture",
                   "'" + c.architecture + "' is not supported; supported: " + known);
    }
    c.weights_format = facts->weights_format;
    c.weights = c.architecture == "torchscript" ? "model.pt" : "model.safetensors";
    if (j.contains("num_classes")) {
        if (!j["num_classes"].is_number_integer() || j["num_classes"].get<std::int64_t>() < 0)
            throw fail("num_classes", "must be a non-negative integer");
        c.num_classes = j["num_classes"].get<std::int64_t>();
    }
    if (c.architecture == "keras")
        c.graph = "keras_graph.json";
    for (const char* key : {"weights", "weights_format", "graph", "source", "license"}) {
        if (!j.contains(key))
            continue;
        if (!j[key].is_string() || j[key].get<std::string>().empty())
            throw fail(key, "must be a non-empty string");
        const std::string k = key;
        (k == "weights"          ? c.weights
         : k == "weights_format" ? c.weights_format
         : k == "graph"          ? c.graph
         : k == "source"         ? c.source
                                 : c.license) = j[key].get<std::string>();
    }
    if (!c.graph.empty() && c.architecture != "keras")
        throw fail("graph", "is only used with \"architecture\": \"keras\"");
    if (c.weights_format != facts->weights_format)
        throw fail("weights_format",
                   "must be \"" + facts->weights_format + "\" for " + c.architecture);
    if (j.contains("feature_size")) {
        if (!j["feature_size"].is_number_integer() || j["feature_size"].get<std::int64_t>() < 1)
            throw fail("feature_size", "must be a positive integer");
        c.feature_size = j["feature_size"].get<std::int64_t>();
    }
    if (j.contains("input_shape")) {
        const json& s = j["input_shape"];
        if (!s.is_array() || s.size() != 3)
            throw fail("input_shape", "must be [channels, height, width]");
        for (const auto& v : s) {
            if (!v.is_number_integer() || v.get<std::int64_t>() < 1)
                throw fail("input_shape", "values must be positive integers");
            c.input_shape.push_back(v.get<std::int64_t>());
        }
    }
    if (j.contains("preprocessing")) {
        if (!j["preprocessing"].is_object())
            throw fail("preprocessing", "must be an object");
        c.preprocessing_json = j["preprocessing"].dump();
    }
    if (j.contains("class_names")) {
        if (!j["class_names"].is_array())
            throw fail("class_names", "must be a list of strings");
        for (const auto& v : j["class_names"]) {
            if (!v.is_string())
                throw fail("class_names", "must be a list of strings");
            c.class_names.push_back(v.get<std::string>());
        }
        if (c.num_classes > 0 && c.class_names.size() != static_cast<std::size_t>(c.num_classes))
            throw fail("class_names", "has " + std::to_string(c.class_names.size()) +
                                          " names but num_classes is " +
                                          std::to_string(c.num_classes));
    }
    return c;
}

}  // namespace tb::model
