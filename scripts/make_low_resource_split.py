#!/usr/bin/env python3
"""Writes the low-resource variant of the demo task: a small labelled subset of the demo
experiment's TRAINING split, and its dev and test splits unchanged, as three CSV files. The
rest of the training split is the unlabelled in-domain text for pretraining
(scripts/demo_train_texts.py), so dev and test e-mails are never seen before evaluation.

Usage: /usr/bin/python3 scripts/make_low_resource_split.py OUT_DIR [N_LABELLED] [SEED]
       (defaults: 242 labelled e-mails, seed 1; reads resources/demo/spam_assassin.csv)

The subset is stratified (the class shares of the training split, largest remainders) and drawn
with Python's random.Random(SEED), so it is reproducible.
"""
import csv
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from demo_train_texts import stratified_split  # noqa: E402


def main():
    out_dir = sys.argv[1]
    n_labelled = int(sys.argv[2]) if len(sys.argv) > 2 else 242
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    with open("resources/demo/spam_assassin.csv", newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields = reader.fieldnames
        rows = list(reader)
    names = sorted({r["label"] for r in rows})
    labels = [names.index(r["label"]) for r in rows]
    train, dev, test = stratified_split(labels, [0.8, 0.1, 0.1], 42)
    rng = random.Random(seed)
    subset = []
    for c in range(len(names)):
        members = [i for i in train if labels[i] == c]
        take = round(n_labelled * len(members) / len(train))
        subset.extend(rng.sample(members, take))
    os.makedirs(out_dir, exist_ok=True)
    for name, indices in (("train", sorted(subset)), ("dev", dev), ("test", test)):
        with open(os.path.join(out_dir, name + ".csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=fields)
            w.writeheader()
            w.writerows(rows[i] for i in indices)
        print(name, len(indices))


if __name__ == "__main__":
    main()
