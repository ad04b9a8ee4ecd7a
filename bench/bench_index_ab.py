"""Indexing speed of two source trees, alternating in one run: a first `kosearch index` of the
same slice into an empty index, old then new, new then old, and so on.

The machine's speed drifts 1.5-2x within minutes, so only runs interleaved like this compare.
Each run's CPU time (user + system, all its threads) is reported beside its wall time: on a
machine shared with other work, it moves far less than the wall time does.
Make the old tree with `git worktree add /tmp/kosearch-old COMMIT`.

    python bench/bench_index_ab.py --old /tmp/kosearch-old [--new .] [--docs 300] [--rounds 4]
"""

from __future__ import annotations

import argparse
import gzip
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_slice(data: Path, docs: int, out: Path) -> Path:
    """The first `docs` lines of a JSON Lines file (gzip or not), as a plain file."""
    opener = gzip.open if data.name.endswith(".gz") else open
    with opener(data, "rb") as src, open(out, "wb") as dst:
        for n, line in enumerate(src):
            if n >= docs:
                break
            dst.write(line)
    return out


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def index_once(tree: Path, data: Path, index_dir: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one first run of `kosearch index` from `tree`, in a fresh
    process."""
    shutil.rmtree(index_dir, ignore_errors=True)
    cpu = children_cpu()
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "tui.cli", "index", str(data), "--index", str(index_dir), "-q"],
        cwd=tree, env=os.environ | {"PYTHONPATH": str(tree)}, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if out.returncode not in (0, 1):
        raise SystemExit(f"{tree}: {out.stderr}")
    return seconds, children_cpu() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--old", type=Path, required=True, help="the old source tree")
    ap.add_argument("--new", type=Path, default=ROOT, help="the new source tree (default: this one)")
    ap.add_argument("--data", type=Path,
                    default=ROOT.parent / "shared/data/precedents-12k.jsonl.gz")
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=4)
    args = ap.parse_args()
    if not args.data.exists():
        raise SystemExit(f"no data at {args.data}")
    trees = {"old": args.old.resolve(), "new": args.new.resolve()}
    times: dict[str, list[float]] = {name: [] for name in trees}
    cpus: dict[str, list[float]] = {name: [] for name in trees}
    with tempfile.TemporaryDirectory() as work:
        data = make_slice(args.data, args.docs, Path(work) / "slice.jsonl")
        for r in range(args.rounds):
            for name in ("old", "new") if r % 2 == 0 else ("new", "old"):
                seconds, cpu = index_once(trees[name], data, Path(work) / f"index-{name}")
                times[name].append(seconds)
                cpus[name].append(cpu)
                print(f"round {r + 1} {name}: {seconds:.2f} s, CPU {cpu:.2f} s", flush=True)
    for label, runs in (("wall", times), ("CPU", cpus)):
        old, new = (statistics.median(runs[k]) for k in ("old", "new"))
        for k in ("old", "new"):
            print(f"{label} {k} {trees[k]}: median {statistics.median(runs[k]):.2f} s  "
                  f"{[round(t, 2) for t in runs[k]]}")
        print(f"{label} new / old: {new / old:.3f}  ({args.docs} documents, "
              f"{args.rounds} rounds)")


if __name__ == "__main__":
    main()
