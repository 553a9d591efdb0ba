// HDF5 datatypes for TensorBlob dtypes and strings (see hdf5_types.h for the mapping).
#include "io/hdf5_types.h"

#include <cstdint>

#include "common/error.h"

namespace tb::io {
namespace {

Hdf5Id copy_type(hid_t predefined) {
    return hdf5_own(H5Tcopy(predefined), H5Tclose, "cannot copy an HDF5 datatype");
}

// A 16-bit float in the layout of IEEE single with narrower fields, as h5py builds float16.
Hdf5Id float16_type(std::size_t exponent_bits, std::size_t mantissa_bits, std::size_t bias) {
    Hdf5Id type = copy_type(H5T_IEEE_F32LE);
    const std::size_t sign_pos = exponent_bits + mantissa_bits;  // 15 for both layouts
    hdf5_check(H5Tset_fields(type.get(), sign_pos, mantissa_bits, exponent_bits, 0, mantissa_bits),
               "cannot define a 16-bit float type");
    hdf5_check(H5Tset_size(type.get(), 2), "cannot define a 16-bit float type");
    hdf5_check(H5Tset_ebias(type.get(), bias), "cannot define a 16-bit float type");
    return type;
}

Hdf5Id bool_type() {
    Hdf5Id type = hdf5_own(H5Tenum_create(H5T_NATIVE_INT8), H5Tclose, "cannot define bool");
    const std::int8_t no = 0, yes = 1;
    hdf5_check(H5Tenum_insert(type.get(), "FALSE", &no), "cannot define bool");
    hdf5_check(H5Tenum_insert(type.get(), "TRUE", &yes), "cannot define bool");
    return type;
}

bool is_bool_enum(hid_t type) {
    if (H5Tget_size(type) != 1 || H5Tget_nmembers(type) != 2)
        return false;
    for (unsigned i = 0; i < 2; ++i) {
        char* name = H5Tget_member_name(type, i);
        if (name == nullptr)
            return false;
        std::int8_t value = -1;
        const bool value_ok = H5Tget_member_value(type, i, &value) >= 0;
        const std::string member = name;
        H5free_memory(name);
        if (!value_ok)
            return false;
        if (!(member == "FALSE" && value == 0) && !(member == "TRUE" && value == 1))
            return false;
    }
    return true;
}

}  // namespace

Hdf5Id hdf5_type_for(DType dtype) {
    switch (dtype) {
        case DType::F64:
            return copy_type(H5T_IEEE_F64LE);
        case DType::F32:
            return copy_type(H5T_IEEE_F32LE);
        case DType::F16:
            return float16_type(/*exponent_bits=*/5, /*mantissa_bits=*/10, 15);
        case DType::BF16:
            return float16_type(/*exponent_bits=*/8, /*mantissa_bits=*/7, 127);
        case DType::I64:
            return copy_type(H5T_STD_I64LE);
        case DType::I32:
            return copy_type(H5T_STD_I32LE);
        case DType::I16:
            return copy_type(H5T_STD_I16LE);
        case DType::I8:
            return copy_type(H5T_STD_I8LE);
        case DType::U8:
            return copy_type(H5T_STD_U8LE);
        case DType::Bool:
            return bool_type();
    }
    throw Error("unsupported tensor dtype " + dtype_name(dtype));
}

DType dtype_from_hdf5(hid_t type, const std::string& where) {
    const H5T_class_t type_class = H5Tget_class(type);
    const std::size_t size = H5Tget_size(type);
    auto unsupported = [&](const std::string& what) -> Error {
        return Error("unsupported dataset type (" + what + ")", SourceLocation{{}, 0, 0, where});
    };
    if (type_class == H5T_FLOAT) {
        if (size == 8)
            return DType::F64;
        if (size == 4)
            return DType::F32;
        if (size == 2) {
            std::size_t spos = 0, epos = 0, esize = 0, mpos = 0, msize = 0;
            hdf5_check(H5Tget_fields(type, &spos, &epos, &esize, &mpos, &msize),
                       "cannot inspect the float type of " + where);
            return esize == 8 ? DType::BF16 : DType::F16;
        }
        throw unsupported(std::to_string(size * 8) + "-bit float");
    }
    if (type_class == H5T_INTEGER) {
        const bool is_signed = H5Tget_sign(type) == H5T_SGN_2;
        if (!is_signed && size == 1)
            return DType::U8;
        if (!is_signed)
            throw unsupported("unsigned " + std::to_string(size * 8) + "-bit integer");
        switch (size) {
            case 8:
                return DType::I64;
            case 4:
                return DType::I32;
            case 2:
                return DType::I16;
            case 1:
                return DType::I8;
            default:
                throw unsupported(std::to_string(size * 8) + "-bit integer");
        }
    }
    if (type_class == H5T_ENUM && is_bool_enum(type))
        return DType::Bool;
    if (type_class == H5T_STRING)
        throw unsupported("strings");
    throw unsupported("HDF5 type class " + std::to_string(static_cast<int>(type_class)));
}

Hdf5Id hdf5_utf8_string_type() {
    Hdf5Id type = copy_type(H5T_C_S1);
    hdf5_check(H5Tset_size(type.get(), H5T_VARIABLE), "cannot define a string type");
    hdf5_check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "cannot define a string type");
    return type;
}

}  // namespace tb::io
