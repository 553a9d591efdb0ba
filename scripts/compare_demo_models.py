#!/usr/bin/env python3
"""Fair pretrained-vs-random-initialisation comparison for the demo model.

Fine-tunes an experiment from each of two model folders (the pretrained model and its
random-initialisation twin, same vocabulary and architecture) over the same learning-rate grid
and seeds, selects each arm's learning rate on the DEV split only (highest mean dev accuracy of
the final epoch, i.e. of the model that is tested; ties: higher dev macro-F1, then the smaller
learning rate), and prints the test results of the selected setting (mean and sample standard
deviation over the seeds). Test results of the other grid points are written to the CSV for the
record but play no part in the selection.

    /usr/bin/python3 scripts/compare_demo_models.py --cli build/app/tunebench-cli \\
        --experiment resources/demo/spam_low_resource.yaml \\
        --arm pretrained=resources/demo/pretrained_model --arm "random init=/tmp/random-init" \\
        --lrs 1e-4,3e-4,1e-3,3e-3 --seeds 42,1,2 --work /tmp/compare --csv results.csv

Runs are cached in the CSV by (experiment, model weights hash, learning rate, seed, extra
--set overrides), so an interrupted comparison resumes and a new model folder reruns only its
own arm. `training.seed` also draws the data split, so each seed is another labelled subset.
"""

import argparse
import concurrent.futures
import csv
import hashlib
import os
import statistics
import subprocess
import sys

FIELDS = [
    "experiment", "arm", "model", "weights_sha1", "lr", "seed", "overrides", "dev_loss",
    "dev_accuracy", "dev_macro_f1", "test_loss", "test_accuracy", "test_macro_f1", "run_dir"
]


def weights_sha1(model_dir):
    h = hashlib.sha1()
    with open(os.path.join(model_dir, "model.safetensors"), "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:16]


def last_rows(metrics_csv):
    """The last dev row and the test row of a run's metrics.csv."""
    dev = test = None
    with open(metrics_csv, newline="") as f:
        for row in csv.DictReader(f):
            if row["kind"] == "dev":
                dev = row
            elif row["kind"] == "test":
                test = row
    if dev is None or test is None:
        raise RuntimeError(f"{metrics_csv}: no dev or test evaluation")
    return dev, test


def run_one(args, job):
    arm, model, sha, lr, seed = job
    runs_dir = os.path.join(args.work, f"{os.path.basename(args.experiment)}-{sha}-{lr}-{seed}")
    os.makedirs(runs_dir, exist_ok=True)
    cmd = ["nice", "-n", str(args.nice), args.cli, "train", args.experiment, "-q",
           "--set", f"model.path={os.path.realpath(model)}", "--set", f"training.seed={seed}",
           "--set", f"training.learning_rate={lr}", "--set", f"output.runs_dir={runs_dir}",
           "--set", "output.keep_last_checkpoints=1"]
    for s in args.set:
        cmd += ["--set", s]
    out = subprocess.run(cmd, capture_output=True, text=True)
    run_dir = None
    for line in out.stdout.splitlines():
        if line.startswith("run folder: "):
            run_dir = line[len("run folder: "):].strip()
    if out.returncode != 0 or run_dir is None:
        raise RuntimeError(f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    dev, test = last_rows(os.path.join(run_dir, "metrics.csv"))
    return {
        "experiment": args.experiment, "arm": arm, "model": model, "weights_sha1": sha,
        "lr": lr, "seed": seed, "overrides": " ".join(args.set),
        "dev_loss": dev["loss"], "dev_accuracy": dev["accuracy"], "dev_macro_f1": dev["macro_f1"],
        "test_loss": test["loss"], "test_accuracy": test["accuracy"],
        "test_macro_f1": test["macro_f1"], "run_dir": run_dir,
    }


def mean_sd(values):
    m = statistics.mean(values)
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return m, sd


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cli", required=True)
    p.add_argument("--experiment", required=True)
    p.add_argument("--arm", action="append", required=True, help="LABEL=MODEL_DIR (repeat)")
    p.add_argument("--lrs", default="1e-4,3e-4,1e-3,3e-3")
    p.add_argument("--seeds", default="42,1,2")
    p.add_argument("--set", action="append", default=[], help="extra --set for every run")
    p.add_argument("--work", required=True, help="folder for the runs")
    p.add_argument("--csv", required=True, help="results file (also the cache)")
    p.add_argument("--jobs", type=int, default=1, help="training processes at once")
    p.add_argument("--nice", type=int, default=10)
    args = p.parse_args()

    arms = []
    for a in args.arm:
        label, _, model = a.partition("=")
        arms.append((label, model, weights_sha1(model)))
    lrs = [x.strip() for x in args.lrs.split(",") if x.strip()]
    seeds = [x.strip() for x in args.seeds.split(",") if x.strip()]

    done = {}
    if os.path.exists(args.csv):
        with open(args.csv, newline="") as f:
            for row in csv.DictReader(f):
                done[(row["experiment"], row["weights_sha1"], row["lr"], row["seed"],
                      row["overrides"])] = row
    overrides = " ".join(args.set)
    jobs = [(label, model, sha, lr, seed) for label, model, sha in arms for lr in lrs
            for seed in seeds if (args.experiment, sha, lr, seed, overrides) not in done]
    new_file = not os.path.exists(args.csv)
    with open(args.csv, "a", newline="") as f, \
            concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        writer = csv.DictWriter(f, fieldnames=FIELDS)
        if new_file:
            writer.writeheader()
        for row in pool.map(lambda j: run_one(args, j), jobs):
            writer.writerow(row)
            f.flush()
            done[(row["experiment"], row["weights_sha1"], row["lr"], row["seed"],
                  row["overrides"])] = row
            print(f"  {row['arm']:<12} lr {row['lr']:<6} seed {row['seed']:<3} dev acc "
                  f"{float(row['dev_accuracy']):.4f}", file=sys.stderr, flush=True)

    print(f"\n{args.experiment}{' (' + overrides + ')' if overrides else ''}: learning rate "
          f"selected on dev (mean final-epoch dev accuracy over seeds {', '.join(seeds)})")
    print("\ndev accuracy, mean over seeds:")
    print(f"{'arm':<14}" + "".join(f"{'lr ' + lr:>12}" for lr in lrs))
    summary = []
    for label, model, sha in arms:
        rows = {lr: [done[(args.experiment, sha, lr, s, overrides)] for s in seeds] for lr in lrs}
        dev = {lr: (statistics.mean(float(r["dev_accuracy"]) for r in rows[lr]),
                    statistics.mean(float(r["dev_macro_f1"]) for r in rows[lr])) for lr in lrs}
        print(f"{label:<14}" + "".join(f"{dev[lr][0]:>12.4f}" for lr in lrs))
        best = max(lrs, key=lambda lr: (dev[lr][0], dev[lr][1], -float(lr)))
        summary.append((label, best, dev[best][0], rows[best]))
    print("\ntest results at the dev-selected learning rate (mean ± sample sd over seeds):")
    print(f"{'arm':<14}{'lr':>8}{'dev acc':>10}{'test acc':>18}{'test macro-F1':>18}   "
          f"per-seed test acc ({', '.join(seeds)})")
    for label, best, dev_acc, rows in summary:
        acc = mean_sd([float(r["test_accuracy"]) for r in rows])
        f1 = mean_sd([float(r["test_macro_f1"]) for r in rows])
        per_seed = " ".join(f"{float(r['test_accuracy']):.4f}" for r in rows)
        print(f"{label:<14}{best:>8}{dev_acc:>10.4f}{acc[0]:>11.4f} ± {acc[1]:.4f}"
              f"{f1[0]:>11.4f} ± {f1[1]:.4f}   {per_seed}")


if __name__ == "__main__":
    main()
