#!/usr/bin/python3
"""Generates tests/fixtures/metrics/sklearn_cases.json: scikit-learn's classification metrics for
fixed inputs, the reference tst_classification_report compares tb::metrics against.

Run with the system interpreter (Debian's python3-sklearn):
    /usr/bin/python3 tests/reference/metrics/make_metrics_fixtures.py
Every input is fixed (the random case is seeded), so rerunning gives the same file.
"""
import json
import os
import sys
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import (accuracy_score, classification_report, confusion_matrix,
                             precision_recall_fscore_support)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "..", "fixtures", "metrics", "sklearn_cases.json"))


def index_case(name, labels, y_true, y_pred):
    """Inputs are indices into `labels`; sklearn gets labels=range(n) so every class is reported."""
    return {"name": name, "kind": "index", "labels": labels, "y_true": y_true, "y_pred": y_pred}


def string_case(name, y_true, y_pred):
    """Inputs are label strings; sklearn picks the labels itself (sorted union)."""
    return {"name": name, "kind": "string", "y_true": y_true, "y_pred": y_pred}


def cases():
    out = []
    out.append(index_case("binary", ["neg", "pos"],
                          [0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0],
                          [0, 1, 0, 0, 1, 1, 0, 1, 1, 0, 0, 1]))
    out.append(index_case("multiclass", ["cat", "dog", "bird", "fish"],
                          [0, 1, 2, 3, 0, 1, 2, 3, 0, 0, 1, 2, 2, 2, 3, 1, 0],
                          [0, 2, 2, 3, 1, 1, 2, 0, 0, 0, 1, 1, 2, 3, 3, 1, 2]))
    # "c" is never predicted: precision 0 by zero_division=0, recall 0.
    out.append(index_case("class_never_predicted", ["a", "b", "c"],
                          [0, 1, 2, 2, 0, 1, 2, 0],
                          [0, 1, 0, 1, 0, 1, 1, 0]))
    # "rare" never occurs in y_true but is predicted; "ghost" occurs nowhere. Both count in macro.
    out.append(index_case("zero_support_in_labels", ["x", "y", "rare", "ghost"],
                          [0, 1, 0, 1, 0, 1, 1, 0, 0],
                          [0, 1, 2, 1, 0, 2, 1, 1, 0]))
    out.append(index_case("perfect", ["p", "q", "r"],
                          [0, 1, 2, 2, 1, 0, 2],
                          [0, 1, 2, 2, 1, 0, 2]))
    out.append(index_case("all_wrong", ["p", "q", "r"],
                          [0, 1, 2, 0, 1, 2],
                          [1, 2, 0, 2, 0, 1]))
    # Chinese names sort by code point, after ASCII; name width counts code points.
    out.append(string_case("string_labels_chinese",
                           ["正面", "负面", "中性", "正面", "负面", "中性", "正面", "neutral", "正面"],
                           ["正面", "中性", "中性", "负面", "负面", "正面", "正面", "正面", "neutral"]))
    # Byte/code-point order, not natural order: "10" < "2", "B" < "a".
    out.append(string_case("string_labels_order",
                           ["2", "10", "a", "B", "2", "10", "a", "B", "a"],
                           ["2", "2", "a", "B", "10", "10", "B", "a", "a"]))
    rng = np.random.RandomState(20240607)
    n, k = 600, 7
    y_true = rng.randint(0, k, size=n)
    noise = rng.randint(0, k, size=n)
    keep = rng.rand(n) < 0.6
    y_pred = np.where(keep, y_true, noise)
    y_pred[y_pred == 6] = 5  # class 6 is never predicted
    out.append(index_case("random_seeded", ["l%d" % i for i in range(k)],
                          y_true.tolist(), y_pred.tolist()))
    return out


def expected(case):
    y_true, y_pred = case["y_true"], case["y_pred"]
    if case["kind"] == "index":
        labels = list(range(len(case["labels"])))
        names = case["labels"]
        kwargs = {"labels": labels}
        text_kwargs = {"labels": labels, "target_names": names}
    else:
        names = sorted(set(y_true) | set(y_pred))  # sklearn's unique_labels order
        kwargs = {}
        text_kwargs = {}
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, zero_division=0, **kwargs)
    result = {
        "labels": names,
        "precision": p.tolist(),
        "recall": r.tolist(),
        "f1": f.tolist(),
        "support": [int(v) for v in s],
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "confusion": confusion_matrix(y_true, y_pred, **kwargs).tolist(),
        "total": len(y_true),
    }
    for avg in ("micro", "macro", "weighted"):
        ap, ar, af, _ = precision_recall_fscore_support(y_true, y_pred, average=avg,
                                                        zero_division=0, **kwargs)
        result[avg] = {"precision": float(ap), "recall": float(ar), "f1": float(af)}
    # sklearn 1.2 prints supports as "2.0" when no sample is correct (its counts turn float);
    # the test skips the text comparison for such cases rather than copy the quirk.
    result["text_support_is_float"] = s.dtype.kind == "f"
    for digits in (2, 4):
        result["text_%d" % digits] = classification_report(y_true, y_pred, digits=digits,
                                                           zero_division=0, **text_kwargs)
    return result


def main():
    warnings.simplefilter("ignore", UndefinedMetricWarning)
    doc = {"generator": "tests/reference/metrics/make_metrics_fixtures.py",
           "sklearn_version": sklearn.__version__,
           "cases": []}
    for case in cases():
        case["expected"] = expected(case)
        doc["cases"].append(case)
    with open(OUT, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    print("wrote %d cases to %s" % (len(doc["cases"]), OUT), file=sys.stderr)


if __name__ == "__main__":
    main()
