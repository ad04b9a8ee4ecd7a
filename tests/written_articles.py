"""Small indexes of articles written for a test: each test module lists its own articles
(id, title, body, and optionally date and source) and opens them through `article_index`,
so that building, checking and opening the index is written once."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import orjson

from index import index_paths
from search import Index, open_index

Article = tuple[str, ...]
"""(id, title, body) or (id, title, body, date, source)."""

FIELDS = ("id", "title", "body", "date", "source")


@contextmanager
def article_index(base: Path, articles: Sequence[Article], **common: object) -> Iterator[Index]:
    """An index in `base` of `articles` (each field given, `common` fields added to every one),
    every article indexed, opened for searching."""
    source = base / "articles.jsonl"
    source.write_bytes(b"".join(orjson.dumps({**common, **dict(zip(FIELDS[:len(a)], a, strict=True))}) + b"\n"
                                for a in articles))
    report = index_paths([source], base / "index")
    assert (report.added, report.failed) == (len(articles), 0)
    with open_index(base / "index") as index:
        yield index
