#!/usr/bin/env python3
"""Writes a CoNLL-2003-style NER file of about SIZE_MB megabytes for bench/run_import_conll.sh:
four columns (token, POS, chunk, NER tag), BIO tags with a few invalid transitions, a blank line
between sentences and a -DOCSTART- line every 200 sentences. Deterministic (seeded).
Usage: make_conll.py OUT SIZE_MB"""
import random
import sys

WORDS = ["EU", "rejects", "German", "call", "to", "boycott", "British", "lamb", "Peter",
         "Blackburn", "BRUSSELS", "the", "European", "Commission", "said", "on", "Thursday",
         "it", "disagreed", "with", "advice", "consumers", "北京", "大学", "Müller", "1996-08-22"]
POS = ["NNP", "VBZ", "JJ", "NN", "TO", "VB", "IN", "DT", "PRP", "CD"]
TYPES = ["PER", "LOC", "ORG", "MISC"]


def sentence(rng):
    lines = []
    previous = "O"
    for _ in range(rng.randint(4, 30)):
        r = rng.random()
        if r < 0.12:
            tag = "B-" + rng.choice(TYPES)
        elif r < 0.2:
            tag = "I-" + previous[2:] if previous != "O" else "O"
        elif r < 0.2005:
            tag = "I-" + rng.choice(TYPES)  # mostly an invalid transition
        else:
            tag = "O"
        lines.append(f"{rng.choice(WORDS)} {rng.choice(POS)} I-NP {tag}\n")
        previous = tag
    return "".join(lines) + "\n"


def main():
    out, size_mb = sys.argv[1], float(sys.argv[2])
    target = int(size_mb * 1e6)
    rng = random.Random(4)
    written = 0
    with open(out, "w", encoding="utf-8", newline="") as f:
        n = 0
        while written < target:
            block = []
            for _ in range(1000):
                if n % 200 == 0:
                    block.append("-DOCSTART- -X- -X- O\n\n")
                block.append(sentence(rng))
                n += 1
            text = "".join(block)
            f.write(text)
            written += len(text.encode("utf-8"))


if __name__ == "__main__":
    main()
