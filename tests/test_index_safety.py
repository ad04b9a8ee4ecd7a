"""Nothing a user owns is lost or silently changed by indexing (issue 13): folders that are not
indexes, ids met again in other files, what an older kosearch's stopped rebuild left, a first
run stopped before its index existed, unreadable folders and files, Ctrl-C after the commit."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import orjson
import pytest

import index.faults as faults
from index import IndexError_, IndexReport, index_paths
from index.store import MARKER, RUN_LOCK, read_marker, write_marker
from search import open_index
from tui.cli import main


def write(path: Path, records: list[tuple[str, str]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps({"id": i, "title": "기사", "body": body}) + b"\n"
                              for i, body in records))
    return path


def found(index_dir: Path, query: str) -> list[str]:
    with open_index(index_dir) as idx:
        return sorted(h.id for h in idx.search(query, limit=100))


def counts(report: IndexReport) -> tuple[int, int, int, int, int]:
    return report.added, report.updated, report.removed, report.unchanged, report.failed


def tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def src(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    write(folder / "a.jsonl", [("a1", "항만 물류"), ("a2", "철도 파업")])
    return folder


# -- 1: only kosearch's own folders are written into ---------------------------------------


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A folder holding only hidden entries, like a home folder."""
    folder = tmp_path / "home"
    (folder / ".ssh").mkdir(parents=True)
    (folder / ".ssh" / "id_ed25519").write_text("비밀 키", encoding="utf-8")
    (folder / ".env").write_text("TOKEN=1", encoding="utf-8")
    (folder / ".git").mkdir()
    return folder


@pytest.mark.parametrize("rebuild", [True, False])
def test_a_folder_of_hidden_entries_is_not_an_index(src: Path, home: Path, rebuild: bool) -> None:
    before = tree(home)
    with pytest.raises(IndexError_, match=f"{home} is not empty and is not a kosearch index"):
        index_paths([src], home, rebuild=rebuild)
    assert tree(home) == before == [".env", ".git", ".ssh", ".ssh/id_ed25519"]


def test_the_cli_refuses_to_rebuild_into_a_home_folder(src: Path, home: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["index", str(src), "--rebuild", "--index", str(home), "--quiet"]) == 2
    assert "is not empty and is not a kosearch index" in capsys.readouterr().err
    assert tree(home) == [".env", ".git", ".ssh", ".ssh/id_ed25519"]


def test_a_rebuild_keeps_a_users_files_inside_the_index(src: Path, tmp_path: Path) -> None:
    ix = tmp_path / "index"
    index_paths([src], ix)
    (ix / ".mine").write_text("메모", encoding="utf-8")
    (ix / "notes.txt").write_text("메모", encoding="utf-8")
    index_paths([src], ix, rebuild=True)
    assert (ix / ".mine").read_text(encoding="utf-8") == "메모"
    assert (ix / "notes.txt").read_text(encoding="utf-8") == "메모"
    assert found(ix, "철도") == ["a2"]


# -- 2: an id belongs to the file it was stored from ---------------------------------------


def test_the_same_id_in_a_later_runs_file_is_reported_and_the_stored_article_stays(
        tmp_path: Path) -> None:
    x1 = write(tmp_path / "x1.jsonl", [("dup-1", "조선 수주")])
    x2 = write(tmp_path / "x2.jsonl", [("dup-1", "해운 운임"), ("x2-1", "항공 화물")])
    ix = tmp_path / "index"
    index_paths([x1], ix)
    report = index_paths([x2], ix)
    assert counts(report) == (1, 0, 0, 0, 1)
    assert [str(p) for p in report.problems] == [
        f"{x2}:1: duplicate id 'dup-1' (already indexed from {x1}), record skipped"]
    assert (found(ix, "조선"), found(ix, "해운")) == (["dup-1"], [])
    # Both files in one run, the later-named first: the stored one still wins.
    assert counts(index_paths([x2, x1], ix)) == (0, 0, 0, 2, 1)
    assert found(ix, "조선") == ["dup-1"]


def test_an_article_moved_to_another_file_moves_with_it(tmp_path: Path) -> None:
    x1 = write(tmp_path / "x1.jsonl", [("dup-1", "조선 수주"), ("x1-1", "철강 관세")])
    ix = tmp_path / "index"
    index_paths([x1], ix)
    write(x1, [("x1-1", "철강 관세")])
    x2 = write(tmp_path / "x2.jsonl", [("dup-1", "조선 수주 확대")])
    report = index_paths([x2], ix)  # x1 not named: it is read to see it gave dup-1 up
    assert (counts(report), report.problems) == ((0, 1, 0, 0, 0), [])
    assert found(ix, "확대") == ["dup-1"]
    # And from a file that is gone.
    x3 = write(tmp_path / "x3.jsonl", [("dup-1", "조선 수주 감소")])
    x2.unlink()
    report = index_paths([x3], ix)
    assert (counts(report), report.problems) == ((0, 1, 0, 0, 0), [])
    assert found(ix, "감소") == ["dup-1"]
    assert found(ix, "철강") == ["x1-1"]


def test_the_same_file_updates_its_own_article(tmp_path: Path) -> None:
    x1 = write(tmp_path / "x1.jsonl", [("dup-1", "조선 수주")])
    ix = tmp_path / "index"
    index_paths([x1], ix)
    write(x1, [("dup-1", "조선 수주 급증")])
    assert counts(index_paths([x1], ix)) == (0, 1, 0, 0, 0)
    assert found(ix, "급증") == ["dup-1"]


# -- 5: what a stopped run or an older kosearch left ---------------------------------------


def test_an_older_kosearchs_stopped_swap_is_finished(src: Path, tmp_path: Path) -> None:
    """kosearch before 0.2 rebuilt into `.NAME.rebuild` and swapped through `.NAME.old`; killed
    between its two renames it left no index at the path."""
    old, new = tmp_path / ".index.old", tmp_path / ".index.rebuild"
    index_paths([src], old)
    write(src / "b.jsonl", [("b1", "조선 수주")])
    index_paths([src], new)
    user = tmp_path / ".index.bak"  # not made by kosearch: never touched
    user.mkdir()
    (user / "x").write_text("내 것", encoding="utf-8")
    report = index_paths([src], tmp_path / "index")
    assert counts(report) == (0, 0, 0, 3, 0)
    assert found(tmp_path / "index", "조선") == ["b1"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".index.bak", "index", "src"]


def test_leftovers_beside_a_complete_index_are_cleared(src: Path, tmp_path: Path) -> None:
    ix = tmp_path / "index"
    index_paths([src], ix)
    shutil.copytree(ix, tmp_path / ".index.rebuild")
    index_paths([src], ix)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index", "src"]


def test_a_first_run_stopped_before_its_index_is_finished_by_the_next(
        src: Path, tmp_path: Path) -> None:
    ix = tmp_path / "index"
    ix.mkdir()
    write_marker(ix)  # the marker is written first; the run stopped right after
    with pytest.raises(IndexError_, match="was never finished"):
        open_index(ix)
    assert counts(index_paths([src], ix)) == (2, 0, 0, 0, 0)
    assert found(ix, "항만") == ["a1"]


def test_searches_during_a_rebuild_see_the_old_index(src: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    ix = tmp_path / "index"
    index_paths([src], ix)
    write(src / "a.jsonl", [("a1", "항만 물류 혼잡")])
    seen: list[tuple[list[str], list[str], int]] = []

    def search_now(phase: str) -> None:
        if phase == "rebuild-swap":
            marker = read_marker(ix)
            assert marker is not None
            seen.append((found(ix, "철도"), found(ix, "혼잡"), marker.analyzer_version))

    monkeypatch.setattr(faults, "hook", search_now)
    index_paths([], ix, rebuild=True)
    marker = read_marker(ix)
    assert marker is not None
    assert seen == [(["a2"], [], marker.analyzer_version)]
    assert (found(ix, "철도"), found(ix, "혼잡")) == ([], ["a1"])


def test_a_format_change_is_rebuilt_in_place(src: Path, tmp_path: Path) -> None:
    """An index of another format (here: another schema) is rebuilt in place, its files read
    again; until the rebuild commits, readers of the old generation are undisturbed."""
    from whoosh.fields import STORED

    from index.store import open_existing

    ix = tmp_path / "index"
    index_paths([src], ix)
    writer = open_existing(ix).writer()
    writer.add_field("legacy", STORED)
    writer.commit()
    (ix / MARKER).write_bytes(orjson.dumps({"format": 0, "created_by": "kosearch 0.0"}))
    with pytest.raises(IndexError_, match="has format 0"):
        index_paths([src], ix)
    report = index_paths([], ix, rebuild=True)
    assert (counts(report), report.reanalyzed) == ((0, 0, 0, 0, 0), 2)
    assert "legacy" not in open_existing(ix).schema
    marker = read_marker(ix)
    assert marker is not None and marker.format_version == 1
    assert found(ix, "항만") == ["a1"]


def test_a_run_after_a_stopped_rebuild_keeps_the_old_marker(src: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild writes its marker for its commit's generation; stopped before the commit, the
    next ordinary run makes a commit of that number, which must not take the rebuild's marker."""
    ix = tmp_path / "index"
    index_paths([src], ix)
    (ix / MARKER).write_bytes(orjson.dumps({"format": 1, "created_by": "kosearch 0.1.0",
                                            "analyzer": 1}))

    def stop(phase: str) -> None:
        if phase == "commit":
            raise KeyboardInterrupt

    monkeypatch.setattr(faults, "hook", stop)
    with pytest.raises(KeyboardInterrupt):
        index_paths([src], ix, rebuild=True)
    monkeypatch.setattr(faults, "hook", None)
    marker = read_marker(ix)
    assert marker is not None and marker.analyzer_version == 1
    write(src / "b.jsonl", [("b1", "조선 수주")])
    assert index_paths([src], ix).added == 1
    marker = read_marker(ix)
    assert marker is not None and (marker.analyzer_version, marker.created_by) == (
        1, "kosearch 0.1.0")


def test_rebuild_into_the_current_folder(src: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    ix = tmp_path / "index"
    index_paths([src], ix)
    monkeypatch.chdir(ix)
    assert index_paths([], Path("."), rebuild=True).failed == 0
    assert found(ix, "항만") == ["a1"]


def test_a_rebuild_replaces_an_index_whose_marker_is_damaged(src: Path, tmp_path: Path) -> None:
    ix = tmp_path / "index"
    index_paths([src], ix)
    (ix / MARKER).write_bytes(b"{not json")
    report = index_paths([], ix, rebuild=True)  # its files are known from its documents
    assert (counts(report), report.reanalyzed) == ((0, 0, 0, 0, 0), 2)
    assert found(ix, "항만") == ["a1"]
    marker = read_marker(ix)
    assert marker is not None and marker.format_version == 1


# -- 7b: unreadable folders and files are reported, their documents kept -------------------


def unreadable(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Make `path` unreadable as `chmod 000` would for a user other than root (tests run as
    root, which chmod does not stop)."""
    real_scandir, real_open = os.scandir, Path.open

    def scandir(p: object = ".") -> object:
        if Path(str(p)) == path:
            raise PermissionError(13, "Permission denied", str(p))
        return real_scandir(p)  # type: ignore[arg-type]

    def open_(self: Path, *args: object, **kwargs: object) -> object:
        if self == path or path in self.parents:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(Path, "open", open_)


def test_an_unreadable_folder_is_reported_and_its_documents_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "docs"
    (root / "2024").mkdir(parents=True)
    write(root / "2024" / "a.jsonl", [("a1", "항만 물류")])
    write(root / "b.jsonl", [("b1", "조선 수주")])
    ix = tmp_path / "index"
    index_paths([root], ix)
    unreadable(monkeypatch, root / "2024")
    report = index_paths([root], ix)
    assert [str(p) for p in report.problems] == [
        f"{root / '2024'}: cannot read folder: Permission denied"]
    assert counts(report) == (0, 0, 0, 1, 1)
    assert found(ix, "항만") == ["a1"]
    report = index_paths([root], ix, rebuild=True)  # analysed again from the stored text
    assert [str(p) for p in report.problems] == [
        f"{root / '2024'}: cannot read folder: Permission denied",
        f"{root / '2024' / 'a.jsonl'}: cannot read file: Permission denied"]
    assert (counts(report), report.reanalyzed) == ((0, 0, 0, 0, 2), 2)
    assert found(ix, "항만") == ["a1"]


def test_an_unreadable_file_is_reported_and_its_documents_kept(
        src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    ix = tmp_path / "index"
    index_paths([src], ix)
    write(src / "a.jsonl", [("a1", "항만 물류 혼잡")])  # changed, so it is read again
    unreadable(monkeypatch, src / "a.jsonl")
    assert main(["index", str(src), "--index", str(ix), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert f"{src / 'a.jsonl'}: cannot read file: Permission denied" in err
    assert "Traceback" not in err
    assert found(ix, "철도") == ["a2"]


# -- Ctrl-C --------------------------------------------------------------------------------


@pytest.mark.parametrize("phase", ["analysis", "commit", "after-commit", "caches"])
def test_ctrl_c_stays_ctrl_c(src: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             phase: str) -> None:
    """Ctrl-C after the commit used to turn into `IndexingError: This writer is closed`; the
    run lock is free again afterwards."""
    ix = tmp_path / "index"
    index_paths([src], ix)
    write(src / "b.jsonl", [("b1", "조선 수주")])

    def interrupt(name: str) -> None:
        if name == phase:
            raise KeyboardInterrupt

    monkeypatch.setattr(faults, "hook", interrupt)
    with pytest.raises(KeyboardInterrupt):
        index_paths([src], ix)
    monkeypatch.setattr(faults, "hook", None)
    assert found(ix, "조선") == ([] if phase in ("analysis", "commit") else ["b1"])
    assert index_paths([src], ix).failed == 0
    assert found(ix, "조선") == ["b1"]
    assert (ix / RUN_LOCK).exists()
