#!/usr/bin/python3
"""Generates tests/fixtures/metrics/multilabel_cases.json: scikit-learn's classification_report
for multilabel-indicator input (zero_division=0), plus accuracy_score (subset accuracy) and
hamming_loss, the reference tst_multilabel_report compares tb::metrics::multilabel_report against.

Run with the system interpreter (Debian's python3-sklearn):
    /usr/bin/python3 tests/reference/metrics/make_multilabel_fixtures.py
Every input is fixed (random cases are seeded), so rerunning gives the same file.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.metrics import accuracy_score, classification_report, hamming_loss

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "..", "fixtures", "metrics",
                                    "multilabel_cases.json"))


def case(name, labels, y_true, y_pred):
    yt = np.array(y_true, dtype=int).reshape(len(y_true), len(labels))
    yp = np.array(y_pred, dtype=int).reshape(len(y_pred), len(labels))
    rep = classification_report(yt, yp, target_names=labels, output_dict=True, zero_division=0)
    rows = {}
    for key, value in rep.items():
        rows[key] = {"precision": value["precision"], "recall": value["recall"],
                     "f1": value["f1-score"], "support": int(value["support"])}
    return {"name": name, "labels": labels, "y_true": yt.tolist(), "y_pred": yp.tolist(),
            "report": rows, "subset_accuracy": float(accuracy_score(yt, yp)),
            "hamming_loss": float(hamming_loss(yt, yp))}


def main():
    cases = [
        case("small", ["sports", "politics", "tech"],
             [[1, 0, 1], [0, 1, 0], [1, 1, 0], [0, 0, 0]],
             [[1, 0, 0], [0, 1, 1], [1, 0, 0], [0, 0, 1]]),
        case("empty rows and a never-predicted label", ["a", "b"],
             [[0, 0], [1, 0], [0, 0]], [[0, 0], [1, 0], [1, 0]]),
    ]
    rng = np.random.RandomState(7)
    for n, k in [(40, 5), (100, 8)]:
        yt = (rng.rand(n, k) < 0.3).astype(int)
        flip = rng.rand(n, k) < 0.2
        yp = np.where(flip, 1 - yt, yt)
        cases.append(case("random %dx%d" % (n, k), ["l%d" % j for j in range(k)],
                          yt.tolist(), yp.tolist()))
    with open(OUT, "w") as f:
        json.dump({"sklearn_version": sklearn.__version__, "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
