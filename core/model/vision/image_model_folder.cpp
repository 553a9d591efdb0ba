// Image model folders: config -> model -> weights -> preprocessing.
#include "model/vision/image_model_folder.h"

#include <filesystem>

#include "common/error.h"
#include "model/keras/js_module.h"
#include "model/keras/keras_graph.h"
#include "model/keras/keras_model.h"
#include "model/vision/image_model_factory.h"
#include "model/vision/torchscript_backbone.h"

namespace tb::model::vision {

LoadedImageModel load_image_model_folder(const std::string& dir, std::int64_t num_classes) {
    LoadedImageModel out;
    out.config = load_image_model_config(dir);
    const ImageModelConfig& c = out.config;
    const std::string config_path = (std::filesystem::path(dir) / "config.json").string();
    const std::string weights = (std::filesystem::path(dir) / c.weights).string();
    const std::int64_t classes = num_classes > 0 ? num_classes : c.num_classes;
    if (classes < 1)
        throw Error(
            "the model folder stores no head (num_classes is 0): choose the number of "
            "classes for the new head",
            SourceLocation{config_path, 0, 0, "num_classes"});

    const bool script = c.architecture == "torchscript";
    out.preprocessing = folder_preprocessing(c, config_path);
    std::vector<std::int64_t> shape = c.input_shape;
    if (shape.empty())
        shape = {out.preprocessing.channels, out.preprocessing.height, out.preprocessing.width};

    if (script) {
        out.warnings.push_back(kTorchScriptTrustWarning);
        out.model = std::make_shared<TorchScriptBackbone>(weights, shape, classes);
        return out;
    }
    if (c.architecture == "keras") {
        // An imported TF.js / Keras graph: rebuilt from the stored layer graph, weights by name.
        const std::string graph_path = (std::filesystem::path(dir) / c.graph).string();
        auto model = std::make_shared<keras::KerasImageModel>(
            keras::parse_keras_graph(keras::read_js_module_value(graph_path), graph_path),
            c.num_classes, graph_path);
        out.model = model;
        out.report = load_image_weights(*out.model, {weights});
        if (out.model->num_classes() != classes)
            out.model->reset_head(classes);
        return out;
    }
    ImageModelSpec spec;
    spec.architecture = c.architecture;
    spec.num_classes = c.num_classes > 0 ? c.num_classes : classes;
    spec.in_channels = shape[0];
    spec.height = shape[1];
    spec.width = shape[2];
    out.model = make_image_model(spec);
    out.report = load_image_weights(*out.model, {weights});
    if (out.model->num_classes() != classes)
        out.model->reset_head(classes);
    return out;
}

}  // namespace tb::model::vision
