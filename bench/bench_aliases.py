"""Learned aliases: precision and recall of the old and the new harvest on a labelled set.

bench/data/alias-labels.jsonl holds pairs that the harvest of commit 6370ba4 learned from
../shared/data, each labelled by hand: `correct` when both sides name the same thing and the
Korean side is the whole name. 378 are a sample (every Latin-script pair of Wikinews, 90
drawn from 1,500 precedents and 90 from the KorQuAD dev paragraphs, seed 14), 30% of which
(`split: holdout`) were not tuned on; 81 more (`split: added`) are every other pair that the
rules for one-document translations (`index.alias_evidence`) kept in those documents, labelled
afterwards; 57 more (`split: found`) are every pair that the harvest of session 9 newly keeps
(names read in their sentence, numbers before Hanja read as numerals, acronym names made
whole), labelled afterwards. The old harvest kept every labelled pair of the sample and of
`added` (perhaps not every one of `found`), so its precision is the share labelled correct;
the new one keeps a pair when the table built from the same documents would use it
(`index.alias_rules.trusted`, with the nouns Kiwi reads in each name). Recall is the share
of the correct old pairs kept.

    python bench/bench_aliases.py [--show]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.alias_evidence import known_nouns  # noqa: E402
from index.alias_rules import trusted  # noqa: E402
from index.aliases import harvest  # noqa: E402
from index.analysis import normalize  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
LABELS = ROOT / "bench" / "data" / "alias-labels.jsonl"


def documents(name: str) -> Iterator[tuple[str, str]]:
    """The documents of one set whose pairs were labelled, as (id, text), title and body."""
    if name == "wikinews":
        for line in (DATA / "wikinews-ko.jsonl").open(encoding="utf-8"):
            d = json.loads(line)
            yield d["id"], d.get("title", "") + "\n" + d.get("body", "")
    elif name == "precedents":
        with gzip.open(DATA / "precedents-12k.jsonl.gz", "rt", encoding="utf-8") as f:
            rows = [json.loads(line) for line in f]
        for d in random.Random(14).sample(rows, 1500):
            yield d["id"], d.get("title", "") + "\n" + d.get("body", "")
    else:
        data = json.loads((DATA / "korquad" / "KorQuAD_v1.0_dev.json").read_text("utf-8"))
        n = 0
        for article in data["data"]:
            for paragraph in article["paragraphs"]:
                yield f"kq{n:04d}", paragraph["context"]
                n += 1


def kept_pairs(name: str) -> set[tuple[str, str]]:
    """The pairs the new harvest would have the table use, over one set's documents."""
    docs = {}
    for doc_id, text in documents(name):
        pairs = [(p.name, p.alias) for part in text.split("\n", 1) if part
                 for p in harvest(normalize(part))]
        if pairs:
            docs[doc_id] = pairs
    return trusted(docs, known_nouns(a for pairs in docs.values() for a, _ in pairs))


def scores(rows: list[dict], kept: list[bool]) -> tuple[float, float, int]:
    chosen = [r for r, k in zip(rows, kept, strict=True) if k]
    right = sum(r["correct"] for r in chosen)
    total_right = sum(r["correct"] for r in rows)
    return (right / len(chosen) if chosen else 1.0,
            right / total_right if total_right else 1.0, len(chosen))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show", action="store_true", help="list the pairs the rules get wrong")
    args = ap.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} is missing: this benchmark needs the shared data")
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    kept_by_set = {name: kept_pairs(name) for name in sorted({r["set"] for r in rows})}
    new = [(r["name"], r["alias"]) in kept_by_set[r["set"]] for r in rows]
    print(f"{'part':<16}{'pairs':>6}{'correct':>8}  {'old P':>6} {'old R':>6}  "
          f"{'new P':>6} {'new R':>6} {'kept':>5}")
    parts = [("all", rows),
             ("sample", [r for r in rows if r["split"] in ("tune", "holdout")])]
    parts += [(split, [r for r in rows if r["split"] == split])
              for split in ("tune", "holdout", "added", "found")]
    parts += [(name, [r for r in rows if r["set"] == name]) for name in sorted(kept_by_set)]
    for label, part in parts:
        flags = [k for r, k in zip(rows, new, strict=True) if r in part]
        op, orc, _ = scores(part, [True] * len(part))
        np_, nr, n = scores(part, flags)
        print(f"{label:<16}{len(part):>6}{sum(r['correct'] for r in part):>8}  "
              f"{op:>6.3f} {orc:>6.3f}  {np_:>6.3f} {nr:>6.3f} {n:>5}")
    if args.show:
        for r, k in zip(rows, new, strict=True):
            if k != r["correct"]:
                print(f"{'kept wrong' if k else 'lost right':<11} {r['split']:<8} {r['set']:<11}"
                      f" {r['doc']:<14} {r['name']} = {r['alias']}")


if __name__ == "__main__":
    main()
