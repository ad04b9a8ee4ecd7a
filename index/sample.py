"""The embedded sample corpus: 44 Korean policy articles written for kosearch.

When a user has indexed nothing, kosearch opens an index of these, built on first use in the
user's data directory and kept up to date with the shipped file (an unchanged file costs no
analysis).
"""

from __future__ import annotations

from pathlib import Path

from index.indexer import index_paths
from index.store import IndexError_, user_data_dir

__all__ = ["SAMPLE_FILE", "ensure_sample_index", "sample_index_dir"]

SAMPLE_FILE = Path(__file__).resolve().parent / "sample" / "articles.jsonl"


def sample_index_dir() -> Path:
    return user_data_dir() / "sample-index"


def ensure_sample_index(index_dir: Path | None = None) -> Path:
    """Build or refresh the sample corpus index and return its folder."""
    index_dir = index_dir or sample_index_dir()
    try:
        index_paths([SAMPLE_FILE], index_dir)
    except IndexError_:
        if not (index_dir / "kosearch-index.json").exists():
            raise
        # Another process is refreshing it right now; what is there is usable.
    return index_dir
