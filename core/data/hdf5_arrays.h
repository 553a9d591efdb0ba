// HDF5 array datasets: a feature array (`X` or a chosen name) and a label array (`y`) of the same
// length, for users who already have features in HDF5 (e.g. from h5py or pandas).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "data/label_map.h"

namespace tb::data {

struct ArrayDataset {
    std::string source;
    std::string x_name, y_name;
    std::size_t count = 0;                   // examples (first dimension of X and y)
    std::vector<std::size_t> feature_shape;  // X's shape without the first dimension
    std::vector<float> features;             // count * product(feature_shape), row-major
    std::vector<int> labels;                 // class ids into `classes`
    LabelMap classes;  // integer labels: "0".."max"; string labels: sorted names
};

// Reads the whole of X (any numeric type, converted to float32 by HDF5) and y (integers >= 0 or
// strings) into memory. Throws tb::Error naming the file and dataset for: a missing dataset
// (listing the root's datasets), a non-numeric X, y not 1-D (or N x 1), lengths that differ,
// negative or non-integer labels.
ArrayDataset read_hdf5_arrays(const std::string& path, const std::string& x_name = "X",
                              const std::string& y_name = "y");

}  // namespace tb::data
