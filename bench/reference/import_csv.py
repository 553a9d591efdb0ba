#!/usr/bin/env python3
"""Reference for bench_import: reads a CSV with Python's csv module (streaming, one row at a time,
UTF-8 decoding included) and prints rows, MB/s and peak RSS. Usage: import_csv.py FILE"""
import csv
import os
import resource
import sys
import time

path = sys.argv[1]
size_mb = os.path.getsize(path) / 1e6
t0 = time.perf_counter()
rows = 0
with open(path, newline="", encoding="utf-8") as f:
    reader = csv.reader(f)
    next(reader)
    for _ in reader:
        rows += 1
elapsed = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"python csv   {size_mb / elapsed:.0f} MB/s ({elapsed:.2f} s), {rows} rows, peak RSS {rss:.0f} MB")
