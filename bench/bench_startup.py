"""Start-up of the terminal UI as a user meets it: `kosearch tui` launched in a pseudo-terminal,
timed from just before the process is spawned to

- the first screen: the search box's placeholder is written to the terminal;
- the first answer: a query typed the moment the first screen appears (before the Korean
  analyzer has loaded) has its match count written in the status bar.

The bytes the app writes are read from the terminal's master side, so this counts everything the
user waits for: the interpreter, imports, the terminal driver, composing and painting.

The floor, launched in turn with kosearch in the same loop so that both meet the same machine
load: a bare Textual app (a search box with the same placeholder, a text and a footer) started
the same way. Its first screen is what any Textual app pays here; the difference is what
kosearch adds. Python
writes bytecode caches for the project's modules as it does for a user (this sandbox's
PYTHONDONTWRITEBYTECODE is removed for the child); one run before the timed ones fills them and
the operating system's file cache. The app is told to quit with ctrl+q after each run.

    python bench/bench_startup.py [--index DIR] [--runs 10] [--size 120x40] [--query 법원]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
FIRST_SCREEN = b"(Korean or English)"
"""Part of the search box's placeholder: on screen means the first frame is drawn."""
ANSWERED = (b" matches", b" match ")
"""The status bar's count, written once results are on screen."""


def kosearch_command(index: Path | None) -> list[str]:
    script = Path(sys.executable).with_name("kosearch")
    head = [str(script)] if script.exists() else [sys.executable, "-m", "tui.cli"]
    return [*head, "tui", *(["--index", str(index)] if index else [])]


BARE_APP = """\
from textual.app import App
from textual.widgets import Footer, Input, Static


class Bare(App):
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def compose(self):
        yield Input(placeholder="Search… (Korean or English)")
        yield Static("a bare Textual app")
        yield Footer()


Bare().run()
"""
"""The floor: a Textual app with a search box, a text and a footer, and nothing of kosearch."""


def one_run(command: list[str], size: tuple[int, int], query: str | None) -> tuple[float, float]:
    """(seconds to the first screen, seconds to the first answer) of one launch; with no
    query, the launch ends at the first screen (the answer is 0)."""
    master, slave = pty.openpty()
    columns, rows = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["TERM"] = "xterm-256color"
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, env=env,
                            start_new_session=True)
    os.close(slave)
    seen = bytearray()
    first_screen = answered = 0.0
    typed_at = 0
    try:
        deadline = start + 120
        while time.perf_counter() < deadline and not answered and not (first_screen and query is None):
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                seen += os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            now = time.perf_counter()
            if not first_screen and FIRST_SCREEN in seen:
                first_screen = now - start
                typed_at = len(seen)
                if query is not None:
                    os.write(master, query.encode())
            elif first_screen and any(m in seen[typed_at:] for m in ANSWERED):
                answered = now - start
        os.write(master, b"\x11")  # ctrl+q
        end = time.perf_counter() + 10
        while proc.poll() is None and time.perf_counter() < end:
            if select.select([master], [], [], 0.1)[0]:
                try:
                    os.read(master, 65536)
                except OSError:
                    break
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)
    if not first_screen or (query is not None and not answered):
        tail = bytes(seen[-2000:]).decode(errors="replace")
        raise SystemExit(f"no {'answer' if first_screen else 'first screen'} seen; "
                         f"the terminal's last output:\n{tail}")
    return first_screen, answered


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, default=None,
                    help="index folder (default: the user's index, else the sample corpus)")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--size", default="120x40", help="terminal COLUMNSxROWS (default 120x40)")
    ap.add_argument("--query", default="법원", help="typed at the first screen (default 법원)")
    args = ap.parse_args()
    columns, rows = (int(n) for n in args.size.lower().split("x"))
    command = kosearch_command(args.index)
    size = (columns, rows)
    with tempfile.TemporaryDirectory() as tmp:
        bare_script = Path(tmp) / "bare_textual.py"
        bare_script.write_text(BARE_APP, encoding="utf-8")
        bare = [sys.executable, str(bare_script)]
        one_run(command, size, args.query)  # bytecode and file caches
        one_run(bare, size, None)
        runs, floor = [], []
        for _ in range(args.runs):  # in turn, so both meet the same load
            runs.append(one_run(command, size, args.query))
            floor.append(one_run(bare, size, None)[0])
    table = Table(title=f"`{Path(command[0]).name} {' '.join(command[1:])}` in a "
                        f"{columns}x{rows} pseudo-terminal, {args.runs} launches of each")
    for column in ("from launch to", "median ms", "min ms", "max ms"):
        table.add_column(column, justify="right")
    first = [f for f, _ in runs]
    for name, values in (("first screen drawn", first),
                         ("first screen of a bare Textual app (the floor)", floor),
                         (f"results of {args.query!r} typed at once", [a for _, a in runs])):
        table.add_row(name, f"{statistics.median(values) * 1000:.0f}",
                      f"{min(values) * 1000:.0f}", f"{max(values) * 1000:.0f}")
    Console().print(table)
    added = statistics.median(f - b for f, b in zip(first, floor, strict=True))
    Console().print(f"kosearch's first screen minus the floor's, launch by launch: median "
                    f"{added * 1000:.0f} ms; ratio of medians "
                    f"{statistics.median(first) / statistics.median(floor):.2f}")
    Console().print(f"load average (1, 5, 15 min) at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
