// Small HDF5 writing helpers: groups, scalar attributes, tensors, string and float64 lists.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/tensor_blob.h"
#include "io/hdf5_handle.h"

namespace tb::io {

// Creates group `name` under `parent`, tracking link creation order so readers can list the
// members in the order they were written. Throws tb::Error.
Hdf5Id hdf5_create_group(hid_t parent, const std::string& name);
// Opens group `name` under `parent`, creating it (as above) if it does not exist.
Hdf5Id hdf5_require_group(hid_t parent, const std::string& name);

// Scalar attributes on a file, group or dataset. Strings are variable-length UTF-8.
void hdf5_write_attr(hid_t object, const std::string& name, const std::string& value);
void hdf5_write_attr(hid_t object, const std::string& name, std::int64_t value);
void hdf5_write_attr(hid_t object, const std::string& name, std::uint64_t value);
void hdf5_write_attr(hid_t object, const std::string& name, double value);
// Without this overload string literals would pick the bool-like pointer conversions.
inline void hdf5_write_attr(hid_t object, const std::string& name, const char* value) {
    hdf5_write_attr(object, name, std::string(value));
}

// Dataset `name` under `group` holding `tensor` in its own dtype and shape (0-d = scalar
// dataspace). Contiguous and uncompressed: checkpoints are written once and read whole, and
// raw float weights barely compress. The caller checked bytes.size() against the shape.
void hdf5_write_tensor(hid_t group, const std::string& name, const TensorBlob& tensor);
// 1-D dataset of variable-length UTF-8 strings (no embedded NULs).
void hdf5_write_strings(hid_t group, const std::string& name,
                        const std::vector<std::string>& values);
// 1-D float64 dataset.
void hdf5_write_doubles(hid_t group, const std::string& name, const std::vector<double>& values);

// Bytes that belong at `offset` of the file being built (see Hdf5DeferredData).
struct Hdf5DeferredWrite {
    std::uint64_t offset = 0;
    const void* data = nullptr;
    std::size_t size = 0;
};

// While alive, hdf5_write_tensor and hdf5_write_doubles on this thread do not pass their bytes
// through HDF5: the dataset's contiguous storage is allocated when it is created (never
// filled) and its bytes are recorded here, for the owner to write into the file at their offset
// (Hdf5MemoryFile::write_image). The bytes are exactly what H5Dwrite would store, since the
// memory type is the file type; doubles are deferred only where native doubles are IEEE
// little-endian. This keeps tensors out of an in-memory file's buffer. The recorded pointers
// refer to the caller's data, which must stay alive and unchanged until it is written.
class Hdf5DeferredData {
public:
    Hdf5DeferredData();
    ~Hdf5DeferredData();
    Hdf5DeferredData(const Hdf5DeferredData&) = delete;
    Hdf5DeferredData& operator=(const Hdf5DeferredData&) = delete;

    const std::vector<Hdf5DeferredWrite>& writes() const { return writes_; }
    // The innermost instance alive on this thread, or nullptr.
    static Hdf5DeferredData* current();
    void add(const Hdf5DeferredWrite& write) { writes_.push_back(write); }

private:
    std::vector<Hdf5DeferredWrite> writes_;
    Hdf5DeferredData* previous_ = nullptr;
};

}  // namespace tb::io
