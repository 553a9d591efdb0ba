// An HDF5 file built entirely in memory and then written to disk in one sequential pass.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "io/hdf5_handle.h"
#include "io/hdf5_write.h"

namespace tb::io {

// An HDF5 file held by HDF5's core driver without backing store: HDF5 itself never touches the
// disk, so an I/O error can never leave the library with a half-closed file (the reason
// checkpoints are built this way; see checkpoint_save.cpp). write_image() writes it out.
//
// Memory: the driver works on a buffer of `capacity` bytes of reserved address space (an
// anonymous mapping) starting as an empty HDF5 file, through file-image callbacks, so only
// the pages HDF5 actually writes become resident. Tensors written inside an Hdf5DeferredData
// scope are never written by HDF5 (their space is only reserved), so a checkpoint's buffer
// holds just metadata and strings, and write_image streams the tensors from the caller's
// memory. Without deferral the buffer holds the whole file, once.
class Hdf5MemoryFile {
public:
    // `fapl` must select the core driver without backing store (H5Pset_fapl_core); it is
    // copied, not modified. `capacity`: the expected file size (reserving more address space
    // costs nothing; a larger file grows the buffer). The file gets a unique name of its own
    // that exists nowhere on disk. Throws tb::Error.
    Hdf5MemoryFile(hid_t fapl, std::size_t capacity);
    ~Hdf5MemoryFile();
    Hdf5MemoryFile(const Hdf5MemoryFile&) = delete;
    Hdf5MemoryFile& operator=(const Hdf5MemoryFile&) = delete;

    hid_t get() const { return file_.get(); }

    // Flushes HDF5's metadata into the buffer and writes the complete file to `path` (created
    // or truncated) front to back: buffer bytes, with each deferred write's bytes in its place.
    // Throws tb::Error: "not enough memory ..." if the buffer could not grow, HDF5's reason for
    // a failed flush, or the OS reason for a failed write (naming `path`, with advice). The
    // file stays open; destroying the object frees it.
    void write_image(const std::string& path, std::vector<Hdf5DeferredWrite> deferred = {});

    // Bytes of the buffer resident in memory now (for tests and benchmarks).
    std::size_t resident_bytes() const;

    // Shared with the C callbacks; public only so the .cpp's callbacks can name it.
    struct Buffer;

private:
    std::unique_ptr<Buffer> buffer_;  // declared first: outlives fapl_ and file_
    Hdf5Id fapl_;
    Hdf5Id file_;
};

}  // namespace tb::io
