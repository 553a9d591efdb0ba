// Our own safetensors reader/writer (format: u64 LE header length, JSON header mapping names to
// {dtype, shape, data_offsets}, optional "__metadata__", then raw little-endian bytes). Torch-free.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/tensor_blob.h"

namespace tb::model {

struct SafetensorsEntry {
    std::string name;
    DType dtype = DType::F32;
    std::vector<std::int64_t> shape;
    std::uint64_t begin = 0;  // byte offsets relative to the start of the data section
    std::uint64_t end = 0;
};

class SafetensorsFile {
public:
    // Reads and validates the header: size fits the file, JSON parses, every entry has a known
    // dtype, non-negative shape, offsets inside the data section with end-begin == numel*size,
    // and no overlaps. Any violation throws tb::Error naming the file and the tensor.
    static SafetensorsFile open(const std::string& path);

    const std::vector<SafetensorsEntry>& entries() const { return entries_; }  // sorted by name
    const SafetensorsEntry* find(const std::string& name) const;               // nullptr if absent
    const std::map<std::string, std::string>& metadata() const { return metadata_; }
    // Reads one tensor from disk per call (the file is never loaded whole); safe to call from
    // several threads. Throws tb::Error if absent or if the file has shrunk since open().
    TensorBlob read(const std::string& name) const;
    const std::string& path() const { return path_; }

private:
    std::string path_;
    std::uint64_t data_start_ = 0;
    std::vector<SafetensorsEntry> entries_;
    std::map<std::string, std::string> metadata_;
};

// Writes atomically (path + ".tmp", fsync, rename). Tensors are laid out in name order after a
// header padded with spaces to a multiple of 8 bytes. Throws tb::Error (nothing written) for a
// blob whose byte count does not match its shape, a duplicate or reserved name, or an I/O error.
void write_safetensors(const std::string& path, const std::vector<TensorBlob>& tensors,
                       const std::map<std::string, std::string>& metadata = {});

}  // namespace tb::model
