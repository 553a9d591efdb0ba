// An HDF5 file built entirely in memory whose bytes are written to disk without a second copy.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "io/hdf5_handle.h"

namespace tb::io {

// Creates `name` with HDF5's core driver and no backing store: HDF5 itself never touches the
// disk, so an I/O error can never leave the library with a half-closed file (the reason
// checkpoints are built this way; see checkpoint_save.cpp). The driver's buffer is allocated
// through file-image callbacks, so write_image() writes HDF5's own buffer with one write()
// instead of first copying it out with H5Fget_file_image: the save holds the file once in
// memory, not twice.
class Hdf5MemoryFile {
public:
    // `fapl` must select the core driver without backing store (H5Pset_fapl_core); the
    // allocation callbacks are added to it. Throws tb::Error if HDF5 cannot create the file.
    Hdf5MemoryFile(const std::string& name, hid_t fapl);
    ~Hdf5MemoryFile();
    Hdf5MemoryFile(const Hdf5MemoryFile&) = delete;
    Hdf5MemoryFile& operator=(const Hdf5MemoryFile&) = delete;

    hid_t get() const { return file_.get(); }

    // Flushes HDF5's metadata into the buffer and writes the complete file image to `path`
    // (created or truncated) with write_whole_file. Throws tb::Error: "not enough memory ..."
    // if the buffer could not grow, HDF5's reason for a failed flush, or the OS reason for a
    // failed write (naming `path`). The file stays open; destroying the object frees it.
    void write_image(const std::string& path);

    // Bytes the driver's buffer holds now (for tests and benchmarks).
    std::size_t buffer_size() const;

    // Shared with the C callbacks; public only so the .cpp's callbacks can name it.
    struct Buffer;

private:
    std::unique_ptr<Buffer> buffer_;  // declared first: outlives file_, whose close frees into it
    Hdf5Id file_;
};

}  // namespace tb::io
