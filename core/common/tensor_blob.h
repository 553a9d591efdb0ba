// A tensor as plain bytes: the Torch-free currency between file formats (safetensors, HDF5)
// and the model code, so readers and writers compile and test without LibTorch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tb {

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, Bool };

// Bytes per element; names as safetensors writes them ("F32", "BF16", ...).
std::size_t dtype_size(DType dtype);
std::string dtype_name(DType dtype);
// Throws tb::Error for an unknown name.
DType dtype_from_name(const std::string& name);

// "[2, 3]" for messages that name a tensor's shape.
std::string shape_text(const std::vector<std::int64_t>& shape);

struct TensorBlob {
    std::string name;
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::vector<std::byte> bytes;  // little-endian, row-major, exactly numel * dtype_size

    std::int64_t numel() const;
};

}  // namespace tb
