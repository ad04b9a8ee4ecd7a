"""Indexing runs on real folders: incremental reruns, edits, deletions, bad inputs, duplicate
ids, interruption, foreign folders, format versions and rebuilds."""

from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest

from index import IndexError_, IndexReport, index_paths
from index.analysis import ANALYZER_VERSION
from index.indexer import FILES_CACHE, discover
from index.store import FORMAT_VERSION, MARKER, read_marker
from search import open_index


def record(n: int, word: str = "반도체", **extra: object) -> dict[str, object]:
    return {"id": f"r{n:02d}", "title": f"기사 {n}", "body": f"{word} 관련 {n}번째 기사 본문",
            **extra}


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def counts(report: IndexReport) -> tuple[int, int, int, int, int]:
    return report.added, report.updated, report.removed, report.unchanged, report.failed


def ids(index_dir: Path, query: str) -> set[str]:
    with open_index(index_dir) as idx:
        return {h.id for h in idx.search(query, limit=100)}


def doc_count(index_dir: Path) -> int:
    with open_index(index_dir) as idx:
        return idx.doc_count


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder with a.jsonl (r01-r03, 반도체) and b.jsonl (r04-r05, 배터리)."""
    src = tmp_path / "src"
    src.mkdir()
    write_jsonl(src / "a.jsonl", [record(1), record(2), record(3)])
    write_jsonl(src / "b.jsonl", [record(4, "배터리"), record(5, "배터리")])
    return src


def test_rerun_changes_nothing(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "index"
    assert counts(index_paths([corpus], ix)) == (5, 0, 0, 0, 0)
    assert counts(index_paths([corpus], ix)) == (0, 0, 0, 5, 0)
    assert doc_count(ix) == 5


def test_rerun_without_files_cache_changes_nothing(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "index"
    index_paths([corpus], ix)
    (ix / FILES_CACHE).unlink()
    assert counts(index_paths([corpus], ix)) == (0, 0, 0, 5, 0)


def test_editing_one_file_reindexes_only_its_changed_records(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "index"
    index_paths([corpus], ix)
    write_jsonl(corpus / "a.jsonl", [record(1), record(2, "코끼리"), record(3), record(6)])
    report = index_paths([corpus], ix)
    assert counts(report) == (1, 1, 0, 4, 0)  # r06 added, r02 updated, the rest untouched
    assert ids(ix, "코끼리") == {"r02"}
    assert ids(ix, "반도체") == {"r01", "r03", "r06"}
    assert doc_count(ix) == 6


def test_removing_a_record_from_a_file(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "index"
    index_paths([corpus], ix)
    write_jsonl(corpus / "a.jsonl", [record(1), record(3)])
    assert counts(index_paths([corpus], ix)) == (0, 0, 1, 4, 0)
    assert ids(ix, "반도체") == {"r01", "r03"}


def test_deleting_a_file_removes_its_records(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "index"
    index_paths([corpus], ix)
    (corpus / "b.jsonl").unlink()
    assert counts(index_paths([corpus], ix)) == (0, 0, 2, 3, 0)
    assert ids(ix, "배터리") == set()
    assert doc_count(ix) == 3


def test_folder_with_good_and_bad_inputs(corpus: Path, tmp_path: Path) -> None:
    (corpus / "broken.jsonl").write_text(
        '{"id": "g1", "body": "정상 기록"}\n'
        '{"id": "g2", "body": 깨짐\n'
        '{"id": "g3", "body": "정상 기록"}\n',
        encoding="utf-8")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (corpus / "empty.csv").write_bytes(b"")
    write_jsonl(corpus / "nobody.jsonl", [{"id": "n1", "title": "본문 없음"}, record(7)])
    (corpus / "legacy.txt").write_bytes("옛 문서\n정상 기록 본문\n".encode("cp949"))
    (corpus / "notes.docx").write_bytes(b"ignored: unsupported files in folders are skipped")

    report = index_paths([corpus], tmp_path / "index")
    assert report.added == 5 + 2 + 1 + 1
    assert report.failed == 4
    assert not report.ok
    problems = sorted((Path(p.path).name, p.line, p.fatal) for p in report.problems)
    assert problems == [("binary.txt", None, True), ("broken.jsonl", 2, True),
                        ("empty.csv", None, True), ("legacy.txt", None, False),
                        ("nobody.jsonl", 1, True)]
    assert ids(tmp_path / "index", "정상") == {"g1", "g3", str((corpus / "legacy.txt").resolve())}
    assert doc_count(tmp_path / "index") == 9


def test_missing_and_unsupported_paths_are_reported(corpus: Path, tmp_path: Path) -> None:
    (tmp_path / "a.docx").write_bytes(b"x")
    report = index_paths([corpus, tmp_path / "nope", tmp_path / "a.docx"], tmp_path / "index")
    assert report.added == 5
    assert [(Path(p.path).name, p.message.split(" (")[0]) for p in report.problems] == [
        ("nope", "no such file or folder"), ("a.docx", "unsupported file type")]


def test_duplicate_id_across_files_is_reported(corpus: Path, tmp_path: Path) -> None:
    write_jsonl(corpus / "c.jsonl", [record(1, "코끼리")])
    report = index_paths([corpus], tmp_path / "index")
    assert (report.added, report.failed) == (5, 1)
    [problem] = report.problems
    assert problem.path == str((corpus / "c.jsonl").resolve()) and problem.line == 1
    assert "duplicate id 'r01'" in problem.message
    assert str((corpus / "a.jsonl").resolve()) in problem.message
    assert ids(tmp_path / "index", "코끼리") == set()


def test_duplicate_takes_over_when_first_copy_is_deleted(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    write_jsonl(src / "a.jsonl", [record(1, "코끼리")])
    write_jsonl(src / "b.jsonl", [record(1, "코끼리"), record(2, "기린")])
    ix = tmp_path / "index"
    index_paths([src], ix)
    (src / "a.jsonl").unlink()
    index_paths([src], ix)
    assert ids(ix, "코끼리") == {"r01"}


def test_rerun_still_reports_problems_of_unchanged_files(corpus: Path, tmp_path: Path) -> None:
    (corpus / "a.jsonl").write_bytes((corpus / "a.jsonl").read_bytes() + b'{"broken\n')
    ix = tmp_path / "index"
    assert index_paths([corpus], ix).failed == 1
    assert index_paths([corpus], ix).failed == 1


def test_interrupt_leaves_previous_index_intact(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "index"
    index_paths([corpus], ix)
    with open_index(ix) as idx:
        before = [(h.id, h.score) for h in idx.search("반도체")]
    assert len(before) == 3

    # Many new records, one edited, one file deleted: then Ctrl-C part-way through.
    write_jsonl(corpus / "c.jsonl", [record(n, "코끼리") for n in range(10, 50)])
    write_jsonl(corpus / "a.jsonl", [record(1, "기린"), record(2), record(3)])
    (corpus / "b.jsonl").unlink()
    calls: list[tuple[int, int]] = []

    def interrupt(done: int, total: int) -> None:
        calls.append((done, total))
        if done > 0:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        index_paths([corpus], ix, on_progress=interrupt)
    assert calls == [(0, 41), (16, 41)]

    assert doc_count(ix) == 5
    with open_index(ix) as idx:
        assert [(h.id, h.score) for h in idx.search("반도체")] == before
        assert idx.search("코끼리").total == 0
        assert {h.id for h in idx.search("배터리")} == {"r04", "r05"}

    # The next run does all the work the interrupted one did not.
    assert counts(index_paths([corpus], ix)) == (40, 1, 2, 2, 0)
    assert doc_count(ix) == 43


def test_interrupted_rebuild_keeps_old_index(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "index"
    index_paths([corpus], ix)

    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        index_paths([corpus], ix, rebuild=True, on_progress=interrupt)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index", "src"]
    assert ids(ix, "반도체") == {"r01", "r02", "r03"}


def test_refuses_a_folder_that_is_not_an_index(corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "notes.txt").write_text("내 메모", encoding="utf-8")
    with pytest.raises(IndexError_, match="is not empty and is not a kosearch index"):
        index_paths([corpus], folder)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    with pytest.raises(IndexError_, match="is not a kosearch index"):
        open_index(folder)


def test_rebuild_refuses_a_folder_that_is_not_an_index(corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "notes.txt").write_text("내 메모", encoding="utf-8")
    with pytest.raises(IndexError_, match="is not empty and is not a kosearch index"):
        index_paths([corpus], folder, rebuild=True)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "내 메모"


def test_other_format_version_asks_for_rebuild(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "index"
    index_paths([corpus], ix)
    (ix / MARKER).write_bytes(orjson.dumps({"format": FORMAT_VERSION + 1,
                                            "created_by": "kosearch 9.9"}))
    with pytest.raises(IndexError_, match=r"has format 2 \(kosearch 9\.9\).*rebuild it with"):
        index_paths([corpus], ix)
    with pytest.raises(IndexError_, match="--rebuild"):
        open_index(ix)

    report = index_paths([corpus], ix, rebuild=True)
    assert (counts(report), report.reanalyzed) == ((0, 0, 0, 0, 0), 5)
    marker = read_marker(ix)
    assert marker is not None and marker.format_version == FORMAT_VERSION
    assert ids(ix, "배터리") == {"r04", "r05"}


def test_damaged_marker_asks_for_rebuild(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "index"
    index_paths([corpus], ix)
    (ix / MARKER).write_bytes(b"{not json")
    with pytest.raises(IndexError_, match="is damaged.*--rebuild"):
        open_index(ix)


def test_rebuild_analyses_again_every_file_the_index_holds(corpus: Path, tmp_path: Path) -> None:
    """`--rebuild` with other files adds them to the files the index already holds (issue 13,
    item 8: it used to rebuild from the files given alone and lose the others)."""
    ix = tmp_path / "index"
    index_paths([corpus], ix)
    other = tmp_path / "other"
    other.mkdir()
    write_jsonl(other / "c.jsonl", [record(8, "코끼리"), record(9, "코끼리")])

    report = index_paths([other], ix, rebuild=True)
    assert (counts(report), report.reanalyzed) == ((2, 0, 0, 0, 0), 5)
    assert report.index_dir == str(ix)
    assert doc_count(ix) == 7
    assert ids(ix, "코끼리") == {"r08", "r09"}
    assert ids(ix, "반도체") == {"r01", "r02", "r03"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index", "other", "src"]
    # An incremental run afterwards sees the rebuilt index as up to date.
    assert counts(index_paths([other, corpus], ix)) == (0, 0, 0, 7, 0)


def test_rebuild_without_paths_removes_what_the_files_no_longer_hold(corpus: Path,
                                                                     tmp_path: Path) -> None:
    ix = tmp_path / "index"
    index_paths([corpus], ix)
    write_jsonl(corpus / "a.jsonl", [record(1), record(2, "기린")])
    (corpus / "b.jsonl").unlink()
    report = index_paths([], ix, rebuild=True)
    assert (counts(report), report.reanalyzed) == ((0, 1, 3, 0, 0), 1)
    assert ids(ix, "반도체") == {"r01"}
    assert ids(ix, "기린") == {"r02"}
    assert doc_count(ix) == 2


def test_rebuild_without_paths_needs_an_index(tmp_path: Path) -> None:
    with pytest.raises(IndexError_, match="no index at .* to rebuild"):
        index_paths([], tmp_path / "index", rebuild=True)
    assert not (tmp_path / "index").exists()


def test_rebuild_of_a_missing_folder_creates_it(corpus: Path, tmp_path: Path) -> None:
    ix = tmp_path / "new" / "index"
    assert counts(index_paths([corpus], ix, rebuild=True)) == (5, 0, 0, 0, 0)
    assert doc_count(ix) == 5
    shutil.rmtree(tmp_path / "new")


def test_an_index_inside_the_indexed_folder_is_skipped(tmp_path: Path) -> None:
    """Indexing a folder that holds the index itself reads none of the index's own files."""
    (tmp_path / "a.jsonl").write_text('{"id": "a", "body": "반도체 수출"}\n', encoding="utf-8")
    for _ in range(2):
        report = index_paths([tmp_path], tmp_path / "ix")
        assert report.failed == 0, report.problems
    files, _ = discover([tmp_path])
    assert files == [(tmp_path / "a.jsonl").resolve()]


@pytest.mark.parametrize("marker", [b'{"format": 0, "created_by": "kosearch 0.0"}', b"{not json",
                                    b'{"format": 1, "created_by": "kosearch 0.1.0"}'])
def test_the_sample_index_of_another_version_is_built_again(sample_index: Path, tmp_path: Path,
                                                            marker: bytes) -> None:
    """A sample index left by an older kosearch (another format, or an older analyzer: no
    "analyzer" recorded) or with a damaged marker is rebuilt on use, instead of stopping the
    app with "rebuild it" or keeping the old analysis: the user never made that index."""
    from index.sample import ensure_sample_index

    old = tmp_path / "sample-index"
    shutil.copytree(sample_index, old)
    (old / MARKER).write_bytes(marker)
    assert ensure_sample_index(old) == old
    found = read_marker(old)
    assert found is not None and found.format_version == FORMAT_VERSION
    assert found.analyzer_version == ANALYZER_VERSION
    with open_index(old) as idx:
        assert idx.doc_count == 44
        assert idx.search("반도체").total > 0


def test_records_are_not_all_held_in_memory_at_once(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A first run over a large folder holds the records Kiwi reads ahead of the writer, not
    every record of every file: memory stays flat however many articles there are."""
    import weakref

    import index.indexer as indexer

    src = tmp_path / "src"
    src.mkdir()
    for f in range(4):
        write_jsonl(src / f"{f}.jsonl", [record(f * 1000 + n) for n in range(500)])
    alive: weakref.WeakSet[object] = weakref.WeakSet()
    most = 0
    original = indexer.read_file

    def counted(path: Path):  # type: ignore[no-untyped-def]
        nonlocal most
        for item in original(path):
            if isinstance(item, indexer.Record):
                alive.add(item)
                most = max(most, len(alive))
            yield item

    monkeypatch.setattr(indexer, "read_file", counted)
    report = index_paths([src], tmp_path / "index")
    assert counts(report) == (2000, 0, 0, 0, 0)
    assert doc_count(tmp_path / "index") == 2000
    assert most < 200, most


def test_a_file_changed_between_the_two_reads_keeps_what_was_indexed(
        corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Records are read once to plan and again to write. If the file changed in between, its
    records that are no longer as planned are not written, their stored versions stay, the
    problem names the file, and the next run writes them."""
    import index.indexer as indexer

    ix = tmp_path / "index"
    index_paths([corpus], ix)
    write_jsonl(corpus / "a.jsonl", [record(1), record(2, "코끼리"), record(3), record(6)])
    original = indexer.read_file
    reads: list[str] = []

    def changing(path: Path):  # type: ignore[no-untyped-def]
        reads.append(path.name)
        if reads.count("a.jsonl") == 2 and path.name == "a.jsonl":
            # Someone saved the file again between the reads: r02 and r06 differ.
            write_jsonl(path, [record(1), record(2, "기린"), record(3), record(6, "기린")])
        yield from original(path)

    monkeypatch.setattr(indexer, "read_file", changing)
    progress: list[tuple[int, int]] = []
    report = index_paths([corpus], ix, on_progress=lambda done, total: progress.append((done, total)))
    assert counts(report) == (0, 0, 0, 4, 1)
    assert progress[0] == (0, 2) and progress[-1] == (0, 0)  # planned two, wrote none: bar full
    assert [str(p) for p in report.problems] == [
        f"{corpus / 'a.jsonl'}: changed while it was being indexed: 2 record(s) not written "
        "this time; run kosearch index again"]
    assert ids(ix, "반도체") == {"r01", "r02", "r03"}  # r02 as it was, r06 not yet
    monkeypatch.setattr(indexer, "read_file", original)
    assert counts(index_paths([corpus], ix)) == (1, 1, 0, 4, 0)
    assert ids(ix, "기린") == {"r02", "r06"}
    assert doc_count(ix) == 6


def test_the_test_index_is_searched_through_its_posting_files(
        sample_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The index the other tests search (conftest's `map_every_term`) holds every term in
    its memory-mapped posting files: each term of a query is read from a `.kpost` map, none
    from Whoosh's blocks."""
    from index.postings import SUFFIX, SegmentPostings

    read: list[tuple[str, str, int | None]] = []
    get = SegmentPostings.get

    def counted(self: SegmentPostings, field: str, text: str) -> object:
        found = get(self, field, text)
        read.append((field, text, None if found is None else len(found[0])))
        return found

    monkeypatch.setattr(SegmentPostings, "get", counted)
    files = list(sample_index.glob(f"*{SUFFIX}"))
    assert files and all(p.stat().st_size > 100_000 for p in files)
    with open_index(sample_index) as index:
        assert index.search("반도체 수출").total == 9
    assert read == [("title", "반도체", 2), ("body", "반도체", 12), ("words", "반도체", 12),
                    ("title", "수출", 5), ("body", "수출", 18), ("words", "수출", 18)]
