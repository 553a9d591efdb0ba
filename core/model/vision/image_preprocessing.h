// How images are prepared for an image model (size, resize + centre crop, channels, mean/std),
// as a small value type with a JSON form so checkpoints and model folders can store it.
// Torch-free.
#pragma once

#include <string>
#include <vector>

#include "data/image_decode.h"
#include "data/image_transform.h"
#include "model/image_model_config.h"

namespace tb::model::vision {

struct ImagePreprocessing {
    int width = 224;  // model input size after the crop
    int height = 224;
    // > 0: resize so the shorter side has this many pixels (aspect ratio kept), then take the
    // centre width x height crop (torchvision's Resize(256) + CenterCrop(224)). 0: stretch the
    // image to exactly width x height.
    int resize_shorter = 256;
    int channels = 3;                   // 1 (grey) or 3
    std::string channel_order = "RGB";  // "RGB" or "BGR" (order of the model's input channels)
    std::vector<float> mean{0.485f, 0.456f, 0.406f};  // per model input channel (in
                                                      // channel_order), on [0, 1] values
    std::vector<float> std{0.229f, 0.224f, 0.225f};

    bool operator==(const ImagePreprocessing& other) const;
};

// Defaults per architecture: ImageNet statistics at 224 (resize 256) for resnet18/34/50 and
// mobilenet_v2; 28x28 greyscale stretched, mean 0 / std 1 (pixel / 255) for small_cnn and mlp.
// tb::Error for an unknown architecture.
ImagePreprocessing default_preprocessing(const std::string& architecture);

// What an image model folder says about its input: its config's "preprocessing", else its
// architecture's default (a TorchScript folder without one: the ImagePreprocessing defaults).
// `config_path` names the config.json in errors.
ImagePreprocessing folder_preprocessing(const ImageModelConfig& config,
                                        const std::string& config_path);

// Throws tb::Error naming the field for sizes < 1, channels other than 1/3, an unknown channel
// order, mean/std without one entry per channel, or std <= 0.
void validate(const ImagePreprocessing& p);

// {"width":224,"height":224,"resize_shorter":256,"channels":3,"channel_order":"RGB",
//  "mean":[...],"std":[...]}; every key required when parsing, unknown keys are errors.
std::string to_json(const ImagePreprocessing& p);
// `source` names where the text came from in error messages (a file path or checkpoint path).
ImagePreprocessing image_preprocessing_from_json(const std::string& text,
                                                 const std::string& source = "");

// The same recipe as the data pipeline's transform (resize_shorter 0 = stretch). Validates `p`.
data::ImageTransform to_transform(const ImagePreprocessing& p);

// Decoded image -> CHW float values (channels * height * width) ready for the model.
std::vector<float> preprocess(const data::Image& image, const ImagePreprocessing& p);

}  // namespace tb::model::vision
