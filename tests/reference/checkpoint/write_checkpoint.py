#!/usr/bin/python3
"""Writes a tunebench-format checkpoint with h5py alone, the way another program would.

Usage: write_checkpoint.py OUT.h5

tst_checkpoint loads the result to prove tunebench reads checkpoints it did not write itself:
h5py's own bool and float16 types, big-endian numbers, no link creation order, fixed-length
string attributes. The values are fixed; the C++ test states the same values.
"""
import sys

import h5py
import numpy as np


def main(path):
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "tunebench-checkpoint"
        f.attrs["format_version"] = np.int32(1)
        f.attrs["created"] = np.bytes_("2023-01-02T03:04:05Z")  # fixed-length ASCII
        f.attrs["tunebench_version"] = "0.0.1"
        f.create_group("config").attrs["yaml"] = "training:\n  epochs: 1\n"
        model = f.create_group("model")
        model["b.weight"] = np.array([[1.5, -2.0], [0.25, 8.0]], dtype=">f4")  # big-endian
        model["a.mask"] = np.array([True, False, True])
        model["c.half"] = np.array([1.0, -2.5, 65504.0], dtype=np.float16)
        model["d.ids"] = np.array([3, -4], dtype=">i8")
        model["e.scalar"] = np.float64(0.5)
        f.create_group("optimizer/b.weight")["exp_avg"] = np.zeros((2, 2), dtype=np.float32)
        trainer = f.create_group("trainer")
        trainer.attrs.update(epoch=1, global_step=7, step_in_epoch=2, best_metric=0.5,
                             best_metric_name="accuracy", seed=np.uint64(123), state="finished")
        trainer.create_group("rng")
        f["labels"] = np.array(["好", "坏"], dtype=h5py.string_dtype())
        f.create_group("tokenizer")["vocab"] = np.array([b"[PAD]", b"[UNK]"], dtype="S5")
        f.create_group("metrics")["eval_accuracy"] = np.array([0.25, 0.5], dtype=np.float32)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
