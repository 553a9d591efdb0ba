#!/usr/bin/env python3
"""Reference for bench/run_import_conll.sh: reads a CoNLL file line by line in Python (the way
a seqeval-style loader does: sentences split at blank and -DOCSTART- lines, the tag in the last
column) and counts sentences, tokens and tags, reporting MB/s and peak RSS.
Usage: read_conll.py FILE"""
import collections
import os
import resource
import sys
import time


def main():
    path = sys.argv[1]
    start = time.perf_counter()
    sentences = tokens = 0
    tags = collections.Counter()
    in_sentence = False
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            fields = line.split()
            if not fields or fields[0] == "-DOCSTART-":
                in_sentence = False
                continue
            if not in_sentence:
                sentences += 1
                in_sentence = True
            tokens += 1
            tags[fields[-1]] += 1
    seconds = time.perf_counter() - start
    size = os.path.getsize(path)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(f"python reference: {sentences} sentences, {tokens} tokens, {len(tags)} tags in "
          f"{seconds:.2f} s = {size / 1e6 / seconds:.1f} MB/s, peak RSS {rss:.0f} MiB")


if __name__ == "__main__":
    main()
