// In-memory HDF5 file written out from the driver's own buffer (see hdf5_memory_file.h).
#include "io/hdf5_memory_file.h"

#include <cstdlib>
#include <cstring>
#include <vector>

#include "common/atomic_file.h"
#include "common/error.h"

namespace tb::io {

// The one buffer the core driver uses for this file, tracked so it can be written out directly.
struct Hdf5MemoryFile::Buffer {
    void* data = nullptr;
    std::size_t size = 0;
    std::size_t failed_size = 0;  // size of an allocation that failed (0: none failed)
};

namespace {

using Buffer = Hdf5MemoryFile::Buffer;

// The core driver of HDF5 1.10 allocates a new file's buffer with image_realloc (from a null
// pointer) and frees it with image_free on close; image_malloc / image_memcpy serve images
// passed in through a property list, which these files never have. All follow the C library
// contracts HDF5 documents, and record where the buffer is.
void* image_malloc(std::size_t size, H5FD_file_image_op_t /*op*/, void* udata) {
    auto* buffer = static_cast<Buffer*>(udata);
    void* data = std::malloc(size);
    if (data == nullptr)
        buffer->failed_size = size;
    return data;
}

void* image_memcpy(void* dest, const void* src, std::size_t size, H5FD_file_image_op_t /*op*/,
                   void* /*udata*/) {
    return std::memcpy(dest, src, size);
}

void* image_realloc(void* ptr, std::size_t size, H5FD_file_image_op_t op, void* udata) {
    auto* buffer = static_cast<Buffer*>(udata);
    void* data = std::realloc(ptr, size);
    if (data == nullptr && size > 0) {
        buffer->failed_size = size;
        return nullptr;
    }
    if (op == H5FD_FILE_IMAGE_OP_FILE_RESIZE) {
        buffer->data = data;
        buffer->size = size;
    }
    return data;
}

herr_t image_free(void* ptr, H5FD_file_image_op_t op, void* udata) {
    auto* buffer = static_cast<Buffer*>(udata);
    if (op == H5FD_FILE_IMAGE_OP_FILE_CLOSE && ptr == buffer->data) {
        buffer->data = nullptr;
        buffer->size = 0;
    }
    std::free(ptr);
    return 0;
}

// HDF5 copies the callbacks with the property list; every copy shares our one Buffer, which
// the Hdf5MemoryFile owns.
void* udata_copy(void* udata) {
    return udata;
}

herr_t udata_free(void* /*udata*/) {
    return 0;
}

}  // namespace

Hdf5MemoryFile::Hdf5MemoryFile(const std::string& name, hid_t fapl)
    : buffer_(std::make_unique<Buffer>()) {
    H5FD_file_image_callbacks_t callbacks{image_malloc, image_memcpy, image_realloc, image_free,
                                          udata_copy,   udata_free,   buffer_.get()};
    hdf5_check(H5Pset_file_image_callbacks(fapl, &callbacks),
               "cannot set up the in-memory HDF5 file");
    file_ = hdf5_own(H5Fcreate(name.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl), H5Fclose,
                     "cannot create the HDF5 file");
}

Hdf5MemoryFile::~Hdf5MemoryFile() {
    file_.reset();
}

std::size_t Hdf5MemoryFile::buffer_size() const {
    return buffer_->size;
}

void Hdf5MemoryFile::write_image(const std::string& path) {
    auto out_of_memory = [&] {
        return Error("not enough memory to build the file in memory (" +
                     std::to_string(buffer_->failed_size >> 20) + " MiB needed)");
    };
    if (buffer_->failed_size != 0)
        throw out_of_memory();
    if (H5Fflush(file_.get(), H5F_SCOPE_GLOBAL) < 0) {
        if (buffer_->failed_size != 0)
            throw out_of_memory();
        throw Error("cannot flush the HDF5 file: " + hdf5_error_reason());
    }
    // The file's end as HDF5 records it in the superblock; the buffer covers at least that.
    const ssize_t ssize = H5Fget_file_image(file_.get(), nullptr, 0);
    if (ssize < 0)
        throw Error("cannot measure the HDF5 file: " + hdf5_error_reason());
    const auto size = static_cast<std::size_t>(ssize);
    if (buffer_->data == nullptr || buffer_->size < size)
        throw Error("the in-memory HDF5 file is smaller than its recorded size (" +
                    std::to_string(buffer_->size) + " < " + std::to_string(size) + " bytes)");
    // A file still open for writing carries "open for writing" flags in its superblock;
    // H5Fget_file_image clears them in its copy, and so do we, in the buffer itself (HDF5 keeps
    // the superblock in its cache and rewrites it on close). Superblock versions 0 and 1 (ours)
    // hold them in bytes 20-23; for any other layout take HDF5's copy instead.
    auto* bytes = static_cast<unsigned char*>(buffer_->data);
    static const unsigned char kSignature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    if (size >= 24 && std::memcmp(bytes, kSignature, sizeof kSignature) == 0 && bytes[8] <= 1) {
        std::memset(bytes + 20, 0, 4);
        write_whole_file(path, bytes, size);
        return;
    }
    std::vector<unsigned char> image(size);
    if (H5Fget_file_image(file_.get(), image.data(), image.size()) != ssize)
        throw Error("cannot copy the HDF5 file image: " + hdf5_error_reason());
    write_whole_file(path, image.data(), image.size());
}

}  // namespace tb::io
