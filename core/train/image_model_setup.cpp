#include "train/image_model_setup.h"

#include <filesystem>

#include "common/error.h"
#include "model/vision/image_model_factory.h"
#include "model/vision/image_model_folder.h"
#include "model/vision/torchscript_backbone.h"
#include "train/image_source.h"
#include "train/model_image_preprocessing.h"

namespace fs = std::filesystem;

namespace tb::train {
namespace {

std::string shape_text(const data::ImageTransform& t) {
    return std::to_string(t.channels) + "x" + std::to_string(t.height) + "x" +
           std::to_string(t.width);
}

// A folder's backbone was trained with its own preprocessing: say so when the experiment's
// differs (the experiment's settings are what the run uses, and what the checkpoint keeps).
void compare_preprocessing(const model::vision::ImagePreprocessing& p,
                           const io::DatasetConfig& dataset, std::vector<std::string>& notes) {
    if (dataset_uses_preprocessing(dataset, p))
        return;
    notes.push_back("the model folder's preprocessing (" + describe_preprocessing(p) +
                    ") differs from the experiment's dataset.image_* / normalize_* (" +
                    describe_dataset_preprocessing(dataset) +
                    "); the experiment's is used. Set them to the folder's to match how the "
                    "backbone was trained (the Data page's \"Use the model's preprocessing\")");
}

}  // namespace

ImageModelSetup build_image_model(const io::ExperimentConfig& config, std::int64_t num_classes) {
    const auto& m = config.model;
    const data::ImageTransform t = image_transform_of(config.dataset);
    ImageModelSetup out;
    if (!m.architecture.empty()) {
        const bool torchvision = m.architecture != "small_cnn" && m.architecture != "mlp";
        if (torchvision && t.channels != 3)
            throw Error(m.architecture + " takes RGB images: set dataset.image_channels: 3",
                        SourceLocation{config.base_dir, 0, 0, "dataset.image_channels"});
        model::vision::ImageModelSpec spec;
        spec.architecture = m.architecture;
        spec.num_classes = num_classes;
        spec.in_channels = t.channels;
        spec.height = t.height;
        spec.width = t.width;
        out.model = model::vision::make_image_model(spec);
        out.notes.push_back(m.architecture + " from scratch (random initialisation), input " +
                            shape_text(t));
    } else {
        const std::string path = config.resolve(m.path);
        if (fs::is_directory(path)) {
            auto loaded = model::vision::load_image_model_folder(path, num_classes);
            out.model = loaded.model;
            out.notes.push_back(loaded.config.architecture + " from " + path);
            if (!loaded.report.loaded.empty() || !loaded.report.missing.empty())
                out.notes.push_back(std::to_string(loaded.report.loaded.size()) +
                                    " tensors loaded; new head for " + std::to_string(num_classes) +
                                    " classes");
            for (const auto& w : loaded.warnings)
                out.notes.push_back("warning: " + w);
            compare_preprocessing(loaded.preprocessing, config.dataset, out.notes);
        } else if (fs::is_regular_file(path)) {
            out.model = std::make_shared<model::vision::TorchScriptBackbone>(
                path, std::vector<std::int64_t>{t.channels, t.height, t.width}, num_classes);
            out.notes.push_back("TorchScript backbone " + path + " (" +
                                std::to_string(out.model->feature_size()) + " features)");
            out.notes.push_back(std::string("warning: ") + model::vision::kTorchScriptTrustWarning);
        } else {
            throw Error("no image model folder or TorchScript file at " + path,
                        SourceLocation{path, 0, 0, "model.path"});
        }
    }
    if (m.freeze_backbone) {
        const std::string head = out.model->head_prefix();
        std::int64_t frozen = 0;
        for (auto& p : out.model->named_parameters()) {
            if (p.key().compare(0, head.size(), head) != 0) {
                p.value().set_requires_grad(false);
                frozen += p.value().numel();
            }
        }
        out.notes.push_back("backbone frozen (" + std::to_string(frozen) +
                            " parameters, batch norm in eval mode with its stored statistics); "
                            "only the head '" +
                            head + "' trains");
    }
    out.model->train();
    return out;
}

}  // namespace tb::train
