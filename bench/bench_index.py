"""Indexing speed: the whole `kosearch index` run against Kiwi alone on the same text.

Kiwi is the floor: the run may cost at most 1.4x what Kiwi needs to tokenize every title and
body on both cores. Measured in one run, one after the other, on a noisy 2-core machine.

    python bench/bench_index.py [--data ../shared/data/precedents-12k.jsonl.gz] [--work bench/.work]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def kiwi_floor(data: Path) -> tuple[float, int, int]:
    """Seconds for Kiwi(num_workers=2) to tokenize all titles and bodies, in a child process."""
    code = f"""
import sys, time
sys.path.insert(0, {str(ROOT)!r})
from pathlib import Path
from kiwipiepy import Kiwi
from index.readers import read_file, Record
texts = [t for r in read_file(Path({str(data)!r})) if isinstance(r, Record) for t in (r.title, r.body)]
kiwi = Kiwi(num_workers=2)
kiwi.tokenize("초기화")
start = time.perf_counter()
tokens = sum(len(t) for t in kiwi.tokenize(texts))
print(time.perf_counter() - start, len(texts) // 2, sum(map(len, texts)), tokens)
"""
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    seconds, docs, chars, _tokens = out.stdout.split()
    return float(seconds), int(docs), int(chars)


def run_index(data: Path, index_dir: Path) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "tui.cli", "index", str(data), "--index", str(index_dir), "-q"],
        capture_output=True, text=True, cwd=ROOT, env=os.environ | {"COLUMNS": "100"},
    )
    seconds = time.perf_counter() - start
    if out.returncode not in (0, 1):
        raise SystemExit(out.stderr)
    return seconds, out.stdout


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared/data/precedents-12k.jsonl.gz")
    ap.add_argument("--work", type=Path, default=ROOT / "bench/.work")
    ap.add_argument("--name", default="precedents")
    args = ap.parse_args()
    if not args.data.exists():
        raise SystemExit(f"no data at {args.data}")
    index_dir = args.work / args.name
    shutil.rmtree(index_dir, ignore_errors=True)
    console = Console()

    floor, docs, chars = kiwi_floor(args.data)
    console.print(f"Kiwi alone: {floor:.1f} s for {docs:,} documents, {chars:,} characters")
    full, summary = run_index(args.data, index_dir)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    console.print(summary)
    rerun, summary2 = run_index(args.data, index_dir)
    size = sum(f.stat().st_size for f in index_dir.iterdir()) / 1e6

    table = Table(title=f"kosearch index on {args.data.name}")
    for col in ("measure", "value"):
        table.add_column(col)
    rows = {
        "documents": f"{docs:,}",
        "characters": f"{chars:,}",
        "Kiwi alone, 2 workers (floor)": f"{floor:.1f} s",
        "kosearch index, whole run": f"{full:.1f} s",
        "ratio to floor (target <= 1.4)": f"{full / floor:.2f}",
        "documents/s": f"{docs / full:,.1f}",
        "peak memory (largest child)": f"{peak_mb:,.0f} MB",
        "unchanged rerun": f"{rerun:.1f} s",
        "index size": f"{size:,.0f} MB",
    }
    for k, v in rows.items():
        table.add_row(k, v)
    console.print(table)
    (args.work / f"bench_index_{args.name}.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
