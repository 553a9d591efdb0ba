#include "train/image_source.h"

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace tb::train {

std::size_t ImageSource::size() const {
    return arrays ? static_cast<std::size_t>(arrays->count) : paths.size();
}

std::string ImageSource::describe(std::size_t id) const {
    if (arrays)
        return arrays->source + " row " + std::to_string(id);
    return id < paths.size() ? paths[id] : "image #" + std::to_string(id);
}

data::Image ImageSource::image(std::size_t id) const {
    if (id >= size())
        throw Error("image example " + std::to_string(id) + " is out of range (" +
                        std::to_string(size()) + " examples)",
                    SourceLocation{{}, 0, 0, ""});
    if (!arrays)
        return data::decode_image_file(paths[id]);
    const auto& a = *arrays;
    data::Image img;
    img.width = a.width;
    img.height = a.height;
    img.channels = a.channels;
    const std::size_t n = static_cast<std::size_t>(a.width) * a.height * a.channels;
    img.pixels.assign(a.pixels.begin() + static_cast<std::ptrdiff_t>(id * n),
                      a.pixels.begin() + static_cast<std::ptrdiff_t>((id + 1) * n));
    return img;
}

std::vector<float> ImageSource::values(std::size_t id, std::int64_t epoch) const {
    const data::Image img = image(id);
    try {
        if (epoch >= 0 && augmentation.any()) {
            const auto seed = data::augmentation_seed(this->seed, epoch, id);
            return data::normalize_image(data::augment_image(img, augmentation, transform, seed),
                                         transform);
        }
        return data::preprocess_image(img, transform);
    } catch (const Error& e) {
        throw Error(describe(id) + ": " + e.what(), SourceLocation{describe(id), 0, 0, ""});
    }
}

data::ImageTransform image_transform_of(const io::DatasetConfig& d) {
    data::ImageTransform t;
    t.width = d.image_width;
    t.height = d.image_height;
    t.channels = d.image_channels;
    t.mode = data::resize_mode_from_name(d.image_resize);
    t.resize_shorter = d.image_resize_shorter;
    t.bgr = d.image_channel_order == "BGR";
    t.mean.assign(d.normalize_mean.begin(), d.normalize_mean.end());
    t.std.assign(d.normalize_std.begin(), d.normalize_std.end());
    return t;
}

data::ImageAugmentation image_augmentation_of(const io::DatasetConfig& d) {
    data::ImageAugmentation a;
    a.random_resized_crop = d.augment_random_resized_crop;
    a.crop_min_scale = d.augment_crop_min_scale;
    a.horizontal_flip = d.augment_horizontal_flip;
    a.rotation_degrees = d.augment_rotation_degrees;
    a.color_jitter = d.augment_color_jitter;
    return a;
}

std::string image_transform_json(const io::DatasetConfig& d) {
    nlohmann::ordered_json j;
    j["width"] = d.image_width;
    j["height"] = d.image_height;
    j["channels"] = d.image_channels;
    j["resize"] = d.image_resize;
    j["resize_shorter"] = d.image_resize_shorter;
    j["channel_order"] = d.image_channel_order;
    j["mean"] = d.normalize_mean;
    j["std"] = d.normalize_std;
    return j.dump();
}

}  // namespace tb::train
