"""Two indexing runs on one index: the second, started while the first is inside its commit,
stops with a clear error and changes nothing; the index is then what one run after the other
makes. The interleaving is exact: the first run is held at its "commit" phase (a thread
waiting on an event, or a real process stopped there by SIGSTOP), never raced."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import orjson
import pytest

import index.faults as faults
from index import IndexError_, index_paths
from search import open_index

ROOT = Path(__file__).resolve().parents[1]


def write(path: Path, records: list[tuple[str, str]]) -> None:
    path.write_bytes(b"".join(orjson.dumps({"id": i, "title": "기사", "body": body}) + b"\n"
                              for i, body in records))


def stored_ids(index_dir: Path) -> list[str]:
    with open_index(index_dir) as idx:
        return sorted(h.id for h in idx.search("기사", limit=100))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    write(src / "a.jsonl", [("a1", "항만 물류 기사"), ("a2", "철도 파업 기사")])
    index_paths([src], tmp_path / "index")
    write(src / "b.jsonl", [("b1", "조선 수주 기사"), ("b2", "해운 운임 기사")])
    return src


def test_a_second_run_during_a_commit_stops_and_changes_nothing(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ix = tmp_path / "index"
    first = threading.current_thread()
    at_commit, go_on = threading.Event(), threading.Event()

    def hold(phase: str) -> None:
        if phase == "commit" and threading.current_thread() is not first:
            at_commit.set()
            assert go_on.wait(120)

    monkeypatch.setattr(faults, "hook", hold)
    reports = []
    run = threading.Thread(target=lambda: reports.append(index_paths([corpus], ix)))
    run.start()
    assert at_commit.wait(120)
    try:
        with pytest.raises(IndexError_, match="another kosearch run is writing to"):
            index_paths([corpus], ix)
    finally:
        go_on.set()
        run.join()
    assert (reports[0].added, reports[0].failed) == (2, 0)
    again = index_paths([corpus], ix)
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, 4)
    assert stored_ids(ix) == ["a1", "a2", "b1", "b2"]


def test_a_run_in_another_process_holds_the_index_until_its_last_write(
        corpus: Path, tmp_path: Path) -> None:
    """A real `kosearch index` stopped (SIGSTOP) after its commit, before the derived files:
    still its run, so another run stops; once it goes on, both together make one run's index."""
    ix = tmp_path / "index"
    env = {**os.environ, "KOSEARCH_FAULT": "caches:stop", "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; from tui.cli import main; sys.exit(main(sys.argv[1:]))",
         "index", "--quiet", str(corpus), "--index", str(ix)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _, status = os.waitpid(proc.pid, os.WUNTRACED)
        assert os.WIFSTOPPED(status)
        with pytest.raises(IndexError_, match="another kosearch run is writing to"):
            index_paths([corpus], ix)
    finally:
        os.kill(proc.pid, signal.SIGCONT)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    again = index_paths([corpus], ix)
    assert (again.added, again.updated, again.removed, again.unchanged) == (0, 0, 0, 4)
    assert stored_ids(ix) == ["a1", "a2", "b1", "b2"]
