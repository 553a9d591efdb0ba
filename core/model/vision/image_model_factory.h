// Builds image models by architecture name and loads torchvision-named safetensors weights
// into them, reporting missing / unexpected / mis-shaped tensors by name.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/vision/image_model.h"
#include "model/weight_loading.h"

namespace tb::model::vision {

struct ImageModelSpec {
    // resnet18, resnet34, resnet50, mobilenet_v2 (torchvision names and layout), small_cnn, mlp.
    std::string architecture = "resnet18";
    std::int64_t num_classes = 1000;
    // small_cnn / mlp only (their dense layers depend on the input size); the torchvision
    // backbones take any size of 3-channel image (at least 32x32 is sensible).
    std::int64_t in_channels = 1;
    std::int64_t height = 28;
    std::int64_t width = 28;
};

// The architecture names make_image_model accepts, in display order.
const std::vector<std::string>& image_architecture_names();

// A freshly initialised model (torchvision's initialisation for the torchvision layouts).
// tb::Error naming the supported architectures for an unknown name.
std::shared_ptr<ImageModel> make_image_model(const ImageModelSpec& spec);

// Loads weights by name (torchvision's names, e.g. "layer1.0.conv1.weight"). Tensors under the
// model's head_prefix() may be missing or have another shape (a backbone trained for another
// number of classes): they keep their fresh initialisation and appear in the report. Any other
// missing or mis-shaped tensor throws tb::Error listing each by name and shape (the model is
// then partly loaded: discard it). Unexpected file tensors are reported, not fatal.
LoadReport load_image_weights(ImageModel& model, const std::vector<std::string>& safetensors_paths);

}  // namespace tb::model::vision
