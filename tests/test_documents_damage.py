"""Damaged documents: every cut and a spread of flipped bytes give one Record or one Problem,
never an exception, so one bad file cannot stop an indexing run."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from documents_samples import para, t, table, write_hwpx, write_pdf

from index.documents import read_document
from index.documents.common import garbage_reason
from index.readers import Problem, Record

HWP = Path(__file__).resolve().parents[2] / "shared" / "data" / "documents" / "hwp"


def sample(kind: str, folder: Path) -> bytes:
    if kind == "pdf":
        path = write_pdf(folder / "s.pdf", [["하수도 요금 고지서 개편", "새 고지서는 7월부터 쓴다."],
                                            ["둘째 쪽 안내"]], title="하수도 요금")
    elif kind == "hwpx":
        path = write_hwpx(folder / "s.hwpx", [para(t("하수도 요금 고지서 개편"))
                                              + para(table([["구분", "요금"], ["가정용", "500원"]]))])
    else:
        if not HWP.exists():
            pytest.skip("needs ../shared/data/documents")
        path = HWP / "source.hwp"
    return path.read_bytes()


def read_one(path: Path) -> Record | Problem:
    """The one Record or fatal Problem of a file, after any notes (a damaged metadata part)."""
    *notes, item = read_document(path)
    assert all(isinstance(n, Problem) and not n.fatal for n in notes)
    assert isinstance(item, Record) or item.fatal
    return item


@pytest.mark.parametrize("kind", ["pdf", "hwpx", "hwp"])
def test_cut_anywhere(kind: str, tmp_path: Path) -> None:
    whole = sample(kind, tmp_path)
    path = tmp_path / f"cut.{kind}"
    outcomes = set()
    for end in range(0, len(whole), max(1, len(whole) // 60)):
        path.write_bytes(whole[:end])
        item = read_one(path)
        outcomes.add(type(item).__name__)
        if isinstance(item, Record):
            assert garbage_reason(item.body) is None
    assert "Problem" in outcomes


@pytest.mark.parametrize("kind", ["pdf", "hwpx", "hwp"])
def test_flipped_bytes(kind: str, tmp_path: Path) -> None:
    whole = sample(kind, tmp_path)
    rng = random.Random(16)
    path = tmp_path / f"flip.{kind}"
    for _ in range(60):
        data = bytearray(whole)
        for _ in range(8):
            data[rng.randrange(len(data))] = rng.randrange(256)
        path.write_bytes(bytes(data))
        item = read_one(path)
        if isinstance(item, Record):
            assert garbage_reason(item.body) is None
