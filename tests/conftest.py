"""Shared fixtures: an index of the sample corpus, built once per session, and an isolated
environment so no test reads or writes the user's own index or data directory."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from index import index_paths
from index.postings import sidecar_path, write_segment
from index.sample import SAMPLE_FILE
from index.store import open_existing
from search import Index, open_index


@pytest.fixture(scope="session", autouse=True)
def _isolated_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point KOSEARCH_INDEX and XDG_DATA_HOME at temporary folders for the whole session."""
    base = tmp_path_factory.mktemp("env")
    saved = {key: os.environ.get(key)
             for key in ("KOSEARCH_INDEX", "XDG_DATA_HOME", "KOSEARCH_DICTIONARY")}
    os.environ["KOSEARCH_INDEX"] = str(base / "default-index")
    os.environ["XDG_DATA_HOME"] = str(base / "data")
    os.environ.pop("KOSEARCH_DICTIONARY", None)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of an index of index/sample/articles.jsonl (44 articles), built once, with
    every term in its posting files (see `map_every_term`)."""
    path = tmp_path_factory.mktemp("sample") / "index"
    report = index_paths([SAMPLE_FILE], path)
    assert report.failed == 0, report.problems
    assert report.added == 44
    map_every_term(path)
    return path


def map_every_term(path: Path) -> None:
    """Write each segment's posting file (`index.postings`) again holding every term.

    The indexer puts there only terms found in `MIN_POSTINGS` (64) documents or more, so 44
    articles would leave the files empty and every test search would read Whoosh's blocks; a
    large index reads its frequent terms from the memory-mapped files. With all terms in them,
    the ordinary tests search through that path (tests/test_postings.py checks both give the
    same results). A later indexing run keeps these files: they are whole and of their segment.
    """
    ix = open_existing(path)
    with ix.reader() as reader:
        for leaf, _offset in reader.leaf_readers():
            write_segment(leaf, sidecar_path(path, leaf.segment().segment_id()), min_postings=1)
    ix.close()


@pytest.fixture
def idx(sample_index: Path) -> Iterator[Index]:
    """The sample index, opened for searching."""
    with open_index(sample_index) as index:
        yield index
