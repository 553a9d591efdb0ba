#!/usr/bin/python3
"""Reads a tunebench checkpoint with h5py alone (no tunebench code) and prints it as JSON.

Usage: read_checkpoint.py CHECKPOINT.h5

The C++ test tst_checkpoint writes a checkpoint, runs this script on it and compares the JSON
with what it wrote, proving the file is readable by standard HDF5 tools as documented in
docs/checkpoint-format.md. Tensors are reported by shape, numpy dtype, attributes, the float64
sum of their values and, for small ones, every value.
"""
import json
import sys

import h5py
import numpy as np


def plain(value):
    """An attribute value as a JSON-friendly Python value."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()]
    return value


def attrs(obj):
    return {name: plain(value) for name, value in obj.attrs.items()}


def tensor(dataset):
    values = np.asarray(dataset[()]).astype(np.float64)
    info = {
        "shape": list(dataset.shape),
        "dtype": str(dataset.dtype),
        "attrs": attrs(dataset),
        "sum": float(values.sum()),
    }
    if values.size <= 64:
        info["values"] = values.ravel().tolist()
    return info


def strings(dataset):
    string_info = h5py.check_string_dtype(dataset.dtype)
    return {
        "encoding": string_info.encoding if string_info else None,
        "variable_length": bool(string_info and string_info.length is None),
        "values": list(dataset.asstr()[()]),
    }


def main(path):
    out = {}
    with h5py.File(path, "r") as f:
        out["root_attrs"] = attrs(f)
        out["config_yaml"] = plain(f["config"].attrs["yaml"])
        model = f["model"]
        out["model_groups"] = sum(isinstance(obj, h5py.Group) for obj in model.values())
        # Iteration follows creation order when the writer tracked it, as tunebench does.
        out["model"] = [[name, tensor(obj)] for name, obj in model.items()]

        optimizer = []

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                optimizer.append([name, tensor(obj)])

        f["optimizer"].visititems(visit)
        out["optimizer"] = optimizer
        out["trainer_attrs"] = attrs(f["trainer"])
        out["rng"] = [[name, tensor(obj)] for name, obj in f["trainer/rng"].items()]
        out["labels"] = strings(f["labels"])
        out["vocab"] = strings(f["tokenizer/vocab"])
        out["metrics"] = {
            name: {"dtype": str(obj.dtype), "values": obj[()].tolist()}
            for name, obj in f["metrics"].items()
        }
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
