#!/usr/bin/env python3
"""Reference numbers for regression scores and per-label multi-label thresholds.

Writes tests/fixtures/metrics/regression_cases.json (sklearn.metrics mean_squared_error,
mean_absolute_error, r2_score and scipy.stats pearsonr / spearmanr on fixed cases) and
tests/fixtures/metrics/threshold_cases.json (multi-label probabilities whose per-label best F1
is found by scanning a fine grid of thresholds with sklearn's f1_score).

Run with /usr/bin/python3 (Debian's python3-sklearn, python3-scipy):
    /usr/bin/python3 tests/reference/metrics/make_regression_fixtures.py
"""
import json
import os

import numpy as np
from scipy import stats
from sklearn.metrics import (f1_score, mean_absolute_error, mean_squared_error, r2_score)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "fixtures", "metrics")


def regression_cases():
    rng = np.random.default_rng(7)
    truth = rng.normal(3.0, 2.0, 40)
    cases = [
        ("random", truth, truth + rng.normal(0.0, 0.7, 40)),
        ("ties", np.array([1, 2, 2, 3, 3, 3, 5.5, 0]), np.array([1.5, 2, 1, 3, 4, 3, 5, 0.5])),
        ("negative_r2", np.array([1.0, 2.0, 3.0, 4.0]), np.array([4.0, 3.0, 2.0, 1.0])),
        ("large_offset", 1000.0 + truth[:10], 1000.0 + truth[:10] * 0.9 + 0.3),
        ("constant_truth_exact", np.array([2.0, 2.0, 2.0]), np.array([2.0, 2.0, 2.0])),
        ("constant_truth_wrong", np.array([2.0, 2.0, 2.0]), np.array([1.0, 2.0, 3.0])),
    ]
    out = []
    for name, t, p in cases:
        t = [float(x) for x in t]
        p = [float(x) for x in p]
        mse = mean_squared_error(t, p)
        entry = {"name": name, "truth": t, "predicted": p, "mse": mse,
                 "rmse": float(np.sqrt(mse)), "mae": mean_absolute_error(t, p),
                 "r2": r2_score(t, p)}
        if np.std(t) > 0 and np.std(p) > 0:
            entry["pearson"] = float(stats.pearsonr(t, p)[0])
            entry["spearman"] = float(stats.spearmanr(t, p)[0])
        else:  # undefined (NaN in SciPy): tunebench reports 0
            entry["pearson"] = 0.0
            entry["spearman"] = 0.0
        out.append(entry)
    return out


def threshold_cases():
    rng = np.random.default_rng(11)
    n, labels = 60, 4
    truth = (rng.random((n, labels)) < [0.5, 0.3, 0.15, 0.0]).astype(int)
    # Scores that separate the classes imperfectly, shifted per label so the best threshold
    # is far from 0.5 for some labels; rounded to 3 decimals so a 0.0005-step grid finds
    # every achievable decision set.
    shift = np.array([0.0, -0.25, 0.3, 0.0])
    logits = (truth * 1.5 - 0.75) + rng.normal(0.0, 0.9, (n, labels)) + shift * 4
    probs = np.round(1 / (1 + np.exp(-logits)), 3)
    probs = np.clip(probs, 0.001, 0.999)
    grid = np.arange(0.0005, 1.0, 0.0005)
    best = []
    for j in range(labels):
        if truth[:, j].sum() == 0:
            best.append(0.0)
            continue
        scores = [f1_score(truth[:, j], (probs[:, j] >= t).astype(int), zero_division=0)
                  for t in grid]
        best.append(float(max(scores)))
    return [{"name": "four_labels", "probabilities": probs.tolist(), "truth": truth.tolist(),
             "best_f1": best, "fallback": 0.5}]


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "regression_cases.json"), "w") as f:
        json.dump(regression_cases(), f, indent=1)
    with open(os.path.join(OUT, "threshold_cases.json"), "w") as f:
        json.dump(threshold_cases(), f, indent=1)


if __name__ == "__main__":
    main()
