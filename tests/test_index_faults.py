"""A real `kosearch index` process killed (SIGKILL) or interrupted (SIGINT) at every named phase
of a first run, an incremental run and a rebuild (`index.faults`): the index still opens and
is the old or the new one, complete, with the aliases of its documents; a clean rerun then
gives exactly what a clean run gives; no user file is lost."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from index import index_paths
from index.aliases import AliasTable
from index.store import open_existing

ROOT = Path(__file__).resolve().parents[1]
CLI = "import sys; from tui.cli import main; sys.exit(main(sys.argv[1:]))"

FIRST = {
    "a.jsonl": [
        {"id": "a1", "title": "엔비디아(Nvidia) 신형 칩 공개",
         "body": "엔비디아(Nvidia)는 새 인공지능 칩을 내놓았다. 엔비디아 주가가 올랐다."},
        {"id": "a2", "title": "원전 수출 협상",
         "body": "국제원자력기구(IAEA)가 점검단을 보낸다고 밝혔다."},
    ],
    "b.jsonl": [
        {"id": "b1", "title": "배터리 공장 착공", "body": "울산에 배터리 공장을 짓는다."},
    ],
}
# The incremental run: a2 edited, b1 gone with its file, c.jsonl new with a gloss of its own.
SECOND = {
    "a.jsonl": [
        FIRST["a.jsonl"][0],
        {"id": "a2", "title": "원전 수출 협상 재개",
         "body": "국제원자력기구(IAEA) 점검단이 다음 달 온다."},
    ],
    "c.jsonl": [
        {"id": "c1", "title": "반도체 협정",
         "body": "세계무역기구(WTO)에 제소했다. 세계무역기구 판정은 내년에 나온다."},
    ],
}


def write_corpus(src: Path, files: dict[str, list[dict[str, str]]]) -> None:
    for old in src.glob("*.jsonl"):
        old.unlink()
    for name, records in files.items():
        (src / name).write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))


def snapshot(index_dir: Path) -> tuple[dict[str, str], list[tuple[str, str, list[str]]]]:
    """Stored id -> content hash, and the learned alias pairs: what a run is judged by."""
    ix = open_existing(index_dir)
    with ix.reader() as reader:
        docs = {f["id"]: f["hash"] for _, f in reader.iter_docs()}
    return docs, AliasTable.load(index_dir).pairs()


def run_cli(*args: str, fault: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KOSEARCH_FAULT": fault, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", CLI, "index", "--quiet", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Clean indexes, built once: of the first corpus, and of the second after the first."""
    base = tmp_path_factory.mktemp("faults")
    src = base / "src"
    src.mkdir()
    write_corpus(src, FIRST)
    first = base / "first"
    assert index_paths([src], first).failed == 0
    second = base / "second"
    shutil.copytree(first, second)
    write_corpus(src, SECOND)
    assert index_paths([src], second).failed == 0
    return {"first": first, "second": second}


@pytest.fixture
def place(tmp_path: Path) -> Path:
    """A folder with the sources and a user's hidden file beside them and beside the index."""
    src = tmp_path / "src"
    src.mkdir()
    (src / ".notes").write_text("내 메모", encoding="utf-8")
    (tmp_path / ".env").write_text("TOKEN=x", encoding="utf-8")
    return tmp_path


def user_files(place: Path) -> list[str]:
    return sorted(str(p.relative_to(place)) for p in place.rglob("*")
                  if "index" not in p.relative_to(place).parts)


# (run, phase): the phases each kind of run passes through.
KILLS = [("first", p) for p in ("new-index-before-marker", "analysis", "aliases", "commit",
                                 "after-commit", "caches")] + \
        [("incremental", p) for p in ("analysis", "aliases", "commit", "after-commit",
                                      "caches")] + \
        [("rebuild", p) for p in ("analysis", "aliases", "commit", "rebuild-swap",
                                  "after-commit", "caches")]


def prepare(run: str, place: Path, states: dict[str, Path]) -> tuple[Path, list[str]]:
    """The index folder and the command-line arguments of `run`, the sources in place."""
    src, index_dir = place / "src", place / "index"
    if run == "first":
        write_corpus(src, FIRST)
        return index_dir, [str(src), "--index", str(index_dir)]
    write_corpus(src, FIRST)
    assert index_paths([src], index_dir).failed == 0
    (index_dir / ".mine").write_text("색인 폴더 안의 내 파일", encoding="utf-8")
    write_corpus(src, SECOND)
    extra = ["--rebuild"] if run == "rebuild" else []
    return index_dir, [str(src), "--index", str(index_dir), *extra]


@pytest.mark.parametrize(("run", "phase"), KILLS)
def test_a_kill_at_any_phase_leaves_a_complete_index(run: str, phase: str, place: Path,
                                                     states: dict[str, Path]) -> None:
    index_dir, args = prepare(run, place, states)
    before = snapshot(index_dir) if run != "first" else None
    files = user_files(place)

    done = run_cli(*args, fault=phase)
    assert done.returncode == -signal.SIGKILL, done.stderr

    assert user_files(place) == files
    if run != "first":
        assert (index_dir / ".mine").read_text(encoding="utf-8") == "색인 폴더 안의 내 파일"
    new = snapshot(states["second" if run != "first" else "first"])
    if run == "first" and phase == "new-index-before-marker":
        assert sorted(p.name for p in index_dir.iterdir()) == ["kosearch-run.lock"]
    elif run == "first" and phase in ("analysis", "aliases", "commit"):
        assert snapshot(index_dir) == ({}, [])  # made, still empty
    else:
        assert snapshot(index_dir) in (before, new)
        assert snapshot(index_dir) == (before if phase in ("analysis", "aliases", "commit",
                                                          "rebuild-swap") else new)

    # A clean rerun ends where a clean run ends, and its commit clears what the killed run
    # left (segment files outside the table of contents, Whoosh's temporary folder).
    rerun = index_paths([place / "src"], index_dir, rebuild=run == "rebuild")
    assert rerun.failed == 0, rerun.problems
    assert snapshot(index_dir) == new
    assert user_files(place) == files
    segments = {s.segment_id() for s in open_existing(index_dir)._read_toc().segments}
    assert {p.name.split(".")[0] for p in index_dir.glob("MAIN_*.*")} == segments
    assert not (index_dir / "MAIN.tmp").exists()


@pytest.mark.parametrize("phase", ["analysis", "rebuild-swap", "after-commit", "caches"])
def test_ctrl_c_at_any_phase_says_interrupted(phase: str, place: Path,
                                              states: dict[str, Path]) -> None:
    """Ctrl-C ends `kosearch index` with "interrupted" and exit status 130, never a traceback
    (it used to end in "This writer is closed" after the commit)."""
    index_dir, args = prepare("rebuild", place, states)
    done = run_cli(*args, fault=f"{phase}:int")
    assert (done.returncode, "Traceback" in done.stderr) == (130, False), done.stderr
    assert "interrupted" in done.stderr
    assert snapshot(index_dir) == snapshot(states["first" if phase in (
        "analysis", "aliases", "commit", "rebuild-swap") else "second"])
