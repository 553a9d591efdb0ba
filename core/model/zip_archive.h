// A minimal read-only zip reader (stored and deflated entries, zip64) for model archives.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tb::model {

// Reads the central directory once; entries are read on demand. Enough for the archives
// torch.jit.save writes (PyTorch's miniz writer: stored data, deflated code, zip64 records).
// Every malformed structure is a tb::Error naming the file and what is wrong.
class ZipArchive {
public:
    struct Entry {
        std::string name;
        std::uint16_t method = 0;  // 0 stored, 8 deflated
        std::uint64_t compressed_size = 0, size = 0;
        std::uint64_t local_header_offset = 0;
    };

    static ZipArchive open(const std::string& path);

    const std::vector<Entry>& entries() const { return entries_; }
    // The entry named `name`, or nullptr.
    const Entry* find(const std::string& name) const;
    // The entry's uncompressed bytes; refuses entries larger than `max_bytes`.
    std::string read(const Entry& entry, std::uint64_t max_bytes = 256u << 20) const;

private:
    std::string path_;
    std::uint64_t file_size_ = 0;
    std::vector<Entry> entries_;
};

}  // namespace tb::model
