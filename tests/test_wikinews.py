"""Issue acceptance on real data: Wikinews (644 articles), when ../shared/data is present.

A user's clone has no ../shared: these tests skip there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from index import index_paths
from search import Index, open_index

WIKINEWS = Path(__file__).resolve().parents[2] / "shared" / "data" / "wikinews-ko.jsonl"
pytestmark = pytest.mark.skipif(not WIKINEWS.exists(), reason="needs ../shared/data")


@pytest.fixture(scope="module")
def wikinews_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wikinews") / "index"
    report = index_paths([WIKINEWS], path)
    assert (report.added, report.failed) == (644, 0)
    return path


@pytest.fixture(scope="module")
def idx(wikinews_index: Path) -> Iterator[Index]:
    with open_index(wikinews_index) as index:
        yield index


def test_rerun_adds_nothing(wikinews_index: Path) -> None:
    report = index_paths([WIKINEWS], wikinews_index)
    assert (report.added, report.updated, report.removed, report.unchanged) == (0, 0, 0, 644)


@pytest.mark.parametrize(("query", "expected"), [
    ("하르케가 심장마비", "wikinews-0003"),
    ("이재오의 조카 채용", "wikinews-0040"),
    ("무바라크는 혼수상태", "wikinews-0095"),
    ("환경부가 침수피해 가구를", "wikinews-0150"),
    ("장성택의 최측근이 망명", "wikinews-0301"),
    ("문재인이 대통령에 당선", "wikinews-0450"),
    ("공인인증서 본인인증수단", "wikinews-0512"),
    ("SRT 고속열차가 탈선", "wikinews-0600"),
    ("고속 열차 탈선", "wikinews-0600"),
    ("srt 탈선", "wikinews-0600"),
])
def test_known_item_in_top_three(idx: Index, query: str, expected: str) -> None:
    """Title words with other particles, spacing or case still find the article."""
    assert expected in [h.id for h in idx.search(query, limit=3)]
