// Small HDF5 reading helpers: listing members in order, attributes, tensors, lists.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/tensor_blob.h"
#include "io/hdf5_handle.h"

namespace tb::io {

// What a group member is.
enum class Hdf5Kind { Group, Dataset, Other };

struct Hdf5Member {
    std::string name;
    Hdf5Kind kind = Hdf5Kind::Other;
};

// Members of `group` in creation order when the writer tracked it (ours always does), else in
// name order (files from other writers).
std::vector<Hdf5Member> hdf5_list_members(hid_t group);

bool hdf5_has_link(hid_t parent, const std::string& name);
Hdf5Id hdf5_open_group(hid_t parent, const std::string& name);

// Scalar attributes; std::nullopt if absent. Numbers are converted by HDF5 from whatever
// numeric type was stored; a wrong kind (string vs number) or a non-scalar throws tb::Error.
std::optional<std::string> hdf5_read_string_attr(hid_t object, const std::string& name);
std::optional<std::int64_t> hdf5_read_int_attr(hid_t object, const std::string& name);
std::optional<std::uint64_t> hdf5_read_uint_attr(hid_t object, const std::string& name);
std::optional<double> hdf5_read_double_attr(hid_t object, const std::string& name);

// Dataset `name` under `group` as a TensorBlob called `blob_name` (dtype from the stored type,
// shape from the dataspace; a scalar dataspace gives shape {}).
TensorBlob hdf5_read_tensor(hid_t group, const std::string& name, const std::string& blob_name);
// 1-D dataset of strings (variable- or fixed-length).
std::vector<std::string> hdf5_read_strings(hid_t group, const std::string& name);
// 1-D numeric dataset converted to float64.
std::vector<double> hdf5_read_doubles(hid_t group, const std::string& name);

}  // namespace tb::io
