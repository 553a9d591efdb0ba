#!/usr/bin/python3
"""Generates the small, learnable task fixtures under tests/fixtures/data/tasks/ that
tst_trainer_tasks trains on (seeded, so rerunning gives the same files):

- pairs.csv: sentence pairs (text, text_b, label); the sentiment word sits in either text, so a
  model has to read both segments.
- topics_multilabel.csv: texts mentioning one to three topics; labels "sports|tech" style.
- people_places.conll: CoNLL BIO named entities (PER, LOC, ORG) from templates.

    /usr/bin/python3 tests/reference/train/make_task_fixtures.py
"""
import csv
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "..", "fixtures", "data", "tasks"))

FILLER = ["the", "a", "today", "we", "saw", "it", "was", "and", "then", "very", "this", "that"]


def pairs(rng):
    good = ["great", "superb", "lovely", "brilliant"]
    bad = ["awful", "boring", "terrible", "dull"]
    rows = []
    for i in range(160):
        label = "positive" if i % 2 == 0 else "negative"
        word = rng.choice(good if label == "positive" else bad)
        a = rng.sample(FILLER, 4)
        b = rng.sample(FILLER, 4)
        (a if rng.random() < 0.5 else b).insert(rng.randrange(5), word)
        rows.append([" ".join(a), " ".join(b), label])
    with open(os.path.join(OUT, "pairs.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["text", "text_b", "label"])
        w.writerows(rows)


def multilabel(rng):
    topics = {
        "sports": ["goal", "match", "team", "coach", "league"],
        "politics": ["vote", "election", "minister", "senate", "party"],
        "tech": ["software", "chip", "computer", "robot", "code"],
    }
    names = sorted(topics)
    rows = []
    for _ in range(180):
        k = rng.choice([1, 1, 2, 2, 3])
        chosen = sorted(rng.sample(names, k))
        words = rng.sample(FILLER, 4)
        for t in chosen:
            for word in rng.sample(topics[t], 2):
                words.insert(rng.randrange(len(words) + 1), word)
        rows.append([" ".join(words), "|".join(chosen)])
    with open(os.path.join(OUT, "topics_multilabel.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["text", "labels"])
        w.writerows(rows)


def ner(rng):
    people = [["Anna", "Berg"], ["Omar", "Haddad"], ["Li", "Wei"], ["Maria", "Rossi"],
              ["John", "Smith"], ["Ines", "Costa"], ["Kenji", "Sato"], ["Eva", "Novak"]]
    places = [["Paris"], ["Berlin"], ["New", "York"], ["Tokyo"], ["Lagos"], ["Lima"],
              ["San", "Diego"], ["Oslo"]]
    orgs = [["Acme", "Corp"], ["Globex"], ["Initech"], ["Red", "Cross"], ["Umbrella"],
            ["Stark", "Industries"]]
    templates = [
        ["{PER}", "lives", "in", "{LOC}", "."],
        ["{PER}", "works", "for", "{ORG}", "in", "{LOC}", "."],
        ["yesterday", "{PER}", "visited", "{LOC}", "."],
        ["{ORG}", "hired", "{PER}", "."],
        ["the", "office", "of", "{ORG}", "is", "in", "{LOC}", "."],
        ["we", "met", "{PER}", "and", "{PER}", "."],
    ]
    pools = {"PER": people, "LOC": places, "ORG": orgs}
    lines = []
    for _ in range(150):
        for slot in rng.choice(templates):
            if slot.startswith("{"):
                kind = slot[1:-1]
                words = rng.choice(pools[kind])
                for j, word in enumerate(words):
                    lines.append("%s %s-%s" % (word, "B" if j == 0 else "I", kind))
            else:
                lines.append("%s O" % slot)
        lines.append("")
    with open(os.path.join(OUT, "people_places.conll"), "w") as f:
        f.write("\n".join(lines))


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = random.Random(13)
    pairs(rng)
    multilabel(rng)
    ner(rng)


if __name__ == "__main__":
    main()
