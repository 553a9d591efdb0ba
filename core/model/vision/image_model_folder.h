// Loads a tunebench image model folder (config.json + weights, see docs/models.md) into a
// ready model with its preprocessing.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/image_model_config.h"
#include "model/vision/image_model.h"
#include "model/vision/image_preprocessing.h"
#include "model/weight_loading.h"

namespace tb::model::vision {

struct LoadedImageModel {
    std::shared_ptr<ImageModel> model;
    ImagePreprocessing preprocessing;  // config's "preprocessing", else the architecture default
    ImageModelConfig config;
    LoadReport report;                  // empty for TorchScript (weights live in the module)
    std::vector<std::string> warnings;  // e.g. the TorchScript trust warning
};

// `num_classes` > 0 puts a head of that size on the backbone (a fresh one when it differs from
// the stored head); 0 keeps the config's num_classes (which must then be > 0). Errors name the
// folder's file and key or the tensor.
LoadedImageModel load_image_model_folder(const std::string& dir, std::int64_t num_classes = 0);

}  // namespace tb::model::vision
