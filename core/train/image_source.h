// Where an image run's pixels come from: image files decoded per batch (memory stays bounded
// whatever the folder's size) or one in-memory 8-bit array (IDX, HDF5), with the run's
// preprocessing and its training-only augmentation. Torch-free.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "data/idx_reader.h"
#include "data/image_augment.h"
#include "data/image_decode.h"
#include "data/image_transform.h"
#include "io/experiment_config.h"

namespace tb::train {

struct ImageSource {
    std::vector<std::string> paths;                         // file-backed: one per example id
    std::shared_ptr<const data::ImageArrayDataset> arrays;  // or: example id = array row
    data::ImageTransform transform;
    data::ImageAugmentation augmentation;
    std::uint64_t seed = 0;  // training.seed: augmentation draws depend on it

    std::size_t size() const;
    // The example for messages: its file path, or "<array file> row N".
    std::string describe(std::size_t id) const;
    // The decoded 8-bit image; tb::Error naming the file when it cannot be decoded.
    data::Image image(std::size_t id) const;
    // channels * height * width values (CHW), normalised as `transform` says; augmented (from
    // seed, epoch and id) when `epoch` >= 0 and the augmentation does anything.
    std::vector<float> values(std::size_t id, std::int64_t epoch = -1) const;
    std::size_t value_count() const {
        return static_cast<std::size_t>(transform.channels) *
               static_cast<std::size_t>(transform.width) *
               static_cast<std::size_t>(transform.height);
    }
};

// The experiment's dataset.image_* / normalize_* keys as a transform, and its augment_* keys.
data::ImageTransform image_transform_of(const io::DatasetConfig& dataset);
data::ImageAugmentation image_augmentation_of(const io::DatasetConfig& dataset);

// The preprocessing as one JSON object (run.json, logs): size, channels, resize, mean, std.
std::string image_transform_json(const io::DatasetConfig& dataset);

}  // namespace tb::train
