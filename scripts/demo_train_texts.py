#!/usr/bin/env python3
"""Prints the texts of the demo experiment's TRAINING split, one per line, for task-adaptive
pretraining of the demo model (scripts/build_demo_model.sh): dev and test e-mails are never
part of the pretraining corpus.

Usage: /usr/bin/python3 scripts/demo_train_texts.py [resources/demo/spam_assassin.csv] > out.txt

Reproduces tunebench's seeded stratified split (core/data/split.cpp) for the settings of
resources/demo/demo_experiment.yaml (label_order sorted, 0.8/0.1/0.1, seed 42): per class a
std::mt19937_64 seeded with mix(seed ^ mix(label)), a Fisher-Yates shuffle drawing by
rejection sampling, and largest-remainder cut counts. The indices equal the split.json that a
run of the demo experiment writes.
"""
import csv
import math
import sys

MASK64 = (1 << 64) - 1


class MT19937_64:
    def __init__(self, seed):
        self.mt = [0] * 312
        self.mt[0] = seed & MASK64
        for i in range(1, 312):
            prev = self.mt[i - 1]
            self.mt[i] = (6364136223846793005 * (prev ^ (prev >> 62)) + i) & MASK64
        self.index = 312

    def next(self):
        if self.index >= 312:
            for i in range(312):
                x = (self.mt[i] & 0xFFFFFFFF80000000) | (self.mt[(i + 1) % 312] & 0x7FFFFFFF)
                xa = x >> 1
                if x & 1:
                    xa ^= 0xB5026F5AA96619E9
                self.mt[i] = self.mt[(i + 156) % 312] ^ xa
            self.index = 0
        y = self.mt[self.index]
        self.index += 1
        y ^= (y >> 29) & 0x5555555555555555
        y ^= (y << 17) & 0x71D67FFFEDA60000
        y ^= (y << 37) & 0xFFF7EEE000000000
        y ^= y >> 43
        return y & MASK64


def mix(x):
    x = (x + 0x9E3779B97F4A7C15) & MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK64
    return x ^ (x >> 31)


def uniform_below(engine, bound):
    threshold = ((1 << 64) - bound) % bound
    while True:
        draw = engine.next()
        if draw >= threshold:
            return draw % bound


def cut_counts(n, fractions):
    counts, remainders = [], []
    for f in fractions:
        exact = n * f
        counts.append(min(n, math.floor(exact)))
        remainders.append(exact - math.floor(exact))
    assigned = sum(counts)
    while assigned > n:
        counts[counts.index(max(counts))] -= 1
        assigned -= 1
    while assigned < n:
        best = None
        for k in range(3):
            if fractions[k] <= 0:
                continue
            if best is None or remainders[k] > remainders[best]:
                best = k
        counts[best] += 1
        remainders[best] = -1.0
        assigned += 1
        if all(r < 0 for r in remainders):
            remainders = [0.0, 0.0, 0.0]
    return counts


def stratified_split(labels, fractions, seed):
    parts = [[], [], []]
    for label in sorted(set(labels)):
        indices = [i for i, l in enumerate(labels) if l == label]
        engine = MT19937_64(mix(seed ^ mix(label & MASK64)))
        for i in range(len(indices), 1, -1):
            j = uniform_below(engine, i)
            indices[i - 1], indices[j] = indices[j], indices[i - 1]
        counts = cut_counts(len(indices), fractions)
        start = 0
        for k in range(3):
            parts[k].extend(indices[start:start + counts[k]])
            start += counts[k]
    return [sorted(p) for p in parts]


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "resources/demo/spam_assassin.csv"
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    names = sorted({r["label"] for r in rows})  # label_order: sorted
    labels = [names.index(r["label"]) for r in rows]
    train, _, _ = stratified_split(labels, [0.8, 0.1, 0.1], 42)
    out = sys.stdout
    for i in train:
        out.write(rows[i]["text"].replace("\n", " ") + "\n")


if __name__ == "__main__":
    main()
