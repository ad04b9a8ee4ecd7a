"""Keystroke-to-results latency of the terminal UI, measured in a Pilot-driven (headless) app.

For each query the search box is emptied, the query typed key by key, and the time from the last
key press to the first paint of the results list after its results arrived is recorded (the
app's debounce included). Prints p50/p95 per query length with rich.

Two ways of typing:
- default: each key is sent once the app is idle after the previous one (Pilot.press), so
  every key meets a quiet app: the latency of one keystroke on its own;
- `--pace MS`: keys are sent every MS milliseconds whatever the app is doing, as a person
  types; searches, result lists and the preview pane (which loads when the highlight rests
  120 ms) of earlier keys may still be running when the last key arrives.

    python bench/bench_tui.py --index ~/.local/share/kosearch/index --rounds 3 [--pace 150]

`--cold` measures the start instead, each run in a fresh process: the app is launched on an
index with a lexicon, a query with a word form the lexicon does not know (`--unseen`) is typed
at the first screen at once, and once the index is open (Kiwi still loading in its child
process) the box is emptied and a query the lexicon reads (`--known`) is typed; the time from
its last key to its results painted is what a user waits behind the unseen query.

    python bench/bench_tui.py --cold --index WN --rounds 5
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table
from textual import events
from textual.geometry import Region
from textual.keys import _character_to_key
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.app import DEBOUNCE, KosearchApp  # noqa: E402
from tui.widgets import ResultList, SearchInput  # noqa: E402

QUERIES: dict[int, list[str]] = {
    1: ["인공지능", "반도체", "출산율", "탄소", "APEC", "원전", "최저임금", "수출", "정부", "중국"],
    2: [
        "인공지능 규범",
        "반도체 수출",
        "탄소 국경",
        "합계 출산율",
        "원전 수출",
        "노동 시간",
        "데이터 센터",
        "국민 연금",
        "달 탐사",
        "부동산 대출",
    ],
    3: [
        "세계 인공지능 협력기구",
        "반도체 수출 통제",
        "탄소 국경 조정",
        "국민연금 보험료율 인상",
        "수도권 주택 공급",
        "소형 모듈 원전",
        "주 4.5일 근무",
        "딥시크 접속 차단",
        "엔비디아 중국 판매",
        "정년 연장 논의",
    ],
}
LEGAL_QUERIES: dict[int, list[str]] = {
    1: ["손해배상", "소멸시효", "부당해고", "명예훼손", "부당이득", "상속", "저작권", "사기",
        "행정처분", "근로자"],
    2: ["손해배상 청구", "소멸시효 완성", "부당해고 구제", "명예훼손 위법성", "부당이득 반환",
        "상속 포기", "저작권 침해", "사기 고의", "행정처분 취소", "근로자 퇴직금"],
    3: ["불법행위 손해배상 책임", "취득시효 점유 자주", "해고 정당한 이유", "공무원 징계 처분",
        "임대차 보증금 반환", "특허 진보성 판단", "조세 부과 처분", "계약 해제 원상회복",
        "교통사고 과실 비율", "주주총회 결의 무효"],
}


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) by nearest rank: the ceil(p% of n)-th smallest, so the p95 of
    20 keys is their second slowest (banker's rounding made it the slowest before)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p * len(ordered) / 100) - 1))]


def record_paints() -> list[float]:
    """Make the results list (and the "no matches" message) note the time of each paint."""
    paints: list[float] = []
    for cls in (ResultList, Static):
        original = cls.render_lines

        def render_lines(self: Widget, crop: Region, original=original) -> list[Strip]:  # type: ignore[no-untyped-def]
            strips = original(self, crop)
            if self.id in ("results", "empty"):
                paints.append(time.perf_counter())
            return strips

        cls.render_lines = render_lines  # type: ignore[method-assign]
    return paints


def send_key(app: KosearchApp, char: str) -> None:
    """Send one typed character as the terminal driver would, without waiting for the app."""
    key = char if char.isalnum() else _character_to_key(char)
    event = events.Key(key, char)
    event.set_sender(app)
    assert app._driver is not None
    app._driver.send_message(event)


async def measure(index: Path | None, rounds: int, debounce: float, size: tuple[int, int],
                  queries_by_length: dict[int, list[str]] = QUERIES,
                  pace: float | None = None) -> dict:
    """Return {words: ([latency s], [engine s])} over `rounds` passes of every query."""
    paints = record_paints()
    app = KosearchApp(index, debounce=debounce)
    out: dict[int, tuple[list[float], list[float]]] = {n: ([], []) for n in queries_by_length}
    async with app.run_test(size=size) as pilot:
        deadline = time.monotonic() + 120
        while not app.analyzer_ready:
            if time.monotonic() > deadline:
                raise SystemExit("the index did not open within 120 s")
            await pilot.pause(0.05)
        box = app.query_one("#search", SearchInput)
        for _ in range(rounds):
            for words, queries in queries_by_length.items():
                for query in queries:
                    box.value = ""
                    await pilot.pause(debounce + (0.05 if pace is None else 1.0))
                    if pace is None:
                        await pilot.press(*query[:-1])
                        start = time.perf_counter()
                        await pilot.press(query[-1])
                    else:
                        for char in query:
                            start = time.perf_counter()
                            send_key(app, char)
                            await asyncio.sleep(max(0.0, start + pace - time.perf_counter()))
                    while not (
                        app.settled and app.rendered[0] == query and paints and paints[-1] > app.rendered[1]
                    ):
                        await pilot.pause(0.001)  # headless, the pilot drives painting
                    painted = next(t for t in paints if t > app.rendered[1])
                    out[words][0].append(painted - start)
                    out[words][1].append(app.results.elapsed if app.results else 0.0)
    return out


async def cold_run(index: Path | None, unseen: str, known: str,
                   size: tuple[int, int]) -> dict[str, float | bool | None]:
    """One cold start (see the module's note); times in seconds from the app's creation."""
    paints = record_paints()
    launched = time.perf_counter()
    app = KosearchApp(index, debounce=0.0)
    async with app.run_test(size=size) as pilot:
        await pilot.press(*unseen)  # at the first screen, before the index is open
        typed_unseen = time.perf_counter()
        while not app.analyzer_ready:  # opened: the unseen query is searched (or held) now
            await pilot.pause(0.001)
        opened = time.perf_counter()
        await pilot.pause()
        box = app.query_one("#search", SearchInput)
        box.value = ""
        await pilot.press(*known[:-1])
        start = time.perf_counter()
        await pilot.press(known[-1])
        while not (app.settled and app.rendered[0] == known and paints
                   and paints[-1] > app.rendered[1]):
            await pilot.pause(0.001)
        painted = next(t for t in paints if t > app.rendered[1])
        from index import kiwis  # the engine's modules are loaded by now

        assert app.index is not None
        child = kiwis.child(app.index._analyzer.words)
        # A tree whose child does not report readiness says None.
        ready = getattr(child, "ready", None) if child is not None else None
        total = app.results.total if app.results is not None else 0
    return {"unseen_typed": typed_unseen - launched, "opened": opened - launched,
            "known_latency": painted - start, "known_painted": painted - launched,
            "kiwi_ready_at_paint": ready, "known_hits": total}


def cold(args: argparse.Namespace) -> None:
    """`--rounds` cold starts, each in a fresh process running `--cold-run`."""
    runs = []
    for _ in range(args.rounds):
        command = [sys.executable, __file__, "--cold-run", "--size", args.size,
                   "--unseen", args.unseen, "--known", args.known]
        if args.index is not None:
            command += ["--index", str(args.index)]
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    table = Table(title=f"kosearch TUI cold start: {args.known!r} typed after {args.unseen!r} "
                        f"({args.rounds} runs, each a fresh process)")
    for column in ("", "median ms", "min ms", "max ms", "runs (ms)"):
        table.add_column(column, justify="right")
    for key, label in (("known_latency", "known query: last key → results"),
                       ("known_painted", "launch → known query's results"),
                       ("opened", "launch → index open")):
        values = [r[key] * 1000 for r in runs]
        table.add_row(label, f"{statistics.median(values):.0f}", f"{min(values):.0f}",
                      f"{max(values):.0f}", ", ".join(f"{v:.0f}" for v in values))
    Console().print(table)
    Console().print(f"Kiwi ready in its child when the results were painted: "
                    f"{[r['kiwi_ready_at_paint'] for r in runs]}; hits "
                    f"{[r['known_hits'] for r in runs]}")
    Console().print(f"load average (1, 5, 15 min) at the end: {os.getloadavg()}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--index",
        type=Path,
        default=None,
        help="index folder (default: KOSEARCH_INDEX, the user's index, else the sample)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="passes over the query list")
    parser.add_argument("--legal", action="store_true",
                        help="use legal queries (for an index of precedents-12k)")
    parser.add_argument(
        "--debounce",
        type=float,
        default=DEBOUNCE,
        help=f"the app's typing debounce in seconds (default {DEBOUNCE}; 0 isolates the rest)",
    )
    parser.add_argument("--size", default="120x40", help="terminal size, COLSxROWS")
    parser.add_argument("--pace", type=float, default=None, metavar="MS",
                        help="send a key every MS milliseconds, as a person types (default: "
                             "each key waits until the app is idle)")
    parser.add_argument("--cold", action="store_true",
                        help="time a query the lexicon reads, typed at start-up after one it "
                             "does not, while Kiwi loads (each run a fresh process)")
    parser.add_argument("--unseen", default="탄소국경조정제도를",
                        help="--cold: the query typed first, a form the lexicon does not hold")
    parser.add_argument("--known", default="정부",
                        help="--cold: the query typed next, read by the lexicon")
    parser.add_argument("--cold-run", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.cold:
        cold(args)
        return
    cols, rows = map(int, args.size.lower().split("x"))
    pace = args.pace / 1000 if args.pace is not None else None
    if args.cold_run:
        found = asyncio.run(cold_run(args.index, args.unseen, args.known, (cols, rows)))
        print(json.dumps(found))
        return
    data = asyncio.run(measure(args.index, args.rounds, args.debounce, (cols, rows),
                               LEGAL_QUERIES if args.legal else QUERIES, pace))

    typing = f"a key every {args.pace:.0f} ms" if pace is not None else "each key on an idle app"
    table = Table(title=f"kosearch TUI: last key → results painted ({typing}, {cols}x{rows})")
    for column in (
        "query words",
        "queries",
        "p50 ms",
        "p95 ms",
        "max ms",
        "engine p50 ms",
        "engine p95 ms",
    ):
        table.add_column(column, justify="right")
    for words, (latency, engine) in data.items():
        table.add_row(
            str(words),
            str(len(latency)),
            *(
                f"{v * 1000:.1f}"
                for v in (
                    statistics.median(latency),
                    percentile(latency, 95),
                    max(latency),
                    statistics.median(engine),
                    percentile(engine, 95),
                )
            ),
        )
    Console().print(table)
    Console().print(f"load average (1, 5, 15 min) at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
