"""Indexing at scale: precedents-12k replicated to N documents, indexed with `kosearch index`.

Writes bench/.work/precedents-<N>.jsonl.gz: the 12,000 decisions as they are, then copies of
them with ids suffixed -r1, -r2, ... (everything else kept) until there are N. Then builds a
fresh index of it into bench/.work/precedents-<N> by running `python -m tui.cli index` (the
normal command, with an empty user dictionary so the user's own does not count), and checks
that the index holds N documents and answers a search. Copies repeat their originals' text, so
the run's analysis cache spares Kiwi every copy it still holds.

    python bench/make_replicated.py [-n 100000] [--data ../shared/data/precedents-12k.jsonl.gz]
                                    [--work bench/.work] [--corpus-only]

Long runs: `nice -n 10 python bench/make_replicated.py > bench/.work/make_replicated-100k.log 2>&1 &`
(the command prints a progress line a minute).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def label(n: int) -> str:
    """`100k` for 100,000; the plain number when it is not whole thousands."""
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def replicated(data: Path, n: int) -> Iterator[bytes]:
    """N JSON lines: the originals, then copies with -r1, -r2... ids, in the same order."""
    with gzip.open(data, "rb") as f:
        originals = [orjson.loads(line) for line in f if line.strip()]
    written = 0
    copy = 0
    while written < n:
        for record in originals:
            if written == n:
                return
            if copy:
                record = {**record, "id": f"{record['id']}-r{copy}"}
            yield orjson.dumps(record) + b"\n"
            written += 1
        copy += 1


def write_corpus(data: Path, n: int, target: Path) -> tuple[int, float]:
    """Write the corpus (gzip level 1: the indexer reads it once); (documents, seconds)."""
    start = time.perf_counter()
    tmp = target.with_name(target.name + ".tmp")
    count = 0
    with gzip.open(tmp, "wb", compresslevel=1) as out:
        for line in replicated(data, n):
            out.write(line)
            count += 1
    os.replace(tmp, target)
    return count, time.perf_counter() - start


def build(corpus: Path, index_dir: Path, log: Path, work: Path) -> tuple[float, int, float]:
    """A fresh `kosearch index` of `corpus`: (seconds, exit status, peak memory in MB)."""
    shutil.rmtree(index_dir, ignore_errors=True)
    empty = work / "empty-dictionary.txt"
    empty.write_text("", encoding="utf-8")
    start = time.perf_counter()
    with open(log, "ab") as out:
        status = subprocess.run(
            [sys.executable, "-m", "tui.cli", "index", str(corpus), "--index", str(index_dir),
             "--dictionary", str(empty)],
            stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
            env=os.environ | {"COLUMNS": "100"},
        ).returncode
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, status, peak_mb


def check(index_dir: Path, n: int) -> dict[str, object]:
    """The index holds N documents and a search finds an original with its copies."""
    from search import open_index

    with open_index(index_dir) as idx:
        count = idx.doc_count
        results = idx.search("사기죄의 고의", limit=20, forgiving=False)
        ids = [h.id for h in results.hits]
    if count != n:
        raise SystemExit(f"the index holds {count:,} documents, not {n:,}")
    if not ids:
        raise SystemExit("a search for 사기죄의 고의 found nothing")
    return {"documents": count, "search 사기죄의 고의 total": results.total, "top ids": ids[:6]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=100_000, help="documents (default 100,000)")
    ap.add_argument("--data", type=Path,
                    default=ROOT.parent / "shared/data/precedents-12k.jsonl.gz")
    ap.add_argument("--work", type=Path, default=ROOT / "bench/.work")
    ap.add_argument("--corpus-only", action="store_true", help="write the corpus, do not index")
    args = ap.parse_args()
    if not args.data.exists():
        raise SystemExit(f"no data at {args.data}")
    args.work.mkdir(parents=True, exist_ok=True)
    name = f"precedents-{label(args.n)}"
    corpus = args.work / f"{name}.jsonl.gz"
    index_dir = args.work / name
    log = args.work / f"make_replicated-{label(args.n)}.log"

    count, seconds = write_corpus(args.data, args.n, corpus)
    print(f"wrote {count:,} documents to {corpus} in {seconds:.0f} s", flush=True)
    if args.corpus_only:
        return
    print(f"indexing into {index_dir} (output in {log})", flush=True)
    seconds, status, peak_mb = build(corpus, index_dir, log, args.work)
    result: dict[str, object] = {
        "documents": args.n, "seconds": round(seconds, 1),
        "documents/s": round(args.n / seconds, 1), "peak memory MB": round(peak_mb),
        "exit status": status,
        "index size MB": round(sum(f.stat().st_size for f in index_dir.iterdir()) / 1e6),
    }
    result |= check(index_dir, args.n)
    print(json.dumps(result, ensure_ascii=False, indent=1), flush=True)
    (args.work / f"make_replicated-{label(args.n)}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
