// Image model construction by name and weight loading.
#include "model/vision/image_model_factory.h"

#include "common/error.h"
#include "model/safetensors.h"
#include "model/vision/mlp.h"
#include "model/vision/mobilenet_v2.h"
#include "model/vision/resnet.h"
#include "model/vision/small_cnn.h"

namespace tb::model::vision {

const std::vector<std::string>& image_architecture_names() {
    static const std::vector<std::string> names{"resnet18",     "resnet34",  "resnet50",
                                                "mobilenet_v2", "small_cnn", "mlp"};
    return names;
}

std::shared_ptr<ImageModel> make_image_model(const ImageModelSpec& spec) {
    const std::string& a = spec.architecture;
    if (a == "resnet18" || a == "resnet34" || a == "resnet50")
        return std::make_shared<ResNet>(resnet_options(a, spec.num_classes));
    if (a == "mobilenet_v2") {
        MobileNetV2Options o;
        o.num_classes = spec.num_classes;
        return std::make_shared<MobileNetV2>(o);
    }
    if (a == "small_cnn") {
        SmallCnnOptions o;
        o.in_channels = spec.in_channels;
        o.height = spec.height;
        o.width = spec.width;
        o.num_classes = spec.num_classes;
        return std::make_shared<SmallCnn>(o);
    }
    if (a == "mlp") {
        MlpOptions o;
        o.in_features = spec.in_channels * spec.height * spec.width;
        o.num_classes = spec.num_classes;
        return std::make_shared<Mlp>(o);
    }
    std::string known;
    for (const auto& n : image_architecture_names())
        known += (known.empty() ? "" : ", ") + n;
    throw Error("unknown image architecture '" + a + "'; supported: " + known,
                SourceLocation{"", 0, 0, "architecture"});
}

LoadReport load_image_weights(ImageModel& model,
                              const std::vector<std::string>& safetensors_paths) {
    if (safetensors_paths.empty())
        throw Error("no weights file given for the " + model.architecture() + " model",
                    SourceLocation{"", 0, 0, "weights"});
    std::vector<SafetensorsFile> files;
    for (const auto& path : safetensors_paths)
        files.push_back(SafetensorsFile::open(path));
    return load_weights(model, files, /*prefix=*/"", {model.head_prefix()});
}

}  // namespace tb::model::vision
