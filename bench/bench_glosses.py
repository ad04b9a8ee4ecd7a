"""Gloss harvesting on one long document: the 644 Wikinews bodies joined into one text (~470,000
characters, as a long report is), analysed once, then `index.glosses.harvest` timed with the
units of each name found by bisection (now) and by a scan of every unit for each gloss (before:
a long document's cost grew with the square of its length). Same pairs either way.

    python bench/bench_glosses.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index import glosses  # noqa: E402
from index.analysis import analyze, normalize  # noqa: E402
from index.terms import Analysis  # noqa: E402

DATA = ROOT.parent / "shared" / "data"


def scanned_units(text: str, start: int, end: int, analysis: Analysis | None) -> list[str]:
    """The units of a span as found before: a scan of every unit of the text."""
    assert analysis is not None
    return [u[0] for u in analysis.units if start <= u[1] and u[2] <= end]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    with open(DATA / "wikinews-ko.jsonl", encoding="utf-8") as f:
        text = normalize("\n".join(json.loads(line)["body"] for line in f))
    analysis = analyze(text)
    bisected = glosses._units
    times: dict[str, list[float]] = {"scan": [], "bisect": []}
    found: dict[str, list[glosses.AliasPair]] = {}
    for _ in range(args.rounds):
        for name, units in (("scan", scanned_units), ("bisect", bisected)):
            glosses._units = units  # type: ignore[assignment]
            started = time.perf_counter()
            found[name] = glosses.harvest(text, analysis)
            times[name].append(time.perf_counter() - started)
    glosses._units = bisected
    print(f"{len(text):,} characters, {len(found['bisect'])} pairs, same pairs: "
          f"{found['scan'] == found['bisect']}")
    for name, values in times.items():
        print(f"{name:7} median {statistics.median(values) * 1000:,.0f} ms  "
              f"({', '.join(f'{v * 1000:,.0f}' for v in values)})")


if __name__ == "__main__":
    main()
