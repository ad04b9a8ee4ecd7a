"""Search latency in a warm process, top-10 results with snippets, on an index of precedents.

Query sets (fixed seed): one-, two- and three-word queries made of whole words that occur together
in a random document (words found in 0.1%-20% of documents), and the 400 pasted
legal-issue paragraphs of precedents-dev-queries. Also the cost of opening the index and of
the first query (which loads Kiwi) in a fresh process. Medians and p95 over all queries.

    python bench/bench_search.py [--index bench/.work/precedents]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search import open_index, tuning  # noqa: E402

DATA = ROOT.parent / "shared" / "data"


def word_queries(idx: object, n_per_length: int, seed: int = 11) -> dict[int, list[str]]:
    """Queries of 1-3 whole words that occur together in one random document, each word found in
    0.1%-20% of documents (what a person looking for that document would type)."""
    from index.analysis import analyze, normalize

    searcher = idx._searcher  # type: ignore[attr-defined]
    docs = searcher.doc_count()
    rng = random.Random(seed)
    out: dict[int, list[str]] = {1: [], 2: [], 3: []}
    docnums = list(searcher.reader().all_doc_ids())
    while min(len(v) for v in out.values()) < n_per_length:
        fields = searcher.stored_fields(rng.choice(docnums))
        text = normalize(fields.get("title", "") + "\n" + fields.get("body", "")[:1500])
        words = sorted({w for w, _, _ in analyze(text).words
                        if len(w) >= 2 and not any(ch.isdigit() for ch in w)
                        and docs * 0.001 <= searcher.doc_frequency("words", w) <= docs * 0.2})
        for k in (1, 2, 3):
            if len(words) >= k and len(out[k]) < n_per_length:
                out[k].append(" ".join(rng.sample(words, k)))
    return out


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def first_query_cost(index_dir: Path) -> tuple[float, float]:
    code = f"""
import sys, time
sys.path.insert(0, {str(ROOT)!r})
t0 = time.perf_counter()
from search import open_index
idx = open_index({str(index_dir)!r})
t1 = time.perf_counter()
idx.search("손해배상 청구", limit=10)
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    opened, first = map(float, out.stdout.split())
    return opened, first


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, default=ROOT / "bench" / ".work" / "precedents")
    ap.add_argument("--per-length", type=int, default=100)
    ap.add_argument("--paragraphs", type=int, default=400)
    ap.add_argument("--cold", action="store_true",
                    help="skip tuning.prefetch(): every term's postings are read when first used")
    args = ap.parse_args()
    console = Console()

    opened, first = first_query_cost(args.index)
    idx = open_index(args.index)
    start = time.perf_counter()
    tuning.warm_up(idx)
    warm = time.perf_counter() - start
    start = time.perf_counter()
    prefetched = tuning.prefetch(idx) if not args.cold else 0
    prefetch = time.perf_counter() - start
    sets: dict[str, list[str]] = {f"{k}-word": qs for k, qs in word_queries(
        idx, args.per_length).items()}
    dev = DATA / "precedents-dev-queries.jsonl"
    if dev.exists():
        lines = dev.read_text(encoding="utf-8").splitlines()[: args.paragraphs]
        sets["pasted paragraphs"] = [json.loads(line)["query"] for line in lines]

    for q in sets["1-word"][:5]:  # warm caches as any session that has run a query has
        idx.search(q)
    measured: dict[str, tuple[list[float], list[int]]] = {}
    for name, queries in sets.items():
        times, totals = [], []
        for q in queries:
            start = time.perf_counter()
            results = idx.search(q, limit=10)
            times.append((time.perf_counter() - start) * 1000)
            totals.append(results.total)
        measured[name] = (times, totals)
    words = [measured[f"{k}-word"] for k in (1, 2, 3)]
    measured["1-3 words"] = ([t for ts, _ in words for t in ts], [n for _, ns in words for n in ns])

    table = Table(title=f"search latency on {args.index.name} ({idx.doc_count:,} documents), "
                        "top 10 with snippets")
    for col in ("queries", "n", "p50 ms", "p95 ms", "max ms", "mean total"):
        table.add_column(col, justify="left" if col == "queries" else "right")
    for name, (times, totals) in measured.items():
        table.add_row(name, str(len(times)), f"{statistics.median(times):.1f}",
                      f"{percentile(times, 95):.1f}", f"{max(times):.1f}",
                      f"{statistics.mean(totals):,.0f}")
    console.print(table)
    console.print(f"load average (1, 5, 15 min) at the end: {os.getloadavg()}")
    console.print(f"open index: {opened * 1000:.0f} ms; first query (loads Kiwi): "
                  f"{first * 1000:.0f} ms (fresh process); warm_up() (Kiwi, vocabulary): "
                  f"{warm:.1f} s; prefetch() ({prefetched:,} frequent terms): {prefetch:.1f} s")


if __name__ == "__main__":
    main()
