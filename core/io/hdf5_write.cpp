// Small HDF5 writing helpers (see hdf5_write.h).
#include "io/hdf5_write.h"

#include "common/error.h"
#include "io/hdf5_types.h"

namespace tb::io {
namespace {

Hdf5Id scalar_space() {
    return hdf5_own(H5Screate(H5S_SCALAR), H5Sclose, "cannot create a dataspace");
}

Hdf5Id vector_space(std::size_t n) {
    const hsize_t dims[1] = {static_cast<hsize_t>(n)};
    return hdf5_own(H5Screate_simple(1, dims, nullptr), H5Sclose, "cannot create a dataspace");
}

void write_attr_raw(hid_t object, const std::string& name, hid_t type, const void* value) {
    Hdf5Id space = scalar_space();
    Hdf5Id attr =
        hdf5_own(H5Acreate2(object, name.c_str(), type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                 H5Aclose, "cannot create attribute '" + name + "'");
    hdf5_check(H5Awrite(attr.get(), type, value), "cannot write attribute '" + name + "'");
}

Hdf5Id create_dataset(hid_t group, const std::string& name, hid_t type, hid_t space) {
    return hdf5_own(
        H5Dcreate2(group, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
        H5Dclose, "cannot create dataset '" + name + "'");
}

thread_local Hdf5DeferredData* tls_deferred = nullptr;

// Writes `size` bytes of `dataset` (stored in its file type) now, or, inside Hdf5DeferredData,
// records them for the file's owner. Deferred datasets are created by create_data_dataset.
void write_or_defer(hid_t dataset, hid_t type, const void* data, std::size_t size,
                    const std::string& name, const char* what) {
    if (Hdf5DeferredData* deferred = Hdf5DeferredData::current()) {
        const haddr_t offset = H5Dget_offset(dataset);
        if (offset != HADDR_UNDEF && H5Dget_storage_size(dataset) == size) {
            deferred->add({static_cast<std::uint64_t>(offset), data, size});
            return;
        }
    }
    hdf5_check(H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data),
               std::string("cannot write ") + what + "'" + name + "'");
}

// Inside Hdf5DeferredData: contiguous storage allocated at creation and never filled, so
// HDF5 writes nothing there and the deferred bytes fill it.
Hdf5Id create_data_dataset(hid_t group, const std::string& name, hid_t type, hid_t space) {
    Hdf5Id dcpl =
        hdf5_own(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "cannot create a property list");
    if (Hdf5DeferredData::current() != nullptr) {
        hdf5_check(H5Pset_alloc_time(dcpl.get(), H5D_ALLOC_TIME_EARLY),
                   "cannot set the allocation time");
        hdf5_check(H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_NEVER), "cannot set the fill time");
    }
    return hdf5_own(
        H5Dcreate2(group, name.c_str(), type, space, H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
        H5Dclose, "cannot create dataset '" + name + "'");
}

}  // namespace

Hdf5Id hdf5_create_group(hid_t parent, const std::string& name) {
    Hdf5Id gcpl = hdf5_own(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, "cannot create a property list");
    hdf5_check(
        H5Pset_link_creation_order(gcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
        "cannot track link creation order");
    return hdf5_own(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT),
                    H5Gclose, "cannot create group '" + name + "'");
}

Hdf5Id hdf5_require_group(hid_t parent, const std::string& name) {
    const htri_t exists = H5Lexists(parent, name.c_str(), H5P_DEFAULT);
    hdf5_check(exists, "cannot look up '" + name + "'");
    if (exists == 0)
        return hdf5_create_group(parent, name);
    return hdf5_own(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), H5Gclose,
                    "cannot open group '" + name + "'");
}

void hdf5_write_attr(hid_t object, const std::string& name, const std::string& value) {
    if (value.find('\0') != std::string::npos)
        throw Error("attribute '" + name + "' contains a NUL character");
    Hdf5Id type = hdf5_utf8_string_type();
    const char* text = value.c_str();
    write_attr_raw(object, name, type.get(), &text);
}

void hdf5_write_attr(hid_t object, const std::string& name, std::int64_t value) {
    write_attr_raw(object, name, H5T_STD_I64LE, &value);
}

void hdf5_write_attr(hid_t object, const std::string& name, std::uint64_t value) {
    write_attr_raw(object, name, H5T_STD_U64LE, &value);
}

void hdf5_write_attr(hid_t object, const std::string& name, double value) {
    write_attr_raw(object, name, H5T_IEEE_F64LE, &value);
}

void hdf5_write_tensor(hid_t group, const std::string& name, const TensorBlob& tensor) {
    Hdf5Id type = hdf5_type_for(tensor.dtype);
    Hdf5Id space;
    if (tensor.shape.empty()) {
        space = scalar_space();
    } else {
        std::vector<hsize_t> dims(tensor.shape.begin(), tensor.shape.end());
        space = hdf5_own(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                         H5Sclose, "cannot create the dataspace of '" + name + "'");
    }
    Hdf5Id dataset = create_data_dataset(group, name, type.get(), space.get());
    if (tensor.dtype == DType::BF16) {
        // h5py and h5dump show bfloat16 as plain float values; this says what is stored.
        hdf5_write_attr(dataset.get(), "dtype", "bfloat16");
    }
    if (tensor.bytes.empty())
        return;  // zero-element tensor: nothing to write
    write_or_defer(dataset.get(), type.get(), tensor.bytes.data(), tensor.bytes.size(), name,
                   "tensor ");
}

void hdf5_write_strings(hid_t group, const std::string& name,
                        const std::vector<std::string>& values) {
    std::vector<const char*> pointers;
    pointers.reserve(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i].find('\0') != std::string::npos)
            throw Error("entry " + std::to_string(i) + " of '" + name +
                        "' contains a NUL character");
        pointers.push_back(values[i].c_str());
    }
    Hdf5Id type = hdf5_utf8_string_type();
    Hdf5Id space = vector_space(values.size());
    Hdf5Id dataset = create_dataset(group, name, type.get(), space.get());
    if (values.empty())
        return;
    hdf5_check(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
               "cannot write '" + name + "'");
}

void hdf5_write_doubles(hid_t group, const std::string& name, const std::vector<double>& values) {
    Hdf5Id space = vector_space(values.size());
    // Native doubles are stored as they are only where they are IEEE little-endian.
    const bool as_is = H5Tequal(H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE) > 0;
    Hdf5Id dataset = as_is ? create_data_dataset(group, name, H5T_IEEE_F64LE, space.get())
                           : create_dataset(group, name, H5T_IEEE_F64LE, space.get());
    if (values.empty())
        return;
    if (as_is) {
        write_or_defer(dataset.get(), H5T_NATIVE_DOUBLE, values.data(),
                       values.size() * sizeof(double), name, "");
        return;
    }
    hdf5_check(
        H5Dwrite(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
        "cannot write '" + name + "'");
}

Hdf5DeferredData::Hdf5DeferredData() : previous_(tls_deferred) {
    tls_deferred = this;
}

Hdf5DeferredData::~Hdf5DeferredData() {
    tls_deferred = previous_;
}

Hdf5DeferredData* Hdf5DeferredData::current() {
    return tls_deferred;
}

}  // namespace tb::io
