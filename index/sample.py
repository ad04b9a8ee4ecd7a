"""The embedded sample corpus: 44 Korean policy articles written for kosearch.

When a user has indexed nothing, kosearch opens an index of these, built on first use in the
user's data directory and kept up to date with the shipped file (an unchanged file costs no
analysis).
"""

from __future__ import annotations

from pathlib import Path

from index.analysis import ANALYZER_VERSION
from index.indexer import index_paths
from index.store import FORMAT_VERSION, IndexError_, read_marker, user_data_dir

__all__ = ["SAMPLE_FILE", "ensure_sample_index", "sample_index_dir"]

SAMPLE_FILE = Path(__file__).resolve().parent / "sample" / "articles.jsonl"


def sample_index_dir() -> Path:
    return user_data_dir() / "sample-index"


def ensure_sample_index(index_dir: Path | None = None) -> Path:
    """Build or refresh the sample corpus index and return its folder.

    The folder is kosearch's own: one left by another version of kosearch (another format or
    analyzer) or with a damaged marker is built again rather than reported to the user.
    """
    index_dir = index_dir or sample_index_dir()
    try:
        marker = read_marker(index_dir)
        stale = marker is not None and (marker.format_version, marker.analyzer_version) != (
            FORMAT_VERSION, ANALYZER_VERSION)
    except IndexError_:
        stale = True
    try:
        index_paths([SAMPLE_FILE], index_dir, rebuild=stale)
    except IndexError_:
        if stale or not (index_dir / "kosearch-index.json").exists():
            raise
        # Another process is refreshing it right now; what is there is usable.
    return index_dir
