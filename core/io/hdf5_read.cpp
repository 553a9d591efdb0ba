// Small HDF5 reading helpers (see hdf5_read.h).
#include "io/hdf5_read.h"

#include <limits>

#include "common/error.h"
#include "io/hdf5_types.h"

namespace tb::io {
namespace {

herr_t collect_name(hid_t /*group*/, const char* name, const H5L_info_t* /*info*/, void* out) {
    static_cast<std::vector<std::string>*>(out)->push_back(name);
    return 0;
}

Hdf5Id open_attr(hid_t object, const std::string& name) {
    return hdf5_own(H5Aopen(object, name.c_str(), H5P_DEFAULT), H5Aclose,
                    "cannot open attribute '" + name + "'");
}

Hdf5Id open_dataset(hid_t group, const std::string& name) {
    return hdf5_own(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose,
                    "cannot open dataset '" + name + "'");
}

bool has_attr(hid_t object, const std::string& name) {
    const htri_t exists = H5Aexists(object, name.c_str());
    hdf5_check(exists, "cannot look up attribute '" + name + "'");
    return exists > 0;
}

// Reads a scalar numeric attribute through HDF5's conversion into `mem_type`.
template <typename T>
std::optional<T> read_number_attr(hid_t object, const std::string& name, hid_t mem_type) {
    if (!has_attr(object, name))
        return std::nullopt;
    Hdf5Id attr = open_attr(object, name);
    Hdf5Id type = hdf5_own(H5Aget_type(attr.get()), H5Tclose, "cannot read attribute type");
    const H5T_class_t type_class = H5Tget_class(type.get());
    if (type_class != H5T_INTEGER && type_class != H5T_FLOAT)
        throw Error("attribute '" + name + "' is not a number");
    Hdf5Id space = hdf5_own(H5Aget_space(attr.get()), H5Sclose, "cannot read attribute space");
    if (H5Sget_simple_extent_npoints(space.get()) != 1)
        throw Error("attribute '" + name + "' is not a single value");
    T value{};
    hdf5_check(H5Aread(attr.get(), mem_type, &value), "cannot read attribute '" + name + "'");
    return value;
}

std::vector<hsize_t> dims_of(hid_t space) {
    const int rank = H5Sget_simple_extent_ndims(space);
    hdf5_check(rank, "cannot read a dataspace");
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    if (rank > 0)
        hdf5_check(H5Sget_simple_extent_dims(space, dims.data(), nullptr),
                   "cannot read a dataspace");
    return dims;
}

// Number of elements of a 1-D dataset; throws for any other rank.
std::size_t vector_length(hid_t dataset, const std::string& name) {
    Hdf5Id space = hdf5_own(H5Dget_space(dataset), H5Sclose, "cannot read the shape of " + name);
    const auto dims = dims_of(space.get());
    if (dims.size() != 1)
        throw Error("'" + name + "' is not a 1-D list");
    return static_cast<std::size_t>(dims[0]);
}

// Strings of a dataset or attribute whose stored type is `file_type`, read through `read`.
template <typename ReadFn>
std::vector<std::string> read_string_values(hid_t file_type, hid_t space, std::size_t count,
                                            const std::string& name, ReadFn read) {
    if (H5Tget_class(file_type) != H5T_STRING)
        throw Error("'" + name + "' does not hold text");
    std::vector<std::string> out;
    out.reserve(count);
    if (count == 0)
        return out;
    // HDF5 does not convert between ASCII and UTF-8 string types, so memory uses the stored
    // character set; ASCII text is valid UTF-8 either way.
    const H5T_cset_t cset = H5Tget_cset(file_type);
    Hdf5Id mem_type = hdf5_own(H5Tcopy(H5T_C_S1), H5Tclose, "cannot copy a string type");
    if (cset == H5T_CSET_ASCII || cset == H5T_CSET_UTF8)
        hdf5_check(H5Tset_cset(mem_type.get(), cset), "cannot set a character set");
    if (H5Tis_variable_str(file_type) > 0) {
        hdf5_check(H5Tset_size(mem_type.get(), H5T_VARIABLE), "cannot size a string type");
        std::vector<char*> pointers(count, nullptr);
        hdf5_check(read(mem_type.get(), pointers.data()), "cannot read '" + name + "'");
        for (char* p : pointers)
            out.emplace_back(p != nullptr ? p : "");
        H5Dvlen_reclaim(mem_type.get(), space, H5P_DEFAULT, pointers.data());
        return out;
    }
    // Fixed-length strings (e.g. numpy bytes written by h5py): NUL-padded cells.
    const std::size_t width = H5Tget_size(file_type);
    hdf5_check(H5Tset_size(mem_type.get(), width), "cannot size a string type");
    hdf5_check(H5Tset_strpad(mem_type.get(), H5T_STR_NULLPAD), "cannot pad a string type");
    std::vector<char> cells(count * width);
    hdf5_check(read(mem_type.get(), cells.data()), "cannot read '" + name + "'");
    for (std::size_t i = 0; i < count; ++i) {
        const char* cell = cells.data() + i * width;
        std::size_t len = 0;
        while (len < width && cell[len] != '\0')
            ++len;
        out.emplace_back(cell, len);
    }
    return out;
}

}  // namespace

std::vector<Hdf5Member> hdf5_list_members(hid_t group) {
    Hdf5Id gcpl = hdf5_own(H5Gget_create_plist(group), H5Pclose, "cannot read group properties");
    unsigned order_flags = 0;
    hdf5_check(H5Pget_link_creation_order(gcpl.get(), &order_flags),
               "cannot read group properties");
    const H5_index_t index =
        (order_flags & H5P_CRT_ORDER_TRACKED) != 0 ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;

    std::vector<std::string> names;
    hsize_t position = 0;
    hdf5_check(H5Literate(group, index, H5_ITER_INC, &position, collect_name, &names),
               "cannot list a group");

    std::vector<Hdf5Member> members;
    members.reserve(names.size());
    for (auto& name : names) {
        Hdf5Kind kind = Hdf5Kind::Other;
        const hid_t object = H5Oopen(group, name.c_str(), H5P_DEFAULT);
        if (object >= 0) {
            const H5I_type_t type = H5Iget_type(object);
            if (type == H5I_GROUP)
                kind = Hdf5Kind::Group;
            if (type == H5I_DATASET)
                kind = Hdf5Kind::Dataset;
            H5Oclose(object);
        }
        members.push_back({std::move(name), kind});
    }
    return members;
}

bool hdf5_has_link(hid_t parent, const std::string& name) {
    const htri_t exists = H5Lexists(parent, name.c_str(), H5P_DEFAULT);
    hdf5_check(exists, "cannot look up '" + name + "'");
    return exists > 0;
}

Hdf5Id hdf5_open_group(hid_t parent, const std::string& name) {
    return hdf5_own(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), H5Gclose,
                    "cannot open group '" + name + "'");
}

std::optional<std::string> hdf5_read_string_attr(hid_t object, const std::string& name) {
    if (!has_attr(object, name))
        return std::nullopt;
    Hdf5Id attr = open_attr(object, name);
    Hdf5Id type = hdf5_own(H5Aget_type(attr.get()), H5Tclose, "cannot read attribute type");
    Hdf5Id space = hdf5_own(H5Aget_space(attr.get()), H5Sclose, "cannot read attribute space");
    if (H5Sget_simple_extent_npoints(space.get()) != 1)
        throw Error("attribute '" + name + "' is not a single value");
    auto values = read_string_values(
        type.get(), space.get(), 1, "attribute '" + name + "'",
        [&](hid_t mem_type, void* buffer) { return H5Aread(attr.get(), mem_type, buffer); });
    return values.front();
}

std::optional<std::int64_t> hdf5_read_int_attr(hid_t object, const std::string& name) {
    return read_number_attr<std::int64_t>(object, name, H5T_NATIVE_INT64);
}

std::optional<std::uint64_t> hdf5_read_uint_attr(hid_t object, const std::string& name) {
    return read_number_attr<std::uint64_t>(object, name, H5T_NATIVE_UINT64);
}

std::optional<double> hdf5_read_double_attr(hid_t object, const std::string& name) {
    return read_number_attr<double>(object, name, H5T_NATIVE_DOUBLE);
}

TensorBlob hdf5_read_tensor(hid_t group, const std::string& name, const std::string& blob_name) {
    Hdf5Id dataset = open_dataset(group, name);
    Hdf5Id file_type = hdf5_own(H5Dget_type(dataset.get()), H5Tclose,
                                "cannot read the type of '" + blob_name + "'");
    Hdf5Id space = hdf5_own(H5Dget_space(dataset.get()), H5Sclose,
                            "cannot read the shape of '" + blob_name + "'");
    const H5S_class_t space_class = H5Sget_simple_extent_type(space.get());
    if (space_class != H5S_SCALAR && space_class != H5S_SIMPLE)
        throw Error("dataset has no data (null dataspace)", SourceLocation{{}, 0, 0, blob_name});

    TensorBlob blob;
    blob.name = blob_name;
    blob.dtype = dtype_from_hdf5(file_type.get(), blob_name);
    // Guards a corrupt or hostile shape before allocating numel * size bytes.
    const std::size_t element_size = dtype_size(blob.dtype);
    std::uint64_t numel = 1;
    for (hsize_t d : dims_of(space.get())) {
        if (d != 0 && numel > std::numeric_limits<std::uint64_t>::max() / element_size / d)
            throw Error("tensor shape is too large", SourceLocation{{}, 0, 0, blob_name});
        numel *= d;
        blob.shape.push_back(static_cast<std::int64_t>(d));
    }
    blob.bytes.resize(static_cast<std::size_t>(numel * element_size));
    if (numel == 0)
        return blob;

    Hdf5Id mem_type = hdf5_type_for(blob.dtype);
    hdf5_check(
        H5Dread(dataset.get(), mem_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, blob.bytes.data()),
        "cannot read tensor '" + blob_name + "'");
    return blob;
}

std::vector<std::string> hdf5_read_strings(hid_t group, const std::string& name) {
    Hdf5Id dataset = open_dataset(group, name);
    const std::size_t count = vector_length(dataset.get(), name);
    Hdf5Id type = hdf5_own(H5Dget_type(dataset.get()), H5Tclose, "cannot read the type of " + name);
    Hdf5Id space = hdf5_own(H5Dget_space(dataset.get()), H5Sclose, "cannot read " + name);
    return read_string_values(
        type.get(), space.get(), count, name, [&](hid_t mem_type, void* buffer) {
            return H5Dread(dataset.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
        });
}

std::vector<double> hdf5_read_doubles(hid_t group, const std::string& name) {
    Hdf5Id dataset = open_dataset(group, name);
    const std::size_t count = vector_length(dataset.get(), name);
    Hdf5Id type = hdf5_own(H5Dget_type(dataset.get()), H5Tclose, "cannot read the type of " + name);
    const H5T_class_t type_class = H5Tget_class(type.get());
    if (type_class != H5T_FLOAT && type_class != H5T_INTEGER)
        throw Error("'" + name + "' does not hold numbers");
    std::vector<double> values(count);
    if (count == 0)
        return values;
    hdf5_check(
        H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
        "cannot read '" + name + "'");
    return values;
}

}  // namespace tb::io
