"""A search process gives back the mapped index pages its searches touched (issue 15): past a
budget the pages leave the process (they stay in the system's page cache), and every answer
read afterwards is the one read before.
"""

from __future__ import annotations

import mmap
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import search.engine_data
from index.segments import map_file, mapped_resident, release_pages
from search import Results, open_index

LINUX_ONLY = pytest.mark.skipif(
    mapped_resident() is None or not hasattr(mmap, "MADV_DONTNEED"),
    reason="resident mapped pages are read from /proc and given back with MADV_DONTNEED")

QUERIES = ["반도체", "정부 지원", '"반도체 산업"', "수출 -반도체", "waico", "반도*"]
"""One word, two, a phrase (positions), an exclusion, a Latin word, a prefix."""

MB = 1 << 20


@pytest.fixture
def pattern_file(tmp_path: Path) -> Iterator[tuple[Path, bytes]]:
    data = bytes(range(256)) * (32 * 1024)  # 8 MB that no two pages repeat at one offset
    path = tmp_path / "pages.bin"
    path.write_bytes(data)
    yield path, data


@LINUX_ONLY
def test_released_pages_leave_the_process_and_read_the_same(
        pattern_file: tuple[Path, bytes]) -> None:
    path, data = pattern_file
    f = map_file(str(path))
    assert f.get(0, len(data)) == data  # every page touched
    touched = mapped_resident()
    assert release_pages() >= len(data)
    released = mapped_resident()
    assert touched is not None and released is not None
    assert touched - released >= 7 * MB
    f.seek(4096 * 3 + 5)
    assert f.read(3) == bytes([5, 6, 7])
    assert f.get(0, len(data)) == data
    f.close()


@LINUX_ONLY
def test_released_pages_of_a_numpy_map_read_the_same(pattern_file: tuple[Path, bytes]) -> None:
    path, data = pattern_file
    array = np.memmap(path, dtype=np.uint8, mode="r")[4096:].view("<u4")
    assert int(array.sum(dtype=np.int64)) == 4_554_219_805_870_080  # every page touched
    touched = mapped_resident()
    assert release_pages([array]) >= len(data)
    released = mapped_resident()
    assert touched is not None and released is not None
    assert touched - released >= 7 * MB
    assert array[:2].tolist() == [0x03020100, 0x07060504]
    assert int(array.sum(dtype=np.int64)) == 4_554_219_805_870_080


def test_a_closed_map_is_passed_over(pattern_file: tuple[Path, bytes]) -> None:
    f = map_file(str(pattern_file[0]))
    f.close()
    release_pages()  # no ValueError from the closed map


def test_trimming_waits_for_the_budget_and_then_starts_again_from_what_stays(
        sample_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages searches touched are given back only past `MAPPED_BYTES` over what was resident
    before (libraries), counted again from what stays resident after giving them back."""
    readings = iter([100 * MB,  # when the engine's data is made: the floor
                     140 * MB,  # 40 over: kept
                     160 * MB, 110 * MB,  # 60 over: given back, 110 stays resident
                     150 * MB,  # 40 over the new floor: kept
                     170 * MB, 105 * MB])  # 60 over: given back
    released: list[int] = []
    monkeypatch.setattr(search.engine_data, "mapped_resident", lambda: next(readings))
    monkeypatch.setattr(search.engine_data, "release_pages", lambda arrays: released.append(
        len(list(arrays))) or 0)
    monkeypatch.setattr(search.engine_data, "MAPPED_BYTES", 50 * MB)
    with open_index(sample_index) as idx:
        data = idx._engine().data
        assert [data.trim() for _ in range(4)] == [False, True, False, True]
    assert released == [1, 1]  # the sample index's one posting file, with the segment maps


def test_no_reading_of_resident_memory_no_trimming(sample_index: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search.engine_data, "mapped_resident", lambda: None)
    monkeypatch.setattr(search.engine_data, "MAPPED_BYTES", 0)
    with open_index(sample_index) as idx:
        assert idx._engine().data.trim() is False
        assert idx.search("반도체").hits


def _answers(path: Path) -> list[object]:
    out: list[object] = []
    with open_index(path) as idx:
        for text in QUERIES:
            results: Results = idx.search(text, limit=20, snippet_count=3)
            out.append((text, results.total, results.hits))
            for hit in results.hits[:3]:
                out.append(idx.document(hit.id, text))
    return out


@LINUX_ONLY
def test_searches_that_give_back_their_pages_answer_alike(sample_index: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Every search giving back every page (a budget of 0) finds, ranks, cuts snippets and marks
    documents exactly as searches that keep them."""
    released: list[int] = []
    real = search.engine_data.release_pages

    def counted(arrays: object) -> int:
        released.append(1)
        return real(arrays)  # type: ignore[arg-type]

    monkeypatch.setattr(search.engine_data, "release_pages", counted)
    monkeypatch.setattr(search.engine_data, "MAPPED_BYTES", 1 << 40)
    kept = _answers(sample_index)
    assert released == []
    monkeypatch.setattr(search.engine_data, "MAPPED_BYTES", 0)
    given_back = _answers(sample_index)
    assert len(released) >= 1
    assert given_back == kept
    assert sum(1 for answer in kept if isinstance(answer, tuple) and answer[1] > 0) >= 5
