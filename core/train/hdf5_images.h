// HDF5 X/y arrays as a run's 8-bit images, read block by block: memory holds the 8-bit array
// (1 byte per value) and one block of float32 rows, never X whole as float32. Torch-free.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "data/idx_reader.h"

namespace tb::train {

// X of shape N x H x W (grey), N x H x W x C or N x C x H x W (C = 1 or 3) and labels y. Values
// in [0, 1] (X's maximum <= 1) are scaled by 255; others are taken as pixel values; all are
// rounded and clamped to [0, 255]. X is read twice (its maximum, then the pixels), at most
// `block_values` floats at a time (at least one row). tb::Error naming the file and key for a
// shape that is not an image, and as data::read_hdf5_labels for the rest.
std::shared_ptr<data::ImageArrayDataset> read_hdf5_images(const std::string& path,
                                                          const std::string& x_name,
                                                          const std::string& y_name,
                                                          std::size_t block_values = 1u << 24);

}  // namespace tb::train
