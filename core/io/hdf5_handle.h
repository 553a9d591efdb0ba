// RAII ownership of HDF5 identifiers and conversion of HDF5 failures into tb::Error.
#pragma once

#include <hdf5.h>

#include <mutex>
#include <string>

namespace tb::io {

// Owns one HDF5 identifier (file, group, dataset, dataspace, datatype, attribute, property
// list) and closes it with the matching H5*close. Move-only.
class Hdf5Id {
public:
    using Closer = herr_t (*)(hid_t);

    Hdf5Id() = default;
    Hdf5Id(hid_t id, Closer closer) : id_(id), closer_(closer) {}
    ~Hdf5Id() { reset(); }
    Hdf5Id(Hdf5Id&& other) noexcept : id_(other.id_), closer_(other.closer_) { other.id_ = -1; }
    Hdf5Id& operator=(Hdf5Id&& other) noexcept;
    Hdf5Id(const Hdf5Id&) = delete;
    Hdf5Id& operator=(const Hdf5Id&) = delete;

    hid_t get() const { return id_; }
    // Closes now, ignoring failure (for destructors and error paths).
    void reset();
    // Closes now and throws tb::Error on failure: for files, where a failed close means the
    // last metadata never reached the disk.
    void close(const std::string& what);

private:
    hid_t id_ = -1;
    Closer closer_ = nullptr;
};

// Takes ownership of an identifier an HDF5 call returned; throws tb::Error("<what>: <HDF5
// reason>") if the call failed (id < 0).
Hdf5Id hdf5_own(hid_t id, Hdf5Id::Closer closer, const std::string& what);
// Throws tb::Error("<what>: <HDF5 reason>") if an HDF5 call returned a negative status.
void hdf5_check(herr_t status, const std::string& what);

// The current thread's HDF5 error stack as one readable reason: the OS message when the
// innermost error carries one (e.g. "No space left on device"), else the innermost description.
std::string hdf5_error_reason();

// While alive, this thread holds the process-wide HDF5 lock (see common/hdf5_lock.h) and HDF5
// does not print its error stack to stderr: every failure is reported through tb::Error
// instead. Restores the previous setting on destruction. Create it before any HDF5 handle of
// the same scope, so the handles close while the lock is still held.
class Hdf5QuietErrors {
public:
    Hdf5QuietErrors();
    ~Hdf5QuietErrors();
    Hdf5QuietErrors(const Hdf5QuietErrors&) = delete;
    Hdf5QuietErrors& operator=(const Hdf5QuietErrors&) = delete;

private:
    std::unique_lock<std::recursive_mutex> lock_;  // first: taken before, released after
    H5E_auto2_t func_ = nullptr;
    void* data_ = nullptr;
};

}  // namespace tb::io
