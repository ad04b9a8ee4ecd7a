"""An open index follows indexing runs made elsewhere (in this process or another), and its
caches describe the segments they were built from, not a reader object or a generation
number."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from index import index_paths
from index.postings import SUFFIX
from index.segments import segment_id
from search import open_index, tuning
from search.freshness import commit_stamp, reader_key
from search.suggest import vocabulary

ROOT = Path(__file__).resolve().parent.parent


def write(path: Path, *records: dict[str, str]) -> Path:
    path.write_bytes(b"\n".join(orjson.dumps(r) for r in records) + b"\n")
    return path


HERON = {"id": "a-1", "title": "한강 하구의 왜가리", "body": "왜가리 무리가 갯벌에서 먹이를 찾았다."}
SPOONBILL = {"id": "a-1", "title": "한강 하구의 저어새",
             "body": "저어새 무리가 갯벌에서 먹이를 찾았다."}
CRANE = {"id": "b-1", "title": "철원의 두루미", "body": "두루미 가족이 논에서 겨울을 난다."}


@pytest.fixture
def a_index(tmp_path: Path) -> tuple[Path, Path]:
    """An index of a.jsonl (one article about herons), and that file."""
    source = write(tmp_path / "a.jsonl", HERON)
    path = tmp_path / "index"
    assert index_paths([source], path).added == 1
    return path, source


def test_a_run_in_this_process_is_searched_without_refresh(a_index: tuple[Path, Path],
                                                            tmp_path: Path) -> None:
    path, _ = a_index
    with open_index(path) as index:
        assert index.search("두루미").total == 0
        assert not index.changed
        assert index_paths([write(tmp_path / "b.jsonl", CRANE)], path).added == 1
        assert index.changed
        assert [(h.id, h.title) for h in index.search("두루미")] == [("b-1", "철원의 두루미")]
        assert not index.changed
        assert index.search("왜가리").total == 1
        assert index.doc_count == 2


def test_a_rebuild_by_another_process_replaces_what_the_open_index_finds(
        a_index: tuple[Path, Path], tmp_path: Path) -> None:
    """The issue's case: the rebuild may start the generations again, yet the open index
    finds neither the old article's word nor the new ones twice."""
    path, source = a_index
    with open_index(path) as index:
        assert index.search("왜가리").total == 1
        index.search("왜가리")  # an engine, a vocabulary and postings read from the old commit
        index.search("왜가리 갯벌")
        write(source, SPOONBILL)
        other = write(tmp_path / "b.jsonl", CRANE)
        run = subprocess.run([sys.executable, "-m", "tui.cli", "index", str(source), str(other),
                              "--rebuild", "--index", str(path)],
                             cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        assert index.changed
        assert index.search("왜가리").total == 0
        assert [h.id for h in index.search("저어새")] == ["a-1"]
        assert [h.id for h in index.search("두루미")] == ["b-1"]
        assert index.search("갯벌").total == 1
        assert index.doc_count == 2


def test_refresh_drops_every_cache_of_the_old_commit(a_index: tuple[Path, Path],
                                                     tmp_path: Path) -> None:
    path, _ = a_index
    with open_index(path) as index:
        index.search("왜가리")
        engine, aliases = index._engine(), index.aliases
        index_paths([write(tmp_path / "b.jsonl", CRANE)], path)
        index.refresh()
        assert index._engine() is not engine and index.aliases is not aliases
        assert len(index._engine().leaves) == 2
        assert index._engine().postings("body", "두루미")[0].tolist() == [1]


def test_an_index_folder_gone_mid_replacement_keeps_the_old_view(
        a_index: tuple[Path, Path], tmp_path: Path) -> None:
    """A run killed between moving the old folder away and the new one in: searches go on
    with what was open."""
    path, _ = a_index
    with open_index(path) as index:
        moved = path.rename(tmp_path / "moved")
        assert commit_stamp(path) is None and not index.changed
        assert [h.id for h in index.search("왜가리")] == ["a-1"]
        assert moved.exists()


def test_the_vocabulary_is_cached_by_segment_ids(a_index: tuple[Path, Path],
                                                 tmp_path: Path) -> None:
    """Another reader of the same segments shares the vocabulary; a new segment makes a new
    one. (Keyed by `id(reader)`, a reader made after the first was collected could get the
    first's id and its words.)"""
    path, _ = a_index
    with open_index(path) as first:
        key = reader_key(first._searcher.reader())
        assert key is not None and [f"{k}{SUFFIX}" for k in key] == \
            [f"{segment_id(leaf)}{SUFFIX}" for leaf, _ in first._engine().leaves]
        words = vocabulary(first._searcher)
        assert "왜가리" not in words.df  # in one document: below MIN_DF
    with open_index(path) as second:
        assert vocabulary(second._searcher) is words
    index_paths([write(tmp_path / "b.jsonl", CRANE, {**HERON, "id": "b-2"})], path)
    with open_index(path) as third:
        assert reader_key(third._searcher.reader()) != key
        fresh = vocabulary(third._searcher)
        assert fresh is not words and fresh.df["왜가리"] == 2


def test_prefetch_stops_when_the_index_is_refreshed_during_its_term_scan(
        a_index: tuple[Path, Path], tmp_path: Path) -> None:
    """The scan of the term lists (segments without posting files) ends at the refresh that
    closed the reader it walks, instead of reading a closed file."""
    path, _ = a_index
    for sidecar in path.glob(f"*{SUFFIX}"):
        sidecar.unlink()
    with open_index(path) as index:
        engine = index._engine()
        scan = engine.scan_terms
        index_paths([write(tmp_path / "b.jsonl", CRANE)], path)

        def scan_then_refresh(field: str):  # type: ignore[no-untyped-def]
            yield from scan(field)
            index.refresh()  # the exact interleaving: after the first chunk of the first field

        engine.scan_terms = scan_then_refresh  # type: ignore[method-assign]
        assert tuning.prefetch(index, share=0.0) == 0
        assert index._engine() is not engine
        assert [h.id for h in index.search("두루미")] == ["b-1"]
