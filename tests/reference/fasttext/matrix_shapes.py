#!/usr/bin/env python3
"""Parameter counts of fastText models, from the independent reader in fasttext_reference.py.

Counts what the model library reports: the input matrix (words + n-gram buckets, or the rows a
pruned .ftz keeps) and the output matrix, each rows x dim, with product-quantized matrices
counted as the dense float matrices they decode to (fasttext_reference.load dequantizes them).

Usage: matrix_shapes.py MODEL... [--out shapes.json]
Prints (or writes) JSON: {"<file name>": {"input": [rows, dim], "output": [rows, dim],
"input_quantized": bool, "output_quantized": bool, "parameters": int}}.
"""
import argparse
import json
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fasttext_reference import load  # noqa: E402


def quantized_flags(path):
    """Whether the input and output matrices are quantized: the flag bytes before each matrix,
    found by walking the header and dictionary (load() does not keep them)."""
    data = open(path, "rb").read()
    pos = 4 + 4 + 12 * 4 + 8  # magic, version, args
    size, _nwords, _nlabels, _ntokens, prune_size = struct.unpack_from("<iiiqq", data, pos)
    pos += 4 * 3 + 8 * 2
    for _ in range(size):
        pos = data.index(b"\0", pos) + 1 + 8 + 1
    pos += 8 * max(prune_size, 0)
    quant_in = data[pos] != 0
    pos += 1
    if quant_in:
        _qnorm, m, _n, codesize = struct.unpack_from("<?qqi", data, pos)
        pos += 1 + 8 + 8 + 4 + codesize
        dim = struct.unpack_from("<i", data, pos)[0]
        pos += 16 + 4 * dim * 256
        if _qnorm:
            pos += m + 16 + 4 * 1 * 256
    else:
        m, n = struct.unpack_from("<qq", data, pos)
        pos += 16 + 4 * m * n
    return quant_in, data[pos] != 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("models", nargs="+")
    ap.add_argument("--out")
    opts = ap.parse_args()
    result = {}
    for path in opts.models:
        M = load(path)
        quant_in, quant_out = quantized_flags(path)
        wi, wo = M["wi"], M["wo"]
        result[os.path.basename(path)] = {
            "input": list(wi.shape),
            "output": list(wo.shape),
            "input_quantized": quant_in,
            "output_quantized": quant_out,
            "nwords": M["nwords"],
            "bucket": M["args"]["bucket"],
            "parameters": int(wi.size + wo.size),
        }
    text = json.dumps(result, indent=1)
    if opts.out:
        open(opts.out, "w", encoding="utf-8").write(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    sys.exit(main())
