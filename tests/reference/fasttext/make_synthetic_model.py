#!/usr/bin/env python3
"""Writes small dense (unquantized, unpruned) fastText .bin models with seeded random weights,
for the paths lid.176.ftz does not cover: dense matrices, softmax and one-vs-all losses, word
bigrams, all hash buckets kept. Written from the fastText 0.9 file layout (version 12).

Usage: make_synthetic_model.py OUT_DIR   (writes softmax.bin and ova.bin)
"""
import os
import struct
import sys

import numpy as np

WORDS = ["</s>", "the", "cat", "dog", "sat", "on", "mat", "le", "chat", "est", "sur", "tapis", "über", "猫"]
LABELS = ["__label__en", "__label__fr", "__label__other"]


def write(path, loss, seed):
    rng = np.random.default_rng(seed)
    dim, bucket = 8, 1000
    out = bytearray()
    out += struct.pack("<ii", 793712314, 12)
    # dim ws epoch minCount neg wordNgrams loss model bucket minn maxn lrUpdateRate, t
    out += struct.pack("<12id", dim, 5, 5, 1, 5, 2, loss, 3, bucket, 2, 4, 100, 1e-4)
    entries = [(w, 100 - i, 0) for i, w in enumerate(WORDS)] + [(l, 50 - i, 1) for i, l in enumerate(LABELS)]
    out += struct.pack("<iiiqq", len(entries), len(WORDS), len(LABELS), 1000, -1)
    for word, count, kind in entries:
        out += word.encode("utf-8") + b"\0" + struct.pack("<qb", count, kind)
    wi = rng.normal(0, 1, (len(WORDS) + bucket, dim)).astype("<f4")
    wo = rng.normal(0, 1, (len(LABELS), dim)).astype("<f4")
    out += struct.pack("<?", False) + struct.pack("<qq", *wi.shape) + wi.tobytes()
    out += struct.pack("<?", False) + struct.pack("<qq", *wo.shape) + wo.tobytes()
    with open(path, "wb") as f:
        f.write(bytes(out))


def main():
    os.makedirs(sys.argv[1], exist_ok=True)
    write(os.path.join(sys.argv[1], "softmax.bin"), 3, 1)
    write(os.path.join(sys.argv[1], "ova.bin"), 4, 2)


if __name__ == "__main__":
    main()
