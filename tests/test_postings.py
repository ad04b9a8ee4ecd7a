"""Posting files beside each segment (index.postings): written after every commit, removed with
their segment, read by the engine with exactly the results of reading Whoosh's blocks, and
ignored when missing or damaged."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import orjson
import pytest

from index import index_paths
from index.postings import SUFFIX, SegmentPostings, sidecar_path, write_segment
from index.segments import segment_id
from search import open_index, tuning

QUERIES = ["반도체 수출", "정부 OR 발표", "인공지능 NOT 엔비디아", "title:반도체", "반도*",
           "국제원자력기구는 어느 나라의 원전 안전 점검을 위해 전문가를 보냈나?", '"탄소 국경"']


def segment_ids(path: Path) -> set[str]:
    with open_index(path) as index:
        return {str(segment_id(leaf)) for leaf, _ in index._engine().leaves}


def rewrite_sidecars(path: Path, min_postings: int) -> None:
    """Every segment's posting file again, holding terms with `min_postings` or more."""
    with open_index(path) as index:
        for leaf, _offset in index._engine().leaves:
            write_segment(leaf, sidecar_path(path, str(segment_id(leaf))), min_postings)


def ranking(path: Path) -> list[list[tuple[str, float, int]]]:
    with open_index(path) as index:
        return [[(h.id, round(h.score, 9), len(h.snippets)) for h in index.search(q, limit=50)]
                for q in QUERIES]


@pytest.fixture
def sample_copy(sample_index: Path, tmp_path: Path) -> Path:
    path = tmp_path / "index"
    shutil.copytree(sample_index, path)
    return path


def test_every_segment_gets_one_and_loses_it_when_merged(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    path = tmp_path / "index"
    for run in range(4):
        lines = [orjson.dumps({"id": f"d{run}-{i}", "body": f"반도체 수출 {run} {i}"})
                 for i in range(5)]
        (folder / f"part{run}.jsonl").write_bytes(b"\n".join(lines))
        index_paths([folder], path)
        current = {f"{s}{SUFFIX}" for s in segment_ids(path)}
        assert current == {p.name for p in path.glob(f"*{SUFFIX}")}, f"run {run}"
    with open_index(path) as index:
        assert all(s is not None for s in index._engine().sidecars)


def test_engine_reads_them_with_the_same_results(sample_copy: Path) -> None:
    """Every term in the posting files (threshold 1) against none of them: same hits, scores
    and snippets."""
    for old in sample_copy.glob(f"*{SUFFIX}"):
        old.unlink()
    without = ranking(sample_copy)
    rewrite_sidecars(sample_copy, min_postings=1)
    with open_index(sample_copy) as index:
        engine = index._engine()
        assert all(s is not None and len(s.keys) > 1000 for s in engine.sidecars)
        ids, tfs = engine.postings("body", "반도체")
        assert len(ids) == index._searcher.doc_frequency("body", "반도체") > 0
        assert np.all(np.diff(ids) > 0) and np.all(tfs >= 1)
    assert ranking(sample_copy) == without
    assert any(without), "the queries must find something"


def test_rare_terms_still_come_from_whoosh(sample_copy: Path) -> None:
    rewrite_sidecars(sample_copy, min_postings=10)
    with open_index(sample_copy) as index:
        engine = index._engine()
        (sidecar,) = engine.sidecars
        assert sidecar is not None
        assert sidecar.get("body", "waico") is None  # in a few articles only
        assert len(engine.postings("body", "waico")[0]) == \
            index._searcher.doc_frequency("body", "waico") > 0


@pytest.mark.parametrize("damage", ["truncate", "garbage", "other segment size"])
def test_damaged_file_is_ignored(sample_copy: Path, damage: str) -> None:
    rewrite_sidecars(sample_copy, min_postings=1)
    before = ranking(sample_copy)
    (path,) = sample_copy.glob(f"*{SUFFIX}")
    raw = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(raw[: len(raw) // 2])
    elif damage == "garbage":
        path.write_bytes(b"\x00\xff" * 1000)
    else:
        with pytest.raises(ValueError):
            SegmentPostings(path, doc_count=3)
        return
    with open_index(sample_copy) as index:
        assert index._engine().sidecars == [None]
    assert ranking(sample_copy) == before


def test_interrupted_write_leaves_no_file_and_is_cleaned(sample_copy: Path) -> None:
    (path,) = sample_copy.glob(f"*{SUFFIX}")
    path.unlink()
    leftover = path.with_name(f".{path.name}.tmp")
    leftover.write_bytes(b"half a file")
    with open_index(sample_copy) as index:
        assert index._engine().sidecars == [None]
    report = index_paths([], sample_copy)  # any run writes what is missing
    assert report.failed == 0
    assert path.exists() and not leftover.exists()


def test_prefetch_warms_the_files(sample_copy: Path) -> None:
    rewrite_sidecars(sample_copy, min_postings=1)
    with open_index(sample_copy) as index:
        assert tuning.prefetch(index) == sum(len(s.keys) for s in index._engine().sidecars)


def _region(path: Path, region: str) -> int:
    """The offset of a byte in one region of a posting file: the header, the keys, starts or
    per-term checksums, or a document number or frequency of 반도체 in the body (a term every
    ranking above reads)."""
    from index.postings import _HEADER, _layout, term_key

    header = np.fromfile(path, dtype=_HEADER, count=1)[0]
    keys, starts, crcs, ids, tfs, _end = _layout(int(header["terms"]), int(header["postings"]))
    sidecar = SegmentPostings(path, int(header["docs"]))
    at = int(np.searchsorted(sidecar.keys, np.uint64(term_key("body", "반도체"))))
    first = int(sidecar.starts[at])
    assert sidecar.starts[at + 1] - first >= 3
    return {"header": 8, "keys": keys + 8 * at, "starts": starts + 8 * at + 8,
            "checksums": crcs + 4 * at, "document number": ids + 4 * (first + 1),
            "frequency": tfs + 4 * (first + 1)}[region]


@pytest.mark.parametrize("flip", [0x01, 0x80])
@pytest.mark.parametrize("region", ["header", "keys", "starts", "checksums", "document number",
                                    "frequency"])
def test_a_flipped_byte_anywhere_gives_the_results_of_no_file(sample_copy: Path, region: str,
                                                              flip: int) -> None:
    """A document number one off (0x01) is still a document of the segment: only the checksum
    finds it. The damaged file is ignored (Whoosh's postings are read), then written again by
    the next run."""
    for old in sample_copy.glob(f"*{SUFFIX}"):
        old.unlink()
    without = ranking(sample_copy)
    rewrite_sidecars(sample_copy, min_postings=1)
    (path,) = sample_copy.glob(f"*{SUFFIX}")
    raw = bytearray(path.read_bytes())
    raw[_region(path, region)] ^= flip
    path.write_bytes(bytes(raw))
    assert ranking(sample_copy) == without
    with open_index(sample_copy) as index:
        index.search("반도체")
        (sidecar,) = index._engine().sidecars
        assert sidecar is None or sidecar.damaged
    assert index_paths([], sample_copy).failed == 0
    assert path.read_bytes() != bytes(raw)
    with open_index(sample_copy) as index:
        (sidecar,) = index._engine().sidecars
        assert sidecar is not None and sidecar.verify()
    assert ranking(sample_copy) == without


def test_a_file_of_the_previous_format_is_ignored_and_written_again(sample_copy: Path) -> None:
    (path,) = sample_copy.glob(f"*{SUFFIX}")
    old = b"KPOST001" + path.read_bytes()[8:]
    path.write_bytes(old)
    with open_index(sample_copy) as index:
        assert index._engine().sidecars == [None]
    assert index_paths([], sample_copy).failed == 0
    assert path.read_bytes()[:8] == b"KPOST002"
    with open_index(sample_copy) as index:
        (sidecar,) = index._engine().sidecars
        assert sidecar is not None and sidecar.verify()
