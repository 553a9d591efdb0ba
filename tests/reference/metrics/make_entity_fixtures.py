#!/usr/bin/python3
"""Generates tests/fixtures/metrics/entity_cases.json: entity-level NER scores the way seqeval
(1.2.x) defines them, for tst_entity_report to compare tb::metrics against.

seqeval is not packaged for Debian, so this is an independent implementation written from its
documented behaviour:
  * default mode (seqeval.metrics.classification_report(y_true, y_pred)): conlleval-style chunk
    boundaries; sentences are joined with an "O" between them; lenient: "I-X" after "O" (or
    after another type) starts an entity, E-/S- prefixes are understood;
  * strict mode (mode="strict", scheme=IOB2/IOE2/IOBES/BILOU): only spans that follow the scheme
    are entities; a prefix the scheme does not allow is an error;
  * scores per type, micro / macro / weighted averages, zero_division -> 0, and the text layout
    of seqeval's classification_report.
Run with the system interpreter:  /usr/bin/python3 tests/reference/metrics/make_entity_fixtures.py
All inputs are fixed (the random cases are seeded), so rerunning gives the same file.
"""
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "..", "fixtures", "metrics", "entity_cases.json"))


# ---- default mode ---------------------------------------------------------------------------

def parse_default(label):
    prefix, rest = label[0], label[1:]
    kind = rest.split("-", 1)[-1]
    return prefix, (kind if kind else "_")


def boundary_before(prev, cur):
    """True if a chunk that `prev` belongs to is closed before `cur`."""
    (p, pt), (c, ct) = prev, cur
    if p in ("E", "S"):
        return True
    if p in ("B", "I") and c in ("B", "S", "O"):
        return True
    return p not in ("O", ".") and pt != ct


def opens_at(prev, cur):
    """True if a chunk opens at `cur`."""
    (p, pt), (c, ct) = prev, cur
    if c in ("B", "S"):
        return True
    if p in ("E", "S", "O") and c in ("E", "I"):
        return True
    return c not in ("O", ".") and pt != ct


def default_entities(sentences):
    joined, where = [], []
    for s, sentence in enumerate(sentences):
        for t, label in enumerate(sentence):
            joined.append(parse_default(label))
            where.append((s, t))
        joined.append(("O", "_"))
        where.append((s, len(sentence)))
    joined.append(("O", "_"))
    spans = []
    prev, start = ("O", ""), 0
    for i, cur in enumerate(joined):
        if boundary_before(prev, cur):
            s, t = where[start]
            spans.append((s, prev[1], t, t + (i - start)))
        if opens_at(prev, cur):
            start = i
        prev = cur
    return spans


# ---- strict mode ----------------------------------------------------------------------------

ALLOWED = {"IOB2": "IOB", "IOE2": "IOE", "IOBES": "IOBES", "BILOU": "BILOU"}


def parse_strict(label, scheme):
    prefix = label[0]
    if prefix not in ALLOWED[scheme]:
        raise ValueError("prefix %r not allowed in %s" % (prefix, scheme))
    return prefix, (label[1:].strip("-") or "_")


def strict_spans_one(tokens, scheme):
    """Spans of one sentence under `scheme`, as explicit grammars.

    IOB2:  B-X (I-X)*                      any such run is an entity
    IOE2:  (I-X)* E-X                      a run must end in E-X
    IOBES: S-X | B-X (I-X)* E-X            a run from B must end in E
    BILOU: U-X | B-X (I-X)* L-X            a run from B must end in L
    A token that cannot start an entity (O, and for IOB2 an I-X outside a run; for IOBES/BILOU
    any I/E/L outside a run) is skipped; after a run (complete or not) scanning resumes at the
    first token that did not continue it.
    """
    single = {"IOBES": "S", "BILOU": "U"}.get(scheme)
    last = {"IOE2": "E", "IOBES": "E", "BILOU": "L"}.get(scheme)
    begin = {"IOB2": "B", "IOBES": "B", "BILOU": "B"}.get(scheme)
    spans = []
    n = len(tokens)
    i = 0
    while i < n:
        p, kind = tokens[i]
        if single is not None and p == single:
            spans.append((kind, i, i + 1))
            i += 1
            continue
        if scheme == "IOE2":
            starts = p in ("I", "E")
        else:
            starts = p == begin
        if not starts:
            i += 1
            continue
        j = i + 1
        if not (scheme == "IOE2" and p == "E"):
            # continue while the previous token can be followed by the current one
            cont_prev = {"IOB2": "BI", "IOE2": "I", "IOBES": "BI", "BILOU": "BI"}[scheme]
            cont_cur = {"IOB2": "I", "IOE2": "IE", "IOBES": "IE", "BILOU": "IL"}[scheme]
            while (j < n and tokens[j - 1][0] in cont_prev and tokens[j][0] in cont_cur
                   and tokens[j][1] == kind):
                j += 1
        if last is None or tokens[j - 1][0] == last or (scheme == "IOE2" and p == "E" and j == i + 1):
            spans.append((kind, i, j))
        i = j
    return spans


def strict_entities(sentences, scheme):
    spans = []
    for s, sentence in enumerate(sentences):
        tokens = [parse_strict(label, scheme) for label in sentence]
        for kind, a, b in strict_spans_one(tokens, scheme):
            spans.append((s, kind, a, b))
    return spans


# ---- scores and report ----------------------------------------------------------------------

def div(a, b):
    return a / b if b else 0.0


def f1(p, r):
    return 2 * p * r / (p + r) if p + r else 0.0


def scores(y_true, y_pred, mode, scheme):
    extract = default_entities if mode == "default" else (lambda x: strict_entities(x, scheme))
    true, pred = set(extract(y_true)), set(extract(y_pred))
    types = sorted({e[1] for e in true} | {e[1] for e in pred})
    rows = []
    for t in types:
        tt = {e for e in true if e[1] == t}
        pp = {e for e in pred if e[1] == t}
        c = len(tt & pp)
        p, r = div(c, len(pp)), div(c, len(tt))
        rows.append({"type": t, "precision": p, "recall": r, "f1": f1(p, r), "support": len(tt),
                     "predicted": len(pp), "correct": c})
    support = sum(r["support"] for r in rows)
    tp = sum(r["correct"] for r in rows)
    npred = sum(r["predicted"] for r in rows)
    mp, mr = div(tp, npred), div(tp, support)
    micro = {"precision": mp, "recall": mr, "f1": f1(mp, mr), "support": support}
    k = len(rows)
    macro = {m: (sum(r[m] for r in rows) / k if k else 0.0) for m in ("precision", "recall", "f1")}
    macro["support"] = support
    weighted = {m: (sum(r[m] * r["support"] for r in rows) / support if support else 0.0)
                for m in ("precision", "recall", "f1")}
    weighted["support"] = support
    entities = {"true": sorted([list(e) for e in true]), "pred": sorted([list(e) for e in pred])}
    return rows, micro, macro, weighted, entities


def report_text(rows, micro, macro, weighted, digits):
    width = max([len(r["type"]) for r in rows] + [len("weighted avg"), digits])
    head = " " * width + " " + "".join(" %9s" % h for h in ("precision", "recall", "f1-score", "support"))

    def line(name, d):
        return (name.rjust(width) + " " + "".join(" " + ("%.*f" % (digits, d[m])).rjust(9)
                                                  for m in ("precision", "recall", "f1"))
                + " " + str(d["support"]).rjust(9))

    body = [line(r["type"], r) for r in rows] + [""]
    body += [line("micro avg", micro), line("macro avg", macro), line("weighted avg", weighted), ""]
    return head + "\n\n" + "\n".join(body)


def random_sentences(rng, n, types, prefixes, p_outside=0.5):
    out = []
    for _ in range(n):
        length = rng.randint(1, 12)
        out.append(["O" if rng.random() < p_outside else rng.choice(prefixes) + "-" + rng.choice(types)
                    for _ in range(length)])
    return out


def corrupt(rng, sentences, labels, rate):
    return [[rng.choice(labels) if rng.random() < rate else t for t in s] for s in sentences]


def cases():
    out = []

    def add(name, y_true, y_pred, mode="default", scheme="IOB2"):
        out.append({"name": name, "mode": mode, "scheme": scheme, "y_true": y_true, "y_pred": y_pred})

    readme_true = [["O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]]
    readme_pred = [["O", "O", "B-MISC", "I-MISC", "I-MISC", "I-MISC", "O"], ["B-PER", "I-PER", "O"]]
    add("readme_default", readme_true, readme_pred)
    add("readme_strict_iob2", readme_true, readme_pred, "strict", "IOB2")
    lenient_true = [["I-PER", "I-PER", "O", "I-LOC"], ["O", "I-ORG", "I-ORG", "B-ORG"]]
    lenient_pred = [["B-PER", "I-PER", "O", "B-LOC"], ["O", "B-ORG", "I-ORG", "B-ORG"]]
    add("lenient_i_without_b_default", lenient_true, lenient_pred)
    add("lenient_i_without_b_strict", lenient_true, lenient_pred, "strict", "IOB2")
    switch_true = [["B-PER", "I-LOC", "I-LOC", "O", "B-PER", "B-PER", "I-PER"]]
    switch_pred = [["B-PER", "I-PER", "I-LOC", "O", "B-PER", "I-PER", "I-PER"]]
    add("type_switch_default", switch_true, switch_pred)
    add("type_switch_strict", switch_true, switch_pred, "strict", "IOB2")
    iobes_true = [["S-PER", "O", "B-LOC", "I-LOC", "E-LOC", "B-ORG", "E-ORG"], ["B-PER", "I-PER", "O", "S-LOC"]]
    iobes_pred = [["S-PER", "O", "B-LOC", "E-LOC", "E-LOC", "B-ORG", "O"], ["B-PER", "E-PER", "I-PER", "S-LOC"]]
    add("iobes_default", iobes_true, iobes_pred)
    add("iobes_strict", iobes_true, iobes_pred, "strict", "IOBES")
    bilou_true = [["U-PER", "O", "B-LOC", "I-LOC", "L-LOC"], ["B-ORG", "L-ORG", "U-ORG", "O"]]
    bilou_pred = [["U-PER", "O", "B-LOC", "L-LOC", "O"], ["B-ORG", "I-ORG", "U-ORG", "L-ORG"]]
    add("bilou_strict", bilou_true, bilou_pred, "strict", "BILOU")
    ioe_true = [["I-PER", "E-PER", "O", "E-LOC", "I-ORG", "I-ORG", "E-ORG"], ["I-X", "I-Y", "E-Y", "E-Y"]]
    ioe_pred = [["I-PER", "E-PER", "O", "E-LOC", "I-ORG", "E-ORG", "E-ORG"], ["I-X", "E-X", "I-Y", "E-Y"]]
    add("ioe2_strict", ioe_true, ioe_pred, "strict", "IOE2")
    add("ioe2_default", ioe_true, ioe_pred)
    unicode_true = [["B-地名", "I-地名", "O", "B-人名"], ["B-LOCATION_LONG_NAME", "O"]]
    unicode_pred = [["B-地名", "I-地名", "O", "O"], ["B-LOCATION_LONG_NAME", "B-人名"]]
    add("unicode_and_long_types", unicode_true, unicode_pred)
    add("never_predicted_and_spurious", [["B-A", "O", "B-B", "O"]], [["O", "O", "O", "B-C"]])
    rng = random.Random(20240611)
    types = ["PER", "LOC", "ORG", "MISC"]
    iob_labels = ["O"] + [p + "-" + t for p in "BI" for t in types]
    y_true = random_sentences(rng, 60, types, ["B", "I"])
    add("random_iob_default", y_true, corrupt(rng, y_true, iob_labels, 0.2))
    y_true = random_sentences(rng, 60, types, ["B", "I"])
    add("random_iob_strict", y_true, corrupt(rng, y_true, iob_labels, 0.2), "strict", "IOB2")
    iobes_labels = ["O"] + [p + "-" + t for p in "BIES" for t in types]
    y_true = random_sentences(rng, 40, types, list("BIES"))
    add("random_iobes_strict", y_true, corrupt(rng, y_true, iobes_labels, 0.15), "strict", "IOBES")
    add("random_iobes_default", y_true, corrupt(rng, y_true, iobes_labels, 0.15))
    return out


def main():
    result = []
    for case in cases():
        rows, micro, macro, weighted, entities = scores(case["y_true"], case["y_pred"],
                                                        case["mode"], case["scheme"])
        case["expected"] = {"per_type": rows, "micro avg": micro, "macro avg": macro,
                            "weighted avg": weighted, "entities": entities,
                            "text_2": report_text(rows, micro, macro, weighted, 2),
                            "text_4": report_text(rows, micro, macro, weighted, 4)}
        result.append(case)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump({"generator": "tests/reference/metrics/make_entity_fixtures.py",
                   "reference": "seqeval 1.2.x semantics (independent implementation)",
                   "cases": result}, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
