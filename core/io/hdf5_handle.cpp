// RAII ownership of HDF5 identifiers and HDF5 error stacks turned into tb::Error.
#include "io/hdf5_handle.h"

#include <vector>

#include "common/error.h"
#include "common/hdf5_lock.h"

namespace tb::io {

Hdf5Id& Hdf5Id::operator=(Hdf5Id&& other) noexcept {
    if (this != &other) {
        reset();
        id_ = other.id_;
        closer_ = other.closer_;
        other.id_ = -1;
    }
    return *this;
}

void Hdf5Id::reset() {
    if (id_ >= 0 && closer_ != nullptr)
        closer_(id_);
    id_ = -1;
}

void Hdf5Id::close(const std::string& what) {
    const hid_t id = id_;
    id_ = -1;
    if (id >= 0 && closer_ != nullptr)
        hdf5_check(closer_(id), what);
}

Hdf5Id hdf5_own(hid_t id, Hdf5Id::Closer closer, const std::string& what) {
    if (id < 0)
        throw Error(what + ": " + hdf5_error_reason());
    return Hdf5Id(id, closer);
}

void hdf5_check(herr_t status, const std::string& what) {
    if (status < 0)
        throw Error(what + ": " + hdf5_error_reason());
}

namespace {

herr_t collect_description(unsigned /*n*/, const H5E_error2_t* err, void* out) {
    auto* descriptions = static_cast<std::vector<std::string>*>(out);
    descriptions->push_back(err->desc != nullptr ? err->desc : "");
    return 0;
}

}  // namespace

std::string hdf5_error_reason() {
    std::vector<std::string> descriptions;  // innermost first
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect_description, &descriptions);
    if (descriptions.empty())
        return "HDF5 reported an error without a reason";
    // The file drivers phrase OS failures as "... errno = 28, error message = 'No space left
    // on device', ..."; the OS sentence is what a user can act on.
    for (const auto& desc : descriptions) {
        const std::string marker = "error message = '";
        const auto begin = desc.find(marker);
        if (begin == std::string::npos)
            continue;
        const auto end = desc.find('\'', begin + marker.size());
        if (end != std::string::npos)
            return desc.substr(begin + marker.size(), end - begin - marker.size());
    }
    return descriptions.front();
}

Hdf5QuietErrors::Hdf5QuietErrors() : lock_(lock_hdf5()) {
    H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

Hdf5QuietErrors::~Hdf5QuietErrors() {
    H5Eset_auto2(H5E_DEFAULT, func_, data_);
}

}  // namespace tb::io
