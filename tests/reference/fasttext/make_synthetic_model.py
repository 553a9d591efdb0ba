#!/usr/bin/env python3
"""Writes small dense (unquantized, unpruned) fastText .bin models with seeded random weights,
for the paths lid.176.ftz does not cover: dense matrices, softmax and one-vs-all losses, word
bigrams, all hash buckets kept. Written from the fastText 0.9 file layout (version 12).

Also a quantized, pruned hierarchical-softmax model (quantized.ftz) covering quantized output
matrices, quantized norms on the output and a shorter last sub-quantizer.

Usage: make_synthetic_model.py OUT_DIR   (writes softmax.bin, ova.bin and quantized.ftz)
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


def pq_bytes(rng, dim, nsubq, dsub, lastdsub):
    cent = rng.normal(0, 1, dim * 256).astype("<f4")
    return struct.pack("<iiii", dim, nsubq, dsub, lastdsub) + cent.tobytes()


def write_quantized(path, seed):
    """Hierarchical softmax, pruned dictionary, product-quantized input (no norms, last
    sub-vector shorter) and output (with quantized norms), like an .ftz from `fasttext quantize`."""
    rng = np.random.default_rng(seed)
    dim, bucket, kept = 8, 1000, 300
    labels = ["__label__a", "__label__b", "__label__c", "__label__d", "__label__e"]
    counts = [50, 30, 30, 10, 5]  # sorted by decreasing count, as fastText stores labels
    out = bytearray()
    out += struct.pack("<ii", 793712314, 12)
    out += struct.pack("<12id", dim, 5, 5, 1, 5, 2, 1, 3, bucket, 2, 4, 100, 1e-4)
    entries = [(w, 100 - i, 0) for i, w in enumerate(WORDS)] + [(l, c, 1) for l, c in zip(labels, counts)]
    out += struct.pack("<iiiqq", len(entries), len(WORDS), len(labels), 1000, kept)
    for word, count, kind in entries:
        out += word.encode("utf-8") + b"\0" + struct.pack("<qb", count, kind)
    for row, b in enumerate(rng.choice(bucket, kept, replace=False)):
        out += struct.pack("<ii", int(b), row)
    rows = len(WORDS) + kept
    nsubq, dsub, lastdsub = 3, 3, 2
    out += struct.pack("<?", True)
    out += struct.pack("<?qqi", False, rows, dim, rows * nsubq)
    out += rng.integers(0, 256, rows * nsubq, dtype=np.uint8).tobytes()
    out += pq_bytes(rng, dim, nsubq, dsub, lastdsub)
    out += struct.pack("<?", True)
    out += struct.pack("<?qqi", True, len(labels), dim, len(labels) * nsubq)
    out += rng.integers(0, 256, len(labels) * nsubq, dtype=np.uint8).tobytes()
    out += pq_bytes(rng, dim, nsubq, dsub, lastdsub)
    out += rng.integers(0, 256, len(labels), dtype=np.uint8).tobytes()
    out += pq_bytes(rng, 1, 1, 1, 1)
    with open(path, "wb") as f:
        f.write(bytes(out))


def main():
    os.makedirs(sys.argv[1], exist_ok=True)
    write(os.path.join(sys.argv[1], "softmax.bin"), 3, 1)
    write(os.path.join(sys.argv[1], "ova.bin"), 4, 2)
    write_quantized(os.path.join(sys.argv[1], "quantized.ftz"), 3)


if __name__ == "__main__":
    main()
