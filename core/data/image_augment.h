// Training-time image augmentation (random resized crop, horizontal flip, small rotation, colour
// jitter) on 8-bit images, driven by an explicit seed so the result depends on nothing else
// (not on threads or on what was drawn before). Torch-free.
#pragma once

#include <cstdint>

#include "data/image_decode.h"
#include "data/image_transform.h"

namespace tb::data {

struct ImageAugmentation {
    bool random_resized_crop = false;
    double crop_min_scale = 0.08;   // smallest share of the image area the crop keeps
    bool horizontal_flip = false;   // mirror with probability 0.5
    double rotation_degrees = 0.0;  // angle drawn from [-d, d]
    double color_jitter = 0.0;      // brightness, contrast, saturation factors in [1-j, 1+j]
    bool any() const {
        return random_resized_crop || horizontal_flip || rotation_degrees > 0.0 ||
               color_jitter > 0.0;
    }
};

// The augmented image at the transform's width x height x channels: the random resized crop
// (torchvision's RandomResizedCrop: area share in [crop_min_scale, 1], aspect ratio in
// [3/4, 4/3], 10 tries, else the whole image) in place of fit_image, then the flip, the rotation
// about the centre (bilinear, outside filled with 0) and the colour jitter (brightness, then
// contrast around the mean grey level, then saturation around each pixel's grey value; clamped
// to [0, 255]). The same image, options and seed always give the same result.
Image augment_image(const Image& image, const ImageAugmentation& augmentation,
                    const ImageTransform& transform, std::uint64_t seed);

// A seed for one example's draws from the run seed, the epoch and the example's id.
std::uint64_t augmentation_seed(std::uint64_t run_seed, std::int64_t epoch, std::uint64_t example);

}  // namespace tb::data
