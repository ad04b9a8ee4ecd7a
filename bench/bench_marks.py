"""Does every result show why it matched? Searches 1-3 word queries (as `bench_search.py` makes
them: whole words that occur together in a random document) and counts, among the top 10 of each,
the hits with no mark anywhere (neither in a snippet nor in the title), and those marked in
the title only. A hit with no mark is a result a user cannot check.

    python bench/bench_marks.py --index INDEX [--per-length 100] [--show 10]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_search import word_queries  # noqa: E402

from search import open_index  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--per-length", type=int, default=100)
    ap.add_argument("--show", type=int, default=10, help="unmarked hits to list")
    args = ap.parse_args()
    console = Console()
    table = Table(title=f"marks in the top 10, {args.index.name}")
    for column in ("words", "queries", "hits", "no mark", "title only"):
        table.add_column(column, justify="right")
    unmarked: list[tuple[str, str, str]] = []
    with open_index(args.index) as idx:
        for length, queries in word_queries(idx, args.per_length).items():
            hits = bare = title_only = 0
            for q in queries:
                for h in idx.search(q, limit=10):
                    hits += 1
                    in_body = any(s.marks for s in h.snippets)
                    if not in_body and not h.title_marks:
                        bare += 1
                        unmarked.append((q, h.id, h.title))
                    elif not in_body:
                        title_only += 1
            table.add_row(str(length), str(len(queries)), f"{hits:,}", f"{bare:,}",
                          f"{title_only:,}")
    console.print(table)
    for q, doc, title in unmarked[:args.show]:
        console.print(f"  no mark: {q!r} -> {doc} {title[:60]!r}", markup=False, highlight=False)


if __name__ == "__main__":
    main()
