// HDF5 array reading with the C API (kept out of the checkpoint library so tb_data stays
// independent of it); every HDF5 failure becomes a tb::Error naming the file and dataset.
#include "data/hdf5_arrays.h"

#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <mutex>

#include "common/error.h"
#include "common/hdf5_lock.h"

namespace tb::data {
namespace {

// Closes an HDF5 identifier with its matching close function.
class Id {
public:
    Id(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
    ~Id() {
        if (id_ >= 0)
            close_(id_);
    }
    Id(const Id&) = delete;
    Id& operator=(const Id&) = delete;
    hid_t get() const { return id_; }
    bool ok() const { return id_ >= 0; }

private:
    hid_t id_;
    herr_t (*close_)(hid_t);
};

// Silences HDF5's automatic error printing while alive: failures are reported as tb::Error.
// Holds the process-wide HDF5 lock (common/hdf5_lock.h) and silences HDF5's stderr printing.
struct Quiet {
    std::unique_lock<std::recursive_mutex> lock = lock_hdf5();
    H5E_auto2_t func = nullptr;
    void* data = nullptr;
    Quiet() {
        H5Eget_auto2(H5E_DEFAULT, &func, &data);
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    }
    ~Quiet() { H5Eset_auto2(H5E_DEFAULT, func, data); }
};

std::string root_datasets(hid_t file) {
    std::string names;
    H5Literate(
        file, H5_INDEX_NAME, H5_ITER_INC, nullptr,
        [](hid_t group, const char* name, const H5L_info_t*, void* out) -> herr_t {
            const hid_t dataset = H5Dopen2(group, name, H5P_DEFAULT);
            if (dataset >= 0) {
                H5Dclose(dataset);
                auto* list = static_cast<std::string*>(out);
                *list += (list->empty() ? "'" : ", '") + std::string(name) + "'";
            }
            return 0;
        },
        &names);
    return names.empty() ? "none" : names;
}

std::vector<hsize_t> shape_of(hid_t dataset) {
    Id space(H5Dget_space(dataset), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(space.get());
    std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
    H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
    return dims;
}

// Values per row of X (the product of its shape after the first dimension).
std::size_t row_values(const std::vector<hsize_t>& shape, const std::string& path,
                       const std::string& x_name) {
    if (shape.empty())
        throw Error("X is a scalar; it needs one row per example",
                    SourceLocation{path, 0, 0, x_name});
    std::size_t per_row = 1;
    for (std::size_t d = 1; d < shape.size(); ++d)
        per_row *= static_cast<std::size_t>(shape[d]);
    return per_row;
}

hid_t open_file(const std::string& path) {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0)
        throw Error("cannot open as an HDF5 file", SourceLocation{path, 0, 0, {}});
    return file;
}

hid_t open_dataset(hid_t file, const std::string& path, const std::string& name) {
    if (H5Lexists(file, name.c_str(), H5P_DEFAULT) <= 0) {
        throw Error(
            "the file has no dataset '" + name + "'; its datasets are: " + root_datasets(file),
            SourceLocation{path, 0, 0, name});
    }
    return H5Dopen2(file, name.c_str(), H5P_DEFAULT);
}

// read_hdf5_arrays, with X's values read only when `features` is set.
ArrayDataset read_arrays(const std::string& path, const std::string& x_name,
                         const std::string& y_name, bool features) {
    Quiet quiet;
    Id file(open_file(path), H5Fclose);
    auto open = [&](const std::string& name) { return open_dataset(file.get(), path, name); };
    Id x(open(x_name), H5Dclose);
    Id y(open(y_name), H5Dclose);
    ArrayDataset out;
    out.source = path;
    out.x_name = x_name;
    out.y_name = y_name;

    const std::vector<hsize_t> x_shape = shape_of(x.get());
    std::vector<hsize_t> y_shape = shape_of(y.get());
    if (y_shape.size() == 2 && y_shape[1] == 1)
        y_shape.pop_back();
    if (x_shape.empty())
        throw Error("X is a scalar; it needs one row per example",
                    SourceLocation{path, 0, 0, x_name});
    if (y_shape.size() != 1) {
        throw Error("the labels must be a 1-D array (or N x 1); this one has " +
                        std::to_string(y_shape.size()) + " dimensions",
                    SourceLocation{path, 0, 0, y_name});
    }
    if (x_shape[0] != y_shape[0]) {
        throw Error("'" + x_name + "' has " + std::to_string(x_shape[0]) + " rows but '" + y_name +
                        "' has " + std::to_string(y_shape[0]) + " labels",
                    SourceLocation{path, 0, 0, y_name});
    }
    out.count = static_cast<std::size_t>(x_shape[0]);
    std::size_t per_row = 1;
    for (std::size_t d = 1; d < x_shape.size(); ++d) {
        out.feature_shape.push_back(static_cast<std::size_t>(x_shape[d]));
        per_row *= static_cast<std::size_t>(x_shape[d]);
    }

    Id x_type(H5Dget_type(x.get()), H5Tclose);
    const H5T_class_t x_class = H5Tget_class(x_type.get());
    if (x_class != H5T_INTEGER && x_class != H5T_FLOAT) {
        throw Error("'" + x_name + "' is not numeric; features must be integers or floats",
                    SourceLocation{path, 0, 0, x_name});
    }
    if (features)
        out.features.resize(out.count * per_row);
    if (!out.features.empty() && H5Dread(x.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                         out.features.data()) < 0) {
        throw Error("cannot read the features", SourceLocation{path, 0, 0, x_name});
    }

    Id y_type(H5Dget_type(y.get()), H5Tclose);
    const H5T_class_t y_class = H5Tget_class(y_type.get());
    if (y_class == H5T_STRING) {
        std::vector<std::string> names(out.count);
        if (H5Tis_variable_str(y_type.get()) > 0) {
            std::vector<char*> raw(out.count, nullptr);
            Id mem(H5Tcopy(H5T_C_S1), H5Tclose);
            H5Tset_size(mem.get(), H5T_VARIABLE);
            H5Tset_cset(mem.get(), H5T_CSET_UTF8);
            if (H5Dread(y.get(), mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()) < 0)
                throw Error("cannot read the labels", SourceLocation{path, 0, 0, y_name});
            for (std::size_t i = 0; i < out.count; ++i)
                names[i] = raw[i] ? raw[i] : "";
            Id space(H5Dget_space(y.get()), H5Sclose);
            H5Dvlen_reclaim(mem.get(), space.get(), H5P_DEFAULT, raw.data());
        } else {
            const std::size_t size = H5Tget_size(y_type.get());
            std::vector<char> raw(out.count * size);
            if (H5Dread(y.get(), y_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()) < 0)
                throw Error("cannot read the labels", SourceLocation{path, 0, 0, y_name});
            for (std::size_t i = 0; i < out.count; ++i) {
                std::string s(raw.data() + i * size, size);
                s.resize(s.find('\0') == std::string::npos ? s.size() : s.find('\0'));
                names[i] = s;
            }
        }
        out.classes = LabelMap::from_values(names, LabelOrder::Sorted);
        for (const std::string& n : names)
            out.labels.push_back(out.classes.index_of(n));
        return out;
    }
    if (y_class != H5T_INTEGER && y_class != H5T_FLOAT) {
        throw Error("the labels must be integers or strings", SourceLocation{path, 0, 0, y_name});
    }
    std::vector<double> values(out.count);
    if (!values.empty() &&
        H5Dread(y.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0) {
        throw Error("cannot read the labels", SourceLocation{path, 0, 0, y_name});
    }
    int max_label = -1;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double v = values[i];
        if (!(v >= 0) || v != std::floor(v) || v > 1e6) {
            throw Error("label " + std::to_string(i) + " is " + std::to_string(v) +
                            "; class labels must be integers from 0",
                        SourceLocation{path, 0, 0, y_name});
        }
        out.labels.push_back(static_cast<int>(v));
        max_label = std::max(max_label, out.labels.back());
    }
    std::vector<std::string> names;
    for (int i = 0; i <= max_label; ++i)
        names.push_back(std::to_string(i));
    out.classes = LabelMap(names);
    return out;
}

}  // namespace

ArrayDataset read_hdf5_arrays(const std::string& path, const std::string& x_name,
                              const std::string& y_name) {
    return read_arrays(path, x_name, y_name, /*features=*/true);
}

ArrayDataset read_hdf5_labels(const std::string& path, const std::string& x_name,
                              const std::string& y_name) {
    return read_arrays(path, x_name, y_name, /*features=*/false);
}

std::vector<float> read_hdf5_row_range(const std::string& path, const std::string& x_name,
                                       std::size_t first, std::size_t count) {
    Quiet quiet;
    Id file(open_file(path), H5Fclose);
    Id x(open_dataset(file.get(), path, x_name), H5Dclose);
    const std::vector<hsize_t> shape = shape_of(x.get());
    const std::size_t per_row = row_values(shape, path, x_name);
    if (count == 0 || per_row == 0)
        return {};
    if (first + count > shape[0]) {
        throw Error("rows " + std::to_string(first) + " to " + std::to_string(first + count - 1) +
                        " are past the end of '" + x_name + "' (" + std::to_string(shape[0]) +
                        " rows)",
                    SourceLocation{path, 0, 0, x_name});
    }
    Id space(H5Dget_space(x.get()), H5Sclose);
    std::vector<hsize_t> start(shape.size(), 0);
    std::vector<hsize_t> extent(shape);
    start[0] = static_cast<hsize_t>(first);
    extent[0] = static_cast<hsize_t>(count);
    if (H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, extent.data(),
                            nullptr) < 0)
        throw Error("cannot select the rows to read", SourceLocation{path, 0, 0, x_name});
    const hsize_t total = static_cast<hsize_t>(count * per_row);
    Id memory(H5Screate_simple(1, &total, nullptr), H5Sclose);
    std::vector<float> out(count * per_row);
    if (H5Dread(x.get(), H5T_NATIVE_FLOAT, memory.get(), space.get(), H5P_DEFAULT, out.data()) < 0)
        throw Error("cannot read the features", SourceLocation{path, 0, 0, x_name});
    return out;
}

std::vector<float> read_hdf5_rows(const std::string& path, const std::string& x_name,
                                  const std::vector<std::size_t>& rows) {
    Quiet quiet;
    Id file(open_file(path), H5Fclose);
    Id x(open_dataset(file.get(), path, x_name), H5Dclose);
    const std::vector<hsize_t> shape = shape_of(x.get());
    const std::size_t per_row = row_values(shape, path, x_name);
    std::vector<std::size_t> wanted(rows);
    std::sort(wanted.begin(), wanted.end());
    wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
    if (wanted.empty() || per_row == 0)
        return std::vector<float>(rows.size() * per_row);
    if (wanted.back() >= shape[0]) {
        throw Error("row " + std::to_string(wanted.back()) + " is past the end of '" + x_name +
                        "' (" + std::to_string(shape[0]) + " rows)",
                    SourceLocation{path, 0, 0, x_name});
    }
    // One selection of all the rows (OR of one-row hyperslabs): HDF5 reads them in file order.
    Id space(H5Dget_space(x.get()), H5Sclose);
    H5Sselect_none(space.get());
    std::vector<hsize_t> start(shape.size(), 0);
    std::vector<hsize_t> count(shape);
    count[0] = 1;
    for (std::size_t r : wanted) {
        start[0] = static_cast<hsize_t>(r);
        if (H5Sselect_hyperslab(space.get(), H5S_SELECT_OR, start.data(), nullptr, count.data(),
                                nullptr) < 0)
            throw Error("cannot select the rows to read", SourceLocation{path, 0, 0, x_name});
    }
    const hsize_t total = static_cast<hsize_t>(wanted.size() * per_row);
    Id memory(H5Screate_simple(1, &total, nullptr), H5Sclose);
    std::vector<float> sorted(wanted.size() * per_row);
    if (H5Dread(x.get(), H5T_NATIVE_FLOAT, memory.get(), space.get(), H5P_DEFAULT, sorted.data()) <
        0) {
        throw Error("cannot read the features", SourceLocation{path, 0, 0, x_name});
    }
    std::vector<float> out(rows.size() * per_row);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::size_t k = static_cast<std::size_t>(
            std::lower_bound(wanted.begin(), wanted.end(), rows[i]) - wanted.begin());
        std::copy_n(sorted.begin() + static_cast<long>(k * per_row), per_row,
                    out.begin() + static_cast<long>(i * per_row));
    }
    return out;
}

}  // namespace tb::data
