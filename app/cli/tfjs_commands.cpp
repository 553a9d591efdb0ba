// `tunebench-cli import-tfjs`: TF.js layers model -> tunebench image model folder.
#include "tfjs_commands.h"

#include <iostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "model/keras/keras_import.h"

namespace tb::cli {

int run_import_tfjs(const ImportTfjsOptions& o) {
    try {
        model::keras::TfjsImportOptions options;
        options.cut = o.cut;
        options.preprocessing_json = o.preprocessing;
        options.source = o.source;
        options.license = o.license;
        const auto r = model::keras::import_tfjs_model(o.model, o.out, options);
        if (o.json) {
            std::cout << nlohmann::json{{"out", o.out},
                                        {"cut", r.cut_layer},
                                        {"layers", r.layers},
                                        {"feature_size", r.feature_size},
                                        {"parameters", r.parameter_count},
                                        {"unused_weights", r.unused_weights}}
                             .dump()
                      << '\n';
        } else {
            std::cout << "imported " << r.layers << " layers (cut at " << r.cut_layer << ", "
                      << r.feature_size << " features, " << r.parameter_count
                      << " parameters) into " << o.out << '\n';
            if (!r.unused_weights.empty())
                std::cout << r.unused_weights.size()
                          << " weights of layers after the cut were left out\n";
        }
        return 0;
    } catch (const Error& e) {
        std::cerr << "import-tfjs: " << e.what() << '\n';
        return 1;
    }
}

TfjsCommands::TfjsCommands(CLI::App& app) {
    import_cmd_ = app.add_subcommand(
        "import-tfjs",
        "Convert a TF.js / Keras layers model (model.json or a JavaScript bundle such as "
        "model.min.js, with its weight shards) into an image model folder");
    import_cmd_
        ->add_option("model", options_.model, "model.json / model.min.js, or a folder holding one")
        ->required()
        ->check(CLI::ExistingPath);
    import_cmd_->add_option("--out", options_.out, "Image model folder to write")->required();
    import_cmd_->add_option("--cut", options_.cut,
                            "Layer whose output becomes the backbone's features (default: the "
                            "layer before the classifier top)");
    import_cmd_->add_option("--preprocessing", options_.preprocessing,
                            "Preprocessing JSON object for config.json (default: the model's "
                            "input size, stretched, RGB, pixel / 255)");
    import_cmd_->add_option("--source", options_.source, "Where the model comes from");
    import_cmd_->add_option("--license", options_.license, "The model's licence");
    import_cmd_->add_flag("--json", options_.json, "Print the result as one JSON object");
}

int TfjsCommands::run() {
    return *import_cmd_ ? run_import_tfjs(options_) : -1;
}

}  // namespace tb::cli
