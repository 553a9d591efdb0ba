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

// The same checks and results without reading X's values (`features` is empty): X's shape and
// type, and y whole. Memory: the labels (4 B per example, plus 8 B per example while reading
// them), whatever X's size. For previews and summaries of multi-GB feature arrays.
ArrayDataset read_hdf5_labels(const std::string& path, const std::string& x_name = "X",
                              const std::string& y_name = "y");

// Rows `rows` of X (0-based, any order, repeats allowed), read with one hyperslab selection so
// that only those rows leave the file, as float32: rows.size() x product(feature shape),
// row-major, in the order given. Throws tb::Error naming the file and dataset for a row past
// the end or a read failure.
std::vector<float> read_hdf5_rows(const std::string& path, const std::string& x_name,
                                  const std::vector<std::size_t>& rows);

// Rows [first, first + count) of X as float32 (count x product(feature shape), row-major), read
// with one contiguous hyperslab: for reading a large X block by block. tb::Error as above.
std::vector<float> read_hdf5_row_range(const std::string& path, const std::string& x_name,
                                       std::size_t first, std::size_t count);

}  // namespace tb::data
