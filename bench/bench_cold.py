"""A search in a fresh process against loading Kiwi in a fresh process, alternated.

Each round runs, as separate child processes: Kiwi's load (import, `Kiwi()`, first tokenize),
`kosearch search WORD --index IX` for a word the index holds (answered through the index's
lexicon), and the same for a word it does not hold (Kiwi loads). Reported: medians of wall
time, the searches' ratio to Kiwi's load, and each child's peak resident memory (`wait4`).

    python bench/bench_cold.py --index IX [--word 대통령] [--unseen 크르릉] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KIWI = "from kiwipiepy import Kiwi; Kiwi().tokenize('초기화')"


def child(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=os.environ | {"PYTHONPATH": str(ROOT)})
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{args} failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--word", default="대통령", help="a word the index holds")
    parser.add_argument("--unseen", default="크르릉", help="a word it does not hold")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    search = [sys.executable, "-m", "tui.cli", "search", "--index", str(args.index)]
    runs: dict[str, list[tuple[float, float]]] = {"kiwi": [], "seen": [], "unseen": []}
    for _ in range(args.rounds):
        runs["kiwi"].append(child([sys.executable, "-c", KIWI]))
        runs["seen"].append(child([*search, args.word]))
        runs["unseen"].append(child([*search, args.unseen]))
    kiwi = statistics.median(s for s, _ in runs["kiwi"])
    for name, label in (("kiwi", "Kiwi load (import, Kiwi(), first tokenize)"),
                        ("seen", f"kosearch search {args.word} (in the lexicon)"),
                        ("unseen", f"kosearch search {args.unseen} (not in it)")):
        seconds = statistics.median(s for s, _ in runs[name])
        peak = max(m for _, m in runs[name])
        print(f"{label}: median {seconds * 1000:,.0f} ms ({seconds / kiwi:.2f}x Kiwi's load), "
              f"peak RSS {peak:,.0f} MB, runs "
              f"{', '.join(f'{s * 1000:,.0f}' for s, _ in runs[name])} ms")


if __name__ == "__main__":
    main()
