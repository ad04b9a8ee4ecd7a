"""A search in a fresh process against loading Kiwi in a fresh process, alternated.

Each round runs, as separate child processes: Kiwi's load (import, `Kiwi()`, first tokenize),
`kosearch search WORD --index IX` for a word the index holds (answered through the index's
lexicon), and the same for a word it does not hold (Kiwi loads). Reported: medians of wall
time, the searches' ratio to Kiwi's load, and each child's peak resident memory (`wait4`).

`--tui QUERY` adds to each round a launch of `kosearch tui` in a pseudo-terminal with QUERY
typed the moment the first screen is drawn, timed from the spawn to the results' count written
in the status bar (`bench/bench_startup.py`'s `one_run`; one launch before the rounds fills the
bytecode and file caches), against the same rounds' Kiwi loads.

    python bench/bench_cold.py --index IX [--word 대통령] [--unseen 크르릉] [--rounds 5]
                               [--tui 대통령] [--size 120x40]
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
sys.path.insert(0, str(ROOT / "bench"))
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
    parser.add_argument("--tui", metavar="QUERY", default=None,
                        help="also time `kosearch tui` from launch to the results of QUERY "
                             "typed at the first screen")
    parser.add_argument("--size", default="120x40", help="the TUI's terminal, COLSxROWS")
    args = parser.parse_args()
    search = [sys.executable, "-m", "tui.cli", "search", "--index", str(args.index)]
    runs: dict[str, list[tuple[float, float]]] = {"kiwi": [], "seen": [], "unseen": []}
    tui: list[tuple[float, float]] = []
    if args.tui:
        from bench_startup import kosearch_command, one_run

        size = tuple(int(n) for n in args.size.lower().split("x"))
        launch = kosearch_command(args.index)
        one_run(launch, size, args.tui)  # bytecode and file caches, as a second launch has them
    for _ in range(args.rounds):
        runs["kiwi"].append(child([sys.executable, "-c", KIWI]))
        runs["seen"].append(child([*search, args.word]))
        runs["unseen"].append(child([*search, args.unseen]))
        if args.tui:
            tui.append(one_run(launch, size, args.tui))
    kiwi = statistics.median(s for s, _ in runs["kiwi"])
    for name, label in (("kiwi", "Kiwi load (import, Kiwi(), first tokenize)"),
                        ("seen", f"kosearch search {args.word} (in the lexicon)"),
                        ("unseen", f"kosearch search {args.unseen} (not in it)")):
        seconds = statistics.median(s for s, _ in runs[name])
        peak = max(m for _, m in runs[name])
        print(f"{label}: median {seconds * 1000:,.0f} ms ({seconds / kiwi:.2f}x Kiwi's load), "
              f"peak RSS {peak:,.0f} MB, runs "
              f"{', '.join(f'{s * 1000:,.0f}' for s, _ in runs[name])} ms")
    for index, label in ((0, "kosearch tui: launch to first screen"),
                         (1, f"kosearch tui: launch to results of {args.tui} typed at once")):
        if tui:
            values = [run[index] for run in tui]
            seconds = statistics.median(values)
            print(f"{label}: median {seconds * 1000:,.0f} ms ({seconds / kiwi:.2f}x Kiwi's load), "
                  f"runs {', '.join(f'{s * 1000:,.0f}' for s in values)} ms")
    if tui:
        ratios = [a / k for (_, a), (k, _) in zip(tui, runs["kiwi"], strict=True)]
        print(f"  round by round, results / Kiwi's load: median {statistics.median(ratios):.2f} "
              f"({', '.join(f'{r:.2f}' for r in ratios)})")
    print(f"load average (1, 5, 15 min) at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
