// An image model's own preprocessing (how its backbone was trained) against the experiment's
// dataset.image_* / normalize_* keys, which are what a run uses: compare, describe, adopt.
// Torch-free, so the GUI can offer "use the model's preprocessing".
#pragma once

#include <optional>
#include <string>

#include "io/experiment_config.h"
#include "model/vision/image_preprocessing.h"

namespace tb::train {

// The preprocessing of the image model folder `dir` (config.json "preprocessing", else the
// architecture's default); std::nullopt when `dir` is not an image model folder. tb::Error for a
// folder whose config.json or preprocessing is invalid.
std::optional<model::vision::ImagePreprocessing> model_folder_preprocessing(const std::string& dir);

// True when the dataset keys prepare images exactly as `p` does (size, channels, channel order,
// resize recipe, mean and std).
bool dataset_uses_preprocessing(const io::DatasetConfig& dataset,
                                const model::vision::ImagePreprocessing& p);

// Sets the dataset's image_width/height/channels, image_resize (+ image_resize_shorter),
// image_channel_order and normalize_mean/std to `p`; augmentation keys are left alone.
void adopt_preprocessing(io::DatasetConfig& dataset, const model::vision::ImagePreprocessing& p);

// "3x224x224, resize shorter side to 256 + centre crop, RGB, mean [0.485, 0.456, 0.406], std
// [0.229, 0.224, 0.225]", for notes and logs.
std::string describe_preprocessing(const model::vision::ImagePreprocessing& p);
// The same description of what the dataset keys do.
std::string describe_dataset_preprocessing(const io::DatasetConfig& dataset);

}  // namespace tb::train
