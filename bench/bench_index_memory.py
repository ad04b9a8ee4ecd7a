"""Peak memory of the indexer's own bookkeeping on a large input, without Kiwi.

Kiwi's model and its analyses dominate a real run's memory (BENCHMARKS.md, indexing), which
hides what the indexer itself holds while it plans and writes. Here every text's analysis is
replaced by an empty one, so the peak resident memory is the interpreter, Whoosh's writer, and
the records the indexer keeps between reading and writing. Run in a fresh process per input.

    python bench/bench_index_memory.py [--data ../shared/data/precedents-12k.jsonl.gz]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import index.indexer as indexer  # noqa: E402
from index.analysis import Analysis  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "precedents-12k.jsonl.gz"


def no_analysis(texts: Iterable[str], cache: object) -> Iterator[Analysis]:
    empty = Analysis((), ())
    for _ in texts:
        yield empty


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args()
    if not args.data.exists():
        raise SystemExit(f"no {args.data}: pass --data FILE")
    indexer.analyze_many_cached = no_analysis  # type: ignore[assignment]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        report = indexer.index_paths([args.data], Path(tmp) / "index")
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    Console().print(f"{report.added:,} records from {args.data.name}: peak resident memory "
                    f"{peak:,.0f} MB ({before:,.0f} MB before indexing), {seconds:.1f} s")


if __name__ == "__main__":
    main()
