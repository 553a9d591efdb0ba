// In-memory HDF5 file on a lazily populated buffer, written out in one pass (see
// hdf5_memory_file.h).
#include "io/hdf5_memory_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <vector>

#include "common/atomic_file.h"
#include "common/error.h"

namespace tb::io {

// The one buffer the core driver works on: an anonymous mapping of `mapped` bytes, of which
// the driver uses the first `size`.
struct Hdf5MemoryFile::Buffer {
    void* data = nullptr;
    std::size_t mapped = 0;
    std::size_t size = 0;
    std::size_t failed_size = 0;  // size of an allocation that failed (0: none failed)
};

namespace {

using Buffer = Hdf5MemoryFile::Buffer;

std::size_t page_rounded(std::size_t n) {
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    return (n + page - 1) / page * page;
}

bool map_buffer(Buffer& buffer, std::size_t size) {
    const std::size_t length = page_rounded(std::max<std::size_t>(size, 1));
    void* data = ::mmap(nullptr, length, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (data == MAP_FAILED) {
        buffer.failed_size = size;
        return false;
    }
    buffer.data = data;
    buffer.mapped = length;
    buffer.size = size;
    return true;
}

// The file image callbacks share our one buffer between the property lists and the driver
// instead of copying it (as HDF5's file image guide describes for zero-copy images): every
// allocation of the image returns the buffer, copies onto itself are no-ops, and only the
// driver's close releases it. Growth beyond the mapping moves it with mremap; pages the
// driver never writes are never touched, so they cost no memory.
void* image_malloc(std::size_t size, H5FD_file_image_op_t /*op*/, void* udata) {
    auto* buffer = static_cast<Buffer*>(udata);
    if (buffer->data != nullptr && size <= buffer->mapped)
        return buffer->data;
    return nullptr;  // never asked for more than the image we set
}

void* image_memcpy(void* dest, const void* src, std::size_t size, H5FD_file_image_op_t /*op*/,
                   void* /*udata*/) {
    return dest == src ? dest : std::memcpy(dest, src, size);
}

void* image_realloc(void* ptr, std::size_t size, H5FD_file_image_op_t /*op*/, void* udata) {
    auto* buffer = static_cast<Buffer*>(udata);
    if (ptr == nullptr || ptr != buffer->data)
        return nullptr;
    if (size > buffer->mapped) {
        const std::size_t length =
            page_rounded(std::max(size, buffer->mapped + buffer->mapped / 2));
        void* moved = ::mremap(buffer->data, buffer->mapped, length, MREMAP_MAYMOVE);
        if (moved == MAP_FAILED) {
            buffer->failed_size = size;
            return nullptr;
        }
        buffer->data = moved;
        buffer->mapped = length;
    }
    buffer->size = size;
    return buffer->data;
}

herr_t image_free(void* ptr, H5FD_file_image_op_t op, void* udata) {
    if (op != H5FD_FILE_IMAGE_OP_FILE_CLOSE)
        return 0;  // a property list's reference to the shared buffer
    auto* buffer = static_cast<Buffer*>(udata);
    if (ptr != nullptr && ptr == buffer->data) {
        ::munmap(buffer->data, buffer->mapped);
        buffer->data = nullptr;
        buffer->mapped = buffer->size = 0;
    }
    return 0;
}

void* udata_copy(void* udata) {
    return udata;  // every property list copy shares the one Buffer the Hdf5MemoryFile owns
}

herr_t udata_free(void* /*udata*/) {
    return 0;
}

// The bytes of a new, empty HDF5 file made with `fapl`'s settings.
std::vector<unsigned char> empty_file_image(const std::string& name, hid_t fapl) {
    Hdf5Id file = hdf5_own(H5Fcreate(name.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl), H5Fclose,
                           "cannot create the HDF5 file");
    hdf5_check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "cannot flush the HDF5 file");
    const ssize_t size = H5Fget_file_image(file.get(), nullptr, 0);
    if (size <= 0)
        throw Error("cannot measure the HDF5 file: " + hdf5_error_reason());
    std::vector<unsigned char> image(static_cast<std::size_t>(size));
    if (H5Fget_file_image(file.get(), image.data(), image.size()) != size)
        throw Error("cannot copy the HDF5 file image: " + hdf5_error_reason());
    return image;
}

// A name no file on disk has: the core driver refuses to open an image under the name of an
// existing file, and HDF5 tells open files apart by name, so concurrent saves need distinct
// names. The name is only a label; nothing is created.
std::string unique_memory_name() {
    static std::atomic<unsigned long> counter{0};
    while (true) {
        std::string name = "/.tunebench-in-memory/" + std::to_string(::getpid()) + "-" +
                           std::to_string(counter.fetch_add(1)) + ".h5";
        struct stat st {};
        if (::lstat(name.c_str(), &st) != 0)
            return name;
    }
}

void write_or_throw(int fd, const void* data, std::size_t size, const std::string& path) {
    if (size > 0)
        write_all(fd, data, size, path);
}

}  // namespace

Hdf5MemoryFile::Hdf5MemoryFile(hid_t fapl, std::size_t capacity)
    : buffer_(std::make_unique<Buffer>()) {
    const std::string name = unique_memory_name();
    const std::vector<unsigned char> empty = empty_file_image(name, fapl);
    if (!map_buffer(*buffer_, std::max(capacity, empty.size())))
        throw Error("not enough memory to reserve " + std::to_string(capacity >> 20) +
                    " MiB of address space for the file");
    std::memcpy(buffer_->data, empty.data(), empty.size());

    fapl_ = hdf5_own(H5Pcopy(fapl), H5Pclose, "cannot copy a property list");
    H5FD_file_image_callbacks_t callbacks{image_malloc, image_memcpy, image_realloc, image_free,
                                          udata_copy,   udata_free,   buffer_.get()};
    hdf5_check(H5Pset_file_image_callbacks(fapl_.get(), &callbacks),
               "cannot set up the in-memory HDF5 file");
    // The image is the whole mapping: the driver's end of file is `capacity`, so writes below
    // it never make the driver grow (and zero-fill) its buffer.
    hdf5_check(H5Pset_file_image(fapl_.get(), buffer_->data, buffer_->size),
               "cannot set up the in-memory HDF5 file");
    file_ = hdf5_own(H5Fopen(name.c_str(), H5F_ACC_RDWR, fapl_.get()), H5Fclose,
                     "cannot open the in-memory HDF5 file");
}

Hdf5MemoryFile::~Hdf5MemoryFile() {
    file_.reset();
    fapl_.reset();
    if (buffer_->data != nullptr)  // the driver did not release it (failed open)
        ::munmap(buffer_->data, buffer_->mapped);
}

std::size_t Hdf5MemoryFile::resident_bytes() const {
    if (buffer_->data == nullptr)
        return 0;
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    std::vector<unsigned char> pages(buffer_->mapped / page);
    if (::mincore(buffer_->data, buffer_->mapped, pages.data()) != 0)
        return 0;
    return static_cast<std::size_t>(
               std::count_if(pages.begin(), pages.end(), [](unsigned char p) { return p & 1; })) *
           page;
}

void Hdf5MemoryFile::write_image(const std::string& path, std::vector<Hdf5DeferredWrite> deferred) {
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
    // The file's end as HDF5 records it in the superblock.
    const ssize_t ssize = H5Fget_file_image(file_.get(), nullptr, 0);
    if (ssize < 0)
        throw Error("cannot measure the HDF5 file: " + hdf5_error_reason());
    const auto size = static_cast<std::size_t>(ssize);
    if (buffer_->data == nullptr || buffer_->mapped < std::min<std::size_t>(size, 24))
        throw Error("the in-memory HDF5 file has no superblock");

    // A file still open for writing carries "open for writing" flags in its superblock;
    // H5Fget_file_image clears them in its copy, and so do we, in the buffer itself (HDF5 keeps
    // the superblock in its cache and rewrites it on close). Superblock versions 0 and 1 (ours)
    // hold them in bytes 20-23; for any other layout take HDF5's copy instead.
    auto* bytes = static_cast<const unsigned char*>(buffer_->data);
    std::size_t available = std::min(buffer_->mapped, size);
    static const unsigned char kSignature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    std::vector<unsigned char> copy;
    if (size >= 24 && std::memcmp(bytes, kSignature, sizeof kSignature) == 0 && bytes[8] <= 1) {
        std::memset(static_cast<unsigned char*>(buffer_->data) + 20, 0, 4);
    } else {
        copy.resize(size);
        if (H5Fget_file_image(file_.get(), copy.data(), copy.size()) != ssize)
            throw Error("cannot copy the HDF5 file image: " + hdf5_error_reason());
        bytes = copy.data();
        available = size;
    }
    std::sort(deferred.begin(), deferred.end(),
              [](const auto& a, const auto& b) { return a.offset < b.offset; });
    std::size_t end = 0;
    for (const auto& w : deferred) {
        if (w.offset < end || w.offset > size || w.size > size - w.offset)
            throw Error("deferred data overlaps or lies outside the HDF5 file");
        end = w.offset + w.size;
    }

    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0)
        throw Error("cannot open '" + path + "' for writing: " + io_failure_reason(errno),
                    SourceLocation{path, 0, 0, {}});
    try {
        // Front to back: HDF5's bytes between the deferred ranges, each range from its owner.
        // Bytes past the buffer were never written by HDF5 and are zeros (ftruncate below).
        std::size_t cursor = 0;
        auto copy_buffer_until = [&](std::size_t stop) {
            const std::size_t from = std::min(cursor, available);
            const std::size_t to = std::min(stop, available);
            if (to > from) {
                if (::lseek(fd, static_cast<off_t>(from), SEEK_SET) < 0)
                    throw Error("cannot seek in '" + path + "': " + io_failure_reason(errno),
                                SourceLocation{path, 0, 0, {}});
                write_or_throw(fd, bytes + from, to - from, path);
            }
            cursor = stop;
        };
        for (const auto& w : deferred) {
            copy_buffer_until(w.offset);
            if (::lseek(fd, static_cast<off_t>(w.offset), SEEK_SET) < 0)
                throw Error("cannot seek in '" + path + "': " + io_failure_reason(errno),
                            SourceLocation{path, 0, 0, {}});
            write_or_throw(fd, w.data, w.size, path);
            cursor = w.offset + w.size;
        }
        copy_buffer_until(size);
        if (::ftruncate(fd, static_cast<off_t>(size)) != 0)
            throw Error("cannot set the length of '" + path + "': " + io_failure_reason(errno),
                        SourceLocation{path, 0, 0, {}});
    } catch (...) {
        ::close(fd);
        throw;
    }
    if (::close(fd) != 0)
        throw Error("cannot write '" + path + "' (reported on close): " + io_failure_reason(errno),
                    SourceLocation{path, 0, 0, {}});
}

}  // namespace tb::io
