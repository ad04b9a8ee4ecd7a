"""Searches that touch one huge record (a 2.7 MB report pasted as one JSONL line) against the
same searches on an index of normal articles only, old code against new.

The corpus: the first 300 Wikinews articles of ../shared/data/wikinews-ko.jsonl, and in the
huge index one more record whose body is 1,700 Wikinews bodies one after another (1.15 million
characters). Both indexes are built once by `kosearch index` (its time and peak memory are
printed) and kept in bench/.work. Queries: every tenth title of those articles, words common
in news text, and prefixes. Each code tree runs in its own warm process; every round times
each query once in each process, the two alternating which goes first; figures are medians
per query over the rounds, then the median and the maximum over queries. The results (ids,
snippets, marks) of the two trees are compared: the change must not alter them.

    git worktree add /tmp/H-old <commit before the change>
    python bench/bench_huge.py --old /tmp/H-old [--rounds 7]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "wikinews-ko.jsonl"
WORK = ROOT / "bench" / ".work" / "huge"
ARTICLES = 300
HUGE_BODIES = 1700
HUGE_ID = "huge-report"

WORKER = r"""
import hashlib, json, sys, time
sys.path.insert(0, sys.argv[1])
import search
assert search.__file__.startswith(sys.argv[1]), search.__file__
from search import open_index
idx = open_index(sys.argv[2])
idx.search("워밍업")
print("ready", flush=True)
for line in sys.stdin:
    query = json.loads(line)
    if query is None:  # the time to read the huge record's stored fields, which plan.py does
        s = idx._searcher
        docnum = s.document_number(id=sys.argv[3])
        started = time.perf_counter()
        if docnum is not None:
            s.stored_fields(docnum)
        print(json.dumps([time.perf_counter() - started, "", False]), flush=True)
        continue
    started = time.perf_counter()
    results = idx.search(query)
    took = time.perf_counter() - started
    shown = [(h.id, [(s.text, s.marks, s.start) for s in h.snippets], h.title_marks)
             for h in results.hits]
    digest = hashlib.sha1(json.dumps(shown, ensure_ascii=False).encode()).hexdigest()
    huge = any(h.id == sys.argv[3] for h in results.hits)
    print(json.dumps([took, digest, huge]), flush=True)
"""


def build(folder: Path, huge: bool) -> tuple[float, float]:
    """Write the corpus and index it with `kosearch index` unless done before; the indexing's
    (seconds, peak MB), or (0, 0) when the index was already there."""
    if (folder / "index").exists():
        return 0.0, 0.0
    folder.mkdir(parents=True, exist_ok=True)
    records = [json.loads(line) for line in DATA.open(encoding="utf-8")]
    corpus = folder / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        for r in records[:ARTICLES]:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
        if huge:
            body = "\n".join(records[i % len(records)]["body"] for i in range(HUGE_BODIES))
            out.write(json.dumps({"id": HUGE_ID, "title": "붙여넣은 보고서", "body": body,
                                  "date": "2020-01-01", "source": "qa"},
                                 ensure_ascii=False) + "\n")
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "tui.cli", "index", "--quiet", "--index",
                             str(folder / "index"), str(corpus)], cwd=ROOT)
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"indexing {corpus} failed")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def queries() -> list[str]:
    records = [json.loads(line) for line in DATA.open(encoding="utf-8")]
    titles = [r["title"] for r in records[:ARTICLES:10]]
    return titles + ["정부", "경찰 조사", "발표했다 밝혔다", "미국 대통령 선거 결과",
                     "대*", "2*", "대* 정* 사*"]


class Worker:
    """A warm process searching one index with one code tree."""

    def __init__(self, tree: Path, index: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(tree), str(index), HUGE_ID],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd="/")
        assert self.proc.stdout is not None and self.proc.stdout.readline().strip() == "ready"

    def search(self, query: str | None) -> tuple[float, str, bool]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(query, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()
        took, digest, huge = json.loads(self.proc.stdout.readline())
        return took, digest, huge

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--old", type=Path, required=True, help="checkout of the code before")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--each", action="store_true", help="print every query's medians")
    args = ap.parse_args()
    if not DATA.exists():
        raise SystemExit(f"{DATA} is missing")
    for name, huge in (("huge", True), ("normal", False)):
        seconds, peak = build(WORK / name, huge)
        if seconds:
            print(f"indexing the {name} corpus: {seconds:.1f} s, peak {peak:.0f} MB")
    qs = queries()
    print(f"{len(qs)} queries, {args.rounds} rounds; ms, per query the median of the rounds\n")
    trees = {"old": args.old.resolve(), "new": ROOT}
    touched: list[bool] = []
    for name in ("huge", "normal"):
        times, same, shown, stored = run(trees, WORK / name / "index", qs, args.rounds)
        touched = touched or shown
        print(f"{name} index: results identical for {same} of {len(qs)} queries")
        if name == "huge":
            print(f"  reading the huge record's stored fields (plan.py, Whoosh) takes "
                  f"{statistics.median(stored):.1f} ms, in every search that shows it")
        if args.each:
            for i, q in enumerate(qs):
                print("   ", "  ".join(f"{k} {statistics.median(times[k][i]):6.1f}"
                                      for k in trees), "*" if touched[i] else " ", q)
        groups = [("queries showing the huge record", touched)]
        if name == "huge":
            groups.append(("other queries", [not t for t in touched]))
        for label, pick in groups:
            chosen = [i for i, p in enumerate(pick) if p]
            print(f"  {label} ({len(chosen)}):")
            for k in trees:
                per_query = {i: statistics.median(times[k][i]) for i in chosen}
                worst = max(chosen, key=per_query.__getitem__)
                print(f"    {k}: median {statistics.median(per_query.values()):6.1f}  "
                      f"max {per_query[worst]:6.1f} ({qs[worst]})")
        print()


def run(trees: dict[str, Path], index: Path, qs: list[str], rounds: int
        ) -> tuple[dict[str, list[list[float]]], int, list[bool], list[float]]:
    """Each query once a round in each tree's process, the first tree alternating: the
    times (ms) per tree and query, how many queries gave the same results in both trees,
    which queries show the huge record, and the time to read its stored fields each round."""
    workers = {k: Worker(tree, index) for k, tree in trees.items()}
    times: dict[str, list[list[float]]] = {k: [[] for _ in qs] for k in trees}
    digests: dict[str, list[str]] = {k: [""] * len(qs) for k in trees}
    shown = [False] * len(qs)
    stored: list[float] = []
    for r in range(rounds):
        order = list(trees) if r % 2 == 0 else list(reversed(trees))
        stored.append(workers["new"].search(None)[0] * 1000)
        for i, q in enumerate(qs):
            for k in order:
                took, digests[k][i], huge = workers[k].search(q)
                times[k][i].append(took * 1000)
                shown[i] = shown[i] or huge
    for w in workers.values():
        w.close()
    old, new = digests.values()
    return times, sum(a == b for a, b in zip(old, new, strict=True)), shown, stored


if __name__ == "__main__":
    main()
