// Image preprocessing without Torch: channel conversion, bilinear resize, center crop and
// per-channel normalization into a plain float CHW buffer a model input is made from.
#pragma once

#include <string>
#include <vector>

#include "data/image_decode.h"

namespace tb::data {

// Stretch: resize to exactly width x height (aspect ratio not kept). ShorterSideCrop: resize the
// shorter side (to `resize_shorter` pixels, or just enough to cover width x height when it is 0),
// then center-crop (the ImageNet evaluation recipe: resize 256, crop 224). CenterCrop: crop the
// center without resizing (images smaller than the target are resized up first).
enum class ResizeMode { Stretch, ShorterSideCrop, CenterCrop };
ResizeMode resize_mode_from_name(const std::string& name);  // "stretch", "shorter_side_crop",
                                                            // "center_crop"; throws tb::Error
struct ImageTransform {
    int width = 224;
    int height = 224;
    int channels = 3;  // 1 (grey) or 3 (RGB): inputs are converted, alpha dropped
    ResizeMode mode = ResizeMode::ShorterSideCrop;
    // ShorterSideCrop only: > 0 resizes the shorter side to this many pixels with the longer side
    // scaled and truncated, as torchvision's Resize(int); 0 covers the crop exactly.
    int resize_shorter = 0;
    bool bgr = false;  // 3 channels: the model takes blue, green, red (Caffe-style weights)
    std::vector<float> mean{0.485f, 0.456f, 0.406f};  // per channel, on [0, 1] values
    std::vector<float> std{0.229f, 0.224f, 0.225f};
};

// To 1 or 3 channels: grey = ITU-R BT.601 luma (0.299 R + 0.587 G + 0.114 B, as PIL's "L"),
// grey -> RGB by repetition, alpha dropped.
Image convert_channels(const Image& image, int channels);

// Bilinear with half-pixel centres and edge clamping, the same sampling as
// torch.nn.functional.interpolate(mode="bilinear", align_corners=False) without antialiasing;
// results rounded to the nearest 8-bit value.
Image resize_bilinear(const Image& image, int width, int height);

// The centre width x height window (offsets rounded as torchvision's center_crop does).
Image center_crop(const Image& image, int width, int height);

// convert_channels -> resize/crop per `mode`: an 8-bit image of exactly width x height x channels.
Image fit_image(const Image& image, const ImageTransform& transform);

// (pixel / 255 - mean[c]) / std[c] of an image already fitted (fit_image), as CHW floats; with
// `bgr` the planes are blue, green, red and mean/std are given in that order.
// tb::Error for another size or channel count, or mean/std without one value per channel.
std::vector<float> normalize_image(const Image& fitted, const ImageTransform& transform);

// fit_image -> normalize_image: convert_channels -> resize/crop per `mode` -> (pixel / 255 -
// mean[c]) / std[c], as a CHW float buffer of channels * height * width values. mean/std must have
// `channels` entries (tb::Error otherwise).
std::vector<float> preprocess_image(const Image& image, const ImageTransform& transform);

}  // namespace tb::data
