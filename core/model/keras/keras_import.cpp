// TF.js layers model -> image model folder.
#include "model/keras/keras_import.h"

#include <filesystem>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "model/keras/keras_model.h"
#include "model/keras/tfjs_weights.h"
#include "model/weight_loading.h"

namespace tb::model::keras {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

void write_json(const fs::path& path, const json& j) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << j.dump(1) << '\n';
    if (!out)
        throw Error("cannot write the file", SourceLocation{path.string(), 0, 0, ""});
}

// The npm package a model file ships in: the nearest package.json (up to 6 folders up) with a
// "name". Its "license" is the package's licence, which covers the model files it contains.
struct NpmPackage {
    std::string name, version, license;
    fs::path root;
};

NpmPackage find_npm_package(const fs::path& model_file) {
    std::error_code ec;
    fs::path dir = fs::absolute(model_file, ec);
    if (!fs::is_directory(dir, ec))
        dir = dir.parent_path();
    for (int up = 0; up < 6 && !dir.empty(); ++up, dir = dir.parent_path()) {
        std::ifstream in(dir / "package.json");
        if (in) {
            const json pkg = json::parse(in, nullptr, /*allow_exceptions=*/false);
            if (pkg.is_object() && pkg.contains("name") && pkg["name"].is_string()) {
                NpmPackage out;
                out.root = dir;
                out.name = pkg["name"].get<std::string>();
                if (pkg.contains("version") && pkg["version"].is_string())
                    out.version = pkg["version"].get<std::string>();
                if (pkg.contains("license") && pkg["license"].is_string())
                    out.license = pkg["license"].get<std::string>();
                return out;
            }
        }
        if (dir == dir.parent_path())
            break;
    }
    return {};
}

}  // namespace

std::string default_cut_layer(const KerasGraph& graph) {
    static const std::set<std::string> top{"Dense",
                                           "Dropout",
                                           "Flatten",
                                           "Reshape",
                                           "Activation",
                                           "Softmax",
                                           "GlobalAveragePooling2D",
                                           "GlobalMaxPooling2D"};
    std::string at = graph.output;
    for (;;) {
        const KerasLayer* layer = nullptr;
        for (const auto& l : graph.layers)
            if (l.name == at)
                layer = &l;
        if (!layer || !top.count(layer->class_name) || layer->inputs.size() != 1)
            return at;
        at = layer->inputs[0];
    }
}

TfjsImportResult import_tfjs_model(const std::string& model_path, const std::string& out_dir,
                                   const TfjsImportOptions& options) {
    const TfjsLayersModel files = read_tfjs_layers_model(model_path);
    const KerasGraph full = parse_keras_graph(files.model_config, files.path);
    TfjsImportResult result;
    result.cut_layer = options.cut.empty() ? default_cut_layer(full) : options.cut;
    const KerasGraph graph = cut_keras_graph(full, result.cut_layer, files.path);
    KerasImageModel model(graph, /*num_classes=*/0, files.path);
    model.load_tfjs_weights(files.weights, files.path);
    result.feature_size = model.feature_size();
    result.parameter_count = vision::parameter_count(model);
    result.layers = graph.layers.size();
    std::set<std::string> kept;
    for (const auto& l : graph.layers)
        kept.insert(l.name);
    for (const auto& [name, w] : files.weights) {
        const std::string layer = name.substr(0, name.rfind('/'));
        const std::string base = layer.substr(layer.rfind('/') + 1);
        if (!kept.count(base))
            result.unused_weights.push_back(name);
    }

    fs::create_directories(out_dir);
    const fs::path dir(out_dir);
    json preprocessing;
    if (options.preprocessing_json.empty()) {
        preprocessing = {{"width", graph.input_shape[1]}, {"height", graph.input_shape[0]},
                         {"resize_shorter", 0},           {"channels", graph.input_shape[2]},
                         {"channel_order", "RGB"},        {"mean", json::array()},
                         {"std", json::array()}};
        for (std::int64_t c = 0; c < graph.input_shape[2]; ++c) {
            preprocessing["mean"].push_back(0.0);
            preprocessing["std"].push_back(1.0);
        }
    } else {
        preprocessing = json::parse(options.preprocessing_json, nullptr, false);
        if (preprocessing.is_discarded() || !preprocessing.is_object())
            throw Error("the preprocessing is not a JSON object",
                        SourceLocation{"", 0, 0, "preprocessing"});
    }
    write_json(dir / "keras_graph.json", keras_graph_to_json(graph));
    save_module_safetensors(model, (dir / "model.safetensors").string(), "",
                            {{"source_format", "tfjs"}, {"cut", result.cut_layer}});
    // Without --source / --license: the npm package the model ships in, when there is one.
    const NpmPackage package = find_npm_package(files.path);
    std::string source = options.source;
    if (source.empty() && !package.name.empty()) {
        std::error_code ec;
        const fs::path inside =
            fs::relative(fs::absolute(files.path, ec).parent_path(), package.root, ec);
        source = "npm " + package.name + (package.version.empty() ? "" : "@" + package.version) +
                 (inside.empty() || inside == "." ? "" : " " + inside.generic_string()) +
                 ", cut at " + result.cut_layer;
    }
    std::string license = options.license;
    if (license.empty() && !package.license.empty())
        license = package.license + " (package.json of npm " + package.name +
                  (package.version.empty() ? "" : "@" + package.version) + ")";
    json config = {
        {"architecture", "keras"},
        {"num_classes", 0},
        {"weights", "model.safetensors"},
        {"weights_format", "keras"},
        {"graph", "keras_graph.json"},
        {"input_shape", model.input_shape()},
        {"feature_size", result.feature_size},
        {"preprocessing", preprocessing},
        {"source",
         source.empty()
             ? "TF.js layers model " + fs::path(files.path).filename().string() +
                   (files.keras_version.empty() ? "" : " (Keras " + files.keras_version + ")") +
                   ", cut at " + result.cut_layer
             : source},
        {"license", license.empty() ? "unknown" : license}};
    write_json(dir / "config.json", config);
    return result;
}

}  // namespace tb::model::keras
