"""Start-up of the terminal UI: from launching a fresh Python process to the first screen drawn,
and to the analyzer ready (the first query can run), headless.

Each run starts `python -c ...` the way the `kosearch` script would, with the app told to print
a line after its first refresh (the first frame is on screen) and another once the index is
open and Kiwi loaded; the parent times both lines from just before it spawned the process.

    python bench/bench_startup.py [--index DIR] [--runs 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import sys
from pathlib import Path
from tui.app import KosearchApp

mount = KosearchApp.on_mount

def on_mount(self):
    mount(self)
    self.call_after_refresh(lambda: print("painted", flush=True))
    self.set_interval(0.01, lambda: self.analyzer_ready and (print("ready", flush=True), self.exit()))

KosearchApp.on_mount = on_mount
path = sys.argv[1]
KosearchApp(Path(path) if path else None).run(headless=True, size=(120, 40))
"""


def one_run(index: Path | None) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(index or "")], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    times: dict[str, float] = {}
    for line in proc.stdout:
        times.setdefault(line.strip(), time.perf_counter() - start)
        if "ready" in times:
            break
    proc.wait(timeout=120)
    if "painted" not in times or "ready" not in times:
        raise SystemExit(f"the app did not report: {proc.stderr.read() if proc.stderr else ''}")
    return times["painted"], times["ready"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, default=None,
                    help="index folder (default: the user's index, else the sample corpus)")
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    one_run(args.index)  # the first run fills the operating system's file cache
    runs = [one_run(args.index) for _ in range(args.runs)]
    table = Table(title=f"kosearch start-up, {args.runs} fresh processes (120x40, headless)")
    for column in ("measure", "median ms", "max ms"):
        table.add_column(column, justify="right")
    for name, values in (("first screen drawn", [p for p, _ in runs]),
                         ("index open, analyzer ready", [r for _, r in runs])):
        table.add_row(name, f"{statistics.median(values) * 1000:.0f}",
                      f"{max(values) * 1000:.0f}")
    Console().print(table)
    Console().print(f"load average (1, 5, 15 min) at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
