#!/usr/bin/env python3
"""Independent reference for tunebench's fastText importer (pure Python + numpy).

Written from the fastText binary format description (fastText 0.9, file version 12:
args block, dictionary, optional pruned-bucket index, product-quantized or dense matrices)
and fastText's documented prediction rule, separately from the C++ code. It differs from the
C++ path on purpose where it can: labels are scored by walking each leaf's root path of the
Huffman tree (all label probabilities) instead of a pruned depth-first search, and the
quantized rows are dequantized as whole matrices with numpy.

Usage: fasttext_reference.py MODEL.ftz [--out fixture.json] [--sentences list.json] [--name NAME]
Prints (or writes) JSON: {"sentences": [{"text", "top": [[label, probability], ...]}]}.
"""
import argparse
import json
import struct
import sys

import numpy as np

SENTENCES = [
    "The quick brown fox jumps over the lazy dog while the children watch from the garden.",
    "Je voudrais réserver une table pour deux personnes ce soir, s'il vous plaît.",
    "Ich habe gestern ein sehr interessantes Buch über die Geschichte Berlins gelesen.",
    "¿Dónde está la estación de tren más cercana? Necesito llegar a Madrid hoy.",
    "我们明天早上去公园散步，然后一起吃午饭。",
    "今日はとても良い天気なので、散歩に行きましょう。",
    "Я очень люблю читать книги на русском языке по вечерам.",
    "أحب أن أقرأ الكتب في المساء مع فنجان من القهوة.",
    "Questo ristorante serve la migliore pizza napoletana della città.",
    "O tempo hoje está ótimo para um passeio na praia com os amigos.",
    "Dit is een korte zin in het Nederlands over het weer van vandaag.",
    "hello",
]


class Buf:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, fmt):
        vals = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals if len(vals) > 1 else vals[0]

    def floats(self, n):
        arr = np.frombuffer(self.data, dtype="<f4", count=n, offset=self.pos)
        self.pos += 4 * n
        return arr.astype(np.float64)

    def bytes_(self, n):
        arr = np.frombuffer(self.data, dtype=np.uint8, count=n, offset=self.pos)
        self.pos += n
        return arr


def read_pq(b):
    dim, nsubq, dsub, lastdsub = b.take("iiii")
    cent = b.floats(dim * 256)
    return dim, nsubq, dsub, lastdsub, cent


def dequantize(codes, rows, pq):
    dim, nsubq, dsub, lastdsub, cent = pq
    codes = codes.reshape(rows, nsubq)
    out = np.zeros((rows, dim))
    for m in range(nsubq):
        d = lastdsub if m == nsubq - 1 else dsub
        # Sub-quantizer m's 256 centroids are stored contiguously, each d floats long.
        block = cent[m * 256 * dsub : m * 256 * dsub + 256 * d].reshape(256, d)
        out[:, m * dsub : m * dsub + d] = block[codes[:, m]]
    return out


def read_matrix(b, quant):
    if not quant:
        m, n = b.take("qq")
        return b.floats(m * n).reshape(m, n)
    qnorm, m, n, codesize = b.take("?qqi")
    codes = b.bytes_(codesize)
    mat = dequantize(codes, m, read_pq(b))
    if qnorm:
        ncodes = b.bytes_(m)
        norms = dequantize(ncodes, m, read_pq(b))[:, 0]
        mat = mat * norms[:, None]
    return mat


def load(path):
    b = Buf(open(path, "rb").read())
    magic, version = b.take("ii")
    assert magic == 793712314 and version == 12, (magic, version)
    names = "dim ws epoch minCount neg wordNgrams loss model bucket minn maxn lrUpdateRate".split()
    args = dict(zip(names, b.take("12i")))
    args["t"] = b.take("d")
    size, nwords, nlabels, ntokens, prune_size = b.take("iiiqq")
    words, counts = [], []
    for _ in range(size):
        end = b.data.index(b"\0", b.pos)
        words.append(b.data[b.pos : end].decode("utf-8"))
        b.pos = end + 1
        count, _type = b.take("qb")
        counts.append(count)
    prune = {}
    for _ in range(max(prune_size, 0)):
        bucket, row = b.take("ii")
        prune[bucket] = row
    quant_in = b.take("?")
    wi = read_matrix(b, quant_in)
    quant_out = b.take("?")
    wo = read_matrix(b, quant_out)
    assert b.pos == len(b.data)
    return dict(args=args, words=words, counts=counts, nwords=nwords, nlabels=nlabels,
                prune_size=prune_size, prune=prune, wi=wi, wo=wo)


def fnv1a(s):
    h = 2166136261
    for byte in s.encode("utf-8"):
        signed = byte - 256 if byte >= 128 else byte  # fastText hashes signed chars
        h = (h ^ (signed & 0xFFFFFFFF)) & 0xFFFFFFFF
        h = (h * 16777619) & 0xFFFFFFFF
    return h


def bucket_row(M, idx):
    if M["prune_size"] == 0:
        return None
    if M["prune_size"] > 0:
        if idx not in M["prune"]:
            return None
        idx = M["prune"][idx]
    return M["nwords"] + idx


def char_ngrams(M, word):
    a = M["args"]
    chars = list("<" + word + ">")  # unicode code points == UTF-8 characters
    rows = []
    for i in range(len(chars)):
        for n in range(1, a["maxn"] + 1):
            if i + n > len(chars):
                break
            if n < a["minn"] or (n == 1 and (i == 0 or i + n == len(chars))):
                continue
            r = bucket_row(M, fnv1a("".join(chars[i : i + n])) % a["bucket"])
            if r is not None:
                rows.append(r)
    return rows


def features(M, text):
    ids = {w: i for i, w in enumerate(M["words"])} if "ids" not in M else M["ids"]
    M["ids"] = ids
    tokens = text.split() + ["</s>"]
    rows, hashes = [], []
    for t in tokens:
        wid = ids.get(t, -1)
        if (wid >= M["nwords"]) or (wid < 0 and t.startswith("__label__")):
            continue
        if wid >= 0:
            rows.append(wid)
        if t != "</s>":
            rows += char_ngrams(M, t)
        hashes.append(fnv1a(t))
    n = M["args"]["wordNgrams"]
    for i in range(len(hashes)):
        signed = lambda x: x - (1 << 32) if x >= (1 << 31) else x
        h = signed(hashes[i]) % (1 << 64)
        for j in range(i + 1, min(len(hashes), i + n)):
            h = (h * 116049371 + signed(hashes[j])) % (1 << 64)
            r = bucket_row(M, h % M["args"]["bucket"])
            if r is not None:
                rows.append(r)
    return rows


def huffman_paths(counts):
    """Returns, per leaf, the list of (inner node row, went_right) along its root path."""
    n = len(counts)
    count = list(counts) + [10**15] * (n - 1)
    parent = [-1] * (2 * n - 1)
    right = [False] * (2 * n - 1)
    leaf, node = n - 1, n
    for i in range(n, 2 * n - 1):
        picked = []
        for _ in range(2):
            if leaf >= 0 and count[leaf] < count[node]:
                picked.append(leaf)
                leaf -= 1
            else:
                picked.append(node)
                node += 1
        count[i] = count[picked[0]] + count[picked[1]]
        parent[picked[0]] = parent[picked[1]] = i
        right[picked[1]] = True
    paths = []
    for l in range(n):
        p, cur = [], l
        while parent[cur] != -1:
            p.append((parent[cur] - n, right[cur]))
            cur = parent[cur]
        paths.append(p)
    return paths


def predict(M, text, k=3):
    rows = features(M, text)
    h = M["wi"][rows].mean(axis=0)
    loss = M["args"]["loss"]
    nl = M["nlabels"]
    if loss == 1:  # hierarchical softmax
        if "paths" not in M:
            M["paths"] = huffman_paths(M["counts"][M["nwords"]:])
        sig = 1.0 / (1.0 + np.exp(-(M["wo"] @ h)))
        logp = np.array([sum(np.log((sig[r] if right else 1 - sig[r]) + 1e-5) for r, right in p)
                         for p in M["paths"]])
    elif loss == 3:  # softmax
        z = M["wo"] @ h
        e = np.exp(z - z.max())
        logp = np.log(e / e.sum() + 1e-5)
    else:  # one-vs-all
        logp = np.log(1.0 / (1.0 + np.exp(-(M["wo"] @ h))) + 1e-5)
    order = np.argsort(-logp, kind="stable")[:k]
    return [[M["words"][M["nwords"] + i], float(np.exp(logp[i]))] for i in order]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--out")
    ap.add_argument("--sentences", help="JSON file with a list of sentences (default: built-in)")
    ap.add_argument("--name", default="lid.176.ftz (npm fasttext.wasm.js@1.0.0)")
    opts = ap.parse_args()
    sentences = json.load(open(opts.sentences, encoding="utf-8")) if opts.sentences else SENTENCES
    M = load(opts.model)
    result = {
        "model": opts.name,
        "generator": "tests/reference/fasttext/fasttext_reference.py",
        "args": M["args"],
        "nwords": M["nwords"],
        "nlabels": M["nlabels"],
        "sentences": [{"text": s, "top": predict(M, s)} for s in sentences],
    }
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if opts.out:
        open(opts.out, "w", encoding="utf-8").write(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    sys.exit(main())
