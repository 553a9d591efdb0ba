// HDF5 datatypes for TensorBlob dtypes and strings, chosen so h5py and h5dump read them natively.
#pragma once

#include <string>

#include "common/tensor_blob.h"
#include "io/hdf5_handle.h"

namespace tb::io {

// The little-endian HDF5 type that stores `dtype` in a checkpoint, used both as file type and
// as memory type (TensorBlob bytes are little-endian on every host):
//   F64/F32/I64/I32/I16/I8/U8: the standard IEEE / STD little-endian types.
//   F16:  IEEE binary16 (sign 15, exponent 10..14 bias 15, mantissa 0..9); h5py: float16.
//   BF16: bfloat16 as a custom float (sign 15, exponent 7..14 bias 127, mantissa 0..6);
//         h5py and h5dump convert it to float32 values when reading.
//   Bool: enum of int8 {FALSE = 0, TRUE = 1}, the type h5py writes and reads as numpy bool.
Hdf5Id hdf5_type_for(DType dtype);

// Which TensorBlob dtype a stored dataset type reads into. Accepts what other writers produce
// for the same data (big-endian numbers, h5py bools); throws tb::Error naming `where` for types
// with no TensorBlob equivalent (unsigned 16..64-bit, strings, compounds, ...).
DType dtype_from_hdf5(hid_t type, const std::string& where);

// Variable-length UTF-8 string type (h5py: str attributes, object arrays of bytes/str).
Hdf5Id hdf5_utf8_string_type();

}  // namespace tb::io
